/* Health check and staff sessions: password login (argon2id on a worker thread,
 * throttled per (account, client) pair: include/alvd/http/throttle.h) with its second
 * factor, whoami, and logout that kills the session. */
#include "alvd/api/session.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "alvd/http/input.h"
#include "alvd/http/throttle.h"
#include "alvd/service/session.h"

void health_get(http_request *request)
{
    alvd_err err;
    alvd_err_clear(&err);
    if (service_session_health(http_request_app(request)->pool, &err) != 0) {
        int not_synced = strcmp(err.code, "database_not_synced") == 0;
        http_reply_json(request, 503,
                        json_pack("{s:s, s:s, s:s, s:s, s:s}", "status", "unavailable", "db",
                                  not_synced ? "not_synced" : "unavailable", "version", ALVD_VERSION, "error",
                                  not_synced ? err.message : "De database is tijdelijk niet bereikbaar.", "code",
                                  not_synced ? "database_not_synced" : "database_unavailable"));
        http_reply_header(request, "Retry-After", "5");
        return;
    }
    http_reply_json(request, 200,
                    json_pack("{s:s, s:s, s:s}", "status", "ok", "db", "ok", "version", ALVD_VERSION));
}

static void session_lowercase(char *text)
{
    for (; *text; text++)
        *text = (char)tolower((unsigned char)*text);
}

/* The throttle counts a failed attempt of this request's (account, client) pair. */
typedef struct session_attempt {
    http_request *request;
    throttle_login throttle;
} session_attempt;

static int session_attempt_failed(void *context, alvd_err *err)
{
    session_attempt *attempt = context;
    return throttle_login_failed(attempt->request, &attempt->throttle, err);
}

void session_create(http_request *request)
{
    json_t *body = http_request_json(request);
    const char *email_given = NULL, *password = NULL, *totp = NULL;
    char email[254 * 4 + 1]; /* 254 characters of up to 4 bytes in UTF-8 */
    alvd_err err;
    alvd_err_clear(&err);
    if (input_string(body, "email", 1, 254, &email_given, &err) != 0 ||
        input_string(body, "password", 1, 1024, &password, &err) != 0 ||
        input_string(body, "totp", 0, 64, &totp, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    snprintf(email, sizeof email, "%s", email_given);
    session_lowercase(email);
    session_attempt attempt = {.request = request};
    if (throttle_login_check(request, email, &attempt.throttle, &err) != 0) {
        throttle_reply_refusal(request, &attempt.throttle, &err);
        return;
    }
    service_session_login_input input = {email, password, totp};
    service_session_failure_hook on_failure = {session_attempt_failed, &attempt};
    service_session_opened opened;
    if (service_session_login(http_request_app(request), http_request_db(request), &input, &on_failure, &opened,
                              &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    auth_reply_new_session(request, opened.token, opened.csrf, service_session_user_json(&opened));
    throttle_login_succeeded(request, email);
}

void session_get(http_request *request)
{
    const auth_principal *who = http_request_principal(request);
    service_session_whoami whoami;
    alvd_err err;
    alvd_err_clear(&err);
    if (service_session_whoami_read(http_request_app(request), http_request_db(request), who, &whoami, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *body = json_pack("{s:s, s:s}", "csrf", who->csrf, "kind",
                             who->kind == AUTH_KIND_USER     ? "user"
                             : who->kind == AUTH_KIND_MEMBER ? "member"
                                                             : "contact");
    if (who->kind == AUTH_KIND_USER) {
        json_object_set_new(body, "user",
                            json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)who->user_id, "name",
                                      who->name, "email", who->email, "roles",
                                      service_session_roles_json(who->roles)));
        json_object_set_new(body, "second_factor", service_totp_status_json(&whoami.factor));
    } else if (who->kind == AUTH_KIND_MEMBER) {
        json_object_set_new(body, "member", json_pack("{s:I, s:s}", "organisation_id",
                                                      (json_int_t)who->organisation_id, "name",
                                                      whoami.organisation_name));
        json_object_set_new(body, "meeting_id", json_integer(who->meeting_id));
    } else {
        json_object_set_new(body, "contact",
                            json_pack("{s:I, s:I, s:s}", "id", (json_int_t)who->contact_id, "organisation_id",
                                      (json_int_t)who->organisation_id, "name", whoami.organisation_name));
    }
    http_reply_json(request, 200, body);
}

void session_delete(http_request *request)
{
    alvd_err err;
    alvd_err_clear(&err);
    if (service_session_logout(http_request_db(request), http_request_principal(request), &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_empty(request, 204);
    /* The cookie that login set: same name and attributes, so the browser drops it. */
    http_reply_cookie(request, http_session_cookie_name(http_request_app(request)), "", 0);
}
