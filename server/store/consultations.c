/* SQL of the consultation rounds (Code art. 7): the round and its window, who is
 * invited, the comments of invited parties and the board's replies. */
#include "alvd/store/consultations.h"

int store_consultations_load(store_conn *conn, long long id, int lock, store_consultations_round *round,
                             alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    lock ? "SELECT c.id, c.cycle_id, c.round, y.year, UNIX_TIMESTAMP(c.opens_at),"
                           " UNIX_TIMESTAMP(c.closes_at), c.reminder_sent_at IS NOT NULL,"
                           " UNIX_TIMESTAMP(UTC_TIMESTAMP()) FROM consultations c JOIN cycles y ON y.id = c.cycle_id"
                           " WHERE c.id = ? FOR UPDATE"
                         : "SELECT c.id, c.cycle_id, c.round, y.year, UNIX_TIMESTAMP(c.opens_at),"
                           " UNIX_TIMESTAMP(c.closes_at), c.reminder_sent_at IS NOT NULL,"
                           " UNIX_TIMESTAMP(UTC_TIMESTAMP()) FROM consultations c JOIN cycles y ON y.id = c.cycle_id"
                           " WHERE c.id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", NULL, "Deze consultatieronde bestaat niet.");
    }
    round->id = store_result_int(rows, 0, 0);
    round->cycle_id = store_result_int(rows, 0, 1);
    round->round = store_result_int(rows, 0, 2);
    round->year = store_result_int(rows, 0, 3);
    round->opens = store_result_int(rows, 0, 4);
    round->closes = store_result_int(rows, 0, 5);
    round->reminder_sent = (int)store_result_int(rows, 0, 6);
    round->now = store_result_int(rows, 0, 7);
    store_result_free(rows);
    return 0;
}

int store_consultations_is_invited(store_conn *conn, long long round_id, long long organisation_id, int *invited,
                                   alvd_err *err)
{
    long long found = 0;
    if (store_query_integer(conn, err, &found, 0,
                            "SELECT 1 FROM consultation_invitees WHERE consultation_id = ? AND organisation_id = ?",
                            STORE_PARAMS(STORE_INT_PARAM(round_id), STORE_INT_PARAM(organisation_id))) != 0)
        return -1;
    *invited = found == 1;
    return 0;
}

int store_consultations_list(store_conn *conn, long long cycle_id, long long organisation_id, store_result **rows,
                             alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT c.id, c.cycle_id, y.year, c.round, c.opens_at, c.closes_at, c.reminder_sent_at,"
                       " UNIX_TIMESTAMP(c.opens_at) AS opens_unix, UNIX_TIMESTAMP(c.closes_at) AS closes_unix,"
                       " UNIX_TIMESTAMP(UTC_TIMESTAMP()) AS now_unix,"
                       " (SELECT COUNT(*) FROM consultation_invitees i WHERE i.consultation_id = c.id) AS invited,"
                       " (SELECT COUNT(*) FROM consultation_proposals cp WHERE cp.consultation_id = c.id) AS proposals,"
                       " (SELECT COUNT(*) FROM consultation_comments k WHERE k.consultation_id = c.id"
                       "  AND (? = 0 OR k.organisation_id = ?)) AS comments,"
                       " (SELECT COUNT(*) FROM consultation_comments k LEFT JOIN comment_replies r"
                       "  ON r.comment_id = k.id WHERE k.consultation_id = c.id AND r.comment_id IS NULL"
                       "  AND (? = 0 OR k.organisation_id = ?)) AS unreplied"
                       " FROM consultations c JOIN cycles y ON y.id = c.cycle_id"
                       " WHERE (? = 0 OR c.cycle_id = ?) AND (? = 0 OR EXISTS (SELECT 1 FROM consultation_invitees i"
                       "  WHERE i.consultation_id = c.id AND i.organisation_id = ?))"
                       " ORDER BY y.year DESC, c.round",
                       STORE_PARAMS(STORE_INT_PARAM(organisation_id), STORE_INT_PARAM(organisation_id),
                                    STORE_INT_PARAM(organisation_id), STORE_INT_PARAM(organisation_id),
                                    STORE_INT_PARAM(cycle_id), STORE_INT_PARAM(cycle_id),
                                    STORE_INT_PARAM(organisation_id), STORE_INT_PARAM(organisation_id)));
}

int store_consultations_titles(store_conn *conn, long long round_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT r.title FROM consultation_proposals cp JOIN proposal_revisions r ON r.id = cp.revision_id"
                       " WHERE cp.consultation_id = ? ORDER BY cp.proposal_id",
                       STORE_PARAMS(STORE_INT_PARAM(round_id)));
}

int store_consultations_contacts(store_conn *conn, long long round_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT c.id FROM contacts c JOIN consultation_invitees i ON i.organisation_id = c.organisation_id"
                       " WHERE i.consultation_id = ? AND c.removed_at IS NULL ORDER BY c.id",
                       STORE_PARAMS(STORE_INT_PARAM(round_id)));
}

int store_consultations_mark_reminded(store_conn *conn, long long round_id, alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE consultations SET reminder_sent_at = UTC_TIMESTAMP(6) WHERE id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(round_id)));
}

int store_consultations_due_reminders(store_conn *conn, long long lead_seconds, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT id FROM consultations WHERE reminder_sent_at IS NULL AND closes_at > UTC_TIMESTAMP(6)"
                       " AND closes_at <= UTC_TIMESTAMP(6) + INTERVAL ? SECOND ORDER BY id",
                       STORE_PARAMS(STORE_INT_PARAM(lead_seconds)));
}

int store_consultations_lock_proposal(store_conn *conn, long long proposal_id, long long cycle_id,
                                      store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT p.current_revision_id, p.state, r.title FROM proposals p"
                       " JOIN proposal_revisions r ON r.id = p.current_revision_id"
                       " WHERE p.id = ? AND p.cycle_id = ? FOR UPDATE",
                       STORE_PARAMS(STORE_INT_PARAM(proposal_id), STORE_INT_PARAM(cycle_id)));
}

int store_consultations_next_round(store_conn *conn, long long cycle_id, long long *round, alvd_err *err)
{
    return store_query_integer(conn, err, round, 1,
                               "SELECT COALESCE(MAX(round), 0) + 1 FROM consultations WHERE cycle_id = ?",
                               STORE_PARAMS(STORE_INT_PARAM(cycle_id)));
}

int store_consultations_insert(store_conn *conn, long long cycle_id, long long round, const char *opens_sql,
                               const char *closes_sql, const char *opening_day, long long user_id, long long *id,
                               alvd_err *err)
{
    return store_consultations_insert_at(conn, cycle_id, round, opens_sql, closes_sql, opening_day, NULL, user_id, id,
                                         err);
}

int store_consultations_insert_at(store_conn *conn, long long cycle_id, long long round, const char *opens_sql,
                                  const char *closes_sql, const char *opening_day, const char *created_at,
                                  long long user_id, long long *id, alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO consultations (cycle_id, round, opens_at, closes_at, opening_day, created_at,"
                      " created_by) VALUES (?, ?, ?, ?, ?, COALESCE(?, UTC_TIMESTAMP(6)), ?)",
                      STORE_PARAMS(STORE_INT_PARAM(cycle_id), STORE_INT_PARAM(round), STORE_TEXT_PARAM(opens_sql),
                                   STORE_TEXT_PARAM(closes_sql), STORE_TEXT_PARAM(opening_day),
                                   STORE_TEXT_PARAM(created_at), STORE_OPTIONAL_ID_PARAM(user_id))) != 0)
        return -1;
    *id = store_last_insert_id(conn);
    return 0;
}

int store_consultations_add_proposal(store_conn *conn, long long round_id, long long proposal_id,
                                     long long revision_id, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "INSERT INTO consultation_proposals (consultation_id, proposal_id, revision_id)"
                         " VALUES (?, ?, ?)",
                         STORE_PARAMS(STORE_INT_PARAM(round_id), STORE_INT_PARAM(proposal_id),
                                      STORE_INT_PARAM(revision_id)));
}

int store_consultations_invite_bound(store_conn *conn, long long round_id, const char *opening_day, alvd_err *err)
{
    return store_consultations_invite_bound_mailed(conn, round_id, opening_day, -1, err);
}

int store_consultations_invite_bound_mailed(store_conn *conn, long long round_id, const char *opening_day,
                                            long long contacts_mailed, alvd_err *err)
{
    /* A binding basis (membership, signature or contract) on the opening day — the
     * same test as rules_binding_on's "active". contacts_mailed < 0 (NULL here): the
     * count of the organisation's current contacts, whom the opening mails. */
    return store_execute(conn, err, NULL,
                         "INSERT INTO consultation_invitees (consultation_id, organisation_id, contacts_mailed)"
                         " SELECT DISTINCT ?, b.organisation_id, COALESCE(?, (SELECT COUNT(*) FROM contacts c"
                         "  WHERE c.organisation_id = b.organisation_id AND c.removed_at IS NULL))"
                         " FROM bases b WHERE b.since <= ? AND (b.until IS NULL OR b.until >= ?)"
                         " AND b.superseded_by IS NULL",
                         STORE_PARAMS(STORE_INT_PARAM(round_id),
                                      contacts_mailed < 0 ? STORE_NULL_PARAM : STORE_INT_PARAM(contacts_mailed),
                                      STORE_TEXT_PARAM(opening_day), STORE_TEXT_PARAM(opening_day)));
}

int store_consultations_invited_counts(store_conn *conn, long long round_id, long long *invited,
                                       long long *without_contact, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT COUNT(*), COALESCE(SUM(contacts_mailed = 0), 0) FROM consultation_invitees"
                    " WHERE consultation_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(round_id))) != 0)
        return -1;
    *invited = store_result_int(rows, 0, 0);
    *without_contact = store_result_int(rows, 0, 1);
    store_result_free(rows);
    return 0;
}

int store_consultations_close_early(store_conn *conn, long long round_id, int64_t now, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE consultations SET closes_at = FROM_UNIXTIME(?), closed_early_at = UTC_TIMESTAMP(6)"
                         " WHERE id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(now), STORE_INT_PARAM(round_id)));
}

int store_consultations_comments(store_conn *conn, long long round_id, long long organisation_id,
                                 store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT k.id, k.proposal_id, rv.title AS proposal_title, k.article_id AS article,"
                       " k.organisation_id, o.name AS organisation, ct.name AS contact, k.text, k.created_at,"
                       " k.updated_at, r.text AS reply_text, r.led_to_change, r.updated_at AS replied_at"
                       " FROM consultation_comments k JOIN organisations o ON o.id = k.organisation_id"
                       " JOIN contacts ct ON ct.id = k.contact_id"
                       " JOIN consultation_proposals cp ON cp.consultation_id = k.consultation_id"
                       "  AND cp.proposal_id = k.proposal_id"
                       " JOIN proposal_revisions rv ON rv.id = cp.revision_id"
                       " LEFT JOIN comment_replies r ON r.comment_id = k.id"
                       " WHERE k.consultation_id = ? AND (? = 0 OR k.organisation_id = ?)"
                       " ORDER BY k.proposal_id, k.article_id IS NOT NULL, k.article_id, k.id",
                       STORE_PARAMS(STORE_INT_PARAM(round_id), STORE_INT_PARAM(organisation_id),
                                    STORE_INT_PARAM(organisation_id)));
}

int store_consultations_round_proposals(store_conn *conn, const store_consultations_round *round,
                                        store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT cp.proposal_id, cp.revision_id, p.base_version_id,"
                       " (SELECT c2.round FROM consultation_proposals cp2 JOIN consultations c2"
                       "  ON c2.id = cp2.consultation_id WHERE cp2.proposal_id = cp.proposal_id"
                       "  AND c2.cycle_id = ? AND c2.round < ? ORDER BY c2.round DESC LIMIT 1),"
                       " (SELECT cp2.revision_id FROM consultation_proposals cp2 JOIN consultations c2"
                       "  ON c2.id = cp2.consultation_id WHERE cp2.proposal_id = cp.proposal_id"
                       "  AND c2.cycle_id = ? AND c2.round < ? ORDER BY c2.round DESC LIMIT 1),"
                       " (SELECT number FROM proposal_revisions WHERE id = (SELECT cp2.revision_id"
                       "  FROM consultation_proposals cp2 JOIN consultations c2 ON c2.id = cp2.consultation_id"
                       "  WHERE cp2.proposal_id = cp.proposal_id AND c2.cycle_id = ? AND c2.round < ?"
                       "  ORDER BY c2.round DESC LIMIT 1))"
                       " FROM consultation_proposals cp JOIN proposals p ON p.id = cp.proposal_id"
                       " WHERE cp.consultation_id = ? ORDER BY cp.proposal_id",
                       STORE_PARAMS(STORE_INT_PARAM(round->cycle_id), STORE_INT_PARAM(round->round),
                                    STORE_INT_PARAM(round->cycle_id), STORE_INT_PARAM(round->round),
                                    STORE_INT_PARAM(round->cycle_id), STORE_INT_PARAM(round->round),
                                    STORE_INT_PARAM(round->id)));
}

int store_consultations_invitees(store_conn *conn, long long round_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT i.organisation_id, o.name, i.contacts_mailed,"
                       " (SELECT COUNT(*) FROM consultation_comments k WHERE k.consultation_id = i.consultation_id"
                       "  AND k.organisation_id = i.organisation_id) AS comments"
                       " FROM consultation_invitees i JOIN organisations o ON o.id = i.organisation_id"
                       " WHERE i.consultation_id = ? ORDER BY o.name",
                       STORE_PARAMS(STORE_INT_PARAM(round_id)));
}

int store_consultations_changed_articles(store_conn *conn, long long round_id, long long proposal_id,
                                         store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT pc.article_id FROM consultation_proposals cp JOIN proposal_changes pc"
                       " ON pc.revision_id = cp.revision_id WHERE cp.consultation_id = ? AND cp.proposal_id = ?"
                       " ORDER BY pc.position",
                       STORE_PARAMS(STORE_INT_PARAM(round_id), STORE_INT_PARAM(proposal_id)));
}

int store_consultations_comment(store_conn *conn, long long comment_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT id, consultation_id, proposal_id, article_id AS article, organisation_id, text,"
                       " created_at, updated_at FROM consultation_comments WHERE id = ?",
                       STORE_PARAMS(STORE_INT_PARAM(comment_id)));
}

int store_consultations_insert_comment(store_conn *conn, long long round_id, long long proposal_id,
                                       const char *article, long long organisation_id, long long contact_id,
                                       const char *text, long long *inserted, long long *comment_id, alvd_err *err)
{
    if (store_execute(conn, err, inserted,
                      "INSERT INTO consultation_comments (consultation_id, proposal_id, article_id, organisation_id,"
                      " contact_id, text, created_at, updated_at) SELECT ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6),"
                      " UTC_TIMESTAMP(6) FROM consultations WHERE id = ? AND closes_at > UTC_TIMESTAMP(6)",
                      STORE_PARAMS(STORE_INT_PARAM(round_id), STORE_INT_PARAM(proposal_id), STORE_TEXT_PARAM(article),
                                   STORE_INT_PARAM(organisation_id), STORE_INT_PARAM(contact_id),
                                   STORE_TEXT_PARAM(text), STORE_INT_PARAM(round_id))) != 0)
        return -1;
    *comment_id = *inserted == 1 ? store_last_insert_id(conn) : 0;
    return 0;
}

int store_consultations_insert_comment_at(store_conn *conn, long long round_id, long long proposal_id,
                                          const char *article, long long organisation_id, long long contact_id,
                                          const char *text, const char *created_at, long long *comment_id,
                                          alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO consultation_comments (consultation_id, proposal_id, article_id, organisation_id,"
                      " contact_id, text, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      STORE_PARAMS(STORE_INT_PARAM(round_id), STORE_INT_PARAM(proposal_id), STORE_TEXT_PARAM(article),
                                   STORE_INT_PARAM(organisation_id), STORE_INT_PARAM(contact_id),
                                   STORE_TEXT_PARAM(text), STORE_TEXT_PARAM(created_at),
                                   STORE_TEXT_PARAM(created_at))) != 0)
        return -1;
    *comment_id = store_last_insert_id(conn);
    return 0;
}

int store_consultations_comment_owner(store_conn *conn, long long comment_id, long long *round_id,
                                      long long *organisation_id, int *found, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT consultation_id, organisation_id FROM consultation_comments WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(comment_id))) != 0)
        return -1;
    *found = store_result_rows(rows) == 1;
    *round_id = *found ? store_result_int(rows, 0, 0) : 0;
    *organisation_id = *found ? store_result_int(rows, 0, 1) : 0;
    store_result_free(rows);
    return 0;
}

int store_consultations_update_comment(store_conn *conn, long long comment_id, long long organisation_id,
                                       long long contact_id, const char *text, long long *affected, alvd_err *err)
{
    return store_execute(conn, err, affected,
                         "UPDATE consultation_comments k JOIN consultations c ON c.id = k.consultation_id"
                         " SET k.text = ?, k.contact_id = ?, k.updated_at = UTC_TIMESTAMP(6)"
                         " WHERE k.id = ? AND k.organisation_id = ? AND c.closes_at > UTC_TIMESTAMP(6)",
                         STORE_PARAMS(STORE_TEXT_PARAM(text), STORE_INT_PARAM(contact_id),
                                      STORE_INT_PARAM(comment_id), STORE_INT_PARAM(organisation_id)));
}

int store_consultations_lock_reply(store_conn *conn, long long comment_id, int *exists, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows, "SELECT 1 FROM comment_replies WHERE comment_id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(comment_id))) != 0)
        return -1;
    *exists = store_result_rows(rows) != 0;
    store_result_free(rows);
    return 0;
}

int store_consultations_upsert_reply(store_conn *conn, long long comment_id, const char *text,
                                     const char *led_to_change, long long user_id, alvd_err *err)
{
    return store_consultations_upsert_reply_at(conn, comment_id, text, led_to_change, NULL, user_id, err);
}

int store_consultations_upsert_reply_at(store_conn *conn, long long comment_id, const char *text,
                                        const char *led_to_change, const char *replied_at, long long user_id,
                                        alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "INSERT INTO comment_replies (comment_id, text, led_to_change, replied_by, created_at,"
                         " updated_at) VALUES (?, ?, ?, ?, COALESCE(?, UTC_TIMESTAMP(6)),"
                         " COALESCE(?, UTC_TIMESTAMP(6)))"
                         " ON DUPLICATE KEY UPDATE text = VALUES(text), led_to_change = VALUES(led_to_change),"
                         " replied_by = VALUES(replied_by), updated_at = VALUES(updated_at)",
                         STORE_PARAMS(STORE_INT_PARAM(comment_id), STORE_TEXT_PARAM(text),
                                      STORE_TEXT_PARAM(led_to_change), STORE_OPTIONAL_ID_PARAM(user_id),
                                      STORE_TEXT_PARAM(replied_at), STORE_TEXT_PARAM(replied_at)));
}

int store_consultations_report_proposals(store_conn *conn, long long round_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT cp.proposal_id AS id, r.title, r.number AS revision,"
                       " (SELECT COUNT(*) FROM consultation_comments k WHERE k.consultation_id = cp.consultation_id"
                       "  AND k.proposal_id = cp.proposal_id) AS comments"
                       " FROM consultation_proposals cp JOIN proposal_revisions r ON r.id = cp.revision_id"
                       " WHERE cp.consultation_id = ? ORDER BY cp.proposal_id",
                       STORE_PARAMS(STORE_INT_PARAM(round_id)));
}

int store_consultations_report_counts(store_conn *conn, long long round_id, long long *invited,
                                      long long *responding, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT COUNT(*), (SELECT COUNT(DISTINCT organisation_id) FROM consultation_comments"
                    " WHERE consultation_id = ?) FROM consultation_invitees WHERE consultation_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(round_id), STORE_INT_PARAM(round_id))) != 0)
        return -1;
    *invited = store_result_int(rows, 0, 0);
    *responding = store_result_int(rows, 0, 1);
    store_result_free(rows);
    return 0;
}
