/* Releasing a reporter's identity: an officer asks with a reason, a second officer
 * approves or refuses (a sole officer's request stands approved); every step audited. */
#include "alvd/service/meldpunt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/store/meldpunt_identity.h"
#include "alvd/store/meldpunt_keys.h"

int service_meldpunt_identity_state(store_conn *conn, long long report_id, long long user_id,
                                    service_meldpunt_identity *identity,
                                    struct store_meldpunt_identity_request *request, alvd_err *err)
{
    long long active = 0;
    memset(identity, 0, sizeof *identity);
    /* This officer's latest request for the report decides. */
    if (store_meldpunt_identity_latest(conn, report_id, user_id, &identity->found, request, err) != 0 ||
        store_meldpunt_keys_active_officers(conn, &active, err) != 0)
        return -1;
    identity->released = identity->found && strcmp(request->state, "approved") == 0;
    /* More than this officer has access: a second officer must approve. */
    identity->approval_needed = active > 1;
    return 0;
}

json_t *service_meldpunt_identity_json(const service_meldpunt_identity *identity,
                                       const struct store_meldpunt_identity_request *request)
{
    json_t *state;
    if (!identity->found)
        state = json_pack("{s:s, s:n}", "state", "hidden", "request");
    else
        state = json_pack("{s:s, s:{s:I, s:s, s:b, s:s, s:s?, s:s?}}", "state", request->state, "request", "id",
                          (json_int_t)request->id, "state", request->state, "sole_officer", request->sole_officer,
                          "requested_on", request->requested_on, "decided_on",
                          request->decided_on[0] ? request->decided_on : NULL, "decided_by",
                          request->decided ? request->decided_by_name : NULL);
    json_object_set_new(state, "approval_needed", json_boolean(identity->approval_needed));
    return state;
}

/* Within the open transaction: refuse a second open request, insert this one (approved
 * at once when no second officer exists) with its sealed reason, audit it. */
static int identity_insert(const service_meldpunt_officer *officer, long long report_id, const char *reason,
                           const unsigned char key[SEAL_KEY_BYTES], const char *today, long long *request_id,
                           int *sole, alvd_err *err)
{
    store_conn *conn = officer->conn;
    char open_state[16], ad[96];
    long long active = 0;
    if (store_meldpunt_identity_lock_open(conn, report_id, officer->user_id, open_state, err) != 0)
        return -1;
    if (open_state[0])
        return alvd_err_set(err, 409, "already_requested", NULL,
                            strcmp(open_state, "approved") == 0 ? "De identiteit is al aan u vrijgegeven."
                                                                : "Uw verzoek wacht al op een andere functionaris.");
    if (store_meldpunt_keys_active_officers(conn, &active, err) != 0)
        return -1;
    /* No second officer exists: the request stands approved, and says so for ever. */
    *sole = active <= 1;
    if (store_meldpunt_identity_insert(conn, report_id, officer->user_id, today, *sole ? "approved" : "pending",
                                       *sole ? today : NULL, *sole, request_id, err) != 0)
        return -1;
    size_t sealed_length = 0;
    unsigned char *sealed = seal_encrypt(key, seal_ad(ad, sizeof ad, "meldpunt_identity_requests.reason", *request_id),
                                         reason, strlen(reason), &sealed_length);
    int rc = sealed ? store_meldpunt_identity_set_reason(conn, *request_id, sealed, sealed_length, err)
                    : alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    free(sealed);
    json_t *details = json_pack("{s:I, s:b}", "request", (json_int_t)*request_id, "sole_officer", *sole);
    if (rc == 0)
        rc = audit_append(conn, err, &officer->actor, "report.identity_requested", "report", report_id, details);
    json_decref(details);
    return rc;
}

int service_meldpunt_identity_ask(const service_meldpunt_officer *officer, long long report_id, const char *reason,
                                  long long *request_id, int *sole, char today[RULES_DATE_TEXT_SIZE], alvd_err *err)
{
    unsigned char key[SEAL_KEY_BYTES];
    rules_date_format(service_meldpunt_today(officer->app), today);
    if (service_meldpunt_report_key(officer, report_id, key, err) != 0) {
        sodium_memzero(key, sizeof key);
        return -1;
    }
    int rc = store_begin(officer->conn, err) == 0 &&
             identity_insert(officer, report_id, reason, key, today, request_id, sole, err) == 0 &&
             store_commit(officer->conn, err) == 0;
    sodium_memzero(key, sizeof key);
    if (!rc)
        store_rollback(officer->conn);
    return rc ? 0 : -1;
}

/* The reason is readable to an officer who has the meldpunt unlocked; otherwise it stays NULL. */
static void identity_unseal_reason(const service_meldpunt_officer *officer, store_meldpunt_identity_request *request)
{
    unsigned char key[SEAL_KEY_BYTES];
    alvd_err ignored;
    alvd_err_clear(&ignored);
    if (request->reason == NULL || request->personal_data_deleted ||
        service_meldpunt_report_key(officer, request->report_id, key, &ignored) != 0)
        return;
    char ad[96];
    size_t length = 0;
    unsigned char *plain = seal_decrypt(key, seal_ad(ad, sizeof ad, "meldpunt_identity_requests.reason", request->id),
                                        request->reason, request->reason_length, &length, &ignored);
    sodium_memzero(key, sizeof key);
    if (plain == NULL)
        return;
    request->reason_text = malloc(length + 1);
    if (request->reason_text) {
        memcpy(request->reason_text, plain, length);
        request->reason_text[length] = '\0';
    }
    sodium_memzero(plain, length);
    free(plain);
}

int service_meldpunt_identity_list(const service_meldpunt_officer *officer,
                                   struct store_meldpunt_identity_requests *list, alvd_err *err)
{
    /* What waits for a decision, and this officer's own requests. */
    if (store_meldpunt_identity_list(officer->conn, officer->user_id, list, err) != 0)
        return -1;
    for (size_t r = 0; r < list->count; r++)
        identity_unseal_reason(officer, &list->items[r]);
    return 0;
}

/* Within the open transaction: the request must exist, be someone else's and pending. */
static int identity_record_decision(const service_meldpunt_officer *officer, long long id, const char *decision,
                                    const char *today, long long *report_id, alvd_err *err)
{
    store_meldpunt_identity_request request;
    char action[48];
    if (store_meldpunt_identity_lock(officer->conn, id, &request, err) != 0)
        return -1;
    if (request.requested_by == officer->user_id)
        return alvd_err_set(err, 403, "own_request", NULL,
                            "Een verzoek om de identiteit beoordeelt een andere functionaris, niet wie het deed.");
    if (strcmp(request.state, "pending") != 0)
        return alvd_err_set(err, 409, "not_pending", NULL, "Over dit verzoek is al beslist.");
    *report_id = request.report_id;
    json_t *details = json_pack("{s:I, s:I}", "request", (json_int_t)id, "requested_by",
                                (json_int_t)request.requested_by);
    snprintf(action, sizeof action, "report.identity_%s", decision);
    int rc = store_meldpunt_identity_decide(officer->conn, id, decision, officer->user_id, today, err);
    if (rc == 0)
        rc = audit_append(officer->conn, err, &officer->actor, action, "report", request.report_id, details);
    json_decref(details);
    return rc;
}

int service_meldpunt_identity_decide(const service_meldpunt_officer *officer, long long id, const char *decision,
                                     long long *report_id, char today[RULES_DATE_TEXT_SIZE], alvd_err *err)
{
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES], secret_key[SEAL_SECRET_KEY_BYTES];
    rules_date_format(service_meldpunt_today(officer->app), today);
    /* The deciding officer has the meldpunt open, so they could read the reason. */
    int opened = service_meldpunt_secret_key(officer, public_key, secret_key, err);
    sodium_memzero(secret_key, sizeof secret_key);
    if (opened != 0)
        return -1;
    if (store_begin(officer->conn, err) != 0 ||
        identity_record_decision(officer, id, decision, today, report_id, err) != 0 ||
        store_commit(officer->conn, err) != 0) {
        store_rollback(officer->conn);
        return -1;
    }
    return 0;
}
