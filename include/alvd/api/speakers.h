/* The speaker list of a meeting over HTTP (hall and remote alike: request, withdraw, the
 * chair gives and ends the floor) and written contributions to the chair, moderated.
 * The flows are service/speakers.h; both go into the minutes. */
#ifndef ALVD_API_SPEAKERS_H
#define ALVD_API_SPEAKERS_H

#include <jansson.h>

#include "alvd/base/err.h"
#include "alvd/http/request.h"
#include "alvd/service/speakers.h"
#include "alvd/store/db.h"

void speakers_request(http_request *request);        /* POST /api/meetings/{id}/speakers */
void speakers_list(http_request *request);           /* GET /api/meetings/{id}/speakers */
void speakers_start(http_request *request);          /* POST /api/speakers/{id}/start */
void speakers_finish(http_request *request);         /* POST /api/speakers/{id}/finish */
void speakers_withdraw(http_request *request);       /* DELETE /api/speakers/{id} */

void contributions_create(http_request *request);    /* POST /api/meetings/{id}/contributions */
void contributions_list(http_request *request);      /* GET /api/meetings/{id}/contributions */
void contributions_moderate(http_request *request);  /* POST /api/contributions/{id}/moderate */

#endif
