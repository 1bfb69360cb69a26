/* The store's small helpers against a real, migrated database (tests/unit/store_fixture.h):
 * store_query_integer's and store_query_text's answers, their fallbacks for no row and
 * for NULL, store_query_text's cut to the buffer and found flag, and their errors. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "store_fixture.h"

/* A pooled connection and a cleared error, or NULL (reported) when the pool has none. */
static store_conn *query_conn(store_fixture *fixture, alvd_err *err)
{
    store_conn *conn = store_fixture_conn(fixture);
    CHECK(conn != NULL, "a connection from the pool");
    alvd_err_clear(err);
    return conn;
}

static void test_query_integer(store_fixture *fixture)
{
    alvd_err err;
    store_conn *conn = query_conn(fixture, &err);
    if (conn == NULL)
        return;
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

static void test_query_text(store_fixture *fixture)
{
    alvd_err err;
    store_conn *conn = query_conn(fixture, &err);
    if (conn == NULL)
        return;
    char text[8] = "stale";
    int found = -1;
    CHECK(store_query_text(conn, &err, text, sizeof text, &found, "SELECT CONCAT('open', ?)",
                           STORE_PARAMS(STORE_TEXT_PARAM("ed"))) == 0 &&
              strcmp(text, "opened") == 0 && found == 1,
          "a row's text, found (got \"%s\", %d)", text, found);
    CHECK(store_query_text(conn, &err, text, sizeof text, &found, "SELECT 'consultation'", STORE_NO_PARAMS) == 0 &&
              strcmp(text, "consult") == 0,
          "cut to the buffer, still terminated (got \"%s\")", text);
    CHECK(store_query_text(conn, &err, text, sizeof text, &found, "SELECT 'x' FROM schema_migrations WHERE 1 = ?",
                           STORE_PARAMS(STORE_INT_PARAM(2))) == 0 &&
              text[0] == '\0' && found == 0,
          "no row: empty and not found (got \"%s\", %d)", text, found);
    CHECK(store_query_text(conn, &err, text, sizeof text, &found, "SELECT NULL", STORE_NO_PARAMS) == 0 &&
              text[0] == '\0' && found == 1,
          "NULL: empty, but the row was there (got \"%s\", %d)", text, found);
    CHECK(store_query_text(conn, &err, text, sizeof text, NULL, "SELECT 'ok'", STORE_NO_PARAMS) == 0 &&
              strcmp(text, "ok") == 0,
          "found may be NULL");
    alvd_err_clear(&err);
    CHECK(store_query_text(conn, &err, text, sizeof text, &found, "SELECT name FROM no_such_table",
                           STORE_NO_PARAMS) != 0 && err.status >= 500,
          "an unknown table is a server error (got %d %s)", err.status, err.code);
    store_pool_release(fixture->pool, conn);
}

static void test_result_array(store_fixture *fixture)
{
    alvd_err err;
    store_conn *conn = query_conn(fixture, &err);
    if (conn == NULL)
        return;
    store_result *rows = NULL;
    CHECK(store_query(conn, &err, &rows, "SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9", STORE_NO_PARAMS) == 0,
          "three rows: %s", err.message);
    long long *items = store_result_array(rows, sizeof *items, &err);
    CHECK(items != NULL && items[0] == 0 && items[2] == 0, "one zeroed element per row");
    free(items);
    store_result_free(rows);
    rows = NULL;
    CHECK(store_query(conn, &err, &rows, "SELECT 1 FROM schema_migrations WHERE 1 = 2", STORE_NO_PARAMS) == 0,
          "no rows: %s", err.message);
    items = store_result_array(rows, sizeof *items, &err);
    CHECK(items != NULL, "no rows still gives an array to free, not NULL (NULL means no memory)");
    free(items);
    store_result_free(rows);
    store_pool_release(fixture->pool, conn);
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "query") != 0)
        return 1;
    test_query_integer(&fixture);
    test_query_text(&fixture);
    test_result_array(&fixture);
    CHECK(store_fixture_integer(&fixture, "SELECT COUNT(*) FROM organisations") == 0, "a fresh database is empty");
    store_fixture_close(&fixture);
    return check_report("store_query");
}
