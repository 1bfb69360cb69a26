/* Meldpunt housekeeping: daily reminders to the officers about overdue reports, deletion
 * of personal data after the retention period, and dropping unlocks of ended sessions. */
#include "alvd/api/meldpunt.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alvd/base/log.h"
#include "alvd/crypto/audit.h"
#include "alvd/mail/outbox.h"
#include "alvd/rules/meldpunt.h"


static const audit_actor jobs_actor = {"system", 0, "meldpunt jobs"};

static rules_day jobs_day(const char *text)
{
    rules_day day = 0;
    if (text)
        rules_date_parse(text, NULL, &day, NULL);
    return day;
}

/* Mail every meldpunt officer once a day about each overdue report. The mail names the
 * report number and the missed step, nothing of its content. */
static int jobs_reminders(const alvd_app *app, store_conn *conn, rules_day today, int *sent, alvd_err *err)
{
    store_result *reports = NULL, *officers = NULL;
    char today_text[RULES_DATE_TEXT_SIZE];
    rules_date_format(today, today_text);
    *sent = 0;
    if (store_query(conn, err, &reports,
                    "SELECT id, received_on, acknowledged_on, fed_back_on FROM meldpunt_reports"
                    " WHERE closed_on IS NULL AND (last_reminder_on IS NULL OR last_reminder_on < ?)",
                    STORE_PARAMS(STORE_TEXT_PARAM(today_text))) != 0 ||
        store_query(conn, err, &officers,
                    "SELECT email FROM users WHERE FIND_IN_SET('meldpunt', roles) AND disabled_at IS NULL",
                    STORE_NO_PARAMS) != 0)
        goto fail;
    for (size_t r = 0; r < store_result_rows(reports); r++) {
        long long id = store_result_int(reports, r, 0);
        rules_meldpunt_timeline timeline;
        const char *acknowledged = store_result_text(reports, r, 2);
        const char *fed_back = store_result_text(reports, r, 3);
        rules_meldpunt_timeline_on(jobs_day(store_result_text(reports, r, 1)), acknowledged != NULL,
                                   jobs_day(acknowledged), fed_back != NULL, jobs_day(fed_back), today, &timeline);
        if (!timeline.ack_overdue && !timeline.feedback_overdue)
            continue;
        char due[RULES_DATE_TEXT_SIZE], text[1024], subject[160];
        rules_date_format(timeline.ack_overdue ? timeline.ack_due : timeline.feedback_due, due);
        snprintf(subject, sizeof subject, "Meldpunt: melding %lld is over tijd", id);
        snprintf(text, sizeof text,
                 "Melding %lld is over tijd: %s had uiterlijk op %s moeten gebeuren.\n\n"
                 "Open het meldpunt om de melding af te handelen: %s/staff/meldpunt.html\n\n"
                 "(Deze herinnering komt één keer per dag zolang de melding over tijd is.)\n",
                 id, timeline.ack_overdue ? "de ontvangstbevestiging (7 dagen)" : "de terugkoppeling (3 maanden)",
                 due, app->config.public_url);
        if (store_begin(conn, err) != 0)
            goto fail;
        for (size_t o = 0; o < store_result_rows(officers); o++) {
            mail_message message = {store_result_text(officers, o, 0), subject, text, NULL, "meldpunt_reminder"};
            if (outbox_enqueue(conn, &message, NULL, err) != 0)
                goto fail;
        }
        json_t *details = json_pack("{s:s, s:s}", "step", timeline.ack_overdue ? "acknowledgement" : "feedback",
                                    "due", due);
        int rc = store_execute(conn, err, NULL, "UPDATE meldpunt_reports SET last_reminder_on = ? WHERE id = ?",
                               STORE_PARAMS(STORE_TEXT_PARAM(today_text), STORE_INT_PARAM(id)));
        if (rc == 0)
            rc = audit_append(conn, err, &jobs_actor, "report.reminder", "report", id, details);
        json_decref(details);
        if (rc != 0 || store_commit(conn, err) != 0)
            goto fail;
        (*sent)++;
    }
    store_result_free(reports);
    store_result_free(officers);
    return 0;
fail:
    store_rollback(conn);
    store_result_free(reports);
    store_result_free(officers);
    return -1;
}

/* Delete the personal data of reports closed longer ago than the retention period: the
 * sealed columns, keys and receipt, messages, files (rows and bytes), the signal and its
 * answer, and the organisation link. Kept: dates, state, judgement and norms, for the counts. */
static int jobs_retention(const alvd_app *app, store_conn *conn, rules_day today, int *deleted, alvd_err *err)
{
    store_result *reports = NULL, *files = NULL;
    char today_text[RULES_DATE_TEXT_SIZE];
    rules_date_format(today, today_text);
    *deleted = 0;
    if (store_query(conn, err, &reports,
                    "SELECT id, closed_on FROM meldpunt_reports WHERE closed_on IS NOT NULL"
                    " AND personal_data_deleted_on IS NULL",
                    STORE_NO_PARAMS) != 0)
        return -1;
    for (size_t r = 0; r < store_result_rows(reports); r++) {
        long long id = store_result_int(reports, r, 0);
        rules_day due = rules_meldpunt_deletion_due(jobs_day(store_result_text(reports, r, 1)),
                                                    (int)app->config.meldpunt_retention_months);
        if (today < due)
            continue;
        if (store_begin(conn, err) != 0 ||
            store_query(conn, err, &files, "SELECT file_name FROM meldpunt_files WHERE report_id = ?",
                        STORE_PARAMS(STORE_INT_PARAM(id))) != 0 ||
            store_execute(conn, err, NULL, "DELETE FROM meldpunt_files WHERE report_id = ?",
                          STORE_PARAMS(STORE_INT_PARAM(id))) != 0 ||
            store_execute(conn, err, NULL, "DELETE FROM meldpunt_messages WHERE report_id = ?",
                          STORE_PARAMS(STORE_INT_PARAM(id))) != 0 ||
            store_execute(conn, err, NULL, "DELETE FROM meldpunt_identity_requests WHERE report_id = ?",
                          STORE_PARAMS(STORE_INT_PARAM(id))) != 0 ||
            store_execute(conn, err, NULL,
                          "DELETE s FROM meldpunt_signals s JOIN meldpunt_reports r ON r.signal_id = s.id WHERE r.id = ?",
                          STORE_PARAMS(STORE_INT_PARAM(id))) != 0 ||
            store_execute(conn, err, NULL,
                          "UPDATE meldpunt_reports SET organisation_id = NULL, signal_id = NULL, wrapped_key = NULL,"
                          " reporter_wrapped_key = NULL, receipt_prefix = NULL, receipt_salt = NULL,"
                          " receipt_verifier = NULL, reporter_name = NULL, reporter_email = NULL,"
                          " reporter_phone = NULL, description = NULL, feedback = NULL,"
                          " personal_data_deleted_on = ? WHERE id = ?",
                          STORE_PARAMS(STORE_TEXT_PARAM(today_text), STORE_INT_PARAM(id))) != 0 ||
            audit_append(conn, err, &jobs_actor, "report.personal_data_deleted", "report", id, NULL) != 0 ||
            store_commit(conn, err) != 0)
            goto fail;
        /* The bytes go after the commit: a crash in between leaves an orphan ciphertext
         * whose key is already gone, which reveals nothing. */
        for (size_t f = 0; f < store_result_rows(files); f++) {
            char path[700];
            meldpunt_file_path(app, store_result_text(files, f, 0), path, sizeof path);
            if (unlink(path) != 0)
                log_warn("meldpunt retention: an attachment file of report %lld was already gone", id);
        }
        store_result_free(files);
        files = NULL;
        (*deleted)++;
    }
    store_result_free(reports);
    return 0;
fail:
    store_rollback(conn);
    store_result_free(files);
    store_result_free(reports);
    return -1;
}

int meldpunt_jobs_run(const alvd_app *app, store_conn *conn, meldpunt_job_counts *counts, alvd_err *err)
{
    rules_day today = meldpunt_today(app);
    memset(counts, 0, sizeof *counts);
    /* Unlocks of sessions that ended are useless (the token is gone) and are dropped. */
    if (store_execute(conn, err, NULL,
                      "DELETE u FROM meldpunt_unlocks u JOIN sessions s ON s.id = u.session_id"
                      " WHERE s.revoked_at IS NOT NULL OR s.expires_at < UTC_TIMESTAMP(6)",
                      STORE_NO_PARAMS) != 0)
        return -1;
    if (jobs_reminders(app, conn, today, &counts->reminders, err) != 0)
        return -1;
    return jobs_retention(app, conn, today, &counts->personal_data_deleted, err);
}

void meldpunt_jobs_endpoint(http_request *request)
{
    meldpunt_job_counts counts;
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    if (meldpunt_jobs_run(http_request_app(request), http_request_db(request), &counts, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *details = json_pack("{s:i, s:i}", "reminders", counts.reminders, "personal_data_deleted",
                                counts.personal_data_deleted);
    audit_append(http_request_db(request), &err, &actor, "meldpunt.jobs_run", "meldpunt", 0, details);
    http_reply_json(request, 200, details);
}

/* The periodic job (see include/alvd/mail/periodic.h): reminders and retention. */
int meldpunt_jobs_periodic(const alvd_app *app, store_conn *conn, alvd_err *err)
{
    meldpunt_job_counts counts;
    if (meldpunt_jobs_run(app, conn, &counts, err) != 0)
        return -1;
    if (counts.reminders || counts.personal_data_deleted)
        log_info("meldpunt jobs: %d reminder(s), personal data of %d report(s) deleted", counts.reminders,
                 counts.personal_data_deleted);
    return 0;
}
