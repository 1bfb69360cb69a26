/* The yearly amendment cycle as the board handles it: create, list, read with its
 * proposals and rounds, change dates and state (each a transaction with its audit). */
#ifndef ALVD_SERVICE_CYCLES_H
#define ALVD_SERVICE_CYCLES_H

#include <jansson.h>

#include "alvd/crypto/audit.h"
#include "alvd/store/db.h"

/* What the board sends for a cycle; NULL/0 = not given. */
typedef struct service_cycles_input {
    long long year;
    const char *state;
    const char *review_from, *alv_date, *effective_date;
} service_cycles_input;

/* A new cycle (state review) with its "cycle.create" audit entry; *cycle gets it as
 * GET /api/cycles lists it. 409 "duplicate" for a second cycle of the same year; 422
 * when the effective date is too early for the ALV date (R3). */
int service_cycles_create(store_conn *conn, const audit_actor *actor, long long user_id,
                          const service_cycles_input *input, json_t **cycle, alvd_err *err);

/* Every cycle, newest year first, each with its derived dates. */
int service_cycles_list(store_conn *conn, json_t **items, alvd_err *err);

/* One cycle with rounds_held, next_states, its proposals and its consultation rounds;
 * 404 when there is none. */
int service_cycles_get(store_conn *conn, long long id, json_t **cycle, alvd_err *err);

/* Change dates (audited "cycle.dates") and/or state (checked by the rules, audited
 * "cycle.state") in one transaction; *cycle gets the cycle as service_cycles_get. */
int service_cycles_update(store_conn *conn, const audit_actor *actor, long long id, const service_cycles_input *input,
                          json_t **cycle, alvd_err *err);

#endif
