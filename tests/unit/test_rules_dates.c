/* Unit tables for server/rules/dates.c: day arithmetic, strict parsing, month
 * clamping, the Amsterdam clock around both DST switches and the display names. */
#include "alvd/rules/dates.h"

#include <stdint.h>
#include <string.h>

#include "check.h"

static rules_day ymd(int y, int m, int d)
{
    return rules_day_from_ymd(y, m, d);
}

static const char *fmt(rules_day day, char buffer[RULES_DATE_TEXT_SIZE])
{
    return rules_date_format(day, buffer);
}

static void test_conversions(void)
{
    char b[RULES_DATE_TEXT_SIZE];
    CHECK_INT(ymd(1970, 1, 1), 0, "epoch");
    CHECK_INT(ymd(1969, 12, 31), -1, "day before epoch");
    CHECK_INT(ymd(2026, 6, 16), 20620, "2026-06-16");
    CHECK_INT(ymd(2000, 3, 1), 11017, "2000-03-01");
    CHECK_INT(ymd(1, 1, 1), -719162, "0001-01-01");
    CHECK_INT(ymd(9999, 12, 31), 2932896, "9999-12-31");
    CHECK_STR(fmt(ymd(2028, 2, 29), b), "2028-02-29", "leap day formats");
    CHECK_STR(fmt(ymd(1, 1, 1), b), "0001-01-01", "year 1 formats");
    CHECK_STR(fmt(-1, b), "1969-12-31", "negative day formats");

    /* Round trip every day across four centuries, including 1900 and 2000. */
    int failures = 0;
    for (rules_day day = ymd(1899, 1, 1); day <= ymd(2101, 1, 1); day++) {
        int y, m, d;
        rules_day_to_ymd(day, &y, &m, &d);
        if (!rules_date_is_valid(y, m, d) || ymd(y, m, d) != day)
            failures++;
        if (day > ymd(1899, 1, 1) && rules_iso_weekday(day) != rules_iso_weekday(day - 1) % 7 + 1)
            failures++;
    }
    CHECK_INT(failures, 0, "round trip 1899..2101");

    int y = 0, m = 0, d = 0;
    rules_day_to_ymd(ymd(2026, 12, 31), &y, &m, &d);
    CHECK(y == 2026 && m == 12 && d == 31, "to_ymd 2026-12-31: %d-%d-%d", y, m, d);
    rules_day_to_ymd(ymd(2026, 1, 1), NULL, &m, NULL); /* NULL parts allowed */
    CHECK_INT(m, 1, "to_ymd with NULL parts");

    CHECK(rules_is_leap_year(2000), "2000 leap");
    CHECK(!rules_is_leap_year(1900), "1900 not leap");
    CHECK(rules_is_leap_year(2028), "2028 leap");
    CHECK(!rules_is_leap_year(2026), "2026 not leap");
    CHECK_INT(rules_days_in_month(2026, 2), 28, "Feb 2026");
    CHECK_INT(rules_days_in_month(2028, 2), 29, "Feb 2028");
    CHECK_INT(rules_days_in_month(2026, 4), 30, "Apr");
    CHECK_INT(rules_days_in_month(2026, 13), 0, "month 13");
    CHECK(!rules_date_is_valid(0, 1, 1), "year 0 invalid");
    CHECK(!rules_date_is_valid(10000, 1, 1), "year 10000 invalid");
}

static void test_parse(void)
{
    static const struct {
        const char *text;
        int ok;
        int y, m, d;
    } cases[] = {
        {"2026-06-16", 1, 2026, 6, 16},
        {"2028-02-29", 1, 2028, 2, 29},
        {"2000-02-29", 1, 2000, 2, 29},
        {"0001-01-01", 1, 1, 1, 1},
        {"9999-12-31", 1, 9999, 12, 31},
        {"2026-02-30", 0, 0, 0, 0},
        {"2026-02-29", 0, 0, 0, 0},
        {"1900-02-29", 0, 0, 0, 0},
        {"2026-13-01", 0, 0, 0, 0},
        {"2026-00-10", 0, 0, 0, 0},
        {"2026-04-31", 0, 0, 0, 0},
        {"2026-04-00", 0, 0, 0, 0},
        {"0000-01-01", 0, 0, 0, 0},
        {"2026-06-16x", 0, 0, 0, 0},
        {"2026-06-16 ", 0, 0, 0, 0},
        {" 2026-06-16", 0, 0, 0, 0},
        {"2026-6-16", 0, 0, 0, 0},
        {"26-06-16", 0, 0, 0, 0},
        {"2026/06/16", 0, 0, 0, 0},
        {"2026-06-1a", 0, 0, 0, 0},
        {"+026-06-16", 0, 0, 0, 0},
        {"16-06-2026", 0, 0, 0, 0},
        {"", 0, 0, 0, 0},
        {"2026-06-16T10:00:00", 0, 0, 0, 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rules_day day = -12345;
        alvd_err err;
        alvd_err_clear(&err);
        int rc = rules_date_parse(cases[i].text, "decision_date", &day, &err);
        if (cases[i].ok) {
            CHECK(rc == 0 && day == ymd(cases[i].y, cases[i].m, cases[i].d), "parse %s",
                  cases[i].text);
            CHECK(!alvd_err_is_set(&err), "no error for %s", cases[i].text);
        } else {
            CHECK(rc == -1, "reject %s", cases[i].text);
            CHECK_INT(err.status, 400, cases[i].text);
            CHECK_STR(err.code, "bad_date", cases[i].text);
            CHECK_STR(err.field, "decision_date", cases[i].text);
            CHECK_INT(day, -12345, "out untouched on error");
        }
    }
    rules_day day;
    alvd_err err;
    CHECK(rules_date_parse(NULL, NULL, &day, &err) == -1, "NULL text rejected");
    CHECK(rules_date_parse("2026-02-30", NULL, &day, NULL) == -1, "NULL err allowed");
    rules_date_parse("2026-02-30", "d", &day, &err);
    CHECK(strstr(err.message, "2026-02-30") != NULL, "message names the date: %s", err.message);
}

static void test_weekdays_and_arithmetic(void)
{
    char b[RULES_DATE_TEXT_SIZE];
    CHECK_INT(rules_iso_weekday(0), 4, "1970-01-01 Thursday");
    CHECK_INT(rules_iso_weekday(ymd(2026, 6, 16)), 2, "2026-06-16 Tuesday");
    CHECK_INT(rules_iso_weekday(ymd(2026, 7, 28)), 2, "2026-07-28 Tuesday");
    CHECK_INT(rules_iso_weekday(ymd(2026, 5, 5)), 2, "2026-05-05 Tuesday");
    CHECK_INT(rules_iso_weekday(ymd(2026, 5, 9)), 6, "2026-05-09 Saturday");
    CHECK_INT(rules_iso_weekday(ymd(2026, 5, 10)), 7, "2026-05-10 Sunday");
    CHECK_INT(rules_iso_weekday(ymd(1969, 12, 28)), 7, "1969-12-28 Sunday");
    CHECK(rules_is_weekend(ymd(2026, 5, 9)) && !rules_is_weekend(ymd(2026, 5, 8)), "weekend");

    CHECK_STR(fmt(rules_day_add_days(ymd(2026, 6, 16), 42), b), "2026-07-28", "D+42");
    CHECK_STR(fmt(rules_day_add_days(ymd(2026, 6, 2), -28), b), "2026-05-05", "E-28");
    CHECK_STR(fmt(rules_day_add_days(ymd(2026, 12, 31), 1), b), "2027-01-01", "year wrap");
    CHECK_INT(rules_days_between(ymd(2026, 6, 16), ymd(2026, 7, 28)), 42, "between");
    CHECK_INT(rules_days_between(ymd(2026, 7, 28), ymd(2026, 6, 16)), -42, "between negative");
    CHECK_INT(rules_days_between(ymd(2028, 1, 1), ymd(2029, 1, 1)), 366, "leap year length");

    static const struct {
        int y, m, d, add;
        const char *want;
    } months[] = {
        {2026, 1, 31, 1, "2026-02-28"}, {2028, 1, 31, 1, "2028-02-29"},
        {2026, 11, 30, 3, "2027-02-28"}, {2026, 3, 31, 1, "2026-04-30"},
        {2026, 6, 16, 3, "2026-09-16"}, {2026, 10, 15, 3, "2027-01-15"},
        {2026, 5, 31, -3, "2026-02-28"}, {2026, 1, 15, -1, "2025-12-15"},
        {2026, 3, 31, 12, "2027-03-31"}, {2028, 2, 29, 12, "2029-02-28"},
        {2026, 6, 16, 0, "2026-06-16"}, {2026, 1, 1, -25, "2023-12-01"},
    };
    for (size_t i = 0; i < sizeof months / sizeof months[0]; i++)
        CHECK_STR(fmt(rules_day_add_months(ymd(months[i].y, months[i].m, months[i].d),
                                           months[i].add),
                      b),
                  months[i].want, "add months");

    CHECK_STR(fmt(rules_last_weekday_of_month(2026, 3, 7), b), "2026-03-29", "last Sun Mar 2026");
    CHECK_STR(fmt(rules_last_weekday_of_month(2026, 10, 7), b), "2026-10-25", "last Sun Oct 2026");
    CHECK_STR(fmt(rules_last_weekday_of_month(2027, 3, 7), b), "2027-03-28", "last Sun Mar 2027");
    CHECK_STR(fmt(rules_last_weekday_of_month(2026, 5, 7), b), "2026-05-31", "last Sun May 2026");
}

static void test_amsterdam(void)
{
    char b[RULES_RFC3339_SIZE];
    /* 2026-03-29 01:00:00 UTC = 1774746000: the switch to CEST. */
    int64_t spring = (int64_t)ymd(2026, 3, 29) * 86400 + 3600;
    int64_t autumn = (int64_t)ymd(2026, 10, 25) * 86400 + 3600;
    CHECK_INT(spring, 1774746000, "spring switch instant");
    CHECK_INT(rules_amsterdam_offset(spring - 1), 3600, "just before spring switch");
    CHECK_INT(rules_amsterdam_offset(spring), 7200, "at spring switch");
    CHECK_INT(rules_amsterdam_offset(autumn - 1), 7200, "just before autumn switch");
    CHECK_INT(rules_amsterdam_offset(autumn), 3600, "at autumn switch");
    CHECK_STR(rules_amsterdam_rfc3339(spring - 1, b), "2026-03-29T01:59:59+01:00", "before spring");
    CHECK_STR(rules_amsterdam_rfc3339(spring, b), "2026-03-29T03:00:00+02:00", "after spring");
    CHECK_STR(rules_amsterdam_rfc3339(autumn - 1, b), "2026-10-25T02:59:59+02:00", "before autumn");
    CHECK_STR(rules_amsterdam_rfc3339(autumn, b), "2026-10-25T02:00:00+01:00", "after autumn");

    /* The example from the brief: 2026-06-16 17:30 UTC is 19:30 in Amsterdam. */
    int64_t meeting = (int64_t)ymd(2026, 6, 16) * 86400 + 17 * 3600 + 30 * 60;
    CHECK_STR(rules_amsterdam_rfc3339(meeting, b), "2026-06-16T19:30:00+02:00", "ALV evening");
    CHECK_STR(rules_amsterdam_rfc3339(0, b), "1970-01-01T01:00:00+01:00", "epoch");

    /* Civil date changes at local midnight, not UTC midnight. */
    int64_t late_utc = (int64_t)ymd(2026, 6, 15) * 86400 + 22 * 3600 + 30 * 60;
    CHECK_INT(rules_amsterdam_day(late_utc), ymd(2026, 6, 16), "22:30 UTC is next day in summer");
    int64_t winter = (int64_t)ymd(2026, 12, 31) * 86400 + 23 * 3600 + 15 * 60;
    CHECK_INT(rules_amsterdam_day(winter), ymd(2027, 1, 1), "new year in Amsterdam first");
    CHECK_STR(rules_amsterdam_rfc3339(winter, b), "2027-01-01T00:15:00+01:00", "new year text");
    CHECK_INT(rules_amsterdam_day((int64_t)ymd(2026, 6, 16) * 86400 - 7201), ymd(2026, 6, 15),
              "21:59:59 UTC the day before is still the 15th");

    rules_local_time local;
    rules_amsterdam_local(meeting, &local);
    CHECK(local.day == ymd(2026, 6, 16) && local.hour == 19 && local.minute == 30 &&
              local.second == 0 && local.offset_seconds == 7200,
          "local time fields");

    CHECK_INT(rules_amsterdam_midnight(ymd(2026, 6, 16)), (int64_t)ymd(2026, 6, 16) * 86400 - 7200,
              "summer midnight");
    CHECK_INT(rules_amsterdam_midnight(ymd(2026, 1, 10)), (int64_t)ymd(2026, 1, 10) * 86400 - 3600,
              "winter midnight");
    CHECK_INT(rules_amsterdam_midnight(ymd(2026, 3, 29)), (int64_t)ymd(2026, 3, 29) * 86400 - 3600,
              "midnight of spring switch day is still CET");
    CHECK_INT(rules_amsterdam_midnight(ymd(2026, 10, 25)),
              (int64_t)ymd(2026, 10, 25) * 86400 - 7200, "midnight of autumn switch day is CEST");
    CHECK_INT(rules_amsterdam_day(rules_amsterdam_midnight(ymd(2026, 10, 26))), ymd(2026, 10, 26),
              "midnight maps back to its day");
}

static void test_names(void)
{
    char b[RULES_LONG_DATE_SIZE];
    CHECK_STR(rules_date_format_long(ymd(2026, 6, 16), RULES_LANG_NL, b, sizeof b),
              "dinsdag 16 juni 2026", "Dutch long date");
    CHECK_STR(rules_date_format_long(ymd(2026, 6, 16), RULES_LANG_EN, b, sizeof b),
              "Tuesday 16 June 2026", "English long date");
    CHECK_STR(rules_date_format_long(ymd(2026, 9, 30), RULES_LANG_NL, b, sizeof b),
              "woensdag 30 september 2026", "longest Dutch form fits");
    CHECK_STR(rules_date_format_long(ymd(2026, 5, 5), RULES_LANG_NL, b, sizeof b),
              "dinsdag 5 mei 2026", "no leading zero");
    CHECK_STR(rules_weekday_name(1, RULES_LANG_NL), "maandag", "maandag");
    CHECK_STR(rules_weekday_name(7, RULES_LANG_NL), "zondag", "zondag");
    CHECK_STR(rules_weekday_name(7, RULES_LANG_EN), "Sunday", "Sunday");
    CHECK_STR(rules_weekday_name(0, RULES_LANG_NL), "", "weekday 0");
    CHECK_STR(rules_weekday_name(8, RULES_LANG_EN), "", "weekday 8");
    CHECK_STR(rules_month_name(3, RULES_LANG_NL), "maart", "maart");
    CHECK_STR(rules_month_name(10, RULES_LANG_EN), "October", "October");
    CHECK_STR(rules_month_name(13, RULES_LANG_EN), "", "month 13");
    char small[8];
    rules_date_format_long(ymd(2026, 6, 16), RULES_LANG_NL, small, sizeof small);
    CHECK_STR(small, "dinsdag", "truncates safely");
}

int main(void)
{
    test_conversions();
    test_parse();
    test_weekdays_and_arithmetic();
    test_amsterdam();
    test_names();
    return check_report("rules_dates");
}
