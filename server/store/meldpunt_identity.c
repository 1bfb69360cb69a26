/* Requests to release a meldpunt reporter's identity in MariaDB: every statement on
 * meldpunt_identity_requests. The reason stays sealed here; the service opens it. */
#include "alvd/store/meldpunt_identity.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void identity_copy(char *out, size_t size, const char *text)
{
    snprintf(out, size, "%s", text ? text : "");
}

void store_meldpunt_identity_requests_free(store_meldpunt_identity_requests *list)
{
    for (size_t i = 0; i < list->count; i++) {
        free(list->items[i].reason);
        free(list->items[i].reason_text);
    }
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

int store_meldpunt_identity_latest(store_conn *conn, long long report_id, long long user_id, int *found,
                                   store_meldpunt_identity_request *request, alvd_err *err)
{
    store_result *rows = NULL;
    memset(request, 0, sizeof *request);
    *found = 0;
    if (store_query(conn, err, &rows,
                    "SELECT r.id, r.state, r.sole_officer, r.requested_on, r.decided_on, d.name"
                    " FROM meldpunt_identity_requests r LEFT JOIN users d ON d.id = r.decided_by"
                    " WHERE r.report_id = ? AND r.requested_by = ? ORDER BY r.id DESC LIMIT 1",
                    STORE_PARAMS(STORE_INT_PARAM(report_id), STORE_INT_PARAM(user_id))) != 0)
        return -1;
    if (store_result_rows(rows) == 1) {
        *found = 1;
        request->id = store_result_int(rows, 0, 0);
        request->report_id = report_id;
        request->requested_by = user_id;
        identity_copy(request->state, sizeof request->state, store_result_text(rows, 0, 1));
        request->sole_officer = store_result_int(rows, 0, 2) != 0;
        identity_copy(request->requested_on, sizeof request->requested_on, store_result_text(rows, 0, 3));
        identity_copy(request->decided_on, sizeof request->decided_on, store_result_text(rows, 0, 4));
        request->decided = !store_result_is_null(rows, 0, 5);
        identity_copy(request->decided_by_name, sizeof request->decided_by_name, store_result_text(rows, 0, 5));
    }
    store_result_free(rows);
    return 0;
}

int store_meldpunt_identity_lock_open(store_conn *conn, long long report_id, long long user_id, char state[16],
                                      alvd_err *err)
{
    store_result *rows = NULL;
    state[0] = '\0';
    if (store_query(conn, err, &rows,
                    "SELECT id, state FROM meldpunt_identity_requests WHERE report_id = ? AND requested_by = ?"
                    " AND state IN ('pending', 'approved') FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(report_id), STORE_INT_PARAM(user_id))) != 0)
        return -1;
    if (store_result_rows(rows) > 0)
        identity_copy(state, 16, store_result_text(rows, 0, 1));
    store_result_free(rows);
    return 0;
}

int store_meldpunt_identity_insert(store_conn *conn, long long report_id, long long user_id, const char *requested_on,
                                   const char *state, const char *decided_on, int sole_officer, long long *id,
                                   alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO meldpunt_identity_requests (report_id, requested_by, requested_on, state,"
                      " decided_on, sole_officer) VALUES (?, ?, ?, ?, ?, ?)",
                      STORE_PARAMS(STORE_INT_PARAM(report_id), STORE_INT_PARAM(user_id),
                                   STORE_TEXT_PARAM(requested_on), STORE_TEXT_PARAM(state),
                                   STORE_TEXT_PARAM(decided_on), STORE_INT_PARAM(sole_officer))) != 0)
        return -1;
    *id = store_last_insert_id(conn);
    return 0;
}

int store_meldpunt_identity_set_reason(store_conn *conn, long long id, const unsigned char *sealed, size_t length,
                                       alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE meldpunt_identity_requests SET reason = ? WHERE id = ?",
                         STORE_PARAMS(STORE_BLOB_PARAM(sealed, length), STORE_INT_PARAM(id)));
}

/* One row of the list query into request (the sealed reason copied). */
static int identity_list_row(const store_result *rows, size_t r, store_meldpunt_identity_request *request,
                             alvd_err *err)
{
    request->id = store_result_int(rows, r, 0);
    request->report_id = store_result_int(rows, r, 1);
    request->requested_by = store_result_int(rows, r, 2);
    identity_copy(request->requested_by_name, sizeof request->requested_by_name, store_result_text(rows, r, 3));
    identity_copy(request->requested_on, sizeof request->requested_on, store_result_text(rows, r, 4));
    identity_copy(request->state, sizeof request->state, store_result_text(rows, r, 5));
    identity_copy(request->decided_on, sizeof request->decided_on, store_result_text(rows, r, 6));
    request->decided = !store_result_is_null(rows, r, 7);
    identity_copy(request->decided_by_name, sizeof request->decided_by_name, store_result_text(rows, r, 7));
    request->sole_officer = store_result_int(rows, r, 8) != 0;
    request->personal_data_deleted = store_result_int(rows, r, 10) != 0;
    return store_meldpunt_blob_copy(rows, r, 9, &request->reason, &request->reason_length, err);
}

int store_meldpunt_identity_list(store_conn *conn, long long user_id, store_meldpunt_identity_requests *list,
                                 alvd_err *err)
{
    store_result *rows = NULL;
    list->items = NULL;
    list->count = 0;
    if (store_query(conn, err, &rows,
                    "SELECT r.id, r.report_id, r.requested_by, q.name, r.requested_on, r.state, r.decided_on, d.name,"
                    " r.sole_officer, r.reason, p.personal_data_deleted_on IS NOT NULL"
                    " FROM meldpunt_identity_requests r JOIN users q ON q.id = r.requested_by"
                    " LEFT JOIN users d ON d.id = r.decided_by JOIN meldpunt_reports p ON p.id = r.report_id"
                    " WHERE r.state = 'pending' OR r.requested_by = ? ORDER BY r.state <> 'pending', r.id DESC LIMIT 200",
                    STORE_PARAMS(STORE_INT_PARAM(user_id))) != 0)
        return -1;
    size_t found = store_result_rows(rows);
    int rc = 0;
    if (found && (list->items = calloc(found, sizeof *list->items)) == NULL)
        rc = alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    for (size_t r = 0; r < found && rc == 0; r++) {
        list->count++;
        rc = identity_list_row(rows, r, &list->items[r], err);
    }
    store_result_free(rows);
    if (rc != 0)
        store_meldpunt_identity_requests_free(list);
    return rc;
}

int store_meldpunt_identity_lock(store_conn *conn, long long id, store_meldpunt_identity_request *request,
                                 alvd_err *err)
{
    store_result *rows = NULL;
    memset(request, 0, sizeof *request);
    if (store_query(conn, err, &rows,
                    "SELECT report_id, requested_by, state FROM meldpunt_identity_requests WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", NULL, "Verzoek niet gevonden.");
    }
    request->id = id;
    request->report_id = store_result_int(rows, 0, 0);
    request->requested_by = store_result_int(rows, 0, 1);
    identity_copy(request->state, sizeof request->state, store_result_text(rows, 0, 2));
    store_result_free(rows);
    return 0;
}

int store_meldpunt_identity_decide(store_conn *conn, long long id, const char *decision, long long decided_by,
                                   const char *decided_on, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE meldpunt_identity_requests SET state = ?, decided_by = ?, decided_on = ? WHERE id = ?",
                         STORE_PARAMS(STORE_TEXT_PARAM(decision), STORE_INT_PARAM(decided_by),
                                      STORE_TEXT_PARAM(decided_on), STORE_INT_PARAM(id)));
}
