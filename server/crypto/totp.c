/* TOTP for the staff second factor: SHA-1 and HMAC-SHA-1 written from FIPS 180-4 and
 * RFC 2104 (libsodium has no SHA-1), HOTP/TOTP (RFC 4226/6238), base32, recovery codes. */
#include "alvd/crypto/totp.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/base/buf.h"

/* ---------------------------------------------------------------- SHA-1 */

typedef struct totp_sha1_state {
    uint32_t h[5];
    unsigned char block[64];
    size_t used;
    uint64_t total;
} totp_sha1_state;

static uint32_t totp_rotl(uint32_t value, int bits)
{
    return (value << bits) | (value >> (32 - bits));
}

static void totp_sha1_block(totp_sha1_state *state, const unsigned char block[64])
{
    uint32_t w[80];
    for (int t = 0; t < 16; t++)
        w[t] = ((uint32_t)block[4 * t] << 24) | ((uint32_t)block[4 * t + 1] << 16) |
               ((uint32_t)block[4 * t + 2] << 8) | block[4 * t + 3];
    for (int t = 16; t < 80; t++)
        w[t] = totp_rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);
    uint32_t a = state->h[0], b = state->h[1], c = state->h[2], d = state->h[3], e = state->h[4];
    for (int t = 0; t < 80; t++) {
        uint32_t f, k;
        if (t < 20) {
            f = (b & c) | (~b & d);
            k = 0x5a827999u;
        } else if (t < 40) {
            f = b ^ c ^ d;
            k = 0x6ed9eba1u;
        } else if (t < 60) {
            f = (b & c) | (b & d) | (c & d);
            k = 0x8f1bbcdcu;
        } else {
            f = b ^ c ^ d;
            k = 0xca62c1d6u;
        }
        uint32_t temp = totp_rotl(a, 5) + f + e + k + w[t];
        e = d;
        d = c;
        c = totp_rotl(b, 30);
        b = a;
        a = temp;
    }
    state->h[0] += a;
    state->h[1] += b;
    state->h[2] += c;
    state->h[3] += d;
    state->h[4] += e;
}

static void totp_sha1_init(totp_sha1_state *state)
{
    static const uint32_t initial[5] = {0x67452301u, 0xefcdab89u, 0x98badcfeu, 0x10325476u, 0xc3d2e1f0u};
    memcpy(state->h, initial, sizeof initial);
    state->used = 0;
    state->total = 0;
}

static void totp_sha1_update(totp_sha1_state *state, const unsigned char *data, size_t length)
{
    state->total += length;
    while (length > 0) {
        size_t take = 64 - state->used < length ? 64 - state->used : length;
        memcpy(state->block + state->used, data, take);
        state->used += take;
        data += take;
        length -= take;
        if (state->used == 64) {
            totp_sha1_block(state, state->block);
            state->used = 0;
        }
    }
}

static void totp_sha1_final(totp_sha1_state *state, unsigned char digest[20])
{
    uint64_t bits = state->total * 8;
    unsigned char pad = 0x80, zero = 0, length[8];
    totp_sha1_update(state, &pad, 1);
    while (state->used != 56)
        totp_sha1_update(state, &zero, 1);
    for (int i = 0; i < 8; i++)
        length[i] = (unsigned char)(bits >> (56 - 8 * i));
    totp_sha1_update(state, length, 8);
    for (int i = 0; i < 5; i++) {
        digest[4 * i] = (unsigned char)(state->h[i] >> 24);
        digest[4 * i + 1] = (unsigned char)(state->h[i] >> 16);
        digest[4 * i + 2] = (unsigned char)(state->h[i] >> 8);
        digest[4 * i + 3] = (unsigned char)state->h[i];
    }
    sodium_memzero(state, sizeof *state);
}

void totp_sha1(const unsigned char *data, size_t length, unsigned char digest[20])
{
    totp_sha1_state state;
    totp_sha1_init(&state);
    totp_sha1_update(&state, data, length);
    totp_sha1_final(&state, digest);
}

void totp_hmac_sha1(const unsigned char *key, size_t key_length, const unsigned char *message,
                    size_t message_length, unsigned char mac[20])
{
    unsigned char block_key[64] = {0}, pad[64], inner[20];
    totp_sha1_state state;
    if (key_length > 64)
        totp_sha1(key, key_length, block_key);
    else
        memcpy(block_key, key, key_length);
    for (int i = 0; i < 64; i++)
        pad[i] = block_key[i] ^ 0x36;
    totp_sha1_init(&state);
    totp_sha1_update(&state, pad, 64);
    totp_sha1_update(&state, message, message_length);
    totp_sha1_final(&state, inner);
    for (int i = 0; i < 64; i++)
        pad[i] = block_key[i] ^ 0x5c;
    totp_sha1_init(&state);
    totp_sha1_update(&state, pad, 64);
    totp_sha1_update(&state, inner, sizeof inner);
    totp_sha1_final(&state, mac);
    sodium_memzero(block_key, sizeof block_key);
    sodium_memzero(pad, sizeof pad);
    sodium_memzero(inner, sizeof inner);
}

/* ---------------------------------------------------------------- HOTP / TOTP */

uint32_t totp_hotp(const unsigned char *secret, size_t secret_length, uint64_t counter, int digits)
{
    unsigned char message[8], mac[20];
    for (int i = 0; i < 8; i++)
        message[i] = (unsigned char)(counter >> (56 - 8 * i));
    totp_hmac_sha1(secret, secret_length, message, sizeof message, mac);
    /* Dynamic truncation (RFC 4226 §5.3). */
    int offset = mac[19] & 0x0f;
    uint32_t binary = ((uint32_t)(mac[offset] & 0x7f) << 24) | ((uint32_t)mac[offset + 1] << 16) |
                      ((uint32_t)mac[offset + 2] << 8) | mac[offset + 3];
    sodium_memzero(mac, sizeof mac);
    uint32_t modulus = 1;
    for (int i = 0; i < digits; i++)
        modulus *= 10;
    return binary % modulus;
}

int64_t totp_step_of(int64_t unix_time)
{
    /* Floor division, so a (hypothetical) negative time still steps down. */
    return unix_time >= 0 ? unix_time / TOTP_PERIOD_SECONDS
                          : -((-unix_time + TOTP_PERIOD_SECONDS - 1) / TOTP_PERIOD_SECONDS);
}

totp_result totp_verify(const unsigned char *secret, size_t secret_length, const char *code,
                        int64_t unix_time, int64_t last_step, int64_t *matched_step)
{
    uint32_t typed = 0;
    size_t digits = 0;
    for (const char *p = code ? code : ""; *p; p++) {
        if (*p == ' ')
            continue; /* "123 456", as some apps show it */
        if (*p < '0' || *p > '9' || digits == TOTP_DIGITS)
            return TOTP_MALFORMED;
        typed = typed * 10 + (uint32_t)(*p - '0');
        digits++;
    }
    if (digits != TOTP_DIGITS)
        return TOTP_MALFORMED;
    int64_t now = totp_step_of(unix_time);
    totp_result result = TOTP_WRONG;
    /* Every step of the window is computed, match or not, so the answer takes as long
     * for a right code as for a wrong one. */
    for (int64_t step = now - TOTP_WINDOW_STEPS; step <= now + TOTP_WINDOW_STEPS; step++) {
        uint32_t expected = totp_hotp(secret, secret_length, (uint64_t)step, TOTP_DIGITS);
        int same = sodium_memcmp(&expected, &typed, sizeof typed) == 0;
        if (!same || result == TOTP_OK)
            continue;
        if (step > last_step) {
            result = TOTP_OK;
            if (matched_step)
                *matched_step = step;
        } else {
            result = TOTP_REPLAYED;
        }
    }
    return result;
}

/* ---------------------------------------------------------------- base32 */

static const char totp_base32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

void totp_base32_encode(const unsigned char *bytes, size_t length, char *out, size_t out_size)
{
    size_t used = 0;
    uint32_t buffer = 0;
    int bits = 0;
    for (size_t i = 0; i < length; i++) {
        buffer = (buffer << 8) | bytes[i];
        bits += 8;
        while (bits >= 5 && used + 1 < out_size) {
            out[used++] = totp_base32_alphabet[(buffer >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0 && used + 1 < out_size)
        out[used++] = totp_base32_alphabet[(buffer << (5 - bits)) & 31];
    if (out_size)
        out[used] = '\0';
}

int totp_base32_decode(const char *text, unsigned char *out, size_t out_size, size_t *length)
{
    uint32_t buffer = 0;
    int bits = 0;
    size_t used = 0;
    for (const char *p = text; *p; p++) {
        if (*p == ' ' || *p == '=' || *p == '-')
            continue;
        char upper = (*p >= 'a' && *p <= 'z') ? (char)(*p - 'a' + 'A') : *p;
        const char *at = strchr(totp_base32_alphabet, upper);
        if (at == NULL || upper == '\0')
            return -1;
        buffer = (buffer << 5) | (uint32_t)(at - totp_base32_alphabet);
        bits += 5;
        if (bits >= 8) {
            if (used == out_size)
                return -1;
            out[used++] = (unsigned char)(buffer >> (bits - 8));
            bits -= 8;
        }
    }
    *length = used;
    return 0;
}

/* ---------------------------------------------------------------- otpauth URI */

static void totp_percent_encode(alvd_buf *out, const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
            *p == '.' || *p == '_' || *p == '~')
            buf_appendf(out, "%c", *p);
        else
            buf_appendf(out, "%%%02X", *p);
    }
}

char *totp_uri(const char *issuer, const char *account, const char *secret_base32)
{
    alvd_buf uri;
    buf_init(&uri, 2048);
    buf_append_str(&uri, "otpauth://totp/");
    totp_percent_encode(&uri, issuer);
    buf_append_str(&uri, ":");
    totp_percent_encode(&uri, account);
    buf_appendf(&uri, "?secret=%s&issuer=", secret_base32);
    totp_percent_encode(&uri, issuer);
    buf_appendf(&uri, "&algorithm=SHA1&digits=%d&period=%d", TOTP_DIGITS, TOTP_PERIOD_SECONDS);
    if (uri.overflowed || uri.data == NULL) {
        buf_free(&uri);
        return NULL;
    }
    return buf_take(&uri, NULL);
}

/* ---------------------------------------------------------------- recovery codes */

/* Crockford's base32: no i, l, o or u, so nothing is mistaken when read off paper. */
static const char totp_recovery_alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";

void totp_recovery_new(char out[TOTP_RECOVERY_TEXT_SIZE])
{
    size_t used = 0;
    for (int i = 0; i < 12; i++) {
        if (i > 0 && i % 4 == 0)
            out[used++] = '-';
        out[used++] = totp_recovery_alphabet[randombytes_uniform(32)];
    }
    out[used] = '\0';
}

int totp_recovery_normalise(const char *text, char out[TOTP_RECOVERY_TEXT_SIZE])
{
    size_t symbols = 0, used = 0;
    for (const char *p = text ? text : ""; *p; p++) {
        char c = *p;
        if (c == ' ' || c == '-')
            continue;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c == 'o')
            c = '0';
        else if (c == 'i' || c == 'l')
            c = '1';
        if (c == '\0' || strchr(totp_recovery_alphabet, c) == NULL || symbols == 12)
            return -1;
        if (symbols > 0 && symbols % 4 == 0)
            out[used++] = '-';
        out[used++] = c;
        symbols++;
    }
    out[used] = '\0';
    return symbols == 12 ? 0 : -1;
}
