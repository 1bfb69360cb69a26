/* The speaker list and written contributions: a present member (hall or remote) asks
 * for the floor once at a time, the chair gives and ends it; contributions are moderated. */
#include "alvd/api/speakers.h"

#include <stdio.h>
#include <string.h>

#include "alvd/api/attendance.h"
#include "alvd/api/events.h"
#include "alvd/api/meetings.h"
#include "alvd/crypto/audit.h"
#include "alvd/http/auth.h"
#include "alvd/http/input.h"

#define SPEAKERS_COLUMNS                                                                                           \
    "SELECT s.id, s.organisation_id, o.name, s.channel, s.state, s.agenda_position, s.requested_at,"               \
    " s.started_at, s.finished_at,"                                                                                \
    " CASE WHEN s.started_at IS NULL THEN NULL"                                                                    \
    " ELSE TIMESTAMPDIFF(SECOND, s.started_at, COALESCE(s.finished_at, UTC_TIMESTAMP(6))) END AS speaking_seconds" \
    " FROM speakers s JOIN organisations o ON o.id = s.organisation_id"

/* Publish a change of the list for the pages (chair, projector, phones refetch). */
static int speakers_publish(store_conn *conn, long long meeting_id, const char *kind, const char *reason, long long id,
                            alvd_err *err)
{
    json_t *payload = json_pack("{s:s, s:I}", "reason", reason, "id", (json_int_t)id);
    int rc = events_append(conn, meeting_id, kind, payload, err);
    json_decref(payload);
    return rc;
}

/* The asking member: present now (hall or remote), in an open meeting, and allowed to
 * take part in the deliberation from where it is. Locks the member row; caller's
 * transaction. *channel gets "hall" or "remote". */
static int speakers_present_member(http_request *request, long long meeting_id, meeting_info *meeting,
                                   char channel[8], alvd_err *err)
{
    const auth_principal *who = http_request_principal(request);
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    attendance_last last;
    if (meetings_load_for(request, meeting_id, meeting, err) != 0)
        return -1;
    if (strcmp(meeting->state, "open") != 0)
        return alvd_err_set(err, 409, "meeting_not_open", NULL,
                            "Het woord vragen kan alleen tijdens de vergadering (zij is nu niet geopend).");
    if (store_query(conn, err, &rows,
                    "SELECT organisation_id FROM meeting_members WHERE meeting_id = ? AND organisation_id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(who->organisation_id))) != 0)
        return -1;
    int member = store_result_rows(rows) == 1;
    store_result_free(rows);
    if (!member)
        return alvd_err_set(err, 403, "not_voting_member", NULL,
                            "Uw organisatie is geen stemgerechtigd lid voor deze vergadering.");
    if (attendance_last_event(conn, meeting_id, who->organisation_id, &last, err) != 0)
        return -1;
    if (strcmp(last.direction, "entry") != 0)
        return alvd_err_set(err, 409, "not_present", NULL,
                            "U bent niet aangemeld als aanwezig. Meld u aan bij de ingang of neem op afstand deel;"
                            " daarna kunt u het woord vragen.");
    if (strcmp(last.channel, "remote") == 0 && !meeting->remote_deliberation)
        return alvd_err_set(err, 403, "deliberation_off", NULL,
                            "Bij deze vergadering volgt en stemt u op afstand; het woord voeren kan alleen in de zaal.");
    snprintf(channel, 8, "%s", last.channel);
    return 0;
}

static long long speakers_current_item(store_conn *conn, long long meeting_id, int *has, alvd_err *err)
{
    store_result *rows = NULL;
    *has = 0;
    if (store_query(conn, err, &rows, "SELECT current_item FROM meetings WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    long long item = 0;
    if (store_result_rows(rows) == 1 && !store_result_is_null(rows, 0, 0)) {
        item = store_result_int(rows, 0, 0);
        *has = 1;
    }
    store_result_free(rows);
    return item;
}

void speakers_request(http_request *request)
{
    const auth_principal *who = http_request_principal(request);
    audit_actor actor = http_request_actor(request);
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    meeting_info meeting;
    char channel[8] = "";
    long long meeting_id = 0;
    int has_item = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        return;
    if (store_begin(conn, &err) != 0 || speakers_present_member(request, meeting_id, &meeting, channel, &err) != 0)
        goto fail;
    /* Once at a time: under the member row lock no second request can slip in. */
    if (store_query(conn, &err, &rows,
                    "SELECT id, state FROM speakers WHERE meeting_id = ? AND organisation_id = ?"
                    " AND state IN ('waiting', 'speaking') LIMIT 1",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(who->organisation_id))) != 0)
        goto fail;
    if (store_result_rows(rows) == 1) {
        int speaking = strcmp(store_result_text(rows, 0, 1), "speaking") == 0;
        long long existing = store_result_int(rows, 0, 0);
        store_result_free(rows);
        store_rollback(conn);
        http_reply_json(request, 409,
                        json_pack("{s:s, s:s, s:I}", "error",
                                  speaking ? "U heeft het woord al." : "U staat al op de sprekerslijst; u kunt uw verzoek intrekken.",
                                  "code", "already_waiting", "id", (json_int_t)existing));
        return;
    }
    store_result_free(rows);
    rows = NULL;
    long long item = speakers_current_item(conn, meeting_id, &has_item, &err);
    if (item < 0)
        goto fail;
    json_t *details = json_pack("{s:I, s:s}", "organisation_id", (json_int_t)who->organisation_id, "channel", channel);
    int rc = audit_append(conn, &err, &actor, "speaker.request", "meeting", meeting_id, details);
    json_decref(details);
    if (rc != 0 ||
        store_execute(conn, &err, NULL,
                      "INSERT INTO speakers (meeting_id, organisation_id, channel, agenda_position, state, requested_at)"
                      " VALUES (?, ?, ?, ?, 'waiting', UTC_TIMESTAMP(6))",
                      STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(who->organisation_id),
                                   STORE_TEXT_PARAM(channel), has_item ? STORE_INT_PARAM(item) : STORE_NULL_PARAM)) != 0)
        goto fail;
    long long id = store_last_insert_id(conn);
    if (store_query(conn, &err, &rows,
                    "SELECT COUNT(*) FROM speakers WHERE meeting_id = ? AND state = 'waiting' AND id <= ?",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(id))) != 0)
        goto fail;
    long long position = store_result_int(rows, 0, 0);
    store_result_free(rows);
    rows = NULL;
    if (speakers_publish(conn, meeting_id, SPEAKERS_EVENT, "request", id, &err) != 0 || store_commit(conn, &err) != 0)
        goto fail;
    http_reply_json(request, 201,
                    json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)id, "state", "waiting", "channel", channel,
                              "position", (json_int_t)position));
    return;
fail:
    store_result_free(rows);
    store_rollback(conn);
    http_reply_err(request, &err);
}

void speakers_list(http_request *request)
{
    const auth_principal *who = http_request_principal(request);
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    meeting_info meeting;
    attendance_snapshot snapshot = {0};
    long long meeting_id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        return;
    /* Queue order: the turns held (in the order they were given), the one speaking, then
     * the waiting requests in the order they were made. */
    if (meetings_load_for(request, meeting_id, &meeting, &err) != 0 ||
        attendance_snapshot_at(conn, meeting_id, NULL, &snapshot, &err) != 0 ||
        store_query(conn, &err, &rows,
                    SPEAKERS_COLUMNS " WHERE s.meeting_id = ? AND s.state <> 'withdrawn'"
                                     " ORDER BY FIELD(s.state, 'done', 'speaking', 'waiting'), s.started_at, s.id",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0) {
        attendance_snapshot_free(&snapshot);
        http_reply_err(request, &err);
        return;
    }
    json_t *items = json_array(), *next = json_array(), *speaking = json_null(), *mine = json_null();
    /* The server's instant, so a page counts the speaking time without trusting its own clock. */
    store_result *clock_row = NULL;
    json_t *now = json_null();
    if (store_query(conn, &err, &clock_row, "SELECT UTC_TIMESTAMP(6) AS now", STORE_NO_PARAMS) == 0 &&
        store_result_rows(clock_row) == 1) {
        json_t *row = store_result_row_json(clock_row, 0);
        now = json_incref(json_object_get(row, "now"));
        json_decref(row);
    }
    store_result_free(clock_row);
    long long waiting = 0;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        json_t *item = store_result_row_json(rows, r);
        const attendance_member *member = attendance_snapshot_find(&snapshot, store_result_int(rows, r, 1));
        const char *state = store_result_text(rows, r, 4);
        json_object_set_new(item, "present", json_boolean(member && member->inside));
        if (strcmp(state, "waiting") == 0) {
            json_object_set_new(item, "position", json_integer(++waiting));
            if (json_array_size(next) < 3)
                json_array_append(next, item);
        }
        if (strcmp(state, "speaking") == 0) {
            json_decref(speaking);
            speaking = json_incref(item);
        }
        if (who->kind == AUTH_KIND_MEMBER && store_result_int(rows, r, 1) == who->organisation_id &&
            strcmp(state, "done") != 0) {
            json_decref(mine);
            mine = json_incref(item);
        }
        json_array_append_new(items, item);
    }
    store_result_free(rows);
    attendance_snapshot_free(&snapshot);
    http_reply_json(request, 200,
                    json_pack("{s:I, s:o, s:o, s:o, s:I, s:o, s:b, s:o}", "meeting_id", (json_int_t)meeting_id, "items",
                              items, "speaking", speaking, "next", next, "waiting", (json_int_t)waiting, "mine", mine,
                              "remote_deliberation", meeting.remote_deliberation, "now", now ? now : json_null()));
}

/* Load a speaker row and lock it (and nothing else); 404 when absent. */
static int speakers_load(store_conn *conn, long long id, long long *meeting_id, long long *organisation_id,
                         char state[16], alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows, "SELECT meeting_id, organisation_id, state FROM speakers WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", NULL, "Dit spreekverzoek bestaat niet.");
    }
    *meeting_id = store_result_int(rows, 0, 0);
    *organisation_id = store_result_int(rows, 0, 1);
    snprintf(state, 16, "%s", store_result_text(rows, 0, 2));
    store_result_free(rows);
    return 0;
}

static void speakers_reply_item(http_request *request, long long id)
{
    store_result *rows = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (store_query(http_request_db(request), &err, &rows, SPEAKERS_COLUMNS " WHERE s.id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0 ||
        store_result_rows(rows) != 1) {
        store_result_free(rows);
        http_reply_json(request, 200, json_pack("{s:I}", "id", (json_int_t)id));
        return;
    }
    json_t *item = store_result_row_json(rows, 0);
    store_result_free(rows);
    http_reply_json(request, 200, item);
}

/* The chair gives the floor (start) or ends it (finish). Giving the floor to the next
 * speaker ends the current turn first, recorded with its own time. */
static void speakers_transition(http_request *request, int starting)
{
    audit_actor actor = http_request_actor(request);
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    meeting_info meeting;
    long long id = 0, meeting_id = 0, organisation_id = 0, ended = 0;
    char state[16];
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    if (store_begin(conn, &err) != 0 || speakers_load(conn, id, &meeting_id, &organisation_id, state, &err) != 0 ||
        meetings_load(conn, meeting_id, &meeting, &err) != 0)
        goto fail;
    if (starting) {
        if (strcmp(state, "waiting") != 0) {
            alvd_err_set(&err, 409, "not_waiting", NULL,
                         strcmp(state, "speaking") == 0 ? "Deze spreker heeft het woord al."
                                                        : "Dit verzoek staat niet (meer) op de lijst.");
            goto fail;
        }
        if (strcmp(meeting.state, "open") != 0) {
            alvd_err_set(&err, 409, "meeting_not_open", NULL, "De vergadering is niet geopend.");
            goto fail;
        }
        if (store_query(conn, &err, &rows,
                        "SELECT id FROM speakers WHERE meeting_id = ? AND state = 'speaking' FOR UPDATE",
                        STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
            goto fail;
        for (size_t r = 0; r < store_result_rows(rows); r++)
            ended = store_result_int(rows, r, 0);
        store_result_free(rows);
        rows = NULL;
        if (store_execute(conn, &err, NULL,
                          "UPDATE speakers SET state = 'done', finished_at = UTC_TIMESTAMP(6)"
                          " WHERE meeting_id = ? AND state = 'speaking'",
                          STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0 ||
            store_execute(conn, &err, NULL,
                          "UPDATE speakers SET state = 'speaking', started_at = UTC_TIMESTAMP(6) WHERE id = ?",
                          STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
            goto fail;
    } else {
        if (strcmp(state, "speaking") != 0) {
            alvd_err_set(&err, 409, "not_speaking", NULL, "Deze spreker heeft het woord niet.");
            goto fail;
        }
        if (store_execute(conn, &err, NULL,
                          "UPDATE speakers SET state = 'done', finished_at = UTC_TIMESTAMP(6) WHERE id = ?",
                          STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
            goto fail;
    }
    json_t *details = json_pack("{s:I, s:I}", "organisation_id", (json_int_t)organisation_id, "speaker_id", (json_int_t)id);
    if (ended)
        json_object_set_new(details, "ended", json_integer(ended));
    int rc = audit_append(conn, &err, &actor, starting ? "speaker.start" : "speaker.finish", "meeting", meeting_id,
                          details);
    json_decref(details);
    if (rc != 0 || speakers_publish(conn, meeting_id, SPEAKERS_EVENT, starting ? "start" : "finish", id, &err) != 0 ||
        store_commit(conn, &err) != 0)
        goto fail;
    speakers_reply_item(request, id);
    return;
fail:
    store_result_free(rows);
    store_rollback(conn);
    http_reply_err(request, &err);
}

void speakers_start(http_request *request) { speakers_transition(request, 1); }
void speakers_finish(http_request *request) { speakers_transition(request, 0); }

void speakers_withdraw(http_request *request)
{
    const auth_principal *who = http_request_principal(request);
    audit_actor actor = http_request_actor(request);
    store_conn *conn = http_request_db(request);
    long long id = 0, meeting_id = 0, organisation_id = 0;
    char state[16];
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    if (store_begin(conn, &err) != 0 || speakers_load(conn, id, &meeting_id, &organisation_id, state, &err) != 0)
        goto fail;
    int by_member = who->kind == AUTH_KIND_MEMBER;
    /* A member withdraws only its own request (another's is not even shown to exist). */
    if (by_member && (who->meeting_id != meeting_id || who->organisation_id != organisation_id)) {
        alvd_err_set(&err, 404, "not_found", NULL, "Dit spreekverzoek bestaat niet.");
        goto fail;
    }
    if (strcmp(state, "waiting") != 0) {
        alvd_err_set(&err, 409, "not_waiting", NULL,
                     strcmp(state, "speaking") == 0 ? "Deze spreker heeft het woord; de voorzitter beëindigt de beurt."
                                                    : "Dit verzoek staat niet (meer) op de lijst.");
        goto fail;
    }
    json_t *details = json_pack("{s:I, s:I, s:s}", "organisation_id", (json_int_t)organisation_id, "speaker_id",
                                (json_int_t)id, "by", by_member ? "member" : "chair");
    int rc = audit_append(conn, &err, &actor, "speaker.withdraw", "meeting", meeting_id, details);
    json_decref(details);
    if (rc != 0 ||
        store_execute(conn, &err, NULL, "UPDATE speakers SET state = 'withdrawn', withdrawn_by = ? WHERE id = ?",
                      STORE_PARAMS(STORE_TEXT_PARAM(by_member ? "member" : "chair"), STORE_INT_PARAM(id))) != 0 ||
        speakers_publish(conn, meeting_id, SPEAKERS_EVENT, "withdraw", id, &err) != 0 || store_commit(conn, &err) != 0)
        goto fail;
    http_reply_empty(request, 204);
    return;
fail:
    store_rollback(conn);
    http_reply_err(request, &err);
}

/* ---------------------------------------------------------------- contributions */

void contributions_create(http_request *request)
{
    static const char *const fields[] = {"text", NULL};
    const alvd_app *app = http_request_app(request);
    const auth_principal *who = http_request_principal(request);
    audit_actor actor = http_request_actor(request);
    store_conn *conn = http_request_db(request);
    json_t *body = http_request_json(request);
    meeting_info meeting;
    const char *text = NULL;
    char channel[8] = "", subject[64];
    long long meeting_id = 0;
    int has_item = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        return;
    if (input_only(body, fields, &err) != 0 || input_string(body, "text", 1, CONTRIBUTIONS_TEXT_MAX, &text, &err) != 0)
        goto fail;
    snprintf(subject, sizeof subject, "%lld:%lld", meeting_id, who->organisation_id);
    if (auth_rate_check(conn, app->rate_key, "contribution", subject, 600, CONTRIBUTIONS_PER_10_MINUTES, &err) != 0) {
        if (err.status == 429)
            alvd_err_set(&err, 429, "too_many_attempts", NULL,
                         "U heeft de voorzitter net al veel bijdragen gestuurd; wacht even voor de volgende.");
        goto fail;
    }
    if (store_begin(conn, &err) != 0 || speakers_present_member(request, meeting_id, &meeting, channel, &err) != 0)
        goto fail;
    long long item = speakers_current_item(conn, meeting_id, &has_item, &err);
    if (item < 0)
        goto fail;
    /* The text itself stays out of the audit log (it is in the minutes once moderated). */
    json_t *details = json_pack("{s:I, s:s, s:I}", "organisation_id", (json_int_t)who->organisation_id, "channel",
                                channel, "characters", (json_int_t)json_string_length(json_object_get(body, "text")));
    int rc = audit_append(conn, &err, &actor, "contribution.create", "meeting", meeting_id, details);
    json_decref(details);
    if (rc != 0 || auth_rate_record(conn, app->rate_key, "contribution", subject, &err) != 0 ||
        store_execute(conn, &err, NULL,
                      "INSERT INTO contributions (meeting_id, organisation_id, channel, agenda_position, text, state,"
                      " created_at) VALUES (?, ?, ?, ?, ?, 'new', UTC_TIMESTAMP(6))",
                      STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(who->organisation_id),
                                   STORE_TEXT_PARAM(channel), has_item ? STORE_INT_PARAM(item) : STORE_NULL_PARAM,
                                   STORE_TEXT_PARAM(text))) != 0)
        goto fail;
    long long id = store_last_insert_id(conn);
    if (speakers_publish(conn, meeting_id, CONTRIBUTIONS_EVENT, "new", id, &err) != 0 || store_commit(conn, &err) != 0)
        goto fail;
    http_reply_json(request, 201, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "state", "new", "channel", channel));
    return;
fail:
    store_rollback(conn);
    http_reply_err(request, &err);
}

#define CONTRIBUTIONS_COLUMNS                                                                                      \
    "SELECT c.id, c.organisation_id, o.name, c.channel, c.agenda_position, c.text, c.state, c.created_at,"         \
    " c.moderated_at FROM contributions c JOIN organisations o ON o.id = c.organisation_id"

void contributions_list(http_request *request)
{
    const auth_principal *who = http_request_principal(request);
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    meeting_info meeting;
    long long meeting_id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        return;
    /* Staff see every contribution; a member only its own. */
    int member = who->kind == AUTH_KIND_MEMBER;
    if (meetings_load_for(request, meeting_id, &meeting, &err) != 0 ||
        store_query(conn, &err, &rows,
                    CONTRIBUTIONS_COLUMNS " WHERE c.meeting_id = ? AND (? = 0 OR c.organisation_id = ?) ORDER BY c.id",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(member),
                                 STORE_INT_PARAM(member ? who->organisation_id : 0))) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *items = store_result_json(rows);
    long long unread = 0;
    for (size_t r = 0; r < store_result_rows(rows); r++)
        unread += strcmp(store_result_text(rows, r, 6), "new") == 0;
    store_result_free(rows);
    http_reply_json(request, 200, json_pack("{s:o, s:I}", "items", items, "new", (json_int_t)unread));
}

void contributions_moderate(http_request *request)
{
    static const char *const fields[] = {"decision", NULL};
    static const char *const decisions[] = {"read_out", "not_read_out", NULL};
    const auth_principal *who = http_request_principal(request);
    audit_actor actor = http_request_actor(request);
    store_conn *conn = http_request_db(request);
    json_t *body = http_request_json(request);
    store_result *rows = NULL;
    const char *decision = NULL;
    long long id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    if (input_only(body, fields, &err) != 0 || input_choice(body, "decision", 1, decisions, &decision, &err) != 0 ||
        store_begin(conn, &err) != 0 ||
        store_query(conn, &err, &rows, "SELECT meeting_id FROM contributions WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1) {
        alvd_err_set(&err, 404, "not_found", NULL, "Deze bijdrage bestaat niet.");
        goto fail;
    }
    long long meeting_id = store_result_int(rows, 0, 0);
    store_result_free(rows);
    rows = NULL;
    json_t *details = json_pack("{s:I, s:s}", "contribution_id", (json_int_t)id, "decision", decision);
    int rc = audit_append(conn, &err, &actor, "contribution.moderate", "meeting", meeting_id, details);
    json_decref(details);
    if (rc != 0 ||
        store_execute(conn, &err, NULL,
                      "UPDATE contributions SET state = ?, moderated_at = UTC_TIMESTAMP(6), moderated_by = ? WHERE id = ?",
                      STORE_PARAMS(STORE_TEXT_PARAM(decision), STORE_INT_PARAM(who->user_id), STORE_INT_PARAM(id))) != 0 ||
        speakers_publish(conn, meeting_id, CONTRIBUTIONS_EVENT, decision, id, &err) != 0 ||
        store_commit(conn, &err) != 0 ||
        store_query(conn, &err, &rows, CONTRIBUTIONS_COLUMNS " WHERE c.id = ?", STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        goto fail;
    json_t *item = store_result_row_json(rows, 0);
    store_result_free(rows);
    http_reply_json(request, 200, item);
    return;
fail:
    store_result_free(rows);
    store_rollback(conn);
    http_reply_err(request, &err);
}

json_t *speakers_minutes_json(store_conn *conn, long long meeting_id, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    SPEAKERS_COLUMNS " WHERE s.meeting_id = ? AND s.started_at IS NOT NULL ORDER BY s.started_at, s.id",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        return NULL;
    json_t *speakers = store_result_json(rows);
    store_result_free(rows);
    rows = NULL;
    if (store_query(conn, err, &rows, CONTRIBUTIONS_COLUMNS " WHERE c.meeting_id = ? ORDER BY c.id",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0) {
        json_decref(speakers);
        return NULL;
    }
    json_t *contributions = store_result_json(rows);
    store_result_free(rows);
    return json_pack("{s:o, s:o}", "speakers", speakers, "contributions", contributions);
}
