/* Proxies' SQL (volmachten, R2): registering, revoking and listing the written proxies
 * of a meeting, and the counts a new one is checked against (one given, no chains, cap). */
#ifndef ALVD_STORE_PROXIES_H
#define ALVD_STORE_PROXIES_H

#include "alvd/base/err.h"
#include "alvd/store/db.h"

/* Lock the member rows of principal and holder at the meeting, in organisation id order;
 * *found gets how many of the two are voting members of it. */
int store_proxies_lock_members(store_conn *conn, long long meeting_id, long long principal_id, long long holder_id,
                               long long *found, alvd_err *err);

/* The meeting's proxies in force that touch a new proxy from principal to holder. */
typedef struct proxies_tally {
    long long principal_gave;   /* proxies the principal gave already */
    long long holder_holds;     /* proxies the holder holds already */
    long long holder_gave;      /* proxies the holder gave itself */
    long long principal_holds;  /* proxies the principal holds for others */
} proxies_tally;
int store_proxies_tally(store_conn *conn, long long meeting_id, long long principal_id, long long holder_id,
                        proxies_tally *out, alvd_err *err);

/* Register a proxy now (created_by 0 = not by a staff user); *id gets its id. */
int store_proxies_insert(store_conn *conn, long long meeting_id, long long principal_id, long long holder_id,
                         const char *note, long long created_by, long long *id, alvd_err *err);
/* Revoke a proxy in force now; *revoked = 0 when no such proxy was in force. */
int store_proxies_revoke(store_conn *conn, long long meeting_id, long long proxy_id, int *revoked, alvd_err *err);
/* Every proxy of the meeting by id: id, principal_id, principal_name, holder_id,
 * holder_name, note, created_at, revoked_at. */
int store_proxies_list(store_conn *conn, long long meeting_id, store_result **rows, alvd_err *err);

#endif
