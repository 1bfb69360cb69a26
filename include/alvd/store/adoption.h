/* The adoptions of proposals (effective date E, withdrawal deadline W, the decision
 * date D) and the scheduled Code versions they make: every SQL statement about them. */
#ifndef ALVD_STORE_ADOPTION_H
#define ALVD_STORE_ADOPTION_H

#include <jansson.h>
#include <stddef.h>

#include "alvd/base/err.h"
#include "alvd/store/db.h"

/* A proposal and the poll that adopted it (the last closed one, when a re-vote was held). */
typedef struct store_adoption_decision {
    long long poll_id;         /* 0 when no closed poll */
    long long meeting_id;
    char proposal_state[16];   /* draft, ready, adopted, ... */
    char decided_on[11];       /* D, 'YYYY-MM-DD'; "" when the poll has none */
} store_adoption_decision;
/* 404 "not_found" when the proposal does not exist. */
int store_adoption_decision_load(store_conn *conn, long long proposal_id, store_adoption_decision *out,
                                 alvd_err *err);


/* The proposal's adoption, locked: *version_id 0 when none yet. */
int store_adoption_current_locked(store_conn *conn, long long proposal_id, long long *version_id,
                                  char effective_from[11], alvd_err *err);

/* Standing withdrawals (not superseded) that concern the version or take effect for it. */
int store_adoption_withdrawals_on(store_conn *conn, long long version_id, long long *count, alvd_err *err);

/* The versions going into force on date: *version_id the adoption version of this
 * meeting (0 when none), *versions how many there are in all. */
int store_adoption_version_on(store_conn *conn, const char *date, long long meeting_id, long long *version_id,
                              long long *versions, alvd_err *err);

/* Adoptions on a version other than except_proposal_id's (0: every adoption). */
int store_adoption_count_on_version(store_conn *conn, long long version_id, long long except_proposal_id,
                                    long long *count, alvd_err *err);

/* Move an adoption version to another date, with its new label. */
int store_adoption_version_move(store_conn *conn, long long version_id, const char *date, const char *label,
                                alvd_err *err);
/* A new adoption version of a meeting; created_by is the user. */
int store_adoption_version_insert(store_conn *conn, const char *label, const char *date, long long meeting_id,
                                  const char *decided_on, long long created_by, long long *version_id,
                                  alvd_err *err);
/* D of a version is the latest D of its adoptions. */
int store_adoption_version_raise_decided_on(store_conn *conn, long long version_id, const char *decided_on,
                                            alvd_err *err);
/* Delete an adoption version and its articles. */
int store_adoption_version_delete(store_conn *conn, long long version_id, alvd_err *err);

/* One adoption as it is written (inserted, or replacing the proposal's earlier one). */
typedef struct store_adoption_row {
    long long proposal_id, poll_id, meeting_id, version_id, set_by;
    const char *decided_on, *effective_from, *withdrawal_deadline; /* 'YYYY-MM-DD' */
} store_adoption_row;
int store_adoption_upsert(store_conn *conn, const store_adoption_row *row, alvd_err *err);

/* Ids of the adoption versions from date on, by date then id (*ids malloc'd, caller frees). */
int store_adoption_versions_from(store_conn *conn, const char *date, long long **ids, size_t *count, alvd_err *err);
/* The base of an adoption version: the version before it in time, or (when none) the
 * oldest base version of its proposals; 0 when neither exists. */
int store_adoption_version_base(store_conn *conn, long long version_id, long long *base_id, alvd_err *err);
/* The article changes of every adoption on a version as [{article_id, action, title,
 * text}] in proposal then position order (title, text may be null). New reference. */
int store_adoption_changes_json(store_conn *conn, long long version_id, json_t **out, alvd_err *err);
/* Record the base a version was rebuilt from (0 = none). */
int store_adoption_version_set_base(store_conn *conn, long long version_id, long long base_id, alvd_err *err);

#endif
