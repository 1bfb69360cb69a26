/* The meldpunt's half-year rows against a real, migrated database (tests/unit/store_fixture.h):
 * the counts a table is made of, publishing once, the frozen table, guidance and suggestions. */
#include <string.h>

#include "alvd/store/meldpunt_half_years.h"
#include "check.h"
#include "store_fixture.h"

static const char setup[] =
    "INSERT INTO users (id, email, name, password_hash, roles, created_at) VALUES"
    " (1, 'anna@ksf.test', 'Anna', 'x', 'meldpunt', UTC_TIMESTAMP(6)),"
    " (2, 'bert@ksf.test', 'Bert', 'x', 'meldpunt', UTC_TIMESTAMP(6));"
    "INSERT INTO meldpunt_reports (id, received_on, judgement) VALUES"
    " (1, '2026-01-05', 'compliant'), (2, '2026-03-01', 'pending'), (3, '2026-06-30', 'compliant'),"
    " (4, '2026-07-01', 'explained');"
    "INSERT INTO meldpunt_report_norms (report_id, norm) VALUES"
    " (1, '6a'), (1, '6'), (2, '6a'), (3, '6a'), (4, '6b')";

static void test_counts(store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    long long reports = -1;
    CHECK(store_meldpunt_half_years_reports(conn, "2026-01-01", "2026-06-30", &reports, &err) == 0 && reports == 3,
          "three reports in 2026H1, the first of July not (got %lld)", reports);
    store_meldpunt_norm_counts counts = {0};
    CHECK(store_meldpunt_half_years_norm_counts(conn, "2026-01-01", "2026-06-30", &counts, &err) == 0,
          "norm counts: %s", err.message);
    CHECK(counts.count == 3, "6/compliant, 6a/compliant, 6a/pending (got %zu)", counts.count);
    if (counts.count == 3) {
        CHECK(strcmp(counts.items[0].norm, "6") == 0 && counts.items[0].count == 1, "the short norm first");
        long long six_a = 0;
        for (size_t i = 1; i < 3; i++)
            six_a += strcmp(counts.items[i].norm, "6a") == 0 ? counts.items[i].count : 0;
        CHECK(six_a == 3, "6a three times over its judgements (got %lld)", six_a);
    }
    store_meldpunt_norm_counts_free(&counts);
}

static void test_publication(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    int published = -1, unfrozen = -1;
    CHECK(store_begin(conn, &err) == 0 && store_meldpunt_half_years_lock(conn, "2026H1", &published, &err) == 0 &&
              !published, "an unknown period is not published");
    CHECK(store_meldpunt_half_years_save_guidance(conn, "2026H1", "Eerste tekst", &err) == 0 &&
              store_meldpunt_half_years_save_guidance(conn, "2026H1", "Tweede tekst", &err) == 0 &&
              store_meldpunt_half_years_add_suggestion(conn, "2026H1", "6a", "Verduidelijk 6a", &err) == 0 &&
              store_meldpunt_half_years_add_suggestion(conn, "2026H1", NULL, "Algemeen", &err) == 0 &&
              store_commit(conn, &err) == 0, "guidance saved twice and two suggestions: %s", err.message);
    CHECK(store_fixture_integer(fixture, "SELECT COUNT(*) FROM meldpunt_half_years") == 1, "one row per period");
    CHECK(store_fixture_script(fixture, "UPDATE meldpunt_suggestions SET proposal_id = 77 WHERE article = '6a'") == 0,
          "a proposal was made from one suggestion");
    CHECK(store_meldpunt_half_years_clear_suggestions(conn, "2026H1", &err) == 0 &&
              store_fixture_integer(fixture, "SELECT COUNT(*) FROM meldpunt_suggestions") == 1,
          "clearing keeps the suggestion a proposal came from");
    store_meldpunt_half_year half_year;
    CHECK(store_meldpunt_half_years_published(conn, "2026H1", &half_year, &err) == 0 && !half_year.found,
          "not published yet");
    CHECK(store_meldpunt_half_years_publish(conn, "2026H1", 1, &err) == 0 &&
              store_meldpunt_half_years_publish(conn, "2026H1", 2, &err) == 0, "publish twice: %s", err.message);
    CHECK(store_fixture_integer(fixture, "SELECT published_by FROM meldpunt_half_years WHERE period = '2026H1'") == 1,
          "the first publication stands");
    CHECK(store_meldpunt_half_years_publish(conn, "2025H2", 0, &err) == 0 &&
              store_fixture_integer(fixture, "SELECT COUNT(*) FROM meldpunt_half_years WHERE period = '2025H2'"
                                             " AND published_at IS NOT NULL AND published_by IS NULL") == 1,
          "published by no officer (the demo): %s", err.message);
    CHECK(store_meldpunt_half_years_publish(conn, "2025H2", 2, &err) == 0 &&
              store_meldpunt_half_years_publish(conn, "2025H2", 0, &err) == 0 &&
              store_fixture_integer(fixture, "SELECT published_by FROM meldpunt_half_years WHERE period = '2025H2'")
                  == 2, "an officer's later publication fills the officer in; no officer then keeps it");
    CHECK(store_begin(conn, &err) == 0 && store_meldpunt_half_years_lock_published(conn, "2026H1", &unfrozen, &err) == 0 &&
              unfrozen && store_meldpunt_half_years_set_table(conn, "2026H1", "{\"reports\":3}", &err) == 0 &&
              store_commit(conn, &err) == 0, "freeze the table: %s", err.message);
    CHECK(store_meldpunt_half_years_lock_published(conn, "2026H1", &unfrozen, &err) == 0 && !unfrozen,
          "frozen once");
    CHECK(store_meldpunt_half_years_lock_published(conn, "2026H2", &unfrozen, &err) == 0 && !unfrozen,
          "an unpublished period has nothing to freeze");
    CHECK(store_meldpunt_half_years_published(conn, "2026H1", &half_year, &err) == 0 && half_year.found &&
              half_year.guidance && strcmp(half_year.guidance, "Tweede tekst") == 0 && half_year.published_at &&
              half_year.table_json && strcmp(half_year.table_json, "{\"reports\":3}") == 0,
          "published: the last guidance and the frozen table");
    store_meldpunt_half_year_free(&half_year);
    store_result *rows = NULL;
    CHECK(store_meldpunt_half_years_suggestion_list(conn, "2026H1", &rows, &err) == 0 && store_result_rows(rows) == 1 &&
              store_result_int_by_name(rows, 0, "published") == 1, "the suggestion with its period published");
    store_result_free(rows);
    CHECK(store_meldpunt_half_years_suggestions(conn, "2026H2", &rows, &err) == 0 && store_result_rows(rows) == 0,
          "another period has none");
    store_result_free(rows);
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "meldpunt_half_years") != 0 || store_fixture_script(&fixture, setup) != 0)
        return 1;
    store_conn *conn = store_fixture_conn(&fixture);
    if (conn == NULL)
        return 1;
    test_counts(conn);
    test_publication(&fixture, conn);
    store_pool_release(fixture.pool, conn);
    store_fixture_close(&fixture);
    return check_report("store_meldpunt_half_years");
}
