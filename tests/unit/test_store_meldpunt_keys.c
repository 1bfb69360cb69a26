/* The meldpunt's key rows against a real, migrated database (tests/unit/store_fixture.h):
 * officers' rows and grants, who counts as an active officer, the list, and session unlocks. */
#include <string.h>

#include "alvd/store/meldpunt_keys.h"
#include "check.h"
#include "store_fixture.h"

static const char people[] =
    "INSERT INTO users (id, email, name, password_hash, roles, disabled_at, created_at) VALUES"
    " (1, 'anna@ksf.test', 'Anna', 'x', 'meldpunt', NULL, UTC_TIMESTAMP(6)),"
    " (2, 'bert@ksf.test', 'Bert', 'x', 'meldpunt,admin', NULL, UTC_TIMESTAMP(6)),"
    " (3, 'carla@ksf.test', 'Carla', 'x', 'admin', NULL, UTC_TIMESTAMP(6)),"
    " (4, 'dirk@ksf.test', 'Dirk', 'x', 'meldpunt', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));"
    "INSERT INTO sessions (id, token_hash, csrf, kind, user_id, created_at, last_seen_at, expires_at, revoked_at) VALUES"
    " (10, REPEAT('a', 32), 'c', 'user', 1, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL 1 HOUR, NULL),"
    " (11, REPEAT('b', 32), 'c', 'user', 2, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL 1 HOUR,"
    "  UTC_TIMESTAMP(6)),"
    " (12, REPEAT('c', 32), 'c', 'user', 2, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL 1 HOUR, NULL)";

static void test_officers(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    unsigned char anna_key[SEAL_PUBLIC_KEY_BYTES], bert_key[SEAL_PUBLIC_KEY_BYTES];
    unsigned char wrapped[STORE_MELDPUNT_WRAPPED_SECRET_BYTES], other[STORE_MELDPUNT_WRAPPED_SECRET_BYTES];
    memset(anna_key, 0xa1, sizeof anna_key);
    memset(bert_key, 0xb2, sizeof bert_key);
    memset(wrapped, 0x5e, sizeof wrapped);
    memset(other, 0x6f, sizeof other);
    store_meldpunt_officer officer;
    CHECK(store_meldpunt_keys_officer_load(conn, 1, &officer, &err) == 0 && !officer.present && !officer.granted,
          "no row: not present (%s)", err.message);
    CHECK(store_meldpunt_keys_officer_insert(conn, 1, anna_key, wrapped, 1, &err) == 0, "insert Anna granted: %s",
          err.message);
    CHECK(store_meldpunt_keys_officer_insert(conn, 2, bert_key, NULL, 0, &err) == 0, "insert Bert waiting: %s",
          err.message);
    alvd_err_clear(&err);
    CHECK(store_meldpunt_keys_officer_insert(conn, 1, anna_key, NULL, 0, &err) != 0 && err.status == 409,
          "a second row for one officer is 409 (got %d %s)", err.status, err.code);
    alvd_err_clear(&err);
    CHECK(store_meldpunt_keys_officer_load(conn, 1, &officer, &err) == 0 && officer.present && officer.granted &&
              memcmp(officer.public_key, anna_key, sizeof anna_key) == 0 &&
              memcmp(officer.wrapped, wrapped, sizeof wrapped) == 0,
          "Anna's row reads back with her key and the sealed secret");
    CHECK(store_meldpunt_keys_officer_load(conn, 2, &officer, &err) == 0 && officer.present && !officer.granted,
          "Bert's row: present, not granted");
    long long active = -1, officers = -1, reports = -1;
    CHECK(store_meldpunt_keys_active_officers(conn, &active, &err) == 0 && active == 1, "one active officer (%lld)",
          active);
    long long affected = -1;
    CHECK(store_meldpunt_keys_officer_grant(conn, 2, anna_key, other, 1, &affected, &err) == 0 && affected == 0,
          "a grant for another public key changes nothing (%lld)", affected);
    CHECK(store_meldpunt_keys_officer_grant(conn, 2, bert_key, other, 1, &affected, &err) == 0 && affected == 1,
          "the grant for Bert's key seals the secret to him (%lld)", affected);
    CHECK(store_meldpunt_keys_officer_grant(conn, 2, bert_key, other, 1, &affected, &err) == 0 && affected == 0,
          "a second grant changes nothing (%lld)", affected);
    CHECK(store_meldpunt_keys_active_officers(conn, &active, &err) == 0 && active == 2, "two active officers (%lld)",
          active);
    CHECK(store_meldpunt_keys_sealed_counts(conn, &officers, &reports, &err) == 0 && officers == 2 && reports == 0,
          "sealed counts: 2 officers, 0 reports (%lld, %lld)", officers, reports);
    CHECK(store_fixture_script(fixture, "UPDATE users SET roles = 'admin' WHERE id = 2") == 0, "take Bert's role");
    CHECK(store_meldpunt_keys_active_officers(conn, &active, &err) == 0 && active == 1,
          "an officer without the role does not count (%lld)", active);
    CHECK(store_fixture_script(fixture, "UPDATE users SET roles = 'meldpunt,admin' WHERE id = 2") == 0, "give it back");
}

static void test_list_and_roles(store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_meldpunt_officer_rows rows = {0};
    CHECK(store_meldpunt_keys_officers_list(conn, &rows, &err) == 0, "list: %s", err.message);
    CHECK(rows.count == 3, "Anna, Bert and Dirk (role, disabled) are listed, Carla not (got %zu)", rows.count);
    if (rows.count == 3) {
        CHECK(strcmp(rows.items[0].name, "Anna") == 0 && strcmp(rows.items[1].name, "Bert") == 0 &&
                  strcmp(rows.items[2].name, "Dirk") == 0, "by name");
        CHECK(rows.items[0].granted && rows.items[0].role && rows.items[0].granted_by &&
                  strcmp(rows.items[0].granted_by, "Anna") == 0 && strlen(rows.items[0].granted_on) == 10,
              "Anna: granted by Anna on a date (%s)", rows.items[0].granted_on);
        CHECK(!rows.items[2].role && !rows.items[2].present && rows.items[2].granted_by == NULL &&
                  rows.items[2].granted_on[0] == '\0', "Dirk: disabled, no key");
    }
    store_meldpunt_officer_rows_free(&rows);
    int exists = -1, role = -1;
    CHECK(store_meldpunt_keys_user_role(conn, 3, &exists, &role, &err) == 0 && exists && !role, "Carla: no role");
    CHECK(store_meldpunt_keys_user_role(conn, 4, &exists, &role, &err) == 0 && exists && !role,
          "Dirk: disabled, so no role");
    CHECK(store_meldpunt_keys_user_role(conn, 1, &exists, &role, &err) == 0 && exists && role, "Anna: role");
    CHECK(store_meldpunt_keys_user_role(conn, 99, &exists, &role, &err) == 0 && !exists, "no such user");
    store_meldpunt_texts emails = {0};
    CHECK(store_meldpunt_keys_officer_emails(conn, &emails, &err) == 0 && emails.count == 2,
          "the reminder goes to the two enabled officers (got %zu)", emails.count);
    store_meldpunt_texts_free(&emails);
}

static void test_unlocks(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    unsigned char *sealed = NULL;
    size_t length = 0;
    CHECK(store_meldpunt_keys_unlock_load(conn, 10, &sealed, &length, &err) == 0 && sealed == NULL,
          "no unlock: NULL");
    CHECK(store_meldpunt_keys_unlock_save(conn, 10, (const unsigned char *)"first", 5, &err) == 0 &&
              store_meldpunt_keys_unlock_save(conn, 10, (const unsigned char *)"second", 6, &err) == 0,
          "save twice: %s", err.message);
    CHECK(store_meldpunt_keys_unlock_load(conn, 10, &sealed, &length, &err) == 0 && sealed && length == 6 &&
              memcmp(sealed, "second", 6) == 0, "the second unlock replaced the first");
    free(sealed);
    CHECK(store_meldpunt_keys_unlock_save(conn, 11, (const unsigned char *)"revoked", 7, &err) == 0 &&
              store_meldpunt_keys_unlock_save(conn, 12, (const unsigned char *)"bert", 4, &err) == 0, "two of Bert's");
    CHECK(store_meldpunt_keys_delete_ended_unlocks(conn, &err) == 0, "drop ended: %s", err.message);
    CHECK(store_fixture_integer(fixture, "SELECT COUNT(*) FROM meldpunt_unlocks") == 2,
          "the revoked session's unlock is gone, the live ones stay");
    CHECK(store_meldpunt_keys_unlocks_delete_of_user(conn, 2, &err) == 0 &&
              store_fixture_integer(fixture, "SELECT COUNT(*) FROM meldpunt_unlocks WHERE session_id = 12") == 0 &&
              store_fixture_integer(fixture, "SELECT COUNT(*) FROM meldpunt_unlocks WHERE session_id = 10") == 1,
          "removing Bert's unlocks leaves Anna's");
    CHECK(store_meldpunt_keys_unlock_delete(conn, 10, &err) == 0 &&
              store_fixture_integer(fixture, "SELECT COUNT(*) FROM meldpunt_unlocks") == 0, "lock drops Anna's");
    CHECK(store_begin(conn, &err) == 0 && store_meldpunt_keys_officers_lock(conn, &err) == 0 &&
              store_meldpunt_keys_officer_delete(conn, 2, &err) == 0 && store_commit(conn, &err) == 0,
          "lock the officers and remove Bert in one transaction: %s", err.message);
    CHECK(store_fixture_integer(fixture, "SELECT COUNT(*) FROM meldpunt_officers") == 1, "Anna's row is left");
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "meldpunt_keys") != 0 || store_fixture_script(&fixture, people) != 0)
        return 1;
    store_conn *conn = store_fixture_conn(&fixture);
    if (conn == NULL)
        return 1;
    test_officers(&fixture, conn);
    test_list_and_roles(conn);
    test_unlocks(&fixture, conn);
    store_pool_release(fixture.pool, conn);
    store_fixture_close(&fixture);
    return check_report("store_meldpunt_keys");
}
