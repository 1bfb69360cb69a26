/* The outbox table: rows first (a crash loses no mail), claimed for delivery with SKIP
 * LOCKED so several alvd processes share the work; the admin's page and the gauges. */
#include "alvd/store/outbox.h"

int store_outbox_insert(store_conn *conn, const store_outbox_mail *mail, long long *id, alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO outbox (recipient, subject, body_text, body_html, kind, created_at,"
                      " next_attempt_at) VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))",
                      STORE_PARAMS(STORE_TEXT_PARAM(mail->recipient), STORE_TEXT_PARAM(mail->subject),
                                   STORE_TEXT_PARAM(mail->text), STORE_TEXT_PARAM(mail->html),
                                   STORE_TEXT_PARAM(mail->kind ? mail->kind : "mail"))) != 0)
        return -1;
    if (id)
        *id = store_last_insert_id(conn);
    return 0;
}

int store_outbox_claim_due(store_conn *conn, int max, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT id, recipient, subject, body_text, body_html, attempts FROM outbox"
                       " WHERE state = 'pending' AND next_attempt_at <= UTC_TIMESTAMP(6)"
                       " ORDER BY id LIMIT ? FOR UPDATE SKIP LOCKED",
                       STORE_PARAMS(STORE_INT_PARAM(max)));
}

int store_outbox_mark_sent(store_conn *conn, long long id, long long attempts, const char *eml_path, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE outbox SET state = 'sent', attempts = ?, sent_at = UTC_TIMESTAMP(6),"
                         " eml_path = ?, last_error = NULL WHERE id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(attempts), STORE_TEXT_PARAM(eml_path), STORE_INT_PARAM(id)));
}

int store_outbox_mark_failed(store_conn *conn, long long id, long long attempts, int max_attempts,
                             const char *error_text, alvd_err *err)
{
    /* Back off 1, 2, 4, 8 … minutes; after the last attempt it stays failed and visible
     * on the outbox page. */
    return store_execute(conn, err, NULL,
                         "UPDATE outbox SET attempts = ?, last_error = ?,"
                         " state = IF(? >= ?, 'failed', 'pending'),"
                         " next_attempt_at = UTC_TIMESTAMP(6) + INTERVAL POW(2, ? - 1) MINUTE"
                         " WHERE id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(attempts), STORE_TEXT_PARAM(error_text),
                                      STORE_INT_PARAM(attempts), STORE_INT_PARAM(max_attempts),
                                      STORE_INT_PARAM(attempts), STORE_INT_PARAM(id)));
}

int store_outbox_list(store_conn *conn, const char *state, long long before, long long limit, store_result **rows,
                      alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT id, recipient, subject, kind, state, attempts, last_error, created_at, sent_at,"
                       " next_attempt_at FROM outbox WHERE (? IS NULL OR state = ?) AND (? = 0 OR id < ?)"
                       " ORDER BY id DESC LIMIT ?",
                       STORE_PARAMS(STORE_TEXT_PARAM(state), STORE_TEXT_PARAM(state), STORE_INT_PARAM(before),
                                    STORE_INT_PARAM(before), STORE_INT_PARAM(limit)));
}

int store_outbox_count_states(store_conn *conn, store_outbox_counts *counts, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT COALESCE(SUM(state = 'pending'), 0), COALESCE(SUM(state = 'sent'), 0),"
                    " COALESCE(SUM(state = 'failed'), 0) FROM outbox",
                    STORE_NO_PARAMS) != 0)
        return -1;
    counts->pending = store_result_int(rows, 0, 0);
    counts->sent = store_result_int(rows, 0, 1);
    counts->failed = store_result_int(rows, 0, 2);
    store_result_free(rows);
    return 0;
}

int store_outbox_get(store_conn *conn, long long id, store_result **row, alvd_err *err)
{
    if (store_query(conn, err, row,
                    "SELECT id, recipient, subject, kind, state, attempts, last_error, created_at, sent_at,"
                    " next_attempt_at, eml_path, body_text, body_html IS NOT NULL AS has_html FROM outbox WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    if (store_result_rows(*row) != 1) {
        store_result_free(*row);
        *row = NULL;
        return alvd_err_set(err, 404, "not_found", NULL, "Deze mail bestaat niet.");
    }
    return 0;
}

int store_outbox_requeue_failed(store_conn *conn, long long id, alvd_err *err)
{
    long long affected = 0, exists = 0;
    if (store_execute(conn, err, &affected,
                      "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = UTC_TIMESTAMP(6)"
                      " WHERE id = ? AND state = 'failed'",
                      STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    if (affected == 1)
        return 0;
    alvd_err lookup;
    alvd_err_clear(&lookup);
    /* A failed lookup answers as a missing mail, as the page always did. */
    if (store_query_integer(conn, &lookup, &exists, 0, "SELECT 1 FROM outbox WHERE id = ?",
                            STORE_PARAMS(STORE_INT_PARAM(id))) != 0 ||
        exists != 1)
        return alvd_err_set(err, 404, "not_found", NULL, "Deze mail bestaat niet.");
    return alvd_err_set(err, 409, "not_failed", NULL,
                        "Alleen een mail die niet kon worden afgeleverd, kan opnieuw worden verstuurd.");
}

int store_outbox_read_backlog(store_conn *conn, store_outbox_backlog *backlog, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT (SELECT COUNT(*) FROM outbox WHERE state = 'pending'),"
                    " (SELECT COUNT(*) FROM outbox WHERE state = 'failed'),"
                    " COALESCE((SELECT TIMESTAMPDIFF(MICROSECOND, MIN(created_at), UTC_TIMESTAMP(6))"
                    "  FROM outbox WHERE state = 'pending'), 0)",
                    STORE_NO_PARAMS) != 0)
        return -1;
    backlog->pending = store_result_int(rows, 0, 0);
    backlog->failed = store_result_int(rows, 0, 1);
    backlog->oldest_pending_microseconds = store_result_int(rows, 0, 2);
    store_result_free(rows);
    return 0;
}
