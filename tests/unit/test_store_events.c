/* store/events.c against a real, migrated database (tests/unit/store_fixture.h): an
 * appended event is one row with compact JSON, readers walk events in seq order (all
 * meetings, or one), and the positions a resuming stream starts from. */
#include <string.h>

#include "alvd/store/events.h"
#include "check.h"
#include "store_fixture.h"

typedef struct seen {
    long long ids[16], meeting_ids[16], seqs[16];
    char kinds[16][EVENTS_KIND_MAX + 1];
    char payloads[16][64];
    size_t count;
} seen;

static int remember(void *context, const store_event *event)
{
    seen *out = context;
    if (out->count >= 16)
        return 1;
    out->ids[out->count] = event->id;
    out->meeting_ids[out->count] = event->meeting_id;
    out->seqs[out->count] = event->seq;
    snprintf(out->kinds[out->count], sizeof out->kinds[0], "%s", event->kind);
    snprintf(out->payloads[out->count], sizeof out->payloads[0], "%s", event->payload);
    out->count++;
    return 0;
}

static void test_append(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    json_t *payload = json_pack("{s:s}", "state", "open");
    CHECK(store_events_append(conn, 1, EVENTS_KIND_MEETING, payload, &err) == 0, "append: %s", err.message);
    CHECK(store_events_append(conn, 2, EVENTS_KIND_AGENDA, NULL, &err) == 0, "append without payload: %s",
          err.message);
    json_decref(payload);
    CHECK_INT(store_fixture_integer(fixture, "SELECT COUNT(*) FROM events"), 2, "two rows");
    CHECK_INT(store_fixture_integer(fixture, "SELECT COUNT(*) FROM events WHERE meeting_id = 1 AND kind = 'meeting'"
                                             " AND payload = '{\"state\":\"open\"}' AND seq IS NULL"),
              1, "the meeting event, compact JSON, not yet positioned");
    CHECK_INT(store_fixture_integer(fixture, "SELECT COUNT(*) FROM events WHERE meeting_id = 2 AND payload = '{}'"),
              1, "no payload is {}");
}

static void test_reading_in_seq_order(store_fixture *fixture, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    /* Positions out of id order, as the sequencer may give them; one event unpositioned. */
    CHECK(store_fixture_script(fixture, "DELETE FROM events;"
                                        "INSERT INTO events (id, seq, meeting_id, kind, payload, created_at) VALUES"
                                        " (10, 3, 1, 'poll', '{\"n\":10}', UTC_TIMESTAMP(6)),"
                                        " (11, 1, 1, 'agenda', '{\"n\":11}', UTC_TIMESTAMP(6)),"
                                        " (12, 2, 2, 'meeting', '{\"n\":12}', UTC_TIMESTAMP(6)),"
                                        " (13, NULL, 1, 'poll', '{\"n\":13}', UTC_TIMESTAMP(6)),"
                                        " (14, NULL, 1, 'poll', '{\"n\":14}', UTC_TIMESTAMP(6))") == 0,
          "set-up");
    seen all = {0};
    size_t count = 0;
    CHECK(store_events_each_after(conn, 0, 500, remember, &all, &count, &err) == 0, "all: %s", err.message);
    CHECK_INT(count, 3, "positioned events only");
    CHECK(all.count == 3 && all.ids[0] == 11 && all.ids[1] == 12 && all.ids[2] == 10, "in seq order 11, 12, 10");
    CHECK(all.count == 3 && all.meeting_ids[1] == 2 && strcmp(all.kinds[1], "meeting") == 0 &&
              strcmp(all.payloads[1], "{\"n\":12}") == 0 && all.seqs[1] == 2,
          "every field of a row");
    seen after = {0};
    CHECK(store_events_each_after(conn, 1, 1, remember, &after, &count, &err) == 0 && count == 1 &&
              after.ids[0] == 12, "after seq 1, limit 1: event 12");
    seen meeting = {0};
    CHECK(store_events_each_of_meeting_after(conn, 1, 0, 200, remember, &meeting, &count, &err) == 0, "meeting: %s",
          err.message);
    CHECK(meeting.count == 2 && meeting.ids[0] == 11 && meeting.ids[1] == 10 && meeting.meeting_ids[1] == 1,
          "meeting 1's positioned events in seq order");
    long long seq = -1;
    CHECK(store_events_latest_seq(conn, &seq, &err) == 0 && seq == 3, "latest seq 3 (got %lld)", seq);
    CHECK(store_events_seq_of_id(conn, 10, &seq, &err) == 0 && seq == 3, "event 10 sits at 3 (got %lld)", seq);
    CHECK(store_events_seq_of_id(conn, 13, &seq, &err) == 0 && seq == 3,
          "an unpositioned id: the highest position of lower ids (got %lld)", seq);
    CHECK(store_events_seq_of_id(conn, 5, &seq, &err) == 0 && seq == 0, "an id before all: 0 (got %lld)", seq);
    long long ids[4] = {0};
    CHECK(store_events_start_position(conn, 2, &seq, ids, 4, &count, &err) == 0 && seq == 2 && count == 0,
          "meeting 2 starts after its position 2, nothing unpositioned (got %lld, %zu)", seq, count);
    CHECK(store_events_start_position(conn, 9, &seq, ids, 4, &count, &err) == 0 && seq == 0 && count == 0,
          "a meeting without events starts at 0 (got %lld)", seq);
    CHECK(store_events_start_position(conn, 1, &seq, ids, 4, &count, &err) == 0 && seq == 3 && count == 2 &&
              ids[0] == 13 && ids[1] == 14,
          "meeting 1: after position 3, skipping its unpositioned 13 and 14, lowest first (got %lld, %zu)", seq, count);
    CHECK(store_events_start_position(conn, 1, &seq, ids, 1, &count, &err) == 0 && seq == 3 && count == 1 &&
              ids[0] == 13, "at most max skipped ids, the position still read");
}

int main(void)
{
    store_fixture fixture;
    if (store_fixture_open(&fixture, "events") != 0)
        return 1;
    store_conn *conn = store_fixture_conn(&fixture);
    CHECK(conn != NULL, "a connection from the pool");
    if (conn) {
        test_append(&fixture, conn);
        test_reading_in_seq_order(&fixture, conn);
        store_pool_release(fixture.pool, conn);
    }
    store_fixture_close(&fixture);
    return check_report("store_events");
}
