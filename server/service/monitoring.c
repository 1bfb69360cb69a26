/* Gauges of the shared database for GET /metrics: every process reports the same values,
 * read on a pool connection of their own so a scrape works without a request's one. */
#include "alvd/service/monitoring.h"

#include <string.h>

int service_monitoring_gauges_read(store_pool *pool, service_monitoring_gauges *gauges, alvd_err *err)
{
    memset(gauges, 0, sizeof *gauges);
    store_conn *conn = store_pool_acquire(pool, err);
    int ok = conn != NULL && store_outbox_read_backlog(conn, &gauges->outbox, err) == 0 &&
             store_audit_log_read_head(conn, &gauges->audit, err) == 0;
    store_pool_release(pool, conn);
    return ok ? 0 : -1;
}
