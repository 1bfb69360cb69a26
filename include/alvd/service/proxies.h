/* Proxies (volmachten, R2): registering one under the meeting's lock against its rules
 * (allowed, open, both voting members, one given, no chains, the cap), revoking, listing. */
#ifndef ALVD_SERVICE_PROXIES_H
#define ALVD_SERVICE_PROXIES_H

#include "alvd/base/err.h"
#include "alvd/crypto/audit.h"
#include "alvd/store/attendance.h"
#include "alvd/store/db.h"

/* Register a proxy from principal to holder; created_by is the staff user (0 = none).
 * *proxy_id gets its id. */
int service_proxies_create(store_conn *conn, const audit_actor *actor, long long created_by, long long meeting_id,
                           long long principal_id, long long holder_id, const char *note, long long *proxy_id,
                           alvd_err *err);
/* Revoke a proxy in force; 404 when there is none. */
int service_proxies_revoke(store_conn *conn, const audit_actor *actor, long long meeting_id, long long proxy_id,
                           alvd_err *err);

/* The meeting's proxies (rows as store_proxies_list) with the snapshot now and the
 * meeting's proxy settings. */
typedef struct proxies_view {
    attendance_snapshot snapshot;
    store_result *rows;
    int proxies_allowed;
    int max_proxies;
} proxies_view;
int service_proxies_list(store_conn *conn, long long meeting_id, proxies_view *out, alvd_err *err);
void service_proxies_view_free(proxies_view *view);

#endif
