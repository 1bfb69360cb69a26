/* The effective date of an adopted proposal: R3 against D (the Amsterdam date on which
 * the adopting poll closed), W = E − 28
 * with the R7 warnings, and the scheduled Code version (base text + every adopted
 * change of that ALV with the same E), rebuilt from the record whenever it changes.
 * A version is in force from its effective_from on: computed from the date, no job. */
#include "alvd/api/adoption.h"
#include "alvd/api/withdrawals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/service/deadlines.h"
#include "alvd/api/meetings.h"
#include "alvd/api/minutes.h"
#include "alvd/base/clock.h"
#include "alvd/crypto/audit.h"
#include "alvd/http/input.h"
#include "alvd/rules/cycle.h"
#include "alvd/rules/dates.h"
#include "alvd/rules/deadlines.h"

/* Apply one article change to the list of articles ([{id,title,text}] in order). */
static void adoption_apply_change(json_t *articles, const char *article, const char *action, const char *title,
                                  const char *text)
{
    size_t index, count = json_array_size(articles);
    for (index = 0; index < count; index++)
        if (strcmp(json_string_value(json_object_get(json_array_get(articles, index), "id")), article) == 0)
            break;
    if (strcmp(action, "delete") == 0) {
        if (index < count)
            json_array_remove(articles, index);
        return;
    }
    if (index < count) { /* replace (or an insert of an id that exists by now) */
        json_t *entry = json_array_get(articles, index);
        json_object_set_new(entry, "text", json_string(text ? text : ""));
        if (title && *title)
            json_object_set_new(entry, "title", json_string(title));
        return;
    }
    if (strcmp(action, "insert") != 0)
        return; /* a replace of an article an earlier version deleted: nothing to replace */
    size_t at = 0;
    while (at < count &&
           rules_article_id_compare(json_string_value(json_object_get(json_array_get(articles, at), "id")), article) < 0)
        at++;
    json_array_insert_new(articles, at,
                          json_pack("{s:s, s:s, s:s}", "id", article, "title", title ? title : "", "text",
                                    text ? text : ""));
}

/* Recompute a scheduled version: base = the version in force the day before its E
 * (or the oldest base version of its proposals when none), then every adopted change
 * pointing at it, in proposal order. */
static int adoption_rebuild(store_conn *conn, long long version_id, alvd_err *err)
{
    store_result *rows = NULL;
    json_t *articles = json_array();
    long long base_id = 0;
    if (store_query(conn, err, &rows,
                    "SELECT b.id FROM code_versions v JOIN code_versions b ON b.effective_from < v.effective_from"
                    " AND b.id <> v.id WHERE v.id = ? ORDER BY b.effective_from DESC, b.id DESC LIMIT 1",
                    STORE_PARAMS(STORE_INT_PARAM(version_id))) != 0)
        goto fail;
    base_id = store_result_rows(rows) ? store_result_int(rows, 0, 0) : 0;
    store_result_free(rows);
    rows = NULL;
    if (base_id == 0) {
        if (store_query(conn, err, &rows,
                        "SELECT MIN(p.base_version_id) FROM adoptions a JOIN proposals p ON p.id = a.proposal_id"
                        " WHERE a.version_id = ?",
                        STORE_PARAMS(STORE_INT_PARAM(version_id))) != 0)
            goto fail;
        base_id = store_result_int(rows, 0, 0);
        store_result_free(rows);
        rows = NULL;
    }
    if (store_query(conn, err, &rows, "SELECT article_id, title, text FROM code_articles WHERE version_id = ? ORDER BY position",
                    STORE_PARAMS(STORE_INT_PARAM(base_id))) != 0)
        goto fail;
    for (size_t r = 0; r < store_result_rows(rows); r++)
        json_array_append_new(articles, json_pack("{s:s, s:s, s:s}", "id", store_result_text(rows, r, 0), "title",
                                                  store_result_text(rows, r, 1), "text", store_result_text(rows, r, 2)));
    store_result_free(rows);
    rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT pc.article_id, pc.action, pc.title, pc.text FROM adoptions a"
                    " JOIN polls p ON p.id = a.poll_id JOIN proposal_changes pc ON pc.revision_id = p.revision_id"
                    " WHERE a.version_id = ? ORDER BY a.proposal_id, pc.position",
                    STORE_PARAMS(STORE_INT_PARAM(version_id))) != 0)
        goto fail;
    for (size_t r = 0; r < store_result_rows(rows); r++)
        adoption_apply_change(articles, store_result_text(rows, r, 0), store_result_text(rows, r, 1),
                              store_result_text(rows, r, 2), store_result_text(rows, r, 3));
    store_result_free(rows);
    rows = NULL;
    if (store_execute(conn, err, NULL, "UPDATE code_versions SET base_version_id = ? WHERE id = ?",
                      STORE_PARAMS(base_id ? STORE_INT_PARAM(base_id) : STORE_NULL_PARAM,
                                   STORE_INT_PARAM(version_id))) != 0 ||
        store_execute(conn, err, NULL, "DELETE FROM code_articles WHERE version_id = ?",
                      STORE_PARAMS(STORE_INT_PARAM(version_id))) != 0)
        goto fail;
    for (size_t i = 0; i < json_array_size(articles); i++) {
        json_t *article = json_array_get(articles, i);
        if (store_execute(conn, err, NULL,
                          "INSERT INTO code_articles (version_id, article_id, position, title, text) VALUES (?, ?, ?, ?, ?)",
                          STORE_PARAMS(STORE_INT_PARAM(version_id),
                                       STORE_TEXT_PARAM(json_string_value(json_object_get(article, "id"))),
                                       STORE_INT_PARAM((long long)i + 1),
                                       STORE_TEXT_PARAM(json_string_value(json_object_get(article, "title"))),
                                       STORE_TEXT_PARAM(json_string_value(json_object_get(article, "text"))))) != 0)
            goto fail;
    }
    json_decref(articles);
    return 0;
fail:
    store_result_free(rows);
    json_decref(articles);
    return -1;
}

/* Rebuild every scheduled adoption version from the earliest affected date on, so a
 * later version always builds on the one before it, whatever order dates were set in. */
static int adoption_rebuild_from(store_conn *conn, const char *from_date, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT id FROM code_versions WHERE source = 'adoption' AND effective_from >= ?"
                    " ORDER BY effective_from, id",
                    STORE_PARAMS(STORE_TEXT_PARAM(from_date))) != 0)
        return -1;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        if (adoption_rebuild(conn, store_result_int(rows, r, 0), err) != 0) {
            store_result_free(rows);
            return -1;
        }
    }
    store_result_free(rows);
    return 0;
}

/* Number of standing withdrawals (not superseded) that concern a version or take effect
 * for it: a version they depend on may not move to another date. */
static int adoption_withdrawals_on(store_conn *conn, long long version_id, long long *count, alvd_err *err)
{
    store_result *rows = NULL;
    *count = 0;
    if (store_query(conn, err, &rows,
                    "SELECT COUNT(*) FROM withdrawals WHERE superseded_by IS NULL"
                    " AND (concerned_version_id = ? OR effect_version_id = ?)",
                    STORE_PARAMS(STORE_INT_PARAM(version_id), STORE_INT_PARAM(version_id))) != 0)
        return -1;
    *count = store_result_int(rows, 0, 0);
    store_result_free(rows);
    return 0;
}

static json_t *adoption_answer(const char *effective, const rules_withdrawal_deadline *deadline,
                               const rules_effective_check *check, long long version_id, long long proposal_id)
{
    char w[RULES_DATE_TEXT_SIZE], send_by[RULES_DATE_TEXT_SIZE], earliest[RULES_DATE_TEXT_SIZE];
    json_t *warnings = json_array();
    if (deadline->warning[0])
        json_array_append_new(warnings, json_string(deadline->warning));
    json_t *body = json_pack("{s:I, s:s, s:s, s:I, s:o, s:s, s:s, s:s, s:b}", "proposal_id", (json_int_t)proposal_id,
                             "effective_from", effective, "withdrawal_deadline",
                             rules_date_format(deadline->deadline, w), "version_id", (json_int_t)version_id,
                             "warnings", warnings, "send_by", rules_date_format(deadline->send_by, send_by), "advice",
                             deadline->advice, "earliest_effective_date", rules_date_format(check->earliest, earliest),
                             "is_earliest", check->is_earliest);
    json_object_set_new(body, "note", check->note[0] ? json_string(check->note) : json_null());
    if (deadline->holiday_name)
        json_object_set_new(body, "holiday", json_string(deadline->holiday_name));
    return body;
}

void adoption_effective_date(http_request *request)
{
    static const char *const fields[] = {"date", NULL};
    store_conn *conn = http_request_db(request);
    json_t *body = http_request_json(request);
    store_result *rows = NULL;
    meeting_info meeting;
    const char *date;
    long long proposal_id;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &proposal_id) != 0)
        return;
    if (input_only(body, fields, &err) != 0 || input_date(body, "date", 1, &date, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    audit_actor actor = http_request_actor(request);
    /* The poll that adopted it (the last one, when a re-vote was held). */
    if (store_query(conn, &err, &rows,
                    "SELECT p.id, p.meeting_id, r.state, DATE_FORMAT(p.decided_on, '%Y-%m-%d') FROM proposals r"
                    " LEFT JOIN polls p ON p.proposal_id = r.id"
                    " AND p.state = 'closed' AND p.superseded_by IS NULL WHERE r.id = ? ORDER BY p.id DESC LIMIT 1",
                    STORE_PARAMS(STORE_INT_PARAM(proposal_id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1) {
        alvd_err_set(&err, 404, "not_found", NULL, "Dit voorstel bestaat niet.");
        goto fail;
    }
    long long poll_id = store_result_int(rows, 0, 0), meeting_id = store_result_int(rows, 0, 1);
    if (poll_id == 0 || strcmp(store_result_text(rows, 0, 2), "adopted") != 0) {
        alvd_err_set(&err, 422, "not_adopted", NULL,
                     "Alleen voor een aangenomen voorstel kan een ingangsdatum worden vastgesteld.");
        goto fail;
    }
    /* D: the Amsterdam date on which the adopting poll closed (fixed at close). */
    char decided_on[RULES_DATE_TEXT_SIZE];
    snprintf(decided_on, sizeof decided_on, "%s", store_result_is_null(rows, 0, 3) ? "" : store_result_text(rows, 0, 3));
    store_result_free(rows);
    rows = NULL;
    /* The meeting row serialises every date of one ALV (they share versions). */
    if (store_begin(conn, &err) != 0 ||
        store_query(conn, &err, &rows, "SELECT id FROM meetings WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        goto fail;
    store_result_free(rows);
    rows = NULL;
    if (meetings_load(conn, meeting_id, &meeting, &err) != 0)
        goto fail;
    rules_day decided, effective;
    rules_effective_check check;
    rules_withdrawal_deadline deadline;
    if (rules_date_parse(decided_on, NULL, &decided, &err) != 0 || rules_date_parse(date, "date", &effective, &err) != 0)
        goto fail;
    if (rules_check_effective_date(decided, effective, &check, &err) != 0 ||
        rules_check_new_version(clock_today(&http_request_app(request)->config), 0, 1, decided, effective, &err) != 0) {
        snprintf(err.field, sizeof err.field, "date");
        goto fail;
    }
    rules_withdrawal_deadline_for(effective, 0, &deadline);
    char w[RULES_DATE_TEXT_SIZE];
    rules_date_format(deadline.deadline, w);

    /* Already set? The same date is a repeat; another date moves it (refused once a
     * withdrawal refers to the version). */
    if (store_query(conn, &err, &rows,
                    "SELECT DATE_FORMAT(effective_from, '%Y-%m-%d'), version_id FROM adoptions WHERE proposal_id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(proposal_id))) != 0)
        goto fail;
    long long old_version = 0;
    char old_date[RULES_DATE_TEXT_SIZE] = "";
    if (store_result_rows(rows) == 1) {
        snprintf(old_date, sizeof old_date, "%s", store_result_text(rows, 0, 0));
        old_version = store_result_int(rows, 0, 1);
    }
    store_result_free(rows);
    rows = NULL;
    if (old_version && strcmp(old_date, date) == 0) {
        store_rollback(conn);
        http_reply_json(request, 200, adoption_answer(date, &deadline, &check, old_version, proposal_id));
        return;
    }
    if (old_version) {
        long long withdrawals = 0;
        if (adoption_withdrawals_on(conn, old_version, &withdrawals, &err) != 0)
            goto fail;
        if (withdrawals > 0) {
            alvd_err_set(&err, 409, "withdrawals_on_version", "date",
                         "De ingangsdatum %s kan niet meer worden gewijzigd: aantal intrekkingen die al naar deze "
                         "versie verwijzen: %lld.",
                         old_date, withdrawals);
            goto fail;
        }
    }
    /* The version of this ALV with this date, or a new one. */
    if (store_query(conn, &err, &rows, "SELECT id, source, meeting_id FROM code_versions WHERE effective_from = ? ORDER BY id",
                    STORE_PARAMS(STORE_TEXT_PARAM(date))) != 0)
        goto fail;
    long long version_id = 0;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        if (strcmp(store_result_text(rows, r, 1), "adoption") == 0 && store_result_int(rows, r, 2) == meeting_id)
            version_id = store_result_int(rows, r, 0);
    }
    size_t others = store_result_rows(rows);
    store_result_free(rows);
    rows = NULL;
    if (version_id == 0 && others > 0) {
        alvd_err_set(&err, 409, "effective_date_taken", "date",
                     "Op %s gaat al een andere versie van de Code in; kies een andere ingangsdatum.", date);
        goto fail;
    }
    /* Moving the only adoption of a version moves the version itself: it keeps its id,
     * so calendars keep its UIDs and see a new SEQUENCE instead of a stale event. */
    long long sharing = 0;
    if (version_id == 0 && old_version) {
        if (store_query(conn, &err, &rows, "SELECT COUNT(*) FROM adoptions WHERE version_id = ? AND proposal_id <> ?",
                        STORE_PARAMS(STORE_INT_PARAM(old_version), STORE_INT_PARAM(proposal_id))) != 0)
            goto fail;
        sharing = store_result_int(rows, 0, 0);
        store_result_free(rows);
        rows = NULL;
        if (sharing == 0) {
            char label[64];
            snprintf(label, sizeof label, "%s (ALV %s)", date, meeting.date);
            if (store_execute(conn, &err, NULL,
                              "UPDATE code_versions SET effective_from = ?, label = ? WHERE id = ? AND source = 'adoption'",
                              STORE_PARAMS(STORE_TEXT_PARAM(date), STORE_TEXT_PARAM(label),
                                           STORE_INT_PARAM(old_version))) != 0 ||
                withdrawals_apply_pending(conn, old_version, &err) < 0)
                goto fail;
            version_id = old_version;
        }
    }
    if (version_id == 0) {
        char label[64];
        snprintf(label, sizeof label, "%s (ALV %s)", date, meeting.date);
        if (store_execute(conn, &err, NULL,
                          "INSERT INTO code_versions (label, effective_from, source, meeting_id, decided_on, created_at,"
                          " created_by) VALUES (?, ?, 'adoption', ?, ?, UTC_TIMESTAMP(6), ?)",
                          STORE_PARAMS(STORE_TEXT_PARAM(label), STORE_TEXT_PARAM(date), STORE_INT_PARAM(meeting_id),
                                       STORE_TEXT_PARAM(decided_on),
                                       STORE_INT_PARAM(http_request_principal(request)->user_id))) != 0)
            goto fail;
        version_id = store_last_insert_id(conn);
        /* Letters that were late for an earlier amendment take effect for this one
         * when they meet its deadline (R5). */
        if (withdrawals_apply_pending(conn, version_id, &err) < 0)
            goto fail;
    }
    if (store_execute(conn, &err, NULL,
                      "INSERT INTO adoptions (proposal_id, poll_id, meeting_id, decided_on, effective_from,"
                      " withdrawal_deadline, version_id, set_at, set_by) VALUES (?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6), ?)"
                      " ON DUPLICATE KEY UPDATE poll_id = VALUES(poll_id), decided_on = VALUES(decided_on),"
                      " effective_from = VALUES(effective_from),"
                      " withdrawal_deadline = VALUES(withdrawal_deadline), version_id = VALUES(version_id),"
                      " set_at = VALUES(set_at), set_by = VALUES(set_by)",
                      STORE_PARAMS(STORE_INT_PARAM(proposal_id), STORE_INT_PARAM(poll_id), STORE_INT_PARAM(meeting_id),
                                   STORE_TEXT_PARAM(decided_on), STORE_TEXT_PARAM(date), STORE_TEXT_PARAM(w),
                                   STORE_INT_PARAM(version_id),
                                   STORE_INT_PARAM(http_request_principal(request)->user_id))) != 0)
        goto fail;
    /* A version groups the adoptions of one ALV with one E; its D is the latest of theirs. */
    if (store_execute(conn, &err, NULL,
                      "UPDATE code_versions SET decided_on = GREATEST(COALESCE(decided_on, ?), ?) WHERE id = ?",
                      STORE_PARAMS(STORE_TEXT_PARAM(decided_on), STORE_TEXT_PARAM(decided_on),
                                   STORE_INT_PARAM(version_id))) != 0)
        goto fail;
    const char *rebuild_from = date;
    if (old_version == version_id && strcmp(old_date, date) < 0)
        rebuild_from = old_date; /* moved in place: rebuild from the earlier of the two dates */
    if (old_version && old_version != version_id) {
        if (store_query(conn, &err, &rows, "SELECT COUNT(*) FROM adoptions WHERE version_id = ?",
                        STORE_PARAMS(STORE_INT_PARAM(old_version))) != 0)
            goto fail;
        long long left = store_result_int(rows, 0, 0);
        store_result_free(rows);
        rows = NULL;
        if (left == 0 &&
            (store_execute(conn, &err, NULL, "DELETE FROM code_articles WHERE version_id = ?",
                           STORE_PARAMS(STORE_INT_PARAM(old_version))) != 0 ||
             store_execute(conn, &err, NULL, "DELETE FROM code_versions WHERE id = ? AND source = 'adoption'",
                           STORE_PARAMS(STORE_INT_PARAM(old_version))) != 0))
            goto fail;
        if (strcmp(old_date, date) < 0)
            rebuild_from = old_date;
    }
    if (adoption_rebuild_from(conn, rebuild_from, &err) != 0 ||
        service_deadlines_calendar_sync(conn, &err) != 0) /* the calendar sees the move now */
        goto fail;
    json_t *answer = adoption_answer(date, &deadline, &check, version_id, proposal_id);
    json_t *record = json_pack("{s:s, s:I, s:I, s:I, s:s, s:s, s:s, s:I}", "kind", "effective_date", "poll_id",
                               (json_int_t)poll_id, "meeting_id", (json_int_t)meeting_id, "proposal_id",
                               (json_int_t)proposal_id, "decided_on", decided_on, "effective_from", date,
                               "withdrawal_deadline", w, "version_id", (json_int_t)version_id);
    int rc = minutes_decision_record(conn, http_request_app(request)->config.data_dir, meeting_id, poll_id,
                                     "effective_date", record, &err);
    if (rc == 0) {
        if (old_version)
            json_object_set_new(record, "previous_effective_from", json_string(old_date));
        rc = audit_append(conn, &err, &actor, "proposal.effective_date", "proposal", proposal_id, record);
    }
    json_decref(record);
    if (rc != 0 || store_commit(conn, &err) != 0) {
        json_decref(answer);
        goto fail;
    }
    http_reply_json(request, 200, answer);
    return;
fail:
    store_rollback(conn);
    store_result_free(rows);
    http_reply_err(request, &err);
}
