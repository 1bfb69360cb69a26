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

void attendance_scan(http_request *request);          /* POST /api/meetings/{id}/scans */
void attendance_manual(http_request *request);        /* POST /api/meetings/{id}/attendance/manual */
void attendance_get(http_request *request);           /* GET /api/meetings/{id}/attendance */
void attendance_csv(http_request *request);           /* GET /api/meetings/{id}/attendance.csv */
void attendance_timeline(http_request *request);      /* GET /api/meetings/{id}/attendance/timeline */
void attendance_failures(http_request *request);      /* GET /api/meetings/{id}/scan-failures */

#endif
