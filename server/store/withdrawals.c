/* Withdrawals in MariaDB: every SQL statement on withdrawals, withdrawal_effects and
 * withdrawal_scans (the services decide; these read and write). */
#include "alvd/store/withdrawals.h"

#include <stdio.h>
#include <string.h>

/* The columns of a withdrawal as the list and the detail show it; the state is derived
 * from superseded_by and the latest effect. */
#define WITHDRAWALS_SELECT                                                                         \
    "SELECT w.id, w.organisation_id, o.name AS organisation_name, o.kvk, w.received_on, w.sent_on,"  \
    " w.form, w.channel, w.tracking_code, w.tracking_kind, w.scan_id, w.note, w.outcome,"            \
    " w.concerned_version_id AS version_id, cv.label AS version_label, cv.effective_from,"          \
    " w.deadline, w.timely, w.effect_text AS effect, w.corrects_id, w.correction_reason,"            \
    " w.superseded_by, w.created_at, w.created_by_label,"                                          \
    " (SELECT e.kind FROM withdrawal_effects e WHERE e.withdrawal_id = w.id ORDER BY e.id DESC"      \
    " LIMIT 1) AS effect_kind,"                                                                    \
    " COALESCE(w.effect_version_id, (SELECT e.version_id FROM withdrawal_effects e"                 \
    " WHERE e.withdrawal_id = w.id AND e.kind <> 'undone' ORDER BY e.id DESC LIMIT 1))"              \
    " AS effect_version_id,"                                                                       \
    " COALESCE(w.signature_ends, (SELECT e.signature_ends FROM withdrawal_effects e"                \
    " WHERE e.withdrawal_id = w.id AND e.kind <> 'undone' ORDER BY e.id DESC LIMIT 1))"              \
    " AS signature_ends"                                                                           \
    " FROM withdrawals w JOIN organisations o ON o.id = w.organisation_id"                          \
    " LEFT JOIN code_versions cv ON cv.id = w.concerned_version_id"

static store_param store_withdrawals_optional_id(long long id)
{
    return id > 0 ? STORE_INT_PARAM(id) : STORE_NULL_PARAM;
}

int store_withdrawals_insert(store_conn *conn, const store_withdrawal_fields *f, long long *id, alvd_err *err)
{
    if (store_execute(
            conn, err, NULL,
            "INSERT INTO withdrawals (organisation_id, received_on, sent_on, form, channel, tracking_code,"
            " tracking_kind, scan_id, note, outcome, concerned_version_id, deadline, timely, effect_version_id,"
            " signature_ends, effect_text, corrects_id, correction_reason, proof_session_id, proof_contact_id,"
            " proof_contact_email, proof_submitted_at, proof_text, proof_text_sha256, created_at,"
            " created_by_kind, created_by, created_by_label)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " IF(? = 1, UTC_TIMESTAMP(6), NULL), ?, ?, UTC_TIMESTAMP(6), ?, ?, ?)",
            STORE_PARAMS(STORE_INT_PARAM(f->organisation_id), STORE_TEXT_PARAM(f->received_on),
                         STORE_TEXT_PARAM(f->sent_on), STORE_TEXT_PARAM(f->form), STORE_TEXT_PARAM(f->channel),
                         STORE_TEXT_PARAM(f->tracking_code), STORE_TEXT_PARAM(f->tracking_kind),
                         store_withdrawals_optional_id(f->scan_id), STORE_TEXT_PARAM(f->note),
                         STORE_TEXT_PARAM(f->outcome), store_withdrawals_optional_id(f->concerned_version_id),
                         STORE_TEXT_PARAM(f->deadline), STORE_INT_PARAM(f->timely),
                         store_withdrawals_optional_id(f->effect_version_id), STORE_TEXT_PARAM(f->signature_ends),
                         STORE_TEXT_PARAM(f->effect_text), store_withdrawals_optional_id(f->corrects_id),
                         STORE_TEXT_PARAM(f->correction_reason), store_withdrawals_optional_id(f->proof_session_id),
                         store_withdrawals_optional_id(f->proof_contact_id), STORE_TEXT_PARAM(f->proof_contact_email),
                         STORE_INT_PARAM(f->proof_text != NULL), STORE_TEXT_PARAM(f->proof_text),
                         STORE_TEXT_PARAM(f->proof_text_sha256), STORE_TEXT_PARAM(f->created_by_kind),
                         store_withdrawals_optional_id(f->created_by), STORE_TEXT_PARAM(f->created_by_label))) != 0)
        return -1;
    *id = store_last_insert_id(conn);
    return 0;
}

int store_withdrawals_lock(store_conn *conn, long long id, long long *superseded_by, alvd_err *err)
{
    store_result *rows = NULL;
    *superseded_by = 0;
    if (store_query(conn, err, &rows, "SELECT superseded_by FROM withdrawals WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    int found = store_result_rows(rows) == 1;
    if (found && !store_result_is_null(rows, 0, 0))
        *superseded_by = store_result_int(rows, 0, 0);
    store_result_free(rows);
    return found ? 0 : alvd_err_set(err, 404, "not_found", NULL, "Deze registratie bestaat niet.");
}

int store_withdrawals_supersede(store_conn *conn, long long old_id, long long new_id, long long *affected,
                                alvd_err *err)
{
    return store_execute(conn, err, affected,
                         "UPDATE withdrawals SET superseded_by = ? WHERE id = ? AND superseded_by IS NULL",
                         STORE_PARAMS(STORE_INT_PARAM(new_id), STORE_INT_PARAM(old_id)));
}

int store_withdrawals_open_pending(store_conn *conn, long long organisation_id, long long except_id, long long *id,
                                   alvd_err *err)
{
    return store_query_integer(conn, err, id, 0,
                               "SELECT w.id FROM withdrawals w WHERE w.organisation_id = ? AND w.superseded_by IS NULL"
                               " AND w.id <> ? AND w.outcome IN ('late_pending', 'no_version')"
                               " AND NOT EXISTS (SELECT 1 FROM withdrawal_effects e WHERE e.withdrawal_id = w.id)"
                               " LIMIT 1",
                               STORE_PARAMS(STORE_INT_PARAM(organisation_id), STORE_INT_PARAM(except_id)));
}

int store_withdrawals_effect_insert(store_conn *conn, const store_withdrawal_effect *effect, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "INSERT INTO withdrawal_effects (withdrawal_id, kind, version_id, basis_id,"
                         " previous_basis_id, signature_ends, applied_at)"
                         " VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6))",
                         STORE_PARAMS(STORE_INT_PARAM(effect->withdrawal_id), STORE_TEXT_PARAM(effect->kind),
                                      store_withdrawals_optional_id(effect->version_id),
                                      store_withdrawals_optional_id(effect->basis_id),
                                      store_withdrawals_optional_id(effect->previous_basis_id),
                                      STORE_TEXT_PARAM(effect->signature_ends)));
}

int store_withdrawals_last_effect_kind(store_conn *conn, long long withdrawal_id, char *out, size_t size,
                                       alvd_err *err)
{
    return store_query_text(conn, err, out, size, NULL,
                            "SELECT kind FROM withdrawal_effects WHERE withdrawal_id = ? ORDER BY id DESC LIMIT 1",
                            STORE_PARAMS(STORE_INT_PARAM(withdrawal_id)));
}

int store_withdrawals_version_effective(store_conn *conn, long long version_id, char *out, size_t size, int *found,
                                        alvd_err *err)
{
    return store_query_text(conn, err, out, size, found, "SELECT effective_from FROM code_versions WHERE id = ?",
                            STORE_PARAMS(STORE_INT_PARAM(version_id)));
}

int store_withdrawals_pending_before(store_conn *conn, const char *before, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT w.id, w.organisation_id, w.received_on, o.name FROM withdrawals w"
                       " JOIN organisations o ON o.id = w.organisation_id"
                       " WHERE w.superseded_by IS NULL AND w.outcome IN ('late_pending', 'no_version')"
                       " AND w.received_on < ?"
                       " AND NOT EXISTS (SELECT 1 FROM withdrawal_effects e WHERE e.withdrawal_id = w.id)"
                       " ORDER BY w.id FOR UPDATE",
                       STORE_PARAMS(STORE_TEXT_PARAM(before)));
}

int store_withdrawals_code_versions(store_conn *conn, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows, "SELECT id, label, effective_from FROM code_versions ORDER BY effective_from, id",
                       STORE_NO_PARAMS);
}

int store_withdrawals_list(store_conn *conn, long long version_id, long long organisation_id, int all,
                           store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       WITHDRAWALS_SELECT
                       " WHERE (? = 0 OR w.concerned_version_id = ? OR w.effect_version_id = ?"
                       " OR EXISTS (SELECT 1 FROM withdrawal_effects e WHERE e.withdrawal_id = w.id"
                       " AND e.version_id = ?))"
                       " AND (? = 0 OR w.organisation_id = ?) AND (? = 1 OR w.superseded_by IS NULL)"
                       " ORDER BY w.received_on DESC, w.id DESC LIMIT 1000",
                       STORE_PARAMS(STORE_INT_PARAM(version_id), STORE_INT_PARAM(version_id),
                                    STORE_INT_PARAM(version_id), STORE_INT_PARAM(version_id),
                                    STORE_INT_PARAM(organisation_id), STORE_INT_PARAM(organisation_id),
                                    STORE_INT_PARAM(all)));
}

int store_withdrawals_load(store_conn *conn, long long id, store_result **rows, alvd_err *err)
{
    *rows = NULL;
    if (store_query(conn, err, rows, WITHDRAWALS_SELECT " WHERE w.id = ?", STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    if (store_result_rows(*rows) != 1) {
        store_result_free(*rows);
        *rows = NULL;
        return alvd_err_set(err, 404, "not_found", NULL, "Deze registratie bestaat niet.");
    }
    return 0;
}

int store_withdrawals_of_organisation(store_conn *conn, long long organisation_id, store_result **rows,
                                      alvd_err *err)
{
    return store_query(conn, err, rows,
                       WITHDRAWALS_SELECT " WHERE w.organisation_id = ? AND w.superseded_by IS NULL"
                                          " ORDER BY w.received_on DESC, w.id DESC LIMIT 50",
                       STORE_PARAMS(STORE_INT_PARAM(organisation_id)));
}

int store_withdrawals_effects(store_conn *conn, long long id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT e.kind, e.version_id, v.label AS version_label, e.basis_id, e.previous_basis_id,"
                       " e.signature_ends, e.applied_at FROM withdrawal_effects e"
                       " LEFT JOIN code_versions v ON v.id = e.version_id WHERE e.withdrawal_id = ? ORDER BY e.id",
                       STORE_PARAMS(STORE_INT_PARAM(id)));
}

int store_withdrawals_proof(store_conn *conn, long long id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT w.proof_session_id AS session_id, w.proof_contact_id AS contact_id,"
                       " w.proof_contact_email AS contact_email, w.proof_submitted_at AS submitted_at,"
                       " w.proof_text AS text, w.proof_text_sha256 AS text_sha256,"
                       " s.media_type AS scan_media_type, s.size_bytes AS scan_size, s.sha256 AS scan_sha256,"
                       " s.original_name AS scan_name, ev.label AS effect_version_label,"
                       " ev.effective_from AS effect_effective_from"
                       " FROM withdrawals w LEFT JOIN withdrawal_scans s ON s.id = w.scan_id"
                       " LEFT JOIN code_versions ev ON ev.id = COALESCE(w.effect_version_id,"
                       " (SELECT e.version_id FROM withdrawal_effects e WHERE e.withdrawal_id = w.id"
                       " AND e.kind <> 'undone' ORDER BY e.id DESC LIMIT 1)) WHERE w.id = ?",
                       STORE_PARAMS(STORE_INT_PARAM(id)));
}

int store_withdrawals_scan_exists(store_conn *conn, long long scan_id, int *exists, alvd_err *err)
{
    long long found = 0;
    if (store_query_integer(conn, err, &found, 0, "SELECT id FROM withdrawal_scans WHERE id = ?",
                            STORE_PARAMS(STORE_INT_PARAM(scan_id))) != 0)
        return -1;
    *exists = found != 0;
    return 0;
}

int store_withdrawals_scan_insert(store_conn *conn, const char *stored_name, const char *media_type,
                                  long long size, const char *sha256_hex, const char *original_name,
                                  long long uploaded_by, long long *id, alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO withdrawal_scans (stored_name, media_type, size_bytes, sha256, original_name,"
                      " uploaded_at, uploaded_by) VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(6), ?)",
                      STORE_PARAMS(STORE_TEXT_PARAM(stored_name), STORE_TEXT_PARAM(media_type),
                                   STORE_INT_PARAM(size), STORE_TEXT_PARAM(sha256_hex),
                                   STORE_TEXT_PARAM(original_name), store_withdrawals_optional_id(uploaded_by))) != 0)
        return -1;
    *id = store_last_insert_id(conn);
    return 0;
}

int store_withdrawals_scan_load(store_conn *conn, long long id, store_withdrawal_scan *out, alvd_err *err)
{
    store_result *rows = NULL;
    memset(out, 0, sizeof *out);
    if (store_query(conn, err, &rows, "SELECT stored_name, media_type, size_bytes FROM withdrawal_scans WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    int found = store_result_rows(rows) == 1;
    if (found) {
        snprintf(out->stored_name, sizeof out->stored_name, "%s", store_result_text(rows, 0, 0));
        snprintf(out->media_type, sizeof out->media_type, "%s", store_result_text(rows, 0, 1));
        out->size = store_result_int(rows, 0, 2);
    }
    store_result_free(rows);
    return found ? 0 : alvd_err_set(err, 404, "not_found", NULL, "Deze scan bestaat niet.");
}

int store_withdrawals_organisation_by_kvk(store_conn *conn, const char *kvk, long long *organisation_id,
                                          char *name, size_t size, long long *withdrawals, alvd_err *err)
{
    store_result *rows = NULL;
    *organisation_id = 0;
    *withdrawals = 0;
    if (store_query(conn, err, &rows,
                    "SELECT o.id, o.name, (SELECT COUNT(*) FROM withdrawals w WHERE w.organisation_id = o.id)"
                    " FROM organisations o WHERE o.kvk = ?",
                    STORE_PARAMS(STORE_TEXT_PARAM(kvk))) != 0)
        return -1;
    if (store_result_rows(rows) == 1) {
        *organisation_id = store_result_int(rows, 0, 0);
        snprintf(name, size, "%s", store_result_text(rows, 0, 1));
        *withdrawals = store_result_int(rows, 0, 2);
    }
    store_result_free(rows);
    return 0;
}
