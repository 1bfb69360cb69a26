/* Server-sent event streams: a parked connection per stream, woken by the events pump
 * and by a ticker, ended when the server stops. */
#include "server_internal.h"

/* ---------------------------------------------------------------- streams (SSE) */

static void http_stream_unlink(http_server *server, http_stream *stream)
{
    if (stream->prev)
        stream->prev->after = stream->after;
    else if (server->streams == stream)
        server->streams = stream->after;
    if (stream->after)
        stream->after->prev = stream->prev;
    stream->prev = stream->after = NULL;
}

ssize_t http_stream_reader(void *cls, uint64_t position, char *buffer, size_t max)
{
    (void)position;
    http_stream *stream = cls;
    http_server *server = stream->server;
    if (server->stopping)
        return MHD_CONTENT_READER_END_OF_STREAM;
    long produced = stream->next(stream->context, buffer, max);
    if (produced < 0)
        return MHD_CONTENT_READER_END_OF_STREAM;
    time_t now = time(NULL);
    if (produced == 0 && now - stream->last_write >= HTTP_HEARTBEAT_SECONDS && max >= 3) {
        /* A comment line keeps proxies and phones from dropping an idle stream and
         * lets us notice a peer that went away. */
        memcpy(buffer, ":\n\n", 3);
        produced = 3;
    }
    if (produced > 0) {
        stream->last_write = now;
        return (ssize_t)produced;
    }
    /* Nothing to send: park until a publisher or the heartbeat ticker wakes us. */
    pthread_mutex_lock(&server->stream_lock);
    stream->parked = 1;
    MHD_suspend_connection(stream->connection);
    pthread_mutex_unlock(&server->stream_lock);
    return 0;
}

void http_stream_free(void *cls)
{
    http_stream *stream = cls;
    http_server *server = stream->server;
    pthread_mutex_lock(&server->stream_lock);
    http_stream_unlink(server, stream);
    pthread_mutex_unlock(&server->stream_lock);
    if (stream->release)
        stream->release(stream->context);
    free(stream);
}

void http_reply_stream(http_request *request, const char *content_type,
                       http_stream_next_fn next, http_stream_release_fn release, void *context)
{
    http_stream *stream = calloc(1, sizeof *stream);
    if (stream == NULL) {
        if (release)
            release(context);
        http_reply_error(request, 500, "out_of_memory", NULL, "Geen geheugen.");
        return;
    }
    stream->server = request->server;
    stream->connection = request->connection;
    stream->next = next;
    stream->release = release;
    stream->context = context;
    stream->last_write = time(NULL);
    request->stream = stream;
    request->status = 200;
    snprintf(request->reply_type, sizeof request->reply_type, "%s", content_type);
    request->replied = 1;
}

void http_server_wake_streams(http_server *server)
{
    pthread_mutex_lock(&server->stream_lock);
    for (http_stream *stream = server->streams; stream; stream = stream->after) {
        if (stream->parked) {
            stream->parked = 0;
            MHD_resume_connection(stream->connection);
        }
    }
    pthread_mutex_unlock(&server->stream_lock);
}

void *http_ticker_main(void *argument)
{
    http_server *server = argument;
    pthread_mutex_lock(&server->ticker_lock);
    while (!server->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += HTTP_HEARTBEAT_SECONDS;
        pthread_cond_timedwait(&server->ticker_wake, &server->ticker_lock, &until);
        if (!server->stopping)
            http_server_wake_streams(server);
    }
    pthread_mutex_unlock(&server->ticker_lock);
    return NULL;
}
