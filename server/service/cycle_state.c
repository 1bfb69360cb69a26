/* A cycle's state change and its audit entry in one place, so every flow that moves the
 * cycle (a proposal edited, a round opened, the board's PATCH) records it the same way. */
#include "alvd/service/cycle_state.h"

#include "alvd/store/cycles.h"

int service_cycle_state_set(store_conn *conn, const audit_actor *actor, long long cycle_id, rules_cycle_state from,
                            rules_cycle_state to, alvd_err *err)
{
    if (from == to)
        return 0;
    json_t *details = json_pack("{s:s, s:s}", "from", rules_cycle_state_name(from), "to", rules_cycle_state_name(to));
    int rc = store_cycles_set_state(conn, cycle_id, to, err);
    if (rc == 0)
        rc = audit_append(conn, err, actor, "cycle.state", "cycle", cycle_id, details);
    json_decref(details);
    return rc;
}
