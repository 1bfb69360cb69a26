/* GET /api/meetings/{id}/events: parse the meeting and where to resume, open the stream
 * (service/events.c: pump, ring, resume from the database) and hand it to the server. */
#include "alvd/api/events.h"

#include <string.h>

#include "alvd/http/input.h"

void events_stream(http_request *request)
{
    long long meeting_id = 0;
    service_events_stream *stream = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    /* Resume after Last-Event-ID (what EventSource sends on reconnect) or ?last_event_id=;
     * without either, start with what happens from now on. */
    const char *resume = http_request_header(request, "Last-Event-ID");
    if (resume == NULL)
        resume = http_request_query(request, "last_event_id");
    long long resume_after = SERVICE_EVENTS_FROM_NOW, last = 0;
    if (resume && input_id_text(resume, &last) == 0)
        resume_after = last;
    else if (resume && strcmp(resume, "0") == 0)
        resume_after = 0;
    if (service_events_stream_open(http_request_db(request), http_request_app(request),
                                   http_request_principal(request), meeting_id, resume_after, &stream, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_stream(request, "text/event-stream; charset=utf-8", service_events_stream_next,
                      service_events_stream_release, stream);
}
