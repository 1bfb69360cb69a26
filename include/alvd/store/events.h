/* The events table: one row per live event of a meeting, appended in the changing
 * transaction and read back in stream order (seq, given by the audit sequencer). */
#ifndef ALVD_STORE_EVENTS_H
#define ALVD_STORE_EVENTS_H

#include <jansson.h>
#include <stddef.h>

#include "alvd/base/err.h"
#include "alvd/store/db.h"

/* Event kinds. A new kind is just a new name: streams pass every kind through as
 * `event: <kind>` with the payload as `data:`; pages listen for the kinds they know. */
#define EVENTS_KIND_ATTENDANCE "attendance"
#define EVENTS_KIND_AGENDA "agenda"
#define EVENTS_KIND_MEETING "meeting"
#define EVENTS_KIND_POLL "poll"
#define EVENTS_KIND_MAX 32

/* One stored event as a reader sees it (texts borrowed for the visit only). */
typedef struct store_event {
    long long id, meeting_id, seq;
    const char *kind;
    const char *payload;   /* compact JSON */
} store_event;

/* Called for each event in seq order; a non-zero return stops the walk. */
typedef int (*store_events_visit_fn)(void *context, const store_event *event);

/* Append one event in the caller's open transaction. payload is borrowed (an object;
 * NULL = {}). Takes no lock: once committed, the audit sequencer gives it its stream
 * position (events.seq), so a reader never skips an event that commits late. */
int store_events_append(store_conn *conn, long long meeting_id, const char *kind, json_t *payload, alvd_err *err);

/* Events of every meeting with seq > after_seq, up to limit, in seq order; *count gets
 * how many were visited. */
int store_events_each_after(store_conn *conn, long long after_seq, int limit, store_events_visit_fn visit,
                            void *context, size_t *count, alvd_err *err);
/* Events of one meeting with seq > after_seq, up to limit, in seq order (meeting_id is
 * not read back: it is the one asked for). */
int store_events_each_of_meeting_after(store_conn *conn, long long meeting_id, long long after_seq, int limit,
                                       store_events_visit_fn visit, void *context, size_t *count, alvd_err *err);

/* The highest stream position of all events (0 when none). */
int store_events_latest_seq(store_conn *conn, long long *seq, alvd_err *err);
/* The stream position a client that saw event id has reached: that event's seq, or for
 * an id never given (or not yet positioned) the highest seq of lower ids (0 when none). */
int store_events_seq_of_id(store_conn *conn, long long event_id, long long *seq, alvd_err *err);
/* Where a stream of one meeting opened "from now on" starts, read at one moment: the
 * highest stream position of its events (0 when none) and the ids of its committed
 * events with no position yet, lowest first, at most max. */
int store_events_start_position(store_conn *conn, long long meeting_id, long long *seq, long long *ids, size_t max,
                                 size_t *count, alvd_err *err);

#endif
