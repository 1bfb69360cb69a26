/* Demo data for withdrawals (issue 7): two scheduled amendments computed from today, so
 * the deadlines page always has a passed and a future deadline, a timely and a late letter. */
#include "alvd/demo/demo.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alvd/rules/dates.h"
#include "alvd/service/withdrawals.h"
#include "alvd/store/code_versions.h"
#include "alvd/store/db.h"
#include "alvd/store/withdrawals.h"

#define DEMO_WITHDRAWALS_SOON_LABEL "Wijziging A (demo)"   /* E = today + 14: its W has passed */
#define DEMO_WITHDRAWALS_LATER_LABEL "Wijziging B (demo)"  /* E = the 1st, three months on */
#define DEMO_WITHDRAWALS_BASE_LABEL "2025-1"                /* the register demo's version */
#define DEMO_WITHDRAWALS_TIMELY_KVK "54368859"              /* Telecom Klantzorg B.V.: signature */
#define DEMO_WITHDRAWALS_LATE_KVK "66781468"                /* Servicepunt Utrecht B.V.: member + signature */

/* A scheduled version with the articles of the version in force (the demo is about the
 * dates, not the text); nothing when the label exists. *created says whether it was made. */
static int demo_withdrawals_version(store_conn *conn, const char *label, rules_day effective, rules_day decided,
                                    long long *version_id, int *created, alvd_err *err)
{
    char effective_text[RULES_DATE_TEXT_SIZE], decided_text[RULES_DATE_TEXT_SIZE];
    long long base = 0;
    *created = 0;
    if (store_code_versions_id_by_label(conn, label, version_id, err) != 0)
        return -1;
    if (*version_id != 0)
        return 0;
    audit_actor system = {"system", 0, "alvd demo"};
    if (store_code_versions_id_by_label(conn, DEMO_WITHDRAWALS_BASE_LABEL, &base, err) != 0 ||
        store_code_versions_insert_scheduled(conn, label, rules_date_format(effective, effective_text), base,
                                             rules_date_format(decided, decided_text), version_id, err) != 0)
        return -1;
    if (base && store_code_articles_copy(conn, *version_id, base, err) != 0)
        return -1;
    json_t *details = json_pack("{s:s, s:s, s:s}", "source", "demo", "label", label, "effective_from", effective_text);
    int rc = audit_append(conn, err, &system, "code_version.created", "code_version", *version_id, details);
    json_decref(details);
    if (rc != 0 || service_withdrawals_apply_pending(conn, *version_id, err) < 0)
        return -1;
    *created = 1;
    return 0;
}

/* Record one letter for the organisation with this KvK number unless it has one. */
static int demo_withdrawals_letter(store_conn *conn, const char *kvk, rules_day received, const char *tracking,
                                   const char *note, FILE *report, alvd_err *err)
{
    char name[RULES_MEMBER_NAME_MAX * 4 + 1];
    long long withdrawals = 0;
    service_withdrawals_input input;
    memset(&input, 0, sizeof input);
    if (store_withdrawals_organisation_by_kvk(conn, kvk, &input.organisation_id, name, sizeof name, &withdrawals,
                                              err) != 0)
        return -1;
    if (input.organisation_id == 0 || withdrawals > 0)
        return 0; /* no register demo, or already there */
    input.received_on = received;
    input.has_sent_on = 1;
    input.sent_on = rules_day_add_days(received, -2);
    input.form = "registered";
    input.channel = "intake";
    input.note = note;
    if (rules_tracking_parse(tracking, &input.tracking_kind, input.tracking_code, err) != 0)
        return -1;
    audit_actor demo = {"system", 0, "alvd demo"};
    json_t *answer = NULL;
    int rc = service_withdrawals_record(conn, &input, 0, &demo, &answer, err);
    if (rc == 0)
        fprintf(report, "  %s: %s\n", name, json_string_value(json_object_get(answer, "effect")));
    json_decref(answer);
    return rc;
}

int demo_withdrawals_load(store_conn *conn, FILE *report, alvd_err *err)
{
    rules_day today = rules_amsterdam_day((int64_t)time(NULL));
    rules_day soon = rules_day_add_days(today, 14);
    int year, month, mday;
    rules_day_to_ymd(rules_day_add_months(today, 3), &year, &month, &mday);
    rules_day later = rules_day_from_ymd(year, month, 1);
    long long soon_id = 0, later_id = 0;
    int soon_created = 0, later_created = 0;
    if (store_begin(conn, err) != 0 ||
        demo_withdrawals_version(conn, DEMO_WITHDRAWALS_SOON_LABEL, soon, rules_day_add_days(soon, -50), &soon_id,
                                 &soon_created, err) != 0 ||
        demo_withdrawals_version(conn, DEMO_WITHDRAWALS_LATER_LABEL, later, rules_day_add_days(soon, -50), &later_id,
                                 &later_created, err) != 0 ||
        store_commit(conn, err) != 0) {
        store_rollback(conn);
        return -1;
    }
    if (soon_created || later_created) {
        char soon_text[RULES_DATE_TEXT_SIZE], later_text[RULES_DATE_TEXT_SIZE];
        fprintf(report, "Scheduled Code versions: %s (effective %s), %s (effective %s)\n",
                DEMO_WITHDRAWALS_SOON_LABEL, rules_date_format(soon, soon_text), DEMO_WITHDRAWALS_LATER_LABEL,
                rules_date_format(later, later_text));
    }
    fprintf(report, "Withdrawals (see /staff/withdrawals.html and /staff/deadlines.html):\n");
    /* Timely for A: received 20 days ago, A's deadline was 14 days ago. Late for A: received
     * 3 days ago, so it works for B. Dates follow the versions as they were created. */
    if (demo_withdrawals_letter(conn, DEMO_WITHDRAWALS_TIMELY_KVK, rules_day_add_days(today, -20), "RR473124829NL",
                                "Aangetekende brief, ontvangen bij de receptie.", report, err) != 0 ||
        demo_withdrawals_letter(conn, DEMO_WITHDRAWALS_LATE_KVK, rules_day_add_days(today, -3), "3SKSF0001234567",
                                "Brief kwam na de uiterste ontvangstdatum binnen.", report, err) != 0)
        return -1;
    return 0;
}
