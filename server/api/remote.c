/* Remote participation over HTTP (BW 2:38a): the code request, join, leave and the
 * heartbeat of a member's page: parse, one service call, render. Flows: service/remote.c. */
#include "alvd/api/remote.h"

#include "alvd/http/auth.h"
#include "alvd/http/input.h"

static json_t *remote_status_json(const remote_status *status)
{
    return json_pack("{s:b, s:o, s:i, s:i, s:o}", "present", status->present, "channel",
                     status->present ? json_string(status->channel) : json_null(), "disconnect_after_seconds",
                     status->disconnect_after_seconds, "heartbeat_seconds", REMOTE_HEARTBEAT_SECONDS, "stream_url",
                     status->stream_url[0] ? json_string(status->stream_url) : json_null());
}

void remote_code_request(http_request *request)
{
    audit_actor actor = http_request_actor(request);
    long long meeting_id = 0;
    char masked[300];
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    if (service_remote_code_request(http_request_db(request), http_request_app(request),
                                    http_request_principal(request), &actor, meeting_id, masked, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 202,
                    json_pack("{s:s, s:i, s:s}", "sent_to", masked, "valid_seconds", REMOTE_CODE_SECONDS, "message",
                              "De code is onderweg naar het geregistreerde e-mailadres van uw organisatie."));
}

void remote_join(http_request *request)
{
    audit_actor actor = http_request_actor(request);
    json_t *body = http_request_json(request);
    const char *given = NULL;
    long long meeting_id = 0;
    remote_status status;
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    if (input_string(body, "code", 1, 32, &given, &err) != 0 ||
        service_remote_join(http_request_db(request), http_request_app(request), http_request_principal(request),
                            &actor, meeting_id, given, &status, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *reply = remote_status_json(&status);
    json_object_set_new(reply, "ended_hall", json_boolean(status.ended_hall));
    http_reply_json(request, 200, reply);
}

void remote_leave(http_request *request)
{
    audit_actor actor = http_request_actor(request);
    long long meeting_id = 0;
    remote_status status;
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    if (service_remote_leave(http_request_db(request), http_request_principal(request), &actor, meeting_id, &status,
                             &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *reply = remote_status_json(&status);
    json_object_set_new(reply, "left", json_boolean(status.left));
    http_reply_json(request, 200, reply);
}

void remote_heartbeat(http_request *request)
{
    audit_actor actor = http_request_actor(request);
    long long meeting_id = 0;
    remote_status status;
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    if (service_remote_heartbeat(http_request_db(request), http_request_app(request), http_request_principal(request),
                                 &actor, meeting_id, &status, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *reply = remote_status_json(&status);
    json_object_set_new(reply, "reconnected", json_boolean(status.reconnected));
    http_reply_json(request, 200, reply);
}
