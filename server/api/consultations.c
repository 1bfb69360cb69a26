/* Consultation rounds (Code art. 7): the board consults every bound organisation on
 * the proposals; their comments, the board's replies and the reactienota. */
#include "alvd/api/consultations.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/http/input.h"
#include "alvd/rules/cycle.h"
#include "alvd/rules/dates.h"
#include "alvd/service/consultations.h"

#define CONSULTATIONS_COMMENT_MAX 10000
#define CONSULTATIONS_REPLY_MAX 20000

/* Who asks: staff see everything (organisation 0), a contact their organisation's. */
static service_consultations_party consultations_party(http_request *request)
{
    const auth_principal *who = http_request_principal(request);
    service_consultations_party party = {0, who->contact_id, who->user_id};
    if (who->kind != AUTH_KIND_USER)
        party.organisation_id = who->organisation_id;
    return party;
}

/* "proposal_ids": 1 to SERVICE_CONSULTATIONS_MAX_PROPOSALS distinct positive numbers. */
static int consultations_parse_proposal_ids(json_t *body, service_consultations_opening *opening, alvd_err *err)
{
    json_t *ids = json_object_get(body, "proposal_ids"), *value;
    size_t index;
    if (!json_is_array(ids))
        return alvd_err_set(err, ids ? 400 : 422, ids ? "wrong_type" : "required", "proposal_ids",
                            "Geef de voorstellen van de ronde als lijst van nummers (proposal_ids).");
    if (json_array_size(ids) == 0 || json_array_size(ids) > SERVICE_CONSULTATIONS_MAX_PROPOSALS)
        return alvd_err_set(err, 422, "required", "proposal_ids", "Een ronde gaat over 1 tot %d voorstellen.",
                            SERVICE_CONSULTATIONS_MAX_PROPOSALS);
    json_array_foreach(ids, index, value) {
        if (!json_is_integer(value) || json_integer_value(value) <= 0)
            return alvd_err_set(err, 400, "wrong_type", "proposal_ids", "Elk voorstel is een positief nummer.");
        for (size_t i = 0; i < opening->count; i++)
            if (opening->proposal_ids[i] == json_integer_value(value))
                return alvd_err_set(err, 422, "duplicate", "proposal_ids",
                                    "Voorstel %lld staat twee keer in de lijst.", opening->proposal_ids[i]);
        opening->proposal_ids[opening->count++] = json_integer_value(value);
    }
    return 0;
}

void consultations_open(http_request *request)
{
    json_t *body = http_request_json(request), *result = NULL;
    service_consultations_opening opening;
    long long cycle_id;
    alvd_err err;
    alvd_err_clear(&err);
    memset(&opening, 0, sizeof opening);
    cycle_id = http_request_id(request, "id");
    if (input_string(body, "opens_at", 1, 40, &opening.opens_text, &err) != 0 ||
        input_string(body, "closes_at", 1, 40, &opening.closes_text, &err) != 0 ||
        rules_instant_parse(opening.opens_text, "opens_at", &opening.opens, &err) != 0 ||
        rules_instant_parse(opening.closes_text, "closes_at", &opening.closes, &err) != 0 ||
        rules_round_check_instants(opening.opens, opening.closes, &err) != 0 ||
        consultations_parse_proposal_ids(body, &opening, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    audit_actor actor = http_request_actor(request);
    int rc = service_consultations_open(http_request_db(request), &actor, http_request_principal(request)->user_id,
                                        http_request_app(request)->config.public_url, cycle_id, &opening, &result,
                                        &err);
    http_reply_result(request, rc, 201, result, &err);
}

void consultations_list(http_request *request)
{
    service_consultations_party party = consultations_party(request);
    alvd_err err;
    alvd_err_clear(&err);
    json_t *items = service_consultations_list_json(http_request_db(request), 0, party.organisation_id, &err);
    http_reply_result(request, items ? 0 : -1, 200, items ? json_pack("{s:o}", "items", items) : NULL, &err);
}

void consultations_get(http_request *request)
{
    service_consultations_party party = consultations_party(request);
    json_t *round = NULL;
    long long id;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    int rc = service_consultations_get(http_request_db(request), id, &party, &round, &err);
    http_reply_result(request, rc, 200, round, &err);
}

void consultations_close(http_request *request)
{
    json_t *round = NULL;
    long long id;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    audit_actor actor = http_request_actor(request);
    int rc = service_consultations_close(http_request_db(request), &actor, id, &round, &err);
    http_reply_result(request, rc, 200, round, &err);
}

void consultations_remind(http_request *request)
{
    json_t *result = NULL;
    long long id;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    audit_actor actor = http_request_actor(request);
    int rc = service_consultations_remind(http_request_db(request), &actor,
                                          http_request_app(request)->config.public_url, id, &result, &err);
    http_reply_result(request, rc, 200, result, &err);
}

void consultations_comment(http_request *request)
{
    json_t *body = http_request_json(request), *comment = NULL;
    service_consultations_party party = consultations_party(request);
    const char *article = NULL, *text = NULL;
    long long id, proposal_id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    /* Contacts only (the route's roles): their organisation even when it is 0. */
    party.organisation_id = http_request_principal(request)->organisation_id;
    if (input_integer(body, "proposal_id", 1, 1, (long long)1 << 53, &proposal_id, NULL, &err) != 0 ||
        input_string(body, "article", 0, RULES_ARTICLE_ID_MAX, &article, &err) != 0 ||
        input_string(body, "text", 1, CONSULTATIONS_COMMENT_MAX, &text, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    audit_actor actor = http_request_actor(request);
    int rc = service_consultations_comment(http_request_db(request), &actor, &party, id, proposal_id, article, text,
                                           &comment, &err);
    http_reply_result(request, rc, 201, comment, &err);
}

void consultations_comment_update(http_request *request)
{
    json_t *body = http_request_json(request), *comment = NULL;
    service_consultations_party party = consultations_party(request);
    const char *text = NULL;
    long long id;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    party.organisation_id = http_request_principal(request)->organisation_id;
    if (input_string(body, "text", 1, CONSULTATIONS_COMMENT_MAX, &text, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    audit_actor actor = http_request_actor(request);
    int rc = service_consultations_comment_update(http_request_db(request), &actor, &party, id, text, &comment, &err);
    http_reply_result(request, rc, 200, comment, &err);
}

void consultations_reply(http_request *request)
{
    json_t *body = http_request_json(request), *result = NULL;
    const char *text = NULL, *led_to_change = NULL;
    long long id;
    int status = 200;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    if (input_string(body, "text", 1, CONSULTATIONS_REPLY_MAX, &text, &err) != 0 ||
        input_string(body, "led_to_change", 0, CONSULTATIONS_REPLY_MAX, &led_to_change, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    audit_actor actor = http_request_actor(request);
    int rc = service_consultations_reply(http_request_db(request), &actor, http_request_principal(request)->user_id, id,
                                         text, led_to_change, &status, &result, &err);
    http_reply_result(request, rc, status, result, &err);
}

/* The reactienota as CSV, offered as a download. */
static void consultations_report_csv(http_request *request, long long id)
{
    char *csv = NULL, filename[96], disposition[128];
    size_t length = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (service_consultations_report_csv(http_request_db(request), id, &csv, &length, filename, sizeof filename,
                                         &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"", filename);
    http_reply_bytes(request, 200, "text/csv; charset=utf-8", csv, length);
    http_reply_header(request, "Content-Disposition", disposition);
}

void consultations_report(http_request *request)
{
    json_t *report = NULL;
    long long id;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    const char *format = http_request_query(request, "format");
    if (format && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0) {
        http_reply_error(request, 400, "bad_format", "format", "Kies format=json of format=csv.");
        return;
    }
    if (format && strcmp(format, "csv") == 0) {
        consultations_report_csv(request, id);
        return;
    }
    int rc = service_consultations_report(http_request_db(request), id, &report, &err);
    http_reply_result(request, rc, 200, report, &err);
}
