/* The yearly amendment cycle: one per year, its state (review → drafting →
 * consultation → alv → closed) and the dates the board's timeline shows. */
#include "alvd/api/cycles.h"

#include "alvd/http/input.h"
#include "alvd/service/cycle_state.h"
#include "alvd/service/cycles.h"
#include "alvd/store/cycles.h"

/* The three optional dates both POST and PATCH take. */
static int cycles_parse_dates(json_t *body, service_cycles_input *input, alvd_err *err)
{
    return input_date(body, "review_from", 0, &input->review_from, err) != 0 ||
                   input_date(body, "alv_date", 0, &input->alv_date, err) != 0 ||
                   input_date(body, "effective_date", 0, &input->effective_date, err) != 0
               ? -1
               : 0;
}

void cycles_create(http_request *request)
{
    json_t *body = http_request_json(request), *cycle = NULL;
    service_cycles_input input = {0};
    alvd_err err;
    alvd_err_clear(&err);
    if (input_integer(body, "year", 1, 2000, 2200, &input.year, NULL, &err) != 0 ||
        cycles_parse_dates(body, &input, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    audit_actor actor = http_request_actor(request);
    int rc = service_cycles_create(http_request_db(request), &actor, http_request_principal(request)->user_id, &input,
                                   &cycle, &err);
    http_reply_result(request, rc, 201, cycle, &err);
}

void cycles_list(http_request *request)
{
    json_t *items = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    int rc = service_cycles_list(http_request_db(request), &items, &err);
    http_reply_result(request, rc, 200, rc == 0 ? json_pack("{s:o}", "items", items) : NULL, &err);
}

void cycles_get(http_request *request)
{
    json_t *cycle = NULL;
    long long id;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    int rc = service_cycles_get(http_request_db(request), id, &cycle, &err);
    http_reply_result(request, rc, 200, cycle, &err);
}

void cycles_update(http_request *request)
{
    static const char *const states[] = {"review", "drafting", "consultation", "alv", "closed", NULL};
    json_t *body = http_request_json(request), *cycle = NULL;
    service_cycles_input input = {0};
    long long id;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    if (input_choice(body, "state", 0, states, &input.state, &err) != 0 ||
        cycles_parse_dates(body, &input, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    audit_actor actor = http_request_actor(request);
    int rc = service_cycles_update(http_request_db(request), &actor, id, &input, &cycle, &err);
    http_reply_result(request, rc, 200, cycle, &err);
}
