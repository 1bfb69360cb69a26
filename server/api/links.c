/* Login by e-mailed link for contact persons and staff users. The GET of /l/<link> only
 * shows a page; the link is spent by that page's POST, so mail scanners that fetch links
 * cannot use it. */
#include "alvd/api/links.h"

#include <ctype.h>
#include <stdio.h>

#include "alvd/http/input.h"
#include "alvd/http/throttle.h"

void links_request(http_request *request)
{
    const char *given = NULL;
    char email[254 * 4 + 1]; /* 254 characters of up to 4 bytes in UTF-8 */
    alvd_err err;
    alvd_err_clear(&err);
    if (input_string(http_request_json(request), "email", 1, 254, &given, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    snprintf(email, sizeof email, "%s", given);
    for (char *p = email; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    if (service_links_request(http_request_app(request), http_request_db(request), email,
                              http_request_client(request), &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 202,
                    json_pack("{s:s}", "status",
                              "Als dit adres bij een account hoort, is er een inloglink verstuurd."));
}

void links_consume(http_request *request)
{
    const char *link = NULL, *totp = NULL;
    service_links_login login;
    alvd_err err;
    alvd_err_clear(&err);
    if (input_string(http_request_json(request), "link", 1, 200, &link, &err) != 0 ||
        input_string(http_request_json(request), "totp", 0, 64, &totp, &err) != 0 ||
        service_links_consume(http_request_app(request), http_request_db(request), link, totp,
                              http_request_client(request), &login, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    if (login.staff) {
        auth_reply_new_session(request, login.session.token, login.session.csrf,
                               service_session_user_json(&login.session));
        /* This browser now knows the account: its password attempts count on their own. */
        throttle_login_succeeded(request, login.session.user.email);
        return;
    }
    json_t *contact = json_pack("{s:I, s:I, s:s, s:s, s:s}", "id", (json_int_t)login.contact.id, "organisation_id",
                                (json_int_t)login.contact.organisation_id, "name", login.contact.name, "email",
                                login.contact.email, "organisation_name", login.contact.organisation_name);
    auth_reply_new_session(request, login.session.token, login.session.csrf, json_pack("{s:o}", "contact", contact));
}

void links_landing_page(http_request *request)
{
    http_reply_web_file(request, "link.html");
}
