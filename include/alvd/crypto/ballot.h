/* Secret-ballot cryptography: the phone's ballot_id check, its keyed hash for the
 * voted register, the receipt tracker, the published fingerprint, decision signatures. */
#ifndef ALVD_CRYPTO_BALLOT_H
#define ALVD_CRYPTO_BALLOT_H

#include <stddef.h>

#include <sodium.h>

#include "alvd/base/err.h"

#define BALLOT_ID_MIN 16               /* a UUID (36) or a token of 16..64 characters */
#define BALLOT_ID_MAX 64
#define BALLOT_HASH_BYTES 32
#define BALLOT_TRACKER_BYTES 16        /* 128 bits (V5) */
#define BALLOT_TRACKER_TEXT_SIZE (2 * BALLOT_TRACKER_BYTES + 1)
#define BALLOT_FINGERPRINT_TEXT_SIZE (2 * crypto_hash_sha256_BYTES + 1)
#define BALLOT_KEY_BYTES 32
#define BALLOT_KEY_FILE "ballot.key"
#define DECISIONS_KEY_FILE "decisions.key"  /* Ed25519 seed of the decision signatures */

/* The server's ballot key (ALVD_DATA_DIR/keys/ballot.key, made on first use). */
int ballot_key_load(const char *data_dir, unsigned char key[BALLOT_KEY_BYTES], alvd_err *err);

/* 1 when text is an acceptable ballot_id: 16..64 characters of [A-Za-z0-9_-]
 * (a UUID from crypto.randomUUID() is one). */
int ballot_id_valid(const char *text);

/* What the register keeps to recognise a retry: BLAKE2b-256 keyed with the ballot key
 * over a domain label and the ballot_id. Without the ballot_id (which lives only on
 * the phone) it cannot be tied to a ballot. */
void ballot_register_hash(const unsigned char key[BALLOT_KEY_BYTES], const char *ballot_id,
                          unsigned char out[BALLOT_HASH_BYTES]);

/* The receipt tracker of a ballot: 128 bits of BLAKE2b keyed with the ballot key over
 * another domain label, the poll id and the ballot_id. It is unpredictable without
 * the key, unrelated to the choice (V5), and the same for a retry of the same ballot,
 * so the phone gets its receipt again without any stored link to the member. */
void ballot_tracker(const unsigned char key[BALLOT_KEY_BYTES], long long poll_id, const char *ballot_id,
                    unsigned char out[BALLOT_TRACKER_BYTES]);

/* Lower-case hex of bytes into out (2 * length + 1 bytes). */
void ballot_hex(const unsigned char *bytes, size_t length, char *out);

/* Sort tracker texts (each BALLOT_TRACKER_TEXT_SIZE - 1 hex characters) in place. */
void ballot_trackers_sort(char (*trackers)[BALLOT_TRACKER_TEXT_SIZE], size_t count);

/* The published fingerprint (V5): SHA-256, as hex, of
 *   "alvd-poll-v1\n" + one line "<tracker>\n" per sorted tracker
 *   + "for=<n>\nagainst=<n>\nabstain=<n>\n".
 * trackers must already be sorted. Anyone can recompute it from the published list. */
void ballot_fingerprint(char (*const trackers)[BALLOT_TRACKER_TEXT_SIZE], size_t count, int votes_for,
                        int votes_against, int votes_abstain, char out[BALLOT_FINGERPRINT_TEXT_SIZE]);

/* Decision signatures: an Ed25519 pair derived from the seed in DECISIONS_KEY_FILE. */
typedef struct decisions_keys {
    unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
    unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
} decisions_keys;
int decisions_keys_load(const char *data_dir, decisions_keys *keys, alvd_err *err);
void decisions_keys_wipe(decisions_keys *keys);
void decisions_sign(const decisions_keys *keys, const char *text, size_t length,
                    unsigned char signature[crypto_sign_BYTES]);
/* 1 when signature is valid for text under public_key. */
int decisions_verify(const unsigned char public_key[crypto_sign_PUBLICKEYBYTES], const char *text, size_t length,
                     const unsigned char *signature, size_t signature_length);

#endif
