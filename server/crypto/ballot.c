/* Secret-ballot cryptography: ballot_id checks, keyed hashes for the register and the
 * tracker, the sorted-tracker fingerprint, and Ed25519 signatures of decision records. */
#include "alvd/crypto/ballot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/crypto/keyfile.h"

#define BALLOT_REGISTER_LABEL "alvd ballot register v1"
#define BALLOT_TRACKER_LABEL "alvd ballot tracker v1"

int ballot_key_load(const char *data_dir, unsigned char key[BALLOT_KEY_BYTES], alvd_err *err)
{
    return keyfile_load_or_create(data_dir, BALLOT_KEY_FILE, key, BALLOT_KEY_BYTES, NULL, NULL, err);
}

int ballot_id_valid(const char *text)
{
    if (text == NULL)
        return 0;
    size_t length = strlen(text);
    if (length < BALLOT_ID_MIN || length > BALLOT_ID_MAX)
        return 0;
    for (size_t i = 0; i < length; i++) {
        char c = text[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                 c == '_';
        if (!ok)
            return 0;
    }
    return 1;
}

void ballot_register_hash(const unsigned char key[BALLOT_KEY_BYTES], const char *ballot_id,
                          unsigned char out[BALLOT_HASH_BYTES])
{
    crypto_generichash_state state;
    crypto_generichash_init(&state, key, BALLOT_KEY_BYTES, BALLOT_HASH_BYTES);
    crypto_generichash_update(&state, (const unsigned char *)BALLOT_REGISTER_LABEL, sizeof BALLOT_REGISTER_LABEL);
    crypto_generichash_update(&state, (const unsigned char *)ballot_id, strlen(ballot_id));
    crypto_generichash_final(&state, out, BALLOT_HASH_BYTES);
}

void ballot_tracker(const unsigned char key[BALLOT_KEY_BYTES], long long poll_id, const char *ballot_id,
                    unsigned char out[BALLOT_TRACKER_BYTES])
{
    unsigned char poll_bytes[8];
    for (int i = 0; i < 8; i++)
        poll_bytes[i] = (unsigned char)((unsigned long long)poll_id >> (56 - 8 * i));
    crypto_generichash_state state;
    crypto_generichash_init(&state, key, BALLOT_KEY_BYTES, BALLOT_TRACKER_BYTES);
    crypto_generichash_update(&state, (const unsigned char *)BALLOT_TRACKER_LABEL, sizeof BALLOT_TRACKER_LABEL);
    crypto_generichash_update(&state, poll_bytes, sizeof poll_bytes);
    crypto_generichash_update(&state, (const unsigned char *)ballot_id, strlen(ballot_id));
    crypto_generichash_final(&state, out, BALLOT_TRACKER_BYTES);
}

void ballot_hex(const unsigned char *bytes, size_t length, char *out)
{
    sodium_bin2hex(out, 2 * length + 1, bytes, length);
}

static int ballot_tracker_compare(const void *left, const void *right)
{
    return strcmp((const char *)left, (const char *)right);
}

void ballot_trackers_sort(char (*trackers)[BALLOT_TRACKER_TEXT_SIZE], size_t count)
{
    if (count > 1)
        qsort(trackers, count, BALLOT_TRACKER_TEXT_SIZE, ballot_tracker_compare);
}

void ballot_fingerprint(char (*const trackers)[BALLOT_TRACKER_TEXT_SIZE], size_t count, int votes_for,
                        int votes_against, int votes_abstain, char out[BALLOT_FINGERPRINT_TEXT_SIZE])
{
    static const char header[] = "alvd-poll-v1\n";
    crypto_hash_sha256_state state;
    unsigned char digest[crypto_hash_sha256_BYTES];
    char totals[96];
    crypto_hash_sha256_init(&state);
    crypto_hash_sha256_update(&state, (const unsigned char *)header, sizeof header - 1);
    for (size_t i = 0; i < count; i++) {
        crypto_hash_sha256_update(&state, (const unsigned char *)trackers[i], strlen(trackers[i]));
        crypto_hash_sha256_update(&state, (const unsigned char *)"\n", 1);
    }
    int length = snprintf(totals, sizeof totals, "for=%d\nagainst=%d\nabstain=%d\n", votes_for, votes_against,
                          votes_abstain);
    crypto_hash_sha256_update(&state, (const unsigned char *)totals, (unsigned long long)length);
    crypto_hash_sha256_final(&state, digest);
    ballot_hex(digest, sizeof digest, out);
}

int decisions_keys_load(const char *data_dir, decisions_keys *keys, alvd_err *err)
{
    unsigned char seed[crypto_sign_SEEDBYTES];
    if (keyfile_load_or_create(data_dir, DECISIONS_KEY_FILE, seed, sizeof seed, NULL, NULL, err) != 0)
        return -1;
    crypto_sign_seed_keypair(keys->public_key, keys->secret_key, seed);
    sodium_memzero(seed, sizeof seed);
    return 0;
}

void decisions_keys_wipe(decisions_keys *keys)
{
    sodium_memzero(keys, sizeof *keys);
}

void decisions_sign(const decisions_keys *keys, const char *text, size_t length,
                    unsigned char signature[crypto_sign_BYTES])
{
    crypto_sign_detached(signature, NULL, (const unsigned char *)text, length, keys->secret_key);
}

int decisions_verify(const unsigned char public_key[crypto_sign_PUBLICKEYBYTES], const char *text, size_t length,
                     const unsigned char *signature, size_t signature_length)
{
    if (signature_length != crypto_sign_BYTES)
        return 0;
    return crypto_sign_verify_detached(signature, (const unsigned char *)text, length, public_key) == 0;
}
