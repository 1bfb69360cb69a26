/* The polls' SQL: the poll row and what its JSON shows, creating, opening, paper votes,
 * closing (counts, trackers, outcome on the proposals), re-votes and the ballot-box sweep. */
#ifndef ALVD_STORE_POLLS_H
#define ALVD_STORE_POLLS_H

#include <jansson.h>

#include "alvd/base/err.h"
#include "alvd/crypto/ballot.h"
#include "alvd/crypto/ballot_box.h"
#include "alvd/store/db.h"

#define STORE_POLLS_TITLE_SIZE 1204

/* One row of polls as stored. */
typedef struct store_polls_row {
    long long id, meeting_id, proposal_id, revision_id, revote_of, superseded_by;
    int secret;
    char state[8];
    char rule[32];
    int eligible, present, represented, threshold, literal_threshold;
    int paper_for, paper_against, paper_abstain;
    int votes_for, votes_against, votes_abstain, not_voted, adopted;
    char explanation[320];
    char fingerprint[BALLOT_FINGERPRINT_TEXT_SIZE];
    int boxed; /* a secret poll whose ballots are sealed to box_public_key */
    unsigned char box_public_key[BALLOT_BOX_KEY_BYTES];
    long long agenda_item_id;    /* a decision that is not a proposal (proposal_id 0) */
    char decision_title[STORE_POLLS_TITLE_SIZE];
    int present_remote;          /* of present, how many took part remotely (issue 18) */
} store_polls_row;

/* What the poll's JSON shows beyond its row: the title, the register's size, and the
 * instants (opened_at, closed_at, created_at, decided_on) as the database renders them. */
typedef struct store_polls_extras {
    char title[STORE_POLLS_TITLE_SIZE];
    long long cast;
    json_t *times; /* owned; store_polls_extras_free */
} store_polls_extras;

/* Load a poll (locking it with FOR UPDATE when lock); 404 when absent. */
int store_polls_load(store_conn *conn, long long poll_id, int lock, store_polls_row *out, alvd_err *err);
int store_polls_load_extras(store_conn *conn, const store_polls_row *poll, store_polls_extras *out, alvd_err *err);
void store_polls_extras_free(store_polls_extras *extras);
/* The register's size (poll_voters). */
int store_polls_count_voters(store_conn *conn, long long poll_id, long long *cast, alvd_err *err);
/* The ids of a meeting's polls in id order (caller frees *ids). */
int store_polls_list_ids(store_conn *conn, long long meeting_id, long long **ids, size_t *count, alvd_err *err);
/* The open poll, else the latest closed one no re-vote replaced; 0 when none. */
int store_polls_current_id(store_conn *conn, long long meeting_id, long long *poll_id, alvd_err *err);
/* The adoption of a proposal as a JSON object (effective_from, withdrawal_deadline,
 * version_id), or JSON null. */
int store_polls_proposal_adoption(store_conn *conn, long long proposal_id, json_t **out, alvd_err *err);
/* A member's rows of the snapshot: itself and those it holds a proxy for, with
 * organisation_id, voter_id, name and voted (0/1), as a JSON array. */
int store_polls_member_rows(store_conn *conn, long long poll_id, long long organisation_id, json_t **out,
                            alvd_err *err);
/* An open poll's members who have not voted yet (organisation_id, name, voter_id,
 * voter_name), by name. */
int store_polls_not_voted(store_conn *conn, long long poll_id, json_t **out, alvd_err *err);

/* ---------------------------------------------------------------- create, re-vote */

typedef struct store_polls_draft {
    long long meeting_id, proposal_id, revision_id, agenda_item_id; /* 0 = NULL */
    const char *decision_title;                                      /* NULL = NULL */
    int secret;
    long long revote_of;                                             /* 0 = a first poll */
    long long created_by;
} store_polls_draft;
int store_polls_insert_draft(store_conn *conn, const store_polls_draft *draft, long long *poll_id, alvd_err *err);

typedef struct store_polls_agenda_item {
    char kind[16];             /* item, proposal, decision */
    long long proposal_id;
    char title[STORE_POLLS_TITLE_SIZE];
} store_polls_agenda_item;
/* Lock an item of the meeting's agenda; *found 0 when it is not on it. */
int store_polls_lock_agenda_item(store_conn *conn, long long meeting_id, long long item_id,
                                 store_polls_agenda_item *out, int *found, alvd_err *err);
/* Lock a proposal on the meeting's agenda: its state and current revision. */
int store_polls_lock_agenda_proposal(store_conn *conn, long long meeting_id, long long proposal_id, char state[16],
                                     long long *revision_id, int *found, alvd_err *err);
/* The poll of the meeting about a proposal or about an agenda item; 0 when none. */
int store_polls_find_by_proposal(store_conn *conn, long long meeting_id, long long proposal_id, long long *poll_id,
                                 alvd_err *err);
int store_polls_find_by_item(store_conn *conn, long long meeting_id, long long item_id, long long *poll_id,
                             alvd_err *err);
/* What stops a re-vote: a re-vote of this poll already, an adoption of the proposal. */
int store_polls_revote_blockers(store_conn *conn, long long poll_id, long long proposal_id, int *pending, int *dated,
                                alvd_err *err);

/* ---------------------------------------------------------------- open */

/* The majority rule an agenda item sets; rule "" when it sets none. */
int store_polls_agenda_rule(store_conn *conn, long long item_id, char rule[32], alvd_err *err);
int store_polls_insert_eligible(store_conn *conn, long long poll_id, long long organisation_id, long long voter_id,
                                alvd_err *err);
int store_polls_set_box_key(store_conn *conn, long long poll_id, const unsigned char key[BALLOT_BOX_KEY_BYTES],
                            alvd_err *err);

typedef struct store_polls_opening {
    const char *rule;
    int eligible, present, present_remote, represented, threshold;
    int literal_threshold; /* 0 = NULL */
    const char *opened_at; /* SQL instant */
} store_polls_opening;
int store_polls_mark_open(store_conn *conn, long long poll_id, const store_polls_opening *opening, alvd_err *err);

/* ---------------------------------------------------------------- paper */

/* 1 in *eligible when the member is in the poll's snapshot. */
int store_polls_is_eligible(store_conn *conn, long long poll_id, long long organisation_id, int *eligible,
                            alvd_err *err);
/* Mark a paper vote in the register; *added 0 when the member had voted already. */
int store_polls_register_paper(store_conn *conn, long long poll_id, long long organisation_id, int *added,
                               alvd_err *err);
int store_polls_insert_paper_vote(store_conn *conn, long long poll_id, long long organisation_id, const char *choice,
                                  long long cast_by, alvd_err *err);
/* Add paper totals (for, against, abstain) of a poll that is not sealed. */
int store_polls_add_paper(store_conn *conn, long long poll_id, const int added[3], alvd_err *err);

/* ---------------------------------------------------------------- close */

/* Add the plain ballots per choice to counts (for, against, abstain). */
int store_polls_count_plain(store_conn *conn, long long poll_id, int counts[3], alvd_err *err);
/* Set the paper totals a sealed poll's box held. */
int store_polls_set_paper(store_conn *conn, long long poll_id, const int paper[3], alvd_err *err);

typedef struct store_polls_closing {
    int counts[3];
    int not_voted, adopted, threshold;
    const char *explanation;
    const char *fingerprint; /* NULL for an open poll */
    const char *closed_at;   /* SQL instant */
    const char *decided_on;  /* YYYY-MM-DD */
} store_polls_closing;
int store_polls_mark_closed(store_conn *conn, long long poll_id, const store_polls_closing *closing, alvd_err *err);
/* A re-vote replaces the poll it repeats, whose lapsed proposals come back. */
int store_polls_supersede(store_conn *conn, long long old_poll_id, long long new_poll_id, alvd_err *err);
int store_polls_restore_lapsed(store_conn *conn, long long poll_id, alvd_err *err);
/* Lapse a proposal, remembering its state for a re-vote. */
int store_polls_lapse(store_conn *conn, long long poll_id, long long proposal_id, const char *previous_state,
                      alvd_err *err);
/* Publish the trackers (sorted texts) in that order. */
int store_polls_insert_trackers(store_conn *conn, long long poll_id,
                                char (*const trackers)[BALLOT_TRACKER_TEXT_SIZE], size_t count, alvd_err *err);
/* The published trackers as texts, in stored order (caller frees *out). */
int store_polls_trackers(store_conn *conn, long long poll_id, char (**out)[BALLOT_TRACKER_TEXT_SIZE], size_t *count,
                         alvd_err *err);

/* ---------------------------------------------------------------- the ballot box of a secret poll */

/* Plain trackers (a poll opened before the ballot box existed), as texts. */
int store_polls_plain_trackers(store_conn *conn, long long poll_id, char (**out)[BALLOT_TRACKER_TEXT_SIZE],
                               size_t *count, alvd_err *err);
typedef struct store_polls_sealed {
    int whole; /* the id has its length and the sealed text fits */
    unsigned char id[BALLOT_BOX_ROW_ID_BYTES];
    unsigned char sealed[BALLOT_BOX_SEALED_BYTES];
    size_t length;
} store_polls_sealed;
int store_polls_sealed_ballots(store_conn *conn, long long poll_id, store_polls_sealed **out, size_t *count,
                               alvd_err *err);
/* Delete a closed secret poll's ballots and clear its register's hashes. */
int store_polls_empty_box(store_conn *conn, long long poll_id, long long *ballots, long long *hashes, alvd_err *err);
/* The state of a poll ("" when there is none). */
int store_polls_state(store_conn *conn, long long poll_id, char state[8], alvd_err *err);
/* Closed secret polls that still hold ballots or register hashes. */
int store_polls_closed_with_leftovers(store_conn *conn, long long **ids, size_t *count, alvd_err *err);

#endif
