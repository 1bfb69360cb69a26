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

/* issue 20 forwarder: the lead replaces its callers at merge */
static inline int audit_checkpoint_now(const alvd_app *app, store_conn *conn, long long *entry, alvd_err *err) { return service_audit_checkpoint_now(app, conn, entry, err); }
/* issue 20 forwarder: the lead replaces its callers at merge */
static inline int audit_checkpoint_job(const alvd_app *app, store_conn *conn, alvd_err *err) { return service_audit_checkpoint_job(app, conn, err); }

#endif
