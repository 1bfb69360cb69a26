/* Meldpunt (Code art. 5) dates and publication rules: acknowledgement and feedback
 * due dates, retention of personal data, half-year periods and small-count suppression. */
#ifndef ALVD_RULES_MELDPUNT_H
#define ALVD_RULES_MELDPUNT_H

#include <stddef.h>

#include "alvd/base/err.h"
#include "alvd/rules/dates.h"

#define RULES_MELDPUNT_ACK_DAYS 7          /* acknowledge within 7 days */
#define RULES_MELDPUNT_FEEDBACK_MONTHS 3   /* feed back within 3 months */
#define RULES_MELDPUNT_RETENTION_MONTHS 12 /* default: delete personal data 12 months
                                            * after the case closes */
#define RULES_SUPPRESS_THRESHOLD 3         /* default: counts 1..2 are published as "<3" */
#define RULES_HALF_YEAR_TEXT_SIZE 7        /* "2026H1" + NUL */
#define RULES_COUNT_TEXT_SIZE 24           /* any long long or "<N" + NUL */

/* received + 7 days. */
rules_day rules_meldpunt_ack_due(rules_day received);

/* received + 3 months, clamped to month end (2026-11-30 -> 2027-02-28). */
rules_day rules_meldpunt_feedback_due(rules_day received);

/* 1 when a step due on `due` is not done and today is after due (due itself is on time). */
int rules_is_overdue(rules_day due, int done, rules_day today);

typedef struct rules_meldpunt_timeline {
    rules_day ack_due;      /* received + 7 */
    rules_day feedback_due; /* received + 3 months */
    int ack_overdue;        /* not acknowledged and today > ack_due */
    int ack_late;           /* acknowledged, but after ack_due */
    int feedback_overdue;   /* no feedback and today > feedback_due */
    int feedback_late;      /* feedback given, but after feedback_due */
} rules_meldpunt_timeline;

/* The timeline of a report on `today`. has_acknowledged/has_fed_back say whether the
 * step happened; the matching date is read only then. out must not be NULL. */
void rules_meldpunt_timeline_on(rules_day received, int has_acknowledged, rules_day acknowledged,
                                int has_fed_back, rules_day fed_back, rules_day today,
                                rules_meldpunt_timeline *out);

/* closed + months (clamped to month end); months <= 0 means 12. */
rules_day rules_meldpunt_deletion_due(rules_day closed, int months);

typedef struct rules_half_year {
    int year; /* 0001..9999 */
    int half; /* 1 = January..June, 2 = July..December */
} rules_half_year;

/* The half year that contains day. */
rules_half_year rules_half_year_of(rules_day day);

/* Strict parse of "YYYYH1" / "YYYYH2" (upper-case H, nothing else, year 0001..9999).
 * Returns 0, or -1 with 400 "bad_period" (field "period"). */
int rules_half_year_parse(const char *text, rules_half_year *out, alvd_err *err);

/* "2026H1" into out. Returns out. */
char *rules_half_year_format(rules_half_year period, char out[RULES_HALF_YEAR_TEXT_SIZE]);

/* First (1 Jan / 1 Jul) and last (30 Jun / 31 Dec) day of the half year. Either
 * pointer may be NULL. */
void rules_half_year_bounds(rules_half_year period, rules_day *first, rules_day *last);

/* Format a published count: 0 and counts >= threshold as the number, 1..threshold−1
 * as "<threshold" (e.g. "<3"), so no reporter can be re-identified. threshold <= 0
 * means RULES_SUPPRESS_THRESHOLD. Writes into out (size bytes; RULES_COUNT_TEXT_SIZE
 * is enough). Returns 1 when the count was suppressed, else 0. */
int rules_count_format(long long count, int threshold, char *out, size_t size);

#endif
