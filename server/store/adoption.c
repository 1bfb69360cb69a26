/* SQL of adoptions: the adopting poll of a proposal, its effective date and withdrawal
 * deadline, and the scheduled Code versions they make (one per ALV and date). */
#include "alvd/store/adoption.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/store/code_versions.h"

int store_adoption_decision_load(store_conn *conn, long long proposal_id, store_adoption_decision *out,
                                 alvd_err *err)
{
    store_result *rows = NULL;
    memset(out, 0, sizeof *out);
    if (store_query(conn, err, &rows,
                    "SELECT p.id, p.meeting_id, r.state, DATE_FORMAT(p.decided_on, '%Y-%m-%d') FROM proposals r"
                    " LEFT JOIN polls p ON p.proposal_id = r.id"
                    " AND p.state = 'closed' AND p.superseded_by IS NULL WHERE r.id = ? ORDER BY p.id DESC LIMIT 1",
                    STORE_PARAMS(STORE_INT_PARAM(proposal_id))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", NULL, "Dit voorstel bestaat niet.");
    }
    out->poll_id = store_result_int(rows, 0, 0);
    out->meeting_id = store_result_int(rows, 0, 1);
    snprintf(out->proposal_state, sizeof out->proposal_state, "%s", store_result_text(rows, 0, 2));
    snprintf(out->decided_on, sizeof out->decided_on, "%s",
             store_result_is_null(rows, 0, 3) ? "" : store_result_text(rows, 0, 3));
    store_result_free(rows);
    return 0;
}

int store_adoption_current_locked(store_conn *conn, long long proposal_id, long long *version_id,
                                  char effective_from[11], alvd_err *err)
{
    store_result *rows = NULL;
    *version_id = 0;
    effective_from[0] = '\0';
    if (store_query(conn, err, &rows,
                    "SELECT DATE_FORMAT(effective_from, '%Y-%m-%d'), version_id FROM adoptions WHERE proposal_id = ?"
                    " FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(proposal_id))) != 0)
        return -1;
    if (store_result_rows(rows) == 1) {
        snprintf(effective_from, 11, "%s", store_result_text(rows, 0, 0));
        *version_id = store_result_int(rows, 0, 1);
    }
    store_result_free(rows);
    return 0;
}

int store_adoption_withdrawals_on(store_conn *conn, long long version_id, long long *count, alvd_err *err)
{
    return store_query_integer(conn, err, count, 0,
                               "SELECT COUNT(*) FROM withdrawals WHERE superseded_by IS NULL"
                               " AND (concerned_version_id = ? OR effect_version_id = ?)",
                               STORE_PARAMS(STORE_INT_PARAM(version_id), STORE_INT_PARAM(version_id)));
}

int store_adoption_version_on(store_conn *conn, const char *date, long long meeting_id, long long *version_id,
                              long long *versions, alvd_err *err)
{
    store_result *rows = NULL;
    *version_id = 0;
    *versions = 0;
    if (store_query(conn, err, &rows, "SELECT id, source, meeting_id FROM code_versions WHERE effective_from = ? ORDER BY id",
                    STORE_PARAMS(STORE_TEXT_PARAM(date))) != 0)
        return -1;
    for (size_t r = 0; r < store_result_rows(rows); r++)
        if (strcmp(store_result_text(rows, r, 1), "adoption") == 0 && store_result_int(rows, r, 2) == meeting_id)
            *version_id = store_result_int(rows, r, 0);
    *versions = (long long)store_result_rows(rows);
    store_result_free(rows);
    return 0;
}

int store_adoption_count_on_version(store_conn *conn, long long version_id, long long except_proposal_id,
                                    long long *count, alvd_err *err)
{
    return store_query_integer(conn, err, count, 0,
                               "SELECT COUNT(*) FROM adoptions WHERE version_id = ? AND proposal_id <> ?",
                               STORE_PARAMS(STORE_INT_PARAM(version_id), STORE_INT_PARAM(except_proposal_id)));
}

int store_adoption_version_move(store_conn *conn, long long version_id, const char *date, const char *label,
                                alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE code_versions SET effective_from = ?, label = ? WHERE id = ? AND source = 'adoption'",
                         STORE_PARAMS(STORE_TEXT_PARAM(date), STORE_TEXT_PARAM(label), STORE_INT_PARAM(version_id)));
}

int store_adoption_version_insert(store_conn *conn, const char *label, const char *date, long long meeting_id,
                                  const char *decided_on, long long created_by, long long *version_id,
                                  alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO code_versions (label, effective_from, source, meeting_id, decided_on, created_at,"
                      " created_by) VALUES (?, ?, 'adoption', ?, ?, UTC_TIMESTAMP(6), ?)",
                      STORE_PARAMS(STORE_TEXT_PARAM(label), STORE_TEXT_PARAM(date), STORE_INT_PARAM(meeting_id),
                                   STORE_TEXT_PARAM(decided_on), STORE_INT_PARAM(created_by))) != 0)
        return -1;
    *version_id = store_last_insert_id(conn);
    return 0;
}

int store_adoption_version_raise_decided_on(store_conn *conn, long long version_id, const char *decided_on,
                                            alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE code_versions SET decided_on = GREATEST(COALESCE(decided_on, ?), ?) WHERE id = ?",
                         STORE_PARAMS(STORE_TEXT_PARAM(decided_on), STORE_TEXT_PARAM(decided_on),
                                      STORE_INT_PARAM(version_id)));
}

int store_adoption_version_delete(store_conn *conn, long long version_id, alvd_err *err)
{
    if (store_code_articles_delete(conn, version_id, err) != 0)
        return -1;
    return store_execute(conn, err, NULL, "DELETE FROM code_versions WHERE id = ? AND source = 'adoption'",
                         STORE_PARAMS(STORE_INT_PARAM(version_id)));
}

int store_adoption_upsert(store_conn *conn, const store_adoption_row *row, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "INSERT INTO adoptions (proposal_id, poll_id, meeting_id, decided_on, effective_from,"
                         " withdrawal_deadline, version_id, set_at, set_by) VALUES (?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6), ?)"
                         " ON DUPLICATE KEY UPDATE poll_id = VALUES(poll_id), decided_on = VALUES(decided_on),"
                         " effective_from = VALUES(effective_from),"
                         " withdrawal_deadline = VALUES(withdrawal_deadline), version_id = VALUES(version_id),"
                         " set_at = VALUES(set_at), set_by = VALUES(set_by)",
                         STORE_PARAMS(STORE_INT_PARAM(row->proposal_id), STORE_INT_PARAM(row->poll_id),
                                      STORE_INT_PARAM(row->meeting_id), STORE_TEXT_PARAM(row->decided_on),
                                      STORE_TEXT_PARAM(row->effective_from), STORE_TEXT_PARAM(row->withdrawal_deadline),
                                      STORE_INT_PARAM(row->version_id), STORE_INT_PARAM(row->set_by)));
}

int store_adoption_versions_from(store_conn *conn, const char *date, long long **ids, size_t *count, alvd_err *err)
{
    store_result *rows = NULL;
    *ids = NULL;
    *count = 0;
    if (store_query(conn, err, &rows,
                    "SELECT id FROM code_versions WHERE source = 'adoption' AND effective_from >= ?"
                    " ORDER BY effective_from, id",
                    STORE_PARAMS(STORE_TEXT_PARAM(date))) != 0)
        return -1;
    size_t rows_count = store_result_rows(rows);
    *ids = store_result_array(rows, sizeof **ids, err);
    if (*ids == NULL) {
        store_result_free(rows);
        return -1;
    }
    for (size_t r = 0; r < rows_count; r++)
        (*ids)[r] = store_result_int(rows, r, 0);
    *count = rows_count;
    store_result_free(rows);
    return 0;
}

int store_adoption_version_base(store_conn *conn, long long version_id, long long *base_id, alvd_err *err)
{
    if (store_query_integer(conn, err, base_id, 0,
                            "SELECT b.id FROM code_versions v JOIN code_versions b ON b.effective_from < v.effective_from"
                            " AND b.id <> v.id WHERE v.id = ? ORDER BY b.effective_from DESC, b.id DESC LIMIT 1",
                            STORE_PARAMS(STORE_INT_PARAM(version_id))) != 0)
        return -1;
    if (*base_id != 0)
        return 0;
    return store_query_integer(conn, err, base_id, 0,
                               "SELECT MIN(p.base_version_id) FROM adoptions a JOIN proposals p ON p.id = a.proposal_id"
                               " WHERE a.version_id = ?",
                               STORE_PARAMS(STORE_INT_PARAM(version_id)));
}

int store_adoption_changes_json(store_conn *conn, long long version_id, json_t **out, alvd_err *err)
{
    store_result *rows = NULL;
    *out = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT pc.article_id, pc.action, pc.title, pc.text FROM adoptions a"
                    " JOIN polls p ON p.id = a.poll_id JOIN proposal_changes pc ON pc.revision_id = p.revision_id"
                    " WHERE a.version_id = ? ORDER BY a.proposal_id, pc.position",
                    STORE_PARAMS(STORE_INT_PARAM(version_id))) != 0)
        return -1;
    *out = store_result_json(rows);
    store_result_free(rows);
    return 0;
}

int store_adoption_version_set_base(store_conn *conn, long long version_id, long long base_id, alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE code_versions SET base_version_id = ? WHERE id = ?",
                         STORE_PARAMS(base_id ? STORE_INT_PARAM(base_id) : STORE_NULL_PARAM,
                                      STORE_INT_PARAM(version_id)));
}
