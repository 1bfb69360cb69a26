/* The audit chain's statements: pending entries written with each change, the chain and
 * its heads the sequencer appends, and the reads verify and sealing walk. */
#include "alvd/store/audit_chain.h"

#define AUDIT_PENDING_COLUMNS                                                                     \
    "p.id, DATE_FORMAT(p.created_at, '%Y-%m-%d %H:%i:%S.%f'), p.actor_kind, p.actor_id, p.actor_label," \
    " p.action, p.object_type, p.object_id, p.details, p.nonce, p.mac"

int store_audit_head_unsealed(store_conn *conn, int *unsealed, alvd_err *err)
{
    long long value = 0;
    if (store_query_integer(conn, err, &value, 0, "SELECT mac IS NULL FROM audit_heads ORDER BY id DESC LIMIT 1",
                            STORE_NO_PARAMS) != 0)
        return -1;
    *unsealed = value != 0;
    return 0;
}

int store_audit_pending_insert(store_conn *conn, const store_audit_entry *entry, const unsigned char *nonce,
                               size_t nonce_bytes, const unsigned char *mac, size_t mac_bytes, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "INSERT INTO audit_pending (created_at, actor_kind, actor_id, actor_label, action,"
                         " object_type, object_id, details, nonce, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         STORE_PARAMS(STORE_TEXT_PARAM(entry->created_at), STORE_TEXT_PARAM(entry->actor_kind),
                                      STORE_INT_PARAM(entry->actor_id), STORE_TEXT_PARAM(entry->actor_label),
                                      STORE_TEXT_PARAM(entry->action), STORE_TEXT_PARAM(entry->object_type),
                                      STORE_INT_PARAM(entry->object_id), STORE_TEXT_PARAM(entry->details),
                                      STORE_BLOB_PARAM(nonce, nonce_bytes), STORE_BLOB_PARAM(mac, mac_bytes)));
}

int store_audit_pending_unchained(store_conn *conn, long long after_id, int limit, store_result **rows,
                                  alvd_err *err)
{
    /* In the order of the pending id: a lower id that committed late is simply chained
     * later (its place is where it is chained). */
    return store_query(conn, err, rows,
                       "SELECT " AUDIT_PENDING_COLUMNS " FROM audit_pending p"
                       " LEFT JOIN audit_log l ON l.pending_id = p.id"
                       " WHERE p.id > ? AND l.id IS NULL ORDER BY p.id LIMIT ?",
                       STORE_PARAMS(STORE_INT_PARAM(after_id), STORE_INT_PARAM(limit)));
}

int store_audit_pending_overdue(store_conn *conn, int bound_seconds, long long after_id, int limit,
                                store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT " AUDIT_PENDING_COLUMNS ", p.created_at < UTC_TIMESTAMP(6) - INTERVAL ? SECOND"
                       " FROM audit_pending p LEFT JOIN audit_log l ON l.pending_id = p.id"
                       " WHERE p.id > ? AND l.id IS NULL ORDER BY p.id LIMIT ?",
                       STORE_PARAMS(STORE_INT_PARAM(bound_seconds), STORE_INT_PARAM(after_id),
                                    STORE_INT_PARAM(limit)));
}

int store_audit_head_newest(store_conn *conn, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows, "SELECT id, hash, mac FROM audit_heads ORDER BY id DESC LIMIT 1",
                       STORE_NO_PARAMS);
}

int store_audit_head_at(store_conn *conn, long long id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows, "SELECT id, hash, mac FROM audit_heads WHERE id = ?",
                       STORE_PARAMS(STORE_INT_PARAM(id)));
}

int store_audit_chain_append(store_conn *conn, const store_audit_entry *entry, long long pending_id,
                             const unsigned char *previous, const unsigned char *hash, const unsigned char *mac,
                             size_t hash_bytes, alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO audit_log (id, pending_id, created_at, actor_kind, actor_id, actor_label,"
                      " action, object_type, object_id, details, prev_hash, hash, mac)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      STORE_PARAMS(STORE_INT_PARAM(entry->id), STORE_INT_PARAM(pending_id),
                                   STORE_TEXT_PARAM(entry->created_at), STORE_TEXT_PARAM(entry->actor_kind),
                                   STORE_INT_PARAM(entry->actor_id), STORE_TEXT_PARAM(entry->actor_label),
                                   STORE_TEXT_PARAM(entry->action), STORE_TEXT_PARAM(entry->object_type),
                                   STORE_INT_PARAM(entry->object_id), STORE_TEXT_PARAM(entry->details),
                                   STORE_BLOB_PARAM(previous, hash_bytes), STORE_BLOB_PARAM(hash, hash_bytes),
                                   STORE_BLOB_PARAM(mac, hash_bytes))) != 0)
        return -1;
    return store_execute(conn, err, NULL, "INSERT INTO audit_heads (id, hash, mac) VALUES (?, ?, ?)",
                         STORE_PARAMS(STORE_INT_PARAM(entry->id), STORE_BLOB_PARAM(hash, hash_bytes),
                                      STORE_BLOB_PARAM(mac, hash_bytes)));
}

int store_audit_pending_max(store_conn *conn, long long *max, alvd_err *err)
{
    return store_query_integer(conn, err, max, 0, "SELECT COALESCE(MAX(id), 0) FROM audit_pending", STORE_NO_PARAMS);
}

int store_audit_pending_waiting(store_conn *conn, long long up_to, int bound_seconds, int *waiting, alvd_err *err)
{
    long long value = 0;
    if (store_query_integer(conn, err, &value, 0,
                            "SELECT EXISTS(SELECT 1 FROM audit_pending p LEFT JOIN audit_log l ON l.pending_id = p.id"
                            " WHERE p.id > (SELECT pending_floor FROM audit_sequencer WHERE id = 1) AND p.id <= ?"
                            " AND l.id IS NULL AND p.created_at > UTC_TIMESTAMP(6) - INTERVAL ? SECOND)",
                            STORE_PARAMS(STORE_INT_PARAM(up_to), STORE_INT_PARAM(bound_seconds))) != 0)
        return -1;
    *waiting = value != 0;
    return 0;
}

int store_audit_ends(store_conn *conn, long long *log_end, long long *head_end, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT (SELECT COALESCE(MAX(id), 0) FROM audit_log), (SELECT COALESCE(MAX(id), 0) FROM audit_heads)",
                    STORE_NO_PARAMS) != 0)
        return -1;
    *log_end = store_result_int(rows, 0, 0);
    *head_end = store_result_int(rows, 0, 1);
    store_result_free(rows);
    return 0;
}

int store_audit_log_range(store_conn *conn, long long from, long long to, int limit, store_result **rows,
                          alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT l.id, DATE_FORMAT(l.created_at, '%Y-%m-%d %H:%i:%S.%f'), l.actor_kind,"
                       " l.actor_id, l.actor_label, l.action, l.object_type, l.object_id, l.details,"
                       " l.prev_hash, l.hash, l.mac, l.pending_id, p.nonce, p.mac FROM audit_log l"
                       " LEFT JOIN audit_pending p ON p.id = l.pending_id"
                       " WHERE l.id >= ? AND l.id <= ? ORDER BY l.id LIMIT ?",
                       STORE_PARAMS(STORE_INT_PARAM(from), STORE_INT_PARAM(to), STORE_INT_PARAM(limit)));
}

int store_audit_log_set_mac(store_conn *conn, long long id, const unsigned char *mac, size_t bytes, alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE audit_log SET mac = ? WHERE id = ?",
                         STORE_PARAMS(STORE_BLOB_PARAM(mac, bytes), STORE_INT_PARAM(id)));
}

int store_audit_pending_set_mac(store_conn *conn, long long pending_id, const unsigned char *mac, size_t bytes,
                                alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE audit_pending SET mac = ? WHERE id = ?",
                         STORE_PARAMS(STORE_BLOB_PARAM(mac, bytes), STORE_INT_PARAM(pending_id)));
}

int store_audit_head_set_mac(store_conn *conn, long long id, const unsigned char *mac, size_t bytes, alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE audit_heads SET mac = ? WHERE id = ?",
                         STORE_PARAMS(STORE_BLOB_PARAM(mac, bytes), STORE_INT_PARAM(id)));
}

int store_audit_lock(store_conn *conn, int *found, alvd_err *err)
{
    long long id = 0;
    if (store_query_integer(conn, err, &id, 0, "SELECT id FROM audit_lock WHERE id = 1 FOR UPDATE", STORE_NO_PARAMS) != 0)
        return -1;
    *found = id == 1;
    return 0;
}

int store_audit_head_sealed(store_conn *conn, size_t mac_bytes, int *sealed, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows, "SELECT mac FROM audit_heads ORDER BY id DESC LIMIT 1", STORE_NO_PARAMS) != 0)
        return -1;
    *sealed = store_result_rows(rows) == 1 && store_result_length(rows, 0, 0) == mac_bytes;
    store_result_free(rows);
    return 0;
}

/* ---- the sequencer's lease row and the events it numbers ---- */

int store_audit_sequencer_read(store_conn *conn, const char *holder, int *available, long long *floor,
                               alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT holder = ? OR lease_until < UTC_TIMESTAMP(6), pending_floor FROM audit_sequencer"
                    " WHERE id = 1",
                    STORE_PARAMS(STORE_TEXT_PARAM(holder))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 500, "sequencer_missing", NULL, "The audit sequencer row is missing; run `alvd migrate`.");
    }
    *available = store_result_int(rows, 0, 0) != 0;
    *floor = store_result_int(rows, 0, 1);
    store_result_free(rows);
    return 0;
}

int store_audit_sequencer_take(store_conn *conn, const char *holder, int lease_seconds, int *taken, alvd_err *err)
{
    long long affected = 0;
    if (store_execute(conn, err, &affected,
                      "UPDATE audit_sequencer SET holder = ?, lease_until = UTC_TIMESTAMP(6) + INTERVAL ? SECOND"
                      " WHERE id = 1 AND (holder = ? OR lease_until < UTC_TIMESTAMP(6))",
                      STORE_PARAMS(STORE_TEXT_PARAM(holder), STORE_INT_PARAM(lease_seconds),
                                   STORE_TEXT_PARAM(holder))) != 0)
        return -1;
    *taken = affected == 1;
    return 0;
}

int store_audit_sequencer_renew(store_conn *conn, const char *holder, int lease_seconds, int *renewed,
                                alvd_err *err)
{
    long long affected = 0;
    if (store_execute(conn, err, &affected,
                      "UPDATE audit_sequencer SET lease_until = UTC_TIMESTAMP(6) + INTERVAL ? SECOND"
                      " WHERE id = 1 AND holder = ? AND lease_until > UTC_TIMESTAMP(6)",
                      STORE_PARAMS(STORE_INT_PARAM(lease_seconds), STORE_TEXT_PARAM(holder))) != 0)
        return -1;
    *renewed = affected == 1;
    return 0;
}

int store_audit_sequencer_release(store_conn *conn, const char *holder, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE audit_sequencer SET lease_until = '2000-01-01' WHERE id = 1 AND holder = ?",
                         STORE_PARAMS(STORE_TEXT_PARAM(holder)));
}

int store_audit_sequencer_floor(store_conn *conn, long long *floor, alvd_err *err)
{
    return store_query_integer(conn, err, floor, 0, "SELECT pending_floor FROM audit_sequencer WHERE id = 1",
                               STORE_NO_PARAMS);
}

int store_audit_sequencer_set_floor(store_conn *conn, long long floor, alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE audit_sequencer SET pending_floor = ? WHERE id = 1",
                         STORE_PARAMS(STORE_INT_PARAM(floor)));
}

int store_audit_pending_settled(store_conn *conn, long long floor, int age_seconds, long long *highest,
                                alvd_err *err)
{
    return store_query_integer(conn, err, highest, 0,
                               "SELECT COALESCE(MAX(id), 0) FROM audit_pending WHERE id > ?"
                               " AND created_at < UTC_TIMESTAMP(6) - INTERVAL ? SECOND",
                               STORE_PARAMS(STORE_INT_PARAM(floor), STORE_INT_PARAM(age_seconds)));
}

int store_audit_sequencer_has_work(store_conn *conn, long long cursor, int *work, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT EXISTS(SELECT 1 FROM audit_pending WHERE id > ?),"
                    " EXISTS(SELECT 1 FROM events WHERE seq IS NULL)",
                    STORE_PARAMS(STORE_INT_PARAM(cursor))) != 0)
        return -1;
    *work = store_result_int(rows, 0, 0) != 0 || store_result_int(rows, 0, 1) != 0;
    store_result_free(rows);
    return 0;
}

int store_audit_sequencer_left(store_conn *conn, long long *left, alvd_err *err)
{
    return store_query_integer(conn, err, left, 0,
                               "SELECT (SELECT COUNT(*) FROM audit_pending p LEFT JOIN audit_log l ON l.pending_id = p.id"
                               "  WHERE p.id > f.pending_floor AND l.id IS NULL)"
                               " + (SELECT COUNT(*) FROM events WHERE seq IS NULL) FROM audit_sequencer f WHERE f.id = 1",
                               STORE_NO_PARAMS);
}

int store_events_unnumbered(store_conn *conn, int limit, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows, "SELECT id FROM events WHERE seq IS NULL ORDER BY id LIMIT ?",
                       STORE_PARAMS(STORE_INT_PARAM(limit)));
}

int store_events_number(store_conn *conn, long long id, long long seq, int *numbered, alvd_err *err)
{
    long long affected = 0;
    if (store_execute(conn, err, &affected, "UPDATE events SET seq = ? WHERE id = ? AND seq IS NULL",
                      STORE_PARAMS(STORE_INT_PARAM(seq), STORE_INT_PARAM(id))) != 0)
        return -1;
    *numbered = affected == 1;
    return 0;
}

int store_audit_log_entry_hashes(store_conn *conn, long long id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows, "SELECT hash, mac FROM audit_log WHERE id = ?",
                       STORE_PARAMS(STORE_INT_PARAM(id)));
}
