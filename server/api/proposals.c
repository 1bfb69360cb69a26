/* Amendment proposals: each replaces, inserts or deletes articles of the Code version
 * in force, is stored as immutable revisions, and is shown as a word diff. */
#include "alvd/api/proposals.h"

#include <stdlib.h>
#include <string.h>

#include "alvd/http/input.h"
#include "alvd/service/proposals.h"

#define PROPOSALS_RATIONALE_MAX 20000
#define PROPOSALS_TEXT_MAX 50000

static int proposals_source_valid(const char *text)
{
    /* "2026H1": a meldpunt half-year report. */
    return strlen(text) == 6 && text[0] >= '1' && text[0] <= '9' && text[1] >= '0' && text[1] <= '9' &&
           text[2] >= '0' && text[2] <= '9' && text[3] >= '0' && text[3] <= '9' && text[4] == 'H' &&
           (text[5] == '1' || text[5] == '2');
}

/* The fields of a proposal body other than its changes. */
static int proposals_parse_head(json_t *body, service_proposals_input *input, json_t **changes, alvd_err *err)
{
    static const char *const fields[] = {"title", "rationale", "changes", "source_report", NULL};
    if (input_only(body, fields, err) != 0 ||
        input_line(body, "title", 1, SERVICE_PROPOSALS_TITLE_MAX, &input->title, err) != 0 ||
        input_string(body, "rationale", 1, PROPOSALS_RATIONALE_MAX, &input->rationale, err) != 0 ||
        input_string(body, "source_report", 0, 6, &input->source_report, err) != 0)
        return -1;
    if (input->source_report && !proposals_source_valid(input->source_report))
        return alvd_err_set(err, 422, "bad_source", "source_report",
                            "Verwijs naar een halfjaarrapportage van het meldpunt als JJJJH1 of JJJJH2, "
                            "bijvoorbeeld 2026H1.");
    *changes = json_object_get(body, "changes");
    if (*changes == NULL || json_is_null(*changes))
        return alvd_err_set(err, 422, "required", "changes", "Een voorstel wijzigt ten minste één artikel.");
    if (!json_is_array(*changes))
        return alvd_err_set(err, 400, "wrong_type", "changes", "Veld changes moet een lijst zijn.");
    if (json_array_size(*changes) == 0)
        return alvd_err_set(err, 422, "required", "changes", "Een voorstel wijzigt ten minste één artikel.");
    if (json_array_size(*changes) > SERVICE_PROPOSALS_MAX_CHANGES)
        return alvd_err_set(err, 422, "too_many", "changes", "Een voorstel wijzigt hoogstens %d artikelen.",
                            SERVICE_PROPOSALS_MAX_CHANGES);
    return 0;
}

/* Change number index of the body. */
static int proposals_parse_change(json_t *change, service_proposals_input *input, size_t index, alvd_err *err)
{
    static const char *const change_fields[] = {"article", "action", "text", "title", NULL};
    static const char *const actions[] = {"replace", "insert", "delete", NULL};
    service_proposals_change *out = &input->changes[index];
    const char *action = NULL;
    if (!json_is_object(change))
        return alvd_err_set(err, 400, "wrong_type", "changes", "Elke wijziging is een object.");
    if (input_only(change, change_fields, err) != 0 ||
        input_string(change, "article", 1, RULES_ARTICLE_ID_MAX, &out->article, err) != 0 ||
        input_choice(change, "action", 1, actions, &action, err) != 0 ||
        input_string(change, "text", 0, PROPOSALS_TEXT_MAX, &out->text, err) != 0 ||
        input_line(change, "title", 0, SERVICE_PROPOSALS_TITLE_MAX, &out->title, err) != 0)
        return -1;
    out->action = rules_change_action_parse(action);
    for (size_t earlier = 0; earlier < index; earlier++)
        if (strcmp(input->changes[earlier].article, out->article) == 0)
            return alvd_err_set(err, 422, "duplicate_article", "changes",
                                "Artikel %s staat twee keer in dit voorstel; neem alles over dat artikel "
                                "in één wijziging op.", out->article);
    return 0;
}

/* Parse a proposal body; what is wrong waits in input->parse_error for the service,
 * which checks the changes parsed before it against the base version first. */
static void proposals_parse(json_t *body, service_proposals_input *input)
{
    json_t *changes = NULL, *change;
    size_t index;
    memset(input, 0, sizeof *input);
    alvd_err_clear(&input->parse_error);
    if (proposals_parse_head(body, input, &changes, &input->parse_error) != 0) {
        input->parse_failed = 1;
        return;
    }
    json_array_foreach(changes, index, change) {
        if (proposals_parse_change(change, input, index, &input->parse_error) != 0) {
            input->parse_failed = 1;
            return;
        }
        input->count++;
    }
}

void proposals_create(http_request *request)
{
    service_proposals_input *input = calloc(1, sizeof *input);
    json_t *proposal = NULL;
    long long cycle_id = http_request_id(request, "id");
    alvd_err err;
    alvd_err_clear(&err);
    if (input == NULL) {
        http_reply_error(request, 500, "out_of_memory", NULL, "Geen geheugen.");
        return;
    }
    proposals_parse(http_request_json(request), input);
    audit_actor actor = http_request_actor(request);
    int rc = service_proposals_create(http_request_db(request), &actor, http_request_principal(request)->user_id,
                                      cycle_id, input, &proposal, &err);
    free(input);
    http_reply_result(request, rc, 201, proposal, &err);
}

void proposals_from_suggestion(http_request *request)
{
    json_t *body = http_request_json(request), *proposal = NULL;
    long long suggestion_id, cycle_id = 0;
    const char *article = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    suggestion_id = http_request_id(request, "id");
    if (input_integer(body, "cycle_id", 1, 1, 1LL << 53, &cycle_id, NULL, &err) != 0 ||
        input_string(body, "article", 0, RULES_ARTICLE_ID_MAX, &article, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    audit_actor actor = http_request_actor(request);
    int rc = service_proposals_from_suggestion(http_request_db(request), &actor,
                                               http_request_principal(request)->user_id, suggestion_id, cycle_id,
                                               article, &proposal, &err);
    http_reply_result(request, rc, 201, proposal, &err);
}

void proposals_list(http_request *request)
{
    json_t *items = NULL;
    long long cycle_id;
    alvd_err err;
    alvd_err_clear(&err);
    cycle_id = http_request_id(request, "id");
    int rc = service_proposals_list(http_request_db(request), cycle_id, &items, &err);
    http_reply_result(request, rc, 200, rc == 0 ? json_pack("{s:o}", "items", items) : NULL, &err);
}

void proposals_get(http_request *request)
{
    const auth_principal *who = http_request_principal(request);
    json_t *proposal = NULL;
    long long id;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    long long organisation_id = who->kind == AUTH_KIND_USER ? 0 : who->organisation_id;
    int rc = service_proposals_get(http_request_db(request), id, organisation_id, &proposal, &err);
    http_reply_result(request, rc, 200, proposal, &err);
}

void proposals_update(http_request *request)
{
    service_proposals_input *input = calloc(1, sizeof *input);
    json_t *proposal = NULL;
    long long id = http_request_id(request, "id");
    alvd_err err;
    alvd_err_clear(&err);
    if (input == NULL) {
        http_reply_error(request, 500, "out_of_memory", NULL, "Geen geheugen.");
        return;
    }
    proposals_parse(http_request_json(request), input);
    audit_actor actor = http_request_actor(request);
    int rc = service_proposals_revise(http_request_db(request), &actor, http_request_principal(request)->user_id, id,
                                      input, &proposal, &err);
    free(input);
    http_reply_result(request, rc, 200, proposal, &err);
}

void proposals_revisions(http_request *request)
{
    json_t *items = NULL;
    long long id;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    int rc = service_proposals_revisions(http_request_db(request), id, &items, &err);
    http_reply_result(request, rc, 200, rc == 0 ? json_pack("{s:o}", "items", items) : NULL, &err);
}

/* A revision number from the query string; 0 when absent, -1 when malformed. */
static int proposals_query_number(http_request *request, const char *name, long long *number)
{
    const char *text = http_request_query(request, name);
    *number = 0;
    if (text == NULL || text[0] == '\0')
        return 0;
    return input_id_text(text, number) == 0 ? 0 : -1;
}

void proposals_compare(http_request *request)
{
    json_t *result = NULL;
    long long id, from = 0, to = 0;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    if (proposals_query_number(request, "from", &from) != 0 || proposals_query_number(request, "to", &to) != 0) {
        http_reply_error(request, 400, "bad_revision", "from", "Geef versienummers als from=1&to=2.");
        return;
    }
    int rc = service_proposals_compare(http_request_db(request), id, from, to, &result, &err);
    http_reply_result(request, rc, 200, result, &err);
}

void proposals_ready(http_request *request)
{
    json_t *result = NULL;
    long long id;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    audit_actor actor = http_request_actor(request);
    int rc = service_proposals_ready(http_request_db(request), &actor, id, &result, &err);
    http_reply_result(request, rc, 200, result, &err);
}
