/* Written contributions' SQL: a present member's text to the chair, moderated (read out
 * or not) and listed for the chair, the member and the minutes. */
#ifndef ALVD_STORE_CONTRIBUTIONS_H
#define ALVD_STORE_CONTRIBUTIONS_H

#include "alvd/base/err.h"
#include "alvd/store/db.h"

/* A new contribution now (has_item 0 = no agenda position); *id gets its id. */
int store_contributions_insert(store_conn *conn, long long meeting_id, long long organisation_id,
                               const char *channel, int has_item, long long item, const char *text, long long *id,
                               alvd_err *err);
/* Rows (id, organisation_id, name, channel, agenda_position, text, state, created_at,
 * moderated_at) of the meeting by id; organisation_id 0 = of every member. */
int store_contributions_list(store_conn *conn, long long meeting_id, long long organisation_id, store_result **rows,
                             alvd_err *err);
/* One contribution's row (no row when absent). */
int store_contributions_item(store_conn *conn, long long id, store_result **rows, alvd_err *err);
/* Lock a contribution; *meeting_id gets its meeting, *found = 0 when there is none. */
int store_contributions_lock(store_conn *conn, long long id, long long *meeting_id, int *found, alvd_err *err);
/* Record the chair's decision ("read_out", "not_read_out") by user_id now. */
int store_contributions_moderate(store_conn *conn, long long id, const char *decision, long long user_id,
                                 alvd_err *err);

#endif
