/* The staff second factor: TOTP enrolment (QR code, confirmation with a first code, ten
 * recovery codes) and the second step of a password login (a code accepted once). */
#include "alvd/api/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alvd/crypto/audit.h"
#include "alvd/crypto/keyfile.h"
#include "alvd/crypto/qr.h"
#include "alvd/crypto/seal.h"
#include "alvd/crypto/totp.h"
#include "alvd/http/input.h"
#include "alvd/store/db.h"

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

unsigned session_totp_required_roles(const alvd_app *app)
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
                       const store_result *rows, size_t row, size_t index,
                       unsigned char secret[TOTP_SECRET_BYTES], alvd_err *err)
{
    char ad[96];
    size_t length = 0;
    unsigned char *plain = seal_decrypt(key, seal_ad(ad, sizeof ad, column, user_id),
                                        (const unsigned char *)store_result_text(rows, row, index),
                                        store_result_length(rows, row, index), &length, err);
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

int session_factor_check(const alvd_app *app, store_conn *conn, long long user_id, unsigned roles,
                         const char *code, session_factor *factor, alvd_err *err)
{
    unsigned char key[SEAL_KEY_BYTES], secret[TOTP_SECRET_BYTES];
    store_result *rows = NULL;
    int rc = -1;
    memset(factor, 0, sizeof *factor);
    factor->user_id = user_id;
    if (store_query(conn, err, &rows,
                    "SELECT totp_secret, totp_last_step, totp_enabled_at IS NOT NULL FROM users WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(user_id))) != 0)
        return -1;
    if (store_result_rows(rows) != 1 || store_result_int(rows, 0, 2) == 0 || store_result_is_null(rows, 0, 0)) {
        /* Not enrolled: a required role may only enrol; any other logs in with the password. */
        factor->kind = (roles & session_totp_required_roles(app)) ? "enrolment" : "password";
        store_result_free(rows);
        return 0;
    }
    if (code == NULL || *code == '\0') {
        alvd_err_set(err, 401, "totp_required", "totp",
                     "Vul de code van 6 cijfers uit de authenticator-app in.");
        goto done;
    }
    if (totp_store_key(app, key, err) != 0)
        goto done;
    char recovery[TOTP_RECOVERY_TEXT_SIZE];
    if (strlen(code) > 8 && totp_recovery_normalise(code, recovery) == 0) {
        /* A recovery code instead of the app's code: single use, looked up by its hash. */
        store_result *found = NULL;
        totp_recovery_hash(key, user_id, recovery, factor->recovery_hash);
        sodium_memzero(recovery, sizeof recovery);
        if (store_query(conn, err, &found,
                        "SELECT id FROM user_recovery_codes WHERE user_id = ? AND code_hash = ? AND used_at IS NULL",
                        STORE_PARAMS(STORE_INT_PARAM(user_id), STORE_BLOB_PARAM(factor->recovery_hash, 32))) != 0)
            goto done;
        int usable = store_result_rows(found) == 1;
        factor->recovery_id = usable ? store_result_int(found, 0, 0) : 0;
        store_result_free(found);
        if (!usable) {
            alvd_err_set(err, 401, "recovery_invalid", "totp", "Deze herstelcode klopt niet of is al gebruikt.");
            goto done;
        }
        factor->kind = "recovery";
        rc = 0;
        goto done;
    }
    if (totp_unseal(key, "users.totp_secret", user_id, rows, 0, 0, secret, err) != 0)
        goto done;
    int64_t last = store_result_is_null(rows, 0, 1) ? -1 : store_result_int(rows, 0, 1);
    switch (totp_verify(secret, TOTP_SECRET_BYTES, code, (int64_t)time(NULL), last, &factor->step)) {
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
    sodium_memzero(key, sizeof key);
    sodium_memzero(secret, sizeof secret);
    store_result_free(rows);
    return rc;
}

int session_factor_consume(store_conn *conn, const session_factor *factor, alvd_err *err)
{
    long long affected = 0;
    if (strcmp(factor->kind, "totp") == 0) {
        /* Conditional, so two logins racing with one code cannot both pass, even on two
         * alvd processes. */
        if (store_execute(conn, err, &affected,
                          "UPDATE users SET totp_last_step = ? WHERE id = ?"
                          " AND (totp_last_step IS NULL OR totp_last_step < ?)",
                          STORE_PARAMS(STORE_INT_PARAM(factor->step), STORE_INT_PARAM(factor->user_id),
                                       STORE_INT_PARAM(factor->step))) != 0)
            return -1;
        if (affected != 1)
            return alvd_err_set(err, 401, "totp_used", "totp",
                                "Deze code is al gebruikt. Wacht tot de app een nieuwe code toont.");
    } else if (strcmp(factor->kind, "recovery") == 0) {
        if (store_execute(conn, err, &affected,
                          "UPDATE user_recovery_codes SET used_at = UTC_TIMESTAMP(6) WHERE id = ? AND used_at IS NULL",
                          STORE_PARAMS(STORE_INT_PARAM(factor->recovery_id))) != 0)
            return -1;
        if (affected != 1)
            return alvd_err_set(err, 401, "recovery_invalid", "totp", "Deze herstelcode klopt niet of is al gebruikt.");
    }
    return 0;
}

json_t *session_factor_json(const alvd_app *app, store_conn *conn, long long user_id, unsigned user_roles,
                            const char *session_kind, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT totp_enabled_at IS NOT NULL,"
                    " (SELECT COUNT(*) FROM user_recovery_codes c WHERE c.user_id = u.id AND c.used_at IS NULL)"
                    " FROM users u WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(user_id))) != 0)
        return NULL;
    int enrolled = store_result_rows(rows) == 1 && store_result_int(rows, 0, 0) != 0;
    long long left = store_result_rows(rows) == 1 ? store_result_int(rows, 0, 1) : 0;
    store_result_free(rows);
    int required = (user_roles & session_totp_required_roles(app)) != 0;
    return json_pack("{s:b, s:b, s:b, s:s, s:I}", "enrolled", enrolled, "required", required, "advised",
                     !enrolled && !required && (user_roles & TOTP_ADVISED_ROLES) != 0, "session",
                     session_kind ? session_kind : "password", "recovery_codes_left", (json_int_t)left);
}

/* ---------------------------------------------------------------- enrolment */

void session_totp_begin(http_request *request)
{
    static const char *const fields[] = {NULL};
    const alvd_app *app = http_request_app(request);
    const auth_principal *who = http_request_principal(request);
    store_conn *conn = http_request_db(request);
    unsigned char key[SEAL_KEY_BYTES], secret[TOTP_SECRET_BYTES], *sealed = NULL;
    char text[TOTP_SECRET_TEXT_SIZE], *uri = NULL, *svg = NULL;
    size_t sealed_length = 0, svg_length = 0;
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    if (input_only(http_request_json(request), fields, &err) != 0 || totp_store_key(app, key, &err) != 0)
        goto fail;
    randombytes_buf(secret, sizeof secret);
    totp_base32_encode(secret, sizeof secret, text, sizeof text);
    uri = totp_uri(TOTP_ISSUER, who->email, text);
    if (uri == NULL) {
        alvd_err_set(&err, 500, "out_of_memory", NULL, "Geen geheugen.");
        goto fail;
    }
    /* Until confirmed, the new secret waits beside the old one (which keeps working). */
    if (qr_svg(uri, &svg, &svg_length, &err) != 0 ||
        totp_seal_into(key, "users.totp_pending_secret", who->user_id, secret, &sealed, &sealed_length, &err) != 0 ||
        store_begin(conn, &err) != 0 ||
        store_execute(conn, &err, NULL, "UPDATE users SET totp_pending_secret = ? WHERE id = ?",
                      STORE_PARAMS(STORE_BLOB_PARAM(sealed, sealed_length), STORE_INT_PARAM(who->user_id))) != 0 ||
        audit_append(conn, &err, &actor, "session.totp_enrolment_started", "user", who->user_id, NULL) != 0 ||
        store_commit(conn, &err) != 0)
        goto fail;
    http_reply_json(request, 200,
                    json_pack("{s:s, s:s, s:s%}", "secret", text, "otpauth_uri", uri, "qr_svg", svg, svg_length));
    goto done;
fail:
    http_reply_err(request, &err);
done:
    sodium_memzero(key, sizeof key);
    sodium_memzero(secret, sizeof secret);
    sodium_memzero(text, sizeof text);
    if (uri)
        sodium_memzero(uri, strlen(uri));
    free(uri);
    free(svg);
    free(sealed);
}

void session_totp_confirm(http_request *request)
{
    static const char *const fields[] = {"code", NULL};
    const alvd_app *app = http_request_app(request);
    const auth_principal *who = http_request_principal(request);
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    unsigned char key[SEAL_KEY_BYTES], secret[TOTP_SECRET_BYTES], *sealed = NULL;
    char codes[TOTP_RECOVERY_CODES][TOTP_RECOVERY_TEXT_SIZE];
    const char *code = NULL;
    size_t sealed_length = 0;
    long long affected = 0, ended = 0;
    int64_t step = 0;
    alvd_err err;
    alvd_err_clear(&err);
    memset(codes, 0, sizeof codes);
    audit_actor actor = http_request_actor(request);
    if (input_only(http_request_json(request), fields, &err) != 0 ||
        input_string(http_request_json(request), "code", 1, 32, &code, &err) != 0 ||
        totp_store_key(app, key, &err) != 0 ||
        store_query(conn, &err, &rows, "SELECT totp_pending_secret FROM users WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(who->user_id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1 || store_result_is_null(rows, 0, 0)) {
        alvd_err_set(&err, 409, "no_enrolment", NULL,
                     "Start eerst het koppelen van de app (er is geen nieuwe sleutel om te bevestigen).");
        goto fail;
    }
    if (totp_unseal(key, "users.totp_pending_secret", who->user_id, rows, 0, 0, secret, &err) != 0)
        goto fail;
    if (totp_verify(secret, TOTP_SECRET_BYTES, code, (int64_t)time(NULL), -1, &step) != TOTP_OK) {
        alvd_err_set(&err, 422, "bad_code", "code",
                     "De code klopt niet. Typ de code die de app nu toont (6 cijfers); staat de klok van de "
                     "telefoon goed?");
        goto fail;
    }
    if (totp_seal_into(key, "users.totp_secret", who->user_id, secret, &sealed, &sealed_length, &err) != 0 ||
        store_begin(conn, &err) != 0 ||
        store_execute(conn, &err, &affected,
                      "UPDATE users SET totp_secret = ?, totp_pending_secret = NULL,"
                      " totp_enabled_at = UTC_TIMESTAMP(6), totp_last_step = ?"
                      " WHERE id = ? AND totp_pending_secret = ?",
                      STORE_PARAMS(STORE_BLOB_PARAM(sealed, sealed_length), STORE_INT_PARAM(step),
                                   STORE_INT_PARAM(who->user_id),
                                   STORE_BLOB_PARAM(store_result_text(rows, 0, 0), store_result_length(rows, 0, 0)))) != 0)
        goto fail;
    if (affected != 1) {
        alvd_err_set(&err, 409, "no_enrolment", NULL,
                     "Intussen is een nieuwe koppeling gestart; bevestig de code van die koppeling.");
        goto fail;
    }
    if (store_execute(conn, &err, NULL, "DELETE FROM user_recovery_codes WHERE user_id = ?",
                      STORE_PARAMS(STORE_INT_PARAM(who->user_id))) != 0)
        goto fail;
    for (int i = 0; i < TOTP_RECOVERY_CODES; i++) {
        unsigned char hash[32];
        totp_recovery_new(codes[i]);
        totp_recovery_hash(key, who->user_id, codes[i], hash);
        if (store_execute(conn, &err, NULL,
                          "INSERT INTO user_recovery_codes (user_id, code_hash, created_at) VALUES (?, ?, UTC_TIMESTAMP(6))",
                          STORE_PARAMS(STORE_INT_PARAM(who->user_id), STORE_BLOB_PARAM(hash, sizeof hash))) != 0)
            goto fail;
    }
    /* This session proved both factors just now; sessions opened before with the password
     * alone end, so whoever logged in with a guessed password is out. */
    if (store_execute(conn, &err, NULL, "UPDATE sessions SET second_factor = 'totp' WHERE id = ?",
                      STORE_PARAMS(STORE_INT_PARAM(who->session_id))) != 0 ||
        store_execute(conn, &err, &ended,
                      "UPDATE sessions SET revoked_at = UTC_TIMESTAMP(6)"
                      " WHERE user_id = ? AND id <> ? AND revoked_at IS NULL",
                      STORE_PARAMS(STORE_INT_PARAM(who->user_id), STORE_INT_PARAM(who->session_id))) != 0)
        goto fail;
    json_t *details = json_pack("{s:i, s:I}", "recovery_codes", TOTP_RECOVERY_CODES, "sessions_ended",
                                (json_int_t)ended);
    int audited = audit_append(conn, &err, &actor, "session.totp_enrolled", "user", who->user_id, details);
    json_decref(details);
    if (audited != 0 || store_commit(conn, &err) != 0)
        goto fail;
    json_t *list = json_array();
    for (int i = 0; i < TOTP_RECOVERY_CODES; i++)
        json_array_append_new(list, json_string(codes[i]));
    json_t *factor = session_factor_json(app, conn, who->user_id, who->user_roles, "totp", &err);
    http_reply_json(request, 200, json_pack("{s:o, s:o*}", "recovery_codes", list, "second_factor", factor));
    goto done;
fail:
    http_reply_err(request, &err);
done:
    sodium_memzero(key, sizeof key);
    sodium_memzero(secret, sizeof secret);
    sodium_memzero(codes, sizeof codes);
    store_result_free(rows);
    free(sealed);
}

/* ---------------------------------------------------------------- demo and command line */

int session_totp_set(const alvd_app *app, store_conn *conn, long long user_id,
                     const unsigned char secret[TOTP_SECRET_BYTES], alvd_err *err)
{
    unsigned char key[SEAL_KEY_BYTES], *sealed = NULL;
    size_t sealed_length = 0;
    int rc = -1;
    if (totp_store_key(app, key, err) != 0 ||
        totp_seal_into(key, "users.totp_secret", user_id, secret, &sealed, &sealed_length, err) != 0)
        goto done;
    rc = store_execute(conn, err, NULL,
                       "UPDATE users SET totp_secret = ?, totp_pending_secret = NULL,"
                       " totp_enabled_at = COALESCE(totp_enabled_at, UTC_TIMESTAMP(6)) WHERE id = ?",
                       STORE_PARAMS(STORE_BLOB_PARAM(sealed, sealed_length), STORE_INT_PARAM(user_id)));
done:
    sodium_memzero(key, sizeof key);
    free(sealed);
    return rc;
}

int session_totp_reset(store_conn *conn, const char *email, long long *user_id, alvd_err *err)
{
    store_result *rows = NULL;
    audit_actor system = {"system", 0, "alvd user totp-reset"};
    if (store_query(conn, err, &rows, "SELECT id FROM users WHERE email = ?", STORE_PARAMS(STORE_TEXT_PARAM(email))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", "email", "No user with e-mail address %s.", email);
    }
    *user_id = store_result_int(rows, 0, 0);
    store_result_free(rows);
    if (store_begin(conn, err) != 0 ||
        store_execute(conn, err, NULL,
                      "UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL, totp_enabled_at = NULL,"
                      " totp_last_step = NULL WHERE id = ?",
                      STORE_PARAMS(STORE_INT_PARAM(*user_id))) != 0 ||
        store_execute(conn, err, NULL, "DELETE FROM user_recovery_codes WHERE user_id = ?",
                      STORE_PARAMS(STORE_INT_PARAM(*user_id))) != 0 ||
        store_execute(conn, err, NULL,
                      "UPDATE sessions SET revoked_at = UTC_TIMESTAMP(6) WHERE user_id = ? AND revoked_at IS NULL",
                      STORE_PARAMS(STORE_INT_PARAM(*user_id))) != 0 ||
        audit_append(conn, err, &system, "user.totp_reset", "user", *user_id, NULL) != 0 ||
        store_commit(conn, err) != 0) {
        store_rollback(conn);
        return -1;
    }
    return 0;
}
