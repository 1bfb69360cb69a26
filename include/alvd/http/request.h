/* What a route handler sees of an HTTP request and how it answers. Every handler has
 * the same signature; the dispatcher has already checked method, content type, size,
 * login, role and CSRF, and parsed a JSON body, before it runs. */
#ifndef ALVD_HTTP_REQUEST_H
#define ALVD_HTTP_REQUEST_H

#include <stddef.h>

#include <jansson.h>

#include "alvd/base/app.h"
#include "alvd/base/err.h"
#include "alvd/http/auth.h"
#include "alvd/store/db.h"

typedef struct http_request http_request;
typedef void (*http_handler_fn)(http_request *request);

const char *http_request_method(const http_request *request);
const char *http_request_path(const http_request *request);
/* A {name} segment of the route pattern (borrowed) or NULL. */
/* Whether the request has its answer already (a batch handler retrying a part). */
int http_request_replied(const http_request *request);
const char *http_request_param(const http_request *request, const char *name);
/* An id path parameter ({id}, {…_id}) as the dispatcher parsed and checked it before the
 * handler ran (routes_check_shape); 0 when the route has no such parameter. */
long long http_request_id(const http_request *request, const char *name);
/* A query-string argument (borrowed) or NULL. */
const char *http_request_query(const http_request *request, const char *name);
/* A cookie of the request (borrowed) or NULL. */
const char *http_request_cookie(const http_request *request, const char *name);
/* A request header (borrowed) or NULL. */
const char *http_request_header(const http_request *request, const char *name);
/* The parsed JSON body (borrowed; an object) or NULL when the route takes none. */
json_t *http_request_json(const http_request *request);
/* The raw body (borrowed) and its length; NULL when empty. */
const char *http_request_body(const http_request *request, size_t *length);
/* Who asks; kind AUTH_KIND_NONE when anonymous. */
const auth_principal *http_request_principal(const http_request *request);
/* The database connection for this request (borrowed; acquired by the dispatcher). */
store_conn *http_request_db(const http_request *request);
/* The application context (borrowed, read-only). */
const alvd_app *http_request_app(const http_request *request);
/* The client's address as text, for rate limits only: never log or store it. */
const char *http_request_client(const http_request *request);
/* The session token this request authenticated with (Bearer or cookie; borrowed), or
 * NULL when anonymous. For keys only the client can rebuild; never store or log it. */
const char *http_request_session_token(const http_request *request);
/* The audit actor of this request's principal. */
audit_actor http_request_actor(const http_request *request);

/* A refusal sentence (as a handler wrote it, in Dutch) as a JSON string in the language
 * the request asks for, through the error catalogue; for a refusal inside a 200 answer
 * (error answers get this on their own). */
json_t *http_request_sentence(const http_request *request, const char *message);
/* Answers. The last call wins. Bodies passed in are taken over (freed by alvd). */
void http_reply_json(http_request *request, int status, json_t *body);
void http_reply_error(http_request *request, int status, const char *code, const char *field,
                      const char *format, ...) __attribute__((format(printf, 5, 6)));
void http_reply_err(http_request *request, const alvd_err *err);
/* The answer of a service call: status with body when rc is 0, else err (body, if
 * any, freed). The tail every handler that calls one service ends with. */
void http_reply_result(http_request *request, int rc, int status, json_t *body, const alvd_err *err);
/* data is malloc'd and taken over. */
void http_reply_bytes(http_request *request, int status, const char *content_type, char *data,
                      size_t length);
void http_reply_empty(http_request *request, int status);
/* Answer with a file of web/ (e.g. "ticket.html" for the landing page /t/<ticket>);
 * 404 when missing. For ROUTE_PAGE routes. */
void http_reply_web_file(http_request *request, const char *relative_path);
/* An extra response header (copied), e.g. Content-Disposition; replaces one of the
 * same name. http_reply_header_add adds another (a second Set-Cookie). */
void http_reply_header(http_request *request, const char *name, const char *value);
void http_reply_header_add(http_request *request, const char *name, const char *value);
/* Set (max_age > 0) or clear (value "", max_age 0) a cookie: Path=/, HttpOnly,
 * SameSite=Strict, and Secure whenever people reach alvd over https. */
void http_reply_cookie(http_request *request, const char *name, const char *value, int max_age);
/* 1 when ALVD_PUBLIC_URL is https (or alvd serves TLS itself): Secure cookies, HSTS. */
int http_public_url_secure(const alvd_app *app);
/* The session cookie's name: __Host-alvd_session over https, alvd_session otherwise. */
const char *http_session_cookie_name(const alvd_app *app);

/* Group commit. A handler that has checked everything it can on its own may hand the
 * request to a batcher instead of answering: the connection is suspended, and one
 * writer thread later calls process(requests, count, conn, context) with every
 * request that waited, so that a batch of changes costs one durable COMMIT; process
 * must answer each request (http_reply_*). The batcher is created in main.c and
 * reached by handlers through the application context. */
typedef struct http_batcher http_batcher;
typedef void (*http_batch_fn)(http_request **requests, size_t count, store_conn *conn,
                              void *context);
http_batcher *http_batcher_start(store_pool *pool, http_batch_fn process, void *context,
                                 size_t max_batch, alvd_err *err);
/* Drain what is queued, then stop the thread and free the batcher. */
void http_batcher_stop(http_batcher *batcher);
/* From a handler (on an HTTP thread, not an offloaded one): defer this request. */
void http_request_defer(http_request *request, http_batcher *batcher);
/* Requests each batch handled, for benchmarks: batches and requests so far. */
void http_batcher_counts(http_batcher *batcher, unsigned long long *batches,
                         unsigned long long *requests);
struct alvd_buf;
/* GET /metrics: the batch size histogram of batcher (name e.g. "votes"), and this
 * server's answers by route and status, their latency and the open event streams. */
void http_batcher_render_metrics(http_batcher *batcher, const char *name, struct alvd_buf *out);
void http_request_render_server_metrics(const http_request *request, struct alvd_buf *out);

/* Server-sent events: the handler hands over a stream. next() is called on an HTTP
 * thread whenever the connection can take bytes: it writes at most size bytes to
 * out and returns the count, 0 to say "nothing now" (the connection is parked until
 * http_stream_wake or a heartbeat interval passes), or -1 to end the stream.
 * release() frees context when the connection goes away. */
typedef long (*http_stream_next_fn)(void *context, char *out, size_t size);
typedef void (*http_stream_release_fn)(void *context);
void http_reply_stream(http_request *request, const char *content_type,
                       http_stream_next_fn next, http_stream_release_fn release, void *context);

#endif
