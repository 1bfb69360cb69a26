/* GET /metrics: this process's counters and the database's gauges in the Prometheus text
 * format, for loopback (not through a proxy) or a bearer token (ALVD_METRICS_TOKEN). */
#ifndef ALVD_API_MONITORING_H
#define ALVD_API_MONITORING_H

#include "alvd/http/request.h"

void monitoring_metrics(http_request *request);

#endif
