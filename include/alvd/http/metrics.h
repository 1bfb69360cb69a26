/* Per-process request metrics for GET /metrics: answers by route, method and status and
 * a latency histogram per route, kept in atomic counters (no lock on the request path). */
#ifndef ALVD_HTTP_METRICS_H
#define ALVD_HTTP_METRICS_H

#include <stddef.h>

#include "alvd/base/buf.h"

typedef struct http_metrics http_metrics;

#define METRICS_LATENCY_BUCKETS 11
extern const double metrics_latency_bounds[METRICS_LATENCY_BUCKETS]; /* seconds */
#define METRICS_BATCH_BUCKETS 11
extern const double metrics_batch_bounds[METRICS_BATCH_BUCKETS];     /* requests */

/* One slot per route of the table, then "static" (files) and "unmatched" (unknown
 * /api paths and wrong methods). */
http_metrics *metrics_create(void);
void metrics_destroy(http_metrics *metrics);
size_t metrics_slot_static(void);
size_t metrics_slot_unmatched(void);

/* An answered request: its slot, status and time from its headers to the answer's
 * end. streamed = an event stream, counted but kept out of the latency histogram. */
void metrics_request_done(http_metrics *metrics, size_t slot, int status, double seconds, int streamed);

/* Append the request counters and latency histograms in the Prometheus text format. */
void metrics_render_requests(const http_metrics *metrics, alvd_buf *out);

/* Helpers for other families: a histogram (buckets not cumulative, the last is +Inf)
 * with optional labels ("" or `batcher="votes"`), and label-value escaping. */
void metrics_render_histogram(alvd_buf *out, const char *name, const char *labels, const double *bounds,
                              size_t bound_count, const unsigned long long *buckets, double sum);
void metrics_append_label_value(alvd_buf *out, const char *value);

#endif
