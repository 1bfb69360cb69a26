/* The presence ledger of a meeting (entry/exit events, never a flag), door scans,
 * proxies, and the derived counts: present now, present at an instant, was present,
 * and P (present + represented by proxy), exported for the polls feature. */
#ifndef ALVD_API_ATTENDANCE_H
#define ALVD_API_ATTENDANCE_H

#include <stddef.h>

#include "alvd/base/err.h"
#include "alvd/http/request.h"
#include "alvd/store/db.h"

#define ATTENDANCE_INSTANT_SIZE 32  /* "YYYY-MM-DD HH:MM:SS.ffffff" UTC + NUL */

typedef struct attendance_member {
    long long organisation_id;
    int inside;               /* last ledger event at the instant is an entry */
    int remote;               /* inside through the remote channel (BW 2:38a), not the hall */
    int was_present;          /* entered at least once up to the instant */
    long long represented_by; /* holder's organisation id when counted by proxy, else 0 */
    long long proxies_held;   /* proxies of this member that count at the instant */
} attendance_member;

typedef struct attendance_snapshot {
    attendance_member *members;  /* every voting member of the meeting, by organisation id */
    size_t count;
    long long present;      /* members inside (hall and remote) */
    long long present_remote; /* of whom through the remote channel */
    long long represented;  /* members not inside, counted through a holder who is */
    long long eligible;     /* P = present + represented (R1, R2) */
    long long was_present;  /* members inside at any time up to the instant */
} attendance_snapshot;

/* The state of the ledger at instant (UTC "YYYY-MM-DD HH:MM:SS[.ffffff]"; NULL = now).
 * Free with attendance_snapshot_free. A poll opening stores eligible as its P and the
 * members with inside or represented_by as its snapshot. */
int attendance_snapshot_at(store_conn *conn, long long meeting_id, const char *instant,
                           attendance_snapshot *out, alvd_err *err);
void attendance_snapshot_free(attendance_snapshot *snapshot);
/* The member's entry in snapshot, or NULL when not a voting member. */
const attendance_member *attendance_snapshot_find(const attendance_snapshot *snapshot,
                                                  long long organisation_id);
/* The members present now (R2: the last ledger event is an entry), sorted by
 * organisation id, from one query: a whole vote batch decides "still present" with it
 * (a member in a poll's snapshot votes only while present). *ids is the caller's to free. */
int attendance_present_now(store_conn *conn, long long meeting_id, long long **ids, size_t *count,
                           alvd_err *err);
/* 1 when organisation_id is in the sorted list from attendance_present_now. */
int attendance_present_in(const long long *ids, size_t count, long long organisation_id);
/* Counts as a JSON object {"present","present_hall","present_remote","represented",
 * "eligible","was_present"}. */
json_t *attendance_counts_json(const attendance_snapshot *snapshot);

/* Parse an RFC 3339 instant ("2026-06-16T19:30:00+02:00", "…Z", optional fraction)
 * into UTC database text; 400 "bad_instant" otherwise. */
int attendance_instant_parse(const char *text, const char *field,
                             char out[ATTENDANCE_INSTANT_SIZE], alvd_err *err);

/* Check every member out (exit events with source "close") inside the caller's open
 * transaction, after the meeting row is locked. *checked_out gets the count. */
int attendance_close_all(store_conn *conn, long long meeting_id, const audit_actor *actor,
                         long long *checked_out, alvd_err *err);
/* The member's last ledger event: direction "entry"/"exit" ("" when none), channel
 * "hall"/"remote" and source. Read it after locking the member row. */
typedef struct attendance_last {
    char direction[8];
    char channel[8];
    char source[16];
} attendance_last;
int attendance_last_event(store_conn *conn, long long meeting_id, long long organisation_id, attendance_last *out,
                          alvd_err *err);
/* Lock the meeting row: every presence change of a meeting takes it first (before the
 * member rows), so counts read after a change are exact at commit (issue 17: this was
 * the audit chain's global lock row, which no business transaction takes any more). */
int attendance_lock_ledger(store_conn *conn, long long meeting_id, alvd_err *err);
/* Append one ledger event (caller's transaction, member row locked, audit written). */
int attendance_insert_event(store_conn *conn, long long meeting_id, long long organisation_id, const char *direction,
                            const char *channel, const char *source, alvd_err *err);

/* Publish the current counts as an attendance event (in the caller's transaction). */
int attendance_publish(store_conn *conn, long long meeting_id, const char *reason, alvd_err *err);

void attendance_scan(http_request *request);          /* POST /api/meetings/{id}/scans */
void attendance_manual(http_request *request);        /* POST /api/meetings/{id}/attendance/manual */
void attendance_get(http_request *request);           /* GET /api/meetings/{id}/attendance */
void attendance_csv(http_request *request);           /* GET /api/meetings/{id}/attendance.csv */
void attendance_timeline(http_request *request);      /* GET /api/meetings/{id}/attendance/timeline */
void attendance_failures(http_request *request);      /* GET /api/meetings/{id}/scan-failures */
void proxies_create(http_request *request);           /* POST /api/meetings/{id}/proxies */
void proxies_list(http_request *request);             /* GET /api/meetings/{id}/proxies */
void proxies_revoke(http_request *request);           /* POST /api/meetings/{id}/proxies/{proxy_id}/revoke */

#endif
