/* Unit tables for server/rules/deadlines.c: R3 earliest effective date, R4 deadline
 * with R7 warnings, R5 effect of withdrawal letters and the meeting notice check. */
#include "alvd/rules/deadlines.h"

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
    /* Rotating buffers so one CHECK can format several dates. */
    static char buffers[4][RULES_DATE_TEXT_SIZE];
    static int next;
    next = (next + 1) % 4;
    return rules_date_format(day, buffers[next]);
}

static void test_effective_date(void)
{
    rules_effective_check check;
    alvd_err err;
    rules_day decision = d("2026-06-16");

    CHECK_STR(fmt(rules_earliest_effective_date(decision)), "2026-07-28", "R3 example");

    alvd_err_clear(&err);
    CHECK(rules_check_effective_date(decision, d("2026-07-27"), &check, &err) == -1, "D+41 refused");
    CHECK_INT(err.status, 422, "D+41 status");
    CHECK_STR(err.code, "effective_date_too_early", "D+41 code");
    CHECK_STR(err.field, "effective_date", "D+41 field");
    CHECK_STR(err.message,
              "De ingangsdatum moet ten minste 6 weken na het ALV-besluit van 2026-06-16 liggen; "
              "de vroegst mogelijke datum is 2026-07-28.",
              "D+41 message");
    CHECK(rules_check_effective_date(decision, decision, &check, &err) == -1, "E = D refused");
    CHECK(rules_check_effective_date(decision, d("2026-01-01"), &check, &err) == -1,
          "E before D refused");

    alvd_err_clear(&err);
    CHECK(rules_check_effective_date(decision, d("2026-07-28"), &check, &err) == 0, "D+42 accepted");
    CHECK(!alvd_err_is_set(&err), "D+42 no error");
    CHECK_INT(check.is_earliest, 1, "D+42 is earliest");
    CHECK_STR(check.note,
              "2026-07-28 is de vroegst mogelijke ingangsdatum: precies 6 weken na het "
              "ALV-besluit van 2026-06-16.",
              "D+42 note");

    CHECK(rules_check_effective_date(decision, d("2026-09-01"), &check, &err) == 0, "later ok");
    CHECK_INT(check.is_earliest, 0, "later is not earliest");
    CHECK_STR(check.note, "", "later has no note");
    CHECK_STR(fmt(check.earliest), "2026-07-28", "earliest reported");
}

static void test_withdrawal_deadline(void)
{
    rules_withdrawal_deadline w;

    /* R4 example: E = 2026-06-02 -> W = 2026-05-05, Bevrijdingsdag, not moved. */
    rules_withdrawal_deadline_for(d("2026-06-02"), 0, &w);
    CHECK_STR(fmt(w.deadline), "2026-05-05", "W = E - 28");
    CHECK(w.holiday_name != NULL && strcmp(w.holiday_name, "Bevrijdingsdag") == 0, "holiday name");
    CHECK_INT(w.on_weekend, 0, "Tuesday");
    CHECK_STR(w.warning,
              "Let op: de uiterste ontvangstdatum 2026-05-05 valt op een feestdag "
              "(Bevrijdingsdag); de termijn schuift daardoor niet op.",
              "holiday warning");
    CHECK_STR(fmt(w.send_by), "2026-04-30", "send by 3 working days earlier");
    CHECK_STR(w.advice,
              "Verstuur de brief uiterlijk op donderdag 2026-04-30 (3 werkdagen voor de "
              "uiterste ontvangstdatum 2026-05-05).",
              "advice");

    /* Weekend deadline: E = Sat 2026-08-08 -> W = Sat 2026-07-11. */
    rules_withdrawal_deadline_for(d("2026-08-08"), 3, &w);
    CHECK_STR(fmt(w.deadline), "2026-07-11", "weekend W");
    CHECK_INT(w.on_weekend, 1, "weekend flag");
    CHECK(w.holiday_name == NULL, "no holiday");
    CHECK_STR(w.warning,
              "Let op: de uiterste ontvangstdatum 2026-07-11 valt op een zaterdag; de termijn "
              "schuift daardoor niet op.",
              "weekend warning");
    CHECK_STR(fmt(w.send_by), "2026-07-08", "send by Wed");

    /* Holiday on a weekend: Koningsdag Sat 2025-04-26 -> E = 2025-05-24. */
    rules_withdrawal_deadline_for(d("2025-05-24"), 1, &w);
    CHECK_STR(fmt(w.deadline), "2025-04-26", "W on Koningsdag Saturday");
    CHECK(w.on_weekend && w.holiday_name && strcmp(w.holiday_name, "Koningsdag") == 0,
          "both flags");
    CHECK(strstr(w.warning, "zaterdag, een feestdag (Koningsdag)") != NULL, "%s", w.warning);
    CHECK(strstr(w.advice, "1 werkdag voor") != NULL, "singular: %s", w.advice);
    CHECK_STR(fmt(w.send_by), "2025-04-25", "send by Friday");

    /* Plain working day: no warning. */
    rules_withdrawal_deadline_for(d("2026-07-28"), 3, &w);
    CHECK_STR(fmt(w.deadline), "2026-06-30", "W for earliest E of the R3 example");
    CHECK_STR(w.warning, "", "no warning on a working day");
    CHECK(w.advice[0] != '\0', "advice always set");

    /* Timeliness: on W timely, W+1 late. */
    CHECK(rules_withdrawal_is_timely(d("2026-05-05"), d("2026-06-02")), "received on W");
    CHECK(rules_withdrawal_is_timely(d("2026-04-01"), d("2026-06-02")), "received before W");
    CHECK(!rules_withdrawal_is_timely(d("2026-05-06"), d("2026-06-02")), "received on W+1");
}

static void test_assess(void)
{
    rules_withdrawal_assessment a;
    alvd_err err;
    const rules_scheduled_version one[] = {{11, "2026-1", 0}};
    rules_scheduled_version single[1];
    memcpy(single, one, sizeof single);
    single[0].effective = d("2026-06-02");

    /* Received on W: timely, signature ends on E - 1. */
    CHECK(rules_assess_withdrawal(d("2026-05-05"), single, 1, &a, &err) == 0, "assess on W");
    CHECK_INT(a.outcome, RULES_WITHDRAWAL_TIMELY, "on W timely");
    CHECK_INT(a.timely, 1, "timely flag");
    CHECK_INT(a.concerned_version_id, 11, "concerns 2026-1");
    CHECK_STR(fmt(a.concerned_deadline), "2026-05-05", "deadline");
    CHECK_INT(a.signature_end_known, 1, "end known");
    CHECK_STR(fmt(a.signature_ends), "2026-06-01", "ends E - 1");
    CHECK_INT(a.effect_version_id, 11, "effect for the concerned version");
    CHECK_INT(a.pending, 0, "not pending");
    CHECK_STR(a.effect,
              "Tijdig: ontvangen op 2026-05-05, uiterlijk 2026-05-05 was toegestaan voor versie "
              "2026-1 (ingang 2026-06-02). De ondertekening eindigt op 2026-06-01; de organisatie "
              "wordt op grond van haar ondertekening niet aan die versie gebonden.",
              "timely sentence");

    /* W + 1: late, no later version -> pending. */
    CHECK(rules_assess_withdrawal(d("2026-05-06"), single, 1, &a, &err) == 0, "assess W+1");
    CHECK_INT(a.outcome, RULES_WITHDRAWAL_LATE_PENDING, "W+1 late pending");
    CHECK_INT(a.timely, 0, "late");
    CHECK_INT(a.concerned_version_id, 11, "still concerns 2026-1");
    CHECK_INT(a.effect_version_id, 0, "no effect version");
    CHECK_INT(a.pending, 1, "pending");
    CHECK_INT(a.signature_end_known, 0, "end unknown");
    CHECK_STR(a.effect,
              "Te laat voor versie 2026-1: ontvangen op 2026-05-06, uiterlijk 2026-05-05 was "
              "toegestaan. De organisatie is vanaf 2026-06-02 aan die versie gebonden. De "
              "opzegging werkt bij de eerstvolgende wijziging waarvan zij de termijn haalt.",
              "late pending sentence");

    /* Two versions scheduled at once, given out of order. */
    const rules_scheduled_version two[] = {
        {22, "2027-1", d("2027-01-01")},
        {11, "2026-1", d("2026-06-02")},
    };
    CHECK(rules_assess_withdrawal(d("2026-05-20"), two, 2, &a, &err) == 0, "assess two");
    CHECK_INT(a.outcome, RULES_WITHDRAWAL_LATE_NEXT, "late for first, in time for second");
    CHECK_INT(a.concerned_version_id, 11, "concerns the first");
    CHECK_INT(a.effect_version_id, 22, "works for the second");
    CHECK_STR(fmt(a.effect_effective), "2027-01-01", "second E");
    CHECK_STR(fmt(a.signature_ends), "2026-12-31", "ends day before second E");
    CHECK(strstr(a.effect, "De opzegging werkt voor versie 2027-1 (ingang 2027-01-01): de "
                           "ondertekening eindigt op 2026-12-31.") != NULL,
          "late-next sentence: %s", a.effect);

    CHECK(rules_assess_withdrawal(d("2026-03-01"), two, 2, &a, &err) == 0, "early letter");
    CHECK_INT(a.outcome, RULES_WITHDRAWAL_TIMELY, "timely for the first of two");
    CHECK_INT(a.concerned_version_id, 11, "first of two");
    CHECK_STR(fmt(a.signature_ends), "2026-06-01", "ends before first");

    /* Late for both: the second version's W is 2026-05-13. */
    const rules_scheduled_version close_pair[] = {
        {11, "2026-1", d("2026-06-02")},
        {22, "2026-2", d("2026-06-10")},
    };
    CHECK(rules_assess_withdrawal(d("2026-05-20"), close_pair, 2, &a, &err) == 0, "close pair");
    CHECK_INT(a.outcome, RULES_WITHDRAWAL_LATE_PENDING, "late for both");
    CHECK_INT(a.concerned_version_id, 11, "concerns the first of the pair");

    /* After E of the only version: no scheduled version concerned, pending. */
    CHECK(rules_assess_withdrawal(d("2026-06-02"), single, 1, &a, &err) == 0, "on E");
    CHECK_INT(a.outcome, RULES_WITHDRAWAL_NO_VERSION, "received on E: none concerned");
    CHECK(rules_assess_withdrawal(d("2026-07-01"), single, 1, &a, &err) == 0, "after E");
    CHECK_INT(a.outcome, RULES_WITHDRAWAL_NO_VERSION, "after E: none");
    CHECK_INT(a.concerned_version_id, 0, "no concerned version");
    CHECK_INT(a.pending, 1, "pending for next amendment");
    CHECK_STR(a.effect,
              "Na de ontvangst op 2026-07-01 is geen wijziging van de Code gepland: de opzegging "
              "werkt bij de eerstvolgende wijziging waarvan zij de termijn haalt.",
              "none sentence");

    /* After E of the first, in time for the second: concerns the second. */
    CHECK(rules_assess_withdrawal(d("2026-07-01"), two, 2, &a, &err) == 0, "between versions");
    CHECK_INT(a.outcome, RULES_WITHDRAWAL_TIMELY, "timely for the second");
    CHECK_INT(a.concerned_version_id, 22, "concerns the second");

    /* Nothing scheduled at all. */
    CHECK(rules_assess_withdrawal(d("2026-05-01"), NULL, 0, &a, &err) == 0, "no versions");
    CHECK_INT(a.outcome, RULES_WITHDRAWAL_NO_VERSION, "no versions: pending");

    /* Without labels the id is shown. */
    const rules_scheduled_version unlabelled[] = {{7, NULL, d("2026-06-02")}};
    CHECK(rules_assess_withdrawal(d("2026-05-01"), unlabelled, 1, &a, &err) == 0, "no label");
    CHECK(strstr(a.effect, "versie #7") != NULL, "id shown: %s", a.effect);

    const rules_scheduled_version bad[] = {{0, "x", d("2026-06-02")}};
    alvd_err_clear(&err);
    CHECK(rules_assess_withdrawal(d("2026-05-01"), bad, 1, &a, &err) == -1, "id 0 refused");
    CHECK_STR(err.code, "bad_version", "bad version code");
}

static void test_notice(void)
{
    rules_notice_check n;
    rules_check_meeting_notice(d("2026-06-02"), d("2026-06-16"), 0, &n);
    CHECK_INT(n.sufficient, 1, "exactly 14 days is enough");
    CHECK_INT(n.days_given, 14, "days given");
    CHECK_STR(n.warning, "", "no warning");
    CHECK_STR(fmt(n.latest_send), "2026-06-02", "latest send");

    rules_check_meeting_notice(d("2026-06-03"), d("2026-06-16"), 14, &n);
    CHECK_INT(n.sufficient, 0, "13 days too short");
    CHECK_STR(n.warning,
              "Let op: de oproeping is verstuurd op 2026-06-03, 13 dagen voor de vergadering van "
              "2026-06-16; de oproepingstermijn is 14 dagen, dus uiterlijk 2026-06-02.",
              "notice warning");

    rules_check_meeting_notice(d("2026-05-01"), d("2026-06-16"), 30, &n);
    CHECK_INT(n.sufficient, 1, "custom 30 days");
    rules_check_meeting_notice(d("2026-06-15"), d("2026-06-16"), 14, &n);
    CHECK(strstr(n.warning, "1 dag voor") != NULL, "singular: %s", n.warning);
}

int main(void)
{
    test_effective_date();
    test_withdrawal_deadline();
    test_assess();
    test_notice();
    return check_report("rules_deadlines");
}
