/* The dispatcher: each request passes database, login, role, CSRF and request-shape
 * checks here before its handler runs, and a 503 retry reruns the handler whole. */
#include "server_internal.h"

/* ---------------------------------------------------------------- pipeline */

static const char *http_cookie_name(const http_server *server)
{
    return http_session_cookie_name(server->app);
}

int http_method_changes(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 &&
           strcmp(method, "OPTIONS") != 0;
}

/* The scheme this request came in with: https under native TLS or when a trusted
 * proxy says so (X-Forwarded-Proto), http otherwise. */
static const char *http_request_scheme(const http_request *request)
{
    if (request->server->tls)
        return "https";
    const char *forwarded = request->via_proxy ? http_request_header(request, "X-Forwarded-Proto") : NULL;
    return forwarded && strcasecmp(forwarded, "https") == 0 ? "https" : "http";
}

/* An Origin header is allowed when it is the public URL's origin or this request's own
 * (scheme and Host), compared whole: http://host is not https://host. No Origin (an
 * old browser, curl) is allowed; "null" (a sandboxed or file page) is not. */
static int http_origin_allowed(const http_request *request)
{
    const char *origin = http_request_header(request, "Origin");
    if (origin == NULL || strcmp(origin, "null") == 0)
        return origin == NULL;
    if (strcasecmp(origin, request->server->public_origin) == 0)
        return 1;
    const char *host = http_request_header(request, "Host");
    if (host == NULL)
        return 0;
    char own[320];
    int written = snprintf(own, sizeof own, "%s://%s", http_request_scheme(request), host);
    return written > 0 && (size_t)written < sizeof own && strcasecmp(origin, own) == 0;
}

/* Authenticate from a Bearer token or the session cookie. A bad token on a public
 * route is treated as anonymous; on any other route it is a 401. */
/* The credential a request carries: a Bearer token, else the session cookie. */
static const char *http_request_token(const http_request *request, int *via_cookie)
{
    const char *authorization = http_request_header(request, "Authorization");
    *via_cookie = 0;
    if (authorization && strncasecmp(authorization, "Bearer ", 7) == 0)
        return authorization + 7;
    const char *token = MHD_lookup_connection_value(request->connection, MHD_COOKIE_KIND,
                                                    http_cookie_name(request->server));
    *via_cookie = token != NULL;
    return token;
}

int http_csrf_valid(const http_request *request)
{
    const char *csrf = http_request_header(request, "X-CSRF-Token");
    size_t expected = strlen(request->principal.csrf);
    return csrf != NULL && strlen(csrf) == expected && sodium_memcmp(csrf, request->principal.csrf, expected) == 0;
}

static int http_authenticate(http_request *request, alvd_err *err)
{
    int via_cookie = 0;
    const char *token = http_request_token(request, &via_cookie);
    memset(&request->principal, 0, sizeof request->principal);
    request->principal.roles = AUTH_ANYONE;
    if (token == NULL)
        return 0;
    if (auth_session_load(request->db, token, &request->principal, err) != 0) {
        memset(&request->principal, 0, sizeof request->principal);
        request->principal.roles = AUTH_ANYONE;
        return err->status == 401 ? (request->match.route->roles & AUTH_ANYONE ? 0 : -1) : -1;
    }
    request->principal.via_cookie = via_cookie;
    request->session_token = token;
    return 0;
}

void http_audit_denied(http_request *request)
{
    alvd_err ignored;
    audit_actor actor = auth_actor(&request->principal);
    json_t *details = json_pack("{s:s, s:s}", "method", request->method, "route",
                                request->match.route->pattern);
    alvd_err_clear(&ignored);
    if (request->db)
        audit_append(request->db, &ignored, &actor, "authz.denied", "route", 0, details);
    json_decref(details);
}

/* 403 for a route the principal's roles do not allow; a staff session that must first
 * set up its second factor is told so. */
void http_reply_forbidden(http_request *request)
{
    if (request->principal.roles & AUTH_ENROLLING)
        http_reply_error(request, 403, "totp_enrolment_required", NULL,
                         "Eerst de tweestapsverificatie instellen; daarna gaat het verder.");
    else
        http_reply_error(request, 403, "forbidden", NULL, "U heeft geen toegang tot deze functie.");
}

/* ROUTE_BATCH_AUTH: everything that needs no database happens here; the session,
 * roles and CSRF are the batcher's (http_batch_authenticate). */
static void http_run_batch_route(http_request *request)
{
    int via_cookie = 0;
    const char *token = http_request_token(request, &via_cookie);
    if (token == NULL || strlen(token) != TOKEN_TEXT_SIZE - 1) {
        http_reply_error(request, 401, "not_logged_in", NULL, "Log eerst in.");
        return;
    }
    if (!http_origin_allowed(request)) {
        http_reply_error(request, 403, "bad_origin", NULL, "Verzoek van een andere website geweigerd.");
        return;
    }
    snprintf(request->batch_token, sizeof request->batch_token, "%s", token);
    request->batch_via_cookie = via_cookie;
    request->match.route->handler(request);
    if (!request->replied && !request->deferred_to)
        http_reply_error(request, 500, "internal", NULL, "De functie gaf geen antwoord.");
}

static void http_run_handler(http_request *request)
{
    const http_route *route = request->match.route;
    alvd_err err;
    alvd_err_clear(&err);
    if (route->flags & ROUTE_BATCH_AUTH) {
        http_run_batch_route(request);
        return;
    }
    if (!(route->flags & ROUTE_NO_DB) || !(route->roles & AUTH_ANYONE)) {
        request->db = store_pool_acquire(request->app->pool, &err);
        if (request->db == NULL) {
            http_reply_err(request, &err);
            return;
        }
    }
    if (request->db && http_authenticate(request, &err) != 0) {
        http_reply_err(request, &err);
        goto done;
    }
    if (!(route->roles & AUTH_ANYONE)) {
        if (request->principal.kind == AUTH_KIND_NONE) {
            http_reply_error(request, 401, "not_logged_in", NULL, "Log eerst in.");
            goto done;
        }
        if (!(request->principal.roles & route->roles)) {
            http_audit_denied(request);
            http_reply_forbidden(request);
            goto done;
        }
    }
    if (http_method_changes(request->method) && !(route->flags & ROUTE_NO_CSRF)) {
        if (!http_origin_allowed(request)) {
            http_reply_error(request, 403, "bad_origin", NULL,
                             "Verzoek van een andere website geweigerd.");
            goto done;
        }
        if (request->principal.via_cookie) {
            if (!http_csrf_valid(request)) {
                http_reply_error(request, 403, "csrf", NULL,
                                 "Beveiligingstoken (CSRF) ontbreekt of klopt niet; herlaad de pagina.");
                goto done;
            }
        }
    } else if (http_method_changes(request->method) && !http_origin_allowed(request)) {
        http_reply_error(request, 403, "bad_origin", NULL, "Verzoek van een andere website geweigerd.");
        goto done;
    }
    if (routes_check_shape(route, &request->match, request->json, &err) != 0) {
        http_reply_err(request, &err);
        goto done;
    }
    for (int attempt = 0;; attempt++) {
        route->handler(request);
        if (request->deferred_to)
            break;
        if (request->db && store_in_transaction(request->db))
            store_rollback(request->db);
        int retry = request->replied && request->status == 503 && request->reply_data &&
                    strstr(request->reply_data, "\"code\":\"retry\"") != NULL;
        if (!retry || attempt + 1 >= HTTP_DEADLOCK_RETRIES)
            break;
        http_reply_reset(request);
        store_retry_pause(request->db, (unsigned)attempt);
    }
    if (!request->replied && !request->deferred_to)
        http_reply_error(request, 500, "internal", NULL, "De functie gaf geen antwoord.");
done:
    if (request->db)
        store_pool_release(request->app->pool, request->db);
    request->db = NULL;
}

/* Parse the body (JSON routes), then run the handler. */
void http_run(http_request *request)
{
    const http_route *route = request->match.route;
    const char *type = route->content_type;
    size_t body_length = 0;
    const char *body = http_request_body(request, &body_length);
    if (type && strcmp(type, "application/json") == 0) {
        if (body_length == 0) {
            request->json = json_object();
        } else {
            json_error_t error;
            request->json = json_loadb(body, body_length, JSON_REJECT_DUPLICATES, &error);
            if (request->json == NULL || !json_is_object(request->json)) {
                http_reply_error(request, 400, "malformed_json", NULL,
                                 "De gegevens zijn geen geldig JSON-object (%s).",
                                 request->json ? "geen object" : error.text);
                return;
            }
        }
    } else if (type == NULL && http_method_changes(request->method)) {
        request->json = json_object();
    }
    __atomic_add_fetch(&request->server->in_flight, 1, __ATOMIC_SEQ_CST);
    http_run_handler(request);
    __atomic_sub_fetch(&request->server->in_flight, 1, __ATOMIC_SEQ_CST);
}
