/* Live events of a meeting for SSE: a small pump thread per process copies new rows of
 * the events table into a ring of ready frames and wakes parked streams; a stream reads
 * its meeting's frames from the ring, or from the database when it resumes from far back. */
#ifndef ALVD_SERVICE_EVENTS_H
#define ALVD_SERVICE_EVENTS_H

#include <stddef.h>

#include "alvd/base/app.h"
#include "alvd/base/err.h"
#include "alvd/http/auth.h"
#include "alvd/http/server.h"
#include "alvd/store/db.h"
#include "alvd/store/events.h"

#define EVENTS_PUMP_INTERVAL_MS 200
#define EVENTS_RING_SIZE 1024

/* The pump of `alvd serve`: create before the HTTP server (handlers find it through
 * app->events_pump), start once the server runs, halt before and stop after the
 * server stops. */
events_pump *service_events_pump_create(const alvd_app *app, alvd_err *err);
int service_events_pump_start(events_pump *pump, http_server *server, alvd_err *err);
/* Halt the pump's thread (it wakes the server's streams) before the server is freed;
 * service_events_pump_stop afterwards frees what streams may still read until then. */
void service_events_pump_halt(events_pump *pump);
/* Poll now (the sequencer gave events their position); context is the pump. */
void service_events_pump_wake(void *context);
void service_events_pump_stop(events_pump *pump);

/* One open stream of a meeting's events. */
typedef struct service_events_stream service_events_stream;

#define SERVICE_EVENTS_FROM_NOW (-1LL)

/* Open the stream of a meeting the principal may see (404 otherwise), resuming after
 * the event id resume_after (Last-Event-ID; 0 = from the start) or, with
 * SERVICE_EVENTS_FROM_NOW, with what happens from now on. The first bytes announce the
 * reconnect delay. */
int service_events_stream_open(store_conn *conn, const alvd_app *app, const auth_principal *who,
                               long long meeting_id, long long resume_after, service_events_stream **out,
                               alvd_err *err);
/* The stream's next bytes (an http_stream_next_fn): 0 = nothing new, -1 = end. */
long service_events_stream_next(void *context, char *out, size_t size);
/* Free the stream (an http_stream_release_fn). */
void service_events_stream_release(void *context);

#endif
