/* store/minutes.c against a real, migrated database (tests/unit/store_fixture.h): signed
 * decisions written and read back in order (all, or a meeting's), a poll's stored outcome,
 * the meeting row (404 when absent), members and named votes ordered by name. */
#include <string.h>

#include "alvd/store/minutes.h"
#include "check.h"
#include "store_fixture.h"

static const char *const setup_sql =
    "INSERT INTO organisations (id, name, kvk, created_at, updated_at) VALUES"
    " (1, 'Bravo BV', '10000001', NOW(6), NOW(6)), (2, 'Alfa BV', '10000002', NOW(6), NOW(6));"
    "INSERT INTO meetings (id, title, date, starts_at, location, state, created_at)"
    " VALUES (1, 'ALV', '2026-12-07', '19:30', 'Utrecht', 'open', NOW(6)),"
    " (2, 'Tweede ALV', '2026-12-08', '19:30', 'Utrecht', 'planned', NOW(6));"
    "INSERT INTO meeting_members (meeting_id, organisation_id, added_at) VALUES (1, 1, NOW(6)), (1, 2, NOW(6));"
    "INSERT INTO meeting_agenda (id, meeting_id, position, kind, title) VALUES (11, 1, 1, 'decision', 'Begroting');"
    "INSERT INTO polls (id, meeting_id, agenda_item_id, decision_title, secret, state, eligible, threshold,"
    " votes_for, votes_against, votes_abstain, not_voted, adopted, decided_on, created_at)"
    " VALUES (5, 1, 11, 'Begroting', 0, 'closed', 2, 2, 2, 0, 0, 0, 1, '2026-12-07', NOW(6));"
    "INSERT INTO open_votes (poll_id, organisation_id, choice, channel, cast_by)"
    " VALUES (5, 1, 'for', 'phone', 1), (5, 2, 'for', 'paper', 9)";

static void test_decisions(store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    unsigned char signature[64];
    memset(signature, 0x5a, sizeof signature);
    CHECK(store_minutes_insert_decision(conn, 1, 5, "poll", "{\"a\":1}", signature, sizeof signature, &err) == 0,
          "first: %s", err.message);
    CHECK(store_minutes_insert_decision(conn, 1, 5, "effective_date", "{\"b\":2}", signature, sizeof signature, &err) == 0,
          "second: %s", err.message);
    store_minutes_decision *decisions = NULL;
    size_t count = 0;
    CHECK(store_minutes_decisions(conn, 0, &decisions, &count, &err) == 0 && count == 2, "both read back");
    if (count == 2) {
        CHECK(decisions[0].id < decisions[1].id, "in id order");
        CHECK_STR(decisions[0].kind, "poll", "kind");
        CHECK_STR(decisions[1].canonical, "{\"b\":2}", "canonical text");
        CHECK(decisions[0].signature_length == 64 && memcmp(decisions[0].signature, signature, 64) == 0,
              "the signature bytes");
        CHECK_INT(decisions[0].poll_id, 5, "poll id");
    }
    store_minutes_decisions_free(decisions, count);
    CHECK(store_minutes_decisions(conn, 2, &decisions, &count, &err) == 0 && count == 0, "none of meeting 2");
    store_minutes_decisions_free(decisions, count);
    store_minutes_poll_outcome outcome;
    CHECK(store_minutes_poll_outcome_load(conn, 5, &outcome, &err) == 0 && outcome.found, "poll 5's outcome");
    CHECK(outcome.votes_for == 2 && outcome.adopted && !outcome.has_fingerprint, "counts, adopted, no fingerprint");
    CHECK(outcome.has_decided_on && strcmp(outcome.decided_on, "2026-12-07") == 0, "D as YYYY-MM-DD");
    CHECK(store_minutes_poll_outcome_load(conn, 6, &outcome, &err) == 0 && !outcome.found, "no poll 6");
}

static void test_minutes_reads(store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    json_t *out = NULL;
    CHECK(store_minutes_meeting(conn, 1, &out, &err) == 0, "meeting: %s", err.message);
    CHECK_STR(json_string_value(json_object_get(out, "title")) ? json_string_value(json_object_get(out, "title")) : "",
              "ALV", "the meeting's title");
    json_decref(out);
    CHECK(store_minutes_meeting(conn, 3, &out, &err) != 0 && err.status == 404, "no meeting 3: 404");
    char opened[40];
    CHECK(store_minutes_opened_at(conn, 1, opened, sizeof opened, &err) == 0 && opened[0] == '\0',
          "not opened: empty");
    CHECK(store_minutes_members(conn, 1, &out, &err) == 0 && json_array_size(out) == 2, "two members");
    CHECK_STR(json_string_value(json_object_get(json_array_get(out, 0), "name")), "Alfa BV", "by name");
    json_decref(out);
    CHECK(store_minutes_named_votes(conn, 5, &out, &err) == 0 && json_array_size(out) == 2, "two named votes");
    CHECK_STR(json_string_value(json_object_get(json_array_get(out, 0), "channel")), "paper", "Alfa's paper vote first");
    json_decref(out);
    CHECK(store_minutes_poll_adoption(conn, 5, &out, &err) == 0 && json_is_null(out), "no adoption: null");
    json_decref(out);
    CHECK(store_minutes_remote_participants(conn, 1, &out, &err) == 0 && json_array_size(out) == 0,
          "nobody took part remotely");
    json_decref(out);
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "minutes") != 0 || store_fixture_script(&fixture, setup_sql) != 0)
        return 1;
    store_conn *conn = store_fixture_conn(&fixture);
    CHECK(conn != NULL, "a connection from the pool");
    if (conn) {
        test_decisions(conn);
        test_minutes_reads(conn);
        store_pool_release(fixture.pool, conn);
    }
    store_fixture_close(&fixture);
    return check_report("store_minutes");
}
