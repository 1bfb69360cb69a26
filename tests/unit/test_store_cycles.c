/* store/cycles.c against a real, migrated database: one cycle a year (a second is 409),
 * state and dates read back as written, unknown cycles 404, the list newest year first,
 * the rounds a cycle held counted only once their window closed, and a cycle inserted
 * in a given state (the demo's) found by its year. */
#include <stdlib.h>
#include <string.h>

#include "alvd/store/cycles.h"
#include "check.h"
#include "store_fixture.h"

static void test_insert_and_state(store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    long long id = 0, again = 0, year = 0;
    rules_cycle_state state = RULES_CYCLE_CLOSED;
    CHECK(store_cycles_insert(conn, 2027, "2027-01-05", NULL, NULL, 0, &id, &err) == 0 && id > 0,
          "insert: %s", err.message);
    CHECK(store_cycles_load_state(conn, id, 0, &state, &year, &err) == 0, "load: %s", err.message);
    CHECK(state == RULES_CYCLE_REVIEW, "a new cycle is in review (got %s)", rules_cycle_state_name(state));
    CHECK_INT(year, 2027, "year read back");
    alvd_err_clear(&err);
    CHECK(store_cycles_insert(conn, 2027, NULL, NULL, NULL, 0, &again, &err) != 0, "a second 2027 is refused");
    CHECK_INT(err.status, 409, "a second cycle of a year");
    CHECK(store_cycles_set_state(conn, id, RULES_CYCLE_DRAFTING, &err) == 0 &&
              store_cycles_load_state(conn, id, 0, &state, NULL, &err) == 0,
          "set state: %s", err.message);
    CHECK(state == RULES_CYCLE_DRAFTING, "the state read back is the one set (got %s)", rules_cycle_state_name(state));
    alvd_err_clear(&err);
    CHECK(store_cycles_load_state(conn, id + 1000, 0, &state, NULL, &err) != 0, "an unknown cycle");
    CHECK_INT(err.status, 404, "an unknown cycle");
    CHECK_STR(err.code, "not_found", "an unknown cycle");
}

static void test_dates(store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    long long id = 0;
    store_cycles_dates dates;
    CHECK(store_cycles_insert(conn, 2028, NULL, "2028-06-20", "2028-09-01", 0, &id, &err) == 0, "insert: %s",
          err.message);
    CHECK(store_cycles_load_dates(conn, id, &dates, &err) == 0, "dates: %s", err.message);
    CHECK_STR(dates.alv_date, "2028-06-20", "alv date");
    CHECK_STR(dates.effective_date, "2028-09-01", "effective date");
    /* A date not given keeps its stored value. */
    CHECK(store_cycles_update_dates(conn, id, NULL, "2028-06-13", NULL, &err) == 0 &&
              store_cycles_load_dates(conn, id, &dates, &err) == 0,
          "update: %s", err.message);
    CHECK_STR(dates.alv_date, "2028-06-13", "alv date changed");
    CHECK_STR(dates.effective_date, "2028-09-01", "effective date kept");
    long long none = 0;
    CHECK(store_cycles_insert(conn, 2029, NULL, NULL, NULL, 0, &none, &err) == 0 &&
              store_cycles_load_dates(conn, none, &dates, &err) == 0,
          "no dates: %s", err.message);
    CHECK(dates.alv_date[0] == '\0' && dates.effective_date[0] == '\0', "unset dates read back empty");
}

static void test_select(store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_result *rows = NULL;
    CHECK(store_cycles_select(conn, 0, &rows, &err) == 0, "list: %s", err.message);
    CHECK_INT(store_result_rows(rows), 3, "every cycle listed");
    for (size_t r = 1; r < store_result_rows(rows); r++)
        CHECK(store_result_int(rows, r - 1, 1) > store_result_int(rows, r, 1), "newest year first (row %zu)", r);
    long long first = store_result_rows(rows) ? store_result_int(rows, 0, 0) : 0;
    store_result_free(rows);
    rows = NULL;
    CHECK(store_cycles_select(conn, first, &rows, &err) == 0 && store_result_rows(rows) == 1, "one: %s", err.message);
    CHECK_STR(store_result_text_by_name(rows, 0, "state"), "review", "its state column");
    store_result_free(rows);
    rows = NULL;
    CHECK(store_cycles_select(conn, first + 1000, &rows, &err) == 0 && store_result_rows(rows) == 0,
          "an unknown id gives no row");
    store_result_free(rows);
}

static void test_rounds_held(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    long long id = 0, held = -1;
    CHECK(store_cycles_insert(conn, 2030, NULL, NULL, NULL, 0, &id, &err) == 0, "insert: %s", err.message);
    char sql[600];
    snprintf(sql, sizeof sql,
             "INSERT INTO consultations (cycle_id, round, opens_at, closes_at, opening_day, created_at) VALUES"
             " (%lld, 1, UTC_TIMESTAMP(6) - INTERVAL 20 DAY, UTC_TIMESTAMP(6) - INTERVAL 1 DAY, '2026-11-01',"
             " UTC_TIMESTAMP(6)),"
             " (%lld, 2, UTC_TIMESTAMP(6) - INTERVAL 1 DAY, UTC_TIMESTAMP(6) + INTERVAL 9 DAY, '2026-12-06',"
             " UTC_TIMESTAMP(6))",
             id, id);
    CHECK(store_fixture_script(fixture, sql) == 0, "two rounds");
    CHECK(store_cycles_rounds_held(conn, id, &held, &err) == 0, "held: %s", err.message);
    CHECK_INT(held, 1, "only the closed round counts");
}

static void test_db_now(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    int64_t now = 0;
    CHECK(store_cycles_db_now(conn, &now, &err) == 0, "now: %s", err.message);
    long long server = store_fixture_integer(fixture, "SELECT UNIX_TIMESTAMP(UTC_TIMESTAMP())");
    CHECK(now > 0 && now <= server && server - now < 60, "the database's clock (%lld vs %lld)", (long long)now,
          server);
}

/* The demo's cycle: inserted straight into a later state, made by no user, and found by its year. */
static void test_insert_in_state(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    long long id = 0, found = -1, again = 0, year = 0;
    rules_cycle_state state = RULES_CYCLE_REVIEW;
    CHECK(store_cycles_id_by_year(conn, 2031, &found, &err) == 0, "by year: %s", err.message);
    CHECK_INT(found, 0, "no cycle of 2031 yet");
    CHECK(store_cycles_insert_in_state(conn, 2031, RULES_CYCLE_CONSULTATION, "2031-01-05", "2031-06-16", "2031-09-16",
                                       0, &id, &err) == 0 && id > 0,
          "insert in state: %s", err.message);
    CHECK(store_cycles_load_state(conn, id, 0, &state, &year, &err) == 0, "load: %s", err.message);
    CHECK(state == RULES_CYCLE_CONSULTATION, "the state given (got %s)", rules_cycle_state_name(state));
    CHECK_INT(year, 2031, "its year");
    char sql[200];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM cycles WHERE id = %lld AND created_by IS NULL AND review_from = '2031-01-05'"
             " AND alv_date = '2031-06-16' AND effective_date = '2031-09-16'",
             id);
    CHECK_INT(store_fixture_integer(fixture, sql), 1, "made by no user, with its dates");
    CHECK(store_cycles_id_by_year(conn, 2031, &found, &err) == 0, "by year: %s", err.message);
    CHECK_INT(found, id, "the cycle of 2031 found by its year");
    CHECK(store_cycles_id_by_year(conn, 2032, &found, &err) == 0 && found == 0, "another year has none");
    alvd_err_clear(&err);
    CHECK(store_cycles_insert_in_state(conn, 2031, RULES_CYCLE_DRAFTING, NULL, NULL, NULL, 0, &again, &err) != 0,
          "a second 2031 is refused");
    CHECK_INT(err.status, 409, "one cycle a year, whatever its state");
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "cycles") != 0)
        return 1;
    store_conn *conn = store_fixture_conn(&fixture);
    CHECK(conn != NULL, "a connection from the pool");
    if (conn) {
        test_insert_and_state(conn);
        test_dates(conn);
        test_select(conn);
        test_rounds_held(&fixture, conn);
        test_db_now(&fixture, conn);
        test_insert_in_state(&fixture, conn);
        store_pool_release(fixture.pool, conn);
    }
    store_fixture_close(&fixture);
    return check_report("store_cycles");
}
