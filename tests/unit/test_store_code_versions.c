/* The Code register's store functions against a real, migrated database: versions
 * listed by date and by id, the label / date clash under lock, articles in order,
 * duplicates refused as 409, and the first version pinning the early contracts. */
#include <string.h>

#include "alvd/store/code_versions.h"
#include "check.h"
#include "store_fixture.h"

static void test_versions(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    long long count = -1, first = 0, second = 0;
    CHECK(store_begin(conn, &err) == 0 && store_code_versions_count_locked(conn, &count, &err) == 0, "count: %s",
          err.message);
    CHECK_INT(count, 0, "an empty register");
    store_rollback(conn);
    /* Inserted later in id but earlier in time: by_date and by_id disagree. */
    CHECK(store_code_versions_insert_import(conn, "2027-1", "2027-03-01", "2026-12-01", 0, &first, &err) == 0,
          "insert: %s", err.message);
    CHECK(store_code_versions_insert_import(conn, "2026-1", "2026-01-01", NULL, 0, &second, &err) == 0,
          "insert: %s", err.message);
    CHECK(first > 0 && second > first, "ids %lld then %lld", first, second);
    CHECK_INT(store_fixture_integer(fixture, "SELECT COUNT(*) FROM code_versions WHERE created_by IS NULL"
                                             " AND source = 'import'"), 2, "created_by 0 is stored as none");
    store_result *rows = NULL;
    CHECK(store_code_versions_by_date(conn, &rows, &err) == 0 && store_result_rows(rows) == 2, "by date");
    if (store_result_rows(rows) == 2) {
        CHECK_INT(store_result_int(rows, 0, 0), second, "earliest date first");
        CHECK_STR(store_result_text(rows, 0, 1), "2026-1", "its label");
        CHECK_STR(store_result_text(rows, 0, 2), "2026-01-01", "its date as YYYY-MM-DD");
    }
    store_result_free(rows);
    rows = NULL;
    CHECK(store_code_versions_by_id(conn, &rows, &err) == 0 && store_result_rows(rows) == 2, "by id");
    if (store_result_rows(rows) == 2)
        CHECK_INT(store_result_int(rows, 0, 0), first, "lowest id first");
    store_result_free(rows);

    store_code_version_clash clash;
    CHECK(store_code_versions_find_clash(conn, "2026-1", "2030-01-01", &clash, &err) == 0, "clash: %s", err.message);
    CHECK(clash.found && clash.label_taken, "the same label clashes");
    CHECK(store_code_versions_find_clash(conn, "other", "2027-03-01", &clash, &err) == 0, "clash: %s", err.message);
    CHECK(clash.found && !clash.label_taken, "the same date clashes");
    CHECK_STR(clash.label, "2027-1", "names the version already on that date");
    CHECK_STR(clash.effective_from, "2027-03-01", "and its date");
    CHECK(store_code_versions_find_clash(conn, "other", "2030-01-01", &clash, &err) == 0 && !clash.found,
          "a new label and date do not clash");

    long long again = 0;
    alvd_err_clear(&err);
    CHECK(store_code_versions_insert_import(conn, "2026-1", "2031-01-01", NULL, 0, &again, &err) != 0,
          "a label twice is refused");
    CHECK_INT(err.status, 409, "as a conflict");
}

static void test_articles(store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    long long version = 0;
    CHECK(store_code_versions_insert_import(conn, "art", "2028-01-01", NULL, 0, &version, &err) == 0, "insert");
    /* Inserted out of position order: the JSON follows position, not insertion. */
    CHECK(store_code_articles_insert(conn, version, 2, "2", "Tweede", "Tekst twee", &err) == 0 &&
              store_code_articles_insert(conn, version, 1, "1", "Eerste", "Tekst één", &err) == 0,
          "articles: %s", err.message);
    json_t *articles = NULL;
    CHECK(store_code_articles_json(conn, version, &articles, &err) == 0 && json_array_size(articles) == 2,
          "two articles");
    if (json_array_size(articles) == 2) {
        CHECK_STR(json_string_value(json_object_get(json_array_get(articles, 0), "id")), "1", "position 1 first");
        CHECK_STR(json_string_value(json_object_get(json_array_get(articles, 0), "text")), "Tekst één", "its text");
        CHECK_STR(json_string_value(json_object_get(json_array_get(articles, 1), "title")), "Tweede", "then 2");
    }
    json_decref(articles);
    alvd_err_clear(&err);
    CHECK(store_code_articles_insert(conn, version, 3, "1", "Dubbel", "x", &err) != 0 && err.status == 409,
          "an article id twice in a version is a conflict (%d)", err.status);
    CHECK(store_code_articles_delete(conn, version, &err) == 0, "delete");
    CHECK(store_code_articles_json(conn, version, &articles, &err) == 0 && json_array_size(articles) == 0,
          "no articles left");
    json_decref(articles);
}

/* Contracts recorded before any version are pinned to the first one, and only then. */
static void test_pin_first_contracts(store_fixture *fixture)
{
    CHECK(store_fixture_script(fixture,
                               "INSERT INTO organisations (id, name, kvk, created_at, updated_at) VALUES"
                               " (1, 'Contractant', '10000001', NOW(), NOW());"
                               "INSERT INTO bases (organisation_id, basis, since, follows_amendments, created_at)"
                               " VALUES (1, 'contract', '2025-01-01', 0, NOW()), (1, 'contract', '2025-01-01', 1, NOW())") == 0,
          "set-up");
    store_conn *conn = store_fixture_conn(fixture);
    alvd_err err;
    alvd_err_clear(&err);
    long long version = 0;
    CHECK(store_code_versions_insert_import(conn, "eerste", "2025-06-01", NULL, 0, &version, &err) == 0 &&
              store_code_versions_pin_first_contracts(conn, version, &err) == 0,
          "first version: %s", err.message);
    CHECK_INT(store_fixture_integer(fixture, "SELECT COUNT(*) FROM bases WHERE pinned_version_id IS NOT NULL"), 1,
              "the fixed contract is pinned, the one following amendments is not");
    long long later = 0;
    CHECK(store_fixture_script(fixture, "UPDATE bases SET pinned_version_id = NULL") == 0, "unpin");
    CHECK(store_code_versions_insert_import(conn, "tweede", "2026-06-01", NULL, 0, &later, &err) == 0 &&
              store_code_versions_pin_first_contracts(conn, later, &err) == 0,
          "second version: %s", err.message);
    CHECK_INT(store_fixture_integer(fixture, "SELECT COUNT(*) FROM bases WHERE pinned_version_id IS NOT NULL"), 0,
              "with two versions nothing is pinned");
    store_pool_release(fixture->pool, conn);
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "code_versions") != 0)
        return 1;
    store_conn *conn = store_fixture_conn(&fixture);
    if (conn) {
        test_versions(&fixture, conn);
        test_articles(conn);
        CHECK(store_fixture_script(&fixture, "DELETE FROM code_articles; DELETE FROM code_versions") == 0, "reset");
        store_pool_release(fixture.pool, conn);
    }
    test_pin_first_contracts(&fixture);
    store_fixture_close(&fixture);
    return check_report("store_code_versions");
}
