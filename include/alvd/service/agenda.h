/* The agenda of a meeting as units of work: replacing it in one transaction (kept ids,
 * ready proposals, items with polls stay), pointing at the current item, and reading it. */
#ifndef ALVD_SERVICE_AGENDA_H
#define ALVD_SERVICE_AGENDA_H

#include <jansson.h>
#include <stddef.h>

#include "alvd/base/err.h"
#include "alvd/crypto/audit.h"
#include "alvd/http/auth.h"
#include "alvd/store/db.h"

#define AGENDA_ITEMS_MAX 100
#define AGENDA_TITLE_MAX 300

/* One item as a request wants it, before it is written. */
typedef struct agenda_wanted {
    long long id;              /* an existing item to keep (0: a new one) */
    const char *kind;          /* "item", "proposal" or "decision" */
    long long proposal_id;     /* kind proposal */
    const char *title;         /* kind item and decision (borrowed from the body) */
    const char *majority_rule; /* kind decision; NULL: the meeting's rule */
    char proposal_title[AGENDA_TITLE_MAX * 4 + 1];
} agenda_wanted;

/* The agenda in order: [{id, position, kind, title, proposal_id, proposal_state,
 * majority_rule, rule_text, has_poll}] (proposal fields null for other items). New
 * reference in *out. */
int service_agenda_json(store_conn *conn, long long meeting_id, json_t **out, alvd_err *err);

/* Replace the agenda of a meeting by wanted[] in that order, in one transaction: kept
 * items keep their id (proposals are kept by proposal), new proposals must be ready, an
 * item a poll belongs to cannot be removed, the current item stays on the same item
 * wherever it moved. *agenda gets the new agenda, *current_item its position (0: none). */
int service_agenda_replace(store_conn *conn, const audit_actor *actor, long long meeting_id, agenda_wanted *wanted,
                           size_t count, json_t **agenda, long long *current_item, alvd_err *err);

/* Point the meeting at the item at position (present 0: at none), audited and
 * announced; *payload gets what was announced ({position, title, item_id, kind,
 * proposal_id}). */
int service_agenda_set_current(store_conn *conn, const audit_actor *actor, long long meeting_id, int present,
                               long long position, json_t **payload, alvd_err *err);

/* The text and changes of the proposal of an agenda item, for whoever may see the
 * meeting (its phones may not read proposals otherwise). */
int service_agenda_proposal(store_conn *conn, const auth_principal *who, long long meeting_id, long long item_id,
                            json_t **proposal, alvd_err *err);

#endif
