/* Electronic participation in the ALV over HTTP (BW 2:38a, issue 18): the code request,
 * joining, leaving and heartbeats of a member's page. The flows are service/remote.h. */
#ifndef ALVD_API_REMOTE_H
#define ALVD_API_REMOTE_H

#include "alvd/base/app.h"
#include "alvd/base/err.h"
#include "alvd/http/request.h"
#include "alvd/service/remote.h"
#include "alvd/store/db.h"
#include "alvd/store/remote.h"

void remote_code_request(http_request *request);   /* POST /api/meetings/{id}/remote/code */
void remote_join(http_request *request);           /* POST /api/meetings/{id}/remote/join */
void remote_leave(http_request *request);          /* POST /api/meetings/{id}/remote/leave */
void remote_heartbeat(http_request *request);      /* POST /api/meetings/{id}/remote/heartbeat */

#endif
