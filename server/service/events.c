/* Meeting events for SSE: the pump and the streams (the SQL is in store/events.c).
 * Rows in `events` are the truth (shared by every process); each process's pump copies new rows into a ring of ready frames so a stream's next()
 * only copies bytes, and falls back to one short query when a client resumes from far back.
 *
 * Order (issue 17): an event's id is its AUTO_INCREMENT number, handed out when it is
 * inserted, and ids do not become visible in id order (two transactions on one node, or
 * interleaved increments across Galera nodes: a lower id can commit after a higher one was
 * streamed). So streams do not follow ids: they follow seq, the stream position the audit
 * sequencer gives each event once it is committed (crypto/audit_sequencer.c), one holder
 * at a time, in its own transactions that become visible in seq order. A late event gets
 * a later seq and is streamed then, never skipped. The SSE `id:` stays the event's id (what
 * clients and the contract know); Last-Event-ID is mapped back to that event's seq. */
#include "alvd/service/events.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alvd/base/buf.h"
#include "alvd/base/log.h"
#include "alvd/service/meetings.h"

#define EVENTS_FRAME_CAP (64 * 1024)
#define EVENTS_PENDING_CAP (1024 * 1024)
#define EVENTS_FETCH_LIMIT 200
#define EVENTS_POLL_LIMIT 500
#define EVENTS_SKIP_MAX 64

typedef struct events_frame {
    long long seq;   /* stream position: the ring is in seq order */
    long long id;
    long long meeting_id;
    char *text;      /* "id: …\nevent: …\ndata: …\n\n" */
    size_t length;
} events_frame;

struct events_pump {
    const alvd_app *app;
    http_server *server;
    pthread_t thread;
    int running;
    int stopping;
    pthread_mutex_t stop_lock;
    pthread_cond_t stop_wake;
    pthread_rwlock_t ring_lock;
    events_frame ring[EVENTS_RING_SIZE];
    size_t ring_start, ring_count;
    long long floor_seq;  /* the ring holds every event with seq > floor_seq up to latest_seq */
    long long latest_seq; /* read without the lock as a quick "anything new?" check */
    int poked;            /* the sequencer numbered events: poll now */
};

/* One SSE frame; the payload is compact JSON, so it never holds a raw newline. */
static char *events_frame_text(long long id, const char *kind, const char *payload, size_t *length)
{
    alvd_buf buf;
    buf_init(&buf, EVENTS_FRAME_CAP);
    buf_appendf(&buf, "id: %lld\nevent: %s\ndata: %s\n\n", id, kind, payload);
    if (buf.overflowed) {
        buf_free(&buf);
        return NULL;
    }
    return buf_take(&buf, length);
}

static void events_ring_push(events_pump *pump, long long seq, long long id, long long meeting_id, char *text,
                             size_t length)
{
    if (pump->ring_count == EVENTS_RING_SIZE) {
        events_frame *oldest = &pump->ring[pump->ring_start];
        pump->floor_seq = oldest->seq;
        free(oldest->text);
        pump->ring_start = (pump->ring_start + 1) % EVENTS_RING_SIZE;
        pump->ring_count--;
    }
    events_frame *slot = &pump->ring[(pump->ring_start + pump->ring_count) % EVENTS_RING_SIZE];
    slot->seq = seq;
    slot->id = id;
    slot->meeting_id = meeting_id;
    slot->text = text;
    slot->length = length;
    pump->ring_count++;
}

/* What one poll of the pump carries between the visits of its rows. */
typedef struct events_pump_poll_state {
    events_pump *pump;
    long long latest;
    int locked;
} events_pump_poll_state;

static int events_pump_take(void *context, const store_event *event)
{
    events_pump_poll_state *poll = context;
    if (!poll->locked) {
        pthread_rwlock_wrlock(&poll->pump->ring_lock);
        poll->locked = 1;
    }
    size_t length = 0;
    char *text = events_frame_text(event->id, event->kind, event->payload, &length);
    if (text)
        events_ring_push(poll->pump, event->seq, event->id, event->meeting_id, text, length);
    poll->latest = event->seq;
    return 0;
}

/* Copy rows after the pump's latest position into the ring; returns how many. */
static int events_pump_poll(events_pump *pump, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    events_pump_poll_state poll = {.pump = pump, .latest = __atomic_load_n(&pump->latest_seq, __ATOMIC_ACQUIRE)};
    size_t count = 0;
    if (store_events_each_after(conn, poll.latest, EVENTS_POLL_LIMIT, events_pump_take, &poll, &count, &err) != 0)
        return -1;
    if (poll.locked) {
        __atomic_store_n(&pump->latest_seq, poll.latest, __ATOMIC_RELEASE);
        pthread_rwlock_unlock(&pump->ring_lock);
    }
    return (int)count;
}

static void *events_pump_main(void *argument)
{
    events_pump *pump = argument;
    pthread_mutex_lock(&pump->stop_lock);
    while (!pump->stopping) {
        pthread_mutex_unlock(&pump->stop_lock);
        alvd_err err;
        alvd_err_clear(&err);
        store_conn *conn = store_pool_acquire(pump->app->pool, &err);
        int fresh = conn ? events_pump_poll(pump, conn) : -1;
        store_pool_release(pump->app->pool, conn);
        if (fresh > 0)
            http_server_wake_streams(pump->server);
        pthread_mutex_lock(&pump->stop_lock);
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += EVENTS_PUMP_INTERVAL_MS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        if (!pump->stopping && !pump->poked)
            pthread_cond_timedwait(&pump->stop_wake, &pump->stop_lock, &until);
        pump->poked = 0;
    }
    pthread_mutex_unlock(&pump->stop_lock);
    return NULL;
}

events_pump *service_events_pump_create(const alvd_app *app, alvd_err *err)
{
    events_pump *pump = calloc(1, sizeof *pump);
    if (pump == NULL) {
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        return NULL;
    }
    pump->app = app;
    pthread_mutex_init(&pump->stop_lock, NULL);
    pthread_cond_init(&pump->stop_wake, NULL);
    pthread_rwlock_init(&pump->ring_lock, NULL);
    /* Start at the newest event: older ones are served from the database on resume. */
    store_conn *conn = store_pool_acquire(app->pool, err);
    long long latest = 0;
    if (conn && store_events_latest_seq(conn, &latest, err) == 0) {
        pump->latest_seq = pump->floor_seq = latest;
        alvd_err_clear(err);
    } else {
        /* The database may come later; then every stream starts from the database. */
        log_warn("events: cannot read the newest event id (%s); starting from 0",
                 err->message);
        alvd_err_clear(err);
    }
    store_pool_release(app->pool, conn);
    return pump;
}

int service_events_pump_start(events_pump *pump, http_server *server, alvd_err *err)
{
    pump->server = server;
    if (pthread_create(&pump->thread, NULL, events_pump_main, pump) != 0)
        return alvd_err_set(err, 500, "thread_failed", NULL, "Cannot start the event pump.");
    pump->running = 1;
    return 0;
}

void service_events_pump_wake(void *context)
{
    events_pump *pump = context;
    if (pump == NULL)
        return;
    pthread_mutex_lock(&pump->stop_lock);
    pump->poked = 1;
    pthread_cond_broadcast(&pump->stop_wake);
    pthread_mutex_unlock(&pump->stop_lock);
}

void service_events_pump_halt(events_pump *pump)
{
    if (pump == NULL)
        return;
    pthread_mutex_lock(&pump->stop_lock);
    pump->stopping = 1;
    pthread_cond_broadcast(&pump->stop_wake);
    pthread_mutex_unlock(&pump->stop_lock);
    if (pump->running)
        pthread_join(pump->thread, NULL);
    pump->running = 0;
}

void service_events_pump_stop(events_pump *pump)
{
    if (pump == NULL)
        return;
    service_events_pump_halt(pump);
    for (size_t i = 0; i < pump->ring_count; i++)
        free(pump->ring[(pump->ring_start + i) % EVENTS_RING_SIZE].text);
    pthread_rwlock_destroy(&pump->ring_lock);
    pthread_mutex_destroy(&pump->stop_lock);
    pthread_cond_destroy(&pump->stop_wake);
    free(pump);
}

/* ---------------------------------------------------------------- the stream */

struct service_events_stream {
    const alvd_app *app;
    events_pump *pump;
    long long meeting_id;
    long long last_seq;   /* the stream position sent up to */
    /* A stream opened "from now on" skips the events that had committed but had no
     * position yet when it opened (they happened before it); at most a few. */
    long long skip_ids[EVENTS_SKIP_MAX];
    size_t skip_count;
    alvd_buf pending;     /* frames waiting to be written */
    size_t sent;          /* bytes of pending already written */
};

static int events_stream_skips(const service_events_stream *state, long long id)
{
    for (size_t i = 0; i < state->skip_count; i++)
        if (state->skip_ids[i] == id)
            return 1;
    return 0;
}

static int events_stream_take(void *context, const store_event *event)
{
    service_events_stream *state = context;
    if (!events_stream_skips(state, event->id))
        buf_appendf(&state->pending, "id: %lld\nevent: %s\ndata: %s\n\n", event->id, event->kind, event->payload);
    state->last_seq = event->seq;
    return 0;
}

/* Frames of this meeting after last_seq, from the database (a client resuming from
 * before the ring, or no pump). One short indexed query on a pooled connection. */
static int events_stream_from_database(service_events_stream *state, long long up_to)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_conn *conn = store_pool_acquire(state->app->pool, &err);
    if (conn == NULL)
        return -1;
    size_t count = 0;
    int rc = store_events_each_of_meeting_after(conn, state->meeting_id, state->last_seq, EVENTS_FETCH_LIMIT,
                                                events_stream_take, state, &count, &err);
    store_pool_release(state->app->pool, conn);
    if (rc != 0)
        return -1;
    /* A short page means nothing else of ours exists up to what the pump had seen. */
    if (count < EVENTS_FETCH_LIMIT && up_to > state->last_seq)
        state->last_seq = up_to;
    return 0;
}

static void events_stream_collect(service_events_stream *state)
{
    events_pump *pump = state->pump;
    if (pump == NULL) {
        events_stream_from_database(state, 0);
        return;
    }
    long long latest = __atomic_load_n(&pump->latest_seq, __ATOMIC_ACQUIRE);
    if (latest <= state->last_seq)
        return;
    pthread_rwlock_rdlock(&pump->ring_lock);
    if (state->last_seq >= pump->floor_seq) {
        for (size_t i = 0; i < pump->ring_count; i++) {
            const events_frame *frame = &pump->ring[(pump->ring_start + i) % EVENTS_RING_SIZE];
            if (frame->seq > state->last_seq && frame->meeting_id == state->meeting_id &&
                !events_stream_skips(state, frame->id))
                buf_append(&state->pending, frame->text, frame->length);
        }
        state->last_seq = __atomic_load_n(&pump->latest_seq, __ATOMIC_ACQUIRE);
        pthread_rwlock_unlock(&pump->ring_lock);
        return;
    }
    pthread_rwlock_unlock(&pump->ring_lock);
    events_stream_from_database(state, latest);
}

long service_events_stream_next(void *context, char *out, size_t size)
{
    service_events_stream *state = context;
    if (state->sent >= state->pending.length) {
        buf_free(&state->pending);
        buf_init(&state->pending, EVENTS_PENDING_CAP);
        state->sent = 0;
        events_stream_collect(state);
        if (state->pending.overflowed)
            return -1; /* a client this far behind reconnects and resumes */
    }
    size_t left = state->pending.length - state->sent;
    if (left == 0)
        return 0;
    size_t count = left < size ? left : size;
    memcpy(out, state->pending.data + state->sent, count);
    state->sent += count;
    return (long)count;
}

void service_events_stream_release(void *context)
{
    service_events_stream *state = context;
    buf_free(&state->pending);
    free(state);
}


/* Where a new stream starts: after the client's last event, or "now", which is what the
 * database holds (the pump may be an interval behind, and the frames it has yet to read
 * would reach this new client as if they were new; so would events committed but not
 * yet given a position, which are remembered and skipped). */
static void events_stream_position(store_conn *conn, service_events_stream *state, long long resume_after)
{
    alvd_err err;
    alvd_err_clear(&err);
    if (resume_after >= 0) {
        /* The client saw every event up to that one in stream order: go on after its
         * position (an id this database never gave: after the positions of lower ids). */
        if (store_events_seq_of_id(conn, resume_after, &state->last_seq, &err) != 0)
            state->last_seq = resume_after; /* the positions of events from before issue 17 */
        return;
    }
    if (store_events_start_position(conn, state->meeting_id, &state->last_seq, state->skip_ids, EVENTS_SKIP_MAX,
                                    &state->skip_count, &err) != 0 && state->pump)
        state->last_seq = __atomic_load_n(&state->pump->latest_seq, __ATOMIC_ACQUIRE);
}

int service_events_stream_open(store_conn *conn, const alvd_app *app, const auth_principal *who,
                               long long meeting_id, long long resume_after, service_events_stream **out,
                               alvd_err *err)
{
    meeting_info meeting;
    *out = NULL;
    if (service_meetings_load_for(conn, who, meeting_id, &meeting, err) != 0)
        return -1;
    service_events_stream *state = calloc(1, sizeof *state);
    if (state == NULL)
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    state->app = app;
    state->pump = app->events_pump;
    state->meeting_id = meeting_id;
    events_stream_position(conn, state, resume_after);
    buf_init(&state->pending, EVENTS_PENDING_CAP);
    /* First bytes: the reconnect delay and a comment, so the client sees the stream open. */
    buf_append_str(&state->pending, "retry: 3000\n: alvd events\n\n");
    *out = state;
    return 0;
}
