/* store/tickets.c against a real, migrated database (tests/unit/store_fixture.h): the
 * voting members by membership basis, tickets written with nonce and hash, the valid
 * ticket (404 when none), revoking with the phones' sessions, the lists and the login. */
#include <stdlib.h>
#include <string.h>

#include "alvd/store/tickets.h"
#include "alvd/store/attendance.h"
#include "check.h"
#include "store_fixture.h"

static const char *const setup =
    "INSERT INTO meetings (id, title, date, starts_at, location, created_at) VALUES"
    " (1, 'ALV', '2026-12-07', '19:30', 'Utrecht', UTC_TIMESTAMP(6));"
    "INSERT INTO organisations (id, name, kvk, email, created_at, updated_at) VALUES"
    " (1, 'Zeta Service', '10000001', 'info@zeta.nl', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),"
    " (2, 'Alfa Contact', '10000002', NULL, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),"
    " (3, 'Later Lid', '10000003', NULL, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),"
    " (4, 'Ondertekenaar', '10000004', NULL, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));"
    "INSERT INTO bases (organisation_id, basis, since, created_at) VALUES"
    " (1, 'membership', '2020-01-01', UTC_TIMESTAMP(6)), (2, 'membership', '2021-01-01', UTC_TIMESTAMP(6)),"
    " (3, 'membership', '2027-01-01', UTC_TIMESTAMP(6)), (4, 'signature', '2020-01-01', UTC_TIMESTAMP(6));"
    "INSERT INTO contacts (organisation_id, name, email, created_at) VALUES"
    " (1, 'Piet', 'piet@zeta.nl', UTC_TIMESTAMP(6)), (1, 'Anna', 'anna@zeta.nl', UTC_TIMESTAMP(6)),"
    " (2, 'Kees', 'kees@alfa.nl', UTC_TIMESTAMP(6))";

static long long issue(store_conn *conn, long long organisation_id, unsigned char fill)
{
    alvd_err err;
    alvd_err_clear(&err);
    unsigned char nonce[TICKET_NONCE_BYTES], hash[TICKET_HASH_BYTES];
    memset(nonce, fill, sizeof nonce);
    memset(hash, 0, sizeof hash);
    long long id = 0;
    CHECK(store_tickets_insert(conn, 1, organisation_id, nonce, sizeof nonce, hash, 0, &id, &err) == 0 && id > 0,
          "insert: %s", err.message);
    memset(hash, fill, sizeof hash);
    CHECK(store_tickets_set_hash(conn, id, hash, &err) == 0, "hash: %s", err.message);
    return id;
}

static void test_members_and_tickets(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    long long *members = NULL;
    size_t count = 0;
    CHECK(store_begin(conn, &err) == 0 && store_tickets_add_members(conn, 1, "2026-12-07", &err) == 0 &&
              store_tickets_add_members(conn, 1, "2026-12-07", &err) == 0, "members: %s", err.message);
    CHECK(store_tickets_members_without(conn, 1, &members, &count, &err) == 0 && count == 2 && members[0] == 1 &&
              members[1] == 2, "members 1 and 2 (membership on the date), by id, none with a ticket");
    free(members);
    long long first = issue(conn, 1, 0x11);
    CHECK(store_commit(conn, &err) == 0, "commit");
    CHECK(store_tickets_members_without(conn, 1, &members, &count, &err) == 0 && count == 1 && members[0] == 2,
          "only member 2 lacks a ticket now");
    free(members);
    long long id = 0, valid = 0;
    unsigned char nonce[TICKET_NONCE_BYTES];
    size_t nonce_length = 0;
    CHECK(store_tickets_current(conn, 1, 1, &id, nonce, sizeof nonce, &nonce_length, &err) == 0 && id == first &&
              nonce_length == TICKET_NONCE_BYTES && nonce[0] == 0x11 && nonce[15] == 0x11, "member 1's ticket");
    alvd_err_clear(&err);
    CHECK(store_tickets_current(conn, 1, 2, &id, nonce, sizeof nonce, &nonce_length, &err) != 0 && err.status == 404,
          "member 2 has none: 404");
    long long second = issue(conn, 2, 0x22);
    CHECK(store_tickets_count_valid(conn, 1, &valid, &err) == 0 && valid == 2, "two valid tickets");
    store_result *rows = NULL;
    CHECK(store_tickets_list(conn, 1, &rows, &err) == 0 && store_result_rows(rows) == 2, "list: %s", err.message);
    if (rows && store_result_rows(rows) == 2)
        CHECK(store_result_int(rows, 0, 0) == second && strcmp(store_result_text(rows, 0, 2), "Alfa Contact") == 0 &&
                  store_result_length(rows, 0, STORE_TICKETS_LIST_NONCE) == TICKET_NONCE_BYTES,
              "by organisation name, with the nonce");
    store_result_free(rows);
    CHECK(store_tickets_recipients(conn, 1, &rows, &err) == 0 && store_result_rows(rows) == 3, "three contacts");
    if (rows && store_result_rows(rows) == 3)
        CHECK(strcmp(store_result_text(rows, 0, 0), "kees@alfa.nl") == 0 &&
                  strcmp(store_result_text(rows, 1, 0), "piet@zeta.nl") == 0 && store_result_int(rows, 1, 3) == first &&
                  strcmp(store_result_text(rows, 2, 5), "info@zeta.nl") == 0,
              "by organisation name then contact, with ticket and organisation e-mail");
    store_result_free(rows);
    (void)fixture;
}

static void test_revoke_and_login(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    CHECK(store_fixture_script(fixture, "INSERT INTO sessions (token_hash, csrf, kind, organisation_id, meeting_id,"
                                        " created_at, last_seen_at, expires_at) VALUES (UNHEX(REPEAT('ab', 32)),"
                                        " 'x', 'member', 1, 1, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6),"
                                        " UTC_TIMESTAMP(6) + INTERVAL 1 DAY)") == 0, "a phone session");
    int found = 0;
    long long revoked = 0;
    CHECK(store_begin(conn, &err) == 0 && store_attendance_lock_member(conn, 1, 1, &found, &err) == 0 && found,
          "member 1 locked");
    CHECK(store_attendance_lock_member(conn, 1, 4, &found, &err) == 0 && !found, "organisation 4 is no voting member");
    CHECK(store_tickets_revoke(conn, 1, 1, "reissued", &revoked, &err) == 0 && revoked == 1 &&
              store_tickets_end_sessions(conn, 1, 1, &err) == 0 && store_commit(conn, &err) == 0,
          "revoke: %s", err.message);
    CHECK_INT(store_fixture_integer(fixture, "SELECT COUNT(*) FROM tickets WHERE organisation_id = 1"
                                             " AND revoked_reason = 'reissued' AND revoked_at IS NOT NULL"),
              1, "revoked with its reason");
    CHECK_INT(store_fixture_integer(fixture, "SELECT COUNT(*) FROM sessions WHERE revoked_at IS NOT NULL"), 1,
              "the phone's session ended");
    long long valid = 0;
    CHECK(store_tickets_count_valid(conn, 1, &valid, &err) == 0 && valid == 1, "one valid ticket left");
    long long revoked_id = store_fixture_integer(fixture, "SELECT id FROM tickets WHERE organisation_id = 1");
    long long valid_id = store_fixture_integer(fixture, "SELECT id FROM tickets WHERE organisation_id = 2");
    store_ticket_login login;
    CHECK(store_tickets_login(conn, valid_id, &login, &err) == 0 && login.found && login.meeting_id == 1 &&
              login.organisation_id == 2 && !login.revoked && login.code_hash_length == TICKET_HASH_BYTES &&
              login.code_hash[0] == 0x22 && strcmp(login.meeting_state, "planned") == 0 &&
              strcmp(login.organisation_name, "Alfa Contact") == 0, "a valid ticket's login");
    CHECK(store_tickets_login(conn, revoked_id, &login, &err) == 0 && login.found && login.revoked,
          "a revoked ticket says so");
    CHECK(store_tickets_login(conn, 999, &login, &err) == 0 && !login.found, "an unknown ticket is not found");
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "tickets") != 0)
        return 1;
    CHECK(store_fixture_script(&fixture, setup) == 0, "set-up");
    store_conn *conn = store_fixture_conn(&fixture);
    CHECK(conn != NULL, "a connection from the pool");
    if (conn) {
        test_members_and_tickets(&fixture, conn);
        test_revoke_and_login(&fixture, conn);
        store_pool_release(fixture.pool, conn);
    }
    store_fixture_close(&fixture);
    return check_report("store_tickets");
}
