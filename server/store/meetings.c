/* SQL of the meetings table and its members: load, insert, update, the state changes
 * of open and close, and the lists the API shows. */
#include "alvd/store/meetings.h"

#include <stdio.h>
#include <string.h>

int store_meetings_load(store_conn *conn, long long meeting_id, meeting_info *out, alvd_err *err)
{
    store_result *rows = NULL;
    memset(out, 0, sizeof *out);
    if (store_query(conn, err, &rows,
                    "SELECT id, title, date, state, majority_rule, proxies_allowed, max_proxies,"
                    " electronic_participation, remote_deliberation, remote_disconnect_seconds,"
                    " COALESCE(stream_url, '') FROM meetings WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", NULL, "Vergadering niet gevonden.");
    }
    out->id = store_result_int(rows, 0, 0);
    snprintf(out->title, sizeof out->title, "%s", store_result_text(rows, 0, 1));
    snprintf(out->date, sizeof out->date, "%s", store_result_text(rows, 0, 2));
    snprintf(out->state, sizeof out->state, "%s", store_result_text(rows, 0, 3));
    snprintf(out->majority_rule, sizeof out->majority_rule, "%s", store_result_text(rows, 0, 4));
    out->proxies_allowed = (int)store_result_int(rows, 0, 5);
    out->max_proxies = (int)store_result_int(rows, 0, 6);
    out->electronic_participation = (int)store_result_int(rows, 0, 7);
    out->remote_deliberation = (int)store_result_int(rows, 0, 8);
    out->remote_disconnect_seconds = (int)store_result_int(rows, 0, 9);
    snprintf(out->stream_url, sizeof out->stream_url, "%s", store_result_text(rows, 0, 10));
    store_result_free(rows);
    return 0;
}
