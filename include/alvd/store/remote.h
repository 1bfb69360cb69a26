/* Remote participation's SQL (BW 2:38a): one-time codes, the heartbeat row of a member's
 * page. "Now" is the database's clock shifted by the test clock's offset (clock_offset). */
#ifndef ALVD_STORE_REMOTE_H
#define ALVD_STORE_REMOTE_H

#include <stddef.h>

#include "alvd/base/err.h"
#include "alvd/store/db.h"

/* A member whose page looks silent. */
typedef struct remote_member_ref {
    long long meeting_id, organisation_id;
} remote_member_ref;

/* Members of meeting_id (0 = of every meeting not closed) whose heartbeat row is older
 * than the meeting's remote_disconnect_seconds, at most 500, by meeting and organisation;
 * without locks. *items is the caller's to free. */
int store_remote_silent(store_conn *conn, long long meeting_id, long long clock_offset, remote_member_ref **items,
                        size_t *count, alvd_err *err);
/* The one member's silent heartbeat row: *found = 0 when it is not silent (or has no
 * row, or is already disconnected); last_seen as "YYYY-MM-DDTHH:MM:SSZ". */
typedef struct remote_silence {
    char last_seen[32];
    long long after_seconds;
} remote_silence;
int store_remote_silent_member(store_conn *conn, long long meeting_id, long long organisation_id,
                               long long clock_offset, remote_silence *out, int *found, alvd_err *err);
/* Mark the member's page disconnected now. */
int store_remote_presence_disconnect(store_conn *conn, long long meeting_id, long long organisation_id,
                                     long long clock_offset, alvd_err *err);
/* Delete the member's heartbeat row (organisation_id 0 = every member of the meeting). */
int store_remote_presence_forget(store_conn *conn, long long meeting_id, long long organisation_id, alvd_err *err);
/* Start (or restart) the member's heartbeat row for the session that joined. */
int store_remote_presence_join(store_conn *conn, long long meeting_id, long long organisation_id,
                               long long session_id, long long clock_offset, alvd_err *err);
/* Whether the row belongs to session_id (*ours) and is marked disconnected. */
int store_remote_presence_state(store_conn *conn, long long meeting_id, long long organisation_id,
                                long long session_id, int *ours, int *disconnected, alvd_err *err);
/* Record a heartbeat now (and clear a disconnection). */
int store_remote_presence_touch(store_conn *conn, long long meeting_id, long long organisation_id,
                                long long clock_offset, alvd_err *err);

/* The organisation's name and registered address; *found = 0 when there is no row. */
typedef struct remote_address {
    char name[820];
    char email[256];
    int has_email;
} remote_address;
int store_remote_address(store_conn *conn, long long organisation_id, remote_address *out, int *found,
                         alvd_err *err);
/* Store a new code's keyed hash, valid valid_seconds from now. */
int store_remote_code_insert(store_conn *conn, long long meeting_id, long long organisation_id,
                             const unsigned char hash[32], const char *sent_to, long long clock_offset,
                             long long valid_seconds, alvd_err *err);
/* The member's newest code with this hash, locked: *found = 0 when none. */
typedef struct remote_code_row {
    long long id;
    int used, expired;
} remote_code_row;
int store_remote_code_find(store_conn *conn, long long meeting_id, long long organisation_id,
                           const unsigned char hash[32], long long clock_offset, remote_code_row *out, int *found,
                           alvd_err *err);
/* Mark the code used by session_id now. */
int store_remote_code_use(store_conn *conn, long long code_id, long long session_id, long long clock_offset,
                          alvd_err *err);

#endif
