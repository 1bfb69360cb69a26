/* Random bearer secrets (sessions, e-mailed links, receipts) and the keyed hashes
 * under which alvd stores them: the database never holds a usable token. */
#ifndef ALVD_CRYPTO_TOKEN_H
#define ALVD_CRYPTO_TOKEN_H

#include <stddef.h>

#define TOKEN_BYTES 32
#define TOKEN_TEXT_SIZE 44   /* base64url of 32 bytes (43 chars) + NUL */
#define TOKEN_HASH_BYTES 32

/* Fill out with a new 256-bit random token, base64url without padding. */
void token_new(char out[TOKEN_TEXT_SIZE]);
/* BLAKE2b-256 of the token text: what is stored and looked up. */
void token_hash(const char *token, unsigned char out[TOKEN_HASH_BYTES]);
/* Encode bytes as base64url without padding into out (size >= 4*len/3+2). */
void token_base64url(const unsigned char *bytes, size_t length, char *out, size_t out_size);
/* Decode base64url (no padding, no trailing garbage); returns the byte count or -1. */
long token_base64url_decode(const char *text, unsigned char *out, size_t out_size);
/* Lower-case hex of bytes into out (size >= 2*len+1). */
void token_hex(const unsigned char *bytes, size_t length, char *out, size_t out_size);

#endif
