/* Remote participation's store against a real, migrated database: the heartbeat row
 * (join, silent after the meeting's limit on a later clock, disconnect, touch, forget),
 * the registered address, and one-time codes (found by hash, used, expired). */
#include <stdlib.h>
#include <string.h>

#include "alvd/store/remote.h"
#include "check.h"
#include "store_fixture.h"

static const char *const setup =
    "INSERT INTO organisations (id, name, kvk, email, created_at, updated_at) VALUES"
    " (1, 'Bel-Centrum BV', '10000001', 's.jansen@example.nl', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),"
    " (2, 'Antwoord NV', '10000002', NULL, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));"
    "INSERT INTO meetings (id, title, date, starts_at, location, state, electronic_participation,"
    " remote_disconnect_seconds, created_at)"
    " VALUES (1, 'ALV', '2026-06-16', '19:30', 'Utrecht', 'open', 1, 180, UTC_TIMESTAMP(6));"
    "INSERT INTO meeting_members (meeting_id, organisation_id, added_at) VALUES"
    " (1, 1, UTC_TIMESTAMP(6)), (1, 2, UTC_TIMESTAMP(6))";

static void test_presence(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    int ours = -1, disconnected = -1, found = -1;
    remote_member_ref *silent = NULL;
    size_t count = 99;
    remote_silence silence;
    CHECK(store_remote_presence_join(conn, 1, 1, 55, 0, &err) == 0, "join: %s", err.message);
    CHECK(store_remote_presence_state(conn, 1, 1, 55, &ours, &disconnected, &err) == 0 && ours && !disconnected,
          "the joined session's row");
    CHECK(store_remote_presence_state(conn, 1, 1, 56, &ours, &disconnected, &err) == 0 && !ours, "not another's");
    CHECK(store_remote_silent(conn, 1, 0, &silent, &count, &err) == 0 && count == 0, "not silent now");
    free(silent);
    CHECK(store_remote_silent(conn, 0, 200, &silent, &count, &err) == 0 && count == 1 && silent[0].meeting_id == 1 &&
              silent[0].organisation_id == 1, "silent 200 s later (limit 180)");
    free(silent);
    CHECK(store_remote_silent_member(conn, 1, 1, 200, &silence, &found, &err) == 0 && found &&
              silence.after_seconds == 180 && strlen(silence.last_seen) == 20, "the member's silence (%s)",
          silence.last_seen);
    CHECK(store_remote_presence_disconnect(conn, 1, 1, 200, &err) == 0, "disconnect");
    CHECK(store_remote_silent_member(conn, 1, 1, 400, &silence, &found, &err) == 0 && !found,
          "a disconnected page is not silent again");
    CHECK(store_remote_presence_state(conn, 1, 1, 55, &ours, &disconnected, &err) == 0 && ours && disconnected,
          "marked disconnected");
    CHECK(store_remote_presence_touch(conn, 1, 1, 0, &err) == 0, "touch");
    CHECK(store_remote_presence_state(conn, 1, 1, 55, &ours, &disconnected, &err) == 0 && !disconnected,
          "a heartbeat clears it");
    CHECK(store_remote_presence_join(conn, 1, 2, 57, 0, &err) == 0, "2 joins");
    CHECK(store_remote_presence_forget(conn, 1, 1, &err) == 0, "forget 1");
    CHECK(store_fixture_integer(fixture, "SELECT COUNT(*) FROM remote_presence") == 1, "only 2 left");
    CHECK(store_remote_presence_forget(conn, 1, 0, &err) == 0, "forget all");
    CHECK(store_fixture_integer(fixture, "SELECT COUNT(*) FROM remote_presence") == 0, "none left");
}

static void test_codes(store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    remote_address address;
    remote_code_row row;
    int found = -1;
    unsigned char hash[32], other[32];
    memset(hash, 0xA5, sizeof hash);
    memset(other, 0x5A, sizeof other);
    CHECK(store_remote_address(conn, 1, &address, &found, &err) == 0 && found && address.has_email, "address");
    CHECK_STR(address.email, "s.jansen@example.nl", "the registered address");
    CHECK_STR(address.name, "Bel-Centrum BV", "the name");
    CHECK(store_remote_address(conn, 2, &address, &found, &err) == 0 && found && !address.has_email, "no address");
    CHECK(store_remote_address(conn, 9, &address, &found, &err) == 0 && !found, "no organisation");

    CHECK(store_remote_code_insert(conn, 1, 1, hash, "s.jansen@example.nl", 0, 600, &err) == 0, "code stored");
    CHECK(store_begin(conn, &err) == 0, "begin");
    CHECK(store_remote_code_find(conn, 1, 1, other, 0, &row, &found, &err) == 0 && !found, "a wrong code");
    CHECK(store_remote_code_find(conn, 1, 1, hash, 0, &row, &found, &err) == 0 && found && !row.used && !row.expired,
          "the code, fresh");
    CHECK(store_remote_code_find(conn, 1, 1, hash, 700, &row, &found, &err) == 0 && found && row.expired,
          "expired 700 s later");
    CHECK(store_remote_code_use(conn, row.id, 55, 0, &err) == 0, "used");
    CHECK(store_remote_code_find(conn, 1, 1, hash, 0, &row, &found, &err) == 0 && found && row.used, "used once");
    CHECK(store_commit(conn, &err) == 0, "commit");
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "remote") != 0 || store_fixture_script(&fixture, setup) != 0)
        return 1;
    store_conn *conn = store_fixture_conn(&fixture);
    CHECK(conn != NULL, "a connection from the pool");
    if (conn) {
        test_presence(&fixture, conn);
        test_codes(conn);
        store_pool_release(fixture.pool, conn);
    }
    store_fixture_close(&fixture);
    return check_report("store_remote");
}
