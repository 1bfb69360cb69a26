/* Amendment proposals of a cycle: create and revise (every edit a new revision),
 * read with word diffs and the consolidated text, compare revisions, mark ready. */
#ifndef ALVD_API_PROPOSALS_H
#define ALVD_API_PROPOSALS_H

#include <jansson.h>

#include "alvd/http/request.h"
#include "alvd/store/db.h"
#include "alvd/service/proposals.h"

void proposals_create(http_request *request);
void proposals_list(http_request *request);
void proposals_get(http_request *request);
void proposals_update(http_request *request);
void proposals_revisions(http_request *request);
void proposals_compare(http_request *request);
void proposals_ready(http_request *request);

/* issue 20 forwarder: the lead replaces its callers at merge */
/* Summaries of the proposals of a cycle, each with "articles" and "conflicts_with".
 * New reference, or NULL with err. */
json_t *service_proposals_list_json(store_conn *conn, long long cycle_id, alvd_err *err);

/* issue 20 forwarder: the lead replaces its callers at merge */
/* One proposal as a reader sees it at revision_id (0 = the current revision): title,
 * rationale, "changes" with per change the base and new text and its "diff" (HTML
 * with <ins>/<del>), "consolidated" (every article after the change) and
 * "conflicts_with". staff_view adds the comment counts and the consulted revisions. */
json_t *service_proposals_json(store_conn *conn, long long proposal_id, long long revision_id, int staff_view,
                       alvd_err *err);

/* issue 20 forwarder: the lead replaces its callers at merge */
/* Per article, the text at one revision against another of the same proposal (both
 * on its base version): "articles":[{"article","from_action","to_action","old_text",
 * "new_text","diff","changed"}]. */
json_t *service_proposals_compare_json(store_conn *conn, long long base_version_id, long long from_revision_id,
                               long long to_revision_id, alvd_err *err);

/* POST /api/meldpunt/suggestions/{id}/proposal {"cycle_id","article"?} (board): a draft
 * proposal from a meldpunt half-year suggestion, linked both ways (source_report on
 * the proposal, proposal_id on the suggestion). */
void proposals_from_suggestion(http_request *request);

#endif
