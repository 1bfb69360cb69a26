/* The presence ledger's flows: a door scan (signature, ticket, meeting) and a desk entry
 * as one transaction each, check-out at close, the published counts, the ledger views. */
#ifndef ALVD_SERVICE_ATTENDANCE_H
#define ALVD_SERVICE_ATTENDANCE_H

#include <jansson.h>

#include "alvd/base/app.h"
#include "alvd/base/err.h"
#include "alvd/crypto/audit.h"
#include "alvd/store/attendance.h"
#include "alvd/store/db.h"

/* Who records a presence change: the audit actor and the staff user at the door or desk
 * (0 when not a staff user). */
typedef struct attendance_recorder {
    const audit_actor *actor;
    long long scanner_user_id;
} attendance_recorder;

/* The answer to one scan or desk entry. */
typedef struct attendance_outcome {
    char result[16];        /* entered, left, already_inside, not_inside */
    long long present, represented, eligible;
    long long organisation_id;
    char name[ATTENDANCE_NAME_SIZE];
    int replayed;           /* the same nonce was seen before: the stored answer */
} attendance_outcome;

/* A door scan of what the scanner read (the bare code or the whole ticket URL), direction
 * "entry"/"exit", with the scanner's nonce: 404 without the meeting, the stored answer
 * for a nonce seen before, refused (and logged) when forged, of another meeting, revoked
 * or the meeting is closed. */
int service_attendance_scan(store_conn *conn, const alvd_app *app, const attendance_recorder *recorder,
                            long long meeting_id, const char *scanned, const char *direction, const char *nonce,
                            attendance_outcome *out, alvd_err *err);
/* A desk entry for organisation_id (nonce optional). */
int service_attendance_manual(store_conn *conn, const attendance_recorder *recorder, long long meeting_id,
                              long long organisation_id, const char *direction, const char *nonce,
                              attendance_outcome *out, alvd_err *err);

/* Counts as a JSON object {"present","present_hall","present_remote","represented",
 * "eligible","was_present"}. */
json_t *service_attendance_counts_json(const attendance_snapshot *snapshot);
/* Publish the current counts as an attendance event (in the caller's transaction). */
int service_attendance_publish(store_conn *conn, long long meeting_id, const char *reason, alvd_err *err);
/* Check every member out (exit events with source "close") inside the caller's open
 * transaction, after the meeting row is locked. *checked_out gets the count. */
int service_attendance_close_all(store_conn *conn, long long meeting_id, const audit_actor *actor,
                                 long long *checked_out, alvd_err *err);

/* Parse an RFC 3339 instant ("2026-06-16T19:30:00+02:00", "…Z", optional fraction)
 * into UTC database text; 400 "bad_instant" otherwise. */
int service_attendance_instant_parse(const char *text, const char *field, char out[ATTENDANCE_INSTANT_SIZE],
                                     alvd_err *err);

/* A view of the ledger: the snapshot and the rows a page lists with it. */
typedef struct attendance_view {
    attendance_snapshot snapshot;
    store_result *rows;
} attendance_view;
void service_attendance_view_free(attendance_view *view);
/* The members at instant (RFC 3339 text, NULL or "" = now): 404 without the meeting, 400
 * for a bad instant; remote pages silent too long are checked out first. Rows as
 * store_attendance_members. */
int service_attendance_list(store_conn *conn, const alvd_app *app, long long meeting_id, const char *at,
                            attendance_view *out, alvd_err *err);
/* The presentielijst: snapshot now, rows as store_attendance_register. */
int service_attendance_register(store_conn *conn, long long meeting_id, attendance_view *out, alvd_err *err);
/* Every ledger event (rows as store_attendance_events) with the members at the start. */
int service_attendance_timeline(store_conn *conn, long long meeting_id, attendance_view *out, alvd_err *err);
/* The refused scans (rows as store_attendance_failures). */
int service_attendance_failures(store_conn *conn, long long meeting_id, store_result **rows, alvd_err *err);

#endif
