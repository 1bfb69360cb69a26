/* Live events of a meeting (attendance now, polls later) for SSE: appended as rows of
 * the events table inside the changing transaction, picked up by a small pump thread
 * per process that caches recent frames and wakes parked streams. */
#ifndef ALVD_API_EVENTS_H
#define ALVD_API_EVENTS_H

#include <jansson.h>

#include "alvd/base/app.h"
#include "alvd/base/err.h"
#include "alvd/http/request.h"
#include "alvd/http/server.h"
#include "alvd/store/db.h"

/* Event kinds. A new kind is just a new name: streams pass every kind through as
 * `event: <kind>` with the payload as `data:`; pages listen for the kinds they know. */
#define EVENTS_KIND_ATTENDANCE "attendance"
#define EVENTS_KIND_AGENDA "agenda"
#define EVENTS_KIND_MEETING "meeting"
#define EVENTS_KIND_POLL "poll"
#define EVENTS_KIND_MAX 32

#define EVENTS_PUMP_INTERVAL_MS 200
#define EVENTS_RING_SIZE 1024

/* Append one event in the caller's open transaction. payload is borrowed (an object;
 * NULL = {}). Takes no lock: once committed, the audit sequencer gives it its stream
 * position (events.seq), so a pump never skips an event that commits late. */
int events_append(store_conn *conn, long long meeting_id, const char *kind, json_t *payload,
                  alvd_err *err);

/* The pump of `alvd serve`: create before the HTTP server (handlers find it through
 * app->events_pump), start once the server runs, halt before and stop after the
 * server stops. */
events_pump *events_pump_create(const alvd_app *app, alvd_err *err);
int events_pump_start(events_pump *pump, http_server *server, alvd_err *err);
/* Halt the pump's thread (it wakes the server's streams) before the server is freed;
 * events_pump_stop afterwards frees what streams may still read until then. */
void events_pump_halt(events_pump *pump);
/* Poll now (the sequencer gave events their position); context is the pump. */
void events_pump_wake(void *context);
void events_pump_stop(events_pump *pump);

/* GET /api/meetings/{id}/events: the SSE stream (resume with Last-Event-ID). */
void events_stream(http_request *request);

#endif
