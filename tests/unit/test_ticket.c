/* Unit tests for server/crypto/ticket.c: a signed code verifies to its payload; a
 * bit-flipped, forged (other key), truncated or garbage code is refused as "forged". */
#include "alvd/crypto/ticket.h"

#include <string.h>

#include "alvd/crypto/token.h"
#include "check.h"

static void make_keys(unsigned char fill, ticket_keys *keys)
{
    unsigned char seed[crypto_sign_SEEDBYTES];
    memset(seed, fill, sizeof seed);
    ticket_keys_from_seed(seed, keys);
}

static int refused_as_forged(const ticket_keys *keys, const char *text)
{
    ticket_payload payload;
    alvd_err err;
    alvd_err_clear(&err);
    int rc = ticket_verify(keys->public_key, text, &payload, &err);
    return rc == -1 && err.status == 400 && strcmp(err.code, "forged") == 0;
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    ticket_keys keys, other;
    make_keys(7, &keys);
    make_keys(8, &other);
    ticket_payload payload = {.version = TICKET_FORMAT_VERSION, .meeting_id = 42, .ticket_id = 1234567};
    for (int i = 0; i < TICKET_NONCE_BYTES; i++)
        payload.nonce[i] = (unsigned char)(i * 17 + 3);
    char code[TICKET_TEXT_SIZE];
    alvd_err err;
    alvd_err_clear(&err);

    /* sign and verify */
    CHECK_INT(ticket_sign(&keys, &payload, code, &err), 0, "sign");
    CHECK_INT(strlen(code), TICKET_TEXT_SIZE - 2, "code length");
    CHECK(strspn(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == strlen(code),
          "code is base64url: %s", code);
    ticket_payload back;
    memset(&back, 0, sizeof back);
    CHECK_INT(ticket_verify(keys.public_key, code, &back, &err), 0, "verify");
    CHECK_INT(back.meeting_id, 42, "meeting id");
    CHECK_INT(back.ticket_id, 1234567, "ticket id");
    CHECK_INT(back.version, TICKET_FORMAT_VERSION, "version");
    CHECK(memcmp(back.nonce, payload.nonce, TICKET_NONCE_BYTES) == 0, "nonce round trip");

    /* deterministic: the same payload gives the same code (the list can show it again) */
    char again[TICKET_TEXT_SIZE];
    ticket_sign(&keys, &payload, again, &err);
    CHECK_STR(again, code, "deterministic signature");

    /* every single-bit flip of the decoded bytes is refused */
    unsigned char bytes[TICKET_SIGNED_BYTES + 4];
    CHECK_INT(token_base64url_decode(code, bytes, sizeof bytes), TICKET_SIGNED_BYTES, "decoded size");
    int flips_refused = 0, flips = 0;
    for (size_t byte = 0; byte < TICKET_SIGNED_BYTES; byte++) {
        for (int bit = 0; bit < 8; bit++) {
            unsigned char flipped[TICKET_SIGNED_BYTES];
            char text[TICKET_TEXT_SIZE];
            memcpy(flipped, bytes, sizeof flipped);
            flipped[byte] ^= (unsigned char)(1u << bit);
            token_base64url(flipped, sizeof flipped, text, sizeof text);
            flips++;
            flips_refused += refused_as_forged(&keys, text);
        }
    }
    CHECK_INT(flips_refused, flips, "bit flips refused");

    /* changing one character of the text is refused too */
    char edited[TICKET_TEXT_SIZE];
    memcpy(edited, code, sizeof edited);
    edited[40] = edited[40] == 'A' ? 'B' : 'A';
    CHECK(refused_as_forged(&keys, edited), "edited character");
    /* the last character carries 4 unused bits: a non-canonical spelling is refused */
    memcpy(edited, code, sizeof edited);
    size_t last = strlen(edited) - 1;
    edited[last] = edited[last] == 'A' ? 'B' : (char)(edited[last] + 1);
    CHECK(refused_as_forged(&keys, edited), "non-canonical last character");

    /* forged: a valid signature by another key */
    char forged[TICKET_TEXT_SIZE];
    ticket_sign(&other, &payload, forged, &err);
    CHECK(refused_as_forged(&keys, forged), "signed by another key");

    /* another meeting: the signature covers the meeting id, so rewriting it fails;
     * a genuine code of another meeting verifies and names that meeting */
    ticket_payload other_meeting = payload;
    other_meeting.meeting_id = 43;
    char genuine_other[TICKET_TEXT_SIZE];
    ticket_sign(&keys, &other_meeting, genuine_other, &err);
    CHECK_INT(ticket_verify(keys.public_key, genuine_other, &back, &err), 0, "other meeting verifies");
    CHECK_INT(back.meeting_id, 43, "other meeting id is reported for the caller's check");
    unsigned char spliced[TICKET_SIGNED_BYTES];
    token_base64url_decode(code, spliced, sizeof spliced);
    spliced[8] = 43; /* last byte of the meeting id, keeping the old signature */
    char spliced_text[TICKET_TEXT_SIZE];
    token_base64url(spliced, sizeof spliced, spliced_text, sizeof spliced_text);
    CHECK(refused_as_forged(&keys, spliced_text), "meeting id rewritten under old signature");

    /* truncated: every shorter prefix is refused */
    int truncations_refused = 0;
    for (size_t length = 0; length < strlen(code); length++) {
        char prefix[TICKET_TEXT_SIZE];
        memcpy(prefix, code, length);
        prefix[length] = '\0';
        truncations_refused += refused_as_forged(&keys, prefix);
    }
    CHECK_INT(truncations_refused, (long long)strlen(code), "truncations refused");
    char longer[TICKET_TEXT_SIZE + 8];
    snprintf(longer, sizeof longer, "%sAA", code);
    CHECK(refused_as_forged(&keys, longer), "extended code");

    /* garbage: not base64url, padding, wrong version, NULL */
    char garbage[TICKET_TEXT_SIZE];
    memset(garbage, '!', TICKET_TEXT_SIZE - 2);
    garbage[TICKET_TEXT_SIZE - 2] = '\0';
    CHECK(refused_as_forged(&keys, garbage), "punctuation garbage");
    memcpy(garbage, code, TICKET_TEXT_SIZE);
    garbage[10] = '+';
    CHECK(refused_as_forged(&keys, garbage), "standard base64 character");
    garbage[10] = '=';
    CHECK(refused_as_forged(&keys, garbage), "padding character");
    CHECK(refused_as_forged(&keys, ""), "empty");
    CHECK(refused_as_forged(&keys, NULL), "NULL");
    CHECK(refused_as_forged(&keys, "https://example.org/t/abc"), "a URL");
    unsigned char version_two[TICKET_SIGNED_BYTES];
    memcpy(version_two, bytes, sizeof version_two);
    version_two[0] = 2;
    crypto_sign_detached(version_two + TICKET_PAYLOAD_BYTES, NULL, version_two, TICKET_PAYLOAD_BYTES,
                         keys.secret_key);
    char version_text[TICKET_TEXT_SIZE];
    token_base64url(version_two, sizeof version_two, version_text, sizeof version_text);
    CHECK(refused_as_forged(&keys, version_text), "unknown version, even when signed");

    /* signing refuses ids that cannot be real */
    ticket_payload zero = payload;
    zero.ticket_id = 0;
    CHECK_INT(ticket_sign(&keys, &zero, again, &err), -1, "zero ticket id refused");

    /* the stored hash is stable and differs per code */
    unsigned char hash_a[TICKET_HASH_BYTES], hash_b[TICKET_HASH_BYTES], hash_c[TICKET_HASH_BYTES];
    ticket_code_hash(code, hash_a);
    ticket_code_hash(code, hash_b);
    ticket_code_hash(genuine_other, hash_c);
    CHECK(memcmp(hash_a, hash_b, sizeof hash_a) == 0, "hash stable");
    CHECK(memcmp(hash_a, hash_c, sizeof hash_a) != 0, "hash differs per code");

    ticket_keys_wipe(&keys);
    ticket_keys_wipe(&other);
    return check_report("test_ticket");
}
