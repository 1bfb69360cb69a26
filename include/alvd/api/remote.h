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

/* issue 20 forwarder: the lead replaces its callers at merge */
static inline int remote_sweep(store_conn *conn, const alvd_app *app, long long meeting_id, alvd_err *err) { return service_remote_sweep(conn, app, meeting_id, err); }
/* issue 20 forwarder: the lead replaces its callers at merge */
static inline int remote_sweep_locked(store_conn *conn, const alvd_app *app, long long meeting_id, alvd_err *err) { return service_remote_sweep_locked(conn, app, meeting_id, err); }
/* issue 20 forwarder: the lead replaces its callers at merge */
static inline int remote_presence_forget(store_conn *conn, long long meeting_id, long long organisation_id, alvd_err *err) { return store_remote_presence_forget(conn, meeting_id, organisation_id, err); }
/* issue 20 forwarder: the lead replaces its callers at merge */
static inline int remote_sweep_job(const alvd_app *app, store_conn *conn, alvd_err *err) { return service_remote_sweep_job(app, conn, err); }

void remote_code_request(http_request *request);   /* POST /api/meetings/{id}/remote/code */
void remote_join(http_request *request);           /* POST /api/meetings/{id}/remote/join */
void remote_leave(http_request *request);          /* POST /api/meetings/{id}/remote/leave */
void remote_heartbeat(http_request *request);      /* POST /api/meetings/{id}/remote/heartbeat */

#endif
