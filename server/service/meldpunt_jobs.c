/* Meldpunt housekeeping: daily reminders to the officers about overdue reports, deletion
 * of personal data after the retention period, and dropping unlocks of ended sessions. */
#include "alvd/service/meldpunt.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "alvd/base/clock.h"
#include "alvd/base/log.h"
#include "alvd/mail/outbox.h"
#include "alvd/rules/meldpunt.h"
#include "alvd/store/meldpunt_keys.h"
#include "alvd/store/meldpunt_reports.h"

static const audit_actor jobs_actor = {"system", 0, "meldpunt jobs"};

rules_day service_meldpunt_today(const alvd_app *app)
{
    rules_day day = 0;
    if (app->config.test_today[0] && rules_date_parse(app->config.test_today, NULL, &day, NULL) == 0)
        return day;
    return clock_today(&app->config);
}

void service_meldpunt_file_path(const alvd_app *app, const char *file_name, char *out, size_t size)
{
    snprintf(out, size, "%s/meldpunt/%s", app->config.data_dir, file_name);
}

static rules_day jobs_day(const char *text)
{
    rules_day day = 0;
    if (text && text[0])
        rules_date_parse(text, NULL, &day, NULL);
    return day;
}

/* One overdue report's reminder to every officer, its mark and audit entry: one transaction.
 * The mail names the report number and the missed step, nothing of its content. */
static int jobs_remind(const alvd_app *app, store_conn *conn, const store_meldpunt_texts *officers,
                       long long id, const rules_meldpunt_timeline *timeline, const char *today_text, alvd_err *err)
{
    char due[RULES_DATE_TEXT_SIZE], text[1024], subject[160];
    rules_date_format(timeline->ack_overdue ? timeline->ack_due : timeline->feedback_due, due);
    snprintf(subject, sizeof subject, "Meldpunt: melding %lld is over tijd", id);
    snprintf(text, sizeof text,
             "Melding %lld is over tijd: %s had uiterlijk op %s moeten gebeuren.\n\n"
             "Open het meldpunt om de melding af te handelen: %s/staff/meldpunt.html\n\n"
             "(Deze herinnering komt één keer per dag zolang de melding over tijd is.)\n",
             id, timeline->ack_overdue ? "de ontvangstbevestiging (7 dagen)" : "de terugkoppeling (3 maanden)",
             due, app->config.public_url);
    if (store_begin(conn, err) != 0)
        return -1;
    for (size_t o = 0; o < officers->count; o++) {
        mail_message message = {officers->items[o], subject, text, NULL, "meldpunt_reminder"};
        if (outbox_enqueue(conn, &message, NULL, err) != 0)
            return -1;
    }
    json_t *details = json_pack("{s:s, s:s}", "step", timeline->ack_overdue ? "acknowledgement" : "feedback",
                                "due", due);
    int rc = store_meldpunt_reports_mark_reminded(conn, id, today_text, err);
    if (rc == 0)
        rc = audit_append(conn, err, &jobs_actor, "report.reminder", "report", id, details);
    json_decref(details);
    if (rc != 0)
        return -1;
    return store_commit(conn, err);
}

/* Mail every meldpunt officer once a day about each overdue report. */
static int jobs_reminders(const alvd_app *app, store_conn *conn, rules_day today, int *sent, alvd_err *err)
{
    store_meldpunt_report_dates_list reports = {0};
    store_meldpunt_texts officers = {0};
    char today_text[RULES_DATE_TEXT_SIZE];
    rules_date_format(today, today_text);
    *sent = 0;
    if (store_meldpunt_reports_unreminded(conn, today_text, &reports, err) != 0 ||
        store_meldpunt_keys_officer_emails(conn, &officers, err) != 0)
        goto fail;
    for (size_t r = 0; r < reports.count; r++) {
        const store_meldpunt_report_dates *report = &reports.items[r];
        rules_meldpunt_timeline timeline;
        rules_meldpunt_timeline_on(jobs_day(report->received_on), report->acknowledged_on[0] != '\0',
                                   jobs_day(report->acknowledged_on), report->fed_back_on[0] != '\0',
                                   jobs_day(report->fed_back_on), today, &timeline);
        if (!timeline.ack_overdue && !timeline.feedback_overdue)
            continue;
        if (jobs_remind(app, conn, &officers, report->id, &timeline, today_text, err) != 0)
            goto fail;
        (*sent)++;
    }
    store_meldpunt_report_dates_list_free(&reports);
    store_meldpunt_texts_free(&officers);
    return 0;
fail:
    store_rollback(conn);
    store_meldpunt_report_dates_list_free(&reports);
    store_meldpunt_texts_free(&officers);
    return -1;
}

/* Delete one report's personal data in one transaction, then its attachment files. */
static int jobs_delete_personal_data(const alvd_app *app, store_conn *conn, long long id, const char *today_text,
                                     alvd_err *err)
{
    store_meldpunt_texts files = {0};
    if (store_begin(conn, err) != 0 || store_meldpunt_reports_file_names(conn, id, &files, err) != 0 ||
        store_meldpunt_reports_delete_personal_data(conn, id, today_text, err) != 0 ||
        audit_append(conn, err, &jobs_actor, "report.personal_data_deleted", "report", id, NULL) != 0 ||
        store_commit(conn, err) != 0) {
        store_rollback(conn);
        store_meldpunt_texts_free(&files);
        return -1;
    }
    /* The bytes go after the commit: a crash in between leaves an orphan ciphertext
     * whose key is already gone, which reveals nothing. */
    for (size_t f = 0; f < files.count; f++) {
        char path[700];
        service_meldpunt_file_path(app, files.items[f], path, sizeof path);
        if (unlink(path) != 0)
            log_warn("meldpunt retention: an attachment file of report %lld was already gone", id);
    }
    store_meldpunt_texts_free(&files);
    return 0;
}

/* Delete the personal data of reports closed longer ago than the retention period: the
 * sealed columns, keys and receipt, messages, files (rows and bytes), the signal and its
 * answer, and the organisation link. Kept: dates, state, judgement and norms, for the counts. */
static int jobs_retention(const alvd_app *app, store_conn *conn, rules_day today, int *deleted, alvd_err *err)
{
    store_meldpunt_report_dates_list reports = {0};
    char today_text[RULES_DATE_TEXT_SIZE];
    rules_date_format(today, today_text);
    *deleted = 0;
    if (store_meldpunt_reports_closed_with_personal_data(conn, &reports, err) != 0)
        return -1;
    int rc = 0;
    for (size_t r = 0; r < reports.count && rc == 0; r++) {
        rules_day due = rules_meldpunt_deletion_due(jobs_day(reports.items[r].closed_on),
                                                    (int)app->config.meldpunt_retention_months);
        if (today < due)
            continue;
        rc = jobs_delete_personal_data(app, conn, reports.items[r].id, today_text, err);
        if (rc == 0)
            (*deleted)++;
    }
    store_meldpunt_report_dates_list_free(&reports);
    return rc;
}

int service_meldpunt_jobs_run(const alvd_app *app, store_conn *conn, service_meldpunt_job_counts *counts,
                              alvd_err *err)
{
    rules_day today = service_meldpunt_today(app);
    memset(counts, 0, sizeof *counts);
    /* Unlocks of sessions that ended are useless (the token is gone) and are dropped. */
    if (store_meldpunt_keys_delete_ended_unlocks(conn, err) != 0)
        return -1;
    if (jobs_reminders(app, conn, today, &counts->reminders, err) != 0)
        return -1;
    return jobs_retention(app, conn, today, &counts->personal_data_deleted, err);
}

int service_meldpunt_jobs_run_by(const alvd_app *app, store_conn *conn, const audit_actor *actor,
                                 service_meldpunt_job_counts *counts, alvd_err *err)
{
    if (service_meldpunt_jobs_run(app, conn, counts, err) != 0)
        return -1;
    json_t *details = json_pack("{s:i, s:i}", "reminders", counts->reminders, "personal_data_deleted",
                                counts->personal_data_deleted);
    /* The work is done and committed; a failed entry does not undo it (as before). */
    alvd_err ignored;
    alvd_err_clear(&ignored);
    audit_append(conn, &ignored, actor, "meldpunt.jobs_run", "meldpunt", 0, details);
    json_decref(details);
    return 0;
}

/* The periodic job (see include/alvd/mail/periodic.h): reminders and retention. */
int service_meldpunt_jobs_periodic(const alvd_app *app, store_conn *conn, alvd_err *err)
{
    service_meldpunt_job_counts counts;
    if (service_meldpunt_jobs_run(app, conn, &counts, err) != 0)
        return -1;
    if (counts.reminders || counts.personal_data_deleted)
        log_info("meldpunt jobs: %d reminder(s), personal data of %d report(s) deleted", counts.reminders,
                 counts.personal_data_deleted);
    return 0;
}
