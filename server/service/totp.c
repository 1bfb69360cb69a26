/* The staff second factor: TOTP enrolment (QR code, confirmation with a first code, ten
 * recovery codes) and the second step of a password login (a code accepted once). */
#include "alvd/service/totp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alvd/crypto/keyfile.h"
#include "alvd/crypto/qr.h"
#include "alvd/crypto/seal.h"
#include "alvd/http/auth.h"
#include "alvd/store/sessions.h"
#include "alvd/store/totp.h"
#include "alvd/store/users.h"

#define TOTP_KEY_FILE "totp.key"
#define TOTP_ISSUER "KSF alvd"
/* Roles that are told (not made) to set up a second factor when the setting leaves them out. */
#define TOTP_ADVISED_ROLES (AUTH_ADMIN | AUTH_MELDPUNT | AUTH_CHAIR)

/* The key that seals TOTP secrets and keys recovery-code hashes; it never enters the
 * database, so a dump alone yields neither codes nor recovery codes. */
static int totp_store_key(const alvd_app *app, unsigned char key[SEAL_KEY_BYTES], alvd_err *err)
{
    return keyfile_load_or_create(app->config.data_dir, TOTP_KEY_FILE, key, SEAL_KEY_BYTES, NULL, NULL, err);
}

unsigned service_totp_required_roles(const alvd_app *app)
{
    return auth_roles_parse(app->config.totp_roles);
}

static void totp_recovery_hash(const unsigned char key[SEAL_KEY_BYTES], long long user_id, const char *code,
                               unsigned char hash[32])
{
    char id[24];
    crypto_generichash_state state;
    snprintf(id, sizeof id, "%lld:", user_id);
    crypto_generichash_init(&state, key, SEAL_KEY_BYTES, 32);
    crypto_generichash_update(&state, (const unsigned char *)id, strlen(id));
    crypto_generichash_update(&state, (const unsigned char *)code, strlen(code));
    crypto_generichash_final(&state, hash, 32);
}

/* Open a sealed secret column value (users.totp_secret or users.totp_pending_secret). */
static int totp_unseal(const unsigned char key[SEAL_KEY_BYTES], const char *column, long long user_id,
                       const store_totp_sealed *sealed, unsigned char secret[TOTP_SECRET_BYTES], alvd_err *err)
{
    char ad[96];
    size_t length = 0;
    unsigned char *plain =
        seal_decrypt(key, seal_ad(ad, sizeof ad, column, user_id), sealed->bytes, sealed->length, &length, err);
    if (plain == NULL || length != TOTP_SECRET_BYTES) {
        free(plain);
        return alvd_err_set(err, 500, "totp_key_mismatch", NULL,
                            "De tweede factor van dit account opent niet met keys/%s; laat de beheerder hem "
                            "opnieuw instellen.",
                            TOTP_KEY_FILE);
    }
    memcpy(secret, plain, TOTP_SECRET_BYTES);
    sodium_memzero(plain, length);
    free(plain);
    return 0;
}

static int totp_seal_into(const unsigned char key[SEAL_KEY_BYTES], const char *column, long long user_id,
                          const unsigned char secret[TOTP_SECRET_BYTES], unsigned char **sealed,
                          size_t *sealed_length, alvd_err *err)
{
    char ad[96];
    *sealed = seal_encrypt(key, seal_ad(ad, sizeof ad, column, user_id), secret, TOTP_SECRET_BYTES, sealed_length);
    return *sealed ? 0 : alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
}

/* ---------------------------------------------------------------- the login step */

/* A recovery code instead of the app's code: single use, looked up by its hash. */
static int totp_factor_recovery(const unsigned char key[SEAL_KEY_BYTES], store_conn *conn, long long user_id,
                                char recovery[TOTP_RECOVERY_TEXT_SIZE], service_totp_factor *factor, alvd_err *err)
{
    totp_recovery_hash(key, user_id, recovery, factor->recovery_hash);
    sodium_memzero(recovery, TOTP_RECOVERY_TEXT_SIZE);
    if (store_totp_recovery_find(conn, user_id, factor->recovery_hash, &factor->recovery_id, err) != 0)
        return -1;
    if (factor->recovery_id == 0)
        return alvd_err_set(err, 401, "recovery_invalid", "totp", "Deze herstelcode klopt niet of is al gebruikt.");
    factor->kind = "recovery";
    return 0;
}

/* The app's code against the secret: once per step, never an older step than the last. */
static int totp_factor_code(const unsigned char key[SEAL_KEY_BYTES], long long user_id,
                            const store_totp_factor *stored, const char *code, service_totp_factor *factor,
                            alvd_err *err)
{
    unsigned char secret[TOTP_SECRET_BYTES];
    int rc = -1;
    if (totp_unseal(key, "users.totp_secret", user_id, &stored->secret, secret, err) != 0)
        goto done;
    switch (totp_verify(secret, TOTP_SECRET_BYTES, code, (int64_t)time(NULL), stored->last_step, &factor->step)) {
    case TOTP_OK:
        factor->kind = "totp";
        rc = 0;
        break;
    case TOTP_REPLAYED:
        alvd_err_set(err, 401, "totp_used", "totp",
                     "Deze code is al gebruikt. Wacht tot de app een nieuwe code toont.");
        break;
    case TOTP_MALFORMED:
        alvd_err_set(err, 401, "totp_invalid", "totp",
                     "De code bestaat uit 6 cijfers, of gebruik een herstelcode (12 tekens).");
        break;
    case TOTP_WRONG:
        alvd_err_set(err, 401, "totp_invalid", "totp",
                     "De code klopt niet. Typ de code die nu in de app staat; staat de klok van de telefoon goed?");
        break;
    }
done:
    sodium_memzero(secret, sizeof secret);
    return rc;
}

int service_totp_factor_check(const alvd_app *app, store_conn *conn, long long user_id, unsigned roles,
                              const char *code, service_totp_factor *factor, alvd_err *err)
{
    unsigned char key[SEAL_KEY_BYTES];
    store_totp_factor stored;
    char recovery[TOTP_RECOVERY_TEXT_SIZE];
    int rc = -1;
    memset(factor, 0, sizeof *factor);
    factor->user_id = user_id;
    if (store_totp_factor_load(conn, user_id, &stored, err) != 0)
        return -1;
    if (!stored.enrolled) {
        /* Not enrolled: a required role may only enrol; any other logs in with the password. */
        factor->kind = (roles & service_totp_required_roles(app)) ? "enrolment" : "password";
        return 0;
    }
    if (code == NULL || *code == '\0') {
        alvd_err_set(err, 401, "totp_required", "totp", "Vul de code van 6 cijfers uit de authenticator-app in.");
        goto done;
    }
    if (totp_store_key(app, key, err) != 0)
        goto done;
    if (strlen(code) > 8 && totp_recovery_normalise(code, recovery) == 0)
        rc = totp_factor_recovery(key, conn, user_id, recovery, factor, err);
    else
        rc = totp_factor_code(key, user_id, &stored, code, factor, err);
done:
    sodium_memzero(key, sizeof key);
    sodium_memzero(&stored, sizeof stored);
    return rc;
}

int service_totp_factor_consume(store_conn *conn, const service_totp_factor *factor, alvd_err *err)
{
    int spent = 0;
    if (strcmp(factor->kind, "totp") == 0) {
        /* Conditional, so two logins racing with one code cannot both pass, even on two
         * alvd processes. */
        if (store_totp_step_advance(conn, factor->user_id, factor->step, &spent, err) != 0)
            return -1;
        if (!spent)
            return alvd_err_set(err, 401, "totp_used", "totp",
                                "Deze code is al gebruikt. Wacht tot de app een nieuwe code toont.");
    } else if (strcmp(factor->kind, "recovery") == 0) {
        if (store_totp_recovery_spend(conn, factor->recovery_id, &spent, err) != 0)
            return -1;
        if (!spent)
            return alvd_err_set(err, 401, "recovery_invalid", "totp", "Deze herstelcode klopt niet of is al gebruikt.");
    }
    return 0;
}

int service_totp_status_read(const alvd_app *app, store_conn *conn, long long user_id, unsigned user_roles,
                             const char *session_kind, service_totp_status *status, alvd_err *err)
{
    memset(status, 0, sizeof *status);
    if (store_totp_status_read(conn, user_id, &status->enrolled, &status->recovery_codes_left, err) != 0)
        return -1;
    status->required = (user_roles & service_totp_required_roles(app)) != 0;
    status->advised = !status->enrolled && !status->required && (user_roles & TOTP_ADVISED_ROLES) != 0;
    status->session = session_kind ? session_kind : "password";
    return 0;
}

json_t *service_totp_status_json(const service_totp_status *status)
{
    return json_pack("{s:b, s:b, s:b, s:s, s:I}", "enrolled", status->enrolled, "required", status->required,
                     "advised", status->advised, "session", status->session, "recovery_codes_left",
                     (json_int_t)status->recovery_codes_left);
}

/* ---------------------------------------------------------------- enrolment */

int service_totp_begin(const alvd_app *app, store_conn *conn, const audit_actor *actor, long long user_id,
                       const char *email, service_totp_enrolment *enrolment, alvd_err *err)
{
    unsigned char key[SEAL_KEY_BYTES], secret[TOTP_SECRET_BYTES], *sealed = NULL;
    size_t sealed_length = 0;
    int rc = -1;
    memset(enrolment, 0, sizeof *enrolment);
    if (totp_store_key(app, key, err) != 0)
        goto done;
    randombytes_buf(secret, sizeof secret);
    totp_base32_encode(secret, sizeof secret, enrolment->secret, sizeof enrolment->secret);
    enrolment->otpauth_uri = totp_uri(TOTP_ISSUER, email, enrolment->secret);
    if (enrolment->otpauth_uri == NULL) {
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        goto done;
    }
    /* Until confirmed, the new secret waits beside the old one (which keeps working). */
    if (qr_svg(enrolment->otpauth_uri, &enrolment->qr_svg, &enrolment->qr_svg_length, err) != 0 ||
        totp_seal_into(key, "users.totp_pending_secret", user_id, secret, &sealed, &sealed_length, err) != 0 ||
        store_begin(conn, err) != 0 || store_totp_pending_set(conn, user_id, sealed, sealed_length, err) != 0 ||
        audit_append(conn, err, actor, "session.totp_enrolment_started", "user", user_id, NULL) != 0 ||
        store_commit(conn, err) != 0)
        goto done;
    rc = 0;
done:
    sodium_memzero(key, sizeof key);
    sodium_memzero(secret, sizeof secret);
    free(sealed);
    return rc;
}

void service_totp_enrolment_wipe(service_totp_enrolment *enrolment)
{
    sodium_memzero(enrolment->secret, sizeof enrolment->secret);
    if (enrolment->otpauth_uri)
        sodium_memzero(enrolment->otpauth_uri, strlen(enrolment->otpauth_uri));
    free(enrolment->otpauth_uri);
    free(enrolment->qr_svg);
    memset(enrolment, 0, sizeof *enrolment);
}

/* The waiting secret, opened and checked against the first code; *step = the code's. */
static int totp_confirm_code(const unsigned char key[SEAL_KEY_BYTES], store_conn *conn, long long user_id,
                             const char *code, store_totp_sealed *pending, unsigned char secret[TOTP_SECRET_BYTES],
                             int64_t *step, alvd_err *err)
{
    int found = 0;
    if (store_totp_pending_load(conn, user_id, pending, &found, err) != 0)
        return -1;
    if (!found)
        return alvd_err_set(err, 409, "no_enrolment", NULL,
                            "Start eerst het koppelen van de app (er is geen nieuwe sleutel om te bevestigen).");
    if (totp_unseal(key, "users.totp_pending_secret", user_id, pending, secret, err) != 0)
        return -1;
    if (totp_verify(secret, TOTP_SECRET_BYTES, code, (int64_t)time(NULL), -1, step) != TOTP_OK)
        return alvd_err_set(err, 422, "bad_code", "code",
                            "De code klopt niet. Typ de code die de app nu toont (6 cijfers); staat de klok van de "
                            "telefoon goed?");
    return 0;
}

/* Inside the confirmation's transaction: the factor enabled, new recovery codes, this
 * session "totp" and the others ended, audited. */
static int totp_confirm_write(const unsigned char key[SEAL_KEY_BYTES], store_conn *conn, const audit_actor *actor,
                              const service_totp_session *session, const unsigned char *sealed, size_t sealed_length,
                              int64_t step, const store_totp_sealed *pending,
                              char codes[TOTP_RECOVERY_CODES][TOTP_RECOVERY_TEXT_SIZE], alvd_err *err)
{
    unsigned char hashes[TOTP_RECOVERY_CODES][32];
    long long ended = 0;
    int enabled = 0;
    if (store_totp_enable(conn, session->user_id, sealed, sealed_length, step, pending, &enabled, err) != 0)
        return -1;
    if (!enabled)
        return alvd_err_set(err, 409, "no_enrolment", NULL,
                            "Intussen is een nieuwe koppeling gestart; bevestig de code van die koppeling.");
    for (int i = 0; i < TOTP_RECOVERY_CODES; i++) {
        totp_recovery_new(codes[i]);
        totp_recovery_hash(key, session->user_id, codes[i], hashes[i]);
    }
    if (store_totp_recovery_replace(conn, session->user_id, (const unsigned char (*)[32])hashes, TOTP_RECOVERY_CODES,
                                    err) != 0)
        return -1;
    /* This session proved both factors just now; sessions opened before with the password
     * alone end, so whoever logged in with a guessed password is out. */
    if (store_sessions_set_second_factor(conn, session->session_id, "totp", err) != 0 ||
        store_sessions_revoke_user(conn, session->user_id, session->session_id, &ended, err) != 0)
        return -1;
    json_t *details = json_pack("{s:i, s:I}", "recovery_codes", TOTP_RECOVERY_CODES, "sessions_ended",
                                (json_int_t)ended);
    int audited = audit_append(conn, err, actor, "session.totp_enrolled", "user", session->user_id, details);
    json_decref(details);
    return audited;
}

int service_totp_confirm(const alvd_app *app, store_conn *conn, const audit_actor *actor,
                         const service_totp_session *session, const char *code, service_totp_confirmed *confirmed,
                         alvd_err *err)
{
    unsigned char key[SEAL_KEY_BYTES], secret[TOTP_SECRET_BYTES], *sealed = NULL;
    store_totp_sealed pending;
    size_t sealed_length = 0;
    int64_t step = 0;
    int rc = -1;
    memset(confirmed, 0, sizeof *confirmed);
    memset(secret, 0, sizeof secret);
    if (totp_store_key(app, key, err) != 0 ||
        totp_confirm_code(key, conn, session->user_id, code, &pending, secret, &step, err) != 0 ||
        totp_seal_into(key, "users.totp_secret", session->user_id, secret, &sealed, &sealed_length, err) != 0 ||
        store_begin(conn, err) != 0 ||
        totp_confirm_write(key, conn, actor, session, sealed, sealed_length, step, &pending, confirmed->codes, err) != 0 ||
        store_commit(conn, err) != 0)
        goto done;
    alvd_err status_err;
    alvd_err_clear(&status_err);
    confirmed->status_read = service_totp_status_read(app, conn, session->user_id, session->user_roles, "totp",
                                                      &confirmed->status, &status_err) == 0;
    rc = 0;
done:
    sodium_memzero(key, sizeof key);
    sodium_memzero(secret, sizeof secret);
    sodium_memzero(&pending, sizeof pending);
    if (rc != 0)
        sodium_memzero(confirmed->codes, sizeof confirmed->codes);
    free(sealed);
    return rc;
}

/* ---------------------------------------------------------------- demo and command line */

int service_totp_set(const alvd_app *app, store_conn *conn, long long user_id,
                     const unsigned char secret[TOTP_SECRET_BYTES], alvd_err *err)
{
    unsigned char key[SEAL_KEY_BYTES], *sealed = NULL;
    size_t sealed_length = 0;
    int rc = -1;
    if (totp_store_key(app, key, err) != 0 ||
        totp_seal_into(key, "users.totp_secret", user_id, secret, &sealed, &sealed_length, err) != 0)
        goto done;
    rc = store_totp_set(conn, user_id, sealed, sealed_length, err);
done:
    sodium_memzero(key, sizeof key);
    free(sealed);
    return rc;
}

int service_totp_reset(store_conn *conn, const char *email, long long *user_id, alvd_err *err)
{
    audit_actor system = {"system", 0, "alvd user totp-reset"};
    if (store_users_id_by_email(conn, email, user_id, err) != 0)
        return -1;
    if (*user_id == 0)
        return alvd_err_set(err, 404, "not_found", "email", "Cannot find a user with e-mail address %s.", email);
    if (store_begin(conn, err) != 0 || store_totp_clear(conn, *user_id, err) != 0 ||
        store_sessions_revoke_user(conn, *user_id, 0, NULL, err) != 0 ||
        audit_append(conn, err, &system, "user.totp_reset", "user", *user_id, NULL) != 0 ||
        store_commit(conn, err) != 0) {
        store_rollback(conn);
        return -1;
    }
    return 0;
}
