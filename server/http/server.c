/* The HTTP server: libmicrohttpd's callbacks, route matching at the header stage, bodies
 * (spooled when large), the worker pool, the bulk lane, static files, start and stop. */
#include "alvd/http/server.h"

#include "server_internal.h"

static int http_spool_open(http_request *request, unsigned long long bytes);
static void http_precheck(http_request *request);

static const char *http_site_query(void *context, const char *name)
{
    return http_request_query(context, name);
}

/* A file of web/ as the site index answers it (encoding, fingerprint, validators; a
 * page's API preloads as a Link header). */
static int http_reply_site_file(http_request *request, const char *path, int status, alvd_err *err)
{
    static_response file;
    static_request wanted = {
        .path = path,
        .accept_encoding = http_request_header(request, "Accept-Encoding"),
        .if_none_match = status == 200 ? http_request_header(request, "If-None-Match") : NULL,
        .language = MHD_lookup_connection_value(request->connection, MHD_COOKIE_KIND, "alvd_lang"),
        .query = http_site_query,
        .query_context = request,
    };
    if (static_site_serve(request->server->site, &wanted, &file, err) != 0)
        return -1;
    if (file.status == 304)
        http_reply_empty(request, 304);
    else
        http_reply_bytes(request, status, file.content_type, file.data, file.length);
    http_reply_header(request, "ETag", file.etag);
    http_reply_header(request, "Cache-Control", file.cache_control);
    if (file.vary)
        http_reply_header(request, "Vary", file.vary);
    if (file.content_encoding)
        http_reply_header(request, "Content-Encoding", file.content_encoding);
    if (file.link[0] && status == 200)
        http_reply_header(request, "Link", file.link);
    snprintf(request->script_hash, sizeof request->script_hash, "%s", file.script_hash);
    return 0;
}

static void http_serve_static(http_request *request)
{
    alvd_err err;
    alvd_err_clear(&err);
    if (http_reply_site_file(request, request->path, 200, &err) == 0)
        return;
    /* A person gets the 404 page; anything that asks for JSON gets the error shape. */
    const char *accept = http_request_header(request, "Accept");
    if (accept && strstr(accept, "text/html") && http_reply_site_file(request, "/404.html", 404, &err) == 0)
        return;
    http_reply_error(request, 404, "not_found", NULL, "Deze pagina bestaat niet.");
}

void http_reply_web_file(http_request *request, const char *relative_path)
{
    alvd_err err;
    char path[256];
    alvd_err_clear(&err);
    snprintf(path, sizeof path, "/%s", relative_path);
    if (http_reply_site_file(request, path, 200, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_header(request, "Cache-Control", "no-store");
}

static void http_add_security_headers(const http_request *request, struct MHD_Response *response)
{
    /* A page's inline import map is allowed by its hash, nothing else inline. The remote
     * member's page frames the association's own stream (issue 18): only that page may
     * frame, and only https pages (the stream's address is a meeting setting). */
    char policy[560];
    int frames_stream = request->path && strcmp(request->path, "/remote.html") == 0;
    snprintf(policy, sizeof policy,
             "default-src 'self'; script-src 'self'%s%s; style-src 'self';"
             " img-src 'self' data: blob:; media-src 'self' blob:;"
             " connect-src 'self'; font-src 'self'; object-src 'none';%s"
             " base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
             request->script_hash[0] ? " " : "", request->script_hash, frames_stream ? " frame-src https:;" : "");
    MHD_add_response_header(response, "Content-Security-Policy", policy);
    MHD_add_response_header(response, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(response, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(response, "X-Frame-Options", "DENY");
    MHD_add_response_header(response, "Cross-Origin-Opener-Policy", "same-origin");
    MHD_add_response_header(response, "Permissions-Policy",
                            "camera=(self), microphone=(), geolocation=()");
    /* HSTS whenever people reach us over https: natively or through a TLS proxy. */
    if (request->server->tls || request->server->secure_public)
        MHD_add_response_header(response, "Strict-Transport-Security", "max-age=31536000");
    int is_api = strncmp(request->path, "/api/", 5) == 0;
    int is_page = request->route_found && (request->match.route->flags & ROUTE_PAGE);
    if (is_api && !is_page)
        MHD_add_response_header(response, "Cache-Control", "no-store");
}

/* A large JSON answer (a proposal's text with its changes, a list) goes gzipped when the
 * client accepts it: on congested hall Wi-Fi its bytes are its time. Small answers are
 * not worth the CPU; cached answers and streams are sent as they are. */
#define HTTP_GZIP_MIN_BYTES 1024
#define HTTP_GZIP_LEVEL 6
static void http_gzip_answer(http_request *request)
{
    if (request->reply_data == NULL || request->path == NULL || request->reply_length < HTTP_GZIP_MIN_BYTES ||
        request->status != 200 || strncmp(request->reply_type, "application/json", 16) != 0 ||
        strncmp(request->path, "/api/", 5) != 0 || request->header_count + 2 > HTTP_MAX_REPLY_HEADERS)
        return;
    double q[3];
    static_accepted_codings(http_request_header(request, "Accept-Encoding"), q);
    if (q[STATIC_GZIP] <= 0 || q[STATIC_GZIP] < q[STATIC_IDENTITY])
        return;
    unsigned char *compressed = NULL;
    size_t length = 0;
    if (static_gzip_level((const unsigned char *)request->reply_data, request->reply_length, HTTP_GZIP_LEVEL,
                          &compressed, &length) != 0)
        return;
    if (length >= request->reply_length) {
        free(compressed);
        return;
    }
    free(request->reply_data);
    request->reply_data = (char *)compressed;
    request->reply_length = length;
    http_reply_header(request, "Content-Encoding", "gzip");
    http_reply_header(request, "Vary", "Accept-Encoding");
}

static enum MHD_Result http_send(http_request *request)
{
    struct MHD_Response *response;
    if (request->stream) {
        response = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, http_stream_reader,
                                                      request->stream, http_stream_free);
        if (response == NULL)
            return MHD_NO;
        MHD_add_response_header(response, "Cache-Control", "no-store");
        MHD_add_response_header(response, "X-Accel-Buffering", "no");
        pthread_mutex_lock(&request->server->stream_lock);
        request->stream->after = request->server->streams;
        if (request->server->streams)
            request->server->streams->prev = request->stream;
        request->server->streams = request->stream;
        pthread_mutex_unlock(&request->server->stream_lock);
        request->stream = NULL; /* owned by the response now */
        request->streamed = 1;
    } else if (request->blob) {
        response = MHD_create_response_from_buffer_with_free_callback_cls(request->blob->length, request->blob->data,
                                                                          reply_blob_release, request->blob);
        if (response == NULL)
            return MHD_NO;
        request->blob = NULL; /* the response holds the reference now */
    } else {
        http_gzip_answer(request);
        response = MHD_create_response_from_buffer(request->reply_length,
                                                   request->reply_data ? request->reply_data : (char *)"",
                                                   request->reply_data ? MHD_RESPMEM_MUST_FREE
                                                                       : MHD_RESPMEM_PERSISTENT);
        if (response == NULL)
            return MHD_NO;
        request->reply_data = NULL;
    }
    if (request->status != 204 && request->status != 304)
        MHD_add_response_header(response, "Content-Type", request->reply_type);
    for (size_t i = 0; i < request->header_count; i++)
        MHD_add_response_header(response, request->header_names[i], request->header_values[i]);
    http_add_security_headers(request, response);
    enum MHD_Result result = MHD_queue_response(request->connection, (unsigned)request->status, response);
    MHD_destroy_response(response);
    return result;
}

static enum MHD_Result http_header_size(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    *(size_t *)cls += strlen(key) + (value ? strlen(value) : 0) + 4;
    return MHD_YES;
}

/* The route, content type and declared size are checked as soon as the headers are
 * in, so an oversized or mistyped body is refused before it is read. */
static void http_begin(http_request *request, const char *url, const char *method)
{
    int path_known = 0;
    char allowed[64];
    snprintf(request->method, sizeof request->method, "%s", method);
    request->path = strdup(url);
    size_t header_bytes = strlen(url) + strlen(method);
    MHD_get_connection_values(request->connection, MHD_HEADER_KIND, http_header_size, &header_bytes);
    if (header_bytes > HTTP_HEADERS_MAX) {
        http_reply_error(request, 431, "headers_too_large", NULL,
                         "De kopregels van het verzoek zijn te groot (meer dan %d bytes).", HTTP_HEADERS_MAX);
        return;
    }
    if (routes_find(method, url, &request->match, &path_known, allowed, sizeof allowed) == 0) {
        request->route_found = 1;
    } else if (path_known) {
        http_reply_error(request, 405, "method_not_allowed", NULL,
                         "Methode %s is hier niet toegestaan.", method);
        http_reply_header(request, "Allow", allowed);
        return;
    } else if (strncmp(url, "/api/", 5) == 0 || strcmp(url, "/api") == 0) {
        http_reply_error(request, 404, "not_found", NULL, "Onbekend adres: %s.", url);
        return;
    } else if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        http_reply_error(request, 405, "method_not_allowed", NULL,
                         "Methode %s is hier niet toegestaan.", method);
        http_reply_header(request, "Allow", "GET, HEAD");
        return;
    } else {
        return; /* a static file, served at the final call */
    }
    const http_route *route = request->match.route;
    size_t limit = route->body_limit ? route->body_limit : ROUTE_BODY_DEFAULT;
    buf_init(&request->body, limit < HTTP_BODY_MEMORY_MAX ? limit : HTTP_BODY_MEMORY_MAX);
    const char *length_text = http_request_header(request, "Content-Length");
    const char *encoding = http_request_header(request, "Transfer-Encoding");
    long long declared = length_text ? strtoll(length_text, NULL, 10) : 0;
    int chunked = encoding && strcasecmp(encoding, "chunked") == 0;
    int has_body = declared > 0 || chunked;
    request->has_body = has_body;
    if (!has_body)
        return;
    const char *expected = route->content_type ? route->content_type : "application/json";
    const char *given = http_request_header(request, "Content-Type");
    size_t expected_length = strlen(expected);
    if (!http_method_changes(method) || given == NULL ||
        strncasecmp(given, expected, expected_length) != 0 ||
        (given[expected_length] != '\0' && given[expected_length] != ';' &&
         given[expected_length] != ' ')) {
        http_reply_error(request, 415, "unsupported_media_type", NULL,
                         "Verwacht inhoud van het type %s.", expected);
        return;
    }
    if (declared > (long long)limit) {
        http_reply_error(request, 413, "too_large", NULL,
                         "De inhoud is groter dan de toegestane %zu bytes.", limit);
        return;
    }
    /* A body that may pass HTTP_BODY_MEMORY_MAX goes to disk, and only a few per client. */
    if (limit > HTTP_BODY_MEMORY_MAX && (chunked || declared > (long long)HTTP_BODY_MEMORY_MAX) &&
        http_spool_open(request, chunked ? limit : (unsigned long long)declared) != 0)
        return;
    /* Expensive anonymous routes check their rate limit before the body is read. */
    if (routes_precheck(route))
        http_precheck(request);
}

/* Reserve a spool slot for this client and open an unlinked file for the body. On
 * failure the request is answered (429 or 503) and -1 returned. */
static int http_spool_open(http_request *request, unsigned long long bytes)
{
    int status = 0;
    if (guard_spool_reserve(request->server->guard, request->client, bytes, &status) != 0) {
        if (status == 429) {
            http_reply_error(request, 429, "too_many_uploads", NULL,
                             "U verstuurt al %d grote bestanden tegelijk; wacht tot die klaar zijn.",
                             GUARD_SPOOLED_PER_CLIENT);
            http_reply_header(request, "Retry-After", "10");
        } else {
            http_reply_error(request, 503, "busy", NULL,
                             "De server ontvangt nu te veel grote bestanden; probeer het zo opnieuw.");
        }
        return -1;
    }
    request->spool_reserved = bytes ? bytes : 1;
    char dir[600];
    snprintf(dir, sizeof dir, "%s/spool", request->app->config.data_dir);
    if (mkdir(request->app->config.data_dir, 0700) != 0 && errno != EEXIST)
        dir[0] = '\0';
    if (dir[0] && mkdir(dir, 0700) != 0 && errno != EEXIST)
        dir[0] = '\0';
    int fd = dir[0] ? open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600) : -1;
    if (fd < 0 && dir[0]) {
        /* A file system without O_TMPFILE: a named file, unlinked at once. */
        char path[640];
        snprintf(path, sizeof path, "%s/body-XXXXXX", dir);
        fd = mkostemp(path, O_CLOEXEC);
        if (fd >= 0)
            unlink(path);
    }
    if (fd < 0) {
        http_reply_error(request, 503, "busy", NULL, "De server kan het bestand nu niet ontvangen.");
        return -1;
    }
    request->spool_fd = fd;
    return 0;
}

/* Append a chunk of the body (memory or spool file); 413 once past the route's limit. */
static void http_body_append(http_request *request, const char *data, size_t length)
{
    size_t limit = request->match.route->body_limit ? request->match.route->body_limit : ROUTE_BODY_DEFAULT;
    if (request->spool_fd >= 0) {
        if (request->spool_length + length > limit)
            goto too_large;
        for (size_t done = 0; done < length;) {
            ssize_t wrote = write(request->spool_fd, data + done, length - done);
            if (wrote < 0 && errno == EINTR)
                continue;
            if (wrote <= 0) {
                http_reply_error(request, 503, "busy", NULL, "De server kan het bestand nu niet opslaan.");
                return;
            }
            done += (size_t)wrote;
        }
        request->spool_length += length;
        return;
    }
    /* In memory the cap is the route's limit or HTTP_BODY_MEMORY_MAX, whichever is
     * smaller; a body that may be larger was sent to the spool at the headers. */
    if (buf_append(&request->body, data, length) == 0)
        return;
too_large:
    http_reply_error(request, 413, "too_large", NULL, "De inhoud is groter dan de toegestane %zu bytes.", limit);
}

/* The final call: map a spooled body so handlers read it like any other. */
static void http_body_finish(http_request *request)
{
    if (request->spool_fd < 0 || request->spool_length == 0 || request->replied)
        return;
    void *map = mmap(NULL, request->spool_length, PROT_READ, MAP_PRIVATE, request->spool_fd, 0);
    if (map == MAP_FAILED) {
        http_reply_error(request, 503, "busy", NULL, "De server kan het bestand nu niet lezen.");
        return;
    }
    request->spool_map = map;
}

static void http_body_release(http_request *request)
{
    if (request->spool_map)
        munmap(request->spool_map, request->spool_length);
    if (request->spool_fd >= 0)
        close(request->spool_fd);
    if (request->spool_reserved)
        guard_spool_release(request->server->guard, request->client, request->spool_reserved);
    request->spool_map = NULL;
    request->spool_fd = -1;
    request->spool_reserved = 0;
}

/* Run the route's precheck (a rate limit) at the header stage, with a connection. */
static void http_precheck(http_request *request)
{
    alvd_err err;
    alvd_err_clear(&err);
    request->db = store_pool_acquire(request->app->pool, &err);
    if (request->db == NULL) {
        http_reply_err(request, &err);
        return;
    }
    if (routes_precheck(request->match.route)(request, &err) != 0)
        http_reply_err(request, &err);
    store_pool_release(request->app->pool, request->db);
    request->db = NULL;
}

/* The client: the peer's address, or X-Forwarded-For when the peer is a trusted proxy. */
static void http_client_address(http_request *request)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(request->connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    request->client[0] = '\0';
    if (info == NULL || info->client_addr == NULL)
        return;
    request->via_proxy = guard_is_trusted_proxy(request->server->guard, info->client_addr);
    guard_client_address(request->server->guard, info->client_addr,
                         request->via_proxy ? http_request_header(request, "X-Forwarded-For") : NULL,
                         request->client);
}

static void http_worker_push(http_server *server, http_request *request)
{
    pthread_mutex_lock(&server->queue_lock);
    request->queue_next = NULL;
    if (server->queue_tail)
        server->queue_tail->queue_next = request;
    else
        server->queue_head = request;
    server->queue_tail = request;
    pthread_cond_signal(&server->queue_ready);
    pthread_mutex_unlock(&server->queue_lock);
}

static void *http_worker_main(void *argument)
{
    http_server *server = argument;
    for (;;) {
        pthread_mutex_lock(&server->queue_lock);
        while (server->queue_head == NULL && !server->stopping)
            pthread_cond_wait(&server->queue_ready, &server->queue_lock);
        http_request *request = server->queue_head;
        if (request) {
            server->queue_head = request->queue_next;
            if (server->queue_head == NULL)
                server->queue_tail = NULL;
        }
        pthread_mutex_unlock(&server->queue_lock);
        if (request == NULL)
            return NULL; /* stopping with an empty queue */
        http_run(request);
        request->job = JOB_DONE;
        MHD_resume_connection(request->connection);
    }
}

/* ---------------------------------------------------------------- the bulk lane */

static enum MHD_Result http_cache_key_part(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    buf_appendf(cls, "&%s=%s", key, value ? value : "");
    return MHD_YES;
}

/* The cache key of a ROUTE_CACHED request: path, query and the day in Amsterdam (answers
 * such as a version's status depend on it). 0 when it fits. */
static int http_cache_key(http_request *request, char *key, size_t size)
{
    alvd_buf text;
    char day[RULES_DATE_TEXT_SIZE];
    buf_init(&text, size - 1);
    buf_appendf(&text, "%s %s %s?", rules_date_format(rules_amsterdam_day((int64_t)time(NULL)), day), request->method,
                request->path);
    MHD_get_connection_values(request->connection, MHD_GET_ARGUMENT_KIND, http_cache_key_part, &text);
    int fits = !text.overflowed && text.data;
    if (fits)
        snprintf(key, size, "%s", text.data);
    buf_free(&text);
    return fits ? 0 : -1;
}

/* Answer from the cache when it has this request; 1 when it did. */
static int http_cache_answer(http_request *request)
{
    char key[256];
    if (!(request->match.route->flags & ROUTE_CACHED) || http_cache_key(request, key, sizeof key) != 0)
        return 0;
    reply_blob *blob = reply_cache_get(request->server->cache, key);
    if (blob == NULL)
        return 0;
    http_reply_reset(request);
    request->blob = blob;
    request->status = blob->status;
    snprintf(request->reply_type, sizeof request->reply_type, "%s", blob->type);
    request->replied = 1;
    return 1;
}

/* After the handler: keep a plain 200 answer of a ROUTE_CACHED route, and send the
 * cached copy (one copy for every reader). */
static void http_cache_store(http_request *request)
{
    char key[256];
    if (!(request->match.route->flags & ROUTE_CACHED) || !request->replied || request->status != 200 ||
        request->header_count != 0 || request->reply_data == NULL || http_cache_key(request, key, sizeof key) != 0)
        return;
    reply_blob *blob = reply_cache_put(request->server->cache, key, request->status, request->reply_type,
                                       request->reply_data, request->reply_length);
    if (blob == NULL)
        return;
    free(request->reply_data);
    request->reply_data = NULL;
    request->reply_length = 0;
    request->blob = blob;
}

static void *http_bulk_main(void *argument)
{
    http_server *server = argument;
    for (;;) {
        pthread_mutex_lock(&server->queue_lock);
        while (server->bulk_head == NULL && !server->stopping)
            pthread_cond_wait(&server->bulk_ready, &server->queue_lock);
        http_request *request = server->bulk_head;
        if (request) {
            server->bulk_head = request->queue_next;
            if (server->bulk_head == NULL)
                server->bulk_tail = NULL;
            server->bulk_waiting--;
        }
        pthread_mutex_unlock(&server->queue_lock);
        if (request == NULL)
            return NULL;
        /* Requests for the same answer queue up behind its first; they find it made. */
        if (!http_cache_answer(request)) {
            http_run(request);
            http_cache_store(request);
        }
        request->job = JOB_DONE;
        MHD_resume_connection(request->connection);
    }
}

/* Queue a ROUTE_BULK request, or answer 503 when the lane is full; 1 when queued. */
static int http_bulk_push(http_server *server, http_request *request)
{
    pthread_mutex_lock(&server->queue_lock);
    int full = server->bulk_waiting >= HTTP_BULK_QUEUE_MAX;
    if (!full) {
        request->job = JOB_QUEUED;
        MHD_suspend_connection(request->connection);
        request->queue_next = NULL;
        if (server->bulk_tail)
            server->bulk_tail->queue_next = request;
        else
            server->bulk_head = request;
        server->bulk_tail = request;
        server->bulk_waiting++;
        pthread_cond_signal(&server->bulk_ready);
    }
    pthread_mutex_unlock(&server->queue_lock);
    if (full) {
        http_reply_error(request, 503, "busy", NULL,
                         "Er wordt nu veel tegelijk opgevraagd; probeer het over een halve minuut opnieuw.");
        http_reply_header(request, "Retry-After", "30");
    }
    return !full;
}

static enum MHD_Result http_access(void *cls, struct MHD_Connection *connection, const char *url,
                                   const char *method, const char *version,
                                   const char *upload_data, size_t *upload_data_size,
                                   void **con_cls)
{
    (void)version;
    http_server *server = cls;
    http_request *request = *con_cls;
    if (request == NULL) {
        request = calloc(1, sizeof *request);
        if (request == NULL)
            return MHD_NO;
        request->server = server;
        request->app = server->app;
        request->connection = connection;
        request->spool_fd = -1;
        clock_gettime(CLOCK_MONOTONIC, &request->started);
        *con_cls = request;
        const union MHD_ConnectionInfo *context =
            MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
        request->guard_entry = context ? context->socket_context : NULL;
        http_client_address(request);
        http_begin(request, url, method);
        /* Refused at the headers: answer now rather than read the body (libmicrohttpd
         * then discards it and closes the connection). */
        if (request->replied && request->has_body)
            return http_send(request);
        /* The body must now arrive within its deadline, timed by its declared size. */
        unsigned long long body_bytes = 0;
        if (request->has_body && request->route_found) {
            const char *length_text = http_request_header(request, "Content-Length");
            long long declared = length_text ? strtoll(length_text, NULL, 10) : 0;
            size_t limit = request->match.route->body_limit ? request->match.route->body_limit : ROUTE_BODY_DEFAULT;
            body_bytes = declared > 0 ? (unsigned long long)declared : limit;
        }
        guard_request_headers(server->guard, request->guard_entry, body_bytes);
        return MHD_YES;
    }
    if (*upload_data_size > 0) {
        if (!request->replied && request->route_found)
            http_body_append(request, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (request->job == JOB_QUEUED)
        return MHD_YES;
    if (request->job == JOB_NONE && !request->body_done) {
        request->body_done = 1;
        guard_request_received(server->guard, request->guard_entry);
        http_body_finish(request);
    }
    if (!request->replied) {
        if (!request->route_found) {
            http_serve_static(request);
        } else if (request->match.route->flags & ROUTE_BULK) {
            if (!http_cache_answer(request) && http_bulk_push(server, request))
                return MHD_YES;
        } else if (request->match.route->flags & ROUTE_OFFLOAD) {
            request->job = JOB_QUEUED;
            MHD_suspend_connection(connection);
            http_worker_push(server, request);
            return MHD_YES;
        } else {
            http_run(request);
            if (request->deferred_to) {
                /* Suspend before queueing, so the writer cannot resume us first. */
                http_batcher *batcher = request->deferred_to;
                request->job = JOB_QUEUED;
                __atomic_add_fetch(&server->in_flight, 1, __ATOMIC_SEQ_CST);
                MHD_suspend_connection(connection);
                pthread_mutex_lock(&batcher->lock);
                request->queue_next = NULL;
                if (batcher->tail)
                    batcher->tail->queue_next = request;
                else
                    batcher->head = request;
                batcher->tail = request;
                pthread_cond_signal(&batcher->ready);
                pthread_mutex_unlock(&batcher->lock);
                return MHD_YES;
            }
        }
    }
    return http_send(request);
}

void http_request_render_server_metrics(const http_request *request, alvd_buf *out)
{
    http_server *server = request->server;
    buf_appendf(out, "# HELP alvd_start_time_seconds When this process started serving (Unix time).\n"
                     "# TYPE alvd_start_time_seconds gauge\nalvd_start_time_seconds %lld\n",
                (long long)server->started);
    metrics_render_requests(server->metrics, out);
    size_t listeners = 0, parked = 0;
    pthread_mutex_lock(&server->stream_lock);
    for (http_stream *stream = server->streams; stream; stream = stream->after) {
        listeners++;
        parked += stream->parked != 0;
    }
    pthread_mutex_unlock(&server->stream_lock);
    buf_appendf(out, "# HELP alvd_sse_listeners Open event streams (SSE) on this process.\n"
                     "# TYPE alvd_sse_listeners gauge\nalvd_sse_listeners %zu\n"
                     "# HELP alvd_sse_listeners_parked Open event streams waiting for news.\n"
                     "# TYPE alvd_sse_listeners_parked gauge\nalvd_sse_listeners_parked %zu\n",
                listeners, parked);
}

/* The metrics slot of a request: its route, or static files, or unmatched. */
static size_t http_metrics_slot(const http_request *request)
{
    size_t count = 0;
    const http_route *table = routes_table(&count);
    if (request->route_found)
        return (size_t)(request->match.route - table);
    return request->path && strncmp(request->path, "/api", 4) != 0 && request->status != 405
               ? metrics_slot_static()
               : metrics_slot_unmatched();
}

static void http_completed(void *cls, struct MHD_Connection *connection, void **con_cls,
                           enum MHD_RequestTerminationCode code)
{
    http_server *server = cls;
    (void)code;
    /* The next request on this connection must come within the headers deadline. */
    const union MHD_ConnectionInfo *context = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    if (context)
        guard_request_finished(server->guard, context->socket_context);
    http_request *request = *con_cls;
    if (request == NULL)
        return;
    http_body_release(request);
    reply_blob_release(request->blob);
    if (request->status != 0) { /* answered (also when the client left during the answer) */
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        double seconds = (double)(now.tv_sec - request->started.tv_sec) +
                         (double)(now.tv_nsec - request->started.tv_nsec) / 1e9;
        metrics_request_done(server->metrics, http_metrics_slot(request), request->status, seconds,
                             request->streamed);
    }
    http_reply_reset(request);
    if (request->stream) { /* a stream that never became a response */
        if (request->stream->release)
            request->stream->release(request->stream->context);
        free(request->stream);
    }
    json_decref(request->json);
    buf_free(&request->body);
    free(request->path);
    free(request);
    *con_cls = NULL;
}

/* Connections begin and end: deadlines and per-address caps (guard.c). */
static void http_notify_connection(void *cls, struct MHD_Connection *connection, void **socket_context,
                                   enum MHD_ConnectionNotificationCode code)
{
    http_server *server = cls;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *fd = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
        const union MHD_ConnectionInfo *peer =
            MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        *socket_context = fd ? guard_connection_open(server->guard, fd->connect_fd, peer ? peer->client_addr : NULL)
                             : NULL;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED) {
        guard_connection_close(server->guard, *socket_context);
        *socket_context = NULL;
    }
}

/* libmicrohttpd reports every dropped connection: at most HTTP_MHD_LOG_LINES lines per
 * HTTP_MHD_LOG_SECONDS, then one line saying how many were left out. */
static void http_log_mhd(void *cls, const char *format, va_list args)
{
    http_server *server = cls;
    time_t now = time(NULL);
    unsigned suppressed = 0;
    int write = 0;
    pthread_mutex_lock(&server->log_lock);
    if (now - server->log_window >= HTTP_MHD_LOG_SECONDS) {
        suppressed = server->log_suppressed;
        server->log_window = now;
        server->log_lines = 0;
        server->log_suppressed = 0;
    }
    if (server->log_lines < HTTP_MHD_LOG_LINES) {
        server->log_lines++;
        write = 1;
    } else {
        server->log_suppressed++;
    }
    pthread_mutex_unlock(&server->log_lock);
    if (suppressed)
        log_warn("libmicrohttpd: %u more messages left out", suppressed);
    if (!write)
        return;
    char line[512];
    vsnprintf(line, sizeof line, format, args);
    size_t length = strlen(line);
    if (length && line[length - 1] == '\n')
        line[length - 1] = '\0';
    log_warn("libmicrohttpd: %s", line);
}

static char *http_read_file(const char *path)
{
    FILE *file = fopen(path, "rb");
    if (file == NULL)
        return NULL;
    alvd_buf buf;
    buf_init(&buf, 1024 * 1024);
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, file)) > 0)
        buf_append(&buf, chunk, got);
    fclose(file);
    if (buf.overflowed) {
        buf_free(&buf);
        return NULL;
    }
    return buf_take(&buf, NULL);
}

http_server *http_server_start(const alvd_app *app, alvd_err *err)
{
    http_server *server = calloc(1, sizeof *server);
    if (server == NULL) {
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        return NULL;
    }
    server->app = app;
    server->tls = app->config.tls_cert[0] && app->config.tls_key[0];
    server->secure_public = http_public_url_secure(app);
    http_origin_of(app->config.public_url, server->public_origin, sizeof server->public_origin);
    server->guard = guard_new(app->config.trusted_proxies, err);
    if (server->guard == NULL) {
        free(server);
        return NULL;
    }
    pthread_mutex_init(&server->log_lock, NULL);
    server->started = time(NULL);
    server->metrics = metrics_create();
    if (server->metrics == NULL) {
        free(server);
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        return NULL;
    }
    pthread_mutex_init(&server->queue_lock, NULL);
    pthread_cond_init(&server->queue_ready, NULL);
    pthread_mutex_init(&server->stream_lock, NULL);
    pthread_mutex_init(&server->ticker_lock, NULL);
    pthread_cond_init(&server->ticker_wake, NULL);

    struct sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_port = htons((uint16_t)app->config.listen_port);
    if (inet_pton(AF_INET, app->config.listen_host, &address.sin_addr) != 1) {
        alvd_err_set(err, 500, "bad_config", "ALVD_LISTEN", "ALVD_LISTEN needs an IPv4 address, got %s.",
                     app->config.listen_host);
        goto fail;
    }
    unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_ERROR_LOG | MHD_USE_ITC;
    if (app->config.tls_cert[0] && app->config.tls_key[0]) {
        server->tls_cert = http_read_file(app->config.tls_cert);
        server->tls_key = http_read_file(app->config.tls_key);
        if (server->tls_cert == NULL || server->tls_key == NULL) {
            alvd_err_set(err, 500, "bad_config", "ALVD_TLS_CERT", "Cannot read the TLS certificate or key.");
            goto fail;
        }
        flags |= MHD_USE_TLS;
    }
    if ((server->site = static_site_open(app->config.web_dir, err)) == NULL)
        goto fail;
    server->worker_count = app->config.worker_threads;
    server->workers = calloc(server->worker_count, sizeof *server->workers);
    if (server->workers == NULL)
        goto fail;
    for (unsigned i = 0; i < server->worker_count; i++)
        pthread_create(&server->workers[i], NULL, http_worker_main, server);
    pthread_create(&server->ticker, NULL, http_ticker_main, server);
    pthread_cond_init(&server->bulk_ready, NULL);
    server->cache = reply_cache_new();
    if (server->cache == NULL || pthread_create(&server->bulk_thread, NULL, http_bulk_main, server) != 0) {
        alvd_err_set(err, 500, "no_thread", NULL, "Cannot start the bulk thread.");
        http_server_stop(server);
        return NULL;
    }
    server->bulk_started = 1;

    struct MHD_OptionItem tls_options[] = {
        {server->tls ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, server->tls_cert},
        {server->tls ? MHD_OPTION_HTTPS_MEM_KEY : MHD_OPTION_END, 0, server->tls_key},
        {server->tls ? MHD_OPTION_HTTPS_PRIORITIES : MHD_OPTION_END, 0, (void *)(uintptr_t)HTTP_TLS_PRIORITIES},
        {MHD_OPTION_END, 0, NULL},
    };
    server->daemon = MHD_start_daemon(
        flags, (uint16_t)app->config.listen_port, NULL, NULL, http_access, server,
        MHD_OPTION_EXTERNAL_LOGGER, http_log_mhd, server,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&address,
        MHD_OPTION_THREAD_POOL_SIZE, app->config.http_threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)HTTP_CONNECTION_LIMIT,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HTTP_CONNECTION_TIMEOUT_SECONDS,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONNECTION_MEMORY,
        MHD_OPTION_NOTIFY_COMPLETED, http_completed, server,
        MHD_OPTION_NOTIFY_CONNECTION, http_notify_connection, server,
        MHD_OPTION_ARRAY, tls_options,
        MHD_OPTION_END);
    if (server->daemon == NULL) {
        alvd_err_set(err, 500, "cannot_listen", "ALVD_LISTEN", "Cannot listen on %s:%u (in use?).",
                     app->config.listen_host, app->config.listen_port);
        http_server_stop(server);
        return NULL;
    }
    return server;
fail:
    static_site_close(server->site);
    free(server->tls_cert);
    free(server->tls_key);
    free(server->workers);
    guard_free(server->guard);
    pthread_mutex_destroy(&server->log_lock);
    metrics_destroy(server->metrics);
    free(server);
    return NULL;
}

void http_server_stop(http_server *server)
{
    if (server == NULL)
        return;
    if (server->daemon) {
        /* Stop accepting first; requests already in a handler finish normally. A request
         * that reached an open connection just before the signal gets 100 ms to reach its
         * handler, so it is answered rather than cut off. */
        MHD_quiesce_daemon(server->daemon);
        for (int waited = 0; waited < 100 && (waited < 2 || __atomic_load_n(&server->in_flight, __ATOMIC_SEQ_CST) > 0);
             waited++)
            usleep(50 * 1000);
    }
    pthread_mutex_lock(&server->queue_lock);
    server->stopping = 1;
    pthread_cond_broadcast(&server->queue_ready);
    pthread_cond_broadcast(&server->bulk_ready);
    pthread_mutex_unlock(&server->queue_lock);
    for (unsigned i = 0; server->workers && i < server->worker_count; i++)
        pthread_join(server->workers[i], NULL);
    if (server->bulk_started)
        pthread_join(server->bulk_thread, NULL);
    pthread_mutex_lock(&server->ticker_lock);
    pthread_cond_broadcast(&server->ticker_wake);
    pthread_mutex_unlock(&server->ticker_lock);
    pthread_join(server->ticker, NULL);
    if (server->daemon) {
        /* Streams end on their next read (stopping is set): resume them and give
         * them a moment, since stopping with suspended connections is undefined. */
        for (int round = 0; round < 20; round++) {
            http_server_wake_streams(server);
            pthread_mutex_lock(&server->stream_lock);
            int left = server->streams != NULL;
            pthread_mutex_unlock(&server->stream_lock);
            if (!left)
                break;
            usleep(50 * 1000);
        }
        MHD_stop_daemon(server->daemon);
    }
    guard_free(server->guard);
    reply_cache_free(server->cache); /* every answer holding a blob went with the daemon */
    pthread_cond_destroy(&server->bulk_ready);
    pthread_mutex_destroy(&server->log_lock);
    pthread_mutex_destroy(&server->queue_lock);
    pthread_cond_destroy(&server->queue_ready);
    pthread_mutex_destroy(&server->stream_lock);
    pthread_mutex_destroy(&server->ticker_lock);
    pthread_cond_destroy(&server->ticker_wake);
    static_site_close(server->site);
    free(server->tls_cert);
    free(server->tls_key);
    free(server->workers);
    metrics_destroy(server->metrics);
    free(server);
}
