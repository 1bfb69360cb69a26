/* The presence ledger: door scans (signature first, then revocation and meeting),
 * manual desk entries, check-out at close, proxies, and the counts derived from events.
 * Lock order everywhere: meeting row, then member rows by organisation id; ledger rows
 * are only inserted after that. A presence change holds the meeting row (before issue 17
 * the audit chain's global row did this), so the count each answer carries is exact. */
#include "alvd/api/attendance.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/api/events.h"
#include "alvd/api/meetings.h"
#include "alvd/api/remote.h"
#include "alvd/base/buf.h"
#include "alvd/crypto/audit.h"
#include "alvd/crypto/ticket.h"
#include "alvd/http/input.h"
#include "alvd/rules/dates.h"

#define ATTENDANCE_CSV_CAP (4 * 1024 * 1024)
#define ATTENDANCE_NONCE_MAX 64

/* ---------------------------------------------------------------- derived counts */

static int attendance_member_compare(const void *left, const void *right)
{
    long long a = ((const attendance_member *)left)->organisation_id;
    long long b = ((const attendance_member *)right)->organisation_id;
    return (a > b) - (a < b);
}

const attendance_member *attendance_snapshot_find(const attendance_snapshot *snapshot,
                                                  long long organisation_id)
{
    attendance_member key = {.organisation_id = organisation_id};
    if (snapshot->count == 0)
        return NULL;
    return bsearch(&key, snapshot->members, snapshot->count, sizeof key, attendance_member_compare);
}

static attendance_member *attendance_snapshot_member(attendance_snapshot *snapshot, long long organisation_id)
{
    return (attendance_member *)(uintptr_t)attendance_snapshot_find(snapshot, organisation_id);
}

void attendance_snapshot_free(attendance_snapshot *snapshot)
{
    free(snapshot->members);
    memset(snapshot, 0, sizeof *snapshot);
}

static int attendance_id_compare(const void *left, const void *right)
{
    long long a = *(const long long *)left, b = *(const long long *)right;
    return (a > b) - (a < b);
}

int attendance_present_now(store_conn *conn, long long meeting_id, long long **ids, size_t *count,
                           alvd_err *err)
{
    store_result *rows = NULL;
    *ids = NULL;
    *count = 0;
    if (store_query(conn, err, &rows,
                    "SELECT e.organisation_id FROM attendance_events e JOIN"
                    " (SELECT organisation_id, MAX(id) AS last_id FROM attendance_events"
                    " WHERE meeting_id = ? GROUP BY organisation_id) l ON l.last_id = e.id"
                    " WHERE e.direction = 'entry'",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    size_t n = store_result_rows(rows);
    *ids = calloc(n ? n : 1, sizeof **ids);
    if (*ids == NULL) {
        store_result_free(rows);
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    }
    for (size_t r = 0; r < n; r++)
        (*ids)[r] = store_result_int(rows, r, 0);
    store_result_free(rows);
    qsort(*ids, n, sizeof **ids, attendance_id_compare);
    *count = n;
    return 0;
}

int attendance_present_in(const long long *ids, size_t count, long long organisation_id)
{
    return count > 0 && bsearch(&organisation_id, ids, count, sizeof *ids, attendance_id_compare) != NULL;
}

int attendance_snapshot_at(store_conn *conn, long long meeting_id, const char *instant,
                           attendance_snapshot *out, alvd_err *err)
{
    store_result *rows = NULL;
    memset(out, 0, sizeof *out);
    if (store_query(conn, err, &rows,
                    "SELECT organisation_id FROM meeting_members WHERE meeting_id = ? ORDER BY organisation_id",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    out->count = store_result_rows(rows);
    out->members = calloc(out->count ? out->count : 1, sizeof *out->members);
    if (out->members == NULL) {
        store_result_free(rows);
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    }
    for (size_t r = 0; r < out->count; r++)
        out->members[r].organisation_id = store_result_int(rows, r, 0);
    store_result_free(rows);
    rows = NULL;

    /* Inside = the member's last event up to the instant is an entry. The "now" form
     * reads the last id per member straight off the (meeting, organisation, id) index;
     * a generic "(? IS NULL OR at <= ?)" would hide that index from the optimiser and
     * make every scan slower as the ledger grows. */
    int rc = instant == NULL
                 ? store_query(conn, err, &rows,
                               "SELECT e.organisation_id, e.channel FROM attendance_events e JOIN"
                               " (SELECT organisation_id, MAX(id) AS last_id FROM attendance_events"
                               " WHERE meeting_id = ? GROUP BY organisation_id) l ON l.last_id = e.id"
                               " WHERE e.direction = 'entry'",
                               STORE_PARAMS(STORE_INT_PARAM(meeting_id)))
                 : store_query(conn, err, &rows,
                               "SELECT e.organisation_id, e.channel FROM attendance_events e JOIN"
                               " (SELECT organisation_id, MAX(id) AS last_id FROM attendance_events"
                               " WHERE meeting_id = ? AND at <= ? GROUP BY organisation_id) l ON l.last_id = e.id"
                               " WHERE e.direction = 'entry'",
                               STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_TEXT_PARAM(instant)));
    if (rc != 0)
        goto fail;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        attendance_member *member = attendance_snapshot_member(out, store_result_int(rows, r, 0));
        if (member && !member->inside) {
            member->inside = 1;
            out->present++;
            if (strcmp(store_result_text(rows, r, 1), "remote") == 0) {
                member->remote = 1;
                out->present_remote++;
            }
        }
    }
    store_result_free(rows);
    rows = NULL;

    rc = instant == NULL
             ? store_query(conn, err, &rows,
                           "SELECT DISTINCT organisation_id FROM attendance_events WHERE meeting_id = ?"
                           " AND direction = 'entry'",
                           STORE_PARAMS(STORE_INT_PARAM(meeting_id)))
             : store_query(conn, err, &rows,
                           "SELECT DISTINCT organisation_id FROM attendance_events WHERE meeting_id = ?"
                           " AND direction = 'entry' AND at <= ?",
                           STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_TEXT_PARAM(instant)));
    if (rc != 0)
        goto fail;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        attendance_member *member = attendance_snapshot_member(out, store_result_int(rows, r, 0));
        if (member) {
            member->was_present = 1;
            out->was_present++;
        }
    }
    store_result_free(rows);
    rows = NULL;

    /* A proxy counts while its holder is inside and its principal is not (R2, A8). */
    if (store_query(conn, err, &rows,
                    "SELECT principal_id, holder_id FROM proxies WHERE meeting_id = ?"
                    " AND (? IS NULL OR created_at <= ?)"
                    " AND (revoked_at IS NULL OR (? IS NOT NULL AND revoked_at > ?)) ORDER BY id",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_TEXT_PARAM(instant), STORE_TEXT_PARAM(instant),
                                 STORE_TEXT_PARAM(instant), STORE_TEXT_PARAM(instant))) != 0)
        goto fail;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        attendance_member *principal = attendance_snapshot_member(out, store_result_int(rows, r, 0));
        attendance_member *holder = attendance_snapshot_member(out, store_result_int(rows, r, 1));
        if (principal && holder && holder->inside && !principal->inside && principal->represented_by == 0) {
            principal->represented_by = holder->organisation_id;
            holder->proxies_held++;
            out->represented++;
        }
    }
    store_result_free(rows);
    out->eligible = out->present + out->represented;
    return 0;
fail:
    store_result_free(rows);
    attendance_snapshot_free(out);
    return -1;
}

json_t *attendance_counts_json(const attendance_snapshot *snapshot)
{
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I}", "present", (json_int_t)snapshot->present, "present_hall",
                     (json_int_t)(snapshot->present - snapshot->present_remote), "present_remote",
                     (json_int_t)snapshot->present_remote, "represented", (json_int_t)snapshot->represented,
                     "eligible", (json_int_t)snapshot->eligible, "was_present", (json_int_t)snapshot->was_present);
}

int attendance_last_event(store_conn *conn, long long meeting_id, long long organisation_id, attendance_last *out,
                          alvd_err *err)
{
    store_result *rows = NULL;
    memset(out, 0, sizeof *out);
    if (store_query(conn, err, &rows,
                    "SELECT direction, channel, source FROM attendance_events WHERE meeting_id = ? AND organisation_id = ?"
                    " ORDER BY id DESC LIMIT 1",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(organisation_id))) != 0)
        return -1;
    if (store_result_rows(rows) == 1) {
        snprintf(out->direction, sizeof out->direction, "%s", store_result_text(rows, 0, 0));
        snprintf(out->channel, sizeof out->channel, "%s", store_result_text(rows, 0, 1));
        snprintf(out->source, sizeof out->source, "%s", store_result_text(rows, 0, 2));
    }
    store_result_free(rows);
    return 0;
}

int attendance_lock_ledger(store_conn *conn, long long meeting_id, alvd_err *err)
{
    store_result *rows = NULL;
    int rc = store_query(conn, err, &rows, "SELECT id FROM meetings WHERE id = ? FOR UPDATE",
                         STORE_PARAMS(STORE_INT_PARAM(meeting_id)));
    store_result_free(rows);
    return rc;
}

int attendance_insert_event(store_conn *conn, long long meeting_id, long long organisation_id, const char *direction,
                            const char *channel, const char *source, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "INSERT INTO attendance_events (meeting_id, organisation_id, direction, channel, at, source)"
                         " VALUES (?, ?, ?, ?, UTC_TIMESTAMP(6), ?)",
                         STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(organisation_id),
                                      STORE_TEXT_PARAM(direction), STORE_TEXT_PARAM(channel), STORE_TEXT_PARAM(source)));
}

int attendance_publish(store_conn *conn, long long meeting_id, const char *reason, alvd_err *err)
{
    attendance_snapshot snapshot;
    if (attendance_snapshot_at(conn, meeting_id, NULL, &snapshot, err) != 0)
        return -1;
    json_t *payload = attendance_counts_json(&snapshot);
    json_object_set_new(payload, "reason", json_string(reason));
    int rc = events_append(conn, meeting_id, EVENTS_KIND_ATTENDANCE, payload, err);
    json_decref(payload);
    attendance_snapshot_free(&snapshot);
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

int attendance_instant_parse(const char *text, const char *field,
                             char out[ATTENDANCE_INSTANT_SIZE], alvd_err *err)
{
    int year, month, day, hour, minute, second, micro = 0;
    const char *p = text;
    if (text == NULL || strlen(text) < 20 || attendance_digits(p, 4, &year) || p[4] != '-' ||
        attendance_digits(p + 5, 2, &month) || p[7] != '-' || attendance_digits(p + 8, 2, &day) ||
        (p[10] != 'T' && p[10] != 't' && p[10] != ' ') || attendance_digits(p + 11, 2, &hour) ||
        p[13] != ':' || attendance_digits(p + 14, 2, &minute) || p[16] != ':' ||
        attendance_digits(p + 17, 2, &second) || !rules_date_is_valid(year, month, day) || hour > 23 ||
        minute > 59 || second > 59)
        goto bad;
    p += 19;
    if (*p == '.') {
        int digits = 0;
        for (p++; isdigit((unsigned char)*p); p++, digits++)
            if (digits < 6)
                micro = micro * 10 + (*p - '0');
        if (digits == 0)
            goto bad;
        for (; digits < 6; digits++)
            micro *= 10;
    }
    long long offset = 0;
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int offset_hours, offset_minutes;
        if (attendance_digits(p + 1, 2, &offset_hours) || p[3] != ':' ||
            attendance_digits(p + 4, 2, &offset_minutes) || offset_hours > 23 || offset_minutes > 59)
            goto bad;
        offset = (offset_hours * 3600LL + offset_minutes * 60LL) * (*p == '-' ? -1 : 1);
        p += 6;
    } else {
        goto bad;
    }
    if (*p != '\0')
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

typedef struct attendance_outcome {
    char result[16];        /* entered, left, already_inside, not_inside */
    long long present, represented, eligible;
    long long organisation_id;
    char name[820];
    int replayed;           /* the same nonce was seen before: the stored answer */
} attendance_outcome;

static int attendance_organisation_name(store_conn *conn, long long organisation_id, char *name,
                                        size_t size, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows, "SELECT name FROM organisations WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(organisation_id))) != 0)
        return -1;
    snprintf(name, size, "%s", store_result_rows(rows) ? store_result_text(rows, 0, 0) : "");
    store_result_free(rows);
    return 0;
}

/* A stored answer for this nonce, if any (1 found, 0 not, -1 error). */
static int attendance_replay(store_conn *conn, long long meeting_id, const char *nonce,
                             attendance_outcome *out, alvd_err *err)
{
    store_result *rows = NULL;
    if (nonce == NULL)
        return 0;
    if (store_query(conn, err, &rows,
                    "SELECT result, organisation_id, present_after FROM scans WHERE meeting_id = ? AND client_nonce = ?",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_TEXT_PARAM(nonce))) != 0)
        return -1;
    int found = store_result_rows(rows) == 1;
    if (found) {
        snprintf(out->result, sizeof out->result, "%s", store_result_text(rows, 0, 0));
        out->organisation_id = store_result_int(rows, 0, 1);
        out->present = store_result_int(rows, 0, 2);
        out->replayed = 1;
    }
    store_result_free(rows);
    if (found && attendance_organisation_name(conn, out->organisation_id, out->name, sizeof out->name, err) != 0)
        return -1;
    return found;
}

/* One presence change for one member, in its own transaction: lock the member row,
 * decide from the ledger, audit, append the event, record the answer under the nonce. */
static int attendance_change(http_request *request, long long meeting_id, long long organisation_id,
                             const char *direction, const char *source, long long ticket_id,
                             const char *nonce, attendance_outcome *out, alvd_err *err)
{
    store_conn *conn = http_request_db(request);
    const auth_principal *who = http_request_principal(request);
    audit_actor actor = http_request_actor(request);
    store_result *rows = NULL;
    attendance_snapshot snapshot = {0};
    json_t *details = NULL;
    memset(out, 0, sizeof *out);
    out->organisation_id = organisation_id;
    if (store_begin(conn, err) != 0 || attendance_lock_ledger(conn, meeting_id, err) != 0 ||
        store_query(conn, err, &rows,
                    "SELECT organisation_id FROM meeting_members WHERE meeting_id = ? AND organisation_id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(organisation_id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1) {
        alvd_err_set(err, 422, "not_voting_member", "organisation_id",
                     "Deze organisatie is geen stemgerechtigd lid voor deze vergadering.");
        goto fail;
    }
    store_result_free(rows);
    rows = NULL;
    /* Under the member lock a retry with the same nonce sees the first answer. */
    int replay = attendance_replay(conn, meeting_id, nonce, out, err);
    if (replay < 0)
        goto fail;
    if (replay == 1) {
        store_rollback(conn);
        if (out->organisation_id != organisation_id)
            return alvd_err_set(err, 409, "nonce_reused", "nonce",
                                "Deze scan-id is al gebruikt voor een ander lid; scan opnieuw.");
        return 0;
    }
    /* READ COMMITTED: this read sees every change committed before we got the lock. */
    attendance_last last;
    if (attendance_last_event(conn, meeting_id, organisation_id, &last, err) != 0)
        goto fail;
    /* The door speaks for the hall: a member present remotely is not inside the hall,
     * and walking in ends the remote presence first (one channel at a time). */
    int inside_remote = strcmp(last.direction, "entry") == 0 && strcmp(last.channel, "remote") == 0;
    int inside = strcmp(last.direction, "entry") == 0 && !inside_remote;
    int entering = strcmp(direction, "entry") == 0;
    int changes = entering != inside;
    snprintf(out->result, sizeof out->result, "%s",
             entering ? (inside ? "already_inside" : "entered") : (inside ? "left" : "not_inside"));
    details = json_pack("{s:I, s:s, s:s, s:s}", "organisation_id", (json_int_t)organisation_id, "direction",
                        direction, "result", out->result, "source", source);
    if (entering && inside_remote)
        json_object_set_new(details, "ended_remote", json_true());
    if (ticket_id)
        json_object_set_new(details, "ticket_id", json_integer(ticket_id));
    if (audit_append(conn, err, &actor, "attendance.scan", "meeting", meeting_id, details) != 0)
        goto fail;
    long long event_id = 0;
    long long scanner = who->kind == AUTH_KIND_USER ? who->user_id : 0;
    if (changes && entering && inside_remote &&
        (attendance_insert_event(conn, meeting_id, organisation_id, "exit", "remote", "switch", err) != 0 ||
         remote_presence_forget(conn, meeting_id, organisation_id, err) != 0))
        goto fail;
    if (changes) {
        if (store_execute(conn, err, NULL,
                          "INSERT INTO attendance_events (meeting_id, organisation_id, direction, at, source,"
                          " ticket_id, scanner_user_id, client_nonce) VALUES (?, ?, ?, UTC_TIMESTAMP(6), ?, ?, ?, ?)",
                          STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(organisation_id),
                                       STORE_TEXT_PARAM(direction), STORE_TEXT_PARAM(source),
                                       ticket_id ? STORE_INT_PARAM(ticket_id) : STORE_NULL_PARAM,
                                       scanner ? STORE_INT_PARAM(scanner) : STORE_NULL_PARAM,
                                       STORE_TEXT_PARAM(nonce))) != 0)
            goto fail;
        event_id = store_last_insert_id(conn);
    }
    /* Every ledger insert of this meeting happens under its meeting row, which we hold,
     * so this count is exact at our commit. */
    if (attendance_snapshot_at(conn, meeting_id, NULL, &snapshot, err) != 0)
        goto fail;
    out->present = snapshot.present;
    out->represented = snapshot.represented;
    out->eligible = snapshot.eligible;
    if (nonce &&
        store_execute(conn, err, NULL,
                      "INSERT INTO scans (meeting_id, client_nonce, organisation_id, ticket_id, direction, result,"
                      " present_after, event_id, scanner_user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6))",
                      STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_TEXT_PARAM(nonce),
                                   STORE_INT_PARAM(organisation_id),
                                   ticket_id ? STORE_INT_PARAM(ticket_id) : STORE_NULL_PARAM,
                                   STORE_TEXT_PARAM(direction), STORE_TEXT_PARAM(out->result),
                                   STORE_INT_PARAM(out->present), event_id ? STORE_INT_PARAM(event_id) : STORE_NULL_PARAM,
                                   scanner ? STORE_INT_PARAM(scanner) : STORE_NULL_PARAM)) != 0)
        goto fail;
    if (changes) {
        json_t *payload = attendance_counts_json(&snapshot);
        json_object_set_new(payload, "reason", json_string(entering ? "entry" : "exit"));
        int rc = events_append(conn, meeting_id, EVENTS_KIND_ATTENDANCE, payload, err);
        json_decref(payload);
        if (rc != 0)
            goto fail;
    }
    if (attendance_organisation_name(conn, organisation_id, out->name, sizeof out->name, err) != 0 ||
        store_commit(conn, err) != 0)
        goto fail;
    attendance_snapshot_free(&snapshot);
    json_decref(details);
    return 0;
fail:
    store_result_free(rows);
    attendance_snapshot_free(&snapshot);
    json_decref(details);
    store_rollback(conn);
    return -1;
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

/* Log a refused scan with its reason in its own transaction (A1, A5). */
static void attendance_log_failure(http_request *request, long long meeting_id, const char *reason,
                                   const char *code, long long ticket_id, long long organisation_id,
                                   const char *direction, const char *nonce)
{
    store_conn *conn = http_request_db(request);
    const auth_principal *who = http_request_principal(request);
    audit_actor actor = http_request_actor(request);
    alvd_err err;
    alvd_err_clear(&err);
    char kept[301];
    snprintf(kept, sizeof kept, "%s", code ? code : "");
    /* Keep whole UTF-8 characters only. */
    size_t length = strlen(kept);
    while (length > 0 && ((unsigned char)kept[length - 1] & 0xC0) == 0x80)
        length--;
    if (length > 0 && ((unsigned char)kept[length - 1] & 0x80))
        length--;
    if (strlen(code ? code : "") > 300)
        kept[length] = '\0';
    json_t *details = json_pack("{s:s}", "reason", reason);
    if (ticket_id)
        json_object_set_new(details, "ticket_id", json_integer(ticket_id));
    if (store_begin(conn, &err) != 0 ||
        store_execute(conn, &err, NULL,
                      "INSERT INTO scan_failures (meeting_id, reason, code, ticket_id, organisation_id, direction,"
                      " client_nonce, scanner_user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6))",
                      STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_TEXT_PARAM(reason), STORE_TEXT_PARAM(kept),
                                   ticket_id ? STORE_INT_PARAM(ticket_id) : STORE_NULL_PARAM,
                                   organisation_id ? STORE_INT_PARAM(organisation_id) : STORE_NULL_PARAM,
                                   STORE_TEXT_PARAM(direction), STORE_TEXT_PARAM(nonce),
                                   who->kind == AUTH_KIND_USER ? STORE_INT_PARAM(who->user_id) : STORE_NULL_PARAM)) != 0 ||
        audit_append(conn, &err, &actor, "attendance.scan_refused", "meeting", meeting_id, details) != 0 ||
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

void attendance_scan(http_request *request)
{
    static const char *const fields[] = {"ticket", "direction", "nonce", NULL};
    static const char *const directions[] = {"entry", "exit", NULL};
    json_t *body = http_request_json(request);
    store_conn *conn = http_request_db(request);
    const char *scanned = NULL, *direction = NULL, *nonce = NULL;
    long long meeting_id = 0;
    meeting_info meeting;
    store_result *rows = NULL;
    attendance_outcome outcome;
    ticket_keys keys;
    alvd_err err;
    alvd_err_clear(&err);
    memset(&keys, 0, sizeof keys);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        return;
    if (input_only(body, fields, &err) != 0 || input_string(body, "ticket", 1, 2000, &scanned, &err) != 0 ||
        input_choice(body, "direction", 1, directions, &direction, &err) != 0 ||
        input_string(body, "nonce", 1, ATTENDANCE_NONCE_MAX, &nonce, &err) != 0 ||
        meetings_load(conn, meeting_id, &meeting, &err) != 0)
        goto fail;
    memset(&outcome, 0, sizeof outcome);
    int replay = attendance_replay(conn, meeting_id, nonce, &outcome, &err);
    if (replay < 0)
        goto fail;
    if (replay == 1) {
        attendance_reply_outcome(request, direction, &outcome);
        return;
    }
    const char *code = attendance_code_from(scanned);
    ticket_payload payload;
    if (ticket_keys_load(http_request_app(request)->config.data_dir, &keys, &err) != 0)
        goto fail;
    /* 1. The signature: a forged, bit-flipped or garbled code stops here. */
    if (ticket_verify(keys.public_key, code, &payload, &err) != 0) {
        attendance_log_failure(request, meeting_id, "forged", scanned, 0, 0, direction, nonce);
        goto fail;
    }
    /* 2. The row: the exact code, the meeting, not revoked. */
    unsigned char hash[TICKET_HASH_BYTES];
    ticket_code_hash(code, hash);
    if (store_query(conn, &err, &rows,
                    "SELECT meeting_id, organisation_id, code_hash, revoked_at IS NOT NULL FROM tickets WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(payload.ticket_id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1 || store_result_length(rows, 0, 2) != TICKET_HASH_BYTES ||
        sodium_memcmp(store_result_text(rows, 0, 2), hash, TICKET_HASH_BYTES) != 0) {
        attendance_log_failure(request, meeting_id, "forged", scanned, payload.ticket_id, 0, direction, nonce);
        alvd_err_set(&err, 400, "forged", "ticket", "Deze code is geen geldig toegangsbewijs van KSF.");
        goto fail;
    }
    long long ticket_meeting = store_result_int(rows, 0, 0);
    long long organisation_id = store_result_int(rows, 0, 1);
    int revoked = (int)store_result_int(rows, 0, 3);
    store_result_free(rows);
    rows = NULL;
    if (ticket_meeting != meeting_id || payload.meeting_id != meeting_id) {
        attendance_log_failure(request, meeting_id, "wrong_meeting", scanned, payload.ticket_id, organisation_id,
                               direction, nonce);
        alvd_err_set(&err, 403, "wrong_meeting", "ticket",
                     "Dit toegangsbewijs hoort bij een andere vergadering.");
        goto fail;
    }
    if (revoked) {
        attendance_log_failure(request, meeting_id, "revoked", scanned, payload.ticket_id, organisation_id,
                               direction, nonce);
        alvd_err_set(&err, 403, "revoked", "ticket",
                     "Dit toegangsbewijs is ingetrokken (er is een nieuw uitgegeven). Vraag het nieuwe bij de balie.");
        goto fail;
    }
    if (strcmp(meeting.state, "closed") == 0) {
        attendance_log_failure(request, meeting_id, "meeting_closed", scanned, payload.ticket_id, organisation_id,
                               direction, nonce);
        alvd_err_set(&err, 409, "meeting_closed", NULL, "Deze vergadering is gesloten.");
        goto fail;
    }
    if (attendance_change(request, meeting_id, organisation_id, direction, "scan", payload.ticket_id, nonce,
                          &outcome, &err) != 0)
        goto fail;
    ticket_keys_wipe(&keys);
    attendance_reply_outcome(request, direction, &outcome);
    return;
fail:
    ticket_keys_wipe(&keys);
    store_result_free(rows);
    http_reply_err(request, &err);
}

void attendance_manual(http_request *request)
{
    static const char *const fields[] = {"organisation_id", "direction", "nonce", NULL};
    static const char *const directions[] = {"entry", "exit", NULL};
    json_t *body = http_request_json(request);
    const char *direction = NULL, *nonce = NULL;
    long long meeting_id = 0, organisation_id = 0;
    meeting_info meeting;
    attendance_outcome outcome;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        return;
    if (input_only(body, fields, &err) != 0 ||
        input_integer(body, "organisation_id", 1, 1, INT64_MAX, &organisation_id, NULL, &err) != 0 ||
        input_choice(body, "direction", 1, directions, &direction, &err) != 0 ||
        input_string(body, "nonce", 0, ATTENDANCE_NONCE_MAX, &nonce, &err) != 0 ||
        meetings_load(http_request_db(request), meeting_id, &meeting, &err) != 0)
        goto fail;
    if (strcmp(meeting.state, "closed") == 0) {
        alvd_err_set(&err, 409, "meeting_closed", NULL, "Deze vergadering is gesloten.");
        goto fail;
    }
    if (attendance_change(request, meeting_id, organisation_id, direction, "manual", 0, nonce, &outcome, &err) != 0)
        goto fail;
    attendance_reply_outcome(request, direction, &outcome);
    return;
fail:
    http_reply_err(request, &err);
}

int attendance_close_all(store_conn *conn, long long meeting_id, const audit_actor *actor,
                         long long *checked_out, alvd_err *err)
{
    store_result *rows = NULL;
    attendance_snapshot snapshot = {0};
    *checked_out = 0;
    if (store_query(conn, err, &rows,
                    "SELECT organisation_id FROM meeting_members WHERE meeting_id = ? ORDER BY organisation_id FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    store_result_free(rows);
    if (attendance_snapshot_at(conn, meeting_id, NULL, &snapshot, err) != 0)
        return -1;
    json_t *details = json_pack("{s:I}", "inside", (json_int_t)snapshot.present);
    int rc = audit_append(conn, err, actor, "attendance.close_all", "meeting", meeting_id, details);
    json_decref(details);
    for (size_t i = 0; rc == 0 && i < snapshot.count; i++) {
        if (!snapshot.members[i].inside)
            continue;
        rc = attendance_insert_event(conn, meeting_id, snapshot.members[i].organisation_id, "exit",
                                     snapshot.members[i].remote ? "remote" : "hall", "close", err);
        if (rc == 0)
            (*checked_out)++;
    }
    attendance_snapshot_free(&snapshot);
    if (rc == 0)
        rc = remote_presence_forget(conn, meeting_id, 0, err);
    return rc;
}

/* ---------------------------------------------------------------- reading the ledger */

static int attendance_at_query(http_request *request, char instant[ATTENDANCE_INSTANT_SIZE], const char **use,
                               alvd_err *err)
{
    const char *at = http_request_query(request, "at");
    *use = NULL;
    if (at == NULL || *at == '\0')
        return 0;
    if (attendance_instant_parse(at, "at", instant, err) != 0)
        return -1;
    *use = instant;
    return 0;
}

void attendance_get(http_request *request)
{
    store_conn *conn = http_request_db(request);
    long long meeting_id = 0;
    meeting_info meeting;
    char instant_text[ATTENDANCE_INSTANT_SIZE];
    const char *instant = NULL;
    attendance_snapshot snapshot = {0};
    store_result *rows = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        return;
    if (meetings_load(conn, meeting_id, &meeting, &err) != 0 ||
        attendance_at_query(request, instant_text, &instant, &err) != 0 ||
        /* Remote pages silent past the setting are checked out before anyone reads P. */
        (meeting.electronic_participation && remote_sweep(conn, http_request_app(request), meeting_id, &err) != 0) ||
        attendance_snapshot_at(conn, meeting_id, instant, &snapshot, &err) != 0 ||
        store_query(conn, &err, &rows,
                    "SELECT o.id, o.name, o.member_number,"
                    " (SELECT MIN(a.at) FROM attendance_events a WHERE a.meeting_id = m.meeting_id"
                    "  AND a.organisation_id = o.id AND a.direction = 'entry') AS first_entry,"
                    " (SELECT MAX(a.at) FROM attendance_events a WHERE a.meeting_id = m.meeting_id"
                    "  AND a.organisation_id = o.id AND a.direction = 'exit') AS last_exit,"
                    " EXISTS (SELECT 1 FROM attendance_events a WHERE a.meeting_id = m.meeting_id AND a.organisation_id = o.id"
                    "  AND a.channel = 'remote' AND a.direction = 'entry') AS remote_ever"
                    " FROM meeting_members m JOIN organisations o ON o.id = m.organisation_id"
                    " WHERE m.meeting_id = ? ORDER BY o.name, o.id",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0) {
        attendance_snapshot_free(&snapshot);
        http_reply_err(request, &err);
        return;
    }
    json_t *members = json_array();
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        const attendance_member *member = attendance_snapshot_find(&snapshot, store_result_int(rows, r, 0));
        json_t *row = store_result_row_json(rows, r);
        json_object_set_new(row, "organisation_id", json_integer(store_result_int(rows, r, 0)));
        json_object_del(row, "id");
        json_object_set_new(row, "inside", json_boolean(member && member->inside));
        json_object_set_new(row, "channel", member && member->inside ? json_string(member->remote ? "remote" : "hall")
                                                                     : json_null());
        json_object_set_new(row, "was_present", json_boolean(member && member->was_present));
        json_object_set_new(row, "remote_ever", json_boolean(store_result_int(rows, r, 5)));
        json_object_set_new(row, "represented_by",
                            member && member->represented_by ? json_integer(member->represented_by) : json_null());
        json_object_set_new(row, "proxies_held", json_integer(member ? member->proxies_held : 0));
        json_array_append_new(members, row);
    }
    json_t *body = attendance_counts_json(&snapshot);
    json_object_set_new(body, "meeting_id", json_integer(meeting_id));
    json_object_set_new(body, "members_total", json_integer((json_int_t)snapshot.count));
    json_object_set_new(body, "at", instant ? json_string(http_request_query(request, "at")) : json_null());
    json_object_set_new(body, "members", members);
    store_result_free(rows);
    attendance_snapshot_free(&snapshot);
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

/* The presentielijst as CSV (semicolons, as Dutch spreadsheets expect, with a BOM). */
void attendance_csv(http_request *request)
{
    store_conn *conn = http_request_db(request);
    long long meeting_id = 0;
    meeting_info meeting;
    attendance_snapshot snapshot = {0};
    store_result *rows = NULL;
    alvd_buf csv;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        return;
    buf_init(&csv, ATTENDANCE_CSV_CAP);
    if (meetings_load(conn, meeting_id, &meeting, &err) != 0 ||
        attendance_snapshot_at(conn, meeting_id, NULL, &snapshot, &err) != 0 ||
        store_query(conn, &err, &rows,
                    "SELECT o.id, o.name, COALESCE(o.member_number, ''), o.kvk,"
                    " (SELECT FLOOR(UNIX_TIMESTAMP(MIN(a.at))) FROM attendance_events a WHERE a.meeting_id = m.meeting_id"
                    "  AND a.organisation_id = o.id AND a.direction = 'entry'),"
                    " (SELECT FLOOR(UNIX_TIMESTAMP(MAX(a.at))) FROM attendance_events a WHERE a.meeting_id = m.meeting_id"
                    "  AND a.organisation_id = o.id AND a.direction = 'exit'),"
                    " (SELECT h.name FROM proxies p JOIN organisations h ON h.id = p.holder_id WHERE p.meeting_id = m.meeting_id"
                    "  AND p.principal_id = o.id AND p.revoked_at IS NULL ORDER BY p.id DESC LIMIT 1),"
                    " EXISTS (SELECT 1 FROM attendance_events a WHERE a.meeting_id = m.meeting_id AND a.organisation_id = o.id"
                    "  AND a.channel = 'remote' AND a.direction = 'entry')"
                    " FROM meeting_members m JOIN organisations o ON o.id = m.organisation_id"
                    " WHERE m.meeting_id = ? ORDER BY o.name, o.id",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0) {
        buf_free(&csv);
        attendance_snapshot_free(&snapshot);
        http_reply_err(request, &err);
        return;
    }
    buf_append_str(&csv, "\xEF\xBB\xBF");
    buf_append_str(&csv, "organisatie;lidnummer;kvk;aanwezig_geweest;eerste_binnenkomst;laatste_vertrek;nu_binnen;volmacht_aan;"
                         "nu_via;op_afstand_deelgenomen\r\n");
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        const attendance_member *member = attendance_snapshot_find(&snapshot, store_result_int(rows, r, 0));
        char first[40], last[40];
        attendance_local_time(store_result_int(rows, r, 4), first, sizeof first);
        attendance_local_time(store_result_int(rows, r, 5), last, sizeof last);
        buf_append_csv(&csv, store_result_text(rows, r, 1));
        buf_append_str(&csv, ";");
        buf_append_csv(&csv, store_result_text(rows, r, 2));
        buf_append_str(&csv, ";");
        buf_append_csv(&csv, store_result_text(rows, r, 3));
        buf_appendf(&csv, ";%s;%s;%s;%s;", member && member->was_present ? "ja" : "nee", first, last,
                    member && member->inside ? "ja" : "nee");
        const char *holder = store_result_text(rows, r, 6);
        buf_append_csv(&csv, holder ? holder : "");
        buf_appendf(&csv, ";%s;%s\r\n", member && member->inside ? (member->remote ? "op afstand" : "zaal") : "",
                    store_result_int(rows, r, 7) ? "ja" : "nee");
    }
    store_result_free(rows);
    attendance_snapshot_free(&snapshot);
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

/* Presence over time: one point per ledger event (for the chart and the minutes). */
void attendance_timeline(http_request *request)
{
    store_conn *conn = http_request_db(request);
    long long meeting_id = 0;
    meeting_info meeting;
    attendance_snapshot members = {0};
    store_result *rows = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        return;
    if (meetings_load(conn, meeting_id, &meeting, &err) != 0 ||
        attendance_snapshot_at(conn, meeting_id, "1970-01-01 00:00:01", &members, &err) != 0 ||
        store_query(conn, &err, &rows,
                    "SELECT FLOOR(UNIX_TIMESTAMP(at)), organisation_id, direction, channel FROM attendance_events"
                    " WHERE meeting_id = ? ORDER BY id",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0) {
        attendance_snapshot_free(&members);
        http_reply_err(request, &err);
        return;
    }
    json_t *points = json_array();
    long long present = 0, peak = 0, remote = 0;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        attendance_member *member = attendance_snapshot_member(&members, store_result_int(rows, r, 1));
        if (member == NULL)
            continue;
        int entering = strcmp(store_result_text(rows, r, 2), "entry") == 0;
        int via_remote = strcmp(store_result_text(rows, r, 3), "remote") == 0;
        if (entering != member->inside) {
            member->inside = entering;
            present += entering ? 1 : -1;
            remote += via_remote ? (entering ? 1 : -1) : 0;
        }
        if (present > peak)
            peak = present;
        char at[RULES_RFC3339_SIZE];
        rules_amsterdam_rfc3339(store_result_int(rows, r, 0), at);
        json_array_append_new(points, json_pack("{s:s, s:I, s:I}", "at", at, "present", (json_int_t)present,
                                                "present_remote", (json_int_t)remote));
    }
    store_result_free(rows);
    json_t *body = json_pack("{s:I, s:I, s:I, s:o}", "meeting_id", (json_int_t)meeting_id, "members_total",
                             (json_int_t)members.count, "peak", (json_int_t)peak, "points", points);
    attendance_snapshot_free(&members);
    http_reply_json(request, 200, body);
}

void attendance_failures(http_request *request)
{
    store_conn *conn = http_request_db(request);
    long long meeting_id = 0;
    meeting_info meeting;
    store_result *rows = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        return;
    if (meetings_load(conn, meeting_id, &meeting, &err) != 0 ||
        store_query(conn, &err, &rows,
                    "SELECT f.id, f.reason, f.code, f.ticket_id, f.organisation_id, o.name AS organisation_name,"
                    " f.direction, f.at FROM scan_failures f LEFT JOIN organisations o ON o.id = f.organisation_id"
                    " WHERE f.meeting_id = ? ORDER BY f.id DESC LIMIT 500",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *items = store_result_json(rows);
    store_result_free(rows);
    http_reply_json(request, 200, json_pack("{s:o}", "items", items));
}

/* ---------------------------------------------------------------- proxies */

void proxies_create(http_request *request)
{
    static const char *const fields[] = {"principal_id", "holder_id", "note", NULL};
    json_t *body = http_request_json(request);
    store_conn *conn = http_request_db(request);
    audit_actor actor = http_request_actor(request);
    const auth_principal *who = http_request_principal(request);
    long long meeting_id = 0, principal_id = 0, holder_id = 0;
    const char *note = NULL;
    meeting_info meeting;
    store_result *rows = NULL;
    json_t *details = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        return;
    if (input_only(body, fields, &err) != 0 ||
        input_integer(body, "principal_id", 1, 1, INT64_MAX, &principal_id, NULL, &err) != 0 ||
        input_integer(body, "holder_id", 1, 1, INT64_MAX, &holder_id, NULL, &err) != 0 ||
        input_string(body, "note", 0, 300, &note, &err) != 0)
        goto fail;
    if (principal_id == holder_id) {
        alvd_err_set(&err, 422, "proxy_to_self", "holder_id", "Een lid kan geen volmacht aan zichzelf geven.");
        goto fail;
    }
    /* The meeting row lock serialises proxy registrations of one meeting, so the cap
     * is counted exactly; then the two member rows, in id order, as everywhere. */
    if (store_begin(conn, &err) != 0 ||
        store_query(conn, &err, &rows,
                    "SELECT id FROM meetings WHERE id = ? FOR UPDATE", STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        goto fail;
    store_result_free(rows);
    rows = NULL;
    if (meetings_load(conn, meeting_id, &meeting, &err) != 0)
        goto fail;
    if (!meeting.proxies_allowed) {
        alvd_err_set(&err, 422, "proxies_off", NULL,
                     "Volmachten zijn voor deze vergadering niet toegestaan (instelling van de vergadering).");
        goto fail;
    }
    if (strcmp(meeting.state, "closed") == 0) {
        alvd_err_set(&err, 409, "meeting_closed", NULL, "Deze vergadering is gesloten.");
        goto fail;
    }
    if (store_query(conn, &err, &rows,
                    "SELECT organisation_id FROM meeting_members WHERE meeting_id = ? AND organisation_id IN (?, ?)"
                    " ORDER BY organisation_id FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(principal_id),
                                 STORE_INT_PARAM(holder_id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 2) {
        alvd_err_set(&err, 422, "not_voting_member", "principal_id",
                     "Volmachtgever en gevolmachtigde moeten allebei stemgerechtigd lid zijn voor deze vergadering.");
        goto fail;
    }
    store_result_free(rows);
    rows = NULL;
    if (store_query(conn, &err, &rows,
                    "SELECT SUM(principal_id = ?), SUM(holder_id = ?), SUM(principal_id = ?), SUM(holder_id = ?)"
                    " FROM proxies WHERE meeting_id = ? AND revoked_at IS NULL",
                    STORE_PARAMS(STORE_INT_PARAM(principal_id), STORE_INT_PARAM(holder_id), STORE_INT_PARAM(holder_id),
                                 STORE_INT_PARAM(principal_id), STORE_INT_PARAM(meeting_id))) != 0)
        goto fail;
    long long principal_gave = store_result_int(rows, 0, 0), holder_holds = store_result_int(rows, 0, 1);
    long long holder_gave = store_result_int(rows, 0, 2), principal_holds = store_result_int(rows, 0, 3);
    store_result_free(rows);
    rows = NULL;
    if (principal_gave > 0) {
        alvd_err_set(&err, 409, "duplicate_proxy", "principal_id",
                     "Deze organisatie heeft al een volmacht gegeven; trek die eerst in.");
        goto fail;
    }
    if (holder_gave > 0 || principal_holds > 0) {
        alvd_err_set(&err, 422, "proxy_chain", "holder_id",
                     "Een volmacht kan niet worden doorgegeven: de gevolmachtigde heeft zelf een volmacht gegeven,"
                     " of de volmachtgever houdt al volmachten van anderen.");
        goto fail;
    }
    if (holder_holds >= meeting.max_proxies) {
        alvd_err_set(&err, 422, "proxy_cap", "holder_id",
                     "Deze gevolmachtigde heeft al %lld volmacht(en); het maximum per lid is %d.", holder_holds,
                     meeting.max_proxies);
        goto fail;
    }
    details = json_pack("{s:I, s:I}", "principal_id", (json_int_t)principal_id, "holder_id", (json_int_t)holder_id);
    if (audit_append(conn, &err, &actor, "proxy.create", "meeting", meeting_id, details) != 0 ||
        store_execute(conn, &err, NULL,
                      "INSERT INTO proxies (meeting_id, principal_id, holder_id, document_note, created_at, created_by)"
                      " VALUES (?, ?, ?, ?, UTC_TIMESTAMP(6), ?)",
                      STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(principal_id),
                                   STORE_INT_PARAM(holder_id), STORE_TEXT_PARAM(note),
                                   who->kind == AUTH_KIND_USER ? STORE_INT_PARAM(who->user_id) : STORE_NULL_PARAM)) != 0)
        goto fail;
    long long proxy_id = store_last_insert_id(conn);
    if (attendance_publish(conn, meeting_id, "proxy", &err) != 0 || store_commit(conn, &err) != 0)
        goto fail;
    json_decref(details);
    http_reply_json(request, 201,
                    json_pack("{s:I, s:I, s:I, s:I}", "id", (json_int_t)proxy_id, "meeting_id", (json_int_t)meeting_id,
                              "principal_id", (json_int_t)principal_id, "holder_id", (json_int_t)holder_id));
    return;
fail:
    json_decref(details);
    store_result_free(rows);
    store_rollback(conn);
    http_reply_err(request, &err);
}

void proxies_list(http_request *request)
{
    store_conn *conn = http_request_db(request);
    long long meeting_id = 0;
    meeting_info meeting;
    attendance_snapshot snapshot = {0};
    store_result *rows = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        return;
    if (meetings_load(conn, meeting_id, &meeting, &err) != 0 ||
        attendance_snapshot_at(conn, meeting_id, NULL, &snapshot, &err) != 0 ||
        store_query(conn, &err, &rows,
                    "SELECT p.id, p.principal_id, po.name AS principal_name, p.holder_id, ho.name AS holder_name,"
                    " p.document_note AS note, p.created_at, p.revoked_at FROM proxies p"
                    " JOIN organisations po ON po.id = p.principal_id JOIN organisations ho ON ho.id = p.holder_id"
                    " WHERE p.meeting_id = ? ORDER BY p.id",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0) {
        attendance_snapshot_free(&snapshot);
        http_reply_err(request, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        json_t *row = store_result_row_json(rows, r);
        const attendance_member *principal = attendance_snapshot_find(&snapshot, store_result_int(rows, r, 1));
        int counts = store_result_is_null(rows, r, 7) && principal &&
                     principal->represented_by == store_result_int(rows, r, 3);
        json_object_set_new(row, "counts", json_boolean(counts));
        json_array_append_new(items, row);
    }
    store_result_free(rows);
    json_t *body = json_pack("{s:o, s:b, s:i}", "items", items, "proxies_allowed", meeting.proxies_allowed,
                             "max_proxies", meeting.max_proxies);
    json_object_update_new(body, attendance_counts_json(&snapshot));
    attendance_snapshot_free(&snapshot);
    http_reply_json(request, 200, body);
}

void proxies_revoke(http_request *request)
{
    store_conn *conn = http_request_db(request);
    audit_actor actor = http_request_actor(request);
    long long meeting_id = 0, proxy_id = 0, affected = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &meeting_id) != 0 ||
        http_request_param_id(request, "proxy_id", &proxy_id) != 0)
        return;
    if (store_begin(conn, &err) != 0 ||
        audit_append(conn, &err, &actor, "proxy.revoke", "proxy", proxy_id, NULL) != 0 ||
        store_execute(conn, &err, &affected,
                      "UPDATE proxies SET revoked_at = UTC_TIMESTAMP(6) WHERE id = ? AND meeting_id = ? AND revoked_at IS NULL",
                      STORE_PARAMS(STORE_INT_PARAM(proxy_id), STORE_INT_PARAM(meeting_id))) != 0)
        goto fail;
    if (affected != 1) {
        alvd_err_set(&err, 404, "not_found", NULL, "Volmacht niet gevonden of al ingetrokken.");
        goto fail;
    }
    if (attendance_publish(conn, meeting_id, "proxy", &err) != 0 || store_commit(conn, &err) != 0)
        goto fail;
    http_reply_json(request, 200, json_pack("{s:I, s:b}", "id", (json_int_t)proxy_id, "revoked", 1));
    return;
fail:
    store_rollback(conn);
    http_reply_err(request, &err);
}
