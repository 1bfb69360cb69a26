/* The presence ledger's SQL: entry/exit events, scans and their answers, refused scans,
 * and the snapshot (present, represented, P) derived from the events at an instant. */
#include "alvd/store/attendance.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------- the snapshot */

static int attendance_member_compare(const void *left, const void *right)
{
    long long a = ((const attendance_member *)left)->organisation_id;
    long long b = ((const attendance_member *)right)->organisation_id;
    return (a > b) - (a < b);
}

const attendance_member *store_attendance_snapshot_find(const attendance_snapshot *snapshot,
                                                        long long organisation_id)
{
    attendance_member key = {.organisation_id = organisation_id};
    if (snapshot->count == 0)
        return NULL;
    return bsearch(&key, snapshot->members, snapshot->count, sizeof key, attendance_member_compare);
}

attendance_member *store_attendance_snapshot_member(attendance_snapshot *snapshot, long long organisation_id)
{
    return (attendance_member *)(uintptr_t)store_attendance_snapshot_find(snapshot, organisation_id);
}

void store_attendance_snapshot_free(attendance_snapshot *snapshot)
{
    free(snapshot->members);
    memset(snapshot, 0, sizeof *snapshot);
}

static int attendance_id_compare(const void *left, const void *right)
{
    long long a = *(const long long *)left, b = *(const long long *)right;
    return (a > b) - (a < b);
}

int store_attendance_present_now(store_conn *conn, long long meeting_id, long long **ids, size_t *count,
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
    *ids = store_result_array(rows, sizeof **ids, err);
    if (*ids == NULL) {
        store_result_free(rows);
        return -1;
    }
    for (size_t r = 0; r < n; r++)
        (*ids)[r] = store_result_int(rows, r, 0);
    store_result_free(rows);
    qsort(*ids, n, sizeof **ids, attendance_id_compare);
    *count = n;
    return 0;
}

int store_attendance_present_in(const long long *ids, size_t count, long long organisation_id)
{
    return count > 0 && bsearch(&organisation_id, ids, count, sizeof *ids, attendance_id_compare) != NULL;
}

/* Every voting member of the meeting, by organisation id, none inside yet. */
static int attendance_snapshot_members(store_conn *conn, long long meeting_id, attendance_snapshot *out,
                                       alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT organisation_id FROM meeting_members WHERE meeting_id = ? ORDER BY organisation_id",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    out->count = store_result_rows(rows);
    out->members = store_result_array(rows, sizeof *out->members, err);
    if (out->members == NULL) {
        store_result_free(rows);
        return -1;
    }
    for (size_t r = 0; r < out->count; r++)
        out->members[r].organisation_id = store_result_int(rows, r, 0);
    store_result_free(rows);
    return 0;
}

/* Inside = the member's last event up to the instant is an entry. The "now" form reads
 * the last id per member straight off the (meeting, organisation, id) index; a generic
 * "(? IS NULL OR at <= ?)" would hide that index from the optimiser and make every scan
 * slower as the ledger grows. */
static int attendance_snapshot_inside(store_conn *conn, long long meeting_id, const char *instant,
                                      attendance_snapshot *out, alvd_err *err)
{
    store_result *rows = NULL;
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
        return -1;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        attendance_member *member = store_attendance_snapshot_member(out, store_result_int(rows, r, 0));
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
    return 0;
}

static int attendance_snapshot_was_present(store_conn *conn, long long meeting_id, const char *instant,
                                           attendance_snapshot *out, alvd_err *err)
{
    store_result *rows = NULL;
    int rc = instant == NULL
                 ? store_query(conn, err, &rows,
                               "SELECT DISTINCT organisation_id FROM attendance_events WHERE meeting_id = ?"
                               " AND direction = 'entry'",
                               STORE_PARAMS(STORE_INT_PARAM(meeting_id)))
                 : store_query(conn, err, &rows,
                               "SELECT DISTINCT organisation_id FROM attendance_events WHERE meeting_id = ?"
                               " AND direction = 'entry' AND at <= ?",
                               STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_TEXT_PARAM(instant)));
    if (rc != 0)
        return -1;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        attendance_member *member = store_attendance_snapshot_member(out, store_result_int(rows, r, 0));
        if (member) {
            member->was_present = 1;
            out->was_present++;
        }
    }
    store_result_free(rows);
    return 0;
}

/* A proxy counts while its holder is inside and its principal is not (R2, A8). */
static int attendance_snapshot_represented(store_conn *conn, long long meeting_id, const char *instant,
                                           attendance_snapshot *out, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT principal_id, holder_id FROM proxies WHERE meeting_id = ?"
                    " AND (? IS NULL OR created_at <= ?)"
                    " AND (revoked_at IS NULL OR (? IS NOT NULL AND revoked_at > ?)) ORDER BY id",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_TEXT_PARAM(instant), STORE_TEXT_PARAM(instant),
                                 STORE_TEXT_PARAM(instant), STORE_TEXT_PARAM(instant))) != 0)
        return -1;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        attendance_member *principal = store_attendance_snapshot_member(out, store_result_int(rows, r, 0));
        attendance_member *holder = store_attendance_snapshot_member(out, store_result_int(rows, r, 1));
        if (principal && holder && holder->inside && !principal->inside && principal->represented_by == 0) {
            principal->represented_by = holder->organisation_id;
            holder->proxies_held++;
            out->represented++;
        }
    }
    store_result_free(rows);
    return 0;
}

int store_attendance_snapshot_at(store_conn *conn, long long meeting_id, const char *instant,
                                 attendance_snapshot *out, alvd_err *err)
{
    memset(out, 0, sizeof *out);
    if (attendance_snapshot_members(conn, meeting_id, out, err) != 0 ||
        attendance_snapshot_inside(conn, meeting_id, instant, out, err) != 0 ||
        attendance_snapshot_was_present(conn, meeting_id, instant, out, err) != 0 ||
        attendance_snapshot_represented(conn, meeting_id, instant, out, err) != 0) {
        store_attendance_snapshot_free(out);
        return -1;
    }
    out->eligible = out->present + out->represented;
    return 0;
}

/* ---------------------------------------------------------------- locks and events */

int store_attendance_last_event(store_conn *conn, long long meeting_id, long long organisation_id,
                                attendance_last *out, alvd_err *err)
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

int store_attendance_lock_member(store_conn *conn, long long meeting_id, long long organisation_id, int *found,
                                 alvd_err *err)
{
    store_result *rows = NULL;
    *found = 0;
    if (store_query(conn, err, &rows,
                    "SELECT organisation_id FROM meeting_members WHERE meeting_id = ? AND organisation_id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(organisation_id))) != 0)
        return -1;
    *found = store_result_rows(rows) == 1;
    store_result_free(rows);
    return 0;
}

int store_attendance_lock_members(store_conn *conn, long long meeting_id, alvd_err *err)
{
    store_result *rows = NULL;
    int rc = store_query(conn, err, &rows,
                         "SELECT organisation_id FROM meeting_members WHERE meeting_id = ? ORDER BY organisation_id FOR UPDATE",
                         STORE_PARAMS(STORE_INT_PARAM(meeting_id)));
    store_result_free(rows);
    return rc;
}

int store_attendance_insert_event(store_conn *conn, long long meeting_id, long long organisation_id,
                                  const char *direction, const char *channel, const char *source, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "INSERT INTO attendance_events (meeting_id, organisation_id, direction, channel, at, source)"
                         " VALUES (?, ?, ?, ?, UTC_TIMESTAMP(6), ?)",
                         STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(organisation_id),
                                      STORE_TEXT_PARAM(direction), STORE_TEXT_PARAM(channel), STORE_TEXT_PARAM(source)));
}

/* 0 stands for "none" in the optional id columns. */
static store_param attendance_optional_id(long long id)
{
    return id ? STORE_INT_PARAM(id) : STORE_NULL_PARAM;
}

int store_attendance_insert_scan_event(store_conn *conn, const attendance_scan_event *event, long long *event_id,
                                       alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO attendance_events (meeting_id, organisation_id, direction, at, source,"
                      " ticket_id, scanner_user_id, client_nonce) VALUES (?, ?, ?, UTC_TIMESTAMP(6), ?, ?, ?, ?)",
                      STORE_PARAMS(STORE_INT_PARAM(event->meeting_id), STORE_INT_PARAM(event->organisation_id),
                                   STORE_TEXT_PARAM(event->direction), STORE_TEXT_PARAM(event->source),
                                   attendance_optional_id(event->ticket_id),
                                   attendance_optional_id(event->scanner_user_id),
                                   STORE_TEXT_PARAM(event->nonce))) != 0)
        return -1;
    *event_id = store_last_insert_id(conn);
    return 0;
}

/* ---------------------------------------------------------------- scans */

int store_attendance_scan_find(store_conn *conn, long long meeting_id, const char *nonce,
                               attendance_scan_answer *out, int *found, alvd_err *err)
{
    store_result *rows = NULL;
    memset(out, 0, sizeof *out);
    *found = 0;
    if (store_query(conn, err, &rows,
                    "SELECT result, organisation_id, present_after FROM scans WHERE meeting_id = ? AND client_nonce = ?",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_TEXT_PARAM(nonce))) != 0)
        return -1;
    if (store_result_rows(rows) == 1) {
        *found = 1;
        snprintf(out->result, sizeof out->result, "%s", store_result_text(rows, 0, 0));
        out->organisation_id = store_result_int(rows, 0, 1);
        out->present_after = store_result_int(rows, 0, 2);
    }
    store_result_free(rows);
    return 0;
}

int store_attendance_scan_insert(store_conn *conn, const attendance_scan_event *event, const char *result,
                                 long long present_after, long long event_id, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "INSERT INTO scans (meeting_id, client_nonce, organisation_id, ticket_id, direction, result,"
                         " present_after, event_id, scanner_user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6))",
                         STORE_PARAMS(STORE_INT_PARAM(event->meeting_id), STORE_TEXT_PARAM(event->nonce),
                                      STORE_INT_PARAM(event->organisation_id), attendance_optional_id(event->ticket_id),
                                      STORE_TEXT_PARAM(event->direction), STORE_TEXT_PARAM(result),
                                      STORE_INT_PARAM(present_after), attendance_optional_id(event_id),
                                      attendance_optional_id(event->scanner_user_id)));
}

int store_attendance_failure_insert(store_conn *conn, const attendance_failure *failure, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "INSERT INTO scan_failures (meeting_id, reason, code, ticket_id, organisation_id, direction,"
                         " client_nonce, scanner_user_id, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6))",
                         STORE_PARAMS(STORE_INT_PARAM(failure->meeting_id), STORE_TEXT_PARAM(failure->reason),
                                      STORE_TEXT_PARAM(failure->code), attendance_optional_id(failure->ticket_id),
                                      attendance_optional_id(failure->organisation_id),
                                      STORE_TEXT_PARAM(failure->direction), STORE_TEXT_PARAM(failure->nonce),
                                      attendance_optional_id(failure->scanner_user_id)));
}

int store_attendance_ticket_load(store_conn *conn, long long ticket_id, attendance_ticket *out, int *found,
                                 alvd_err *err)
{
    store_result *rows = NULL;
    memset(out, 0, sizeof *out);
    *found = 0;
    if (store_query(conn, err, &rows,
                    "SELECT meeting_id, organisation_id, code_hash, revoked_at IS NOT NULL FROM tickets WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(ticket_id))) != 0)
        return -1;
    if (store_result_rows(rows) == 1) {
        *found = 1;
        out->meeting_id = store_result_int(rows, 0, 0);
        out->organisation_id = store_result_int(rows, 0, 1);
        out->code_hash_length = store_result_length(rows, 0, 2);
        if (out->code_hash_length > 0 && out->code_hash_length <= sizeof out->code_hash)
            memcpy(out->code_hash, store_result_text(rows, 0, 2), out->code_hash_length);
        out->revoked = (int)store_result_int(rows, 0, 3);
    }
    store_result_free(rows);
    return 0;
}


/* ---------------------------------------------------------------- reading the ledger */

int store_attendance_members(store_conn *conn, long long meeting_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT o.id, o.name, o.member_number,"
                       " (SELECT MIN(a.at) FROM attendance_events a WHERE a.meeting_id = m.meeting_id"
                       "  AND a.organisation_id = o.id AND a.direction = 'entry') AS first_entry,"
                       " (SELECT MAX(a.at) FROM attendance_events a WHERE a.meeting_id = m.meeting_id"
                       "  AND a.organisation_id = o.id AND a.direction = 'exit') AS last_exit,"
                       " EXISTS (SELECT 1 FROM attendance_events a WHERE a.meeting_id = m.meeting_id AND a.organisation_id = o.id"
                       "  AND a.channel = 'remote' AND a.direction = 'entry') AS remote_ever"
                       " FROM meeting_members m JOIN organisations o ON o.id = m.organisation_id"
                       " WHERE m.meeting_id = ? ORDER BY o.name, o.id",
                       STORE_PARAMS(STORE_INT_PARAM(meeting_id)));
}

int store_attendance_register(store_conn *conn, long long meeting_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
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
                       STORE_PARAMS(STORE_INT_PARAM(meeting_id)));
}

int store_attendance_events(store_conn *conn, long long meeting_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT FLOOR(UNIX_TIMESTAMP(at)), organisation_id, direction, channel FROM attendance_events"
                       " WHERE meeting_id = ? ORDER BY id",
                       STORE_PARAMS(STORE_INT_PARAM(meeting_id)));
}

int store_attendance_failures(store_conn *conn, long long meeting_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT f.id, f.reason, f.code, f.ticket_id, f.organisation_id, o.name AS organisation_name,"
                       " f.direction, f.at FROM scan_failures f LEFT JOIN organisations o ON o.id = f.organisation_id"
                       " WHERE f.meeting_id = ? ORDER BY f.id DESC LIMIT 500",
                       STORE_PARAMS(STORE_INT_PARAM(meeting_id)));
}
