/* Bearer tokens: 256 random bits, base64url on the wire, BLAKE2b in the database,
 * so a database dump gives no session or link that can be used. */
#include "alvd/crypto/token.h"

#include <sodium.h>
#include <string.h>

void token_base64url(const unsigned char *bytes, size_t length, char *out, size_t out_size)
{
    sodium_bin2base64(out, out_size, bytes, length, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

long token_base64url_decode(const char *text, unsigned char *out, size_t out_size)
{
    size_t decoded = 0;
    if (sodium_base642bin(out, out_size, text, strlen(text), NULL, &decoded, NULL,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
        return -1;
    return (long)decoded;
}

void token_new(char out[TOKEN_TEXT_SIZE])
{
    unsigned char bytes[TOKEN_BYTES];
    randombytes_buf(bytes, sizeof bytes);
    token_base64url(bytes, sizeof bytes, out, TOKEN_TEXT_SIZE);
    sodium_memzero(bytes, sizeof bytes);
}

void token_hash(const char *token, unsigned char out[TOKEN_HASH_BYTES])
{
    crypto_generichash(out, TOKEN_HASH_BYTES, (const unsigned char *)token, strlen(token),
                       NULL, 0);
}

void token_hex(const unsigned char *bytes, size_t length, char *out, size_t out_size)
{
    sodium_bin2hex(out, out_size, bytes, length);
}
