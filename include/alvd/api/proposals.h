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

/* POST /api/meldpunt/suggestions/{id}/proposal {"cycle_id","article"?} (board): a draft
 * proposal from a meldpunt half-year suggestion, linked both ways (source_report on
 * the proposal, proposal_id on the suggestion). */
void proposals_from_suggestion(http_request *request);

#endif
