/* Amendment proposals as the board and consulted parties read and edit them: every edit
 * a new revision in one transaction with its audit entry, reads rendered with word
 * diffs and the consolidated text from rows loaded first. */
#ifndef ALVD_SERVICE_PROPOSALS_H
#define ALVD_SERVICE_PROPOSALS_H

#include <jansson.h>

#include "alvd/crypto/audit.h"
#include "alvd/rules/cycle.h"
#include "alvd/store/db.h"

#define SERVICE_PROPOSALS_MAX_CHANGES 50
#define SERVICE_PROPOSALS_TITLE_MAX 300

typedef struct service_proposals_change {
    const char *article, *title, *text;
    rules_change_action action;
} service_proposals_change;

/* A proposal body as the api parsed it. The api parses without the database; what it
 * found wrong waits in parse_error (parse_failed set) until the service has checked the
 * changes parsed before it against the base version, so the first error reported is
 * the one the body shows first (changes[0..count) are the ones parsed whole). */
typedef struct service_proposals_input {
    const char *title, *rationale, *source_report;
    service_proposals_change changes[SERVICE_PROPOSALS_MAX_CHANGES];
    size_t count;
    int parse_failed;
    alvd_err parse_error;
} service_proposals_input;

/* Summaries of the proposals of a cycle, each with "articles" and "conflicts_with".
 * New reference, or NULL with err. */
json_t *service_proposals_list_json(store_conn *conn, long long cycle_id, alvd_err *err);

/* One proposal as a reader sees it at revision_id (0 = the current revision): title,
 * rationale, "changes" with per change the base and new text and its "diff" (HTML
 * with <ins>/<del>), "consolidated" (every article after the change) and
 * "conflicts_with". staff_view adds the comment counts and the consulted revisions. */
json_t *service_proposals_json(store_conn *conn, long long proposal_id, long long revision_id, int staff_view,
                               alvd_err *err);

/* Per article, the text at one revision against another of the same proposal (both
 * on its base version): "articles":[{"article","from_action","to_action","old_text",
 * "new_text","diff","changed"}]. */
json_t *service_proposals_compare_json(store_conn *conn, long long base_version_id, long long from_revision_id,
                                       long long to_revision_id, alvd_err *err);

/* GET /api/cycles/{id}/proposals: 404 when the cycle does not exist. */
int service_proposals_list(store_conn *conn, long long cycle_id, json_t **items, alvd_err *err);
/* GET /api/proposals/{id}: staff (organisation_id 0) see the current revision with the
 * staff view; a contact the revision consulted in the latest round their organisation
 * is invited to (404 when none). */
int service_proposals_get(store_conn *conn, long long proposal_id, long long organisation_id, json_t **proposal,
                          alvd_err *err);
/* GET /api/proposals/{id}/revisions; 404 when the proposal does not exist. */
int service_proposals_revisions(store_conn *conn, long long proposal_id, json_t **items, alvd_err *err);
/* GET /api/proposals/{id}/compare?from&to (revision numbers, 0 = default: to the last,
 * from the one before). */
int service_proposals_compare(store_conn *conn, long long proposal_id, long long from, long long to, json_t **result,
                              alvd_err *err);

/* A new proposal (revision 1) in the cycle on the Code in force today, with its
 * audit entry and the cycle moved on; *proposal as the staff read it. */
int service_proposals_create(store_conn *conn, const audit_actor *actor, long long user_id, long long cycle_id,
                             service_proposals_input *input, json_t **proposal, alvd_err *err);
/* A new revision of the proposal (a ready or lapsed one is a draft again). */
int service_proposals_revise(store_conn *conn, const audit_actor *actor, long long user_id, long long proposal_id,
                             const service_proposals_input *input, json_t **proposal, alvd_err *err);
/* Mark a draft ready for the ALV (consulted in a closed round, every comment answered);
 * ready already is fine too. *result gets {"id","state"}. */
int service_proposals_ready(store_conn *conn, const audit_actor *actor, long long proposal_id, json_t **result,
                            alvd_err *err);
/* A draft proposal from a meldpunt half-year suggestion, linked both ways; article
 * (may be NULL) overrides the one the suggestion names. */
int service_proposals_from_suggestion(store_conn *conn, const audit_actor *actor, long long user_id,
                                      long long suggestion_id, long long cycle_id, const char *article,
                                      json_t **proposal, alvd_err *err);

#endif
