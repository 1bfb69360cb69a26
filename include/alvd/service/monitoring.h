/* The database's gauges for GET /metrics (the same in every process): outbox backlog
 * and the audit chain's head. */
#ifndef ALVD_SERVICE_MONITORING_H
#define ALVD_SERVICE_MONITORING_H

#include "alvd/store/audit_log.h"
#include "alvd/store/outbox.h"

typedef struct service_monitoring_gauges {
    store_outbox_backlog outbox;
    store_audit_log_head audit;
} service_monitoring_gauges;

/* On a connection of its own from pool (the scrape needs no request's connection);
 * 0 when the database answered, -1 (err set) when not. */
int service_monitoring_gauges_read(store_pool *pool, service_monitoring_gauges *gauges, alvd_err *err);

#endif
