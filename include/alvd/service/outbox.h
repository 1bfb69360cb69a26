/* The admin's outbox: the listing with its counts per state, one mail, and the retry of
 * a failed mail (audited). */
#ifndef ALVD_SERVICE_OUTBOX_H
#define ALVD_SERVICE_OUTBOX_H

#include "alvd/crypto/audit.h"
#include "alvd/store/outbox.h"

#define SERVICE_OUTBOX_PAGE 200

/* Newest first, SERVICE_OUTBOX_PAGE at most, state NULL = all; *rows as
 * store_outbox_list's (caller frees). */
int service_outbox_list(store_conn *conn, const char *state, long long before, store_result **rows,
                        store_outbox_counts *counts, alvd_err *err);
/* One mail (404 not_found); *row as store_outbox_get's (caller frees). */
int service_outbox_get(store_conn *conn, long long id, store_result **row, alvd_err *err);
/* Put a failed mail back in the queue: 404 not_found, 409 not_failed. */
int service_outbox_retry(store_conn *conn, const audit_actor *actor, long long id, alvd_err *err);

#endif
