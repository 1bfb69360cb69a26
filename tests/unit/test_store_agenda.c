/* store/agenda.c against a real, migrated database (tests/unit/store_fixture.h): the
 * agenda in order with its polls and proposals, the meeting lock (404 when absent), the
 * replacement (clear + insert), the current item, and an item's proposal. */
#include <stdlib.h>
#include <string.h>

#include "alvd/store/agenda.h"
#include "check.h"
#include "store_fixture.h"

static const char *const setup =
    "SET FOREIGN_KEY_CHECKS = 0;"
    "INSERT INTO meetings (id, title, date, starts_at, location, state, current_item, created_at) VALUES"
    " (1, 'ALV', '2026-12-07', '19:30', 'Utrecht', 'planned', 2, UTC_TIMESTAMP(6)),"
    " (2, 'Oud', '2025-12-01', '19:30', 'Utrecht', 'closed', NULL, UTC_TIMESTAMP(6));"
    "INSERT INTO proposals (id, cycle_id, base_version_id, state, current_revision_id, created_at, updated_at) VALUES"
    " (7, 1, 1, 'ready', 70, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),"
    " (8, 1, 1, 'draft', 80, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));"
    "INSERT INTO proposal_revisions (id, proposal_id, number, title, rationale, created_at) VALUES"
    " (70, 7, 1, 'Artikel 3 anders', '', UTC_TIMESTAMP(6)), (80, 8, 1, 'Artikel 9', '', UTC_TIMESTAMP(6));"
    "INSERT INTO meeting_agenda (id, meeting_id, position, kind, proposal_id, title, majority_rule) VALUES"
    " (100, 1, 2, 'proposal', 7, 'Artikel 3 anders', NULL),"
    " (101, 1, 1, 'item', NULL, 'Opening', NULL),"
    " (102, 1, 3, 'decision', NULL, 'Begroting', 'two_thirds');"
    "INSERT INTO polls (meeting_id, proposal_id, revision_id, created_at) VALUES (1, 7, 70, UTC_TIMESTAMP(6));"
    "INSERT INTO polls (meeting_id, agenda_item_id, decision_title, created_at)"
    " VALUES (1, 102, 'Begroting', UTC_TIMESTAMP(6));"
    "SET FOREIGN_KEY_CHECKS = 1";

static void test_reading(store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_result *rows = NULL;
    CHECK(store_agenda_list(conn, 1, &rows, &err) == 0, "list: %s", err.message);
    CHECK(rows && store_result_rows(rows) == 3, "three items");
    if (rows && store_result_rows(rows) == 3) {
        CHECK_STR(store_result_text(rows, 0, 3), "Opening", "in position order");
        CHECK_STR(store_result_text(rows, 1, 5), "ready", "a proposal's state");
        CHECK_INT(store_result_int(rows, 1, 7), 1, "the proposal's poll");
        CHECK_INT(store_result_int(rows, 2, 7), 1, "the decision's poll");
        CHECK_INT(store_result_int(rows, 0, 7), 0, "no poll on a plain item");
    }
    store_result_free(rows);
    store_agenda_item *items = NULL;
    size_t count = 0;
    CHECK(store_agenda_items(conn, 1, &items, &count, &err) == 0 && count == 3, "items: %s", err.message);
    if (count == 3) {
        CHECK(items[0].id == 101 && items[0].position == 1 && strcmp(items[0].kind, "item") == 0 &&
                  items[0].proposal_id == 0 && !items[0].has_poll, "the plain item first");
        CHECK(items[1].id == 100 && items[1].proposal_id == 7 && items[1].has_poll, "the proposal with its poll");
        CHECK(items[2].id == 102 && strcmp(items[2].kind, "decision") == 0 && items[2].has_poll, "the decision");
    }
    free(items);
    char title[1201], state[24];
    int found = 0;
    CHECK(store_agenda_proposal(conn, 8, title, sizeof title, state, &found, &err) == 0 && found &&
              strcmp(title, "Artikel 9") == 0 && strcmp(state, "draft") == 0, "a proposal's current title and state");
    CHECK(store_agenda_proposal(conn, 99, title, sizeof title, state, &found, &err) == 0 && !found,
          "an unknown proposal is not found");
    long long proposal_id = -1;
    CHECK(store_agenda_item_proposal(conn, 1, 100, &proposal_id, &err) == 0 && proposal_id == 7, "item 100: proposal 7");
    CHECK(store_agenda_item_proposal(conn, 1, 101, &proposal_id, &err) == 0 && proposal_id == 0, "item 101: none");
    alvd_err_clear(&err);
    CHECK(store_agenda_item_proposal(conn, 2, 100, &proposal_id, &err) != 0 && err.status == 404,
          "an item of another meeting is 404");
}

static void test_changing(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    char state[8];
    long long current = -1;
    CHECK(store_begin(conn, &err) == 0, "begin");
    CHECK(store_agenda_lock_meeting(conn, 1, state, &current, &err) == 0 && strcmp(state, "planned") == 0 &&
              current == 2, "meeting 1: planned, at position 2");
    CHECK(store_agenda_clear(conn, 1, &err) == 0, "clear: %s", err.message);
    CHECK(store_agenda_insert(conn, 1, 100, 1, "proposal", 7, "Artikel 3 anders", NULL, &err) == 0 &&
              store_agenda_insert(conn, 1, 0, 2, "decision", 0, "Kascommissie", "more_than_half", &err) == 0,
          "insert: %s", err.message);
    CHECK(store_agenda_set_current(conn, 1, 1, &err) == 0, "current: %s", err.message);
    CHECK(store_commit(conn, &err) == 0, "commit: %s", err.message);
    CHECK_INT(store_fixture_integer(fixture, "SELECT COUNT(*) FROM meeting_agenda WHERE meeting_id = 1"), 2, "two items");
    CHECK_INT(store_fixture_integer(fixture, "SELECT position FROM meeting_agenda WHERE id = 100"), 1,
              "the kept item keeps its id at its new position");
    CHECK_INT(store_fixture_integer(fixture, "SELECT COUNT(*) FROM meeting_agenda WHERE meeting_id = 1 AND"
                                             " position = 2 AND id > 102 AND proposal_id IS NULL"
                                             " AND majority_rule = 'more_than_half'"),
              1, "the new item has a new id, no proposal and its rule");
    CHECK_INT(store_fixture_integer(fixture, "SELECT current_item FROM meetings WHERE id = 1"), 1, "current item 1");
    store_agenda_current at;
    CHECK(store_begin(conn, &err) == 0 && store_agenda_lock_item_at(conn, 1, 2, &at, &err) == 0 && at.found &&
              strcmp(at.title, "Kascommissie") == 0 && strcmp(at.kind, "decision") == 0 && at.proposal_id == 0,
          "the item at position 2");
    CHECK(store_agenda_lock_item_at(conn, 1, 1, &at, &err) == 0 && at.found && at.item_id == 100 && at.proposal_id == 7,
          "the item at position 1");
    CHECK(store_agenda_lock_item_at(conn, 1, 9, &at, &err) == 0 && !at.found, "no item at position 9");
    CHECK(store_agenda_set_current(conn, 1, 0, &err) == 0 && store_commit(conn, &err) == 0, "current none");
    CHECK_INT(store_fixture_integer(fixture, "SELECT COUNT(*) FROM meetings WHERE id = 1 AND current_item IS NULL"), 1,
              "position 0 clears the current item");
    alvd_err_clear(&err);
    CHECK(store_agenda_lock_meeting(conn, 5, state, &current, &err) != 0 && err.status == 404, "no meeting 5: 404");
    alvd_err_clear(&err);
    CHECK(store_agenda_lock_item_at(conn, 5, 1, &at, &err) != 0 && err.status == 404, "no meeting 5: 404 (item)");
    store_rollback(conn);
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "agenda") != 0)
        return 1;
    CHECK(store_fixture_script(&fixture, setup) == 0, "set-up");
    store_conn *conn = store_fixture_conn(&fixture);
    CHECK(conn != NULL, "a connection from the pool");
    if (conn) {
        test_reading(conn);
        test_changing(&fixture, conn);
        store_pool_release(fixture.pool, conn);
    }
    store_fixture_close(&fixture);
    return check_report("store_agenda");
}
