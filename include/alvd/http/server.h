/* The HTTP server: libmicrohttpd with an epoll thread pool, suspend/resume, a worker
 * pool for slow handlers, parked SSE streams, and a graceful stop. */
#ifndef ALVD_HTTP_SERVER_H
#define ALVD_HTTP_SERVER_H

#include "alvd/base/app.h"
#include "alvd/base/err.h"

typedef struct http_server http_server;

#define HTTP_CONNECTION_LIMIT 8000
#define HTTP_CONNECTION_TIMEOUT_SECONDS 60
/* libmicrohttpd's pool per connection (request line, headers, upload chunks). At 32 KiB
 * it comes from malloc; above, from mmap, and every connection would cost an mmap and a
 * munmap (with a TLB shootdown across threads): a flood of connections got dearer. */
#define HTTP_CONNECTION_MEMORY (32 * 1024)
#define HTTP_HEARTBEAT_SECONDS 15
#define HTTP_DB_RETRY_AFTER_SECONDS 5
#define HTTP_DEADLOCK_RETRIES 6
/* Request bodies up to this size are held in memory; a route that accepts more takes
 * larger ones into an unlinked file under ALVD_DATA_DIR/spool (guard.h caps how many). */
#define HTTP_BODY_MEMORY_MAX (64 * 1024)
/* ROUTE_BULK requests waiting for the bulk thread; more are answered 503 at once. */
#define HTTP_BULK_QUEUE_MAX 32
/* Request line and header bytes alvd answers itself (431 with its security headers);
 * far larger ones overflow libmicrohttpd's pool first and get its bare 431. */
#define HTTP_HEADERS_MAX (8 * 1024)

/* Start listening on app->config (TLS when cert and key are set). */
http_server *http_server_start(const alvd_app *app, alvd_err *err);
/* Resume every parked stream so its next() runs again (news or heartbeat). Thread-safe. */
void http_server_wake_streams(http_server *server);
/* Stop accepting, let in-flight requests finish (up to a few seconds), end streams,
 * stop the daemon and free the server. */
void http_server_stop(http_server *server);

#endif
