/* Meetings: settings (create, update), list and view, open and close, and the
 * convocation: each handler parses, calls one service function and renders. */
#include "alvd/api/meetings.h"

#include <stdio.h>
#include <string.h>

#include "alvd/http/input.h"
#include "alvd/rules/deadlines.h"
#include "alvd/rules/majority.h"
#include "alvd/service/meetings.h"

#define MEETINGS_MAX_PROXIES_LIMIT 10
#define MEETINGS_REMOTE_DISCONNECT_DEFAULT 180  /* seconds: issue 18's default of 3 minutes */

/* 1 when text is a wall-clock time "HH:MM". */
static int meetings_time_valid(const char *text)
{
    return text && strlen(text) == 5 && text[0] >= '0' && text[0] <= '2' && text[1] >= '0' && text[1] <= '9' &&
           text[2] == ':' && text[3] >= '0' && text[3] <= '5' && text[4] >= '0' && text[4] <= '9' &&
           (text[0] < '2' || text[1] <= '3');
}

/* ---------------------------------------------------------------- settings */

/* The stream link is shown on members' pages and in the convocation: an absolute
 * http(s) URL without spaces or quotes, so it can never smuggle markup or a script. */
static int meetings_stream_url_valid(const char *url)
{
    size_t length = strlen(url);
    if (!((length > 8 && strncmp(url, "https://", 8) == 0) || (length > 7 && strncmp(url, "http://", 7) == 0)))
        return 0;
    for (const unsigned char *p = (const unsigned char *)url; *p; p++)
        if (*p <= 0x20 || *p >= 0x7F || *p == '"' || *p == '\'' || *p == '<' || *p == '>' || *p == '\\')
            return 0;
    return 1;
}

/* The settings of electronic participation: absent keeps, null clears a text. */
static int meetings_remote_settings_parse(json_t *body, meeting_settings *settings, alvd_err *err)
{
    const char *value = NULL;
    int present = 0;
    long long number = 0;
    if (json_object_get(body, "electronic_participation") &&
        input_boolean(body, "electronic_participation", settings->electronic_participation,
                      &settings->electronic_participation, err) != 0)
        return -1;
    if (json_object_get(body, "remote_deliberation") &&
        input_boolean(body, "remote_deliberation", settings->remote_deliberation, &settings->remote_deliberation,
                      err) != 0)
        return -1;
    if (input_integer(body, "remote_disconnect_seconds", 0, 30, 3600, &number, &present, err) != 0)
        return -1;
    if (present)
        settings->remote_disconnect_seconds = number;
    if (json_is_null(json_object_get(body, "stream_url"))) {
        settings->stream_url = NULL;
    } else {
        if (input_string(body, "stream_url", 0, 500, &value, err) != 0)
            return -1;
        if (value && *value == '\0')
            settings->stream_url = NULL;
        else if (value && !meetings_stream_url_valid(value))
            return alvd_err_set(err, 400, "bad_url", "stream_url",
                                "De link naar de uitzending moet een volledige http(s)-link zijn, bijvoorbeeld "
                                "https://vergadering.ksf.nl/alv.");
        else if (value)
            settings->stream_url = value;
    }
    if (json_is_null(json_object_get(body, "remote_conditions"))) {
        settings->remote_conditions = NULL;
    } else {
        if (input_string(body, "remote_conditions", 0, 2000, &value, err) != 0)
            return -1;
        if (value)
            settings->remote_conditions = *value ? value : NULL;
    }
    return 0;
}

static int meetings_settings_parse(json_t *body, int creating, meeting_settings *settings, alvd_err *err)
{
    static const char *const fields[] = {"title", "date", "starts_at", "location", "majority_rule",
                                         "proxies_allowed", "max_proxies", "notice_days",
                                         "electronic_participation", "remote_deliberation", "stream_url",
                                         "remote_disconnect_seconds", "remote_conditions", NULL};
    const char *rule = NULL;
    rules_majority_rule parsed;
    if (input_only(body, fields, err) != 0)
        return -1;
    const char *value = NULL;
    if (input_line(body, "title", creating, 200, &value, err) != 0)
        return -1;
    if (value)
        settings->title = value;
    if (input_date(body, "date", creating, &value, err) != 0)
        return -1;
    if (value)
        settings->date = value;
    if (input_string(body, "starts_at", creating, 5, &value, err) != 0)
        return -1;
    if (value) {
        if (!meetings_time_valid(value))
            return alvd_err_set(err, 400, "bad_time", "starts_at", "Begintijd moet UU:MM zijn, bijvoorbeeld 19:30.");
        settings->starts_at = value;
    }
    if (input_line(body, "location", creating, 300, &value, err) != 0)
        return -1;
    if (value)
        settings->location = value;
    if (input_string(body, "majority_rule", 0, 32, &rule, err) != 0)
        return -1;
    if (rule) {
        if (rules_majority_rule_parse(rule, &parsed, err) != 0)
            return -1;
        settings->majority_rule = rules_majority_rule_name(parsed);
    }
    if (json_object_get(body, "proxies_allowed") &&
        input_boolean(body, "proxies_allowed", settings->proxies_allowed, &settings->proxies_allowed, err) != 0)
        return -1;
    int present = 0;
    long long number = 0;
    if (input_integer(body, "max_proxies", 0, 1, MEETINGS_MAX_PROXIES_LIMIT, &number, &present, err) != 0)
        return -1;
    if (present)
        settings->max_proxies = number;
    if (input_integer(body, "notice_days", 0, 1, 365, &number, &present, err) != 0)
        return -1;
    if (present)
        settings->notice_days = number;
    return meetings_remote_settings_parse(body, settings, err);
}

void meetings_create(http_request *request)
{
    audit_actor actor = http_request_actor(request);
    meeting_settings settings = {.majority_rule = "more_than_half", .notice_days = RULES_NOTICE_DAYS_DEFAULT,
                                 .max_proxies = 1, .remote_deliberation = 1,
                                 .remote_disconnect_seconds = MEETINGS_REMOTE_DISCONNECT_DEFAULT};
    json_t *meeting = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (meetings_settings_parse(http_request_json(request), 1, &settings, &err) != 0 ||
        service_meetings_create(http_request_db(request), http_request_app(request), &actor,
                                http_request_principal(request)->user_id, &settings, &meeting, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 201, meeting);
}

void meetings_list(http_request *request)
{
    json_t *items = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (service_meetings_list(http_request_db(request), &items, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, json_pack("{s:o}", "items", items));
}

void meetings_get(http_request *request)
{
    long long meeting_id = 0;
    json_t *body = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    if (service_meetings_get(http_request_db(request), http_request_principal(request), meeting_id, &body, &err) !=
        0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, body);
}

/* The update's body applied to the settings the service read under lock. */
static int meetings_update_apply(void *context, meeting_settings *settings, alvd_err *err)
{
    return meetings_settings_parse(context, 0, settings, err);
}

void meetings_update(http_request *request)
{
    audit_actor actor = http_request_actor(request);
    long long meeting_id = 0;
    json_t *meeting = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    if (service_meetings_update(http_request_db(request), &actor, meeting_id, meetings_update_apply,
                                http_request_json(request), http_request_json(request), &meeting, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, meeting);
}

/* ---------------------------------------------------------------- open and close */

static void meetings_transition(http_request *request, int closing)
{
    audit_actor actor = http_request_actor(request);
    long long meeting_id = 0, checked_out = 0;
    service_meetings_other_day other_day;
    json_t *meeting = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    if (service_meetings_transition(http_request_db(request), http_request_app(request), &actor, meeting_id, closing,
                                    &meeting, &checked_out, &other_day, &err) != 0) {
        if (strcmp(err.code, "not_meeting_day") == 0)
            http_reply_json(request, 409,
                            json_pack("{s:s, s:s, s:s, s:s}", "error", err.message, "code", "not_meeting_day",
                                      "meeting_date", other_day.meeting_date, "today", other_day.today));
        else
            http_reply_err(request, &err);
        return;
    }
    if (closing)
        json_object_set_new(meeting, "checked_out", json_integer(checked_out));
    http_reply_json(request, 200, meeting);
}

void meetings_open(http_request *request) { meetings_transition(request, 0); }
void meetings_close(http_request *request) { meetings_transition(request, 1); }

/* ---------------------------------------------------------------- convocation */

void meetings_convocation(http_request *request)
{
    audit_actor actor = http_request_actor(request);
    long long meeting_id = 0;
    service_meetings_convened convened;
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    if (service_meetings_convocation(http_request_db(request), http_request_app(request), &actor,
                                     http_request_principal(request)->user_id, meeting_id, &convened, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    char latest[RULES_DATE_TEXT_SIZE];
    json_t *warnings = json_array();
    if (!convened.notice.sufficient)
        json_array_append_new(warnings, json_string(convened.notice.warning));
    http_reply_json(request, 200,
                    json_pack("{s:I, s:I, s:{s:b, s:i, s:s}, s:o}", "messages", (json_int_t)convened.messages,
                              "tickets_issued", (json_int_t)convened.tickets_issued, "notice", "sufficient",
                              convened.notice.sufficient, "days_given", (int)convened.notice.days_given,
                              "latest_send", rules_date_format(convened.notice.latest_send, latest), "warnings",
                              warnings));
}
