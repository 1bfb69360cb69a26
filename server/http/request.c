/* The request as a handler sees it: method, path, body, parameters, the principal and
 * its database connection, and the cookies and origin rules they depend on. */
#include "server_internal.h"

/* ---------------------------------------------------------------- request API */

const char *http_request_method(const http_request *request) { return request->method; }
const char *http_request_path(const http_request *request) { return request->path; }
json_t *http_request_json(const http_request *request) { return request->json; }
const auth_principal *http_request_principal(const http_request *request) { return &request->principal; }
store_conn *http_request_db(const http_request *request) { return request->db; }
const alvd_app *http_request_app(const http_request *request) { return request->app; }
const char *http_request_client(const http_request *request) { return request->client; }
audit_actor http_request_actor(const http_request *request) { return auth_actor(&request->principal); }
const char *http_request_session_token(const http_request *request)
{
    return request->principal.kind == AUTH_KIND_NONE ? NULL : request->session_token;
}

int http_request_replied(const http_request *request)
{
    return request->replied;
}

const char *http_request_param(const http_request *request, const char *name)
{
    size_t length = strlen(name);
    for (size_t i = 0; i < request->match.param_count; i++)
        if (request->match.name_lengths[i] == length &&
            strncmp(request->match.names[i], name, length) == 0)
            return request->match.values[i];
    return NULL;
}

long long http_request_id(const http_request *request, const char *name)
{
    size_t length = strlen(name);
    for (size_t i = 0; i < request->match.param_count; i++)
        if (request->match.name_lengths[i] == length && strncmp(request->match.names[i], name, length) == 0)
            return request->match.ids[i];
    return 0;
}

int http_request_param_id(http_request *request, const char *name, long long *id)
{
    if (input_id_text(http_request_param(request, name), id) != 0) {
        http_reply_error(request, 404, "not_found", NULL, "Niet gevonden.");
        return -1;
    }
    return 0;
}

const char *http_request_query(const http_request *request, const char *name)
{
    return MHD_lookup_connection_value(request->connection, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_request_cookie(const http_request *request, const char *name)
{
    return MHD_lookup_connection_value(request->connection, MHD_COOKIE_KIND, name);
}

const char *http_request_header(const http_request *request, const char *name)
{
    return MHD_lookup_connection_value(request->connection, MHD_HEADER_KIND, name);
}

const char *http_request_body(const http_request *request, size_t *length)
{
    if (request->spool_map) {
        if (length)
            *length = request->spool_length;
        return request->spool_map;
    }
    if (length)
        *length = request->body.length;
    return request->body.length ? request->body.data : NULL;
}

/* ---------------------------------------------------------------- cookies, origins */

int http_public_url_secure(const alvd_app *app)
{
    return strncasecmp(app->config.public_url, "https://", 8) == 0 ||
           (app->config.tls_cert[0] && app->config.tls_key[0]);
}

const char *http_session_cookie_name(const alvd_app *app)
{
    /* __Host- makes the browser insist on Secure, Path=/ and no Domain. */
    return http_public_url_secure(app) ? "__Host-alvd_session" : "alvd_session";
}

/* scheme://host[:port] of url, lower-cased scheme and host, no path. */
void http_origin_of(const char *url, char *out, size_t size)
{
    const char *after = strstr(url, "://");
    size_t length = after ? (size_t)(after + 3 - url) + strcspn(after + 3, "/?#") : strlen(url);
    snprintf(out, size, "%.*s", (int)length, url);
}

void http_reply_cookie(http_request *request, const char *name, const char *value, int max_age)
{
    char cookie[512];
    snprintf(cookie, sizeof cookie, "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%d%s", name, value,
             max_age, http_public_url_secure(request->app) ? "; Secure" : "");
    http_reply_header_add(request, "Set-Cookie", cookie);
}
