/* Health check and staff sessions: password login (argon2id on a worker thread,
 * throttled per (account, client) pair: include/alvd/http/throttle.h) with its second
 * factor, whoami, and logout that kills the session. */
#include "alvd/api/session.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "alvd/crypto/audit.h"
#include "alvd/crypto/password.h"
#include "alvd/http/input.h"
#include "alvd/http/throttle.h"
#include "alvd/store/db.h"

void health_get(http_request *request)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_conn *conn = store_pool_acquire(http_request_app(request)->pool, &err);
    store_result *rows = NULL;
    int ok = conn && store_query(conn, &err, &rows, "SELECT 1", STORE_NO_PARAMS) == 0;
    store_result_free(rows);
    /* A Galera node that is joining, donating or cut off from the primary component
     * answers some queries but must not take traffic: a load balancer asks here. */
    int galera = ok && store_is_galera(conn);
    if (galera)
        ok = store_node_synced(conn, &err) == 0;
    store_pool_release(http_request_app(request)->pool, conn);
    if (!ok) {
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

static json_t *session_roles_json(unsigned roles)
{
    json_t *list = json_array();
    for (unsigned bit = AUTH_ADMIN; bit <= AUTH_MELDPUNT; bit <<= 1)
        if (roles & bit)
            json_array_append_new(list, json_string(auth_role_name(bit)));
    return list;
}

void session_reply_new(http_request *request, const char *token, const char *csrf, json_t *who)
{
    json_t *body = json_pack("{s:s, s:s}", "token", token, "csrf", csrf);
    json_object_update(body, who);
    json_decref(who);
    http_reply_json(request, 200, body);
    http_reply_cookie(request, http_session_cookie_name(http_request_app(request)), token,
                      AUTH_SESSION_ABSOLUTE_SECONDS);
}

static void session_lowercase(char *text)
{
    for (; *text; text++)
        *text = (char)tolower((unsigned char)*text);
}

void session_create(http_request *request)
{
    static const char *const fields[] = {"email", "password", "totp", NULL};
    json_t *body = http_request_json(request);
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    const char *email_given = NULL, *password = NULL, *totp = NULL;
    char email[254 * 4 + 1]; /* 254 characters of up to 4 bytes in UTF-8 */
    alvd_err err;
    alvd_err_clear(&err);
    if (input_only(body, fields, &err) != 0 ||
        input_string(body, "email", 1, 254, &email_given, &err) != 0 ||
        input_string(body, "password", 1, 1024, &password, &err) != 0 ||
        input_string(body, "totp", 0, 64, &totp, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    snprintf(email, sizeof email, "%s", email_given);
    session_lowercase(email);
    throttle_login attempt;
    if (throttle_login_check(request, email, &attempt, &err) != 0) {
        throttle_reply_refusal(request, &attempt, &err);
        return;
    }
    if (store_query(conn, &err, &rows,
                    "SELECT id, name, email, password_hash, roles FROM users"
                    " WHERE email = ? AND disabled_at IS NULL",
                    STORE_PARAMS(STORE_TEXT_PARAM(email))) != 0) {
        http_reply_err(request, &err);
        return;
    }
    int found = store_result_rows(rows) == 1;
    const char *hash = found ? store_result_text(rows, 0, 3) : NULL;
    if (!password_verify(hash, password)) {
        audit_actor actor = {"anonymous", 0, email};
        alvd_err ignored;
        if (throttle_login_failed(request, &attempt, &err) != 0) {
            http_reply_err(request, &err);
        } else {
            audit_append(conn, &ignored, &actor, "session.login_failed", "user",
                         found ? store_result_int(rows, 0, 0) : 0, NULL);
            http_reply_error(request, 401, "wrong_credentials", NULL,
                             "Het e-mailadres of het wachtwoord klopt niet.");
        }
        store_result_free(rows);
        return;
    }
    long long user_id = store_result_int(rows, 0, 0);
    unsigned roles = auth_roles_parse(store_result_text(rows, 0, 4));
    session_factor factor;
    if (session_factor_check(http_request_app(request), conn, user_id, roles, totp, &factor, &err) != 0) {
        /* A wrong second factor counts as a failed login; asking for it does not. */
        if (err.status == 401 && strcmp(err.code, "totp_required") != 0) {
            audit_actor actor = {"anonymous", 0, email};
            alvd_err ignored;
            alvd_err_clear(&ignored);
            throttle_login_failed(request, &attempt, &ignored);
            json_t *details = json_pack("{s:s}", "code", err.code);
            audit_append(conn, &ignored, &actor, "session.totp_failed", "user", user_id, details);
            json_decref(details);
        }
        store_result_free(rows);
        http_reply_err(request, &err);
        return;
    }
    if (password_needs_rehash(hash)) {
        char fresh[PASSWORD_HASH_SIZE];
        if (password_hash(password, fresh, &err) == 0)
            store_execute(conn, &err, NULL, "UPDATE users SET password_hash = ? WHERE id = ?",
                          STORE_PARAMS(STORE_TEXT_PARAM(fresh), STORE_INT_PARAM(user_id)));
    }
    char token[TOKEN_TEXT_SIZE], csrf[TOKEN_TEXT_SIZE];
    auth_session_subject subject = {.kind = AUTH_KIND_USER, .user_id = user_id, .second_factor = factor.kind};
    audit_actor actor = {"user", user_id, store_result_text(rows, 0, 2)};
    json_t *details = json_pack("{s:s}", "second_factor", factor.kind);
    int logged_in = store_begin(conn, &err) == 0 && session_factor_consume(conn, &factor, &err) == 0 &&
                    auth_session_create(conn, &subject, token, csrf, &err) == 0 &&
                    audit_append(conn, &err, &actor, "session.login", "user", user_id, details) == 0 &&
                    store_commit(conn, &err) == 0;
    json_decref(details);
    json_t *second_factor = logged_in ? session_factor_json(http_request_app(request), conn, user_id, roles,
                                                            factor.kind, &err)
                                      : NULL;
    if (second_factor == NULL) {
        store_result_free(rows);
        http_reply_err(request, &err);
        return;
    }
    /* A session that may only enrol has no roles to show yet. */
    int enrolling = strcmp(factor.kind, "enrolment") == 0;
    json_t *user = json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)user_id, "name",
                             store_result_text(rows, 0, 1), "email", store_result_text(rows, 0, 2),
                             "roles", session_roles_json(enrolling ? 0 : roles));
    store_result_free(rows);
    session_reply_new(request, token, csrf, json_pack("{s:o, s:o}", "user", user, "second_factor", second_factor));
    throttle_login_succeeded(request, email);
}

void session_get(http_request *request)
{
    const auth_principal *who = http_request_principal(request);
    json_t *body = json_pack("{s:s, s:s}", "csrf", who->csrf, "kind",
                             who->kind == AUTH_KIND_USER     ? "user"
                             : who->kind == AUTH_KIND_MEMBER ? "member"
                                                             : "contact");
    alvd_err err;
    alvd_err_clear(&err);
    store_result *rows = NULL;
    if (who->kind == AUTH_KIND_USER) {
        json_t *second_factor = session_factor_json(http_request_app(request), http_request_db(request),
                                                    who->user_id, who->user_roles, who->second_factor, &err);
        if (second_factor == NULL) {
            json_decref(body);
            http_reply_err(request, &err);
            return;
        }
        json_object_set_new(body, "user",
                            json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)who->user_id, "name",
                                      who->name, "email", who->email, "roles",
                                      session_roles_json(who->roles)));
        json_object_set_new(body, "second_factor", second_factor);
    } else {
        if (store_query(http_request_db(request), &err, &rows, "SELECT name FROM organisations WHERE id = ?",
                        STORE_PARAMS(STORE_INT_PARAM(who->organisation_id))) != 0) {
            json_decref(body);
            http_reply_err(request, &err);
            return;
        }
        const char *name = store_result_rows(rows) ? store_result_text(rows, 0, 0) : "";
        if (who->kind == AUTH_KIND_MEMBER) {
            json_object_set_new(body, "member", json_pack("{s:I, s:s}", "organisation_id",
                                                          (json_int_t)who->organisation_id, "name", name));
            json_object_set_new(body, "meeting_id", json_integer(who->meeting_id));
        } else {
            json_object_set_new(body, "contact",
                                json_pack("{s:I, s:I, s:s}", "id", (json_int_t)who->contact_id,
                                          "organisation_id", (json_int_t)who->organisation_id,
                                          "name", name));
        }
        store_result_free(rows);
    }
    http_reply_json(request, 200, body);
}

void session_delete(http_request *request)
{
    const auth_principal *who = http_request_principal(request);
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = auth_actor(who);
    store_conn *conn = http_request_db(request);
    if (store_begin(conn, &err) != 0 || auth_session_revoke(conn, who->session_id, &err) != 0 ||
        audit_append(conn, &err, &actor, "session.logout", "session", who->session_id, NULL) != 0 ||
        store_commit(conn, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_empty(request, 204);
    /* The cookie that login set: same name and attributes, so the browser drops it. */
    http_reply_cookie(request, http_session_cookie_name(http_request_app(request)), "", 0);
}
