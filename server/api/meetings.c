/* Meetings: settings, agenda, convocation, open and close; tickets (one per voting
 * member, signed, reissue revokes), their QR codes, and the ticket login of a phone. */
#include "alvd/api/meetings.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alvd/api/agenda.h"
#include "alvd/api/attendance.h"
#include "alvd/api/events.h"
#include "alvd/api/session.h"
#include "alvd/base/buf.h"
#include "alvd/base/clock.h"
#include "alvd/crypto/audit.h"
#include "alvd/crypto/qr.h"
#include "alvd/crypto/ticket.h"
#include "alvd/http/input.h"
#include "alvd/mail/outbox.h"
#include "alvd/rules/dates.h"
#include "alvd/rules/deadlines.h"
#include "alvd/rules/majority.h"

#define MEETINGS_MAX_PROXIES_LIMIT 10
#define MEETINGS_REMOTE_DISCONNECT_DEFAULT 180  /* seconds: issue 18's default of 3 minutes */
#define TICKET_URL_SIZE MEETINGS_TICKET_URL_SIZE
#define TICKET_LOGIN_FAILURES_PER_CLIENT 20   /* per minute */

static const char *const meeting_columns =
    "SELECT id, title, date, starts_at, location, notice_days, majority_rule, proxies_allowed, max_proxies,"
    " state, current_item, convened_at, opened_at, closed_at, created_at, electronic_participation,"
    " remote_deliberation, stream_url, remote_disconnect_seconds, remote_conditions FROM meetings";
#define MEETINGS_COLUMN_ELECTRONIC 15
#define MEETINGS_COLUMN_DELIBERATION 16

static void meetings_today(const alvd_app *app, char out[RULES_DATE_TEXT_SIZE])
{
    rules_date_format(clock_today(&app->config), out);
}

/* 1 when text is a wall-clock time "HH:MM". */
static int meetings_time_valid(const char *text)
{
    return text && strlen(text) == 5 && text[0] >= '0' && text[0] <= '2' && text[1] >= '0' && text[1] <= '9' &&
           text[2] == ':' && text[3] >= '0' && text[3] <= '5' && text[4] >= '0' && text[4] <= '9' &&
           (text[0] < '2' || text[1] <= '3');
}

/* ---------------------------------------------------------------- meeting JSON */

/* The meeting as the API shows it, with its agenda and live counts. */
static int meetings_json(store_conn *conn, long long meeting_id, json_t **out, alvd_err *err)
{
    store_result *rows = NULL;
    char sql[512];
    snprintf(sql, sizeof sql, "%s WHERE id = ?", meeting_columns);
    if (store_query(conn, err, &rows, sql, STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", NULL, "Vergadering niet gevonden.");
    }
    json_t *meeting = store_result_row_json(rows, 0);
    json_object_set_new(meeting, "proxies_allowed", json_boolean(store_result_int(rows, 0, 7)));
    json_object_set_new(meeting, "electronic_participation",
                        json_boolean(store_result_int(rows, 0, MEETINGS_COLUMN_ELECTRONIC)));
    json_object_set_new(meeting, "remote_deliberation",
                        json_boolean(store_result_int(rows, 0, MEETINGS_COLUMN_DELIBERATION)));
    store_result_free(rows);
    json_t *agenda = NULL;
    attendance_snapshot snapshot;
    if (service_agenda_json(conn, meeting_id, &agenda, err) != 0 ||
        attendance_snapshot_at(conn, meeting_id, NULL, &snapshot, err) != 0) {
        json_decref(agenda);
        json_decref(meeting);
        return -1;
    }
    json_object_set_new(meeting, "agenda", agenda);
    json_object_set_new(meeting, "attendance", attendance_counts_json(&snapshot));
    json_object_set_new(meeting, "members_total", json_integer((json_int_t)snapshot.count));
    attendance_snapshot_free(&snapshot);
    *out = meeting;
    return 0;
}

/* Settings shared by create and update; absent fields keep *values. */
typedef struct meeting_settings {
    const char *title, *date, *starts_at, *location, *majority_rule;
    long long notice_days, max_proxies;
    int proxies_allowed;
    /* electronic participation (BW 2:38a, issue 18); stream_url and remote_conditions NULL = none */
    int electronic_participation, remote_deliberation;
    long long remote_disconnect_seconds;
    const char *stream_url, *remote_conditions;
} meeting_settings;

/* The stream link is shown on members' pages and in the convocation: an absolute
 * http(s) URL without spaces or quotes, so it can never smuggle markup or a script. */
static int meetings_stream_url_valid(const char *url)
{
    size_t length = strlen(url);
    if (!((length > 8 && strncmp(url, "https://", 8) == 0) || (length > 7 && strncmp(url, "http://", 7) == 0)))
        return 0;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p <= 0x20 || *p >= 0x7F || *p == '"' || *p == '\'' || *p == '<' || *p == '>' || *p == '\\')
            return 0;
    return 1;
}

/* The settings of electronic participation: absent keeps, null clears a text. */
static int meetings_remote_settings_parse(json_t *body, meeting_settings *settings, alvd_err *err)
{
    const char *value = NULL;
    int present = 0;
    long long number = 0;
    if (json_object_get(body, "electronic_participation") &&
        input_boolean(body, "electronic_participation", settings->electronic_participation,
                      &settings->electronic_participation, err) != 0)
        return -1;
    if (json_object_get(body, "remote_deliberation") &&
        input_boolean(body, "remote_deliberation", settings->remote_deliberation, &settings->remote_deliberation,
                      err) != 0)
        return -1;
    if (input_integer(body, "remote_disconnect_seconds", 0, 30, 3600, &number, &present, err) != 0)
        return -1;
    if (present)
        settings->remote_disconnect_seconds = number;
    if (json_is_null(json_object_get(body, "stream_url"))) {
        settings->stream_url = NULL;
    } else {
        if (input_string(body, "stream_url", 0, 500, &value, err) != 0)
            return -1;
        if (value && *value == '\0')
            settings->stream_url = NULL;
        else if (value && !meetings_stream_url_valid(value))
            return alvd_err_set(err, 400, "bad_url", "stream_url",
                                "De link naar de uitzending moet een volledige http(s)-link zijn, bijvoorbeeld "
                                "https://vergadering.ksf.nl/alv.");
        else if (value)
            settings->stream_url = value;
    }
    if (json_is_null(json_object_get(body, "remote_conditions"))) {
        settings->remote_conditions = NULL;
    } else {
        if (input_string(body, "remote_conditions", 0, 2000, &value, err) != 0)
            return -1;
        if (value)
            settings->remote_conditions = *value ? value : NULL;
    }
    return 0;
}

static int meetings_settings_parse(json_t *body, int creating, meeting_settings *settings, alvd_err *err)
{
    static const char *const fields[] = {"title", "date", "starts_at", "location", "majority_rule",
                                         "proxies_allowed", "max_proxies", "notice_days",
                                         "electronic_participation", "remote_deliberation", "stream_url",
                                         "remote_disconnect_seconds", "remote_conditions", NULL};
    const char *rule = NULL;
    rules_majority_rule parsed;
    if (input_only(body, fields, err) != 0)
        return -1;
    const char *value = NULL;
    if (input_line(body, "title", creating, 200, &value, err) != 0)
        return -1;
    if (value)
        settings->title = value;
    if (input_date(body, "date", creating, &value, err) != 0)
        return -1;
    if (value)
        settings->date = value;
    if (input_string(body, "starts_at", creating, 5, &value, err) != 0)
        return -1;
    if (value) {
        if (!meetings_time_valid(value))
            return alvd_err_set(err, 400, "bad_time", "starts_at", "Begintijd moet UU:MM zijn, bijvoorbeeld 19:30.");
        settings->starts_at = value;
    }
    if (input_line(body, "location", creating, 300, &value, err) != 0)
        return -1;
    if (value)
        settings->location = value;
    if (input_string(body, "majority_rule", 0, 32, &rule, err) != 0)
        return -1;
    if (rule) {
        if (rules_majority_rule_parse(rule, &parsed, err) != 0)
            return -1;
        settings->majority_rule = rules_majority_rule_name(parsed);
    }
    if (json_object_get(body, "proxies_allowed") &&
        input_boolean(body, "proxies_allowed", settings->proxies_allowed, &settings->proxies_allowed, err) != 0)
        return -1;
    int present = 0;
    long long number = 0;
    if (input_integer(body, "max_proxies", 0, 1, MEETINGS_MAX_PROXIES_LIMIT, &number, &present, err) != 0)
        return -1;
    if (present)
        settings->max_proxies = number;
    if (input_integer(body, "notice_days", 0, 1, 365, &number, &present, err) != 0)
        return -1;
    if (present)
        settings->notice_days = number;
    return meetings_remote_settings_parse(body, settings, err);
}

/* Warnings for the secretariat, e.g. a convocation sent today would be too late. */
static json_t *meetings_warnings(const alvd_app *app, const char *date, long long notice_days)
{
    json_t *warnings = json_array();
    rules_day meeting_day, today;
    char today_text[RULES_DATE_TEXT_SIZE];
    meetings_today(app, today_text);
    if (rules_date_parse(date, NULL, &meeting_day, NULL) == 0 && rules_date_parse(today_text, NULL, &today, NULL) == 0) {
        rules_notice_check check;
        rules_check_meeting_notice(today, meeting_day, (int)notice_days, 0, &check);
        if (!check.sufficient)
            json_array_append_new(warnings, json_string(check.warning));
    }
    return warnings;
}

void meetings_create(http_request *request)
{
    store_conn *conn = http_request_db(request);
    const auth_principal *who = http_request_principal(request);
    audit_actor actor = http_request_actor(request);
    meeting_settings settings = {.majority_rule = "more_than_half", .notice_days = RULES_NOTICE_DAYS_DEFAULT,
                                 .max_proxies = 1, .remote_deliberation = 1,
                                 .remote_disconnect_seconds = MEETINGS_REMOTE_DISCONNECT_DEFAULT};
    json_t *meeting = NULL, *details = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (meetings_settings_parse(http_request_json(request), 1, &settings, &err) != 0)
        goto fail;
    if (store_begin(conn, &err) != 0 ||
        store_execute(conn, &err, NULL,
                      "INSERT INTO meetings (title, date, starts_at, location, notice_days, majority_rule,"
                      " proxies_allowed, max_proxies, electronic_participation, remote_deliberation, stream_url,"
                      " remote_disconnect_seconds, remote_conditions, created_at, created_by)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6), ?)",
                      STORE_PARAMS(STORE_TEXT_PARAM(settings.title), STORE_TEXT_PARAM(settings.date),
                                   STORE_TEXT_PARAM(settings.starts_at), STORE_TEXT_PARAM(settings.location),
                                   STORE_INT_PARAM(settings.notice_days), STORE_TEXT_PARAM(settings.majority_rule),
                                   STORE_INT_PARAM(settings.proxies_allowed), STORE_INT_PARAM(settings.max_proxies),
                                   STORE_INT_PARAM(settings.electronic_participation),
                                   STORE_INT_PARAM(settings.remote_deliberation), STORE_TEXT_PARAM(settings.stream_url),
                                   STORE_INT_PARAM(settings.remote_disconnect_seconds),
                                   STORE_TEXT_PARAM(settings.remote_conditions), STORE_INT_PARAM(who->user_id))) != 0)
        goto fail;
    long long id = store_last_insert_id(conn);
    details = json_pack("{s:s, s:s}", "title", settings.title, "date", settings.date);
    if (audit_append(conn, &err, &actor, "meeting.create", "meeting", id, details) != 0 ||
        store_commit(conn, &err) != 0 || meetings_json(conn, id, &meeting, &err) != 0)
        goto fail;
    json_object_set_new(meeting, "warnings", meetings_warnings(http_request_app(request), settings.date, settings.notice_days));
    json_decref(details);
    http_reply_json(request, 201, meeting);
    return;
fail:
    json_decref(details);
    store_rollback(conn);
    http_reply_err(request, &err);
}

void meetings_list(http_request *request)
{
    store_result *rows = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    char sql[512];
    snprintf(sql, sizeof sql, "%s ORDER BY date DESC, id DESC LIMIT 200", meeting_columns);
    if (store_query(http_request_db(request), &err, &rows, sql, STORE_NO_PARAMS) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *items = store_result_json(rows);
    size_t index;
    json_t *item;
    json_array_foreach(items, index, item) {
        json_object_set_new(item, "proxies_allowed", json_boolean(store_result_int(rows, index, 7)));
        json_object_set_new(item, "electronic_participation",
                            json_boolean(store_result_int(rows, index, MEETINGS_COLUMN_ELECTRONIC)));
        json_object_set_new(item, "remote_deliberation",
                            json_boolean(store_result_int(rows, index, MEETINGS_COLUMN_DELIBERATION)));
    }
    store_result_free(rows);
    http_reply_json(request, 200, json_pack("{s:o}", "items", items));
}

void meetings_get(http_request *request)
{
    const auth_principal *who = http_request_principal(request);
    store_conn *conn = http_request_db(request);
    long long meeting_id = 0;
    meeting_info meeting;
    json_t *body = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        return;
    if (meetings_load_for(request, meeting_id, &meeting, &err) != 0 || meetings_json(conn, meeting_id, &body, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    if (who->kind == AUTH_KIND_MEMBER) {
        /* The delegate's own status: checked in, or represented by a proxy. */
        attendance_snapshot snapshot;
        store_result *rows = NULL;
        if (attendance_snapshot_at(conn, meeting_id, NULL, &snapshot, &err) != 0 ||
            store_query(conn, &err, &rows, "SELECT name FROM organisations WHERE id = ?",
                        STORE_PARAMS(STORE_INT_PARAM(who->organisation_id))) != 0) {
            json_decref(body);
            http_reply_err(request, &err);
            return;
        }
        const attendance_member *me = attendance_snapshot_find(&snapshot, who->organisation_id);
        json_object_set_new(body, "me",
                            json_pack("{s:I, s:s, s:b, s:o, s:I}", "organisation_id", (json_int_t)who->organisation_id,
                                      "name", store_result_rows(rows) ? store_result_text(rows, 0, 0) : "", "inside",
                                      me && me->inside, "represented_by",
                                      me && me->represented_by ? json_integer(me->represented_by) : json_null(),
                                      "proxies_held", (json_int_t)(me ? me->proxies_held : 0)));
        json_object_set_new(json_object_get(body, "me"), "channel",
                            me && me->inside ? json_string(me->remote ? "remote" : "hall") : json_null());
        store_result_free(rows);
        attendance_snapshot_free(&snapshot);
    }
    http_reply_json(request, 200, body);
}

void meetings_update(http_request *request)
{
    store_conn *conn = http_request_db(request);
    audit_actor actor = http_request_actor(request);
    long long meeting_id = 0;
    store_result *rows = NULL;
    json_t *meeting = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        return;
    if (store_begin(conn, &err) != 0 ||
        store_query(conn, &err, &rows,
                    "SELECT title, DATE_FORMAT(date, '%Y-%m-%d'), starts_at, location, majority_rule, notice_days,"
                    " max_proxies, proxies_allowed, state, convened_at, electronic_participation, remote_deliberation,"
                    " stream_url, remote_disconnect_seconds, remote_conditions FROM meetings WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1) {
        alvd_err_set(&err, 404, "not_found", NULL, "Vergadering niet gevonden.");
        goto fail;
    }
    if (strcmp(store_result_text(rows, 0, 8), "closed") == 0) {
        alvd_err_set(&err, 409, "meeting_closed", NULL, "Een gesloten vergadering kan niet meer worden gewijzigd.");
        goto fail;
    }
    meeting_settings settings = {
        .title = store_result_text(rows, 0, 0), .date = store_result_text(rows, 0, 1),
        .starts_at = store_result_text(rows, 0, 2), .location = store_result_text(rows, 0, 3),
        .majority_rule = store_result_text(rows, 0, 4), .notice_days = store_result_int(rows, 0, 5),
        .max_proxies = store_result_int(rows, 0, 6), .proxies_allowed = (int)store_result_int(rows, 0, 7),
        .electronic_participation = (int)store_result_int(rows, 0, 10),
        .remote_deliberation = (int)store_result_int(rows, 0, 11), .stream_url = store_result_text(rows, 0, 12),
        .remote_disconnect_seconds = store_result_int(rows, 0, 13),
        .remote_conditions = store_result_text(rows, 0, 14)};
    if (meetings_settings_parse(http_request_json(request), 0, &settings, &err) != 0)
        goto fail;
    /* Switching electronic participation during the meeting would strand the members
     * who follow it from afar (or let in members the convocation never invited). */
    if (settings.electronic_participation != (int)store_result_int(rows, 0, 10) &&
        strcmp(store_result_text(rows, 0, 8), "planned") != 0) {
        alvd_err_set(&err, 409, "meeting_open", "electronic_participation",
                     "Elektronische deelname wordt vóór de vergadering geregeld; tijdens de vergadering ligt zij vast.");
        goto fail;
    }
    /* The date is what the meeting opens on (and what the convocation named): moving
     * it is a change of record, refused once the meeting is open, and audited with
     * both dates. */
    if (strcmp(settings.date, store_result_text(rows, 0, 1)) != 0) {
        if (strcmp(store_result_text(rows, 0, 8), "planned") != 0) {
            alvd_err_set(&err, 409, "meeting_open", "date", "De datum van een geopende vergadering ligt vast.");
            goto fail;
        }
        json_t *moved = json_pack("{s:s, s:s, s:b}", "from", store_result_text(rows, 0, 1), "to", settings.date,
                                  "convened", !store_result_is_null(rows, 0, 9));
        int rc = audit_append(conn, &err, &actor, "meeting.date_changed", "meeting", meeting_id, moved);
        json_decref(moved);
        if (rc != 0)
            goto fail;
    }
    if (audit_append(conn, &err, &actor, "meeting.update", "meeting", meeting_id, http_request_json(request)) != 0 ||
        store_execute(conn, &err, NULL,
                      "UPDATE meetings SET title = ?, date = ?, starts_at = ?, location = ?, majority_rule = ?,"
                      " notice_days = ?, max_proxies = ?, proxies_allowed = ?, electronic_participation = ?,"
                      " remote_deliberation = ?, stream_url = ?, remote_disconnect_seconds = ?, remote_conditions = ?"
                      " WHERE id = ?",
                      STORE_PARAMS(STORE_TEXT_PARAM(settings.title), STORE_TEXT_PARAM(settings.date),
                                   STORE_TEXT_PARAM(settings.starts_at), STORE_TEXT_PARAM(settings.location),
                                   STORE_TEXT_PARAM(settings.majority_rule), STORE_INT_PARAM(settings.notice_days),
                                   STORE_INT_PARAM(settings.max_proxies), STORE_INT_PARAM(settings.proxies_allowed),
                                   STORE_INT_PARAM(settings.electronic_participation),
                                   STORE_INT_PARAM(settings.remote_deliberation), STORE_TEXT_PARAM(settings.stream_url),
                                   STORE_INT_PARAM(settings.remote_disconnect_seconds),
                                   STORE_TEXT_PARAM(settings.remote_conditions), STORE_INT_PARAM(meeting_id))) != 0 ||
        events_append(conn, meeting_id, EVENTS_KIND_MEETING, NULL, &err) != 0 || store_commit(conn, &err) != 0 ||
        meetings_json(conn, meeting_id, &meeting, &err) != 0)
        goto fail;
    store_result_free(rows);
    http_reply_json(request, 200, meeting);
    return;
fail:
    store_result_free(rows);
    store_rollback(conn);
    http_reply_err(request, &err);
}

/* ---------------------------------------------------------------- open and close */

/* A meeting opens only on its own date (Europe/Amsterdam): its decisions are dated by
 * the day their polls close, and a meeting held on another day than the one convened
 * is not the meeting the members were called to. Answers 409 not_meeting_day with both
 * dates and returns 1, or returns 0 on the meeting day. */
static int meetings_refuse_other_day(http_request *request, const char *meeting_date)
{
    rules_day meeting_day = 0, today = clock_today(&http_request_app(request)->config);
    char today_text[RULES_DATE_TEXT_SIZE], meeting_long[RULES_LONG_DATE_SIZE], today_long[RULES_LONG_DATE_SIZE];
    if (rules_date_parse(meeting_date, NULL, &meeting_day, NULL) != 0 || meeting_day == today)
        return 0;
    rules_date_format_long(meeting_day, RULES_LANG_NL, meeting_long, sizeof meeting_long);
    rules_date_format_long(today, RULES_LANG_NL, today_long, sizeof today_long);
    char message[ALVD_ERR_MESSAGE_MAX];
    snprintf(message, sizeof message,
             "Deze vergadering staat op %s; vandaag is het %s. Een vergadering wordt alleen op haar eigen datum "
             "geopend. Wordt zij vandaag gehouden, zet dan eerst de datum op vandaag (die wijziging komt in het "
             "logboek).",
             meeting_long, today_long);
    http_reply_json(request, 409,
                    json_pack("{s:s, s:s, s:s, s:s}", "error", message, "code", "not_meeting_day", "meeting_date",
                              meeting_date, "today", rules_date_format(today, today_text)));
    return 1;
}

static void meetings_transition(http_request *request, int closing)
{
    store_conn *conn = http_request_db(request);
    audit_actor actor = http_request_actor(request);
    long long meeting_id = 0, checked_out = 0;
    store_result *rows = NULL;
    json_t *meeting = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        return;
    if (store_begin(conn, &err) != 0 ||
        store_query(conn, &err, &rows, "SELECT state, DATE_FORMAT(date, '%Y-%m-%d') FROM meetings WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1) {
        alvd_err_set(&err, 404, "not_found", NULL, "Vergadering niet gevonden.");
        goto fail;
    }
    const char *state = store_result_text(rows, 0, 0);
    if (strcmp(state, "closed") == 0) {
        alvd_err_set(&err, 409, "meeting_closed", NULL, "Deze vergadering is al gesloten.");
        goto fail;
    }
    if (!closing && strcmp(state, "open") == 0) {
        alvd_err_set(&err, 409, "meeting_open", NULL, "Deze vergadering is al geopend.");
        goto fail;
    }
    if (!closing && meetings_refuse_other_day(request, store_result_text(rows, 0, 1))) {
        store_result_free(rows);
        store_rollback(conn);
        return;
    }
    if (closing) {
        /* A poll still open would lose its voters: the chair closes it first. The
         * meeting row is locked, and opening a poll needs an open meeting, so no poll
         * can open between this check and the close. */
        store_result_free(rows);
        rows = NULL;
        if (store_query(conn, &err, &rows, "SELECT COUNT(*) FROM polls WHERE meeting_id = ? AND state = 'open'",
                        STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
            goto fail;
        if (store_result_int(rows, 0, 0) > 0) {
            alvd_err_set(&err, 409, "poll_open", NULL,
                         "Er loopt nog een stemming; sluit eerst de stemming en daarna de vergadering.");
            goto fail;
        }
        /* Closing checks everyone out: exit events with source "close" (A3). */
        /* The floor closes with the meeting: a turn still running ends now, requests still
         * waiting lapse (recorded as withdrawn by the chair). */
        if (attendance_close_all(conn, meeting_id, &actor, &checked_out, &err) != 0 ||
            store_execute(conn, &err, NULL,
                          "UPDATE speakers SET state = 'done', finished_at = UTC_TIMESTAMP(6)"
                          " WHERE meeting_id = ? AND state = 'speaking'",
                          STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0 ||
            store_execute(conn, &err, NULL,
                          "UPDATE speakers SET state = 'withdrawn', withdrawn_by = 'chair'"
                          " WHERE meeting_id = ? AND state = 'waiting'",
                          STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0 ||
            store_execute(conn, &err, NULL,
                          "UPDATE meetings SET state = 'closed', closed_at = UTC_TIMESTAMP(6),"
                          " opened_at = COALESCE(opened_at, UTC_TIMESTAMP(6)) WHERE id = ?",
                          STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0 ||
            attendance_publish(conn, meeting_id, "close", &err) != 0)
            goto fail;
    } else {
        char opened_at[CLOCK_SQL_SIZE];
        clock_sql_now(&http_request_app(request)->config, opened_at);
        if (audit_append(conn, &err, &actor, "meeting.open", "meeting", meeting_id, NULL) != 0 ||
            store_execute(conn, &err, NULL, "UPDATE meetings SET state = 'open', opened_at = ? WHERE id = ?",
                          STORE_PARAMS(STORE_TEXT_PARAM(opened_at), STORE_INT_PARAM(meeting_id))) != 0)
            goto fail;
    }
    json_t *payload = json_pack("{s:s}", "state", closing ? "closed" : "open");
    int rc = events_append(conn, meeting_id, EVENTS_KIND_MEETING, payload, &err);
    json_decref(payload);
    if (rc != 0 || store_commit(conn, &err) != 0 || meetings_json(conn, meeting_id, &meeting, &err) != 0)
        goto fail;
    if (closing)
        json_object_set_new(meeting, "checked_out", json_integer(checked_out));
    store_result_free(rows);
    http_reply_json(request, 200, meeting);
    return;
fail:
    store_result_free(rows);
    store_rollback(conn);
    http_reply_err(request, &err);
}

void meetings_open(http_request *request) { meetings_transition(request, 0); }
void meetings_close(http_request *request) { meetings_transition(request, 1); }

/* ---------------------------------------------------------------- tickets */

static void tickets_url(const http_request *request, const char *code, char url[TICKET_URL_SIZE])
{
    snprintf(url, TICKET_URL_SIZE, "%s/t/%s", http_request_app(request)->config.public_url, code);
}

/* Re-sign the code of a stored ticket (deterministic Ed25519). */
static int tickets_code(const ticket_keys *keys, long long meeting_id, long long ticket_id, const char *nonce,
                        size_t nonce_length, char code[TICKET_TEXT_SIZE], alvd_err *err)
{
    ticket_payload payload = {.version = TICKET_FORMAT_VERSION, .meeting_id = meeting_id, .ticket_id = ticket_id};
    if (nonce_length != TICKET_NONCE_BYTES)
        return alvd_err_set(err, 500, "bad_ticket", NULL, "Ticket %lld has a damaged nonce.", ticket_id);
    memcpy(payload.nonce, nonce, TICKET_NONCE_BYTES);
    return ticket_sign(keys, &payload, code, err);
}

/* A new ticket row for a member (in the caller's transaction): the id goes into the
 * signed payload, so the row is made first and its code hash filled in after. */
static int tickets_make(store_conn *conn, const ticket_keys *keys, long long meeting_id, long long organisation_id,
                        long long user_id, char code[TICKET_TEXT_SIZE], long long *ticket_id, alvd_err *err)
{
    ticket_payload payload = {.version = TICKET_FORMAT_VERSION, .meeting_id = meeting_id};
    unsigned char placeholder[TICKET_HASH_BYTES], hash[TICKET_HASH_BYTES];
    randombytes_buf(payload.nonce, sizeof payload.nonce);
    randombytes_buf(placeholder, sizeof placeholder);
    if (store_execute(conn, err, NULL,
                      "INSERT INTO tickets (meeting_id, organisation_id, nonce, code_hash, issued_at, issued_by)"
                      " VALUES (?, ?, ?, ?, UTC_TIMESTAMP(6), ?)",
                      STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(organisation_id),
                                   STORE_BLOB_PARAM(payload.nonce, sizeof payload.nonce),
                                   STORE_BLOB_PARAM(placeholder, sizeof placeholder),
                                   user_id ? STORE_INT_PARAM(user_id) : STORE_NULL_PARAM)) != 0)
        return -1;
    payload.ticket_id = store_last_insert_id(conn);
    if (ticket_sign(keys, &payload, code, err) != 0)
        return -1;
    ticket_code_hash(code, hash);
    *ticket_id = payload.ticket_id;
    return store_execute(conn, err, NULL, "UPDATE tickets SET code_hash = ? WHERE id = ?",
                         STORE_PARAMS(STORE_BLOB_PARAM(hash, sizeof hash), STORE_INT_PARAM(payload.ticket_id)));
}

/* Tickets for every voting member (active membership basis on the meeting date) who
 * has no valid ticket yet; *issued counts the new ones. In the caller's transaction. */
static int tickets_issue_missing(store_conn *conn, const ticket_keys *keys, const meeting_info *meeting,
                                 long long user_id, long long *issued, alvd_err *err)
{
    store_result *rows = NULL;
    *issued = 0;
    if (store_execute(conn, err, NULL,
                      "INSERT IGNORE INTO meeting_members (meeting_id, organisation_id, added_at)"
                      " SELECT DISTINCT ?, b.organisation_id, UTC_TIMESTAMP(6) FROM bases b"
                      " WHERE b.basis = 'membership' AND b.superseded_by IS NULL AND b.since <= ?"
                      " AND (b.until IS NULL OR b.until >= ?)",
                      STORE_PARAMS(STORE_INT_PARAM(meeting->id), STORE_TEXT_PARAM(meeting->date),
                                   STORE_TEXT_PARAM(meeting->date))) != 0 ||
        store_query(conn, err, &rows,
                    "SELECT m.organisation_id FROM meeting_members m WHERE m.meeting_id = ? AND NOT EXISTS"
                    " (SELECT 1 FROM tickets t WHERE t.meeting_id = m.meeting_id AND t.organisation_id = m.organisation_id"
                    " AND t.revoked_at IS NULL) ORDER BY m.organisation_id FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting->id))) != 0)
        return -1;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        char code[TICKET_TEXT_SIZE];
        long long ticket_id = 0;
        if (tickets_make(conn, keys, meeting->id, store_result_int(rows, r, 0), user_id, code, &ticket_id, err) != 0) {
            store_result_free(rows);
            return -1;
        }
        (*issued)++;
    }
    store_result_free(rows);
    return 0;
}

int meetings_issue_tickets(store_conn *conn, const char *data_dir, long long meeting_id, long long user_id,
                           long long *issued, alvd_err *err)
{
    ticket_keys keys;
    meeting_info meeting;
    store_result *rows = NULL;
    int rc = -1;
    memset(&keys, 0, sizeof keys);
    if (ticket_keys_load(data_dir, &keys, err) != 0 || store_begin(conn, err) != 0 ||
        store_query(conn, err, &rows, "SELECT id FROM meetings WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0 ||
        meetings_load(conn, meeting_id, &meeting, err) != 0 ||
        tickets_issue_missing(conn, &keys, &meeting, user_id, issued, err) != 0)
        goto fail;
    audit_actor system = {"system", 0, "alvd"};
    json_t *details = json_pack("{s:I}", "issued", (json_int_t)*issued);
    rc = audit_append(conn, err, &system, "tickets.issue", "meeting", meeting_id, details);
    json_decref(details);
    if (rc == 0)
        rc = store_commit(conn, err);
fail:
    if (rc != 0)
        store_rollback(conn);
    store_result_free(rows);
    ticket_keys_wipe(&keys);
    return rc;
}

int meetings_ticket_url(store_conn *conn, const char *data_dir, const char *public_url, long long meeting_id,
                        long long organisation_id, char url[MEETINGS_TICKET_URL_SIZE], alvd_err *err)
{
    store_result *rows = NULL;
    ticket_keys keys;
    char code[TICKET_TEXT_SIZE];
    if (store_query(conn, err, &rows,
                    "SELECT id, nonce FROM tickets WHERE meeting_id = ? AND organisation_id = ? AND revoked_at IS NULL",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(organisation_id))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", NULL, "Geen geldig ticket voor deze organisatie.");
    }
    memset(&keys, 0, sizeof keys);
    int rc = ticket_keys_load(data_dir, &keys, err);
    if (rc == 0)
        rc = tickets_code(&keys, meeting_id, store_result_int(rows, 0, 0), store_result_text(rows, 0, 1),
                          store_result_length(rows, 0, 1), code, err);
    ticket_keys_wipe(&keys);
    store_result_free(rows);
    if (rc == 0)
        snprintf(url, MEETINGS_TICKET_URL_SIZE, "%s/t/%s", public_url, code);
    return rc;
}

void tickets_issue(http_request *request)
{
    store_conn *conn = http_request_db(request);
    audit_actor actor = http_request_actor(request);
    long long meeting_id = 0, issued = 0;
    meeting_info meeting;
    ticket_keys keys;
    store_result *rows = NULL;
    json_t *details = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    memset(&keys, 0, sizeof keys);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        return;
    if (ticket_keys_load(http_request_app(request)->config.data_dir, &keys, &err) != 0 || store_begin(conn, &err) != 0 ||
        store_query(conn, &err, &rows, "SELECT id FROM meetings WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0 ||
        meetings_load(conn, meeting_id, &meeting, &err) != 0)
        goto fail;
    store_result_free(rows);
    rows = NULL;
    if (strcmp(meeting.state, "closed") == 0) {
        alvd_err_set(&err, 409, "meeting_closed", NULL, "Voor een gesloten vergadering worden geen tickets meer uitgegeven.");
        goto fail;
    }
    if (tickets_issue_missing(conn, &keys, &meeting, http_request_principal(request)->user_id, &issued, &err) != 0)
        goto fail;
    details = json_pack("{s:I}", "issued", (json_int_t)issued);
    if (audit_append(conn, &err, &actor, "tickets.issue", "meeting", meeting_id, details) != 0 ||
        store_query(conn, &err, &rows,
                    "SELECT COUNT(*) FROM tickets WHERE meeting_id = ? AND revoked_at IS NULL",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        goto fail;
    long long total = store_result_int(rows, 0, 0);
    if (store_commit(conn, &err) != 0)
        goto fail;
    store_result_free(rows);
    json_decref(details);
    ticket_keys_wipe(&keys);
    http_reply_json(request, 201, json_pack("{s:I, s:I}", "issued", (json_int_t)issued, "total", (json_int_t)total));
    return;
fail:
    ticket_keys_wipe(&keys);
    json_decref(details);
    store_result_free(rows);
    store_rollback(conn);
    http_reply_err(request, &err);
}

void tickets_list(http_request *request)
{
    store_conn *conn = http_request_db(request);
    long long meeting_id = 0;
    meeting_info meeting;
    ticket_keys keys;
    store_result *rows = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    memset(&keys, 0, sizeof keys);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        return;
    if (meetings_load(conn, meeting_id, &meeting, &err) != 0 ||
        ticket_keys_load(http_request_app(request)->config.data_dir, &keys, &err) != 0 ||
        store_query(conn, &err, &rows,
                    "SELECT t.id, t.organisation_id, o.name, t.nonce, t.issued_at,"
                    " (SELECT COUNT(*) FROM tickets r WHERE r.meeting_id = t.meeting_id"
                    "  AND r.organisation_id = t.organisation_id AND r.revoked_at IS NOT NULL)"
                    " FROM tickets t JOIN organisations o ON o.id = t.organisation_id"
                    " WHERE t.meeting_id = ? AND t.revoked_at IS NULL ORDER BY o.name, o.id",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        goto fail;
    json_t *items = json_array();
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        char code[TICKET_TEXT_SIZE], url[TICKET_URL_SIZE], qr[160];
        long long organisation_id = store_result_int(rows, r, 1);
        if (tickets_code(&keys, meeting_id, store_result_int(rows, r, 0), store_result_text(rows, r, 3),
                         store_result_length(rows, r, 3), code, &err) != 0) {
            json_decref(items);
            goto fail;
        }
        tickets_url(request, code, url);
        snprintf(qr, sizeof qr, "/api/meetings/%lld/tickets/%lld/qr", meeting_id, organisation_id);
        json_t *issued_at = store_result_row_json(rows, r);
        json_array_append_new(
            items, json_pack("{s:I, s:I, s:s, s:s, s:s, s:O, s:I, s:s+, s:s+}", "ticket_id",
                             (json_int_t)store_result_int(rows, r, 0), "organisation_id", (json_int_t)organisation_id,
                             "name", store_result_text(rows, r, 2), "url", url, "code", code, "issued_at",
                             json_object_get(issued_at, "issued_at"), "revoked_before",
                             (json_int_t)store_result_int(rows, r, 5), "qr_png", qr, ".png", "qr_svg", qr, ".svg"));
        json_decref(issued_at);
    }
    store_result_free(rows);
    ticket_keys_wipe(&keys);
    http_reply_json(request, 200, json_pack("{s:I, s:o}", "meeting_id", (json_int_t)meeting_id, "items", items));
    return;
fail:
    ticket_keys_wipe(&keys);
    store_result_free(rows);
    http_reply_err(request, &err);
}

/* Reissue (revoke + new) or only revoke the member's ticket. */
static void tickets_replace(http_request *request, int make_new)
{
    store_conn *conn = http_request_db(request);
    audit_actor actor = http_request_actor(request);
    long long meeting_id = 0, organisation_id = 0, revoked = 0, ticket_id = 0;
    meeting_info meeting;
    ticket_keys keys;
    store_result *rows = NULL;
    json_t *details = NULL;
    char code[TICKET_TEXT_SIZE], url[TICKET_URL_SIZE];
    alvd_err err;
    alvd_err_clear(&err);
    memset(&keys, 0, sizeof keys);
    if (http_request_param_id(request, "id", &meeting_id) != 0 ||
        http_request_param_id(request, "organisation_id", &organisation_id) != 0)
        return;
    if (ticket_keys_load(http_request_app(request)->config.data_dir, &keys, &err) != 0 ||
        meetings_load(conn, meeting_id, &meeting, &err) != 0)
        goto fail;
    if (strcmp(meeting.state, "closed") == 0) {
        alvd_err_set(&err, 409, "meeting_closed", NULL, "Deze vergadering is gesloten.");
        goto fail;
    }
    if (store_begin(conn, &err) != 0 ||
        store_query(conn, &err, &rows,
                    "SELECT organisation_id FROM meeting_members WHERE meeting_id = ? AND organisation_id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(organisation_id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1) {
        alvd_err_set(&err, 404, "not_found", NULL, "Deze organisatie heeft geen ticket voor deze vergadering.");
        goto fail;
    }
    details = json_pack("{s:I, s:s}", "organisation_id", (json_int_t)organisation_id, "action",
                        make_new ? "reissue" : "revoke");
    if (audit_append(conn, &err, &actor, make_new ? "ticket.reissue" : "ticket.revoke", "meeting", meeting_id,
                     details) != 0 ||
        store_execute(conn, &err, &revoked,
                      "UPDATE tickets SET revoked_at = UTC_TIMESTAMP(6), revoked_reason = ? WHERE meeting_id = ?"
                      " AND organisation_id = ? AND revoked_at IS NULL",
                      STORE_PARAMS(STORE_TEXT_PARAM(make_new ? "reissued" : "revoked"), STORE_INT_PARAM(meeting_id),
                                   STORE_INT_PARAM(organisation_id))) != 0 ||
        /* A lost phone stays logged in with the old ticket unless its session ends here
         * too; the delegate logs in again with the new ticket. */
        store_execute(conn, &err, NULL,
                      "UPDATE sessions SET revoked_at = UTC_TIMESTAMP(6) WHERE kind = 'member' AND meeting_id = ?"
                      " AND organisation_id = ? AND revoked_at IS NULL",
                      STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(organisation_id))) != 0)
        goto fail;
    if (make_new && tickets_make(conn, &keys, meeting_id, organisation_id, http_request_principal(request)->user_id,
                                 code, &ticket_id, &err) != 0)
        goto fail;
    if (store_commit(conn, &err) != 0)
        goto fail;
    ticket_keys_wipe(&keys);
    store_result_free(rows);
    json_decref(details);
    if (make_new) {
        tickets_url(request, code, url);
        http_reply_json(request, 201,
                        json_pack("{s:I, s:I, s:s, s:s, s:I}", "organisation_id", (json_int_t)organisation_id,
                                  "ticket_id", (json_int_t)ticket_id, "url", url, "code", code, "revoked",
                                  (json_int_t)revoked));
    } else {
        http_reply_json(request, 200, json_pack("{s:I, s:I}", "organisation_id", (json_int_t)organisation_id,
                                                "revoked", (json_int_t)revoked));
    }
    return;
fail:
    ticket_keys_wipe(&keys);
    store_result_free(rows);
    json_decref(details);
    store_rollback(conn);
    http_reply_err(request, &err);
}

void tickets_reissue(http_request *request) { tickets_replace(request, 1); }
void tickets_revoke(http_request *request) { tickets_replace(request, 0); }

/* The current ticket URL of a member; the member's own phone may fetch only its own. */
static int tickets_current_url(http_request *request, char url[TICKET_URL_SIZE], alvd_err *err)
{
    const auth_principal *who = http_request_principal(request);
    long long meeting_id = 0, organisation_id = 0;
    meeting_info meeting;
    if (input_id_text(http_request_param(request, "id"), &meeting_id) != 0 ||
        input_id_text(http_request_param(request, "organisation_id"), &organisation_id) != 0)
        return alvd_err_set(err, 404, "not_found", NULL, "Niet gevonden.");
    if (meetings_load_for(request, meeting_id, &meeting, err) != 0)
        return -1;
    if (who->kind == AUTH_KIND_MEMBER && who->organisation_id != organisation_id)
        return alvd_err_set(err, 404, "not_found", NULL, "Niet gevonden.");
    return meetings_ticket_url(http_request_db(request), http_request_app(request)->config.data_dir,
                               http_request_app(request)->config.public_url, meeting_id, organisation_id, url, err);
}

static void tickets_qr(http_request *request, int png)
{
    char url[TICKET_URL_SIZE];
    char *data = NULL;
    size_t length = 0;
    alvd_err err;
    alvd_err_clear(&err);
    long long scale = QR_PNG_SCALE_DEFAULT;
    const char *scale_text = http_request_query(request, "scale");
    if (scale_text && (input_id_text(scale_text, &scale) != 0 || scale > 32)) {
        http_reply_error(request, 400, "bad_scale", "scale", "Schaal moet tussen 1 en 32 liggen.");
        return;
    }
    if (tickets_current_url(request, url, &err) != 0 ||
        (png ? qr_png(url, (int)scale, &data, &length, &err) : qr_svg(url, &data, &length, &err)) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_bytes(request, 200, png ? "image/png" : "image/svg+xml", data, length);
}

void tickets_qr_png(http_request *request) { tickets_qr(request, 1); }
void tickets_qr_svg(http_request *request) { tickets_qr(request, 0); }

/* ---------------------------------------------------------------- ticket login */

void tickets_session_create(http_request *request)
{
    static const char *const fields[] = {"ticket", NULL};
    store_conn *conn = http_request_db(request);
    const char *code = NULL;
    store_result *rows = NULL;
    ticket_keys keys;
    ticket_payload payload;
    alvd_err err;
    alvd_err_clear(&err);
    memset(&keys, 0, sizeof keys);
    if (input_only(http_request_json(request), fields, &err) != 0 ||
        input_string(http_request_json(request), "ticket", 1, 400, &code, &err) != 0 ||
        ticket_keys_load(http_request_app(request)->config.data_dir, &keys, &err) != 0)
        goto fail;
    unsigned char hash[TICKET_HASH_BYTES];
    const char *refusal = NULL;
    if (ticket_verify(keys.public_key, code, &payload, &err) != 0) {
        refusal = "forged";
    } else {
        ticket_code_hash(code, hash);
        if (store_query(conn, &err, &rows,
                        "SELECT t.meeting_id, t.organisation_id, t.code_hash, t.revoked_at IS NOT NULL, m.state, o.name"
                        " FROM tickets t JOIN meetings m ON m.id = t.meeting_id"
                        " JOIN organisations o ON o.id = t.organisation_id WHERE t.id = ?",
                        STORE_PARAMS(STORE_INT_PARAM(payload.ticket_id))) != 0)
            goto fail;
        if (store_result_rows(rows) != 1 || store_result_length(rows, 0, 2) != TICKET_HASH_BYTES ||
            sodium_memcmp(store_result_text(rows, 0, 2), hash, TICKET_HASH_BYTES) != 0 ||
            store_result_int(rows, 0, 0) != payload.meeting_id)
            refusal = "forged";
        else if (store_result_int(rows, 0, 3))
            refusal = "revoked";
        else if (strcmp(store_result_text(rows, 0, 4), "closed") == 0)
            refusal = "meeting_closed";
    }
    if (refusal) {
        /* Only refused tickets count, and only they are ever refused for the count: a
         * signed ticket cannot be guessed, so a phone with its own ticket gets in even
         * while someone on the same hall Wi-Fi address types garbage. */
        if (auth_rate_check(conn, http_request_app(request)->rate_key, "ticket_use", http_request_client(request), 60,
                            TICKET_LOGIN_FAILURES_PER_CLIENT, &err) != 0)
            goto fail;
        auth_rate_record(conn, http_request_app(request)->rate_key, "ticket_use", http_request_client(request), &err);
        audit_actor anonymous = {"anonymous", 0, ""};
        json_t *details = json_pack("{s:s}", "reason", refusal);
        alvd_err ignored;
        audit_append(conn, &ignored, &anonymous, "session.ticket_refused", "ticket", 0, details);
        json_decref(details);
        alvd_err_set(&err, 401, strcmp(refusal, "forged") == 0 ? "ticket_invalid" : refusal, "ticket",
                     "%s",
                     strcmp(refusal, "revoked") == 0
                         ? "Dit ticket is ingetrokken; er is een nieuw ticket uitgegeven. Vraag het secretariaat."
                     : strcmp(refusal, "meeting_closed") == 0 ? "Deze vergadering is gesloten."
                                                              : "Dit ticket is ongeldig. Scan de QR-code opnieuw of vraag het secretariaat.");
        goto fail;
    }
    long long meeting_id = store_result_int(rows, 0, 0), organisation_id = store_result_int(rows, 0, 1);
    char token[TOKEN_TEXT_SIZE], csrf[TOKEN_TEXT_SIZE];
    auth_session_subject subject = {.kind = AUTH_KIND_MEMBER, .organisation_id = organisation_id,
                                    .meeting_id = meeting_id};
    audit_actor actor = {"member", organisation_id, store_result_text(rows, 0, 5)};
    json_t *details = json_pack("{s:I, s:I}", "meeting_id", (json_int_t)meeting_id, "ticket_id",
                                (json_int_t)payload.ticket_id);
    int rc = store_begin(conn, &err) != 0 || auth_session_create(conn, &subject, token, csrf, &err) != 0 ||
             audit_append(conn, &err, &actor, "session.ticket_login", "organisation", organisation_id, details) != 0 ||
             store_commit(conn, &err) != 0;
    json_decref(details);
    if (rc)
        goto fail;
    json_t *who = json_pack("{s:{s:I, s:s}, s:I}", "member", "organisation_id", (json_int_t)organisation_id, "name",
                            store_result_text(rows, 0, 5), "meeting_id", (json_int_t)meeting_id);
    store_result_free(rows);
    ticket_keys_wipe(&keys);
    session_reply_new(request, token, csrf, who);
    return;
fail:
    ticket_keys_wipe(&keys);
    store_result_free(rows);
    store_rollback(conn);
    http_reply_err(request, &err);
}

void tickets_landing_page(http_request *request)
{
    http_reply_web_file(request, "ticket.html");
}

/* The QR code the landing page shows for the door: only for a code that carries a valid
 * signature (so this is no QR service for any text); it holds nothing the URL does not. */
void tickets_landing_qr(http_request *request)
{
    const char *code = http_request_param(request, "ticket");
    char url[TICKET_URL_SIZE];
    char *svg = NULL;
    size_t length = 0;
    ticket_keys keys;
    ticket_payload payload;
    alvd_err err;
    alvd_err_clear(&err);
    memset(&keys, 0, sizeof keys);
    if (code == NULL || strlen(code) >= TICKET_TEXT_SIZE ||
        ticket_keys_load(http_request_app(request)->config.data_dir, &keys, &err) != 0 ||
        ticket_verify(keys.public_key, code, &payload, &err) != 0) {
        ticket_keys_wipe(&keys);
        if (!alvd_err_is_set(&err) || err.status != 500)
            alvd_err_set(&err, 404, "not_found", NULL, "Dit ticket bestaat niet.");
        http_reply_err(request, &err);
        return;
    }
    ticket_keys_wipe(&keys);
    tickets_url(request, code, url);
    if (qr_svg(url, &svg, &length, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_bytes(request, 200, "image/svg+xml", svg, length);
}

/* ---------------------------------------------------------------- convocation */

/* The conditions of electronic participation (BW 2:38a lid 3: announced with the
 * convocation): how a member is identified, follows, votes and speaks from afar. */
static void meetings_remote_conditions(const meeting_info *meeting, const char *conditions, const char *address,
                                       const char *ticket_url, alvd_buf *text, alvd_buf *html)
{
    int minutes = (meeting->remote_disconnect_seconds + 59) / 60;
    const char *follow = meeting->stream_url[0] ? meeting->stream_url : NULL;
    buf_append_str(text, "Deelnemen op afstand (artikel 2:38a BW)\n"
                         "De statuten staan toe dat leden elektronisch deelnemen. Voorwaarden:\n");
    buf_appendf(text,
                "- Identificatie: open uw persoonlijke link voor deelname op afstand,\n  %s?op=afstand\n  en vraag daar"
                " een eenmalige code aan. Die code (6 cijfers, 10 minuten geldig, één keer te gebruiken) sturen wij"
                " naar het geregistreerde e-mailadres van uw organisatie%s%s%s.\n",
                ticket_url, address ? " (" : "", address ? address : "", address ? ")" : "");
    if (follow)
        buf_appendf(text, "- Rechtstreeks volgen: via %s (ook te openen vanaf uw ledenpagina).\n", follow);
    else
        buf_append_str(text, "- Rechtstreeks volgen: de link naar de uitzending staat op uw ledenpagina.\n");
    buf_append_str(text, "- Stemmen: op uw ledenpagina, met hetzelfde stembiljet, dezelfde bevestiging en hetzelfde"
                         " ontvangstbewijs als in de zaal.\n");
    if (meeting->remote_deliberation)
        buf_append_str(text, "- Beraadslagen: u vraagt het woord op dezelfde sprekerslijst als de zaal, of stuurt de"
                             " voorzitter een schriftelijke bijdrage.\n");
    else
        buf_append_str(text, "- Beraadslagen: op afstand volgt en stemt u; het woord voeren kan alleen in de zaal.\n");
    buf_appendf(text,
                "- Aanwezigheid: u telt mee zolang uw pagina verbonden is. Is zij langer dan %d minuten zonder"
                " verbinding, dan wordt u afgemeld (dat wordt vastgelegd); zodra zij weer verbinding heeft, bent u"
                " weer aanwezig. U bent nooit tegelijk in de zaal en op afstand aanwezig: wie binnenkomt, wordt op"
                " afstand afgemeld en omgekeerd.\n"
                "- Volmachten gelden op afstand precies als in de zaal.\n",
                minutes);
    if (conditions && *conditions)
        buf_appendf(text, "- Verder: %s\n", conditions);
    buf_append_str(text, "\n");

    buf_append_str(html, "<h2>Deelnemen op afstand (artikel 2:38a BW)</h2><p>De statuten staan toe dat leden"
                         " elektronisch deelnemen. Voorwaarden:</p><ul><li>Identificatie: open ");
    buf_append_str(html, "<a href=\"");
    buf_append_html(html, ticket_url);
    buf_append_str(html, "?op=afstand\">uw persoonlijke link voor deelname op afstand</a> en vraag daar een eenmalige"
                         " code aan. Die code (6 cijfers, 10 minuten geldig, één keer te gebruiken) sturen wij naar het"
                         " geregistreerde e-mailadres van uw organisatie");
    if (address) {
        buf_append_str(html, " (");
        buf_append_html(html, address);
        buf_append_str(html, ")");
    }
    buf_append_str(html, ".</li><li>Rechtstreeks volgen: ");
    if (follow) {
        buf_append_str(html, "via <a href=\"");
        buf_append_html(html, follow);
        buf_append_str(html, "\">");
        buf_append_html(html, follow);
        buf_append_str(html, "</a> (ook te openen vanaf uw ledenpagina).");
    } else {
        buf_append_str(html, "de link naar de uitzending staat op uw ledenpagina.");
    }
    buf_append_str(html, "</li><li>Stemmen: op uw ledenpagina, met hetzelfde stembiljet, dezelfde bevestiging en"
                         " hetzelfde ontvangstbewijs als in de zaal.</li><li>Beraadslagen: ");
    buf_append_str(html, meeting->remote_deliberation
                             ? "u vraagt het woord op dezelfde sprekerslijst als de zaal, of stuurt de voorzitter een"
                               " schriftelijke bijdrage."
                             : "op afstand volgt en stemt u; het woord voeren kan alleen in de zaal.");
    buf_appendf(html,
                "</li><li>Aanwezigheid: u telt mee zolang uw pagina verbonden is. Is zij langer dan %d minuten"
                " zonder verbinding, dan wordt u afgemeld (dat wordt vastgelegd); zodra zij weer verbinding heeft,"
                " bent u weer aanwezig. U bent nooit tegelijk in de zaal en op afstand aanwezig.</li>"
                "<li>Volmachten gelden op afstand precies als in de zaal.</li>",
                minutes);
    if (conditions && *conditions) {
        buf_append_str(html, "<li>Verder: ");
        buf_append_html(html, conditions);
        buf_append_str(html, "</li>");
    }
    buf_append_str(html, "</ul>");
}

void meetings_convocation(http_request *request)
{
    store_conn *conn = http_request_db(request);
    audit_actor actor = http_request_actor(request);
    long long meeting_id = 0, issued = 0, sent = 0;
    meeting_info meeting;
    ticket_keys keys;
    store_result *rows = NULL, *meeting_row = NULL;
    json_t *agenda = NULL, *details = NULL;
    alvd_buf agenda_text, agenda_html, text, html, remote_text, remote_html;
    alvd_err err;
    alvd_err_clear(&err);
    memset(&keys, 0, sizeof keys);
    buf_init(&remote_text, 16 * 1024);
    buf_init(&remote_html, 32 * 1024);
    buf_init(&agenda_text, 64 * 1024);
    buf_init(&agenda_html, 128 * 1024);
    buf_init(&text, 128 * 1024);
    buf_init(&html, 256 * 1024);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        goto done;
    if (ticket_keys_load(http_request_app(request)->config.data_dir, &keys, &err) != 0 || store_begin(conn, &err) != 0 ||
        store_query(conn, &err, &meeting_row,
                    "SELECT title, date, starts_at, location, notice_days, remote_conditions FROM meetings"
                    " WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0 ||
        meetings_load(conn, meeting_id, &meeting, &err) != 0)
        goto fail;
    if (strcmp(meeting.state, "planned") != 0) {
        alvd_err_set(&err, 409, "meeting_started", NULL, "De oproeping gaat uit vóór de vergadering begint.");
        goto fail;
    }
    if (tickets_issue_missing(conn, &keys, &meeting, http_request_principal(request)->user_id, &issued, &err) != 0 ||
        service_agenda_json(conn, meeting_id, &agenda, &err) != 0)
        goto fail;
    rules_day meeting_day = 0;
    rules_date_parse(meeting.date, NULL, &meeting_day, NULL);
    char long_date[RULES_LONG_DATE_SIZE];
    rules_date_format_long(meeting_day, RULES_LANG_NL, long_date, sizeof long_date);
    size_t index;
    json_t *item;
    buf_append_str(&agenda_html, "<ol>");
    json_array_foreach(agenda, index, item) {
        const char *title = json_string_value(json_object_get(item, "title"));
        buf_appendf(&agenda_text, "  %zu. %s\n", index + 1, title);
        buf_append_str(&agenda_html, "<li>");
        buf_append_html(&agenda_html, title);
        buf_append_str(&agenda_html, "</li>");
    }
    buf_append_str(&agenda_html, "</ol>");
    if (json_array_size(agenda) == 0)
        buf_append_str(&agenda_text, "  (de agenda volgt)\n");
    /* One message per contact person of each voting member, with that member's ticket. */
    if (store_query(conn, &err, &rows,
                    "SELECT c.email, c.name, o.name, t.id, t.nonce, o.email FROM tickets t"
                    " JOIN organisations o ON o.id = t.organisation_id"
                    " JOIN contacts c ON c.organisation_id = t.organisation_id AND c.removed_at IS NULL"
                    " WHERE t.meeting_id = ? AND t.revoked_at IS NULL ORDER BY o.name, c.id",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        goto fail;
    char subject[1024];
    snprintf(subject, sizeof subject, "Oproeping: %s op %s", meeting.title, long_date);
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        char code[TICKET_TEXT_SIZE], url[TICKET_URL_SIZE];
        if (tickets_code(&keys, meeting_id, store_result_int(rows, r, 3), store_result_text(rows, r, 4),
                         store_result_length(rows, r, 4), code, &err) != 0)
            goto fail;
        tickets_url(request, code, url);
        buf_free(&text);
        buf_free(&html);
        buf_free(&remote_text);
        buf_free(&remote_html);
        buf_init(&text, 128 * 1024);
        buf_init(&html, 256 * 1024);
        buf_init(&remote_text, 16 * 1024);
        buf_init(&remote_html, 32 * 1024);
        if (meeting.electronic_participation)
            meetings_remote_conditions(&meeting, store_result_text(meeting_row, 0, 5), store_result_text(rows, r, 5), url,
                                       &remote_text, &remote_html);
        buf_appendf(&text,
                    "Beste %s,\n\nHierbij roepen wij %s op voor de %s op %s om %s uur, %s.\n\nAgenda:\n%s\n%s"
                    "De voorstelteksten (met de wijzigingen ten opzichte van de huidige Code) en de agenda staan op"
                    " uw persoonlijke ledenpagina:\n%s\n\n"
                    "Dit is ook uw persoonlijke toegangsbewijs: toon de QR-code of deze link bij de ingang, of open hem"
                    " op de telefoon waarmee u wilt stemmen. Deel hem niet: wie de link heeft, kan namens %s"
                    " binnenkomen. Eén stem per lid.\n\nMet vriendelijke groet,\nSecretariaat Klantenservice Federatie (KSF)\n",
                    store_result_text(rows, r, 1), store_result_text(rows, r, 2), meeting.title, long_date,
                    store_result_text(meeting_row, 0, 2), store_result_text(meeting_row, 0, 3), agenda_text.data,
                    remote_text.length ? remote_text.data : "", url, store_result_text(rows, r, 2));
        buf_append_str(&html, "<!doctype html><html lang=\"nl\"><body><p>Beste ");
        buf_append_html(&html, store_result_text(rows, r, 1));
        buf_append_str(&html, ",</p><p>Hierbij roepen wij ");
        buf_append_html(&html, store_result_text(rows, r, 2));
        buf_append_str(&html, " op voor de ");
        buf_append_html(&html, meeting.title);
        buf_appendf(&html, " op %s om %s uur, ", long_date, store_result_text(meeting_row, 0, 2));
        buf_append_html(&html, store_result_text(meeting_row, 0, 3));
        buf_append_str(&html, ".</p><h2>Agenda</h2>");
        buf_append(&html, agenda_html.data, agenda_html.length);
        if (remote_html.length)
            buf_append(&html, remote_html.data, remote_html.length);
        buf_append_str(&html, "<p><a href=\"");
        buf_append_html(&html, url);
        buf_append_str(&html, "\">Uw ledenpagina met de voorstelteksten en uw toegangsbewijs</a></p>"
                              "<p>Toon deze link of de QR-code bij de ingang, of open hem op de telefoon waarmee u wilt"
                              " stemmen. Deel hem niet.</p><p>Met vriendelijke groet,<br>Secretariaat KSF</p></body></html>");
        mail_message message = {store_result_text(rows, r, 0), subject, text.data, html.data, "convocation"};
        if (outbox_enqueue(conn, &message, NULL, &err) != 0)
            goto fail;
        sent++;
    }
    /* R: a short notice is a warning, not an error. */
    rules_notice_check notice;
    char today_text[RULES_DATE_TEXT_SIZE];
    rules_day today = 0;
    meetings_today(http_request_app(request), today_text);
    rules_date_parse(today_text, NULL, &today, NULL);
    rules_check_meeting_notice(today, meeting_day, (int)store_result_int(meeting_row, 0, 4), 1, &notice);
    details = json_pack("{s:I, s:I, s:b}", "messages", (json_int_t)sent, "tickets_issued", (json_int_t)issued,
                        "notice_sufficient", notice.sufficient);
    if (audit_append(conn, &err, &actor, "meeting.convocation", "meeting", meeting_id, details) != 0 ||
        store_execute(conn, &err, NULL, "UPDATE meetings SET convened_at = UTC_TIMESTAMP(6) WHERE id = ?",
                      STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0 ||
        store_commit(conn, &err) != 0)
        goto fail;
    char latest[RULES_DATE_TEXT_SIZE];
    json_t *warnings = json_array();
    if (!notice.sufficient)
        json_array_append_new(warnings, json_string(notice.warning));
    http_reply_json(request, 200,
                    json_pack("{s:I, s:I, s:{s:b, s:i, s:s}, s:o}", "messages", (json_int_t)sent, "tickets_issued",
                              (json_int_t)issued, "notice", "sufficient", notice.sufficient, "days_given",
                              (int)notice.days_given, "latest_send", rules_date_format(notice.latest_send, latest),
                              "warnings", warnings));
    goto done;
fail:
    store_rollback(conn);
    http_reply_err(request, &err);
done:
    ticket_keys_wipe(&keys);
    store_result_free(rows);
    store_result_free(meeting_row);
    json_decref(agenda);
    json_decref(details);
    buf_free(&agenda_text);
    buf_free(&agenda_html);
    buf_free(&text);
    buf_free(&html);
    buf_free(&remote_text);
    buf_free(&remote_html);
}
