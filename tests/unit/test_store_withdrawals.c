/* The withdrawals' store functions against a real, migrated MariaDB (store_fixture.h):
 * entries written and read back, corrections superseding once, effects, what waits for
 * a version, scans, and not-found as 404. */
#include <string.h>

#include "alvd/store/withdrawals.h"
#include "check.h"
#include "store_fixture.h"

static alvd_err err;

static long long add_entry(store_conn *conn, long long organisation_id, const char *received, const char *outcome,
                           long long corrects_id, const char *proof_text)
{
    store_withdrawal_fields fields = {0};
    fields.organisation_id = organisation_id;
    fields.received_on = received;
    fields.form = "registered";
    fields.channel = proof_text ? "online" : "intake";
    fields.tracking_code = "RR473124829NL";
    fields.tracking_kind = "s10";
    fields.outcome = outcome;
    fields.effect_text = "De intrekking werkt.";
    fields.corrects_id = corrects_id;
    fields.proof_text = proof_text;
    fields.proof_text_sha256 = proof_text ? "ab12" : NULL;
    fields.created_by_kind = "user";
    fields.created_by = 1;
    fields.created_by_label = "secretariaat@ksf.nl";
    long long id = 0;
    alvd_err_clear(&err);
    CHECK(store_withdrawals_insert(conn, &fields, &id, &err) == 0 && id > 0, "insert: %s", err.message);
    return id;
}

static void test_entries(store_fixture *fixture, store_conn *conn)
{
    CHECK(store_fixture_script(fixture,
                               "INSERT INTO organisations (id, name, kvk, public_consent, created_at, updated_at)"
                               " VALUES (3, 'Telecom Klantzorg B.V.', '54368859', 0, NOW(), NOW());"
                               "INSERT INTO code_versions (id, label, effective_from, created_at)"
                               " VALUES (4, '2027-1', '2027-03-01', NOW())") == 0,
          "set-up");
    long long first = add_entry(conn, 3, "2026-11-01", "no_version", 0, NULL);
    long long pending = 0, superseded_by = -1;
    CHECK(store_withdrawals_open_pending(conn, 3, 0, &pending, &err) == 0 && pending == first, "waiting entry");
    CHECK(store_withdrawals_open_pending(conn, 3, first, &pending, &err) == 0 && pending == 0, "except itself");
    CHECK(store_withdrawals_lock(conn, first, &superseded_by, &err) == 0 && superseded_by == 0, "not corrected");
    alvd_err_clear(&err);
    CHECK(store_withdrawals_lock(conn, first + 100, &superseded_by, &err) != 0 && err.status == 404, "unknown is 404");
    long long second = add_entry(conn, 3, "2026-11-02", "no_version", first, NULL);
    long long affected = 0;
    CHECK(store_withdrawals_supersede(conn, first, second, &affected, &err) == 0 && affected == 1, "superseded");
    CHECK(store_withdrawals_supersede(conn, first, second, &affected, &err) == 0 && affected == 0, "only once");
    CHECK(store_withdrawals_lock(conn, first, &superseded_by, &err) == 0 && superseded_by == second, "by the second");

    store_result *rows = NULL;
    CHECK(store_withdrawals_pending_before(conn, "2027-03-01", &rows, &err) == 0, "pending: %s", err.message);
    CHECK_INT(store_result_rows(rows), 1, "only the current entry waits");
    CHECK_INT(store_result_int(rows, 0, 0), second, "the correction");
    CHECK_STR(store_result_text(rows, 0, 3), "Telecom Klantzorg B.V.", "with the organisation's name");
    store_result_free(rows);
    CHECK(store_withdrawals_pending_before(conn, "2026-11-02", &rows, &err) == 0 && store_result_rows(rows) == 0,
          "nothing received before that day waits");
    store_result_free(rows);

    char text[32];
    int found = 0;
    CHECK(store_withdrawals_last_effect_kind(conn, second, text, sizeof text, &err) == 0 && text[0] == '\0',
          "no effect yet");
    store_withdrawal_effect effect = {second, "already_ended", 4, 0, 0, "2027-02-28"};
    CHECK(store_withdrawals_effect_insert(conn, &effect, &err) == 0, "effect: %s", err.message);
    CHECK(store_withdrawals_last_effect_kind(conn, second, text, sizeof text, &err) == 0, "kind");
    CHECK_STR(text, "already_ended", "the latest effect");
    CHECK(store_withdrawals_open_pending(conn, 3, 0, &pending, &err) == 0 && pending == 0, "no longer waiting");
    CHECK(store_withdrawals_version_effective(conn, 4, text, sizeof text, &found, &err) == 0 && found, "version");
    CHECK_STR(text, "2027-03-01", "its effective date");
    store_result *versions = NULL;
    CHECK(store_withdrawals_code_versions(conn, &versions, &err) == 0 && store_result_rows(versions) == 1, "versions");
    CHECK_STR(store_result_text(versions, 0, 1), "2027-1", "with its label");
    store_result_free(versions);
    CHECK(store_withdrawals_version_effective(conn, 5, text, sizeof text, &found, &err) == 0 && !found, "none");
}

static void test_reading(store_conn *conn)
{
    store_result *rows = NULL;
    CHECK(store_withdrawals_list(conn, 0, 3, 0, &rows, &err) == 0, "list: %s", err.message);
    CHECK_INT(store_result_rows(rows), 1, "the superseded entry is left out");
    CHECK_STR(store_result_text_by_name(rows, 0, "effect_kind"), "already_ended", "with its effect");
    CHECK_STR(store_result_text_by_name(rows, 0, "signature_ends"), "2027-02-28", "and the end from the effect");
    long long current = store_result_int_by_name(rows, 0, "id");
    store_result_free(rows);
    CHECK(store_withdrawals_list(conn, 0, 3, 1, &rows, &err) == 0 && store_result_rows(rows) == 2, "all: both");
    CHECK(store_result_int_by_name(rows, 0, "id") == current, "newest received first");
    store_result_free(rows);
    CHECK(store_withdrawals_list(conn, 4, 0, 0, &rows, &err) == 0 && store_result_rows(rows) == 1,
          "by the version its effect is for");
    store_result_free(rows);
    CHECK(store_withdrawals_list(conn, 99, 0, 0, &rows, &err) == 0 && store_result_rows(rows) == 0, "other version");
    store_result_free(rows);
    CHECK(store_withdrawals_of_organisation(conn, 3, &rows, &err) == 0 && store_result_rows(rows) == 1, "own entries");
    store_result_free(rows);
    CHECK(store_withdrawals_load(conn, current, &rows, &err) == 0, "load");
    CHECK_STR(store_result_text_by_name(rows, 0, "organisation_name"), "Telecom Klantzorg B.V.", "joined name");
    store_result_free(rows);
    alvd_err_clear(&err);
    CHECK(store_withdrawals_load(conn, current + 100, &rows, &err) != 0 && err.status == 404 && rows == NULL,
          "unknown is 404");
    CHECK(store_withdrawals_effects(conn, current, &rows, &err) == 0 && store_result_rows(rows) == 1, "effects");
    CHECK_STR(store_result_text_by_name(rows, 0, "version_label"), "2027-1", "with the version label");
    store_result_free(rows);
    long long online = add_entry(conn, 3, "2026-12-01", "late_pending", 0, "Wij zeggen op.");
    CHECK(store_withdrawals_proof(conn, online, &rows, &err) == 0 && store_result_rows(rows) == 1, "proof");
    CHECK_STR(store_result_text_by_name(rows, 0, "text"), "Wij zeggen op.", "the notice text");
    CHECK(store_result_text_by_name(rows, 0, "submitted_at") != NULL, "submitted now");
    store_result_free(rows);
}

static void test_scans(store_conn *conn)
{
    long long id = 0;
    int exists = 0;
    CHECK(store_withdrawals_scan_insert(conn, "0123456789abcdef0123456789abcdef", "application/pdf", 1234, "ff00",
                                        "brief.pdf", 0, &id, &err) == 0 && id > 0, "scan: %s", err.message);
    CHECK(store_withdrawals_scan_exists(conn, id, &exists, &err) == 0 && exists, "exists");
    CHECK(store_withdrawals_scan_exists(conn, id + 100, &exists, &err) == 0 && !exists, "unknown does not");
    store_withdrawal_scan scan;
    CHECK(store_withdrawals_scan_load(conn, id, &scan, &err) == 0, "load");
    CHECK_STR(scan.stored_name, "0123456789abcdef0123456789abcdef", "stored name");
    CHECK_STR(scan.media_type, "application/pdf", "media type");
    CHECK_INT(scan.size, 1234, "size");
    alvd_err_clear(&err);
    CHECK(store_withdrawals_scan_load(conn, id + 100, &scan, &err) != 0 && err.status == 404, "unknown is 404");
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "withdrawals") != 0)
        return 1;
    store_conn *conn = store_fixture_conn(&fixture);
    alvd_err_clear(&err);
    if (conn) {
        test_entries(&fixture, conn);
        test_reading(conn);
        test_scans(conn);
        store_pool_release(fixture.pool, conn);
    }
    store_fixture_close(&fixture);
    return check_report("store_withdrawals");
}
