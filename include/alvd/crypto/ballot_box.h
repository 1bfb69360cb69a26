/* The sealed ballot box of a secret poll: a per-poll X25519 key pair whose secret half
 * lives only in ALVD_DATA_DIR/keys/polls/<poll>.key (never in the database) from the
 * opening until the count, and ballots sealed to its public half while the poll is open. */
#ifndef ALVD_CRYPTO_BALLOT_BOX_H
#define ALVD_CRYPTO_BALLOT_BOX_H

#include <stddef.h>

#include <sodium.h>

#include "alvd/base/err.h"
#include "alvd/crypto/ballot.h"

#define BALLOT_BOX_KEY_BYTES crypto_box_SECRETKEYBYTES      /* 32, also the public key's size */
#define BALLOT_BOX_ROW_ID_BYTES 16
#define BALLOT_BOX_PLAIN_BYTES 18                           /* kind, choice, tracker (or paper totals) */
#define BALLOT_BOX_SEALED_BYTES                                                                       \
    (crypto_box_PUBLICKEYBYTES + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + BALLOT_BOX_PLAIN_BYTES + \
     crypto_aead_xchacha20poly1305_ietf_ABYTES)                                     /* 90 */

/* What a sealed row holds once opened: one phone ballot (choice 0 for, 1 against,
 * 2 abstain, and its tracker), or the totals of one batch of paper ballots. */
typedef struct ballot_box_content {
    int paper;
    int choice;
    unsigned char tracker[BALLOT_TRACKER_BYTES];
    int totals[3];
} ballot_box_content;

/* Make the poll's key pair: the secret half is written (0600, fsync'd, atomically
 * replacing a stale file of an opening that never committed) to keys/polls/<poll>.key,
 * the public half returned for the poll row. */
int ballot_box_create(const char *data_dir, long long poll_id, unsigned char public_key[BALLOT_BOX_KEY_BYTES],
                      alvd_err *err);

/* Read the secret half for the count and check it belongs to public_key. 500
 * "poll_key_missing" when the file is gone (the poll cannot be counted), 500
 * "poll_key_mismatch" when it is another poll's key. */
int ballot_box_load(const char *data_dir, long long poll_id, const unsigned char public_key[BALLOT_BOX_KEY_BYTES],
                    unsigned char secret_key[BALLOT_BOX_KEY_BYTES], alvd_err *err);

/* Destroy the secret half after the count: overwrite, sync, unlink, sync the directory.
 * Returns 1 when a file was destroyed, 0 when there was none. */
int ballot_box_destroy(const char *data_dir, long long poll_id);

/* The poll ids that have a key file (caller frees *ids). */
int ballot_box_list(const char *data_dir, long long **ids, size_t *count, alvd_err *err);

/* One batch of sealing: an ephemeral key pair per poll and vote batch, so the cost is one
 * key agreement per batch, not per ballot (the vote path stays a group commit). */
typedef struct ballot_box_sealer {
    unsigned char ephemeral_public[crypto_box_PUBLICKEYBYTES];
    unsigned char shared[crypto_box_BEFORENMBYTES];
} ballot_box_sealer;

int ballot_box_sealer_start(ballot_box_sealer *sealer, const unsigned char public_key[BALLOT_BOX_KEY_BYTES]);
void ballot_box_sealer_wipe(ballot_box_sealer *sealer);

/* Seal content for the row (poll, row_id): both are authenticated, so a sealed row does
 * not open under another poll or row. out has BALLOT_BOX_SEALED_BYTES. */
void ballot_box_seal(const ballot_box_sealer *sealer, long long poll_id, const unsigned char row_id[BALLOT_BOX_ROW_ID_BYTES],
                     const ballot_box_content *content, unsigned char out[BALLOT_BOX_SEALED_BYTES]);

/* Open a sealed row with the poll's secret key. cache (zeroed by the caller at first)
 * keeps the last ephemeral key's agreement, since a batch's rows share it. 0, or -1
 * when the row does not open (damaged, another poll or row, not sealed by alvd). */
typedef struct ballot_box_opener {
    unsigned char secret_key[BALLOT_BOX_KEY_BYTES];
    unsigned char ephemeral_public[crypto_box_PUBLICKEYBYTES];
    unsigned char shared[crypto_box_BEFORENMBYTES];
    int cached;
} ballot_box_opener;

int ballot_box_unseal(ballot_box_opener *opener, long long poll_id, const unsigned char row_id[BALLOT_BOX_ROW_ID_BYTES],
                      const unsigned char *sealed, size_t length, ballot_box_content *content);

#endif
