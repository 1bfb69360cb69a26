/* TOTP building blocks against their published vectors: SHA-1 (FIPS 180 examples),
 * HMAC-SHA-1 (RFC 2202), HOTP (RFC 4226 App. D), TOTP (RFC 6238 App. B), base32 (RFC 4648). */
#include <sodium.h>
#include <stdlib.h>

#include "alvd/crypto/totp.h"
#include "check.h"

static void hex(const unsigned char *bytes, size_t length, char *out)
{
    for (size_t i = 0; i < length; i++)
        snprintf(out + 2 * i, 3, "%02x", bytes[i]);
}

static void check_sha1(const char *message, size_t repeat, const char *expected)
{
    size_t length = strlen(message);
    unsigned char *data = malloc(length * repeat + 1), digest[20];
    char text[41];
    for (size_t i = 0; i < repeat; i++)
        memcpy(data + i * length, message, length);
    totp_sha1(data, length * repeat, digest);
    hex(digest, sizeof digest, text);
    CHECK_STR(text, expected, message);
    free(data);
}

static void check_hmac(const unsigned char *key, size_t key_length, const char *message, const char *expected)
{
    unsigned char mac[20];
    char text[41];
    totp_hmac_sha1(key, key_length, (const unsigned char *)message, strlen(message), mac);
    hex(mac, sizeof mac, text);
    CHECK_STR(text, expected, message);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    check_sha1("", 1, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    check_sha1("abc", 1, "a9993e364706816aba3e25717850c26c9cd0d89d");
    check_sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
               "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    check_sha1("a", 1000000, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
    /* 64 bytes exactly: the padding goes into a block of its own. */
    check_sha1("0123456701234567012345670123456701234567012345670123456701234567", 1,
               "e0c094e867ef46c350ef54a7f59dd60bed92ae83");

    unsigned char key1[20], key6[80];
    memset(key1, 0x0b, sizeof key1);
    memset(key6, 0xaa, sizeof key6);
    check_hmac(key1, sizeof key1, "Hi There", "b617318655057264e28bc0b6fb378c8ef146be00");
    check_hmac((const unsigned char *)"Jefe", 4, "what do ya want for nothing?",
               "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    check_hmac(key6, sizeof key6, "Test Using Larger Than Block-Size Key - Hash Key First",
               "aa4ae5e15272d00e95705637ce8a3b55ed402112");

    const unsigned char *secret = (const unsigned char *)"12345678901234567890";
    static const uint32_t hotp[10] = {755224, 287082, 359152, 969429, 338314,
                                      254676, 287922, 162583, 399871, 520489};
    for (uint64_t i = 0; i < 10; i++)
        CHECK_INT(totp_hotp(secret, 20, i, 6), hotp[i], "RFC 4226 HOTP");
    static const struct { int64_t time; uint32_t code; } rfc6238[] = {
        {59, 94287082},         {1111111109, 7081804},  {1111111111, 14050471},
        {1234567890, 89005924}, {2000000000, 69279037}, {20000000000LL, 65353130},
    };
    for (size_t i = 0; i < sizeof rfc6238 / sizeof rfc6238[0]; i++)
        CHECK_INT(totp_hotp(secret, 20, (uint64_t)totp_step_of(rfc6238[i].time), 8), rfc6238[i].code,
                  "RFC 6238 TOTP (SHA-1, 8 digits)");

    static const struct { const char *plain, *base32; } vectors[] = {
        {"", ""}, {"f", "MY"}, {"fo", "MZXQ"}, {"foo", "MZXW6"}, {"foob", "MZXW6YQ"},
        {"fooba", "MZXW6YTB"}, {"foobar", "MZXW6YTBOI"},
    };
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        char encoded[32];
        unsigned char decoded[16];
        size_t length = 99;
        totp_base32_encode((const unsigned char *)vectors[i].plain, strlen(vectors[i].plain), encoded,
                           sizeof encoded);
        CHECK_STR(encoded, vectors[i].base32, "base32 encode");
        CHECK_INT(totp_base32_decode(vectors[i].base32, decoded, sizeof decoded, &length), 0, "base32 decode");
        CHECK(length == strlen(vectors[i].plain) && memcmp(decoded, vectors[i].plain, length) == 0,
              "base32 decode of %s", vectors[i].base32);
    }
    unsigned char small[2];
    size_t small_length = 0;
    CHECK_INT(totp_base32_decode("mzxw 6===", small, sizeof small, &small_length), -1, "decode beyond out_size");
    CHECK_INT(totp_base32_decode("MZ1", small, sizeof small, &small_length), -1, "1 is not base32");
    char secret_text[TOTP_SECRET_TEXT_SIZE];
    totp_base32_encode(secret, 20, secret_text, sizeof secret_text);
    CHECK_STR(secret_text, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "a 20-byte secret is 32 characters");

    /* Verify: the window is one step either side; each step once; older after newer never. */
    int64_t now = 1111111111, step = totp_step_of(now), matched = 0;
    char code[16];
    snprintf(code, sizeof code, "%06u", totp_hotp(secret, 20, (uint64_t)step, 6));
    CHECK_INT(totp_verify(secret, 20, code, now, -1, &matched), TOTP_OK, "current step");
    CHECK_INT(matched, step, "matched step");
    CHECK_INT(totp_verify(secret, 20, code, now, step, &matched), TOTP_REPLAYED, "same code again");
    snprintf(code, sizeof code, "%06u", totp_hotp(secret, 20, (uint64_t)(step - 1), 6));
    CHECK_INT(totp_verify(secret, 20, code, now, -1, &matched), TOTP_OK, "one step old");
    CHECK_INT(matched, step - 1, "matched the old step");
    CHECK_INT(totp_verify(secret, 20, code, now, step, &matched), TOTP_REPLAYED, "older than the last used");
    snprintf(code, sizeof code, "%06u", totp_hotp(secret, 20, (uint64_t)(step + 1), 6));
    CHECK_INT(totp_verify(secret, 20, code, now, step, &matched), TOTP_OK, "one step ahead");
    snprintf(code, sizeof code, "%06u", totp_hotp(secret, 20, (uint64_t)(step - 2), 6));
    CHECK_INT(totp_verify(secret, 20, code, now, -1, &matched), TOTP_WRONG, "two steps old");
    snprintf(code, sizeof code, "%06u", totp_hotp(secret, 20, (uint64_t)(step + 2), 6));
    CHECK_INT(totp_verify(secret, 20, code, now, -1, &matched), TOTP_WRONG, "two steps ahead");
    snprintf(code, sizeof code, "%03u %03u", totp_hotp(secret, 20, (uint64_t)step, 6) / 1000,
             totp_hotp(secret, 20, (uint64_t)step, 6) % 1000);
    CHECK_INT(totp_verify(secret, 20, code, now, -1, &matched), TOTP_OK, "grouped with a space");
    CHECK_INT(totp_verify(secret, 20, "12345", now, -1, &matched), TOTP_MALFORMED, "five digits");
    CHECK_INT(totp_verify(secret, 20, "1234567", now, -1, &matched), TOTP_MALFORMED, "seven digits");
    CHECK_INT(totp_verify(secret, 20, "12a456", now, -1, &matched), TOTP_MALFORMED, "a letter");
    CHECK_INT(totp_verify(secret, 20, NULL, now, -1, &matched), TOTP_MALFORMED, "nothing");

    char *uri = totp_uri("KSF alvd", "anna@ksf.example", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    CHECK_STR(uri, "otpauth://totp/KSF%20alvd:anna%40ksf.example?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
                   "&issuer=KSF%20alvd&algorithm=SHA1&digits=6&period=30", "otpauth URI");
    free(uri);

    char recovery[TOTP_RECOVERY_TEXT_SIZE], again[TOTP_RECOVERY_TEXT_SIZE];
    totp_recovery_new(recovery);
    CHECK_INT(strlen(recovery), 14, "recovery code length");
    CHECK(recovery[4] == '-' && recovery[9] == '-', "recovery code grouping: %s", recovery);
    CHECK_INT(totp_recovery_normalise(recovery, again), 0, "a fresh code normalises");
    CHECK_STR(again, recovery, "normalising is idempotent");
    CHECK_INT(totp_recovery_normalise("AB CD EF GH JK MN", again), 0, "upper case with spaces");
    CHECK_STR(again, "abcd-efgh-jkmn", "canonical form");
    CHECK_INT(totp_recovery_normalise("oOiI-lLab-cdef", again), 0, "look-alikes");
    CHECK_STR(again, "0011-11ab-cdef", "o → 0, i and l → 1");
    CHECK_INT(totp_recovery_normalise("abcd-efgh-jkm", again), -1, "11 symbols");
    CHECK_INT(totp_recovery_normalise("abcd-efgh-jkmnp", again), -1, "13 symbols");
    CHECK_INT(totp_recovery_normalise("abcd-efgh-jkmu", again), -1, "u is not in the alphabet");
    return check_report("totp");
}
