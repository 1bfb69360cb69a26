/* The meldpunt's reports in MariaDB: every statement on meldpunt_reports and the rows that
 * hang off a report (norms, files, messages, signals, identity requests). */
#include "alvd/store/meldpunt_reports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void store_meldpunt_texts_free(store_meldpunt_texts *texts)
{
    for (size_t i = 0; i < texts->count; i++)
        free(texts->items[i]);
    free(texts->items);
    texts->items = NULL;
    texts->count = 0;
}

/* Column 0 of every row as a list of texts (NULL cells become ""). */
static int reports_texts_from(store_result *rows, store_meldpunt_texts *texts, alvd_err *err)
{
    size_t count = store_result_rows(rows);
    texts->items = count ? calloc(count, sizeof *texts->items) : NULL;
    texts->count = 0;
    if (count && texts->items == NULL)
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    for (size_t r = 0; r < count; r++) {
        const char *text = store_result_text(rows, r, 0);
        texts->items[r] = strdup(text ? text : "");
        if (texts->items[r] == NULL) {
            store_meldpunt_texts_free(texts);
            return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        }
        texts->count++;
    }
    return 0;
}

int store_meldpunt_texts_query(store_conn *conn, const char *sql, const store_param *params, size_t count,
                               store_meldpunt_texts *texts, alvd_err *err)
{
    store_result *rows = NULL;
    texts->items = NULL;
    texts->count = 0;
    if (store_query(conn, err, &rows, sql, params, count) != 0)
        return -1;
    int rc = reports_texts_from(rows, texts, err);
    store_result_free(rows);
    return rc;
}

void store_meldpunt_report_dates_list_free(store_meldpunt_report_dates_list *list)
{
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

static void reports_date_copy(char out[STORE_MELDPUNT_DATE_SIZE], const char *text)
{
    snprintf(out, STORE_MELDPUNT_DATE_SIZE, "%s", text ? text : "");
}

/* Rows of (id, received_on, acknowledged_on, fed_back_on, closed_on) as typed dates. */
static int reports_dates_query(store_conn *conn, const char *sql, const store_param *params, size_t count,
                               store_meldpunt_report_dates_list *list, alvd_err *err)
{
    store_result *rows = NULL;
    list->items = NULL;
    list->count = 0;
    if (store_query(conn, err, &rows, sql, params, count) != 0)
        return -1;
    size_t found = store_result_rows(rows);
    if (found && (list->items = calloc(found, sizeof *list->items)) == NULL) {
        store_result_free(rows);
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    }
    for (size_t r = 0; r < found; r++) {
        store_meldpunt_report_dates *dates = &list->items[r];
        dates->id = store_result_int(rows, r, 0);
        reports_date_copy(dates->received_on, store_result_text(rows, r, 1));
        reports_date_copy(dates->acknowledged_on, store_result_text(rows, r, 2));
        reports_date_copy(dates->fed_back_on, store_result_text(rows, r, 3));
        reports_date_copy(dates->closed_on, store_result_text(rows, r, 4));
    }
    list->count = found;
    store_result_free(rows);
    return 0;
}

int store_meldpunt_reports_unreminded(store_conn *conn, const char *today, store_meldpunt_report_dates_list *list,
                                      alvd_err *err)
{
    return reports_dates_query(conn,
                               "SELECT id, received_on, acknowledged_on, fed_back_on, closed_on FROM meldpunt_reports"
                               " WHERE closed_on IS NULL AND (last_reminder_on IS NULL OR last_reminder_on < ?)"
                               " ORDER BY id",
                               STORE_PARAMS(STORE_TEXT_PARAM(today)), list, err);
}

int store_meldpunt_reports_mark_reminded(store_conn *conn, long long id, const char *today, alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE meldpunt_reports SET last_reminder_on = ? WHERE id = ?",
                         STORE_PARAMS(STORE_TEXT_PARAM(today), STORE_INT_PARAM(id)));
}

int store_meldpunt_reports_closed_with_personal_data(store_conn *conn, store_meldpunt_report_dates_list *list,
                                                     alvd_err *err)
{
    return reports_dates_query(conn,
                               "SELECT id, received_on, acknowledged_on, fed_back_on, closed_on FROM meldpunt_reports"
                               " WHERE closed_on IS NOT NULL AND personal_data_deleted_on IS NULL ORDER BY id",
                               STORE_NO_PARAMS, list, err);
}

int store_meldpunt_reports_file_names(store_conn *conn, long long id, store_meldpunt_texts *names, alvd_err *err)
{
    return store_meldpunt_texts_query(conn, "SELECT file_name FROM meldpunt_files WHERE report_id = ? ORDER BY id",
                                      STORE_PARAMS(STORE_INT_PARAM(id)), names, err);
}

int store_meldpunt_reports_delete_personal_data(store_conn *conn, long long id, const char *today, alvd_err *err)
{
    if (store_execute(conn, err, NULL, "DELETE FROM meldpunt_files WHERE report_id = ?",
                      STORE_PARAMS(STORE_INT_PARAM(id))) != 0 ||
        store_execute(conn, err, NULL, "DELETE FROM meldpunt_messages WHERE report_id = ?",
                      STORE_PARAMS(STORE_INT_PARAM(id))) != 0 ||
        store_execute(conn, err, NULL, "DELETE FROM meldpunt_identity_requests WHERE report_id = ?",
                      STORE_PARAMS(STORE_INT_PARAM(id))) != 0 ||
        store_execute(conn, err, NULL,
                      "DELETE s FROM meldpunt_signals s JOIN meldpunt_reports r ON r.signal_id = s.id WHERE r.id = ?",
                      STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    return store_execute(conn, err, NULL,
                         "UPDATE meldpunt_reports SET organisation_id = NULL, signal_id = NULL, wrapped_key = NULL,"
                         " reporter_wrapped_key = NULL, receipt_prefix = NULL, receipt_salt = NULL,"
                         " receipt_verifier = NULL, reporter_name = NULL, reporter_email = NULL,"
                         " reporter_phone = NULL, description = NULL, feedback = NULL,"
                         " personal_data_deleted_on = ? WHERE id = ?",
                         STORE_PARAMS(STORE_TEXT_PARAM(today), STORE_INT_PARAM(id)));
}

int store_meldpunt_reports_wrapped_key(store_conn *conn, long long id, unsigned char **wrapped, size_t *length,
                                       alvd_err *err)
{
    store_result *rows = NULL;
    *wrapped = NULL;
    *length = 0;
    if (store_query(conn, err, &rows, "SELECT wrapped_key FROM meldpunt_reports WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    int rc = 0;
    if (store_result_rows(rows) != 1)
        rc = alvd_err_set(err, 404, "not_found", NULL, "Melding niet gevonden.");
    else if (store_result_is_null(rows, 0, 0))
        rc = alvd_err_set(err, 409, "personal_data_deleted", NULL,
                          "De persoonsgegevens van deze melding zijn na de bewaartermijn verwijderd.");
    else
        rc = store_meldpunt_blob_copy(rows, 0, 0, wrapped, length, err);
    store_result_free(rows);
    return rc;
}

/* ---------------------------------------------------------------- intake and follow-up */

int store_meldpunt_reports_organisations(store_conn *conn, const char *pattern, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows, "SELECT id, name FROM organisations WHERE name LIKE ? ORDER BY name LIMIT 25",
                       STORE_PARAMS(STORE_TEXT_PARAM(pattern)));
}

int store_meldpunt_reports_organisation_exists(store_conn *conn, long long id, int *exists, alvd_err *err)
{
    long long found = 0;
    if (store_query_integer(conn, err, &found, 0, "SELECT id FROM organisations WHERE id = ?",
                            STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    *exists = found != 0;
    return 0;
}

int store_meldpunt_reports_norms_in_force(store_conn *conn, const char *day, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT a.article_id AS id, a.title FROM code_articles a"
                       " WHERE a.version_id = (SELECT id FROM code_versions WHERE effective_from <= ?"
                       " ORDER BY effective_from DESC, id DESC LIMIT 1)"
                       " AND a.article_id REGEXP '^6[a-z]?$' ORDER BY a.position",
                       STORE_PARAMS(STORE_TEXT_PARAM(day)));
}

int store_meldpunt_reports_insert(store_conn *conn, const store_meldpunt_new_report *report, long long *id,
                                  alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO meldpunt_reports (received_on, organisation_id, state, wrapped_key,"
                      " receipt_prefix, receipt_salt, receipt_verifier) VALUES (?, ?, 'received', ?, ?, ?, ?)",
                      STORE_PARAMS(STORE_TEXT_PARAM(report->received_on), STORE_INT_PARAM(report->organisation_id),
                                   STORE_BLOB_PARAM(report->wrapped_key, report->wrapped_key_length),
                                   STORE_TEXT_PARAM(report->receipt_prefix),
                                   STORE_BLOB_PARAM(report->receipt_salt, report->receipt_salt_length),
                                   STORE_BLOB_PARAM(report->receipt_verifier, report->receipt_verifier_length))) != 0)
        return -1;
    *id = store_last_insert_id(conn);
    return 0;
}

int store_meldpunt_reports_set_sealed(store_conn *conn, const char *table, const char *column, long long id,
                                      const unsigned char *sealed, size_t length, alvd_err *err)
{
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE %s SET %s = ? WHERE id = ?", table, column);
    return store_execute(conn, err, NULL, sql, STORE_PARAMS(STORE_BLOB_PARAM(sealed, length), STORE_INT_PARAM(id)));
}

int store_meldpunt_reports_add_norm(store_conn *conn, long long id, const char *norm, alvd_err *err)
{
    return store_execute(conn, err, NULL, "INSERT IGNORE INTO meldpunt_report_norms (report_id, norm) VALUES (?, ?)",
                         STORE_PARAMS(STORE_INT_PARAM(id), STORE_TEXT_PARAM(norm)));
}

int store_meldpunt_reports_add_file(store_conn *conn, long long id, const char *file_name, const char *content_type,
                                    long long size, long long *file_id, alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO meldpunt_files (report_id, file_name, content_type, size) VALUES (?, ?, ?, ?)",
                      STORE_PARAMS(STORE_INT_PARAM(id), STORE_TEXT_PARAM(file_name), STORE_TEXT_PARAM(content_type),
                                   STORE_INT_PARAM(size))) != 0)
        return -1;
    *file_id = store_last_insert_id(conn);
    return 0;
}

int store_meldpunt_reports_add_message(store_conn *conn, long long id, const char *created_on, long long *message_id,
                                       alvd_err *err)
{
    if (store_execute(conn, err, NULL, "INSERT INTO meldpunt_messages (report_id, created_on, body) VALUES (?, ?, '')",
                      STORE_PARAMS(STORE_INT_PARAM(id), STORE_TEXT_PARAM(created_on))) != 0)
        return -1;
    *message_id = store_last_insert_id(conn);
    return 0;
}

int store_meldpunt_blob_copy(const store_result *rows, size_t row, size_t column, unsigned char **out,
                             size_t *length, alvd_err *err)
{
    *out = NULL;
    *length = 0;
    if (store_result_is_null(rows, row, column))
        return 0;
    *length = store_result_length(rows, row, column);
    if ((*out = malloc(*length + 1)) == NULL)
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    memcpy(*out, store_result_text(rows, row, column), *length);
    return 0;
}

void store_meldpunt_receipt_candidates_free(store_meldpunt_receipt_candidates *candidates)
{
    for (size_t i = 0; i < candidates->count; i++) {
        free(candidates->items[i].salt);
        free(candidates->items[i].verifier);
        free(candidates->items[i].wrapped);
    }
    candidates->count = 0;
}

int store_meldpunt_reports_receipt_candidates(store_conn *conn, const char *prefix,
                                              store_meldpunt_receipt_candidates *candidates, alvd_err *err)
{
    store_result *rows = NULL;
    memset(candidates, 0, sizeof *candidates);
    if (store_query(conn, err, &rows,
                    "SELECT id, receipt_salt, receipt_verifier, reporter_wrapped_key FROM meldpunt_reports"
                    " WHERE receipt_prefix = ? AND receipt_verifier IS NOT NULL ORDER BY id LIMIT 8",
                    STORE_PARAMS(STORE_TEXT_PARAM(prefix))) != 0)
        return -1;
    int rc = 0;
    for (size_t r = 0; r < store_result_rows(rows) && r < 8 && rc == 0; r++) {
        store_meldpunt_receipt_candidate *candidate = &candidates->items[candidates->count++];
        candidate->id = store_result_int(rows, r, 0);
        rc = store_meldpunt_blob_copy(rows, r, 1, &candidate->salt, &candidate->salt_length, err);
        if (rc == 0)
            rc = store_meldpunt_blob_copy(rows, r, 2, &candidate->verifier, &candidate->verifier_length, err);
        if (rc == 0)
            rc = store_meldpunt_blob_copy(rows, r, 3, &candidate->wrapped, &candidate->wrapped_length, err);
    }
    store_result_free(rows);
    if (rc != 0)
        store_meldpunt_receipt_candidates_free(candidates);
    return rc;
}

int store_meldpunt_reports_progress(store_conn *conn, long long id, store_meldpunt_report_progress *progress,
                                    alvd_err *err)
{
    store_result *rows = NULL;
    memset(progress, 0, sizeof *progress);
    if (store_query(conn, err, &rows,
                    "SELECT received_on, state, acknowledged_on, fed_back_on, closed_on, feedback,"
                    " (SELECT COUNT(*) FROM meldpunt_messages m WHERE m.report_id = r.id)"
                    " FROM meldpunt_reports r WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    int rc = 0;
    if (store_result_rows(rows) != 1) {
        rc = alvd_err_set(err, 404, "not_found", NULL, "Melding niet gevonden.");
    } else {
        progress->dates.id = id;
        reports_date_copy(progress->dates.received_on, store_result_text(rows, 0, 0));
        snprintf(progress->state, sizeof progress->state, "%s", store_result_text(rows, 0, 1));
        reports_date_copy(progress->dates.acknowledged_on, store_result_text(rows, 0, 2));
        reports_date_copy(progress->dates.fed_back_on, store_result_text(rows, 0, 3));
        reports_date_copy(progress->dates.closed_on, store_result_text(rows, 0, 4));
        progress->messages = store_result_int(rows, 0, 6);
        rc = store_meldpunt_blob_copy(rows, 0, 5, &progress->feedback, &progress->feedback_length, err);
    }
    store_result_free(rows);
    return rc;
}

int store_meldpunt_reports_count(store_conn *conn, long long *count, alvd_err *err)
{
    return store_query_integer(conn, err, count, 0, "SELECT COUNT(*) FROM meldpunt_reports", STORE_NO_PARAMS);
}
