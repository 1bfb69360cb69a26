/* The dates of the amendment cycle: earliest effective date (R3), the withdrawal
 * deadline with its warnings (R4, R7), the effect of a withdrawal letter (R5) and
 * the notice period of a meeting. */
#ifndef ALVD_RULES_DEADLINES_H
#define ALVD_RULES_DEADLINES_H

#include <stddef.h>
#include <stdint.h>

#include "alvd/base/err.h"
#include "alvd/rules/dates.h"

#define RULES_EFFECTIVE_MIN_DAYS 42      /* R3: E >= D + 6 weeks */
#define RULES_WITHDRAWAL_DAYS_BEFORE 28  /* R4: W = E - 4 weeks */
#define RULES_NOTICE_DAYS_DEFAULT 14     /* convocation at least 14 days ahead */
#define RULES_DEADLINE_TEXT_SIZE 512     /* notes, warnings and effect sentences */

/* ---- R3: effective date ---- */

/* D + 42 days. */
rules_day rules_earliest_effective_date(rules_day decision);

typedef struct rules_effective_check {
    rules_day earliest;                  /* D + 42 */
    int is_earliest;                     /* 1 when E == D + 42 */
    char note[RULES_DEADLINE_TEXT_SIZE]; /* Dutch note when is_earliest, else "" */
} rules_effective_check;

/* Check E against D. E < D + 42 gives -1 with 422 "effective_date_too_early"
 * (field "effective_date"), naming the earliest date. Otherwise 0 and *out filled. */
int rules_check_effective_date(rules_day decision, rules_day effective,
                               rules_effective_check *out, alvd_err *err);

/* D, the date of an ALV decision: the Europe/Amsterdam civil date of the instant the
 * adopting poll closed (never a stored meeting date; a poll closed at 00:30 decides on
 * the new day). */
rules_day rules_decision_day(int64_t poll_closed_at);

/* No retroactivity (Code art. 7) and R3/R4 for a Code version recorded on `today`:
 * - E before today → 422 "retroactive", except the first version of an empty register
 *   (register_empty = 1), which needs nothing more;
 * - every later version implements an ALV decision: has_decision = 0 → 422 "required"
 *   (field "decided_on"); D after today → 422 "decided_in_future";
 * - R3: E < D + 42 → 422 "effective_date_too_early";
 * - R4: W = E − 28 before today → 422 "withdrawal_window_closed" (signatories would
 *   have had no time to withdraw).
 * Errors name field "effective_from" unless stated. Returns 0 or -1. */
int rules_check_new_version(rules_day today, int register_empty, int has_decision, rules_day decided_on,
                            rules_day effective, alvd_err *err);

/* ---- R4 + R7: withdrawal deadline ---- */

typedef struct rules_withdrawal_deadline {
    rules_day effective;                    /* E */
    rules_day deadline;                     /* W = E − 28, never moved */
    rules_day send_by;                      /* advice: N working days before W */
    int on_weekend;                         /* W is a Saturday or Sunday */
    const char *holiday_name;               /* W's public holiday (static), or NULL */
    char warning[RULES_DEADLINE_TEXT_SIZE]; /* Dutch warning, "" when W is a working day */
    char advice[RULES_DEADLINE_TEXT_SIZE];  /* Dutch "send by" sentence, always set */
} rules_withdrawal_deadline;

/* W = E − 28. */
rules_day rules_withdrawal_deadline_day(rules_day effective);

/* Fill *out for effective date E; send_by_working_days <= 0 means the default (3). */
void rules_withdrawal_deadline_for(rules_day effective, int send_by_working_days,
                                   rules_withdrawal_deadline *out);

/* 1 when a letter received on `received` is timely for effective date E (received <= W). */
int rules_withdrawal_is_timely(rules_day received, rules_day effective);

/* ---- R5: effect of a withdrawal letter ---- */

typedef struct rules_scheduled_version {
    int64_t id;         /* Code version id (> 0) */
    const char *label;  /* display label, e.g. "2026-1"; borrowed, may be NULL */
    rules_day effective; /* E of the version */
} rules_scheduled_version;

typedef enum rules_withdrawal_outcome {
    RULES_WITHDRAWAL_TIMELY = 1,   /* signature basis ends on E − 1 of the concerned version */
    RULES_WITHDRAWAL_LATE_NEXT,    /* late; takes effect for a later scheduled version */
    RULES_WITHDRAWAL_LATE_PENDING, /* late; no later scheduled version whose W it meets */
    RULES_WITHDRAWAL_NO_VERSION    /* no version scheduled after receipt: pending */
} rules_withdrawal_outcome;

typedef struct rules_withdrawal_assessment {
    rules_withdrawal_outcome outcome;
    int64_t concerned_version_id;   /* first version with E > received; 0 = none */
    rules_day concerned_effective;  /* its E (valid when concerned_version_id != 0) */
    rules_day concerned_deadline;   /* its W */
    int timely;                     /* received <= W of the concerned version */
    int64_t effect_version_id;      /* version the withdrawal takes effect for; 0 = the
                                     * next amendment whose deadline it meets (pending) */
    rules_day effect_effective;     /* E of effect_version_id (when != 0) */
    int signature_end_known;        /* 1 when signature_ends is set */
    rules_day signature_ends;       /* last day of the signature basis (E − 1) */
    int pending;                    /* 1 when it waits for an amendment not yet scheduled */
    char effect[RULES_DEADLINE_TEXT_SIZE]; /* one or two plain Dutch sentences */
} rules_withdrawal_assessment;

/* Assess a withdrawal letter received on `received` against the scheduled versions
 * (any order; versions may be NULL when count is 0; versions already in force are
 * ignored). Ties on E are broken by the lower id. Returns 0 with *out filled, or -1
 * with 422 "bad_version" when an entry has id <= 0. */
int rules_assess_withdrawal(rules_day received, const rules_scheduled_version *versions,
                            size_t count, rules_withdrawal_assessment *out, alvd_err *err);

/* ---- meeting notice ---- */

typedef struct rules_notice_check {
    rules_day latest_send;   /* meeting − notice_days */
    int32_t days_given;      /* meeting − sent */
    int sufficient;          /* sent <= latest_send */
    char warning[RULES_DEADLINE_TEXT_SIZE]; /* Dutch warning when not sufficient, else "" */
} rules_notice_check;

/* Check a convocation sent (already_sent = 1) or to be sent today (already_sent = 0)
 * on `sent` for a meeting on `meeting` against the association's own notice term
 * (notice_days <= 0 means RULES_NOTICE_DAYS_DEFAULT; the law sets none for a general
 * meeting, BW 2:41). A short notice is a warning, not an error, worded for what
 * happened: "is verstuurd" only once it has been. */
void rules_check_meeting_notice(rules_day sent, rules_day meeting, int notice_days, int already_sent,
                                rules_notice_check *out);

#endif
