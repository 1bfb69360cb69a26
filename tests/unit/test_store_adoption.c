/* The adoption store functions against a real, migrated database: an unknown proposal
 * is 404, the adoption versions of one ALV found by date, moved, dated, listed from a
 * date on, based on the version before them, and deleted with their articles. */
#include <stdlib.h>
#include <string.h>

#include "alvd/store/adoption.h"
#include "alvd/store/code_versions.h"
#include "check.h"
#include "store_fixture.h"

static void test_unknown_proposal(store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_adoption_decision decision;
    CHECK(store_adoption_decision_load(conn, 999, &decision, &err) != 0, "an unknown proposal");
    CHECK_INT(err.status, 404, "is not found");
    CHECK_STR(err.code, "not_found", "code");
    long long version = -1, count = -1;
    char date[11];
    alvd_err_clear(&err);
    CHECK(store_begin(conn, &err) == 0 && store_adoption_current_locked(conn, 999, &version, date, &err) == 0,
          "current: %s", err.message);
    CHECK(version == 0 && date[0] == '\0', "no adoption yet");
    store_rollback(conn);
    CHECK(store_adoption_withdrawals_on(conn, 1, &count, &err) == 0 && count == 0, "no withdrawals on it");
    CHECK(store_adoption_count_on_version(conn, 1, 0, &count, &err) == 0 && count == 0, "no adoptions on it");
}

static void test_versions(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    long long base = 0, first = 0, second = 0, found = -1, versions = -1;
    CHECK(store_code_versions_insert_import(conn, "basis", "2026-01-01", NULL, 0, &base, &err) == 0, "base");
    CHECK(store_adoption_version_insert(conn, "2027-04-01 (ALV 2026-11-20)", "2027-04-01", 5, "2026-11-20", 0, &first,
                                        &err) == 0, "insert: %s", err.message);
    CHECK(store_adoption_version_insert(conn, "2027-07-01 (ALV 2026-11-20)", "2027-07-01", 5, "2026-11-20", 0,
                                        &second, &err) == 0, "insert: %s", err.message);
    CHECK(store_adoption_version_on(conn, "2027-04-01", 5, &found, &versions, &err) == 0, "on: %s", err.message);
    CHECK(found == first && versions == 1, "the meeting's version on its date (%lld of %lld)", found, versions);
    CHECK(store_adoption_version_on(conn, "2027-04-01", 6, &found, &versions, &err) == 0, "on");
    CHECK(found == 0 && versions == 1, "another meeting's version is taken, not its own");
    CHECK(store_adoption_version_on(conn, "2026-01-01", 5, &found, &versions, &err) == 0 && found == 0 && versions == 1,
          "an imported version is never an adoption version");

    /* D of a version is the latest of its adoptions': a later D raises it, an earlier does not. */
    CHECK(store_adoption_version_raise_decided_on(conn, first, "2026-12-01", &err) == 0 &&
              store_adoption_version_raise_decided_on(conn, first, "2026-10-01", &err) == 0, "raise");
    CHECK_INT(store_fixture_integer(fixture, "SELECT DATEDIFF(decided_on, '2026-12-01') FROM code_versions"
                                             " WHERE label LIKE '2027-04-01%'"), 0, "the latest D stays");

    long long *ids = NULL;
    size_t count = 0;
    CHECK(store_adoption_versions_from(conn, "2027-01-01", &ids, &count, &err) == 0 && count == 2, "from");
    if (count == 2)
        CHECK(ids[0] == first && ids[1] == second, "by date");
    free(ids);
    long long based_on = -1;
    CHECK(store_adoption_version_base(conn, second, &based_on, &err) == 0 && based_on == first,
          "a version builds on the one before it (%lld)", based_on);
    CHECK(store_adoption_version_base(conn, first, &based_on, &err) == 0 && based_on == base,
          "the first adoption builds on the imported version (%lld)", based_on);
    CHECK(store_adoption_version_set_base(conn, first, base, &err) == 0, "set base");

    /* Moving the later version before the first changes the order and the base. */
    CHECK(store_adoption_version_move(conn, second, "2027-03-01", "2027-03-01 (ALV 2026-11-20)", &err) == 0, "move");
    CHECK(store_adoption_versions_from(conn, "2027-01-01", &ids, &count, &err) == 0 && count == 2, "from");
    if (count == 2)
        CHECK(ids[0] == second && ids[1] == first, "the moved version now comes first");
    free(ids);
    CHECK(store_adoption_version_move(conn, base, "2020-01-01", "verplaatst", &err) == 0, "move an import");
    CHECK_INT(store_fixture_integer(fixture, "SELECT COUNT(*) FROM code_versions WHERE label = 'verplaatst'"), 0,
              "an imported version never moves");

    CHECK(store_code_articles_insert(conn, second, 1, "1", "Titel", "Tekst", &err) == 0, "article");
    CHECK(store_adoption_version_delete(conn, second, &err) == 0, "delete: %s", err.message);
    CHECK_INT(store_fixture_integer(fixture, "SELECT COUNT(*) FROM code_articles"), 0, "its articles are gone");
    CHECK_INT(store_fixture_integer(fixture, "SELECT COUNT(*) FROM code_versions"), 2, "and the version itself");
    CHECK(store_adoption_version_delete(conn, base, &err) == 0, "delete an import");
    CHECK_INT(store_fixture_integer(fixture, "SELECT COUNT(*) FROM code_versions"), 2, "an import is never deleted");
    json_t *changes = NULL;
    CHECK(store_adoption_changes_json(conn, first, &changes, &err) == 0 && json_array_size(changes) == 0,
          "no adopted changes without adoptions");
    json_decref(changes);
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "adoption") != 0)
        return 1;
    store_conn *conn = store_fixture_conn(&fixture);
    if (conn) {
        test_unknown_proposal(conn);
        test_versions(&fixture, conn);
        store_pool_release(fixture.pool, conn);
    }
    store_fixture_close(&fixture);
    return check_report("store_adoption");
}
