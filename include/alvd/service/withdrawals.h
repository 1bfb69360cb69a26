/* Registered-letter withdrawals of a signature (Code art. 7; R4–R6) as flows: assess,
 * record (with the effect on the register, letters and audit in one transaction),
 * correct, apply what waits for a version, and the online notice of a contact person. */
#ifndef ALVD_SERVICE_WITHDRAWALS_H
#define ALVD_SERVICE_WITHDRAWALS_H

#include <jansson.h>

#include "alvd/base/err.h"
#include "alvd/crypto/audit.h"
#include "alvd/rules/dates.h"
#include "alvd/rules/deadlines.h"
#include "alvd/rules/member_import.h"
#include "alvd/rules/tracking.h"
#include "alvd/store/db.h"

#define SERVICE_WITHDRAWALS_LABEL_SIZE 72
#define SERVICE_WITHDRAWALS_SCAN_MAX_BYTES (10 * 1024 * 1024) /* 10 MiB */

/* What one withdrawal entry says; strings are borrowed. */
typedef struct service_withdrawals_input {
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
} service_withdrawals_input;

/* Everything the intake screen shows before saving, and what saving needs. */
typedef struct service_withdrawals_evaluation {
    char organisation_name[RULES_MEMBER_NAME_MAX * 4 + 1]; /* characters of up to 4 bytes in UTF-8 */
    long long basis_id;                        /* the signature row active on receipt */
    rules_withdrawal_assessment assessment;
    char concerned_label[SERVICE_WITHDRAWALS_LABEL_SIZE];
    char effect_label[SERVICE_WITHDRAWALS_LABEL_SIZE];
    int has_deadline;
    rules_withdrawal_deadline deadline;        /* R7 warning and advice of the concerned W */
} service_withdrawals_evaluation;

/* At most 80 bytes of text, cut before a UTF-8 lead byte, for use inside error
 * sentences (which must stay valid UTF-8 and within ALVD_ERR_MESSAGE_MAX). */
const char *service_withdrawals_short(const char *text, char out[81]);

/* "timely", "late_next", "late_pending", "no_version". */
const char *service_withdrawals_outcome_name(rules_withdrawal_outcome outcome);

/* Record a withdrawal in the caller's transaction (one is begun and committed when
 * none is open): the entry, its effect on the signature basis (R5: a new basis row
 * with until = E − 1 that supersedes the current one), the confirmation mail to the
 * organisation's contact persons and the audit entries. corrects_id > 0 records a
 * correction: the old entry's effect is undone and it gets superseded_by. *out (may
 * be NULL) receives the answer object (new reference). 422 "no_signature_basis",
 * 409 "already_withdrawn"/"withdrawal_pending", 422 "unknown_organisation". */
int service_withdrawals_record(store_conn *conn, const service_withdrawals_input *input, long long corrects_id,
                               const audit_actor *actor, json_t **out, alvd_err *err);

/* Apply every pending withdrawal (late, or received when nothing was scheduled) that
 * now meets the deadline of a scheduled version, after version_id was scheduled.
 * Call it in the transaction that creates the version (adoption, register import);
 * begins and commits its own when none is open. Returns the number applied, or -1. */
int service_withdrawals_apply_pending(store_conn *conn, long long version_id, alvd_err *err);

/* The route's own run of it: one transaction with its audit entry; *applied gets the number. */
int service_withdrawals_apply_pending_now(store_conn *conn, const audit_actor *actor, long long version_id,
                                          int *applied, alvd_err *err);

/* The intake answer without saving ("preview": true). */
int service_withdrawals_preview(store_conn *conn, const service_withdrawals_input *input, long long corrects_id,
                                json_t **out, alvd_err *err);
/* {"items"} of the entries concerning version_id / organisation_id (0 = any). */
int service_withdrawals_list(store_conn *conn, long long version_id, long long organisation_id, int all,
                             json_t **out, alvd_err *err);
/* One entry with its effects and proof; 404 when absent. */
int service_withdrawals_detail(store_conn *conn, long long id, json_t **out, alvd_err *err);

/* A contact person's view before sending: can_send with the preview, or can_send false
 * with "refusal": {"code"} (the caller adds the sentence from *refusal), the
 * organisation, its own entries and today. 404 when the organisation is gone. */
int service_withdrawals_my_position(store_conn *conn, long long organisation_id, rules_day today, json_t **out,
                                    alvd_err *refusal, alvd_err *err);
/* The online notice of a contact person: recorded as received today, with the proof of
 * who sent what. actor is the contact's; 404 when the organisation is gone. */
int service_withdrawals_notice(store_conn *conn, const audit_actor *actor, long long organisation_id,
                               long long contact_id, long long session_id, const char *text, rules_day today,
                               json_t **out, alvd_err *err);

/* Keep an uploaded scan under data_dir/withdrawals and record it; *out gets the answer. */
int service_withdrawals_scan_save(store_conn *conn, const audit_actor *actor, const char *data_dir,
                                  const unsigned char *data, size_t length, const char *media_type,
                                  const char *name, json_t **out, alvd_err *err);
/* Read scan id's file: *data (caller frees), *size and its media type; 404 "not_found"
 * for an unknown scan, 404 "scan_missing" when its file is gone. */
int service_withdrawals_scan_read(store_conn *conn, const char *data_dir, long long id, char **data, size_t *size,
                                  char media_type[64], alvd_err *err);

/* The letters (service/withdrawal_letters.c), queued in the caller's transaction. */
int service_withdrawals_letter_confirmation(store_conn *conn, long long withdrawal_id,
                                            const service_withdrawals_input *input,
                                            const service_withdrawals_evaluation *evaluation, long long corrects_id,
                                            alvd_err *err);
int service_withdrawals_letter_pending_applied(store_conn *conn, long long withdrawal_id, long long organisation_id,
                                               const char *organisation_name, rules_day received,
                                               const char *version_label, rules_day signature_ends, alvd_err *err);

#endif
