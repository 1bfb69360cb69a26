/* Login by e-mailed link for contact persons. The GET of /l/<link> only shows a page;
 * the link is spent by that page's POST, so mail scanners that fetch links cannot use it. */
#include "alvd/api/links.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "alvd/api/session.h"
#include "alvd/base/buf.h"
#include "alvd/crypto/audit.h"
#include "alvd/crypto/token.h"
#include "alvd/http/input.h"
#include "alvd/mail/outbox.h"

#define LINK_REQUESTS_PER_EMAIL 5      /* per 15 minutes */
#define LINK_REQUESTS_PER_CLIENT 30    /* per minute */
#define LINK_FAILURES_PER_CLIENT 20    /* per minute */

int links_send(store_conn *conn, const char *public_url, long long contact_id,
               const char *purpose, const char *subject, const char *intro, char *url_out,
               alvd_err *err)
{
    char token[TOKEN_TEXT_SIZE], url[400];
    unsigned char hash[TOKEN_HASH_BYTES];
    store_result *rows = NULL;
    alvd_buf text, html;
    int rc = -1;
    buf_init(&text, 64 * 1024);
    buf_init(&html, 64 * 1024);
    int seconds = strcmp(purpose, "login") == 0 ? LINK_LOGIN_SECONDS : LINK_INVITE_SECONDS;
    if (store_query(conn, err, &rows,
                    "SELECT c.email, c.name, o.name FROM contacts c JOIN organisations o"
                    " ON o.id = c.organisation_id WHERE c.id = ? AND c.removed_at IS NULL",
                    STORE_PARAMS(STORE_INT_PARAM(contact_id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1) {
        alvd_err_set(err, 404, "not_found", "contact_id", "Contactpersoon niet gevonden.");
        goto fail;
    }
    token_new(token);
    token_hash(token, hash);
    snprintf(url, sizeof url, "%s/l/%s", public_url, token);
    if (store_execute(conn, err, NULL,
                      "INSERT INTO login_links (token_hash, contact_id, purpose, created_at, expires_at)"
                      " VALUES (?, ?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL ? SECOND)",
                      STORE_PARAMS(STORE_BLOB_PARAM(hash, sizeof hash), STORE_INT_PARAM(contact_id),
                                   STORE_TEXT_PARAM(purpose), STORE_INT_PARAM(seconds))) != 0)
        goto fail;
    const char *validity = seconds <= 3600 ? "15 minuten" : "7 dagen";
    /* A login link answers a request: "niets aangevraagd? negeren" fits. An invitation or
     * a meldpunt signal was not asked for: it says why it came and what the link is for. */
    int invitation = strcmp(purpose, "login") != 0;
    const char *contact = store_result_text(rows, 0, 1), *organisation = store_result_text(rows, 0, 2);
    buf_appendf(&text, "Beste %s,\n\n%s\n\n%s %s:\n%s\n\n", contact, intro,
                invitation ? "Reageren namens" : "Inloggen voor", organisation, url);
    if (invitation)
        buf_appendf(&text,
                    "De link is %s geldig en werkt één keer; daarna blijft u op dat apparaat ingelogd. Werkt hij "
                    "niet meer, vraag dan op de inlogpagina een nieuwe aan met uw e-mailadres.\n\n"
                    "U ontvangt dit bericht omdat u contactpersoon bent van %s, een organisatie die aan de Code "
                    "gebonden is.\n\n",
                    validity, organisation);
    else
        buf_appendf(&text,
                    "De link werkt één keer en is %s geldig. Werkt hij niet meer, vraag dan op de inlogpagina een "
                    "nieuwe aan.\nHeeft u niets aangevraagd? Dan kunt u dit bericht negeren.\n\n",
                    validity);
    buf_append_str(&text, "Met vriendelijke groet,\nKlantenservice Federatie (KSF)\n");
    buf_append_str(&html, "<!doctype html><html lang=\"nl\"><body><p>Beste ");
    buf_append_html(&html, contact);
    buf_append_str(&html, ",</p><p>");
    buf_append_html(&html, intro);
    buf_append_str(&html, "</p><p><a href=\"");
    buf_append_html(&html, url);
    buf_append_str(&html, invitation ? "\">Reageren namens " : "\">Inloggen voor ");
    buf_append_html(&html, organisation);
    if (invitation) {
        buf_appendf(&html, "</a></p><p>De link is %s geldig en werkt één keer; daarna blijft u op dat apparaat "
                           "ingelogd. Werkt hij niet meer, vraag dan op de inlogpagina een nieuwe aan met uw "
                           "e-mailadres.</p><p>U ontvangt dit bericht omdat u contactpersoon bent van ",
                    validity);
        buf_append_html(&html, organisation);
        buf_append_str(&html, ", een organisatie die aan de Code gebonden is.</p>");
    } else {
        buf_appendf(&html, "</a></p><p>De link werkt één keer en is %s geldig. Werkt hij niet meer, vraag dan op "
                           "de inlogpagina een nieuwe aan.</p><p>Heeft u niets aangevraagd? Dan kunt u dit bericht "
                           "negeren.</p>",
                    validity);
    }
    buf_append_str(&html, "<p>Met vriendelijke groet,<br>Klantenservice Federatie (KSF)</p></body></html>");
    mail_message message = {store_result_text(rows, 0, 0), subject, text.data, html.data, "login_link"};
    if (outbox_enqueue(conn, &message, NULL, err) != 0)
        goto fail;
    if (url_out)
        snprintf(url_out, 400, "%s", url);
    rc = 0;
fail:
    store_result_free(rows);
    buf_free(&text);
    buf_free(&html);
    return rc;
}

void links_request(http_request *request)
{
    static const char *const fields[] = {"email", NULL};
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    const char *given = NULL;
    char email[254 * 4 + 1]; /* 254 characters of up to 4 bytes in UTF-8 */
    alvd_err err;
    alvd_err_clear(&err);
    if (input_only(http_request_json(request), fields, &err) != 0 ||
        input_string(http_request_json(request), "email", 1, 254, &given, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    snprintf(email, sizeof email, "%s", given);
    for (char *p = email; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    if (auth_rate_check(conn, http_request_app(request)->rate_key, "link_email", email, 15 * 60, LINK_REQUESTS_PER_EMAIL, &err) != 0 ||
        auth_rate_check(conn, http_request_app(request)->rate_key, "link_client", http_request_client(request), 60, LINK_REQUESTS_PER_CLIENT,
                        &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    /* Known or not, the same work is recorded and the same answer given (no
     * enumeration of contact addresses). */
    if (store_begin(conn, &err) != 0 ||
        auth_rate_record(conn, http_request_app(request)->rate_key, "link_email", email, &err) != 0 ||
        auth_rate_record(conn, http_request_app(request)->rate_key, "link_client", http_request_client(request), &err) != 0 ||
        store_query(conn, &err, &rows,
                    "SELECT id FROM contacts WHERE email = ? AND removed_at IS NULL LIMIT 5",
                    STORE_PARAMS(STORE_TEXT_PARAM(email))) != 0)
        goto fail;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        audit_actor actor = {"anonymous", 0, email};
        if (links_send(conn, http_request_app(request)->config.public_url, store_result_int(rows, r, 0),
                       "login", "Uw inloglink voor KSF alvd",
                       "U vroeg om een link om in te loggen bij KSF alvd.", NULL, &err) != 0 ||
            audit_append(conn, &err, &actor, "link.requested", "contact", store_result_int(rows, r, 0),
                         NULL) != 0)
            goto fail;
    }
    if (store_commit(conn, &err) != 0)
        goto fail;
    store_result_free(rows);
    http_reply_json(request, 202,
                    json_pack("{s:s}", "status",
                              "Als dit adres bij een contactpersoon hoort, is er een inloglink verstuurd."));
    return;
fail:
    store_result_free(rows);
    http_reply_err(request, &err);
}

void links_consume(http_request *request)
{
    static const char *const fields[] = {"link", NULL};
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    const char *link = NULL;
    long long affected = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (input_only(http_request_json(request), fields, &err) != 0 ||
        input_string(http_request_json(request), "link", 1, 200, &link, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    if (auth_rate_check(conn, http_request_app(request)->rate_key, "link_use", http_request_client(request), 60, LINK_FAILURES_PER_CLIENT, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    unsigned char hash[TOKEN_HASH_BYTES];
    token_hash(link, hash);
    if (store_begin(conn, &err) != 0 ||
        store_execute(conn, &err, &affected,
                      "UPDATE login_links SET used_at = UTC_TIMESTAMP(6) WHERE token_hash = ?"
                      " AND used_at IS NULL AND expires_at > UTC_TIMESTAMP(6)",
                      STORE_PARAMS(STORE_BLOB_PARAM(hash, sizeof hash))) != 0 ||
        (affected == 1 &&
         store_query(conn, &err, &rows,
                     "SELECT c.id, c.organisation_id, c.name, c.email, o.name FROM login_links l"
                     " JOIN contacts c ON c.id = l.contact_id JOIN organisations o ON o.id = c.organisation_id"
                     " WHERE l.token_hash = ? AND c.removed_at IS NULL",
                     STORE_PARAMS(STORE_BLOB_PARAM(hash, sizeof hash))) != 0))
        goto fail;
    if (affected != 1 || store_result_rows(rows) != 1) {
        store_rollback(conn);
        auth_rate_record(conn, http_request_app(request)->rate_key, "link_use", http_request_client(request), &err);
        store_result_free(rows);
        http_reply_error(request, 401, "link_invalid", "link",
                         "Deze inloglink is al gebruikt, verlopen of onbekend. Vraag een nieuwe aan.");
        return;
    }
    long long contact_id = store_result_int(rows, 0, 0);
    long long organisation_id = store_result_int(rows, 0, 1);
    char token[TOKEN_TEXT_SIZE], csrf[TOKEN_TEXT_SIZE];
    auth_session_subject subject = {.kind = AUTH_KIND_CONTACT, .organisation_id = organisation_id,
                                    .contact_id = contact_id};
    audit_actor actor = {"contact", contact_id, store_result_text(rows, 0, 3)};
    if (auth_session_create(conn, &subject, token, csrf, &err) != 0 ||
        audit_append(conn, &err, &actor, "session.link_login", "contact", contact_id, NULL) != 0 ||
        store_commit(conn, &err) != 0)
        goto fail;
    json_t *contact = json_pack("{s:I, s:I, s:s, s:s, s:s}", "id", (json_int_t)contact_id, "organisation_id",
                                (json_int_t)organisation_id, "name", store_result_text(rows, 0, 2), "email",
                                store_result_text(rows, 0, 3), "organisation_name",
                                store_result_text(rows, 0, 4));
    store_result_free(rows);
    session_reply_new(request, token, csrf, json_pack("{s:o}", "contact", contact));
    return;
fail:
    store_result_free(rows);
    http_reply_err(request, &err);
}

void links_landing_page(http_request *request)
{
    http_reply_web_file(request, "link.html");
}
