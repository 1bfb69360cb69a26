/* Unit tables for server/rules/holidays.c (R7): Easter, every Dutch public holiday
 * of 2025..2028 and 2031, working days and the "send by" advice. */
#include "alvd/rules/holidays.h"

#include <string.h>

#include "check.h"

static rules_day ymd(int y, int m, int d)
{
    return rules_day_from_ymd(y, m, d);
}

typedef struct expected_holiday {
    const char *date;
    const char *name;
} expected_holiday;

/* Hand-checked against the Rijksoverheid list; 2025 and 2031 have Koningsdag on
 * Saturday 26 April because the 27th is a Sunday. */
static const expected_holiday table[][RULES_HOLIDAYS_PER_YEAR] = {
    {{"2025-01-01", "Nieuwjaarsdag"}, {"2025-04-18", "Goede Vrijdag"},
     {"2025-04-21", "Tweede Paasdag"}, {"2025-04-26", "Koningsdag"},
     {"2025-05-05", "Bevrijdingsdag"}, {"2025-05-29", "Hemelvaartsdag"},
     {"2025-06-09", "Tweede Pinksterdag"}, {"2025-12-25", "Eerste Kerstdag"},
     {"2025-12-26", "Tweede Kerstdag"}},
    {{"2026-01-01", "Nieuwjaarsdag"}, {"2026-04-03", "Goede Vrijdag"},
     {"2026-04-06", "Tweede Paasdag"}, {"2026-04-27", "Koningsdag"},
     {"2026-05-05", "Bevrijdingsdag"}, {"2026-05-14", "Hemelvaartsdag"},
     {"2026-05-25", "Tweede Pinksterdag"}, {"2026-12-25", "Eerste Kerstdag"},
     {"2026-12-26", "Tweede Kerstdag"}},
    {{"2027-01-01", "Nieuwjaarsdag"}, {"2027-03-26", "Goede Vrijdag"},
     {"2027-03-29", "Tweede Paasdag"}, {"2027-04-27", "Koningsdag"},
     {"2027-05-05", "Bevrijdingsdag"}, {"2027-05-06", "Hemelvaartsdag"},
     {"2027-05-17", "Tweede Pinksterdag"}, {"2027-12-25", "Eerste Kerstdag"},
     {"2027-12-26", "Tweede Kerstdag"}},
    {{"2028-01-01", "Nieuwjaarsdag"}, {"2028-04-14", "Goede Vrijdag"},
     {"2028-04-17", "Tweede Paasdag"}, {"2028-04-27", "Koningsdag"},
     {"2028-05-05", "Bevrijdingsdag"}, {"2028-05-25", "Hemelvaartsdag"},
     {"2028-06-05", "Tweede Pinksterdag"}, {"2028-12-25", "Eerste Kerstdag"},
     {"2028-12-26", "Tweede Kerstdag"}},
    {{"2031-01-01", "Nieuwjaarsdag"}, {"2031-04-11", "Goede Vrijdag"},
     {"2031-04-14", "Tweede Paasdag"}, {"2031-04-26", "Koningsdag"},
     {"2031-05-05", "Bevrijdingsdag"}, {"2031-05-22", "Hemelvaartsdag"},
     {"2031-06-02", "Tweede Pinksterdag"}, {"2031-12-25", "Eerste Kerstdag"},
     {"2031-12-26", "Tweede Kerstdag"}},
};
static const int table_years[] = {2025, 2026, 2027, 2028, 2031};

static void test_easter(void)
{
    static const struct {
        int year;
        const char *date;
    } cases[] = {
        {2026, "2026-04-05"}, {2027, "2027-03-28"}, {2028, "2028-04-16"},
        {2025, "2025-04-20"}, {2031, "2031-04-13"}, {2019, "2019-04-21"},
        {2000, "2000-04-23"}, {1818, "1818-03-22"}, /* earliest possible */
        {1943, "1943-04-25"},                       /* latest possible */
        {2038, "2038-04-25"},
    };
    char b[RULES_DATE_TEXT_SIZE];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK_STR(rules_date_format(rules_easter_sunday(cases[i].year), b), cases[i].date,
                  "Easter");
    for (int year = 1900; year <= 2100; year++)
        CHECK_INT(rules_iso_weekday(rules_easter_sunday(year)), 7, "Easter is a Sunday");
}

static void test_table(void)
{
    char b[RULES_DATE_TEXT_SIZE];
    for (size_t y = 0; y < sizeof table_years / sizeof table_years[0]; y++) {
        rules_holiday list[RULES_HOLIDAYS_PER_YEAR];
        CHECK_INT(rules_holidays_of_year(table_years[y], list), RULES_HOLIDAYS_PER_YEAR, "count");
        int count_in_year = 0;
        for (size_t i = 0; i < RULES_HOLIDAYS_PER_YEAR; i++) {
            rules_day day;
            CHECK(rules_date_parse(table[y][i].date, NULL, &day, NULL) == 0, "table date");
            CHECK_STR(rules_date_format(list[i].day, b), table[y][i].date, table[y][i].name);
            CHECK_STR(list[i].name, table[y][i].name, table[y][i].date);
            const char *name = rules_holiday_name(day);
            CHECK(name != NULL && strcmp(name, table[y][i].name) == 0, "%s is %s",
                  table[y][i].date, table[y][i].name);
            CHECK(rules_is_public_holiday(day), "holiday %s", table[y][i].date);
            CHECK(!rules_is_working_day(day), "not a working day %s", table[y][i].date);
        }
        /* Exactly nine holiday days in the year: no false positives. */
        for (rules_day day = ymd(table_years[y], 1, 1); day <= ymd(table_years[y], 12, 31); day++)
            count_in_year += rules_is_public_holiday(day);
        CHECK_INT(count_in_year, RULES_HOLIDAYS_PER_YEAR, "holidays per year");
    }
}

static void test_specials(void)
{
    /* Koningsdag: 27 April is a Sunday in 2025 and 2031 -> Saturday the 26th. */
    CHECK(rules_holiday_name(ymd(2025, 4, 27)) == NULL, "2025-04-27 (Sunday) not Koningsdag");
    CHECK_STR(rules_holiday_name(ymd(2025, 4, 26)), "Koningsdag", "2025-04-26");
    CHECK(rules_holiday_name(ymd(2026, 4, 26)) == NULL, "2026-04-26 not a holiday");
    CHECK(rules_holiday_name(ymd(2026, 5, 4)) == NULL, "Dodenherdenking is not a holiday");
    CHECK(rules_holiday_name(ymd(2026, 4, 5)) == NULL, "Easter Sunday not listed (a Sunday anyway)");
    CHECK(rules_holiday_name(ymd(2026, 5, 24)) == NULL, "Whit Sunday not listed");
    CHECK(rules_holiday_name(ymd(2026, 12, 31)) == NULL, "Oudejaarsdag not a holiday");
    /* Ascension on 5 May (2016): one day, still a holiday. */
    CHECK(rules_is_public_holiday(ymd(2016, 5, 5)), "2016-05-05");
    CHECK_STR(rules_holiday_name(ymd(2016, 5, 5)), "Bevrijdingsdag", "2016-05-05 name");
}

static void test_working_days(void)
{
    char b[RULES_DATE_TEXT_SIZE];
    CHECK(rules_is_working_day(ymd(2026, 6, 16)), "Tuesday working day");
    CHECK(!rules_is_working_day(ymd(2026, 6, 20)), "Saturday");
    CHECK(!rules_is_working_day(ymd(2026, 6, 21)), "Sunday");
    CHECK(!rules_is_working_day(ymd(2026, 5, 5)), "Bevrijdingsdag");

    static const struct {
        const char *deadline;
        int days;
        const char *want;
    } cases[] = {
        {"2026-05-05", 3, "2026-04-30"}, /* Mon 4th, Fri 1st, Thu 30th */
        {"2026-05-05", 0, "2026-04-30"}, /* 0 = default 3 */
        {"2026-06-16", 3, "2026-06-11"}, /* Tue -> Mon, Fri, Thu */
        {"2026-06-16", 1, "2026-06-15"},
        {"2026-04-07", 3, "2026-03-31"}, /* skips Easter Monday, weekend, Good Friday */
        {"2026-05-09", 3, "2026-05-06"}, /* Saturday deadline */
        {"2026-12-28", 3, "2026-12-22"}, /* skips Christmas */
        {"2027-01-04", 2, "2026-12-30"}, /* skips New Year and weekend */
        {"2026-05-26", 3, "2026-05-20"}, /* skips Whit Monday and weekend */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rules_day deadline;
        rules_date_parse(cases[i].deadline, NULL, &deadline, NULL);
        CHECK_STR(rules_date_format(rules_send_by(deadline, cases[i].days), b), cases[i].want,
                  cases[i].deadline);
    }
}

int main(void)
{
    test_easter();
    test_table();
    test_specials();
    test_working_days();
    return check_report("rules_holidays");
}
