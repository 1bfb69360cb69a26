/* The meldpunt's reports in MariaDB: the report rows with their sealed columns, norms,
 * files, messages, signals and identity requests. SQL only; sealing is the caller's. */
#ifndef ALVD_STORE_MELDPUNT_REPORTS_H
#define ALVD_STORE_MELDPUNT_REPORTS_H

#include <stddef.h>

#include "alvd/store/db.h"

#define STORE_MELDPUNT_DATE_SIZE 11 /* "YYYY-MM-DD" + NUL; "" for NULL */

/* A list of texts (file names, e-mail addresses); free with store_meldpunt_texts_free. */
typedef struct store_meldpunt_texts {
    char **items;
    size_t count;
} store_meldpunt_texts;
void store_meldpunt_texts_free(store_meldpunt_texts *texts);
/* Column 0 of every row of a query as texts (the other meldpunt store files use it). */
int store_meldpunt_texts_query(store_conn *conn, const char *sql, const store_param *params, size_t count,
                               store_meldpunt_texts *texts, alvd_err *err);

/* The dates of one report that its due dates follow from. */
typedef struct store_meldpunt_report_dates {
    long long id;
    char received_on[STORE_MELDPUNT_DATE_SIZE];
    char acknowledged_on[STORE_MELDPUNT_DATE_SIZE];
    char fed_back_on[STORE_MELDPUNT_DATE_SIZE];
    char closed_on[STORE_MELDPUNT_DATE_SIZE];
} store_meldpunt_report_dates;
typedef struct store_meldpunt_report_dates_list {
    store_meldpunt_report_dates *items;
    size_t count;
} store_meldpunt_report_dates_list;
void store_meldpunt_report_dates_list_free(store_meldpunt_report_dates_list *list);

/* Open reports not reminded about on today (YYYY-MM-DD) yet, in id order. */
int store_meldpunt_reports_unreminded(store_conn *conn, const char *today, store_meldpunt_report_dates_list *list,
                                      alvd_err *err);
/* Mark report id reminded about on today. */
int store_meldpunt_reports_mark_reminded(store_conn *conn, long long id, const char *today, alvd_err *err);
/* Closed reports whose personal data is still kept, in id order. */
int store_meldpunt_reports_closed_with_personal_data(store_conn *conn, store_meldpunt_report_dates_list *list,
                                                     alvd_err *err);
/* The attachment file names of report id. */
int store_meldpunt_reports_file_names(store_conn *conn, long long id, store_meldpunt_texts *names, alvd_err *err);
/* Delete the personal data of report id (files' rows, messages, identity requests, the
 * signal, sealed columns, keys, receipt and organisation link), noting the day. */
int store_meldpunt_reports_delete_personal_data(store_conn *conn, long long id, const char *today, alvd_err *err);

/* Report id's key sealed to the meldpunt (*wrapped, caller frees): 404 when there is no
 * such report, 409 "personal_data_deleted" when retention removed it. */
int store_meldpunt_reports_wrapped_key(store_conn *conn, long long id, unsigned char **wrapped, size_t *length,
                                       alvd_err *err);

#endif
