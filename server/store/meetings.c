/* SQL of the meetings table and its members: load, insert, update, the state changes
 * of open and close, and the lists the API shows. */
#include "alvd/store/meetings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_meetings_load(store_conn *conn, long long meeting_id, meeting_info *out, alvd_err *err)
{
    store_result *rows = NULL;
    memset(out, 0, sizeof *out);
    if (store_query(conn, err, &rows,
                    "SELECT id, title, date, state, majority_rule, proxies_allowed, max_proxies,"
                    " electronic_participation, remote_deliberation, remote_disconnect_seconds,"
                    " COALESCE(stream_url, '') FROM meetings WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", NULL, "Vergadering niet gevonden.");
    }
    out->id = store_result_int(rows, 0, 0);
    snprintf(out->title, sizeof out->title, "%s", store_result_text(rows, 0, 1));
    snprintf(out->date, sizeof out->date, "%s", store_result_text(rows, 0, 2));
    snprintf(out->state, sizeof out->state, "%s", store_result_text(rows, 0, 3));
    snprintf(out->majority_rule, sizeof out->majority_rule, "%s", store_result_text(rows, 0, 4));
    out->proxies_allowed = (int)store_result_int(rows, 0, 5);
    out->max_proxies = (int)store_result_int(rows, 0, 6);
    out->electronic_participation = (int)store_result_int(rows, 0, 7);
    out->remote_deliberation = (int)store_result_int(rows, 0, 8);
    out->remote_disconnect_seconds = (int)store_result_int(rows, 0, 9);
    snprintf(out->stream_url, sizeof out->stream_url, "%s", store_result_text(rows, 0, 10));
    store_result_free(rows);
    return 0;
}

static const char *const meeting_columns =
    "SELECT id, title, date, starts_at, location, notice_days, majority_rule, proxies_allowed, max_proxies,"
    " state, current_item, convened_at, opened_at, closed_at, created_at, electronic_participation,"
    " remote_deliberation, stream_url, remote_disconnect_seconds, remote_conditions FROM meetings";

int store_meetings_get(store_conn *conn, long long meeting_id, store_result **rows, alvd_err *err)
{
    char sql[512];
    snprintf(sql, sizeof sql, "%s WHERE id = ?", meeting_columns);
    if (store_query(conn, err, rows, sql, STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    if (store_result_rows(*rows) != 1) {
        store_result_free(*rows);
        *rows = NULL;
        return alvd_err_set(err, 404, "not_found", NULL, "Vergadering niet gevonden.");
    }
    return 0;
}

int store_meetings_list(store_conn *conn, store_result **rows, alvd_err *err)
{
    char sql[512];
    snprintf(sql, sizeof sql, "%s ORDER BY date DESC, id DESC LIMIT 200", meeting_columns);
    return store_query(conn, err, rows, sql, STORE_NO_PARAMS);
}

int store_meetings_insert(store_conn *conn, const meeting_settings *settings, long long user_id,
                          long long *meeting_id, alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO meetings (title, date, starts_at, location, notice_days, majority_rule,"
                      " proxies_allowed, max_proxies, electronic_participation, remote_deliberation, stream_url,"
                      " remote_disconnect_seconds, remote_conditions, created_at, created_by)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6), ?)",
                      STORE_PARAMS(STORE_TEXT_PARAM(settings->title), STORE_TEXT_PARAM(settings->date),
                                   STORE_TEXT_PARAM(settings->starts_at), STORE_TEXT_PARAM(settings->location),
                                   STORE_INT_PARAM(settings->notice_days), STORE_TEXT_PARAM(settings->majority_rule),
                                   STORE_INT_PARAM(settings->proxies_allowed), STORE_INT_PARAM(settings->max_proxies),
                                   STORE_INT_PARAM(settings->electronic_participation),
                                   STORE_INT_PARAM(settings->remote_deliberation),
                                   STORE_TEXT_PARAM(settings->stream_url),
                                   STORE_INT_PARAM(settings->remote_disconnect_seconds),
                                   STORE_TEXT_PARAM(settings->remote_conditions), STORE_INT_PARAM(user_id))) != 0)
        return -1;
    *meeting_id = store_last_insert_id(conn);
    return 0;
}

int store_meetings_lock_record(store_conn *conn, long long meeting_id, meeting_record *out, alvd_err *err)
{
    store_result *rows = NULL;
    memset(out, 0, sizeof *out);
    if (store_query(conn, err, &rows,
                    "SELECT title, DATE_FORMAT(date, '%Y-%m-%d'), starts_at, location, majority_rule, notice_days,"
                    " max_proxies, proxies_allowed, state, convened_at, electronic_participation, remote_deliberation,"
                    " stream_url, remote_disconnect_seconds, remote_conditions FROM meetings WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", NULL, "Vergadering niet gevonden.");
    }
    out->rows = rows;
    out->settings = (meeting_settings){
        .title = store_result_text(rows, 0, 0), .date = store_result_text(rows, 0, 1),
        .starts_at = store_result_text(rows, 0, 2), .location = store_result_text(rows, 0, 3),
        .majority_rule = store_result_text(rows, 0, 4), .notice_days = store_result_int(rows, 0, 5),
        .max_proxies = store_result_int(rows, 0, 6), .proxies_allowed = (int)store_result_int(rows, 0, 7),
        .electronic_participation = (int)store_result_int(rows, 0, 10),
        .remote_deliberation = (int)store_result_int(rows, 0, 11), .stream_url = store_result_text(rows, 0, 12),
        .remote_disconnect_seconds = store_result_int(rows, 0, 13),
        .remote_conditions = store_result_text(rows, 0, 14)};
    out->state = store_result_text(rows, 0, 8);
    out->convened = !store_result_is_null(rows, 0, 9);
    return 0;
}

void store_meetings_record_free(meeting_record *record)
{
    store_result_free(record->rows);
    memset(record, 0, sizeof *record);
}

int store_meetings_update(store_conn *conn, long long meeting_id, const meeting_settings *settings, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE meetings SET title = ?, date = ?, starts_at = ?, location = ?, majority_rule = ?,"
                         " notice_days = ?, max_proxies = ?, proxies_allowed = ?, electronic_participation = ?,"
                         " remote_deliberation = ?, stream_url = ?, remote_disconnect_seconds = ?, remote_conditions = ?"
                         " WHERE id = ?",
                         STORE_PARAMS(STORE_TEXT_PARAM(settings->title), STORE_TEXT_PARAM(settings->date),
                                      STORE_TEXT_PARAM(settings->starts_at), STORE_TEXT_PARAM(settings->location),
                                      STORE_TEXT_PARAM(settings->majority_rule), STORE_INT_PARAM(settings->notice_days),
                                      STORE_INT_PARAM(settings->max_proxies),
                                      STORE_INT_PARAM(settings->proxies_allowed),
                                      STORE_INT_PARAM(settings->electronic_participation),
                                      STORE_INT_PARAM(settings->remote_deliberation),
                                      STORE_TEXT_PARAM(settings->stream_url),
                                      STORE_INT_PARAM(settings->remote_disconnect_seconds),
                                      STORE_TEXT_PARAM(settings->remote_conditions), STORE_INT_PARAM(meeting_id)));
}

int store_meetings_lock_state(store_conn *conn, long long meeting_id, char state[8], char date[11], alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT state, DATE_FORMAT(date, '%Y-%m-%d') FROM meetings WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", NULL, "Vergadering niet gevonden.");
    }
    snprintf(state, 8, "%s", store_result_text(rows, 0, 0));
    snprintf(date, 11, "%s", store_result_text(rows, 0, 1));
    store_result_free(rows);
    return 0;
}

int store_meetings_lock(store_conn *conn, long long meeting_id, int *found, alvd_err *err)
{
    long long id = 0;
    if (store_query_integer(conn, err, &id, 0, "SELECT id FROM meetings WHERE id = ? FOR UPDATE",
                            STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    if (found)
        *found = id != 0;
    return 0;
}

int store_meetings_open_polls(store_conn *conn, long long meeting_id, long long *count, alvd_err *err)
{
    return store_query_integer(conn, err, count, 0, "SELECT COUNT(*) FROM polls WHERE meeting_id = ? AND state = 'open'",
                               STORE_PARAMS(STORE_INT_PARAM(meeting_id)));
}

int store_meetings_end_floor(store_conn *conn, long long meeting_id, alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "UPDATE speakers SET state = 'done', finished_at = UTC_TIMESTAMP(6)"
                      " WHERE meeting_id = ? AND state = 'speaking'",
                      STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    return store_execute(conn, err, NULL,
                         "UPDATE speakers SET state = 'withdrawn', withdrawn_by = 'chair'"
                         " WHERE meeting_id = ? AND state = 'waiting'",
                         STORE_PARAMS(STORE_INT_PARAM(meeting_id)));
}

int store_meetings_mark_open(store_conn *conn, long long meeting_id, const char *opened_at, alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE meetings SET state = 'open', opened_at = ? WHERE id = ?",
                         STORE_PARAMS(STORE_TEXT_PARAM(opened_at), STORE_INT_PARAM(meeting_id)));
}

int store_meetings_mark_closed(store_conn *conn, long long meeting_id, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE meetings SET state = 'closed', closed_at = UTC_TIMESTAMP(6),"
                         " opened_at = COALESCE(opened_at, UTC_TIMESTAMP(6)) WHERE id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(meeting_id)));
}

int store_meetings_mark_convened(store_conn *conn, long long meeting_id, alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE meetings SET convened_at = UTC_TIMESTAMP(6) WHERE id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(meeting_id)));
}

int store_meetings_lock_convocation(store_conn *conn, long long meeting_id, meeting_convocation_details *out,
                                    alvd_err *err)
{
    store_result *rows = NULL;
    memset(out, 0, sizeof *out);
    if (store_query(conn, err, &rows,
                    "SELECT starts_at, location, notice_days, remote_conditions FROM meetings WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", NULL, "Vergadering niet gevonden.");
    }
    snprintf(out->starts_at, sizeof out->starts_at, "%s", store_result_text(rows, 0, 0));
    snprintf(out->location, sizeof out->location, "%s", store_result_text(rows, 0, 1));
    out->notice_days = store_result_int(rows, 0, 2);
    if (!store_result_is_null(rows, 0, 3) && (out->remote_conditions = strdup(store_result_text(rows, 0, 3))) == NULL) {
        store_result_free(rows);
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    }
    store_result_free(rows);
    return 0;
}


int store_meetings_id_by_title(store_conn *conn, const char *title, long long *meeting_id, alvd_err *err)
{
    return store_query_integer(conn, err, meeting_id, 0, "SELECT id FROM meetings WHERE title = ? ORDER BY id LIMIT 1",
                               STORE_PARAMS(STORE_TEXT_PARAM(title)));
}

int store_meetings_insert_system(store_conn *conn, const char *title, const char *date, const char *starts_at,
                                 const char *location, long long max_proxies, long long *meeting_id, alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO meetings (title, date, starts_at, location, proxies_allowed, max_proxies,"
                      " electronic_participation, created_at)"
                      " VALUES (?, ?, ?, ?, 1, ?, 1, UTC_TIMESTAMP(6))",
                      STORE_PARAMS(STORE_TEXT_PARAM(title), STORE_TEXT_PARAM(date), STORE_TEXT_PARAM(starts_at),
                                   STORE_TEXT_PARAM(location), STORE_INT_PARAM(max_proxies))) != 0)
        return -1;
    *meeting_id = store_last_insert_id(conn);
    return 0;
}

int store_meetings_lock_unopened_before(store_conn *conn, long long meeting_id, const char *before, char date[11],
                                        int *found, alvd_err *err)
{
    return store_query_text(conn, err, date, 11, found,
                            "SELECT DATE_FORMAT(date, '%Y-%m-%d') FROM meetings WHERE id = ? AND state = 'planned'"
                            " AND opened_at IS NULL AND date < ? FOR UPDATE",
                            STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_TEXT_PARAM(before)));
}

int store_meetings_set_date(store_conn *conn, long long meeting_id, const char *date, alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE meetings SET date = ? WHERE id = ?",
                         STORE_PARAMS(STORE_TEXT_PARAM(date), STORE_INT_PARAM(meeting_id)));
}
