/* Request metrics: a fixed array of atomic counters per route slot, sized once from the
 * route table, so counting an answer is a few relaxed atomic adds and no lock. */
#include "alvd/http/metrics.h"

#include <stdlib.h>
#include <string.h>

#include "alvd/http/routes.h"

#define METRICS_STATUS_LOW 100
#define METRICS_STATUS_COUNT 500 /* 100–599, one counter each */

const double metrics_latency_bounds[METRICS_LATENCY_BUCKETS] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                                0.5,   1,    2.5,   5,    10};
const double metrics_batch_bounds[METRICS_BATCH_BUCKETS] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024};

struct http_metrics {
    size_t slots;                   /* routes + static + unmatched */
    unsigned long long *statuses;   /* slots × METRICS_STATUS_COUNT */
    unsigned long long *latency;    /* slots × (METRICS_LATENCY_BUCKETS + 1), not cumulative */
    unsigned long long *latency_microseconds; /* slots: the histogram's sum */
};

static size_t metrics_route_count(void)
{
    size_t count = 0;
    routes_table(&count);
    return count;
}

size_t metrics_slot_static(void) { return metrics_route_count(); }
size_t metrics_slot_unmatched(void) { return metrics_route_count() + 1; }

http_metrics *metrics_create(void)
{
    http_metrics *metrics = calloc(1, sizeof *metrics);
    if (metrics == NULL)
        return NULL;
    metrics->slots = metrics_route_count() + 2;
    metrics->statuses = calloc(metrics->slots * METRICS_STATUS_COUNT, sizeof *metrics->statuses);
    metrics->latency = calloc(metrics->slots * (METRICS_LATENCY_BUCKETS + 1), sizeof *metrics->latency);
    metrics->latency_microseconds = calloc(metrics->slots, sizeof *metrics->latency_microseconds);
    if (!metrics->statuses || !metrics->latency || !metrics->latency_microseconds) {
        metrics_destroy(metrics);
        return NULL;
    }
    return metrics;
}

void metrics_destroy(http_metrics *metrics)
{
    if (metrics == NULL)
        return;
    free(metrics->statuses);
    free(metrics->latency);
    free(metrics->latency_microseconds);
    free(metrics);
}

void metrics_request_done(http_metrics *metrics, size_t slot, int status, double seconds, int streamed)
{
    if (metrics == NULL || slot >= metrics->slots || status < METRICS_STATUS_LOW ||
        status >= METRICS_STATUS_LOW + METRICS_STATUS_COUNT)
        return;
    __atomic_add_fetch(&metrics->statuses[slot * METRICS_STATUS_COUNT + (size_t)(status - METRICS_STATUS_LOW)], 1,
                       __ATOMIC_RELAXED);
    if (streamed)
        return;
    size_t bucket = 0;
    while (bucket < METRICS_LATENCY_BUCKETS && seconds > metrics_latency_bounds[bucket])
        bucket++;
    __atomic_add_fetch(&metrics->latency[slot * (METRICS_LATENCY_BUCKETS + 1) + bucket], 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&metrics->latency_microseconds[slot], (unsigned long long)(seconds * 1e6),
                       __ATOMIC_RELAXED);
}

void metrics_append_label_value(alvd_buf *out, const char *value)
{
    buf_append_str(out, "\"");
    for (const char *p = value; *p; p++) {
        if (*p == '\\' || *p == '"')
            buf_appendf(out, "\\%c", *p);
        else if (*p == '\n')
            buf_append_str(out, "\\n");
        else
            buf_append(out, p, 1);
    }
    buf_append_str(out, "\"");
}

/* The labels of a slot: method="GET",route="/api/health". */
static void metrics_slot_labels(alvd_buf *out, size_t slot)
{
    size_t count = 0;
    const http_route *table = routes_table(&count);
    /* Files are only read (GET, HEAD); unmatched requests have any method. */
    const char *method = slot < count ? table[slot].method : slot == count ? "GET" : "*";
    const char *route = slot < count ? table[slot].pattern : slot == count ? "static" : "unmatched";
    buf_append_str(out, "method=");
    metrics_append_label_value(out, method);
    buf_append_str(out, ",route=");
    metrics_append_label_value(out, route);
}

void metrics_render_histogram(alvd_buf *out, const char *name, const char *labels, const double *bounds,
                              size_t bound_count, const unsigned long long *buckets, double sum)
{
    unsigned long long cumulative = 0;
    const char *comma = labels && *labels ? "," : "";
    labels = labels ? labels : "";
    for (size_t b = 0; b < bound_count; b++) {
        cumulative += buckets[b];
        buf_appendf(out, "%s_bucket{%s%sle=\"%g\"} %llu\n", name, labels, comma, bounds[b], cumulative);
    }
    cumulative += buckets[bound_count];
    buf_appendf(out, "%s_bucket{%s%sle=\"+Inf\"} %llu\n", name, labels, comma, cumulative);
    buf_appendf(out, "%s_sum%s%s%s %.6f\n", name, *labels ? "{" : "", labels, *labels ? "}" : "", sum);
    buf_appendf(out, "%s_count%s%s%s %llu\n", name, *labels ? "{" : "", labels, *labels ? "}" : "", cumulative);
}

void metrics_render_requests(const http_metrics *metrics, alvd_buf *out)
{
    buf_append_str(out, "# HELP alvd_http_requests_total HTTP requests answered by this process, by route pattern,"
                        " method and status.\n# TYPE alvd_http_requests_total counter\n");
    for (size_t slot = 0; slot < metrics->slots; slot++) {
        for (size_t s = 0; s < METRICS_STATUS_COUNT; s++) {
            unsigned long long value =
                __atomic_load_n(&metrics->statuses[slot * METRICS_STATUS_COUNT + s], __ATOMIC_RELAXED);
            if (value == 0)
                continue;
            buf_append_str(out, "alvd_http_requests_total{");
            metrics_slot_labels(out, slot);
            buf_appendf(out, ",status=\"%zu\"} %llu\n", s + METRICS_STATUS_LOW, value);
        }
    }
    buf_append_str(out, "# HELP alvd_http_request_duration_seconds Time from a request's headers to the end of its"
                        " answer (event streams excluded).\n"
                        "# TYPE alvd_http_request_duration_seconds histogram\n");
    for (size_t slot = 0; slot < metrics->slots; slot++) {
        unsigned long long buckets[METRICS_LATENCY_BUCKETS + 1];
        unsigned long long total = 0;
        for (size_t b = 0; b <= METRICS_LATENCY_BUCKETS; b++) {
            buckets[b] = __atomic_load_n(&metrics->latency[slot * (METRICS_LATENCY_BUCKETS + 1) + b],
                                         __ATOMIC_RELAXED);
            total += buckets[b];
        }
        if (total == 0)
            continue;
        alvd_buf labels;
        buf_init(&labels, 512);
        metrics_slot_labels(&labels, slot);
        metrics_render_histogram(out, "alvd_http_request_duration_seconds", labels.data, metrics_latency_bounds,
                                 METRICS_LATENCY_BUCKETS, buckets,
                                 (double)__atomic_load_n(&metrics->latency_microseconds[slot], __ATOMIC_RELAXED) / 1e6);
        buf_free(&labels);
    }
}
