/* Registered-letter withdrawals of a signature (Code art. 7; R4–R6): intake with a
 * preview, corrections, scans of letters, the online notice of a contact person. */
#ifndef ALVD_API_WITHDRAWALS_H
#define ALVD_API_WITHDRAWALS_H

#include <jansson.h>

#include "alvd/base/err.h"
#include "alvd/crypto/audit.h"
#include "alvd/http/request.h"
#include "alvd/rules/dates.h"
#include "alvd/rules/tracking.h"
#include "alvd/store/db.h"

#define WITHDRAWALS_SCAN_MAX_BYTES (10 * 1024 * 1024) /* 10 MiB */
#define WITHDRAWALS_NOTE_MAX_CHARS 2000
#define WITHDRAWALS_NOTICE_MAX_CHARS 5000

/* POST /api/withdrawals (secretariat): record a letter → 201 with the assessment. */
void withdrawals_create(http_request *request);
/* POST /api/withdrawals/preview (secretariat): the same answer without saving. */
void withdrawals_preview(http_request *request);
/* GET /api/withdrawals?version_id=&organisation_id=&all= (staff). */
void withdrawals_list(http_request *request);
/* GET /api/withdrawals/{id} (staff): one entry with its effects and proof. */
void withdrawals_get(http_request *request);
/* POST /api/withdrawals/{id}/correct (secretariat): a new entry superseding {id}. */
void withdrawals_correct(http_request *request);
/* POST /api/withdrawals/apply-pending (secretariat): {"version_id"} → apply what waits. */
void withdrawals_apply_pending_route(http_request *request);
/* POST /api/withdrawals/scans?name= (secretariat, application/octet-stream). */
void withdrawals_scan_upload(http_request *request);
/* GET /api/withdrawals/scans/{id} (staff): the file as an attachment. */
void withdrawals_scan_download(http_request *request);
/* GET /api/my/withdrawal (contact): the organisation's position before sending. */
void withdrawals_my_get(http_request *request);
/* POST /api/my/withdrawal (contact): {"text","confirm":true} → the online notice. */
void withdrawals_my_send(http_request *request);

/* What one withdrawal entry says; strings are borrowed. */
typedef struct withdrawals_input {
    long long organisation_id;
    rules_day received_on;
    int has_sent_on;
    rules_day sent_on;
    const char *form;                             /* "registered", "letter", "email" */
    const char *channel;                          /* "intake" or "online" */
    rules_tracking_kind tracking_kind;            /* RULES_TRACKING_NONE = no code */
    char tracking_code[RULES_TRACKING_CODE_SIZE]; /* normalised, "" = none */
    const char *note;                             /* may be NULL */
    long long scan_id;                            /* 0 = none */
    const char *correction_reason;                /* corrections only */
    /* proof of an online notice (channel "online") */
    long long proof_session_id;
    long long proof_contact_id;
    const char *proof_contact_email;
    const char *proof_text;
} withdrawals_input;

/* Record a withdrawal in the caller's transaction (one is begun and committed when
 * none is open): the entry, its effect on the signature basis (R5: a new basis row
 * with until = E − 1 that supersedes the current one), the confirmation mail to the
 * organisation's contact persons and the audit entries. corrects_id > 0 records a
 * correction: the old entry's effect is undone and it gets superseded_by. *out (may
 * be NULL) receives the answer object (new reference). 422 "no_signature_basis",
 * 409 "already_withdrawn"/"withdrawal_pending", 422 "unknown_organisation". */
int withdrawals_record(store_conn *conn, const withdrawals_input *input, long long corrects_id,
                       const audit_actor *actor, json_t **out, alvd_err *err);

/* Apply every pending withdrawal (late, or received when nothing was scheduled) that
 * now meets the deadline of a scheduled version, after version_id was scheduled.
 * Call it in the transaction that creates the version (adoption, register import);
 * begins and commits its own when none is open. Returns the number applied, or -1. */
int withdrawals_apply_pending(store_conn *conn, long long version_id, alvd_err *err);

#endif
