/* store/consultations.c against a real, migrated database: a round read back with its
 * window, only organisations bound on the opening day invited, comments written only
 * while the round is open and only by their organisation, a reply written once and
 * then changed, round numbers per cycle (409 for one taken twice), due reminders, and
 * the demo's round, comment and reply written at the instants given. */
#include <stdlib.h>
#include <string.h>

#include "alvd/store/consultations.h"
#include "check.h"
#include "store_fixture.h"

typedef struct round_world {
    long long cycle_id, proposal_id, revision_id, bound, ended, contact;
} round_world;

static int set_up(store_fixture *fixture, round_world *world)
{
    if (store_fixture_script(
            fixture,
            "INSERT INTO cycles (year, state, created_at, updated_at) VALUES"
            " (2027, 'consultation', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));"
            "INSERT INTO code_versions (label, effective_from, created_at) VALUES ('Code', '2025-01-01', UTC_TIMESTAMP(6));"
            "INSERT INTO code_articles (version_id, article_id, position, title, text) VALUES"
            " (1, '4', 1, 'Vier', 'Oud'), (1, '5', 2, 'Vijf', 'Oud');"
            "INSERT INTO proposals (cycle_id, base_version_id, state, created_at, updated_at)"
            " VALUES (1, 1, 'draft', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));"
            "INSERT INTO proposal_revisions (proposal_id, number, title, rationale, created_at)"
            " VALUES (1, 1, 'Art. 4 scherper', 'Omdat', UTC_TIMESTAMP(6));"
            "INSERT INTO proposal_changes (revision_id, position, article_id, action, text) VALUES (1, 1, '4', 'replace', 'Nieuw');"
            "UPDATE proposals SET current_revision_id = 1;"
            "INSERT INTO organisations (name, kvk, created_at, updated_at) VALUES"
            " ('Gebonden BV', '12345678', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),"
            " ('Opgezegd BV', '87654321', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));"
            "INSERT INTO bases (organisation_id, basis, since, until, created_at) VALUES"
            " (1, 'membership', '2020-01-01', NULL, UTC_TIMESTAMP(6)),"
            " (2, 'signature', '2020-01-01', '2026-06-30', UTC_TIMESTAMP(6));"
            "INSERT INTO contacts (organisation_id, name, email, created_at) VALUES"
            " (1, 'Anna', 'anna@gebonden.example', UTC_TIMESTAMP(6)),"
            " (2, 'Bert', 'bert@opgezegd.example', UTC_TIMESTAMP(6))") != 0)
        return -1;
    world->cycle_id = store_fixture_integer(fixture, "SELECT id FROM cycles");
    world->proposal_id = store_fixture_integer(fixture, "SELECT id FROM proposals");
    world->revision_id = store_fixture_integer(fixture, "SELECT id FROM proposal_revisions");
    world->bound = store_fixture_integer(fixture, "SELECT id FROM organisations WHERE kvk = '12345678'");
    world->ended = store_fixture_integer(fixture, "SELECT id FROM organisations WHERE kvk = '87654321'");
    world->contact = store_fixture_integer(fixture, "SELECT id FROM contacts WHERE name = 'Anna'");
    return 0;
}

/* A round of the world's cycle on its proposal, from opens to closes (SQL datetimes). */
static long long open_round(store_conn *conn, const round_world *world, const char *opens, const char *closes,
                            long long *number)
{
    alvd_err err;
    alvd_err_clear(&err);
    long long id = 0;
    CHECK(store_consultations_next_round(conn, world->cycle_id, number, &err) == 0 &&
              store_consultations_insert(conn, world->cycle_id, *number, opens, closes, "2026-12-01", 0, &id, &err) == 0 &&
              store_consultations_add_proposal(conn, id, world->proposal_id, world->revision_id, &err) == 0 &&
              store_consultations_invite_bound(conn, id, "2026-12-01", &err) == 0,
          "open a round: %s", err.message);
    return id;
}

static void test_round(store_conn *conn, const round_world *world)
{
    alvd_err err;
    alvd_err_clear(&err);
    long long number = 0, invited = 0, without = -1;
    long long id = open_round(conn, world, "2026-12-01 08:00:00", "2030-01-01 12:00:00", &number);
    CHECK_INT(number, 1, "the first round of the cycle");
    store_consultations_round round;
    CHECK(store_consultations_load(conn, id, 0, &round, &err) == 0, "load: %s", err.message);
    CHECK(round.cycle_id == world->cycle_id && round.round == 1 && round.year == 2027, "the round's cycle and number");
    CHECK(round.opens < round.now && round.now < round.closes, "open now");
    CHECK(store_consultations_invited_counts(conn, id, &invited, &without, &err) == 0, "counts: %s", err.message);
    CHECK_INT(invited, 1, "only the organisation bound on the opening day");
    CHECK_INT(without, 0, "it has a contact");
    int is_invited = -1;
    CHECK(store_consultations_is_invited(conn, id, world->bound, &is_invited, &err) == 0 && is_invited == 1,
          "the bound organisation is invited");
    CHECK(store_consultations_is_invited(conn, id, world->ended, &is_invited, &err) == 0 && is_invited == 0,
          "the one whose basis ended is not");
    store_result *rows = NULL;
    CHECK(store_consultations_contacts(conn, id, &rows, &err) == 0 && store_result_rows(rows) == 1 &&
              store_result_int(rows, 0, 0) == world->contact,
          "only the invited organisation's contact is mailed");
    store_result_free(rows);
    long long twice = 0;
    alvd_err_clear(&err);
    CHECK(store_consultations_insert(conn, world->cycle_id, 1, "2026-12-01 08:00:00", "2026-12-20 08:00:00",
                                     "2026-12-01", 0, &twice, &err) != 0 && err.status == 409,
          "round 1 twice is 409 (got %d)", err.status);
    alvd_err_clear(&err);
    CHECK(store_consultations_load(conn, id + 1000, 0, &round, &err) != 0 && err.status == 404,
          "an unknown round is 404");
}

static void test_comments(store_conn *conn, const round_world *world)
{
    alvd_err err;
    alvd_err_clear(&err);
    long long round_id = 1, inserted = 0, comment_id = 0, affected = -1;
    CHECK(store_consultations_insert_comment(conn, round_id, world->proposal_id, "4", world->bound, world->contact,
                                             "Graag duidelijker", &inserted, &comment_id, &err) == 0 &&
              inserted == 1 && comment_id > 0,
          "a comment in an open round: %s", err.message);
    long long owner_round = 0, owner = 0;
    int found = 0;
    CHECK(store_consultations_comment_owner(conn, comment_id, &owner_round, &owner, &found, &err) == 0 && found &&
              owner_round == round_id && owner == world->bound,
          "the comment's round and organisation");
    CHECK(store_consultations_update_comment(conn, comment_id, world->ended, world->contact, "Niet van mij",
                                             &affected, &err) == 0 && affected == 0,
          "another organisation cannot change it");
    CHECK(store_consultations_update_comment(conn, comment_id, world->bound, world->contact, "Nog duidelijker",
                                             &affected, &err) == 0 && affected == 1,
          "its own organisation can");
    store_result *rows = NULL;
    CHECK(store_consultations_changed_articles(conn, round_id, world->proposal_id, &rows, &err) == 0 &&
              store_result_rows(rows) == 1,
          "the article the consulted revision changes");
    store_result_free(rows);
    rows = NULL;
    int replied = -1;
    CHECK(store_consultations_lock_reply(conn, comment_id, &replied, &err) == 0 && replied == 0, "no reply yet");
    CHECK(store_consultations_upsert_reply(conn, comment_id, "Aangepast", NULL, 0, &err) == 0 &&
              store_consultations_upsert_reply(conn, comment_id, "Aangepast in art. 4", "Art. 4 lid 2", 0, &err) == 0 &&
              store_consultations_lock_reply(conn, comment_id, &replied, &err) == 0 && replied == 1,
          "a reply written, then changed: %s", err.message);
    CHECK(store_consultations_comments(conn, round_id, 0, &rows, &err) == 0 && store_result_rows(rows) == 1,
          "the comments of the round");
    if (store_result_rows(rows) == 1) {
        CHECK_STR(store_result_text_by_name(rows, 0, "text"), "Nog duidelijker", "the changed text");
        CHECK_STR(store_result_text_by_name(rows, 0, "reply_text"), "Aangepast in art. 4", "one reply, the last text");
    }
    store_result_free(rows);
    rows = NULL;
    CHECK(store_consultations_comments(conn, round_id, world->ended, &rows, &err) == 0 && store_result_rows(rows) == 0,
          "another organisation sees none of them");
    store_result_free(rows);
}

static void test_closed_round(store_conn *conn, const round_world *world)
{
    alvd_err err;
    alvd_err_clear(&err);
    long long number = 0, inserted = -1, comment_id = -1;
    long long id = open_round(conn, world, "2026-11-01 08:00:00", "2026-11-20 08:00:00", &number);
    CHECK_INT(number, 2, "the next round number");
    CHECK(store_consultations_insert_comment(conn, id, world->proposal_id, NULL, world->bound, world->contact,
                                             "Te laat", &inserted, &comment_id, &err) == 0 &&
              inserted == 0 && comment_id == 0,
          "no comment once the round closed");
    store_result *rows = NULL;
    CHECK(store_consultations_list(conn, world->cycle_id, world->ended, &rows, &err) == 0 &&
              store_result_rows(rows) == 0,
          "an organisation invited to nothing lists no rounds");
    store_result_free(rows);
    rows = NULL;
    CHECK(store_consultations_list(conn, world->cycle_id, 0, &rows, &err) == 0 && store_result_rows(rows) == 2,
          "staff list both rounds");
    for (size_t r = 1; r < store_result_rows(rows); r++)
        CHECK(store_result_int(rows, r - 1, 3) < store_result_int(rows, r, 3), "by round number");
    store_result_free(rows);
}

static void test_reminders(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    CHECK(store_fixture_script(fixture, "UPDATE consultations SET closes_at = UTC_TIMESTAMP(6) + INTERVAL 1 HOUR"
                                        " WHERE id = 1") == 0,
          "round 1 closes in an hour");
    store_result *rows = NULL;
    CHECK(store_consultations_due_reminders(conn, 2 * 3600, &rows, &err) == 0 && store_result_rows(rows) == 1 &&
              store_result_int(rows, 0, 0) == 1,
          "round 1 is due, the closed round 2 is not");
    store_result_free(rows);
    rows = NULL;
    CHECK(store_consultations_mark_reminded(conn, 1, &err) == 0 &&
              store_consultations_due_reminders(conn, 2 * 3600, &rows, &err) == 0 && store_result_rows(rows) == 0,
          "once reminded it is not due again");
    store_result_free(rows);
    store_consultations_round round;
    CHECK(store_consultations_load(conn, 1, 0, &round, &err) == 0 && round.reminder_sent == 1, "reminder noted");
    CHECK(store_consultations_close_early(conn, 1, round.now, &err) == 0 &&
              store_consultations_load(conn, 1, 0, &round, &err) == 0 && round.closes <= round.now,
          "closed early: %s", err.message);
}

/* The demo's round: opened and made weeks ago by no user, its invitees with the count
 * of contacts mailed given, a comment written after it closed and a reply, each at the
 * instant given. */
static void test_dated(store_fixture *fixture, store_conn *conn, const round_world *world)
{
    alvd_err err;
    alvd_err_clear(&err);
    long long number = 0, id = 0, comment_id = 0, invited = 0, without = -1, stray = 0;
    CHECK(store_consultations_next_round(conn, world->cycle_id, &number, &err) == 0 &&
              store_consultations_insert_at(conn, world->cycle_id, number, "2026-11-07 10:00:00",
                                            "2026-11-21 10:00:00", "2026-11-07", "2026-11-07 10:00:00", 0, &id,
                                            &err) == 0 &&
              store_consultations_add_proposal(conn, id, world->proposal_id, world->revision_id, &err) == 0,
          "a dated round: %s", err.message);
    char sql[600];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM consultations WHERE id = %lld AND created_at = '2026-11-07 10:00:00'"
             " AND opening_day = '2026-11-07' AND created_by IS NULL",
             id);
    CHECK_INT(store_fixture_integer(fixture, sql), 1, "made at the instant given, by no user");
    CHECK(store_consultations_invite_bound_mailed(conn, id, "2026-11-07", 5, &err) == 0 &&
              store_consultations_invited_counts(conn, id, &invited, &without, &err) == 0,
          "invite: %s", err.message);
    CHECK_INT(invited, 1, "only the organisation bound on the opening day");
    snprintf(sql, sizeof sql, "SELECT contacts_mailed FROM consultation_invitees WHERE consultation_id = %lld", id);
    CHECK_INT(store_fixture_integer(fixture, sql), 5, "the count of contacts mailed as given");
    CHECK(store_consultations_insert_comment_at(conn, id, world->proposal_id, "4", world->bound, world->contact,
                                                "Achteraf", "2026-11-12 09:00:00", &comment_id, &err) == 0 &&
              comment_id > 0,
          "a dated comment in a closed round: %s", err.message);
    CHECK(store_consultations_upsert_reply_at(conn, comment_id, "Dank", NULL, "2026-11-27 10:00:00", 0, &err) == 0 &&
              store_consultations_upsert_reply_at(conn, comment_id, "Dank, aangepast", "Art. 4", "2026-11-28 11:00:00",
                                                  0, &err) == 0,
          "a dated reply, then changed: %s", err.message);
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM consultation_comments k JOIN comment_replies r ON r.comment_id = k.id"
             " WHERE k.id = %lld AND k.created_at = '2026-11-12 09:00:00' AND k.updated_at = k.created_at"
             " AND r.created_at = '2026-11-27 10:00:00' AND r.updated_at = '2026-11-28 11:00:00'"
             " AND r.replied_by IS NULL AND r.text = 'Dank, aangepast'",
             comment_id);
    CHECK_INT(store_fixture_integer(fixture, sql), 1, "the comment at its instant; the reply keeps its first instant");
    store_result *rows = NULL;
    CHECK(store_consultations_comments(conn, id, 0, &rows, &err) == 0 && store_result_rows(rows) == 1,
          "the round's one comment");
    if (store_result_rows(rows) == 1)
        CHECK_STR(store_result_text_by_name(rows, 0, "led_to_change"), "Art. 4", "with the reply's change");
    store_result_free(rows);
    alvd_err_clear(&err);
    CHECK(store_consultations_insert_comment_at(conn, id + 1000, world->proposal_id, NULL, world->bound,
                                                world->contact, "Nergens", "2026-11-12 09:00:00", &stray, &err) != 0 &&
              err.status == 422,
          "a comment in an unknown round is refused (got %d)", err.status);
}

int main(void)
{
    store_fixture fixture;
    round_world world;
    if (store_fixture_open(&fixture, "consultations") != 0 || set_up(&fixture, &world) != 0)
        return 1;
    store_conn *conn = store_fixture_conn(&fixture);
    CHECK(conn != NULL, "a connection from the pool");
    if (conn) {
        test_round(conn, &world);
        test_comments(conn, &world);
        test_closed_round(conn, &world);
        test_reminders(&fixture, conn);
        test_dated(&fixture, conn, &world);
        store_pool_release(fixture.pool, conn);
    }
    store_fixture_close(&fixture);
    return check_report("store_consultations");
}
