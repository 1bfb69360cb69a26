/* Bases of binding in MariaDB: every SQL statement on the bases table (and the two
 * looks at code_versions a contract's pin needs). */
#include "alvd/store/bases.h"

#include <stdio.h>
#include <string.h>

int store_bases_current(store_conn *conn, long long organisation_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT " STORE_BASES_COLUMNS " FROM bases b WHERE b.organisation_id = ?"
                       " AND b.superseded_by IS NULL ORDER BY b.since, b.id",
                       STORE_PARAMS(STORE_INT_PARAM(organisation_id)));
}

int store_bases_history(store_conn *conn, long long organisation_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT " STORE_BASES_COLUMNS " FROM bases b WHERE b.organisation_id = ?"
                       " ORDER BY b.since, b.id",
                       STORE_PARAMS(STORE_INT_PARAM(organisation_id)));
}

int store_bases_load(store_conn *conn, long long id, int lock, store_result **row, alvd_err *err)
{
    *row = NULL;
    if (store_query(conn, err, row,
                    lock ? "SELECT " STORE_BASES_COLUMNS ", b.organisation_id FROM bases b WHERE b.id = ? FOR UPDATE"
                         : "SELECT " STORE_BASES_COLUMNS ", b.organisation_id FROM bases b WHERE b.id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    if (store_result_rows(*row) == 0) {
        store_result_free(*row);
        *row = NULL;
        return alvd_err_set(err, 404, "not_found", NULL, "Deze grondslag bestaat niet.");
    }
    return 0;
}

int store_bases_version_exists(store_conn *conn, long long version_id, int *exists, alvd_err *err)
{
    long long found = 0;
    if (store_query_integer(conn, err, &found, 0, "SELECT id FROM code_versions WHERE id = ?",
                            STORE_PARAMS(STORE_INT_PARAM(version_id))) != 0)
        return -1;
    *exists = found != 0;
    return 0;
}

int store_bases_pin_version(store_conn *conn, const char *since, long long *version_id, alvd_err *err)
{
    return store_query_integer(conn, err, version_id, 0,
                               "SELECT COALESCE((SELECT id FROM code_versions WHERE effective_from <= ?"
                               " ORDER BY effective_from DESC, id DESC LIMIT 1),"
                               " (SELECT id FROM code_versions ORDER BY effective_from, id LIMIT 1))",
                               STORE_PARAMS(STORE_TEXT_PARAM(since)));
}

/* Copy row 0 of rows (id, since/until text, ended_by) into *out; a NULL column gives "". */
static void store_bases_span_from(const store_result *rows, int id_column, int since_column, int until_column,
                                  int ended_by_column, store_basis_span *out)
{
    memset(out, 0, sizeof *out);
    if (id_column >= 0)
        out->id = store_result_int(rows, 0, (size_t)id_column);
    if (since_column >= 0 && store_result_text(rows, 0, (size_t)since_column))
        snprintf(out->since, sizeof out->since, "%s", store_result_text(rows, 0, (size_t)since_column));
    const char *until = until_column >= 0 ? store_result_text(rows, 0, (size_t)until_column) : NULL;
    const char *ended_by = ended_by_column >= 0 ? store_result_text(rows, 0, (size_t)ended_by_column) : NULL;
    out->has_until = until != NULL;
    snprintf(out->until, sizeof out->until, "%s", until ? until : "");
    out->has_ended_by = ended_by != NULL;
    snprintf(out->ended_by, sizeof out->ended_by, "%s", ended_by ? ended_by : "");
}

int store_bases_overlap(store_conn *conn, long long organisation_id, const char *basis, long long except_id,
                        const char *since, const char *until, store_basis_span *out, int *found,
                        alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT DATE_FORMAT(since, '%Y-%m-%d'), DATE_FORMAT(until, '%Y-%m-%d') FROM bases"
                    " WHERE organisation_id = ? AND basis = ? AND superseded_by IS NULL AND id <> ?"
                    " AND (until IS NULL OR until >= ?) AND (? IS NULL OR since <= ?) FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(organisation_id), STORE_TEXT_PARAM(basis),
                                 STORE_INT_PARAM(except_id), STORE_TEXT_PARAM(since), STORE_TEXT_PARAM(until),
                                 STORE_TEXT_PARAM(until))) != 0)
        return -1;
    *found = store_result_rows(rows) > 0;
    if (*found)
        store_bases_span_from(rows, -1, 0, 1, -1, out);
    store_result_free(rows);
    return 0;
}

static store_param store_bases_optional_id(long long id)
{
    return id > 0 ? STORE_INT_PARAM(id) : STORE_NULL_PARAM;
}

int store_bases_insert(store_conn *conn, const store_basis_fields *fields, long long *id, alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO bases (organisation_id, basis, since, until, contract_ref, counterparty,"
                      " follows_amendments, pinned_version_id, ended_by, created_at, created_by)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6), ?)",
                      STORE_PARAMS(STORE_INT_PARAM(fields->organisation_id), STORE_TEXT_PARAM(fields->basis),
                                   STORE_TEXT_PARAM(fields->since), STORE_TEXT_PARAM(fields->until),
                                   STORE_TEXT_PARAM(fields->contract_ref), STORE_TEXT_PARAM(fields->counterparty),
                                   STORE_INT_PARAM(fields->follows_amendments),
                                   store_bases_optional_id(fields->pinned_version_id),
                                   STORE_TEXT_PARAM(fields->ended_by),
                                   store_bases_optional_id(fields->created_by))) != 0)
        return -1;
    *id = store_last_insert_id(conn);
    return 0;
}

int store_bases_supersede(store_conn *conn, long long old_id, long long new_id, long long *affected,
                          alvd_err *err)
{
    return store_execute(conn, err, affected, "UPDATE bases SET superseded_by = ? WHERE id = ? AND superseded_by IS NULL",
                         STORE_PARAMS(STORE_INT_PARAM(new_id), STORE_INT_PARAM(old_id)));
}

int store_bases_copy_ended(store_conn *conn, long long id, const char *until, const char *ended_by,
                           long long created_by, long long *new_id, alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO bases (organisation_id, basis, since, until, contract_ref, counterparty,"
                      " follows_amendments, pinned_version_id, ended_by, created_at, created_by)"
                      " SELECT organisation_id, basis, since, ?, contract_ref, counterparty,"
                      " follows_amendments, pinned_version_id, ?, UTC_TIMESTAMP(6), ?"
                      " FROM bases WHERE id = ?",
                      STORE_PARAMS(STORE_TEXT_PARAM(until), STORE_TEXT_PARAM(ended_by),
                                   store_bases_optional_id(created_by), STORE_INT_PARAM(id))) != 0)
        return -1;
    *new_id = store_last_insert_id(conn);
    return 0;
}

int store_bases_signature_on(store_conn *conn, long long organisation_id, const char *date, int lock,
                             store_basis_span *out, int *found, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    lock ? "SELECT id, until, ended_by FROM bases WHERE organisation_id = ?"
                           " AND basis = 'signature' AND superseded_by IS NULL AND since <= ?"
                           " AND (until IS NULL OR until >= ?) ORDER BY since DESC, id DESC LIMIT 1"
                           " FOR UPDATE"
                         : "SELECT id, until, ended_by FROM bases WHERE organisation_id = ?"
                           " AND basis = 'signature' AND superseded_by IS NULL AND since <= ?"
                           " AND (until IS NULL OR until >= ?) ORDER BY since DESC, id DESC LIMIT 1",
                    STORE_PARAMS(STORE_INT_PARAM(organisation_id), STORE_TEXT_PARAM(date),
                                 STORE_TEXT_PARAM(date))) != 0)
        return -1;
    *found = store_result_rows(rows) == 1;
    if (*found)
        store_bases_span_from(rows, 0, -1, 1, 2, out);
    store_result_free(rows);
    return 0;
}

int store_bases_signature_ended_before(store_conn *conn, long long organisation_id, const char *date,
                                       store_basis_span *out, int *found, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT until, ended_by FROM bases WHERE organisation_id = ? AND basis = 'signature'"
                    " AND superseded_by IS NULL AND until IS NOT NULL AND until < ?"
                    " ORDER BY until DESC LIMIT 1",
                    STORE_PARAMS(STORE_INT_PARAM(organisation_id), STORE_TEXT_PARAM(date))) != 0)
        return -1;
    *found = store_result_rows(rows) == 1;
    if (*found)
        store_bases_span_from(rows, -1, -1, 0, 1, out);
    store_result_free(rows);
    return 0;
}

int store_bases_ended_by(store_conn *conn, const char *ended_by, store_basis_span *out, int *found,
                         alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT b.id, p.until, p.ended_by FROM bases b LEFT JOIN bases p ON p.superseded_by = b.id"
                    " WHERE b.ended_by = ? AND b.basis = 'signature' AND b.superseded_by IS NULL FOR UPDATE",
                    STORE_PARAMS(STORE_TEXT_PARAM(ended_by))) != 0)
        return -1;
    *found = store_result_rows(rows) == 1;
    if (*found)
        store_bases_span_from(rows, 0, -1, 1, 2, out);
    store_result_free(rows);
    return 0;
}

int store_bases_open_memberships(store_conn *conn, long long *count, alvd_err *err)
{
    return store_query_integer(conn, err, count, 0,
                               "SELECT COUNT(*) FROM bases WHERE basis = 'membership' AND superseded_by IS NULL"
                               " AND until IS NULL",
                               STORE_NO_PARAMS);
}
