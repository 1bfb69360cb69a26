/* Dutch public holidays (R7), working days and the "send by" advice that is shown
 * next to a deadline. Holidays never move a deadline; they only produce warnings. */
#ifndef ALVD_RULES_HOLIDAYS_H
#define ALVD_RULES_HOLIDAYS_H

#include <stddef.h>

#include "alvd/rules/dates.h"

#define RULES_HOLIDAYS_PER_YEAR 9   /* the nine holidays R7 lists */
#define RULES_SEND_BY_WORKING_DAYS 3 /* default advice: post 3 working days ahead */

typedef struct rules_holiday {
    rules_day day;
    const char *name; /* static Dutch name, e.g. "Koningsdag" */
} rules_holiday;

/* Easter Sunday of year (anonymous Gregorian algorithm), year 1583..9999. */
rules_day rules_easter_sunday(int year);

/* The Dutch name of the public holiday on day ("Tweede Paasdag"), or NULL when day
 * is not one (days before 1583, where Easter is undefined here, have none). Static. */
const char *rules_holiday_name(rules_day day);

/* 1 when day is a Dutch public holiday (R7 list). */
int rules_is_public_holiday(rules_day day);

/* Fill out[0..RULES_HOLIDAYS_PER_YEAR) with the holidays of year in date order.
 * Returns the number written (always RULES_HOLIDAYS_PER_YEAR). */
size_t rules_holidays_of_year(int year, rules_holiday out[RULES_HOLIDAYS_PER_YEAR]);

/* 1 on Monday..Friday when the day is not a public holiday. */
int rules_is_working_day(rules_day day);

/* The date working_days working days before deadline: step back one day at a time,
 * counting only working days. 3 working days before Tue 2026-05-05 (Bevrijdingsdag)
 * is Thu 2026-04-30. working_days <= 0 means RULES_SEND_BY_WORKING_DAYS. */
rules_day rules_send_by(rules_day deadline, int working_days);

#endif
