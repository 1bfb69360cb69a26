/* store/sessions.h and store/rate_events.h against a real, migrated database: a session
 * found by its token hash while valid and not after revocation or expiry, many found at
 * once, touches, a user's other sessions ended, a duplicate token refused; rate events
 * counted per bucket and subject within the window. */
#include <string.h>

#include "alvd/store/rate_events.h"
#include "alvd/store/sessions.h"
#include "alvd/store/organisations.h"
#include "check.h"
#include "store_fixture.h"

static void hash_of(unsigned char hash[TOKEN_HASH_BYTES], unsigned char seed)
{
    memset(hash, seed, TOKEN_HASH_BYTES);
}

static int insert_session(store_conn *conn, unsigned char seed, const char *kind, long long user_id,
                          long long organisation_id, const char *second_factor, long long lifetime, alvd_err *err)
{
    unsigned char hash[TOKEN_HASH_BYTES];
    hash_of(hash, seed);
    store_session_new session = {.token_hash = hash, .csrf = "csrf-value", .kind = kind, .user_id = user_id,
                                 .organisation_id = organisation_id, .second_factor = second_factor,
                                 .lifetime_seconds = lifetime};
    alvd_err_clear(err);
    return store_sessions_insert(conn, &session, err);
}

static void test_find_and_revoke(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    store_session_row row;
    unsigned char hash[TOKEN_HASH_BYTES];
    int found = 0;
    CHECK(insert_session(conn, 1, "user", 1, 0, "totp", 3600, &err) == 0, "insert a staff session: %s", err.message);
    hash_of(hash, 1);
    CHECK(store_sessions_find(conn, hash, &row, &found, &err) == 0 && found, "the new session is found");
    CHECK_STR(row.kind, "user", "kind");
    CHECK_STR(row.csrf, "csrf-value", "csrf");
    CHECK_STR(row.user_email, "anna@ksf.example", "the user's e-mail comes with it");
    CHECK_STR(row.user_roles, "admin,chair", "the user's roles");
    CHECK_STR(row.second_factor, "totp", "second factor");
    CHECK(row.stale == 0, "just created: not stale");
    CHECK(memcmp(row.token_hash, hash, TOKEN_HASH_BYTES) == 0, "the token hash comes back");
    CHECK(insert_session(conn, 1, "user", 1, 0, NULL, 3600, &err) != 0 && err.status == 409,
          "the same token twice is a duplicate (got %d %s)", err.status, err.code);
    CHECK(insert_session(conn, 2, "user", 1, 0, NULL, 3600, &err) == 0, "a second session");
    hash_of(hash, 2);
    CHECK(store_sessions_find(conn, hash, &row, &found, &err) == 0 && found, "found");
    CHECK_STR(row.second_factor, "password", "no second factor given means password");
    long long second = row.id;
    CHECK(store_sessions_set_second_factor(conn, second, "recovery", &err) == 0, "mark the factor");
    CHECK(store_sessions_find(conn, hash, &row, &found, &err) == 0 && found && strcmp(row.second_factor, "recovery") == 0,
          "the factor is marked");
    CHECK(store_sessions_revoke(conn, second, &err) == 0, "revoke");
    CHECK(store_sessions_find(conn, hash, &row, &found, &err) == 0 && !found, "a revoked session is not found");
    /* Expired: an absolute lifetime in the past. */
    CHECK(insert_session(conn, 3, "member", 0, 7, NULL, -1, &err) == 0, "an expired member session");
    hash_of(hash, 3);
    CHECK(store_sessions_find(conn, hash, &row, &found, &err) == 0 && !found, "an expired session is not found");
    /* Idle: last seen longer ago than the idle limit. */
    CHECK(insert_session(conn, 4, "member", 0, 7, NULL, 3600, &err) == 0, "a member session");
    CHECK(store_fixture_script(fixture, "UPDATE sessions SET last_seen_at = UTC_TIMESTAMP(6) - INTERVAL 3 HOUR"
                                        " WHERE token_hash = REPEAT(CHAR(4), 32)") == 0, "age it");
    hash_of(hash, 4);
    CHECK(store_sessions_find(conn, hash, &row, &found, &err) == 0 && !found, "an idle session is not found");
}

static void test_many_and_touch(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    unsigned char hashes[4][TOKEN_HASH_BYTES];
    store_session_row *rows = NULL;
    size_t count = 0;
    CHECK(insert_session(conn, 10, "member", 0, 7, NULL, 3600, &err) == 0, "member session 10");
    CHECK(insert_session(conn, 11, "contact", 0, 7, NULL, 3600, &err) == 0, "contact session 11");
    hash_of(hashes[0], 10);
    hash_of(hashes[1], 99); /* unknown */
    hash_of(hashes[2], 11);
    hash_of(hashes[3], 3);  /* expired above */
    CHECK(store_sessions_find_many(conn, (const unsigned char (*)[TOKEN_HASH_BYTES])hashes, 4, &rows, &count, &err) == 0,
          "find many: %s", err.message);
    CHECK_INT(count, 2, "only the two valid sessions come back");
    int seen10 = 0, seen11 = 0;
    for (size_t i = 0; i < count; i++) {
        seen10 |= memcmp(rows[i].token_hash, hashes[0], TOKEN_HASH_BYTES) == 0 && strcmp(rows[i].kind, "member") == 0;
        seen11 |= memcmp(rows[i].token_hash, hashes[2], TOKEN_HASH_BYTES) == 0 && strcmp(rows[i].kind, "contact") == 0;
    }
    CHECK(seen10 && seen11, "each row carries its own token hash and kind");
    free(rows);
    CHECK(store_fixture_script(fixture, "UPDATE sessions SET last_seen_at = UTC_TIMESTAMP(6) - INTERVAL 5 MINUTE"
                                        " WHERE token_hash IN (REPEAT(CHAR(10), 32), REPEAT(CHAR(11), 32))") == 0,
          "age both by five minutes");
    store_session_row row;
    int found = 0;
    CHECK(store_sessions_find(conn, hashes[0], &row, &found, &err) == 0 && found && row.stale, "stale after a minute");
    long long ids[2] = {row.id, 0};
    CHECK(store_sessions_find(conn, hashes[2], &row, &found, &err) == 0 && found, "found");
    ids[1] = row.id;
    CHECK(store_sessions_touch(conn, ids, 2, &err) == 0, "touch both");
    CHECK(store_sessions_find(conn, hashes[0], &row, &found, &err) == 0 && found && !row.stale, "fresh after a touch");
    CHECK(store_sessions_touch(conn, ids, 0, &err) == 0, "touching none is fine");
}

static void test_revoke_user(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    long long ended = -1;
    CHECK(insert_session(conn, 20, "user", 1, 0, NULL, 3600, &err) == 0, "session 20");
    CHECK(insert_session(conn, 21, "user", 1, 0, NULL, 3600, &err) == 0, "session 21");
    long long keep = store_fixture_integer(fixture, "SELECT id FROM sessions WHERE token_hash = REPEAT(CHAR(21), 32)");
    long long open_before = store_fixture_integer(fixture, "SELECT COUNT(*) FROM sessions WHERE user_id = 1 AND revoked_at IS NULL");
    CHECK(store_sessions_revoke_user(conn, 1, keep, &ended, &err) == 0, "end the others");
    CHECK_INT(ended, open_before - 1, "every open session but the kept one ended");
    CHECK_INT(store_fixture_integer(fixture, "SELECT COUNT(*) FROM sessions WHERE user_id = 1 AND revoked_at IS NULL"), 1,
              "one left open");
    CHECK(store_sessions_revoke_user(conn, 1, 0, &ended, &err) == 0 && ended == 1, "then all (ended %lld)", ended);
    char name[64];
    CHECK(store_organisations_name(conn, 7, 0, name, sizeof name, NULL, &err) == 0, "organisation name");
    CHECK_STR(name, "Bel & Co BV", "the organisation's name");
    CHECK(store_organisations_name(conn, 999, 0, name, sizeof name, NULL, &err) == 0, "unknown organisation");
    CHECK_STR(name, "", "an unknown organisation has no name");
}

static void test_rate_events(store_conn *conn)
{
    alvd_err err;
    unsigned char subject[STORE_RATE_SUBJECT_BYTES], other[STORE_RATE_SUBJECT_BYTES];
    long long count = -1, since = -1;
    memset(subject, 0xa1, sizeof subject);
    memset(other, 0xb2, sizeof other);
    alvd_err_clear(&err);
    CHECK(store_rate_events_count(conn, "login_pair", subject, 60, &count, &since, &err) == 0 && count == 0 && since == 0,
          "nothing counted yet (%lld, %lld)", count, since);
    for (int i = 0; i < 3; i++)
        CHECK(store_rate_events_record(conn, "login_pair", subject, &err) == 0, "record: %s", err.message);
    CHECK(store_rate_events_record(conn, "login_client", subject, &err) == 0, "another bucket");
    CHECK(store_rate_events_record(conn, "login_pair", other, &err) == 0, "another subject");
    CHECK(store_rate_events_count(conn, "login_pair", subject, 60, &count, &since, &err) == 0 && count == 3,
          "three in the bucket for the subject (got %lld)", count);
    CHECK(since >= 0 && since <= 5, "the newest is recent (%lld s)", since);
    CHECK(store_rate_events_count(conn, "login_pair", other, 60, &count, NULL, &err) == 0 && count == 1,
          "subjects are counted apart (got %lld)", count);
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "sessions") != 0)
        return 1;
    CHECK(store_fixture_script(&fixture,
                               "INSERT INTO users (id, email, name, password_hash, roles, created_at) VALUES"
                               " (1, 'anna@ksf.example', 'Anna', 'x', 'admin,chair', UTC_TIMESTAMP(6));"
                               "INSERT INTO organisations (id, name, kvk, created_at, updated_at) VALUES"
                               " (7, 'Bel & Co BV', '12345678', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))") == 0,
          "set-up rows");
    store_conn *conn = store_fixture_conn(&fixture);
    if (conn) {
        test_find_and_revoke(&fixture, conn);
        test_many_and_touch(&fixture, conn);
        test_revoke_user(&fixture, conn);
        test_rate_events(conn);
        store_pool_release(fixture.pool, conn);
    }
    store_fixture_close(&fixture);
    return check_report("store_sessions");
}
