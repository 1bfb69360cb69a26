/* Demo data for withdrawals (issue 7): two scheduled amendments computed from today, so
 * the deadlines page always has a passed and a future deadline, a timely and a late letter. */
#include "alvd/demo/demo.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alvd/api/withdrawals.h"
#include "alvd/rules/dates.h"
#include "alvd/store/db.h"

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
    store_result *rows = NULL;
    char effective_text[RULES_DATE_TEXT_SIZE], decided_text[RULES_DATE_TEXT_SIZE];
    *created = 0;
    if (store_query(conn, err, &rows, "SELECT id FROM code_versions WHERE label = ?",
                    STORE_PARAMS(STORE_TEXT_PARAM(label))) != 0)
        return -1;
    if (store_result_rows(rows) == 1) {
        *version_id = store_result_int(rows, 0, 0);
        store_result_free(rows);
        return 0;
    }
    store_result_free(rows);
    rows = NULL;
    if (store_query(conn, err, &rows, "SELECT id FROM code_versions WHERE label = ?",
                    STORE_PARAMS(STORE_TEXT_PARAM(DEMO_WITHDRAWALS_BASE_LABEL))) != 0)
        return -1;
    long long base = store_result_rows(rows) == 1 ? store_result_int(rows, 0, 0) : 0;
    store_result_free(rows);
    audit_actor system = {"system", 0, "alvd demo"};
    if (store_execute(conn, err, NULL,
                      "INSERT INTO code_versions (label, effective_from, source, base_version_id, decided_on,"
                      " created_at) VALUES (?, ?, 'adoption', ?, ?, UTC_TIMESTAMP(6))",
                      STORE_PARAMS(STORE_TEXT_PARAM(label), STORE_TEXT_PARAM(rules_date_format(effective, effective_text)),
                                   base ? STORE_INT_PARAM(base) : STORE_NULL_PARAM,
                                   STORE_TEXT_PARAM(rules_date_format(decided, decided_text)))) != 0)
        return -1;
    *version_id = store_last_insert_id(conn);
    if (base && store_execute(conn, err, NULL,
                              "INSERT INTO code_articles (version_id, article_id, position, title, text)"
                              " SELECT ?, article_id, position, title, text FROM code_articles WHERE version_id = ?",
                              STORE_PARAMS(STORE_INT_PARAM(*version_id), STORE_INT_PARAM(base))) != 0)
        return -1;
    json_t *details = json_pack("{s:s, s:s, s:s}", "source", "demo", "label", label, "effective_from", effective_text);
    int rc = audit_append(conn, err, &system, "code_version.created", "code_version", *version_id, details);
    json_decref(details);
    if (rc != 0 || withdrawals_apply_pending(conn, *version_id, err) < 0)
        return -1;
    *created = 1;
    return 0;
}

/* Record one letter for the organisation with this KvK number unless it has one. */
static int demo_withdrawals_letter(store_conn *conn, const char *kvk, rules_day received, const char *tracking,
                                   const char *note, FILE *report, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT o.id, o.name, (SELECT COUNT(*) FROM withdrawals w WHERE w.organisation_id = o.id)"
                    " FROM organisations o WHERE o.kvk = ?",
                    STORE_PARAMS(STORE_TEXT_PARAM(kvk))) != 0)
        return -1;
    if (store_result_rows(rows) != 1 || store_result_int(rows, 0, 2) > 0) {
        store_result_free(rows); /* no register demo, or already there */
        return 0;
    }
    withdrawals_input input;
    memset(&input, 0, sizeof input);
    input.organisation_id = store_result_int(rows, 0, 0);
    input.received_on = received;
    input.has_sent_on = 1;
    input.sent_on = rules_day_add_days(received, -2);
    input.form = "registered";
    input.channel = "intake";
    input.note = note;
    if (rules_tracking_parse(tracking, &input.tracking_kind, input.tracking_code, err) != 0) {
        store_result_free(rows);
        return -1;
    }
    audit_actor demo = {"system", 0, "alvd demo"};
    json_t *answer = NULL;
    int rc = withdrawals_record(conn, &input, 0, &demo, &answer, err);
    if (rc == 0)
        fprintf(report, "  %s: %s\n", store_result_text(rows, 0, 1), json_string_value(json_object_get(answer, "effect")));
    json_decref(answer);
    store_result_free(rows);
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
