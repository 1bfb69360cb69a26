/* The agenda of a meeting: plain items, proposals and other decisions in any order,
 * each with an id that survives reordering, and the current item the chair points at. */
#ifndef ALVD_API_AGENDA_H
#define ALVD_API_AGENDA_H

#include <jansson.h>

#include "alvd/base/err.h"
#include "alvd/http/request.h"
#include "alvd/service/agenda.h"
#include "alvd/store/db.h"

void agenda_post(http_request *request);     /* POST /api/meetings/{id}/agenda {proposal_ids, items?} */
void agenda_put(http_request *request);      /* PUT /api/meetings/{id}/agenda {items:[{kind,…}]} */
void agenda_current(http_request *request);  /* POST /api/meetings/{id}/agenda/current {position} */
/* GET /api/meetings/{id}/agenda/{item_id}/proposal: the text and changes of a proposal on
 * the agenda, for the meeting's phones (which may not read proposals otherwise). */
void agenda_proposal(http_request *request);

#endif
