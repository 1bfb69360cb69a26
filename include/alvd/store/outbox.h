/* The outbox table: queued mails, their delivery claims and states, the admin's listing
 * and the backlog gauges. Every statement on outbox lives here. */
#ifndef ALVD_STORE_OUTBOX_H
#define ALVD_STORE_OUTBOX_H

#include "alvd/store/db.h"

/* A new pending row, due now; *id (may be NULL) gets its id. */
typedef struct store_outbox_mail {
    const char *recipient, *subject, *text, *html, *kind;
} store_outbox_mail;
int store_outbox_insert(store_conn *conn, const store_outbox_mail *mail, long long *id, alvd_err *err);

/* Claim up to max due pending rows (in the caller's transaction, FOR UPDATE SKIP LOCKED,
 * oldest first). Columns: id, recipient, subject, body_text, body_html, attempts. */
int store_outbox_claim_due(store_conn *conn, int max, store_result **rows, alvd_err *err);
/* A claimed row was delivered after attempts tries (eml_path NULL over SMTP). */
int store_outbox_mark_sent(store_conn *conn, long long id, long long attempts, const char *eml_path, alvd_err *err);
/* A claimed row failed its try number attempts: pending again after 2^(attempts-1)
 * minutes, or failed from max_attempts on. */
int store_outbox_mark_failed(store_conn *conn, long long id, long long attempts, int max_attempts,
                             const char *error_text, alvd_err *err);

/* The admin's page: newest first, up to limit rows below before (0 = from the newest),
 * of one state (NULL = all). Columns: id, recipient, subject, kind, state, attempts,
 * last_error, created_at, sent_at, next_attempt_at. */
int store_outbox_list(store_conn *conn, const char *state, long long before, long long limit, store_result **rows,
                      alvd_err *err);
typedef struct store_outbox_counts {
    long long pending, sent, failed;
} store_outbox_counts;
int store_outbox_count_states(store_conn *conn, store_outbox_counts *counts, alvd_err *err);
/* One mail with its text (404 not_found when absent): the list's columns, eml_path,
 * body_text and has_html (the HTML body itself is never handed out). */
int store_outbox_get(store_conn *conn, long long id, store_result **row, alvd_err *err);
/* A failed mail back to pending, due now; 404 not_found when absent, 409 not_failed
 * when it is not failed. */
int store_outbox_requeue_failed(store_conn *conn, long long id, alvd_err *err);

/* The backlog gauges of GET /metrics. */
typedef struct store_outbox_backlog {
    long long pending, failed;
    long long oldest_pending_microseconds; /* 0 without pending mail */
} store_outbox_backlog;
int store_outbox_read_backlog(store_conn *conn, store_outbox_backlog *backlog, alvd_err *err);

#endif
