/* store/totp.h and store/users.h against a real, migrated database: a factor is enrolled
 * only when confirmed with a secret; a step and a recovery code are spent once; a waiting
 * secret is enabled only while it is still the one read; clearing forgets everything;
 * users are found by e-mail (enabled only) and by id. */
#include <string.h>

#include "alvd/store/totp.h"
#include "alvd/store/users.h"
#include "check.h"
#include "store_fixture.h"

static void test_users(store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_user user;
    int found = 0;
    long long id = -1;
    CHECK(store_users_find_login(conn, "anna@ksf.example", &user, &found, &err) == 0 && found, "Anna by e-mail");
    CHECK(user.id == 1 && strcmp(user.name, "Anna") == 0 && strcmp(user.roles, "admin,chair") == 0, "her row");
    CHECK(user.has_password_hash && strcmp(user.password_hash, "$argon2id$old") == 0, "with the password hash");
    CHECK(store_users_find_login(conn, "bob@ksf.example", &user, &found, &err) == 0 && !found,
          "a disabled user does not log in");
    CHECK(store_users_find_enabled(conn, 2, &user, &found, &err) == 0 && !found, "nor is found enabled by id");
    CHECK(store_users_find_enabled(conn, 1, &user, &found, &err) == 0 && found && strcmp(user.email, "anna@ksf.example") == 0,
          "Anna by id");
    CHECK(store_users_id_by_email(conn, "bob@ksf.example", &id, &err) == 0 && id == 2, "the reset finds Bob too");
    CHECK(store_users_id_by_email(conn, "nobody@ksf.example", &id, &err) == 0 && id == 0, "nobody: 0");
    CHECK(store_users_set_password_hash(conn, 1, "$argon2id$new", &err) == 0, "rehash");
    CHECK(store_users_find_login(conn, "anna@ksf.example", &user, &found, &err) == 0 && found &&
              strcmp(user.password_hash, "$argon2id$new") == 0,
          "the new hash is stored");
}

static void test_factor(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_totp_factor factor;
    store_totp_sealed pending;
    int found = 0, enabled = 0, advanced = 0, enrolled = -1;
    long long left = -1;
    const unsigned char first[] = "sealed-first", second[] = "sealed-second", active[] = "sealed-active";
    CHECK(store_totp_factor_load(conn, 1, &factor, &err) == 0 && !factor.enrolled, "not enrolled at first");
    CHECK(store_totp_pending_load(conn, 1, &pending, &found, &err) == 0 && !found, "nothing waiting");
    CHECK(store_totp_pending_set(conn, 1, first, sizeof first, &err) == 0, "a secret waits");
    CHECK(store_totp_factor_load(conn, 1, &factor, &err) == 0 && !factor.enrolled, "waiting is not enrolled");
    CHECK(store_totp_pending_load(conn, 1, &pending, &found, &err) == 0 && found && pending.length == sizeof first &&
              memcmp(pending.bytes, first, sizeof first) == 0,
          "the waiting secret comes back");
    /* Another enrolment starts before the first is confirmed: the first cannot be enabled. */
    CHECK(store_totp_pending_set(conn, 1, second, sizeof second, &err) == 0, "a newer secret waits");
    CHECK(store_totp_enable(conn, 1, active, sizeof active, 100, &pending, &enabled, &err) == 0 && !enabled,
          "the older waiting secret is not enabled");
    CHECK(store_totp_pending_load(conn, 1, &pending, &found, &err) == 0 && found, "read the newer one");
    CHECK(store_totp_enable(conn, 1, active, sizeof active, 100, &pending, &enabled, &err) == 0 && enabled,
          "the current waiting secret is enabled");
    CHECK(store_totp_factor_load(conn, 1, &factor, &err) == 0 && factor.enrolled && factor.last_step == 100 &&
              factor.secret.length == sizeof active && memcmp(factor.secret.bytes, active, sizeof active) == 0,
          "enrolled with the secret and the confirming step");
    CHECK_INT(store_fixture_integer(fixture, "SELECT totp_pending_secret IS NULL FROM users WHERE id = 1"), 1,
              "nothing waits any more");
    CHECK(store_totp_step_advance(conn, 1, 100, &advanced, &err) == 0 && !advanced, "the confirming step is spent");
    CHECK(store_totp_step_advance(conn, 1, 101, &advanced, &err) == 0 && advanced, "the next step is accepted");
    CHECK(store_totp_step_advance(conn, 1, 101, &advanced, &err) == 0 && !advanced, "once");
    CHECK(store_totp_step_advance(conn, 1, 99, &advanced, &err) == 0 && !advanced, "never an older one");
    CHECK(store_totp_status_read(conn, 1, &enrolled, &left, &err) == 0 && enrolled == 1 && left == 0,
          "enrolled, no recovery codes yet");
}

static void test_recovery(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    unsigned char hashes[3][STORE_TOTP_HASH_BYTES];
    long long id = -1, left = -1;
    int spent = 0, enrolled = 0;
    for (int i = 0; i < 3; i++)
        memset(hashes[i], 0x30 + i, STORE_TOTP_HASH_BYTES);
    CHECK(store_totp_recovery_replace(conn, 1, (const unsigned char (*)[STORE_TOTP_HASH_BYTES])hashes, 3, &err) == 0,
          "three codes: %s", err.message);
    CHECK(store_totp_status_read(conn, 1, &enrolled, &left, &err) == 0 && left == 3, "three left");
    CHECK(store_totp_recovery_find(conn, 1, hashes[1], &id, &err) == 0 && id > 0, "a code is found by its hash");
    CHECK(store_totp_recovery_find(conn, 2, hashes[1], &id, &err) == 0 && id == 0, "not for another user");
    CHECK(store_totp_recovery_find(conn, 1, hashes[1], &id, &err) == 0 && id > 0, "found again");
    CHECK(store_totp_recovery_spend(conn, id, &spent, &err) == 0 && spent, "spent");
    CHECK(store_totp_recovery_spend(conn, id, &spent, &err) == 0 && !spent, "only once");
    long long spent_id = id;
    CHECK(store_totp_recovery_find(conn, 1, hashes[1], &id, &err) == 0 && id == 0, "a spent code is not found");
    CHECK(store_totp_status_read(conn, 1, &enrolled, &left, &err) == 0 && left == 2, "two left");
    CHECK(store_totp_recovery_replace(conn, 1, (const unsigned char (*)[STORE_TOTP_HASH_BYTES])hashes, 2, &err) == 0,
          "replaced by two");
    CHECK(store_totp_status_read(conn, 1, &enrolled, &left, &err) == 0 && left == 2, "the old ones are gone");
    CHECK(store_totp_recovery_find(conn, 1, hashes[1], &id, &err) == 0 && id > 0 && id != spent_id,
          "the same hash is a new, unspent code");
    CHECK(store_totp_clear(conn, 1, &err) == 0, "clear");
    CHECK(store_totp_status_read(conn, 1, &enrolled, &left, &err) == 0 && enrolled == 0 && left == 0,
          "nothing left after clearing");
    CHECK_INT(store_fixture_integer(fixture, "SELECT totp_secret IS NULL AND totp_last_step IS NULL FROM users WHERE id = 1"),
              1, "secret and step forgotten");
    const unsigned char demo[] = "sealed-demo";
    CHECK(store_totp_set(conn, 1, demo, sizeof demo, &err) == 0, "set directly");
    store_totp_factor factor;
    CHECK(store_totp_factor_load(conn, 1, &factor, &err) == 0 && factor.enrolled && factor.last_step == -1,
          "enrolled, no step used yet");
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "totp") != 0)
        return 1;
    CHECK(store_fixture_script(&fixture,
                               "INSERT INTO users (id, email, name, password_hash, roles, created_at) VALUES"
                               " (1, 'anna@ksf.example', 'Anna', '$argon2id$old', 'admin,chair', UTC_TIMESTAMP(6));"
                               "INSERT INTO users (id, email, name, password_hash, roles, disabled_at, created_at) VALUES"
                               " (2, 'bob@ksf.example', 'Bob', 'x', 'board', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))") == 0,
          "set-up rows");
    store_conn *conn = store_fixture_conn(&fixture);
    if (conn) {
        test_users(conn);
        test_factor(&fixture, conn);
        test_recovery(&fixture, conn);
        store_pool_release(fixture.pool, conn);
    }
    store_fixture_close(&fixture);
    return check_report("store_totp");
}
