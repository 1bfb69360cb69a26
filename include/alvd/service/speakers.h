/* The speaker list and written contributions: a present member (hall or remote) asks for
 * the floor once at a time, the chair gives and ends it; contributions are moderated. */
#ifndef ALVD_SERVICE_SPEAKERS_H
#define ALVD_SERVICE_SPEAKERS_H

#include <jansson.h>

#include "alvd/base/app.h"
#include "alvd/base/err.h"
#include "alvd/crypto/audit.h"
#include "alvd/http/auth.h"
#include "alvd/store/attendance.h"
#include "alvd/store/db.h"

#define SPEAKERS_EVENT "speakers"
#define CONTRIBUTIONS_EVENT "contributions"
#define CONTRIBUTIONS_TEXT_MAX 2000
#define CONTRIBUTIONS_PER_10_MINUTES 10

/* A request for the floor: the new request, or (already = 1, nothing changed) the
 * member's open one. */
typedef struct speakers_requested {
    long long id;
    char channel[8];
    long long position;
    int already;           /* the member has an open request: id is it */
    int already_speaking;  /* … and is speaking */
} speakers_requested;
int service_speakers_request(store_conn *conn, const auth_principal *who, const audit_actor *actor,
                             long long meeting_id, speakers_requested *out, alvd_err *err);

/* The list (rows as store_speakers_list), the snapshot now, the database's clock row. */
typedef struct speakers_view {
    attendance_snapshot snapshot;
    store_result *rows;
    store_result *clock;         /* one row "now", or NULL when it could not be read */
    int remote_deliberation;
} speakers_view;
int service_speakers_list(store_conn *conn, const auth_principal *who, long long meeting_id, speakers_view *out,
                          alvd_err *err);
void service_speakers_view_free(speakers_view *view);

/* The chair gives the floor (starting) or ends it; *item gets the request's row after
 * the commit (NULL when it could not be read). */
int service_speakers_transition(store_conn *conn, const audit_actor *actor, long long id, int starting,
                                store_result **item, alvd_err *err);
/* Withdraw a waiting request: a member only its own (404 otherwise), or the chair. */
int service_speakers_withdraw(store_conn *conn, const auth_principal *who, const audit_actor *actor, long long id,
                              alvd_err *err);

/* A contribution of characters characters; *id and channel get the new one. */
int service_contributions_create(store_conn *conn, const alvd_app *app, const auth_principal *who,
                                 const audit_actor *actor, long long meeting_id, const char *text,
                                 long long characters, long long *id, char channel[8], alvd_err *err);
/* Staff see every contribution, a member only its own (rows as store_contributions_list). */
int service_contributions_list(store_conn *conn, const auth_principal *who, long long meeting_id,
                               store_result **rows, alvd_err *err);
/* The chair's decision; *item gets the contribution's row after the commit. */
int service_contributions_moderate(store_conn *conn, const auth_principal *who, const audit_actor *actor,
                                   long long id, const char *decision, store_result **item, alvd_err *err);

/* Every speaker turn (not withdrawn requests) and every contribution of a meeting, for
 * the minutes: {"speakers":[…],"contributions":[…]}. New reference or NULL with err. */
json_t *service_speakers_minutes_json(store_conn *conn, long long meeting_id, alvd_err *err);

#endif
