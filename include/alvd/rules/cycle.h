/* The decisions of the yearly amendment cycle (Code art. 7): cycle states and their
 * transitions, article ids and change checks, consultation windows and reminders. */
#ifndef ALVD_RULES_CYCLE_H
#define ALVD_RULES_CYCLE_H

#include <stddef.h>
#include <stdint.h>

#include "alvd/base/err.h"

/* ---- cycle states ---- */

typedef enum rules_cycle_state {
    RULES_CYCLE_REVIEW = 1,       /* the board reviews the Code (meldpunt reports, signals) */
    RULES_CYCLE_DRAFTING = 2,     /* proposals are drafted or revised */
    RULES_CYCLE_CONSULTATION = 3, /* a consultation round has been opened */
    RULES_CYCLE_ALV = 4,          /* the proposals are on their way to / at the ALV */
    RULES_CYCLE_CLOSED = 5        /* the cycle is done */
} rules_cycle_state;

/* "review", "drafting", "consultation", "alv", "closed"; "" when unknown (static). */
const char *rules_cycle_state_name(rules_cycle_state state);
/* Dutch display name ("beoordeling", …); "" when unknown (static). */
const char *rules_cycle_state_label(rules_cycle_state state);
/* Parse a state name; 0 when unknown. */
rules_cycle_state rules_cycle_state_parse(const char *name);

/* 1 when the cycle may move from `from` to `to`. Allowed: review → drafting,
 * drafting → consultation, consultation → drafting (revise after a round),
 * drafting → alv and consultation → alv (only after at least one round was held:
 * art. 7 asks to consult before the ALV), alv → closed. */
int rules_cycle_transition_allowed(rules_cycle_state from, rules_cycle_state to, int rounds_held);
/* As above; on refusal -1 with 422 "bad_transition" (field "state") and a Dutch
 * sentence naming the states that are allowed from `from`. */
int rules_cycle_check_transition(rules_cycle_state from, rules_cycle_state to, int rounds_held,
                                 alvd_err *err);

typedef enum rules_cycle_action {
    RULES_CYCLE_EDIT_PROPOSALS = 1, /* create or revise a proposal: review, drafting, consultation */
    RULES_CYCLE_OPEN_ROUND = 2,     /* open a consultation round: review, drafting, consultation */
    RULES_CYCLE_MARK_READY = 3      /* mark a proposal ready for the ALV: drafting, consultation, alv */
} rules_cycle_action;

/* 0 when the action is allowed in state; -1 with 422 "cycle_state" otherwise. */
int rules_cycle_check_action(rules_cycle_state state, rules_cycle_action action, alvd_err *err);

/* The state an action moves the cycle to (the board's work shows in the state without
 * a separate step): editing proposals in review → drafting; opening a round in review
 * or drafting → consultation. Otherwise the state is unchanged. */
rules_cycle_state rules_cycle_state_after(rules_cycle_state state, rules_cycle_action action);

/* ---- articles and changes ---- */

#define RULES_ARTICLE_ID_MAX 15

/* 1 for an article id of the Code: 1-3 digits not starting with 0, then at most one
 * lower-case letter ("1", "6", "6a", "12b"). */
int rules_article_id_valid(const char *id);
/* Order of articles: by number, then by letter ("6" < "6a" < "6e" < "7" < "10"). */
int rules_article_id_compare(const char *left, const char *right);

typedef enum rules_change_action {
    RULES_CHANGE_REPLACE = 1,
    RULES_CHANGE_INSERT = 2,
    RULES_CHANGE_DELETE = 3
} rules_change_action;

rules_change_action rules_change_action_parse(const char *name);
const char *rules_change_action_name(rules_change_action action);

/* Check one change against the base version: replace and delete need an article that
 * exists in it, insert needs a new, valid id; replace and insert need text, delete
 * takes none. -1 with 422 (field "changes") and a Dutch sentence otherwise. */
int rules_change_check(const char *article_id, rules_change_action action, int exists_in_base,
                       int has_text, alvd_err *err);

/* ---- consultation rounds ---- */

#define RULES_ROUND_MIN_SECONDS 3600                 /* a round lasts at least an hour */
#define RULES_ROUND_MAX_SECONDS (366LL * 24 * 3600)  /* and at most a year */
#define RULES_REMINDER_LEAD_SECONDS (48LL * 3600)    /* remind two days before closing */

/* Strict RFC 3339 instant "YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)" → unix seconds
 * (fraction dropped). -1 with 400 "bad_instant" (field) otherwise. */
int rules_instant_parse(const char *text, const char *field, int64_t *unix_seconds, alvd_err *err);
/* "YYYY-MM-DD HH:MM:SS" in UTC, for a DATETIME column (out: 20 bytes). */
char *rules_instant_sql(int64_t unix_seconds, char out[20]);
/* "dinsdag 16 juni 2026 17:00" in Amsterdam time (out: 64 bytes). */
char *rules_instant_dutch(int64_t unix_seconds, char out[64]);

/* closes must be after opens by RULES_ROUND_MIN..MAX seconds: -1 with 422 otherwise
 * (field "closes_at"). */
int rules_round_check_instants(int64_t opens, int64_t closes, alvd_err *err);

typedef enum rules_round_phase {
    RULES_ROUND_UPCOMING = 1, /* now < opens */
    RULES_ROUND_OPEN = 2,     /* opens <= now < closes */
    RULES_ROUND_CLOSED = 3    /* closes <= now */
} rules_round_phase;

rules_round_phase rules_round_phase_at(int64_t opens, int64_t closes, int64_t now);
const char *rules_round_phase_name(rules_round_phase phase);
/* 0 when comments are accepted at now; otherwise -1 with 422 "outside_window" and a
 * sentence that says the window in Amsterdam time. */
int rules_round_check_comment_window(int64_t opens, int64_t closes, int64_t now, alvd_err *err);
/* 0 when the board may reply at now (the round has closed); else 422 "round_open". */
int rules_round_check_reply_window(int64_t opens, int64_t closes, int64_t now, alvd_err *err);

/* 1 when the "round closes soon" reminder is due at now: not sent yet, the round is
 * open, fewer than RULES_REMINDER_LEAD_SECONDS remain, and the round lasts longer
 * than that lead (in a shorter round the invitation itself says when it closes). */
int rules_round_reminder_due(int64_t opens, int64_t closes, int64_t now, int already_sent);

#endif
