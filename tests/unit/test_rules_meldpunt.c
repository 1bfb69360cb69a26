/* Unit tables for server/rules/meldpunt.c: acknowledgement and feedback due dates,
 * overdue checks, retention, half-year periods and small-count suppression. */
#include "alvd/rules/meldpunt.h"

#include <string.h>

#include "check.h"

static rules_day d(const char *text)
{
    rules_day day = 0;
    if (rules_date_parse(text, NULL, &day, NULL) != 0)
        CHECK(0, "bad test date %s", text);
    return day;
}

static const char *fmt(rules_day day)
{
    static char buffers[2][RULES_DATE_TEXT_SIZE];
    static int next;
    next ^= 1;
    return rules_date_format(day, buffers[next]);
}

static void test_due_dates(void)
{
    static const struct {
        const char *received, *ack, *feedback;
    } cases[] = {
        {"2026-06-16", "2026-06-23", "2026-09-16"},
        {"2026-11-30", "2026-12-07", "2027-02-28"}, /* clamped to month end */
        {"2027-11-30", "2027-12-07", "2028-02-29"}, /* leap year */
        {"2026-12-28", "2027-01-04", "2027-03-28"},
        {"2026-05-31", "2026-06-07", "2026-08-31"},
        {"2026-03-31", "2026-04-07", "2026-06-30"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        CHECK_STR(fmt(rules_meldpunt_ack_due(d(cases[i].received))), cases[i].ack, "ack due");
        CHECK_STR(fmt(rules_meldpunt_feedback_due(d(cases[i].received))), cases[i].feedback,
                  "feedback due");
    }
}

static void test_overdue(void)
{
    rules_day due = d("2026-06-23");
    CHECK(!rules_is_overdue(due, 0, d("2026-06-23")), "on the due day: not overdue");
    CHECK(rules_is_overdue(due, 0, d("2026-06-24")), "day after: overdue");
    CHECK(!rules_is_overdue(due, 1, d("2026-07-24")), "done: never overdue");

    rules_meldpunt_timeline t;
    rules_meldpunt_timeline_on(d("2026-06-16"), 0, 0, 0, 0, d("2026-06-24"), &t);
    CHECK(t.ack_overdue && !t.ack_late && !t.feedback_overdue && !t.feedback_late,
          "ack overdue only");
    rules_meldpunt_timeline_on(d("2026-06-16"), 1, d("2026-06-25"), 0, 0, d("2026-09-17"), &t);
    CHECK(!t.ack_overdue && t.ack_late && t.feedback_overdue, "ack late, feedback overdue");
    rules_meldpunt_timeline_on(d("2026-06-16"), 1, d("2026-06-23"), 1, d("2026-09-16"),
                               d("2027-01-01"), &t);
    CHECK(!t.ack_overdue && !t.ack_late && !t.feedback_overdue && !t.feedback_late,
          "both on the last day: on time");
    rules_meldpunt_timeline_on(d("2026-06-16"), 1, d("2026-06-20"), 1, d("2026-09-17"),
                               d("2027-01-01"), &t);
    CHECK(t.feedback_late, "feedback a day late");
    CHECK_STR(fmt(t.feedback_due), "2026-09-16", "timeline due");
}

static void test_retention(void)
{
    CHECK_STR(fmt(rules_meldpunt_deletion_due(d("2026-06-16"), 0)), "2027-06-16", "default 12");
    CHECK_STR(fmt(rules_meldpunt_deletion_due(d("2028-02-29"), 12)), "2029-02-28", "leap clamp");
    CHECK_STR(fmt(rules_meldpunt_deletion_due(d("2026-06-16"), 6)), "2026-12-16", "setting 6");
    CHECK_STR(fmt(rules_meldpunt_deletion_due(d("2026-06-16"), -3)), "2027-06-16", "negative");
}

static void test_half_years(void)
{
    static const struct {
        const char *day;
        int year, half;
    } of[] = {
        {"2026-01-01", 2026, 1}, {"2026-06-30", 2026, 1}, {"2026-07-01", 2026, 2},
        {"2026-12-31", 2026, 2}, {"2027-03-15", 2027, 1},
    };
    for (size_t i = 0; i < sizeof of / sizeof of[0]; i++) {
        rules_half_year p = rules_half_year_of(d(of[i].day));
        CHECK(p.year == of[i].year && p.half == of[i].half, "half of %s: %dH%d", of[i].day, p.year,
              p.half);
    }

    static const struct {
        const char *text;
        int ok;
        const char *first, *last;
    } parse[] = {
        {"2026H1", 1, "2026-01-01", "2026-06-30"}, {"2026H2", 1, "2026-07-01", "2026-12-31"},
        {"2028H1", 1, "2028-01-01", "2028-06-30"}, {"2026h1", 0, NULL, NULL},
        {"2026H3", 0, NULL, NULL},                 {"2026H0", 0, NULL, NULL},
        {"2026H1 ", 0, NULL, NULL},                {" 2026H1", 0, NULL, NULL},
        {"26H1", 0, NULL, NULL},                   {"2026-H1", 0, NULL, NULL},
        {"0000H1", 0, NULL, NULL},                 {"", 0, NULL, NULL},
        {"2026H12", 0, NULL, NULL},                {"20a6H1", 0, NULL, NULL},
    };
    for (size_t i = 0; i < sizeof parse / sizeof parse[0]; i++) {
        rules_half_year p = {0, 0};
        alvd_err err;
        alvd_err_clear(&err);
        int rc = rules_half_year_parse(parse[i].text, &p, &err);
        if (parse[i].ok) {
            rules_day first, last;
            char text[RULES_HALF_YEAR_TEXT_SIZE];
            CHECK(rc == 0, "parse %s", parse[i].text);
            rules_half_year_bounds(p, &first, &last);
            CHECK_STR(fmt(first), parse[i].first, parse[i].text);
            CHECK_STR(fmt(last), parse[i].last, parse[i].text);
            CHECK_STR(rules_half_year_format(p, text), parse[i].text, "round trip");
        } else {
            CHECK(rc == -1, "refuse \"%s\"", parse[i].text);
            CHECK_INT(err.status, 400, parse[i].text);
            CHECK_STR(err.code, "bad_period", parse[i].text);
        }
    }
    rules_half_year p;
    CHECK(rules_half_year_parse(NULL, &p, NULL) == -1, "NULL refused");
    rules_half_year_bounds((rules_half_year){2026, 2}, NULL, NULL); /* NULL outputs allowed */
}

static void test_suppression(void)
{
    static const struct {
        long long count;
        int threshold;
        const char *text;
        int suppressed;
    } cases[] = {
        {0, 3, "0", 0},  {1, 3, "<3", 1}, {2, 3, "<3", 1}, {3, 3, "3", 0},
        {17, 3, "17", 0}, {2, 0, "<3", 1}, /* 0 = default threshold */
        {4, 5, "<5", 1},  {5, 5, "5", 0},  {1, 1, "1", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[RULES_COUNT_TEXT_SIZE];
        int suppressed = rules_count_format(cases[i].count, cases[i].threshold, text, sizeof text);
        CHECK_STR(text, cases[i].text, "count text");
        CHECK_INT(suppressed, cases[i].suppressed, cases[i].text);
    }
    char text[RULES_COUNT_TEXT_SIZE];
    rules_count_format(-9223372036854775807LL - 1, 3, text, sizeof text);
    CHECK_STR(text, "-9223372036854775808", "extreme value fits");
}

int main(void)
{
    test_due_dates();
    test_overdue();
    test_retention();
    test_half_years();
    test_suppression();
    return check_report("rules_meldpunt");
}
