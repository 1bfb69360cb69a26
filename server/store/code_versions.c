/* SQL of the Code register: versions (label, effective date, source) and their
 * articles, for the import, the listings, the diff and the adoption rebuild. */
#include "alvd/store/code_versions.h"

#include <stdio.h>
#include <string.h>

int store_code_versions_by_date(store_conn *conn, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT id, label, DATE_FORMAT(effective_from, '%Y-%m-%d') FROM code_versions"
                       " ORDER BY effective_from, id",
                       STORE_NO_PARAMS);
}

int store_code_versions_by_id(store_conn *conn, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT id, label, DATE_FORMAT(effective_from, '%Y-%m-%d') FROM code_versions ORDER BY id",
                       STORE_NO_PARAMS);
}

int store_code_versions_count_locked(store_conn *conn, long long *count, alvd_err *err)
{
    return store_query_integer(conn, err, count, 0, "SELECT COUNT(*) FROM code_versions FOR UPDATE",
                               STORE_NO_PARAMS);
}

int store_code_versions_find_clash(store_conn *conn, const char *label, const char *effective_from,
                                   store_code_version_clash *out, alvd_err *err)
{
    store_result *rows = NULL;
    memset(out, 0, sizeof *out);
    if (store_query(conn, err, &rows,
                    "SELECT label = ?, DATE_FORMAT(effective_from, '%Y-%m-%d'), label FROM code_versions"
                    " WHERE label = ? OR effective_from = ? FOR UPDATE",
                    STORE_PARAMS(STORE_TEXT_PARAM(label), STORE_TEXT_PARAM(label),
                                 STORE_TEXT_PARAM(effective_from))) != 0)
        return -1;
    if (store_result_rows(rows) > 0) {
        out->found = 1;
        out->label_taken = store_result_int(rows, 0, 0) != 0;
        snprintf(out->effective_from, sizeof out->effective_from, "%s", store_result_text(rows, 0, 1));
        snprintf(out->label, sizeof out->label, "%s", store_result_text(rows, 0, 2));
    }
    store_result_free(rows);
    return 0;
}

int store_code_versions_insert_import(store_conn *conn, const char *label, const char *effective_from,
                                      const char *decided_on, long long created_by, long long *version_id,
                                      alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO code_versions (label, effective_from, decided_on, source, created_at, created_by)"
                      " VALUES (?, ?, ?, 'import', UTC_TIMESTAMP(6), ?)",
                      STORE_PARAMS(STORE_TEXT_PARAM(label), STORE_TEXT_PARAM(effective_from),
                                   STORE_TEXT_PARAM(decided_on),
                                   created_by ? STORE_INT_PARAM(created_by) : STORE_NULL_PARAM)) != 0)
        return -1;
    *version_id = store_last_insert_id(conn);
    return 0;
}

int store_code_versions_pin_first_contracts(store_conn *conn, long long version_id, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE bases SET pinned_version_id = ? WHERE basis = 'contract' AND follows_amendments = 0"
                         " AND pinned_version_id IS NULL AND (SELECT COUNT(*) FROM code_versions) = 1",
                         STORE_PARAMS(STORE_INT_PARAM(version_id)));
}

int store_code_articles_insert(store_conn *conn, long long version_id, long long position, const char *article_id,
                               const char *title, const char *text, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "INSERT INTO code_articles (version_id, article_id, position, title, text)"
                         " VALUES (?, ?, ?, ?, ?)",
                         STORE_PARAMS(STORE_INT_PARAM(version_id), STORE_TEXT_PARAM(article_id),
                                      STORE_INT_PARAM(position), STORE_TEXT_PARAM(title), STORE_TEXT_PARAM(text)));
}

int store_code_articles_json(store_conn *conn, long long version_id, json_t **out, alvd_err *err)
{
    store_result *rows = NULL;
    *out = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT article_id AS id, title, text FROM code_articles WHERE version_id = ?"
                    " ORDER BY position",
                    STORE_PARAMS(STORE_INT_PARAM(version_id))) != 0)
        return -1;
    *out = store_result_json(rows);
    store_result_free(rows);
    return 0;
}

int store_code_articles_delete(store_conn *conn, long long version_id, alvd_err *err)
{
    return store_execute(conn, err, NULL, "DELETE FROM code_articles WHERE version_id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(version_id)));
}

int store_code_versions_id_by_label(store_conn *conn, const char *label, long long *id, alvd_err *err)
{
    return store_query_integer(conn, err, id, 0, "SELECT id FROM code_versions WHERE label = ?",
                               STORE_PARAMS(STORE_TEXT_PARAM(label)));
}

int store_code_versions_insert_scheduled(store_conn *conn, const char *label, const char *effective_from,
                                         long long base_version_id, const char *decided_on, long long *version_id,
                                         alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO code_versions (label, effective_from, source, base_version_id, decided_on,"
                      " created_at) VALUES (?, ?, 'adoption', ?, ?, UTC_TIMESTAMP(6))",
                      STORE_PARAMS(STORE_TEXT_PARAM(label), STORE_TEXT_PARAM(effective_from),
                                   base_version_id ? STORE_INT_PARAM(base_version_id) : STORE_NULL_PARAM,
                                   STORE_TEXT_PARAM(decided_on))) != 0)
        return -1;
    *version_id = store_last_insert_id(conn);
    return 0;
}

int store_code_articles_copy(store_conn *conn, long long to_version_id, long long from_version_id, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "INSERT INTO code_articles (version_id, article_id, position, title, text)"
                         " SELECT ?, article_id, position, title, text FROM code_articles WHERE version_id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(to_version_id), STORE_INT_PARAM(from_version_id)));
}
