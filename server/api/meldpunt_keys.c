/* The meldpunt's keys with one key per officer: each officer's own passphrase opens their
 * own keypair, to which another officer sealed the meldpunt's secret key; no shared secret. */
#include "alvd/api/meldpunt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/crypto/audit.h"
#include "alvd/crypto/keyfile.h"
#include "alvd/http/input.h"

#define UNLOCK_FAILURES_PER_USER 5 /* per 10 minutes, in the database: the subject is a user id */
#define UNLOCK_WINDOW_SECONDS 600
#define MELDPUNT_WRAPPED_SECRET_BYTES (SEAL_SECRET_KEY_BYTES + crypto_box_SEALBYTES)

static const char keys_locked_message[] = "Ontgrendel eerst het meldpunt met uw wachtzin.";

static void keys_officer_file(long long user_id, char *out, size_t size)
{
    snprintf(out, size, MELDPUNT_OFFICER_FILE_FORMAT, user_id);
}

/* ---------------------------------------------------------------- the meldpunt key */

int meldpunt_public_key(const alvd_app *app, unsigned char public_key[SEAL_PUBLIC_KEY_BYTES], alvd_err *err)
{
    unsigned char legacy[MELDPUNT_KEY_FILE_BYTES];
    if (keyfile_read_existing(app->config.data_dir, MELDPUNT_PUBLIC_FILE, public_key, SEAL_PUBLIC_KEY_BYTES, err) == 0)
        return 0;
    if (err->status != 404)
        return -1;
    alvd_err_clear(err);
    /* Not migrated yet: the shared key file starts with the same public key. */
    if (keyfile_read_existing(app->config.data_dir, MELDPUNT_KEY_FILE, legacy, sizeof legacy, err) == 0) {
        memcpy(public_key, legacy, SEAL_PUBLIC_KEY_BYTES);
        return 0;
    }
    if (err->status == 404)
        return alvd_err_set(err, 503, "meldpunt_not_ready", NULL,
                            "Het meldpunt is nog niet ingericht; probeer het later opnieuw.");
    return -1;
}

static int keys_shared_file(const alvd_app *app, unsigned char bytes[MELDPUNT_KEY_FILE_BYTES], alvd_err *err)
{
    return keyfile_read_existing(app->config.data_dir, MELDPUNT_KEY_FILE, bytes, MELDPUNT_KEY_FILE_BYTES, err);
}

static void keys_copy(unsigned char *key, size_t length, void *context)
{
    memcpy(key, context, length);
}

/* Write the public key file, or accept an existing one with the same key. */
static int keys_public_write(const alvd_app *app, const unsigned char public_key[SEAL_PUBLIC_KEY_BYTES], alvd_err *err)
{
    unsigned char stored[SEAL_PUBLIC_KEY_BYTES], wanted[SEAL_PUBLIC_KEY_BYTES];
    memcpy(wanted, public_key, sizeof wanted);
    if (keyfile_load_or_create(app->config.data_dir, MELDPUNT_PUBLIC_FILE, stored, sizeof stored, keys_copy, wanted,
                               err) != 0)
        return -1;
    if (sodium_memcmp(stored, public_key, sizeof stored) != 0)
        return alvd_err_set(err, 409, "already_set_up", NULL, "Het meldpunt heeft al een sleutel.");
    return 0;
}

/* A public key file without any officer who holds its secret, without the shared file
 * and without a report sealed to it: what a setup that failed half-way leaves. */
static int keys_orphaned(const alvd_app *app, store_conn *conn, int *orphaned, alvd_err *err)
{
    unsigned char shared[MELDPUNT_KEY_FILE_BYTES];
    store_result *rows = NULL;
    *orphaned = 0;
    if (keys_shared_file(app, shared, err) == 0)
        return 0;
    if (err->status != 404)
        return -1;
    alvd_err_clear(err);
    if (store_query(conn, err, &rows,
                    "SELECT (SELECT COUNT(*) FROM meldpunt_officers WHERE wrapped_secret IS NOT NULL),"
                    " (SELECT COUNT(*) FROM meldpunt_reports WHERE wrapped_key IS NOT NULL)",
                    STORE_NO_PARAMS) != 0)
        return -1;
    *orphaned = store_result_int(rows, 0, 0) == 0 && store_result_int(rows, 0, 1) == 0;
    store_result_free(rows);
    return 0;
}

int meldpunt_keypair_create(const alvd_app *app, unsigned char secret_key[SEAL_SECRET_KEY_BYTES], alvd_err *err)
{
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES];
    crypto_box_keypair(public_key, secret_key);
    /* O_EXCL: when two officers set up at once, one key wins and the other is told. */
    if (keys_public_write(app, public_key, err) != 0) {
        sodium_memzero(secret_key, SEAL_SECRET_KEY_BYTES);
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- a session's unlock */

int meldpunt_secret_key(http_request *request, unsigned char public_key[SEAL_PUBLIC_KEY_BYTES],
                        unsigned char secret_key[SEAL_SECRET_KEY_BYTES], alvd_err *err)
{
    const auth_principal *who = http_request_principal(request);
    const char *token = http_request_session_token(request);
    store_result *rows = NULL;
    unsigned char session_key[SEAL_KEY_BYTES];
    char ad[96];
    if (meldpunt_public_key(http_request_app(request), public_key, err) != 0)
        return -1;
    if (token == NULL || who->kind != AUTH_KIND_USER)
        return alvd_err_set(err, 403, "locked", NULL, "%s", keys_locked_message);
    if (store_query(http_request_db(request), err, &rows,
                    "SELECT sealed_secret FROM meldpunt_unlocks WHERE session_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(who->session_id))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 403, "locked", NULL, "%s", keys_locked_message);
    }
    seal_session_key(token, session_key);
    size_t length = 0;
    unsigned char *secret = seal_decrypt(session_key, seal_ad(ad, sizeof ad, "meldpunt_unlocks.sealed_secret",
                                                              who->session_id),
                                         (const unsigned char *)store_result_text(rows, 0, 0),
                                         store_result_length(rows, 0, 0), &length, err);
    sodium_memzero(session_key, sizeof session_key);
    store_result_free(rows);
    if (secret == NULL || length != SEAL_SECRET_KEY_BYTES) {
        free(secret);
        return alvd_err_set(err, 403, "locked", NULL, "%s", keys_locked_message);
    }
    memcpy(secret_key, secret, SEAL_SECRET_KEY_BYTES);
    sodium_memzero(secret, length);
    free(secret);
    return 0;
}

/* Keep the opened meldpunt secret for this session only, sealed under a key derived
 * from the session token that only the client holds (docs/internals/meldpunt-crypto.md). */
static int keys_store_unlock(http_request *request, const unsigned char secret_key[SEAL_SECRET_KEY_BYTES],
                             alvd_err *err)
{
    const auth_principal *who = http_request_principal(request);
    const char *token = http_request_session_token(request);
    unsigned char session_key[SEAL_KEY_BYTES];
    char ad[96];
    size_t sealed_length = 0;
    if (token == NULL)
        return alvd_err_set(err, 401, "not_logged_in", NULL, "Log eerst in.");
    seal_session_key(token, session_key);
    unsigned char *sealed = seal_encrypt(session_key, seal_ad(ad, sizeof ad, "meldpunt_unlocks.sealed_secret",
                                                              who->session_id),
                                         secret_key, SEAL_SECRET_KEY_BYTES, &sealed_length);
    sodium_memzero(session_key, sizeof session_key);
    if (sealed == NULL)
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    int rc = store_execute(http_request_db(request), err, NULL,
                           "REPLACE INTO meldpunt_unlocks (session_id, sealed_secret, created_at)"
                           " VALUES (?, ?, UTC_TIMESTAMP(6))",
                           STORE_PARAMS(STORE_INT_PARAM(who->session_id), STORE_BLOB_PARAM(sealed, sealed_length)));
    free(sealed);
    return rc;
}

/* ---------------------------------------------------------------- officers */

typedef struct keys_officer {
    int present;  /* a row: the officer chose a passphrase */
    int granted;  /* the meldpunt secret is sealed to them */
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES];
    unsigned char wrapped[MELDPUNT_WRAPPED_SECRET_BYTES];
} keys_officer;

static int keys_officer_load(store_conn *conn, long long user_id, keys_officer *officer, alvd_err *err)
{
    store_result *rows = NULL;
    memset(officer, 0, sizeof *officer);
    if (store_query(conn, err, &rows, "SELECT public_key, wrapped_secret FROM meldpunt_officers WHERE user_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(user_id))) != 0)
        return -1;
    if (store_result_rows(rows) == 1 && store_result_length(rows, 0, 0) == SEAL_PUBLIC_KEY_BYTES) {
        officer->present = 1;
        memcpy(officer->public_key, store_result_text(rows, 0, 0), SEAL_PUBLIC_KEY_BYTES);
        if (store_result_length(rows, 0, 1) == MELDPUNT_WRAPPED_SECRET_BYTES) {
            officer->granted = 1;
            memcpy(officer->wrapped, store_result_text(rows, 0, 1), MELDPUNT_WRAPPED_SECRET_BYTES);
        }
    }
    store_result_free(rows);
    return 0;
}

int meldpunt_active_officers(store_conn *conn, long long *count, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT COUNT(*) FROM meldpunt_officers o JOIN users u ON u.id = o.user_id"
                    " WHERE o.wrapped_secret IS NOT NULL AND FIND_IN_SET('meldpunt', u.roles) > 0"
                    " AND u.disabled_at IS NULL",
                    STORE_NO_PARAMS) != 0)
        return -1;
    *count = store_result_int(rows, 0, 0);
    store_result_free(rows);
    return 0;
}

/* Open an officer's own secret key with their passphrase (argon2id) from their key file. */
static int keys_officer_open(const alvd_app *app, long long user_id, const keys_officer *officer,
                             const char *passphrase, unsigned char secret_key[SEAL_SECRET_KEY_BYTES], alvd_err *err)
{
    unsigned char bytes[MELDPUNT_OFFICER_FILE_BYTES];
    char name[64];
    seal_locked_key locked;
    keys_officer_file(user_id, name, sizeof name);
    if (keyfile_read_existing(app->config.data_dir, name, bytes, sizeof bytes, err) != 0) {
        if (err->status == 404)
            return alvd_err_set(err, 409, "officer_key_missing", NULL,
                                "Uw sleutelbestand ontbreekt (keys/%s). Laat een andere functionaris u "
                                "verwijderen en kies opnieuw een wachtzin.", name);
        return -1;
    }
    if (sodium_memcmp(bytes, officer->public_key, SEAL_PUBLIC_KEY_BYTES) != 0)
        return alvd_err_set(err, 500, "bad_key_file", NULL,
                            "Uw sleutelbestand hoort niet bij uw sleutel in de database (keys/%s).", name);
    seal_locked_key_from_bytes(bytes + SEAL_PUBLIC_KEY_BYTES, &locked);
    return seal_keypair_unlock(passphrase, officer->public_key, &locked, secret_key, err);
}

/* The meldpunt secret sealed to an officer, opened with the officer's own secret key and
 * checked against the meldpunt public key. */
static int keys_meldpunt_open(const alvd_app *app, const keys_officer *officer,
                              const unsigned char officer_secret[SEAL_SECRET_KEY_BYTES],
                              unsigned char meldpunt_secret[SEAL_SECRET_KEY_BYTES], alvd_err *err)
{
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES], derived[SEAL_PUBLIC_KEY_BYTES];
    if (meldpunt_public_key(app, public_key, err) != 0)
        return -1;
    if (crypto_box_seal_open(meldpunt_secret, officer->wrapped, sizeof officer->wrapped, officer->public_key,
                             officer_secret) != 0)
        return alvd_err_set(err, 500, "sealed_data_damaged", NULL,
                            "De meldpuntsleutel die voor u is verzegeld, opent niet.");
    crypto_scalarmult_base(derived, meldpunt_secret);
    if (sodium_memcmp(derived, public_key, sizeof derived) != 0) {
        sodium_memzero(meldpunt_secret, SEAL_SECRET_KEY_BYTES);
        return alvd_err_set(err, 500, "bad_key_file", NULL,
                            "De sleutel die voor u is verzegeld, hoort niet bij dit meldpunt.");
    }
    return 0;
}

int meldpunt_officer_create(const alvd_app *app, store_conn *conn, long long user_id, const char *passphrase,
                            const unsigned char *meldpunt_secret, long long granted_by, alvd_err *err)
{
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES], bytes[MELDPUNT_OFFICER_FILE_BYTES];
    unsigned char wrapped[MELDPUNT_WRAPPED_SECRET_BYTES];
    char name[64];
    seal_locked_key locked;
    if (seal_keypair_create(passphrase, public_key, &locked, err) != 0)
        return -1;
    memcpy(bytes, public_key, SEAL_PUBLIC_KEY_BYTES);
    seal_locked_key_to_bytes(&locked, bytes + SEAL_PUBLIC_KEY_BYTES);
    keys_officer_file(user_id, name, sizeof name);
    /* Replace: a file left by an officer who was removed earlier is worth nothing. */
    if (keyfile_replace(app->config.data_dir, name, bytes, sizeof bytes, err) != 0)
        return -1;
    if (meldpunt_secret)
        crypto_box_seal(wrapped, meldpunt_secret, SEAL_SECRET_KEY_BYTES, public_key);
    return store_execute(conn, err, NULL,
                         "INSERT INTO meldpunt_officers (user_id, public_key, wrapped_secret, granted_by, granted_at,"
                         " created_at) VALUES (?, ?, ?, ?, IF(? IS NULL, NULL, UTC_TIMESTAMP(6)), UTC_TIMESTAMP(6))",
                         STORE_PARAMS(STORE_INT_PARAM(user_id), STORE_BLOB_PARAM(public_key, sizeof public_key),
                                      meldpunt_secret ? STORE_BLOB_PARAM(wrapped, sizeof wrapped) : STORE_NULL_PARAM,
                                      meldpunt_secret ? STORE_INT_PARAM(granted_by) : STORE_NULL_PARAM,
                                      meldpunt_secret ? STORE_INT_PARAM(granted_by) : STORE_NULL_PARAM));
}

/* ---------------------------------------------------------------- handlers */

void meldpunt_status(http_request *request)
{
    const alvd_app *app = http_request_app(request);
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES], secret_key[SEAL_SECRET_KEY_BYTES];
    unsigned char shared[MELDPUNT_KEY_FILE_BYTES];
    keys_officer officer;
    long long officers = 0;
    alvd_err err;
    alvd_err_clear(&err);
    int set_up = meldpunt_public_key(app, public_key, &err) == 0;
    if (!set_up && err.status != 503) {
        http_reply_err(request, &err);
        return;
    }
    alvd_err_clear(&err);
    int unlocked = set_up && meldpunt_secret_key(request, public_key, secret_key, &err) == 0;
    sodium_memzero(secret_key, sizeof secret_key);
    alvd_err_clear(&err);
    int shared_passphrase = keys_shared_file(app, shared, &err) == 0;
    alvd_err_clear(&err);
    if (keys_officer_load(http_request_db(request), http_request_principal(request)->user_id, &officer, &err) != 0 ||
        meldpunt_active_officers(http_request_db(request), &officers, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200,
                    json_pack("{s:b, s:b, s:s, s:b, s:I}", "set_up", set_up, "unlocked", unlocked, "officer",
                              officer.granted ? "active" : officer.present ? "waiting" : "none",
                              "shared_passphrase", shared_passphrase, "officers", (json_int_t)officers));
}

void meldpunt_setup(http_request *request)
{
    static const char *const fields[] = {"passphrase", NULL};
    const alvd_app *app = http_request_app(request);
    store_conn *conn = http_request_db(request);
    const char *passphrase = NULL;
    unsigned char secret_key[SEAL_SECRET_KEY_BYTES];
    long long user_id = http_request_principal(request)->user_id;
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    if (input_only(http_request_json(request), fields, &err) != 0 ||
        input_string(http_request_json(request), "passphrase", 1, SEAL_PASSPHRASE_MAX, &passphrase, &err) != 0)
        goto fail;
    /* The passphrase is checked before anything is made, so a weak one leaves nothing behind. */
    if (strlen(passphrase) < SEAL_PASSPHRASE_MIN) {
        alvd_err_set(&err, 422, "weak_passphrase", "passphrase", "Kies een wachtzin van minstens %d tekens.",
                     SEAL_PASSPHRASE_MIN);
        goto fail;
    }
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES];
    int orphaned = 0;
    if (meldpunt_public_key(app, public_key, &err) == 0) {
        if (keys_orphaned(app, conn, &orphaned, &err) != 0)
            goto fail;
        if (!orphaned) {
            alvd_err_set(&err, 409, "already_set_up", NULL, "Het meldpunt heeft al een sleutel.");
            goto fail;
        }
        /* Nobody holds this key's secret and nothing is sealed to it: start again. */
        if (keyfile_remove(app->config.data_dir, MELDPUNT_PUBLIC_FILE, &err) != 0)
            goto fail;
    } else if (err.status != 503) {
        goto fail;
    }
    alvd_err_clear(&err);
    /* The officer's row first, the public key file last: intake can only seal to a key
     * that an officer holds. */
    if (store_begin(conn, &err) != 0 ||
        store_execute(conn, &err, NULL, "DELETE FROM meldpunt_officers WHERE user_id = ?",
                      STORE_PARAMS(STORE_INT_PARAM(user_id))) != 0)
        goto fail;
    crypto_box_keypair(public_key, secret_key);
    if (meldpunt_officer_create(app, conn, user_id, passphrase, secret_key, user_id, &err) != 0 ||
        keys_store_unlock(request, secret_key, &err) != 0 ||
        audit_append(conn, &err, &actor, "meldpunt.setup", "meldpunt", 0, NULL) != 0 ||
        keys_public_write(app, public_key, &err) != 0 || store_commit(conn, &err) != 0)
        goto fail;
    sodium_memzero(secret_key, sizeof secret_key);
    http_reply_json(request, 201, json_pack("{s:b, s:b, s:s}", "set_up", 1, "unlocked", 1, "officer", "active"));
    return;
fail:
    sodium_memzero(secret_key, sizeof secret_key);
    http_reply_err(request, &err);
}

/* A wrong passphrase: counted per user (in the database: not an anonymous subject) and audited. */
static void keys_unlock_failed(http_request *request, const char *subject)
{
    alvd_err ignored;
    alvd_err_clear(&ignored);
    audit_actor actor = http_request_actor(request);
    auth_rate_record(http_request_db(request), http_request_app(request)->rate_key, "meldpunt_unlock", subject,
                     &ignored);
    audit_append(http_request_db(request), &ignored, &actor, "meldpunt.unlock_failed", "meldpunt", 0, NULL);
}

void meldpunt_unlock(http_request *request)
{
    static const char *const fields[] = {"passphrase", NULL};
    const alvd_app *app = http_request_app(request);
    store_conn *conn = http_request_db(request);
    const char *passphrase = NULL;
    unsigned char officer_secret[SEAL_SECRET_KEY_BYTES], secret_key[SEAL_SECRET_KEY_BYTES];
    unsigned char shared[MELDPUNT_KEY_FILE_BYTES];
    long long user_id = http_request_principal(request)->user_id;
    keys_officer officer;
    char subject[32];
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    snprintf(subject, sizeof subject, "user:%lld", user_id);
    if (input_only(http_request_json(request), fields, &err) != 0 ||
        input_string(http_request_json(request), "passphrase", 1, SEAL_PASSPHRASE_MAX, &passphrase, &err) != 0 ||
        auth_rate_check(conn, app->rate_key, "meldpunt_unlock", subject, UNLOCK_WINDOW_SECONDS, UNLOCK_FAILURES_PER_USER,
                        &err) != 0 ||
        keys_officer_load(conn, user_id, &officer, &err) != 0)
        goto fail;
    if (!officer.present) {
        unsigned char public_key[SEAL_PUBLIC_KEY_BYTES];
        if (meldpunt_public_key(app, public_key, &err) != 0)
            goto fail;
        if (keys_shared_file(app, shared, &err) == 0)
            alvd_err_set(&err, 409, "shared_passphrase_migration", NULL,
                         "Het meldpunt gebruikt nog één gedeelde wachtzin. Vul die in en kies uw eigen wachtzin.");
        else
            alvd_err_set(&err, 409, "no_officer_key", NULL,
                         "Kies eerst uw eigen wachtzin; daarna geeft een andere functionaris u toegang.");
        goto fail;
    }
    if (!officer.granted) {
        alvd_err_set(&err, 403, "not_granted", NULL,
                     "Een andere functionaris moet u eerst toegang geven tot het meldpunt.");
        goto fail;
    }
    if (keys_officer_open(app, user_id, &officer, passphrase, officer_secret, &err) != 0) {
        if (err.status == 403)
            keys_unlock_failed(request, subject);
        goto fail;
    }
    int opened = keys_meldpunt_open(app, &officer, officer_secret, secret_key, &err);
    sodium_memzero(officer_secret, sizeof officer_secret);
    if (opened != 0 || store_begin(conn, &err) != 0 || keys_store_unlock(request, secret_key, &err) != 0 ||
        audit_append(conn, &err, &actor, "meldpunt.unlock", "meldpunt", 0, NULL) != 0 || store_commit(conn, &err) != 0)
        goto fail;
    sodium_memzero(secret_key, sizeof secret_key);
    http_reply_json(request, 200, json_pack("{s:b, s:b, s:s}", "set_up", 1, "unlocked", 1, "officer", "active"));
    return;
fail:
    sodium_memzero(officer_secret, sizeof officer_secret);
    sodium_memzero(secret_key, sizeof secret_key);
    http_reply_err(request, &err);
}

void meldpunt_lock(http_request *request)
{
    store_conn *conn = http_request_db(request);
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    if (store_begin(conn, &err) != 0 ||
        store_execute(conn, &err, NULL, "DELETE FROM meldpunt_unlocks WHERE session_id = ?",
                      STORE_PARAMS(STORE_INT_PARAM(http_request_principal(request)->session_id))) != 0 ||
        audit_append(conn, &err, &actor, "meldpunt.lock", "meldpunt", 0, NULL) != 0 ||
        store_commit(conn, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, json_pack("{s:b, s:b}", "set_up", 1, "unlocked", 0));
}

/* From the shared passphrase to one's own: open the shared key once more, seal its secret
 * to this officer's new key and retire the shared key file. */
void meldpunt_migrate(http_request *request)
{
    static const char *const fields[] = {"shared_passphrase", "passphrase", NULL};
    const alvd_app *app = http_request_app(request);
    store_conn *conn = http_request_db(request);
    const char *shared_passphrase = NULL, *passphrase = NULL;
    unsigned char shared[MELDPUNT_KEY_FILE_BYTES], secret_key[SEAL_SECRET_KEY_BYTES];
    long long user_id = http_request_principal(request)->user_id;
    seal_locked_key locked;
    keys_officer officer;
    char subject[32];
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    snprintf(subject, sizeof subject, "user:%lld", user_id);
    if (input_only(http_request_json(request), fields, &err) != 0 ||
        input_string(http_request_json(request), "shared_passphrase", 1, SEAL_PASSPHRASE_MAX, &shared_passphrase,
                     &err) != 0 ||
        input_string(http_request_json(request), "passphrase", 1, SEAL_PASSPHRASE_MAX, &passphrase, &err) != 0 ||
        auth_rate_check(conn, app->rate_key, "meldpunt_unlock", subject, UNLOCK_WINDOW_SECONDS, UNLOCK_FAILURES_PER_USER,
                        &err) != 0 ||
        keys_officer_load(conn, user_id, &officer, &err) != 0)
        goto fail;
    if (strlen(passphrase) < SEAL_PASSPHRASE_MIN) {
        alvd_err_set(&err, 422, "weak_passphrase", "passphrase", "Kies een wachtzin van minstens %d tekens.",
                     SEAL_PASSPHRASE_MIN);
        goto fail;
    }
    if (strcmp(passphrase, shared_passphrase) == 0) {
        alvd_err_set(&err, 422, "same_passphrase", "passphrase",
                     "Kies een eigen wachtzin, niet de gedeelde die de anderen ook kennen.");
        goto fail;
    }
    if (officer.present) {
        alvd_err_set(&err, 409, "has_officer_key", NULL, "U heeft al een eigen sleutel; ontgrendel daarmee.");
        goto fail;
    }
    if (keys_shared_file(app, shared, &err) != 0) {
        if (err.status == 404)
            alvd_err_set(&err, 409, "no_shared_passphrase", NULL,
                         "De gedeelde wachtzin is al vervangen; kies uw eigen wachtzin en vraag een andere "
                         "functionaris om toegang.");
        goto fail;
    }
    seal_locked_key_from_bytes(shared + SEAL_PUBLIC_KEY_BYTES, &locked);
    if (seal_keypair_unlock(shared_passphrase, shared, &locked, secret_key, &err) != 0) {
        if (err.status == 403) {
            snprintf(err.field, sizeof err.field, "shared_passphrase");
            keys_unlock_failed(request, subject);
        }
        goto fail;
    }
    json_t *details = json_pack("{s:I}", "officer", (json_int_t)user_id);
    int rc = store_begin(conn, &err) == 0 && meldpunt_officer_create(app, conn, user_id, passphrase, secret_key, user_id, &err) == 0 &&
             keys_store_unlock(request, secret_key, &err) == 0 &&
             audit_append(conn, &err, &actor, "meldpunt.shared_passphrase_retired", "meldpunt", 0, details) == 0 &&
             store_commit(conn, &err) == 0;
    json_decref(details);
    /* The public key gets its own file before the shared file goes, so the key is never
     * missing; once gone, the shared passphrase opens nothing this server keeps. */
    if (!rc || keys_public_write(app, shared, &err) != 0 ||
        keyfile_remove(app->config.data_dir, MELDPUNT_KEY_FILE, &err) != 0)
        goto fail;
    sodium_memzero(secret_key, sizeof secret_key);
    http_reply_json(request, 200, json_pack("{s:b, s:b, s:s, s:b}", "set_up", 1, "unlocked", 1, "officer", "active",
                                            "shared_passphrase", 0));
    return;
fail:
    sodium_memzero(secret_key, sizeof secret_key);
    http_reply_err(request, &err);
}

/* A new officer (or one whose key was removed) chooses a passphrase; access follows when
 * another officer grants it. */
void meldpunt_officer_key(http_request *request)
{
    static const char *const fields[] = {"passphrase", NULL};
    const alvd_app *app = http_request_app(request);
    store_conn *conn = http_request_db(request);
    const char *passphrase = NULL;
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES];
    long long user_id = http_request_principal(request)->user_id;
    keys_officer officer;
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    if (input_only(http_request_json(request), fields, &err) != 0 ||
        input_string(http_request_json(request), "passphrase", 1, SEAL_PASSPHRASE_MAX, &passphrase, &err) != 0 ||
        meldpunt_public_key(app, public_key, &err) != 0 || keys_officer_load(conn, user_id, &officer, &err) != 0)
        goto fail;
    if (officer.present) {
        alvd_err_set(&err, 409, "has_officer_key", NULL,
                     "U heeft al een eigen sleutel. Een andere wachtzin kiezen kan met uw huidige wachtzin.");
        goto fail;
    }
    if (store_begin(conn, &err) != 0 || meldpunt_officer_create(app, conn, user_id, passphrase, NULL, 0, &err) != 0 ||
        audit_append(conn, &err, &actor, "meldpunt.officer_key_made", "user", user_id, NULL) != 0 ||
        store_commit(conn, &err) != 0)
        goto fail;
    http_reply_json(request, 201, json_pack("{s:b, s:b, s:s}", "set_up", 1, "unlocked", 0, "officer", "waiting"));
    return;
fail:
    http_reply_err(request, &err);
}

void meldpunt_officer_passphrase(http_request *request)
{
    static const char *const fields[] = {"passphrase", "new_passphrase", NULL};
    const alvd_app *app = http_request_app(request);
    store_conn *conn = http_request_db(request);
    const char *passphrase = NULL, *fresh = NULL;
    unsigned char secret_key[SEAL_SECRET_KEY_BYTES], bytes[MELDPUNT_OFFICER_FILE_BYTES];
    long long user_id = http_request_principal(request)->user_id;
    keys_officer officer;
    seal_locked_key locked;
    char subject[32], name[64];
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    snprintf(subject, sizeof subject, "user:%lld", user_id);
    if (input_only(http_request_json(request), fields, &err) != 0 ||
        input_string(http_request_json(request), "passphrase", 1, SEAL_PASSPHRASE_MAX, &passphrase, &err) != 0 ||
        input_string(http_request_json(request), "new_passphrase", 1, SEAL_PASSPHRASE_MAX, &fresh, &err) != 0 ||
        auth_rate_check(conn, app->rate_key, "meldpunt_unlock", subject, UNLOCK_WINDOW_SECONDS, UNLOCK_FAILURES_PER_USER,
                        &err) != 0 ||
        keys_officer_load(conn, user_id, &officer, &err) != 0)
        goto fail;
    if (!officer.present) {
        alvd_err_set(&err, 409, "no_officer_key", NULL, "U heeft nog geen eigen sleutel.");
        goto fail;
    }
    if (strlen(fresh) < SEAL_PASSPHRASE_MIN) {
        alvd_err_set(&err, 422, "weak_passphrase", "new_passphrase", "Kies een wachtzin van minstens %d tekens.",
                     SEAL_PASSPHRASE_MIN);
        goto fail;
    }
    if (keys_officer_open(app, user_id, &officer, passphrase, secret_key, &err) != 0) {
        if (err.status == 403)
            keys_unlock_failed(request, subject);
        goto fail;
    }
    if (seal_secret_lock(fresh, secret_key, &locked, &err) != 0)
        goto fail;
    memcpy(bytes, officer.public_key, SEAL_PUBLIC_KEY_BYTES);
    seal_locked_key_to_bytes(&locked, bytes + SEAL_PUBLIC_KEY_BYTES);
    keys_officer_file(user_id, name, sizeof name);
    if (keyfile_replace(app->config.data_dir, name, bytes, sizeof bytes, &err) != 0 ||
        audit_append(conn, &err, &actor, "meldpunt.passphrase_changed", "user", user_id, NULL) != 0)
        goto fail;
    sodium_memzero(secret_key, sizeof secret_key);
    http_reply_json(request, 200, json_pack("{s:b}", "changed", 1));
    return;
fail:
    sodium_memzero(secret_key, sizeof secret_key);
    http_reply_err(request, &err);
}

void meldpunt_officers_list(http_request *request)
{
    store_result *rows = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    /* Users with the role, and officers whose role was taken away (their key should go). */
    if (store_query(http_request_db(request), &err, &rows,
                    "SELECT u.id, u.name, u.email, FIND_IN_SET('meldpunt', u.roles) > 0 AND u.disabled_at IS NULL,"
                    " o.user_id IS NOT NULL, o.wrapped_secret IS NOT NULL, g.name, o.granted_at"
                    " FROM users u LEFT JOIN meldpunt_officers o ON o.user_id = u.id"
                    " LEFT JOIN users g ON g.id = o.granted_by"
                    " WHERE FIND_IN_SET('meldpunt', u.roles) > 0 OR o.user_id IS NOT NULL ORDER BY u.name, u.id",
                    STORE_NO_PARAMS) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        long long id = store_result_int(rows, r, 0);
        const char *state = store_result_int(rows, r, 5) ? "active" : store_result_int(rows, r, 4) ? "waiting" : "none";
        json_t *item = json_pack("{s:I, s:s, s:s, s:s, s:b, s:b, s:s?}", "user_id", (json_int_t)id, "name",
                                 store_result_text(rows, r, 1), "email", store_result_text(rows, r, 2), "state", state,
                                 "role", store_result_int(rows, r, 3) != 0, "me",
                                 id == http_request_principal(request)->user_id, "granted_by",
                                 store_result_text(rows, r, 6));
        const char *granted_at = store_result_text(rows, r, 7);
        json_object_set_new(item, "granted_on", granted_at ? json_stringn(granted_at, 10) : json_null());
        json_array_append_new(items, item);
    }
    store_result_free(rows);
    http_reply_json(request, 200, json_pack("{s:o}", "items", items));
}

void meldpunt_officer_grant(http_request *request)
{
    store_conn *conn = http_request_db(request);
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES], secret_key[SEAL_SECRET_KEY_BYTES];
    unsigned char wrapped[MELDPUNT_WRAPPED_SECRET_BYTES];
    store_result *rows = NULL;
    long long id = 0, affected = 0;
    keys_officer officer;
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    if (store_query(conn, &err, &rows,
                    "SELECT FIND_IN_SET('meldpunt', roles) > 0 AND disabled_at IS NULL FROM users WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0 ||
        keys_officer_load(conn, id, &officer, &err) != 0)
        goto fail;
    if (store_result_rows(rows) != 1) {
        alvd_err_set(&err, 404, "not_found", NULL, "Gebruiker niet gevonden.");
        goto fail;
    }
    if (store_result_int(rows, 0, 0) == 0) {
        alvd_err_set(&err, 409, "not_meldpunt", NULL, "Deze gebruiker heeft de rol meldpunt niet.");
        goto fail;
    }
    if (!officer.present) {
        alvd_err_set(&err, 409, "no_officer_key", NULL,
                     "Deze functionaris heeft nog geen eigen wachtzin gekozen; dat komt eerst.");
        goto fail;
    }
    if (officer.granted) {
        alvd_err_set(&err, 409, "already_granted", NULL, "Deze functionaris heeft al toegang.");
        goto fail;
    }
    /* Only someone who has the meldpunt open now can pass its key on. */
    if (meldpunt_secret_key(request, public_key, secret_key, &err) != 0)
        goto fail;
    crypto_box_seal(wrapped, secret_key, SEAL_SECRET_KEY_BYTES, officer.public_key);
    sodium_memzero(secret_key, sizeof secret_key);
    if (store_begin(conn, &err) != 0 ||
        store_execute(conn, &err, &affected,
                      "UPDATE meldpunt_officers SET wrapped_secret = ?, granted_by = ?, granted_at = UTC_TIMESTAMP(6)"
                      " WHERE user_id = ? AND public_key = ? AND wrapped_secret IS NULL",
                      STORE_PARAMS(STORE_BLOB_PARAM(wrapped, sizeof wrapped),
                                   STORE_INT_PARAM(http_request_principal(request)->user_id), STORE_INT_PARAM(id),
                                   STORE_BLOB_PARAM(officer.public_key, sizeof officer.public_key))) != 0)
        goto fail;
    if (affected != 1) {
        alvd_err_set(&err, 409, "already_granted", NULL, "Intussen is er al iets veranderd; laad de lijst opnieuw.");
        goto fail;
    }
    if (audit_append(conn, &err, &actor, "meldpunt.officer_granted", "user", id, NULL) != 0 ||
        store_commit(conn, &err) != 0)
        goto fail;
    store_result_free(rows);
    http_reply_json(request, 200, json_pack("{s:I, s:s}", "user_id", (json_int_t)id, "state", "active"));
    return;
fail:
    sodium_memzero(secret_key, sizeof secret_key);
    store_result_free(rows);
    http_reply_err(request, &err);
}

void meldpunt_officer_remove(http_request *request)
{
    const alvd_app *app = http_request_app(request);
    store_conn *conn = http_request_db(request);
    long long id = 0, active = 0;
    keys_officer officer;
    char name[64];
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    store_result *locked_rows = NULL;
    /* Lock every officer row: two officers removing each other at once leave one. */
    if (store_begin(conn, &err) != 0 ||
        store_query(conn, &err, &locked_rows, "SELECT user_id FROM meldpunt_officers FOR UPDATE", STORE_NO_PARAMS) != 0)
        goto fail;
    store_result_free(locked_rows);
    if (keys_officer_load(conn, id, &officer, &err) != 0 || meldpunt_active_officers(conn, &active, &err) != 0)
        goto fail;
    if (!officer.present) {
        alvd_err_set(&err, 404, "not_found", NULL, "Deze functionaris heeft geen sleutel.");
        goto fail;
    }
    if (officer.granted && active <= 1) {
        alvd_err_set(&err, 409, "last_officer", NULL,
                     "Dit is de enige functionaris met toegang. Geef eerst een ander toegang; anders is geen "
                     "melding meer te lezen.");
        goto fail;
    }
    if (store_execute(conn, &err, NULL, "DELETE FROM meldpunt_officers WHERE user_id = ?",
                      STORE_PARAMS(STORE_INT_PARAM(id))) != 0 ||
        store_execute(conn, &err, NULL,
                      "DELETE u FROM meldpunt_unlocks u JOIN sessions s ON s.id = u.session_id WHERE s.user_id = ?",
                      STORE_PARAMS(STORE_INT_PARAM(id))) != 0 ||
        audit_append(conn, &err, &actor, "meldpunt.officer_removed", "user", id, NULL) != 0 ||
        store_commit(conn, &err) != 0)
        goto fail;
    keys_officer_file(id, name, sizeof name);
    if (keyfile_remove(app->config.data_dir, name, &err) != 0)
        goto fail;
    http_reply_empty(request, 204);
    return;
fail:
    http_reply_err(request, &err);
}
