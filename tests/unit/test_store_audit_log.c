/* store/audit_log.h against a real, migrated database: the administrator's page newest
 * first, filtered by object and below an id, limited; the chain head for the gauges. */
#include <string.h>

#include "alvd/store/audit_log.h"
#include "check.h"
#include "store_fixture.h"

static void test_list(store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_result *rows = NULL;
    store_audit_log_filter all = {0, NULL, 0, 50};
    CHECK(store_audit_log_list(conn, &all, &rows, &err) == 0 && store_result_rows(rows) == 3, "all three entries");
    CHECK_INT(store_result_int(rows, 0, 0), 3, "newest first");
    CHECK(strcmp(store_result_text_by_name(rows, 0, "hash"), "0303030303030303030303030303030303030303030303030303030303030303") == 0,
          "the hash as lower-case hex");
    CHECK(strcmp(store_result_text_by_name(rows, 0, "details"), "{\"n\":3}") == 0, "details as stored");
    store_result_free(rows);
    store_audit_log_filter by_object = {0, "outbox", 0, 50};
    CHECK(store_audit_log_list(conn, &by_object, &rows, &err) == 0 && store_result_rows(rows) == 2, "two about outbox");
    store_result_free(rows);
    store_audit_log_filter one_object = {0, "outbox", 9, 50};
    CHECK(store_audit_log_list(conn, &one_object, &rows, &err) == 0 && store_result_rows(rows) == 1 &&
              store_result_int(rows, 0, 0) == 3,
          "one about outbox 9");
    store_result_free(rows);
    store_audit_log_filter page = {3, NULL, 0, 1};
    CHECK(store_audit_log_list(conn, &page, &rows, &err) == 0 && store_result_rows(rows) == 1 &&
              store_result_int(rows, 0, 0) == 2,
          "below 3, one entry: 2");
    store_result_free(rows);
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "audit_log") != 0)
        return 1;
    CHECK(store_fixture_script(&fixture,
                               "INSERT INTO audit_log (id, created_at, actor_kind, action, object_type, object_id,"
                               " details, prev_hash, hash) VALUES"
                               " (1, UTC_TIMESTAMP(6), 'user', 'session.login', 'user', 1, '{}', REPEAT(CHAR(0), 32), REPEAT(CHAR(1), 32)),"
                               " (2, UTC_TIMESTAMP(6), 'user', 'outbox.retry', 'outbox', 8, '{}', REPEAT(CHAR(1), 32), REPEAT(CHAR(2), 32)),"
                               " (3, UTC_TIMESTAMP(6), 'user', 'outbox.retry', 'outbox', 9, '{\"n\":3}', REPEAT(CHAR(2), 32), REPEAT(CHAR(3), 32))") == 0,
          "set-up entries");
    store_conn *conn = store_fixture_conn(&fixture);
    if (conn) {
        test_list(conn);
        alvd_err err;
        alvd_err_clear(&err);
        store_audit_log_head head;
        long long newest = store_fixture_integer(&fixture, "SELECT COALESCE(MAX(id), 0) FROM audit_heads");
        CHECK(store_audit_log_read_head(conn, &head, &err) == 0, "head: %s", err.message);
        CHECK_INT(head.entry, newest, "the head is the newest recorded in audit_heads");
        CHECK(store_fixture_script(&fixture, "INSERT INTO audit_heads (id, hash) VALUES (3, REPEAT(CHAR(3), 32))") == 0, "record head 3");
        CHECK(store_audit_log_read_head(conn, &head, &err) == 0 && head.entry == 3, "the head moves to 3");
        CHECK(head.age_microseconds >= 0 && head.age_microseconds < 60LL * 1000000, "its age is the entry's (%lld µs)",
              head.age_microseconds);
        store_pool_release(fixture.pool, conn);
    }
    store_fixture_close(&fixture);
    return check_report("store_audit_log");
}
