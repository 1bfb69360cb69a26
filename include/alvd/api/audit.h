/* The audit log for administrators: GET /api/audit (newest first, filterable by object)
 * and GET /api/audit/verify (walks the keyed chain and the signed checkpoints, as
 * `alvd audit verify` does); the periodic job that writes (and mails) checkpoints. */
#ifndef ALVD_API_AUDIT_H
#define ALVD_API_AUDIT_H

#include "alvd/base/app.h"
#include "alvd/http/request.h"
#include "alvd/service/audit.h"
#include "alvd/store/db.h"

#define AUDIT_PAGE_MAX 200

void audit_list(http_request *request);
void audit_check(http_request *request);

#endif
