/* The Code register's tables (code_versions, code_articles): every SQL statement that
 * reads or writes a version or its articles for the import, listing and diff. */
#ifndef ALVD_STORE_CODE_VERSIONS_H
#define ALVD_STORE_CODE_VERSIONS_H

#include <jansson.h>

#include "alvd/base/err.h"
#include "alvd/store/db.h"

#define STORE_CODE_LABEL_SIZE 65 /* code_versions.label is VARCHAR(64) */

/* Every version as rows (id, label, effective_from 'YYYY-MM-DD'), ordered by
 * effective_from, id. The caller frees *rows. */
int store_code_versions_by_date(store_conn *conn, store_result **rows, alvd_err *err);
/* The same rows ordered by id (the calendar writes its events in this order). */
int store_code_versions_by_id(store_conn *conn, store_result **rows, alvd_err *err);

/* Number of versions, counted under a lock on them (two first versions cannot both
 * see an empty register). Call inside a transaction. */
int store_code_versions_count_locked(store_conn *conn, long long *count, alvd_err *err);

/* A version that already has this label or this effective date, locked. */
typedef struct store_code_version_clash {
    int found;
    int label_taken;                         /* 1: same label; 0: same date */
    char label[STORE_CODE_LABEL_SIZE];       /* the existing version's label */
    char effective_from[11];                 /* and its date */
} store_code_version_clash;
int store_code_versions_find_clash(store_conn *conn, const char *label, const char *effective_from,
                                   store_code_version_clash *out, alvd_err *err);

/* A version imported from Markdown (source 'import'); created_by 0 = not a user. */
int store_code_versions_insert_import(store_conn *conn, const char *label, const char *effective_from,
                                      const char *decided_on, long long created_by, long long *version_id,
                                      alvd_err *err);

/* While version_id is the only version, pin every contract recorded before any
 * version existed to it (R8). */
int store_code_versions_pin_first_contracts(store_conn *conn, long long version_id, alvd_err *err);

/* One article of a version at position (1-based). */
int store_code_articles_insert(store_conn *conn, long long version_id, long long position, const char *article_id,
                               const char *title, const char *text, alvd_err *err);
/* The articles of a version as [{id, title, text}] in position order (new reference). */
int store_code_articles_json(store_conn *conn, long long version_id, json_t **out, alvd_err *err);
/* Every article of a version. */
int store_code_articles_delete(store_conn *conn, long long version_id, alvd_err *err);

/* The id of the version with this label; *id = 0 when there is none. */
int store_code_versions_id_by_label(store_conn *conn, const char *label, long long *id, alvd_err *err);
/* A scheduled version (source 'adoption') of no meeting on base_version_id (0 = none);
 * the demo's versions whose dates, not texts, matter. */
int store_code_versions_insert_scheduled(store_conn *conn, const char *label, const char *effective_from,
                                         long long base_version_id, const char *decided_on, long long *version_id,
                                         alvd_err *err);
/* Every article of from_version_id, copied into to_version_id at the same positions. */
int store_code_articles_copy(store_conn *conn, long long to_version_id, long long from_version_id, alvd_err *err);

#endif
