/* The speaker list's and contributions' store against a real, migrated database: the
 * member's open request, queue positions, giving and ending the floor, withdrawals, the
 * list's order, the minutes' turns, and contributions listed per member and moderated. */
#include <string.h>

#include "alvd/store/contributions.h"
#include "alvd/store/speakers.h"
#include "check.h"
#include "store_fixture.h"

static const char *const setup =
    "INSERT INTO organisations (id, name, kvk, created_at, updated_at) VALUES"
    " (1, 'Bel-Centrum BV', '10000001', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),"
    " (2, 'Antwoord NV', '10000002', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),"
    " (3, 'Contact & Co', '10000003', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));"
    "INSERT INTO meetings (id, title, date, starts_at, location, state, current_item, created_at)"
    " VALUES (1, 'ALV', '2026-06-16', '19:30', 'Utrecht', 'open', 2, UTC_TIMESTAMP(6)),"
    " (2, 'ALV 2', '2026-12-16', '19:30', 'Utrecht', 'planned', NULL, UTC_TIMESTAMP(6));"
    "INSERT INTO meeting_members (meeting_id, organisation_id, added_at) VALUES"
    " (1, 1, UTC_TIMESTAMP(6)), (1, 2, UTC_TIMESTAMP(6)), (1, 3, UTC_TIMESTAMP(6))";

static void test_queue(store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    speakers_open open;
    speakers_row row;
    int found = -1, has = -1;
    long long item = 0, first = 0, second = 0, third = 0, position = 0, ended = -1;
    CHECK(store_speakers_current_item(conn, 1, &has, &item, &err) == 0 && has == 1 && item == 2, "current item 2");
    CHECK(store_speakers_current_item(conn, 2, &has, &item, &err) == 0 && has == 0, "no current item");
    CHECK(store_speakers_open_request(conn, 1, 1, &open, &found, &err) == 0 && found == 0, "no open request");
    CHECK(store_speakers_insert(conn, 1, 1, "hall", 1, 2, &first, &err) == 0, "request 1: %s", err.message);
    CHECK(store_speakers_insert(conn, 1, 2, "remote", 0, 0, &second, &err) == 0, "request 2");
    CHECK(store_speakers_insert(conn, 1, 3, "hall", 1, 2, &third, &err) == 0, "request 3");
    CHECK(store_speakers_position(conn, 1, second, &position, &err) == 0 && position == 2, "second in the queue");
    CHECK(store_speakers_open_request(conn, 1, 1, &open, &found, &err) == 0 && found == 1 && open.id == first &&
              !open.speaking, "1 has an open request, waiting");

    CHECK(store_begin(conn, &err) == 0, "begin");
    CHECK(store_speakers_load_locked(conn, second, &row, &found, &err) == 0 && found == 1, "row loaded");
    CHECK(row.meeting_id == 1 && row.organisation_id == 2 && strcmp(row.state, "waiting") == 0, "its fields");
    CHECK(store_speakers_end_current(conn, 1, &ended, &err) == 0 && ended == 0, "nobody speaking yet");
    CHECK(store_speakers_start(conn, second, &err) == 0, "2 gets the floor");
    CHECK(store_commit(conn, &err) == 0, "commit: %s", err.message);
    CHECK(store_speakers_open_request(conn, 1, 2, &open, &found, &err) == 0 && found && open.speaking, "2 speaks");
    CHECK(store_speakers_position(conn, 1, third, &position, &err) == 0 && position == 2, "3 moved up to second");

    CHECK(store_speakers_end_current(conn, 1, &ended, &err) == 0 && ended == second, "the turn of 2 ends");
    CHECK(store_speakers_start(conn, first, &err) == 0 && store_speakers_finish(conn, first, &err) == 0, "1 spoke");
    CHECK(store_speakers_withdraw(conn, third, "member", &err) == 0, "3 withdraws");
    CHECK(store_speakers_load_locked(conn, 99, &row, &found, &err) == 0 && found == 0, "no such request");

    store_result *rows = NULL;
    CHECK(store_speakers_list(conn, 1, &rows, &err) == 0 && store_result_rows(rows) == 2, "withdrawn not listed");
    if (rows && store_result_rows(rows) == 2) {
        CHECK(store_result_int(rows, 0, 0) == second && store_result_int(rows, 1, 0) == first,
              "turns in the order given");
        CHECK(!store_result_is_null(rows, 0, 9), "speaking time counted");
    }
    store_result_free(rows);
    CHECK(store_speakers_turns(conn, 1, &rows, &err) == 0 && store_result_rows(rows) == 2, "two turns for the minutes");
    store_result_free(rows);
    CHECK(store_speakers_item(conn, 99, &rows, &err) == 0 && store_result_rows(rows) == 0, "absent item: no row");
    store_result_free(rows);
    CHECK(store_speakers_clock(conn, &rows, &err) == 0 && store_result_rows(rows) == 1 &&
              store_result_column_index(rows, "now") == 0, "the clock row");
    store_result_free(rows);
}

static void test_contributions(store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    long long first = 0, second = 0, meeting_id = 0;
    int found = -1;
    CHECK(store_contributions_insert(conn, 1, 1, "hall", 1, 2, "Een vraag", &first, &err) == 0, "contribution 1");
    CHECK(store_contributions_insert(conn, 1, 2, "remote", 0, 0, "Nog een", &second, &err) == 0, "contribution 2");
    store_result *rows = NULL;
    CHECK(store_contributions_list(conn, 1, 0, &rows, &err) == 0 && store_result_rows(rows) == 2, "staff see both");
    store_result_free(rows);
    CHECK(store_contributions_list(conn, 1, 2, &rows, &err) == 0 && store_result_rows(rows) == 1 &&
              store_result_int(rows, 0, 0) == second, "a member sees only its own");
    store_result_free(rows);
    CHECK(store_contributions_lock(conn, first, &meeting_id, &found, &err) == 0 && found && meeting_id == 1, "locked");
    CHECK(store_contributions_lock(conn, 99, &meeting_id, &found, &err) == 0 && found == 0, "absent");
    CHECK(store_contributions_moderate(conn, first, "read_out", 7, &err) == 0, "moderated");
    CHECK(store_contributions_item(conn, first, &rows, &err) == 0 && store_result_rows(rows) == 1, "one row");
    if (rows && store_result_rows(rows) == 1) {
        CHECK_STR(store_result_text(rows, 0, 6), "read_out", "the decision");
        CHECK(!store_result_is_null(rows, 0, 8), "moderated_at set");
    }
    store_result_free(rows);
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "speakers") != 0 || store_fixture_script(&fixture, setup) != 0)
        return 1;
    store_conn *conn = store_fixture_conn(&fixture);
    CHECK(conn != NULL, "a connection from the pool");
    if (conn) {
        test_queue(conn);
        test_contributions(conn);
        store_pool_release(fixture.pool, conn);
    }
    store_fixture_close(&fixture);
    return check_report("store_speakers");
}
