/* Consultation rounds as the board and invited parties use them: open a round (invite
 * every bound organisation by e-mailed link), comments, board replies, the reactienota
 * and the "round closes soon" reminder, each change one transaction with its audit. */
#ifndef ALVD_SERVICE_CONSULTATIONS_H
#define ALVD_SERVICE_CONSULTATIONS_H

#include <jansson.h>
#include <stdint.h>

#include "alvd/base/app.h"
#include "alvd/crypto/audit.h"
#include "alvd/store/consultations.h"
#include "alvd/store/db.h"

#define SERVICE_CONSULTATIONS_MAX_PROPOSALS 50

/* A round to open, as the api parsed it (instants checked by the rules already). */
typedef struct service_consultations_opening {
    const char *opens_text, *closes_text; /* as sent, for the audit entry */
    int64_t opens, closes;
    long long proposal_ids[SERVICE_CONSULTATIONS_MAX_PROPOSALS];
    size_t count;
} service_consultations_opening;

/* Who asks: staff (organisation_id 0) or a contact of an organisation. */
typedef struct service_consultations_party {
    long long organisation_id, contact_id, user_id;
} service_consultations_party;

/* Rounds as summaries with their "phase" (upcoming/open/closed): of one cycle
 * (cycle_id > 0) or all; only those organisation_id is invited to when > 0 (then the
 * comment counts are that organisation's). New reference, or NULL with err. */
json_t *service_consultations_list_json(store_conn *conn, long long cycle_id, long long organisation_id,
                                        alvd_err *err);

/* The periodic job: send the "round closes soon" reminder of every round for which
 * rules_round_reminder_due says so (each round once, claimed in its transaction so
 * several alvd processes never send it twice). *sent gets the mails queued. */
int service_consultations_send_due_reminders(const alvd_app *app, store_conn *conn, int *sent, alvd_err *err);
/* The same as a periodic_job_fn, for the reminder thread of `alvd serve`. */
int service_consultations_reminder_job(const alvd_app *app, store_conn *conn, alvd_err *err);
#define SERVICE_CONSULTATIONS_REMINDER_INTERVAL_SECONDS 60

/* Open a round of the cycle on the proposals, invite and mail every bound organisation;
 * *result gets {"id","cycle_id","round","invited","mails","invited_without_contact",
 * "opening_day"}. */
int service_consultations_open(store_conn *conn, const audit_actor *actor, long long user_id, const char *public_url,
                               long long cycle_id, const service_consultations_opening *opening, json_t **result,
                               alvd_err *err);
/* Close an open round now (an upcoming one cannot be; a closed one stays as it is). */
int service_consultations_close(store_conn *conn, const audit_actor *actor, long long id, json_t **round,
                                alvd_err *err);
/* Send the reminder of an open round now; *result gets {"id","mails"}. */
int service_consultations_remind(store_conn *conn, const audit_actor *actor, const char *public_url, long long id,
                                 json_t **result, alvd_err *err);

/* The round with its proposals (and what changed since the previous round) and
 * comments; staff also see the invitees. A contact of an organisation not invited gets 404. */
int service_consultations_get(store_conn *conn, long long id, const service_consultations_party *party,
                              json_t **round, alvd_err *err);
/* The reactienota as JSON: the round, every comment with its reply, counts, proposals. */
int service_consultations_report(store_conn *conn, long long id, json_t **report, alvd_err *err);
/* The reactienota as CSV (UTF-8 with BOM); filename gets its name. 413 when too large. */
int service_consultations_report_csv(store_conn *conn, long long id, char **csv, size_t *length, char *filename,
                                     size_t filename_size, alvd_err *err);

/* A comment of the party's organisation on a proposal (or one article of it) of an open
 * round; *comment gets it as stored. */
int service_consultations_comment(store_conn *conn, const audit_actor *actor, const service_consultations_party *party,
                                  long long round_id, long long proposal_id, const char *article, const char *text,
                                  json_t **comment, alvd_err *err);
/* New text of the organisation's comment while the round is open. */
int service_consultations_comment_update(store_conn *conn, const audit_actor *actor,
                                         const service_consultations_party *party, long long comment_id,
                                         const char *text, json_t **comment, alvd_err *err);
/* The board's reply to a comment after the round closed; *status 201 for the first
 * reply, 200 for a changed one. */
int service_consultations_reply(store_conn *conn, const audit_actor *actor, long long user_id, long long comment_id,
                                const char *text, const char *led_to_change, int *status, json_t **result,
                                alvd_err *err);

/* The round's window and phase as every round answer shows it (no database). */
json_t *service_consultations_round_json(const store_consultations_round *round);

#endif
