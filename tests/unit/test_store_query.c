/* The store's small helpers against a real, migrated database (tests/unit/store_fixture.h):
 * store_query_integer's answer, its fallback for no row and for NULL, and its errors. */
#include <string.h>

#include "check.h"
#include "store_fixture.h"

static void test_query_integer(store_fixture *fixture)
{
    store_conn *conn = store_fixture_conn(fixture);
    CHECK(conn != NULL, "a connection from the pool");
    if (conn == NULL)
        return;
    alvd_err err;
    alvd_err_clear(&err);
    long long value = 0;
    CHECK(store_query_integer(conn, &err, &value, -1, "SELECT COUNT(*) FROM schema_migrations", STORE_NO_PARAMS) == 0,
          "count: %s", err.message);
    CHECK(value > 20, "every migration is recorded (got %lld)", value);
    CHECK(store_query_integer(conn, &err, &value, -7, "SELECT 1 FROM schema_migrations WHERE 1 = ?",
                              STORE_PARAMS(STORE_INT_PARAM(2))) == 0 && value == -7,
          "no row gives the fallback (got %lld)", value);
    CHECK(store_query_integer(conn, &err, &value, 42, "SELECT NULL", STORE_NO_PARAMS) == 0 && value == 42,
          "NULL gives the fallback (got %lld)", value);
    CHECK(store_query_integer(conn, &err, &value, 0, "SELECT ? + 1", STORE_PARAMS(STORE_INT_PARAM(41))) == 0 &&
              value == 42, "a parameter (got %lld)", value);
    alvd_err_clear(&err);
    CHECK(store_query_integer(conn, &err, &value, 0, "SELECT COUNT(*) FROM no_such_table", STORE_NO_PARAMS) != 0,
          "an unknown table is an error");
    CHECK(err.status >= 500, "reported as a server error (got %d %s)", err.status, err.code);
    store_pool_release(fixture->pool, conn);
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "query") != 0)
        return 1;
    test_query_integer(&fixture);
    CHECK(store_fixture_integer(&fixture, "SELECT COUNT(*) FROM organisations") == 0, "a fresh database is empty");
    store_fixture_close(&fixture);
    return check_report("store_query");
}
