/* Dutch public holidays as R7 lists them, derived from Easter where they move.
 * Pure arithmetic: no tables per year, so any year 1583..9999 works. */
#include "alvd/rules/holidays.h"

rules_day rules_easter_sunday(int year)
{
    /* Anonymous Gregorian algorithm (Meeus/Jones/Butcher). */
    int a = year % 19;
    int b = year / 100;
    int c = year % 100;
    int d = b / 4;
    int e = b % 4;
    int f = (b + 8) / 25;
    int g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4;
    int k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31;
    int mday = (h + l - 7 * m + 114) % 31 + 1;
    return rules_day_from_ymd(year, month, mday);
}

/* Koningsdag moves to the 26th when the 27th is a Sunday (Wet Koningsdag). */
static rules_day kings_day(int year)
{
    rules_day day = rules_day_from_ymd(year, 4, 27);
    return rules_iso_weekday(day) == 7 ? day - 1 : day;
}

size_t rules_holidays_of_year(int year, rules_holiday out[RULES_HOLIDAYS_PER_YEAR])
{
    rules_day easter = rules_easter_sunday(year);
    /* Order: Goede Vrijdag/Tweede Paasdag are always in March/April before or after
     * Koningsdag, so sort the small array afterwards rather than reason about it. */
    rules_holiday list[RULES_HOLIDAYS_PER_YEAR] = {
        {rules_day_from_ymd(year, 1, 1), "Nieuwjaarsdag"},
        {easter - 2, "Goede Vrijdag"},
        {easter + 1, "Tweede Paasdag"},
        {kings_day(year), "Koningsdag"},
        {rules_day_from_ymd(year, 5, 5), "Bevrijdingsdag"},
        {easter + 39, "Hemelvaartsdag"},
        {easter + 50, "Tweede Pinksterdag"},
        {rules_day_from_ymd(year, 12, 25), "Eerste Kerstdag"},
        {rules_day_from_ymd(year, 12, 26), "Tweede Kerstdag"},
    };
    for (size_t i = 1; i < RULES_HOLIDAYS_PER_YEAR; i++) {
        rules_holiday item = list[i];
        size_t j = i;
        while (j > 0 && list[j - 1].day > item.day) {
            list[j] = list[j - 1];
            j--;
        }
        list[j] = item;
    }
    for (size_t i = 0; i < RULES_HOLIDAYS_PER_YEAR; i++)
        out[i] = list[i];
    return RULES_HOLIDAYS_PER_YEAR;
}

const char *rules_holiday_name(rules_day day)
{
    int year;
    rules_holiday list[RULES_HOLIDAYS_PER_YEAR];
    rules_day_to_ymd(day, &year, NULL, NULL);
    if (year < 1583 || year > RULES_YEAR_MAX)
        return NULL;
    rules_holidays_of_year(year, list);
    /* Hemelvaartsdag can fall on 5 May (2005, 2016): the sort is stable, so the
     * fixed holiday's name (Bevrijdingsdag) is returned; it is a holiday either way. */
    for (size_t i = 0; i < RULES_HOLIDAYS_PER_YEAR; i++)
        if (list[i].day == day)
            return list[i].name;
    return NULL;
}

int rules_is_public_holiday(rules_day day)
{
    return rules_holiday_name(day) != NULL;
}

int rules_is_working_day(rules_day day)
{
    return !rules_is_weekend(day) && !rules_is_public_holiday(day);
}

rules_day rules_send_by(rules_day deadline, int working_days)
{
    if (working_days <= 0)
        working_days = RULES_SEND_BY_WORKING_DAYS;
    rules_day day = deadline;
    while (working_days > 0) {
        day--;
        if (rules_is_working_day(day))
            working_days--;
    }
    return day;
}
