/* Bases of binding (membership, signature, contract) in MariaDB: rows are never edited
 * in place; a change is a new row and the old one gets superseded_by. */
#ifndef ALVD_STORE_BASES_H
#define ALVD_STORE_BASES_H

#include "alvd/base/err.h"
#include "alvd/store/db.h"

#define STORE_BASES_COLUMNS                                                                  \
    "b.id, b.basis, DATE_FORMAT(b.since, '%Y-%m-%d') AS since,"                              \
    " DATE_FORMAT(b.until, '%Y-%m-%d') AS until, b.contract_ref, b.counterparty,"           \
    " b.follows_amendments, b.pinned_version_id, b.ended_by, b.superseded_by, b.created_at"

#define STORE_BASES_DATE_SIZE 11
#define STORE_BASES_ENDED_BY_SIZE 65

/* A new basis row; strings borrowed, NULL = none; 0 ids = none. */
typedef struct store_basis_fields {
    long long organisation_id;
    const char *basis, *since, *until, *contract_ref, *counterparty, *ended_by;
    int follows_amendments;
    long long pinned_version_id;
    long long created_by; /* user id */
} store_basis_fields;

/* One basis row as the checks read it: dates "YYYY-MM-DD" or "" when NULL. */
typedef struct store_basis_span {
    long long id;
    char since[STORE_BASES_DATE_SIZE];
    char until[STORE_BASES_DATE_SIZE];
    char ended_by[STORE_BASES_ENDED_BY_SIZE];
    int has_until, has_ended_by;
} store_basis_span;

/* STORE_BASES_COLUMNS of an organisation's current rows (not superseded) by since, id. */
int store_bases_current(store_conn *conn, long long organisation_id, store_result **rows, alvd_err *err);
/* STORE_BASES_COLUMNS of every row of an organisation, superseded ones too, by since, id. */
int store_bases_history(store_conn *conn, long long organisation_id, store_result **rows, alvd_err *err);
/* One row (STORE_BASES_COLUMNS and organisation_id); lock = 1 takes its row lock.
 * 404 "not_found" when absent. */
int store_bases_load(store_conn *conn, long long id, int lock, store_result **row, alvd_err *err);
/* *exists = 1 when Code version id exists. */
int store_bases_version_exists(store_conn *conn, long long version_id, int *exists, alvd_err *err);
/* The version a contract signed on since is pinned to: the one in force on that day, or
 * the first ever when it predates all; *version_id = 0 when there is none. */
int store_bases_pin_version(store_conn *conn, const char *since, long long *version_id, alvd_err *err);
/* The first current row of the kind (other than except_id) overlapping [since, until]
 * (until NULL = open), locked; *found = 0 when none. */
int store_bases_overlap(store_conn *conn, long long organisation_id, const char *basis, long long except_id,
                        const char *since, const char *until, store_basis_span *out, int *found,
                        alvd_err *err);
int store_bases_insert(store_conn *conn, const store_basis_fields *fields, long long *id, alvd_err *err);
/* Mark old_id superseded by new_id when it is not yet; *affected (may be NULL) = rows. */
int store_bases_supersede(store_conn *conn, long long old_id, long long new_id, long long *affected,
                          alvd_err *err);
/* A copy of row id with until and ended_by replaced (NULL allowed) into *new_id. */
int store_bases_copy_ended(store_conn *conn, long long id, const char *until, const char *ended_by,
                           long long created_by, long long *new_id, alvd_err *err);
/* The current signature active on date (latest since first); lock = 1 takes its row
 * lock. *found = 0 when none. */
int store_bases_signature_on(store_conn *conn, long long organisation_id, const char *date, int lock,
                             store_basis_span *out, int *found, alvd_err *err);
/* The current signature that ended last before date; *found = 0 when none. */
int store_bases_signature_ended_before(store_conn *conn, long long organisation_id, const char *date,
                                       store_basis_span *out, int *found, alvd_err *err);
/* The current signature row ended by `ended_by`, locked, with the until and ended_by of
 * the row it superseded in out (id is the ended row's); *found = 1 only for exactly one row. */
int store_bases_ended_by(store_conn *conn, const char *ended_by, store_basis_span *out, int *found,
                         alvd_err *err);

/* How many current membership rows have no end date (members for the time being). */
int store_bases_open_memberships(store_conn *conn, long long *count, alvd_err *err);

#endif
