/* Batching: requests that defer to a batcher (the vote path) are authenticated and
 * handled together on one connection, with counts for /metrics. */
#include "server_internal.h"

void http_request_defer(http_request *request, http_batcher *batcher)
{
    request->deferred_to = batcher;
}

/* For ROUTE_BATCH_AUTH requests of a batch: load all sessions in a few queries, then
 * apply what the dispatcher applies per request (401, route roles with an audited
 * 403, CSRF for cookie sessions). Admitted requests go to admitted[]; the count is
 * returned. Requests of other routes are admitted as they are. */
size_t http_batch_authenticate(http_request **batch, size_t count, store_conn *conn,
                                      http_request **admitted)
{
    const char **tokens = calloc(count, sizeof *tokens);
    auth_principal *principals = calloc(count, sizeof *principals);
    int *found = calloc(count, sizeof *found);
    size_t ready = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (tokens == NULL || principals == NULL || found == NULL) {
        alvd_err_set(&err, 500, "out_of_memory", NULL, "Geen geheugen.");
        goto fail;
    }
    for (size_t i = 0; i < count; i++)
        tokens[i] = batch[i]->match.route->flags & ROUTE_BATCH_AUTH ? batch[i]->batch_token : NULL;
    if (auth_sessions_load_many(conn, tokens, count, principals, found, &err) != 0)
        goto fail;
    for (size_t i = 0; i < count; i++) {
        http_request *request = batch[i];
        const http_route *route = request->match.route;
        if (!(route->flags & ROUTE_BATCH_AUTH)) {
            admitted[ready++] = request;
            continue;
        }
        request->principal = principals[i];
        request->principal.via_cookie = request->batch_via_cookie;
        if (!found[i]) {
            http_reply_error(request, 401, "not_logged_in", NULL,
                             "Niet (meer) ingelogd; de sessie is verlopen of afgemeld.");
        } else if (!(request->principal.roles & route->roles)) {
            request->db = conn;
            http_audit_denied(request);
            request->db = NULL;
            http_reply_forbidden(request);
        } else if (request->principal.via_cookie && !http_csrf_valid(request)) {
            http_reply_error(request, 403, "csrf", NULL,
                             "Beveiligingstoken (CSRF) ontbreekt of klopt niet; herlaad de pagina.");
        } else {
            admitted[ready++] = request;
        }
    }
    free(tokens);
    free(principals);
    free(found);
    return ready;
fail:
    for (size_t i = 0; i < count; i++)
        http_reply_err(batch[i], &err);
    free(tokens);
    free(principals);
    free(found);
    return 0;
}

static void *http_batcher_main(void *argument)
{
    http_batcher *batcher = argument;
    http_request **batch = calloc(batcher->max_batch, sizeof *batch);
    http_request **admitted = calloc(batcher->max_batch, sizeof *admitted);
    if (batch == NULL || admitted == NULL) {
        free(batch);
        free(admitted);
        return NULL;
    }
    for (;;) {
        pthread_mutex_lock(&batcher->lock);
        while (batcher->head == NULL && !batcher->stopping)
            pthread_cond_wait(&batcher->ready, &batcher->lock);
        size_t count = 0;
        while (batcher->head && count < batcher->max_batch) {
            batch[count++] = batcher->head;
            batcher->head = batcher->head->queue_next;
        }
        if (batcher->head == NULL)
            batcher->tail = NULL;
        int done = count == 0 && batcher->stopping;
        pthread_mutex_unlock(&batcher->lock);
        if (done)
            break;
        alvd_err err;
        alvd_err_clear(&err);
        store_conn *conn = store_pool_acquire(batcher->pool, &err);
        if (conn == NULL) {
            for (size_t i = 0; i < count; i++)
                http_reply_err(batch[i], &err);
        } else {
            size_t ready = http_batch_authenticate(batch, count, conn, admitted);
            if (ready > 0)
                batcher->process(admitted, ready, conn, batcher->context);
            if (store_in_transaction(conn))
                store_rollback(conn);
            store_pool_release(batcher->pool, conn);
        }
        size_t bucket = 0;
        while (bucket < METRICS_BATCH_BUCKETS && (double)count > metrics_batch_bounds[bucket])
            bucket++;
        pthread_mutex_lock(&batcher->lock);
        batcher->batches++;
        batcher->requests += count;
        batcher->size_buckets[bucket]++;
        pthread_mutex_unlock(&batcher->lock);
        for (size_t i = 0; i < count; i++) {
            http_request *request = batch[i];
            http_server *server = request->server;
            if (!request->replied)
                http_reply_error(request, 500, "internal", NULL, "De functie gaf geen antwoord.");
            request->deferred_to = NULL;
            request->job = JOB_DONE;
            MHD_resume_connection(request->connection);
            __atomic_sub_fetch(&server->in_flight, 1, __ATOMIC_SEQ_CST);
        }
    }
    free(batch);
    free(admitted);
    return NULL;
}

http_batcher *http_batcher_start(store_pool *pool, http_batch_fn process, void *context,
                                 size_t max_batch, alvd_err *err)
{
    http_batcher *batcher = calloc(1, sizeof *batcher);
    if (batcher == NULL) {
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        return NULL;
    }
    batcher->pool = pool;
    batcher->process = process;
    batcher->context = context;
    batcher->max_batch = max_batch ? max_batch : 256;
    pthread_mutex_init(&batcher->lock, NULL);
    pthread_cond_init(&batcher->ready, NULL);
    if (pthread_create(&batcher->thread, NULL, http_batcher_main, batcher) != 0) {
        free(batcher);
        alvd_err_set(err, 500, "no_thread", NULL, "Cannot start a batch writer.");
        return NULL;
    }
    return batcher;
}

void http_batcher_stop(http_batcher *batcher)
{
    if (batcher == NULL)
        return;
    pthread_mutex_lock(&batcher->lock);
    batcher->stopping = 1;
    pthread_cond_signal(&batcher->ready);
    pthread_mutex_unlock(&batcher->lock);
    pthread_join(batcher->thread, NULL);
    pthread_mutex_destroy(&batcher->lock);
    pthread_cond_destroy(&batcher->ready);
    free(batcher);
}

void http_batcher_counts(http_batcher *batcher, unsigned long long *batches,
                         unsigned long long *requests)
{
    pthread_mutex_lock(&batcher->lock);
    *batches = batcher->batches;
    *requests = batcher->requests;
    pthread_mutex_unlock(&batcher->lock);
}

void http_batcher_render_metrics(http_batcher *batcher, const char *name, alvd_buf *out)
{
    unsigned long long buckets[METRICS_BATCH_BUCKETS + 1];
    unsigned long long requests;
    pthread_mutex_lock(&batcher->lock);
    memcpy(buckets, batcher->size_buckets, sizeof buckets);
    requests = batcher->requests;
    pthread_mutex_unlock(&batcher->lock);
    alvd_buf labels;
    buf_init(&labels, 256);
    buf_append_str(&labels, "batcher=");
    metrics_append_label_value(&labels, name);
    metrics_render_histogram(out, "alvd_batch_size", labels.data, metrics_batch_bounds, METRICS_BATCH_BUCKETS,
                             buckets, (double)requests);
    buf_free(&labels);
}
