/* The yearly amendment cycle (Code art. 7): POST/GET /api/cycles, GET/PATCH
 * /api/cycles/{id}; the helpers below forward to store/cycles.h and service/cycle_state.h. */
#ifndef ALVD_API_CYCLES_H
#define ALVD_API_CYCLES_H

#include <stdint.h>

#include "alvd/http/request.h"
#include "alvd/rules/cycle.h"
#include "alvd/crypto/audit.h"
#include "alvd/store/db.h"
#include "alvd/store/cycles.h"
#include "alvd/service/cycle_state.h"

void cycles_create(http_request *request);
void cycles_list(http_request *request);
void cycles_get(http_request *request);
void cycles_update(http_request *request);

/* issue 20 forwarder: the lead replaces its callers at merge */
/* The database clock as unix seconds (every window decision uses it, so several alvd
 * processes agree). */
int store_cycles_db_now(store_conn *conn, int64_t *now, alvd_err *err);

/* issue 20 forwarder: the lead replaces its callers at merge */
/* The state of cycle id, locked FOR UPDATE when lock is set (inside a transaction);
 * 404 "not_found" when there is no such cycle. *year may be NULL. */
int store_cycles_load_state(store_conn *conn, long long cycle_id, int lock, rules_cycle_state *state,
                      long long *year, alvd_err *err);

/* issue 20 forwarder: the lead replaces its callers at merge */
/* Move the cycle to state (no check; the caller decided with the rules) and audit it. */
int service_cycle_state_set(store_conn *conn, const audit_actor *actor, long long cycle_id,
                     rules_cycle_state from, rules_cycle_state to, alvd_err *err);

#endif
