/* Sessions live in MariaDB (hashed tokens, idle and absolute expiry by the database
 * clock), so any alvd process can serve any request. */
#include "alvd/store/sessions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/base/buf.h"

#define STORE_TEXT_OF(x) #x
#define STORE_TEXT(x) STORE_TEXT_OF(x)

/* The session columns both lookups read. */
#define STORE_SESSION_COLUMNS                                                                     \
    "SELECT s.id, s.kind, s.csrf, s.user_id, s.organisation_id, s.meeting_id, s.contact_id,"     \
    " u.name, u.email, u.roles, s.last_seen_at < UTC_TIMESTAMP(6) - INTERVAL 60 SECOND,"        \
    " s.token_hash, s.second_factor FROM sessions s LEFT JOIN users u ON u.id = s.user_id"
/* Expiry is decided by the database clock, the same for every alvd process. */
#define STORE_SESSION_VALID                                                                       \
    " AND s.revoked_at IS NULL AND s.expires_at > UTC_TIMESTAMP(6)"                              \
    " AND s.last_seen_at > UTC_TIMESTAMP(6) - INTERVAL " STORE_TEXT(STORE_SESSION_IDLE_SECONDS) " SECOND"        \
    " AND (s.kind <> 'user' OR u.disabled_at IS NULL)"

static void store_sessions_copy(char *out, size_t size, const char *text)
{
    snprintf(out, size, "%s", text ? text : "");
}

static void store_sessions_row_read(const store_result *rows, size_t r, store_session_row *row)
{
    memset(row, 0, sizeof *row);
    row->id = store_result_int(rows, r, 0);
    store_sessions_copy(row->kind, sizeof row->kind, store_result_text(rows, r, 1));
    store_sessions_copy(row->csrf, sizeof row->csrf, store_result_text(rows, r, 2));
    row->user_id = store_result_int(rows, r, 3);
    row->organisation_id = store_result_int(rows, r, 4);
    row->meeting_id = store_result_int(rows, r, 5);
    row->contact_id = store_result_int(rows, r, 6);
    store_sessions_copy(row->user_name, sizeof row->user_name, store_result_text(rows, r, 7));
    store_sessions_copy(row->user_email, sizeof row->user_email, store_result_text(rows, r, 8));
    store_sessions_copy(row->user_roles, sizeof row->user_roles, store_result_text(rows, r, 9));
    row->stale = store_result_int(rows, r, 10) != 0;
    if (store_result_length(rows, r, 11) == TOKEN_HASH_BYTES)
        memcpy(row->token_hash, store_result_text(rows, r, 11), TOKEN_HASH_BYTES);
    store_sessions_copy(row->second_factor, sizeof row->second_factor, store_result_text(rows, r, 12));
}

int store_sessions_find(store_conn *conn, const unsigned char hash[TOKEN_HASH_BYTES], store_session_row *row,
                        int *found, alvd_err *err)
{
    store_result *rows = NULL;
    *found = 0;
    if (store_query(conn, err, &rows, STORE_SESSION_COLUMNS " WHERE s.token_hash = ?" STORE_SESSION_VALID,
                    STORE_PARAMS(STORE_BLOB_PARAM(hash, TOKEN_HASH_BYTES))) != 0)
        return -1;
    if (store_result_rows(rows) == 1) {
        store_sessions_row_read(rows, 0, row);
        *found = 1;
    }
    store_result_free(rows);
    return 0;
}

int store_sessions_find_many(store_conn *conn, const unsigned char (*hashes)[TOKEN_HASH_BYTES], size_t count,
                             store_session_row **rows_out, size_t *row_count, alvd_err *err)
{
    store_param *params = calloc(STORE_CHUNK_MAX, sizeof *params);
    store_session_row *found = calloc(count ? count : 1, sizeof *found);
    store_result *rows = NULL;
    alvd_buf sql;
    int rc = -1;
    *rows_out = NULL;
    *row_count = 0;
    buf_init(&sql, 16 * 1024);
    if (params == NULL || found == NULL) {
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        goto done;
    }
    for (size_t done = 0; done < count;) {
        size_t chunk = store_chunk_size(count - done);
        sql.length = 0;
        buf_append_str(&sql, STORE_SESSION_COLUMNS " WHERE s.token_hash IN (");
        store_append_repeated(&sql, "?", chunk);
        buf_append_str(&sql, ")" STORE_SESSION_VALID);
        for (size_t k = 0; k < chunk; k++)
            params[k] = STORE_BLOB_PARAM(hashes[done + k], TOKEN_HASH_BYTES);
        if (sql.overflowed || store_query(conn, err, &rows, sql.data, params, chunk) != 0)
            goto done;
        /* A token hash is unique, so a chunk answers at most chunk rows. */
        for (size_t r = 0; r < store_result_rows(rows) && *row_count < count; r++)
            if (store_result_length(rows, r, 11) == TOKEN_HASH_BYTES)
                store_sessions_row_read(rows, r, &found[(*row_count)++]);
        store_result_free(rows);
        rows = NULL;
        done += chunk;
    }
    *rows_out = found;
    found = NULL;
    rc = 0;
done:
    store_result_free(rows);
    buf_free(&sql);
    free(params);
    free(found);
    return rc;
}

int store_sessions_touch(store_conn *conn, const long long *ids, size_t count, alvd_err *err)
{
    store_param params[STORE_CHUNK_MAX];
    alvd_buf sql;
    int rc = 0;
    buf_init(&sql, 4 * 1024);
    for (size_t touched = 0; touched < count && rc == 0;) {
        size_t chunk = store_chunk_size(count - touched);
        sql.length = 0;
        buf_append_str(&sql, "UPDATE sessions SET last_seen_at = UTC_TIMESTAMP(6) WHERE id IN (");
        store_append_repeated(&sql, "?", chunk);
        buf_append_str(&sql, ")");
        for (size_t k = 0; k < chunk; k++)
            params[k] = STORE_INT_PARAM(ids[touched + k]);
        if (sql.overflowed || store_execute(conn, err, NULL, sql.data, params, chunk) != 0)
            rc = -1;
        touched += chunk;
    }
    buf_free(&sql);
    return rc;
}

int store_sessions_insert(store_conn *conn, const store_session_new *session, alvd_err *err)
{
#define STORE_OPTIONAL_ID(value) ((value) ? STORE_INT_PARAM(value) : STORE_NULL_PARAM)
    return store_execute(conn, err, NULL,
                         "INSERT INTO sessions (token_hash, csrf, kind, user_id, organisation_id,"
                         " meeting_id, contact_id, second_factor, created_at, last_seen_at, expires_at)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6),"
                         " UTC_TIMESTAMP(6) + INTERVAL ? SECOND)",
                         STORE_PARAMS(STORE_BLOB_PARAM(session->token_hash, TOKEN_HASH_BYTES),
                                      STORE_TEXT_PARAM(session->csrf), STORE_TEXT_PARAM(session->kind),
                                      STORE_OPTIONAL_ID(session->user_id),
                                      STORE_OPTIONAL_ID(session->organisation_id),
                                      STORE_OPTIONAL_ID(session->meeting_id),
                                      STORE_OPTIONAL_ID(session->contact_id),
                                      STORE_TEXT_PARAM(session->second_factor ? session->second_factor : "password"),
                                      STORE_INT_PARAM(session->lifetime_seconds)));
#undef STORE_OPTIONAL_ID
}

int store_sessions_revoke(store_conn *conn, long long session_id, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE sessions SET revoked_at = UTC_TIMESTAMP(6)"
                         " WHERE id = ? AND revoked_at IS NULL",
                         STORE_PARAMS(STORE_INT_PARAM(session_id)));
}

int store_sessions_revoke_user(store_conn *conn, long long user_id, long long except_session_id, long long *ended,
                               alvd_err *err)
{
    return store_execute(conn, err, ended,
                         "UPDATE sessions SET revoked_at = UTC_TIMESTAMP(6)"
                         " WHERE user_id = ? AND id <> ? AND revoked_at IS NULL",
                         STORE_PARAMS(STORE_INT_PARAM(user_id), STORE_INT_PARAM(except_session_id)));
}

int store_sessions_set_second_factor(store_conn *conn, long long session_id, const char *second_factor,
                                     alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE sessions SET second_factor = ? WHERE id = ?",
                         STORE_PARAMS(STORE_TEXT_PARAM(second_factor), STORE_INT_PARAM(session_id)));
}

