/* The presence ledger's HTTP resources: door scans, manual desk entries, the attendance
 * list at an instant, the presentielijst, the timeline and refused scans. The ledger
 * itself is store/attendance.h, its flows service/attendance.h. */
#ifndef ALVD_API_ATTENDANCE_H
#define ALVD_API_ATTENDANCE_H

#include <stddef.h>

#include "alvd/base/err.h"
#include "alvd/http/request.h"
#include "alvd/service/attendance.h"
#include "alvd/store/attendance.h"
#include "alvd/store/db.h"

/* issue 20 forwarder: the lead replaces its callers at merge */
static inline int attendance_snapshot_at(store_conn *conn, long long meeting_id, const char *instant, attendance_snapshot *out, alvd_err *err) { return store_attendance_snapshot_at(conn, meeting_id, instant, out, err); }
/* issue 20 forwarder: the lead replaces its callers at merge */
static inline void attendance_snapshot_free(attendance_snapshot *snapshot) { store_attendance_snapshot_free(snapshot); }
/* issue 20 forwarder: the lead replaces its callers at merge */
static inline const attendance_member *attendance_snapshot_find(const attendance_snapshot *snapshot, long long organisation_id) { return store_attendance_snapshot_find(snapshot, organisation_id); }
/* issue 20 forwarder: the lead replaces its callers at merge */
static inline int attendance_present_now(store_conn *conn, long long meeting_id, long long **ids, size_t *count, alvd_err *err) { return store_attendance_present_now(conn, meeting_id, ids, count, err); }
/* issue 20 forwarder: the lead replaces its callers at merge */
static inline int attendance_present_in(const long long *ids, size_t count, long long organisation_id) { return store_attendance_present_in(ids, count, organisation_id); }
/* issue 20 forwarder: the lead replaces its callers at merge */
static inline json_t *attendance_counts_json(const attendance_snapshot *snapshot) { return service_attendance_counts_json(snapshot); }
/* issue 20 forwarder: the lead replaces its callers at merge */
static inline int attendance_close_all(store_conn *conn, long long meeting_id, const audit_actor *actor, long long *checked_out, alvd_err *err) { return service_attendance_close_all(conn, meeting_id, actor, checked_out, err); }
/* issue 20 forwarder: the lead replaces its callers at merge */
static inline int attendance_publish(store_conn *conn, long long meeting_id, const char *reason, alvd_err *err) { return service_attendance_publish(conn, meeting_id, reason, err); }

void attendance_scan(http_request *request);          /* POST /api/meetings/{id}/scans */
void attendance_manual(http_request *request);        /* POST /api/meetings/{id}/attendance/manual */
void attendance_get(http_request *request);           /* GET /api/meetings/{id}/attendance */
void attendance_csv(http_request *request);           /* GET /api/meetings/{id}/attendance.csv */
void attendance_timeline(http_request *request);      /* GET /api/meetings/{id}/attendance/timeline */
void attendance_failures(http_request *request);      /* GET /api/meetings/{id}/scan-failures */

#endif
