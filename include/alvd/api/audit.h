/* The audit log for administrators: GET /api/audit (newest first, filterable by object)
 * and GET /api/audit/verify (walks the keyed chain and the signed checkpoints, as
 * `alvd audit verify` does); the periodic job that writes (and mails) checkpoints. */
#ifndef ALVD_API_AUDIT_H
#define ALVD_API_AUDIT_H

#include "alvd/base/app.h"
#include "alvd/http/request.h"
#include "alvd/store/db.h"

#define AUDIT_PAGE_MAX 200

void audit_list(http_request *request);
void audit_check(http_request *request);

/* Checkpoint the audit head when it moved since the last checkpoint (the job of
 * ALVD_AUDIT_CHECKPOINT_MINUTES, and `alvd audit checkpoint`): writes
 * ALVD_DATA_DIR/audit-checkpoints/<entry>.txt and, when ALVD_AUDIT_CHECKPOINT_MAIL is
 * set, queues it as a mail to that address. *entry (may be NULL) = the entry
 * checkpointed now, 0 when there was nothing new. */
int audit_checkpoint_now(const alvd_app *app, store_conn *conn, long long *entry, alvd_err *err);
int audit_checkpoint_job(const alvd_app *app, store_conn *conn, alvd_err *err);

#endif
