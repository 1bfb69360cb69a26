/* R1 majority rules: thresholds in integer arithmetic and the Dutch sentence that
 * the chair reads out. Abstentions and non-voters stay in P ("not for"). */
#include "alvd/rules/majority.h"

#include <stdio.h>
#include <string.h>

static const char *const rule_names[] = {
    "more_than_half",
    "literal_half_plus_one",
    "two_thirds",
    "majority_of_votes_cast",
};

#define RULE_COUNT ((int)(sizeof rule_names / sizeof rule_names[0]))

/* What each rule means, as the chair, the projector and the minutes say it. */
static const char *const rule_words[] = {
    "meer dan de helft van de aanwezige leden stemt voor",
    "de helft van de aanwezige leden plus één, naar boven afgerond, stemt voor",
    "ten minste twee derde van de aanwezige leden stemt voor",
    "meer stemmen voor dan tegen; onthoudingen tellen niet mee",
};

int rules_majority_rule_parse(const char *text, rules_majority_rule *out, alvd_err *err)
{
    for (int i = 0; text != NULL && i < RULE_COUNT; i++) {
        if (strcmp(text, rule_names[i]) == 0) {
            *out = (rules_majority_rule)i;
            return 0;
        }
    }
    return alvd_err_set(err, 422, "bad_majority_rule", "majority_rule",
                        "Onbekende meerderheidsregel; kies more_than_half, "
                        "literal_half_plus_one, two_thirds of majority_of_votes_cast.");
}

const char *rules_majority_rule_name(rules_majority_rule rule)
{
    int index = (int)rule;
    return (index >= 0 && index < RULE_COUNT) ? rule_names[index] : "";
}

const char *rules_majority_rule_words(const char *name)
{
    if (name == NULL)
        return "";
    for (int i = 0; i < RULE_COUNT; i++)
        if (strcmp(name, rule_names[i]) == 0)
            return rule_words[i];
    return name;
}

/* ceil(P/2 + 1) = ceil(P/2) + 1: P=7 -> 5, P=8 -> 5, P=1 -> 2. */
static int literal_threshold(int present)
{
    return (present + 1) / 2 + 1;
}

int rules_majority_threshold(rules_majority_rule rule, int present, int votes_against)
{
    int threshold;
    switch (rule) {
    case RULES_MAJORITY_LITERAL_HALF_PLUS_ONE:
        threshold = literal_threshold(present);
        break;
    case RULES_MAJORITY_TWO_THIRDS:
        threshold = (2 * present + 2) / 3; /* ceil(2P/3) without floating point */
        break;
    case RULES_MAJORITY_OF_VOTES_CAST:
        threshold = votes_against + 1;
        break;
    case RULES_MAJORITY_MORE_THAN_HALF:
    default:
        threshold = present / 2 + 1;
        break;
    }
    /* At least one vote for is always needed, so an empty hall adopts nothing. */
    return threshold < 1 ? 1 : threshold;
}

/* "meer dan de helft van 7 aanwezige leden" and its siblings. */
static void describe_rule(rules_majority_rule rule, int present, int abstain, char *out,
                          size_t size)
{
    const char *members = present == 1 ? "aanwezig lid" : "aanwezige leden";
    switch (rule) {
    case RULES_MAJORITY_LITERAL_HALF_PLUS_ONE:
        snprintf(out, size, "de helft plus één van %d %s, naar boven afgerond", present, members);
        break;
    case RULES_MAJORITY_TWO_THIRDS:
        snprintf(out, size, "twee derde van %d %s", present, members);
        break;
    case RULES_MAJORITY_OF_VOTES_CAST:
        snprintf(out, size, "meerderheid van de uitgebrachte stemmen; %d %s niet meegeteld",
                 abstain, abstain == 1 ? "onthouding" : "onthoudingen");
        break;
    case RULES_MAJORITY_MORE_THAN_HALF:
    default:
        snprintf(out, size, "meer dan de helft van %d %s", present, members);
        break;
    }
}

int rules_majority_decide(rules_majority_rule rule, int present, int votes_for,
                          int votes_against, int votes_abstain, rules_majority_result *out,
                          alvd_err *err)
{
    if ((int)rule < 0 || (int)rule >= RULE_COUNT)
        return alvd_err_set(err, 422, "bad_majority_rule", "majority_rule",
                            "Onbekende meerderheidsregel.");
    if (present < 0 || votes_for < 0 || votes_against < 0 || votes_abstain < 0)
        return alvd_err_set(err, 422, "bad_vote_count", "votes",
                            "Aantallen aanwezigen en stemmen kunnen niet negatief zijn.");
    /* Compare in long long: three large ints must not overflow before the check. */
    long long cast = (long long)votes_for + votes_against + votes_abstain;
    if (cast > present)
        return alvd_err_set(err, 422, "votes_exceed_present", "votes",
                            "Er zijn %lld stemmen uitgebracht, maar er waren maar %d leden "
                            "aanwezig toen de stemming werd geopend.",
                            cast, present);

    memset(out, 0, sizeof *out);
    out->cast = (int)cast;
    out->not_voted = present - (int)cast;
    out->threshold = rules_majority_threshold(rule, present, votes_against);
    out->literal_threshold = literal_threshold(present);
    out->literal_differs =
        rule != RULES_MAJORITY_OF_VOTES_CAST && out->literal_threshold != out->threshold;
    out->adopted = present > 0 && votes_for >= out->threshold;

    if (present == 0) {
        snprintf(out->explanation, sizeof out->explanation,
                 "Verworpen: er waren geen leden aanwezig toen de stemming werd geopend.");
        return 0;
    }
    char rule_text[128];
    describe_rule(rule, present, votes_abstain, rule_text, sizeof rule_text);
    const char *verdict = out->adopted ? "Aangenomen" : "Verworpen";
    if (rule == RULES_MAJORITY_OF_VOTES_CAST) {
        snprintf(out->explanation, sizeof out->explanation,
                 "%s: %d %s voor en %d tegen, nodig waren meer stemmen voor dan tegen (%s).",
                 verdict, votes_for, votes_for == 1 ? "stem" : "stemmen", votes_against,
                 rule_text);
    } else {
        snprintf(out->explanation, sizeof out->explanation,
                 "%s: %d %s voor, nodig %s er %d (%s).", verdict, votes_for,
                 votes_for == 1 ? "stem" : "stemmen", out->threshold == 1 ? "was" : "waren",
                 out->threshold, rule_text);
    }
    return 0;
}
