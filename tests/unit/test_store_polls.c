/* store/polls.c against a real, migrated database (tests/unit/store_fixture.h): a draft
 * poll written and read back, not-found as 404, lookups by item, ordering, opening,
 * the paper register refusing a second vote, closing, trackers and emptying the box. */
#include <string.h>

#include "alvd/store/polls.h"
#include "check.h"
#include "store_fixture.h"

static const char *const setup_sql =
    "INSERT INTO organisations (id, name, kvk, created_at, updated_at) VALUES"
    " (1, 'Bravo BV', '10000001', NOW(6), NOW(6)), (2, 'Alfa BV', '10000002', NOW(6), NOW(6)),"
    " (3, 'Charlie BV', '10000003', NOW(6), NOW(6));"
    "INSERT INTO meetings (id, title, date, starts_at, location, state, created_at)"
    " VALUES (1, 'ALV', '2026-12-07', '19:30', 'Utrecht', 'open', NOW(6));"
    "INSERT INTO meeting_members (meeting_id, organisation_id, added_at) VALUES (1, 1, NOW(6)), (1, 2, NOW(6)),"
    " (1, 3, NOW(6));"
    "INSERT INTO meeting_agenda (id, meeting_id, position, kind, title, majority_rule) VALUES"
    " (11, 1, 1, 'decision', 'Kascommissie benoemen', 'two_thirds'), (12, 1, 2, 'item', 'Rondvraag', NULL)";

static long long insert_decision_poll(store_conn *conn, long long item_id, const char *title, int secret)
{
    alvd_err err;
    alvd_err_clear(&err);
    long long poll_id = 0;
    store_polls_draft draft = {.meeting_id = 1, .agenda_item_id = item_id, .decision_title = title, .secret = secret,
                               .created_by = 0};
    CHECK(store_polls_insert_draft(conn, &draft, &poll_id, &err) == 0, "insert draft: %s", err.message);
    CHECK(poll_id > 0, "a new poll id (got %lld)", poll_id);
    return poll_id;
}

static void test_draft_and_lookups(store_conn *conn, long long poll_id)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_polls_row row;
    CHECK(store_polls_load(conn, poll_id, 0, &row, &err) == 0, "load: %s", err.message);
    CHECK_STR(row.state, "draft", "state");
    CHECK_STR(row.decision_title, "Kascommissie benoemen", "decision title");
    CHECK_INT(row.agenda_item_id, 11, "agenda item");
    CHECK_INT(row.proposal_id, 0, "no proposal");
    CHECK(store_polls_load(conn, poll_id + 1000, 0, &row, &err) != 0 && err.status == 404, "an unknown poll is 404");
    long long found = -1;
    CHECK(store_polls_find_by_item(conn, 1, 11, &found, &err) == 0 && found == poll_id, "found by its item");
    CHECK(store_polls_find_by_item(conn, 1, 12, &found, &err) == 0 && found == 0, "no poll on the other item");
    store_polls_extras extras;
    CHECK(store_polls_load(conn, poll_id, 1, &row, &err) == 0, "load locked: %s", err.message);
    CHECK(store_polls_load_extras(conn, &row, &extras, &err) == 0, "extras: %s", err.message);
    CHECK_STR(extras.title, "Kascommissie benoemen", "a decision's title is its own");
    CHECK_INT(extras.cast, 0, "nobody voted yet");
    CHECK(json_is_string(json_object_get(extras.times, "created_at")), "created_at shown");
    CHECK(json_is_null(json_object_get(extras.times, "opened_at")), "opened_at null for a draft");
    store_polls_extras_free(&extras);
    store_polls_agenda_item item;
    int item_found = 0;
    CHECK(store_polls_lock_agenda_item(conn, 1, 11, &item, &item_found, &err) == 0 && item_found, "item 11 found");
    CHECK_STR(item.kind, "decision", "item kind");
    CHECK(store_polls_lock_agenda_item(conn, 2, 11, &item, &item_found, &err) == 0 && !item_found,
          "item 11 is not on meeting 2's agenda");
    char rule[32];
    CHECK(store_polls_agenda_rule(conn, 11, rule, &err) == 0, "rule: %s", err.message);
    CHECK_STR(rule, "two_thirds", "the decision's own rule");
    CHECK(store_polls_agenda_rule(conn, 12, rule, &err) == 0, "rule: %s", err.message);
    CHECK_STR(rule, "", "an item without its own rule");
}

static void test_open_paper_close(store_conn *conn, long long poll_id)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_polls_opening opening = {.rule = "more_than_half", .eligible = 3, .present = 2, .present_remote = 1,
                                   .represented = 1, .threshold = 2, .literal_threshold = 0,
                                   .opened_at = "2026-12-07 19:45:00.000000"};
    CHECK(store_polls_mark_open(conn, poll_id, &opening, &err) == 0, "open: %s", err.message);
    for (long long member = 1; member <= 3; member++)
        CHECK(store_polls_insert_eligible(conn, poll_id, member, member == 3 ? 1 : member, &err) == 0,
              "eligible %lld: %s", member, err.message);
    store_polls_row row;
    CHECK(store_polls_load(conn, poll_id, 0, &row, &err) == 0, "load: %s", err.message);
    CHECK_STR(row.state, "open", "opened");
    CHECK(row.eligible == 3 && row.present == 2 && row.present_remote == 1 && row.threshold == 2, "P stored");
    CHECK_INT(row.literal_threshold, 0, "no literal threshold stored as NULL");
    long long current = 0;
    CHECK(store_polls_current_id(conn, 1, &current, &err) == 0 && current == poll_id, "the open poll is current");
    int eligible = 0, added = 0;
    CHECK(store_polls_is_eligible(conn, poll_id, 2, &eligible, &err) == 0 && eligible, "member 2 in the snapshot");
    CHECK(store_polls_is_eligible(conn, poll_id, 4, &eligible, &err) == 0 && !eligible, "member 4 is not");
    CHECK(store_polls_register_paper(conn, poll_id, 2, &added, &err) == 0 && added, "paper vote registered");
    CHECK(store_polls_register_paper(conn, poll_id, 2, &added, &err) == 0 && !added, "a second one is refused");
    CHECK(store_polls_insert_paper_vote(conn, poll_id, 2, "against", 0, &err) == 0, "named: %s", err.message);
    const int paper[3] = {0, 1, 0};
    CHECK(store_polls_add_paper(conn, poll_id, paper, &err) == 0, "paper totals: %s", err.message);
    long long cast = 0;
    CHECK(store_polls_count_voters(conn, poll_id, &cast, &err) == 0 && cast == 1, "one in the register");
    int counts[3] = {0, 0, 0};
    CHECK(store_polls_count_plain(conn, poll_id, counts, &err) == 0 && counts[0] + counts[1] + counts[2] == 0,
          "no plain ballots");
    store_polls_closing closing = {.counts = {0, 1, 0}, .not_voted = 2, .adopted = 0, .threshold = 2,
                                   .explanation = "verworpen", .closed_at = "2026-12-07 20:00:00.000000",
                                   .decided_on = "2026-12-07"};
    CHECK(store_polls_mark_closed(conn, poll_id, &closing, &err) == 0, "close: %s", err.message);
    CHECK(store_polls_load(conn, poll_id, 0, &row, &err) == 0, "load: %s", err.message);
    CHECK(strcmp(row.state, "closed") == 0 && row.votes_against == 1 && row.paper_against == 1 && row.not_voted == 2,
          "the count stored");
    char state[8];
    CHECK(store_polls_state(conn, poll_id, state, &err) == 0, "state: %s", err.message);
    CHECK_STR(state, "closed", "state read alone");
    CHECK(store_polls_state(conn, poll_id + 1000, state, &err) == 0, "state of none: %s", err.message);
    CHECK_STR(state, "", "no poll, no state");
    json_t *not_voted = NULL;
    CHECK(store_polls_not_voted(conn, poll_id, &not_voted, &err) == 0, "not voted: %s", err.message);
    CHECK(json_array_size(not_voted) == 2, "two did not vote (got %zu)", json_array_size(not_voted));
    CHECK_STR(json_string_value(json_object_get(json_array_get(not_voted, 0), "name")), "Bravo BV", "ordered by name");
    json_decref(not_voted);
}

static void test_trackers_and_box(store_fixture *fixture, store_conn *conn, long long poll_id)
{
    alvd_err err;
    alvd_err_clear(&err);
    char trackers[3][BALLOT_TRACKER_TEXT_SIZE];
    for (int i = 0; i < 3; i++) {
        memset(trackers[i], "0a5"[i], 2 * BALLOT_TRACKER_BYTES);
        trackers[i][2 * BALLOT_TRACKER_BYTES] = '\0';
    }
    CHECK(store_polls_insert_trackers(conn, poll_id, trackers, 3, &err) == 0, "trackers: %s", err.message);
    char (*read)[BALLOT_TRACKER_TEXT_SIZE] = NULL;
    size_t count = 0;
    CHECK(store_polls_trackers(conn, poll_id, &read, &count, &err) == 0 && count == 3, "three trackers back");
    if (count == 3) {
        CHECK_STR(read[0], trackers[0], "first in stored order");
        CHECK_STR(read[2], trackers[1], "the a's last");
    }
    free(read);
    CHECK(store_fixture_script(fixture, "UPDATE polls SET secret = 1 WHERE id = 1;"
                                        "INSERT INTO poll_voters (poll_id, organisation_id, channel, ballot_hash)"
                                        " VALUES (1, 1, 'phone', UNHEX(SHA2('x', 256)));"
                                        "INSERT INTO sealed_ballots (id, poll_id, sealed)"
                                        " VALUES (UNHEX('00112233445566778899aabbccddeeff'), 1, 'sealed')") == 0,
          "leftovers of a secret poll");
    long long *ids = NULL;
    CHECK(store_polls_closed_with_leftovers(conn, &ids, &count, &err) == 0 && count == 1 && ids[0] == 1,
          "the closed secret poll still holds ballots");
    free(ids);
    long long ballots = 0, hashes = 0;
    CHECK(store_polls_empty_box(conn, 1, &ballots, &hashes, &err) == 0, "empty: %s", err.message);
    CHECK(ballots == 1 && hashes == 1, "one ballot deleted, one hash cleared (%lld, %lld)", ballots, hashes);
    CHECK(store_polls_closed_with_leftovers(conn, &ids, &count, &err) == 0 && count == 0, "nothing left");
    free(ids);
}

static void test_list_order(store_conn *conn, long long first)
{
    alvd_err err;
    alvd_err_clear(&err);
    long long second = insert_decision_poll(conn, 12, "Rondvraag", 0);
    long long *ids = NULL;
    size_t count = 0;
    CHECK(store_polls_list_ids(conn, 1, &ids, &count, &err) == 0 && count == 2, "two polls listed");
    if (count == 2)
        CHECK(ids[0] == first && ids[1] == second, "in id order");
    free(ids);
    CHECK(store_polls_list_ids(conn, 2, &ids, &count, &err) == 0 && count == 0, "none for another meeting");
    free(ids);
    long long current = 0;
    CHECK(store_polls_current_id(conn, 1, &current, &err) == 0 && current == first,
          "the closed result is current while the new poll is a draft");
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "polls") != 0 || store_fixture_script(&fixture, setup_sql) != 0)
        return 1;
    store_conn *conn = store_fixture_conn(&fixture);
    CHECK(conn != NULL, "a connection from the pool");
    if (conn) {
        long long poll_id = insert_decision_poll(conn, 11, "Kascommissie benoemen", 0);
        test_draft_and_lookups(conn, poll_id);
        test_open_paper_close(conn, poll_id);
        test_trackers_and_box(&fixture, conn, poll_id);
        test_list_order(conn, poll_id);
        store_pool_release(fixture.pool, conn);
    }
    store_fixture_close(&fixture);
    return check_report("store_polls");
}
