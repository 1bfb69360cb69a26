/* SQL of the amendment proposals: the proposal row, its immutable revisions and their
 * changes, the Code articles they change, conflicts between them, and the meldpunt
 * suggestion a proposal may start from. */
#include "alvd/store/proposals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Proposals that no longer compete for an article. */
#define STORE_PROPOSALS_INACTIVE "('lapsed','withdrawn','rejected')"

int store_proposals_base_article(store_conn *conn, long long version_id, const char *article, store_result **rows,
                                 alvd_err *err)
{
    return store_query(conn, err, rows, "SELECT title, text FROM code_articles WHERE version_id = ? AND article_id = ?",
                       STORE_PARAMS(STORE_INT_PARAM(version_id), STORE_TEXT_PARAM(article)));
}

int store_proposals_code_articles(store_conn *conn, long long version_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT article_id, title, text FROM code_articles WHERE version_id = ? ORDER BY position",
                       STORE_PARAMS(STORE_INT_PARAM(version_id)));
}

int store_proposals_version_in_force(store_conn *conn, const char *day, long long *version_id, alvd_err *err)
{
    return store_query_integer(
        conn, err, version_id, 0,
        "SELECT id FROM code_versions WHERE effective_from <= ? ORDER BY effective_from DESC LIMIT 1",
        STORE_PARAMS(STORE_TEXT_PARAM(day)));
}

int store_proposals_changes(store_conn *conn, long long revision_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT article_id, action, title, text FROM proposal_changes WHERE revision_id = ?"
                       " ORDER BY position",
                       STORE_PARAMS(STORE_INT_PARAM(revision_id)));
}

int store_proposals_conflicts(store_conn *conn, long long cycle_id, long long proposal_id, store_result **rows,
                              alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT DISTINCT a.id, b.id FROM proposals a"
                       " JOIN proposal_changes ac ON ac.revision_id = a.current_revision_id"
                       " JOIN proposals b ON b.cycle_id = a.cycle_id AND b.id <> a.id"
                       " JOIN proposal_changes bc ON bc.revision_id = b.current_revision_id"
                       "  AND bc.article_id = ac.article_id"
                       " WHERE a.cycle_id = ? AND (? = 0 OR a.id = ?)"
                       " AND a.state NOT IN " STORE_PROPOSALS_INACTIVE " AND b.state NOT IN " STORE_PROPOSALS_INACTIVE
                       " ORDER BY a.id, b.id",
                       STORE_PARAMS(STORE_INT_PARAM(cycle_id), STORE_INT_PARAM(proposal_id),
                                    STORE_INT_PARAM(proposal_id)));
}

int store_proposals_list(store_conn *conn, long long cycle_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT p.id, p.state, r.title, r.number AS revision, p.source_report, p.updated_at,"
                       " (SELECT GROUP_CONCAT(pc.article_id ORDER BY pc.position SEPARATOR ',')"
                       "  FROM proposal_changes pc WHERE pc.revision_id = p.current_revision_id) AS articles,"
                       " (SELECT COUNT(*) FROM consultation_comments k WHERE k.proposal_id = p.id) AS comments,"
                       " (SELECT COUNT(*) FROM consultation_comments k LEFT JOIN comment_replies y"
                       "  ON y.comment_id = k.id WHERE k.proposal_id = p.id AND y.comment_id IS NULL) AS unreplied"
                       " FROM proposals p JOIN proposal_revisions r ON r.id = p.current_revision_id"
                       " WHERE p.cycle_id = ? ORDER BY p.id",
                       STORE_PARAMS(STORE_INT_PARAM(cycle_id)));
}

int store_proposals_head(store_conn *conn, long long proposal_id, store_result **rows, alvd_err *err)
{
    if (store_query(conn, err, rows,
                    "SELECT p.id, p.cycle_id, c.year, p.state, p.source_report, p.base_version_id,"
                    " v.label AS base_version_label, p.current_revision_id, p.created_at, p.updated_at"
                    " FROM proposals p JOIN cycles c ON c.id = p.cycle_id"
                    " JOIN code_versions v ON v.id = p.base_version_id WHERE p.id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(proposal_id))) != 0)
        return -1;
    if (store_result_rows(*rows) == 1)
        return 0;
    store_result_free(*rows);
    *rows = NULL;
    return alvd_err_set(err, 404, "not_found", NULL, "Dit voorstel bestaat niet.");
}

int store_proposals_revision(store_conn *conn, long long proposal_id, long long revision_id, store_result **rows,
                             alvd_err *err)
{
    if (store_query(conn, err, rows,
                    "SELECT id, number, title, rationale, created_at FROM proposal_revisions"
                    " WHERE id = ? AND proposal_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(revision_id), STORE_INT_PARAM(proposal_id))) != 0)
        return -1;
    if (store_result_rows(*rows) == 1)
        return 0;
    store_result_free(*rows);
    *rows = NULL;
    return alvd_err_set(err, 404, "not_found", NULL, "Deze versie van het voorstel bestaat niet.");
}

int store_proposals_staff_counts_load(store_conn *conn, long long proposal_id, long long current_revision_id,
                                      store_proposals_staff_counts *counts, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT (SELECT COUNT(*) FROM consultation_comments k WHERE k.proposal_id = ?),"
                    " (SELECT COUNT(*) FROM consultation_comments k LEFT JOIN comment_replies y"
                    "  ON y.comment_id = k.id WHERE k.proposal_id = ? AND y.comment_id IS NULL),"
                    " (SELECT number FROM proposal_revisions WHERE id = ?)",
                    STORE_PARAMS(STORE_INT_PARAM(proposal_id), STORE_INT_PARAM(proposal_id),
                                 STORE_INT_PARAM(current_revision_id))) != 0)
        return -1;
    counts->comments = store_result_int(rows, 0, 0);
    counts->unreplied = store_result_int(rows, 0, 1);
    counts->current_revision = store_result_int(rows, 0, 2);
    store_result_free(rows);
    return 0;
}

int store_proposals_consulted(store_conn *conn, long long proposal_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT c.id AS consultation_id, c.round, r.number AS revision, c.opens_at, c.closes_at"
                       " FROM consultation_proposals cp JOIN consultations c ON c.id = cp.consultation_id"
                       " JOIN proposal_revisions r ON r.id = cp.revision_id WHERE cp.proposal_id = ?"
                       " ORDER BY c.round",
                       STORE_PARAMS(STORE_INT_PARAM(proposal_id)));
}

int store_proposals_revisions(store_conn *conn, long long proposal_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT r.number, r.id, r.title, r.created_at, u.name AS created_by,"
                       " (SELECT COUNT(*) FROM proposal_changes pc WHERE pc.revision_id = r.id) AS changes,"
                       " (SELECT GROUP_CONCAT(c.round ORDER BY c.round SEPARATOR ',') FROM consultation_proposals cp"
                       "  JOIN consultations c ON c.id = cp.consultation_id WHERE cp.revision_id = r.id) AS consulted_in"
                       " FROM proposal_revisions r LEFT JOIN users u ON u.id = r.created_by"
                       " WHERE r.proposal_id = ? ORDER BY r.number",
                       STORE_PARAMS(STORE_INT_PARAM(proposal_id)));
}

int store_proposals_revision_texts(store_conn *conn, long long proposal_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT r.number, r.id, r.title, r.rationale, p.base_version_id FROM proposal_revisions r"
                       " JOIN proposals p ON p.id = r.proposal_id WHERE r.proposal_id = ? ORDER BY r.number",
                       STORE_PARAMS(STORE_INT_PARAM(proposal_id)));
}

int store_proposals_contact_revision(store_conn *conn, long long proposal_id, long long organisation_id,
                                     long long *revision_id, alvd_err *err)
{
    return store_query_integer(conn, err, revision_id, 0,
                               "SELECT cp.revision_id FROM consultation_proposals cp"
                               " JOIN consultations c ON c.id = cp.consultation_id"
                               " JOIN consultation_invitees i ON i.consultation_id = c.id AND i.organisation_id = ?"
                               " WHERE cp.proposal_id = ? ORDER BY c.round DESC LIMIT 1",
                               STORE_PARAMS(STORE_INT_PARAM(organisation_id), STORE_INT_PARAM(proposal_id)));
}

int store_proposals_insert(store_conn *conn, long long cycle_id, long long base_version_id, long long user_id,
                           long long *proposal_id, alvd_err *err)
{
    store_proposals_new proposal = {.cycle_id = cycle_id, .base_version_id = base_version_id, .state = "draft",
                                    .user_id = user_id};
    return store_proposals_insert_with(conn, &proposal, proposal_id, err);
}

int store_proposals_insert_with(store_conn *conn, const store_proposals_new *proposal, long long *proposal_id,
                                alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO proposals (cycle_id, base_version_id, state, source_report, created_at, created_by,"
                      " updated_at) VALUES (?, ?, ?, ?, COALESCE(?, UTC_TIMESTAMP(6)), ?, UTC_TIMESTAMP(6))",
                      STORE_PARAMS(STORE_INT_PARAM(proposal->cycle_id), STORE_INT_PARAM(proposal->base_version_id),
                                   STORE_TEXT_PARAM(proposal->state), STORE_TEXT_PARAM(proposal->source_report),
                                   STORE_TEXT_PARAM(proposal->created_at),
                                   STORE_OPTIONAL_ID_PARAM(proposal->user_id))) != 0)
        return -1;
    *proposal_id = store_last_insert_id(conn);
    return 0;
}

int store_proposals_insert_revision(store_conn *conn, long long proposal_id, long long number, const char *title,
                                    const char *rationale, long long user_id, long long *revision_id, alvd_err *err)
{
    return store_proposals_insert_revision_at(conn, proposal_id, number, title, rationale, NULL, user_id,
                                              revision_id, err);
}

int store_proposals_insert_revision_at(store_conn *conn, long long proposal_id, long long number, const char *title,
                                       const char *rationale, const char *created_at, long long user_id,
                                       long long *revision_id, alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO proposal_revisions (proposal_id, number, title, rationale, created_at, created_by)"
                      " VALUES (?, ?, ?, ?, COALESCE(?, UTC_TIMESTAMP(6)), ?)",
                      STORE_PARAMS(STORE_INT_PARAM(proposal_id), STORE_INT_PARAM(number), STORE_TEXT_PARAM(title),
                                   STORE_TEXT_PARAM(rationale), STORE_TEXT_PARAM(created_at),
                                   STORE_OPTIONAL_ID_PARAM(user_id))) != 0)
        return -1;
    *revision_id = store_last_insert_id(conn);
    return 0;
}

int store_proposals_insert_change(store_conn *conn, long long revision_id, long long position, const char *article,
                                  const char *action, const char *title, const char *text, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "INSERT INTO proposal_changes (revision_id, position, article_id, action, title, text)"
                         " VALUES (?, ?, ?, ?, ?, ?)",
                         STORE_PARAMS(STORE_INT_PARAM(revision_id), STORE_INT_PARAM(position),
                                      STORE_TEXT_PARAM(article), STORE_TEXT_PARAM(action), STORE_TEXT_PARAM(title),
                                      STORE_TEXT_PARAM(text)));
}

int store_proposals_set_current(store_conn *conn, long long proposal_id, long long revision_id,
                                const char *source_report, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE proposals SET current_revision_id = ?, source_report = ?,"
                         " updated_at = UTC_TIMESTAMP(6) WHERE id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(revision_id), STORE_TEXT_PARAM(source_report),
                                      STORE_INT_PARAM(proposal_id)));
}

/* The locked row, or 404: both lock statements answer cycle_id, a third column, state. */
static int store_proposals_read_locked(store_result *rows, store_proposals_locked *locked, alvd_err *err)
{
    memset(locked, 0, sizeof *locked);
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", NULL, "Dit voorstel bestaat niet.");
    }
    locked->cycle_id = store_result_int(rows, 0, 0);
    snprintf(locked->state, sizeof locked->state, "%s", store_result_text(rows, 0, 1));
    return 0;
}

int store_proposals_lock_for_revision(store_conn *conn, long long proposal_id, store_proposals_locked *locked,
                                      alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT p.cycle_id, p.state, p.base_version_id,"
                    " (SELECT MAX(number) FROM proposal_revisions r WHERE r.proposal_id = p.id)"
                    " FROM proposals p WHERE p.id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(proposal_id))) != 0 ||
        store_proposals_read_locked(rows, locked, err) != 0)
        return -1;
    locked->base_version_id = store_result_int(rows, 0, 2);
    locked->last_number = store_result_int(rows, 0, 3);
    store_result_free(rows);
    return 0;
}

int store_proposals_lock_for_ready(store_conn *conn, long long proposal_id, store_proposals_locked *locked,
                                   alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT p.cycle_id, p.state,"
                    " (SELECT COUNT(*) FROM consultation_comments k LEFT JOIN comment_replies y"
                    "  ON y.comment_id = k.id WHERE k.proposal_id = p.id AND y.comment_id IS NULL),"
                    " (SELECT COUNT(*) FROM consultation_proposals cp JOIN consultations c"
                    "  ON c.id = cp.consultation_id WHERE cp.proposal_id = p.id AND c.closes_at <= UTC_TIMESTAMP(6))"
                    " FROM proposals p WHERE p.id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(proposal_id))) != 0 ||
        store_proposals_read_locked(rows, locked, err) != 0)
        return -1;
    locked->unreplied = store_result_int(rows, 0, 2);
    locked->consulted = store_result_int(rows, 0, 3);
    store_result_free(rows);
    return 0;
}

int store_proposals_back_to_draft(store_conn *conn, long long proposal_id, alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE proposals SET state = 'draft' WHERE id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(proposal_id)));
}

int store_proposals_mark_ready(store_conn *conn, long long proposal_id, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE proposals SET state = 'ready', updated_at = UTC_TIMESTAMP(6) WHERE id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(proposal_id)));
}

int store_proposals_suggestion_lock(store_conn *conn, long long suggestion_id, store_proposals_suggestion *suggestion,
                                    alvd_err *err)
{
    store_result *rows = NULL;
    memset(suggestion, 0, sizeof *suggestion);
    if (store_query(conn, err, &rows,
                    "SELECT period, article, text, proposal_id FROM meldpunt_suggestions WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(suggestion_id))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", NULL, "Deze suggestie bestaat niet.");
    }
    snprintf(suggestion->period, sizeof suggestion->period, "%s", store_result_text(rows, 0, 0));
    const char *article = store_result_text(rows, 0, 1);
    suggestion->article = article ? strdup(article) : NULL;
    suggestion->text = strdup(store_result_text(rows, 0, 2));
    suggestion->proposal_id = store_result_is_null(rows, 0, 3) ? 0 : store_result_int(rows, 0, 3);
    store_result_free(rows);
    if (suggestion->text == NULL || (article && suggestion->article == NULL)) {
        store_proposals_suggestion_free(suggestion);
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    }
    return 0;
}

void store_proposals_suggestion_free(store_proposals_suggestion *suggestion)
{
    free(suggestion->article);
    free(suggestion->text);
    suggestion->article = suggestion->text = NULL;
}

int store_proposals_suggestion_link(store_conn *conn, long long suggestion_id, long long proposal_id, alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE meldpunt_suggestions SET proposal_id = ? WHERE id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(proposal_id), STORE_INT_PARAM(suggestion_id)));
}

/* ---------------------------------------------------------------- a poll's outcome */

int store_proposals_state(store_conn *conn, long long proposal_id, char state[16], alvd_err *err)
{
    return store_query_text(conn, err, state, 16, NULL, "SELECT state FROM proposals WHERE id = ?",
                            STORE_PARAMS(STORE_INT_PARAM(proposal_id)));
}

int store_proposals_lock(store_conn *conn, long long proposal_id, alvd_err *err)
{
    long long id = 0;
    return store_query_integer(conn, err, &id, 0, "SELECT id FROM proposals WHERE id = ? FOR UPDATE",
                               STORE_PARAMS(STORE_INT_PARAM(proposal_id)));
}

int store_proposals_set_state(store_conn *conn, long long proposal_id, const char *state, alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE proposals SET state = ?, updated_at = UTC_TIMESTAMP(6) WHERE id = ?",
                         STORE_PARAMS(STORE_TEXT_PARAM(state), STORE_INT_PARAM(proposal_id)));
}

int store_proposals_conflicting_active(store_conn *conn, long long proposal_id, long long revision_id,
                                       store_proposals_conflict **out, size_t *count, alvd_err *err)
{
    store_result *rows = NULL;
    *out = NULL;
    *count = 0;
    if (store_query(conn, err, &rows,
                    "SELECT DISTINCT b.id, b.state FROM proposals a"
                    " JOIN proposal_changes ac ON ac.revision_id = ?"
                    " JOIN proposals b ON b.cycle_id = a.cycle_id AND b.id <> a.id"
                    " JOIN proposal_changes bc ON bc.revision_id = b.current_revision_id AND bc.article_id = ac.article_id"
                    " WHERE a.id = ? AND b.state IN ('draft','ready') ORDER BY b.id",
                    STORE_PARAMS(STORE_INT_PARAM(revision_id), STORE_INT_PARAM(proposal_id))) != 0)
        return -1;
    size_t n = store_result_rows(rows);
    *out = store_result_array(rows, sizeof **out, err);
    if (*out == NULL) {
        store_result_free(rows);
        return -1;
    }
    for (size_t r = 0; r < n; r++) {
        (*out)[r].proposal_id = store_result_int(rows, r, 0);
        snprintf((*out)[r].state, sizeof (*out)[r].state, "%s", store_result_text(rows, r, 1));
    }
    *count = n;
    store_result_free(rows);
    return 0;
}
