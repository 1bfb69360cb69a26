/* The officer's case routes (overview, the unsealed report, its files and workflow steps)
 * and the contacts' hearing routes; the flows are service/meldpunt_cases.c. */
#include "alvd/api/meldpunt.h"

#include <stdlib.h>
#include <string.h>

#include "alvd/http/input.h"

static const char *cases_locked_message = "Ontgrendel eerst het meldpunt met uw wachtzin.";

/* Reply body (taking it) or the error. */
static void cases_reply(http_request *request, int status, json_t *body, const alvd_err *err)
{
    if (body == NULL)
        http_reply_err(request, err);
    else
        http_reply_json(request, status, body);
}

void meldpunt_reports_list(http_request *request)
{
    alvd_err err;
    alvd_err_clear(&err);
    cases_reply(request, 200, service_meldpunt_cases_overview(http_request_app(request), http_request_db(request), &err),
                &err);
}

void meldpunt_report_get(http_request *request)
{
    service_meldpunt_officer officer = meldpunt_officer_of(request);
    long long id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    json_t *body = service_meldpunt_case_open(&officer, id, &err);
    if (body == NULL && err.status == 403)
        http_reply_error(request, 403, "locked", NULL, "%s", cases_locked_message);
    else
        cases_reply(request, 200, body, &err);
}

void meldpunt_report_file(http_request *request)
{
    service_meldpunt_officer officer = meldpunt_officer_of(request);
    service_meldpunt_file file;
    long long id = 0, file_id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    file_id = http_request_id(request, "file_id");
    if (service_meldpunt_case_file(&officer, id, file_id, &file, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    char disposition[96];
    const char *type = file.content_type;
    snprintf(disposition, sizeof disposition, "attachment; filename=\"bijlage-%lld-%lld.%s\"", id, file_id,
             strcmp(type, "application/pdf") == 0 ? "pdf" : strcmp(type, "image/png") == 0 ? "png" : "jpg");
    http_reply_bytes(request, 200, type, (char *)file.bytes, file.length);
    http_reply_header(request, "Content-Disposition", disposition);
    /* A second CSP header narrows the first: the file runs nothing even if opened inline. */
    http_reply_header(request, "Content-Security-Policy", "sandbox");
}

/* ---------------------------------------------------------------- workflow steps */

void meldpunt_report_acknowledge(http_request *request)
{
    service_meldpunt_officer officer = meldpunt_officer_of(request);
    long long id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    cases_reply(request, 200, service_meldpunt_case_acknowledge(&officer, id, &err), &err);
}

void meldpunt_report_signal(http_request *request)
{
    service_meldpunt_officer officer = meldpunt_officer_of(request);
    long long id = 0;
    const char *summary = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    if (input_string(http_request_json(request), "summary", 1, 10000, &summary, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    cases_reply(request, 201, service_meldpunt_case_signal(&officer, id, summary, &err), &err);
}

void meldpunt_report_judgement(http_request *request)
{
    static const char *const judgements[] = {"compliant", "non_compliant", "explained", "pending", NULL};
    service_meldpunt_officer officer = meldpunt_officer_of(request);
    long long id = 0;
    const char *judgement = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    if (input_choice(http_request_json(request), "judgement", 1, judgements, &judgement, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    cases_reply(request, 200, service_meldpunt_case_judge(&officer, id, judgement, &err), &err);
}

void meldpunt_report_feedback(http_request *request)
{
    service_meldpunt_officer officer = meldpunt_officer_of(request);
    long long id = 0;
    const char *text = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    if (input_string(http_request_json(request), "text", 1, 20000, &text, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    cases_reply(request, 200, service_meldpunt_case_feedback(&officer, id, text, &err), &err);
}

void meldpunt_report_close(http_request *request)
{
    service_meldpunt_officer officer = meldpunt_officer_of(request);
    long long id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    cases_reply(request, 200, service_meldpunt_case_close(&officer, id, &err), &err);
}

/* ---------------------------------------------------------------- the hearing (contacts) */

void meldpunt_signals_list(http_request *request)
{
    alvd_err err;
    alvd_err_clear(&err);
    cases_reply(request, 200,
                service_meldpunt_signals_of(http_request_db(request), http_request_principal(request)->organisation_id,
                                            &err),
                &err);
}

void meldpunt_signal_get(http_request *request)
{
    long long id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    cases_reply(request, 200,
                service_meldpunt_signal_of(http_request_db(request), http_request_principal(request)->organisation_id,
                                           id, &err),
                &err);
}

void meldpunt_signal_respond(http_request *request)
{
    static const char *const stances[] = {"comply", "explain", NULL};
    const auth_principal *who = http_request_principal(request);
    service_meldpunt_answer answer = {NULL, NULL};
    long long id = 0;
    char today[RULES_DATE_TEXT_SIZE];
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    id = http_request_id(request, "id");
    rules_date_format(service_meldpunt_today(http_request_app(request)), today);
    /* Another organisation's signal is 404 before the body is looked at. */
    json_t *signal = service_meldpunt_signal_of(http_request_db(request), who->organisation_id, id, &err);
    json_decref(signal);
    if (signal == NULL || input_choice(http_request_json(request), "stance", 1, stances, &answer.stance, &err) != 0 ||
        input_string(http_request_json(request), "text", strcmp(answer.stance, "explain") == 0, 10000, &answer.text,
                     &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    cases_reply(request, 201,
                service_meldpunt_signal_answer(http_request_db(request), &actor, who->organisation_id, who->contact_id,
                                               id, &answer, today, &err),
                &err);
}
