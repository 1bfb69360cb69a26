/* The meldpunt's case work in MariaDB: the officer's overview, one report with its sealed
 * columns, messages and files, the workflow steps, and the signals contacts answer. */
#ifndef ALVD_STORE_MELDPUNT_CASES_H
#define ALVD_STORE_MELDPUNT_CASES_H

#include <stddef.h>

#include "alvd/store/db.h"
#include "alvd/store/meldpunt_reports.h"

/* A sealed cell: NULL when the column is NULL. */
typedef struct store_meldpunt_sealed {
    unsigned char *bytes;
    size_t length;
} store_meldpunt_sealed;

/* One report as the officer's overview and the case page show it. */
typedef struct store_meldpunt_case {
    store_meldpunt_report_dates dates;    /* received, acknowledged, fed back, closed */
    char state[24], judgement[24];
    char signal_sent_on[STORE_MELDPUNT_DATE_SIZE], response_on[STORE_MELDPUNT_DATE_SIZE];
    char judged_on[STORE_MELDPUNT_DATE_SIZE], personal_data_deleted_on[STORE_MELDPUNT_DATE_SIZE];
    int has_organisation;
    long long organisation_id;
    char organisation_name[201];          /* "" when the organisation is gone */
    char *norms;                          /* "6,6a" (overview only; may be NULL) */
    long long signal_id;                  /* 0 = none (case page only) */
    /* case page only: the sealed columns */
    store_meldpunt_sealed reporter_name, reporter_email, reporter_phone, description, feedback;
} store_meldpunt_case;
void store_meldpunt_case_free(store_meldpunt_case *item);
typedef struct store_meldpunt_cases {
    store_meldpunt_case *items;
    size_t count;
} store_meldpunt_cases;
void store_meldpunt_cases_free(store_meldpunt_cases *list);
/* Every report: open ones first, by date of receipt. */
int store_meldpunt_cases_overview(store_conn *conn, store_meldpunt_cases *list, alvd_err *err);
/* Report id with its sealed columns; 404 when there is none. */
int store_meldpunt_cases_load(store_conn *conn, long long id, store_meldpunt_case *item, alvd_err *err);
/* The norms of report id in order. */
int store_meldpunt_cases_norms(store_conn *conn, long long id, store_meldpunt_texts *norms, alvd_err *err);

/* A message or file of a report, its sealed part. */
typedef struct store_meldpunt_attachment_row {
    long long id;
    char created_on[STORE_MELDPUNT_DATE_SIZE];  /* messages */
    char content_type[65];                      /* files */
    long long size;                             /* files */
    store_meldpunt_sealed sealed;               /* the message body or the file's original name */
} store_meldpunt_attachment_row;
typedef struct store_meldpunt_attachment_rows {
    store_meldpunt_attachment_row *items;
    size_t count;
} store_meldpunt_attachment_rows;
void store_meldpunt_attachment_rows_free(store_meldpunt_attachment_rows *rows);
int store_meldpunt_cases_messages(store_conn *conn, long long id, store_meldpunt_attachment_rows *rows,
                                  alvd_err *err);
int store_meldpunt_cases_files(store_conn *conn, long long id, store_meldpunt_attachment_rows *rows, alvd_err *err);
/* One file of report id: its stored name and type; 404 when there is none. */
int store_meldpunt_cases_file(store_conn *conn, long long id, long long file_id, char file_name[33],
                              char content_type[65], alvd_err *err);

/* The row lock of a workflow step: state and links; 404 none, 409 personal data deleted. */
typedef struct store_meldpunt_case_lock {
    char state[24];
    long long organisation_id, signal_id;
    int fed_back;
} store_meldpunt_case_lock;
int store_meldpunt_cases_lock(store_conn *conn, long long id, store_meldpunt_case_lock *lock, alvd_err *err);
/* The state row a step answers with (id, state, judgement and the step dates). */
int store_meldpunt_cases_state(store_conn *conn, long long id, store_result **rows, alvd_err *err);
/* After feedback: id, state, judgement, fed_back_on. */
int store_meldpunt_cases_feedback_state(store_conn *conn, long long id, store_result **rows, alvd_err *err);
int store_meldpunt_cases_acknowledge(store_conn *conn, long long id, const char *today, alvd_err *err);
int store_meldpunt_cases_judge(store_conn *conn, long long id, const char *judgement, const char *today,
                               alvd_err *err);
int store_meldpunt_cases_close(store_conn *conn, long long id, const char *today, alvd_err *err);
/* Store the sealed feedback (state judgement becomes feedback). */
int store_meldpunt_cases_feedback(store_conn *conn, long long id, const unsigned char *sealed, size_t length,
                                  const char *today, alvd_err *err);
/* The sealed reporter e-mail and name of report id (for the feedback mail). */
int store_meldpunt_cases_reporter(store_conn *conn, long long id, store_meldpunt_sealed *email,
                                  store_meldpunt_sealed *name, alvd_err *err);

/* ---- signals (the hearing) ---- */
/* Insert signal signal_id for report id (its norms copied) and mark the report sent. */
int store_meldpunt_signals_send(store_conn *conn, long long id, long long signal_id, long long organisation_id,
                                const char *summary, const char *today, alvd_err *err);
/* Contacts of organisation_id who are not removed. */
int store_meldpunt_signals_contacts(store_conn *conn, long long organisation_id, long long **ids, size_t *count,
                                    alvd_err *err);
/* Signal id as the officer sees it (one row; none when missing), to render as it is. */
int store_meldpunt_signals_get(store_conn *conn, long long signal_id, store_result **rows, alvd_err *err);
/* Signals of an organisation, newest first (contact's view), to render. */
int store_meldpunt_signals_of(store_conn *conn, long long organisation_id, store_result **rows, alvd_err *err);
/* Signal id of organisation_id; 404 when there is none or it is another's. */
int store_meldpunt_signals_own(store_conn *conn, long long id, long long organisation_id, store_result **rows,
                               alvd_err *err);
/* Answer an unanswered signal; *affected = 0 when it was answered already. The report
 * linked to it moves to response. */
int store_meldpunt_signals_answer(store_conn *conn, long long id, long long organisation_id, const char *stance,
                                  const char *text, const char *today, long long contact_id, long long *affected,
                                  alvd_err *err);
int store_meldpunt_signals_report_answered(store_conn *conn, long long id, const char *today, alvd_err *err);

/* ---- a case written as it stands after its steps (the demo's back-dated cases) ---- */
/* A signal sent on sent_on, answered when stance is not NULL. Strings borrowed. */
typedef struct store_meldpunt_dated_signal {
    long long id, organisation_id;
    const char *norms, *summary, *sent_on;
    const char *stance, *response, *responded_on; /* NULL = not answered */
} store_meldpunt_dated_signal;
int store_meldpunt_signals_insert_dated(store_conn *conn, const store_meldpunt_dated_signal *signal, alvd_err *err);
/* Report id's state, judgement, signal and step dates, as given (NULL dates = not yet). */
typedef struct store_meldpunt_case_steps {
    const char *state, *judgement;
    long long signal_id;
    const char *acknowledged_on, *signal_sent_on, *response_on, *judged_on, *fed_back_on, *closed_on;
} store_meldpunt_case_steps;
int store_meldpunt_cases_set_steps(store_conn *conn, long long id, const store_meldpunt_case_steps *steps,
                                   alvd_err *err);

#endif
