/* Unit tables for server/crypto/ballot_box.c: a sealed ballot opens only with its poll's
 * secret key, for its own poll and row; paper totals round-trip; rows of one batch share
 * one key agreement; the key file is made, checked against the public key and destroyed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "alvd/crypto/ballot_box.h"
#include "check.h"

static void test_seal_and_open(void)
{
    unsigned char public_key[BALLOT_BOX_KEY_BYTES], other_public[BALLOT_BOX_KEY_BYTES];
    ballot_box_opener opener = {0}, wrong = {0};
    crypto_box_keypair(public_key, opener.secret_key);
    crypto_box_keypair(other_public, wrong.secret_key);
    ballot_box_sealer sealer, later;
    CHECK_INT(ballot_box_sealer_start(&sealer, public_key), 0, "sealer");
    CHECK_INT(ballot_box_sealer_start(&later, public_key), 0, "second batch");
    CHECK(memcmp(sealer.ephemeral_public, later.ephemeral_public, sizeof sealer.ephemeral_public) != 0,
          "every batch has its own ephemeral key");

    unsigned char row[BALLOT_BOX_ROW_ID_BYTES], other_row[BALLOT_BOX_ROW_ID_BYTES];
    randombytes_buf(row, sizeof row);
    randombytes_buf(other_row, sizeof other_row);
    ballot_box_content ballot = {.choice = 1}, opened;
    randombytes_buf(ballot.tracker, sizeof ballot.tracker);
    unsigned char sealed[BALLOT_BOX_SEALED_BYTES], again[BALLOT_BOX_SEALED_BYTES];
    ballot_box_seal(&sealer, 7, row, &ballot, sealed);
    ballot_box_seal(&sealer, 7, row, &ballot, again);
    CHECK(memcmp(sealed, again, sizeof sealed) != 0, "the same ballot seals differently (random nonce)");
    CHECK(memmem(sealed, sizeof sealed, ballot.tracker, sizeof ballot.tracker) == NULL, "no tracker in the clear");

    CHECK_INT(ballot_box_unseal(&opener, 7, row, sealed, sizeof sealed, &opened), 0, "opens");
    CHECK_INT(opened.paper, 0, "a phone ballot");
    CHECK_INT(opened.choice, 1, "choice against");
    CHECK(memcmp(opened.tracker, ballot.tracker, sizeof ballot.tracker) == 0, "tracker");
    CHECK_INT(ballot_box_unseal(&wrong, 7, row, sealed, sizeof sealed, &opened), -1, "another poll's key");
    CHECK_INT(ballot_box_unseal(&opener, 8, row, sealed, sizeof sealed, &opened), -1, "moved to another poll");
    CHECK_INT(ballot_box_unseal(&opener, 7, other_row, sealed, sizeof sealed, &opened), -1, "moved to another row");
    CHECK_INT(ballot_box_unseal(&opener, 7, row, sealed, sizeof sealed - 1, &opened), -1, "truncated");
    sealed[sizeof sealed - 3] ^= 1;
    CHECK_INT(ballot_box_unseal(&opener, 7, row, sealed, sizeof sealed, &opened), -1, "tampered");

    ballot_box_content paper = {.paper = 1, .totals = {3, 0, 12}};
    ballot_box_seal(&later, 7, other_row, &paper, again);
    CHECK_INT(ballot_box_unseal(&opener, 7, other_row, again, sizeof again, &opened), 0, "paper opens");
    CHECK_INT(opened.paper, 1, "paper");
    CHECK(opened.totals[0] == 3 && opened.totals[1] == 0 && opened.totals[2] == 12, "paper totals");
    ballot_box_sealer_wipe(&sealer);
    ballot_box_sealer_wipe(&later);
    sodium_memzero(&opener, sizeof opener);
    sodium_memzero(&wrong, sizeof wrong);
}

static void test_key_file(void)
{
    char dir[] = "/tmp/alvd-ballot-box-XXXXXX";
    CHECK(mkdtemp(dir) != NULL, "temporary directory");
    unsigned char public_key[BALLOT_BOX_KEY_BYTES], other_public[BALLOT_BOX_KEY_BYTES];
    unsigned char secret_key[BALLOT_BOX_KEY_BYTES];
    alvd_err err;
    alvd_err_clear(&err);
    CHECK_INT(ballot_box_create(dir, 41, public_key, &err), 0, "create");
    CHECK_INT(ballot_box_create(dir, 42, other_public, &err), 0, "create another");
    char path[512];
    snprintf(path, sizeof path, "%s/keys/polls/41.key", dir);
    struct stat info;
    CHECK(stat(path, &info) == 0 && (info.st_mode & 0777) == 0600 && info.st_size == BALLOT_BOX_KEY_BYTES,
          "keys/polls/41.key, 0600, 32 bytes");
    long long *ids = NULL;
    size_t count = 0;
    CHECK_INT(ballot_box_list(dir, &ids, &count, &err), 0, "list");
    CHECK(count == 2 && ((ids[0] == 41 && ids[1] == 42) || (ids[0] == 42 && ids[1] == 41)), "both polls listed");
    free(ids);
    CHECK_INT(ballot_box_load(dir, 41, public_key, secret_key, &err), 0, "load");
    CHECK_INT(ballot_box_load(dir, 41, other_public, secret_key, &err), -1, "another poll's public key");
    CHECK_STR(err.code, "poll_key_mismatch", "mismatch code");
    CHECK_INT(ballot_box_destroy(dir, 41), 1, "destroyed");
    CHECK(stat(path, &info) != 0, "the file is gone");
    CHECK_INT(ballot_box_destroy(dir, 41), 0, "nothing left to destroy");
    CHECK_INT(ballot_box_load(dir, 41, public_key, secret_key, &err), -1, "gone");
    CHECK_STR(err.code, "poll_key_missing", "missing code");
    /* Opening again after an opening that never committed replaces the stale key. */
    CHECK_INT(ballot_box_create(dir, 42, public_key, &err), 0, "create over a stale key");
    CHECK_INT(ballot_box_load(dir, 42, public_key, secret_key, &err), 0, "the new key");
    ballot_box_destroy(dir, 42);
    snprintf(path, sizeof path, "%s/keys/polls", dir);
    rmdir(path);
    snprintf(path, sizeof path, "%s/keys", dir);
    rmdir(path);
    rmdir(dir);
    sodium_memzero(secret_key, sizeof secret_key);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    test_seal_and_open();
    test_key_file();
    return check_report("ballot_box");
}
