/* Unit tables for server/crypto/ballot.c: ballot_id shapes, the register hash and the
 * tracker (deterministic per key, poll and ballot; different otherwise), the sorted
 * tracker fingerprint against a fixed vector, and decision signatures. */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "alvd/crypto/ballot.h"
#include "check.h"

static void test_ballot_ids(void)
{
    static const struct {
        const char *text;
        int valid;
    } cases[] = {
        {"3f2504e0-4f89-11d3-9a0c-0305e82c3301", 1},
        {"abcdefghijklmnop", 1},                    /* 16: the minimum */
        {"abcdefghijklmno", 0},                     /* 15 */
        {"a123456789012345678901234567890123456789012345678901234567890123", 1}, /* 64 */
        {"a1234567890123456789012345678901234567890123456789012345678901234", 0}, /* 65 */
        {"3f2504e0 4f89 11d3 9a0c 0305e82c3301", 0}, /* spaces */
        {"ballot/../../etc/passwd", 0},
        {"", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK_INT(ballot_id_valid(cases[i].text), cases[i].valid, cases[i].text);
    CHECK_INT(ballot_id_valid(NULL), 0, "NULL");
}

static void test_trackers(void)
{
    unsigned char key[BALLOT_KEY_BYTES], other_key[BALLOT_KEY_BYTES];
    unsigned char a[BALLOT_TRACKER_BYTES], b[BALLOT_TRACKER_BYTES];
    unsigned char h1[BALLOT_HASH_BYTES], h2[BALLOT_HASH_BYTES];
    memset(key, 7, sizeof key);
    memset(other_key, 8, sizeof other_key);
    const char *ballot = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";
    ballot_tracker(key, 1, ballot, a);
    ballot_tracker(key, 1, ballot, b);
    CHECK(memcmp(a, b, sizeof a) == 0, "a retry gets the same tracker");
    ballot_tracker(key, 2, ballot, b);
    CHECK(memcmp(a, b, sizeof a) != 0, "another poll, another tracker");
    ballot_tracker(other_key, 1, ballot, b);
    CHECK(memcmp(a, b, sizeof a) != 0, "another key, another tracker");
    ballot_register_hash(key, ballot, h1);
    ballot_register_hash(key, ballot, h2);
    CHECK(memcmp(h1, h2, sizeof h1) == 0, "register hash is stable");
    CHECK(memcmp(h1, a, sizeof a) != 0, "the register hash is not the tracker");
    char hex[BALLOT_TRACKER_TEXT_SIZE];
    ballot_hex(a, sizeof a, hex);
    CHECK_INT(strlen(hex), 32, "tracker hex length");
}

static void test_fingerprint(void)
{
    char trackers[3][BALLOT_TRACKER_TEXT_SIZE] = {"ffffffffffffffffffffffffffffffff", "00000000000000000000000000000000",
                                                  "88888888888888888888888888888888"};
    ballot_trackers_sort(trackers, 3);
    CHECK_STR(trackers[0], "00000000000000000000000000000000", "sorted first");
    CHECK_STR(trackers[2], "ffffffffffffffffffffffffffffffff", "sorted last");
    char fingerprint[BALLOT_FINGERPRINT_TEXT_SIZE];
    ballot_fingerprint(trackers, 3, 2, 1, 0, fingerprint);
    /* The same bytes through libsodium's one-shot SHA-256, as a reader would recompute. */
    const char *text = "alvd-poll-v1\n00000000000000000000000000000000\n88888888888888888888888888888888\n"
                       "ffffffffffffffffffffffffffffffff\nfor=2\nagainst=1\nabstain=0\n";
    unsigned char digest[crypto_hash_sha256_BYTES];
    char expected[BALLOT_FINGERPRINT_TEXT_SIZE];
    crypto_hash_sha256(digest, (const unsigned char *)text, strlen(text));
    ballot_hex(digest, sizeof digest, expected);
    CHECK_STR(fingerprint, expected, "fingerprint over sorted trackers and totals");
    char changed[BALLOT_FINGERPRINT_TEXT_SIZE];
    ballot_fingerprint(trackers, 3, 1, 2, 0, changed);
    CHECK(strcmp(changed, fingerprint) != 0, "other totals, other fingerprint");
    ballot_fingerprint(trackers, 0, 0, 0, 0, changed);
    CHECK_INT(strlen(changed), 64, "empty poll still has a fingerprint");
}

static void test_signatures(void)
{
    decisions_keys keys;
    unsigned char seed[crypto_sign_SEEDBYTES];
    unsigned char signature[crypto_sign_BYTES];
    memset(seed, 3, sizeof seed);
    crypto_sign_seed_keypair(keys.public_key, keys.secret_key, seed);
    const char *record = "{\"adopted\":true,\"for\":4,\"kind\":\"poll\"}";
    decisions_sign(&keys, record, strlen(record), signature);
    CHECK_INT(decisions_verify(keys.public_key, record, strlen(record), signature, sizeof signature), 1, "valid");
    const char *tampered = "{\"adopted\":true,\"for\":5,\"kind\":\"poll\"}";
    CHECK_INT(decisions_verify(keys.public_key, tampered, strlen(tampered), signature, sizeof signature), 0, "tampered");
    CHECK_INT(decisions_verify(keys.public_key, record, strlen(record), signature, 10), 0, "short signature");
    decisions_keys_wipe(&keys);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    test_ballot_ids();
    test_trackers();
    test_fingerprint();
    test_signatures();
    return check_report("ballot");
}
