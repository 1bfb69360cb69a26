/* Tickets of a meeting as units of work: one signed ticket per voting member, issued,
 * listed, reissued or revoked (ending the phone's session), and the ticket login. */
#include "alvd/service/tickets.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/service/meetings.h"
#include "alvd/store/tickets.h"
#include "alvd/store/attendance.h"

#define TICKET_LOGIN_FAILURES_PER_CLIENT 20   /* per minute */

void service_tickets_url(const alvd_app *app, const char *code, char url[SERVICE_TICKETS_URL_SIZE])
{
    snprintf(url, SERVICE_TICKETS_URL_SIZE, "%s/t/%s", app->config.public_url, code);
}

int service_tickets_code(const ticket_keys *keys, long long meeting_id, long long ticket_id, const char *nonce,
                         size_t nonce_length, char code[TICKET_TEXT_SIZE], alvd_err *err)
{
    ticket_payload payload = {.version = TICKET_FORMAT_VERSION, .meeting_id = meeting_id, .ticket_id = ticket_id};
    if (nonce_length != TICKET_NONCE_BYTES)
        return alvd_err_set(err, 500, "bad_ticket", NULL, "Ticket %lld has a damaged nonce.", ticket_id);
    memcpy(payload.nonce, nonce, TICKET_NONCE_BYTES);
    return ticket_sign(keys, &payload, code, err);
}

/* A new ticket row for a member (in the caller's transaction): the id goes into the
 * signed payload, so the row is made first and its code hash filled in after. */
static int tickets_make(store_conn *conn, const ticket_keys *keys, long long meeting_id, long long organisation_id,
                        long long user_id, char code[TICKET_TEXT_SIZE], long long *ticket_id, alvd_err *err)
{
    ticket_payload payload = {.version = TICKET_FORMAT_VERSION, .meeting_id = meeting_id};
    unsigned char placeholder[TICKET_HASH_BYTES], hash[TICKET_HASH_BYTES];
    randombytes_buf(payload.nonce, sizeof payload.nonce);
    randombytes_buf(placeholder, sizeof placeholder);
    if (store_tickets_insert(conn, meeting_id, organisation_id, payload.nonce, sizeof payload.nonce, placeholder,
                             user_id, &payload.ticket_id, err) != 0 ||
        ticket_sign(keys, &payload, code, err) != 0)
        return -1;
    ticket_code_hash(code, hash);
    *ticket_id = payload.ticket_id;
    return store_tickets_set_hash(conn, payload.ticket_id, hash, err);
}

int service_tickets_issue_missing(store_conn *conn, const ticket_keys *keys, const meeting_info *meeting,
                                  long long user_id, long long *issued, alvd_err *err)
{
    long long *members = NULL;
    size_t count = 0;
    *issued = 0;
    if (store_tickets_add_members(conn, meeting->id, meeting->date, err) != 0 ||
        store_tickets_members_without(conn, meeting->id, &members, &count, err) != 0)
        return -1;
    for (size_t r = 0; r < count; r++) {
        char code[TICKET_TEXT_SIZE];
        long long ticket_id = 0;
        if (tickets_make(conn, keys, meeting->id, members[r], user_id, code, &ticket_id, err) != 0) {
            free(members);
            return -1;
        }
        (*issued)++;
    }
    free(members);
    return 0;
}

/* Lock the meeting, load it and issue its missing tickets (in the caller's transaction);
 * closed meetings are refused when refuse_closed. */
static int tickets_issue_locked(store_conn *conn, const ticket_keys *keys, long long meeting_id, long long user_id,
                                int refuse_closed, long long *issued, alvd_err *err)
{
    meeting_info meeting;
    if (store_meetings_lock(conn, meeting_id, NULL, err) != 0 || store_meetings_load(conn, meeting_id, &meeting, err) != 0)
        return -1;
    if (refuse_closed && strcmp(meeting.state, "closed") == 0)
        return alvd_err_set(err, 409, "meeting_closed", NULL,
                            "Voor een gesloten vergadering worden geen tickets meer uitgegeven.");
    return service_tickets_issue_missing(conn, keys, &meeting, user_id, issued, err);
}

/* Audit how many tickets were issued. */
static int tickets_audit_issued(store_conn *conn, const audit_actor *actor, long long meeting_id, long long issued,
                                alvd_err *err)
{
    json_t *details = json_pack("{s:I}", "issued", (json_int_t)issued);
    int rc = audit_append(conn, err, actor, "tickets.issue", "meeting", meeting_id, details);
    json_decref(details);
    return rc;
}

int service_tickets_issue(store_conn *conn, const alvd_app *app, const audit_actor *actor, long long user_id,
                          long long meeting_id, long long *issued, long long *total, alvd_err *err)
{
    ticket_keys keys;
    memset(&keys, 0, sizeof keys);
    *issued = *total = 0;
    int rc = ticket_keys_load(app->config.data_dir, &keys, err) != 0 || store_begin(conn, err) != 0 ||
             tickets_issue_locked(conn, &keys, meeting_id, user_id, 1, issued, err) != 0 ||
             tickets_audit_issued(conn, actor, meeting_id, *issued, err) != 0 ||
             store_tickets_count_valid(conn, meeting_id, total, err) != 0 || store_commit(conn, err) != 0
                 ? -1
                 : 0;
    if (rc != 0)
        store_rollback(conn);
    ticket_keys_wipe(&keys);
    return rc;
}

int service_tickets_issue_system(store_conn *conn, const char *data_dir, long long meeting_id, long long user_id,
                                 long long *issued, alvd_err *err)
{
    ticket_keys keys;
    audit_actor system = {"system", 0, "alvd"};
    memset(&keys, 0, sizeof keys);
    int rc = ticket_keys_load(data_dir, &keys, err) != 0 || store_begin(conn, err) != 0 ||
             tickets_issue_locked(conn, &keys, meeting_id, user_id, 0, issued, err) != 0 ||
             tickets_audit_issued(conn, &system, meeting_id, *issued, err) != 0 || store_commit(conn, err) != 0
                 ? -1
                 : 0;
    if (rc != 0)
        store_rollback(conn);
    ticket_keys_wipe(&keys);
    return rc;
}

int service_tickets_member_url(store_conn *conn, const char *data_dir, const char *public_url, long long meeting_id,
                               long long organisation_id, char url[SERVICE_TICKETS_URL_SIZE], alvd_err *err)
{
    ticket_keys keys;
    char code[TICKET_TEXT_SIZE];
    unsigned char nonce[TICKET_NONCE_BYTES];
    size_t nonce_length = 0;
    long long ticket_id = 0;
    if (store_tickets_current(conn, meeting_id, organisation_id, &ticket_id, nonce, sizeof nonce, &nonce_length,
                              err) != 0)
        return -1;
    memset(&keys, 0, sizeof keys);
    int rc = ticket_keys_load(data_dir, &keys, err);
    if (rc == 0)
        rc = service_tickets_code(&keys, meeting_id, ticket_id, (const char *)nonce, nonce_length, code, err);
    ticket_keys_wipe(&keys);
    if (rc == 0)
        snprintf(url, SERVICE_TICKETS_URL_SIZE, "%s/t/%s", public_url, code);
    return rc;
}

int service_tickets_url_for(store_conn *conn, const alvd_app *app, const auth_principal *who, long long meeting_id,
                            long long organisation_id, char url[SERVICE_TICKETS_URL_SIZE], alvd_err *err)
{
    meeting_info meeting;
    if (service_meetings_load_for(conn, who, meeting_id, &meeting, err) != 0)
        return -1;
    if (who->kind == AUTH_KIND_MEMBER && who->organisation_id != organisation_id)
        return alvd_err_set(err, 404, "not_found", NULL, "Niet gevonden.");
    return service_tickets_member_url(conn, app->config.data_dir, app->config.public_url, meeting_id,
                                      organisation_id, url, err);
}

/* One row of the ticket list as the secretariat sees it. */
static int tickets_list_item(const alvd_app *app, const ticket_keys *keys, long long meeting_id, store_result *rows,
                             size_t r, json_t *items, alvd_err *err)
{
    char code[TICKET_TEXT_SIZE], url[SERVICE_TICKETS_URL_SIZE], qr[160];
    long long organisation_id = store_result_int(rows, r, 1);
    if (service_tickets_code(keys, meeting_id, store_result_int(rows, r, 0),
                             store_result_text(rows, r, STORE_TICKETS_LIST_NONCE),
                             store_result_length(rows, r, STORE_TICKETS_LIST_NONCE), code, err) != 0)
        return -1;
    service_tickets_url(app, code, url);
    snprintf(qr, sizeof qr, "/api/meetings/%lld/tickets/%lld/qr", meeting_id, organisation_id);
    json_t *issued_at = store_result_row_json(rows, r);
    json_array_append_new(
        items, json_pack("{s:I, s:I, s:s, s:s, s:s, s:O, s:I, s:s+, s:s+}", "ticket_id",
                         (json_int_t)store_result_int(rows, r, 0), "organisation_id", (json_int_t)organisation_id,
                         "name", store_result_text(rows, r, 2), "url", url, "code", code, "issued_at",
                         json_object_get(issued_at, "issued_at"), "revoked_before",
                         (json_int_t)store_result_int(rows, r, 5), "qr_png", qr, ".png", "qr_svg", qr, ".svg"));
    json_decref(issued_at);
    return 0;
}

int service_tickets_list(store_conn *conn, const alvd_app *app, long long meeting_id, json_t **items, alvd_err *err)
{
    meeting_info meeting;
    ticket_keys keys;
    store_result *rows = NULL;
    json_t *list = NULL;
    memset(&keys, 0, sizeof keys);
    *items = NULL;
    if (store_meetings_load(conn, meeting_id, &meeting, err) != 0 ||
        ticket_keys_load(app->config.data_dir, &keys, err) != 0 ||
        store_tickets_list(conn, meeting_id, &rows, err) != 0)
        goto fail;
    list = json_array();
    for (size_t r = 0; r < store_result_rows(rows); r++)
        if (tickets_list_item(app, &keys, meeting_id, rows, r, list, err) != 0)
            goto fail;
    store_result_free(rows);
    ticket_keys_wipe(&keys);
    *items = list;
    return 0;
fail:
    json_decref(list);
    store_result_free(rows);
    ticket_keys_wipe(&keys);
    return -1;
}

/* Revoke the member's ticket and end its phone sessions (in the caller's transaction):
 * a lost phone stays logged in with the old ticket unless its session ends here too; the
 * delegate logs in again with the new ticket. */
static int tickets_revoke_member(store_conn *conn, const audit_actor *actor, long long meeting_id,
                                 long long organisation_id, int make_new, long long *revoked, alvd_err *err)
{
    int found = 0;
    if (store_attendance_lock_member(conn, meeting_id, organisation_id, &found, err) != 0)
        return -1;
    if (!found)
        return alvd_err_set(err, 404, "not_found", NULL, "Deze organisatie heeft geen ticket voor deze vergadering.");
    json_t *details = json_pack("{s:I, s:s}", "organisation_id", (json_int_t)organisation_id, "action",
                                make_new ? "reissue" : "revoke");
    int rc = audit_append(conn, err, actor, make_new ? "ticket.reissue" : "ticket.revoke", "meeting", meeting_id,
                          details) != 0 ||
             store_tickets_revoke(conn, meeting_id, organisation_id, make_new ? "reissued" : "revoked", revoked,
                                  err) != 0 ||
             store_tickets_end_sessions(conn, meeting_id, organisation_id, err) != 0;
    json_decref(details);
    return rc ? -1 : 0;
}

int service_tickets_replace(store_conn *conn, const alvd_app *app, const audit_actor *actor, long long user_id,
                            long long meeting_id, long long organisation_id, int make_new,
                            service_tickets_replaced *out, alvd_err *err)
{
    meeting_info meeting;
    ticket_keys keys;
    memset(&keys, 0, sizeof keys);
    memset(out, 0, sizeof *out);
    if (ticket_keys_load(app->config.data_dir, &keys, err) != 0 ||
        store_meetings_load(conn, meeting_id, &meeting, err) != 0)
        goto fail;
    if (strcmp(meeting.state, "closed") == 0) {
        alvd_err_set(err, 409, "meeting_closed", NULL, "Deze vergadering is gesloten.");
        goto fail;
    }
    if (store_begin(conn, err) != 0 ||
        tickets_revoke_member(conn, actor, meeting_id, organisation_id, make_new, &out->revoked, err) != 0 ||
        (make_new && tickets_make(conn, &keys, meeting_id, organisation_id, user_id, out->code, &out->ticket_id,
                                  err) != 0) ||
        store_commit(conn, err) != 0)
        goto fail;
    ticket_keys_wipe(&keys);
    if (make_new)
        service_tickets_url(app, out->code, out->url);
    return 0;
fail:
    ticket_keys_wipe(&keys);
    store_rollback(conn);
    return -1;
}

/* Why a ticket code is refused ("forged", "revoked", "meeting_closed"), or NULL with
 * *ticket_id set; *failed 1 when the lookup itself failed (err set). */
static const char *tickets_refusal(store_conn *conn, const ticket_keys *keys, const char *code,
                                   store_ticket_login *ticket, long long *ticket_id, int *failed, alvd_err *err)
{
    ticket_payload payload;
    unsigned char hash[TICKET_HASH_BYTES];
    *failed = 0;
    if (ticket_verify(keys->public_key, code, &payload, err) != 0)
        return "forged";
    ticket_code_hash(code, hash);
    if (store_tickets_login(conn, payload.ticket_id, ticket, err) != 0) {
        *failed = 1;
        return NULL;
    }
    if (!ticket->found || ticket->code_hash_length != TICKET_HASH_BYTES ||
        sodium_memcmp(ticket->code_hash, hash, TICKET_HASH_BYTES) != 0 || ticket->meeting_id != payload.meeting_id)
        return "forged";
    if (ticket->revoked)
        return "revoked";
    if (strcmp(ticket->meeting_state, "closed") == 0)
        return "meeting_closed";
    *ticket_id = payload.ticket_id;
    return NULL;
}

/* Count, audit and answer a refused ticket. Only refused tickets count, and only they
 * are ever refused for the count: a signed ticket cannot be guessed, so a phone with its
 * own ticket gets in even while someone on the same hall Wi-Fi address types garbage. */
static int tickets_refuse(store_conn *conn, const alvd_app *app, const char *client, const char *refusal,
                          alvd_err *err)
{
    if (auth_rate_check(conn, app->rate_key, "ticket_use", client, 60, TICKET_LOGIN_FAILURES_PER_CLIENT, err) != 0)
        return -1;
    auth_rate_record(conn, app->rate_key, "ticket_use", client, err);
    audit_actor anonymous = {"anonymous", 0, ""};
    json_t *details = json_pack("{s:s}", "reason", refusal);
    alvd_err ignored;
    audit_append(conn, &ignored, &anonymous, "session.ticket_refused", "ticket", 0, details);
    json_decref(details);
    return alvd_err_set(err, 401, strcmp(refusal, "forged") == 0 ? "ticket_invalid" : refusal, "ticket", "%s",
                        strcmp(refusal, "revoked") == 0
                            ? "Dit ticket is ingetrokken; er is een nieuw ticket uitgegeven. Vraag het secretariaat."
                        : strcmp(refusal, "meeting_closed") == 0
                            ? "Deze vergadering is gesloten."
                            : "Dit ticket is ongeldig. Scan de QR-code opnieuw of vraag het secretariaat.");
}

/* Open the member's phone session, audited. */
static int tickets_open_session(store_conn *conn, const store_ticket_login *ticket, long long ticket_id,
                                service_tickets_login_result *out, alvd_err *err)
{
    auth_session_subject subject = {.kind = AUTH_KIND_MEMBER, .organisation_id = ticket->organisation_id,
                                    .meeting_id = ticket->meeting_id};
    audit_actor actor = {"member", ticket->organisation_id, ticket->organisation_name};
    json_t *details = json_pack("{s:I, s:I}", "meeting_id", (json_int_t)ticket->meeting_id, "ticket_id",
                                (json_int_t)ticket_id);
    int rc = store_begin(conn, err) != 0 || auth_session_create(conn, &subject, out->token, out->csrf, err) != 0 ||
             audit_append(conn, err, &actor, "session.ticket_login", "organisation", ticket->organisation_id,
                          details) != 0 ||
             store_commit(conn, err) != 0;
    json_decref(details);
    return rc ? -1 : 0;
}

int service_tickets_login(store_conn *conn, const alvd_app *app, const char *client, const char *code,
                          service_tickets_login_result *out, alvd_err *err)
{
    ticket_keys keys;
    store_ticket_login ticket;
    long long ticket_id = 0;
    int failed = 0;
    memset(&keys, 0, sizeof keys);
    memset(&ticket, 0, sizeof ticket);
    memset(out, 0, sizeof *out);
    if (ticket_keys_load(app->config.data_dir, &keys, err) != 0)
        goto fail;
    const char *refusal = tickets_refusal(conn, &keys, code, &ticket, &ticket_id, &failed, err);
    if (failed)
        goto fail;
    if (refusal) {
        tickets_refuse(conn, app, client, refusal, err);
        goto fail;
    }
    if (tickets_open_session(conn, &ticket, ticket_id, out, err) != 0)
        goto fail;
    out->meeting_id = ticket.meeting_id;
    out->organisation_id = ticket.organisation_id;
    snprintf(out->name, sizeof out->name, "%s", ticket.organisation_name);
    ticket_keys_wipe(&keys);
    return 0;
fail:
    ticket_keys_wipe(&keys);
    store_rollback(conn);
    return -1;
}
