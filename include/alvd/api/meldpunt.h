/* The meldpunt (Code art. 5): confidential intake with receipts, the officer's keys and
 * case workflow, anonymised signals answered by organisations, the half-year report,
 * reminders and retention. Handlers plus the few helpers the meldpunt files share. */
#ifndef ALVD_API_MELDPUNT_H
#define ALVD_API_MELDPUNT_H

#include "alvd/base/app.h"
#include "alvd/base/media.h"
#include "alvd/crypto/seal.h"
#include "alvd/http/request.h"
#include "alvd/rules/dates.h"
#include "alvd/service/meldpunt.h"
#include "alvd/store/db.h"

/* The anonymous routes' rate limits: per client address, in memory (http_limiter). */
#define MELDPUNT_LIMIT_WINDOW_SECONDS 600
#define MELDPUNT_LIMIT_SUBJECTS 32768
#define MELDPUNT_REPORT_BODY_LIMIT (12 * 1024 * 1024)

/* ---- intake and follow-up by the reporter (meldpunt.c) ---- */
void meldpunt_organisations(http_request *request);   /* GET /api/meldpunt/organisations */
void meldpunt_norms(http_request *request);           /* GET /api/meldpunt/norms */
void meldpunt_report_create(http_request *request);   /* POST /api/reports */
/* Its rate limit, checked when the headers are in, before up to 12 MiB are read. */
int meldpunt_report_precheck(http_request *request, alvd_err *err);
void meldpunt_follow_up(http_request *request);       /* POST /api/reports/follow-up */
void meldpunt_follow_up_message(http_request *request); /* POST /api/reports/follow-up/messages */

/* ---- the keys: per officer, granted by another officer (meldpunt_keys.c) ---- */
void meldpunt_status(http_request *request);          /* GET /api/meldpunt/status */
void meldpunt_setup(http_request *request);           /* POST /api/meldpunt/setup */
void meldpunt_unlock(http_request *request);          /* POST /api/meldpunt/unlock */
void meldpunt_lock(http_request *request);            /* POST /api/meldpunt/lock */
void meldpunt_migrate(http_request *request);         /* POST /api/meldpunt/migrate */
void meldpunt_officer_key(http_request *request);     /* POST /api/meldpunt/officer-key */
void meldpunt_officer_passphrase(http_request *request); /* POST /api/meldpunt/officer-key/passphrase */
void meldpunt_officers_list(http_request *request);   /* GET /api/meldpunt/officers */
void meldpunt_officer_grant(http_request *request);   /* POST /api/meldpunt/officers/{id}/grant */
void meldpunt_officer_remove(http_request *request);  /* DELETE /api/meldpunt/officers/{id} */

/* ---- releasing a reporter's identity (meldpunt_identity.c) ---- */
void meldpunt_identity_request(http_request *request);  /* POST /api/reports/{id}/identity-requests */
void meldpunt_identity_requests(http_request *request); /* GET /api/meldpunt/identity-requests */
void meldpunt_identity_approve(http_request *request);  /* POST /api/meldpunt/identity-requests/{id}/approve */
void meldpunt_identity_refuse(http_request *request);   /* POST /api/meldpunt/identity-requests/{id}/refuse */

/* ---- cases and the hearing (meldpunt_cases.c) ---- */
void meldpunt_reports_list(http_request *request);    /* GET /api/reports */
void meldpunt_report_get(http_request *request);      /* GET /api/reports/{id} */
void meldpunt_report_file(http_request *request);     /* GET /api/reports/{id}/files/{file_id} */
void meldpunt_report_acknowledge(http_request *request);
void meldpunt_report_signal(http_request *request);
void meldpunt_report_judgement(http_request *request);
void meldpunt_report_feedback(http_request *request);
void meldpunt_report_close(http_request *request);
void meldpunt_signals_list(http_request *request);    /* GET /api/signals (contact) */
void meldpunt_signal_get(http_request *request);      /* GET /api/signals/{id} */
void meldpunt_signal_respond(http_request *request);  /* POST /api/signals/{id}/response */

/* ---- the half-year report (meldpunt_half_year.c) ---- */
void meldpunt_half_year_get(http_request *request);
void meldpunt_half_year_text(http_request *request);
void meldpunt_half_year_publish(http_request *request);
void meldpunt_half_year_suggestions(http_request *request);

/* ---- reminders and retention (meldpunt_jobs.c) ---- */
void meldpunt_jobs_endpoint(http_request *request);   /* POST /api/meldpunt/jobs/run */

/* ---- shared helpers ---- */
/* The service's view of who acts (the request's app, connection, actor and session). */
service_meldpunt_officer meldpunt_officer_of(http_request *request);

#endif
