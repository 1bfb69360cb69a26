/* The cycle flows: the checks of the legal calendar (R3) before a date is stored, the
 * state machine's rules before a state changes, and the audit entry of each change. */
#include "alvd/service/cycles.h"

#include "alvd/rules/cycle.h"
#include "alvd/rules/dates.h"
#include "alvd/rules/deadlines.h"
#include "alvd/service/consultations.h"
#include "alvd/service/cycle_state.h"
#include "alvd/service/proposals.h"
#include "alvd/store/cycles.h"

/* ------------------------------------------------------------------ rendering */

/* The dates derived by the rules: earliest effective date (R3) and the withdrawal
 * deadline with its weekend/holiday warning (R4, R7). */
static void service_cycles_add_derived_dates(json_t *cycle)
{
    const char *alv = json_string_value(json_object_get(cycle, "alv_date"));
    const char *effective = json_string_value(json_object_get(cycle, "effective_date"));
    rules_day decision, effective_day;
    char text[RULES_DATE_TEXT_SIZE];
    if (alv && rules_date_parse(alv, NULL, &decision, NULL) == 0)
        json_object_set_new(cycle, "earliest_effective_date",
                            json_string(rules_date_format(rules_earliest_effective_date(decision), text)));
    if (effective && rules_date_parse(effective, NULL, &effective_day, NULL) == 0) {
        rules_withdrawal_deadline deadline;
        rules_withdrawal_deadline_for(effective_day, 0, &deadline);
        json_object_set_new(cycle, "withdrawal_deadline", json_string(rules_date_format(deadline.deadline, text)));
        json_object_set_new(cycle, "withdrawal_send_by", json_string(rules_date_format(deadline.send_by, text)));
        json_object_set_new(cycle, "withdrawal_warning", json_string(deadline.warning));
        json_object_set_new(cycle, "withdrawal_advice", json_string(deadline.advice));
    }
}

static json_t *service_cycles_next_states(rules_cycle_state state, long long rounds_held)
{
    json_t *next = json_array();
    for (rules_cycle_state to = RULES_CYCLE_REVIEW; to <= RULES_CYCLE_CLOSED; to++)
        if (rules_cycle_transition_allowed(state, to, (int)rounds_held))
            json_array_append_new(next, json_string(rules_cycle_state_name(to)));
    return next;
}

/* One row of store_cycles_select as the API shows it. */
static json_t *service_cycles_row_json(const store_result *rows, size_t row)
{
    json_t *cycle = store_result_row_json(rows, row);
    rules_cycle_state state = rules_cycle_state_parse(store_result_text(rows, row, 2));
    json_object_set_new(cycle, "state_label", json_string(rules_cycle_state_label(state)));
    service_cycles_add_derived_dates(cycle);
    return cycle;
}

/* ------------------------------------------------------------------ reading */

int service_cycles_list(store_conn *conn, json_t **items, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_cycles_select(conn, 0, &rows, err) != 0)
        return -1;
    *items = json_array();
    for (size_t r = 0; r < store_result_rows(rows); r++)
        json_array_append_new(*items, service_cycles_row_json(rows, r));
    store_result_free(rows);
    return 0;
}

/* The cycle's row as listed, and its state; 404 when there is none. */
static int service_cycles_load_one(store_conn *conn, long long id, json_t **cycle, rules_cycle_state *state,
                                   alvd_err *err)
{
    store_result *rows = NULL;
    if (store_cycles_select(conn, id, &rows, err) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", NULL, "Deze cyclus bestaat niet.");
    }
    *cycle = service_cycles_row_json(rows, 0);
    *state = rules_cycle_state_parse(store_result_text(rows, 0, 2));
    store_result_free(rows);
    return 0;
}

int service_cycles_get(store_conn *conn, long long id, json_t **cycle, alvd_err *err)
{
    rules_cycle_state state;
    long long held = 0;
    json_t *proposals = NULL, *rounds = NULL;
    *cycle = NULL;
    if (service_cycles_load_one(conn, id, cycle, &state, err) != 0)
        return -1;
    if (store_cycles_rounds_held(conn, id, &held, err) != 0 ||
        (proposals = service_proposals_list_json(conn, id, err)) == NULL ||
        (rounds = service_consultations_list_json(conn, id, 0, err)) == NULL) {
        json_decref(*cycle);
        json_decref(proposals);
        *cycle = NULL;
        return -1;
    }
    json_object_set_new(*cycle, "rounds_held", json_integer(held));
    json_object_set_new(*cycle, "next_states", service_cycles_next_states(state, held));
    json_object_set_new(*cycle, "proposals", proposals);
    json_object_set_new(*cycle, "consultations", rounds);
    return 0;
}

/* ------------------------------------------------------------------ writing */

/* R3: the effective date at least six weeks after the ALV decision (both given). */
static int service_cycles_check_dates(const char *alv_date, const char *effective_date, alvd_err *err)
{
    rules_day decision, effective;
    rules_effective_check check;
    rules_date_parse(alv_date, "alv_date", &decision, NULL);
    rules_date_parse(effective_date, "effective_date", &effective, NULL);
    return rules_check_effective_date(decision, effective, &check, err);
}

int service_cycles_create(store_conn *conn, const audit_actor *actor, long long user_id,
                          const service_cycles_input *input, json_t **cycle, alvd_err *err)
{
    long long id = 0;
    rules_cycle_state state;
    *cycle = NULL;
    if (input->alv_date && input->effective_date &&
        service_cycles_check_dates(input->alv_date, input->effective_date, err) != 0)
        return -1;
    if (store_begin(conn, err) != 0)
        goto fail;
    if (store_cycles_insert(conn, input->year, input->review_from, input->alv_date, input->effective_date, user_id,
                            &id, err) != 0) {
        if (err->status == 409)
            alvd_err_set(err, 409, "duplicate", "year",
                         "Er is al een wijzigingscyclus voor %lld; er is één cyclus per jaar.", input->year);
        goto fail;
    }
    json_t *details = json_pack("{s:I}", "year", (json_int_t)input->year);
    int rc = audit_append(conn, err, actor, "cycle.create", "cycle", id, details);
    json_decref(details);
    if (rc != 0 || store_commit(conn, err) != 0)
        goto fail;
    return service_cycles_load_one(conn, id, cycle, &state, err);
fail:
    store_rollback(conn);
    return -1;
}

/* The new dates checked against R3 with the stored ones filling in what is not given. */
static int service_cycles_check_new_dates(store_conn *conn, long long id, const service_cycles_input *input,
                                          alvd_err *err)
{
    store_cycles_dates stored;
    if (!input->alv_date && !input->effective_date)
        return 0;
    if (store_cycles_load_dates(conn, id, &stored, err) != 0)
        return -1;
    const char *alv = input->alv_date ? input->alv_date : stored.alv_date[0] ? stored.alv_date : NULL;
    const char *effective = input->effective_date          ? input->effective_date
                            : stored.effective_date[0] ? stored.effective_date
                                                       : NULL;
    return alv && effective ? service_cycles_check_dates(alv, effective, err) : 0;
}

static int service_cycles_store_dates(store_conn *conn, const audit_actor *actor, long long id,
                                      const service_cycles_input *input, alvd_err *err)
{
    if (!input->review_from && !input->alv_date && !input->effective_date)
        return 0;
    json_t *details = json_pack("{s:s?, s:s?, s:s?}", "review_from", input->review_from, "alv_date", input->alv_date,
                                "effective_date", input->effective_date);
    int rc = store_cycles_update_dates(conn, id, input->review_from, input->alv_date, input->effective_date, err);
    if (rc == 0)
        rc = audit_append(conn, err, actor, "cycle.dates", "cycle", id, details);
    json_decref(details);
    return rc;
}

int service_cycles_update(store_conn *conn, const audit_actor *actor, long long id, const service_cycles_input *input,
                          json_t **cycle, alvd_err *err)
{
    rules_cycle_state state;
    long long held = 0;
    *cycle = NULL;
    if (store_begin(conn, err) != 0 || store_cycles_load_state(conn, id, 1, &state, NULL, err) != 0 ||
        service_cycles_check_new_dates(conn, id, input, err) != 0)
        goto fail;
    if (input->state) {
        rules_cycle_state to = rules_cycle_state_parse(input->state);
        if (to != state && (store_cycles_rounds_held(conn, id, &held, err) != 0 ||
                            rules_cycle_check_transition(state, to, (int)held, err) != 0 ||
                            service_cycle_state_set(conn, actor, id, state, to, err) != 0))
            goto fail;
    }
    if (service_cycles_store_dates(conn, actor, id, input, err) != 0 || store_commit(conn, err) != 0)
        goto fail;
    return service_cycles_get(conn, id, cycle, err);
fail:
    store_rollback(conn);
    return -1;
}
