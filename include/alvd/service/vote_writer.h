/* The vote writer's unit of work: one transaction per batch of phone votes (group
 * commit), deciding each vote against the poll's snapshot and register under the poll
 * row locks, writing register rows and (sealed) ballots, one event and audit entry per poll. */
#ifndef ALVD_SERVICE_VOTE_WRITER_H
#define ALVD_SERVICE_VOTE_WRITER_H

#include <stddef.h>

#include "alvd/base/err.h"
#include "alvd/crypto/ballot.h"
#include "alvd/store/db.h"

/* One phone vote of a batch; the texts are borrowed for the call. */
typedef struct service_vote_writer_vote {
    long long poll_id;          /* 0: refused before the batch (its outcome is the caller's) */
    long long organisation_id;  /* the member whose phone votes */
    long long meeting_id;       /* the meeting its session belongs to */
    const char *choice;         /* for, against, abstain */
    const char *ballot_id;
    int on_behalf;              /* on_behalf_of was given */
    long long on_behalf_of;
} service_vote_writer_vote;

typedef struct service_vote_writer_outcome {
    int status;                 /* 0: untouched (refused before the batch) */
    const char *code;
    const char *message;
    char tracker[BALLOT_TRACKER_TEXT_SIZE];
} service_vote_writer_outcome;

/* Write a batch in one transaction (retried a few times on a conflict). 0: committed,
 * each vote with poll_id set has its outcome (201 written, 200 a retry of a vote of this
 * batch, 4xx why not). 1: quiet was set and the batch still failed with a 503: nothing
 * answered, the caller splits it. -1: failed, err answers every vote. */
int service_vote_writer_batch(store_conn *conn, const unsigned char key[BALLOT_KEY_BYTES],
                              const service_vote_writer_vote *votes, size_t count, int quiet,
                              service_vote_writer_outcome *outcomes, alvd_err *err);

#endif
