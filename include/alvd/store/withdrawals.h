/* Withdrawals of a signature in MariaDB: the entries (a correction is a new entry that
 * supersedes the old), their effects on the register, and the scans of the letters. */
#ifndef ALVD_STORE_WITHDRAWALS_H
#define ALVD_STORE_WITHDRAWALS_H

#include "alvd/base/err.h"
#include "alvd/store/db.h"

/* One entry as it is written; strings borrowed (NULL = none), ids 0 = none. */
typedef struct store_withdrawal_fields {
    long long organisation_id;
    const char *received_on, *sent_on, *form, *channel, *tracking_code, *tracking_kind;
    long long scan_id;
    const char *note, *outcome;
    long long concerned_version_id;
    const char *deadline;
    int timely;
    long long effect_version_id;
    const char *signature_ends, *effect_text;
    long long corrects_id;
    const char *correction_reason;
    long long proof_session_id, proof_contact_id;
    const char *proof_contact_email, *proof_text, *proof_text_sha256; /* proof_text set = submitted now */
    const char *created_by_kind;
    long long created_by;
    const char *created_by_label;
} store_withdrawal_fields;

/* What an entry did to the register: kind "ended", "already_ended" or "undone". */
typedef struct store_withdrawal_effect {
    long long withdrawal_id;
    const char *kind;
    long long version_id, basis_id, previous_basis_id; /* 0 = none */
    const char *signature_ends;                        /* NULL = none */
} store_withdrawal_effect;

typedef struct store_withdrawal_scan {
    char stored_name[65];
    char media_type[64];
    long long size;
} store_withdrawal_scan;

int store_withdrawals_insert(store_conn *conn, const store_withdrawal_fields *fields, long long *id, alvd_err *err);
/* Lock entry id; *superseded_by gets its successor (0 = none). 404 when absent. */
int store_withdrawals_lock(store_conn *conn, long long id, long long *superseded_by, alvd_err *err);
/* Mark old_id superseded by new_id when it is not yet; *affected gets the rows changed. */
int store_withdrawals_supersede(store_conn *conn, long long old_id, long long new_id, long long *affected,
                                alvd_err *err);
/* The open entry of the organisation (other than except_id) still waiting for a
 * version (late_pending or no_version, no effect yet); *id = 0 when none. */
int store_withdrawals_open_pending(store_conn *conn, long long organisation_id, long long except_id, long long *id,
                                   alvd_err *err);
int store_withdrawals_effect_insert(store_conn *conn, const store_withdrawal_effect *effect, alvd_err *err);
/* The kind of the entry's latest effect into out ("" when none). */
int store_withdrawals_last_effect_kind(store_conn *conn, long long withdrawal_id, char *out, size_t size,
                                       alvd_err *err);
/* The effective date ("YYYY-MM-DD") of Code version id into out; *found = 0 when absent. */
int store_withdrawals_version_effective(store_conn *conn, long long version_id, char *out, size_t size, int *found,
                                        alvd_err *err);
/* Waiting entries received before `before`, locked, by id: id, organisation_id,
 * received_on, organisation name. */
int store_withdrawals_pending_before(store_conn *conn, const char *before, store_result **rows, alvd_err *err);

/* Every Code version as (id, label, effective_from) by effective_from, id: what a letter
 * is assessed against. */
int store_withdrawals_code_versions(store_conn *conn, store_result **rows, alvd_err *err);

/* The entry columns the list and detail show (see store/withdrawals.c), with effect_kind,
 * effect_version_id and signature_ends derived from the effects. */
/* Entries concerning version_id (0 = any) of organisation_id (0 = any), superseded ones
 * only when all; newest received first, at most 1000. */
int store_withdrawals_list(store_conn *conn, long long version_id, long long organisation_id, int all,
                           store_result **rows, alvd_err *err);
/* One entry; 404 when absent. */
int store_withdrawals_load(store_conn *conn, long long id, store_result **rows, alvd_err *err);
/* The organisation's current entries, newest first, at most 50. */
int store_withdrawals_of_organisation(store_conn *conn, long long organisation_id, store_result **rows,
                                      alvd_err *err);
/* The effects of an entry in order, with the label of their version. */
int store_withdrawals_effects(store_conn *conn, long long id, store_result **rows, alvd_err *err);
/* The proof of an entry (online notice, scan) and the label and date of the version it works for. */
int store_withdrawals_proof(store_conn *conn, long long id, store_result **rows, alvd_err *err);

/* *exists = 1 when scan id exists. */
int store_withdrawals_scan_exists(store_conn *conn, long long scan_id, int *exists, alvd_err *err);
int store_withdrawals_scan_insert(store_conn *conn, const char *stored_name, const char *media_type,
                                  long long size, const char *sha256_hex, const char *original_name,
                                  long long uploaded_by, long long *id, alvd_err *err);
/* A scan's stored file name, media type and size; 404 "not_found" when absent. */
int store_withdrawals_scan_load(store_conn *conn, long long id, store_withdrawal_scan *out, alvd_err *err);

/* The organisation with this KvK number and how many withdrawals it has (superseded
 * ones too); *organisation_id = 0 when there is none. */
int store_withdrawals_organisation_by_kvk(store_conn *conn, const char *kvk, long long *organisation_id,
                                          char *name, size_t size, long long *withdrawals, alvd_err *err);

#endif
