/* The polls' SQL: the poll row and what its JSON shows, creating, opening, paper votes,
 * closing (counts, trackers, outcome on the proposals), re-votes and the ballot-box sweep. */
#include "alvd/store/polls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "alvd/base/buf.h"

#define STORE_POLLS_COLUMNS                                                                            \
    "id, meeting_id, proposal_id, revision_id, revote_of, superseded_by, secret, state, majority_rule," \
    " eligible, present, represented, threshold, literal_threshold, paper_for, paper_against,"         \
    " paper_abstain, votes_for, votes_against, votes_abstain, not_voted, adopted, explanation,"        \
    " fingerprint, box_public_key, agenda_item_id, decision_title, present_remote"

static void store_polls_copy(char *out, size_t size, const char *text)
{
    snprintf(out, size, "%s", text ? text : "");
}

static void store_polls_read_row(store_result *rows, store_polls_row *out)
{
    out->id = store_result_int(rows, 0, 0);
    out->meeting_id = store_result_int(rows, 0, 1);
    out->proposal_id = store_result_int(rows, 0, 2);
    out->revision_id = store_result_int(rows, 0, 3);
    out->revote_of = store_result_int(rows, 0, 4);
    out->superseded_by = store_result_int(rows, 0, 5);
    out->secret = (int)store_result_int(rows, 0, 6);
    store_polls_copy(out->state, sizeof out->state, store_result_text(rows, 0, 7));
    store_polls_copy(out->rule, sizeof out->rule, store_result_text(rows, 0, 8));
    int *numbers[] = {&out->eligible, &out->present, &out->represented, &out->threshold,
                      &out->literal_threshold, &out->paper_for, &out->paper_against, &out->paper_abstain,
                      &out->votes_for, &out->votes_against, &out->votes_abstain, &out->not_voted,
                      &out->adopted};
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++)
        *numbers[i] = (int)store_result_int(rows, 0, 9 + i);
    store_polls_copy(out->explanation, sizeof out->explanation, store_result_text(rows, 0, 22));
    store_polls_copy(out->fingerprint, sizeof out->fingerprint, store_result_text(rows, 0, 23));
    out->boxed = out->secret && store_result_length(rows, 0, 24) == BALLOT_BOX_KEY_BYTES;
    if (out->boxed)
        memcpy(out->box_public_key, store_result_text(rows, 0, 24), BALLOT_BOX_KEY_BYTES);
    out->agenda_item_id = store_result_int(rows, 0, 25);
    store_polls_copy(out->decision_title, sizeof out->decision_title, store_result_text(rows, 0, 26));
    out->present_remote = (int)store_result_int(rows, 0, 27);
}

int store_polls_load(store_conn *conn, long long poll_id, int lock, store_polls_row *out, alvd_err *err)
{
    store_result *rows = NULL;
    memset(out, 0, sizeof *out);
    if (store_query(conn, err, &rows,
                    lock ? "SELECT " STORE_POLLS_COLUMNS " FROM polls WHERE id = ? FOR UPDATE"
                         : "SELECT " STORE_POLLS_COLUMNS " FROM polls WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(poll_id))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", NULL, "Deze stemming bestaat niet.");
    }
    store_polls_read_row(rows, out);
    store_result_free(rows);
    return 0;
}

int store_polls_count_voters(store_conn *conn, long long poll_id, long long *cast, alvd_err *err)
{
    return store_query_integer(conn, err, cast, 0, "SELECT COUNT(*) FROM poll_voters WHERE poll_id = ?",
                               STORE_PARAMS(STORE_INT_PARAM(poll_id)));
}

/* What the poll decides: the proposal's title at the poll's revision, or the decision's. */
static int store_polls_title(store_conn *conn, const store_polls_row *poll, char *out, size_t size, alvd_err *err)
{
    store_result *rows = NULL;
    if (poll->revision_id == 0) {
        store_polls_copy(out, size, poll->decision_title);
        return 0;
    }
    if (store_query(conn, err, &rows, "SELECT title FROM proposal_revisions WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(poll->revision_id))) != 0)
        return -1;
    store_polls_copy(out, size, store_result_rows(rows) ? store_result_text(rows, 0, 0) : "");
    store_result_free(rows);
    return 0;
}

int store_polls_load_extras(store_conn *conn, const store_polls_row *poll, store_polls_extras *out, alvd_err *err)
{
    store_result *rows = NULL;
    memset(out, 0, sizeof *out);
    if (store_polls_title(conn, poll, out->title, sizeof out->title, err) != 0 ||
        store_polls_count_voters(conn, poll->id, &out->cast, err) != 0)
        return -1;
    if (store_query(conn, err, &rows,
                    "SELECT opened_at, closed_at, created_at, DATE_FORMAT(decided_on, '%Y-%m-%d') AS decided_on"
                    " FROM polls WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(poll->id))) != 0)
        return -1;
    out->times = store_result_row_json(rows, 0);
    store_result_free(rows);
    return 0;
}

void store_polls_extras_free(store_polls_extras *extras)
{
    json_decref(extras->times);
    extras->times = NULL;
}

/* The integer column 0 of every row, as an array (caller frees). */
static int store_polls_id_list(store_conn *conn, alvd_err *err, long long **ids, size_t *count, const char *sql,
                               const store_param *params, size_t param_count)
{
    store_result *rows = NULL;
    *ids = NULL;
    *count = 0;
    if (store_query(conn, err, &rows, sql, params, param_count) != 0)
        return -1;
    size_t n = store_result_rows(rows);
    *ids = store_result_array(rows, sizeof **ids, err);
    if (*ids == NULL) {
        store_result_free(rows);
        return -1;
    }
    for (size_t r = 0; r < n; r++)
        (*ids)[r] = store_result_int(rows, r, 0);
    *count = n;
    store_result_free(rows);
    return 0;
}

int store_polls_list_ids(store_conn *conn, long long meeting_id, long long **ids, size_t *count, alvd_err *err)
{
    return store_polls_id_list(conn, err, ids, count, "SELECT id FROM polls WHERE meeting_id = ? ORDER BY id",
                               STORE_PARAMS(STORE_INT_PARAM(meeting_id)));
}

int store_polls_current_id(store_conn *conn, long long meeting_id, long long *poll_id, alvd_err *err)
{
    return store_query_integer(conn, err, poll_id, 0,
                               "SELECT id FROM polls WHERE meeting_id = ? AND (state = 'open' OR"
                               " (state = 'closed' AND superseded_by IS NULL)) ORDER BY state = 'open' DESC, id DESC LIMIT 1",
                               STORE_PARAMS(STORE_INT_PARAM(meeting_id)));
}

int store_polls_proposal_adoption(store_conn *conn, long long proposal_id, json_t **out, alvd_err *err)
{
    store_result *rows = NULL;
    *out = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT effective_from, withdrawal_deadline, version_id FROM adoptions WHERE proposal_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(proposal_id))) != 0)
        return -1;
    *out = store_result_rows(rows) ? store_result_row_json(rows, 0) : json_null();
    store_result_free(rows);
    return 0;
}

/* Rows rendered as they are (a JSON array of objects). */
static int store_polls_json_rows(store_conn *conn, alvd_err *err, json_t **out, const char *sql,
                                 const store_param *params, size_t count)
{
    store_result *rows = NULL;
    *out = NULL;
    if (store_query(conn, err, &rows, sql, params, count) != 0)
        return -1;
    *out = store_result_json(rows);
    store_result_free(rows);
    return 0;
}

int store_polls_member_rows(store_conn *conn, long long poll_id, long long organisation_id, json_t **out,
                            alvd_err *err)
{
    return store_polls_json_rows(conn, err, out,
                                 "SELECT e.organisation_id, e.voter_id, o.name,"
                                 " (SELECT COUNT(*) FROM poll_voters v WHERE v.poll_id = e.poll_id"
                                 "  AND v.organisation_id = e.organisation_id) AS voted"
                                 " FROM poll_eligible e JOIN organisations o ON o.id = e.organisation_id"
                                 " WHERE e.poll_id = ? AND (e.organisation_id = ? OR e.voter_id = ?) ORDER BY e.organisation_id",
                                 STORE_PARAMS(STORE_INT_PARAM(poll_id), STORE_INT_PARAM(organisation_id),
                                              STORE_INT_PARAM(organisation_id)));
}

int store_polls_not_voted(store_conn *conn, long long poll_id, json_t **out, alvd_err *err)
{
    return store_polls_json_rows(conn, err, out,
                                 "SELECT e.organisation_id, o.name, e.voter_id, h.name AS voter_name FROM poll_eligible e"
                                 " JOIN organisations o ON o.id = e.organisation_id"
                                 " JOIN organisations h ON h.id = e.voter_id"
                                 " LEFT JOIN poll_voters v ON v.poll_id = e.poll_id AND v.organisation_id = e.organisation_id"
                                 " WHERE e.poll_id = ? AND v.poll_id IS NULL ORDER BY o.name",
                                 STORE_PARAMS(STORE_INT_PARAM(poll_id)));
}

/* ---------------------------------------------------------------- create, re-vote */

int store_polls_insert_draft(store_conn *conn, const store_polls_draft *draft, long long *poll_id, alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO polls (meeting_id, proposal_id, revision_id, agenda_item_id, decision_title, secret,"
                      " state, revote_of, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, UTC_TIMESTAMP(6), ?)",
                      STORE_PARAMS(STORE_INT_PARAM(draft->meeting_id),
                                   draft->proposal_id ? STORE_INT_PARAM(draft->proposal_id) : STORE_NULL_PARAM,
                                   draft->revision_id ? STORE_INT_PARAM(draft->revision_id) : STORE_NULL_PARAM,
                                   draft->agenda_item_id ? STORE_INT_PARAM(draft->agenda_item_id) : STORE_NULL_PARAM,
                                   draft->decision_title ? STORE_TEXT_PARAM(draft->decision_title) : STORE_NULL_PARAM,
                                   STORE_INT_PARAM(draft->secret),
                                   draft->revote_of ? STORE_INT_PARAM(draft->revote_of) : STORE_NULL_PARAM,
                                   STORE_INT_PARAM(draft->created_by))) != 0)
        return -1;
    *poll_id = store_last_insert_id(conn);
    return 0;
}

int store_polls_lock_agenda_item(store_conn *conn, long long meeting_id, long long item_id,
                                 store_polls_agenda_item *out, int *found, alvd_err *err)
{
    store_result *rows = NULL;
    memset(out, 0, sizeof *out);
    if (store_query(conn, err, &rows,
                    "SELECT kind, proposal_id, title FROM meeting_agenda WHERE id = ? AND meeting_id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(item_id), STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    *found = store_result_rows(rows) == 1;
    if (*found) {
        store_polls_copy(out->kind, sizeof out->kind, store_result_text(rows, 0, 0));
        out->proposal_id = store_result_int(rows, 0, 1);
        store_polls_copy(out->title, sizeof out->title, store_result_text(rows, 0, 2));
    }
    store_result_free(rows);
    return 0;
}

int store_polls_lock_agenda_proposal(store_conn *conn, long long meeting_id, long long proposal_id, char state[16],
                                     long long *revision_id, int *found, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT p.state, p.current_revision_id FROM meeting_agenda a JOIN proposals p ON p.id = a.proposal_id"
                    " WHERE a.meeting_id = ? AND a.proposal_id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(proposal_id))) != 0)
        return -1;
    *found = store_result_rows(rows) == 1;
    store_polls_copy(state, 16, *found ? store_result_text(rows, 0, 0) : "");
    *revision_id = *found ? store_result_int(rows, 0, 1) : 0;
    store_result_free(rows);
    return 0;
}

int store_polls_find_by_proposal(store_conn *conn, long long meeting_id, long long proposal_id, long long *poll_id,
                                 alvd_err *err)
{
    return store_query_integer(conn, err, poll_id, 0, "SELECT id FROM polls WHERE proposal_id = ? AND meeting_id = ?",
                               STORE_PARAMS(STORE_INT_PARAM(proposal_id), STORE_INT_PARAM(meeting_id)));
}

int store_polls_find_by_item(store_conn *conn, long long meeting_id, long long item_id, long long *poll_id,
                             alvd_err *err)
{
    return store_query_integer(conn, err, poll_id, 0, "SELECT id FROM polls WHERE agenda_item_id = ? AND meeting_id = ?",
                               STORE_PARAMS(STORE_INT_PARAM(item_id), STORE_INT_PARAM(meeting_id)));
}

int store_polls_revote_blockers(store_conn *conn, long long poll_id, long long proposal_id, int *pending, int *dated,
                                alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT (SELECT COUNT(*) FROM polls WHERE revote_of = ?), (SELECT COUNT(*) FROM adoptions WHERE proposal_id = ?)",
                    STORE_PARAMS(STORE_INT_PARAM(poll_id), STORE_INT_PARAM(proposal_id))) != 0)
        return -1;
    *pending = store_result_int(rows, 0, 0) > 0;
    *dated = store_result_int(rows, 0, 1) > 0;
    store_result_free(rows);
    return 0;
}

/* ---------------------------------------------------------------- open */

int store_polls_agenda_rule(store_conn *conn, long long item_id, char rule[32], alvd_err *err)
{
    return store_query_text(conn, err, rule, 32, NULL, "SELECT majority_rule FROM meeting_agenda WHERE id = ?",
                            STORE_PARAMS(STORE_INT_PARAM(item_id)));
}

int store_polls_insert_eligible(store_conn *conn, long long poll_id, long long organisation_id, long long voter_id,
                                alvd_err *err)
{
    return store_execute(conn, err, NULL, "INSERT INTO poll_eligible (poll_id, organisation_id, voter_id) VALUES (?, ?, ?)",
                         STORE_PARAMS(STORE_INT_PARAM(poll_id), STORE_INT_PARAM(organisation_id),
                                      STORE_INT_PARAM(voter_id)));
}

int store_polls_set_box_key(store_conn *conn, long long poll_id, const unsigned char key[BALLOT_BOX_KEY_BYTES],
                            alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE polls SET box_public_key = ? WHERE id = ?",
                         STORE_PARAMS(STORE_BLOB_PARAM(key, BALLOT_BOX_KEY_BYTES), STORE_INT_PARAM(poll_id)));
}

int store_polls_mark_open(store_conn *conn, long long poll_id, const store_polls_opening *opening, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE polls SET state = 'open', majority_rule = ?, eligible = ?, present = ?, present_remote = ?,"
                         " represented = ?,"
                         " threshold = ?, literal_threshold = ?, opened_at = ? WHERE id = ?",
                         STORE_PARAMS(STORE_TEXT_PARAM(opening->rule), STORE_INT_PARAM(opening->eligible),
                                      STORE_INT_PARAM(opening->present), STORE_INT_PARAM(opening->present_remote),
                                      STORE_INT_PARAM(opening->represented), STORE_INT_PARAM(opening->threshold),
                                      opening->literal_threshold ? STORE_INT_PARAM(opening->literal_threshold)
                                                                 : STORE_NULL_PARAM,
                                      STORE_TEXT_PARAM(opening->opened_at), STORE_INT_PARAM(poll_id)));
}

/* ---------------------------------------------------------------- paper */

int store_polls_is_eligible(store_conn *conn, long long poll_id, long long organisation_id, int *eligible,
                            alvd_err *err)
{
    long long voter = 0;
    if (store_query_integer(conn, err, &voter, 0,
                            "SELECT voter_id FROM poll_eligible WHERE poll_id = ? AND organisation_id = ?",
                            STORE_PARAMS(STORE_INT_PARAM(poll_id), STORE_INT_PARAM(organisation_id))) != 0)
        return -1;
    *eligible = voter != 0;
    return 0;
}

int store_polls_register_paper(store_conn *conn, long long poll_id, long long organisation_id, int *added,
                               alvd_err *err)
{
    long long affected = 0;
    if (store_execute(conn, err, &affected,
                      "INSERT IGNORE INTO poll_voters (poll_id, organisation_id, channel, ballot_hash)"
                      " VALUES (?, ?, 'paper', NULL)",
                      STORE_PARAMS(STORE_INT_PARAM(poll_id), STORE_INT_PARAM(organisation_id))) != 0)
        return -1;
    *added = affected == 1;
    return 0;
}

int store_polls_insert_paper_vote(store_conn *conn, long long poll_id, long long organisation_id, const char *choice,
                                  long long cast_by, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "INSERT INTO open_votes (poll_id, organisation_id, choice, channel, cast_by)"
                         " VALUES (?, ?, ?, 'paper', ?)",
                         STORE_PARAMS(STORE_INT_PARAM(poll_id), STORE_INT_PARAM(organisation_id),
                                      STORE_TEXT_PARAM(choice), STORE_INT_PARAM(cast_by)));
}

int store_polls_add_paper(store_conn *conn, long long poll_id, const int added[3], alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE polls SET paper_for = paper_for + ?, paper_against = paper_against + ?,"
                         " paper_abstain = paper_abstain + ? WHERE id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(added[0]), STORE_INT_PARAM(added[1]), STORE_INT_PARAM(added[2]),
                                      STORE_INT_PARAM(poll_id)));
}

/* ---------------------------------------------------------------- close */

int store_polls_count_plain(store_conn *conn, long long poll_id, int counts[3], alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows, "SELECT choice, COUNT(*) FROM ballots WHERE poll_id = ? GROUP BY choice",
                    STORE_PARAMS(STORE_INT_PARAM(poll_id))) != 0)
        return -1;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        const char *choice = store_result_text(rows, r, 0);
        int index = strcmp(choice, "for") == 0 ? 0 : strcmp(choice, "against") == 0 ? 1 : 2;
        counts[index] += (int)store_result_int(rows, r, 1);
    }
    store_result_free(rows);
    return 0;
}

int store_polls_set_paper(store_conn *conn, long long poll_id, const int paper[3], alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE polls SET paper_for = ?, paper_against = ?, paper_abstain = ? WHERE id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(paper[0]), STORE_INT_PARAM(paper[1]), STORE_INT_PARAM(paper[2]),
                                      STORE_INT_PARAM(poll_id)));
}

int store_polls_mark_closed(store_conn *conn, long long poll_id, const store_polls_closing *closing, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE polls SET state = 'closed', votes_for = ?, votes_against = ?, votes_abstain = ?,"
                         " not_voted = ?, adopted = ?, explanation = ?, fingerprint = ?, closed_at = ?, decided_on = ?,"
                         " threshold = ? WHERE id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(closing->counts[0]), STORE_INT_PARAM(closing->counts[1]),
                                      STORE_INT_PARAM(closing->counts[2]), STORE_INT_PARAM(closing->not_voted),
                                      STORE_INT_PARAM(closing->adopted), STORE_TEXT_PARAM(closing->explanation),
                                      closing->fingerprint ? STORE_TEXT_PARAM(closing->fingerprint) : STORE_NULL_PARAM,
                                      STORE_TEXT_PARAM(closing->closed_at), STORE_TEXT_PARAM(closing->decided_on),
                                      STORE_INT_PARAM(closing->threshold), STORE_INT_PARAM(poll_id)));
}

int store_polls_supersede(store_conn *conn, long long old_poll_id, long long new_poll_id, alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE polls SET superseded_by = ? WHERE id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(new_poll_id), STORE_INT_PARAM(old_poll_id)));
}

int store_polls_restore_lapsed(store_conn *conn, long long poll_id, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE proposals p JOIN poll_lapses l ON l.proposal_id = p.id AND l.poll_id = ?"
                         " SET p.state = l.previous_state, p.updated_at = UTC_TIMESTAMP(6) WHERE p.state = 'lapsed'",
                         STORE_PARAMS(STORE_INT_PARAM(poll_id)));
}

int store_polls_lapse(store_conn *conn, long long poll_id, long long proposal_id, const char *previous_state,
                      alvd_err *err)
{
    if (store_execute(conn, err, NULL, "UPDATE proposals SET state = 'lapsed', updated_at = UTC_TIMESTAMP(6) WHERE id = ?",
                      STORE_PARAMS(STORE_INT_PARAM(proposal_id))) != 0)
        return -1;
    return store_execute(conn, err, NULL,
                         "INSERT INTO poll_lapses (poll_id, proposal_id, previous_state) VALUES (?, ?, ?)"
                         " ON DUPLICATE KEY UPDATE previous_state = VALUES(previous_state)",
                         STORE_PARAMS(STORE_INT_PARAM(poll_id), STORE_INT_PARAM(proposal_id),
                                      STORE_TEXT_PARAM(previous_state)));
}

int store_polls_insert_trackers(store_conn *conn, long long poll_id,
                                char (*const trackers)[BALLOT_TRACKER_TEXT_SIZE], size_t count, alvd_err *err)
{
    unsigned char (*bytes)[BALLOT_TRACKER_BYTES] = calloc(count ? count : 1, sizeof *bytes);
    store_param *params = calloc(2 * STORE_CHUNK_MAX, sizeof *params);
    alvd_buf sql;
    int rc = -1;
    buf_init(&sql, 16 * 1024);
    if (bytes == NULL || params == NULL) {
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        goto done;
    }
    for (size_t i = 0; i < count; i++)
        sodium_hex2bin(bytes[i], BALLOT_TRACKER_BYTES, trackers[i], 2 * BALLOT_TRACKER_BYTES, NULL, NULL, NULL);
    for (size_t done = 0; done < count;) {
        size_t chunk = store_chunk_size(count - done);
        sql.length = 0;
        buf_append_str(&sql, "INSERT INTO poll_trackers (poll_id, tracker) VALUES ");
        store_append_repeated(&sql, "(?, ?)", chunk);
        for (size_t r = 0; r < chunk; r++) {
            params[2 * r] = STORE_INT_PARAM(poll_id);
            params[2 * r + 1] = STORE_BLOB_PARAM(bytes[done + r], BALLOT_TRACKER_BYTES);
        }
        if (sql.overflowed || store_execute(conn, err, NULL, sql.data, params, 2 * chunk) != 0)
            goto done;
        done += chunk;
    }
    rc = 0;
done:
    buf_free(&sql);
    free(params);
    free(bytes);
    return rc;
}

/* Tracker texts of column 0; rows of the wrong length stay "" when keep_all, else are left out. */
static int store_polls_tracker_texts(store_conn *conn, alvd_err *err, int keep_all,
                                     char (**out)[BALLOT_TRACKER_TEXT_SIZE], size_t *count, const char *sql,
                                     long long poll_id)
{
    store_result *rows = NULL;
    *out = NULL;
    *count = 0;
    if (store_query(conn, err, &rows, sql, STORE_PARAMS(STORE_INT_PARAM(poll_id))) != 0)
        return -1;
    size_t n = store_result_rows(rows), kept = 0;
    char (*list)[BALLOT_TRACKER_TEXT_SIZE] = calloc(n ? n : 1, sizeof *list);
    if (list == NULL) {
        store_result_free(rows);
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    }
    for (size_t r = 0; r < n; r++) {
        if (store_result_length(rows, r, 0) == BALLOT_TRACKER_BYTES)
            ballot_hex((const unsigned char *)store_result_text(rows, r, 0), BALLOT_TRACKER_BYTES, list[kept++]);
        else if (keep_all)
            kept++;
    }
    store_result_free(rows);
    *out = list;
    *count = kept;
    return 0;
}

int store_polls_trackers(store_conn *conn, long long poll_id, char (**out)[BALLOT_TRACKER_TEXT_SIZE], size_t *count,
                         alvd_err *err)
{
    return store_polls_tracker_texts(conn, err, 1, out, count,
                                     "SELECT tracker FROM poll_trackers WHERE poll_id = ? ORDER BY tracker", poll_id);
}

/* ---------------------------------------------------------------- the ballot box of a secret poll */

int store_polls_plain_trackers(store_conn *conn, long long poll_id, char (**out)[BALLOT_TRACKER_TEXT_SIZE],
                               size_t *count, alvd_err *err)
{
    return store_polls_tracker_texts(conn, err, 0, out, count, "SELECT tracker FROM ballots WHERE poll_id = ?", poll_id);
}

int store_polls_sealed_ballots(store_conn *conn, long long poll_id, store_polls_sealed **out, size_t *count,
                               alvd_err *err)
{
    store_result *rows = NULL;
    *out = NULL;
    *count = 0;
    if (store_query(conn, err, &rows, "SELECT id, sealed FROM sealed_ballots WHERE poll_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(poll_id))) != 0)
        return -1;
    size_t n = store_result_rows(rows);
    *out = store_result_array(rows, sizeof **out, err);
    if (*out == NULL) {
        store_result_free(rows);
        return -1;
    }
    for (size_t r = 0; r < n; r++) {
        store_polls_sealed *row = &(*out)[r];
        row->length = store_result_length(rows, r, 1);
        row->whole = store_result_length(rows, r, 0) == BALLOT_BOX_ROW_ID_BYTES && row->length <= sizeof row->sealed;
        if (!row->whole)
            continue;
        memcpy(row->id, store_result_text(rows, r, 0), sizeof row->id);
        memcpy(row->sealed, store_result_text(rows, r, 1), row->length);
    }
    *count = n;
    store_result_free(rows);
    return 0;
}

int store_polls_empty_box(store_conn *conn, long long poll_id, long long *ballots, long long *hashes, alvd_err *err)
{
    long long sealed = 0, plain = 0;
    if (store_execute(conn, err, &sealed, "DELETE FROM sealed_ballots WHERE poll_id = ?",
                      STORE_PARAMS(STORE_INT_PARAM(poll_id))) != 0 ||
        store_execute(conn, err, &plain, "DELETE FROM ballots WHERE poll_id = ?", STORE_PARAMS(STORE_INT_PARAM(poll_id))) != 0 ||
        store_execute(conn, err, hashes,
                      "UPDATE poll_voters SET ballot_hash = NULL WHERE poll_id = ? AND ballot_hash IS NOT NULL",
                      STORE_PARAMS(STORE_INT_PARAM(poll_id))) != 0)
        return -1;
    *ballots = sealed + plain;
    return 0;
}

int store_polls_state(store_conn *conn, long long poll_id, char state[8], alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows, "SELECT state FROM polls WHERE id = ?", STORE_PARAMS(STORE_INT_PARAM(poll_id))) != 0)
        return -1;
    store_polls_copy(state, 8, store_result_rows(rows) == 1 ? store_result_text(rows, 0, 0) : "");
    store_result_free(rows);
    return 0;
}

int store_polls_closed_with_leftovers(store_conn *conn, long long **ids, size_t *count, alvd_err *err)
{
    return store_polls_id_list(conn, err, ids, count,
                               "SELECT p.id FROM polls p WHERE p.secret = 1 AND p.state = 'closed' AND ("
                               " EXISTS (SELECT 1 FROM sealed_ballots s WHERE s.poll_id = p.id) OR"
                               " EXISTS (SELECT 1 FROM ballots b WHERE b.poll_id = p.id) OR"
                               " EXISTS (SELECT 1 FROM poll_voters v WHERE v.poll_id = p.id AND v.ballot_hash IS NOT NULL))",
                               STORE_NO_PARAMS);
}
