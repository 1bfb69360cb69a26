/* The deadlines' store functions against a real, migrated database: calendar events
 * added, revised (SEQUENCE + 1) and cancelled, read in order; feed links that replace
 * each other; current bases and standing withdrawals as the overview reads them. */
#include <string.h>

#include "alvd/store/deadlines.h"
#include "check.h"
#include "store_fixture.h"

static void test_calendar(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    CHECK(store_deadlines_calendar_upsert(conn, "b-event", "effective", 1, "2027-03-01", "E", "In werking", &err) == 0 &&
              store_deadlines_calendar_upsert(conn, "a-event", "withdrawal_deadline", 1, "2027-02-01", "W",
                                              "Termijn", &err) == 0 &&
              store_deadlines_calendar_upsert(conn, "old", "effective", 9, "2020-01-01", "Oud", "x", &err) == 0,
          "add: %s", err.message);
    /* A changed date keeps the uid and raises the sequence. */
    CHECK(store_deadlines_calendar_upsert(conn, "b-event", "effective", 1, "2027-03-08", "E", "In werking", &err) == 0,
          "revise: %s", err.message);
    CHECK(store_deadlines_calendar_cancel(conn, "a-event", &err) == 0, "cancel: %s", err.message);

    store_calendar_item_list list;
    CHECK(store_begin(conn, &err) == 0 && store_deadlines_calendar_lock_all(conn, &list, &err) == 0, "lock all");
    CHECK_INT(list.count, 3, "every stored event");
    if (list.count == 3) {
        CHECK_STR(list.items[0].uid, "a-event", "ordered by uid");
        CHECK(list.items[0].cancelled, "the cancelled one says so");
        CHECK_INT(list.items[0].sequence, 1, "cancelling raises the sequence");
        CHECK_STR(list.items[1].day, "2027-03-08", "the revised date");
        CHECK_INT(list.items[1].sequence, 1, "revising raises the sequence");
        CHECK(!list.items[1].cancelled, "a revised event is not cancelled");
        CHECK(strlen(list.items[1].last_modified) == 19, "last modified as a UTC date-time (%s)",
              list.items[1].last_modified);
    }
    store_deadlines_calendar_free(&list);
    store_rollback(conn);
    CHECK(store_deadlines_calendar_since(conn, "2026-01-01", &list, &err) == 0, "since");
    CHECK_INT(list.count, 2, "events before the date are left out");
    if (list.count == 2) {
        CHECK_STR(list.items[0].uid, "a-event", "ordered by day");
        CHECK_STR(list.items[1].description, "In werking", "with its description");
        CHECK_INT(list.items[0].sequence, 1, "and its sequence");
    }
    store_deadlines_calendar_free(&list);
    /* Adding a cancelled event again brings it back. */
    CHECK(store_deadlines_calendar_upsert(conn, "a-event", "withdrawal_deadline", 1, "2027-02-01", "W", "Termijn",
                                          &err) == 0, "re-add");
    CHECK_INT(store_fixture_integer(fixture, "SELECT COUNT(*) FROM calendar_items WHERE uid = 'a-event'"
                                             " AND cancelled_at IS NULL AND sequence = 2"), 1,
              "re-added: live again with sequence 2");
}

static void test_feed_tokens(store_fixture *fixture, store_conn *conn)
{
    CHECK(store_fixture_script(fixture,
                               "INSERT INTO users (id, email, name, password_hash, roles, created_at) VALUES"
                               " (7, 'sec@example.org', 'Secretariaat', 'x', 'secretariat', NOW()),"
                               " (8, 'gone@example.org', 'Vertrokken', 'x', '', NOW())") == 0, "users");
    alvd_err err;
    alvd_err_clear(&err);
    unsigned char first[32], second[32], roleless[32];
    memset(first, 1, sizeof first);
    memset(second, 2, sizeof second);
    memset(roleless, 3, sizeof roleless);
    int active = -1, known = -1;
    char since[11];
    CHECK(store_deadlines_feed_token_active(conn, 7, &active, since, &err) == 0 && active == 0, "no link yet");
    CHECK(store_deadlines_feed_token_replace(conn, 7, first, sizeof first, &err) == 0, "first: %s", err.message);
    CHECK(store_deadlines_feed_token_known(conn, first, sizeof first, &known, &err) == 0 && known == 1, "first works");
    CHECK(store_deadlines_feed_token_replace(conn, 7, second, sizeof second, &err) == 0, "second: %s", err.message);
    CHECK(store_deadlines_feed_token_known(conn, first, sizeof first, &known, &err) == 0 && known == 0,
          "a replaced link stops working");
    CHECK(store_deadlines_feed_token_known(conn, second, sizeof second, &known, &err) == 0 && known == 1,
          "the new one works");
    CHECK(store_deadlines_feed_token_active(conn, 7, &active, since, &err) == 0 && active == 1, "active");
    CHECK(strlen(since) == 10 && since[4] == '-', "since is a date (%s)", since);
    CHECK_INT(store_fixture_integer(fixture, "SELECT COUNT(*) FROM deadline_feed_tokens WHERE user_id = 7"
                                             " AND revoked_at IS NULL"), 1, "one live link per user");
    CHECK(store_deadlines_feed_token_replace(conn, 8, roleless, sizeof roleless, &err) == 0, "roleless");
    CHECK(store_deadlines_feed_token_known(conn, roleless, sizeof roleless, &known, &err) == 0 && known == 0,
          "a user without roles has no feed");
}

static void test_register(store_fixture *fixture, store_conn *conn)
{
    CHECK(store_fixture_script(fixture,
                               "INSERT INTO organisations (id, name, kvk, created_at, updated_at) VALUES"
                               " (2, 'Beta', '10000002', NOW(), NOW()), (1, 'Alfa', '10000001', NOW(), NOW());"
                               "INSERT INTO bases (id, organisation_id, basis, since, until, created_at) VALUES"
                               " (10, 2, 'signature', '2024-01-01', NULL, NOW()),"
                               " (11, 1, 'membership', '2023-01-01', '2026-12-31', NOW()),"
                               " (12, 1, 'signature', '2023-01-01', NULL, NOW()),"
                               " (13, 1, 'signature', '2022-01-01', NULL, NOW());"
                               "UPDATE bases SET superseded_by = 12 WHERE id = 13") == 0, "register");
    alvd_err err;
    alvd_err_clear(&err);
    store_deadlines_basis_list bases;
    CHECK(store_deadlines_bases(conn, &bases, &err) == 0, "bases: %s", err.message);
    CHECK_INT(bases.count, 3, "superseded bases are left out");
    if (bases.count == 3) {
        CHECK_INT(bases.items[0].organisation_id, 1, "by organisation");
        CHECK_STR(bases.items[0].basis, "membership", "then by basis id");
        CHECK_STR(bases.items[0].until, "2026-12-31", "with its end");
        CHECK(bases.items[1].until == NULL, "an open basis has no end");
        CHECK_STR(bases.items[2].organisation_name, "Beta", "with the organisation's name");
    }
    store_deadlines_bases_free(&bases);
    store_deadlines_withdrawal_list withdrawals;
    CHECK(store_deadlines_withdrawals(conn, &withdrawals, &err) == 0 && withdrawals.count == 0,
          "no withdrawals yet: %s", err.message);
    store_deadlines_withdrawals_free(&withdrawals);
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "deadlines") != 0)
        return 1;
    store_conn *conn = store_fixture_conn(&fixture);
    if (conn) {
        test_calendar(&fixture, conn);
        test_feed_tokens(&fixture, conn);
        test_register(&fixture, conn);
        store_pool_release(fixture.pool, conn);
    }
    store_fixture_close(&fixture);
    return check_report("store_deadlines");
}
