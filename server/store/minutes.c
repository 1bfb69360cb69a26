/* The minutes' SQL: signed decision records, and what the minutes read of the meeting,
 * its members, remote participants, adoptions and named votes. */
#include "alvd/store/minutes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_minutes_insert_decision(store_conn *conn, long long meeting_id, long long poll_id, const char *kind,
                                  const char *canonical, const unsigned char *signature, size_t signature_length,
                                  alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "INSERT INTO decisions (meeting_id, poll_id, kind, canonical, signature, created_at)"
                         " VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(6))",
                         STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(poll_id), STORE_TEXT_PARAM(kind),
                                      STORE_TEXT_PARAM(canonical), STORE_BLOB_PARAM(signature, signature_length)));
}

static int store_minutes_decision_read(store_result *rows, size_t r, store_minutes_decision *out)
{
    out->id = store_result_int(rows, r, 0);
    out->poll_id = store_result_int(rows, r, 1);
    snprintf(out->kind, sizeof out->kind, "%s", store_result_text(rows, r, 2) ? store_result_text(rows, r, 2) : "");
    const char *canonical = store_result_text(rows, r, 3);
    out->canonical = strdup(canonical ? canonical : "");
    out->signature_length = store_result_length(rows, r, 4);
    out->signature = malloc(out->signature_length ? out->signature_length : 1);
    if (out->canonical == NULL || out->signature == NULL)
        return -1;
    if (out->signature_length)
        memcpy(out->signature, store_result_text(rows, r, 4), out->signature_length);
    return 0;
}

int store_minutes_decisions(store_conn *conn, long long meeting_id, store_minutes_decision **out, size_t *count,
                            alvd_err *err)
{
    store_result *rows = NULL;
    *out = NULL;
    *count = 0;
    int rc = meeting_id
                 ? store_query(conn, err, &rows,
                               "SELECT id, poll_id, kind, canonical, signature, created_at FROM decisions WHERE meeting_id = ? ORDER BY id",
                               STORE_PARAMS(STORE_INT_PARAM(meeting_id)))
                 : store_query(conn, err, &rows, "SELECT id, poll_id, kind, canonical, signature FROM decisions ORDER BY id",
                               STORE_NO_PARAMS);
    if (rc != 0)
        return -1;
    size_t n = store_result_rows(rows);
    *out = store_result_array(rows, sizeof **out, err);
    if (*out == NULL) {
        store_result_free(rows);
        return -1;
    }
    *count = n;
    for (size_t r = 0; r < n; r++)
        if (store_minutes_decision_read(rows, r, &(*out)[r]) != 0) {
            store_result_free(rows);
            store_minutes_decisions_free(*out, n);
            *out = NULL;
            *count = 0;
            return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        }
    store_result_free(rows);
    return 0;
}

void store_minutes_decisions_free(store_minutes_decision *decisions, size_t count)
{
    for (size_t i = 0; decisions && i < count; i++) {
        free(decisions[i].canonical);
        free(decisions[i].signature);
    }
    free(decisions);
}

int store_minutes_poll_outcome_load(store_conn *conn, long long poll_id, store_minutes_poll_outcome *out,
                                    alvd_err *err)
{
    store_result *rows = NULL;
    memset(out, 0, sizeof *out);
    if (store_query(conn, err, &rows,
                    "SELECT votes_for, votes_against, votes_abstain, eligible, not_voted, adopted, fingerprint,"
                    " DATE_FORMAT(decided_on, '%Y-%m-%d') FROM polls WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(poll_id))) != 0)
        return -1;
    out->found = store_result_rows(rows) == 1;
    if (out->found) {
        long long *numbers[] = {&out->votes_for, &out->votes_against, &out->votes_abstain, &out->eligible,
                                &out->not_voted};
        for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++)
            *numbers[i] = store_result_int(rows, 0, i);
        out->adopted = store_result_int(rows, 0, 5) != 0;
        out->has_fingerprint = store_result_text(rows, 0, 6) != NULL;
        if (out->has_fingerprint)
            snprintf(out->fingerprint, sizeof out->fingerprint, "%s", store_result_text(rows, 0, 6));
        out->has_decided_on = !store_result_is_null(rows, 0, 7);
        if (out->has_decided_on)
            snprintf(out->decided_on, sizeof out->decided_on, "%s", store_result_text(rows, 0, 7));
    }
    store_result_free(rows);
    return 0;
}

/* Rows rendered as they are: all (a JSON array), or row 0 (an object, or null when none). */
static int store_minutes_json(store_conn *conn, alvd_err *err, int first_row, json_t **out, const char *sql,
                              const store_param *params, size_t count)
{
    store_result *rows = NULL;
    *out = NULL;
    if (store_query(conn, err, &rows, sql, params, count) != 0)
        return -1;
    if (!first_row)
        *out = store_result_json(rows);
    else
        *out = store_result_rows(rows) ? store_result_row_json(rows, 0) : json_null();
    store_result_free(rows);
    return 0;
}

int store_minutes_meeting(store_conn *conn, long long meeting_id, json_t **out, alvd_err *err)
{
    if (store_minutes_json(conn, err, 1, out,
                           "SELECT id, title, date, starts_at, location, state, majority_rule, opened_at, closed_at FROM meetings WHERE id = ?",
                           STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    if (json_is_null(*out)) {
        *out = NULL;
        return alvd_err_set(err, 404, "not_found", NULL, "Vergadering niet gevonden.");
    }
    return 0;
}

int store_minutes_opened_at(store_conn *conn, long long meeting_id, char *out, size_t size, alvd_err *err)
{
    return store_query_text(conn, err, out, size, NULL,
                            "SELECT DATE_FORMAT(opened_at, '%Y-%m-%d %H:%i:%s.%f') FROM meetings WHERE id = ?",
                            STORE_PARAMS(STORE_INT_PARAM(meeting_id)));
}

int store_minutes_members(store_conn *conn, long long meeting_id, json_t **out, alvd_err *err)
{
    return store_minutes_json(conn, err, 0, out,
                              "SELECT m.organisation_id, o.name FROM meeting_members m JOIN organisations o ON o.id = m.organisation_id"
                              " WHERE m.meeting_id = ? ORDER BY o.name",
                              STORE_PARAMS(STORE_INT_PARAM(meeting_id)));
}

int store_minutes_remote_participants(store_conn *conn, long long meeting_id, json_t **out, alvd_err *err)
{
    return store_minutes_json(conn, err, 0, out,
                              "SELECT e.organisation_id, o.name,"
                              " MIN(CASE WHEN e.direction = 'entry' THEN e.at END) AS first_entry,"
                              " MAX(CASE WHEN e.direction = 'exit' THEN e.at END) AS last_exit,"
                              " CAST(SUM(e.source = 'disconnect') AS SIGNED) AS disconnects,"
                              " MAX(e.source = 'disconnect') AS auto_checkout"
                              " FROM attendance_events e JOIN organisations o ON o.id = e.organisation_id"
                              " WHERE e.meeting_id = ? AND e.channel = 'remote'"
                              " GROUP BY e.organisation_id, o.name HAVING first_entry IS NOT NULL ORDER BY o.name",
                              STORE_PARAMS(STORE_INT_PARAM(meeting_id)));
}

int store_minutes_poll_adoption(store_conn *conn, long long poll_id, json_t **out, alvd_err *err)
{
    return store_minutes_json(conn, err, 1, out,
                              "SELECT DATE_FORMAT(effective_from, '%Y-%m-%d') AS effective_from,"
                              " DATE_FORMAT(withdrawal_deadline, '%Y-%m-%d') AS withdrawal_deadline, version_id"
                              " FROM adoptions WHERE poll_id = ?",
                              STORE_PARAMS(STORE_INT_PARAM(poll_id)));
}

int store_minutes_named_votes(store_conn *conn, long long poll_id, json_t **out, alvd_err *err)
{
    return store_minutes_json(conn, err, 0, out,
                              "SELECT v.organisation_id, o.name, v.choice, v.channel FROM open_votes v"
                              " JOIN organisations o ON o.id = v.organisation_id WHERE v.poll_id = ? ORDER BY o.name",
                              STORE_PARAMS(STORE_INT_PARAM(poll_id)));
}
