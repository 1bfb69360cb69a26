/* SQL of the yearly amendment cycle: its row, its state and dates, the rounds it held,
 * and the database clock the window rules read. */
#include "alvd/store/cycles.h"

#include <stdio.h>

int store_cycles_db_now(store_conn *conn, int64_t *now, alvd_err *err)
{
    long long value = 0;
    if (store_query_integer(conn, err, &value, 0, "SELECT UNIX_TIMESTAMP(UTC_TIMESTAMP())", STORE_NO_PARAMS) != 0)
        return -1;
    *now = value;
    return 0;
}

int store_cycles_load_state(store_conn *conn, long long cycle_id, int lock, rules_cycle_state *state,
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

int store_cycles_set_state(store_conn *conn, long long cycle_id, rules_cycle_state state, alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE cycles SET state = ?, updated_at = UTC_TIMESTAMP(6) WHERE id = ?",
                         STORE_PARAMS(STORE_TEXT_PARAM(rules_cycle_state_name(state)), STORE_INT_PARAM(cycle_id)));
}

int store_cycles_rounds_held(store_conn *conn, long long cycle_id, long long *held, alvd_err *err)
{
    return store_query_integer(conn, err, held, 0,
                               "SELECT COUNT(*) FROM consultations WHERE cycle_id = ? AND closes_at <= UTC_TIMESTAMP(6)",
                               STORE_PARAMS(STORE_INT_PARAM(cycle_id)));
}

int store_cycles_insert(store_conn *conn, long long year, const char *review_from, const char *alv_date,
                        const char *effective_date, long long created_by, long long *id, alvd_err *err)
{
    return store_cycles_insert_in_state(conn, year, RULES_CYCLE_REVIEW, review_from, alv_date, effective_date,
                                        created_by, id, err);
}

int store_cycles_insert_in_state(store_conn *conn, long long year, rules_cycle_state state, const char *review_from,
                                 const char *alv_date, const char *effective_date, long long created_by,
                                 long long *id, alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO cycles (year, state, review_from, alv_date, effective_date, created_at,"
                      " created_by, updated_at) VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(6), ?, UTC_TIMESTAMP(6))",
                      STORE_PARAMS(STORE_INT_PARAM(year), STORE_TEXT_PARAM(rules_cycle_state_name(state)),
                                   STORE_TEXT_PARAM(review_from), STORE_TEXT_PARAM(alv_date),
                                   STORE_TEXT_PARAM(effective_date), STORE_OPTIONAL_ID_PARAM(created_by))) != 0)
        return -1;
    *id = store_last_insert_id(conn);
    return 0;
}

int store_cycles_id_by_year(store_conn *conn, long long year, long long *id, alvd_err *err)
{
    return store_query_integer(conn, err, id, 0, "SELECT id FROM cycles WHERE year = ?",
                               STORE_PARAMS(STORE_INT_PARAM(year)));
}

static const char store_cycles_columns[] =
    "SELECT id, year, state, review_from, alv_date, effective_date, created_at, updated_at FROM cycles";

int store_cycles_select(store_conn *conn, long long id, store_result **rows, alvd_err *err)
{
    char sql[sizeof store_cycles_columns + 32];
    if (id == 0) {
        snprintf(sql, sizeof sql, "%s ORDER BY year DESC", store_cycles_columns);
        return store_query(conn, err, rows, sql, STORE_NO_PARAMS);
    }
    snprintf(sql, sizeof sql, "%s WHERE id = ?", store_cycles_columns);
    return store_query(conn, err, rows, sql, STORE_PARAMS(STORE_INT_PARAM(id)));
}

int store_cycles_load_dates(store_conn *conn, long long id, store_cycles_dates *dates, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows, "SELECT alv_date, effective_date FROM cycles WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    const char *alv = store_result_rows(rows) ? store_result_text(rows, 0, 0) : NULL;
    const char *effective = store_result_rows(rows) ? store_result_text(rows, 0, 1) : NULL;
    snprintf(dates->alv_date, sizeof dates->alv_date, "%s", alv ? alv : "");
    snprintf(dates->effective_date, sizeof dates->effective_date, "%s", effective ? effective : "");
    store_result_free(rows);
    return 0;
}

int store_cycles_update_dates(store_conn *conn, long long id, const char *review_from, const char *alv_date,
                              const char *effective_date, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE cycles SET review_from = COALESCE(?, review_from),"
                         " alv_date = COALESCE(?, alv_date), effective_date = COALESCE(?, effective_date),"
                         " updated_at = UTC_TIMESTAMP(6) WHERE id = ?",
                         STORE_PARAMS(STORE_TEXT_PARAM(review_from), STORE_TEXT_PARAM(alv_date),
                                      STORE_TEXT_PARAM(effective_date), STORE_INT_PARAM(id)));
}
