/* SQL of a meeting's agenda (meeting_agenda) and of the meeting's current item: the
 * items in order, with their polls and proposals, and their replacement. */
#include "alvd/store/agenda.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_agenda_list(store_conn *conn, long long meeting_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT a.id, a.position, a.kind, a.title, a.proposal_id, p.state AS proposal_state,"
                       " a.majority_rule,"
                       " (SELECT COUNT(*) FROM polls q WHERE q.meeting_id = a.meeting_id AND"
                       "  ((a.kind = 'proposal' AND q.proposal_id = a.proposal_id) OR q.agenda_item_id = a.id)) AS polls"
                       " FROM meeting_agenda a LEFT JOIN proposals p ON p.id = a.proposal_id"
                       " WHERE a.meeting_id = ? ORDER BY a.position",
                       STORE_PARAMS(STORE_INT_PARAM(meeting_id)));
}

int store_agenda_lock_meeting(store_conn *conn, long long meeting_id, char state[8], long long *current_position,
                              alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows, "SELECT state, current_item FROM meetings WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", NULL, "Vergadering niet gevonden.");
    }
    snprintf(state, 8, "%s", store_result_text(rows, 0, 0));
    *current_position = store_result_int(rows, 0, 1);
    store_result_free(rows);
    return 0;
}

int store_agenda_items(store_conn *conn, long long meeting_id, store_agenda_item **items, size_t *count,
                       alvd_err *err)
{
    store_result *rows = NULL;
    *items = NULL;
    *count = 0;
    if (store_query(conn, err, &rows,
                    "SELECT a.id, a.position, a.kind, a.proposal_id,"
                    " (SELECT COUNT(*) FROM polls p WHERE p.meeting_id = a.meeting_id AND"
                    "  ((a.kind = 'proposal' AND p.proposal_id = a.proposal_id) OR p.agenda_item_id = a.id))"
                    " FROM meeting_agenda a WHERE a.meeting_id = ? ORDER BY a.position",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    size_t total = store_result_rows(rows);
    store_agenda_item *out = store_result_array(rows, sizeof *out, err);
    if (out == NULL) {
        store_result_free(rows);
        return -1;
    }
    for (size_t r = 0; r < total; r++) {
        out[r].id = store_result_int(rows, r, 0);
        out[r].position = store_result_int(rows, r, 1);
        snprintf(out[r].kind, sizeof out[r].kind, "%s", store_result_text(rows, r, 2));
        out[r].proposal_id = store_result_int(rows, r, 3);
        out[r].has_poll = store_result_int(rows, r, 4) > 0;
    }
    store_result_free(rows);
    *items = out;
    *count = total;
    return 0;
}

int store_agenda_proposal(store_conn *conn, long long proposal_id, char *title, size_t title_size, char state[24],
                          int *found, alvd_err *err)
{
    store_result *rows = NULL;
    *found = 0;
    if (store_query(conn, err, &rows,
                    "SELECT r.title, p.state FROM proposals p"
                    " JOIN proposal_revisions r ON r.id = p.current_revision_id WHERE p.id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(proposal_id))) != 0)
        return -1;
    if (store_result_rows(rows) == 1) {
        *found = 1;
        snprintf(title, title_size, "%s", store_result_text(rows, 0, 0));
        snprintf(state, 24, "%s", store_result_text(rows, 0, 1));
    }
    store_result_free(rows);
    return 0;
}

int store_agenda_clear(store_conn *conn, long long meeting_id, alvd_err *err)
{
    return store_execute(conn, err, NULL, "DELETE FROM meeting_agenda WHERE meeting_id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(meeting_id)));
}

int store_agenda_insert(store_conn *conn, long long meeting_id, long long id, long long position, const char *kind,
                        long long proposal_id, const char *title, const char *majority_rule, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "INSERT INTO meeting_agenda (id, meeting_id, position, kind, proposal_id, title, majority_rule)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?)",
                         STORE_PARAMS(id ? STORE_INT_PARAM(id) : STORE_NULL_PARAM, STORE_INT_PARAM(meeting_id),
                                      STORE_INT_PARAM(position), STORE_TEXT_PARAM(kind),
                                      proposal_id ? STORE_INT_PARAM(proposal_id) : STORE_NULL_PARAM,
                                      STORE_TEXT_PARAM(title),
                                      majority_rule ? STORE_TEXT_PARAM(majority_rule) : STORE_NULL_PARAM));
}

int store_agenda_set_current(store_conn *conn, long long meeting_id, long long position, alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE meetings SET current_item = ? WHERE id = ?",
                         STORE_PARAMS(position ? STORE_INT_PARAM(position) : STORE_NULL_PARAM,
                                      STORE_INT_PARAM(meeting_id)));
}

int store_agenda_lock_item_at(store_conn *conn, long long meeting_id, long long position, store_agenda_current *out,
                              alvd_err *err)
{
    store_result *rows = NULL;
    memset(out, 0, sizeof *out);
    if (store_query(conn, err, &rows,
                    "SELECT m.id, a.title, a.id, a.kind, a.proposal_id FROM meetings m"
                    " LEFT JOIN meeting_agenda a ON a.meeting_id = m.id AND a.position = ? WHERE m.id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(position), STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", NULL, "Vergadering niet gevonden.");
    }
    if (!store_result_is_null(rows, 0, 1)) {
        out->found = 1;
        snprintf(out->title, sizeof out->title, "%s", store_result_text(rows, 0, 1));
        out->item_id = store_result_int(rows, 0, 2);
        snprintf(out->kind, sizeof out->kind, "%s", store_result_text(rows, 0, 3));
        out->proposal_id = store_result_is_null(rows, 0, 4) ? 0 : store_result_int(rows, 0, 4);
    }
    store_result_free(rows);
    return 0;
}

int store_agenda_item_proposal(store_conn *conn, long long meeting_id, long long item_id, long long *proposal_id,
                               alvd_err *err)
{
    store_result *rows = NULL;
    *proposal_id = 0;
    if (store_query(conn, err, &rows, "SELECT proposal_id FROM meeting_agenda WHERE id = ? AND meeting_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(item_id), STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", NULL, "Dit agendapunt bestaat niet.");
    }
    if (!store_result_is_null(rows, 0, 0))
        *proposal_id = store_result_int(rows, 0, 0);
    store_result_free(rows);
    return 0;
}

int store_agenda_lock_in_use(store_conn *conn, long long meeting_id, int *in_use, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT (SELECT COUNT(*) FROM polls WHERE meeting_id = m.id),"
                    " (SELECT COUNT(*) FROM meeting_agenda WHERE meeting_id = m.id AND kind <> 'item')"
                    " FROM meetings m WHERE m.id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    *in_use = store_result_int(rows, 0, 0) > 0 || store_result_int(rows, 0, 1) > 0;
    store_result_free(rows);
    return 0;
}

int store_agenda_ready_proposals(store_conn *conn, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT p.id, r.title FROM proposals p JOIN proposal_revisions r ON r.id = p.current_revision_id"
                       " WHERE p.state = 'ready' ORDER BY p.id LIMIT 20",
                       STORE_NO_PARAMS);
}
