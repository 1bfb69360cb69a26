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

/* issue 20 forwarder: the lead replaces its callers at merge */
static inline int meetings_load_for(http_request *request, long long meeting_id, meeting_info *out, alvd_err *err) { return service_meetings_load_for(http_request_db(request), http_request_principal(request), meeting_id, out, err); }

#define MEETINGS_TICKET_URL_SIZE SERVICE_TICKETS_URL_SIZE

/* issue 20 forwarder: the lead replaces its callers at merge */
static inline int meetings_issue_tickets(store_conn *conn, const char *data_dir, long long meeting_id, long long user_id, long long *issued, alvd_err *err) { return service_tickets_issue_system(conn, data_dir, meeting_id, user_id, issued, err); }
/* issue 20 forwarder: the lead replaces its callers at merge */
static inline int meetings_ticket_url(store_conn *conn, const char *data_dir, const char *public_url, long long meeting_id, long long organisation_id, char url[MEETINGS_TICKET_URL_SIZE], alvd_err *err) { return service_tickets_member_url(conn, data_dir, public_url, meeting_id, organisation_id, url, err); }

void meetings_create(http_request *request);          /* POST /api/meetings */
void meetings_list(http_request *request);            /* GET /api/meetings */
void meetings_get(http_request *request);             /* GET /api/meetings/{id} */
void meetings_update(http_request *request);          /* PATCH /api/meetings/{id} */
void meetings_open(http_request *request);            /* POST /api/meetings/{id}/open */
void meetings_close(http_request *request);           /* POST /api/meetings/{id}/close */
void meetings_convocation(http_request *request);     /* POST /api/meetings/{id}/convocation */

#endif
