/* The presence ledger in MariaDB: entry/exit events, door scans and their answers, refused
 * scans, and the snapshot (present, represented, P) read from the events at an instant. */
#ifndef ALVD_STORE_ATTENDANCE_H
#define ALVD_STORE_ATTENDANCE_H

#include <stddef.h>

#include "alvd/base/err.h"
#include "alvd/store/db.h"

#define ATTENDANCE_INSTANT_SIZE 32  /* "YYYY-MM-DD HH:MM:SS.ffffff" UTC + NUL */
#define ATTENDANCE_NAME_SIZE 820

typedef struct attendance_member {
    long long organisation_id;
    int inside;               /* last ledger event at the instant is an entry */
    int remote;               /* inside through the remote channel (BW 2:38a), not the hall */
    int was_present;          /* entered at least once up to the instant */
    long long represented_by; /* holder's organisation id when counted by proxy, else 0 */
    long long proxies_held;   /* proxies of this member that count at the instant */
} attendance_member;

typedef struct attendance_snapshot {
    attendance_member *members;  /* every voting member of the meeting, by organisation id */
    size_t count;
    long long present;      /* members inside (hall and remote) */
    long long present_remote; /* of whom through the remote channel */
    long long represented;  /* members not inside, counted through a holder who is */
    long long eligible;     /* P = present + represented (R1, R2) */
    long long was_present;  /* members inside at any time up to the instant */
} attendance_snapshot;

/* The member's last ledger event: direction "entry"/"exit" ("" when none), channel
 * "hall"/"remote" and source. */
typedef struct attendance_last {
    char direction[8];
    char channel[8];
    char source[16];
} attendance_last;

/* The state of the ledger at instant (UTC "YYYY-MM-DD HH:MM:SS[.ffffff]"; NULL = now).
 * Free with store_attendance_snapshot_free. */
int store_attendance_snapshot_at(store_conn *conn, long long meeting_id, const char *instant,
                                 attendance_snapshot *out, alvd_err *err);
void store_attendance_snapshot_free(attendance_snapshot *snapshot);
/* The member's entry in snapshot, or NULL when not a voting member. */
const attendance_member *store_attendance_snapshot_find(const attendance_snapshot *snapshot,
                                                        long long organisation_id);
attendance_member *store_attendance_snapshot_member(attendance_snapshot *snapshot, long long organisation_id);

/* The members present now (the last ledger event is an entry), sorted by organisation
 * id, from one query. *ids is the caller's to free. */
int store_attendance_present_now(store_conn *conn, long long meeting_id, long long **ids, size_t *count,
                                 alvd_err *err);
/* 1 when organisation_id is in the sorted list from store_attendance_present_now. */
int store_attendance_present_in(const long long *ids, size_t count, long long organisation_id);

/* The member's last ledger event (read it after locking the member row). */
int store_attendance_last_event(store_conn *conn, long long meeting_id, long long organisation_id,
                                attendance_last *out, alvd_err *err);
/* Lock the member row of organisation_id at meeting_id; *found = 0 when it is no voting
 * member of that meeting. */
int store_attendance_lock_member(store_conn *conn, long long meeting_id, long long organisation_id, int *found,
                                 alvd_err *err);
/* Lock every member row of the meeting, in organisation id order. */
int store_attendance_lock_members(store_conn *conn, long long meeting_id, alvd_err *err);
/* Append one ledger event, stamped with the database's clock. */
int store_attendance_insert_event(store_conn *conn, long long meeting_id, long long organisation_id,
                                  const char *direction, const char *channel, const char *source, alvd_err *err);

/* A door or desk event with what it came from (the hall channel); 0 = none for
 * ticket_id and scanner_user_id, NULL for nonce. *event_id gets the new row's id. */
typedef struct attendance_scan_event {
    long long meeting_id, organisation_id, ticket_id, scanner_user_id;
    const char *direction, *source, *nonce;
} attendance_scan_event;
int store_attendance_insert_scan_event(store_conn *conn, const attendance_scan_event *event, long long *event_id,
                                       alvd_err *err);

/* The answer stored under a scanner's nonce; *found = 0 when none. */
typedef struct attendance_scan_answer {
    char result[16];
    long long organisation_id;
    long long present_after;
} attendance_scan_answer;
int store_attendance_scan_find(store_conn *conn, long long meeting_id, const char *nonce,
                               attendance_scan_answer *out, int *found, alvd_err *err);
/* Record the answer of a scan under its nonce (event_id 0 when nothing changed). */
int store_attendance_scan_insert(store_conn *conn, const attendance_scan_event *event, const char *result,
                                 long long present_after, long long event_id, alvd_err *err);

/* A refused scan (A1, A5); 0 = none for the ids. */
typedef struct attendance_failure {
    long long meeting_id, ticket_id, organisation_id, scanner_user_id;
    const char *reason, *code, *direction, *nonce;
} attendance_failure;
int store_attendance_failure_insert(store_conn *conn, const attendance_failure *failure, alvd_err *err);

/* The ticket row a verified code names; *found = 0 when there is none. */
typedef struct attendance_ticket {
    long long meeting_id, organisation_id;
    unsigned char code_hash[32];
    size_t code_hash_length;
    int revoked;
} attendance_ticket;
int store_attendance_ticket_load(store_conn *conn, long long ticket_id, attendance_ticket *out, int *found,
                                 alvd_err *err);

/* The meeting's members by name with first entry, last exit and whether they ever took
 * part remotely (columns id, name, member_number, first_entry, last_exit, remote_ever). */
int store_attendance_members(store_conn *conn, long long meeting_id, store_result **rows, alvd_err *err);
/* The presentielijst: id, name, member_number ('' when none), kvk, first entry and last
 * exit as Unix seconds, current proxy holder's name, remote ever (0/1), by name. */
int store_attendance_register(store_conn *conn, long long meeting_id, store_result **rows, alvd_err *err);
/* Every ledger event in order: Unix seconds, organisation_id, direction, channel. */
int store_attendance_events(store_conn *conn, long long meeting_id, store_result **rows, alvd_err *err);
/* The newest 500 refused scans, newest first, with the organisation's name. */
int store_attendance_failures(store_conn *conn, long long meeting_id, store_result **rows, alvd_err *err);

#endif
