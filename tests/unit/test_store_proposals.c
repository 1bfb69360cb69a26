/* store/proposals.c against a real, migrated database: a proposal with revisions and
 * changes read back in order, 404 for what does not exist, 409 for a revision number
 * taken twice, conflicts only between active proposals, the Code version in force on a
 * day, the locks' counts, a poll outcome's state changes and the active proposals an
 * adopted revision conflicts with, a meldpunt suggestion claimed and linked, and the
 * demo's proposals and revisions written at the instants given. */
#include <stdlib.h>
#include <string.h>

#include "alvd/store/proposals.h"
#include "check.h"
#include "store_fixture.h"

typedef struct proposals_world {
    long long cycle_id, version_id;
} proposals_world;

static int set_up(store_fixture *fixture, proposals_world *world)
{
    if (store_fixture_script(fixture,
                             "INSERT INTO cycles (year, state, created_at, updated_at) VALUES"
                             " (2027, 'drafting', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));"
                             "INSERT INTO code_versions (label, effective_from, created_at) VALUES"
                             " ('Code 2025', '2025-01-01', UTC_TIMESTAMP(6)), ('Code 2031', '2031-01-01', UTC_TIMESTAMP(6));"
                             "INSERT INTO code_articles (version_id, article_id, position, title, text) VALUES"
                             " (1, '1', 1, 'Doel', 'Tekst een'), (1, '2', 2, 'Klachten', 'Tekst twee'),"
                             " (1, '3', 3, 'Slot', 'Tekst drie')") != 0)
        return -1;
    world->cycle_id = store_fixture_integer(fixture, "SELECT id FROM cycles WHERE year = 2027");
    world->version_id = store_fixture_integer(fixture, "SELECT id FROM code_versions WHERE label = 'Code 2025'");
    return 0;
}

/* A proposal with one revision changing the given articles (replace each). */
static long long make_proposal(store_conn *conn, const proposals_world *world, const char *const *articles,
                               size_t count, long long *revision_id)
{
    alvd_err err;
    alvd_err_clear(&err);
    long long proposal_id = 0;
    int ok = store_proposals_insert(conn, world->cycle_id, world->version_id, 0, &proposal_id, &err) == 0 &&
             store_proposals_insert_revision(conn, proposal_id, 1, "Voorstel", "Omdat", 0, revision_id, &err) == 0;
    for (size_t i = 0; ok && i < count; i++)
        ok = store_proposals_insert_change(conn, *revision_id, (long long)i + 1, articles[i], "replace", NULL,
                                           "Nieuwe tekst", &err) == 0;
    ok = ok && store_proposals_set_current(conn, proposal_id, *revision_id, NULL, &err) == 0;
    CHECK(ok, "make proposal: %s", err.message);
    return proposal_id;
}

static void test_articles(store_conn *conn, const proposals_world *world)
{
    alvd_err err;
    alvd_err_clear(&err);
    long long version = -1;
    CHECK(store_proposals_version_in_force(conn, "2026-12-07", &version, &err) == 0, "in force: %s", err.message);
    CHECK_INT(version, world->version_id, "the version in force today, not the later one");
    CHECK(store_proposals_version_in_force(conn, "2024-12-31", &version, &err) == 0 && version == 0,
          "no version before the first one");
    store_result *rows = NULL;
    CHECK(store_proposals_base_article(conn, world->version_id, "2", &rows, &err) == 0 &&
              store_result_rows(rows) == 1,
          "article 2 exists");
    if (store_result_rows(rows) == 1)
        CHECK_STR(store_result_text(rows, 0, 1), "Tekst twee", "its text");
    store_result_free(rows);
    rows = NULL;
    CHECK(store_proposals_base_article(conn, world->version_id, "9", &rows, &err) == 0 &&
              store_result_rows(rows) == 0,
          "article 9 does not");
    store_result_free(rows);
    rows = NULL;
    CHECK(store_proposals_code_articles(conn, world->version_id, &rows, &err) == 0 && store_result_rows(rows) == 3,
          "every article of the version");
    if (store_result_rows(rows) == 3)
        CHECK_STR(store_result_text(rows, 2, 0), "3", "in position order");
    store_result_free(rows);
}

static void test_read_back(store_conn *conn, const proposals_world *world)
{
    alvd_err err;
    alvd_err_clear(&err);
    const char *articles[] = {"3", "1"};
    long long revision_id = 0;
    long long id = make_proposal(conn, world, articles, 2, &revision_id);
    store_result *rows = NULL;
    CHECK(store_proposals_head(conn, id, &rows, &err) == 0, "head: %s", err.message);
    CHECK_STR(store_result_text_by_name(rows, 0, "state"), "draft", "a new proposal is a draft");
    CHECK_INT(store_result_int_by_name(rows, 0, "current_revision_id"), revision_id, "its current revision");
    store_result_free(rows);
    rows = NULL;
    CHECK(store_proposals_changes(conn, revision_id, &rows, &err) == 0 && store_result_rows(rows) == 2, "changes");
    if (store_result_rows(rows) == 2)
        CHECK(strcmp(store_result_text(rows, 0, 0), "3") == 0 && strcmp(store_result_text(rows, 1, 0), "1") == 0,
              "changes in the order written, not by article");
    store_result_free(rows);
    rows = NULL;
    alvd_err_clear(&err);
    CHECK(store_proposals_head(conn, id + 1000, &rows, &err) != 0 && err.status == 404 && rows == NULL,
          "an unknown proposal is 404");
    alvd_err_clear(&err);
    CHECK(store_proposals_revision(conn, id, revision_id + 1000, &rows, &err) != 0 && err.status == 404,
          "a revision of another proposal is 404");
    long long twice = 0;
    alvd_err_clear(&err);
    CHECK(store_proposals_insert_revision(conn, id, 1, "Weer", "Weer", 0, &twice, &err) != 0 && err.status == 409,
          "revision number 1 twice is 409 (got %d)", err.status);
    CHECK(store_proposals_revisions(conn, id, &rows, &err) == 0 && store_result_rows(rows) == 1,
          "the revisions listed");
    store_result_free(rows);
}

static void test_conflicts(store_conn *conn, const proposals_world *world)
{
    alvd_err err;
    alvd_err_clear(&err);
    const char *first[] = {"2"}, *second[] = {"2", "3"};
    long long revision_a = 0, revision_b = 0;
    long long a = make_proposal(conn, world, first, 1, &revision_a);
    long long b = make_proposal(conn, world, second, 2, &revision_b);
    store_result *pairs = NULL;
    CHECK(store_proposals_conflicts(conn, world->cycle_id, a, &pairs, &err) == 0, "conflicts: %s", err.message);
    int found = 0;
    for (size_t r = 0; r < store_result_rows(pairs); r++)
        found |= store_result_int(pairs, r, 0) == a && store_result_int(pairs, r, 1) == b;
    CHECK(found, "a and b both change article 2");
    store_result_free(pairs);
    pairs = NULL;
    store_proposals_locked locked;
    CHECK(store_proposals_lock_for_revision(conn, b, &locked, &err) == 0 && locked.last_number == 1 &&
              locked.base_version_id == world->version_id && strcmp(locked.state, "draft") == 0,
          "lock for a revision: %s", err.message);
    CHECK(store_proposals_mark_ready(conn, b, &err) == 0 && store_proposals_lock_for_ready(conn, b, &locked, &err) == 0,
          "ready: %s", err.message);
    CHECK_STR(locked.state, "ready", "marked ready");
    CHECK(locked.consulted == 0 && locked.unreplied == 0, "not consulted, nothing unanswered");
    CHECK(store_proposals_back_to_draft(conn, b, &err) == 0 && store_proposals_lock_for_ready(conn, b, &locked, &err) == 0,
          "draft again");
    CHECK_STR(locked.state, "draft", "a draft again");
    alvd_err_clear(&err);
    CHECK(store_proposals_lock_for_ready(conn, b + 1000, &locked, &err) != 0 && err.status == 404,
          "locking an unknown proposal is 404");
    store_result *list = NULL;
    CHECK(store_proposals_list(conn, world->cycle_id, &list, &err) == 0, "list: %s", err.message);
    for (size_t r = 0; r < store_result_rows(list); r++)
        if (store_result_int(list, r, 0) == b)
            CHECK_STR(store_result_text_by_name(list, r, "articles"), "2,3", "the articles it changes");
    store_result_free(list);
}

/* What a poll's outcome does to proposals: a proposal's state read, locked, set; the
 * draft or ready proposals changing an article of the adopted revision. */
static void test_outcome(store_conn *conn, const proposals_world *world)
{
    alvd_err err;
    alvd_err_clear(&err);
    const char *two[] = {"2"}, *one_three[] = {"1", "3"}, *three[] = {"3"};
    long long revision_a = 0, revision_b = 0, revision_c = 0, revision_d = 0;
    long long a = make_proposal(conn, world, one_three, 2, &revision_a);
    long long b = make_proposal(conn, world, three, 1, &revision_b);
    long long c = make_proposal(conn, world, two, 1, &revision_c);
    long long d = make_proposal(conn, world, one_three, 2, &revision_d);
    char state[16] = "x";
    CHECK(store_proposals_state(conn, b, state, &err) == 0, "state: %s", err.message);
    CHECK_STR(state, "draft", "a new proposal is a draft");
    CHECK(store_proposals_state(conn, d + 1000, state, &err) == 0 && state[0] == '\0', "no proposal: empty state");
    CHECK(store_begin(conn, &err) == 0 && store_proposals_lock(conn, d, &err) == 0 &&
              store_proposals_set_state(conn, d, "rejected", &err) == 0 && store_commit(conn, &err) == 0,
          "lock and set: %s", err.message);
    CHECK(store_proposals_state(conn, d, state, &err) == 0 && strcmp(state, "rejected") == 0, "set to rejected");
    CHECK(store_proposals_mark_ready(conn, b, &err) == 0, "b ready");
    store_proposals_conflict *conflicts = NULL;
    size_t count = 99;
    CHECK(store_proposals_conflicting_active(conn, a, revision_a, &conflicts, &count, &err) == 0, "conflicting: %s",
          err.message);
    /* Earlier tests left active drafts on articles 2 and 3 too; of this test's, b (ready, 3)
     * conflicts, c (2 only) does not, d (1 and 3) is rejected and no longer active. */
    int has_b = 0, has_c = 0, has_d = 0, ordered = 1;
    for (size_t i = 0; i < count; i++) {
        has_b |= conflicts[i].proposal_id == b && strcmp(conflicts[i].state, "ready") == 0;
        has_c |= conflicts[i].proposal_id == c;
        has_d |= conflicts[i].proposal_id == d || conflicts[i].proposal_id == a;
        if (i > 0 && conflicts[i - 1].proposal_id >= conflicts[i].proposal_id)
            ordered = 0;
    }
    CHECK(has_b, "b, ready, changes article 3 too: conflicts, with its state");
    CHECK(!has_c, "c changes only article 2: no conflict");
    CHECK(!has_d, "neither the rejected d nor a itself");
    CHECK(ordered, "by id");
    free(conflicts);
}

static void test_suggestion(store_fixture *fixture, store_conn *conn, const proposals_world *world)
{
    alvd_err err;
    alvd_err_clear(&err);
    CHECK(store_fixture_script(fixture, "INSERT INTO meldpunt_suggestions (period, article, text, created_at)"
                                        " VALUES ('2026H1', NULL, 'Maak art. 2 duidelijker', UTC_TIMESTAMP(6))") == 0,
          "a suggestion");
    long long id = store_fixture_integer(fixture, "SELECT MAX(id) FROM meldpunt_suggestions");
    store_proposals_suggestion suggestion;
    CHECK(store_proposals_suggestion_lock(conn, id, &suggestion, &err) == 0, "lock: %s", err.message);
    CHECK(suggestion.article == NULL && suggestion.proposal_id == 0, "no article named, not proposed yet");
    CHECK_STR(suggestion.period, "2026H1", "its period");
    store_proposals_suggestion_free(&suggestion);
    const char *articles[] = {"1"};
    long long revision_id = 0, proposal_id = make_proposal(conn, world, articles, 1, &revision_id);
    CHECK(store_proposals_suggestion_link(conn, id, proposal_id, &err) == 0 &&
              store_proposals_suggestion_lock(conn, id, &suggestion, &err) == 0,
          "link: %s", err.message);
    CHECK_INT(suggestion.proposal_id, proposal_id, "linked to the proposal");
    store_proposals_suggestion_free(&suggestion);
    alvd_err_clear(&err);
    CHECK(store_proposals_suggestion_lock(conn, id + 1000, &suggestion, &err) != 0 && err.status == 404,
          "an unknown suggestion is 404");
}

/* The demo's proposals: made in a given state at a given instant by no user, their
 * revisions dated as given (or now), read back in number order. */
static void test_dated(store_fixture *fixture, store_conn *conn, const proposals_world *world)
{
    alvd_err err;
    alvd_err_clear(&err);
    long long id = 0, first = 0, second = 0, twice = 0, now_rev = 0;
    store_proposals_new proposal = {.cycle_id = world->cycle_id, .base_version_id = world->version_id,
                                    .state = "ready", .source_report = "2026H2",
                                    .created_at = "2026-10-28 09:15:00"};
    CHECK(store_proposals_insert_with(conn, &proposal, &id, &err) == 0 && id > 0, "insert with: %s", err.message);
    CHECK(store_proposals_insert_revision_at(conn, id, 1, "Eerste", "Omdat", "2026-10-28 09:15:00", 0, &first,
                                             &err) == 0 &&
              store_proposals_insert_revision_at(conn, id, 2, "Tweede", "Omdat, aangepast", "2026-11-28 10:00:00", 0,
                                                 &second, &err) == 0,
          "two dated revisions: %s", err.message);
    char sql[600];
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM proposals WHERE id = %lld AND state = 'ready' AND source_report = '2026H2'"
             " AND created_at = '2026-10-28 09:15:00' AND created_by IS NULL",
             id);
    CHECK_INT(store_fixture_integer(fixture, sql), 1, "the proposal as given: state, source, instant, no user");
    snprintf(sql, sizeof sql,
             "SELECT COUNT(*) FROM proposal_revisions WHERE proposal_id = %lld AND created_by IS NULL AND"
             " ((id = %lld AND created_at = '2026-10-28 09:15:00') OR (id = %lld AND created_at = '2026-11-28 10:00:00'))",
             id, first, second);
    CHECK_INT(store_fixture_integer(fixture, sql), 2, "each revision at its own instant");
    store_result *rows = NULL;
    CHECK(store_proposals_revision_texts(conn, id, &rows, &err) == 0 && store_result_rows(rows) == 2,
          "revision texts: %s", err.message);
    if (store_result_rows(rows) == 2) {
        CHECK_INT(store_result_int(rows, 0, 0), 1, "number 1 first");
        CHECK_STR(store_result_text(rows, 1, 3), "Omdat, aangepast", "revision 2's rationale");
    }
    store_result_free(rows);
    alvd_err_clear(&err);
    CHECK(store_proposals_insert_revision_at(conn, id, 2, "Weer", "Weer", "2026-11-29 10:00:00", 0, &twice, &err) != 0 &&
              err.status == 409,
          "revision number 2 twice is 409 (got %d)", err.status);
    alvd_err_clear(&err);
    CHECK(store_proposals_insert_revision_at(conn, id + 1000, 1, "Wees", "Wees", NULL, 0, &twice, &err) != 0 &&
              err.status == 422,
          "a revision of an unknown proposal is refused (got %d)", err.status);
    alvd_err_clear(&err);
    CHECK(store_proposals_insert_revision_at(conn, id, 3, "Nu", "Nu", NULL, 0, &now_rev, &err) == 0,
          "a revision without an instant: %s", err.message);
    snprintf(sql, sizeof sql,
             "SELECT ABS(TIMESTAMPDIFF(SECOND, created_at, UTC_TIMESTAMP())) < 60 FROM proposal_revisions"
             " WHERE id = %lld",
             now_rev);
    CHECK_INT(store_fixture_integer(fixture, sql), 1, "no instant given is now");
}

int main(void)
{
    store_fixture fixture;
    proposals_world world;
    if (store_fixture_open(&fixture, "proposals") != 0 || set_up(&fixture, &world) != 0)
        return 1;
    store_conn *conn = store_fixture_conn(&fixture);
    CHECK(conn != NULL, "a connection from the pool");
    if (conn) {
        test_articles(conn, &world);
        test_read_back(conn, &world);
        test_conflicts(conn, &world);
        test_outcome(conn, &world);
        test_suggestion(&fixture, conn, &world);
        test_dated(&fixture, conn, &world);
        store_pool_release(fixture.pool, conn);
    }
    store_fixture_close(&fixture);
    return check_report("store_proposals");
}
