/* The meldpunt's case rows against a real, migrated database (tests/unit/store_fixture.h):
 * the overview's order, one report with its sealed cells, the step lock, the signals. */
#include <string.h>

#include "alvd/store/meldpunt_cases.h"
#include "check.h"
#include "store_fixture.h"

static const char setup[] =
    "INSERT INTO organisations (id, name, kvk, created_at, updated_at) VALUES"
    " (1, 'Belgroep', '10000001', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),"
    " (2, 'Andere', '10000002', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));"
    "INSERT INTO contacts (id, organisation_id, name, email, created_at, removed_at) VALUES"
    " (5, 1, 'Els', 'els@bel.test', UTC_TIMESTAMP(6), NULL),"
    " (6, 1, 'Fred', 'fred@bel.test', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));"
    "INSERT INTO meldpunt_reports (id, received_on, organisation_id, state, closed_on, description, feedback,"
    " personal_data_deleted_on) VALUES"
    " (1, '2026-11-10', 1, 'received', NULL, 'sealed-text', NULL, NULL),"
    " (2, '2026-10-01', 1, 'closed', '2026-11-01', NULL, NULL, NULL),"
    " (3, '2026-11-01', NULL, 'closed', '2025-01-01', NULL, NULL, '2026-02-01');"
    "INSERT INTO meldpunt_report_norms (report_id, norm) VALUES (1, '6b'), (1, '6');"
    "INSERT INTO meldpunt_messages (id, report_id, created_on, body) VALUES (7, 1, '2026-11-11', 'm1');"
    "INSERT INTO meldpunt_files (id, report_id, file_name, content_type, size, original_name) VALUES"
    " (8, 1, '00112233445566778899aabbccddeeff', 'image/png', 42, NULL)";

static void test_overview_and_load(store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_meldpunt_cases list = {0};
    CHECK(store_meldpunt_cases_overview(conn, &list, &err) == 0 && list.count == 3, "three reports (%s)", err.message);
    if (list.count == 3) {
        CHECK(list.items[0].dates.id == 1, "open reports first");
        CHECK(list.items[0].norms && strcmp(list.items[0].norms, "6,6b") == 0, "its norms in order");
        CHECK(strcmp(list.items[0].organisation_name, "Belgroep") == 0 && list.items[0].has_organisation,
              "with its organisation");
        CHECK(!list.items[2].has_organisation && strcmp(list.items[2].personal_data_deleted_on, "2026-02-01") == 0,
              "a deleted report has no organisation left");
    }
    store_meldpunt_cases_free(&list);
    store_meldpunt_case item;
    CHECK(store_meldpunt_cases_load(conn, 1, &item, &err) == 0 && item.description.length == 11 &&
              memcmp(item.description.bytes, "sealed-text", 11) == 0 && item.feedback.bytes == NULL &&
              item.signal_id == 0, "one report with its sealed description and no feedback");
    store_meldpunt_case_free(&item);
    alvd_err_clear(&err);
    CHECK(store_meldpunt_cases_load(conn, 99, &item, &err) != 0 && err.status == 404, "no report: 404");
    alvd_err_clear(&err);
    store_meldpunt_attachment_rows rows = {0};
    CHECK(store_meldpunt_cases_messages(conn, 1, &rows, &err) == 0 && rows.count == 1 && rows.items[0].id == 7 &&
              strcmp(rows.items[0].created_on, "2026-11-11") == 0, "its message");
    store_meldpunt_attachment_rows_free(&rows);
    CHECK(store_meldpunt_cases_files(conn, 1, &rows, &err) == 0 && rows.count == 1 && rows.items[0].size == 42 &&
              strcmp(rows.items[0].content_type, "image/png") == 0 && rows.items[0].sealed.bytes == NULL,
          "its file");
    store_meldpunt_attachment_rows_free(&rows);
    char name[33], type[65];
    CHECK(store_meldpunt_cases_file(conn, 1, 8, name, type, &err) == 0 && strcmp(type, "image/png") == 0,
          "the file of its report");
    CHECK(store_meldpunt_cases_file(conn, 2, 8, name, type, &err) != 0 && err.status == 404,
          "another report's file: 404");
}

static void test_steps_and_signals(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_meldpunt_case_lock lock;
    CHECK(store_begin(conn, &err) == 0 && store_meldpunt_cases_lock(conn, 1, &lock, &err) == 0 &&
              strcmp(lock.state, "received") == 0 && lock.organisation_id == 1 && !lock.fed_back,
          "lock the open report");
    CHECK(store_meldpunt_cases_acknowledge(conn, 1, "2026-11-12", &err) == 0 &&
              store_meldpunt_signals_send(conn, 1, 4242424, 1, "Samenvatting", "2026-11-13", &err) == 0 &&
              store_commit(conn, &err) == 0, "acknowledge and signal: %s", err.message);
    store_rollback(conn);
    alvd_err_clear(&err);
    CHECK(store_meldpunt_cases_lock(conn, 3, &lock, &err) != 0 && err.status == 409, "a deleted report: 409");
    alvd_err_clear(&err);
    CHECK(store_meldpunt_cases_lock(conn, 99, &lock, &err) != 0 && err.status == 404, "no report: 404");
    alvd_err_clear(&err);
    store_result *rows = NULL;
    CHECK(store_meldpunt_cases_state(conn, 1, &rows, &err) == 0 && store_result_rows(rows) == 1 &&
              strcmp(store_result_text_by_name(rows, 0, "state"), "signal_sent") == 0 &&
              strcmp(store_result_text_by_name(rows, 0, "acknowledged_on"), "2026-11-12") == 0,
          "the report is signal_sent, acknowledged first");
    store_result_free(rows);
    CHECK(store_meldpunt_signals_get(conn, 4242424, &rows, &err) == 0 && store_result_rows(rows) == 1 &&
              strcmp(store_result_text_by_name(rows, 0, "norms"), "6,6b") == 0, "the signal carries the norms");
    store_result_free(rows);
    long long *ids = NULL;
    size_t count = 0;
    CHECK(store_meldpunt_signals_contacts(conn, 1, &ids, &count, &err) == 0 && count == 1 && ids[0] == 5,
          "only the contact who was not removed");
    free(ids);
    CHECK(store_meldpunt_signals_own(conn, 4242424, 2, &rows, &err) != 0 && err.status == 404 && rows == NULL,
          "another organisation's signal: 404");
    alvd_err_clear(&err);
    long long affected = -1;
    CHECK(store_meldpunt_signals_answer(conn, 4242424, 2, "comply", "", "2026-11-14", 5, &affected, &err) == 0 &&
              affected == 0, "another organisation cannot answer it");
    CHECK(store_meldpunt_signals_answer(conn, 4242424, 1, "explain", "Wij doen het anders", "2026-11-14", 5,
                                        &affected, &err) == 0 && affected == 1 &&
              store_meldpunt_signals_report_answered(conn, 4242424, "2026-11-14", &err) == 0, "answered");
    CHECK(store_meldpunt_signals_answer(conn, 4242424, 1, "comply", "", "2026-11-15", 5, &affected, &err) == 0 &&
              affected == 0, "a second answer changes nothing");
    CHECK(store_fixture_integer(fixture, "SELECT state = 'response' FROM meldpunt_reports WHERE id = 1") == 1,
          "the report moved to response");
    CHECK(store_meldpunt_signals_of(conn, 1, &rows, &err) == 0 && store_result_rows(rows) == 1, "one signal for 1");
    store_result_free(rows);
    CHECK(store_meldpunt_cases_feedback(conn, 1, (const unsigned char *)"fb", 2, "2026-11-20", &err) == 0 &&
              store_meldpunt_cases_close(conn, 1, "2026-11-21", &err) == 0, "feedback and close");
    CHECK(store_meldpunt_cases_feedback_state(conn, 1, &rows, &err) == 0 &&
              strcmp(store_result_text_by_name(rows, 0, "state"), "closed") == 0, "closed after feedback");
    store_result_free(rows);
}

/* A case written as it stands after its steps: the signal with its answer, the report's
 * state and dates exactly as given, a step not taken left empty. */
static void test_dated_case(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_meldpunt_dated_signal answered = {5151515, 1, "6a", "Samenvatting", "2025-02-15",
                                            "comply", "Aangepast.", "2025-03-01"};
    store_meldpunt_dated_signal open = {6161616, 2, "6c", "Open", "2026-01-20", NULL, NULL, NULL};
    CHECK(store_meldpunt_signals_insert_dated(conn, &answered, &err) == 0 &&
              store_meldpunt_signals_insert_dated(conn, &open, &err) == 0, "two signals: %s", err.message);
    store_result *rows = NULL;
    CHECK(store_meldpunt_signals_get(conn, 5151515, &rows, &err) == 0 && store_result_rows(rows) == 1, "read back");
    if (store_result_rows(rows) == 1) {
        CHECK(strcmp(store_result_text_by_name(rows, 0, "norms"), "6a") == 0 &&
                  strcmp(store_result_text_by_name(rows, 0, "sent_on"), "2025-02-15") == 0 &&
                  strcmp(store_result_text_by_name(rows, 0, "stance"), "comply") == 0 &&
                  strcmp(store_result_text_by_name(rows, 0, "responded_on"), "2025-03-01") == 0,
              "the answered signal keeps its dates and stance");
    }
    store_result_free(rows);
    CHECK(store_fixture_integer(fixture, "SELECT COUNT(*) FROM meldpunt_signals WHERE id = 6161616 AND stance IS NULL"
                                         " AND response IS NULL AND responded_on IS NULL AND organisation_id = 2") == 1,
          "the open signal has no answer");
    alvd_err_clear(&err);
    CHECK(store_meldpunt_signals_insert_dated(conn, &open, &err) != 0, "the same signal id twice is refused");
    alvd_err_clear(&err);
    store_meldpunt_case_steps closed = {"closed", "compliant", 5151515, "2025-02-13", "2025-02-15", "2025-03-01",
                                        "2025-03-12", "2025-03-22", "2025-03-27"};
    CHECK(store_meldpunt_cases_set_steps(conn, 2, &closed, &err) == 0, "steps of report 2: %s", err.message);
    CHECK(store_meldpunt_cases_state(conn, 2, &rows, &err) == 0 && store_result_rows(rows) == 1, "its state row");
    if (store_result_rows(rows) == 1) {
        CHECK(strcmp(store_result_text_by_name(rows, 0, "state"), "closed") == 0 &&
                  strcmp(store_result_text_by_name(rows, 0, "judgement"), "compliant") == 0 &&
                  strcmp(store_result_text_by_name(rows, 0, "acknowledged_on"), "2025-02-13") == 0 &&
                  strcmp(store_result_text_by_name(rows, 0, "closed_on"), "2025-03-27") == 0,
              "state, judgement and dates as given");
    }
    store_result_free(rows);
    CHECK(store_fixture_integer(fixture, "SELECT COUNT(*) FROM meldpunt_reports WHERE id = 2 AND signal_id = 5151515"
                                         " AND signal_sent_on = '2025-02-15' AND response_on = '2025-03-01'"
                                         " AND judged_on = '2025-03-12' AND fed_back_on = '2025-03-22'") == 1,
          "linked to its signal, every step dated");
    store_meldpunt_case_steps sent = {"signal_sent", "pending", 6161616, "2026-01-18", "2026-01-20",
                                      NULL, NULL, NULL, NULL};
    CHECK(store_meldpunt_cases_set_steps(conn, 2, &sent, &err) == 0 &&
              store_fixture_integer(fixture, "SELECT COUNT(*) FROM meldpunt_reports WHERE id = 2 AND state ="
                                             " 'signal_sent' AND response_on IS NULL AND judged_on IS NULL"
                                             " AND fed_back_on IS NULL AND closed_on IS NULL") == 1,
          "steps not taken are left empty");
    CHECK(store_fixture_integer(fixture, "SELECT COUNT(*) FROM meldpunt_reports WHERE id <> 2 AND"
                                         " signal_id IN (5151515, 6161616)") == 0, "no other report changed");
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "meldpunt_cases") != 0 || store_fixture_script(&fixture, setup) != 0)
        return 1;
    store_conn *conn = store_fixture_conn(&fixture);
    if (conn == NULL)
        return 1;
    test_overview_and_load(conn);
    test_steps_and_signals(&fixture, conn);
    test_dated_case(&fixture, conn);
    store_pool_release(fixture.pool, conn);
    store_fixture_close(&fixture);
    return check_report("store_meldpunt_cases");
}
