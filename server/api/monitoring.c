/* GET /metrics: the HTTP server's, vote batcher's and pool's per-process counters, plus
 * gauges read from the database (outbox backlog, audit chain), in the Prometheus format. */
#include "alvd/api/monitoring.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/base/app.h"
#include "alvd/base/buf.h"
#include "alvd/http/metrics.h"
#include "alvd/service/monitoring.h"

#define MONITORING_TEXT_CAP (4u * 1024u * 1024u)

/* Loopback only when no proxy forwarded the request: a reverse proxy on this machine
 * connects from 127.0.0.1 on behalf of anyone. */
static int monitoring_from_loopback(const http_request *request)
{
    if (http_request_header(request, "Forwarded") || http_request_header(request, "X-Forwarded-For") ||
        http_request_header(request, "X-Real-IP"))
        return 0;
    const char *client = http_request_client(request);
    struct in_addr v4;
    struct in6_addr v6;
    if (inet_pton(AF_INET, client, &v4) == 1)
        return (ntohl(v4.s_addr) >> 24) == 127;
    if (inet_pton(AF_INET6, client, &v6) == 1)
        return IN6_IS_ADDR_LOOPBACK(&v6) ||
               (IN6_IS_ADDR_V4MAPPED(&v6) && v6.s6_addr[12] == 127);
    return 0;
}

static int monitoring_token_valid(const http_request *request, const char *token)
{
    const char *authorization = http_request_header(request, "Authorization");
    if (token[0] == '\0' || authorization == NULL || strncasecmp(authorization, "Bearer ", 7) != 0)
        return 0;
    const char *given = authorization + 7;
    size_t length = strlen(token);
    return strlen(given) == length && sodium_memcmp(given, token, length) == 0;
}

static void monitoring_pool(store_pool *pool, alvd_buf *out)
{
    store_pool_stats stats;
    store_pool_stats_read(pool, &stats);
    buf_appendf(out,
                "# HELP alvd_db_pool_connections Connections in this process's database pool.\n"
                "# TYPE alvd_db_pool_connections gauge\nalvd_db_pool_connections %zu\n"
                "# HELP alvd_db_pool_in_use Pool connections checked out now.\n"
                "# TYPE alvd_db_pool_in_use gauge\nalvd_db_pool_in_use %zu\n"
                "# HELP alvd_db_pool_acquires_total Connections taken from the pool.\n"
                "# TYPE alvd_db_pool_acquires_total counter\nalvd_db_pool_acquires_total %llu\n"
                "# HELP alvd_db_pool_waits_total Takes that found every connection busy and waited.\n"
                "# TYPE alvd_db_pool_waits_total counter\nalvd_db_pool_waits_total %llu\n"
                "# HELP alvd_db_pool_wait_seconds_total Time spent waiting for a free connection.\n"
                "# TYPE alvd_db_pool_wait_seconds_total counter\nalvd_db_pool_wait_seconds_total %.6f\n",
                stats.size, stats.in_use, stats.acquires, stats.waits, stats.wait_seconds);
    buf_appendf(out,
                "# HELP alvd_db_retries_total Transactions retried after a conflict (deadlock, Galera"
                " certification, lock wait).\n"
                "# TYPE alvd_db_retries_total counter\nalvd_db_retries_total %llu\n"
                "# HELP alvd_db_transactions_lost_total Transactions the server ended without an error"
                " (a Galera abort), caught and retried.\n"
                "# TYPE alvd_db_transactions_lost_total counter\nalvd_db_transactions_lost_total %llu\n",
                stats.retries, stats.transactions_lost);
    buf_append_str(out, "# HELP alvd_audit_lock_wait_seconds Audit sequencing lag: from an audited change "
                        "to its place in the chain (observed by the sequencer's lease holder).\n"
                        "# TYPE alvd_audit_lock_wait_seconds histogram\n");
    metrics_render_histogram(out, "alvd_audit_lock_wait_seconds", "", store_lock_wait_bounds,
                             STORE_LOCK_WAIT_BUCKETS, stats.lock_wait_buckets, stats.lock_wait_seconds);
}

/* Gauges of the shared database (every process reports the same values). */
static void monitoring_database(store_pool *pool, alvd_buf *out)
{
    alvd_err err;
    alvd_err_clear(&err);
    service_monitoring_gauges gauges;
    int ok = service_monitoring_gauges_read(pool, &gauges, &err) == 0;
    buf_appendf(out, "# HELP alvd_db_up Whether this process could query the database for this scrape.\n"
                     "# TYPE alvd_db_up gauge\nalvd_db_up %d\n", ok);
    if (!ok)
        return;
    buf_appendf(out,
                "# HELP alvd_outbox_pending Mails waiting to be delivered (the whole database).\n"
                "# TYPE alvd_outbox_pending gauge\nalvd_outbox_pending %lld\n"
                "# HELP alvd_outbox_failed Mails given up after their retries (the whole database).\n"
                "# TYPE alvd_outbox_failed gauge\nalvd_outbox_failed %lld\n"
                "# HELP alvd_outbox_oldest_pending_seconds Age of the oldest mail still waiting.\n"
                "# TYPE alvd_outbox_oldest_pending_seconds gauge\nalvd_outbox_oldest_pending_seconds %.3f\n"
                "# HELP alvd_audit_entries Entries in the audit chain (the newest id).\n"
                "# TYPE alvd_audit_entries gauge\nalvd_audit_entries %lld\n"
                "# HELP alvd_audit_newest_entry_age_seconds Time since the newest audit entry.\n"
                "# TYPE alvd_audit_newest_entry_age_seconds gauge\nalvd_audit_newest_entry_age_seconds %.3f\n",
                gauges.outbox.pending, gauges.outbox.failed,
                (double)gauges.outbox.oldest_pending_microseconds / 1e6, gauges.audit.entry,
                (double)gauges.audit.age_microseconds / 1e6);
}

void monitoring_metrics(http_request *request)
{
    const alvd_app *app = http_request_app(request);
    if (!monitoring_token_valid(request, app->config.metrics_token) && !monitoring_from_loopback(request)) {
        http_reply_error(request, 403, "metrics_not_allowed", NULL,
                         "De metrics zijn alleen bereikbaar vanaf deze machine (niet via een proxy) of met het "
                         "metrics-token.");
        return;
    }
    alvd_buf out;
    buf_init(&out, MONITORING_TEXT_CAP);
    buf_appendf(&out, "# HELP alvd_build_info The running alvd version.\n# TYPE alvd_build_info gauge\n"
                      "alvd_build_info{version=\"%s\"} 1\n", ALVD_VERSION);
    http_request_render_server_metrics(request, &out);
    if (app->vote_batcher) {
        buf_append_str(&out, "# HELP alvd_batch_size Requests written per group commit (votes: one COMMIT per "
                             "batch).\n# TYPE alvd_batch_size histogram\n");
        http_batcher_render_metrics(app->vote_batcher, "votes", &out);
    }
    monitoring_pool(app->pool, &out);
    monitoring_database(app->pool, &out);
    if (out.overflowed) {
        buf_free(&out);
        http_reply_error(request, 500, "too_large", NULL, "De metrics passen niet in het antwoord.");
        return;
    }
    size_t length = 0;
    char *text = buf_take(&out, &length);
    http_reply_bytes(request, 200, "text/plain; version=0.0.4; charset=utf-8", text, length);
    http_reply_header(request, "Cache-Control", "no-store");
}
