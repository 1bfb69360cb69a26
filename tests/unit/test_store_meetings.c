/* store/meetings.c against a real, migrated database (tests/unit/store_fixture.h): a
 * meeting written and read back, 404 when absent, the newest first, its settings locked
 * and changed, the state changes of open, close and convocation, and the floor closing. */
#include <stdlib.h>
#include <string.h>

#include "alvd/store/meetings.h"
#include "alvd/store/organisations.h"
#include "check.h"
#include "store_fixture.h"

static const meeting_settings autumn = {
    .title = "Najaars-ALV", .date = "2026-12-07", .starts_at = "19:30", .location = "Utrecht",
    .majority_rule = "two_thirds", .notice_days = 14, .max_proxies = 2, .proxies_allowed = 1,
    .electronic_participation = 1, .remote_deliberation = 0, .remote_disconnect_seconds = 180,
    .stream_url = "https://vergadering.ksf.nl/alv", .remote_conditions = NULL};

static long long inserted(store_conn *conn, const meeting_settings *settings)
{
    alvd_err err;
    alvd_err_clear(&err);
    long long id = 0;
    CHECK(store_meetings_insert(conn, settings, 0, &id, &err) == 0 && id > 0, "insert: %s", err.message);
    return id;
}

static void test_insert_and_load(store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    long long id = inserted(conn, &autumn);
    meeting_info meeting;
    CHECK(store_meetings_load(conn, id, &meeting, &err) == 0, "load: %s", err.message);
    CHECK(meeting.id == id && strcmp(meeting.title, "Najaars-ALV") == 0 && strcmp(meeting.date, "2026-12-07") == 0 &&
              strcmp(meeting.state, "planned") == 0 && strcmp(meeting.majority_rule, "two_thirds") == 0,
          "title, date, state, rule read back");
    CHECK(meeting.proxies_allowed == 1 && meeting.max_proxies == 2 && meeting.electronic_participation == 1 &&
              meeting.remote_deliberation == 0 && meeting.remote_disconnect_seconds == 180 &&
              strcmp(meeting.stream_url, "https://vergadering.ksf.nl/alv") == 0,
          "remote settings read back");
    alvd_err_clear(&err);
    CHECK(store_meetings_load(conn, id + 100, &meeting, &err) != 0 && err.status == 404 &&
              strcmp(err.code, "not_found") == 0, "an unknown meeting is 404");
    store_result *rows = NULL;
    CHECK(store_meetings_get(conn, id, &rows, &err) == 0 && store_result_rows(rows) == 1, "get: %s", err.message);
    if (rows) {
        CHECK_STR(store_result_text(rows, 0, 3), "19:30", "starts_at column");
        CHECK_INT(store_result_int(rows, 0, STORE_MEETINGS_COLUMN_ELECTRONIC), 1, "electronic column");
        CHECK_INT(store_result_int(rows, 0, STORE_MEETINGS_COLUMN_PROXIES), 1, "proxies column");
    }
    store_result_free(rows);
    rows = NULL;
    alvd_err_clear(&err);
    CHECK(store_meetings_get(conn, id + 100, &rows, &err) != 0 && err.status == 404 && rows == NULL, "get: 404");
    meeting_settings spring = autumn;
    spring.title = "Voorjaars-ALV";
    spring.date = "2027-05-01";
    long long later = inserted(conn, &spring);
    CHECK(store_meetings_list(conn, &rows, &err) == 0 && store_result_rows(rows) == 2 &&
              store_result_int(rows, 0, 0) == later, "the newest meeting first");
    store_result_free(rows);
    char name[801];
    int named = 0;
    CHECK(store_organisations_name(conn, 12345, 0, name, sizeof name, &named, &err) == 0 && name[0] == '\0',
          "an unknown organisation has no name");
}

static void test_changes(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    long long id = inserted(conn, &autumn);
    meeting_record record;
    CHECK(store_begin(conn, &err) == 0 && store_meetings_lock_record(conn, id, &record, &err) == 0, "lock: %s",
          err.message);
    CHECK(strcmp(record.state, "planned") == 0 && !record.convened && strcmp(record.settings.date, "2026-12-07") == 0 &&
              record.settings.max_proxies == 2, "the record as stored");
    meeting_settings changed = record.settings;
    changed.title = "Najaars-ALV (verplaatst)";
    changed.date = "2026-12-14";
    CHECK(store_meetings_update(conn, id, &changed, &err) == 0 && store_commit(conn, &err) == 0, "update: %s",
          err.message);
    store_meetings_record_free(&record);
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM meetings WHERE id = %lld AND date = '2026-12-14'"
                              " AND title = 'Najaars-ALV (verplaatst)' AND max_proxies = 2", id);
    CHECK_INT(store_fixture_integer(fixture, sql), 1, "the change is written");
    char state[8], date[11];
    CHECK(store_begin(conn, &err) == 0 && store_meetings_lock_state(conn, id, state, date, &err) == 0 &&
              strcmp(state, "planned") == 0 && strcmp(date, "2026-12-14") == 0, "state and date");
    CHECK(store_meetings_mark_convened(conn, id, &err) == 0 &&
              store_meetings_mark_open(conn, id, "2026-12-14 18:30:00.000000", &err) == 0 &&
              store_commit(conn, &err) == 0, "open: %s", err.message);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM meetings WHERE id = %lld AND state = 'open'"
                              " AND opened_at = '2026-12-14 18:30:00' AND convened_at IS NOT NULL", id);
    CHECK_INT(store_fixture_integer(fixture, sql), 1, "open at the given instant, convened");
    char rows_sql[600];
    snprintf(rows_sql, sizeof rows_sql,
             "SET FOREIGN_KEY_CHECKS = 0;"
             "INSERT INTO meeting_members (meeting_id, organisation_id, added_at) VALUES"
             " (%lld, 1, UTC_TIMESTAMP(6)), (%lld, 2, UTC_TIMESTAMP(6));"
             "INSERT INTO polls (meeting_id, state, created_at) VALUES (%lld, 'open', UTC_TIMESTAMP(6)),"
             " (%lld, 'closed', UTC_TIMESTAMP(6));"
             "INSERT INTO speakers (meeting_id, organisation_id, channel, state, requested_at) VALUES"
             " (%lld, 1, 'hall', 'speaking', UTC_TIMESTAMP(6)), (%lld, 2, 'remote', 'waiting', UTC_TIMESTAMP(6));"
             "SET FOREIGN_KEY_CHECKS = 1",
             id, id, id, id, id, id);
    CHECK(store_fixture_script(fixture, "INSERT INTO organisations (id, name, kvk, created_at, updated_at) VALUES"
                                        " (1, 'Klantloket BV', '10000001', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),"
                                        " (2, 'Belcentrum NV', '10000002', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))") == 0 &&
              store_fixture_script(fixture, rows_sql) == 0,
          "polls and speakers");
    long long open_polls = -1;
    CHECK(store_meetings_open_polls(conn, id, &open_polls, &err) == 0 && open_polls == 1, "one open poll (%lld)",
          open_polls);
    CHECK(store_begin(conn, &err) == 0 && store_meetings_end_floor(conn, id, &err) == 0 &&
              store_meetings_mark_closed(conn, id, &err) == 0 && store_commit(conn, &err) == 0, "close: %s",
          err.message);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM speakers WHERE meeting_id = %lld AND"
                              " ((state = 'done' AND finished_at IS NOT NULL) OR"
                              " (state = 'withdrawn' AND withdrawn_by = 'chair'))", id);
    CHECK_INT(store_fixture_integer(fixture, sql), 2, "the turn ended, the request lapsed");
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM meetings WHERE id = %lld AND state = 'closed'"
                              " AND closed_at IS NOT NULL AND opened_at = '2026-12-14 18:30:00'", id);
    CHECK_INT(store_fixture_integer(fixture, sql), 1, "closed, opened_at kept");
    meeting_convocation_details details;
    CHECK(store_begin(conn, &err) == 0 && store_meetings_lock_convocation(conn, id, &details, &err) == 0 &&
              strcmp(details.starts_at, "19:30") == 0 && strcmp(details.location, "Utrecht") == 0 &&
              details.notice_days == 14 && details.remote_conditions == NULL, "convocation details");
    free(details.remote_conditions);
    int meeting_found = -1;
    CHECK(store_meetings_lock(conn, id, &meeting_found, &err) == 0 && meeting_found == 1, "the meeting locks");
    CHECK(store_meetings_lock(conn, id + 100, &meeting_found, &err) == 0 && meeting_found == 0,
          "locking an absent meeting is no error, and says so");
    CHECK(store_meetings_lock(conn, id, NULL, &err) == 0, "found may be NULL");
    alvd_err_clear(&err);
    CHECK(store_meetings_lock_convocation(conn, id + 100, &details, &err) != 0 && err.status == 404, "404");
    alvd_err_clear(&err);
    CHECK(store_meetings_lock_record(conn, id + 100, &record, &err) != 0 && err.status == 404, "404 (record)");
    alvd_err_clear(&err);
    CHECK(store_meetings_lock_state(conn, id + 100, state, date, &err) != 0 && err.status == 404, "404 (state)");
    store_rollback(conn);
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "meetings") != 0)
        return 1;
    store_conn *conn = store_fixture_conn(&fixture);
    CHECK(conn != NULL, "a connection from the pool");
    if (conn) {
        test_insert_and_load(conn);
        test_changes(&fixture, conn);
        store_pool_release(fixture.pool, conn);
    }
    store_fixture_close(&fixture);
    return check_report("store_meetings");
}
