/* The staff second factor at rest: sealed secrets and the last used step on users (a
 * conditional update spends a step once, even across processes), recovery-code hashes. */
#include "alvd/store/totp.h"

#include <string.h>

static void store_totp_sealed_read(const store_result *rows, size_t column, store_totp_sealed *sealed)
{
    size_t length = store_result_length(rows, 0, column);
    sealed->length = length < STORE_TOTP_SEALED_MAX ? length : STORE_TOTP_SEALED_MAX;
    if (sealed->length)
        memcpy(sealed->bytes, store_result_text(rows, 0, column), sealed->length);
}

int store_totp_factor_load(store_conn *conn, long long user_id, store_totp_factor *factor, alvd_err *err)
{
    store_result *rows = NULL;
    memset(factor, 0, sizeof *factor);
    factor->last_step = -1;
    if (store_query(conn, err, &rows,
                    "SELECT totp_secret, totp_last_step, totp_enabled_at IS NOT NULL FROM users WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(user_id))) != 0)
        return -1;
    factor->enrolled = store_result_rows(rows) == 1 && store_result_int(rows, 0, 2) != 0 &&
                       !store_result_is_null(rows, 0, 0);
    if (factor->enrolled) {
        store_totp_sealed_read(rows, 0, &factor->secret);
        if (!store_result_is_null(rows, 0, 1))
            factor->last_step = store_result_int(rows, 0, 1);
    }
    store_result_free(rows);
    return 0;
}

int store_totp_step_advance(store_conn *conn, long long user_id, long long step, int *advanced, alvd_err *err)
{
    long long affected = 0;
    if (store_execute(conn, err, &affected,
                      "UPDATE users SET totp_last_step = ? WHERE id = ?"
                      " AND (totp_last_step IS NULL OR totp_last_step < ?)",
                      STORE_PARAMS(STORE_INT_PARAM(step), STORE_INT_PARAM(user_id), STORE_INT_PARAM(step))) != 0)
        return -1;
    *advanced = affected == 1;
    return 0;
}

int store_totp_recovery_find(store_conn *conn, long long user_id, const unsigned char hash[STORE_TOTP_HASH_BYTES],
                             long long *id, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT id FROM user_recovery_codes WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
                    STORE_PARAMS(STORE_INT_PARAM(user_id), STORE_BLOB_PARAM(hash, STORE_TOTP_HASH_BYTES))) != 0)
        return -1;
    *id = store_result_rows(rows) == 1 ? store_result_int(rows, 0, 0) : 0;
    store_result_free(rows);
    return 0;
}

int store_totp_recovery_spend(store_conn *conn, long long recovery_id, int *spent, alvd_err *err)
{
    long long affected = 0;
    if (store_execute(conn, err, &affected,
                      "UPDATE user_recovery_codes SET used_at = UTC_TIMESTAMP(6) WHERE id = ? AND used_at IS NULL",
                      STORE_PARAMS(STORE_INT_PARAM(recovery_id))) != 0)
        return -1;
    *spent = affected == 1;
    return 0;
}

static int store_totp_recovery_delete(store_conn *conn, long long user_id, alvd_err *err)
{
    return store_execute(conn, err, NULL, "DELETE FROM user_recovery_codes WHERE user_id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(user_id)));
}

int store_totp_recovery_replace(store_conn *conn, long long user_id, const unsigned char (*hashes)[STORE_TOTP_HASH_BYTES],
                                size_t count, alvd_err *err)
{
    if (store_totp_recovery_delete(conn, user_id, err) != 0)
        return -1;
    for (size_t i = 0; i < count; i++)
        if (store_execute(conn, err, NULL,
                          "INSERT INTO user_recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, UTC_TIMESTAMP(6))",
                          STORE_PARAMS(STORE_INT_PARAM(user_id), STORE_BLOB_PARAM(hashes[i], STORE_TOTP_HASH_BYTES))) != 0)
            return -1;
    return 0;
}

int store_totp_status_read(store_conn *conn, long long user_id, int *enrolled, long long *recovery_codes_left,
                           alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT totp_enabled_at IS NOT NULL,"
                    " (SELECT COUNT(*) FROM user_recovery_codes c WHERE c.user_id = u.id AND c.used_at IS NULL)"
                    " FROM users u WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(user_id))) != 0)
        return -1;
    *enrolled = store_result_rows(rows) == 1 && store_result_int(rows, 0, 0) != 0;
    *recovery_codes_left = store_result_rows(rows) == 1 ? store_result_int(rows, 0, 1) : 0;
    store_result_free(rows);
    return 0;
}

int store_totp_pending_set(store_conn *conn, long long user_id, const unsigned char *sealed, size_t length,
                           alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE users SET totp_pending_secret = ? WHERE id = ?",
                         STORE_PARAMS(STORE_BLOB_PARAM(sealed, length), STORE_INT_PARAM(user_id)));
}

int store_totp_pending_load(store_conn *conn, long long user_id, store_totp_sealed *pending, int *found,
                            alvd_err *err)
{
    store_result *rows = NULL;
    memset(pending, 0, sizeof *pending);
    if (store_query(conn, err, &rows, "SELECT totp_pending_secret FROM users WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(user_id))) != 0)
        return -1;
    *found = store_result_rows(rows) == 1 && !store_result_is_null(rows, 0, 0);
    if (*found)
        store_totp_sealed_read(rows, 0, pending);
    store_result_free(rows);
    return 0;
}

int store_totp_enable(store_conn *conn, long long user_id, const unsigned char *sealed, size_t length,
                      long long step, const store_totp_sealed *pending, int *enabled, alvd_err *err)
{
    long long affected = 0;
    if (store_execute(conn, err, &affected,
                      "UPDATE users SET totp_secret = ?, totp_pending_secret = NULL,"
                      " totp_enabled_at = UTC_TIMESTAMP(6), totp_last_step = ?"
                      " WHERE id = ? AND totp_pending_secret = ?",
                      STORE_PARAMS(STORE_BLOB_PARAM(sealed, length), STORE_INT_PARAM(step),
                                   STORE_INT_PARAM(user_id), STORE_BLOB_PARAM(pending->bytes, pending->length))) != 0)
        return -1;
    *enabled = affected == 1;
    return 0;
}

int store_totp_set(store_conn *conn, long long user_id, const unsigned char *sealed, size_t length, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE users SET totp_secret = ?, totp_pending_secret = NULL,"
                         " totp_enabled_at = COALESCE(totp_enabled_at, UTC_TIMESTAMP(6)) WHERE id = ?",
                         STORE_PARAMS(STORE_BLOB_PARAM(sealed, length), STORE_INT_PARAM(user_id)));
}

int store_totp_clear(store_conn *conn, long long user_id, alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, totp_enabled_at = NULL,"
                      " totp_last_step = NULL WHERE id = ?",
                      STORE_PARAMS(STORE_INT_PARAM(user_id))) != 0)
        return -1;
    return store_totp_recovery_delete(conn, user_id, err);
}
