/* The proposals, their immutable revisions and changes, and the Code articles they are
 * read against: every SQL statement on them. Row lists are handed back as store_result
 * with the columns named per function (the caller frees them). */
#ifndef ALVD_STORE_PROPOSALS_H
#define ALVD_STORE_PROPOSALS_H

#include "alvd/store/db.h"

/* A proposal locked for a change of its text or state. */
typedef struct store_proposals_locked {
    long long cycle_id, base_version_id;
    char state[16];        /* draft, ready, adopted, rejected, lapsed, withdrawn */
    long long last_number; /* highest revision number */
    long long unreplied;   /* comments on it without a board reply */
    long long consulted;   /* rounds it was put to that have closed */
} store_proposals_locked;

/* The comment counts and current revision number the staff view shows. */
typedef struct store_proposals_staff_counts {
    long long comments, unreplied, current_revision;
} store_proposals_staff_counts;

/* A meldpunt half-year suggestion locked while a proposal is made from it. */
typedef struct store_proposals_suggestion {
    char period[8];
    char *article; /* NULL when the suggestion names none */
    char *text;
    long long proposal_id; /* 0 when no proposal was made from it yet */
} store_proposals_suggestion;

/* Rows (title, text) of one article of a Code version: 1 row, or 0 when absent. */
int store_proposals_base_article(store_conn *conn, long long version_id, const char *article, store_result **rows,
                                 alvd_err *err);
/* Rows (article_id, title, text) of every article of a Code version, in order. */
int store_proposals_code_articles(store_conn *conn, long long version_id, store_result **rows, alvd_err *err);
/* The Code version in force on day (YYYY-MM-DD); *version_id 0 when none is. */
int store_proposals_version_in_force(store_conn *conn, const char *day, long long *version_id, alvd_err *err);

/* Rows (article_id, action, title, text) of a revision, in position order. */
int store_proposals_changes(store_conn *conn, long long revision_id, store_result **rows, alvd_err *err);
/* Rows (proposal, other proposal) of one cycle whose current revisions touch a common
 * article, both still active; proposal_id 0 = every proposal of the cycle. */
int store_proposals_conflicts(store_conn *conn, long long cycle_id, long long proposal_id, store_result **rows,
                              alvd_err *err);
/* Rows (id, state, title, revision, source_report, updated_at, articles, comments,
 * unreplied) of the proposals of a cycle; articles comma separated. */
int store_proposals_list(store_conn *conn, long long cycle_id, store_result **rows, alvd_err *err);
/* Row (id, cycle_id, year, state, source_report, base_version_id, base_version_label,
 * current_revision_id, created_at, updated_at) of a proposal; 404 when there is none. */
int store_proposals_head(store_conn *conn, long long proposal_id, store_result **rows, alvd_err *err);
/* Row (id, number, title, rationale, created_at) of a revision of the proposal; 404
 * "Deze versie …" when the proposal has no such revision. */
int store_proposals_revision(store_conn *conn, long long proposal_id, long long revision_id, store_result **rows,
                             alvd_err *err);
int store_proposals_staff_counts_load(store_conn *conn, long long proposal_id, long long current_revision_id,
                                      store_proposals_staff_counts *counts, alvd_err *err);
/* Rows (consultation_id, round, revision, opens_at, closes_at) of the rounds it was put to. */
int store_proposals_consulted(store_conn *conn, long long proposal_id, store_result **rows, alvd_err *err);
/* Rows (number, id, title, created_at, created_by, changes, consulted_in) of every revision. */
int store_proposals_revisions(store_conn *conn, long long proposal_id, store_result **rows, alvd_err *err);
/* Rows (number, id, title, rationale, base_version_id) of every revision, in number order. */
int store_proposals_revision_texts(store_conn *conn, long long proposal_id, store_result **rows, alvd_err *err);
/* The revision consulted in the latest round the organisation is invited to; 0 when none. */
int store_proposals_contact_revision(store_conn *conn, long long proposal_id, long long organisation_id,
                                     long long *revision_id, alvd_err *err);

/* A new draft proposal of the cycle on the base version; *proposal_id gets its id. */
int store_proposals_insert(store_conn *conn, long long cycle_id, long long base_version_id, long long user_id,
                           long long *proposal_id, alvd_err *err);
/* What a proposal is made with; strings borrowed. created_at is a UTC DATETIME
 * "YYYY-MM-DD HH:MM:SS" (NULL = now: only the demo writes a proposal made earlier);
 * user_id 0 = made by no user. */
typedef struct store_proposals_new {
    long long cycle_id, base_version_id;
    const char *state, *source_report, *created_at;
    long long user_id;
} store_proposals_new;
int store_proposals_insert_with(store_conn *conn, const store_proposals_new *proposal, long long *proposal_id,
                                alvd_err *err);
/* A new revision (without changes yet); *revision_id gets its id. */
int store_proposals_insert_revision(store_conn *conn, long long proposal_id, long long number, const char *title,
                                    const char *rationale, long long user_id, long long *revision_id, alvd_err *err);
/* The same made at created_at (UTC DATETIME text, NULL = now); user_id 0 = no user. */
int store_proposals_insert_revision_at(store_conn *conn, long long proposal_id, long long number, const char *title,
                                       const char *rationale, const char *created_at, long long user_id,
                                       long long *revision_id, alvd_err *err);
int store_proposals_insert_change(store_conn *conn, long long revision_id, long long position, const char *article,
                                  const char *action, const char *title, const char *text, alvd_err *err);
/* Make the revision current (with the proposal's source report). */
int store_proposals_set_current(store_conn *conn, long long proposal_id, long long revision_id,
                                const char *source_report, alvd_err *err);
/* The proposal locked FOR UPDATE before a new revision: cycle_id, base_version_id,
 * state and last_number (the counts stay 0); 404 when there is none. */
int store_proposals_lock_for_revision(store_conn *conn, long long proposal_id, store_proposals_locked *locked,
                                      alvd_err *err);
/* The proposal locked FOR UPDATE before it is marked ready: cycle_id, state, unreplied
 * and consulted; 404 when there is none. */
int store_proposals_lock_for_ready(store_conn *conn, long long proposal_id, store_proposals_locked *locked,
                                   alvd_err *err);
/* A revised ready or lapsed proposal is a draft again. */
int store_proposals_back_to_draft(store_conn *conn, long long proposal_id, alvd_err *err);
int store_proposals_mark_ready(store_conn *conn, long long proposal_id, alvd_err *err);

/* The suggestion locked FOR UPDATE; 404 when there is none. Free with
 * store_proposals_suggestion_free. */
int store_proposals_suggestion_lock(store_conn *conn, long long suggestion_id, store_proposals_suggestion *suggestion,
                                    alvd_err *err);
void store_proposals_suggestion_free(store_proposals_suggestion *suggestion);
/* Link the suggestion to the proposal made from it. */
int store_proposals_suggestion_link(store_conn *conn, long long suggestion_id, long long proposal_id, alvd_err *err);

/* For a poll's outcome: a proposal's state (ready, adopted, ...; "" when there is none),
 * its row locked, its state set. */
int store_proposals_state(store_conn *conn, long long proposal_id, char state[16], alvd_err *err);
int store_proposals_lock(store_conn *conn, long long proposal_id, alvd_err *err);
int store_proposals_set_state(store_conn *conn, long long proposal_id, const char *state, alvd_err *err);
/* The draft or ready proposals of the same cycle whose current revision changes an article
 * that revision_id (of proposal_id) changes, by id; *out has one element at least (caller
 * frees). An adopted revision lapses them. */
typedef struct store_proposals_conflict {
    long long proposal_id;
    char state[16];
} store_proposals_conflict;
int store_proposals_conflicting_active(store_conn *conn, long long proposal_id, long long revision_id,
                                       store_proposals_conflict **out, size_t *count, alvd_err *err);

#endif
