/* The proxies' store against a real, migrated database: member locks of both sides, the
 * tally a new proxy is checked against, registering, revoking once, the list by id. */
#include <string.h>

#include "alvd/store/proxies.h"
#include "check.h"
#include "store_fixture.h"

static const char *const setup = STORE_FIXTURE_MEETING_SEED;

static void test_proxies(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    long long found = -1, first = 0, second = 0;
    proxies_tally tally;
    int revoked = -1;
    CHECK(store_begin(conn, &err) == 0, "begin");
    CHECK(store_proxies_lock_members(conn, 1, 3, 1, &found, &err) == 0 && found == 2, "both are members");
    CHECK(store_proxies_lock_members(conn, 1, 3, 4, &found, &err) == 0 && found == 1, "4 is no member");
    store_rollback(conn);

    CHECK(store_proxies_tally(conn, 1, 3, 1, &tally, &err) == 0, "tally: %s", err.message);
    CHECK(tally.principal_gave == 0 && tally.holder_holds == 0 && tally.holder_gave == 0 && tally.principal_holds == 0,
          "nothing registered yet");
    CHECK(store_proxies_insert(conn, 1, 3, 1, "schriftelijk", 0, &first, &err) == 0 && first > 0, "3 → 1");
    CHECK(store_proxies_insert(conn, 1, 2, 1, NULL, 0, &second, &err) == 0 && second > first, "2 → 1");
    CHECK(store_fixture_integer(fixture, "SELECT COUNT(*) FROM proxies WHERE created_by IS NULL") == 2,
          "no staff user: created_by NULL");
    CHECK(store_proxies_tally(conn, 1, 3, 1, &tally, &err) == 0, "tally again");
    CHECK(tally.principal_gave == 1 && tally.holder_holds == 2, "3 gave one, 1 holds two (%lld, %lld)",
          tally.principal_gave, tally.holder_holds);
    CHECK(store_proxies_tally(conn, 1, 1, 2, &tally, &err) == 0 && tally.holder_gave == 1 && tally.principal_holds == 2,
          "a chain 1 → 2 is seen (2 gave one, 1 holds two)");

    CHECK(store_proxies_revoke(conn, 1, first, &revoked, &err) == 0 && revoked == 1, "revoked");
    CHECK(store_proxies_revoke(conn, 1, first, &revoked, &err) == 0 && revoked == 0, "only once");
    CHECK(store_proxies_revoke(conn, 2, second, &revoked, &err) == 0 && revoked == 0, "not through another meeting");
    CHECK(store_proxies_tally(conn, 1, 3, 1, &tally, &err) == 0 && tally.principal_gave == 0 && tally.holder_holds == 1,
          "a revoked proxy no longer counts");

    store_result *rows = NULL;
    CHECK(store_proxies_list(conn, 1, &rows, &err) == 0 && store_result_rows(rows) == 2, "both listed");
    if (rows && store_result_rows(rows) == 2) {
        CHECK_INT(store_result_int(rows, 0, 0), first, "by id");
        CHECK_STR(store_result_text_by_name(rows, 0, "principal_name"), "Contact & Co", "principal's name");
        CHECK_STR(store_result_text_by_name(rows, 0, "holder_name"), "Bel-Centrum BV", "holder's name");
        CHECK_STR(store_result_text_by_name(rows, 0, "note"), "schriftelijk", "the note");
        CHECK(!store_result_is_null(rows, 0, 7) && store_result_is_null(rows, 1, 7), "revoked_at of the first only");
    }
    store_result_free(rows);
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "proxies") != 0 || store_fixture_script(&fixture, setup) != 0)
        return 1;
    store_conn *conn = store_fixture_conn(&fixture);
    CHECK(conn != NULL, "a connection from the pool");
    if (conn) {
        test_proxies(&fixture, conn);
        store_pool_release(fixture.pool, conn);
    }
    store_fixture_close(&fixture);
    return check_report("store_proxies");
}
