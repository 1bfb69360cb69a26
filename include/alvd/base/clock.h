/* The server's clock: the system clock, or in tests a clock that starts at
 * ALVD_TEST_NOW and runs on from there, so date rules can be pinned to an instant. */
#ifndef ALVD_BASE_CLOCK_H
#define ALVD_BASE_CLOCK_H

#include <stdint.h>

#include "alvd/base/app.h"
#include "alvd/rules/dates.h"

#define CLOCK_SQL_SIZE 48 /* "YYYY-MM-DD HH:MM:SS.ffffff" + NUL (UTC, for DATETIME(6)), with room */

/* Seconds since the epoch (UTC) now; *micros (may be NULL) gets the microseconds. */
int64_t clock_now(const alvd_config *config, long *micros);

/* The Europe/Amsterdam civil date now. */
rules_day clock_today(const alvd_config *config);

/* Now as a DATETIME(6) literal in UTC, for columns that must agree with clock_today
 * (a poll's closed_at and its decision date). Returns out. */
char *clock_sql_now(const alvd_config *config, char out[CLOCK_SQL_SIZE]);

/* The instant as a DATETIME(6) literal in UTC. Returns out. */
char *clock_sql_instant(int64_t seconds, long micros, char out[CLOCK_SQL_SIZE]);

#endif
