/* The presence ledger over HTTP: door scans, desk entries, the attendance list at an
 * instant, the presentielijst (CSV), the timeline and refused scans: parse, one service
 * call, render. The ledger's rules and locks are in service/attendance.c. */
#include "alvd/api/attendance.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "alvd/base/buf.h"
#include "alvd/http/auth.h"
#include "alvd/http/input.h"
#include "alvd/rules/dates.h"

#define ATTENDANCE_CSV_CAP (4 * 1024 * 1024)
#define ATTENDANCE_NONCE_MAX 64

/* ---------------------------------------------------------------- recording a change */

static attendance_recorder attendance_recorder_of(http_request *request, const audit_actor *actor)
{
    const auth_principal *who = http_request_principal(request);
    return (attendance_recorder){actor, who->kind == AUTH_KIND_USER ? who->user_id : 0};
}

static void attendance_reply_outcome(http_request *request, const char *direction,
                                     const attendance_outcome *outcome)
{
    json_t *body = json_pack("{s:s, s:s, s:{s:I, s:s}, s:I, s:b}", "result", outcome->result, "direction",
                             direction, "organisation", "id", (json_int_t)outcome->organisation_id, "name",
                             outcome->name, "present", (json_int_t)outcome->present, "replayed",
                             outcome->replayed);
    if (!outcome->replayed) {
        json_object_set_new(body, "represented", json_integer(outcome->represented));
        json_object_set_new(body, "eligible", json_integer(outcome->eligible));
    }
    http_reply_json(request, 200, body);
}

void attendance_scan(http_request *request)
{
    static const char *const directions[] = {"entry", "exit", NULL};
    json_t *body = http_request_json(request);
    audit_actor actor = http_request_actor(request);
    attendance_recorder recorder = attendance_recorder_of(request, &actor);
    const char *scanned = NULL, *direction = NULL, *nonce = NULL;
    long long meeting_id = 0;
    attendance_outcome outcome;
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    if (input_string(body, "ticket", 1, 2000, &scanned, &err) != 0 ||
        input_choice(body, "direction", 1, directions, &direction, &err) != 0 ||
        input_string(body, "nonce", 1, ATTENDANCE_NONCE_MAX, &nonce, &err) != 0 ||
        service_attendance_scan(http_request_db(request), http_request_app(request), &recorder, meeting_id, scanned,
                                direction, nonce, &outcome, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    attendance_reply_outcome(request, direction, &outcome);
}

void attendance_manual(http_request *request)
{
    static const char *const directions[] = {"entry", "exit", NULL};
    json_t *body = http_request_json(request);
    audit_actor actor = http_request_actor(request);
    attendance_recorder recorder = attendance_recorder_of(request, &actor);
    const char *direction = NULL, *nonce = NULL;
    long long meeting_id = 0, organisation_id = 0;
    attendance_outcome outcome;
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    if (input_integer(body, "organisation_id", 1, 1, INT64_MAX, &organisation_id, NULL, &err) != 0 ||
        input_choice(body, "direction", 1, directions, &direction, &err) != 0 ||
        input_string(body, "nonce", 0, ATTENDANCE_NONCE_MAX, &nonce, &err) != 0 ||
        service_attendance_manual(http_request_db(request), &recorder, meeting_id, organisation_id, direction, nonce,
                                  &outcome, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    attendance_reply_outcome(request, direction, &outcome);
}

/* ---------------------------------------------------------------- reading the ledger */

static json_t *attendance_member_json(const store_result *rows, size_t r, const attendance_snapshot *snapshot)
{
    const attendance_member *member = store_attendance_snapshot_find(snapshot, store_result_int(rows, r, 0));
    json_t *row = store_result_row_json(rows, r);
    json_object_set_new(row, "organisation_id", json_integer(store_result_int(rows, r, 0)));
    json_object_del(row, "id");
    json_object_set_new(row, "inside", json_boolean(member && member->inside));
    json_object_set_new(row, "channel",
                        member && member->inside ? json_string(member->remote ? "remote" : "hall") : json_null());
    json_object_set_new(row, "was_present", json_boolean(member && member->was_present));
    json_object_set_new(row, "remote_ever", json_boolean(store_result_int(rows, r, 5)));
    json_object_set_new(row, "represented_by",
                        member && member->represented_by ? json_integer(member->represented_by) : json_null());
    json_object_set_new(row, "proxies_held", json_integer(member ? member->proxies_held : 0));
    return row;
}

void attendance_get(http_request *request)
{
    long long meeting_id = 0;
    const char *at = http_request_query(request, "at");
    attendance_view view;
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    if (service_attendance_list(http_request_db(request), http_request_app(request), meeting_id, at, &view, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *members = json_array();
    for (size_t r = 0; r < store_result_rows(view.rows); r++)
        json_array_append_new(members, attendance_member_json(view.rows, r, &view.snapshot));
    json_t *body = service_attendance_counts_json(&view.snapshot);
    json_object_set_new(body, "meeting_id", json_integer(meeting_id));
    json_object_set_new(body, "members_total", json_integer((json_int_t)view.snapshot.count));
    json_object_set_new(body, "at", at && *at ? json_string(at) : json_null());
    json_object_set_new(body, "members", members);
    service_attendance_view_free(&view);
    http_reply_json(request, 200, body);
}

static void attendance_local_time(long long unix_seconds, char *out, size_t size)
{
    if (unix_seconds <= 0) {
        snprintf(out, size, "%s", "");
        return;
    }
    rules_local_time local;
    char date[RULES_DATE_TEXT_SIZE];
    rules_amsterdam_local(unix_seconds, &local);
    snprintf(out, size, "%s %02d:%02d", rules_date_format(local.day, date), local.hour, local.minute);
}

static void attendance_csv_line(alvd_buf *csv, const store_result *rows, size_t r, const attendance_snapshot *snapshot)
{
    const attendance_member *member = store_attendance_snapshot_find(snapshot, store_result_int(rows, r, 0));
    char first[40], last[40];
    attendance_local_time(store_result_int(rows, r, 4), first, sizeof first);
    attendance_local_time(store_result_int(rows, r, 5), last, sizeof last);
    buf_append_csv(csv, store_result_text(rows, r, 1));
    buf_append_str(csv, ";");
    buf_append_csv(csv, store_result_text(rows, r, 2));
    buf_append_str(csv, ";");
    buf_append_csv(csv, store_result_text(rows, r, 3));
    buf_appendf(csv, ";%s;%s;%s;%s;", member && member->was_present ? "ja" : "nee", first, last,
                member && member->inside ? "ja" : "nee");
    const char *holder = store_result_text(rows, r, 6);
    buf_append_csv(csv, holder ? holder : "");
    buf_appendf(csv, ";%s;%s\r\n", member && member->inside ? (member->remote ? "op afstand" : "zaal") : "",
                store_result_int(rows, r, 7) ? "ja" : "nee");
}

/* The presentielijst as CSV (semicolons, as Dutch spreadsheets expect, with a BOM). */
void attendance_csv(http_request *request)
{
    long long meeting_id = 0;
    attendance_view view;
    alvd_buf csv;
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    if (service_attendance_register(http_request_db(request), meeting_id, &view, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    buf_init(&csv, ATTENDANCE_CSV_CAP);
    buf_append_str(&csv, "\xEF\xBB\xBF");
    buf_append_str(&csv, "organisatie;lidnummer;kvk;aanwezig_geweest;eerste_binnenkomst;laatste_vertrek;nu_binnen;volmacht_aan;"
                         "nu_via;op_afstand_deelgenomen\r\n");
    for (size_t r = 0; r < store_result_rows(view.rows); r++)
        attendance_csv_line(&csv, view.rows, r, &view.snapshot);
    service_attendance_view_free(&view);
    if (csv.overflowed) {
        buf_free(&csv);
        http_reply_error(request, 413, "too_large", NULL, "De lijst is te groot.");
        return;
    }
    size_t length = 0;
    char *data = buf_take(&csv, &length);
    http_reply_bytes(request, 200, "text/csv; charset=utf-8", data, length);
    char disposition[96];
    snprintf(disposition, sizeof disposition, "attachment; filename=\"presentielijst-%lld.csv\"", meeting_id);
    http_reply_header(request, "Content-Disposition", disposition);
}

/* Presence over time: one point per ledger event (for the chart and the minutes),
 * replayed from the members before any event. */
static json_t *attendance_points(const store_result *rows, attendance_snapshot *members, long long *peak)
{
    json_t *points = json_array();
    long long present = 0, remote = 0;
    *peak = 0;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        attendance_member *member = store_attendance_snapshot_member(members, store_result_int(rows, r, 1));
        if (member == NULL)
            continue;
        int entering = strcmp(store_result_text(rows, r, 2), "entry") == 0;
        int via_remote = strcmp(store_result_text(rows, r, 3), "remote") == 0;
        if (entering != member->inside) {
            member->inside = entering;
            present += entering ? 1 : -1;
            remote += via_remote ? (entering ? 1 : -1) : 0;
        }
        if (present > *peak)
            *peak = present;
        char at[RULES_RFC3339_SIZE];
        rules_amsterdam_rfc3339(store_result_int(rows, r, 0), at);
        json_array_append_new(points, json_pack("{s:s, s:I, s:I}", "at", at, "present", (json_int_t)present,
                                                "present_remote", (json_int_t)remote));
    }
    return points;
}

void attendance_timeline(http_request *request)
{
    long long meeting_id = 0, peak = 0;
    attendance_view view;
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    if (service_attendance_timeline(http_request_db(request), meeting_id, &view, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *points = attendance_points(view.rows, &view.snapshot, &peak);
    json_t *body = json_pack("{s:I, s:I, s:I, s:o}", "meeting_id", (json_int_t)meeting_id, "members_total",
                             (json_int_t)view.snapshot.count, "peak", (json_int_t)peak, "points", points);
    service_attendance_view_free(&view);
    http_reply_json(request, 200, body);
}

void attendance_failures(http_request *request)
{
    long long meeting_id = 0;
    store_result *rows = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    if (service_attendance_failures(http_request_db(request), meeting_id, &rows, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *items = store_result_json(rows);
    store_result_free(rows);
    http_reply_json(request, 200, json_pack("{s:o}", "items", items));
}
