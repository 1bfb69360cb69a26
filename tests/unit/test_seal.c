/* Unit tests for server/crypto/seal.c: the passphrase-locked keypair, report keys, field
 * encryption bound to its place, session keys and receipts. */
#include "alvd/crypto/seal.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"

static void test_keypair(void)
{
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES], secret_key[SEAL_SECRET_KEY_BYTES];
    unsigned char bytes[SEAL_LOCKED_KEY_BYTES];
    seal_locked_key locked, reread;
    alvd_err err;
    alvd_err_clear(&err);
    CHECK(seal_keypair_create("short", public_key, &locked, &err) != 0, "short passphrase refused");
    CHECK_STR(err.code, "weak_passphrase", "weak code");
    alvd_err_clear(&err);
    CHECK(seal_keypair_create("correct horse battery", public_key, &locked, &err) == 0, "create: %s",
          err.message);
    seal_locked_key_to_bytes(&locked, bytes);
    seal_locked_key_from_bytes(bytes, &reread);
    CHECK(memcmp(&locked.salt, &reread.salt, sizeof locked.salt) == 0, "salt survives bytes");
    CHECK(locked.opslimit == reread.opslimit && locked.memlimit == reread.memlimit, "limits survive");
    CHECK(seal_keypair_unlock("correct horse battery", public_key, &reread, secret_key, &err) == 0,
          "unlock: %s", err.message);
    unsigned char derived[SEAL_PUBLIC_KEY_BYTES];
    crypto_scalarmult_base(derived, secret_key);
    CHECK(memcmp(derived, public_key, sizeof derived) == 0, "secret matches public key");
    alvd_err_clear(&err);
    CHECK(seal_keypair_unlock("correct horse batterY", public_key, &reread, secret_key, &err) != 0,
          "wrong passphrase refused");
    CHECK_INT(err.status, 403, "wrong passphrase status");
    CHECK_STR(err.code, "wrong_passphrase", "wrong passphrase code");
    /* A flipped bit in the locked secret is refused, not silently used. */
    reread.sealed[5] ^= 1;
    alvd_err_clear(&err);
    CHECK(seal_keypair_unlock("correct horse battery", public_key, &reread, secret_key, &err) != 0,
          "tampered lock refused");
    /* Absurd limits from a tampered file are refused before any work. */
    seal_locked_key_from_bytes(bytes, &reread);
    reread.memlimit = 1;
    alvd_err_clear(&err);
    CHECK(seal_keypair_unlock("correct horse battery", public_key, &reread, secret_key, &err) != 0,
          "bad limits refused");
    /* The locked bytes do not contain the secret key in the clear. */
    seal_locked_key_from_bytes(bytes, &reread);
    CHECK(seal_keypair_unlock("correct horse battery", public_key, &reread, secret_key, &err) == 0,
          "unlock again");
    CHECK(memmem(bytes, sizeof bytes, secret_key, 8) == NULL, "secret not in locked bytes");
    sodium_memzero(secret_key, sizeof secret_key);
}

static void test_report_keys(void)
{
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES], secret_key[SEAL_SECRET_KEY_BYTES];
    unsigned char other_public[SEAL_PUBLIC_KEY_BYTES], other_secret[SEAL_SECRET_KEY_BYTES];
    unsigned char key[SEAL_KEY_BYTES], again[SEAL_KEY_BYTES], wrapped[SEAL_WRAPPED_KEY_BYTES];
    alvd_err err;
    alvd_err_clear(&err);
    crypto_box_keypair(public_key, secret_key);
    crypto_box_keypair(other_public, other_secret);
    seal_key_new(key);
    seal_key_wrap(public_key, key, wrapped);
    CHECK(seal_key_unwrap(public_key, secret_key, wrapped, sizeof wrapped, again, &err) == 0, "unwrap");
    CHECK(memcmp(key, again, sizeof key) == 0, "same key back");
    CHECK(seal_key_unwrap(other_public, other_secret, wrapped, sizeof wrapped, again, &err) != 0,
          "another keypair cannot unwrap");
    CHECK(seal_key_unwrap(public_key, secret_key, wrapped, sizeof wrapped - 1, again, &err) != 0,
          "short wrapped key refused");
}

static void test_fields(void)
{
    unsigned char key[SEAL_KEY_BYTES], other[SEAL_KEY_BYTES];
    char ad[64], ad_other[64];
    size_t sealed_length = 0, length = 0;
    alvd_err err;
    alvd_err_clear(&err);
    seal_key_new(key);
    seal_key_new(other);
    const char *text = "Jan Jansen <jan@example.org>";
    unsigned char *sealed = seal_encrypt(key, seal_ad(ad, sizeof ad, "meldpunt_reports.reporter_name", 7),
                                         text, strlen(text), &sealed_length);
    CHECK_STR(ad, "meldpunt_reports.reporter_name:7", "ad text");
    CHECK_INT(sealed_length, strlen(text) + SEAL_OVERHEAD, "sealed length");
    CHECK(memmem(sealed, sealed_length, "Jansen", 6) == NULL, "no plaintext in ciphertext");
    unsigned char *opened = seal_decrypt(key, ad, sealed, sealed_length, &length, &err);
    CHECK(opened != NULL && length == strlen(text) && strcmp((char *)opened, text) == 0, "round trip");
    free(opened);
    /* Bound to its place: another row or column does not open it. */
    seal_ad(ad_other, sizeof ad_other, "meldpunt_reports.reporter_name", 8);
    CHECK(seal_decrypt(key, ad_other, sealed, sealed_length, &length, &err) == NULL, "other row refused");
    seal_ad(ad_other, sizeof ad_other, "meldpunt_reports.reporter_email", 7);
    CHECK(seal_decrypt(key, ad_other, sealed, sealed_length, &length, &err) == NULL, "other column refused");
    CHECK(seal_decrypt(other, ad, sealed, sealed_length, &length, &err) == NULL, "other key refused");
    sealed[sealed_length - 1] ^= 0x80;
    alvd_err_clear(&err);
    CHECK(seal_decrypt(key, ad, sealed, sealed_length, &length, &err) == NULL, "tampered refused");
    CHECK_STR(err.code, "sealed_data_damaged", "tampered code");
    CHECK(seal_decrypt(key, ad, sealed, 10, &length, &err) == NULL, "truncated refused");
    free(sealed);
    /* Two encryptions of the same text differ (random nonce). */
    size_t a_length, b_length;
    unsigned char *a = seal_encrypt(key, ad, "x", 1, &a_length);
    unsigned char *b = seal_encrypt(key, ad, "x", 1, &b_length);
    CHECK(memcmp(a, b, a_length) != 0, "random nonces");
    free(a);
    free(b);
    /* Empty plaintext works too. */
    unsigned char *empty = seal_encrypt(key, ad, "", 0, &a_length);
    unsigned char *empty_open = seal_decrypt(key, ad, empty, a_length, &length, &err);
    CHECK(empty_open != NULL && length == 0, "empty round trip");
    free(empty);
    free(empty_open);
}

static void test_sealed_message(void)
{
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES], secret_key[SEAL_SECRET_KEY_BYTES];
    crypto_box_keypair(public_key, secret_key);
    size_t length = 0;
    unsigned char *sealed = seal_to_public_key(public_key, "To: a@b.example", 15, &length);
    unsigned char opened[15];
    CHECK_INT(length, 15 + crypto_box_SEALBYTES, "sealed message length");
    CHECK(crypto_box_seal_open(opened, sealed, length, public_key, secret_key) == 0 &&
              memcmp(opened, "To: a@b.example", 15) == 0, "sealed message opens");
    free(sealed);
}

static void test_session_key(void)
{
    unsigned char a[SEAL_KEY_BYTES], b[SEAL_KEY_BYTES], c[SEAL_KEY_BYTES];
    seal_session_key("token-one", a);
    seal_session_key("token-one", b);
    seal_session_key("token-two", c);
    CHECK(memcmp(a, b, sizeof a) == 0, "deterministic");
    CHECK(memcmp(a, c, sizeof a) != 0, "depends on the token");
    /* Not the hash under which sessions are stored (token_hash is plain BLAKE2b of the
     * token), so the sessions table does not give this key away. */
    unsigned char stored[32];
    crypto_generichash(stored, sizeof stored, (const unsigned char *)"token-one", 9, NULL, 0);
    CHECK(memcmp(a, stored, sizeof a) != 0, "differs from the stored session hash");
}

static void test_receipts(void)
{
    char receipt[SEAL_RECEIPT_TEXT_SIZE], digits[SEAL_RECEIPT_DIGITS + 1], other[SEAL_RECEIPT_TEXT_SIZE];
    seal_receipt_new(receipt);
    seal_receipt_new(other);
    CHECK_INT(strlen(receipt), SEAL_RECEIPT_DIGITS + SEAL_RECEIPT_DIGITS / 4 - 1, "grouped length");
    CHECK(strcmp(receipt, other) != 0, "receipts differ");
    CHECK(seal_receipt_normalise(receipt, digits) == 0, "own receipt normalises");
    CHECK_INT(strlen(digits), SEAL_RECEIPT_DIGITS, "digits");
    CHECK(seal_receipt_normalise("1234-5678-9012-3456-7890", digits) == 0, "dashes ok");
    CHECK_STR(digits, "12345678901234567890", "normalised");
    CHECK(seal_receipt_normalise("1234 5678 9012 3456 789", digits) != 0, "too short");
    CHECK(seal_receipt_normalise("1234 5678 9012 3456 78901", digits) != 0, "too long");
    CHECK(seal_receipt_normalise("1234 5678 9012 3456 789x", digits) != 0, "letters refused");
    CHECK(seal_receipt_normalise("", digits) != 0, "empty refused");
    unsigned char salt[SEAL_SALT_BYTES] = {1, 2, 3};
    unsigned char v1[32], k1[32], v2[32], k2[32], v3[32], k3[32];
    alvd_err err;
    alvd_err_clear(&err);
    CHECK(seal_receipt_derive("12345678901234567890", salt, v1, k1, &err) == 0, "derive");
    CHECK(seal_receipt_derive("12345678901234567890", salt, v2, k2, &err) == 0, "derive again");
    CHECK(seal_receipt_derive("12345678901234567891", salt, v3, k3, &err) == 0, "derive other");
    CHECK(memcmp(v1, v2, 32) == 0 && memcmp(k1, k2, 32) == 0, "deterministic");
    CHECK(memcmp(v1, v3, 32) != 0 && memcmp(k1, k3, 32) != 0, "one digit changes both");
    CHECK(memcmp(v1, k1, 32) != 0, "verifier is not the key");
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    test_keypair();
    test_report_keys();
    test_fields();
    test_sealed_message();
    test_session_key();
    test_receipts();
    return check_report("seal");
}
