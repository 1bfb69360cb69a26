/* The register's organisations in MariaDB: every SQL statement on the organisations
 * table (one row each, changed in place; their bases keep the history). */
#include "alvd/store/organisations.h"

#include <stdio.h>

#include "alvd/store/bases.h"

#define ORG_COLUMNS                                                                          \
    "o.id, o.name, o.kvk, o.email, o.address, o.member_number, o.public_consent, o.created_at," \
    " o.updated_at"

static int store_organisations_not_found(alvd_err *err)
{
    return alvd_err_set(err, 404, "not_found", NULL, "Deze organisatie staat niet in het register.");
}

int store_organisations_exists(store_conn *conn, long long id, int lock, alvd_err *err)
{
    long long found = 0;
    if (store_query_integer(conn, err, &found, 0,
                            lock ? "SELECT id FROM organisations WHERE id = ? FOR UPDATE"
                                 : "SELECT id FROM organisations WHERE id = ?",
                            STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    return found ? 0 : store_organisations_not_found(err);
}

int store_organisations_load(store_conn *conn, long long id, int lock, store_result **row, alvd_err *err)
{
    *row = NULL;
    if (store_query(conn, err, row,
                    lock ? "SELECT " ORG_COLUMNS " FROM organisations o WHERE o.id = ? FOR UPDATE"
                         : "SELECT " ORG_COLUMNS " FROM organisations o WHERE o.id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    if (store_result_rows(*row) == 0) {
        store_result_free(*row);
        *row = NULL;
        return store_organisations_not_found(err);
    }
    return 0;
}

int store_organisations_name(store_conn *conn, long long id, int lock, char *out, size_t size, int *found,
                             alvd_err *err)
{
    return store_query_text(conn, err, out, size, found,
                            lock ? "SELECT name FROM organisations WHERE id = ? FOR UPDATE"
                                 : "SELECT name FROM organisations WHERE id = ?",
                            STORE_PARAMS(STORE_INT_PARAM(id)));
}

int store_organisations_check_unique(store_conn *conn, const char *kvk, const char *member_number,
                                     long long except_id, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT kvk = ?, name FROM organisations WHERE (kvk = ? OR member_number = ?) AND id <> ?",
                    STORE_PARAMS(STORE_TEXT_PARAM(kvk), STORE_TEXT_PARAM(kvk), STORE_TEXT_PARAM(member_number),
                                 STORE_INT_PARAM(except_id))) != 0)
        return -1;
    int rc = 0;
    if (store_result_rows(rows) > 0) {
        if (kvk && store_result_int(rows, 0, 0))
            rc = alvd_err_set(err, 409, "kvk_taken", "kvk", "KvK-nummer %s staat al in het register (%s).",
                              kvk, store_result_text(rows, 0, 1));
        else
            rc = alvd_err_set(err, 409, "member_number_taken", "member_number",
                              "Dit lidnummer is al in gebruik bij %s.", store_result_text(rows, 0, 1));
    }
    store_result_free(rows);
    return rc;
}

int store_organisations_insert(store_conn *conn, const store_organisation_fields *fields, long long *id,
                               alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO organisations (name, kvk, email, address, member_number, public_consent,"
                      " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))",
                      STORE_PARAMS(STORE_TEXT_PARAM(fields->name), STORE_TEXT_PARAM(fields->kvk),
                                   STORE_TEXT_PARAM(fields->email), STORE_TEXT_PARAM(fields->address),
                                   STORE_TEXT_PARAM(fields->member_number),
                                   STORE_INT_PARAM(fields->public_consent))) != 0)
        return -1;
    *id = store_last_insert_id(conn);
    return 0;
}

int store_organisations_update(store_conn *conn, long long id, const store_organisation_change *change,
                               alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE organisations SET name = COALESCE(?, name), kvk = COALESCE(?, kvk),"
                         " email = IF(?, ?, email), address = IF(?, ?, address),"
                         " member_number = IF(?, ?, member_number),"
                         " public_consent = IF(? < 0, public_consent, ?), updated_at = UTC_TIMESTAMP(6)"
                         " WHERE id = ?",
                         STORE_PARAMS(STORE_TEXT_PARAM(change->name), STORE_TEXT_PARAM(change->kvk),
                                      STORE_INT_PARAM(change->has_email), STORE_TEXT_PARAM(change->email),
                                      STORE_INT_PARAM(change->has_address), STORE_TEXT_PARAM(change->address),
                                      STORE_INT_PARAM(change->has_member_number),
                                      STORE_TEXT_PARAM(change->member_number),
                                      STORE_INT_PARAM(change->public_consent),
                                      STORE_INT_PARAM(change->public_consent), STORE_INT_PARAM(id)));
}

/* Escape % _ and \ for a LIKE pattern "%text%". */
static void store_organisations_like_pattern(const char *text, char *out, size_t size)
{
    size_t used = 0;
    out[used++] = '%';
    for (const char *p = text; *p && used + 3 < size; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            out[used++] = '\\';
        out[used++] = *p;
    }
    out[used++] = '%';
    out[used] = '\0';
}

int store_organisations_list(store_conn *conn, const char *date, const char *search, store_result **rows,
                             alvd_err *err)
{
    char pattern[1024] = "";
    if (search)
        store_organisations_like_pattern(search, pattern, sizeof pattern);
    return store_query(conn, err, rows,
                       "SELECT " ORG_COLUMNS ","
                       " GROUP_CONCAT(DISTINCT b.basis ORDER BY b.basis SEPARATOR ',') AS active_bases,"
                       " (SELECT COUNT(*) FROM contacts c WHERE c.organisation_id = o.id AND c.removed_at IS NULL)"
                       " AS contacts"
                       " FROM organisations o LEFT JOIN bases b ON b.organisation_id = o.id"
                       " AND b.superseded_by IS NULL AND b.since <= ? AND (b.until IS NULL OR b.until >= ?)"
                       " WHERE (? IS NULL OR o.name LIKE ? OR o.kvk = ? OR o.member_number = ? OR o.email = ?)"
                       " GROUP BY o.id ORDER BY o.name, o.id LIMIT 2000",
                       STORE_PARAMS(STORE_TEXT_PARAM(date), STORE_TEXT_PARAM(date), STORE_TEXT_PARAM(search),
                                    STORE_TEXT_PARAM(pattern), STORE_TEXT_PARAM(search), STORE_TEXT_PARAM(search),
                                    STORE_TEXT_PARAM(search)));
}

int store_organisations_register(store_conn *conn, int for_update, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       for_update
                           ? "SELECT o.id, o.kvk, o.name, o.email, o.address, o.member_number, o.public_consent,"
                             " b.id, DATE_FORMAT(b.since, '%Y-%m-%d') FROM organisations o LEFT JOIN bases b"
                             " ON b.organisation_id = o.id AND b.basis = 'membership' AND b.superseded_by IS NULL"
                             " AND b.until IS NULL ORDER BY o.id, b.since DESC FOR UPDATE"
                           : "SELECT o.id, o.kvk, o.name, o.email, o.address, o.member_number, o.public_consent,"
                             " b.id, DATE_FORMAT(b.since, '%Y-%m-%d') FROM organisations o LEFT JOIN bases b"
                             " ON b.organisation_id = o.id AND b.basis = 'membership' AND b.superseded_by IS NULL"
                             " AND b.until IS NULL ORDER BY o.id, b.since DESC",
                       STORE_NO_PARAMS);
}

int store_organisations_export(store_conn *conn, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT o.name, o.kvk, o.email, o.address, o.member_number,"
                       " (SELECT DATE_FORMAT(MAX(b.since), '%Y-%m-%d') FROM bases b WHERE b.organisation_id = o.id"
                       "  AND b.basis = 'membership' AND b.superseded_by IS NULL AND b.until IS NULL),"
                       " o.public_consent FROM organisations o ORDER BY o.name, o.id",
                       STORE_NO_PARAMS);
}

int store_organisations_public_bases(store_conn *conn, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT o.id AS organisation_id, o.name AS organisation_name, o.kvk, " STORE_BASES_COLUMNS
                       " FROM organisations o JOIN bases b ON b.organisation_id = o.id AND b.superseded_by IS NULL"
                       " WHERE o.public_consent = 1 ORDER BY o.name, o.id, b.since, b.id",
                       STORE_NO_PARAMS);
}

int store_organisations_id_by_kvk(store_conn *conn, const char *kvk, long long *id, alvd_err *err)
{
    return store_query_integer(conn, err, id, 0, "SELECT id FROM organisations WHERE kvk = ?",
                               STORE_PARAMS(STORE_TEXT_PARAM(kvk)));
}

int store_organisations_first_ids(store_conn *conn, size_t limit, long long *ids, size_t *found, alvd_err *err)
{
    store_result *rows = NULL;
    *found = 0;
    if (store_query(conn, err, &rows, "SELECT id FROM organisations ORDER BY id LIMIT ?",
                    STORE_PARAMS(STORE_INT_PARAM((long long)limit))) != 0)
        return -1;
    for (size_t r = 0; r < store_result_rows(rows) && r < limit; r++)
        ids[(*found)++] = store_result_int(rows, r, 0);
    store_result_free(rows);
    return 0;
}
