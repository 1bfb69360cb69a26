/* The proxies of a meeting over HTTP (volmachten, R2): register, list with whether each
 * counts now, revoke. The rules are in service/proxies.h. */
#ifndef ALVD_API_PROXIES_H
#define ALVD_API_PROXIES_H

#include "alvd/http/request.h"

void proxies_create(http_request *request);           /* POST /api/meetings/{id}/proxies */
void proxies_list(http_request *request);             /* GET /api/meetings/{id}/proxies */
void proxies_revoke(http_request *request);           /* POST /api/meetings/{id}/proxies/{proxy_id}/revoke */

#endif
