/* POST /api/proposals/{id}/effective-date: the effective date E of an adopted proposal
 * (R3), W = E − 28 with the R7 warnings and advice, and the scheduled Code version. */
#include "alvd/api/adoption.h"

#include "alvd/base/clock.h"
#include "alvd/http/input.h"
#include "alvd/service/adoption.h"

/* The answer: E, W with warning, holiday and send-by advice, the earliest E and the
 * version it is part of. */
static json_t *adoption_answer(const service_adoption_result *result)
{
    const rules_withdrawal_deadline *deadline = &result->deadline;
    const rules_effective_check *check = &result->check;
    char w[RULES_DATE_TEXT_SIZE], send_by[RULES_DATE_TEXT_SIZE], earliest[RULES_DATE_TEXT_SIZE];
    json_t *warnings = json_array();
    if (deadline->warning[0])
        json_array_append_new(warnings, json_string(deadline->warning));
    json_t *body = json_pack("{s:I, s:s, s:s, s:I, s:o, s:s, s:s, s:s, s:b}", "proposal_id",
                             (json_int_t)result->proposal_id, "effective_from", result->effective_from,
                             "withdrawal_deadline", rules_date_format(deadline->deadline, w), "version_id",
                             (json_int_t)result->version_id, "warnings", warnings, "send_by",
                             rules_date_format(deadline->send_by, send_by), "advice", deadline->advice,
                             "earliest_effective_date", rules_date_format(check->earliest, earliest), "is_earliest",
                             check->is_earliest);
    json_object_set_new(body, "note", check->note[0] ? json_string(check->note) : json_null());
    if (deadline->holiday_name)
        json_object_set_new(body, "holiday", json_string(deadline->holiday_name));
    return body;
}

void adoption_effective_date(http_request *request)
{
    json_t *body = http_request_json(request);
    const alvd_app *app = http_request_app(request);
    audit_actor actor = http_request_actor(request);
    service_adoption_request input = {
        .actor = &actor,
        .user_id = http_request_principal(request)->user_id,
        .today = clock_today(&app->config),
        .data_dir = app->config.data_dir,
    };
    service_adoption_result result;
    alvd_err err;
    alvd_err_clear(&err);
    input.proposal_id = http_request_id(request, "id");
    if (input_date(body, "date", 1, &input.date, &err) != 0 ||
        service_adoption_set_effective_date(http_request_db(request), &input, &result, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, adoption_answer(&result));
}
