/* Tickets of a meeting (issue, list, reissue, revoke, QR) and the ticket login of a
 * delegate's phone: each handler parses, calls one service function and renders. */
#include "alvd/api/tickets.h"

#include <stdio.h>
#include <string.h>

#include "alvd/crypto/qr.h"
#include "alvd/http/input.h"
#include "alvd/service/tickets.h"
#include "alvd/http/auth.h"

void tickets_issue(http_request *request)
{
    audit_actor actor = http_request_actor(request);
    long long meeting_id = 0, issued = 0, total = 0;
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    if (service_tickets_issue(http_request_db(request), http_request_app(request), &actor,
                              http_request_principal(request)->user_id, meeting_id, &issued, &total, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 201, json_pack("{s:I, s:I}", "issued", (json_int_t)issued, "total", (json_int_t)total));
}

void tickets_list(http_request *request)
{
    long long meeting_id = 0;
    json_t *items = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    if (service_tickets_list(http_request_db(request), http_request_app(request), meeting_id, &items, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, json_pack("{s:I, s:o}", "meeting_id", (json_int_t)meeting_id, "items", items));
}

/* Reissue (revoke + new) or only revoke the member's ticket. */
static void tickets_replace(http_request *request, int make_new)
{
    audit_actor actor = http_request_actor(request);
    long long meeting_id = 0, organisation_id = 0;
    service_tickets_replaced done;
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    organisation_id = http_request_id(request, "organisation_id");
    if (service_tickets_replace(http_request_db(request), http_request_app(request), &actor,
                                http_request_principal(request)->user_id, meeting_id, organisation_id, make_new, &done,
                                &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    if (make_new)
        http_reply_json(request, 201,
                        json_pack("{s:I, s:I, s:s, s:s, s:I}", "organisation_id", (json_int_t)organisation_id,
                                  "ticket_id", (json_int_t)done.ticket_id, "url", done.url, "code", done.code,
                                  "revoked", (json_int_t)done.revoked));
    else
        http_reply_json(request, 200, json_pack("{s:I, s:I}", "organisation_id", (json_int_t)organisation_id,
                                                "revoked", (json_int_t)done.revoked));
}

void tickets_reissue(http_request *request) { tickets_replace(request, 1); }
void tickets_revoke(http_request *request) { tickets_replace(request, 0); }

static void tickets_qr(http_request *request, int png)
{
    char url[SERVICE_TICKETS_URL_SIZE];
    char *data = NULL;
    size_t length = 0;
    long long meeting_id = 0, organisation_id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    long long scale = QR_PNG_SCALE_DEFAULT;
    const char *scale_text = http_request_query(request, "scale");
    if (scale_text && (input_id_text(scale_text, &scale) != 0 || scale > 32)) {
        http_reply_error(request, 400, "bad_scale", "scale", "Schaal moet tussen 1 en 32 liggen.");
        return;
    }
    if (input_id_text(http_request_param(request, "id"), &meeting_id) != 0 ||
        input_id_text(http_request_param(request, "organisation_id"), &organisation_id) != 0)
        alvd_err_set(&err, 404, "not_found", NULL, "Niet gevonden.");
    if (alvd_err_is_set(&err) ||
        service_tickets_url_for(http_request_db(request), http_request_app(request), http_request_principal(request),
                                meeting_id, organisation_id, url, &err) != 0 ||
        (png ? qr_png(url, (int)scale, &data, &length, &err) : qr_svg(url, &data, &length, &err)) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_bytes(request, 200, png ? "image/png" : "image/svg+xml", data, length);
}

void tickets_qr_png(http_request *request) { tickets_qr(request, 1); }
void tickets_qr_svg(http_request *request) { tickets_qr(request, 0); }

/* ---------------------------------------------------------------- ticket login */

void tickets_session_create(http_request *request)
{
    const char *code = NULL;
    service_tickets_login_result login;
    alvd_err err;
    alvd_err_clear(&err);
    if (input_string(http_request_json(request), "ticket", 1, 400, &code, &err) != 0 ||
        service_tickets_login(http_request_db(request), http_request_app(request), http_request_client(request), code,
                              &login, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *who = json_pack("{s:{s:I, s:s}, s:I}", "member", "organisation_id", (json_int_t)login.organisation_id,
                            "name", login.name, "meeting_id", (json_int_t)login.meeting_id);
    auth_reply_new_session(request, login.token, login.csrf, who);
    sodium_memzero(&login, sizeof login);
}

void tickets_landing_page(http_request *request)
{
    http_reply_web_file(request, "ticket.html");
}

/* The QR code the landing page shows for the door: only for a code that carries a valid
 * signature (so this is no QR service for any text); it holds nothing the URL does not. */
void tickets_landing_qr(http_request *request)
{
    const char *code = http_request_param(request, "ticket");
    char url[SERVICE_TICKETS_URL_SIZE];
    char *svg = NULL;
    size_t length = 0;
    ticket_keys keys;
    ticket_payload payload;
    alvd_err err;
    alvd_err_clear(&err);
    memset(&keys, 0, sizeof keys);
    if (code == NULL || strlen(code) >= TICKET_TEXT_SIZE ||
        ticket_keys_load(http_request_app(request)->config.data_dir, &keys, &err) != 0 ||
        ticket_verify(keys.public_key, code, &payload, &err) != 0) {
        ticket_keys_wipe(&keys);
        if (!alvd_err_is_set(&err) || err.status != 500)
            alvd_err_set(&err, 404, "not_found", NULL, "Dit ticket bestaat niet.");
        http_reply_err(request, &err);
        return;
    }
    ticket_keys_wipe(&keys);
    service_tickets_url(http_request_app(request), code, url);
    if (qr_svg(url, &svg, &length, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_bytes(request, 200, "image/svg+xml", svg, length);
}
