/* R1: whether a proposal is adopted, under the majority rule chosen for the meeting,
 * from P (members present when the poll opened) and the for/against/abstain counts. */
#ifndef ALVD_RULES_MAJORITY_H
#define ALVD_RULES_MAJORITY_H

#include "alvd/base/err.h"

#define RULES_MAJORITY_EXPLANATION_SIZE 256

typedef enum rules_majority_rule {
    RULES_MAJORITY_MORE_THAN_HALF = 0,     /* "more_than_half": for >= floor(P/2)+1 (default) */
    RULES_MAJORITY_LITERAL_HALF_PLUS_ONE,  /* "literal_half_plus_one": for >= ceil(P/2 + 1) */
    RULES_MAJORITY_TWO_THIRDS,             /* "two_thirds": for >= ceil(2P/3) */
    RULES_MAJORITY_OF_VOTES_CAST           /* "majority_of_votes_cast": for > against */
} rules_majority_rule;

typedef struct rules_majority_result {
    int adopted;           /* 1 when the proposal is adopted */
    int threshold;         /* votes for needed under the applied rule (at least 1);
                            * for majority_of_votes_cast: against + 1 */
    int literal_threshold; /* ceil(P/2 + 1), the literal "half plus one" reading */
    int literal_differs;   /* 1 when a P-based rule applies and its threshold differs
                            * from literal_threshold: the UI then shows both */
    int cast;              /* for + against + abstain */
    int not_voted;         /* P − cast: present members who did not vote */
    char explanation[RULES_MAJORITY_EXPLANATION_SIZE]; /* one Dutch sentence */
} rules_majority_result;

/* Parse the snake_case rule name. Returns 0, or -1 with 422 "bad_majority_rule"
 * (field "majority_rule"). */
int rules_majority_rule_parse(const char *text, rules_majority_rule *out, alvd_err *err);

/* The snake_case name of rule; "" for a value outside the enum. Static string. */
const char *rules_majority_rule_name(rules_majority_rule rule);

/* The rule named `name` in words ("meer dan de helft van de aanwezige leden stemt voor");
 * "" for NULL, the name itself for a name outside the enum. Static string. */
const char *rules_majority_rule_words(const char *name);

/* Votes for needed under rule with present members (at least 1, so P = 0 can never
 * be met). For majority_of_votes_cast it is votes_against + 1; the other rules
 * ignore votes_against. Arguments must be >= 0. */
int rules_majority_threshold(rules_majority_rule rule, int present, int votes_against);

/* Decide a poll. present = P from the poll's snapshot. All counts must be >= 0 and
 * for + against + abstain <= present, else -1 with 422 "bad_vote_count" /
 * "votes_exceed_present". P = 0 is never adopted. Fills *out (not NULL) on success. */
int rules_majority_decide(rules_majority_rule rule, int present, int votes_for,
                          int votes_against, int votes_abstain, rules_majority_result *out,
                          alvd_err *err);

#endif
