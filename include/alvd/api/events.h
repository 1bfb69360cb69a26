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

/* GET /api/meetings/{id}/events: the SSE stream (resume with Last-Event-ID). */
void events_stream(http_request *request);

#endif
