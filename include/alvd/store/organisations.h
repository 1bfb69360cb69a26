/* The register's organisations in MariaDB: reading, inserting and changing them, and
 * the whole-register reads of the list, the import comparison, the export and the public register. */
#ifndef ALVD_STORE_ORGANISATIONS_H
#define ALVD_STORE_ORGANISATIONS_H

#include "alvd/base/err.h"
#include "alvd/store/db.h"

/* What a new organisation is; strings are borrowed, NULL = none. */
typedef struct store_organisation_fields {
    const char *name, *kvk, *email, *address, *member_number;
    int public_consent; /* 0 or 1 */
} store_organisation_fields;

/* A change of an organisation: NULL name/kvk and has_* = 0 leave the column as it is;
 * has_* = 1 with a NULL value clears it. public_consent < 0 leaves it. */
typedef struct store_organisation_change {
    const char *name, *kvk;
    int has_email, has_address, has_member_number;
    const char *email, *address, *member_number;
    int public_consent;
} store_organisation_change;

/* 0 when organisation id exists (lock = 1 takes its row lock), 404 "not_found" otherwise. */
int store_organisations_exists(store_conn *conn, long long id, int lock, alvd_err *err);
/* One organisation's row (id, name, kvk, email, address, member_number, public_consent,
 * created_at, updated_at) into *row (caller frees); lock = 1 takes its row lock. 404 when absent. */
int store_organisations_load(store_conn *conn, long long id, int lock, store_result **row, alvd_err *err);
/* The name of organisation id into out (lock = 1 takes its row lock); *found (may be NULL) = 0 and
 * out = "" when it does not exist. */
int store_organisations_name(store_conn *conn, long long id, int lock, char *out, size_t size, int *found,
                             alvd_err *err);
/* 409 "kvk_taken" / "member_number_taken" when kvk or member_number (NULL = not checked)
 * belongs to another organisation than except_id. */
int store_organisations_check_unique(store_conn *conn, const char *kvk, const char *member_number,
                                     long long except_id, alvd_err *err);
int store_organisations_insert(store_conn *conn, const store_organisation_fields *fields, long long *id,
                               alvd_err *err);
int store_organisations_update(store_conn *conn, long long id, const store_organisation_change *change,
                               alvd_err *err);

/* The list: organisation columns plus active_bases (kinds active on date, comma separated,
 * NULL when none) and contacts (count), by name; search (NULL = all) is found in the
 * name or equals kvk, member number or e-mail. At most 2000 rows. */
int store_organisations_list(store_conn *conn, const char *date, const char *search, store_result **rows,
                             alvd_err *err);
/* Every organisation with its latest open membership, ordered by id (for_update locks
 * them): columns id, kvk, name, email, address, member_number, public_consent,
 * membership basis id (NULL = none), its since. */
int store_organisations_register(store_conn *conn, int for_update, store_result **rows, alvd_err *err);
/* The export columns in order: name, kvk, email, address, member_number, the open
 * membership's since, public_consent; by name. */
int store_organisations_export(store_conn *conn, store_result **rows, alvd_err *err);
/* Organisations with public consent and their current bases: organisation_id,
 * organisation_name, kvk, then STORE_BASES_COLUMNS; by name, id, since. */
int store_organisations_public_bases(store_conn *conn, store_result **rows, alvd_err *err);

/* The id of the organisation with this KvK number; *id = 0 when there is none. */
int store_organisations_id_by_kvk(store_conn *conn, const char *kvk, long long *id, alvd_err *err);
/* The ids of the first (at most limit) organisations in id order into ids; *found says how many. */
int store_organisations_first_ids(store_conn *conn, size_t limit, long long *ids, size_t *found, alvd_err *err);

#endif
