/* Live events of a meeting for SSE: GET /api/meetings/{id}/events. The events table's
 * SQL is in store/events.h, the pump and the streams in service/events.h. */
#ifndef ALVD_API_EVENTS_H
#define ALVD_API_EVENTS_H

#include <jansson.h>

#include "alvd/base/app.h"
#include "alvd/base/err.h"
#include "alvd/http/request.h"
#include "alvd/http/server.h"
#include "alvd/service/events.h"
#include "alvd/store/db.h"
#include "alvd/store/events.h"

/* issue 20 forwarder: the lead replaces its callers at merge */
static inline int events_append(store_conn *conn, long long meeting_id, const char *kind, json_t *payload, alvd_err *err) { return store_events_append(conn, meeting_id, kind, payload, err); }
/* issue 20 forwarder: the lead replaces its callers at merge */
static inline events_pump *events_pump_create(const alvd_app *app, alvd_err *err) { return service_events_pump_create(app, err); }
/* issue 20 forwarder: the lead replaces its callers at merge */
static inline int events_pump_start(events_pump *pump, http_server *server, alvd_err *err) { return service_events_pump_start(pump, server, err); }
/* issue 20 forwarder: the lead replaces its callers at merge */
static inline void events_pump_halt(events_pump *pump) { service_events_pump_halt(pump); }
/* issue 20 forwarder: the lead replaces its callers at merge */
static inline void events_pump_wake(void *context) { service_events_pump_wake(context); }
/* issue 20 forwarder: the lead replaces its callers at merge */
static inline void events_pump_stop(events_pump *pump) { service_events_pump_stop(pump); }

/* GET /api/meetings/{id}/events: the SSE stream (resume with Last-Event-ID). */
void events_stream(http_request *request);

#endif
