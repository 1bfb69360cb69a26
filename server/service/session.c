/* Staff sessions: the password login (argon2id, the same work for unknown addresses) with
 * its second factor inside one transaction, whoami, logout, and the health check. */
#include "alvd/service/session.h"

#include <stdio.h>
#include <string.h>

#include "alvd/crypto/audit.h"
#include "alvd/crypto/password.h"
#include "alvd/store/health.h"
#include "alvd/store/sessions.h"
#include "alvd/store/users.h"
#include "alvd/store/organisations.h"

json_t *service_session_roles_json(unsigned roles)
{
    json_t *list = json_array();
    for (unsigned bit = AUTH_ADMIN; bit <= AUTH_MELDPUNT; bit <<= 1)
        if (roles & bit)
            json_array_append_new(list, json_string(auth_role_name(bit)));
    return list;
}

json_t *service_session_user_json(const service_session_opened *opened)
{
    /* A session that may only enrol has no roles to show yet. */
    int enrolling = strcmp(opened->factor_kind, "enrolment") == 0;
    json_t *user = json_pack("{s:I, s:s, s:s, s:o}", "id", (json_int_t)opened->user.id, "name", opened->user.name,
                             "email", opened->user.email, "roles",
                             service_session_roles_json(enrolling ? 0 : opened->user.roles));
    return json_pack("{s:o, s:o}", "user", user, "second_factor", service_totp_status_json(&opened->factor));
}

/* A wrong password or an unknown address: counted, then audited, then one answer for both. */
static int session_login_refused(store_conn *conn, const char *email, const store_user *user, int found,
                                 const service_session_failure_hook *on_failure, alvd_err *err)
{
    audit_actor actor = {"anonymous", 0, email};
    alvd_err ignored;
    alvd_err_clear(&ignored);
    if (on_failure->record(on_failure->context, err) != 0)
        return -1;
    audit_append(conn, &ignored, &actor, "session.login_failed", "user", found ? user->id : 0, NULL);
    return alvd_err_set(err, 401, "wrong_credentials", NULL, "Het e-mailadres of het wachtwoord klopt niet.");
}

/* A wrong second factor counts as a failed login; asking for it does not. */
static void session_factor_refused(store_conn *conn, const char *email, long long user_id,
                                   const service_session_failure_hook *on_failure, const alvd_err *err)
{
    if (err->status != 401 || strcmp(err->code, "totp_required") == 0)
        return;
    audit_actor actor = {"anonymous", 0, email};
    alvd_err ignored;
    alvd_err_clear(&ignored);
    on_failure->record(on_failure->context, &ignored);
    json_t *details = json_pack("{s:s}", "code", err->code);
    audit_append(conn, &ignored, &actor, "session.totp_failed", "user", user_id, details);
    json_decref(details);
}

/* The password and factor are right: spend the factor, open the session, audit, commit. */
static int session_login_open(const alvd_app *app, store_conn *conn, const service_totp_factor *factor,
                              service_session_opened *opened, alvd_err *err)
{
    auth_session_subject subject = {.kind = AUTH_KIND_USER, .user_id = opened->user.id, .second_factor = factor->kind};
    audit_actor actor = {"user", opened->user.id, opened->user.email};
    json_t *details = json_pack("{s:s}", "second_factor", factor->kind);
    int logged_in = store_begin(conn, err) == 0 && service_totp_factor_consume(conn, factor, err) == 0 &&
                    auth_session_create(conn, &subject, opened->token, opened->csrf, err) == 0 &&
                    audit_append(conn, err, &actor, "session.login", "user", opened->user.id, details) == 0 &&
                    store_commit(conn, err) == 0;
    json_decref(details);
    if (!logged_in)
        return -1;
    opened->factor_kind = factor->kind;
    return service_totp_status_read(app, conn, opened->user.id, opened->user.roles, factor->kind, &opened->factor,
                                    err);
}

int service_session_login(const alvd_app *app, store_conn *conn, const service_session_login_input *input,
                          const service_session_failure_hook *on_failure, service_session_opened *opened,
                          alvd_err *err)
{
    store_user user;
    service_totp_factor factor;
    int found = 0;
    memset(opened, 0, sizeof *opened);
    if (store_users_find_login(conn, input->email, &user, &found, err) != 0)
        return -1;
    /* An unknown address runs the same argon2id work as a wrong password. */
    const char *hash = found && user.has_password_hash ? user.password_hash : NULL;
    if (!password_verify(hash, input->password))
        return session_login_refused(conn, input->email, &user, found, on_failure, err);
    unsigned roles = auth_roles_parse(user.roles);
    if (service_totp_factor_check(app, conn, user.id, roles, input->totp, &factor, err) != 0) {
        session_factor_refused(conn, input->email, user.id, on_failure, err);
        return -1;
    }
    if (password_needs_rehash(hash)) {
        char fresh[PASSWORD_HASH_SIZE];
        alvd_err ignored;
        alvd_err_clear(&ignored);
        if (password_hash(input->password, fresh, &ignored) == 0)
            store_users_set_password_hash(conn, user.id, fresh, &ignored);
    }
    opened->user.id = user.id;
    snprintf(opened->user.name, sizeof opened->user.name, "%s", user.name);
    snprintf(opened->user.email, sizeof opened->user.email, "%s", user.email);
    opened->user.roles = roles;
    return session_login_open(app, conn, &factor, opened, err);
}

int service_session_whoami_read(const alvd_app *app, store_conn *conn, const auth_principal *who,
                                service_session_whoami *whoami, alvd_err *err)
{
    memset(whoami, 0, sizeof *whoami);
    if (who->kind == AUTH_KIND_USER)
        return service_totp_status_read(app, conn, who->user_id, who->user_roles, who->second_factor,
                                        &whoami->factor, err);
    return store_organisations_name(conn, who->organisation_id, 0, whoami->organisation_name,
                                    sizeof whoami->organisation_name, NULL, err);
}

int service_session_logout(store_conn *conn, const auth_principal *who, alvd_err *err)
{
    audit_actor actor = auth_actor(who);
    if (store_begin(conn, err) != 0 || auth_session_revoke(conn, who->session_id, err) != 0 ||
        audit_append(conn, err, &actor, "session.logout", "session", who->session_id, NULL) != 0 ||
        store_commit(conn, err) != 0)
        return -1;
    return 0;
}

int service_session_health(store_pool *pool, alvd_err *err)
{
    store_conn *conn = store_pool_acquire(pool, err);
    int ok = conn && store_health_ping(conn, err) == 0;
    /* A Galera node that is joining, donating or cut off from the primary component
     * answers some queries but must not take traffic: a load balancer asks here. */
    if (ok && store_is_galera(conn))
        ok = store_node_synced(conn, err) == 0;
    store_pool_release(pool, conn);
    return ok ? 0 : -1;
}
