/* Sealing of confidential meldpunt data: keypairs with their secret half locked under an
 * officer's passphrase, per-report keys, field encryption and receipts. */
#ifndef ALVD_CRYPTO_SEAL_H
#define ALVD_CRYPTO_SEAL_H

#include <stddef.h>

#include <sodium.h>

#include "alvd/base/err.h"

#define SEAL_PUBLIC_KEY_BYTES crypto_box_PUBLICKEYBYTES   /* 32, X25519 */
#define SEAL_SECRET_KEY_BYTES crypto_box_SECRETKEYBYTES   /* 32 */
#define SEAL_KEY_BYTES crypto_aead_xchacha20poly1305_ietf_KEYBYTES /* 32, a report key */
#define SEAL_WRAPPED_KEY_BYTES (SEAL_KEY_BYTES + crypto_box_SEALBYTES) /* 80 */
/* nonce (24) ‖ ciphertext ‖ tag (16) */
#define SEAL_OVERHEAD                                                                  \
    (crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + crypto_aead_xchacha20poly1305_ietf_ABYTES)
#define SEAL_SALT_BYTES crypto_pwhash_SALTBYTES           /* 16 */
#define SEAL_PASSPHRASE_MIN 12
#define SEAL_PASSPHRASE_MAX 512

/* The secret key locked under a passphrase: everything needed to unlock it except the
 * passphrase itself. Fixed layout so it fits a key file byte for byte. */
typedef struct seal_locked_key {
    unsigned char salt[SEAL_SALT_BYTES];
    unsigned long long opslimit;
    unsigned long long memlimit;
    unsigned char sealed[SEAL_SECRET_KEY_BYTES + SEAL_OVERHEAD];
} seal_locked_key;
#define SEAL_LOCKED_KEY_BYTES (SEAL_SALT_BYTES + 16 + SEAL_SECRET_KEY_BYTES + SEAL_OVERHEAD)

/* Make a new meldpunt keypair; the secret key comes back only locked under passphrase
 * (argon2id, MODERATE limits: call on a worker thread). 422 "weak_passphrase" when
 * shorter than SEAL_PASSPHRASE_MIN. */
int seal_keypair_create(const char *passphrase, unsigned char public_key[SEAL_PUBLIC_KEY_BYTES],
                        seal_locked_key *locked, alvd_err *err);
/* Lock an existing secret key under a (new) passphrase, with a fresh salt. */
int seal_secret_lock(const char *passphrase, const unsigned char secret_key[SEAL_SECRET_KEY_BYTES],
                     seal_locked_key *locked, alvd_err *err);
/* Unlock the secret key; 403 "wrong_passphrase" when it does not open or does not match
 * public_key. secret_key must be wiped by the caller (sodium_memzero). */
int seal_keypair_unlock(const char *passphrase, const unsigned char public_key[SEAL_PUBLIC_KEY_BYTES],
                        const seal_locked_key *locked,
                        unsigned char secret_key[SEAL_SECRET_KEY_BYTES], alvd_err *err);
/* The locked key to/from its fixed byte layout (SEAL_LOCKED_KEY_BYTES). */
void seal_locked_key_to_bytes(const seal_locked_key *locked, unsigned char out[SEAL_LOCKED_KEY_BYTES]);
void seal_locked_key_from_bytes(const unsigned char bytes[SEAL_LOCKED_KEY_BYTES], seal_locked_key *locked);

/* A fresh random report key. */
void seal_key_new(unsigned char key[SEAL_KEY_BYTES]);
/* Wrap a report key to the meldpunt public key (crypto_box_seal), and unwrap it. */
void seal_key_wrap(const unsigned char public_key[SEAL_PUBLIC_KEY_BYTES],
                   const unsigned char key[SEAL_KEY_BYTES], unsigned char wrapped[SEAL_WRAPPED_KEY_BYTES]);
int seal_key_unwrap(const unsigned char public_key[SEAL_PUBLIC_KEY_BYTES],
                    const unsigned char secret_key[SEAL_SECRET_KEY_BYTES],
                    const unsigned char *wrapped, size_t wrapped_length,
                    unsigned char key[SEAL_KEY_BYTES], alvd_err *err);

/* Encrypt plaintext under key with XChaCha20-Poly1305 and associated data ad (which
 * names where the ciphertext lives, "table.column:row id", so a ciphertext copied to
 * another row or column does not open). Returns a malloc'd nonce ‖ ciphertext ‖ tag
 * of *sealed_length = length + SEAL_OVERHEAD bytes, or NULL when out of memory. */
unsigned char *seal_encrypt(const unsigned char key[SEAL_KEY_BYTES], const char *ad,
                            const void *plaintext, size_t length, size_t *sealed_length);
/* The reverse; returns malloc'd plaintext with a NUL after *length bytes (so text can be
 * used as a string), or NULL with 500 "sealed_data_damaged" when it does not open. */
unsigned char *seal_decrypt(const unsigned char key[SEAL_KEY_BYTES], const char *ad,
                            const unsigned char *sealed, size_t sealed_length, size_t *length,
                            alvd_err *err);
/* Write "table.column:id" into out. Returns out. */
char *seal_ad(char *out, size_t size, const char *table_column, long long id);

/* Seal a whole message to a public key (crypto_box_seal); malloc'd, length + 48 bytes. */
unsigned char *seal_to_public_key(const unsigned char public_key[SEAL_PUBLIC_KEY_BYTES],
                                  const void *message, size_t length, size_t *sealed_length);

/* The key that guards an unlocked secret key for one session: BLAKE2b-256 keyed by
 * nothing over token ‖ "meldpunt". Only the client holds the token (the database keeps
 * a different hash of it), so the database alone cannot rebuild this key. */
void seal_session_key(const char *token, unsigned char key[SEAL_KEY_BYTES]);

/* Receipts: SEAL_RECEIPT_DIGITS random decimal digits; the first SEAL_RECEIPT_PREFIX
 * digits are a lookup prefix kept in the clear, the other 16 are the secret. */
#define SEAL_RECEIPT_DIGITS 20
#define SEAL_RECEIPT_PREFIX 4
#define SEAL_RECEIPT_TEXT_SIZE 32 /* "1234 5678 9012 3456 7890" + NUL */
/* A new receipt, grouped by four digits with spaces. */
void seal_receipt_new(char out[SEAL_RECEIPT_TEXT_SIZE]);
/* Normalise user input: keep digits only; -1 unless exactly SEAL_RECEIPT_DIGITS of them
 * (spaces and dashes are allowed between). digits gets them + NUL. */
int seal_receipt_normalise(const char *text, char digits[SEAL_RECEIPT_DIGITS + 1]);
/* From the receipt digits and a salt, derive with crypto_pwhash (argon2id, INTERACTIVE;
 * a worker thread) a verifier (stored) and a reporter key (never stored; it wraps the
 * report key so the reporter can read the meldpunt's feedback). */
int seal_receipt_derive(const char digits[SEAL_RECEIPT_DIGITS + 1],
                        const unsigned char salt[SEAL_SALT_BYTES],
                        unsigned char verifier[crypto_generichash_BYTES],
                        unsigned char reporter_key[SEAL_KEY_BYTES], alvd_err *err);

#endif
