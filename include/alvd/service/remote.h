/* Electronic participation in the ALV (BW 2:38a, issue 18): one-time codes mailed to the
 * organisation's registered address, remote entry and exit as ledger events with channel
 * "remote", heartbeats and the automatic check-out of a silent page (database's clock). */
#ifndef ALVD_SERVICE_REMOTE_H
#define ALVD_SERVICE_REMOTE_H

#include "alvd/base/app.h"
#include "alvd/base/err.h"
#include "alvd/crypto/audit.h"
#include "alvd/http/auth.h"
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
int service_remote_sweep(store_conn *conn, const alvd_app *app, long long meeting_id, alvd_err *err);
/* The same inside the caller's transaction, every member row of the meeting already
 * locked (a poll opening: P must not count a page that went away). */
int service_remote_sweep_locked(store_conn *conn, const alvd_app *app, long long meeting_id, alvd_err *err);
/* The periodic job (include/alvd/mail/periodic.h). */
int service_remote_sweep_job(const alvd_app *app, store_conn *conn, alvd_err *err);

/* Mail a new code to the member's registered address; masked gets "s…@example.nl". */
int service_remote_code_request(store_conn *conn, const alvd_app *app, const auth_principal *who,
                                const audit_actor *actor, long long meeting_id, char masked[300], alvd_err *err);

/* What the member's page shows after join, leave or heartbeat. */
typedef struct remote_status {
    int present;
    char channel[8];                /* "hall" or "remote" while present */
    int disconnect_after_seconds;
    char stream_url[501];           /* "" when none */
    int ended_hall;                 /* join: the hall presence ended */
    int left;                       /* leave: a remote presence ended */
    int reconnected;                /* heartbeat: checked in again after a check-out */
} remote_status;
int service_remote_join(store_conn *conn, const alvd_app *app, const auth_principal *who, const audit_actor *actor,
                        long long meeting_id, const char *given_code, remote_status *out, alvd_err *err);
int service_remote_leave(store_conn *conn, const auth_principal *who, const audit_actor *actor, long long meeting_id,
                         remote_status *out, alvd_err *err);
int service_remote_heartbeat(store_conn *conn, const alvd_app *app, const auth_principal *who,
                             const audit_actor *actor, long long meeting_id, remote_status *out, alvd_err *err);

#endif
