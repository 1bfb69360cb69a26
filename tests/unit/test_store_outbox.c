/* store/outbox.h against a real, migrated database: a queued mail is claimed when due
 * (oldest first, up to the batch), marked sent or failed with a back-off, listed and
 * counted by state, read one by one (404 when absent), put back after a failure (404,
 * 409 not_failed otherwise), and counted for the gauges. */
#include <string.h>

#include "alvd/store/outbox.h"
#include "check.h"
#include "store_fixture.h"

static long long queue(store_conn *conn, const char *to, const char *html)
{
    alvd_err err;
    alvd_err_clear(&err);
    long long id = 0;
    store_outbox_mail mail = {to, "Onderwerp", "Tekst", html, NULL};
    CHECK(store_outbox_insert(conn, &mail, &id, &err) == 0 && id > 0, "queue a mail: %s", err.message);
    return id;
}

static void test_delivery(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_result *rows = NULL;
    long long first = queue(conn, "a@example.nl", NULL);
    long long second = queue(conn, "b@example.nl", "<p>Tekst</p>");
    long long third = queue(conn, "c@example.nl", NULL);
    CHECK_INT(store_fixture_integer(fixture, "SELECT COUNT(*) FROM outbox WHERE kind = 'mail' AND state = 'pending'"), 3,
              "three pending mails of kind 'mail' (the default)");
    CHECK(store_begin(conn, &err) == 0, "begin");
    CHECK(store_outbox_claim_due(conn, 2, &rows, &err) == 0, "claim: %s", err.message);
    CHECK_INT(store_result_rows(rows), 2, "a batch of two");
    CHECK_INT(store_result_int(rows, 0, 0), first, "oldest first");
    CHECK_INT(store_result_int(rows, 1, 0), second, "then the next");
    CHECK(store_result_text(rows, 1, 4) && strcmp(store_result_text(rows, 1, 4), "<p>Tekst</p>") == 0, "the HTML body");
    store_result_free(rows);
    CHECK(store_outbox_mark_sent(conn, first, 1, "/tmp/000001.eml", &err) == 0, "sent");
    CHECK(store_outbox_mark_failed(conn, second, 1, 5, "relay down", &err) == 0, "first failure");
    CHECK(store_commit(conn, &err) == 0, "commit");
    CHECK_INT(store_fixture_integer(fixture, "SELECT state = 'sent' AND eml_path IS NOT NULL FROM outbox WHERE id = 1"), 1,
              "the first is sent with its file");
    CHECK_INT(store_fixture_integer(fixture, "SELECT state = 'pending' AND attempts = 1 AND next_attempt_at >"
                                             " UTC_TIMESTAMP(6) + INTERVAL 50 SECOND FROM outbox WHERE id = 2"), 1,
              "the second waits a minute before its next attempt");
    CHECK(store_begin(conn, &err) == 0, "begin");
    CHECK(store_outbox_claim_due(conn, 10, &rows, &err) == 0 && store_result_rows(rows) == 1 &&
              store_result_int(rows, 0, 0) == third,
          "only the third is due now");
    store_result_free(rows);
    CHECK(store_outbox_mark_failed(conn, second, 5, 5, "relay down", &err) == 0, "the last attempt fails");
    CHECK(store_commit(conn, &err) == 0, "commit");
    CHECK_INT(store_fixture_integer(fixture, "SELECT state = 'failed' FROM outbox WHERE id = 2"), 1,
              "after the last attempt it is failed");
}

static void test_admin(store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_result *rows = NULL;
    store_outbox_counts counts;
    CHECK(store_outbox_count_states(conn, &counts, &err) == 0, "counts");
    CHECK(counts.pending == 1 && counts.sent == 1 && counts.failed == 1, "one of each (%lld %lld %lld)", counts.pending,
          counts.sent, counts.failed);
    CHECK(store_outbox_list(conn, NULL, 0, 200, &rows, &err) == 0 && store_result_rows(rows) == 3 &&
              store_result_int(rows, 0, 0) == 3,
          "all, newest first");
    store_result_free(rows);
    CHECK(store_outbox_list(conn, "failed", 0, 200, &rows, &err) == 0 && store_result_rows(rows) == 1 &&
              store_result_int(rows, 0, 0) == 2,
          "by state");
    store_result_free(rows);
    CHECK(store_outbox_list(conn, NULL, 3, 1, &rows, &err) == 0 && store_result_rows(rows) == 1 &&
              store_result_int(rows, 0, 0) == 2,
          "below an id, limited");
    store_result_free(rows);
    CHECK(store_outbox_get(conn, 2, &rows, &err) == 0 && store_result_int_by_name(rows, 0, "has_html") == 1,
          "one mail, with has_html");
    CHECK(store_result_column_index(rows, "body_html") < 0, "the HTML body itself is not handed out");
    store_result_free(rows);
    rows = NULL;
    CHECK(store_outbox_get(conn, 99, &rows, &err) != 0 && err.status == 404 && rows == NULL, "an unknown mail is 404");
    alvd_err_clear(&err);
    CHECK(store_outbox_requeue_failed(conn, 1, &err) != 0 && err.status == 409 && strcmp(err.code, "not_failed") == 0,
          "a sent mail is not retried (409)");
    alvd_err_clear(&err);
    CHECK(store_outbox_requeue_failed(conn, 99, &err) != 0 && err.status == 404, "an unknown mail is 404");
    alvd_err_clear(&err);
    CHECK(store_outbox_requeue_failed(conn, 2, &err) == 0, "the failed mail goes back in the queue");
    store_outbox_backlog backlog;
    CHECK(store_outbox_read_backlog(conn, &backlog, &err) == 0, "backlog");
    CHECK(backlog.pending == 2 && backlog.failed == 0, "two pending, none failed (%lld, %lld)", backlog.pending,
          backlog.failed);
    CHECK(backlog.oldest_pending_microseconds >= 0, "the oldest's age");
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "outbox") != 0)
        return 1;
    store_conn *conn = store_fixture_conn(&fixture);
    if (conn) {
        test_delivery(&fixture, conn);
        test_admin(conn);
        store_pool_release(fixture.pool, conn);
    }
    store_fixture_close(&fixture);
    return check_report("store_outbox");
}
