/* Electronic participation in the ALV (BW 2:38a, issue 18): one-time codes mailed to the
 * organisation's registered address, remote entry and exit as ledger events with
 * channel "remote", heartbeats of the member's page and the automatic check-out of a
 * page silent longer than the meeting's setting, decided on the database's clock. */
#ifndef ALVD_API_REMOTE_H
#define ALVD_API_REMOTE_H

#include "alvd/base/app.h"
#include "alvd/base/err.h"
#include "alvd/http/request.h"
#include "alvd/store/db.h"

#define REMOTE_CODE_DIGITS 6
#define REMOTE_CODE_SECONDS 600            /* a code is valid 10 minutes */
#define REMOTE_CODES_PER_10_MINUTES 3      /* code mails per member */
#define REMOTE_CODES_PER_HOUR 8
#define REMOTE_WRONG_CODES_PER_10_MINUTES 5
#define REMOTE_HEARTBEAT_SECONDS 30        /* what the member's page is told to keep */
#define REMOTE_SWEEP_INTERVAL_SECONDS 10   /* the periodic check-out job of `alvd serve` */

/* Check out every remote member of meeting_id (0 = of every meeting not closed) whose
 * page has been silent longer than the meeting's remote_disconnect_seconds. Runs its own
 * transaction per member; any alvd process may run it at any time (idempotent). */
int remote_sweep(store_conn *conn, const alvd_app *app, long long meeting_id, alvd_err *err);
/* The same inside the caller's transaction, every member row of the meeting already
 * locked (a poll opening: P must not count a page that went away). */
int remote_sweep_locked(store_conn *conn, const alvd_app *app, long long meeting_id, alvd_err *err);
/* Forget the heartbeat row of a member whose remote presence ended some other way
 * (walking into the hall, the meeting closing): caller's transaction. 0 = every member. */
int remote_presence_forget(store_conn *conn, long long meeting_id, long long organisation_id, alvd_err *err);
/* The periodic job (include/alvd/mail/periodic.h). */
int remote_sweep_job(const alvd_app *app, store_conn *conn, alvd_err *err);

void remote_code_request(http_request *request);   /* POST /api/meetings/{id}/remote/code */
void remote_join(http_request *request);           /* POST /api/meetings/{id}/remote/join */
void remote_leave(http_request *request);          /* POST /api/meetings/{id}/remote/leave */
void remote_heartbeat(http_request *request);      /* POST /api/meetings/{id}/remote/heartbeat */

#endif
