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
    else if ((*wrapped = malloc(store_result_length(rows, 0, 0) + 1)) == NULL)
        rc = alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    else {
        *length = store_result_length(rows, 0, 0);
        memcpy(*wrapped, store_result_text(rows, 0, 0), *length);
    }
    store_result_free(rows);
    return rc;
}
