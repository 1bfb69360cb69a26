/* store/ballots.c against a real, migrated database (tests/unit/store_fixture.h): the
 * locked poll read, the snapshot and register, a reused ballot hash skipped by the
 * register insert, and plain, sealed and named ballots written in multi-row inserts. */
#include <string.h>

#include "alvd/store/ballots.h"
#include "check.h"
#include "store_fixture.h"

static const char *const setup_sql =
    "INSERT INTO meetings (id, title, date, starts_at, location, state, created_at)"
    " VALUES (1, 'ALV', '2026-12-07', '19:30', 'Utrecht', 'open', NOW(6));"
    "INSERT INTO meeting_agenda (id, meeting_id, position, kind, title) VALUES (11, 1, 1, 'decision', 'Begroting');"
    "INSERT INTO polls (id, meeting_id, agenda_item_id, decision_title, secret, state, eligible, threshold, created_at)"
    " VALUES (5, 1, 11, 'Begroting', 0, 'open', 3, 2, NOW(6));"
    "INSERT INTO poll_eligible (poll_id, organisation_id, voter_id) VALUES (5, 3, 3), (5, 1, 1), (5, 2, 1)";

static void test_lock_and_members(store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_ballots_poll poll;
    CHECK(store_ballots_lock_poll(conn, 5, &poll, &err) == 0, "lock: %s", err.message);
    CHECK(poll.found && strcmp(poll.state, "open") == 0 && poll.meeting_id == 1, "the open poll read");
    CHECK(poll.eligible == 3 && poll.threshold == 2 && !poll.secret && !poll.boxed, "P, threshold, open poll");
    CHECK(store_ballots_lock_poll(conn, 6, &poll, &err) == 0 && !poll.found, "no poll 6: not found, no error");
    store_ballots_member *members = NULL;
    size_t count = 0;
    CHECK(store_ballots_members(conn, 5, 0, &members, &count, &err) == 0 && count == 3, "three in the snapshot");
    int represented = 0;
    for (size_t i = 0; i < count; i++)
        represented += members[i].organisation_id == 2 && members[i].voter_id == 1;
    CHECK(represented == 1, "member 2 votes through member 1");
    free(members);
}

static void test_inserts(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    unsigned char hash_a[BALLOT_HASH_BYTES], hash_b[BALLOT_HASH_BYTES];
    memset(hash_a, 0xaa, sizeof hash_a);
    memset(hash_b, 0xbb, sizeof hash_b);
    store_ballots_row voters[2] = {{.poll_id = 5, .organisation_id = 1, .hash = hash_a},
                                   {.poll_id = 5, .organisation_id = 3, .hash = hash_b}};
    long long written = -1;
    CHECK(store_ballots_insert_voters(conn, voters, 2, &written, &err) == 0 && written == 2, "two register rows");
    voters[0].organisation_id = 2; /* hash_a again, for another member: skipped */
    CHECK(store_ballots_insert_voters(conn, voters, 1, &written, &err) == 0 && written == 0,
          "a reused ballot hash is skipped (written %lld)", written);
    store_ballots_member *members = NULL;
    size_t count = 0;
    CHECK(store_ballots_members(conn, 5, 1, &members, &count, &err) == 0 && count == 2, "two in the register");
    for (size_t i = 0; i < count; i++)
        CHECK(!members[i].paper && members[i].has_hash, "phone rows with their hash");
    free(members);
    unsigned char id_a[BALLOT_BOX_ROW_ID_BYTES], id_b[BALLOT_BOX_ROW_ID_BYTES], tracker[BALLOT_TRACKER_BYTES];
    unsigned char sealed[BALLOT_BOX_SEALED_BYTES];
    memset(id_a, 1, sizeof id_a);
    memset(id_b, 2, sizeof id_b);
    memset(tracker, 7, sizeof tracker);
    memset(sealed, 9, sizeof sealed);
    store_ballots_row plain = {.poll_id = 5, .id = id_a, .choice = "for", .tracker = tracker};
    store_ballots_row boxed = {.poll_id = 5, .id = id_b, .sealed = sealed};
    store_ballots_row named = {.poll_id = 5, .organisation_id = 1, .choice = "for", .cast_by = 1};
    CHECK(store_ballots_insert_plain(conn, &plain, 1, &err) == 0, "plain: %s", err.message);
    CHECK(store_ballots_insert_sealed(conn, &boxed, 1, &err) == 0, "sealed: %s", err.message);
    CHECK(store_ballots_insert_named(conn, &named, 1, &err) == 0, "named: %s", err.message);
    CHECK(store_ballots_insert_plain(conn, &plain, 0, &err) == 0, "nothing to write is fine");
    CHECK_INT(store_fixture_integer(fixture, "SELECT COUNT(*) FROM ballots WHERE poll_id = 5 AND choice = 'for'"), 1,
              "the plain ballot");
    CHECK_INT(store_fixture_integer(fixture, "SELECT LENGTH(sealed) FROM sealed_ballots WHERE poll_id = 5"),
              BALLOT_BOX_SEALED_BYTES, "the sealed ballot, whole");
    CHECK_INT(store_fixture_integer(fixture, "SELECT COUNT(*) FROM open_votes WHERE poll_id = 5 AND channel = 'phone'"),
              1, "the named phone vote");
    CHECK(store_ballots_insert_plain(conn, &plain, 1, &err) != 0 && err.status == 409,
          "the same ballot id twice is a duplicate (got %d)", err.status);
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "ballots") != 0 || store_fixture_script(&fixture, setup_sql) != 0)
        return 1;
    store_conn *conn = store_fixture_conn(&fixture);
    CHECK(conn != NULL, "a connection from the pool");
    if (conn) {
        test_lock_and_members(conn);
        test_inserts(&fixture, conn);
        store_pool_release(fixture.pool, conn);
    }
    store_fixture_close(&fixture);
    return check_report("store_ballots");
}
