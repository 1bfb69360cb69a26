/* The minutes' SQL: signed decision records, and what the minutes read of the meeting,
 * its members, remote participants, adoptions and named votes. */
#ifndef ALVD_STORE_MINUTES_H
#define ALVD_STORE_MINUTES_H

#include <jansson.h>

#include "alvd/base/err.h"
#include "alvd/store/db.h"

int store_minutes_insert_decision(store_conn *conn, long long meeting_id, long long poll_id, const char *kind,
                                  const char *canonical, const unsigned char *signature, size_t signature_length,
                                  alvd_err *err);

/* One signed decision as stored. */
typedef struct store_minutes_decision {
    long long id, poll_id;
    char kind[16];
    char *canonical;            /* owned */
    unsigned char *signature;   /* owned, signature_length bytes */
    size_t signature_length;
} store_minutes_decision;
/* Every decision (meeting_id 0) or a meeting's, in id order; free with store_minutes_decisions_free. */
int store_minutes_decisions(store_conn *conn, long long meeting_id, store_minutes_decision **out, size_t *count,
                            alvd_err *err);
void store_minutes_decisions_free(store_minutes_decision *decisions, size_t count);

/* What a signed poll decision is checked against: the poll row's counts and outcome. */
typedef struct store_minutes_poll_outcome {
    int found;
    long long votes_for, votes_against, votes_abstain, eligible, not_voted;
    int adopted;
    int has_fingerprint;
    char fingerprint[80];
    int has_decided_on;
    char decided_on[16];
} store_minutes_poll_outcome;
int store_minutes_poll_outcome_load(store_conn *conn, long long poll_id, store_minutes_poll_outcome *out,
                                    alvd_err *err);

/* The meeting row as the minutes show it (JSON object); 404 when absent. */
int store_minutes_meeting(store_conn *conn, long long meeting_id, json_t **out, alvd_err *err);
/* When the meeting was opened ("" when it was not). */
int store_minutes_opened_at(store_conn *conn, long long meeting_id, char *out, size_t size, alvd_err *err);
/* The meeting's members (organisation_id, name) by name. */
int store_minutes_members(store_conn *conn, long long meeting_id, json_t **out, alvd_err *err);
/* Remote participants (organisation_id, name, first_entry, last_exit, disconnects,
 * auto_checkout) by name. */
int store_minutes_remote_participants(store_conn *conn, long long meeting_id, json_t **out, alvd_err *err);
/* The adoption of a poll's decision (effective_from, withdrawal_deadline, version_id) or JSON null. */
int store_minutes_poll_adoption(store_conn *conn, long long poll_id, json_t **out, alvd_err *err);
/* The named votes of an open poll (organisation_id, name, choice, channel) by name. */
int store_minutes_named_votes(store_conn *conn, long long poll_id, json_t **out, alvd_err *err);

#endif
