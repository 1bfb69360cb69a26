/* The audit log for administrators: a page of entries once the sequencer chained what
 * was committed, the verification of the chain and its signed checkpoints, and the
 * periodic checkpoint (written to a file and, when configured, mailed). */
#ifndef ALVD_SERVICE_AUDIT_H
#define ALVD_SERVICE_AUDIT_H

#include "alvd/base/app.h"
#include "alvd/store/audit_log.h"

/* After waiting briefly for entries committed before now to be chained; *rows as
 * store_audit_log_list's (caller frees). */
int service_audit_list(store_conn *conn, const store_audit_log_filter *filter, store_result **rows, alvd_err *err);

/* The chain and the checkpoints walked. intact = 0 with bad_entry and message when a
 * link is broken (returns 0 then); -1 only when the walk itself failed. */
typedef struct service_audit_verdict {
    int intact;
    long long checked, bad_entry, checkpoints, pending;
    char message[ALVD_ERR_MESSAGE_MAX];
} service_audit_verdict;
int service_audit_verify(const alvd_app *app, store_conn *conn, service_audit_verdict *verdict, alvd_err *err);

/* Checkpoint the audit head when it moved since the last checkpoint (the job of
 * ALVD_AUDIT_CHECKPOINT_MINUTES, and `alvd audit checkpoint`): writes
 * ALVD_DATA_DIR/audit-checkpoints/<entry>.txt and, when ALVD_AUDIT_CHECKPOINT_MAIL is
 * set, queues it as a mail to that address. *entry (may be NULL) = the entry
 * checkpointed now, 0 when there was nothing new. */
int service_audit_checkpoint_now(const alvd_app *app, store_conn *conn, long long *entry, alvd_err *err);
int service_audit_checkpoint_job(const alvd_app *app, store_conn *conn, alvd_err *err);

#endif
