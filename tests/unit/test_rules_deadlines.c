/* Unit tables for server/rules/deadlines.c: R3 earliest effective date, R4 deadline
 * with R7 warnings, R5 effect of withdrawal letters and the meeting notice check. */
#include "alvd/rules/deadlines.h"

#include <string.h>

#include "alvd/rules/cycle.h"

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
              "Let op: de uiterste ontvangstdatum, dinsdag 5 mei 2026, is een feestdag "
              "(Bevrijdingsdag); de termijn schuift daardoor niet op.",
              "holiday warning");
    CHECK_STR(fmt(w.send_by), "2026-04-30", "send by 3 working days earlier");
    CHECK_STR(w.advice,
              "Verstuur de brief uiterlijk op donderdag 30 april 2026 (3 werkdagen voor de "
              "uiterste ontvangstdatum, dinsdag 5 mei 2026).",
              "advice");

    /* Weekend deadline: E = Sat 2026-08-08 -> W = Sat 2026-07-11. */
    rules_withdrawal_deadline_for(d("2026-08-08"), 3, &w);
    CHECK_STR(fmt(w.deadline), "2026-07-11", "weekend W");
    CHECK_INT(w.on_weekend, 1, "weekend flag");
    CHECK(w.holiday_name == NULL, "no holiday");
    CHECK_STR(w.warning,
              "Let op: de uiterste ontvangstdatum, zaterdag 11 juli 2026, valt in het weekend; de termijn "
              "schuift daardoor niet op.",
              "weekend warning");
    CHECK_STR(fmt(w.send_by), "2026-07-08", "send by Wed");

    /* Holiday on a weekend: Koningsdag Sat 2025-04-26 -> E = 2025-05-24. */
    rules_withdrawal_deadline_for(d("2025-05-24"), 1, &w);
    CHECK_STR(fmt(w.deadline), "2025-04-26", "W on Koningsdag Saturday");
    CHECK(w.on_weekend && w.holiday_name && strcmp(w.holiday_name, "Koningsdag") == 0,
          "both flags");
    CHECK(strstr(w.warning, "zaterdag 26 april 2025, valt in het weekend en is een feestdag (Koningsdag)") != NULL, "%s",
          w.warning);
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
              "intrekking werkt bij de eerstvolgende wijziging waarvan zij de termijn haalt.",
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
    CHECK(strstr(a.effect, "De intrekking werkt voor versie 2027-1 (ingang 2027-01-01): de "
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
              "Na de ontvangst op 2026-07-01 is geen wijziging van de Code gepland: de intrekking "
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
    rules_check_meeting_notice(d("2026-06-02"), d("2026-06-16"), 0, 1, &n);
    CHECK_INT(n.sufficient, 1, "exactly 14 days is enough");
    CHECK_INT(n.days_given, 14, "days given");
    CHECK_STR(n.warning, "", "no warning");
    CHECK_STR(fmt(n.latest_send), "2026-06-02", "latest send");

    /* Sent: "is verstuurd"; the term is the association's own (BW 2:41 sets none). */
    rules_check_meeting_notice(d("2026-06-03"), d("2026-06-16"), 14, 1, &n);
    CHECK_INT(n.sufficient, 0, "13 days too short");
    CHECK_STR(n.warning,
              "Let op: de oproeping is verstuurd op woensdag 3 juni 2026, 13 dagen voor de vergadering van dinsdag "
              "16 juni 2026. De eigen oproepingstermijn van de vereniging is 14 dagen, dus uiterlijk op dinsdag 2 juni "
              "2026.",
              "notice warning after sending");
    /* Not sent yet: never "verstuurd" before it is. */
    rules_check_meeting_notice(d("2026-06-03"), d("2026-06-16"), 14, 0, &n);
    CHECK_STR(n.warning,
              "Let op: een oproeping die vandaag (woensdag 3 juni 2026) uitgaat, komt 13 dagen voor de vergadering van "
              "dinsdag 16 juni 2026. De eigen oproepingstermijn van de vereniging is 14 dagen: de oproeping had "
              "uiterlijk op dinsdag 2 juni 2026 moeten uitgaan.",
              "notice warning before sending");
    CHECK(strstr(n.warning, "verstuurd") == NULL, "not sent: no 'verstuurd'");

    rules_check_meeting_notice(d("2026-05-01"), d("2026-06-16"), 30, 1, &n);
    CHECK_INT(n.sufficient, 1, "custom 30 days");
    rules_check_meeting_notice(d("2026-06-15"), d("2026-06-16"), 14, 1, &n);
    CHECK(strstr(n.warning, " 1 dag voor") != NULL, "singular: %s", n.warning);
    /* "1 dag", never "1 dagen": the term of one day as well. */
    rules_check_meeting_notice(d("2026-06-16"), d("2026-06-16"), 1, 0, &n);
    CHECK(strstr(n.warning, "is 1 dag:") != NULL && strstr(n.warning, "1 dagen") == NULL, "a term of 1 dag: %s", n.warning);
    CHECK(strstr(n.warning, "op de dag van de vergadering") != NULL, "on the day itself: %s", n.warning);
    rules_check_meeting_notice(d("2026-06-17"), d("2026-06-16"), 14, 0, &n);
    CHECK(strstr(n.warning, "komt na de vergadering") != NULL, "after the meeting: %s", n.warning);
    for (int days = -3; days <= 30; days++) {
        rules_check_meeting_notice(rules_day_add_days(d("2026-06-16"), -days), d("2026-06-16"), days > 0 ? days + 1 : 1, days % 2, &n);
        CHECK(strstr(n.warning, " 1 dagen") == NULL, "never '1 dagen' (%d): %s", days, n.warning);
    }
}

/* D is the Amsterdam date of the instant the adopting poll closed: the day turns at
 * local midnight (23:00 UTC in winter, 22:00 UTC in summer), around both DST changes. */
static void test_decision_day(void)
{
    static const struct {
        const char *closed_at, *decided_on, *earliest;
    } cases[] = {
        {"2027-06-15T23:59:00+02:00", "2027-06-15", "2027-07-27"},
        {"2027-06-16T00:01:00+02:00", "2027-06-16", "2027-07-28"},
        {"2027-06-15T22:30:00Z", "2027-06-16", "2027-07-28"},     /* 00:30 Amsterdam: the case */
        {"2027-06-15T21:59:59Z", "2027-06-15", "2027-07-27"},
        {"2027-01-14T23:59:00+01:00", "2027-01-14", "2027-02-25"},
        {"2027-01-14T23:01:00Z", "2027-01-15", "2027-02-26"},     /* winter: midnight is 23:00 UTC */
        /* Spring: CEST from Sunday 2027-03-28 01:00 UTC; that day starts at 23:00 UTC. */
        {"2027-03-27T23:59:00+01:00", "2027-03-27", "2027-05-08"},
        {"2027-03-28T00:01:00+01:00", "2027-03-28", "2027-05-09"},
        {"2027-03-28T01:59:59+01:00", "2027-03-28", "2027-05-09"},
        {"2027-03-28T03:00:00+02:00", "2027-03-28", "2027-05-09"},
        {"2027-03-28T23:59:00+02:00", "2027-03-28", "2027-05-09"},
        {"2027-03-29T00:01:00+02:00", "2027-03-29", "2027-05-10"},
        /* Autumn: CET from Sunday 2027-10-31 01:00 UTC; that day starts at 22:00 UTC. */
        {"2027-10-30T23:59:00+02:00", "2027-10-30", "2027-12-11"},
        {"2027-10-31T00:01:00+02:00", "2027-10-31", "2027-12-12"},
        {"2027-10-31T02:59:59+02:00", "2027-10-31", "2027-12-12"},
        {"2027-10-31T02:00:00+01:00", "2027-10-31", "2027-12-12"},
        {"2027-10-31T23:59:00+01:00", "2027-10-31", "2027-12-12"},
        {"2027-11-01T00:01:00+01:00", "2027-11-01", "2027-12-13"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t instant = 0;
        alvd_err err;
        alvd_err_clear(&err);
        CHECK(rules_instant_parse(cases[i].closed_at, "t", &instant, &err) == 0, "parse %s", cases[i].closed_at);
        rules_day decided = rules_decision_day(instant);
        CHECK_STR(fmt(decided), cases[i].decided_on, cases[i].closed_at);
        CHECK_STR(fmt(rules_earliest_effective_date(decided)), cases[i].earliest, cases[i].closed_at);
        /* R3 at D + 41 is refused, at D + 42 accepted. */
        rules_effective_check check;
        CHECK(rules_check_effective_date(decided, rules_day_add_days(decided, 41), &check, &err) == -1,
              "D+41 refused for %s", cases[i].closed_at);
        CHECK(rules_check_effective_date(decided, rules_day_add_days(decided, 42), &check, &err) == 0 &&
                  check.is_earliest,
              "D+42 accepted for %s", cases[i].closed_at);
    }
}

/* No retroactivity (art. 7) and R3/R4 for a version recorded today. */
static void test_new_version(void)
{
    static const struct {
        const char *label;
        int register_empty;
        const char *decided_on; /* NULL: none named */
        const char *effective;
        const char *code;       /* NULL: accepted */
        const char *field;
    } cases[] = {
        {"first version of an empty register, in the past", 1, NULL, "2025-07-01", NULL, NULL},
        {"first version, today", 1, NULL, "2026-12-07", NULL, NULL},
        {"yesterday", 0, "2026-10-01", "2026-12-06", "retroactive", "effective_from"},
        {"30 days ago, no decision", 0, NULL, "2026-11-07", "retroactive", "effective_from"},
        {"no decision named", 0, NULL, "2027-06-01", "required", "decided_on"},
        {"decision tomorrow", 0, "2026-12-08", "2027-06-01", "decided_in_future", "decided_on"},
        {"tomorrow, old decision: no withdrawal window", 0, "2026-09-01", "2026-12-08", "withdrawal_window_closed",
         "effective_from"},
        {"W yesterday", 0, "2026-09-01", "2027-01-03", "withdrawal_window_closed", "effective_from"},
        {"W today", 0, "2026-09-01", "2027-01-04", NULL, NULL},
        {"R3: D + 41", 0, "2026-12-07", "2027-01-17", "effective_date_too_early", "effective_from"},
        {"R3: D + 42", 0, "2026-12-07", "2027-01-18", NULL, NULL},
        {"decided today, far ahead", 0, "2026-12-07", "2099-01-01", NULL, NULL},
    };
    rules_day today = d("2026-12-07");
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        alvd_err err;
        alvd_err_clear(&err);
        int rc = rules_check_new_version(today, cases[i].register_empty, cases[i].decided_on != NULL,
                                         cases[i].decided_on ? d(cases[i].decided_on) : 0, d(cases[i].effective),
                                         &err);
        if (cases[i].code == NULL) {
            CHECK(rc == 0, "%s accepted: %s", cases[i].label, err.message);
        } else {
            CHECK(rc == -1, "%s refused", cases[i].label);
            CHECK_INT(err.status, 422, cases[i].label);
            CHECK_STR(err.code, cases[i].code, cases[i].label);
            CHECK_STR(err.field, cases[i].field, cases[i].label);
        }
    }
    alvd_err err;
    alvd_err_clear(&err);
    rules_check_new_version(today, 0, 1, d("2026-09-01"), d("2026-12-08"), &err);
    CHECK_STR(err.message,
              "Met ingangsdatum 2026-12-08 zou de uiterste ontvangstdatum voor intrekkingen (2026-11-10) al voorbij "
              "zijn; ondertekenaars moeten hun ondertekening kunnen intrekken. Kies 2027-01-04 of later.",
              "withdrawal window sentence");
    alvd_err_clear(&err);
    rules_check_new_version(today, 0, 1, d("2026-10-01"), d("2026-12-06"), &err);
    CHECK_STR(err.message,
              "Een wijziging van de Code werkt niet terug (art. 7): de ingangsdatum 2026-12-06 ligt vóór vandaag "
              "(2026-12-07).",
              "retroactive sentence");
}

int main(void)
{
    test_decision_day();
    test_new_version();
    test_effective_date();
    test_withdrawal_deadline();
    test_assess();
    test_notice();
    return check_report("rules_deadlines");
}
