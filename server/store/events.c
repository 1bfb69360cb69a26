/* SQL of the events table: appending a meeting's live events and reading them back in
 * stream order (seq) for the pump and for streams that resume from far back. */
#include "alvd/store/events.h"

#include <stdlib.h>
#include <string.h>

int store_events_append(store_conn *conn, long long meeting_id, const char *kind, json_t *payload, alvd_err *err)
{
    char *text = payload ? json_dumps(payload, JSON_COMPACT) : strdup("{}");
    if (text == NULL)
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    /* No lock: the event gets its stream position (seq) from the sequencer once its
     * transaction has committed (see server/service/events.c). */
    int rc = store_execute(conn, err, NULL,
                           "INSERT INTO events (meeting_id, kind, payload, created_at)"
                           " VALUES (?, ?, ?, UTC_TIMESTAMP(6))",
                           STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_TEXT_PARAM(kind),
                                        STORE_TEXT_PARAM(text)));
    free(text);
    if (rc == 0)
        store_want_commit_hook(conn); /* the sequencer numbers it right after the commit */
    return rc;
}

/* Visit rows laid out as (id, meeting_id, kind, payload, seq), or without the
 * meeting_id column (has_meeting 0) when they are all of fixed_meeting_id. */
static void store_events_visit_rows(store_result *rows, int has_meeting, long long fixed_meeting_id,
                                    store_events_visit_fn visit, void *context, size_t *count)
{
    size_t total = store_result_rows(rows), column = has_meeting ? 1 : 0;
    *count = 0;
    for (size_t r = 0; r < total; r++) {
        store_event event = {.id = store_result_int(rows, r, 0),
                             .meeting_id = has_meeting ? store_result_int(rows, r, 1) : fixed_meeting_id,
                             .kind = store_result_text(rows, r, column + 1),
                             .payload = store_result_text(rows, r, column + 2),
                             .seq = store_result_int(rows, r, column + 3)};
        (*count)++;
        if (visit(context, &event) != 0)
            break;
    }
}

int store_events_each_after(store_conn *conn, long long after_seq, int limit, store_events_visit_fn visit,
                            void *context, size_t *count, alvd_err *err)
{
    store_result *rows = NULL;
    *count = 0;
    if (store_query(conn, err, &rows,
                    "SELECT id, meeting_id, kind, payload, seq FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
                    STORE_PARAMS(STORE_INT_PARAM(after_seq), STORE_INT_PARAM(limit))) != 0)
        return -1;
    store_events_visit_rows(rows, 1, 0, visit, context, count);
    store_result_free(rows);
    return 0;
}

int store_events_each_of_meeting_after(store_conn *conn, long long meeting_id, long long after_seq, int limit,
                                       store_events_visit_fn visit, void *context, size_t *count, alvd_err *err)
{
    store_result *rows = NULL;
    *count = 0;
    if (store_query(conn, err, &rows,
                    "SELECT id, kind, payload, seq FROM events WHERE meeting_id = ? AND seq > ?"
                    " ORDER BY seq LIMIT ?",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(after_seq), STORE_INT_PARAM(limit))) != 0)
        return -1;
    store_events_visit_rows(rows, 0, meeting_id, visit, context, count);
    store_result_free(rows);
    return 0;
}

int store_events_latest_seq(store_conn *conn, long long *seq, alvd_err *err)
{
    return store_query_integer(conn, err, seq, 0, "SELECT COALESCE(MAX(seq), 0) FROM events", STORE_NO_PARAMS);
}

int store_events_seq_of_id(store_conn *conn, long long event_id, long long *seq, alvd_err *err)
{
    return store_query_integer(conn, err, seq, 0,
                               "SELECT COALESCE((SELECT seq FROM events WHERE id = ? AND seq IS NOT NULL),"
                               " (SELECT COALESCE(MAX(seq), 0) FROM events WHERE id <= ?))",
                               STORE_PARAMS(STORE_INT_PARAM(event_id), STORE_INT_PARAM(event_id)));
}

int store_events_start_position(store_conn *conn, long long meeting_id, long long *seq, long long *ids, size_t max,
                                 size_t *count, alvd_err *err)
{
    /* One statement, so one read view: an event the sequencer positions between two
     * separate reads would be neither below the position nor among the skipped ids,
     * and reach a stream opened after it as new. */
    store_result *rows = NULL;
    *seq = 0;
    *count = 0;
    if (store_query(conn, err, &rows,
                    "SELECT 0, COALESCE(MAX(seq), 0) FROM events WHERE meeting_id = ?"
                    " UNION ALL (SELECT 1, id FROM events WHERE meeting_id = ? AND seq IS NULL ORDER BY id LIMIT ?)",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(meeting_id),
                                 STORE_INT_PARAM((long long)max))) != 0)
        return -1;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        long long value = store_result_int(rows, r, 1);
        if (store_result_int(rows, r, 0) == 0)
            *seq = value;
        else if (*count < max)
            ids[(*count)++] = value;
    }
    store_result_free(rows);
    return 0;
}
