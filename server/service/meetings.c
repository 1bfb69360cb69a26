/* Meetings as a unit of work: create, change settings, open and close (with the
 * attendance and the floor), and who may see one. The convocation is in convocation.c. */
#include "alvd/service/meetings.h"

#include <stdio.h>
#include <string.h>

#include "alvd/base/clock.h"
#include "alvd/rules/dates.h"
#include "alvd/service/agenda.h"
#include "alvd/store/events.h"
#include "alvd/store/attendance.h"
#include "alvd/store/organisations.h"
#include "alvd/service/attendance.h"

int service_meetings_load_for(store_conn *conn, const auth_principal *who, long long meeting_id,
                              meeting_info *out, alvd_err *err)
{
    if (who->kind == AUTH_KIND_MEMBER && who->meeting_id != meeting_id)
        return alvd_err_set(err, 404, "not_found", NULL, "Vergadering niet gevonden.");
    if (who->kind != AUTH_KIND_MEMBER && !(who->roles & AUTH_STAFF))
        return alvd_err_set(err, 404, "not_found", NULL, "Vergadering niet gevonden.");
    return store_meetings_load(conn, meeting_id, out, err);
}

/* Row r of store_meetings_get/list as JSON, its flags as booleans. */
static json_t *meetings_row_json(store_result *rows, size_t r)
{
    json_t *meeting = store_result_row_json(rows, r);
    json_object_set_new(meeting, "proxies_allowed",
                        json_boolean(store_result_int(rows, r, STORE_MEETINGS_COLUMN_PROXIES)));
    json_object_set_new(meeting, "electronic_participation",
                        json_boolean(store_result_int(rows, r, STORE_MEETINGS_COLUMN_ELECTRONIC)));
    json_object_set_new(meeting, "remote_deliberation",
                        json_boolean(store_result_int(rows, r, STORE_MEETINGS_COLUMN_DELIBERATION)));
    return meeting;
}

int service_meetings_view(store_conn *conn, long long meeting_id, json_t **out, alvd_err *err)
{
    store_result *rows = NULL;
    *out = NULL;
    if (store_meetings_get(conn, meeting_id, &rows, err) != 0)
        return -1;
    json_t *meeting = meetings_row_json(rows, 0);
    store_result_free(rows);
    json_t *agenda = NULL;
    attendance_snapshot snapshot;
    if (service_agenda_json(conn, meeting_id, &agenda, err) != 0 ||
        store_attendance_snapshot_at(conn, meeting_id, NULL, &snapshot, err) != 0) {
        json_decref(agenda);
        json_decref(meeting);
        return -1;
    }
    json_object_set_new(meeting, "agenda", agenda);
    json_object_set_new(meeting, "attendance", service_attendance_counts_json(&snapshot));
    json_object_set_new(meeting, "members_total", json_integer((json_int_t)snapshot.count));
    store_attendance_snapshot_free(&snapshot);
    *out = meeting;
    return 0;
}

int service_meetings_list(store_conn *conn, json_t **items, alvd_err *err)
{
    store_result *rows = NULL;
    *items = NULL;
    if (store_meetings_list(conn, &rows, err) != 0)
        return -1;
    json_t *list = json_array();
    for (size_t r = 0; r < store_result_rows(rows); r++)
        json_array_append_new(list, meetings_row_json(rows, r));
    store_result_free(rows);
    *items = list;
    return 0;
}

/* The delegate's own status: checked in, or represented by a proxy. */
static int meetings_member_status(store_conn *conn, const auth_principal *who, long long meeting_id, json_t *meeting,
                                  alvd_err *err)
{
    attendance_snapshot snapshot;
    char name[801];
    int named = 0;
    if (store_attendance_snapshot_at(conn, meeting_id, NULL, &snapshot, err) != 0)
        return -1;
    if (store_organisations_name(conn, who->organisation_id, 0, name, sizeof name, &named, err) != 0) {
        store_attendance_snapshot_free(&snapshot);
        return -1;
    }
    const attendance_member *me = store_attendance_snapshot_find(&snapshot, who->organisation_id);
    json_object_set_new(meeting, "me",
                        json_pack("{s:I, s:s, s:b, s:o, s:I}", "organisation_id", (json_int_t)who->organisation_id,
                                  "name", name, "inside", me && me->inside, "represented_by",
                                  me && me->represented_by ? json_integer(me->represented_by) : json_null(),
                                  "proxies_held", (json_int_t)(me ? me->proxies_held : 0)));
    json_object_set_new(json_object_get(meeting, "me"), "channel",
                        me && me->inside ? json_string(me->remote ? "remote" : "hall") : json_null());
    store_attendance_snapshot_free(&snapshot);
    return 0;
}

int service_meetings_get(store_conn *conn, const auth_principal *who, long long meeting_id, json_t **out,
                         alvd_err *err)
{
    meeting_info meeting;
    *out = NULL;
    if (service_meetings_load_for(conn, who, meeting_id, &meeting, err) != 0 ||
        service_meetings_view(conn, meeting_id, out, err) != 0)
        return -1;
    if (who->kind == AUTH_KIND_MEMBER && meetings_member_status(conn, who, meeting_id, *out, err) != 0) {
        json_decref(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

/* Warnings for the secretariat, e.g. a convocation sent today would be too late. */
static json_t *meetings_warnings(const alvd_app *app, const char *date, long long notice_days)
{
    json_t *warnings = json_array();
    rules_day meeting_day, today;
    char today_text[RULES_DATE_TEXT_SIZE];
    rules_date_format(clock_today(&app->config), today_text);
    if (rules_date_parse(date, NULL, &meeting_day, NULL) == 0 && rules_date_parse(today_text, NULL, &today, NULL) == 0) {
        rules_notice_check check;
        rules_check_meeting_notice(today, meeting_day, (int)notice_days, 0, &check);
        if (!check.sufficient)
            json_array_append_new(warnings, json_string(check.warning));
    }
    return warnings;
}

int service_meetings_create(store_conn *conn, const alvd_app *app, const audit_actor *actor, long long user_id,
                            const meeting_settings *settings, json_t **meeting, alvd_err *err)
{
    long long id = 0;
    json_t *details = NULL;
    *meeting = NULL;
    if (store_begin(conn, err) != 0 || store_meetings_insert(conn, settings, user_id, &id, err) != 0)
        goto fail;
    details = json_pack("{s:s, s:s}", "title", settings->title, "date", settings->date);
    if (audit_append(conn, err, actor, "meeting.create", "meeting", id, details) != 0 ||
        store_commit(conn, err) != 0 || service_meetings_view(conn, id, meeting, err) != 0)
        goto fail;
    json_object_set_new(*meeting, "warnings", meetings_warnings(app, settings->date, settings->notice_days));
    json_decref(details);
    return 0;
fail:
    json_decref(details);
    store_rollback(conn);
    return -1;
}

/* The changes the state of the meeting refuses: electronic participation is settled
 * before the meeting (switching it during the meeting would strand the members who
 * follow it from afar, or let in members the convocation never invited), and the date
 * is what the meeting opens on (and what the convocation named): moving it is a change
 * of record, refused once the meeting is open, and audited with both dates. */
static int meetings_check_change(store_conn *conn, const audit_actor *actor, long long meeting_id,
                                 const meeting_record *record, const meeting_settings *settings, alvd_err *err)
{
    if (settings->electronic_participation != record->settings.electronic_participation &&
        strcmp(record->state, "planned") != 0)
        return alvd_err_set(err, 409, "meeting_open", "electronic_participation",
                            "Elektronische deelname wordt vóór de vergadering geregeld; tijdens de vergadering ligt "
                            "zij vast.");
    if (strcmp(settings->date, record->settings.date) == 0)
        return 0;
    if (strcmp(record->state, "planned") != 0)
        return alvd_err_set(err, 409, "meeting_open", "date", "De datum van een geopende vergadering ligt vast.");
    json_t *moved = json_pack("{s:s, s:s, s:b}", "from", record->settings.date, "to", settings->date, "convened",
                              record->convened);
    int rc = audit_append(conn, err, actor, "meeting.date_changed", "meeting", meeting_id, moved);
    json_decref(moved);
    return rc;
}

int service_meetings_update(store_conn *conn, const audit_actor *actor, long long meeting_id,
                            service_meetings_apply_fn apply, void *context, json_t *details, json_t **meeting,
                            alvd_err *err)
{
    meeting_record record;
    memset(&record, 0, sizeof record);
    *meeting = NULL;
    if (store_begin(conn, err) != 0 || store_meetings_lock_record(conn, meeting_id, &record, err) != 0)
        goto fail;
    if (strcmp(record.state, "closed") == 0) {
        alvd_err_set(err, 409, "meeting_closed", NULL, "Een gesloten vergadering kan niet meer worden gewijzigd.");
        goto fail;
    }
    meeting_settings settings = record.settings;
    if (apply(context, &settings, err) != 0 ||
        meetings_check_change(conn, actor, meeting_id, &record, &settings, err) != 0 ||
        audit_append(conn, err, actor, "meeting.update", "meeting", meeting_id, details) != 0 ||
        store_meetings_update(conn, meeting_id, &settings, err) != 0 ||
        store_events_append(conn, meeting_id, EVENTS_KIND_MEETING, NULL, err) != 0 || store_commit(conn, err) != 0 ||
        service_meetings_view(conn, meeting_id, meeting, err) != 0)
        goto fail;
    store_meetings_record_free(&record);
    return 0;
fail:
    store_meetings_record_free(&record);
    store_rollback(conn);
    return -1;
}

/* A meeting opens only on its own date (Europe/Amsterdam): its decisions are dated by
 * the day their polls close, and a meeting held on another day than the one convened
 * is not the meeting the members were called to. 409 not_meeting_day with both dates. */
static int meetings_check_meeting_day(const alvd_app *app, const char *meeting_date,
                                      service_meetings_other_day *other_day, alvd_err *err)
{
    rules_day meeting_day = 0, today = clock_today(&app->config);
    char meeting_long[RULES_LONG_DATE_SIZE], today_long[RULES_LONG_DATE_SIZE];
    if (rules_date_parse(meeting_date, NULL, &meeting_day, NULL) != 0 || meeting_day == today)
        return 0;
    rules_date_format_long(meeting_day, RULES_LANG_NL, meeting_long, sizeof meeting_long);
    rules_date_format_long(today, RULES_LANG_NL, today_long, sizeof today_long);
    snprintf(other_day->meeting_date, sizeof other_day->meeting_date, "%s", meeting_date);
    rules_date_format(today, other_day->today);
    return alvd_err_set(err, 409, "not_meeting_day", NULL,
                        "Deze vergadering staat op %s; vandaag is het %s. Een vergadering wordt alleen op haar eigen "
                        "datum geopend. Wordt zij vandaag gehouden, zet dan eerst de datum op vandaag (die wijziging "
                        "komt in het logboek).",
                        meeting_long, today_long);
}

/* Close in the caller's transaction, the meeting row locked. A poll still open would
 * lose its voters: the chair closes it first (opening a poll needs an open meeting, so
 * none can open between this check and the close). Everyone is checked out (exit events
 * with source "close", A3) and the floor closes with the meeting. */
static int meetings_close_locked(store_conn *conn, const audit_actor *actor, long long meeting_id,
                                 long long *checked_out, alvd_err *err)
{
    long long open_polls = 0;
    if (store_meetings_open_polls(conn, meeting_id, &open_polls, err) != 0)
        return -1;
    if (open_polls > 0)
        return alvd_err_set(err, 409, "poll_open", NULL,
                            "Er loopt nog een stemming; sluit eerst de stemming en daarna de vergadering.");
    if (service_attendance_close_all(conn, meeting_id, actor, checked_out, err) != 0 ||
        store_meetings_end_floor(conn, meeting_id, err) != 0 || store_meetings_mark_closed(conn, meeting_id, err) != 0 ||
        service_attendance_publish(conn, meeting_id, "close", err) != 0)
        return -1;
    return 0;
}

/* Open in the caller's transaction, the meeting row locked. */
static int meetings_open_locked(store_conn *conn, const alvd_app *app, const audit_actor *actor, long long meeting_id,
                                alvd_err *err)
{
    char opened_at[CLOCK_SQL_SIZE];
    clock_sql_now(&app->config, opened_at);
    if (audit_append(conn, err, actor, "meeting.open", "meeting", meeting_id, NULL) != 0 ||
        store_meetings_mark_open(conn, meeting_id, opened_at, err) != 0)
        return -1;
    return 0;
}

int service_meetings_transition(store_conn *conn, const alvd_app *app, const audit_actor *actor,
                                long long meeting_id, int closing, json_t **meeting, long long *checked_out,
                                service_meetings_other_day *other_day, alvd_err *err)
{
    char state[8], date[11];
    *meeting = NULL;
    *checked_out = 0;
    if (store_begin(conn, err) != 0 || store_meetings_lock_state(conn, meeting_id, state, date, err) != 0)
        goto fail;
    if (strcmp(state, "closed") == 0) {
        alvd_err_set(err, 409, "meeting_closed", NULL, "Deze vergadering is al gesloten.");
        goto fail;
    }
    if (!closing && strcmp(state, "open") == 0) {
        alvd_err_set(err, 409, "meeting_open", NULL, "Deze vergadering is al geopend.");
        goto fail;
    }
    if ((!closing && meetings_check_meeting_day(app, date, other_day, err) != 0) ||
        (closing ? meetings_close_locked(conn, actor, meeting_id, checked_out, err)
                 : meetings_open_locked(conn, app, actor, meeting_id, err)) != 0)
        goto fail;
    json_t *payload = json_pack("{s:s}", "state", closing ? "closed" : "open");
    int rc = store_events_append(conn, meeting_id, EVENTS_KIND_MEETING, payload, err);
    json_decref(payload);
    if (rc != 0 || store_commit(conn, err) != 0 || service_meetings_view(conn, meeting_id, meeting, err) != 0)
        goto fail;
    return 0;
fail:
    store_rollback(conn);
    return -1;
}
