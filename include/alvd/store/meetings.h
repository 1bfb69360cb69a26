/* SQL of the meetings table and its members: load, insert, update, the state changes
 * of open and close, and the lists the API shows. */
#ifndef ALVD_STORE_MEETINGS_H
#define ALVD_STORE_MEETINGS_H

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

/* Load a meeting; 404 "not_found" when absent. */
int store_meetings_load(store_conn *conn, long long meeting_id, meeting_info *out, alvd_err *err);

#endif
