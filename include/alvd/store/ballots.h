/* The vote writer's SQL: a batch's poll rows (locked), their snapshot and register, and
 * the multi-row inserts of register rows, plain and sealed ballots and named votes. */
#ifndef ALVD_STORE_BALLOTS_H
#define ALVD_STORE_BALLOTS_H

#include "alvd/base/err.h"
#include "alvd/crypto/ballot.h"
#include "alvd/crypto/ballot_box.h"
#include "alvd/store/db.h"

/* What a vote batch reads of a poll under its row lock. */
typedef struct store_ballots_poll {
    int found;
    long long meeting_id, proposal_id;
    char state[8];
    int secret, eligible, threshold;
    int boxed; /* secret with a box key: its ballots are sealed */
    unsigned char box_public_key[BALLOT_BOX_KEY_BYTES];
} store_ballots_poll;
/* Lock the poll row (FOR UPDATE); found 0 when there is none. */
int store_ballots_lock_poll(store_conn *conn, long long poll_id, store_ballots_poll *out, alvd_err *err);

/* A member's row of the poll's snapshot (voter_id) or register (paper, hash). */
typedef struct store_ballots_member {
    long long organisation_id;
    long long voter_id;
    int paper;
    int has_hash;
    unsigned char hash[BALLOT_HASH_BYTES];
} store_ballots_member;
/* The snapshot stored at open, or (register_rows) the register; unsorted, caller frees. */
int store_ballots_members(store_conn *conn, long long poll_id, int register_rows, store_ballots_member **out,
                          size_t *count, alvd_err *err);

/* Rows for the multi-row inserts; the pointed-to bytes are borrowed for the call. */
typedef struct store_ballots_row {
    long long poll_id;
    long long organisation_id;              /* register rows, named votes */
    long long cast_by;                      /* named votes */
    const char *choice;                     /* plain ballots, named votes */
    const unsigned char *hash;              /* register rows: BALLOT_HASH_BYTES */
    const unsigned char *id;                /* ballots: BALLOT_BOX_ROW_ID_BYTES */
    const unsigned char *tracker;           /* plain ballots: BALLOT_TRACKER_BYTES */
    const unsigned char *sealed;            /* sealed ballots: BALLOT_BOX_SEALED_BYTES */
} store_ballots_row;
/* Phone rows of the register (INSERT IGNORE: a ballot hash used before is skipped);
 * *written gets the rows really written. */
int store_ballots_insert_voters(store_conn *conn, const store_ballots_row *rows, size_t count, long long *written,
                                alvd_err *err);
int store_ballots_insert_plain(store_conn *conn, const store_ballots_row *rows, size_t count, alvd_err *err);
int store_ballots_insert_sealed(store_conn *conn, const store_ballots_row *rows, size_t count, alvd_err *err);
/* Named phone votes of open polls. */
int store_ballots_insert_named(store_conn *conn, const store_ballots_row *rows, size_t count, alvd_err *err);

#endif
