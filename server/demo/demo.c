/* `alvd demo`: staff accounts first, then each feature's demo section in the order of
 * their dependencies. Every section is idempotent so scripts/run can run it each time. */
#include "alvd/demo/demo.h"

#include <string.h>

#include <sodium.h>

#include "alvd/crypto/audit.h"
#include "alvd/crypto/password.h"
#include "alvd/crypto/totp.h"
#include "alvd/http/auth.h"
#include "alvd/rules/member_import.h"
#include "alvd/service/totp.h"
#include "alvd/store/db.h"
#include "alvd/store/users.h"

int demo_user_upsert(store_conn *conn, const char *email, const char *name, const char *roles,
                     const char *password, long long *user_id, alvd_err *err)
{
    char hash[PASSWORD_HASH_SIZE];
    for (const char *p = roles; *p;) {
        char role[32];
        size_t length = strcspn(p, ",");
        if (length == 0 || length >= sizeof role)
            return alvd_err_set(err, 422, "bad_role", "role", "Onbekende rol in '%s'.", roles);
        memcpy(role, p, length);
        role[length] = '\0';
        if (!(auth_role_bit(role) & AUTH_STAFF))
            return alvd_err_set(err, 422, "bad_role", "role",
                                "Onbekende rol '%s' (admin, board, chair, secretariat, meldpunt).", role);
        p += length + (p[length] == ',');
    }
    if (!rules_member_email_is_valid(email))
        return alvd_err_set(err, 422, "bad_email", "email",
                            "'%s' is not an address mail can be sent to (ASCII, name@domain.example).", email);
    for (const char *p = name; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F)
            return alvd_err_set(err, 422, "line_break", "name", "A name is one line of text.");
    if (password_hash(password, hash, err) != 0)
        return -1;
    audit_actor system = {"system", 0, "alvd"};
    if (store_begin(conn, err) != 0 || store_users_upsert(conn, email, name, hash, roles, user_id, err) != 0)
        goto fail;
    json_t *details = json_pack("{s:s, s:s}", "email", email, "roles", roles);
    int rc = audit_append(conn, err, &system, "user.upsert", "user", *user_id, details);
    json_decref(details);
    if (rc != 0 || store_commit(conn, err) != 0)
        goto fail;
    return 0;
fail:
    store_rollback(conn);
    return -1;
}

/* totp: a fixed, published demo secret (base32) for the users whose role needs a second
 * factor by default, so a newcomer can compute codes with oathtool or an app. */
static const struct {
    const char *email, *name, *roles, *password, *totp;
} demo_users[] = {
    {"admin@ksf.example", "Anna Admin", "admin", "demo-admin-2026", "KSFALVDDEMOADMINTWEESTAPSCODEAAA"},
    {"bestuur@ksf.example", "Bram Bestuur", "board", "demo-bestuur-2026", NULL},
    {"voorzitter@ksf.example", "Vera Voorzitter", "chair,board", "demo-voorzitter-2026", NULL},
    {"secretariaat@ksf.example", "Sanne Secretariaat", "secretariat", "demo-secretariaat-2026", NULL},
    {"meldpunt@ksf.example", "Mo Meldpunt", "meldpunt", "demo-meldpunt-2026", "KSFALVDDEMOMELDPUNTTWEESTAPSAAAA"},
    /* A second officer: releasing a reporter's identity needs one (issue 15). */
    {"meldpunt2@ksf.example", "Noor Meldpunt", "meldpunt", "demo-meldpunt2-2026", "KSFALVDDEMOMELDPUNTTWEEDESTAPAAA"},
};

/* Enrol the demo secret of a user (idempotent) and say how to get a code. */
static int demo_user_totp(const alvd_app *app, store_conn *conn, long long user_id, const char *email,
                          const char *secret_text, FILE *report, alvd_err *err)
{
    unsigned char secret[TOTP_SECRET_BYTES];
    size_t length = 0;
    if (totp_base32_decode(secret_text, secret, sizeof secret, &length) != 0 || length != sizeof secret)
        return alvd_err_set(err, 500, "bad_demo_secret", NULL, "Demo TOTP secret of %s is not 20 bytes.", email);
    int rc = service_totp_set(app, conn, user_id, secret, err);
    sodium_memzero(secret, sizeof secret);
    if (rc == 0)
        fprintf(report, "  %-28s secret %s   code: oathtool --totp -b %s\n", email, secret_text, secret_text);
    return rc;
}

int demo_load(const alvd_app *app, FILE *report, alvd_err *err)
{
    store_conn *conn = store_pool_acquire(app->pool, err);
    if (conn == NULL)
        return -1;
    int rc = -1;
    long long ids[sizeof demo_users / sizeof demo_users[0]];
    fprintf(report, "Demo logins (e-mail / password):\n");
    for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++) {
        if (demo_user_upsert(conn, demo_users[i].email, demo_users[i].name, demo_users[i].roles,
                             demo_users[i].password, &ids[i], err) != 0)
            goto fail;
        fprintf(report, "  %-13s %-28s %s%s\n", demo_users[i].roles, demo_users[i].email,
                demo_users[i].password, demo_users[i].totp ? "   + code (below)" : "");
    }
    fprintf(report, "Second factor (TOTP: 6 digits, new every 30 s) for roles %s; the login page asks for\n"
                    "the code. Add the secret to an authenticator app, or compute the code (apt-get install oathtool):\n",
            app->config.totp_roles[0] ? app->config.totp_roles : "(none: ALVD_TOTP_ROLES=none)");
    for (size_t i = 0; i < sizeof demo_users / sizeof demo_users[0]; i++)
        if (demo_users[i].totp &&
            demo_user_totp(app, conn, ids[i], demo_users[i].email, demo_users[i].totp, report, err) != 0)
            goto fail;
    fprintf(report, "  (each code is accepted once; the same code twice is refused: wait for the next)\n");
    /* Feature sections follow here, in dependency order (register, cycle, meeting…). */
    if (demo_register_load(conn, report, err) != 0)
        goto fail;
    if (demo_cycles_load(conn, report, err) != 0)
        goto fail;
    if (demo_meetings_load(app, conn, report, err) != 0)
        goto fail;
    if (demo_meldpunt_load(app, conn, report, err) != 0)
        goto fail;
    if (demo_withdrawals_load(conn, report, err) != 0)
        goto fail;
    rc = 0;
fail:
    store_pool_release(app->pool, conn);
    return rc;
}
