/* Handlers for meetings (settings, agenda, convocation, open/close), their tickets
 * (issue, list, reissue, revoke, QR) and the ticket login of a delegate's phone. */
#ifndef ALVD_API_MEETINGS_H
#define ALVD_API_MEETINGS_H

#include "alvd/base/err.h"
#include "alvd/http/request.h"
#include "alvd/service/meetings.h"
#include "alvd/store/db.h"
#include "alvd/store/meetings.h"

/* issue 20 forwarder: the lead replaces its callers at merge */
static inline int meetings_load(store_conn *conn, long long meeting_id, meeting_info *out, alvd_err *err) { return store_meetings_load(conn, meeting_id, out, err); }
/* issue 20 forwarder: the lead replaces its callers at merge */
static inline int meetings_load_for(http_request *request, long long meeting_id, meeting_info *out, alvd_err *err) { return service_meetings_load_for(http_request_db(request), http_request_principal(request), meeting_id, out, err); }

#define MEETINGS_TICKET_URL_SIZE 432  /* public URL (up to 255) + "/t/" + code */

/* Issue the missing tickets of a meeting in one transaction (demo, scripts). */
int meetings_issue_tickets(store_conn *conn, const char *data_dir, long long meeting_id, long long user_id,
                           long long *issued, alvd_err *err);
/* The current ticket URL <public_url>/t/<code> of a member; 404 when it has none. */
int meetings_ticket_url(store_conn *conn, const char *data_dir, const char *public_url, long long meeting_id,
                        long long organisation_id, char url[MEETINGS_TICKET_URL_SIZE], alvd_err *err);

void meetings_create(http_request *request);          /* POST /api/meetings */
void meetings_list(http_request *request);            /* GET /api/meetings */
void meetings_get(http_request *request);             /* GET /api/meetings/{id} */
void meetings_update(http_request *request);          /* PATCH /api/meetings/{id} */
void meetings_open(http_request *request);            /* POST /api/meetings/{id}/open */
void meetings_close(http_request *request);           /* POST /api/meetings/{id}/close */
void meetings_convocation(http_request *request);     /* POST /api/meetings/{id}/convocation */

void tickets_issue(http_request *request);            /* POST /api/meetings/{id}/tickets */
void tickets_list(http_request *request);             /* GET /api/meetings/{id}/tickets */
void tickets_reissue(http_request *request);          /* POST …/tickets/{organisation_id}/reissue */
void tickets_revoke(http_request *request);           /* POST …/tickets/{organisation_id}/revoke */
void tickets_qr_png(http_request *request);           /* GET …/tickets/{organisation_id}/qr.png */
void tickets_qr_svg(http_request *request);           /* GET …/tickets/{organisation_id}/qr.svg */

void tickets_session_create(http_request *request);   /* POST /api/session/ticket */
void tickets_landing_page(http_request *request);     /* GET /t/{ticket} */
void tickets_landing_qr(http_request *request);       /* GET /t/{ticket}/qr.svg */

#endif
