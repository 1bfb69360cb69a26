/* The HTTP server's private parts shared by its files (server.c: libmicrohttpd, bodies,
 * workers, the bulk lane; dispatch.c, reply.c, request.c, stream.c, batch.c). */
#ifndef ALVD_HTTP_SERVER_INTERNAL_H
#define ALVD_HTTP_SERVER_INTERNAL_H

#include "alvd/http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alvd/base/buf.h"
#include "alvd/base/log.h"
#include "alvd/http/guard.h"
#include "alvd/http/input.h"
#include "alvd/http/reply_cache.h"
#include "alvd/http/metrics.h"
#include "alvd/http/request.h"
#include "alvd/http/messages.h"
#include "alvd/http/routes.h"
#include "alvd/http/static_files.h"
#include "alvd/rules/dates.h"

#define HTTP_MAX_REPLY_HEADERS 8
/* libmicrohttpd's own messages (a dropped connection each) are capped per interval
 * so an attack cannot flood the log. */
#define HTTP_MHD_LOG_LINES 20
#define HTTP_MHD_LOG_SECONDS 10
/* TLS 1.2 and 1.3 only, ECDHE key exchange (forward secret), AEAD ciphers only. */
#define HTTP_TLS_PRIORITIES                                                                      \
    "NONE:+VERS-TLS1.3:+VERS-TLS1.2:+ECDHE-ECDSA:+ECDHE-RSA:+AES-256-GCM:+AES-128-GCM:"          \
    "+CHACHA20-POLY1305:+AEAD:+SIGN-ALL:+GROUP-ALL:+COMP-NULL:+CTYPE-X509:%SERVER_PRECEDENCE"

typedef enum job_state { JOB_NONE, JOB_QUEUED, JOB_DONE } job_state;

typedef struct http_stream {
    http_server *server;
    struct MHD_Connection *connection;
    http_stream_next_fn next;
    http_stream_release_fn release;
    void *context;
    int parked;                    /* suspended, waiting for a wake */
    time_t last_write;
    struct http_stream *prev, *after;
} http_stream;

struct http_request {
    http_server *server;
    const alvd_app *app;
    struct MHD_Connection *connection;
    char method[16];
    char *path;
    routes_match match;
    int route_found;
    alvd_buf body;
    json_t *json;
    auth_principal principal;
    store_conn *db;
    char client[GUARD_ADDRESS_TEXT]; /* the client: the peer, or X-Forwarded-For from a trusted proxy */
    int via_proxy;                 /* the peer is a trusted proxy */
    guard_connection *guard_entry; /* this connection's deadlines (borrowed from the socket context) */
    int has_body;                  /* the headers announce a body */
    int body_done;                 /* the final call came: the request is whole */
    int spool_fd;                  /* a body over HTTP_BODY_MEMORY_MAX goes to this unlinked file; -1 */
    unsigned long long spool_reserved; /* bytes reserved with guard_spool_reserve */
    size_t spool_length;
    void *spool_map;               /* the spooled body mapped read-only at the final call */
    const char *session_token;     /* borrowed from the connection's headers or cookies */
    /* the answer */
    int replied;
    int status;
    char *reply_data;
    size_t reply_length;
    char reply_type[96];
    char *header_names[HTTP_MAX_REPLY_HEADERS];
    char *header_values[HTTP_MAX_REPLY_HEADERS];
    size_t header_count;
    http_stream *stream;           /* set by http_reply_stream */
    reply_blob *blob;              /* a cached answer to send instead of reply_data (a reference) */
    job_state job;
    struct http_request *queue_next;
    http_batcher *deferred_to;     /* set by http_request_defer */
    char batch_token[TOKEN_TEXT_SIZE]; /* ROUTE_BATCH_AUTH: the credential, checked by the batcher */
    int batch_via_cookie;
    struct timespec started;       /* headers in (GET /metrics latency) */
    int streamed;                  /* answered with an event stream */
    char script_hash[STATIC_SCRIPT_HASH_SIZE]; /* CSP source of a served page's import map */
};

struct http_batcher {
    store_pool *pool;
    http_batch_fn process;
    void *context;
    size_t max_batch;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t ready;
    http_request *head, *tail;
    int stopping;
    unsigned long long batches, requests;
    unsigned long long size_buckets[METRICS_BATCH_BUCKETS + 1]; /* GET /metrics, not cumulative */
};

struct http_server {
    const alvd_app *app;
    struct MHD_Daemon *daemon;
    int tls;
    int secure_public;             /* ALVD_PUBLIC_URL is https: Secure cookies, HSTS */
    char public_origin[256];       /* scheme://host[:port] of ALVD_PUBLIC_URL */
    char *tls_cert, *tls_key;
    guard_table *guard;
    pthread_mutex_t log_lock;
    time_t log_window;
    unsigned log_lines, log_suppressed;
    /* worker pool */
    pthread_t *workers;
    unsigned worker_count;
    pthread_mutex_t queue_lock;
    pthread_cond_t queue_ready;
    http_request *queue_head, *queue_tail;
    int stopping;
    /* in-flight handler count, for the graceful stop */
    int in_flight;
    /* the bulk lane (ROUTE_BULK) and its cache */
    pthread_t bulk_thread;
    http_request *bulk_head, *bulk_tail;
    unsigned bulk_waiting;
    reply_cache *cache;
    pthread_cond_t bulk_ready;     /* with queue_lock */
    int bulk_started;
    /* parked streams */
    pthread_mutex_t stream_lock;
    http_stream *streams;
    pthread_t ticker;
    pthread_mutex_t ticker_lock;
    pthread_cond_t ticker_wake;
    http_metrics *metrics;         /* GET /metrics: answers by route and status */
    time_t started;                /* for alvd_start_time_seconds (restarts) */
    static_site *site;             /* web/, indexed at start */
};

/* Shared between the server's files. */
void http_origin_of(const char *url, char *out, size_t size);
void http_reply_reset(http_request *request);
void http_stream_free(void *cls);
ssize_t http_stream_reader(void *cls, uint64_t position, char *buffer, size_t max);
void *http_ticker_main(void *argument);
void http_audit_denied(http_request *request);
int http_csrf_valid(const http_request *request);
int http_method_changes(const char *method);
void http_reply_forbidden(http_request *request);
void http_run(http_request *request);
size_t http_batch_authenticate(http_request **batch, size_t count, store_conn *conn, http_request **admitted);

#endif
