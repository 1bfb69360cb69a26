/* The yearly amendment cycle: one per year, its state (review → drafting →
 * consultation → alv → closed) and the dates the board's timeline shows. */
#include "alvd/api/cycles.h"

#include <stdio.h>
#include <string.h>

#include "alvd/api/proposals.h"
#include "alvd/api/consultations.h"
#include "alvd/crypto/audit.h"
#include "alvd/http/input.h"
#include "alvd/rules/dates.h"
#include "alvd/rules/deadlines.h"

int cycles_db_now(store_conn *conn, int64_t *now, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows, "SELECT UNIX_TIMESTAMP(UTC_TIMESTAMP())", STORE_NO_PARAMS) != 0)
        return -1;
    *now = store_result_int(rows, 0, 0);
    store_result_free(rows);
    return 0;
}

int cycles_load_state(store_conn *conn, long long cycle_id, int lock, rules_cycle_state *state,
                      long long *year, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    lock ? "SELECT state, year FROM cycles WHERE id = ? FOR UPDATE"
                         : "SELECT state, year FROM cycles WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(cycle_id))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", NULL, "Deze cyclus bestaat niet.");
    }
    *state = rules_cycle_state_parse(store_result_text(rows, 0, 0));
    if (year)
        *year = store_result_int(rows, 0, 1);
    store_result_free(rows);
    return 0;
}

int cycles_set_state(store_conn *conn, const audit_actor *actor, long long cycle_id,
                     rules_cycle_state from, rules_cycle_state to, alvd_err *err)
{
    if (from == to)
        return 0;
    json_t *details = json_pack("{s:s, s:s}", "from", rules_cycle_state_name(from), "to",
                                rules_cycle_state_name(to));
    int rc = store_execute(conn, err, NULL,
                           "UPDATE cycles SET state = ?, updated_at = UTC_TIMESTAMP(6) WHERE id = ?",
                           STORE_PARAMS(STORE_TEXT_PARAM(rules_cycle_state_name(to)),
                                        STORE_INT_PARAM(cycle_id)));
    if (rc == 0)
        rc = audit_append(conn, err, actor, "cycle.state", "cycle", cycle_id, details);
    json_decref(details);
    return rc;
}

/* Rounds of the cycle that have closed: a cycle may go to the ALV only after one. */
static int cycles_rounds_held(store_conn *conn, long long cycle_id, long long *held, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT COUNT(*) FROM consultations WHERE cycle_id = ? AND closes_at <= UTC_TIMESTAMP(6)",
                    STORE_PARAMS(STORE_INT_PARAM(cycle_id))) != 0)
        return -1;
    *held = store_result_int(rows, 0, 0);
    store_result_free(rows);
    return 0;
}

/* The dates derived by the rules: earliest effective date (R3) and the withdrawal
 * deadline with its weekend/holiday warning (R4, R7). */
static void cycles_add_derived_dates(json_t *cycle)
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
        json_object_set_new(cycle, "withdrawal_deadline",
                            json_string(rules_date_format(deadline.deadline, text)));
        json_object_set_new(cycle, "withdrawal_send_by", json_string(rules_date_format(deadline.send_by, text)));
        json_object_set_new(cycle, "withdrawal_warning", json_string(deadline.warning));
        json_object_set_new(cycle, "withdrawal_advice", json_string(deadline.advice));
    }
}

static json_t *cycles_next_states(rules_cycle_state state, long long rounds_held)
{
    json_t *next = json_array();
    for (rules_cycle_state to = RULES_CYCLE_REVIEW; to <= RULES_CYCLE_CLOSED; to++)
        if (rules_cycle_transition_allowed(state, to, (int)rounds_held))
            json_array_append_new(next, json_string(rules_cycle_state_name(to)));
    return next;
}

static const char cycles_select[] =
    "SELECT id, year, state, review_from, alv_date, effective_date, created_at, updated_at"
    " FROM cycles";

static json_t *cycles_row_json(const store_result *rows, size_t row)
{
    json_t *cycle = store_result_row_json(rows, row);
    rules_cycle_state state = rules_cycle_state_parse(store_result_text(rows, row, 2));
    json_object_set_new(cycle, "state_label", json_string(rules_cycle_state_label(state)));
    cycles_add_derived_dates(cycle);
    return cycle;
}

void cycles_create(http_request *request)
{
    static const char *const fields[] = {"year", "review_from", "alv_date", "effective_date", NULL};
    json_t *body = http_request_json(request);
    store_conn *conn = http_request_db(request);
    const char *review_from = NULL, *alv_date = NULL, *effective_date = NULL;
    long long year = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (input_only(body, fields, &err) != 0 || input_integer(body, "year", 1, 2000, 2200, &year, NULL, &err) != 0 ||
        input_date(body, "review_from", 0, &review_from, &err) != 0 ||
        input_date(body, "alv_date", 0, &alv_date, &err) != 0 ||
        input_date(body, "effective_date", 0, &effective_date, &err) != 0)
        goto fail;
    if (alv_date && effective_date) {
        rules_day decision, effective;
        rules_effective_check check;
        rules_date_parse(alv_date, "alv_date", &decision, NULL);
        rules_date_parse(effective_date, "effective_date", &effective, NULL);
        if (rules_check_effective_date(decision, effective, &check, &err) != 0)
            goto fail;
    }
    const auth_principal *who = http_request_principal(request);
    audit_actor actor = http_request_actor(request);
    store_result *rows = NULL;
    if (store_begin(conn, &err) != 0)
        goto fail;
    if (store_execute(conn, &err, NULL,
                      "INSERT INTO cycles (year, state, review_from, alv_date, effective_date, created_at,"
                      " created_by, updated_at) VALUES (?, 'review', ?, ?, ?, UTC_TIMESTAMP(6), ?,"
                      " UTC_TIMESTAMP(6))",
                      STORE_PARAMS(STORE_INT_PARAM(year), STORE_TEXT_PARAM(review_from),
                                   STORE_TEXT_PARAM(alv_date), STORE_TEXT_PARAM(effective_date),
                                   STORE_INT_PARAM(who->user_id))) != 0) {
        if (err.status == 409)
            alvd_err_set(&err, 409, "duplicate", "year",
                         "Er is al een wijzigingscyclus voor %lld; er is één cyclus per jaar.", year);
        goto fail;
    }
    long long id = store_last_insert_id(conn);
    json_t *details = json_pack("{s:I}", "year", (json_int_t)year);
    int rc = audit_append(conn, &err, &actor, "cycle.create", "cycle", id, details);
    json_decref(details);
    if (rc != 0 || store_commit(conn, &err) != 0)
        goto fail;
    char sql[sizeof cycles_select + 32];
    snprintf(sql, sizeof sql, "%s WHERE id = ?", cycles_select);
    if (store_query(conn, &err, &rows, sql, STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        goto fail;
    json_t *cycle = cycles_row_json(rows, 0);
    store_result_free(rows);
    http_reply_json(request, 201, cycle);
    return;
fail:
    store_rollback(conn);
    http_reply_err(request, &err);
}

void cycles_list(http_request *request)
{
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    char sql[sizeof cycles_select + 32];
    snprintf(sql, sizeof sql, "%s ORDER BY year DESC", cycles_select);
    if (store_query(conn, &err, &rows, sql, STORE_NO_PARAMS) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t r = 0; r < store_result_rows(rows); r++)
        json_array_append_new(items, cycles_row_json(rows, r));
    store_result_free(rows);
    http_reply_json(request, 200, json_pack("{s:o}", "items", items));
}

void cycles_get(http_request *request)
{
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    long long id, held = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    char sql[sizeof cycles_select + 32];
    snprintf(sql, sizeof sql, "%s WHERE id = ?", cycles_select);
    if (store_query(conn, &err, &rows, sql, STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        http_reply_error(request, 404, "not_found", NULL, "Deze cyclus bestaat niet.");
        return;
    }
    json_t *cycle = cycles_row_json(rows, 0);
    rules_cycle_state state = rules_cycle_state_parse(store_result_text(rows, 0, 2));
    store_result_free(rows);
    json_t *proposals = NULL, *rounds = NULL;
    if (cycles_rounds_held(conn, id, &held, &err) != 0 ||
        (proposals = proposals_list_json(conn, id, &err)) == NULL ||
        (rounds = consultations_list_json(conn, id, 0, &err)) == NULL) {
        json_decref(cycle);
        json_decref(proposals);
        goto fail;
    }
    json_object_set_new(cycle, "rounds_held", json_integer(held));
    json_object_set_new(cycle, "next_states", cycles_next_states(state, held));
    json_object_set_new(cycle, "proposals", proposals);
    json_object_set_new(cycle, "consultations", rounds);
    http_reply_json(request, 200, cycle);
    return;
fail:
    http_reply_err(request, &err);
}

void cycles_update(http_request *request)
{
    static const char *const fields[] = {"state", "review_from", "alv_date", "effective_date", NULL};
    static const char *const states[] = {"review", "drafting", "consultation", "alv", "closed", NULL};
    json_t *body = http_request_json(request);
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    const char *state_name = NULL, *review_from = NULL, *alv_date = NULL, *effective_date = NULL;
    long long id, held = 0;
    rules_cycle_state state;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    if (input_only(body, fields, &err) != 0 || input_choice(body, "state", 0, states, &state_name, &err) != 0 ||
        input_date(body, "review_from", 0, &review_from, &err) != 0 ||
        input_date(body, "alv_date", 0, &alv_date, &err) != 0 ||
        input_date(body, "effective_date", 0, &effective_date, &err) != 0)
        goto fail;
    audit_actor actor = http_request_actor(request);
    if (store_begin(conn, &err) != 0 || cycles_load_state(conn, id, 1, &state, NULL, &err) != 0 ||
        store_query(conn, &err, &rows, "SELECT alv_date, effective_date FROM cycles WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        goto fail;
    const char *final_alv = alv_date ? alv_date : store_result_text(rows, 0, 0);
    const char *final_effective = effective_date ? effective_date : store_result_text(rows, 0, 1);
    if ((alv_date || effective_date) && final_alv && final_effective) {
        rules_day decision, effective;
        rules_effective_check check;
        rules_date_parse(final_alv, "alv_date", &decision, NULL);
        rules_date_parse(final_effective, "effective_date", &effective, NULL);
        if (rules_check_effective_date(decision, effective, &check, &err) != 0)
            goto fail;
    }
    if (state_name) {
        rules_cycle_state to = rules_cycle_state_parse(state_name);
        if (to != state && (cycles_rounds_held(conn, id, &held, &err) != 0 ||
                            rules_cycle_check_transition(state, to, (int)held, &err) != 0 ||
                            cycles_set_state(conn, &actor, id, state, to, &err) != 0))
            goto fail;
    }
    if (review_from || alv_date || effective_date) {
        json_t *details = json_pack("{s:s?, s:s?, s:s?}", "review_from", review_from, "alv_date", alv_date,
                                    "effective_date", effective_date);
        int rc = store_execute(conn, &err, NULL,
                               "UPDATE cycles SET review_from = COALESCE(?, review_from),"
                               " alv_date = COALESCE(?, alv_date), effective_date = COALESCE(?, effective_date),"
                               " updated_at = UTC_TIMESTAMP(6) WHERE id = ?",
                               STORE_PARAMS(STORE_TEXT_PARAM(review_from), STORE_TEXT_PARAM(alv_date),
                                            STORE_TEXT_PARAM(effective_date), STORE_INT_PARAM(id)));
        if (rc == 0)
            rc = audit_append(conn, &err, &actor, "cycle.dates", "cycle", id, details);
        json_decref(details);
        if (rc != 0)
            goto fail;
    }
    if (store_commit(conn, &err) != 0)
        goto fail;
    store_result_free(rows);
    cycles_get(request);
    return;
fail:
    store_result_free(rows);
    store_rollback(conn);
    http_reply_err(request, &err);
}
