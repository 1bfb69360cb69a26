/* The audit log for administrators: GET /api/audit (newest first, filterable by object)
 * and GET /api/audit/verify (walks the hash chain, as `alvd audit verify` does). */
#ifndef ALVD_API_AUDIT_H
#define ALVD_API_AUDIT_H

#include "alvd/http/request.h"

#define AUDIT_PAGE_MAX 200

void audit_list(http_request *request);
void audit_check(http_request *request);

#endif
