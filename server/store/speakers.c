/* The speaker list's SQL: requests for the floor, turns, withdrawals and the list rows,
 * with the speaking time counted on the database's clock. */
#include "alvd/store/speakers.h"

#include <stdio.h>
#include <string.h>

#define SPEAKERS_COLUMNS                                                                                           \
    "SELECT s.id, s.organisation_id, o.name, s.channel, s.state, s.agenda_position, s.requested_at,"               \
    " s.started_at, s.finished_at,"                                                                                \
    " CASE WHEN s.started_at IS NULL THEN NULL"                                                                    \
    " ELSE TIMESTAMPDIFF(SECOND, s.started_at, COALESCE(s.finished_at, UTC_TIMESTAMP(6))) END AS speaking_seconds" \
    " FROM speakers s JOIN organisations o ON o.id = s.organisation_id"

int store_speakers_open_request(store_conn *conn, long long meeting_id, long long organisation_id,
                                speakers_open *out, int *found, alvd_err *err)
{
    store_result *rows = NULL;
    memset(out, 0, sizeof *out);
    *found = 0;
    if (store_query(conn, err, &rows,
                    "SELECT id, state FROM speakers WHERE meeting_id = ? AND organisation_id = ?"
                    " AND state IN ('waiting', 'speaking') LIMIT 1",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(organisation_id))) != 0)
        return -1;
    if (store_result_rows(rows) == 1) {
        *found = 1;
        out->id = store_result_int(rows, 0, 0);
        out->speaking = strcmp(store_result_text(rows, 0, 1), "speaking") == 0;
    }
    store_result_free(rows);
    return 0;
}

int store_speakers_current_item(store_conn *conn, long long meeting_id, int *has, long long *item, alvd_err *err)
{
    store_result *rows = NULL;
    *has = 0;
    *item = 0;
    if (store_query(conn, err, &rows, "SELECT current_item FROM meetings WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    if (store_result_rows(rows) == 1 && !store_result_is_null(rows, 0, 0)) {
        *item = store_result_int(rows, 0, 0);
        *has = 1;
    }
    store_result_free(rows);
    return 0;
}

int store_speakers_insert(store_conn *conn, long long meeting_id, long long organisation_id, const char *channel,
                          int has_item, long long item, long long *id, alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO speakers (meeting_id, organisation_id, channel, agenda_position, state, requested_at)"
                      " VALUES (?, ?, ?, ?, 'waiting', UTC_TIMESTAMP(6))",
                      STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(organisation_id),
                                   STORE_TEXT_PARAM(channel), has_item ? STORE_INT_PARAM(item) : STORE_NULL_PARAM)) != 0)
        return -1;
    *id = store_last_insert_id(conn);
    return 0;
}

int store_speakers_position(store_conn *conn, long long meeting_id, long long id, long long *position, alvd_err *err)
{
    return store_query_integer(conn, err, position, 0,
                               "SELECT COUNT(*) FROM speakers WHERE meeting_id = ? AND state = 'waiting' AND id <= ?",
                               STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(id)));
}

int store_speakers_load_locked(store_conn *conn, long long id, speakers_row *out, int *found, alvd_err *err)
{
    store_result *rows = NULL;
    memset(out, 0, sizeof *out);
    *found = 0;
    if (store_query(conn, err, &rows, "SELECT meeting_id, organisation_id, state FROM speakers WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    if (store_result_rows(rows) == 1) {
        *found = 1;
        out->meeting_id = store_result_int(rows, 0, 0);
        out->organisation_id = store_result_int(rows, 0, 1);
        snprintf(out->state, sizeof out->state, "%s", store_result_text(rows, 0, 2));
    }
    store_result_free(rows);
    return 0;
}

int store_speakers_end_current(store_conn *conn, long long meeting_id, long long *ended, alvd_err *err)
{
    store_result *rows = NULL;
    *ended = 0;
    if (store_query(conn, err, &rows, "SELECT id FROM speakers WHERE meeting_id = ? AND state = 'speaking' FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    for (size_t r = 0; r < store_result_rows(rows); r++)
        *ended = store_result_int(rows, r, 0);
    store_result_free(rows);
    return store_execute(conn, err, NULL,
                         "UPDATE speakers SET state = 'done', finished_at = UTC_TIMESTAMP(6)"
                         " WHERE meeting_id = ? AND state = 'speaking'",
                         STORE_PARAMS(STORE_INT_PARAM(meeting_id)));
}

int store_speakers_start(store_conn *conn, long long id, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE speakers SET state = 'speaking', started_at = UTC_TIMESTAMP(6) WHERE id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(id)));
}

int store_speakers_finish(store_conn *conn, long long id, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE speakers SET state = 'done', finished_at = UTC_TIMESTAMP(6) WHERE id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(id)));
}

int store_speakers_withdraw(store_conn *conn, long long id, const char *by, alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE speakers SET state = 'withdrawn', withdrawn_by = ? WHERE id = ?",
                         STORE_PARAMS(STORE_TEXT_PARAM(by), STORE_INT_PARAM(id)));
}

int store_speakers_list(store_conn *conn, long long meeting_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       SPEAKERS_COLUMNS " WHERE s.meeting_id = ? AND s.state <> 'withdrawn'"
                                        " ORDER BY FIELD(s.state, 'done', 'speaking', 'waiting'), s.started_at, s.id",
                       STORE_PARAMS(STORE_INT_PARAM(meeting_id)));
}

int store_speakers_item(store_conn *conn, long long id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows, SPEAKERS_COLUMNS " WHERE s.id = ?", STORE_PARAMS(STORE_INT_PARAM(id)));
}

int store_speakers_turns(store_conn *conn, long long meeting_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       SPEAKERS_COLUMNS " WHERE s.meeting_id = ? AND s.started_at IS NOT NULL ORDER BY s.started_at, s.id",
                       STORE_PARAMS(STORE_INT_PARAM(meeting_id)));
}

int store_speakers_clock(store_conn *conn, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows, "SELECT UTC_TIMESTAMP(6) AS now", STORE_NO_PARAMS);
}
