/* The speaker list of a meeting (hall and remote alike: request, withdraw, the chair
 * gives and ends the floor with the speaking time) and written contributions to the
 * chair, moderated (read out or not). Both go into the minutes. */
#ifndef ALVD_API_SPEAKERS_H
#define ALVD_API_SPEAKERS_H

#include <jansson.h>

#include "alvd/base/err.h"
#include "alvd/http/request.h"
#include "alvd/store/db.h"

#define SPEAKERS_EVENT "speakers"
#define CONTRIBUTIONS_EVENT "contributions"
#define CONTRIBUTIONS_TEXT_MAX 2000
#define CONTRIBUTIONS_PER_10_MINUTES 10

/* Every speaker turn (not withdrawn requests) and every contribution of a meeting, for
 * the minutes: {"speakers":[…],"contributions":[…]}. New reference or NULL with err. */
json_t *speakers_minutes_json(store_conn *conn, long long meeting_id, alvd_err *err);

void speakers_request(http_request *request);        /* POST /api/meetings/{id}/speakers */
void speakers_list(http_request *request);           /* GET /api/meetings/{id}/speakers */
void speakers_start(http_request *request);          /* POST /api/speakers/{id}/start */
void speakers_finish(http_request *request);         /* POST /api/speakers/{id}/finish */
void speakers_withdraw(http_request *request);       /* DELETE /api/speakers/{id} */

void contributions_create(http_request *request);    /* POST /api/meetings/{id}/contributions */
void contributions_list(http_request *request);      /* GET /api/meetings/{id}/contributions */
void contributions_moderate(http_request *request);  /* POST /api/contributions/{id}/moderate */

#endif
