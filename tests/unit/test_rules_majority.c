/* Unit tables for server/rules/majority.c (R1): thresholds for P = 0..12 under
 * every rule, ties, abstentions, all-abstain, P = 1, input validation and the
 * Dutch explanation sentence. */
#include "alvd/rules/majority.h"

#include <string.h>

#include "check.h"

/* Expected thresholds for P = 0..12, written out by hand from the definitions
 * (and clamped to at least 1 for P = 0). */
static const int more_than_half[13] = {1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7};
static const int literal[13] = {1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7};
static const int two_thirds[13] = {1, 1, 2, 2, 3, 4, 4, 5, 6, 6, 7, 8, 8};

static void test_thresholds(void)
{
    for (int p = 0; p <= 12; p++) {
        CHECK_INT(rules_majority_threshold(RULES_MAJORITY_MORE_THAN_HALF, p, 0), more_than_half[p],
                  "more_than_half threshold");
        CHECK_INT(rules_majority_threshold(RULES_MAJORITY_LITERAL_HALF_PLUS_ONE, p, 0), literal[p],
                  "literal threshold");
        CHECK_INT(rules_majority_threshold(RULES_MAJORITY_TWO_THIRDS, p, 0), two_thirds[p],
                  "two_thirds threshold");
    }
    CHECK_INT(rules_majority_threshold(RULES_MAJORITY_OF_VOTES_CAST, 10, 3), 4, "cast: against+1");
    CHECK_INT(rules_majority_threshold(RULES_MAJORITY_OF_VOTES_CAST, 10, 0), 1, "cast: at least 1");
    /* The R1 examples. */
    CHECK_INT(rules_majority_threshold(RULES_MAJORITY_MORE_THAN_HALF, 7, 0), 4, "P=7 -> 4");
    CHECK_INT(rules_majority_threshold(RULES_MAJORITY_MORE_THAN_HALF, 8, 0), 5, "P=8 -> 5");
    CHECK_INT(rules_majority_threshold(RULES_MAJORITY_MORE_THAN_HALF, 1, 0), 1, "P=1 -> 1");
    CHECK_INT(rules_majority_threshold(RULES_MAJORITY_LITERAL_HALF_PLUS_ONE, 7, 0), 5, "lit P=7 -> 5");
    CHECK_INT(rules_majority_threshold(RULES_MAJORITY_LITERAL_HALF_PLUS_ONE, 8, 0), 5, "lit P=8 -> 5");
}

/* Every split of P votes over for/against/abstain, for every rule: the outcome must
 * follow the definition and the bookkeeping must add up. */
static void test_exhaustive(void)
{
    static const rules_majority_rule rules[] = {
        RULES_MAJORITY_MORE_THAN_HALF, RULES_MAJORITY_LITERAL_HALF_PLUS_ONE,
        RULES_MAJORITY_TWO_THIRDS, RULES_MAJORITY_OF_VOTES_CAST};
    int mismatches = 0, bookkeeping = 0, combos = 0;
    for (size_t r = 0; r < 4; r++) {
        for (int p = 0; p <= 12; p++) {
            for (int f = 0; f <= p; f++) {
                for (int a = 0; f + a <= p; a++) {
                    for (int x = 0; f + a + x <= p; x++) {
                        rules_majority_result result;
                        alvd_err err;
                        alvd_err_clear(&err);
                        if (rules_majority_decide(rules[r], p, f, a, x, &result, &err) != 0) {
                            mismatches++;
                            continue;
                        }
                        combos++;
                        int want;
                        switch (rules[r]) {
                        case RULES_MAJORITY_MORE_THAN_HALF: want = f >= p / 2 + 1; break;
                        case RULES_MAJORITY_LITERAL_HALF_PLUS_ONE:
                            /* 2f >= P + 2 is f >= P/2 + 1 over the rationals; rounding up
                             * the threshold gives the same integer condition. */
                            want = 2 * f >= p + 2;
                            break;
                        case RULES_MAJORITY_TWO_THIRDS: want = 3 * f >= 2 * p && f >= 1; break;
                        default: want = f > a; break;
                        }
                        if (p == 0)
                            want = 0;
                        if (result.adopted != want)
                            mismatches++;
                        if (result.cast != f + a + x || result.not_voted != p - f - a - x ||
                            result.literal_threshold != literal[p] || result.explanation[0] == '\0')
                            bookkeeping++;
                        if (strncmp(result.explanation, want ? "Aangenomen:" : "Verworpen:",
                                    want ? 11 : 10) != 0)
                            bookkeeping++;
                    }
                }
            }
        }
    }
    CHECK_INT(mismatches, 0, "exhaustive outcome mismatches");
    CHECK_INT(bookkeeping, 0, "exhaustive bookkeeping errors");
    CHECK(combos > 1000, "exhaustive table size %d", combos);
}

typedef struct decide_case {
    const char *label;
    rules_majority_rule rule;
    int p, f, a, x;
    int adopted, threshold, literal_differs, not_voted;
    const char *explanation; /* NULL = not checked */
} decide_case;

static const decide_case cases[] = {
    {"brief example", RULES_MAJORITY_MORE_THAN_HALF, 7, 4, 1, 1, 1, 4, 1, 1,
     "Aangenomen: 4 stemmen voor, nodig waren er 4 (meer dan de helft van 7 aanwezige leden)."},
    {"P=7 three for", RULES_MAJORITY_MORE_THAN_HALF, 7, 3, 0, 4, 0, 4, 1, 0,
     "Verworpen: 3 stemmen voor, nodig waren er 4 (meer dan de helft van 7 aanwezige leden)."},
    {"P=8 tie 4-4", RULES_MAJORITY_MORE_THAN_HALF, 8, 4, 4, 0, 0, 5, 0, 0, NULL},
    {"P=8 five for", RULES_MAJORITY_MORE_THAN_HALF, 8, 5, 0, 0, 1, 5, 0, 3, NULL},
    {"abstentions count as not-for", RULES_MAJORITY_MORE_THAN_HALF, 10, 5, 0, 5, 0, 6, 0, 0, NULL},
    {"non-voters count as not-for", RULES_MAJORITY_MORE_THAN_HALF, 10, 5, 1, 0, 0, 6, 0, 4, NULL},
    {"all abstain", RULES_MAJORITY_MORE_THAN_HALF, 6, 0, 0, 6, 0, 4, 0, 0, NULL},
    {"P=1 for", RULES_MAJORITY_MORE_THAN_HALF, 1, 1, 0, 0, 1, 1, 1, 0,
     "Aangenomen: 1 stem voor, nodig was er 1 (meer dan de helft van 1 aanwezig lid)."},
    {"P=1 abstain", RULES_MAJORITY_MORE_THAN_HALF, 1, 0, 0, 1, 0, 1, 1, 0, NULL},
    {"P=0", RULES_MAJORITY_MORE_THAN_HALF, 0, 0, 0, 0, 0, 1, 0, 0,
     "Verworpen: er waren geen leden aanwezig toen de stemming werd geopend."},
    {"literal P=7 four for", RULES_MAJORITY_LITERAL_HALF_PLUS_ONE, 7, 4, 3, 0, 0, 5, 0, 0,
     "Verworpen: 4 stemmen voor, nodig waren er 5 (de helft plus één van 7 aanwezige leden, "
     "naar boven afgerond)."},
    {"literal P=7 five for", RULES_MAJORITY_LITERAL_HALF_PLUS_ONE, 7, 5, 2, 0, 1, 5, 0, 0, NULL},
    {"literal P=8", RULES_MAJORITY_LITERAL_HALF_PLUS_ONE, 8, 5, 3, 0, 1, 5, 0, 0, NULL},
    {"literal P=1 cannot be met", RULES_MAJORITY_LITERAL_HALF_PLUS_ONE, 1, 1, 0, 0, 0, 2, 0, 0,
     NULL},
    {"two thirds P=9 six", RULES_MAJORITY_TWO_THIRDS, 9, 6, 3, 0, 1, 6, 0, 0,
     "Aangenomen: 6 stemmen voor, nodig waren er 6 (twee derde van 9 aanwezige leden)."},
    {"two thirds P=7 four", RULES_MAJORITY_TWO_THIRDS, 7, 4, 3, 0, 0, 5, 0, 0, NULL},
    {"two thirds P=6 four", RULES_MAJORITY_TWO_THIRDS, 6, 4, 0, 2, 1, 4, 0, 0, NULL},
    {"votes cast 5-3", RULES_MAJORITY_OF_VOTES_CAST, 12, 5, 3, 2, 1, 4, 0, 2,
     "Aangenomen: 5 stemmen voor en 3 tegen, nodig waren meer stemmen voor dan tegen "
     "(meerderheid van de uitgebrachte stemmen; 2 onthoudingen niet meegeteld)."},
    {"votes cast tie", RULES_MAJORITY_OF_VOTES_CAST, 12, 3, 3, 6, 0, 4, 0, 0, NULL},
    {"votes cast minority present", RULES_MAJORITY_OF_VOTES_CAST, 12, 2, 1, 0, 1, 2, 0, 9, NULL},
    {"votes cast all abstain", RULES_MAJORITY_OF_VOTES_CAST, 5, 0, 0, 5, 0, 1, 0, 0,
     "Verworpen: 0 stemmen voor en 0 tegen, nodig waren meer stemmen voor dan tegen "
     "(meerderheid van de uitgebrachte stemmen; 5 onthoudingen niet meegeteld)."},
    {"votes cast P=0", RULES_MAJORITY_OF_VOTES_CAST, 0, 0, 0, 0, 0, 1, 0, 0, NULL},
};

static void test_cases(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const decide_case *c = &cases[i];
        rules_majority_result result;
        alvd_err err;
        alvd_err_clear(&err);
        int rc = rules_majority_decide(c->rule, c->p, c->f, c->a, c->x, &result, &err);
        CHECK(rc == 0, "%s: rc %d (%s)", c->label, rc, err.message);
        CHECK_INT(result.adopted, c->adopted, c->label);
        CHECK_INT(result.threshold, c->threshold, c->label);
        CHECK_INT(result.literal_differs, c->literal_differs, c->label);
        CHECK_INT(result.not_voted, c->not_voted, c->label);
        if (c->explanation)
            CHECK_STR(result.explanation, c->explanation, c->label);
    }
}

static void test_validation(void)
{
    rules_majority_result result;
    alvd_err err;
    alvd_err_clear(&err);
    CHECK(rules_majority_decide(RULES_MAJORITY_MORE_THAN_HALF, 5, 4, 2, 0, &result, &err) == -1,
          "cast > P refused");
    CHECK_INT(err.status, 422, "cast > P status");
    CHECK_STR(err.code, "votes_exceed_present", "cast > P code");
    alvd_err_clear(&err);
    CHECK(rules_majority_decide(RULES_MAJORITY_MORE_THAN_HALF, 0, 1, 0, 0, &result, &err) == -1,
          "vote with P = 0 refused");
    alvd_err_clear(&err);
    CHECK(rules_majority_decide(RULES_MAJORITY_MORE_THAN_HALF, 5, -1, 0, 0, &result, &err) == -1,
          "negative refused");
    CHECK_STR(err.code, "bad_vote_count", "negative code");
    CHECK(rules_majority_decide(RULES_MAJORITY_MORE_THAN_HALF, -1, 0, 0, 0, &result, &err) == -1,
          "negative P refused");
    CHECK(rules_majority_decide((rules_majority_rule)9, 5, 1, 0, 0, &result, &err) == -1,
          "unknown rule refused");
    CHECK(rules_majority_decide(RULES_MAJORITY_MORE_THAN_HALF, 2147483647, 2147483647, 2147483647,
                                0, &result, &err) == -1,
          "overflowing sums refused, not wrapped");
}

static void test_names(void)
{
    static const char *names[] = {"more_than_half", "literal_half_plus_one", "two_thirds",
                                  "majority_of_votes_cast"};
    for (int i = 0; i < 4; i++) {
        rules_majority_rule rule = RULES_MAJORITY_OF_VOTES_CAST;
        CHECK(rules_majority_rule_parse(names[i], &rule, NULL) == 0, "parse %s", names[i]);
        CHECK_INT(rule, i, names[i]);
        CHECK_STR(rules_majority_rule_name(rule), names[i], "round trip");
    }
    rules_majority_rule rule;
    alvd_err err;
    CHECK(rules_majority_rule_parse("More_than_half", &rule, &err) == -1, "case-sensitive");
    CHECK_STR(err.code, "bad_majority_rule", "code");
    CHECK_INT(err.status, 422, "status");
    CHECK(rules_majority_rule_parse("", &rule, &err) == -1, "empty");
    CHECK(rules_majority_rule_parse(NULL, &rule, &err) == -1, "NULL");
    CHECK_STR(rules_majority_rule_name((rules_majority_rule)42), "", "unknown name");
}

/* The words the chair and the minutes show for each rule (no snake_case on screen). */
static void test_words(void)
{
    static const struct { const char *name, *words; } table[] = {
        {"more_than_half", "meer dan de helft van de aanwezige leden stemt voor"},
        {"literal_half_plus_one",
         "de helft van de aanwezige leden plus één, naar boven afgerond, stemt voor"},
        {"two_thirds", "ten minste twee derde van de aanwezige leden stemt voor"},
        {"majority_of_votes_cast", "meer stemmen voor dan tegen; onthoudingen tellen niet mee"},
        {"something_else", "something_else"},
        {NULL, ""},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        CHECK_STR(rules_majority_rule_words(table[i].name), table[i].words,
                  table[i].name ? table[i].name : "NULL");
}

int main(void)
{
    test_thresholds();
    test_words();
    test_exhaustive();
    test_cases();
    test_validation();
    test_names();
    return check_report("rules_majority");
}
