/* Exact civil dates (days since 1970-01-01, proleptic Gregorian) and the
 * Europe/Amsterdam wall clock, so every deadline rule computes in whole days. */
#ifndef ALVD_RULES_DATES_H
#define ALVD_RULES_DATES_H

#include <stddef.h>
#include <stdint.h>

#include "alvd/base/err.h"

/* A civil date: days since 1970-01-01 (day 0 = Thursday 1970-01-01).
 * Every function below accepts any value whose year lies in 0001..9999. */
typedef int32_t rules_day;

#define RULES_DATE_TEXT_SIZE 11     /* "YYYY-MM-DD" + NUL */
#define RULES_RFC3339_SIZE 26       /* "YYYY-MM-DDTHH:MM:SS+HH:MM" + NUL */
#define RULES_LONG_DATE_SIZE 40     /* "woensdag 30 september 2026" + NUL, with room */
#define RULES_YEAR_MIN 1
#define RULES_YEAR_MAX 9999

typedef enum rules_lang {
    RULES_LANG_NL = 0, /* Dutch: "dinsdag 16 juni 2026" (lower case, as Dutch writes it) */
    RULES_LANG_EN = 1  /* English: "Tuesday 16 June 2026" */
} rules_lang;

/* 1 when year is a Gregorian leap year. */
int rules_is_leap_year(int year);

/* Days in month (1..12) of year; 0 when month is out of range. */
int rules_days_in_month(int year, int month);

/* 1 when year/month/mday is a real date with year in RULES_YEAR_MIN..MAX. */
int rules_date_is_valid(int year, int month, int mday);

/* The day of a valid year/month/mday (check with rules_date_is_valid first;
 * an invalid date gives an unspecified but defined value). */
rules_day rules_day_from_ymd(int year, int month, int mday);

/* Split a day into year, month (1..12) and day of month (1..31). Any pointer
 * may be NULL when the caller does not need that part. */
void rules_day_to_ymd(rules_day day, int *year, int *month, int *mday);

/* Strict parse of exactly "YYYY-MM-DD" (10 characters, digits and dashes, a real
 * date, year 0001..9999). field names the input field for the error (may be NULL).
 * Returns 0 and sets *out, or -1 with err = 400 "bad_date". */
int rules_date_parse(const char *text, const char *field, rules_day *out, alvd_err *err);

/* Write "YYYY-MM-DD" into out (RULES_DATE_TEXT_SIZE bytes). Returns out so it
 * can be used inline in a printf argument list. */
char *rules_date_format(rules_day day, char out[RULES_DATE_TEXT_SIZE]);

/* ISO weekday: 1 = Monday .. 7 = Sunday. */
int rules_iso_weekday(rules_day day);

/* 1 on Saturday and Sunday. */
int rules_is_weekend(rules_day day);

/* day + days (days may be negative). */
rules_day rules_day_add_days(rules_day day, int32_t days);

/* Add calendar months (may be negative); when the target month is shorter the
 * result is clamped to its last day: 2026-01-31 + 1 month = 2026-02-28. */
rules_day rules_day_add_months(rules_day day, int32_t months);

/* to − from in days (negative when to is earlier). */
int32_t rules_days_between(rules_day from, rules_day to);

/* The last day of month (1..12) of year with the given ISO weekday (1..7). */
rules_day rules_last_weekday_of_month(int year, int month, int iso_weekday);

/* Europe/Amsterdam wall clock of a unix instant. The EU rule is used for every
 * year (CET +01:00; CEST +02:00 from the last Sunday of March 01:00 UTC up to the
 * last Sunday of October 01:00 UTC), which is the real rule since 1996. */
typedef struct rules_local_time {
    rules_day day;      /* civil date in Amsterdam */
    int hour;           /* 0..23 */
    int minute;         /* 0..59 */
    int second;         /* 0..59 */
    int offset_seconds; /* 3600 (CET) or 7200 (CEST) */
} rules_local_time;

/* UTC offset in Amsterdam at the instant: 3600 or 7200. */
int rules_amsterdam_offset(int64_t unix_seconds);

/* The Amsterdam wall clock at the instant (out must not be NULL). */
void rules_amsterdam_local(int64_t unix_seconds, rules_local_time *out);

/* The Amsterdam civil date at the instant. */
rules_day rules_amsterdam_day(int64_t unix_seconds);

/* The unix instant of Amsterdam midnight at the start of day (00:00 local). */
int64_t rules_amsterdam_midnight(rules_day day);

/* Format the instant as RFC 3339 with the Amsterdam offset, e.g.
 * "2026-06-16T19:30:00+02:00". Returns out. */
char *rules_amsterdam_rfc3339(int64_t unix_seconds, char out[RULES_RFC3339_SIZE]);

/* Weekday name for iso_weekday 1..7 ("maandag" / "Monday"); "" when out of range.
 * The string is static. */
const char *rules_weekday_name(int iso_weekday, rules_lang lang);

/* Month name for month 1..12 ("januari" / "January"); "" when out of range. Static. */
const char *rules_month_name(int month, rules_lang lang);

/* Write the long display form, "dinsdag 16 juni 2026" / "Tuesday 16 June 2026",
 * into out (size bytes; RULES_LONG_DATE_SIZE is always enough). Returns out. */
char *rules_date_format_long(rules_day day, rules_lang lang, char *out, size_t size);

#endif
