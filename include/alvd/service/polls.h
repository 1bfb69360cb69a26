/* Polls as units of work: create, open on a stored presence snapshot, paper votes, close
 * with R1 (secret ballots counted from the box), re-votes; their audit entries and events. */
#ifndef ALVD_SERVICE_POLLS_H
#define ALVD_SERVICE_POLLS_H

#include <jansson.h>

#include "alvd/base/app.h"
#include "alvd/base/err.h"
#include "alvd/crypto/audit.h"
#include "alvd/http/auth.h"
#include "alvd/store/db.h"
#include "alvd/store/polls.h"

/* Who asks: the principal (what it may see), its audit name, and the application
 * (data dir, clock). All borrowed. */
typedef struct service_polls_caller {
    const auth_principal *who;
    audit_actor actor;
    const alvd_app *app;
} service_polls_caller;

/* The poll's public state from its row and extras: P, rule, thresholds; cast while
 * open; counts when closed (V10: never before). Reads no database. New reference. */
json_t *service_polls_render(const store_polls_row *poll, const store_polls_extras *extras);
/* One poll as JSON for minutes and lists (load, extras, render). New reference or NULL. */
json_t *service_polls_json(store_conn *conn, long long poll_id, alvd_err *err);
/* The live event of a poll (state, cast, P and threshold once opened; extra merged). */
int service_polls_publish(store_conn *conn, const store_polls_row *poll, const char *state, long long cast,
                          json_t *extra, alvd_err *err);

typedef struct service_polls_create_input {
    long long meeting_id;
    long long proposal_id; /* one of proposal_id and agenda_item_id is set */
    long long agenda_item_id;
    int secret;
} service_polls_create_input;
/* Each answers 0 with *out (a new reference) or -1 with err. */
int service_polls_create(store_conn *conn, const service_polls_caller *caller, const service_polls_create_input *input,
                         json_t **out, alvd_err *err);
int service_polls_list(store_conn *conn, const service_polls_caller *caller, long long meeting_id, json_t **out,
                       alvd_err *err);
int service_polls_get(store_conn *conn, const service_polls_caller *caller, long long poll_id, json_t **out,
                      alvd_err *err);
/* The open poll, else the latest result no re-vote replaced; *out NULL when none. */
int service_polls_current(store_conn *conn, const service_polls_caller *caller, long long meeting_id, json_t **out,
                          alvd_err *err);
int service_polls_proposal(store_conn *conn, const service_polls_caller *caller, long long poll_id, json_t **out,
                           alvd_err *err);
int service_polls_open(store_conn *conn, const service_polls_caller *caller, long long poll_id, json_t **out,
                       alvd_err *err);
int service_polls_close(store_conn *conn, const service_polls_caller *caller, long long poll_id, json_t **out,
                        alvd_err *err);
int service_polls_trackers(store_conn *conn, const service_polls_caller *caller, long long poll_id, json_t **out,
                           alvd_err *err);
/* Who has voted (a count), and for an open poll who has not; staff only (caller unused). */
int service_polls_voters(store_conn *conn, const service_polls_caller *caller, long long poll_id, json_t **out,
                         alvd_err *err);
/* Paper votes; body (borrowed) is checked against the poll's kind once the poll is locked. */
int service_polls_paper(store_conn *conn, const service_polls_caller *caller, long long poll_id, json_t *body,
                        json_t **out, alvd_err *err);
/* A re-vote of a closed poll; body (borrowed) may hold only "secret" (default: the poll's). */
int service_polls_revote(store_conn *conn, const service_polls_caller *caller, long long poll_id, json_t *body,
                         json_t **out, alvd_err *err);

/* Finish what a count interrupted by a crash left behind: destroy the key files of
 * closed polls (keys/polls/), delete sealed ballots and clear register hashes of closed
 * secret polls. */
int service_polls_sweep_closed(const alvd_app *app, alvd_err *err);

#endif
