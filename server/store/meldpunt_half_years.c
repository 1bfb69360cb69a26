/* The meldpunt's half-year publication in MariaDB: every statement on meldpunt_half_years
 * and meldpunt_suggestions, and the counts of reports a table is made of. */
#include "alvd/store/meldpunt_half_years.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_meldpunt_half_years_reports(store_conn *conn, const char *from, const char *to, long long *count,
                                      alvd_err *err)
{
    return store_query_integer(conn, err, count, 0,
                               "SELECT COUNT(*) FROM meldpunt_reports WHERE received_on BETWEEN ? AND ?",
                               STORE_PARAMS(STORE_TEXT_PARAM(from), STORE_TEXT_PARAM(to)));
}

void store_meldpunt_norm_counts_free(store_meldpunt_norm_counts *counts)
{
    free(counts->items);
    counts->items = NULL;
    counts->count = 0;
}

int store_meldpunt_half_years_norm_counts(store_conn *conn, const char *from, const char *to,
                                          store_meldpunt_norm_counts *counts, alvd_err *err)
{
    store_result *rows = NULL;
    counts->items = NULL;
    counts->count = 0;
    if (store_query(conn, err, &rows,
                    "SELECT n.norm, r.judgement, COUNT(*) FROM meldpunt_report_norms n"
                    " JOIN meldpunt_reports r ON r.id = n.report_id WHERE r.received_on BETWEEN ? AND ?"
                    " GROUP BY n.norm, r.judgement ORDER BY LENGTH(n.norm), n.norm",
                    STORE_PARAMS(STORE_TEXT_PARAM(from), STORE_TEXT_PARAM(to))) != 0)
        return -1;
    size_t found = store_result_rows(rows);
    if (found && (counts->items = calloc(found, sizeof *counts->items)) == NULL) {
        store_result_free(rows);
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    }
    for (size_t r = 0; r < found; r++) {
        store_meldpunt_norm_count *item = &counts->items[r];
        const char *judgement = store_result_text(rows, r, 1);
        snprintf(item->norm, sizeof item->norm, "%s", store_result_text(rows, r, 0));
        snprintf(item->judgement, sizeof item->judgement, "%s", judgement ? judgement : "");
        item->count = store_result_int(rows, r, 2);
    }
    counts->count = found;
    store_result_free(rows);
    return 0;
}

int store_meldpunt_half_years_lock_published(store_conn *conn, const char *period, int *unfrozen, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT published_table IS NULL FROM meldpunt_half_years WHERE period = ?"
                    " AND published_at IS NOT NULL FOR UPDATE",
                    STORE_PARAMS(STORE_TEXT_PARAM(period))) != 0)
        return -1;
    *unfrozen = store_result_rows(rows) == 1 && store_result_int(rows, 0, 0);
    store_result_free(rows);
    return 0;
}

int store_meldpunt_half_years_set_table(store_conn *conn, const char *period, const char *table_json, alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE meldpunt_half_years SET published_table = ? WHERE period = ?",
                         STORE_PARAMS(STORE_TEXT_PARAM(table_json), STORE_TEXT_PARAM(period)));
}

void store_meldpunt_half_year_free(store_meldpunt_half_year *half_year)
{
    free(half_year->guidance);
    free(half_year->published_at);
    free(half_year->table_json);
    memset(half_year, 0, sizeof *half_year);
}

static int half_years_copy(const char *text, char **out)
{
    *out = text ? strdup(text) : NULL;
    return text && *out == NULL ? -1 : 0;
}

int store_meldpunt_half_years_published(store_conn *conn, const char *period, store_meldpunt_half_year *half_year,
                                        alvd_err *err)
{
    store_result *rows = NULL;
    memset(half_year, 0, sizeof *half_year);
    if (store_query(conn, err, &rows,
                    "SELECT guidance, published_at, published_table FROM meldpunt_half_years WHERE period = ?"
                    " AND published_at IS NOT NULL",
                    STORE_PARAMS(STORE_TEXT_PARAM(period))) != 0)
        return -1;
    int rc = 0;
    if (store_result_rows(rows) == 1) {
        half_year->found = 1;
        if (half_years_copy(store_result_text(rows, 0, 0), &half_year->guidance) != 0 ||
            half_years_copy(store_result_text(rows, 0, 1), &half_year->published_at) != 0 ||
            half_years_copy(store_result_text(rows, 0, 2), &half_year->table_json) != 0) {
            store_meldpunt_half_year_free(half_year);
            rc = alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        }
    }
    store_result_free(rows);
    return rc;
}

int store_meldpunt_half_years_lock(store_conn *conn, const char *period, int *published, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows, "SELECT published_at FROM meldpunt_half_years WHERE period = ? FOR UPDATE",
                    STORE_PARAMS(STORE_TEXT_PARAM(period))) != 0)
        return -1;
    *published = store_result_rows(rows) == 1 && !store_result_is_null(rows, 0, 0);
    store_result_free(rows);
    return 0;
}

int store_meldpunt_half_years_save_guidance(store_conn *conn, const char *period, const char *guidance,
                                            alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "INSERT INTO meldpunt_half_years (period, guidance, updated_at) VALUES (?, ?, UTC_TIMESTAMP(6))"
                         " ON DUPLICATE KEY UPDATE guidance = VALUES(guidance), updated_at = VALUES(updated_at)",
                         STORE_PARAMS(STORE_TEXT_PARAM(period), STORE_TEXT_PARAM(guidance)));
}

int store_meldpunt_half_years_clear_suggestions(store_conn *conn, const char *period, alvd_err *err)
{
    return store_execute(conn, err, NULL, "DELETE FROM meldpunt_suggestions WHERE period = ? AND proposal_id IS NULL",
                         STORE_PARAMS(STORE_TEXT_PARAM(period)));
}

int store_meldpunt_half_years_add_suggestion(store_conn *conn, const char *period, const char *article,
                                             const char *text, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "INSERT INTO meldpunt_suggestions (period, article, text, created_at)"
                         " VALUES (?, ?, ?, UTC_TIMESTAMP(6))",
                         STORE_PARAMS(STORE_TEXT_PARAM(period), STORE_TEXT_PARAM(article), STORE_TEXT_PARAM(text)));
}

int store_meldpunt_half_years_publish(store_conn *conn, const char *period, long long user_id, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "INSERT INTO meldpunt_half_years (period, published_at, published_by, updated_at)"
                         " VALUES (?, UTC_TIMESTAMP(6), ?, UTC_TIMESTAMP(6))"
                         " ON DUPLICATE KEY UPDATE published_at = COALESCE(published_at, VALUES(published_at)),"
                         " published_by = COALESCE(published_by, VALUES(published_by))",
                         STORE_PARAMS(STORE_TEXT_PARAM(period),
                                      user_id ? STORE_INT_PARAM(user_id) : STORE_NULL_PARAM));
}

int store_meldpunt_half_years_suggestions(store_conn *conn, const char *period, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT id, article, text, proposal_id FROM meldpunt_suggestions WHERE period = ? ORDER BY id",
                       STORE_PARAMS(STORE_TEXT_PARAM(period)));
}

int store_meldpunt_half_years_suggestion_list(store_conn *conn, const char *period, store_result **rows,
                                              alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT s.id, s.period, s.article, s.text, s.proposal_id, h.published_at IS NOT NULL AS published"
                       " FROM meldpunt_suggestions s LEFT JOIN meldpunt_half_years h ON h.period = s.period"
                       " WHERE s.period = ? ORDER BY s.id",
                       STORE_PARAMS(STORE_TEXT_PARAM(period)));
}
