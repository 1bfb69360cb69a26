/* The register's store functions against a real, migrated MariaDB (store_fixture.h):
 * organisations, contact persons and bases of binding — rows written and read back,
 * not-found as 404, duplicates as 409, the order lists promise. */
#include <string.h>

#include "alvd/store/bases.h"
#include "alvd/store/contacts.h"
#include "alvd/store/organisations.h"
#include "check.h"
#include "store_fixture.h"

static alvd_err err;

static long long add_organisation(store_conn *conn, const char *name, const char *kvk, const char *email,
                                  const char *member_number)
{
    store_organisation_fields fields = {name, kvk, email, NULL, member_number, 1};
    long long id = 0;
    alvd_err_clear(&err);
    CHECK(store_organisations_insert(conn, &fields, &id, &err) == 0 && id > 0, "insert %s: %s", name, err.message);
    return id;
}

static long long add_basis(store_conn *conn, long long organisation_id, const char *basis, const char *since,
                           const char *until)
{
    store_basis_fields fields = {organisation_id, basis, since, until, NULL, NULL, NULL, 0, 0, 0};
    long long id = 0;
    alvd_err_clear(&err);
    CHECK(store_bases_insert(conn, &fields, &id, &err) == 0 && id > 0, "basis %s: %s", basis, err.message);
    return id;
}

static void test_organisations(store_fixture *fixture, store_conn *conn)
{
    long long zeta = add_organisation(conn, "Zeta B.V.", "12345678", "info@zeta.nl", "L-1");
    long long alfa = add_organisation(conn, "Alfa 100% Service", "87654321", NULL, NULL);
    store_result *row = NULL;
    CHECK(store_organisations_load(conn, zeta, 0, &row, &err) == 0, "load: %s", err.message);
    CHECK_STR(store_result_text_by_name(row, 0, "kvk"), "12345678", "kvk read back");
    CHECK_STR(store_result_text_by_name(row, 0, "email"), "info@zeta.nl", "email read back");
    store_result_free(row);
    alvd_err_clear(&err);
    CHECK(store_organisations_load(conn, zeta + 100, 0, &row, &err) != 0 && err.status == 404 && row == NULL,
          "an unknown organisation is 404 (got %d)", err.status);
    alvd_err_clear(&err);
    CHECK(store_organisations_exists(conn, alfa, 0, &err) == 0, "exists");
    CHECK(store_organisations_exists(conn, alfa + 100, 1, &err) != 0 && err.status == 404, "missing is 404");
    char name[64];
    int found = 0;
    CHECK(store_organisations_name(conn, alfa, 0, name, sizeof name, &found, &err) == 0 && found, "name");
    CHECK_STR(name, "Alfa 100% Service", "name read back");
    CHECK(store_organisations_name(conn, alfa + 100, 0, name, sizeof name, &found, &err) == 0 && !found &&
              name[0] == '\0', "no name for an unknown organisation");

    alvd_err_clear(&err);
    CHECK(store_organisations_check_unique(conn, "12345678", NULL, 0, &err) != 0 && err.status == 409 &&
              strcmp(err.code, "kvk_taken") == 0, "a taken KvK is 409 kvk_taken (got %d %s)", err.status, err.code);
    alvd_err_clear(&err);
    CHECK(store_organisations_check_unique(conn, "11111111", "L-1", 0, &err) != 0 &&
              strcmp(err.code, "member_number_taken") == 0, "a taken member number is 409 (got %s)", err.code);
    alvd_err_clear(&err);
    CHECK(store_organisations_check_unique(conn, "12345678", "L-1", zeta, &err) == 0,
          "its own KvK and number are not taken: %s", err.message);

    store_organisation_change change = {.name = "Zeta Groep B.V.", .has_email = 1, .email = NULL,
                                        .public_consent = -1};
    CHECK(store_organisations_update(conn, zeta, &change, &err) == 0, "update: %s", err.message);
    CHECK(store_organisations_load(conn, zeta, 1, &row, &err) == 0, "load after update");
    CHECK_STR(store_result_text_by_name(row, 0, "name"), "Zeta Groep B.V.", "name changed");
    CHECK(store_result_text_by_name(row, 0, "email") == NULL, "email cleared");
    CHECK_STR(store_result_text_by_name(row, 0, "kvk"), "12345678", "kvk left as it was");
    CHECK_INT(store_result_int_by_name(row, 0, "public_consent"), 1, "consent left as it was");
    store_result_free(row);
    (void)fixture;
}

static void test_lists(store_conn *conn)
{
    store_result *rows = NULL;
    long long alfa = 0;
    CHECK(store_organisations_list(conn, "2026-12-07", NULL, &rows, &err) == 0, "list: %s", err.message);
    CHECK_INT(store_result_rows(rows), 2, "two organisations");
    CHECK_STR(store_result_text_by_name(rows, 0, "name"), "Alfa 100% Service", "ordered by name");
    alfa = store_result_int_by_name(rows, 0, "id");
    store_result_free(rows);
    add_basis(conn, alfa, "membership", "2020-01-01", NULL);
    add_basis(conn, alfa, "signature", "2027-01-01", NULL);
    CHECK(store_organisations_list(conn, "2026-12-07", "100%", &rows, &err) == 0, "search");
    CHECK_INT(store_result_rows(rows), 1, "'100%' finds the name with a literal %");
    CHECK_STR(store_result_text_by_name(rows, 0, "active_bases"), "membership", "only the basis active on the date");
    store_result_free(rows);
    CHECK(store_organisations_list(conn, "2026-12-07", "0%S", &rows, &err) == 0, "search");
    CHECK_INT(store_result_rows(rows), 0, "% is no wildcard in a search");
    store_result_free(rows);
    CHECK(store_organisations_list(conn, "2026-12-07", "12345678", &rows, &err) == 0, "search by KvK");
    CHECK_INT(store_result_rows(rows), 1, "a KvK number finds its organisation");
    store_result_free(rows);
    CHECK(store_organisations_register(conn, 0, &rows, &err) == 0, "register");
    CHECK_INT(store_result_rows(rows), 2, "the register has both");
    CHECK(store_result_int(rows, 0, 0) < store_result_int(rows, 1, 0), "ordered by id");
    store_result_free(rows);
    CHECK(store_organisations_export(conn, &rows, &err) == 0, "export");
    CHECK_STR(store_result_text(rows, 0, 5), "2020-01-01", "the open membership's since is exported");
    CHECK(store_result_text(rows, 1, 5) == NULL, "no membership, no date");
    store_result_free(rows);
    CHECK(store_organisations_public_bases(conn, &rows, &err) == 0, "public bases");
    CHECK_INT(store_result_rows(rows), 2, "both current bases of the consenting organisation");
    store_result_free(rows);
}

static void test_contacts(store_conn *conn, long long organisation_id)
{
    long long first = 0, second = 0, id = 0;
    int active = 0;
    CHECK(store_contacts_insert(conn, organisation_id, "Piet", "piet@x.nl", NULL, &first, &err) == 0, "insert");
    CHECK(store_contacts_insert(conn, organisation_id, "Anna", "anna@x.nl", "secretaris", &second, &err) == 0,
          "insert");
    store_result *rows = NULL;
    CHECK(store_contacts_list(conn, organisation_id, &rows, &err) == 0, "list");
    CHECK_INT(store_result_rows(rows), 2, "two contacts");
    CHECK_STR(store_result_text_by_name(rows, 0, "name"), "Anna", "by name");
    store_result_free(rows);
    CHECK(store_contacts_recipients(conn, organisation_id, &rows, &err) == 0, "recipients");
    CHECK_INT(store_result_rows(rows), 2, "letters go to both contacts");
    store_result_free(rows);
    CHECK(store_contacts_find(conn, organisation_id, "piet@x.nl", &id, &active, &err) == 0 && id == first && active,
          "found and active");
    CHECK(store_contacts_remove(conn, first, &err) == 0, "remove");
    alvd_err_clear(&err);
    CHECK(store_contacts_remove(conn, first, &err) != 0 && err.status == 404, "removing twice is 404");
    CHECK(store_contacts_revoke_sessions(conn, first, &err) == 0, "revoke sessions: %s", err.message);
    CHECK(store_contacts_find(conn, organisation_id, "piet@x.nl", &id, &active, &err) == 0 && id == first && !active,
          "a removed contact is found, not active");
    char email[64];
    CHECK(store_contacts_email(conn, first, organisation_id, email, sizeof email, &err) == 0 && email[0] == '\0',
          "a removed contact has no e-mail to prove with");
    CHECK(store_contacts_revive(conn, first, "Piet Jansen", "voorzitter", &err) == 0, "revive");
    CHECK(store_contacts_email(conn, first, organisation_id, email, sizeof email, &err) == 0, "email");
    CHECK_STR(email, "piet@x.nl", "back under the same row");
    CHECK(store_contacts_find(conn, organisation_id, "nobody@x.nl", &id, &active, &err) == 0 && id == 0, "none");
}

static void test_bases(store_fixture *fixture, store_conn *conn, long long organisation_id)
{
    CHECK(store_fixture_script(fixture, "INSERT INTO code_versions (id, label, effective_from, created_at) VALUES"
                                        " (7, '2026-1', '2026-01-01', NOW()), (5, '2025-1', '2025-01-01', NOW())") == 0,
          "versions");
    long long pinned = -1;
    CHECK(store_bases_pin_version(conn, "2026-06-01", &pinned, &err) == 0 && pinned == 7, "in force (got %lld)", pinned);
    CHECK(store_bases_pin_version(conn, "2024-06-01", &pinned, &err) == 0 && pinned == 5, "the first (got %lld)", pinned);
    int exists = 0;
    CHECK(store_bases_version_exists(conn, 7, &exists, &err) == 0 && exists, "version 7 exists");
    CHECK(store_bases_version_exists(conn, 8, &exists, &err) == 0 && !exists, "version 8 does not");
    store_result *rows = NULL;

    long long signature = add_basis(conn, organisation_id, "signature", "2024-01-01", NULL);
    store_basis_span span;
    int found = 0;
    CHECK(store_bases_overlap(conn, organisation_id, "signature", 0, "2025-01-01", NULL, &span, &found, &err) == 0 &&
              found, "an open signature overlaps");
    CHECK_STR(span.since, "2024-01-01", "its since");
    CHECK(!span.has_until, "open-ended");
    CHECK(store_bases_overlap(conn, organisation_id, "signature", signature, "2025-01-01", NULL, &span, &found,
                              &err) == 0 && !found, "not with itself");
    CHECK(store_bases_signature_on(conn, organisation_id, "2025-03-01", 1, &span, &found, &err) == 0 && found &&
              span.id == signature, "the signature on a date");
    long long ended = 0, affected = 0;
    CHECK(store_bases_copy_ended(conn, signature, "2025-12-31", "withdrawal:9", 0, &ended, &err) == 0 && ended > 0,
          "copy ended: %s", err.message);
    CHECK(store_bases_supersede(conn, signature, ended, &affected, &err) == 0 && affected == 1, "superseded");
    CHECK(store_bases_supersede(conn, signature, ended, &affected, &err) == 0 && affected == 0, "only once");
    CHECK(store_bases_ended_by(conn, "withdrawal:9", &span, &found, &err) == 0 && found && span.id == ended,
          "found by what ended it");
    CHECK(!span.has_until && !span.has_ended_by, "its predecessor was open");
    CHECK(store_bases_signature_ended_before(conn, organisation_id, "2026-02-01", &span, &found, &err) == 0 && found,
          "ended before");
    CHECK_STR(span.until, "2025-12-31", "ended on");
    CHECK_STR(span.ended_by, "withdrawal:9", "by the withdrawal");
    CHECK(store_bases_current(conn, organisation_id, &rows, &err) == 0, "current");
    size_t current = store_result_rows(rows);
    store_result_free(rows);
    CHECK(store_bases_history(conn, organisation_id, &rows, &err) == 0, "history");
    CHECK_INT(store_result_rows(rows), current + 1, "history keeps the superseded row");
    store_result_free(rows);
    CHECK(store_bases_load(conn, ended, 0, &rows, &err) == 0, "load");
    CHECK_INT(store_result_int_by_name(rows, 0, "organisation_id"), organisation_id, "with its organisation");
    store_result_free(rows);
    alvd_err_clear(&err);
    CHECK(store_bases_load(conn, ended + 100, 1, &rows, &err) != 0 && err.status == 404, "unknown basis is 404");
}

/* The first organisations in id order, at most as many as asked, and fewer when the
 * register holds fewer. */
static void test_first_ids(store_fixture *fixture, store_conn *conn)
{
    long long lowest = store_fixture_integer(fixture, "SELECT MIN(id) FROM organisations");
    long long second = store_fixture_integer(fixture, "SELECT MIN(id) FROM organisations WHERE id > "
                                                      "(SELECT MIN(id) FROM organisations)");
    long long total = store_fixture_integer(fixture, "SELECT COUNT(*) FROM organisations");
    long long ids[64] = {0};
    size_t found = 99;
    alvd_err_clear(&err);
    CHECK(total >= 2 && total < 64, "the register holds a few organisations (%lld)", total);
    CHECK(store_organisations_first_ids(conn, 2, ids, &found, &err) == 0, "first two: %s", err.message);
    CHECK_INT(found, 2, "two asked, two found");
    CHECK(ids[0] == lowest && ids[1] == second, "the lowest ids, in order (%lld, %lld)", ids[0], ids[1]);
    CHECK(ids[2] == 0, "nothing written past the two");
    CHECK(store_organisations_first_ids(conn, 64, ids, &found, &err) == 0 && (long long)found == total,
          "asking for more than there are gives them all (%zu of %lld)", found, total);
    for (size_t i = 1; i < found; i++)
        CHECK(ids[i - 1] < ids[i], "in id order at %zu", i);
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "organisations") != 0)
        return 1;
    store_conn *conn = store_fixture_conn(&fixture);
    alvd_err_clear(&err);
    if (conn) {
        test_organisations(&fixture, conn);
        test_lists(conn);
        long long zeta = store_fixture_integer(&fixture, "SELECT id FROM organisations WHERE kvk = '12345678'");
        test_contacts(conn, zeta);
        test_bases(&fixture, conn, zeta);
        test_first_ids(&fixture, conn);
        store_pool_release(fixture.pool, conn);
    }
    store_fixture_close(&fixture);
    return check_report("store_organisations");
}
