/* Handlers for meetings (settings, convocation, open/close); tickets are in
 * api/tickets.h, the meeting loader in store/meetings.h and service/meetings.h. */
#ifndef ALVD_API_MEETINGS_H
#define ALVD_API_MEETINGS_H

#include "alvd/base/err.h"
#include "alvd/http/request.h"
#include "alvd/service/meetings.h"
#include "alvd/service/tickets.h"
#include "alvd/store/db.h"
#include "alvd/store/meetings.h"

void meetings_create(http_request *request);          /* POST /api/meetings */
void meetings_list(http_request *request);            /* GET /api/meetings */
void meetings_get(http_request *request);             /* GET /api/meetings/{id} */
void meetings_update(http_request *request);          /* PATCH /api/meetings/{id} */
void meetings_open(http_request *request);            /* POST /api/meetings/{id}/open */
void meetings_close(http_request *request);           /* POST /api/meetings/{id}/close */
void meetings_convocation(http_request *request);     /* POST /api/meetings/{id}/convocation */

#endif
