/* Consultation rounds, their invitees, comments and the board's replies: every SQL
 * statement on them. Row lists come back as store_result with the columns named per
 * function (the caller frees them). */
#ifndef ALVD_STORE_CONSULTATIONS_H
#define ALVD_STORE_CONSULTATIONS_H

#include <stdint.h>

#include "alvd/store/db.h"

/* A round with its window and the database clock read with it. */
typedef struct store_consultations_round {
    long long id, cycle_id, round, year;
    int64_t opens, closes, now;
    int reminder_sent;
} store_consultations_round;

/* The round, locked FOR UPDATE when lock is set; 404 when there is none. */
int store_consultations_load(store_conn *conn, long long id, int lock, store_consultations_round *round,
                             alvd_err *err);
/* *invited 1 when the organisation is invited to the round. */
int store_consultations_is_invited(store_conn *conn, long long round_id, long long organisation_id, int *invited,
                                   alvd_err *err);
/* Rows (id, cycle_id, year, round, opens_at, closes_at, reminder_sent_at, opens_unix,
 * closes_unix, now_unix, invited, proposals, comments, unreplied) of the rounds of one
 * cycle (cycle_id > 0) or all; only those organisation_id is invited to when > 0 (then
 * comments and unreplied are that organisation's). Newest year first, then round. */
int store_consultations_list(store_conn *conn, long long cycle_id, long long organisation_id, store_result **rows,
                             alvd_err *err);
/* Rows (title) of the proposals of a round at the revision consulted, by proposal. */
int store_consultations_titles(store_conn *conn, long long round_id, store_result **rows, alvd_err *err);
/* Rows (contact id) of every current contact of every invited organisation. */
int store_consultations_contacts(store_conn *conn, long long round_id, store_result **rows, alvd_err *err);
int store_consultations_mark_reminded(store_conn *conn, long long round_id, alvd_err *err);
/* Rows (id) of rounds without a reminder that close within lead_seconds from now. */
int store_consultations_due_reminders(store_conn *conn, long long lead_seconds, store_result **rows, alvd_err *err);

/* Row (current_revision_id, state, title) of a proposal of the cycle, locked FOR
 * UPDATE; 0 rows when it is not the cycle's. */
int store_consultations_lock_proposal(store_conn *conn, long long proposal_id, long long cycle_id,
                                      store_result **rows, alvd_err *err);
/* The number the next round of the cycle gets. */
int store_consultations_next_round(store_conn *conn, long long cycle_id, long long *round, alvd_err *err);
/* A new round; opens/closes as SQL UTC datetimes, opening_day YYYY-MM-DD. */
int store_consultations_insert(store_conn *conn, long long cycle_id, long long round, const char *opens_sql,
                               const char *closes_sql, const char *opening_day, long long user_id, long long *id,
                               alvd_err *err);
/* The same made at created_at (UTC DATETIME text, NULL = now: the demo's round was
 * opened weeks ago); user_id 0 = no user. */
int store_consultations_insert_at(store_conn *conn, long long cycle_id, long long round, const char *opens_sql,
                                  const char *closes_sql, const char *opening_day, const char *created_at,
                                  long long user_id, long long *id, alvd_err *err);
int store_consultations_add_proposal(store_conn *conn, long long round_id, long long proposal_id,
                                     long long revision_id, alvd_err *err);
/* Invite every organisation with a binding basis on the opening day, each with the
 * count of its current contacts. */
int store_consultations_invite_bound(store_conn *conn, long long round_id, const char *opening_day, alvd_err *err);
/* The same, each invitee with contacts_mailed as given (the demo's round, whose mail
 * went out before the demo existed). */
int store_consultations_invite_bound_mailed(store_conn *conn, long long round_id, const char *opening_day,
                                            long long contacts_mailed, alvd_err *err);
int store_consultations_invited_counts(store_conn *conn, long long round_id, long long *invited,
                                       long long *without_contact, alvd_err *err);
/* Move closes_at to now (unix seconds) and note the early close. */
int store_consultations_close_early(store_conn *conn, long long round_id, int64_t now, alvd_err *err);

/* Rows (id, proposal_id, proposal_title, article, organisation_id, organisation,
 * contact, text, created_at, updated_at, reply_text, led_to_change, replied_at) of the
 * comments of a round; organisation_id > 0 limits them to that organisation's. */
int store_consultations_comments(store_conn *conn, long long round_id, long long organisation_id,
                                 store_result **rows, alvd_err *err);
/* Rows (proposal_id, revision_id, base_version_id, previous round, previous revision_id,
 * previous revision number) of the proposals of a round; the previous ones from the
 * latest earlier round of the cycle that had the proposal, NULL when none. */
int store_consultations_round_proposals(store_conn *conn, const store_consultations_round *round,
                                        store_result **rows, alvd_err *err);
/* Rows (organisation_id, name, contacts_mailed, comments) of the invitees, by name. */
int store_consultations_invitees(store_conn *conn, long long round_id, store_result **rows, alvd_err *err);
/* Rows (article_id) the revision consulted of the proposal changes; 0 rows when the
 * proposal is not in the round. */
int store_consultations_changed_articles(store_conn *conn, long long round_id, long long proposal_id,
                                         store_result **rows, alvd_err *err);
/* Rows (id, consultation_id, proposal_id, article, organisation_id, text, created_at,
 * updated_at) of one comment. */
int store_consultations_comment(store_conn *conn, long long comment_id, store_result **rows, alvd_err *err);
/* A comment, only while the round is open (*inserted 0 when it had closed). */
int store_consultations_insert_comment(store_conn *conn, long long round_id, long long proposal_id,
                                       const char *article, long long organisation_id, long long contact_id,
                                       const char *text, long long *inserted, long long *comment_id, alvd_err *err);
/* A comment made at created_at (UTC DATETIME text, also its updated_at), whatever the
 * round's window: the demo's comments in a round that closed weeks ago. */
int store_consultations_insert_comment_at(store_conn *conn, long long round_id, long long proposal_id,
                                          const char *article, long long organisation_id, long long contact_id,
                                          const char *text, const char *created_at, long long *comment_id,
                                          alvd_err *err);
/* The round and organisation of a comment; *found 0 when there is no such comment. */
int store_consultations_comment_owner(store_conn *conn, long long comment_id, long long *round_id,
                                      long long *organisation_id, int *found, alvd_err *err);
/* New text of the organisation's comment while its round is open (*affected 0 otherwise). */
int store_consultations_update_comment(store_conn *conn, long long comment_id, long long organisation_id,
                                       long long contact_id, const char *text, long long *affected, alvd_err *err);
/* *exists 1 when the comment has a reply (the row locked FOR UPDATE). */
int store_consultations_lock_reply(store_conn *conn, long long comment_id, int *exists, alvd_err *err);
int store_consultations_upsert_reply(store_conn *conn, long long comment_id, const char *text,
                                     const char *led_to_change, long long user_id, alvd_err *err);
/* The same written at replied_at (UTC DATETIME text, NULL = now); user_id 0 = no user. */
int store_consultations_upsert_reply_at(store_conn *conn, long long comment_id, const char *text,
                                        const char *led_to_change, const char *replied_at, long long user_id,
                                        alvd_err *err);
/* Rows (id, title, revision, comments) of the proposals of a round. */
int store_consultations_report_proposals(store_conn *conn, long long round_id, store_result **rows, alvd_err *err);
int store_consultations_report_counts(store_conn *conn, long long round_id, long long *invited,
                                      long long *responding, alvd_err *err);

#endif
