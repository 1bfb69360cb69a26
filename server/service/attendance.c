/* The presence ledger's flows: door scans (signature first, then revocation and meeting),
 * desk entries, check-out at close, and the counts published with every change.
 * Lock order everywhere: meeting row, then member rows by organisation id; ledger rows
 * are only inserted after that. A presence change holds the meeting row (before issue 17
 * the audit chain's global row did this), so the count each answer carries is exact. */
#include "alvd/service/attendance.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "alvd/service/remote.h"
#include "alvd/crypto/ticket.h"
#include "alvd/rules/dates.h"
#include "alvd/store/remote.h"
#include "alvd/store/events.h"
#include "alvd/store/meetings.h"
#include "alvd/store/organisations.h"

/* ---------------------------------------------------------------- counts */

json_t *service_attendance_counts_json(const attendance_snapshot *snapshot)
{
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "present", (json_int_t)snapshot->present, "present_hall",
                     (json_int_t)(snapshot->present - snapshot->present_remote), "present_remote",
                     (json_int_t)snapshot->present_remote, "represented", (json_int_t)snapshot->represented,
                     "eligible", (json_int_t)snapshot->eligible, "was_present", (json_int_t)snapshot->was_present);
}

static int attendance_publish_snapshot(store_conn *conn, long long meeting_id, const attendance_snapshot *snapshot,
                                       const char *reason, alvd_err *err)
{
    json_t *payload = service_attendance_counts_json(snapshot);
    json_object_set_new(payload, "reason", json_string(reason));
    int rc = store_events_append(conn, meeting_id, EVENTS_KIND_ATTENDANCE, payload, err);
    json_decref(payload);
    return rc;
}

int service_attendance_publish(store_conn *conn, long long meeting_id, const char *reason, alvd_err *err)
{
    attendance_snapshot snapshot;
    if (store_attendance_snapshot_at(conn, meeting_id, NULL, &snapshot, err) != 0)
        return -1;
    int rc = attendance_publish_snapshot(conn, meeting_id, &snapshot, reason, err);
    store_attendance_snapshot_free(&snapshot);
    return rc;
}

int service_attendance_close_all(store_conn *conn, long long meeting_id, const audit_actor *actor,
                                 long long *checked_out, alvd_err *err)
{
    attendance_snapshot snapshot = {0};
    *checked_out = 0;
    if (store_attendance_lock_members(conn, meeting_id, err) != 0 ||
        store_attendance_snapshot_at(conn, meeting_id, NULL, &snapshot, err) != 0)
        return -1;
    json_t *details = json_pack("{s:I}", "inside", (json_int_t)snapshot.present);
    int rc = audit_append(conn, err, actor, "attendance.close_all", "meeting", meeting_id, details);
    json_decref(details);
    for (size_t i = 0; rc == 0 && i < snapshot.count; i++) {
        if (!snapshot.members[i].inside)
            continue;
        rc = store_attendance_insert_event(conn, meeting_id, snapshot.members[i].organisation_id, "exit",
                                           snapshot.members[i].remote ? "remote" : "hall", "close", err);
        if (rc == 0)
            (*checked_out)++;
    }
    store_attendance_snapshot_free(&snapshot);
    if (rc == 0)
        rc = store_remote_presence_forget(conn, meeting_id, 0, err);
    return rc;
}

/* ---------------------------------------------------------------- instants */

static int attendance_digits(const char *text, int count, int *out)
{
    int value = 0;
    for (int i = 0; i < count; i++) {
        if (!isdigit((unsigned char)text[i]))
            return -1;
        value = value * 10 + (text[i] - '0');
    }
    *out = value;
    return 0;
}

/* The fraction ".ffffff" (any number of digits, microseconds kept) and the zone "Z" or
 * "±HH:MM" after the seconds; *offset in seconds east of UTC. -1 when malformed. */
static int attendance_instant_tail(const char *p, int *micro, long long *offset)
{
    *micro = 0;
    *offset = 0;
    if (*p == '.') {
        int digits = 0;
        for (p++; isdigit((unsigned char)*p); p++, digits++)
            if (digits < 6)
                *micro = *micro * 10 + (*p - '0');
        if (digits == 0)
            return -1;
        for (; digits < 6; digits++)
            *micro *= 10;
    }
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int offset_hours, offset_minutes;
        if (attendance_digits(p + 1, 2, &offset_hours) || p[3] != ':' ||
            attendance_digits(p + 4, 2, &offset_minutes) || offset_hours > 23 || offset_minutes > 59)
            return -1;
        *offset = (offset_hours * 3600LL + offset_minutes * 60LL) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        return -1;
    }
    return *p == '\0' ? 0 : -1;
}

int service_attendance_instant_parse(const char *text, const char *field, char out[ATTENDANCE_INSTANT_SIZE],
                                     alvd_err *err)
{
    int year, month, day, hour, minute, second, micro = 0;
    long long offset = 0;
    const char *p = text;
    if (text == NULL || strlen(text) < 20 || attendance_digits(p, 4, &year) || p[4] != '-' ||
        attendance_digits(p + 5, 2, &month) || p[7] != '-' || attendance_digits(p + 8, 2, &day) ||
        (p[10] != 'T' && p[10] != 't' && p[10] != ' ') || attendance_digits(p + 11, 2, &hour) ||
        p[13] != ':' || attendance_digits(p + 14, 2, &minute) || p[16] != ':' ||
        attendance_digits(p + 17, 2, &second) || !rules_date_is_valid(year, month, day) || hour > 23 ||
        minute > 59 || second > 59 || attendance_instant_tail(p + 19, &micro, &offset) != 0)
        goto bad;
    long long seconds = (long long)rules_day_from_ymd(year, month, day) * 86400LL + hour * 3600LL +
                        minute * 60LL + second - offset;
    long long days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
    long long rest = seconds - days * 86400;
    int y, m, d;
    rules_day_to_ymd((rules_day)days, &y, &m, &d);
    if (y < RULES_YEAR_MIN || y > RULES_YEAR_MAX ||
        snprintf(out, ATTENDANCE_INSTANT_SIZE, "%04d-%02d-%02d %02lld:%02lld:%02lld.%06d", y, m, d, rest / 3600,
                 rest % 3600 / 60, rest % 60, micro) >= ATTENDANCE_INSTANT_SIZE)
        goto bad;
    return 0;
bad:
    return alvd_err_set(err, 400, "bad_instant", field,
                        "Tijdstip moet RFC 3339 zijn, bijvoorbeeld 2026-06-16T19:30:00+02:00.");
}

/* ---------------------------------------------------------------- recording a change */

/* A stored answer for this nonce, if any (1 found, 0 not, -1 error). */
static int attendance_replay(store_conn *conn, long long meeting_id, const char *nonce, attendance_outcome *out,
                             alvd_err *err)
{
    attendance_scan_answer answer;
    int found = 0, named = 0;
    if (nonce == NULL)
        return 0;
    if (store_attendance_scan_find(conn, meeting_id, nonce, &answer, &found, err) != 0)
        return -1;
    if (!found)
        return 0;
    snprintf(out->result, sizeof out->result, "%s", answer.result);
    out->organisation_id = answer.organisation_id;
    out->present = answer.present_after;
    out->replayed = 1;
    if (store_organisations_name(conn, out->organisation_id, 0, out->name, sizeof out->name, &named, err) != 0)
        return -1;
    return 1;
}

/* Begin, lock the meeting row, then the member row: 422 when not a voting member. */
static int attendance_change_lock(store_conn *conn, long long meeting_id, long long organisation_id, alvd_err *err)
{
    int found = 0;
    if (store_begin(conn, err) != 0 || store_meetings_lock(conn, meeting_id, NULL, err) != 0 ||
        store_attendance_lock_member(conn, meeting_id, organisation_id, &found, err) != 0)
        return -1;
    if (!found)
        return alvd_err_set(err, 422, "not_voting_member", "organisation_id",
                            "Deze organisatie is geen stemgerechtigd lid voor deze vergadering.");
    return 0;
}

/* What the ledger says about the member and what this change does to it. */
typedef struct attendance_decision {
    int inside_remote;   /* present through the remote channel */
    int inside;          /* present in the hall */
    int entering;
    int changes;
} attendance_decision;

/* The door speaks for the hall: a member present remotely is not inside the hall, and
 * walking in ends the remote presence first (one channel at a time). */
static int attendance_decide(store_conn *conn, const attendance_scan_event *event, attendance_decision *decision,
                             attendance_outcome *out, alvd_err *err)
{
    attendance_last last;
    /* READ COMMITTED: this read sees every change committed before we got the lock. */
    if (store_attendance_last_event(conn, event->meeting_id, event->organisation_id, &last, err) != 0)
        return -1;
    decision->inside_remote = strcmp(last.direction, "entry") == 0 && strcmp(last.channel, "remote") == 0;
    decision->inside = strcmp(last.direction, "entry") == 0 && !decision->inside_remote;
    decision->entering = strcmp(event->direction, "entry") == 0;
    decision->changes = decision->entering != decision->inside;
    snprintf(out->result, sizeof out->result, "%s",
             decision->entering ? (decision->inside ? "already_inside" : "entered")
                                : (decision->inside ? "left" : "not_inside"));
    return 0;
}

static int attendance_audit_change(store_conn *conn, const audit_actor *actor, const attendance_scan_event *event,
                                   const attendance_decision *decision, const char *result, alvd_err *err)
{
    json_t *details = json_pack("{s:I, s:s, s:s, s:s}", "organisation_id", (json_int_t)event->organisation_id,
                                "direction", event->direction, "result", result, "source", event->source);
    if (decision->entering && decision->inside_remote)
        json_object_set_new(details, "ended_remote", json_true());
    if (event->ticket_id)
        json_object_set_new(details, "ticket_id", json_integer(event->ticket_id));
    int rc = audit_append(conn, err, actor, "attendance.scan", "meeting", event->meeting_id, details);
    json_decref(details);
    return rc;
}

/* The ledger rows of a change: the remote presence ended first when walking in. */
static int attendance_write_change(store_conn *conn, const attendance_scan_event *event,
                                   const attendance_decision *decision, long long *event_id, alvd_err *err)
{
    *event_id = 0;
    if (!decision->changes)
        return 0;
    if (decision->entering && decision->inside_remote &&
        (store_attendance_insert_event(conn, event->meeting_id, event->organisation_id, "exit", "remote", "switch",
                                       err) != 0 ||
         store_remote_presence_forget(conn, event->meeting_id, event->organisation_id, err) != 0))
        return -1;
    return store_attendance_insert_scan_event(conn, event, event_id, err);
}

/* The counts after the change (exact: every ledger insert of this meeting happens under
 * its meeting row, which we hold), the answer under the nonce, the published event. */
static int attendance_record_answer(store_conn *conn, const attendance_scan_event *event,
                                    const attendance_decision *decision, long long event_id, attendance_outcome *out,
                                    alvd_err *err)
{
    attendance_snapshot snapshot = {0};
    if (store_attendance_snapshot_at(conn, event->meeting_id, NULL, &snapshot, err) != 0)
        return -1;
    out->present = snapshot.present;
    out->represented = snapshot.represented;
    out->eligible = snapshot.eligible;
    int rc = 0;
    if (event->nonce)
        rc = store_attendance_scan_insert(conn, event, out->result, out->present, event_id, err);
    if (rc == 0 && decision->changes)
        rc = attendance_publish_snapshot(conn, event->meeting_id, &snapshot, decision->entering ? "entry" : "exit",
                                         err);
    store_attendance_snapshot_free(&snapshot);
    return rc;
}

/* One presence change for one member, in its own transaction: lock the member row,
 * decide from the ledger, audit, append the event, record the answer under the nonce. */
static int attendance_change(store_conn *conn, const attendance_recorder *recorder,
                             const attendance_scan_event *event, attendance_outcome *out, alvd_err *err)
{
    attendance_decision decision;
    long long event_id = 0;
    int named = 0;
    memset(out, 0, sizeof *out);
    out->organisation_id = event->organisation_id;
    if (attendance_change_lock(conn, event->meeting_id, event->organisation_id, err) != 0)
        goto fail;
    /* Under the member lock a retry with the same nonce sees the first answer. */
    int replay = attendance_replay(conn, event->meeting_id, event->nonce, out, err);
    if (replay < 0)
        goto fail;
    if (replay == 1) {
        store_rollback(conn);
        if (out->organisation_id != event->organisation_id)
            return alvd_err_set(err, 409, "nonce_reused", "nonce",
                                "Deze scan-id is al gebruikt voor een ander lid; scan opnieuw.");
        return 0;
    }
    if (attendance_decide(conn, event, &decision, out, err) != 0 ||
        attendance_audit_change(conn, recorder->actor, event, &decision, out->result, err) != 0 ||
        attendance_write_change(conn, event, &decision, &event_id, err) != 0 ||
        attendance_record_answer(conn, event, &decision, event_id, out, err) != 0 ||
        store_organisations_name(conn, event->organisation_id, 0, out->name, sizeof out->name, &named, err) != 0 ||
        store_commit(conn, err) != 0)
        goto fail;
    return 0;
fail:
    store_rollback(conn);
    return -1;
}

/* ---------------------------------------------------------------- door and desk */

/* Log a refused scan with its reason in its own transaction (A1, A5). */
static void attendance_log_failure(store_conn *conn, const attendance_recorder *recorder,
                                   const attendance_failure *failure)
{
    alvd_err err;
    alvd_err_clear(&err);
    char kept[301];
    const char *code = failure->code ? failure->code : "";
    snprintf(kept, sizeof kept, "%s", code);
    /* Keep whole UTF-8 characters only. */
    size_t length = strlen(kept);
    while (length > 0 && ((unsigned char)kept[length - 1] & 0xC0) == 0x80)
        length--;
    if (length > 0 && ((unsigned char)kept[length - 1] & 0x80))
        length--;
    if (strlen(code) > 300)
        kept[length] = '\0';
    attendance_failure stored = *failure;
    stored.code = kept;
    stored.scanner_user_id = recorder->scanner_user_id;
    json_t *details = json_pack("{s:s}", "reason", failure->reason);
    if (failure->ticket_id)
        json_object_set_new(details, "ticket_id", json_integer(failure->ticket_id));
    if (store_begin(conn, &err) != 0 || store_attendance_failure_insert(conn, &stored, &err) != 0 ||
        audit_append(conn, &err, recorder->actor, "attendance.scan_refused", "meeting", failure->meeting_id,
                     details) != 0 ||
        store_commit(conn, &err) != 0)
        store_rollback(conn);
    json_decref(details);
}

/* The code from what a scanner read: the bare code or the whole ticket URL. */
static const char *attendance_code_from(const char *scanned)
{
    const char *marker = strstr(scanned, "/t/");
    const char *last = NULL;
    while (marker) {
        last = marker;
        marker = strstr(marker + 1, "/t/");
    }
    return last ? last + 3 : scanned;
}

/* The ticket behind a verified code: its row, exact code, meeting, not revoked, and the
 * meeting still open. Every refusal is logged with its reason. */
static int attendance_ticket_check(store_conn *conn, const attendance_recorder *recorder,
                                   const meeting_info *meeting, const char *code, const ticket_payload *payload,
                                   attendance_failure *failure, long long *organisation_id, alvd_err *err)
{
    attendance_ticket ticket;
    unsigned char hash[TICKET_HASH_BYTES];
    int found = 0;
    ticket_code_hash(code, hash);
    failure->ticket_id = payload->ticket_id;
    if (store_attendance_ticket_load(conn, payload->ticket_id, &ticket, &found, err) != 0)
        return -1;
    if (!found || ticket.code_hash_length != TICKET_HASH_BYTES ||
        sodium_memcmp(ticket.code_hash, hash, TICKET_HASH_BYTES) != 0) {
        failure->reason = "forged";
        attendance_log_failure(conn, recorder, failure);
        return alvd_err_set(err, 400, "forged", "ticket", "Deze code is geen geldig toegangsbewijs van KSF.");
    }
    failure->organisation_id = *organisation_id = ticket.organisation_id;
    if (ticket.meeting_id != meeting->id || payload->meeting_id != meeting->id) {
        failure->reason = "wrong_meeting";
        attendance_log_failure(conn, recorder, failure);
        return alvd_err_set(err, 403, "wrong_meeting", "ticket", "Dit toegangsbewijs hoort bij een andere vergadering.");
    }
    if (ticket.revoked) {
        failure->reason = "revoked";
        attendance_log_failure(conn, recorder, failure);
        return alvd_err_set(err, 403, "revoked", "ticket",
                            "Dit toegangsbewijs is ingetrokken (er is een nieuw uitgegeven). Vraag het nieuwe bij de balie.");
    }
    if (strcmp(meeting->state, "closed") == 0) {
        failure->reason = "meeting_closed";
        attendance_log_failure(conn, recorder, failure);
        return alvd_err_set(err, 409, "meeting_closed", NULL, "Deze vergadering is gesloten.");
    }
    return 0;
}

/* 1. The signature (a forged, bit-flipped or garbled code stops here), 2. the row. */
static int attendance_verify_ticket(store_conn *conn, const alvd_app *app, const attendance_recorder *recorder,
                                    const meeting_info *meeting, const char *scanned, attendance_failure *failure,
                                    attendance_scan_event *event, alvd_err *err)
{
    ticket_keys keys;
    ticket_payload payload;
    const char *code = attendance_code_from(scanned);
    memset(&keys, 0, sizeof keys);
    int rc = ticket_keys_load(app->config.data_dir, &keys, err);
    if (rc == 0 && ticket_verify(keys.public_key, code, &payload, err) != 0) {
        failure->reason = "forged";
        attendance_log_failure(conn, recorder, failure);
        rc = -1;
    }
    if (rc == 0)
        rc = attendance_ticket_check(conn, recorder, meeting, code, &payload, failure, &event->organisation_id, err);
    if (rc == 0)
        event->ticket_id = payload.ticket_id;
    ticket_keys_wipe(&keys);
    return rc;
}

int service_attendance_scan(store_conn *conn, const alvd_app *app, const attendance_recorder *recorder,
                            long long meeting_id, const char *scanned, const char *direction, const char *nonce,
                            attendance_outcome *out, alvd_err *err)
{
    meeting_info meeting;
    attendance_scan_event event = {.meeting_id = meeting_id, .scanner_user_id = recorder->scanner_user_id,
                                   .direction = direction, .source = "scan", .nonce = nonce};
    attendance_failure failure = {.meeting_id = meeting_id, .code = scanned, .direction = direction, .nonce = nonce};
    memset(out, 0, sizeof *out);
    if (store_meetings_load(conn, meeting_id, &meeting, err) != 0)
        return -1;
    int replay = attendance_replay(conn, meeting_id, nonce, out, err);
    if (replay != 0)
        return replay < 0 ? -1 : 0;
    if (attendance_verify_ticket(conn, app, recorder, &meeting, scanned, &failure, &event, err) != 0)
        return -1;
    return attendance_change(conn, recorder, &event, out, err);
}

int service_attendance_manual(store_conn *conn, const attendance_recorder *recorder, long long meeting_id,
                              long long organisation_id, const char *direction, const char *nonce,
                              attendance_outcome *out, alvd_err *err)
{
    meeting_info meeting;
    attendance_scan_event event = {.meeting_id = meeting_id, .organisation_id = organisation_id,
                                   .scanner_user_id = recorder->scanner_user_id, .direction = direction,
                                   .source = "manual", .nonce = nonce};
    if (store_meetings_load(conn, meeting_id, &meeting, err) != 0)
        return -1;
    if (strcmp(meeting.state, "closed") == 0)
        return alvd_err_set(err, 409, "meeting_closed", NULL, "Deze vergadering is gesloten.");
    return attendance_change(conn, recorder, &event, out, err);
}

/* ---------------------------------------------------------------- reading the ledger */

void service_attendance_view_free(attendance_view *view)
{
    store_attendance_snapshot_free(&view->snapshot);
    store_result_free(view->rows);
    view->rows = NULL;
}

int service_attendance_list(store_conn *conn, const alvd_app *app, long long meeting_id, const char *at,
                            attendance_view *out, alvd_err *err)
{
    meeting_info meeting;
    char instant[ATTENDANCE_INSTANT_SIZE];
    const char *use = NULL;
    memset(out, 0, sizeof *out);
    if (store_meetings_load(conn, meeting_id, &meeting, err) != 0)
        return -1;
    if (at && *at) {
        if (service_attendance_instant_parse(at, "at", instant, err) != 0)
            return -1;
        use = instant;
    }
    /* Remote pages silent past the setting are checked out before anyone reads P. */
    if ((meeting.electronic_participation && service_remote_sweep(conn, app, meeting_id, err) != 0) ||
        store_attendance_snapshot_at(conn, meeting_id, use, &out->snapshot, err) != 0 ||
        store_attendance_members(conn, meeting_id, &out->rows, err) != 0) {
        service_attendance_view_free(out);
        return -1;
    }
    return 0;
}

int service_attendance_register(store_conn *conn, long long meeting_id, attendance_view *out, alvd_err *err)
{
    meeting_info meeting;
    memset(out, 0, sizeof *out);
    if (store_meetings_load(conn, meeting_id, &meeting, err) != 0 ||
        store_attendance_snapshot_at(conn, meeting_id, NULL, &out->snapshot, err) != 0 ||
        store_attendance_register(conn, meeting_id, &out->rows, err) != 0) {
        service_attendance_view_free(out);
        return -1;
    }
    return 0;
}

int service_attendance_timeline(store_conn *conn, long long meeting_id, attendance_view *out, alvd_err *err)
{
    meeting_info meeting;
    memset(out, 0, sizeof *out);
    /* The members before any event: the chart replays the ledger from there. */
    if (store_meetings_load(conn, meeting_id, &meeting, err) != 0 ||
        store_attendance_snapshot_at(conn, meeting_id, "1970-01-01 00:00:01", &out->snapshot, err) != 0 ||
        store_attendance_events(conn, meeting_id, &out->rows, err) != 0) {
        service_attendance_view_free(out);
        return -1;
    }
    return 0;
}

int service_attendance_failures(store_conn *conn, long long meeting_id, store_result **rows, alvd_err *err)
{
    meeting_info meeting;
    *rows = NULL;
    if (store_meetings_load(conn, meeting_id, &meeting, err) != 0)
        return -1;
    return store_attendance_failures(conn, meeting_id, rows, err);
}
