/* Table tests of the cycle rules: state transitions, actions per state, article ids
 * and change checks, RFC 3339 instants, round windows and the closing reminder. */
#include <stdint.h>
#include <string.h>

#include "alvd/rules/cycle.h"
#include "check.h"

static void test_transitions(void)
{
    static const struct {
        rules_cycle_state from, to;
        int rounds, allowed;
    } table[] = {
        {RULES_CYCLE_REVIEW, RULES_CYCLE_DRAFTING, 0, 1},
        {RULES_CYCLE_REVIEW, RULES_CYCLE_CONSULTATION, 0, 0},
        {RULES_CYCLE_REVIEW, RULES_CYCLE_ALV, 1, 0},
        {RULES_CYCLE_REVIEW, RULES_CYCLE_CLOSED, 0, 0},
        {RULES_CYCLE_DRAFTING, RULES_CYCLE_CONSULTATION, 0, 1},
        {RULES_CYCLE_DRAFTING, RULES_CYCLE_ALV, 0, 0},
        {RULES_CYCLE_DRAFTING, RULES_CYCLE_ALV, 1, 1},
        {RULES_CYCLE_DRAFTING, RULES_CYCLE_REVIEW, 0, 0},
        {RULES_CYCLE_CONSULTATION, RULES_CYCLE_DRAFTING, 1, 1},
        {RULES_CYCLE_CONSULTATION, RULES_CYCLE_ALV, 1, 1},
        {RULES_CYCLE_CONSULTATION, RULES_CYCLE_CLOSED, 1, 0},
        {RULES_CYCLE_ALV, RULES_CYCLE_CLOSED, 1, 1},
        {RULES_CYCLE_ALV, RULES_CYCLE_DRAFTING, 1, 0},
        {RULES_CYCLE_CLOSED, RULES_CYCLE_REVIEW, 1, 0},
        {RULES_CYCLE_CLOSED, RULES_CYCLE_CLOSED, 1, 0},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        alvd_err err;
        alvd_err_clear(&err);
        CHECK_INT(rules_cycle_transition_allowed(table[i].from, table[i].to, table[i].rounds),
                  table[i].allowed, rules_cycle_state_name(table[i].to));
        int rc = rules_cycle_check_transition(table[i].from, table[i].to, table[i].rounds, &err);
        CHECK_INT(rc, table[i].allowed ? 0 : -1, "check_transition");
        if (!table[i].allowed) {
            CHECK_INT(err.status, 422, "status");
            CHECK_STR(err.code, "bad_transition", "code");
        }
    }
    alvd_err err;
    alvd_err_clear(&err);
    rules_cycle_check_transition(RULES_CYCLE_REVIEW, RULES_CYCLE_ALV, 0, &err);
    CHECK_STR(err.message, "Vanuit de fase beoordeling kan de cyclus alleen naar de fase voorstellen opstellen.",
              "names the allowed phase in words");
    alvd_err_clear(&err);
    rules_cycle_check_transition(RULES_CYCLE_DRAFTING, RULES_CYCLE_ALV, 0, &err);
    CHECK(strstr(err.message, "consultatieronde") != NULL, "says a round is needed: %s", err.message);
    CHECK_INT(rules_cycle_state_parse("consultation"), RULES_CYCLE_CONSULTATION, "parse");
    CHECK_INT(rules_cycle_state_parse("bogus"), 0, "parse unknown");
    CHECK_STR(rules_cycle_state_name(RULES_CYCLE_ALV), "alv", "name");
}

static void test_actions(void)
{
    static const struct {
        rules_cycle_state state;
        rules_cycle_action action;
        int allowed;
        rules_cycle_state after;
    } table[] = {
        {RULES_CYCLE_REVIEW, RULES_CYCLE_EDIT_PROPOSALS, 1, RULES_CYCLE_DRAFTING},
        {RULES_CYCLE_DRAFTING, RULES_CYCLE_EDIT_PROPOSALS, 1, RULES_CYCLE_DRAFTING},
        {RULES_CYCLE_CONSULTATION, RULES_CYCLE_EDIT_PROPOSALS, 1, RULES_CYCLE_CONSULTATION},
        {RULES_CYCLE_ALV, RULES_CYCLE_EDIT_PROPOSALS, 0, RULES_CYCLE_ALV},
        {RULES_CYCLE_CLOSED, RULES_CYCLE_EDIT_PROPOSALS, 0, RULES_CYCLE_CLOSED},
        {RULES_CYCLE_REVIEW, RULES_CYCLE_OPEN_ROUND, 1, RULES_CYCLE_CONSULTATION},
        {RULES_CYCLE_DRAFTING, RULES_CYCLE_OPEN_ROUND, 1, RULES_CYCLE_CONSULTATION},
        {RULES_CYCLE_CONSULTATION, RULES_CYCLE_OPEN_ROUND, 1, RULES_CYCLE_CONSULTATION},
        {RULES_CYCLE_ALV, RULES_CYCLE_OPEN_ROUND, 0, RULES_CYCLE_ALV},
        {RULES_CYCLE_REVIEW, RULES_CYCLE_MARK_READY, 0, RULES_CYCLE_REVIEW},
        {RULES_CYCLE_DRAFTING, RULES_CYCLE_MARK_READY, 1, RULES_CYCLE_DRAFTING},
        {RULES_CYCLE_CONSULTATION, RULES_CYCLE_MARK_READY, 1, RULES_CYCLE_CONSULTATION},
        {RULES_CYCLE_ALV, RULES_CYCLE_MARK_READY, 1, RULES_CYCLE_ALV},
        {RULES_CYCLE_CLOSED, RULES_CYCLE_MARK_READY, 0, RULES_CYCLE_CLOSED},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        alvd_err err;
        alvd_err_clear(&err);
        int rc = rules_cycle_check_action(table[i].state, table[i].action, &err);
        CHECK_INT(rc, table[i].allowed ? 0 : -1, "action row");
        if (!table[i].allowed)
            CHECK_STR(err.code, "cycle_state", "code");
        if (table[i].allowed)
            CHECK_INT(rules_cycle_state_after(table[i].state, table[i].action), table[i].after, "after");
    }
}

static void test_articles(void)
{
    static const struct {
        const char *id;
        int valid;
    } ids[] = {{"1", 1}, {"6a", 1}, {"6e", 1}, {"12b", 1}, {"999", 1}, {"0", 0}, {"06", 0},
               {"6A", 0}, {"6ab", 0}, {"a", 0}, {"", 0}, {"1000", 0}, {"6 a", 0}, {"-1", 0}};
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        CHECK_INT(rules_article_id_valid(ids[i].id), ids[i].valid, ids[i].id);
    CHECK(rules_article_id_valid(NULL) == 0, "NULL");
    static const struct {
        const char *left, *right;
        int order;
    } order[] = {{"6", "6a", -1}, {"6a", "6e", -1}, {"6e", "7", -1}, {"7", "10", -1},
                 {"10", "7", 1},  {"6d", "6d", 0},  {"2", "10", -1}, {"6b", "6a", 1}};
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        CHECK_INT(rules_article_id_compare(order[i].left, order[i].right), order[i].order, order[i].left);

    static const struct {
        const char *id;
        rules_change_action action;
        int exists, has_text;
        const char *code; /* NULL = accepted */
    } changes[] = {
        {"6d", RULES_CHANGE_REPLACE, 1, 1, NULL},
        {"6e", RULES_CHANGE_REPLACE, 0, 1, "unknown_article"},
        {"6d", RULES_CHANGE_REPLACE, 1, 0, "text_required"},
        {"6e", RULES_CHANGE_INSERT, 0, 1, NULL},
        {"6d", RULES_CHANGE_INSERT, 1, 1, "article_exists"},
        {"6e", RULES_CHANGE_INSERT, 0, 0, "text_required"},
        {"8", RULES_CHANGE_DELETE, 1, 0, NULL},
        {"9", RULES_CHANGE_DELETE, 0, 0, "unknown_article"},
        {"8", RULES_CHANGE_DELETE, 1, 1, "text_not_allowed"},
        {"6E", RULES_CHANGE_INSERT, 0, 1, "bad_article"},
        {"6d", 0, 1, 1, "bad_choice"},
    };
    for (size_t i = 0; i < sizeof changes / sizeof changes[0]; i++) {
        alvd_err err;
        alvd_err_clear(&err);
        int rc = rules_change_check(changes[i].id, changes[i].action, changes[i].exists,
                                    changes[i].has_text, &err);
        if (changes[i].code == NULL) {
            CHECK_INT(rc, 0, changes[i].id);
        } else {
            CHECK_INT(rc, -1, changes[i].id);
            CHECK_STR(err.code, changes[i].code, changes[i].id);
            CHECK_INT(err.status, 422, "status");
        }
    }
    CHECK_INT(rules_change_action_parse("insert"), RULES_CHANGE_INSERT, "parse insert");
    CHECK_INT(rules_change_action_parse("upsert"), 0, "parse unknown");
}

static void test_instants(void)
{
    static const struct {
        const char *text;
        int64_t unix_seconds;
        int ok;
    } table[] = {
        {"1970-01-01T00:00:00Z", 0, 1},
        {"2026-03-02T09:00:00+01:00", 1772438400, 1},
        {"2026-03-02T08:00:00Z", 1772438400, 1},
        {"2026-03-02T08:00:00.123456Z", 1772438400, 1},
        {"2026-06-16T19:30:00+02:00", 1781631000, 1},
        {"2026-03-02t08:00:00z", 1772438400, 1},
        {"2026-03-02T08:00:00", 0, 0},
        {"2026-03-02 08:00:00Z", 0, 0},
        {"2026-02-30T08:00:00Z", 0, 0},
        {"2026-03-02T24:00:00Z", 0, 0},
        {"2026-03-02T08:00:00+0100", 0, 0},
        {"2026-03-02T08:00:00.Z", 0, 0},
        {"2026-03-02T08:00:00Zjunk", 0, 0},
        {"", 0, 0},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        alvd_err err;
        alvd_err_clear(&err);
        int64_t out = -1;
        int rc = rules_instant_parse(table[i].text, "opens_at", &out, &err);
        CHECK_INT(rc, table[i].ok ? 0 : -1, table[i].text);
        if (table[i].ok)
            CHECK_INT(out, table[i].unix_seconds, table[i].text);
        else
            CHECK_STR(err.code, "bad_instant", table[i].text);
    }
    char sql[20], dutch[64];
    CHECK_STR(rules_instant_sql(1772438400, sql), "2026-03-02 08:00:00", "sql");
    CHECK_STR(rules_instant_dutch(1772438400, dutch), "maandag 2 maart 2026 09:00", "dutch CET");
    CHECK_STR(rules_instant_dutch(1781631000, dutch), "dinsdag 16 juni 2026 19:30", "dutch CEST");
}

static void test_rounds(void)
{
    const int64_t opens = 1772438400;             /* Mon 2 March 2026 09:00 Amsterdam */
    const int64_t closes = opens + 14 * 86400;    /* two weeks later */
    alvd_err err;
    alvd_err_clear(&err);
    CHECK_INT(rules_round_check_instants(opens, opens + 3599, &err), -1, "too short");
    CHECK_INT(rules_round_check_instants(opens, opens + 3600, &err), 0, "one hour");
    CHECK_INT(rules_round_check_instants(opens, opens - 10, &err), -1, "reversed");
    CHECK_INT(rules_round_check_instants(opens, opens + RULES_ROUND_MAX_SECONDS + 1, &err), -1, "too long");

    CHECK_INT(rules_round_phase_at(opens, closes, opens - 1), RULES_ROUND_UPCOMING, "before");
    CHECK_INT(rules_round_phase_at(opens, closes, opens), RULES_ROUND_OPEN, "at opening");
    CHECK_INT(rules_round_phase_at(opens, closes, closes - 1), RULES_ROUND_OPEN, "last second");
    CHECK_INT(rules_round_phase_at(opens, closes, closes), RULES_ROUND_CLOSED, "at closing");

    alvd_err_clear(&err);
    CHECK_INT(rules_round_check_comment_window(opens, closes, opens + 10, &err), 0, "comment inside");
    CHECK_INT(rules_round_check_comment_window(opens, closes, closes, &err), -1, "comment at close");
    CHECK_STR(err.code, "outside_window", "code");
    CHECK(strstr(err.message, "maandag 2 maart 2026 09:00") && strstr(err.message, "maandag 16 maart 2026 09:00") &&
              strstr(err.message, "gesloten"),
          "the sentence says the window: %s", err.message);
    alvd_err_clear(&err);
    CHECK_INT(rules_round_check_comment_window(opens, closes, opens - 1, &err), -1, "comment early");
    CHECK(strstr(err.message, "nog niet open") != NULL, "early: %s", err.message);

    CHECK_INT(rules_round_check_reply_window(opens, closes, closes - 1, &err), -1, "reply while open");
    CHECK_STR(err.code, "round_open", "reply code");
    CHECK_INT(rules_round_check_reply_window(opens, closes, closes, &err), 0, "reply after close");

    const int64_t lead = RULES_REMINDER_LEAD_SECONDS;
    static const struct {
        int64_t offset_from_close;
        int sent, due;
    } reminders[] = {
        {-3 * 86400, 0, 0}, /* three days left: not yet */
        {-lead - 1, 0, 0},
        {-lead, 0, 1},      /* exactly two days left */
        {-3600, 0, 1},
        {-3600, 1, 0},      /* already sent */
        {0, 0, 0},          /* closed */
        {3600, 0, 0},
    };
    for (size_t i = 0; i < sizeof reminders / sizeof reminders[0]; i++)
        CHECK_INT(rules_round_reminder_due(opens, closes, closes + reminders[i].offset_from_close,
                                           reminders[i].sent),
                  reminders[i].due, "reminder row");
    /* A round shorter than the lead gets no reminder: the invitation says it all. */
    CHECK_INT(rules_round_reminder_due(opens, opens + 86400, opens + 3600, 0), 0, "short round");
    CHECK_INT(rules_round_reminder_due(opens, opens + lead, opens + 3600, 0), 0, "round of exactly the lead");
}

int main(void)
{
    test_transitions();
    test_actions();
    test_articles();
    test_instants();
    test_rounds();
    return check_report("rules_cycle");
}
