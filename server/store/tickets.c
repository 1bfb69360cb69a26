/* SQL of a meeting's tickets and voting members: issuing (row first, code hash after),
 * revoking, the lists the secretariat and the convocation read, and the login lookup. */
#include "alvd/store/tickets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_tickets_add_members(store_conn *conn, long long meeting_id, const char *date, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "INSERT IGNORE INTO meeting_members (meeting_id, organisation_id, added_at)"
                         " SELECT DISTINCT ?, b.organisation_id, UTC_TIMESTAMP(6) FROM bases b"
                         " WHERE b.basis = 'membership' AND b.superseded_by IS NULL AND b.since <= ?"
                         " AND (b.until IS NULL OR b.until >= ?)",
                         STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_TEXT_PARAM(date), STORE_TEXT_PARAM(date)));
}

int store_tickets_members_without(store_conn *conn, long long meeting_id, long long **organisation_ids,
                                  size_t *count, alvd_err *err)
{
    store_result *rows = NULL;
    *organisation_ids = NULL;
    *count = 0;
    if (store_query(conn, err, &rows,
                    "SELECT m.organisation_id FROM meeting_members m WHERE m.meeting_id = ? AND NOT EXISTS"
                    " (SELECT 1 FROM tickets t WHERE t.meeting_id = m.meeting_id AND t.organisation_id = m.organisation_id"
                    " AND t.revoked_at IS NULL) ORDER BY m.organisation_id FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    size_t total = store_result_rows(rows);
    long long *ids = calloc(total ? total : 1, sizeof *ids);
    if (ids == NULL) {
        store_result_free(rows);
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    }
    for (size_t r = 0; r < total; r++)
        ids[r] = store_result_int(rows, r, 0);
    store_result_free(rows);
    *organisation_ids = ids;
    *count = total;
    return 0;
}

int store_tickets_insert(store_conn *conn, long long meeting_id, long long organisation_id, const unsigned char *nonce,
                         size_t nonce_length, const unsigned char *hash, long long user_id, long long *ticket_id,
                         alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO tickets (meeting_id, organisation_id, nonce, code_hash, issued_at, issued_by)"
                      " VALUES (?, ?, ?, ?, UTC_TIMESTAMP(6), ?)",
                      STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(organisation_id),
                                   STORE_BLOB_PARAM(nonce, nonce_length), STORE_BLOB_PARAM(hash, TICKET_HASH_BYTES),
                                   user_id ? STORE_INT_PARAM(user_id) : STORE_NULL_PARAM)) != 0)
        return -1;
    *ticket_id = store_last_insert_id(conn);
    return 0;
}

int store_tickets_set_hash(store_conn *conn, long long ticket_id, const unsigned char hash[TICKET_HASH_BYTES],
                           alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE tickets SET code_hash = ? WHERE id = ?",
                         STORE_PARAMS(STORE_BLOB_PARAM(hash, TICKET_HASH_BYTES), STORE_INT_PARAM(ticket_id)));
}

int store_tickets_current(store_conn *conn, long long meeting_id, long long organisation_id, long long *ticket_id,
                          unsigned char *nonce, size_t nonce_size, size_t *nonce_length, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT id, nonce FROM tickets WHERE meeting_id = ? AND organisation_id = ? AND revoked_at IS NULL",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(organisation_id))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", NULL, "Geen geldig ticket voor deze organisatie.");
    }
    *ticket_id = store_result_int(rows, 0, 0);
    *nonce_length = store_result_length(rows, 0, 1);
    memcpy(nonce, store_result_text(rows, 0, 1), *nonce_length < nonce_size ? *nonce_length : nonce_size);
    store_result_free(rows);
    return 0;
}

int store_tickets_count_valid(store_conn *conn, long long meeting_id, long long *count, alvd_err *err)
{
    return store_query_integer(conn, err, count, 0,
                               "SELECT COUNT(*) FROM tickets WHERE meeting_id = ? AND revoked_at IS NULL",
                               STORE_PARAMS(STORE_INT_PARAM(meeting_id)));
}

int store_tickets_list(store_conn *conn, long long meeting_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT t.id, t.organisation_id, o.name, t.nonce, t.issued_at,"
                       " (SELECT COUNT(*) FROM tickets r WHERE r.meeting_id = t.meeting_id"
                       "  AND r.organisation_id = t.organisation_id AND r.revoked_at IS NOT NULL)"
                       " FROM tickets t JOIN organisations o ON o.id = t.organisation_id"
                       " WHERE t.meeting_id = ? AND t.revoked_at IS NULL ORDER BY o.name, o.id",
                       STORE_PARAMS(STORE_INT_PARAM(meeting_id)));
}

int store_tickets_revoke(store_conn *conn, long long meeting_id, long long organisation_id, const char *reason,
                         long long *revoked, alvd_err *err)
{
    return store_execute(conn, err, revoked,
                         "UPDATE tickets SET revoked_at = UTC_TIMESTAMP(6), revoked_reason = ? WHERE meeting_id = ?"
                         " AND organisation_id = ? AND revoked_at IS NULL",
                         STORE_PARAMS(STORE_TEXT_PARAM(reason), STORE_INT_PARAM(meeting_id),
                                      STORE_INT_PARAM(organisation_id)));
}

int store_tickets_end_sessions(store_conn *conn, long long meeting_id, long long organisation_id, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE sessions SET revoked_at = UTC_TIMESTAMP(6) WHERE kind = 'member' AND meeting_id = ?"
                         " AND organisation_id = ? AND revoked_at IS NULL",
                         STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(organisation_id)));
}

int store_tickets_login(store_conn *conn, long long ticket_id, store_ticket_login *out, alvd_err *err)
{
    store_result *rows = NULL;
    memset(out, 0, sizeof *out);
    if (store_query(conn, err, &rows,
                    "SELECT t.meeting_id, t.organisation_id, t.code_hash, t.revoked_at IS NOT NULL, m.state, o.name"
                    " FROM tickets t JOIN meetings m ON m.id = t.meeting_id"
                    " JOIN organisations o ON o.id = t.organisation_id WHERE t.id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(ticket_id))) != 0)
        return -1;
    if (store_result_rows(rows) == 1) {
        out->found = 1;
        out->meeting_id = store_result_int(rows, 0, 0);
        out->organisation_id = store_result_int(rows, 0, 1);
        out->code_hash_length = store_result_length(rows, 0, 2);
        if (out->code_hash_length == TICKET_HASH_BYTES)
            memcpy(out->code_hash, store_result_text(rows, 0, 2), TICKET_HASH_BYTES);
        out->revoked = store_result_int(rows, 0, 3) != 0;
        snprintf(out->meeting_state, sizeof out->meeting_state, "%s", store_result_text(rows, 0, 4));
        snprintf(out->organisation_name, sizeof out->organisation_name, "%s", store_result_text(rows, 0, 5));
    }
    store_result_free(rows);
    return 0;
}

int store_tickets_recipients(store_conn *conn, long long meeting_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT c.email, c.name, o.name, t.id, t.nonce, o.email FROM tickets t"
                       " JOIN organisations o ON o.id = t.organisation_id"
                       " JOIN contacts c ON c.organisation_id = t.organisation_id AND c.removed_at IS NULL"
                       " WHERE t.meeting_id = ? AND t.revoked_at IS NULL ORDER BY o.name, c.id",
                       STORE_PARAMS(STORE_INT_PARAM(meeting_id)));
}

int store_tickets_first_holder(store_conn *conn, long long meeting_id, long long *organisation_id, char *name,
                               size_t size, alvd_err *err)
{
    store_result *rows = NULL;
    *organisation_id = 0;
    name[0] = '\0';
    if (store_query(conn, err, &rows,
                    "SELECT t.organisation_id, o.name FROM tickets t JOIN organisations o ON o.id = t.organisation_id"
                    " WHERE t.meeting_id = ? AND t.revoked_at IS NULL ORDER BY o.name, o.id LIMIT 1",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    if (store_result_rows(rows) == 1) {
        *organisation_id = store_result_int(rows, 0, 0);
        snprintf(name, size, "%s", store_result_text(rows, 0, 1));
    }
    store_result_free(rows);
    return 0;
}
