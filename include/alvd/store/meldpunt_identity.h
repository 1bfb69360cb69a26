/* Requests to release a meldpunt reporter's identity (meldpunt_identity_requests): who
 * asked, the sealed reason, and the second officer's decision. SQL only. */
#ifndef ALVD_STORE_MELDPUNT_IDENTITY_H
#define ALVD_STORE_MELDPUNT_IDENTITY_H

#include <stddef.h>

#include "alvd/store/db.h"
#include "alvd/store/meldpunt_reports.h"

typedef struct store_meldpunt_identity_request {
    long long id, report_id, requested_by;
    char requested_by_name[256];
    char state[16];                 /* "pending", "approved", "refused" */
    int sole_officer;
    char requested_on[STORE_MELDPUNT_DATE_SIZE];
    char decided_on[STORE_MELDPUNT_DATE_SIZE];    /* "" when undecided */
    char decided_by_name[256];                    /* "" when undecided */
    int decided;                                  /* decided_by is set */
    unsigned char *reason;          /* sealed; NULL when none (list only) */
    size_t reason_length;
    int personal_data_deleted;      /* of the report (list only) */
    char *reason_text;              /* filled by the service when it could unseal it */
} store_meldpunt_identity_request;
typedef struct store_meldpunt_identity_requests {
    store_meldpunt_identity_request *items;
    size_t count;
} store_meldpunt_identity_requests;
void store_meldpunt_identity_requests_free(store_meldpunt_identity_requests *list);

/* user_id's latest request for report_id; *found = 0 when none. */
int store_meldpunt_identity_latest(store_conn *conn, long long report_id, long long user_id, int *found,
                                   store_meldpunt_identity_request *request, alvd_err *err);
/* Lock user_id's pending or approved request for report_id; state "" when none. */
int store_meldpunt_identity_lock_open(store_conn *conn, long long report_id, long long user_id, char state[16],
                                      alvd_err *err);
/* A new request; decided_on NULL while pending. */
int store_meldpunt_identity_insert(store_conn *conn, long long report_id, long long user_id, const char *requested_on,
                                   const char *state, const char *decided_on, int sole_officer, long long *id,
                                   alvd_err *err);
int store_meldpunt_identity_set_reason(store_conn *conn, long long id, const unsigned char *sealed, size_t length,
                                       alvd_err *err);
/* Pending requests and user_id's own (pending first, newest first, at most 200). */
int store_meldpunt_identity_list(store_conn *conn, long long user_id, store_meldpunt_identity_requests *list,
                                 alvd_err *err);
/* Lock request id (report_id, requested_by, state); 404 when there is none. */
int store_meldpunt_identity_lock(store_conn *conn, long long id, store_meldpunt_identity_request *request,
                                 alvd_err *err);
int store_meldpunt_identity_decide(store_conn *conn, long long id, const char *decision, long long decided_by,
                                   const char *decided_on, alvd_err *err);

#endif
