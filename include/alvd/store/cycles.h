/* The cycles table (Code art. 7: one amendment cycle a year): every SQL statement on
 * it, and the database clock the cycle and round windows are decided by. */
#ifndef ALVD_STORE_CYCLES_H
#define ALVD_STORE_CYCLES_H

#include <stdint.h>

#include "alvd/rules/cycle.h"
#include "alvd/store/db.h"

/* The dates of a cycle as stored (civil dates YYYY-MM-DD, "" when not set). */
typedef struct store_cycles_dates {
    char alv_date[16];
    char effective_date[16];
} store_cycles_dates;

/* The database clock as unix seconds (every window decision uses it, so several alvd
 * processes agree). */
int store_cycles_db_now(store_conn *conn, int64_t *now, alvd_err *err);

/* The state of cycle id, locked FOR UPDATE when lock is set (inside a transaction);
 * 404 "not_found" when there is no such cycle. *year may be NULL. */
int store_cycles_load_state(store_conn *conn, long long cycle_id, int lock, rules_cycle_state *state,
                            long long *year, alvd_err *err);

/* Set the state column (no check, no audit: the service decided). */
int store_cycles_set_state(store_conn *conn, long long cycle_id, rules_cycle_state state, alvd_err *err);

/* Rounds of the cycle whose window has closed (a cycle may go to the ALV only after one). */
int store_cycles_rounds_held(store_conn *conn, long long cycle_id, long long *held, alvd_err *err);

/* A new cycle in state review; *id gets its id. A second cycle of a year is 409 "duplicate". */
int store_cycles_insert(store_conn *conn, long long year, const char *review_from, const char *alv_date,
                        const char *effective_date, long long created_by, long long *id, alvd_err *err);
/* The same in the given state (the demo starts a cycle already in consultation);
 * created_by 0 = made by no user (NULL). */
int store_cycles_insert_in_state(store_conn *conn, long long year, rules_cycle_state state, const char *review_from,
                                 const char *alv_date, const char *effective_date, long long created_by,
                                 long long *id, alvd_err *err);
/* The id of the cycle of year; *id = 0 when there is none. */
int store_cycles_id_by_year(store_conn *conn, long long year, long long *id, alvd_err *err);

/* Rows id, year, state, review_from, alv_date, effective_date, created_at, updated_at:
 * of cycle id (0 rows when there is none), or of every cycle, newest year first, when
 * id is 0. The caller frees *rows. */
int store_cycles_select(store_conn *conn, long long id, store_result **rows, alvd_err *err);

/* The stored ALV and effective dates of cycle id (which exists). */
int store_cycles_load_dates(store_conn *conn, long long id, store_cycles_dates *dates, alvd_err *err);

/* Set the given dates; a NULL one keeps its stored value. */
int store_cycles_update_dates(store_conn *conn, long long id, const char *review_from, const char *alv_date,
                              const char *effective_date, alvd_err *err);

#endif
