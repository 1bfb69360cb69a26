/* Extra R4–R6 cases for registered-letter withdrawals (issue 7), beside the tables in
 * test_rules_deadlines.c and test_rules_tracking.c: the edges the secretariat meets. */
#include <string.h>

#include "alvd/rules/deadlines.h"
#include "alvd/rules/holidays.h"
#include "alvd/rules/tracking.h"

#include "check.h"

static rules_day d(const char *text)
{
    rules_day day = 0;
    alvd_err err;
    if (rules_date_parse(text, "test", &day, &err) != 0)
        fprintf(stderr, "bad test date %s\n", text);
    return day;
}

static const char *fmt(rules_day day)
{
    static char text[RULES_DATE_TEXT_SIZE];
    return rules_date_format(day, text);
}

/* R4: W = E − 28 is never moved, whatever day it falls on. */
static void test_deadline_on_holiday_and_weekend(void)
{
    rules_withdrawal_deadline w;
    rules_withdrawal_deadline_for(d("2026-06-02"), 0, &w);
    CHECK_STR(fmt(w.deadline), "2026-05-05", "W on Bevrijdingsdag is the deadline");
    CHECK(w.holiday_name && strcmp(w.holiday_name, "Bevrijdingsdag") == 0, "named holiday");
    CHECK(rules_withdrawal_is_timely(d("2026-05-05"), d("2026-06-02")), "received on the holiday");
    CHECK(!rules_withdrawal_is_timely(d("2026-05-06"), d("2026-06-02")),
          "the next working day is late: no extension");
    CHECK(rules_withdrawal_is_timely(d("2026-05-04"), d("2026-06-02")), "the day before");

    /* W on a Saturday (E = Sat 2026-08-08 → W = Sat 2026-07-11): Monday is late. */
    rules_withdrawal_deadline_for(d("2026-08-08"), 0, &w);
    CHECK_STR(fmt(w.deadline), "2026-07-11", "weekend W");
    CHECK(!rules_withdrawal_is_timely(d("2026-07-13"), d("2026-08-08")), "Monday after is late");
    CHECK(rules_withdrawal_is_timely(d("2026-07-11"), d("2026-08-08")), "received Saturday");

    /* Ascension 2027 (Easter 28 March + 39 = Thu 6 May): E = 2027-06-03. */
    rules_withdrawal_deadline_for(d("2027-06-03"), 0, &w);
    CHECK_STR(fmt(w.deadline), "2027-05-06", "W on Hemelvaartsdag");
    CHECK(w.holiday_name && strcmp(w.holiday_name, "Hemelvaartsdag") == 0, "%s",
          w.holiday_name ? w.holiday_name : "(none)");
    CHECK(rules_send_by(w.deadline, 0) < w.deadline, "send-by advice lies before W");
    CHECK(strstr(w.warning, "schuift daardoor niet op") != NULL, "%s", w.warning);
}

/* R5: which version a letter concerns and what follows. */
static void test_assessment_edges(void)
{
    rules_withdrawal_assessment a;
    alvd_err err;
    const rules_scheduled_version one[] = {{5, "2026-1", d("2026-06-02")}};

    /* Received on E − 1: late for that version, the organisation is bound from E. */
    CHECK(rules_assess_withdrawal(d("2026-06-01"), one, 1, &a, &err) == 0, "E-1");
    CHECK_INT(a.outcome, RULES_WITHDRAWAL_LATE_PENDING, "E-1 is late");
    CHECK_INT(a.concerned_version_id, 5, "E-1 concerns the version");
    CHECK(strstr(a.effect, "vanaf 2026-06-02 aan die versie gebonden") != NULL, "%s", a.effect);

    /* Received on E and on E + 1: the version is in force, nothing scheduled. */
    CHECK(rules_assess_withdrawal(d("2026-06-02"), one, 1, &a, &err) == 0, "E");
    CHECK_INT(a.outcome, RULES_WITHDRAWAL_NO_VERSION, "on E");
    CHECK(rules_assess_withdrawal(d("2026-06-03"), one, 1, &a, &err) == 0, "E+1");
    CHECK_INT(a.outcome, RULES_WITHDRAWAL_NO_VERSION, "on E+1");
    CHECK_INT(a.pending, 1, "pending for the next amendment");

    /* Two versions with the same E: the lower id is the one concerned. */
    const rules_scheduled_version same_day[] = {
        {9, "B", d("2026-09-01")},
        {8, "A", d("2026-09-01")},
    };
    CHECK(rules_assess_withdrawal(d("2026-08-20"), same_day, 2, &a, &err) == 0, "same E");
    CHECK_INT(a.concerned_version_id, 8, "tie broken by id");
    CHECK_INT(a.outcome, RULES_WITHDRAWAL_LATE_PENDING,
              "a version with the same E binds at the same moment: no later effect");

    /* Three versions: late for the first two, in time for the third. */
    const rules_scheduled_version three[] = {
        {1, "2026-1", d("2026-06-02")},
        {2, "2026-2", d("2026-06-16")},
        {3, "2026-3", d("2026-07-28")},
    };
    CHECK(rules_assess_withdrawal(d("2026-05-25"), three, 3, &a, &err) == 0, "three");
    CHECK_INT(a.outcome, RULES_WITHDRAWAL_LATE_NEXT, "late, takes effect later");
    CHECK_INT(a.concerned_version_id, 1, "concerns the first");
    CHECK_INT(a.effect_version_id, 3, "the second's W (2026-05-19) has passed too");
    CHECK_STR(fmt(a.signature_ends), "2026-07-27", "ends the day before the third");

    /* Two versions, letter on W of the second exactly. */
    CHECK(rules_assess_withdrawal(d("2026-06-30"), three, 3, &a, &err) == 0, "on W3");
    CHECK_INT(a.outcome, RULES_WITHDRAWAL_TIMELY, "after E2, on W3: timely for the third");
    CHECK_INT(a.concerned_version_id, 3, "concerns the third");
    CHECK(rules_assess_withdrawal(d("2026-07-01"), three, 3, &a, &err) == 0, "W3+1");
    CHECK_INT(a.outcome, RULES_WITHDRAWAL_LATE_PENDING, "W3+1: late and pending");
}

static void test_tracking_codes(void)
{
    static const struct {
        const char *input;
        int ok;
        const char *normalised;
        const char *why;
    } cases[] = {
        {"RR049382680NL", 1, "RR049382680NL", "check 10 -> 0"},
        {"RR000000005NL", 1, "RR000000005NL", "check 11 -> 5"},
        {"RR111111115NL", 1, "RR111111115NL", "sum 44 -> 5"},
        {"RR049382681NL", 0, "", "wrong digit where 0 is due"},
        {"RR000000000NL", 0, "", "0 where 5 is due"},
        {"RR04938268NL", 0, "", "12 characters"},
        {"RR0493826800NL", 0, "", "14 characters"},
        {"RR 049 382 680 NL", 1, "RR049382680NL", "printed in groups"},
        {"3SKSF0000001", 0, "", "3S code of 12"},
        {"3SKSF00000012", 1, "3SKSF00000012", "3S code of 13"},
        {"3SKSF0000001234", 1, "3SKSF0000001234", "3S code of 15"},
        {"3sksf0000001234", 1, "3SKSF0000001234", "3S in lower case"},
        {"3SKSF000000123", 0, "", "3S code of 14"},
        {"3TKSF00000012", 0, "", "not 3S and not S10"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rules_tracking_kind kind;
        char code[RULES_TRACKING_CODE_SIZE];
        alvd_err err;
        alvd_err_clear(&err);
        int rc = rules_tracking_parse(cases[i].input, &kind, code, &err);
        CHECK_INT(rc == 0, cases[i].ok, cases[i].why);
        CHECK_STR(code, cases[i].normalised, cases[i].why);
        if (!cases[i].ok)
            CHECK_STR(err.code, "bad_tracking_code", cases[i].why);
    }
}

int main(void)
{
    test_deadline_on_holiday_and_weekend();
    test_assessment_edges();
    test_tracking_codes();
    return check_report("withdrawal_cases");
}
