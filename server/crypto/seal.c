/* Confidential meldpunt data at rest: X25519 keypair locked by an argon2id passphrase
 * key, XChaCha20-Poly1305 per-report keys sealed to it, receipts derived with argon2id. */
#include "alvd/crypto/seal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The passphrase key costs ~0.5 s and 128 MiB: slow enough to make guessing expensive,
 * cheap enough for one unlock per login. Receipts use the INTERACTIVE limits since a
 * reporter waits for them on a phone. */
#define SEAL_LOCK_OPSLIMIT crypto_pwhash_OPSLIMIT_MODERATE
#define SEAL_LOCK_MEMLIMIT (crypto_pwhash_MEMLIMIT_INTERACTIVE * 2)
#define SEAL_NONCE_BYTES crypto_aead_xchacha20poly1305_ietf_NPUBBYTES

static const char seal_locked_ad[] = "meldpunt.secret_key";

static int seal_passphrase_key(const char *passphrase, const unsigned char salt[SEAL_SALT_BYTES],
                               unsigned long long opslimit, unsigned long long memlimit,
                               unsigned char key[SEAL_KEY_BYTES], alvd_err *err)
{
    if (crypto_pwhash(key, SEAL_KEY_BYTES, passphrase, strlen(passphrase), salt, opslimit,
                      (size_t)memlimit, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return alvd_err_set(err, 500, "out_of_memory", NULL,
                            "Niet genoeg geheugen om de sleutel af te leiden.");
    return 0;
}

static void seal_encrypt_into(const unsigned char key[SEAL_KEY_BYTES], const char *ad,
                              const unsigned char *plaintext, size_t length, unsigned char *out)
{
    randombytes_buf(out, SEAL_NONCE_BYTES);
    crypto_aead_xchacha20poly1305_ietf_encrypt(out + SEAL_NONCE_BYTES, NULL, plaintext, length,
                                               (const unsigned char *)ad, strlen(ad), NULL, out, key);
}

static int seal_decrypt_into(const unsigned char key[SEAL_KEY_BYTES], const char *ad,
                             const unsigned char *sealed, size_t sealed_length, unsigned char *out)
{
    if (sealed_length < SEAL_OVERHEAD)
        return -1;
    return crypto_aead_xchacha20poly1305_ietf_decrypt(out, NULL, NULL, sealed + SEAL_NONCE_BYTES,
                                                      sealed_length - SEAL_NONCE_BYTES,
                                                      (const unsigned char *)ad, strlen(ad),
                                                      sealed, key);
}

int seal_secret_lock(const char *passphrase, const unsigned char secret_key[SEAL_SECRET_KEY_BYTES],
                     seal_locked_key *locked, alvd_err *err)
{
    unsigned char lock_key[SEAL_KEY_BYTES];
    size_t length = strlen(passphrase);
    if (length < SEAL_PASSPHRASE_MIN || length > SEAL_PASSPHRASE_MAX)
        return alvd_err_set(err, 422, "weak_passphrase", "passphrase",
                            "Kies een wachtzin van minstens %d tekens.", SEAL_PASSPHRASE_MIN);
    memset(locked, 0, sizeof *locked);
    randombytes_buf(locked->salt, sizeof locked->salt);
    locked->opslimit = SEAL_LOCK_OPSLIMIT;
    locked->memlimit = SEAL_LOCK_MEMLIMIT;
    if (seal_passphrase_key(passphrase, locked->salt, locked->opslimit, locked->memlimit, lock_key,
                            err) != 0)
        return -1;
    seal_encrypt_into(lock_key, seal_locked_ad, secret_key, SEAL_SECRET_KEY_BYTES, locked->sealed);
    sodium_memzero(lock_key, sizeof lock_key);
    return 0;
}

int seal_keypair_create(const char *passphrase, unsigned char public_key[SEAL_PUBLIC_KEY_BYTES],
                        seal_locked_key *locked, alvd_err *err)
{
    unsigned char secret_key[SEAL_SECRET_KEY_BYTES];
    crypto_box_keypair(public_key, secret_key);
    int rc = seal_secret_lock(passphrase, secret_key, locked, err);
    sodium_memzero(secret_key, sizeof secret_key);
    return rc;
}

int seal_keypair_unlock(const char *passphrase, const unsigned char public_key[SEAL_PUBLIC_KEY_BYTES],
                        const seal_locked_key *locked,
                        unsigned char secret_key[SEAL_SECRET_KEY_BYTES], alvd_err *err)
{
    unsigned char lock_key[SEAL_KEY_BYTES], derived_public[SEAL_PUBLIC_KEY_BYTES];
    /* Refuse limits that a tampered key file could set absurdly high or low. */
    if (locked->opslimit < crypto_pwhash_OPSLIMIT_MIN || locked->opslimit > crypto_pwhash_OPSLIMIT_SENSITIVE ||
        locked->memlimit < crypto_pwhash_MEMLIMIT_INTERACTIVE || locked->memlimit > crypto_pwhash_MEMLIMIT_SENSITIVE)
        return alvd_err_set(err, 500, "bad_key_file", NULL, "Het sleutelbestand van het meldpunt is beschadigd.");
    if (seal_passphrase_key(passphrase, locked->salt, locked->opslimit, locked->memlimit, lock_key,
                            err) != 0)
        return -1;
    int opened = seal_decrypt_into(lock_key, seal_locked_ad, locked->sealed, sizeof locked->sealed,
                                   secret_key);
    sodium_memzero(lock_key, sizeof lock_key);
    if (opened != 0)
        return alvd_err_set(err, 403, "wrong_passphrase", "passphrase", "De wachtzin klopt niet.");
    crypto_scalarmult_base(derived_public, secret_key);
    if (sodium_memcmp(derived_public, public_key, SEAL_PUBLIC_KEY_BYTES) != 0) {
        sodium_memzero(secret_key, SEAL_SECRET_KEY_BYTES);
        return alvd_err_set(err, 500, "bad_key_file", NULL,
                            "De geheime en de publieke sleutel van het meldpunt horen niet bij elkaar.");
    }
    return 0;
}

static void seal_put_u64(unsigned char *out, unsigned long long value)
{
    for (int i = 0; i < 8; i++)
        out[i] = (unsigned char)(value >> (8 * i));
}

static unsigned long long seal_get_u64(const unsigned char *in)
{
    unsigned long long value = 0;
    for (int i = 7; i >= 0; i--)
        value = (value << 8) | in[i];
    return value;
}

void seal_locked_key_to_bytes(const seal_locked_key *locked, unsigned char out[SEAL_LOCKED_KEY_BYTES])
{
    memcpy(out, locked->salt, SEAL_SALT_BYTES);
    seal_put_u64(out + SEAL_SALT_BYTES, locked->opslimit);
    seal_put_u64(out + SEAL_SALT_BYTES + 8, locked->memlimit);
    memcpy(out + SEAL_SALT_BYTES + 16, locked->sealed, sizeof locked->sealed);
}

void seal_locked_key_from_bytes(const unsigned char bytes[SEAL_LOCKED_KEY_BYTES], seal_locked_key *locked)
{
    memcpy(locked->salt, bytes, SEAL_SALT_BYTES);
    locked->opslimit = seal_get_u64(bytes + SEAL_SALT_BYTES);
    locked->memlimit = seal_get_u64(bytes + SEAL_SALT_BYTES + 8);
    memcpy(locked->sealed, bytes + SEAL_SALT_BYTES + 16, sizeof locked->sealed);
}

void seal_key_new(unsigned char key[SEAL_KEY_BYTES])
{
    crypto_aead_xchacha20poly1305_ietf_keygen(key);
}

void seal_key_wrap(const unsigned char public_key[SEAL_PUBLIC_KEY_BYTES],
                   const unsigned char key[SEAL_KEY_BYTES], unsigned char wrapped[SEAL_WRAPPED_KEY_BYTES])
{
    crypto_box_seal(wrapped, key, SEAL_KEY_BYTES, public_key);
}

int seal_key_unwrap(const unsigned char public_key[SEAL_PUBLIC_KEY_BYTES],
                    const unsigned char secret_key[SEAL_SECRET_KEY_BYTES],
                    const unsigned char *wrapped, size_t wrapped_length,
                    unsigned char key[SEAL_KEY_BYTES], alvd_err *err)
{
    if (wrapped == NULL || wrapped_length != SEAL_WRAPPED_KEY_BYTES ||
        crypto_box_seal_open(key, wrapped, wrapped_length, public_key, secret_key) != 0)
        return alvd_err_set(err, 500, "sealed_data_damaged", NULL,
                            "De sleutel van deze melding opent niet met de sleutel van het meldpunt.");
    return 0;
}

unsigned char *seal_encrypt(const unsigned char key[SEAL_KEY_BYTES], const char *ad,
                            const void *plaintext, size_t length, size_t *sealed_length)
{
    unsigned char *out = malloc(length + SEAL_OVERHEAD);
    if (out == NULL)
        return NULL;
    seal_encrypt_into(key, ad, plaintext, length, out);
    *sealed_length = length + SEAL_OVERHEAD;
    return out;
}

unsigned char *seal_decrypt(const unsigned char key[SEAL_KEY_BYTES], const char *ad,
                            const unsigned char *sealed, size_t sealed_length, size_t *length,
                            alvd_err *err)
{
    if (sealed == NULL || sealed_length < SEAL_OVERHEAD) {
        alvd_err_set(err, 500, "sealed_data_damaged", NULL, "Versleutelde gegevens zijn beschadigd.");
        return NULL;
    }
    size_t plain_length = sealed_length - SEAL_OVERHEAD;
    unsigned char *out = malloc(plain_length + 1);
    if (out == NULL) {
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        return NULL;
    }
    if (seal_decrypt_into(key, ad, sealed, sealed_length, out) != 0) {
        free(out);
        alvd_err_set(err, 500, "sealed_data_damaged", NULL, "Versleutelde gegevens zijn beschadigd.");
        return NULL;
    }
    out[plain_length] = '\0';
    if (length)
        *length = plain_length;
    return out;
}

char *seal_ad(char *out, size_t size, const char *table_column, long long id)
{
    snprintf(out, size, "%s:%lld", table_column, id);
    return out;
}

unsigned char *seal_to_public_key(const unsigned char public_key[SEAL_PUBLIC_KEY_BYTES],
                                  const void *message, size_t length, size_t *sealed_length)
{
    unsigned char *out = malloc(length + crypto_box_SEALBYTES);
    if (out == NULL)
        return NULL;
    crypto_box_seal(out, message, length, public_key);
    *sealed_length = length + crypto_box_SEALBYTES;
    return out;
}

void seal_session_key(const char *token, unsigned char key[SEAL_KEY_BYTES])
{
    crypto_generichash_state state;
    crypto_generichash_init(&state, NULL, 0, SEAL_KEY_BYTES);
    crypto_generichash_update(&state, (const unsigned char *)token, strlen(token));
    crypto_generichash_update(&state, (const unsigned char *)"meldpunt", 8);
    crypto_generichash_final(&state, key, SEAL_KEY_BYTES);
}

void seal_receipt_new(char out[SEAL_RECEIPT_TEXT_SIZE])
{
    size_t used = 0;
    for (int i = 0; i < SEAL_RECEIPT_DIGITS; i++) {
        if (i > 0 && i % 4 == 0)
            out[used++] = ' ';
        out[used++] = (char)('0' + randombytes_uniform(10));
    }
    out[used] = '\0';
}

int seal_receipt_normalise(const char *text, char digits[SEAL_RECEIPT_DIGITS + 1])
{
    size_t count = 0;
    for (const char *p = text; p && *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (count == SEAL_RECEIPT_DIGITS)
                return -1;
            digits[count++] = *p;
        } else if (*p != ' ' && *p != '-') {
            return -1;
        }
    }
    digits[count] = '\0';
    return count == SEAL_RECEIPT_DIGITS ? 0 : -1;
}

int seal_receipt_derive(const char digits[SEAL_RECEIPT_DIGITS + 1],
                        const unsigned char salt[SEAL_SALT_BYTES],
                        unsigned char verifier[crypto_generichash_BYTES],
                        unsigned char reporter_key[SEAL_KEY_BYTES], alvd_err *err)
{
    /* One argon2id run gives 64 bytes: the first half is what the database compares,
     * the second half a key that is never stored. The prefix digits are in the clear
     * in the database, so only the secret digits are the password. */
    unsigned char derived[crypto_generichash_BYTES + SEAL_KEY_BYTES];
    const char *secret = digits + SEAL_RECEIPT_PREFIX;
    if (crypto_pwhash(derived, sizeof derived, secret, strlen(secret), salt,
                      crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                      crypto_pwhash_ALG_ARGON2ID13) != 0)
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Niet genoeg geheugen.");
    memcpy(verifier, derived, crypto_generichash_BYTES);
    memcpy(reporter_key, derived + crypto_generichash_BYTES, SEAL_KEY_BYTES);
    sodium_memzero(derived, sizeof derived);
    return 0;
}
