/* The staff second factor's enrolment: POST /api/session/totp (a new secret, its
 * otpauth URI and QR code) and POST /api/session/totp/confirm (a first code). */
#include "alvd/api/session.h"

#include <sodium.h>
#include <string.h>

#include "alvd/http/input.h"
#include "alvd/service/totp.h"

void session_totp_begin(http_request *request)
{
    const auth_principal *who = http_request_principal(request);
    service_totp_enrolment enrolment;
    alvd_err err;
    alvd_err_clear(&err);
    memset(&enrolment, 0, sizeof enrolment);
    audit_actor actor = http_request_actor(request);
    if (service_totp_begin(http_request_app(request), http_request_db(request), &actor, who->user_id, who->email,
                           &enrolment, &err) != 0)
        http_reply_err(request, &err);
    else
        http_reply_json(request, 200,
                        json_pack("{s:s, s:s, s:s%}", "secret", enrolment.secret, "otpauth_uri",
                                  enrolment.otpauth_uri, "qr_svg", enrolment.qr_svg, enrolment.qr_svg_length));
    service_totp_enrolment_wipe(&enrolment);
}

void session_totp_confirm(http_request *request)
{
    const auth_principal *who = http_request_principal(request);
    service_totp_confirmed confirmed;
    const char *code = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    service_totp_session session = {who->user_id, who->session_id, who->user_roles};
    if (input_string(http_request_json(request), "code", 1, 32, &code, &err) != 0 ||
        service_totp_confirm(http_request_app(request), http_request_db(request), &actor, &session, code, &confirmed,
                             &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *list = json_array();
    for (int i = 0; i < TOTP_RECOVERY_CODES; i++)
        json_array_append_new(list, json_string(confirmed.codes[i]));
    json_t *factor = confirmed.status_read ? service_totp_status_json(&confirmed.status) : NULL;
    http_reply_json(request, 200, json_pack("{s:o, s:o*}", "recovery_codes", list, "second_factor", factor));
    sodium_memzero(confirmed.codes, sizeof confirmed.codes);
}
