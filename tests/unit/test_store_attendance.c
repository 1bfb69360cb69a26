/* The presence ledger's store against a real, migrated database: member locks, events,
 * the snapshot (present, remote, represented by proxy, P, was present) now and at an
 * earlier instant, the last event, present-now ids, scan answers and refused scans. */
#include <stdlib.h>
#include <string.h>

#include "alvd/store/attendance.h"
#include "alvd/store/proxies.h"
#include "alvd/store/organisations.h"
#include "alvd/store/meetings.h"
#include "check.h"
#include "store_fixture.h"

static const char *const setup = STORE_FIXTURE_MEETING_SEED;

static void test_locks(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    int found = -1;
    CHECK(store_begin(conn, &err) == 0, "begin: %s", err.message);
    CHECK(store_meetings_lock(conn, 1, NULL, &err) == 0, "lock meeting: %s", err.message);
    CHECK(store_attendance_lock_member(conn, 1, 2, &found, &err) == 0 && found == 1, "a member is found");
    CHECK(store_attendance_lock_member(conn, 1, 4, &found, &err) == 0 && found == 0, "a non-member is not");
    CHECK(store_attendance_lock_members(conn, 1, &err) == 0, "lock every member: %s", err.message);
    store_rollback(conn);
    (void)fixture;
}

static void test_ledger(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    attendance_snapshot snapshot;
    long long proxy_id = 0;
    CHECK(store_attendance_insert_event(conn, 1, 1, "entry", "hall", "manual", &err) == 0, "entry: %s", err.message);
    CHECK(store_attendance_insert_event(conn, 1, 2, "entry", "remote", "remote", &err) == 0, "remote entry");
    CHECK(store_proxies_insert(conn, 1, 3, 1, "brief", 0, &proxy_id, &err) == 0 && proxy_id > 0, "proxy 3 → 1");
    CHECK(store_fixture_integer(fixture, "SELECT COUNT(*) FROM attendance_events WHERE meeting_id = 1") == 2,
          "two events written");

    CHECK(store_attendance_snapshot_at(conn, 1, NULL, &snapshot, &err) == 0, "snapshot: %s", err.message);
    CHECK_INT(snapshot.count, 3, "every voting member");
    CHECK_INT(snapshot.present, 2, "present");
    CHECK_INT(snapshot.present_remote, 1, "present remotely");
    CHECK_INT(snapshot.represented, 1, "represented by a holder inside");
    CHECK_INT(snapshot.eligible, 3, "P = present + represented");
    CHECK_INT(snapshot.was_present, 2, "was present");
    const attendance_member *holder = store_attendance_snapshot_find(&snapshot, 1);
    const attendance_member *principal = store_attendance_snapshot_find(&snapshot, 3);
    CHECK(holder && holder->inside && !holder->remote && holder->proxies_held == 1, "the holder holds one proxy");
    CHECK(principal && !principal->inside && principal->represented_by == 1, "the principal is represented by 1");
    CHECK(store_attendance_snapshot_find(&snapshot, 4) == NULL, "a non-member is not in the snapshot");
    store_attendance_snapshot_free(&snapshot);

    CHECK(store_attendance_snapshot_at(conn, 1, "1970-01-01 00:00:01", &snapshot, &err) == 0, "snapshot before");
    CHECK(snapshot.count == 3 && snapshot.present == 0 && snapshot.represented == 0 && snapshot.was_present == 0,
          "nobody before the first event");
    store_attendance_snapshot_free(&snapshot);

    CHECK(store_attendance_insert_event(conn, 1, 1, "exit", "hall", "manual", &err) == 0, "exit");
    CHECK(store_attendance_snapshot_at(conn, 1, NULL, &snapshot, &err) == 0, "snapshot after exit");
    CHECK(snapshot.present == 1 && snapshot.represented == 0 && snapshot.eligible == 1 && snapshot.was_present == 2,
          "a proxy does not count once its holder left (present %lld, represented %lld)", snapshot.present,
          snapshot.represented);
    store_attendance_snapshot_free(&snapshot);

    attendance_last last;
    CHECK(store_attendance_last_event(conn, 1, 1, &last, &err) == 0, "last event");
    CHECK(strcmp(last.direction, "exit") == 0 && strcmp(last.channel, "hall") == 0 && strcmp(last.source, "manual") == 0,
          "the last event is the exit (%s %s %s)", last.direction, last.channel, last.source);
    CHECK(store_attendance_last_event(conn, 1, 3, &last, &err) == 0 && last.direction[0] == '\0',
          "no event: empty direction");

    long long *ids = NULL;
    size_t count = 0;
    CHECK(store_attendance_present_now(conn, 1, &ids, &count, &err) == 0 && count == 1 && ids[0] == 2,
          "present now: only 2");
    CHECK(store_attendance_present_in(ids, count, 2) && !store_attendance_present_in(ids, count, 1), "present in");
    free(ids);
}

static void test_scans(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    attendance_scan_answer answer;
    int found = -1;
    long long event_id = 0;
    attendance_scan_event event = {.meeting_id = 1, .organisation_id = 3, .scanner_user_id = 0,
                                   .direction = "entry", .source = "scan", .nonce = "nonce-1"};
    CHECK(store_attendance_scan_find(conn, 1, "nonce-1", &answer, &found, &err) == 0 && found == 0, "no answer yet");
    CHECK(store_attendance_insert_scan_event(conn, &event, &event_id, &err) == 0 && event_id > 0, "scan event");
    CHECK(store_attendance_scan_insert(conn, &event, "entered", 2, event_id, &err) == 0, "answer: %s", err.message);
    CHECK(store_attendance_scan_find(conn, 1, "nonce-1", &answer, &found, &err) == 0 && found == 1, "answer found");
    CHECK(strcmp(answer.result, "entered") == 0 && answer.organisation_id == 3 && answer.present_after == 2,
          "the stored answer (%s, %lld, %lld)", answer.result, answer.organisation_id, answer.present_after);
    alvd_err_clear(&err);
    CHECK(store_attendance_scan_insert(conn, &event, "entered", 2, event_id, &err) != 0, "a nonce answers once");
    CHECK(err.status == 409, "a second answer under one nonce is a conflict (got %d %s)", err.status, err.code);

    attendance_failure failure = {.meeting_id = 1, .reason = "forged", .code = "xyz", .direction = "entry"};
    CHECK(store_attendance_failure_insert(conn, &failure, &err) == 0, "refused scan: %s", err.message);
    store_result *rows = NULL;
    CHECK(store_attendance_failures(conn, 1, &rows, &err) == 0 && store_result_rows(rows) == 1, "one refused scan");
    if (rows && store_result_rows(rows) == 1)
        CHECK_STR(store_result_text_by_name(rows, 0, "reason"), "forged", "its reason");
    store_result_free(rows);

    char name[ATTENDANCE_NAME_SIZE];
    int named = 0;
    CHECK(store_organisations_name(conn, 3, 0, name, sizeof name, &named, &err) == 0, "name");
    CHECK_STR(name, "Contact & Co", "organisation name");
    CHECK(store_organisations_name(conn, 99, 0, name, sizeof name, &named, &err) == 0 && name[0] == '\0',
          "no organisation: empty name");

    CHECK(store_attendance_members(conn, 1, &rows, &err) == 0 && store_result_rows(rows) == 3, "members listed");
    if (rows && store_result_rows(rows) == 3)
        CHECK_STR(store_result_text(rows, 0, 1), "Antwoord NV", "members by name");
    store_result_free(rows);
    CHECK(store_attendance_events(conn, 1, &rows, &err) == 0 && store_result_rows(rows) == 4, "every event in order");
    store_result_free(rows);
    (void)fixture;
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "attendance") != 0 || store_fixture_script(&fixture, setup) != 0)
        return 1;
    store_conn *conn = store_fixture_conn(&fixture);
    CHECK(conn != NULL, "a connection from the pool");
    if (conn) {
        test_locks(&fixture, conn);
        test_ledger(&fixture, conn);
        test_scans(&fixture, conn);
        store_pool_release(fixture.pool, conn);
    }
    store_fixture_close(&fixture);
    return check_report("store_attendance");
}
