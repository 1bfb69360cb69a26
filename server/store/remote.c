/* Remote participation's SQL: one-time codes and the heartbeat rows of members' pages,
 * all timed on the database's clock, which every alvd process shares. */
#include "alvd/store/remote.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "Now" for codes and heartbeats: the database's clock shifted by the test clock's
 * offset (ALVD_TEST_NOW; 0 in production), so tests move time forward by starting a
 * process with a later clock instead of waiting. */
#define REMOTE_NOW "(UTC_TIMESTAMP(6) + INTERVAL ? SECOND)"

int store_remote_silent(store_conn *conn, long long meeting_id, long long clock_offset, remote_member_ref **items,
                        size_t *count, alvd_err *err)
{
    store_result *rows = NULL;
    *items = NULL;
    *count = 0;
    if (store_query(conn, err, &rows,
                    "SELECT p.meeting_id, p.organisation_id FROM remote_presence p JOIN meetings m ON m.id = p.meeting_id"
                    " WHERE (? = 0 OR p.meeting_id = ?) AND m.state <> 'closed' AND p.disconnected_at IS NULL"
                    " AND p.last_seen < " REMOTE_NOW " - INTERVAL m.remote_disconnect_seconds SECOND"
                    " ORDER BY p.meeting_id, p.organisation_id LIMIT 500",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(meeting_id),
                                 STORE_INT_PARAM(clock_offset))) != 0)
        return -1;
    size_t n = store_result_rows(rows);
    *items = store_result_array(rows, sizeof **items, err);
    if (*items == NULL) {
        store_result_free(rows);
        return -1;
    }
    for (size_t r = 0; r < n; r++) {
        (*items)[r].meeting_id = store_result_int(rows, r, 0);
        (*items)[r].organisation_id = store_result_int(rows, r, 1);
    }
    store_result_free(rows);
    *count = n;
    return 0;
}

int store_remote_silent_member(store_conn *conn, long long meeting_id, long long organisation_id,
                               long long clock_offset, remote_silence *out, int *found, alvd_err *err)
{
    store_result *rows = NULL;
    memset(out, 0, sizeof *out);
    *found = 0;
    if (store_query(conn, err, &rows,
                    "SELECT DATE_FORMAT(p.last_seen, '%Y-%m-%dT%H:%i:%sZ'), m.remote_disconnect_seconds"
                    " FROM remote_presence p JOIN meetings m ON m.id = p.meeting_id"
                    " WHERE p.meeting_id = ? AND p.organisation_id = ? AND p.disconnected_at IS NULL"
                    " AND p.last_seen < " REMOTE_NOW " - INTERVAL m.remote_disconnect_seconds SECOND",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(organisation_id),
                                 STORE_INT_PARAM(clock_offset))) != 0)
        return -1;
    if (store_result_rows(rows) == 1) {
        *found = 1;
        snprintf(out->last_seen, sizeof out->last_seen, "%s", store_result_text(rows, 0, 0));
        out->after_seconds = store_result_int(rows, 0, 1);
    }
    store_result_free(rows);
    return 0;
}

int store_remote_presence_disconnect(store_conn *conn, long long meeting_id, long long organisation_id,
                                     long long clock_offset, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE remote_presence SET disconnected_at = " REMOTE_NOW
                         " WHERE meeting_id = ? AND organisation_id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(clock_offset), STORE_INT_PARAM(meeting_id),
                                      STORE_INT_PARAM(organisation_id)));
}

int store_remote_presence_forget(store_conn *conn, long long meeting_id, long long organisation_id, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "DELETE FROM remote_presence WHERE meeting_id = ? AND (? = 0 OR organisation_id = ?)",
                         STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(organisation_id),
                                      STORE_INT_PARAM(organisation_id)));
}

int store_remote_presence_join(store_conn *conn, long long meeting_id, long long organisation_id,
                               long long session_id, long long clock_offset, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "INSERT INTO remote_presence (meeting_id, organisation_id, session_id, joined_at, last_seen)"
                         " VALUES (?, ?, ?, " REMOTE_NOW ", " REMOTE_NOW ") ON DUPLICATE KEY UPDATE"
                         " session_id = VALUES(session_id), joined_at = VALUES(joined_at), last_seen = VALUES(last_seen),"
                         " disconnected_at = NULL",
                         STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(organisation_id),
                                      STORE_INT_PARAM(session_id), STORE_INT_PARAM(clock_offset),
                                      STORE_INT_PARAM(clock_offset)));
}

int store_remote_presence_state(store_conn *conn, long long meeting_id, long long organisation_id,
                                long long session_id, int *ours, int *disconnected, alvd_err *err)
{
    store_result *rows = NULL;
    *ours = *disconnected = 0;
    if (store_query(conn, err, &rows,
                    "SELECT disconnected_at IS NOT NULL FROM remote_presence"
                    " WHERE meeting_id = ? AND organisation_id = ? AND session_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(organisation_id),
                                 STORE_INT_PARAM(session_id))) != 0)
        return -1;
    *ours = store_result_rows(rows) == 1;
    *disconnected = *ours && store_result_int(rows, 0, 0);
    store_result_free(rows);
    return 0;
}

int store_remote_presence_touch(store_conn *conn, long long meeting_id, long long organisation_id,
                                long long clock_offset, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE remote_presence SET last_seen = " REMOTE_NOW ", disconnected_at = NULL"
                         " WHERE meeting_id = ? AND organisation_id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(clock_offset), STORE_INT_PARAM(meeting_id),
                                      STORE_INT_PARAM(organisation_id)));
}

int store_remote_address(store_conn *conn, long long organisation_id, remote_address *out, int *found,
                         alvd_err *err)
{
    store_result *rows = NULL;
    memset(out, 0, sizeof *out);
    *found = 0;
    if (store_query(conn, err, &rows, "SELECT name, email FROM organisations WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(organisation_id))) != 0)
        return -1;
    if (store_result_rows(rows) == 1) {
        *found = 1;
        snprintf(out->name, sizeof out->name, "%s", store_result_text(rows, 0, 0));
        out->has_email = !store_result_is_null(rows, 0, 1) && *store_result_text(rows, 0, 1);
        snprintf(out->email, sizeof out->email, "%s", out->has_email ? store_result_text(rows, 0, 1) : "");
    }
    store_result_free(rows);
    return 0;
}

int store_remote_code_insert(store_conn *conn, long long meeting_id, long long organisation_id,
                             const unsigned char hash[32], const char *sent_to, long long clock_offset,
                             long long valid_seconds, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "INSERT INTO remote_codes (meeting_id, organisation_id, code_hash, sent_to, created_at, expires_at)"
                         " VALUES (?, ?, ?, ?, " REMOTE_NOW ", " REMOTE_NOW " + INTERVAL ? SECOND)",
                         STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(organisation_id),
                                      STORE_BLOB_PARAM(hash, 32), STORE_TEXT_PARAM(sent_to),
                                      STORE_INT_PARAM(clock_offset), STORE_INT_PARAM(clock_offset),
                                      STORE_INT_PARAM(valid_seconds)));
}

int store_remote_code_find(store_conn *conn, long long meeting_id, long long organisation_id,
                           const unsigned char hash[32], long long clock_offset, remote_code_row *out, int *found,
                           alvd_err *err)
{
    store_result *rows = NULL;
    memset(out, 0, sizeof *out);
    *found = 0;
    if (store_query(conn, err, &rows,
                    "SELECT id, used_at IS NOT NULL, expires_at <= " REMOTE_NOW " FROM remote_codes"
                    " WHERE meeting_id = ? AND organisation_id = ? AND code_hash = ? ORDER BY id DESC LIMIT 1 FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(clock_offset), STORE_INT_PARAM(meeting_id),
                                 STORE_INT_PARAM(organisation_id), STORE_BLOB_PARAM(hash, 32))) != 0)
        return -1;
    if (store_result_rows(rows) == 1) {
        *found = 1;
        out->id = store_result_int(rows, 0, 0);
        out->used = (int)store_result_int(rows, 0, 1);
        out->expired = (int)store_result_int(rows, 0, 2);
    }
    store_result_free(rows);
    return 0;
}

int store_remote_code_use(store_conn *conn, long long code_id, long long session_id, long long clock_offset,
                          alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE remote_codes SET used_at = " REMOTE_NOW ", session_id = ? WHERE id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(clock_offset), STORE_INT_PARAM(session_id),
                                      STORE_INT_PARAM(code_id)));
}
