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

/* A copy of a binary cell (*out NULL for a NULL cell; caller frees), for the meldpunt store files. */
int store_meldpunt_blob_copy(const store_result *rows, size_t row, size_t column, unsigned char **out,
                             size_t *length, alvd_err *err);

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

/* ---- intake and the reporter's follow-up ---- */
/* Organisations whose name matches a LIKE pattern (id, name), by name, at most 25. */
int store_meldpunt_reports_organisations(store_conn *conn, const char *pattern, store_result **rows, alvd_err *err);
/* Whether organisation id exists. */
int store_meldpunt_reports_organisation_exists(store_conn *conn, long long id, int *exists, alvd_err *err);
/* The norms (id, title) of the Code in force on day (YYYY-MM-DD): article 6 and 6a, 6b … */
int store_meldpunt_reports_norms_in_force(store_conn *conn, const char *day, store_result **rows, alvd_err *err);
/* A new report row in state received, keyed for the meldpunt and the receipt. */
typedef struct store_meldpunt_new_report {
    const char *received_on;
    long long organisation_id;
    const unsigned char *wrapped_key;
    size_t wrapped_key_length;
    const char *receipt_prefix;
    const unsigned char *receipt_salt;
    size_t receipt_salt_length;
    const unsigned char *receipt_verifier;
    size_t receipt_verifier_length;
} store_meldpunt_new_report;
int store_meldpunt_reports_insert(store_conn *conn, const store_meldpunt_new_report *report, long long *id,
                                  alvd_err *err);
/* Store a sealed value in column of row id of table (meldpunt_reports, meldpunt_files,
 * meldpunt_messages, meldpunt_identity_requests); names are the caller's constants. */
int store_meldpunt_reports_set_sealed(store_conn *conn, const char *table, const char *column, long long id,
                                      const unsigned char *sealed, size_t length, alvd_err *err);
int store_meldpunt_reports_add_norm(store_conn *conn, long long id, const char *norm, alvd_err *err);
int store_meldpunt_reports_add_file(store_conn *conn, long long id, const char *file_name, const char *content_type,
                                    long long size, long long *file_id, alvd_err *err);
int store_meldpunt_reports_add_message(store_conn *conn, long long id, const char *created_on, long long *message_id,
                                       alvd_err *err);
/* Reports whose receipt starts with prefix (at most 8, by id): salt, verifier, and the
 * report key wrapped under the receipt. */
typedef struct store_meldpunt_receipt_candidate {
    long long id;
    unsigned char *salt, *verifier, *wrapped;
    size_t salt_length, verifier_length, wrapped_length;
} store_meldpunt_receipt_candidate;
typedef struct store_meldpunt_receipt_candidates {
    store_meldpunt_receipt_candidate items[8];
    size_t count;
} store_meldpunt_receipt_candidates;
int store_meldpunt_reports_receipt_candidates(store_conn *conn, const char *prefix,
                                              store_meldpunt_receipt_candidates *candidates, alvd_err *err);
void store_meldpunt_receipt_candidates_free(store_meldpunt_receipt_candidates *candidates);
/* What the reporter sees of report id: dates, state, sealed feedback, message count. */
typedef struct store_meldpunt_report_progress {
    store_meldpunt_report_dates dates;
    char state[24];
    unsigned char *feedback;  /* sealed; NULL when none */
    size_t feedback_length;
    long long messages;
} store_meldpunt_report_progress;
/* 404 when there is no report id. Free progress->feedback. */
int store_meldpunt_reports_progress(store_conn *conn, long long id, store_meldpunt_report_progress *progress,
                                    alvd_err *err);

/* How many reports there are (every state). */
int store_meldpunt_reports_count(store_conn *conn, long long *count, alvd_err *err);

#endif
