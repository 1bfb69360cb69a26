/* The meldpunt's public side: organisation search and norms for the form, the
 * confidential intake and receipt follow-up (the flows are service/meldpunt_intake.c). */
#include "alvd/api/meldpunt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alvd/http/input.h"
#include "alvd/http/limiter.h"
#include "alvd/rules/meldpunt.h"
#include "alvd/rules/member_import.h"

/* Per client address, counted in this process's memory only (http_limiter: no row, no
 * time, no hash of the address in the database; its key changes every window). */
#define REPORTS_PER_CLIENT 10       /* per MELDPUNT_LIMIT_WINDOW_SECONDS */
#define RECEIPT_FAILURES_PER_CLIENT 10
#define MELDPUNT_NORMS_MAX 12

/* ---------------------------------------------------------------- public lookups */

void meldpunt_organisations(http_request *request)
{
    const char *q = http_request_query(request, "q");
    store_result *rows = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (q && strlen(q) > 100) {
        http_reply_error(request, 400, "bad_query", "q", "Zoek op hoogstens 100 tekens.");
        return;
    }
    if (service_meldpunt_organisations(http_request_db(request), q, &rows, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, json_pack("{s:o}", "items", store_result_json(rows)));
    store_result_free(rows);
}

void meldpunt_norms(http_request *request)
{
    store_result *rows = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (service_meldpunt_norms(http_request_app(request), http_request_db(request), &rows, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, json_pack("{s:o}", "items", store_result_json(rows)));
    store_result_free(rows);
}

/* ---------------------------------------------------------------- intake */

/* The attachments' shape: a list of at most three {name, content_base64} objects (the
 * service decodes and checks the files). */
static int meldpunt_attachments_parse(json_t *list, service_meldpunt_attachment *attachments, size_t *count,
                                      alvd_err *err)
{
    static const char *const fields[] = {"name", "content_base64", NULL};
    *count = 0;
    if (list == NULL || json_is_null(list))
        return 0;
    if (!json_is_array(list))
        return alvd_err_set(err, 400, "bad_type", "attachments", "Bijlagen horen in een lijst.");
    if (json_array_size(list) > MELDPUNT_ATTACHMENTS_MAX)
        return alvd_err_set(err, 422, "too_many_files", "attachments",
                            "Voeg hoogstens %d bijlagen toe.", MELDPUNT_ATTACHMENTS_MAX);
    for (size_t i = 0; i < json_array_size(list); i++) {
        json_t *item = json_array_get(list, i);
        service_meldpunt_attachment *attachment = &attachments[(*count)++];
        if (!json_is_object(item))
            return alvd_err_set(err, 400, "bad_type", "attachments", "Een bijlage is geen object.");
        if (input_only(item, fields, err) != 0 || input_string(item, "name", 0, 200, &attachment->name, err) != 0 ||
            input_string(item, "content_base64", 1, MELDPUNT_REPORT_BODY_LIMIT, &attachment->content_base64, err) != 0)
            return -1;
    }
    return 0;
}

/* The reporter, the organisation, the norms and the text of the form. */
static int meldpunt_submission_parse(json_t *body, service_meldpunt_submission *submission,
                                     const char *norms[MELDPUNT_NORMS_MAX], alvd_err *err)
{
    static const char *const fields[] = {"reporter", "organisation_id", "norms", "text", "attachments", NULL};
    static const char *const reporter_fields[] = {"name", "email", "phone", NULL};
    json_t *reporter = json_object_get(body, "reporter");
    json_t *norm_list = json_object_get(body, "norms");
    if (input_only(body, fields, err) != 0)
        return -1;
    if (!json_is_object(reporter))
        return alvd_err_set(err, 400, "missing", "reporter", "Vul uw naam en e-mailadres in.");
    if (input_only(reporter, reporter_fields, err) != 0 ||
        input_line(reporter, "name", 1, 200, &submission->name, err) != 0 ||
        input_string(reporter, "email", 1, 254, &submission->email, err) != 0 ||
        input_line(reporter, "phone", 0, 40, &submission->phone, err) != 0 ||
        input_integer(body, "organisation_id", 1, 1, 1LL << 53, &submission->organisation_id, NULL, err) != 0 ||
        input_string(body, "text", 1, 20000, &submission->text, err) != 0)
        return -1;
    /* The same check as the register's: one @, a dot in the domain, no spaces. The
     * form promises an acknowledgement, so an address it cannot go to is refused. */
    if (!rules_member_email_is_valid(submission->email))
        return alvd_err_set(err, 422, "bad_email", "reporter.email",
                            "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.");
    if (!json_is_array(norm_list) || json_array_size(norm_list) == 0 ||
        json_array_size(norm_list) > MELDPUNT_NORMS_MAX)
        return alvd_err_set(err, 422, "bad_norms", "norms", "Kies één of meer normen uit de Code.");
    for (size_t i = 0; i < json_array_size(norm_list); i++)
        norms[i] = json_string_value(json_array_get(norm_list, i));
    submission->norms = norms;
    submission->norm_count = json_array_size(norm_list);
    return 0;
}

int meldpunt_report_precheck(http_request *request, alvd_err *err)
{
    /* Checked when the headers are in, before the body is read; in memory like the
     * check in meldpunt_report_create, so nothing stored links an address to a report. */
    return http_limiter_check(http_request_app(request)->meldpunt_limiter, "meldpunt_report",
                              http_request_client(request), REPORTS_PER_CLIENT, (int64_t)time(NULL), err);
}

void meldpunt_report_create(http_request *request)
{
    const alvd_app *app = http_request_app(request);
    json_t *body = http_request_json(request);
    service_meldpunt_attachment attachments[MELDPUNT_ATTACHMENTS_MAX];
    service_meldpunt_submission submission;
    service_meldpunt_receipt receipt;
    const char *norms[MELDPUNT_NORMS_MAX];
    char subject[64];
    alvd_err err;
    alvd_err_clear(&err);
    memset(&submission, 0, sizeof submission);
    snprintf(subject, sizeof subject, "%s", http_request_client(request));
    if (meldpunt_submission_parse(body, &submission, norms, &err) != 0 ||
        http_limiter_check(app->meldpunt_limiter, "meldpunt_report", subject, REPORTS_PER_CLIENT, (int64_t)time(NULL),
                           &err) != 0 ||
        meldpunt_attachments_parse(json_object_get(body, "attachments"), attachments, &submission.attachment_count,
                                   &err) != 0)
        goto fail;
    submission.attachments = attachments;
    if (service_meldpunt_report_submit(app, http_request_db(request), &submission, &receipt, &err) != 0)
        goto fail;
    http_limiter_record(app->meldpunt_limiter, "meldpunt_report", subject, (int64_t)time(NULL));
    sodium_memzero(subject, sizeof subject);
    char received[RULES_DATE_TEXT_SIZE], ack_due[RULES_DATE_TEXT_SIZE], feedback_due[RULES_DATE_TEXT_SIZE];
    http_reply_json(request, 201,
                    json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)receipt.id, "receipt",
                              receipt.receipt, "received_on", rules_date_format(receipt.received_on, received),
                              "acknowledgement_due",
                              rules_date_format(rules_meldpunt_ack_due(receipt.received_on), ack_due), "feedback_due",
                              rules_date_format(rules_meldpunt_feedback_due(receipt.received_on), feedback_due),
                              "acknowledgement_mailed", receipt.mailed));
    sodium_memzero(&receipt, sizeof receipt);
    return;
fail:
    sodium_memzero(subject, sizeof subject);
    http_reply_err(request, &err);
}

/* ---------------------------------------------------------------- follow-up by receipt */

/* Receipt guesses are limited per client address: checked before, counted on a miss. */
static int meldpunt_receipt_limit(http_request *request, alvd_err *err)
{
    return http_limiter_check(http_request_app(request)->meldpunt_limiter, "meldpunt_receipt",
                              http_request_client(request), RECEIPT_FAILURES_PER_CLIENT, (int64_t)time(NULL), err);
}

static void meldpunt_receipt_missed(http_request *request, const alvd_err *err)
{
    if (err->status == 404 && strcmp(err->code, "receipt_unknown") == 0)
        http_limiter_record(http_request_app(request)->meldpunt_limiter, "meldpunt_receipt",
                            http_request_client(request), (int64_t)time(NULL));
}

static const char *meldpunt_state_label(const char *state)
{
    static const struct { const char *state, *label; } labels[] = {
        {"received", "Ontvangen"},
        {"acknowledged", "In behandeling genomen"},
        {"signal_sent", "De organisatie is om een reactie gevraagd"},
        {"response", "De organisatie heeft gereageerd"},
        {"judgement", "Het meldpunt heeft een oordeel gegeven"},
        {"feedback", "Terugkoppeling gegeven"},
        {"closed", "Afgesloten"},
    };
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].state, state) == 0)
            return labels[i].label;
    return state;
}

static const char *meldpunt_date_or_null(const char *date)
{
    return date[0] ? date : NULL;
}

void meldpunt_follow_up(http_request *request)
{
    service_meldpunt_progress progress;
    const char *receipt = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (input_string(http_request_json(request), "receipt", 1, 64, &receipt, &err) != 0 ||
        meldpunt_receipt_limit(request, &err) != 0 ||
        service_meldpunt_follow_up(http_request_db(request), receipt, &progress, &err) != 0) {
        meldpunt_receipt_missed(request, &err);
        http_reply_err(request, &err);
        return;
    }
    json_t *body = json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s, s:I}", "id", (json_int_t)progress.id,
                             "received_on", progress.received_on, "state", progress.state, "state_label",
                             meldpunt_state_label(progress.state), "acknowledged_on",
                             meldpunt_date_or_null(progress.acknowledged_on), "fed_back_on",
                             meldpunt_date_or_null(progress.fed_back_on), "closed_on",
                             meldpunt_date_or_null(progress.closed_on), "feedback_due", progress.feedback_due,
                             "messages", (json_int_t)progress.messages);
    json_object_set_new(body, "feedback", progress.feedback ? json_string(progress.feedback) : json_null());
    if (progress.feedback)
        sodium_memzero(progress.feedback, strlen(progress.feedback));
    free(progress.feedback);
    http_reply_json(request, 200, body);
}

void meldpunt_follow_up_message(http_request *request)
{
    const char *receipt = NULL, *text = NULL;
    long long message_id = 0;
    char today[RULES_DATE_TEXT_SIZE];
    alvd_err err;
    alvd_err_clear(&err);
    if (input_string(http_request_json(request), "receipt", 1, 64, &receipt, &err) != 0 ||
        input_string(http_request_json(request), "text", 1, 20000, &text, &err) != 0 ||
        meldpunt_receipt_limit(request, &err) != 0 ||
        service_meldpunt_follow_up_message(http_request_app(request), http_request_db(request), receipt, text,
                                           &message_id, today, &err) != 0) {
        meldpunt_receipt_missed(request, &err);
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 201, json_pack("{s:I, s:s}", "id", (json_int_t)message_id, "created_on", today));
}
