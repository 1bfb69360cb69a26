/* The route table: the single source of truth for path, method, roles, accepted
 * content type and body limit. The dispatcher and the authorisation test read it. */
#ifndef ALVD_HTTP_ROUTES_H
#define ALVD_HTTP_ROUTES_H

#include <jansson.h>
#include <stddef.h>

#include "alvd/http/request.h"

enum {
    ROUTE_OFFLOAD = 1u << 0,  /* run on the worker pool (argon2, bulk work), not an epoll thread */
    ROUTE_NO_DB = 1u << 1,    /* needs no database connection */
    ROUTE_NO_CSRF = 1u << 2,  /* a login endpoint: no session yet, so no CSRF token */
    ROUTE_PAGE = 1u << 3,     /* an HTML page, not the JSON API (no no-store) */
    ROUTE_BATCH_AUTH = 1u << 4, /* the handler defers to a batcher, which loads the sessions of
                                 * all waiting requests at once and applies roles and CSRF */
    ROUTE_BULK = 1u << 5,     /* expensive public work: on its own thread with a capped queue,
                               * so it never holds an HTTP thread or the argon2 workers */
    ROUTE_CACHED = 1u << 6,   /* (with ROUTE_BULK) the same answer for everyone, kept a few
                               * minutes per path, query and day (reply_cache.h) */
};

#define ROUTE_BODY_DEFAULT (64 * 1024)

typedef struct http_route {
    const char *method;        /* "GET", "POST", "PUT", "PATCH", "DELETE" */
    const char *pattern;       /* "/api/organisations/{id}" */
    http_handler_fn handler;
    unsigned roles;            /* AUTH_* bits allowed; AUTH_ANYONE = public */
    unsigned flags;            /* ROUTE_* */
    const char *content_type;  /* accepted body type, NULL = no body ("application/json") */
    size_t body_limit;         /* bytes; 0 = ROUTE_BODY_DEFAULT when a body is accepted */
    const char *const *fields; /* JSON routes: the body fields accepted (NULL-terminated); any
                                * other is refused (400 unknown_field) before the handler */
} http_route;

/* A route's precheck, or NULL: run when the headers are in, before the body is read (the
 * rate limit of an expensive anonymous route), with a database connection and the
 * client known; returns -1 with err set (e.g. 429) to refuse the request unread. */
typedef int (*http_precheck_fn)(http_request *request, alvd_err *err);
http_precheck_fn routes_precheck(const http_route *route);

/* The table (static storage) and its length. */
const http_route *routes_table(size_t *count);

/* Match method+path. Returns the route, or NULL with *path_known set when some route
 * has this path under another method (405) and cleared when none does (404).
 * Parameter names/values of the match go to names/values (borrowed from pattern,
 * copied into storage of size storage_size). */
#define ROUTES_MAX_PARAMS 6
typedef struct routes_match {
    const http_route *route;
    size_t param_count;
    const char *names[ROUTES_MAX_PARAMS];   /* borrowed from the pattern */
    size_t name_lengths[ROUTES_MAX_PARAMS];
    char values[ROUTES_MAX_PARAMS][256]; /* a ticket code is 130 characters */
    long long ids[ROUTES_MAX_PARAMS];    /* an id parameter ({id}, {…_id}) parsed; 0 = not an id
                                          * or not a valid one */
} routes_match;
int routes_find(const char *method, const char *path, routes_match *match, int *path_known,
                char *allowed, size_t allowed_size);

/* An id parameter: named "id" or ending in "_id"; its value must be a positive decimal. */
int routes_param_is_id(const char *name, size_t length);

/* The request's shape as the route declares it, checked after authorisation and before
 * the handler: every id parameter is a valid id (else 404 not_found) and a JSON body has
 * only the declared fields (else 400 unknown_field naming the first other one). */
int routes_check_shape(const http_route *route, const routes_match *match, json_t *body, alvd_err *err);

#endif
