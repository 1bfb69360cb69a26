/* The meldpunt's keys with one key per officer: each officer's own passphrase opens their
 * own keypair, to which another officer sealed the meldpunt's secret key; no shared secret. */
#include "alvd/service/meldpunt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/crypto/keyfile.h"
#include "alvd/http/auth.h"
#include "alvd/store/meldpunt_keys.h"

#define UNLOCK_FAILURES_PER_USER 5 /* per 10 minutes, in the database: the subject is a user id */
#define UNLOCK_WINDOW_SECONDS 600

static const char keys_locked_message[] = "Ontgrendel eerst het meldpunt met uw wachtzin.";

static void keys_officer_file(long long user_id, char *out, size_t size)
{
    snprintf(out, size, MELDPUNT_OFFICER_FILE_FORMAT, user_id);
}

/* ---------------------------------------------------------------- the meldpunt key */

int service_meldpunt_public_key(const alvd_app *app, unsigned char public_key[SEAL_PUBLIC_KEY_BYTES], alvd_err *err)
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
    long long officers = 0, reports = 0;
    *orphaned = 0;
    if (keys_shared_file(app, shared, err) == 0)
        return 0;
    if (err->status != 404)
        return -1;
    alvd_err_clear(err);
    if (store_meldpunt_keys_sealed_counts(conn, &officers, &reports, err) != 0)
        return -1;
    *orphaned = officers == 0 && reports == 0;
    return 0;
}

int service_meldpunt_keypair_create(const alvd_app *app, unsigned char secret_key[SEAL_SECRET_KEY_BYTES],
                                    alvd_err *err)
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

int service_meldpunt_secret_key(const service_meldpunt_officer *officer,
                                unsigned char public_key[SEAL_PUBLIC_KEY_BYTES],
                                unsigned char secret_key[SEAL_SECRET_KEY_BYTES], alvd_err *err)
{
    unsigned char session_key[SEAL_KEY_BYTES], *sealed = NULL;
    size_t sealed_length = 0, length = 0;
    char ad[96];
    if (service_meldpunt_public_key(officer->app, public_key, err) != 0)
        return -1;
    if (officer->session_token == NULL || !officer->is_user)
        return alvd_err_set(err, 403, "locked", NULL, "%s", keys_locked_message);
    if (store_meldpunt_keys_unlock_load(officer->conn, officer->session_id, &sealed, &sealed_length, err) != 0)
        return -1;
    if (sealed == NULL)
        return alvd_err_set(err, 403, "locked", NULL, "%s", keys_locked_message);
    seal_session_key(officer->session_token, session_key);
    unsigned char *secret = seal_decrypt(session_key, seal_ad(ad, sizeof ad, "meldpunt_unlocks.sealed_secret",
                                                              officer->session_id),
                                         sealed, sealed_length, &length, err);
    sodium_memzero(session_key, sizeof session_key);
    free(sealed);
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
static int keys_store_unlock(const service_meldpunt_officer *officer,
                             const unsigned char secret_key[SEAL_SECRET_KEY_BYTES], alvd_err *err)
{
    unsigned char session_key[SEAL_KEY_BYTES];
    char ad[96];
    size_t sealed_length = 0;
    if (officer->session_token == NULL)
        return alvd_err_set(err, 401, "not_logged_in", NULL, "Log eerst in.");
    seal_session_key(officer->session_token, session_key);
    unsigned char *sealed = seal_encrypt(session_key, seal_ad(ad, sizeof ad, "meldpunt_unlocks.sealed_secret",
                                                              officer->session_id),
                                         secret_key, SEAL_SECRET_KEY_BYTES, &sealed_length);
    sodium_memzero(session_key, sizeof session_key);
    if (sealed == NULL)
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    int rc = store_meldpunt_keys_unlock_save(officer->conn, officer->session_id, sealed, sealed_length, err);
    free(sealed);
    return rc;
}

/* Seal the opened secret to this session and audit action, in one transaction (setup,
 * unlock and migrate end so). */
static int keys_unlock_commit(const service_meldpunt_officer *officer,
                              const unsigned char secret_key[SEAL_SECRET_KEY_BYTES], const char *action,
                              json_t *details, alvd_err *err)
{
    store_conn *conn = officer->conn;
    if ((!store_in_transaction(conn) && store_begin(conn, err) != 0) ||
        keys_store_unlock(officer, secret_key, err) != 0 ||
        audit_append(conn, err, &officer->actor, action, "meldpunt", 0, details) != 0 || store_commit(conn, err) != 0) {
        store_rollback(conn);
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- officers */

int service_meldpunt_active_officers(store_conn *conn, long long *count, alvd_err *err)
{
    return store_meldpunt_keys_active_officers(conn, count, err);
}

/* Open an officer's own secret key with their passphrase (argon2id) from their key file. */
static int keys_officer_open(const alvd_app *app, long long user_id, const store_meldpunt_officer *officer,
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
static int keys_meldpunt_open(const alvd_app *app, const store_meldpunt_officer *officer,
                              const unsigned char officer_secret[SEAL_SECRET_KEY_BYTES],
                              unsigned char meldpunt_secret[SEAL_SECRET_KEY_BYTES], alvd_err *err)
{
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES], derived[SEAL_PUBLIC_KEY_BYTES];
    if (service_meldpunt_public_key(app, public_key, err) != 0)
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

int service_meldpunt_officer_create(const alvd_app *app, store_conn *conn, long long user_id,
                                    const char *passphrase, const unsigned char *meldpunt_secret,
                                    long long granted_by, alvd_err *err)
{
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES], bytes[MELDPUNT_OFFICER_FILE_BYTES];
    unsigned char wrapped[STORE_MELDPUNT_WRAPPED_SECRET_BYTES];
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
    return store_meldpunt_keys_officer_insert(conn, user_id, public_key, meldpunt_secret ? wrapped : NULL,
                                              granted_by, err);
}

/* ---------------------------------------------------------------- passphrase flows */

/* What every flow that takes an officer's passphrase starts with: the failure limit per
 * user (in the database: not an anonymous subject) and the officer's key row. */
static int keys_passphrase_begin(const service_meldpunt_officer *officer, char subject[32],
                                 store_meldpunt_officer *row, alvd_err *err)
{
    snprintf(subject, 32, "user:%lld", officer->user_id);
    if (auth_rate_check(officer->conn, officer->app->rate_key, "meldpunt_unlock", subject, UNLOCK_WINDOW_SECONDS,
                        UNLOCK_FAILURES_PER_USER, err) != 0)
        return -1;
    return store_meldpunt_keys_officer_load(officer->conn, officer->user_id, row, err);
}

/* A wrong passphrase (err 403) is counted against the user and audited; err stays as it is. */
static void keys_passphrase_failed(const service_meldpunt_officer *officer, const char *subject,
                                   const alvd_err *err)
{
    if (err->status != 403)
        return;
    alvd_err ignored;
    alvd_err_clear(&ignored);
    auth_rate_record(officer->conn, officer->app->rate_key, "meldpunt_unlock", subject, &ignored);
    audit_append(officer->conn, &ignored, &officer->actor, "meldpunt.unlock_failed", "meldpunt", 0, NULL);
}

static int keys_weak(const char *passphrase, const char *field, alvd_err *err)
{
    if (strlen(passphrase) >= SEAL_PASSPHRASE_MIN)
        return 0;
    return alvd_err_set(err, 422, "weak_passphrase", field, "Kies een wachtzin van minstens %d tekens.",
                        SEAL_PASSPHRASE_MIN);
}

/* ---------------------------------------------------------------- flows */

int service_meldpunt_status_of(const service_meldpunt_officer *officer, service_meldpunt_status *status,
                               alvd_err *err)
{
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES], secret_key[SEAL_SECRET_KEY_BYTES];
    unsigned char shared[MELDPUNT_KEY_FILE_BYTES];
    store_meldpunt_officer row;
    memset(status, 0, sizeof *status);
    status->set_up = service_meldpunt_public_key(officer->app, public_key, err) == 0;
    if (!status->set_up && err->status != 503)
        return -1;
    alvd_err_clear(err);
    status->unlocked = status->set_up && service_meldpunt_secret_key(officer, public_key, secret_key, err) == 0;
    sodium_memzero(secret_key, sizeof secret_key);
    alvd_err_clear(err);
    status->shared_passphrase = keys_shared_file(officer->app, shared, err) == 0;
    alvd_err_clear(err);
    if (store_meldpunt_keys_officer_load(officer->conn, officer->user_id, &row, err) != 0 ||
        store_meldpunt_keys_active_officers(officer->conn, &status->officers, err) != 0)
        return -1;
    status->officer = row.granted ? "active" : row.present ? "waiting" : "none";
    return 0;
}

/* A public key that exists may only be replaced when a failed setup orphaned it. */
static int keys_setup_allowed(const alvd_app *app, store_conn *conn, alvd_err *err)
{
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES];
    int orphaned = 0;
    if (service_meldpunt_public_key(app, public_key, err) == 0) {
        if (keys_orphaned(app, conn, &orphaned, err) != 0)
            return -1;
        if (!orphaned)
            return alvd_err_set(err, 409, "already_set_up", NULL, "Het meldpunt heeft al een sleutel.");
        /* Nobody holds this key's secret and nothing is sealed to it: start again. */
        if (keyfile_remove(app->config.data_dir, MELDPUNT_PUBLIC_FILE, err) != 0)
            return -1;
    } else if (err->status != 503) {
        return -1;
    }
    alvd_err_clear(err);
    return 0;
}

int service_meldpunt_setup(const service_meldpunt_officer *officer, const char *passphrase, alvd_err *err)
{
    const alvd_app *app = officer->app;
    store_conn *conn = officer->conn;
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES], secret_key[SEAL_SECRET_KEY_BYTES];
    /* The passphrase is checked before anything is made, so a weak one leaves nothing behind. */
    if (keys_weak(passphrase, "passphrase", err) != 0 || keys_setup_allowed(app, conn, err) != 0)
        return -1;
    /* The officer's row first, the public key file last: intake can only seal to a key
     * that an officer holds. */
    if (store_begin(conn, err) != 0 || store_meldpunt_keys_officer_delete(conn, officer->user_id, err) != 0) {
        store_rollback(conn);
        return -1;
    }
    crypto_box_keypair(public_key, secret_key);
    int rc = service_meldpunt_officer_create(app, conn, officer->user_id, passphrase, secret_key, officer->user_id,
                                             err) == 0 &&
             keys_store_unlock(officer, secret_key, err) == 0 &&
             audit_append(conn, err, &officer->actor, "meldpunt.setup", "meldpunt", 0, NULL) == 0 &&
             keys_public_write(app, public_key, err) == 0 && store_commit(conn, err) == 0;
    sodium_memzero(secret_key, sizeof secret_key);
    if (!rc)
        store_rollback(conn);
    return rc ? 0 : -1;
}

/* Why an officer without a key row cannot unlock: no meldpunt, the shared passphrase to
 * migrate from, or no passphrase chosen yet. */
static int keys_no_officer_key(const alvd_app *app, alvd_err *err)
{
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES], shared[MELDPUNT_KEY_FILE_BYTES];
    if (service_meldpunt_public_key(app, public_key, err) != 0)
        return -1;
    if (keys_shared_file(app, shared, err) == 0)
        return alvd_err_set(err, 409, "shared_passphrase_migration", NULL,
                            "Het meldpunt gebruikt nog één gedeelde wachtzin. Vul die in en kies uw eigen wachtzin.");
    return alvd_err_set(err, 409, "no_officer_key", NULL,
                        "Kies eerst uw eigen wachtzin; daarna geeft een andere functionaris u toegang.");
}

int service_meldpunt_unlock(const service_meldpunt_officer *officer, const char *passphrase, alvd_err *err)
{
    unsigned char officer_secret[SEAL_SECRET_KEY_BYTES], secret_key[SEAL_SECRET_KEY_BYTES];
    store_meldpunt_officer row;
    char subject[32];
    if (keys_passphrase_begin(officer, subject, &row, err) != 0)
        return -1;
    if (!row.present)
        return keys_no_officer_key(officer->app, err);
    if (!row.granted)
        return alvd_err_set(err, 403, "not_granted", NULL,
                            "Een andere functionaris moet u eerst toegang geven tot het meldpunt.");
    if (keys_officer_open(officer->app, officer->user_id, &row, passphrase, officer_secret, err) != 0) {
        keys_passphrase_failed(officer, subject, err);
        return -1;
    }
    int rc = keys_meldpunt_open(officer->app, &row, officer_secret, secret_key, err);
    sodium_memzero(officer_secret, sizeof officer_secret);
    if (rc == 0)
        rc = keys_unlock_commit(officer, secret_key, "meldpunt.unlock", NULL, err);
    sodium_memzero(secret_key, sizeof secret_key);
    return rc;
}

int service_meldpunt_lock(const service_meldpunt_officer *officer, alvd_err *err)
{
    store_conn *conn = officer->conn;
    if (store_begin(conn, err) != 0 || store_meldpunt_keys_unlock_delete(conn, officer->session_id, err) != 0 ||
        audit_append(conn, err, &officer->actor, "meldpunt.lock", "meldpunt", 0, NULL) != 0 ||
        store_commit(conn, err) != 0) {
        store_rollback(conn);
        return -1;
    }
    return 0;
}

/* The checks of a migration before the shared key is opened: a new passphrase of one's
 * own and no key of one's own yet; then the shared key file's bytes. */
static int keys_migrate_check(const service_meldpunt_officer *officer, const store_meldpunt_officer *row,
                              const char *shared_passphrase, const char *passphrase,
                              unsigned char shared[MELDPUNT_KEY_FILE_BYTES], alvd_err *err)
{
    if (keys_weak(passphrase, "passphrase", err) != 0)
        return -1;
    if (strcmp(passphrase, shared_passphrase) == 0)
        return alvd_err_set(err, 422, "same_passphrase", "passphrase",
                            "Kies een eigen wachtzin, niet de gedeelde die de anderen ook kennen.");
    if (row->present)
        return alvd_err_set(err, 409, "has_officer_key", NULL, "U heeft al een eigen sleutel; ontgrendel daarmee.");
    if (keys_shared_file(officer->app, shared, err) != 0) {
        if (err->status == 404)
            alvd_err_set(err, 409, "no_shared_passphrase", NULL,
                         "De gedeelde wachtzin is al vervangen; kies uw eigen wachtzin en vraag een andere "
                         "functionaris om toegang.");
        return -1;
    }
    return 0;
}

int service_meldpunt_migrate(const service_meldpunt_officer *officer, const char *shared_passphrase,
                             const char *passphrase, alvd_err *err)
{
    const alvd_app *app = officer->app;
    unsigned char shared[MELDPUNT_KEY_FILE_BYTES], secret_key[SEAL_SECRET_KEY_BYTES];
    store_meldpunt_officer row;
    seal_locked_key locked;
    char subject[32];
    if (keys_passphrase_begin(officer, subject, &row, err) != 0 ||
        keys_migrate_check(officer, &row, shared_passphrase, passphrase, shared, err) != 0)
        return -1;
    seal_locked_key_from_bytes(shared + SEAL_PUBLIC_KEY_BYTES, &locked);
    if (seal_keypair_unlock(shared_passphrase, shared, &locked, secret_key, err) != 0) {
        if (err->status == 403)
            snprintf(err->field, sizeof err->field, "shared_passphrase");
        keys_passphrase_failed(officer, subject, err);
        return -1;
    }
    json_t *details = json_pack("{s:I}", "officer", (json_int_t)officer->user_id);
    int rc = store_begin(officer->conn, err) == 0 &&
             service_meldpunt_officer_create(app, officer->conn, officer->user_id, passphrase, secret_key,
                                             officer->user_id, err) == 0 &&
             keys_unlock_commit(officer, secret_key, "meldpunt.shared_passphrase_retired", details, err) == 0;
    json_decref(details);
    sodium_memzero(secret_key, sizeof secret_key);
    if (!rc)
        store_rollback(officer->conn);
    /* The public key gets its own file before the shared file goes, so the key is never
     * missing; once gone, the shared passphrase opens nothing this server keeps. */
    if (!rc || keys_public_write(app, shared, err) != 0 ||
        keyfile_remove(app->config.data_dir, MELDPUNT_KEY_FILE, err) != 0)
        return -1;
    return 0;
}

int service_meldpunt_officer_key(const service_meldpunt_officer *officer, const char *passphrase, alvd_err *err)
{
    store_conn *conn = officer->conn;
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES];
    store_meldpunt_officer row;
    if (service_meldpunt_public_key(officer->app, public_key, err) != 0 ||
        store_meldpunt_keys_officer_load(conn, officer->user_id, &row, err) != 0)
        return -1;
    if (row.present)
        return alvd_err_set(err, 409, "has_officer_key", NULL,
                            "U heeft al een eigen sleutel. Een andere wachtzin kiezen kan met uw huidige wachtzin.");
    if (store_begin(conn, err) != 0 ||
        service_meldpunt_officer_create(officer->app, conn, officer->user_id, passphrase, NULL, 0, err) != 0 ||
        audit_append(conn, err, &officer->actor, "meldpunt.officer_key_made", "user", officer->user_id, NULL) != 0 ||
        store_commit(conn, err) != 0) {
        store_rollback(conn);
        return -1;
    }
    return 0;
}

int service_meldpunt_officer_passphrase(const service_meldpunt_officer *officer, const char *passphrase,
                                        const char *new_passphrase, alvd_err *err)
{
    unsigned char secret_key[SEAL_SECRET_KEY_BYTES], bytes[MELDPUNT_OFFICER_FILE_BYTES];
    store_meldpunt_officer row;
    seal_locked_key locked;
    char subject[32], name[64];
    if (keys_passphrase_begin(officer, subject, &row, err) != 0)
        return -1;
    if (!row.present)
        return alvd_err_set(err, 409, "no_officer_key", NULL, "U heeft nog geen eigen sleutel.");
    if (keys_weak(new_passphrase, "new_passphrase", err) != 0)
        return -1;
    if (keys_officer_open(officer->app, officer->user_id, &row, passphrase, secret_key, err) != 0) {
        keys_passphrase_failed(officer, subject, err);
        return -1;
    }
    int rc = seal_secret_lock(new_passphrase, secret_key, &locked, err);
    sodium_memzero(secret_key, sizeof secret_key);
    if (rc != 0)
        return -1;
    memcpy(bytes, row.public_key, SEAL_PUBLIC_KEY_BYTES);
    seal_locked_key_to_bytes(&locked, bytes + SEAL_PUBLIC_KEY_BYTES);
    keys_officer_file(officer->user_id, name, sizeof name);
    if (keyfile_replace(officer->app->config.data_dir, name, bytes, sizeof bytes, err) != 0)
        return -1;
    return audit_append(officer->conn, err, &officer->actor, "meldpunt.passphrase_changed", "user",
                        officer->user_id, NULL);
}

int service_meldpunt_officers(store_conn *conn, struct store_meldpunt_officer_rows *rows, alvd_err *err)
{
    return store_meldpunt_keys_officers_list(conn, rows, err);
}

/* Whether user_id may be granted access: the role, a key of their own, none granted yet. */
static int keys_grant_check(store_conn *conn, long long user_id, store_meldpunt_officer *row, alvd_err *err)
{
    int exists = 0, role = 0;
    if (store_meldpunt_keys_user_role(conn, user_id, &exists, &role, err) != 0 ||
        store_meldpunt_keys_officer_load(conn, user_id, row, err) != 0)
        return -1;
    if (!exists)
        return alvd_err_set(err, 404, "not_found", NULL, "Gebruiker niet gevonden.");
    if (!role)
        return alvd_err_set(err, 409, "not_meldpunt", NULL, "Deze gebruiker heeft de rol meldpunt niet.");
    if (!row->present)
        return alvd_err_set(err, 409, "no_officer_key", NULL,
                            "Deze functionaris heeft nog geen eigen wachtzin gekozen; dat komt eerst.");
    if (row->granted)
        return alvd_err_set(err, 409, "already_granted", NULL, "Deze functionaris heeft al toegang.");
    return 0;
}

int service_meldpunt_officer_grant(const service_meldpunt_officer *officer, long long user_id, alvd_err *err)
{
    store_conn *conn = officer->conn;
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES], secret_key[SEAL_SECRET_KEY_BYTES];
    unsigned char wrapped[STORE_MELDPUNT_WRAPPED_SECRET_BYTES];
    store_meldpunt_officer row;
    long long affected = 0;
    if (keys_grant_check(conn, user_id, &row, err) != 0)
        return -1;
    /* Only someone who has the meldpunt open now can pass its key on. */
    if (service_meldpunt_secret_key(officer, public_key, secret_key, err) != 0) {
        sodium_memzero(secret_key, sizeof secret_key);
        return -1;
    }
    crypto_box_seal(wrapped, secret_key, SEAL_SECRET_KEY_BYTES, row.public_key);
    sodium_memzero(secret_key, sizeof secret_key);
    if (store_begin(conn, err) != 0 ||
        store_meldpunt_keys_officer_grant(conn, user_id, row.public_key, wrapped, officer->user_id, &affected,
                                          err) != 0)
        goto fail;
    if (affected != 1) {
        alvd_err_set(err, 409, "already_granted", NULL, "Intussen is er al iets veranderd; laad de lijst opnieuw.");
        goto fail;
    }
    if (audit_append(conn, err, &officer->actor, "meldpunt.officer_granted", "user", user_id, NULL) != 0 ||
        store_commit(conn, err) != 0)
        goto fail;
    return 0;
fail:
    store_rollback(conn);
    return -1;
}

int service_meldpunt_officer_remove(const service_meldpunt_officer *officer, long long user_id, alvd_err *err)
{
    store_conn *conn = officer->conn;
    long long active = 0;
    store_meldpunt_officer row;
    char name[64];
    /* Lock every officer row: two officers removing each other at once leave one. */
    if (store_begin(conn, err) != 0 || store_meldpunt_keys_officers_lock(conn, err) != 0 ||
        store_meldpunt_keys_officer_load(conn, user_id, &row, err) != 0 ||
        store_meldpunt_keys_active_officers(conn, &active, err) != 0)
        goto fail;
    if (!row.present) {
        alvd_err_set(err, 404, "not_found", NULL, "Deze functionaris heeft geen sleutel.");
        goto fail;
    }
    if (row.granted && active <= 1) {
        alvd_err_set(err, 409, "last_officer", NULL,
                     "Dit is de enige functionaris met toegang. Geef eerst een ander toegang; anders is geen "
                     "melding meer te lezen.");
        goto fail;
    }
    if (store_meldpunt_keys_officer_delete(conn, user_id, err) != 0 ||
        store_meldpunt_keys_unlocks_delete_of_user(conn, user_id, err) != 0 ||
        audit_append(conn, err, &officer->actor, "meldpunt.officer_removed", "user", user_id, NULL) != 0 ||
        store_commit(conn, err) != 0)
        goto fail;
    keys_officer_file(user_id, name, sizeof name);
    return keyfile_remove(officer->app->config.data_dir, name, err);
fail:
    store_rollback(conn);
    return -1;
}

/* ---------------------------------------------------------------- a report's key */

int service_meldpunt_report_key(const service_meldpunt_officer *officer, long long id,
                                unsigned char report_key[SEAL_KEY_BYTES], alvd_err *err)
{
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES], secret_key[SEAL_SECRET_KEY_BYTES], *wrapped = NULL;
    size_t length = 0;
    if (store_meldpunt_reports_wrapped_key(officer->conn, id, &wrapped, &length, err) != 0)
        return -1;
    int rc = service_meldpunt_secret_key(officer, public_key, secret_key, err);
    if (rc == 0)
        rc = seal_key_unwrap(public_key, secret_key, wrapped, length, report_key, err);
    sodium_memzero(secret_key, sizeof secret_key);
    free(wrapped);
    return rc;
}
