/* Releasing a reporter's identity: an officer asks with a reason, a second officer
 * approves or refuses (a sole officer's request stands approved); every step audited. */
#include "alvd/api/meldpunt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/crypto/audit.h"
#include "alvd/http/input.h"

#define IDENTITY_REASON_MIN 10
#define IDENTITY_REASON_MAX 2000

json_t *meldpunt_identity_state(store_conn *conn, long long report_id, long long user_id, int *released,
                                alvd_err *err)
{
    store_result *rows = NULL;
    long long active = 0;
    *released = 0;
    /* This officer's latest request for the report decides. */
    if (store_query(conn, err, &rows,
                    "SELECT r.id, r.state, r.sole_officer, r.requested_on, r.decided_on, d.name"
                    " FROM meldpunt_identity_requests r LEFT JOIN users d ON d.id = r.decided_by"
                    " WHERE r.report_id = ? AND r.requested_by = ? ORDER BY r.id DESC LIMIT 1",
                    STORE_PARAMS(STORE_INT_PARAM(report_id), STORE_INT_PARAM(user_id))) != 0 ||
        meldpunt_active_officers(conn, &active, err) != 0) {
        store_result_free(rows);
        return NULL;
    }
    json_t *state;
    if (store_result_rows(rows) == 0) {
        state = json_pack("{s:s, s:n}", "state", "hidden", "request");
    } else {
        *released = strcmp(store_result_text(rows, 0, 1), "approved") == 0;
        state = json_pack("{s:s, s:{s:I, s:s, s:b, s:s, s:s?, s:s?}}", "state", store_result_text(rows, 0, 1),
                          "request", "id", (json_int_t)store_result_int(rows, 0, 0), "state",
                          store_result_text(rows, 0, 1), "sole_officer", store_result_int(rows, 0, 2) != 0,
                          "requested_on", store_result_text(rows, 0, 3), "decided_on", store_result_text(rows, 0, 4),
                          "decided_by", store_result_text(rows, 0, 5));
    }
    store_result_free(rows);
    /* More than this officer has access: a second officer must approve. */
    json_object_set_new(state, "approval_needed", json_boolean(active > 1));
    return state;
}

void meldpunt_identity_request(http_request *request)
{
    static const char *const fields[] = {"reason", NULL};
    const alvd_app *app = http_request_app(request);
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    const char *reason = NULL;
    long long id = 0, active = 0, me = http_request_principal(request)->user_id;
    unsigned char key[SEAL_KEY_BYTES];
    char today[RULES_DATE_TEXT_SIZE], ad[96];
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    rules_date_format(meldpunt_today(app), today);
    if (input_only(http_request_json(request), fields, &err) != 0 ||
        input_string(http_request_json(request), "reason", 1, IDENTITY_REASON_MAX, &reason, &err) != 0)
        goto fail;
    if (strlen(reason) < IDENTITY_REASON_MIN) {
        alvd_err_set(&err, 422, "too_short", "reason",
                     "Schrijf op waarom u de identiteit nodig hebt (minstens %d tekens); de andere functionaris "
                     "beslist daarop.", IDENTITY_REASON_MIN);
        goto fail;
    }
    if (meldpunt_report_key(request, id, key, &err) != 0)
        goto fail;
    if (store_begin(conn, &err) != 0 ||
        store_query(conn, &err, &rows,
                    "SELECT id, state FROM meldpunt_identity_requests WHERE report_id = ? AND requested_by = ?"
                    " AND state IN ('pending', 'approved') FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(id), STORE_INT_PARAM(me))) != 0)
        goto fail;
    if (store_result_rows(rows) > 0) {
        alvd_err_set(&err, 409, "already_requested", NULL,
                     strcmp(store_result_text(rows, 0, 1), "approved") == 0
                         ? "De identiteit is al aan u vrijgegeven."
                         : "Uw verzoek wacht al op een andere functionaris.");
        goto fail;
    }
    if (meldpunt_active_officers(conn, &active, &err) != 0)
        goto fail;
    /* No second officer exists: the request stands approved, and says so for ever. */
    int sole = active <= 1;
    if (store_execute(conn, &err, NULL,
                      "INSERT INTO meldpunt_identity_requests (report_id, requested_by, requested_on, state,"
                      " decided_on, sole_officer) VALUES (?, ?, ?, ?, ?, ?)",
                      STORE_PARAMS(STORE_INT_PARAM(id), STORE_INT_PARAM(me), STORE_TEXT_PARAM(today),
                                   STORE_TEXT_PARAM(sole ? "approved" : "pending"),
                                   sole ? STORE_TEXT_PARAM(today) : STORE_NULL_PARAM, STORE_INT_PARAM(sole))) != 0)
        goto fail;
    long long request_id = store_last_insert_id(conn);
    size_t sealed_length = 0;
    unsigned char *sealed = seal_encrypt(key, seal_ad(ad, sizeof ad, "meldpunt_identity_requests.reason", request_id),
                                         reason, strlen(reason), &sealed_length);
    int rc = sealed ? store_execute(conn, &err, NULL, "UPDATE meldpunt_identity_requests SET reason = ? WHERE id = ?",
                                    STORE_PARAMS(STORE_BLOB_PARAM(sealed, sealed_length), STORE_INT_PARAM(request_id)))
                    : alvd_err_set(&err, 500, "out_of_memory", NULL, "Geen geheugen.");
    free(sealed);
    json_t *details = json_pack("{s:I, s:b}", "request", (json_int_t)request_id, "sole_officer", sole);
    if (rc == 0)
        rc = audit_append(conn, &err, &actor, "report.identity_requested", "report", id, details);
    json_decref(details);
    if (rc != 0 || store_commit(conn, &err) != 0)
        goto fail;
    sodium_memzero(key, sizeof key);
    store_result_free(rows);
    http_reply_json(request, 201, json_pack("{s:I, s:I, s:s, s:b, s:s}", "id", (json_int_t)request_id, "report_id",
                                            (json_int_t)id, "state", sole ? "approved" : "pending", "sole_officer", sole,
                                            "requested_on", today));
    return;
fail:
    sodium_memzero(key, sizeof key);
    store_result_free(rows);
    http_reply_err(request, &err);
}

void meldpunt_identity_requests(http_request *request)
{
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    long long me = http_request_principal(request)->user_id;
    alvd_err err;
    alvd_err_clear(&err);
    /* What waits for a decision, and this officer's own requests. */
    if (store_query(conn, &err, &rows,
                    "SELECT r.id, r.report_id, r.requested_by, q.name, r.requested_on, r.state, r.decided_on, d.name,"
                    " r.sole_officer, r.reason, p.personal_data_deleted_on IS NOT NULL"
                    " FROM meldpunt_identity_requests r JOIN users q ON q.id = r.requested_by"
                    " LEFT JOIN users d ON d.id = r.decided_by JOIN meldpunt_reports p ON p.id = r.report_id"
                    " WHERE r.state = 'pending' OR r.requested_by = ? ORDER BY r.state <> 'pending', r.id DESC LIMIT 200",
                    STORE_PARAMS(STORE_INT_PARAM(me))) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        long long request_id = store_result_int(rows, r, 0), report_id = store_result_int(rows, r, 1);
        int mine = store_result_int(rows, r, 2) == me;
        json_t *reason = json_null();
        unsigned char key[SEAL_KEY_BYTES];
        alvd_err ignored;
        alvd_err_clear(&ignored);
        /* The reason is readable to an officer who has the meldpunt unlocked. */
        if (!store_result_is_null(rows, r, 9) && store_result_int(rows, r, 10) == 0 &&
            meldpunt_report_key(request, report_id, key, &ignored) == 0) {
            char ad[96];
            size_t length = 0;
            unsigned char *plain = seal_decrypt(key, seal_ad(ad, sizeof ad, "meldpunt_identity_requests.reason", request_id),
                                                (const unsigned char *)store_result_text(rows, r, 9),
                                                store_result_length(rows, r, 9), &length, &ignored);
            if (plain) {
                json_decref(reason);
                reason = json_stringn((const char *)plain, length);
                sodium_memzero(plain, length);
                free(plain);
            }
            sodium_memzero(key, sizeof key);
        }
        const char *state = store_result_text(rows, r, 5);
        json_array_append_new(items,
                              json_pack("{s:I, s:I, s:{s:I, s:s}, s:s, s:s, s:s?, s:s?, s:b, s:o, s:b, s:b}", "id",
                                        (json_int_t)request_id, "report_id", (json_int_t)report_id, "requested_by",
                                        "id", (json_int_t)store_result_int(rows, r, 2), "name",
                                        store_result_text(rows, r, 3), "requested_on", store_result_text(rows, r, 4),
                                        "state", state, "decided_on", store_result_text(rows, r, 6), "decided_by",
                                        store_result_text(rows, r, 7), "sole_officer",
                                        store_result_int(rows, r, 8) != 0, "reason", reason, "mine", mine,
                                        "can_decide", !mine && strcmp(state, "pending") == 0));
    }
    store_result_free(rows);
    http_reply_json(request, 200, json_pack("{s:o}", "items", items));
}

static void identity_decide(http_request *request, const char *decision)
{
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES], secret_key[SEAL_SECRET_KEY_BYTES];
    long long id = 0, me = http_request_principal(request)->user_id;
    char today[RULES_DATE_TEXT_SIZE], action[48];
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    rules_date_format(meldpunt_today(http_request_app(request)), today);
    /* The deciding officer has the meldpunt open, so they could read the reason. */
    int opened = meldpunt_secret_key(request, public_key, secret_key, &err);
    sodium_memzero(secret_key, sizeof secret_key);
    if (opened != 0 || store_begin(conn, &err) != 0 ||
        store_query(conn, &err, &rows,
                    "SELECT report_id, requested_by, state FROM meldpunt_identity_requests WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1) {
        alvd_err_set(&err, 404, "not_found", NULL, "Verzoek niet gevonden.");
        goto fail;
    }
    if (store_result_int(rows, 0, 1) == me) {
        alvd_err_set(&err, 403, "own_request", NULL,
                     "Een verzoek om de identiteit beoordeelt een andere functionaris, niet wie het deed.");
        goto fail;
    }
    if (strcmp(store_result_text(rows, 0, 2), "pending") != 0) {
        alvd_err_set(&err, 409, "not_pending", NULL, "Over dit verzoek is al beslist.");
        goto fail;
    }
    long long report_id = store_result_int(rows, 0, 0);
    json_t *details = json_pack("{s:I, s:I}", "request", (json_int_t)id, "requested_by",
                                (json_int_t)store_result_int(rows, 0, 1));
    snprintf(action, sizeof action, "report.identity_%s", decision);
    int rc = store_execute(conn, &err, NULL,
                           "UPDATE meldpunt_identity_requests SET state = ?, decided_by = ?, decided_on = ? WHERE id = ?",
                           STORE_PARAMS(STORE_TEXT_PARAM(decision), STORE_INT_PARAM(me), STORE_TEXT_PARAM(today),
                                        STORE_INT_PARAM(id)));
    if (rc == 0)
        rc = audit_append(conn, &err, &actor, action, "report", report_id, details);
    json_decref(details);
    if (rc != 0 || store_commit(conn, &err) != 0)
        goto fail;
    store_result_free(rows);
    http_reply_json(request, 200, json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)id, "report_id",
                                            (json_int_t)report_id, "state", decision, "decided_on", today));
    return;
fail:
    store_result_free(rows);
    http_reply_err(request, &err);
}

void meldpunt_identity_approve(http_request *request)
{
    identity_decide(request, "approved");
}

void meldpunt_identity_refuse(http_request *request)
{
    identity_decide(request, "refused");
}
