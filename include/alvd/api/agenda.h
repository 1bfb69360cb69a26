/* The agenda of a meeting: plain items, proposals and other decisions in any order,
 * each with an id that survives reordering, and the current item the chair points at. */
#ifndef ALVD_API_AGENDA_H
#define ALVD_API_AGENDA_H

#include <jansson.h>

#include "alvd/base/err.h"
#include "alvd/http/request.h"
#include "alvd/store/db.h"

#define AGENDA_ITEMS_MAX 100

/* The agenda in order: [{id, position, kind, title, proposal_id, proposal_state,
 * majority_rule, rule_text, has_poll}] (proposal fields null for other items). New
 * reference in *out. */
int agenda_json(store_conn *conn, long long meeting_id, json_t **out, alvd_err *err);

void agenda_post(http_request *request);     /* POST /api/meetings/{id}/agenda {proposal_ids, items?} */
void agenda_put(http_request *request);      /* PUT /api/meetings/{id}/agenda {items:[{kind,…}]} */
void agenda_current(http_request *request);  /* POST /api/meetings/{id}/agenda/current {position} */
/* GET /api/meetings/{id}/agenda/{item_id}/proposal: the text and changes of a proposal on
 * the agenda, for the meeting's phones (which may not read proposals otherwise). */
void agenda_proposal(http_request *request);

#endif
