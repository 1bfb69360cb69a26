/* The speaker list's SQL: requests for the floor, the turn being spoken, withdrawals, and
 * the rows the list, the chair and the minutes show (speaking time on the DB's clock). */
#ifndef ALVD_STORE_SPEAKERS_H
#define ALVD_STORE_SPEAKERS_H

#include "alvd/base/err.h"
#include "alvd/store/db.h"

/* The member's open request (waiting or speaking); *found = 0 when none. */
typedef struct speakers_open {
    long long id;
    int speaking;
} speakers_open;
int store_speakers_open_request(store_conn *conn, long long meeting_id, long long organisation_id,
                                speakers_open *out, int *found, alvd_err *err);
/* The meeting's current agenda position; *has = 0 when none is current. */
int store_speakers_current_item(store_conn *conn, long long meeting_id, int *has, long long *item, alvd_err *err);
/* A waiting request now (has_item 0 = no agenda position); *id gets its id. */
int store_speakers_insert(store_conn *conn, long long meeting_id, long long organisation_id, const char *channel,
                          int has_item, long long item, long long *id, alvd_err *err);
/* The request's place among the waiting ones (1 = next). */
int store_speakers_position(store_conn *conn, long long meeting_id, long long id, long long *position, alvd_err *err);

/* A speaker row, locked; *found = 0 when there is none. */
typedef struct speakers_row {
    long long meeting_id, organisation_id;
    char state[16];   /* waiting, speaking, done, withdrawn */
} speakers_row;
int store_speakers_load_locked(store_conn *conn, long long id, speakers_row *out, int *found, alvd_err *err);
/* End the turn being spoken (if any, locked first); *ended gets its id (0 = none). */
int store_speakers_end_current(store_conn *conn, long long meeting_id, long long *ended, alvd_err *err);
/* Give the floor to request id now. */
int store_speakers_start(store_conn *conn, long long id, alvd_err *err);
/* End request id's turn now. */
int store_speakers_finish(store_conn *conn, long long id, alvd_err *err);
/* Withdraw a request, by "member" or "chair". */
int store_speakers_withdraw(store_conn *conn, long long id, const char *by, alvd_err *err);

/* Rows of the list (id, organisation_id, name, channel, state, agenda_position,
 * requested_at, started_at, finished_at, speaking_seconds): */
/* every request not withdrawn: turns held in the order given, the speaker, the waiting. */
int store_speakers_list(store_conn *conn, long long meeting_id, store_result **rows, alvd_err *err);
/* one request (no row when absent). */
int store_speakers_item(store_conn *conn, long long id, store_result **rows, alvd_err *err);
/* every turn given (for the minutes), in the order given. */
int store_speakers_turns(store_conn *conn, long long meeting_id, store_result **rows, alvd_err *err);
/* The database's clock as one row with column "now" (pages count speaking time by it). */
int store_speakers_clock(store_conn *conn, store_result **rows, alvd_err *err);

#endif
