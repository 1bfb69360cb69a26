/* Moving an amendment cycle from one state to the next, with its audit entry: shared by
 * the cycle, proposal and consultation services (none of them includes another for it). */
#ifndef ALVD_SERVICE_CYCLE_STATE_H
#define ALVD_SERVICE_CYCLE_STATE_H

#include "alvd/crypto/audit.h"
#include "alvd/rules/cycle.h"
#include "alvd/store/db.h"

/* Move the cycle to state `to` (no check; the caller decided with the rules) and audit
 * it as "cycle.state", inside the caller's transaction. Nothing happens when from == to. */
int service_cycle_state_set(store_conn *conn, const audit_actor *actor, long long cycle_id, rules_cycle_state from,
                            rules_cycle_state to, alvd_err *err);

#endif
