/* Meeting tickets: a compact payload (version, meeting id, ticket id, 16-byte nonce — no
 * personal data) signed with Ed25519 and written as base64url; the QR holds <public>/t/<code>. */
#ifndef ALVD_CRYPTO_TICKET_H
#define ALVD_CRYPTO_TICKET_H

#include <stddef.h>
#include <stdint.h>

#include <sodium.h>

#include "alvd/base/err.h"

#define TICKET_FORMAT_VERSION 1
#define TICKET_NONCE_BYTES 16
/* version (1) + meeting id (8, big endian) + ticket id (8, big endian) + nonce (16) */
#define TICKET_PAYLOAD_BYTES (1 + 8 + 8 + TICKET_NONCE_BYTES)
#define TICKET_SIGNED_BYTES (TICKET_PAYLOAD_BYTES + crypto_sign_BYTES)
/* base64url without padding of TICKET_SIGNED_BYTES (97 → 130 characters) + NUL */
#define TICKET_TEXT_SIZE 132
#define TICKET_HASH_BYTES 32
#define TICKET_KEY_FILE "ticket-ed25519.seed"

typedef struct ticket_keys {
    unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
    unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
} ticket_keys;

typedef struct ticket_payload {
    int version;
    long long meeting_id;
    long long ticket_id;
    unsigned char nonce[TICKET_NONCE_BYTES];
} ticket_payload;

/* The signing key pair, derived from the 32-byte seed in data_dir/keys/TICKET_KEY_FILE
 * (made on first use). Wipe with ticket_keys_wipe when done. */
int ticket_keys_load(const char *data_dir, ticket_keys *keys, alvd_err *err);
/* Derive the pair from a seed (tests, and what ticket_keys_load does). */
void ticket_keys_from_seed(const unsigned char seed[crypto_sign_SEEDBYTES], ticket_keys *keys);
void ticket_keys_wipe(ticket_keys *keys);

/* Sign payload into text (TICKET_TEXT_SIZE bytes). Ed25519 is deterministic, so the
 * same payload always gives the same code: a code can be shown again from the row. */
int ticket_sign(const ticket_keys *keys, const ticket_payload *payload,
                char text[TICKET_TEXT_SIZE], alvd_err *err);

/* Check a code: base64url, exact length, known version and a valid signature by
 * public_key. Anything else is -1 with 400 "forged" (field "ticket"); *out is filled
 * only on success. Revocation and the meeting are the caller's database check. */
int ticket_verify(const unsigned char public_key[crypto_sign_PUBLICKEYBYTES], const char *text,
                  ticket_payload *out, alvd_err *err);

/* BLAKE2b-256 of the code text: what the ticket row stores and compares. */
void ticket_code_hash(const char *text, unsigned char out[TICKET_HASH_BYTES]);

#endif
