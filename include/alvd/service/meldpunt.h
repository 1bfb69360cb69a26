/* The meldpunt's flows (Code art. 5): intake sealed to the meldpunt key, the officers'
 * keys and unlocks, identity release, case steps, the half-year report and housekeeping. */
#ifndef ALVD_SERVICE_MELDPUNT_H
#define ALVD_SERVICE_MELDPUNT_H

#include <stddef.h>

#include "alvd/base/app.h"
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
/* The periodic worker's run (logs what it did). */
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

#endif
