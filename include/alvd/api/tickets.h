/* Handlers for a meeting's tickets (issue, list, reissue, revoke, QR) and the ticket
 * login of a delegate's phone. */
#ifndef ALVD_API_TICKETS_H
#define ALVD_API_TICKETS_H

#include "alvd/http/request.h"

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
