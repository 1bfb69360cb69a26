/* The admin's view of the outbox: every mail alvd queued, with its delivery state,
 * attempts and last error, one mail's text, and a retry of a failed one. */
#ifndef ALVD_API_OUTBOX_ADMIN_H
#define ALVD_API_OUTBOX_ADMIN_H

#include "alvd/http/request.h"

void outbox_admin_list(http_request *request);
void outbox_admin_get(http_request *request);
void outbox_admin_retry(http_request *request);

#endif
