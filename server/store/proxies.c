/* Proxies' SQL: registering, revoking and listing a meeting's written proxies, and the
 * counts (given, held, chains) a new proxy is checked against. */
#include "alvd/store/proxies.h"

#include <string.h>

int store_proxies_lock_members(store_conn *conn, long long meeting_id, long long principal_id, long long holder_id,
                               long long *found, alvd_err *err)
{
    store_result *rows = NULL;
    *found = 0;
    if (store_query(conn, err, &rows,
                    "SELECT organisation_id FROM meeting_members WHERE meeting_id = ? AND organisation_id IN (?, ?)"
                    " ORDER BY organisation_id FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(principal_id),
                                 STORE_INT_PARAM(holder_id))) != 0)
        return -1;
    *found = (long long)store_result_rows(rows);
    store_result_free(rows);
    return 0;
}

int store_proxies_tally(store_conn *conn, long long meeting_id, long long principal_id, long long holder_id,
                        proxies_tally *out, alvd_err *err)
{
    store_result *rows = NULL;
    memset(out, 0, sizeof *out);
    if (store_query(conn, err, &rows,
                    "SELECT SUM(principal_id = ?), SUM(holder_id = ?), SUM(principal_id = ?), SUM(holder_id = ?)"
                    " FROM proxies WHERE meeting_id = ? AND revoked_at IS NULL",
                    STORE_PARAMS(STORE_INT_PARAM(principal_id), STORE_INT_PARAM(holder_id), STORE_INT_PARAM(holder_id),
                                 STORE_INT_PARAM(principal_id), STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    out->principal_gave = store_result_int(rows, 0, 0);
    out->holder_holds = store_result_int(rows, 0, 1);
    out->holder_gave = store_result_int(rows, 0, 2);
    out->principal_holds = store_result_int(rows, 0, 3);
    store_result_free(rows);
    return 0;
}

int store_proxies_insert(store_conn *conn, long long meeting_id, long long principal_id, long long holder_id,
                         const char *note, long long created_by, long long *id, alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO proxies (meeting_id, principal_id, holder_id, document_note, created_at, created_by)"
                      " VALUES (?, ?, ?, ?, UTC_TIMESTAMP(6), ?)",
                      STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(principal_id),
                                   STORE_INT_PARAM(holder_id), STORE_TEXT_PARAM(note),
                                   created_by ? STORE_INT_PARAM(created_by) : STORE_NULL_PARAM)) != 0)
        return -1;
    *id = store_last_insert_id(conn);
    return 0;
}

int store_proxies_revoke(store_conn *conn, long long meeting_id, long long proxy_id, int *revoked, alvd_err *err)
{
    long long affected = 0;
    *revoked = 0;
    if (store_execute(conn, err, &affected,
                      "UPDATE proxies SET revoked_at = UTC_TIMESTAMP(6) WHERE id = ? AND meeting_id = ? AND revoked_at IS NULL",
                      STORE_PARAMS(STORE_INT_PARAM(proxy_id), STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    *revoked = affected == 1;
    return 0;
}

int store_proxies_list(store_conn *conn, long long meeting_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT p.id, p.principal_id, po.name AS principal_name, p.holder_id, ho.name AS holder_name,"
                       " p.document_note AS note, p.created_at, p.revoked_at FROM proxies p"
                       " JOIN organisations po ON po.id = p.principal_id JOIN organisations ho ON ho.id = p.holder_id"
                       " WHERE p.meeting_id = ? ORDER BY p.id",
                       STORE_PARAMS(STORE_INT_PARAM(meeting_id)));
}
