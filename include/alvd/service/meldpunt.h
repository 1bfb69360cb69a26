/* The meldpunt's flows (Code art. 5): intake sealed to the meldpunt key, the officers'
 * keys and unlocks, identity release, case steps, the half-year report and housekeeping. */
#ifndef ALVD_SERVICE_MELDPUNT_H
#define ALVD_SERVICE_MELDPUNT_H

#include <stddef.h>

#include "alvd/base/app.h"
#include "alvd/base/media.h"
#include "alvd/crypto/audit.h"
#include "alvd/crypto/seal.h"
#include "alvd/rules/dates.h"
#include "alvd/store/db.h"

/* Key files under ALVD_DATA_DIR/keys: the meldpunt's public key, and per officer that
 * officer's own public key ‖ secret key locked under their passphrase. The meldpunt's
 * secret key exists only sealed to each officer's public key (meldpunt_officers). */
#define MELDPUNT_PUBLIC_FILE "meldpunt.pub"
#define MELDPUNT_OFFICER_FILE_FORMAT "meldpunt-officer-%lld.key"
#define MELDPUNT_OFFICER_FILE_BYTES (SEAL_PUBLIC_KEY_BYTES + SEAL_LOCKED_KEY_BYTES)
/* Before issue 15: one keypair whose secret half every officer unlocked with one shared
 * passphrase (public key ‖ locked secret key). POST /api/meldpunt/migrate retires it. */
#define MELDPUNT_KEY_FILE "meldpunt.key"
#define MELDPUNT_KEY_FILE_BYTES (SEAL_PUBLIC_KEY_BYTES + SEAL_LOCKED_KEY_BYTES)
/* ---- shared (service/meldpunt_jobs.c) ---- */
/* Today in Amsterdam, or ALVD_TEST_TODAY when set. */
rules_day service_meldpunt_today(const alvd_app *app);
/* Path of an attachment under ALVD_DATA_DIR/meldpunt. */
void service_meldpunt_file_path(const alvd_app *app, const char *file_name, char *out, size_t size);

/* ---- reminders and retention (service/meldpunt_jobs.c) ---- */
typedef struct service_meldpunt_job_counts {
    int reminders;              /* reports a reminder was sent for */
    int personal_data_deleted;  /* reports whose personal data was deleted */
} service_meldpunt_job_counts;
/* Drop unlocks of ended sessions, mail reminders for overdue reports (once a day each)
 * and delete personal data past retention, as of today; one transaction per report. */
int service_meldpunt_jobs_run(const alvd_app *app, store_conn *conn, service_meldpunt_job_counts *counts,
                              alvd_err *err);
/* service_meldpunt_jobs_run started by a person (POST /api/meldpunt/jobs/run): audited
 * as meldpunt.jobs_run with the counts. */
int service_meldpunt_jobs_run_by(const alvd_app *app, store_conn *conn, const audit_actor *actor,
                                 service_meldpunt_job_counts *counts, alvd_err *err);
/* The periodic worker's run (logs what it did), started by `alvd serve`. The first run
 * waits a minute so a restart loop does not mail reminders each time. */
#define MELDPUNT_JOB_FIRST_SECONDS 60
#define MELDPUNT_JOB_INTERVAL_SECONDS (15 * 60)
int service_meldpunt_jobs_periodic(const alvd_app *app, store_conn *conn, alvd_err *err);

/* ---- the keys: per officer, granted by another officer (service/meldpunt_keys.c) ---- */
/* Who acts on the meldpunt, with which session: an unlock is sealed under a key derived
 * from the session token, which only the client holds. The api fills it from the
 * request; token and actor texts stay borrowed for the call. */
typedef struct service_meldpunt_officer {
    const alvd_app *app;
    store_conn *conn;
    audit_actor actor;
    int is_user;               /* a staff user's session (not a member, contact or key) */
    long long user_id;
    long long session_id;
    const char *session_token; /* NULL without a session */
} service_meldpunt_officer;

/* The meldpunt public key; 503 "meldpunt_not_ready" before setup. */
int service_meldpunt_public_key(const alvd_app *app, unsigned char public_key[SEAL_PUBLIC_KEY_BYTES],
                                alvd_err *err);
/* The unlocked secret key of this officer's session; 403 "locked" when not unlocked.
 * Wipe secret_key after use. */
int service_meldpunt_secret_key(const service_meldpunt_officer *officer,
                                unsigned char public_key[SEAL_PUBLIC_KEY_BYTES],
                                unsigned char secret_key[SEAL_SECRET_KEY_BYTES], alvd_err *err);
/* The key of report id, opened with this officer's unlocked session; 404 no report,
 * 409 personal_data_deleted, 403 locked. Wipe report_key after use. */
int service_meldpunt_report_key(const service_meldpunt_officer *officer, long long id,
                                unsigned char report_key[SEAL_KEY_BYTES], alvd_err *err);
/* Officers with access (a granted key and the meldpunt role, not disabled). */
int service_meldpunt_active_officers(store_conn *conn, long long *count, alvd_err *err);
/* Make user_id's officer key locked under passphrase (argon2id: a worker thread), and
 * when meldpunt_secret is given, grant it at once (granted_by). Writes the key file and
 * the meldpunt_officers row (in the caller's transaction when one is open). */
int service_meldpunt_officer_create(const alvd_app *app, store_conn *conn, long long user_id,
                                    const char *passphrase, const unsigned char *meldpunt_secret,
                                    long long granted_by, alvd_err *err);
/* Make the meldpunt's keypair (its public key file); the secret key comes back to be
 * granted to the first officer(s) and must be wiped. 409 when one exists. */
int service_meldpunt_keypair_create(const alvd_app *app, unsigned char secret_key[SEAL_SECRET_KEY_BYTES],
                                    alvd_err *err);

/* What GET /api/meldpunt/status shows this officer. */
typedef struct service_meldpunt_status {
    int set_up, unlocked, shared_passphrase;
    const char *officer;       /* "active", "waiting" or "none" */
    long long officers;        /* officers with access */
} service_meldpunt_status;
int service_meldpunt_status_of(const service_meldpunt_officer *officer, service_meldpunt_status *status,
                               alvd_err *err);
/* The first officer makes the meldpunt key (or remakes one a failed setup left). */
int service_meldpunt_setup(const service_meldpunt_officer *officer, const char *passphrase, alvd_err *err);
/* Open the meldpunt for this session with the officer's own passphrase. */
int service_meldpunt_unlock(const service_meldpunt_officer *officer, const char *passphrase, alvd_err *err);
int service_meldpunt_lock(const service_meldpunt_officer *officer, alvd_err *err);
/* From the shared passphrase to one's own; retires the shared key file. */
int service_meldpunt_migrate(const service_meldpunt_officer *officer, const char *shared_passphrase,
                             const char *passphrase, alvd_err *err);
/* A new officer chooses a passphrase; access follows when another officer grants it. */
int service_meldpunt_officer_key(const service_meldpunt_officer *officer, const char *passphrase, alvd_err *err);
int service_meldpunt_officer_passphrase(const service_meldpunt_officer *officer, const char *passphrase,
                                        const char *new_passphrase, alvd_err *err);
/* Officers and users with the role; free with store_meldpunt_officer_rows_free. */
struct store_meldpunt_officer_rows;
int service_meldpunt_officers(store_conn *conn, struct store_meldpunt_officer_rows *rows, alvd_err *err);
/* Seal the meldpunt secret (open in this session) to officer user_id's key. */
int service_meldpunt_officer_grant(const service_meldpunt_officer *officer, long long user_id, alvd_err *err);
/* Remove user_id's key (never the last officer with access). */
int service_meldpunt_officer_remove(const service_meldpunt_officer *officer, long long user_id, alvd_err *err);

/* ---- releasing a reporter's identity (service/meldpunt_identity.c) ---- */
struct store_meldpunt_identity_request;
struct store_meldpunt_identity_requests;
/* This officer's latest request for report_id (*found = 0: none, the identity hidden)
 * and whether a second officer must approve (more than one officer has access). */
typedef struct service_meldpunt_identity {
    int found, released, approval_needed;
} service_meldpunt_identity;
int service_meldpunt_identity_state(store_conn *conn, long long report_id, long long user_id,
                                    service_meldpunt_identity *identity,
                                    struct store_meldpunt_identity_request *request, alvd_err *err);
/* The identity state a case page shows: {"state", "request", "approval_needed"}. */
json_t *service_meldpunt_identity_json(const service_meldpunt_identity *identity,
                                       const struct store_meldpunt_identity_request *request);
/* Ask for report_id's identity with a reason (sealed under the report key); a sole
 * officer's request stands approved. *request_id, *sole and today come back. */
int service_meldpunt_identity_ask(const service_meldpunt_officer *officer, long long report_id, const char *reason,
                                  long long *request_id, int *sole, char today[RULES_DATE_TEXT_SIZE], alvd_err *err);
/* Pending requests and this officer's own, reasons unsealed where the session can. */
int service_meldpunt_identity_list(const service_meldpunt_officer *officer,
                                   struct store_meldpunt_identity_requests *list, alvd_err *err);
/* A second officer decides ("approved" or "refused"); *report_id and today come back. */
int service_meldpunt_identity_decide(const service_meldpunt_officer *officer, long long id, const char *decision,
                                     long long *report_id, char today[RULES_DATE_TEXT_SIZE], alvd_err *err);

/* ---- intake and the reporter's follow-up (service/meldpunt_intake.c) ---- */
#define MELDPUNT_ATTACHMENT_MAX (5 * 1024 * 1024)  /* per file, after decoding */
#define MELDPUNT_ATTACHMENTS_MAX 3
/* A new report as the intake (and the demo) hand it over; strings borrowed. */
typedef struct service_meldpunt_upload {
    unsigned char *data;  /* metadata already stripped */
    size_t length;
    media_type type;
    const char *name;     /* original name, may be NULL */
} service_meldpunt_upload;
typedef struct service_meldpunt_new_report {
    const char *name, *email, *phone; /* phone may be NULL */
    long long organisation_id;
    const char **norms;
    size_t norm_count;
    const char *text;
    rules_day received_on;
    const service_meldpunt_upload *uploads;
    size_t upload_count;
} service_meldpunt_new_report;
/* Store a report sealed (within the caller's transaction when one is open, else its own)
 * and give its id and receipt (shown once, stored only as an argon2id verifier). */
int service_meldpunt_report_insert(const alvd_app *app, store_conn *conn, const service_meldpunt_new_report *report,
                                   long long *id, char receipt[SEAL_RECEIPT_TEXT_SIZE], alvd_err *err);
/* Organisations (id, name) whose name contains q literally; rows for the caller to free. */
int service_meldpunt_organisations(store_conn *conn, const char *q, store_result **rows, alvd_err *err);
/* The norms (id, title) of the Code in force today; rows for the caller to free. */
int service_meldpunt_norms(const alvd_app *app, store_conn *conn, store_result **rows, alvd_err *err);
/* An attachment as the form sends it (strings borrowed). */
typedef struct service_meldpunt_attachment {
    const char *name;            /* may be NULL */
    const char *content_base64;
} service_meldpunt_attachment;
/* What the reporter submits; norms may hold NULL for a value that was no string. */
typedef struct service_meldpunt_submission {
    const char *name, *email, *phone;
    long long organisation_id;
    const char **norms;
    size_t norm_count;
    const char *text;
    const service_meldpunt_attachment *attachments;
    size_t attachment_count;
} service_meldpunt_submission;
typedef struct service_meldpunt_receipt {
    long long id;
    char receipt[SEAL_RECEIPT_TEXT_SIZE]; /* wipe after the reply */
    rules_day received_on;
    int mailed;                           /* the acknowledgement went out */
} service_meldpunt_receipt;
/* Check the norms (of the Code in force) and the organisation, decode and clean the
 * attachments, store the report sealed and mail the acknowledgement at once. */
int service_meldpunt_report_submit(const alvd_app *app, store_conn *conn, const service_meldpunt_submission *submission,
                                   service_meldpunt_receipt *receipt, alvd_err *err);
/* What the reporter sees with their receipt; 404 "receipt_unknown" for a receipt that
 * opens nothing (the caller counts those). Free feedback. */
typedef struct service_meldpunt_progress {
    long long id;
    char received_on[RULES_DATE_TEXT_SIZE], acknowledged_on[RULES_DATE_TEXT_SIZE];
    char fed_back_on[RULES_DATE_TEXT_SIZE], closed_on[RULES_DATE_TEXT_SIZE]; /* "" when not yet */
    char feedback_due[RULES_DATE_TEXT_SIZE];
    char state[24];
    char *feedback;  /* unsealed; NULL when none */
    long long messages;
} service_meldpunt_progress;
int service_meldpunt_follow_up(store_conn *conn, const char *receipt, service_meldpunt_progress *progress,
                               alvd_err *err);
/* The reporter adds a message (sealed) with their receipt; 404 "receipt_unknown" as above. */
int service_meldpunt_follow_up_message(const alvd_app *app, store_conn *conn, const char *receipt, const char *text,
                                       long long *message_id, char today[RULES_DATE_TEXT_SIZE], alvd_err *err);

/* ---- the half-year report (service/meldpunt_half_year.c) ---- */
/* Freeze the published table of a half year (complementary suppression applied) in the
 * caller's transaction, unless it is frozen already or not published. */
int service_meldpunt_half_year_freeze(store_conn *conn, const char *period_text, alvd_err *err);
/* A half year as the reader may see it: the frozen table once published; before that
 * only an officer sees live counts, marked as a preview (404 "not_published" otherwise). */
typedef struct service_meldpunt_half_year_view {
    int published;
    json_t *table;             /* {"reports", "by_norm", "threshold", "suppressed_mark"} */
    char *guidance, *published_at;   /* published only; guidance may be NULL */
    store_result *suggestions;       /* published only: id, article, text, proposal_id */
} service_meldpunt_half_year_view;
int service_meldpunt_half_year_view_of(store_conn *conn, const char *period_text, int officer,
                                       service_meldpunt_half_year_view *view, alvd_err *err);
void service_meldpunt_half_year_view_free(service_meldpunt_half_year_view *view);
/* Guidance text and amendment suggestions of a half year not yet published. */
typedef struct service_meldpunt_suggestion {
    const char *article;  /* NULL or "" = none */
    const char *text;
} service_meldpunt_suggestion;
int service_meldpunt_half_year_text(store_conn *conn, const audit_actor *actor, const char *period_text,
                                    const char *guidance, const service_meldpunt_suggestion *suggestions,
                                    size_t suggestion_count, int replace_suggestions, alvd_err *err);
/* Publish a half year after it ended (422 "period_not_over" before) and freeze its table. */
int service_meldpunt_half_year_publish(const alvd_app *app, store_conn *conn, const audit_actor *actor,
                                       long long user_id, const char *period_text, alvd_err *err);
/* The suggestions of a half year with whether it is published; rows for the caller to free. */
int service_meldpunt_half_year_suggestions(store_conn *conn, const char *period_text, store_result **rows,
                                           alvd_err *err);

/* ---- cases and the hearing (service/meldpunt_cases.c) ---- */
/* The officer's overview: every report with due dates on today. */
json_t *service_meldpunt_cases_overview(const alvd_app *app, store_conn *conn, alvd_err *err);
/* One report unsealed for this officer (the reporter only when released to them),
 * audited as report.viewed or report.identity_viewed. */
json_t *service_meldpunt_case_open(const service_meldpunt_officer *officer, long long id, alvd_err *err);
/* One attachment's bytes unsealed (caller frees *bytes), audited as report.file_viewed. */
typedef struct service_meldpunt_file {
    unsigned char *bytes;
    size_t length;
    char content_type[65];
} service_meldpunt_file;
int service_meldpunt_case_file(const service_meldpunt_officer *officer, long long id, long long file_id,
                               service_meldpunt_file *file, alvd_err *err);
/* The workflow steps; each answers the report's state row (JSON). */
json_t *service_meldpunt_case_acknowledge(const service_meldpunt_officer *officer, long long id, alvd_err *err);
/* Send the anonymised signal and mail the organisation's contacts a login link. */
json_t *service_meldpunt_case_signal(const service_meldpunt_officer *officer, long long id, const char *summary,
                                     alvd_err *err);
json_t *service_meldpunt_case_judge(const service_meldpunt_officer *officer, long long id, const char *judgement,
                                    alvd_err *err);
/* Store the feedback sealed and mail it to the reporter at once ("mailed" says whether). */
json_t *service_meldpunt_case_feedback(const service_meldpunt_officer *officer, long long id, const char *text,
                                       alvd_err *err);
json_t *service_meldpunt_case_close(const service_meldpunt_officer *officer, long long id, alvd_err *err);
/* The contact's side: their organisation's signals, one of them (404 for another's),
 * and the comply-or-explain answer. */
json_t *service_meldpunt_signals_of(store_conn *conn, long long organisation_id, alvd_err *err);
json_t *service_meldpunt_signal_of(store_conn *conn, long long organisation_id, long long id, alvd_err *err);
typedef struct service_meldpunt_answer {
    const char *stance;   /* "comply" or "explain" */
    const char *text;     /* may be NULL for comply */
} service_meldpunt_answer;
json_t *service_meldpunt_signal_answer(store_conn *conn, const audit_actor *actor, long long organisation_id,
                                       long long contact_id, long long id, const service_meldpunt_answer *answer,
                                       const char *today, alvd_err *err);

#endif
