/* The admin's outbox: what was sent to whom, what failed and why, and a retry of a
 * failed mail inside one audited transaction. */
#include "alvd/service/outbox.h"

int service_outbox_list(store_conn *conn, const char *state, long long before, store_result **rows,
                        store_outbox_counts *counts, alvd_err *err)
{
    *rows = NULL;
    if (store_outbox_list(conn, state, before, SERVICE_OUTBOX_PAGE, rows, err) != 0)
        return -1;
    if (store_outbox_count_states(conn, counts, err) != 0) {
        store_result_free(*rows);
        *rows = NULL;
        return -1;
    }
    return 0;
}

int service_outbox_get(store_conn *conn, long long id, store_result **row, alvd_err *err)
{
    return store_outbox_get(conn, id, row, err);
}

int service_outbox_retry(store_conn *conn, const audit_actor *actor, long long id, alvd_err *err)
{
    if (store_begin(conn, err) != 0 || store_outbox_requeue_failed(conn, id, err) != 0 ||
        audit_append(conn, err, actor, "outbox.retry", "outbox", id, NULL) != 0 || store_commit(conn, err) != 0) {
        store_rollback(conn);
        return -1;
    }
    return 0;
}
