/* The speaker list and written contributions over HTTP: parse, one service call, render.
 * Who may ask, the queue and moderation are in service/speakers.c. */
#include "alvd/api/speakers.h"

#include <string.h>

#include "alvd/http/auth.h"
#include "alvd/http/input.h"

void speakers_request(http_request *request)
{
    audit_actor actor = http_request_actor(request);
    speakers_requested requested;
    long long meeting_id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    if (service_speakers_request(http_request_db(request), http_request_principal(request), &actor, meeting_id,
                                 &requested, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    if (requested.already) {
        http_reply_json(request, 409,
                        json_pack("{s:s, s:s, s:I}", "error",
                                  requested.already_speaking
                                      ? "U heeft het woord al."
                                      : "U staat al op de sprekerslijst; u kunt uw verzoek intrekken.",
                                  "code", "already_waiting", "id", (json_int_t)requested.id));
        return;
    }
    http_reply_json(request, 201,
                    json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)requested.id, "state", "waiting", "channel",
                              requested.channel, "position", (json_int_t)requested.position));
}

/* Queue order: the turns held (in the order they were given), the one speaking, then the
 * waiting requests in the order they were made; the next three, the member's own. */
static json_t *speakers_list_json(const auth_principal *who, long long meeting_id, const speakers_view *view)
{
    json_t *items = json_array(), *next = json_array(), *speaking = json_null(), *mine = json_null();
    long long waiting = 0;
    for (size_t r = 0; r < store_result_rows(view->rows); r++) {
        json_t *item = store_result_row_json(view->rows, r);
        long long organisation_id = store_result_int(view->rows, r, 1);
        const attendance_member *member = store_attendance_snapshot_find(&view->snapshot, organisation_id);
        const char *state = store_result_text(view->rows, r, 4);
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
        if (who->kind == AUTH_KIND_MEMBER && organisation_id == who->organisation_id && strcmp(state, "done") != 0) {
            json_decref(mine);
            mine = json_incref(item);
        }
        json_array_append_new(items, item);
    }
    json_t *now = json_null();
    if (view->clock) {
        json_t *row = store_result_row_json(view->clock, 0);
        now = json_incref(json_object_get(row, "now"));
        json_decref(row);
    }
    return json_pack("{s:I, s:o, s:o, s:o, s:I, s:o, s:b, s:o}", "meeting_id", (json_int_t)meeting_id, "items", items,
                     "speaking", speaking, "next", next, "waiting", (json_int_t)waiting, "mine", mine,
                     "remote_deliberation", view->remote_deliberation, "now", now ? now : json_null());
}

void speakers_list(http_request *request)
{
    const auth_principal *who = http_request_principal(request);
    speakers_view view;
    long long meeting_id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    if (service_speakers_list(http_request_db(request), who, meeting_id, &view, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *body = speakers_list_json(who, meeting_id, &view);
    service_speakers_view_free(&view);
    http_reply_json(request, 200, body);
}

/* The chair gives the floor (start) or ends it (finish); the answer is the request's row. */
static void speakers_transition(http_request *request, int starting)
{
    audit_actor actor = http_request_actor(request);
    store_result *item = NULL;
    long long id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    if (service_speakers_transition(http_request_db(request), &actor, id, starting, &item, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *body = item ? store_result_row_json(item, 0) : json_pack("{s:I}", "id", (json_int_t)id);
    store_result_free(item);
    http_reply_json(request, 200, body);
}

void speakers_start(http_request *request) { speakers_transition(request, 1); }
void speakers_finish(http_request *request) { speakers_transition(request, 0); }

void speakers_withdraw(http_request *request)
{
    audit_actor actor = http_request_actor(request);
    long long id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    if (service_speakers_withdraw(http_request_db(request), http_request_principal(request), &actor, id, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_empty(request, 204);
}

/* ---------------------------------------------------------------- contributions */

void contributions_create(http_request *request)
{
    audit_actor actor = http_request_actor(request);
    json_t *body = http_request_json(request);
    const char *text = NULL;
    char channel[8] = "";
    long long meeting_id = 0, id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    if (input_string(body, "text", 1, CONTRIBUTIONS_TEXT_MAX, &text, &err) != 0 ||
        service_contributions_create(http_request_db(request), http_request_app(request), http_request_principal(request),
                                     &actor, meeting_id, text,
                                     (long long)json_string_length(json_object_get(body, "text")), &id, channel,
                                     &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 201, json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "state", "new", "channel", channel));
}

void contributions_list(http_request *request)
{
    store_result *rows = NULL;
    long long meeting_id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    if (service_contributions_list(http_request_db(request), http_request_principal(request), meeting_id, &rows,
                                   &err) != 0) {
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
    static const char *const decisions[] = {"read_out", "not_read_out", NULL};
    audit_actor actor = http_request_actor(request);
    json_t *body = http_request_json(request);
    store_result *item = NULL;
    const char *decision = NULL;
    long long id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    if (input_choice(body, "decision", 1, decisions, &decision, &err) != 0 ||
        service_contributions_moderate(http_request_db(request), http_request_principal(request), &actor, id, decision,
                                       &item, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *body_out = store_result_row_json(item, 0);
    store_result_free(item);
    http_reply_json(request, 200, body_out);
}
