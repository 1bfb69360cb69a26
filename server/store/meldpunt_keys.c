/* The meldpunt's key rows in MariaDB: officers (their public key and the meldpunt secret
 * sealed to it) and the per-session unlocks; every statement on those tables. */
#include "alvd/store/meldpunt_keys.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_meldpunt_keys_delete_ended_unlocks(store_conn *conn, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "DELETE u FROM meldpunt_unlocks u JOIN sessions s ON s.id = u.session_id"
                         " WHERE s.revoked_at IS NOT NULL OR s.expires_at < UTC_TIMESTAMP(6)",
                         STORE_NO_PARAMS);
}

int store_meldpunt_keys_officer_emails(store_conn *conn, store_meldpunt_texts *emails, alvd_err *err)
{
    return store_meldpunt_texts_query(conn,
                                      "SELECT email FROM users WHERE FIND_IN_SET('meldpunt', roles)"
                                      " AND disabled_at IS NULL",
                                      STORE_NO_PARAMS, emails, err);
}

int store_meldpunt_keys_officer_load(store_conn *conn, long long user_id, store_meldpunt_officer *officer,
                                     alvd_err *err)
{
    store_result *rows = NULL;
    memset(officer, 0, sizeof *officer);
    if (store_query(conn, err, &rows, "SELECT public_key, wrapped_secret FROM meldpunt_officers WHERE user_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(user_id))) != 0)
        return -1;
    if (store_result_rows(rows) == 1 && store_result_length(rows, 0, 0) == SEAL_PUBLIC_KEY_BYTES) {
        officer->present = 1;
        memcpy(officer->public_key, store_result_text(rows, 0, 0), SEAL_PUBLIC_KEY_BYTES);
        if (store_result_length(rows, 0, 1) == STORE_MELDPUNT_WRAPPED_SECRET_BYTES) {
            officer->granted = 1;
            memcpy(officer->wrapped, store_result_text(rows, 0, 1), STORE_MELDPUNT_WRAPPED_SECRET_BYTES);
        }
    }
    store_result_free(rows);
    return 0;
}

int store_meldpunt_keys_officer_insert(store_conn *conn, long long user_id,
                                       const unsigned char public_key[SEAL_PUBLIC_KEY_BYTES],
                                       const unsigned char *wrapped, long long granted_by, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "INSERT INTO meldpunt_officers (user_id, public_key, wrapped_secret, granted_by, granted_at,"
                         " created_at) VALUES (?, ?, ?, ?, IF(? IS NULL, NULL, UTC_TIMESTAMP(6)), UTC_TIMESTAMP(6))",
                         STORE_PARAMS(STORE_INT_PARAM(user_id), STORE_BLOB_PARAM(public_key, SEAL_PUBLIC_KEY_BYTES),
                                      wrapped ? STORE_BLOB_PARAM(wrapped, STORE_MELDPUNT_WRAPPED_SECRET_BYTES)
                                              : STORE_NULL_PARAM,
                                      wrapped ? STORE_INT_PARAM(granted_by) : STORE_NULL_PARAM,
                                      wrapped ? STORE_INT_PARAM(granted_by) : STORE_NULL_PARAM));
}

int store_meldpunt_keys_officer_delete(store_conn *conn, long long user_id, alvd_err *err)
{
    return store_execute(conn, err, NULL, "DELETE FROM meldpunt_officers WHERE user_id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(user_id)));
}

int store_meldpunt_keys_officer_grant(store_conn *conn, long long user_id,
                                      const unsigned char public_key[SEAL_PUBLIC_KEY_BYTES],
                                      const unsigned char wrapped[STORE_MELDPUNT_WRAPPED_SECRET_BYTES],
                                      long long granted_by, long long *affected, alvd_err *err)
{
    return store_execute(conn, err, affected,
                         "UPDATE meldpunt_officers SET wrapped_secret = ?, granted_by = ?, granted_at = UTC_TIMESTAMP(6)"
                         " WHERE user_id = ? AND public_key = ? AND wrapped_secret IS NULL",
                         STORE_PARAMS(STORE_BLOB_PARAM(wrapped, STORE_MELDPUNT_WRAPPED_SECRET_BYTES),
                                      STORE_INT_PARAM(granted_by), STORE_INT_PARAM(user_id),
                                      STORE_BLOB_PARAM(public_key, SEAL_PUBLIC_KEY_BYTES)));
}

int store_meldpunt_keys_officers_lock(store_conn *conn, alvd_err *err)
{
    store_result *rows = NULL;
    int rc = store_query(conn, err, &rows, "SELECT user_id FROM meldpunt_officers FOR UPDATE", STORE_NO_PARAMS);
    store_result_free(rows);
    return rc;
}

int store_meldpunt_keys_active_officers(store_conn *conn, long long *count, alvd_err *err)
{
    return store_query_integer(conn, err, count, 0,
                               "SELECT COUNT(*) FROM meldpunt_officers o JOIN users u ON u.id = o.user_id"
                               " WHERE o.wrapped_secret IS NOT NULL AND FIND_IN_SET('meldpunt', u.roles) > 0"
                               " AND u.disabled_at IS NULL",
                               STORE_NO_PARAMS);
}

int store_meldpunt_keys_sealed_counts(store_conn *conn, long long *granted_officers, long long *sealed_reports,
                                      alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT (SELECT COUNT(*) FROM meldpunt_officers WHERE wrapped_secret IS NOT NULL),"
                    " (SELECT COUNT(*) FROM meldpunt_reports WHERE wrapped_key IS NOT NULL)",
                    STORE_NO_PARAMS) != 0)
        return -1;
    *granted_officers = store_result_int(rows, 0, 0);
    *sealed_reports = store_result_int(rows, 0, 1);
    store_result_free(rows);
    return 0;
}

int store_meldpunt_keys_user_role(store_conn *conn, long long user_id, int *exists, int *officer_role,
                                  alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT FIND_IN_SET('meldpunt', roles) > 0 AND disabled_at IS NULL FROM users WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(user_id))) != 0)
        return -1;
    *exists = store_result_rows(rows) == 1;
    *officer_role = *exists && store_result_int(rows, 0, 0) != 0;
    store_result_free(rows);
    return 0;
}

void store_meldpunt_officer_rows_free(store_meldpunt_officer_rows *rows)
{
    for (size_t i = 0; i < rows->count; i++) {
        free(rows->items[i].name);
        free(rows->items[i].email);
        free(rows->items[i].granted_by);
    }
    free(rows->items);
    rows->items = NULL;
    rows->count = 0;
}

static char *keys_strdup_or_null(const char *text)
{
    return text ? strdup(text) : NULL;
}

int store_meldpunt_keys_officers_list(store_conn *conn, store_meldpunt_officer_rows *list, alvd_err *err)
{
    store_result *rows = NULL;
    list->items = NULL;
    list->count = 0;
    if (store_query(conn, err, &rows,
                    "SELECT u.id, u.name, u.email, FIND_IN_SET('meldpunt', u.roles) > 0 AND u.disabled_at IS NULL,"
                    " o.user_id IS NOT NULL, o.wrapped_secret IS NOT NULL, g.name, o.granted_at"
                    " FROM users u LEFT JOIN meldpunt_officers o ON o.user_id = u.id"
                    " LEFT JOIN users g ON g.id = o.granted_by"
                    " WHERE FIND_IN_SET('meldpunt', u.roles) > 0 OR o.user_id IS NOT NULL ORDER BY u.name, u.id",
                    STORE_NO_PARAMS) != 0)
        return -1;
    size_t found = store_result_rows(rows);
    if (found && (list->items = calloc(found, sizeof *list->items)) == NULL) {
        store_result_free(rows);
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    }
    for (size_t r = 0; r < found; r++) {
        store_meldpunt_officer_row *row = &list->items[r];
        row->user_id = store_result_int(rows, r, 0);
        row->name = keys_strdup_or_null(store_result_text(rows, r, 1));
        row->email = keys_strdup_or_null(store_result_text(rows, r, 2));
        row->role = store_result_int(rows, r, 3) != 0;
        row->present = store_result_int(rows, r, 4) != 0;
        row->granted = store_result_int(rows, r, 5) != 0;
        row->granted_by = keys_strdup_or_null(store_result_text(rows, r, 6));
        const char *granted_at = store_result_text(rows, r, 7);
        snprintf(row->granted_on, sizeof row->granted_on, "%.10s", granted_at ? granted_at : "");
        list->count++;
    }
    store_result_free(rows);
    return 0;
}

int store_meldpunt_keys_unlock_load(store_conn *conn, long long session_id, unsigned char **sealed, size_t *length,
                                    alvd_err *err)
{
    store_result *rows = NULL;
    *sealed = NULL;
    *length = 0;
    if (store_query(conn, err, &rows, "SELECT sealed_secret FROM meldpunt_unlocks WHERE session_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(session_id))) != 0)
        return -1;
    int rc = store_result_rows(rows) == 1 ? store_meldpunt_blob_copy(rows, 0, 0, sealed, length, err) : 0;
    store_result_free(rows);
    return rc;
}

int store_meldpunt_keys_unlock_save(store_conn *conn, long long session_id, const unsigned char *sealed,
                                    size_t length, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "REPLACE INTO meldpunt_unlocks (session_id, sealed_secret, created_at)"
                         " VALUES (?, ?, UTC_TIMESTAMP(6))",
                         STORE_PARAMS(STORE_INT_PARAM(session_id), STORE_BLOB_PARAM(sealed, length)));
}

int store_meldpunt_keys_unlock_delete(store_conn *conn, long long session_id, alvd_err *err)
{
    return store_execute(conn, err, NULL, "DELETE FROM meldpunt_unlocks WHERE session_id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(session_id)));
}

int store_meldpunt_keys_unlocks_delete_of_user(store_conn *conn, long long user_id, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "DELETE u FROM meldpunt_unlocks u JOIN sessions s ON s.id = u.session_id WHERE s.user_id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(user_id)));
}
