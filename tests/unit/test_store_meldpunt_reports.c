/* The meldpunt's report rows against a real, migrated database (tests/unit/store_fixture.h):
 * intake rows, receipt candidates, progress, reminders, retention and identity requests. */
#include <string.h>

#include "alvd/store/meldpunt_identity.h"
#include "alvd/store/meldpunt_reports.h"
#include "check.h"
#include "store_fixture.h"

static const char setup[] =
    "INSERT INTO organisations (id, name, kvk, created_at, updated_at) VALUES"
    " (1, 'Bel_Direct 100%', '10000001', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),"
    " (2, 'Belgroep', '10000002', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));"
    "INSERT INTO users (id, email, name, password_hash, roles, created_at) VALUES"
    " (1, 'anna@ksf.test', 'Anna', 'x', 'meldpunt', UTC_TIMESTAMP(6)),"
    " (2, 'bert@ksf.test', 'Bert', 'x', 'meldpunt', UTC_TIMESTAMP(6))";

static long long insert_report(store_conn *conn, const char *received_on, const char *prefix, unsigned char tag)
{
    alvd_err err;
    alvd_err_clear(&err);
    unsigned char wrapped[80], salt[16], verifier[32];
    memset(wrapped, tag, sizeof wrapped);
    memset(salt, tag, sizeof salt);
    memset(verifier, tag, sizeof verifier);
    store_meldpunt_new_report row = {received_on, 1, wrapped, sizeof wrapped, prefix, salt, sizeof salt,
                                     verifier, sizeof verifier};
    long long id = 0;
    CHECK(store_meldpunt_reports_insert(conn, &row, &id, &err) == 0 && id > 0, "insert: %s", err.message);
    return id;
}

static void test_lookups(store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_result *rows = NULL;
    CHECK(store_meldpunt_reports_organisations(conn, "%Bel\\_D%", &rows, &err) == 0 && store_result_rows(rows) == 1 &&
              strcmp(store_result_text(rows, 0, 1), "Bel_Direct 100%") == 0,
          "an escaped underscore matches only itself");
    store_result_free(rows);
    CHECK(store_meldpunt_reports_organisations(conn, "%Bel%", &rows, &err) == 0 && store_result_rows(rows) == 2 &&
              strcmp(store_result_text(rows, 0, 1), "Bel_Direct 100%") == 0, "by name");
    store_result_free(rows);
    int exists = -1;
    CHECK(store_meldpunt_reports_organisation_exists(conn, 2, &exists, &err) == 0 && exists, "organisation 2 exists");
    CHECK(store_meldpunt_reports_organisation_exists(conn, 9, &exists, &err) == 0 && !exists, "9 does not");
}

/* The norms of the Code in force on a day: article 6 and its letters, by position, of the
 * latest version effective that day; none before the first version. */
static void test_norms_in_force(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    CHECK(store_fixture_script(fixture,
                               "INSERT INTO code_versions (id, label, effective_from, created_at) VALUES"
                               " (1, 'Code 2022', '2022-01-01', UTC_TIMESTAMP(6)),"
                               " (2, 'Code 2026', '2026-07-01', UTC_TIMESTAMP(6));"
                               "INSERT INTO code_articles (version_id, article_id, position, title, text) VALUES"
                               " (1, '5', 1, 'Meldpunt', 't'), (1, '6b', 3, 'B', 't'), (1, '6', 2, 'Norm', 't'),"
                               " (1, '60', 4, 'Zestig', 't'), (2, '6', 1, 'Norm 2026', 't')") == 0,
          "two versions");
    store_result *rows = NULL;
    CHECK(store_meldpunt_reports_norms_in_force(conn, "2026-06-30", &rows, &err) == 0 && store_result_rows(rows) == 2,
          "the 2022 Code on 2026-06-30: 6 and 6b, not 5 or 60 (%s)", err.message);
    if (store_result_rows(rows) == 2)
        CHECK(strcmp(store_result_text(rows, 0, 0), "6") == 0 && strcmp(store_result_text(rows, 1, 0), "6b") == 0 &&
                  strcmp(store_result_text(rows, 1, 1), "B") == 0, "by position, with their titles");
    store_result_free(rows);
    CHECK(store_meldpunt_reports_norms_in_force(conn, "2026-07-01", &rows, &err) == 0 && store_result_rows(rows) == 1 &&
              strcmp(store_result_text(rows, 0, 1), "Norm 2026") == 0, "from its effective date the 2026 Code");
    store_result_free(rows);
    CHECK(store_meldpunt_reports_norms_in_force(conn, "2021-12-31", &rows, &err) == 0 && store_result_rows(rows) == 0,
          "before the first version: none");
    store_result_free(rows);
}

static void test_intake_and_receipts(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    long long count = -1;
    CHECK(store_meldpunt_reports_count(conn, &count, &err) == 0 && count == 0, "no reports yet (%lld)", count);
    long long first = insert_report(conn, "2026-11-02", "1234", 1);
    for (unsigned char i = 2; i <= 9; i++)
        insert_report(conn, "2026-11-03", "1234", i);
    long long other = insert_report(conn, "2026-11-04", "9999", 10);
    CHECK(store_meldpunt_reports_count(conn, &count, &err) == 0 && count == 10, "ten reports counted (%lld)", count);
    CHECK(store_meldpunt_reports_set_sealed(conn, "meldpunt_reports", "description", first,
                                            (const unsigned char *)"sealed", 6, &err) == 0, "seal a column");
    CHECK(store_meldpunt_reports_add_norm(conn, first, "6a", &err) == 0 &&
              store_meldpunt_reports_add_norm(conn, first, "6a", &err) == 0 &&
              store_meldpunt_reports_add_norm(conn, first, "6", &err) == 0, "norms, one twice: %s", err.message);
    CHECK(store_fixture_integer(fixture, "SELECT COUNT(*) FROM meldpunt_report_norms") == 2, "a norm counts once");
    long long file_id = 0, message_id = 0;
    CHECK(store_meldpunt_reports_add_file(conn, first, "00112233445566778899aabbccddeeff", "application/pdf", 1234,
                                          &file_id, &err) == 0 && file_id > 0, "a file: %s", err.message);
    CHECK(store_meldpunt_reports_add_message(conn, first, "2026-11-05", &message_id, &err) == 0 && message_id > 0,
          "a message: %s", err.message);
    store_meldpunt_receipt_candidates candidates;
    CHECK(store_meldpunt_reports_receipt_candidates(conn, "1234", &candidates, &err) == 0 && candidates.count == 8,
          "at most 8 candidates for a prefix (got %zu)", candidates.count);
    CHECK(candidates.count && candidates.items[0].id == first && candidates.items[0].salt_length == 16 &&
              candidates.items[0].salt[0] == 1 && candidates.items[0].verifier_length == 32,
          "the oldest first, with its salt and verifier");
    store_meldpunt_receipt_candidates_free(&candidates);
    CHECK(store_meldpunt_reports_receipt_candidates(conn, "9999", &candidates, &err) == 0 && candidates.count == 1 &&
              candidates.items[0].id == other, "another prefix, another report");
    store_meldpunt_receipt_candidates_free(&candidates);
    unsigned char *wrapped = NULL;
    size_t length = 0;
    CHECK(store_meldpunt_reports_wrapped_key(conn, first, &wrapped, &length, &err) == 0 && length == 80 &&
              wrapped[0] == 1, "the wrapped key reads back");
    free(wrapped);
    alvd_err_clear(&err);
    CHECK(store_meldpunt_reports_wrapped_key(conn, 999, &wrapped, &length, &err) != 0 && err.status == 404,
          "no report: 404 (got %d)", err.status);
    alvd_err_clear(&err);
    store_meldpunt_report_progress progress;
    CHECK(store_meldpunt_reports_progress(conn, first, &progress, &err) == 0 && progress.messages == 1 &&
              strcmp(progress.state, "received") == 0 && progress.feedback == NULL &&
              strcmp(progress.dates.received_on, "2026-11-02") == 0 && progress.dates.acknowledged_on[0] == '\0',
          "progress: received, one message, no feedback");
    free(progress.feedback);
}

static void test_reminders_and_retention(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_meldpunt_report_dates_list list = {0};
    CHECK(store_meldpunt_reports_unreminded(conn, "2026-12-07", &list, &err) == 0 && list.count == 10,
          "ten open reports not reminded today (got %zu)", list.count);
    long long first = list.count ? list.items[0].id : 0;
    store_meldpunt_report_dates_list_free(&list);
    CHECK(store_meldpunt_reports_mark_reminded(conn, first, "2026-12-07", &err) == 0 &&
              store_meldpunt_reports_unreminded(conn, "2026-12-07", &list, &err) == 0 && list.count == 9,
          "reminded today: left out until tomorrow (got %zu)", list.count);
    store_meldpunt_report_dates_list_free(&list);
    CHECK(store_meldpunt_reports_unreminded(conn, "2026-12-08", &list, &err) == 0 && list.count == 10,
          "tomorrow it is due again");
    store_meldpunt_report_dates_list_free(&list);
    char sql[400];
    snprintf(sql, sizeof sql, "UPDATE meldpunt_reports SET closed_on = '2025-10-01', state = 'closed' WHERE id = %lld",
             first);
    CHECK(store_fixture_script(fixture, sql) == 0, "close the first report");
    CHECK(store_meldpunt_reports_closed_with_personal_data(conn, &list, &err) == 0 && list.count == 1 &&
              list.items[0].id == first && strcmp(list.items[0].closed_on, "2025-10-01") == 0,
          "the closed report still has its personal data");
    store_meldpunt_report_dates_list_free(&list);
    store_meldpunt_texts names = {0};
    CHECK(store_meldpunt_reports_file_names(conn, first, &names, &err) == 0 && names.count == 1 &&
              strcmp(names.items[0], "00112233445566778899aabbccddeeff") == 0, "its file name");
    store_meldpunt_texts_free(&names);
    CHECK(store_meldpunt_reports_delete_personal_data(conn, first, "2026-12-07", &err) == 0, "delete: %s", err.message);
    snprintf(sql, sizeof sql,
             "SELECT (SELECT COUNT(*) FROM meldpunt_files) + (SELECT COUNT(*) FROM meldpunt_messages)"
             " + (SELECT COUNT(*) FROM meldpunt_reports WHERE id = %lld AND (description IS NOT NULL"
             " OR wrapped_key IS NOT NULL OR organisation_id IS NOT NULL OR receipt_verifier IS NOT NULL))", first);
    CHECK(store_fixture_integer(fixture, sql) == 0, "files, messages, sealed columns and keys are gone");
    CHECK(store_fixture_integer(fixture, "SELECT COUNT(*) FROM meldpunt_report_norms") == 2,
          "the norms stay for the counts");
    unsigned char *wrapped = NULL;
    size_t length = 0;
    CHECK(store_meldpunt_reports_wrapped_key(conn, first, &wrapped, &length, &err) != 0 && err.status == 409 &&
              strcmp(err.code, "personal_data_deleted") == 0, "its key: 409 personal_data_deleted");
    CHECK(store_meldpunt_reports_closed_with_personal_data(conn, &list, &err) == 0 && list.count == 0,
          "nothing left to delete");
    store_meldpunt_report_dates_list_free(&list);
}

static void test_identity(store_conn *conn, long long report)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_meldpunt_identity_request request;
    int found = -1;
    char state[16];
    long long first = 0, second = 0;
    CHECK(store_meldpunt_identity_latest(conn, report, 1, &found, &request, &err) == 0 && !found, "none yet");
    CHECK(store_meldpunt_identity_insert(conn, report, 1, "2026-12-01", "pending", NULL, 0, &first, &err) == 0 &&
              store_meldpunt_identity_set_reason(conn, first, (const unsigned char *)"why", 3, &err) == 0,
          "Anna asks: %s", err.message);
    CHECK(store_meldpunt_identity_lock_open(conn, report, 1, state, &err) == 0 && strcmp(state, "pending") == 0,
          "her open request is pending");
    CHECK(store_meldpunt_identity_lock_open(conn, report, 2, state, &err) == 0 && state[0] == '\0',
          "Bert has none");
    CHECK(store_meldpunt_identity_insert(conn, report, 2, "2026-12-02", "approved", "2026-12-02", 1, &second, &err) == 0,
          "Bert, sole officer then, is approved at once");
    store_meldpunt_identity_requests list = {0};
    CHECK(store_meldpunt_identity_list(conn, 2, &list, &err) == 0 && list.count == 2 && list.items[0].id == first &&
              list.items[0].reason_length == 3 && strcmp(list.items[0].requested_by_name, "Anna") == 0,
          "Bert sees Anna's pending request first, with its sealed reason");
    store_meldpunt_identity_requests_free(&list);
    CHECK(store_meldpunt_identity_lock(conn, first, &request, &err) == 0 && request.requested_by == 1 &&
              request.report_id == report && strcmp(request.state, "pending") == 0, "lock Anna's request");
    CHECK(store_meldpunt_identity_decide(conn, first, "refused", 2, "2026-12-03", &err) == 0 &&
              store_meldpunt_identity_latest(conn, report, 1, &found, &request, &err) == 0 && found &&
              strcmp(request.state, "refused") == 0 && strcmp(request.decided_by_name, "Bert") == 0 &&
              strcmp(request.decided_on, "2026-12-03") == 0, "Bert refuses; Anna's latest says so");
    alvd_err_clear(&err);
    CHECK(store_meldpunt_identity_lock(conn, 999, &request, &err) != 0 && err.status == 404, "no request: 404");
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "meldpunt_reports") != 0 || store_fixture_script(&fixture, setup) != 0)
        return 1;
    store_conn *conn = store_fixture_conn(&fixture);
    if (conn == NULL)
        return 1;
    test_lookups(conn);
    test_norms_in_force(&fixture, conn);
    test_intake_and_receipts(&fixture, conn);
    long long last = store_fixture_integer(&fixture, "SELECT MAX(id) FROM meldpunt_reports");
    test_reminders_and_retention(&fixture, conn);
    test_identity(conn, last);
    store_pool_release(fixture.pool, conn);
    store_fixture_close(&fixture);
    return check_report("store_meldpunt_reports");
}
