/* SQL of the meetings table and its members: load, insert, update, the state changes
 * of open and close, and the lists the API shows. */
#ifndef ALVD_STORE_MEETINGS_H
#define ALVD_STORE_MEETINGS_H

#include <stddef.h>

#include "alvd/base/err.h"
#include "alvd/store/db.h"

/* What other modules need of a meeting row. */
typedef struct meeting_info {
    long long id;
    char title[820];
    char date[11];            /* YYYY-MM-DD */
    char state[8];            /* planned, open, closed */
    char majority_rule[32];
    int proxies_allowed;
    int max_proxies;
    int electronic_participation;   /* BW 2:38a: members may take part remotely (issue 18) */
    int remote_deliberation;        /* remote members may also speak and send contributions */
    int remote_disconnect_seconds;  /* a remote page silent this long is checked out */
    char stream_url[501];           /* the association's own stream; "" when none */
} meeting_info;

/* A meeting's settings as written by create and update (texts NULL = none where the
 * column allows it). */
typedef struct meeting_settings {
    const char *title, *date, *starts_at, *location, *majority_rule;
    long long notice_days, max_proxies;
    int proxies_allowed;
    /* electronic participation (BW 2:38a, issue 18); stream_url and remote_conditions NULL = none */
    int electronic_participation, remote_deliberation;
    long long remote_disconnect_seconds;
    const char *stream_url, *remote_conditions;
} meeting_settings;

/* A meeting row locked for a change of its settings: the texts point into rows (free
 * with store_meetings_record_free). */
typedef struct meeting_record {
    meeting_settings settings;
    const char *state;
    int convened;
    store_result *rows;
} meeting_record;

/* What the convocation reads of its meeting besides meeting_info. */
typedef struct meeting_convocation_details {
    char starts_at[6];
    char location[1201];
    long long notice_days;
    char *remote_conditions;  /* NULL when none; free with the struct's owner */
} meeting_convocation_details;

/* Load a meeting; 404 "not_found" when absent. */
int store_meetings_load(store_conn *conn, long long meeting_id, meeting_info *out, alvd_err *err);
/* The meeting as the API shows it: one row of every column (booleans as 0/1 in
 * columns STORE_MEETINGS_COLUMN_*) for store_result_row_json; 404 when absent. */
int store_meetings_get(store_conn *conn, long long meeting_id, store_result **rows, alvd_err *err);
/* The 200 newest meetings, rows as store_meetings_get's. */
int store_meetings_list(store_conn *conn, store_result **rows, alvd_err *err);
#define STORE_MEETINGS_COLUMN_PROXIES 7
#define STORE_MEETINGS_COLUMN_ELECTRONIC 15
#define STORE_MEETINGS_COLUMN_DELIBERATION 16

/* Insert a meeting created by user_id; *meeting_id gets its id. */
int store_meetings_insert(store_conn *conn, const meeting_settings *settings, long long user_id,
                          long long *meeting_id, alvd_err *err);
/* Lock the meeting row (FOR UPDATE) and read its settings; 404 when absent. */
int store_meetings_lock_record(store_conn *conn, long long meeting_id, meeting_record *out, alvd_err *err);
void store_meetings_record_free(meeting_record *record);
int store_meetings_update(store_conn *conn, long long meeting_id, const meeting_settings *settings, alvd_err *err);

/* Lock the meeting row and read its state and date (YYYY-MM-DD); 404 when absent. */
int store_meetings_lock_state(store_conn *conn, long long meeting_id, char state[8], char date[11], alvd_err *err);
/* Lock the meeting row if it exists; *found (may be NULL) 0 when there is none. */
int store_meetings_lock(store_conn *conn, long long meeting_id, int *found, alvd_err *err);
/* How many polls of the meeting are open. */
int store_meetings_open_polls(store_conn *conn, long long meeting_id, long long *count, alvd_err *err);
/* The floor closes: a turn still running ends, requests still waiting lapse (withdrawn
 * by the chair). */
int store_meetings_end_floor(store_conn *conn, long long meeting_id, alvd_err *err);
int store_meetings_mark_open(store_conn *conn, long long meeting_id, const char *opened_at, alvd_err *err);
int store_meetings_mark_closed(store_conn *conn, long long meeting_id, alvd_err *err);
int store_meetings_mark_convened(store_conn *conn, long long meeting_id, alvd_err *err);
/* Lock the meeting row and read what the convocation names; 404 when absent. */
int store_meetings_lock_convocation(store_conn *conn, long long meeting_id, meeting_convocation_details *out,
                                    alvd_err *err);

/* The first meeting with this title; *meeting_id = 0 when there is none. */
int store_meetings_id_by_title(store_conn *conn, const char *title, long long *meeting_id, alvd_err *err);
/* A meeting made by the system (created_by NULL) with proxies and electronic
 * participation on; every other setting at its column default. */
int store_meetings_insert_system(store_conn *conn, const char *title, const char *date, const char *starts_at,
                                 const char *location, long long max_proxies, long long *meeting_id, alvd_err *err);
/* Lock the meeting row when it is planned, never opened and dated before `before`;
 * *found = 1 and its date (YYYY-MM-DD) in date then, else *found = 0. */
int store_meetings_lock_unopened_before(store_conn *conn, long long meeting_id, const char *before, char date[11],
                                        int *found, alvd_err *err);
int store_meetings_set_date(store_conn *conn, long long meeting_id, const char *date, alvd_err *err);

#endif
