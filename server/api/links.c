/* Login by e-mailed link for contact persons and staff users. The GET of /l/<link> only
 * shows a page; the link is spent by that page's POST, so mail scanners that fetch links
 * cannot use it. A valid link always logs in: failure limits only slow down guessing. */
#include "alvd/api/links.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "alvd/api/session.h"
#include "alvd/base/buf.h"
#include "alvd/crypto/audit.h"
#include "alvd/crypto/token.h"
#include "alvd/http/guard.h"
#include "alvd/http/input.h"
#include "alvd/http/throttle.h"
#include "alvd/mail/outbox.h"

/* Who a link logs in: a contact person (organisation set) or a staff user. */
typedef struct links_recipient {
    long long contact_id, user_id;
    const char *email, *name, *organisation; /* organisation NULL for staff */
} links_recipient;

/* Store a new link for recipient and queue the mail carrying it. */
static int links_mail(store_conn *conn, const char *public_url, const links_recipient *to, const char *purpose,
                      const char *subject, const char *intro, char *url_out, alvd_err *err)
{
    char token[TOKEN_TEXT_SIZE], url[400];
    unsigned char hash[TOKEN_HASH_BYTES];
    alvd_buf text, html;
    int rc = -1;
    buf_init(&text, 64 * 1024);
    buf_init(&html, 64 * 1024);
    int seconds = strcmp(purpose, "login") == 0 ? LINK_LOGIN_SECONDS : LINK_INVITE_SECONDS;
    token_new(token);
    token_hash(token, hash);
    snprintf(url, sizeof url, "%s/l/%s", public_url, token);
    if (store_execute(conn, err, NULL,
                      "INSERT INTO login_links (token_hash, contact_id, user_id, purpose, created_at, expires_at)"
                      " VALUES (?, ?, ?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL ? SECOND)",
                      STORE_PARAMS(STORE_BLOB_PARAM(hash, sizeof hash),
                                   to->contact_id ? STORE_INT_PARAM(to->contact_id) : STORE_NULL_PARAM,
                                   to->user_id ? STORE_INT_PARAM(to->user_id) : STORE_NULL_PARAM,
                                   STORE_TEXT_PARAM(purpose), STORE_INT_PARAM(seconds))) != 0)
        goto fail;
    const char *validity = seconds <= 3600 ? "10 minuten" : "7 dagen";
    /* A login link answers a request: "niets aangevraagd? negeren" fits. An invitation or
     * a meldpunt signal was not asked for: it says why it came and what the link is for. */
    int invitation = strcmp(purpose, "login") != 0 && to->organisation;
    char action[600];
    if (to->organisation)
        snprintf(action, sizeof action, "%s %s", invitation ? "Reageren namens" : "Inloggen voor", to->organisation);
    else
        snprintf(action, sizeof action, "Inloggen bij KSF alvd");
    buf_appendf(&text, "Beste %s,\n\n%s\n\n%s:\n%s\n\n", to->name, intro, action, url);
    if (invitation)
        buf_appendf(&text,
                    "De link is %s geldig en werkt één keer; daarna blijft u op dat apparaat ingelogd. Werkt hij "
                    "niet meer, vraag dan op de inlogpagina een nieuwe aan met uw e-mailadres.\n\n"
                    "U ontvangt dit bericht omdat u contactpersoon bent van %s, een organisatie die aan de Code "
                    "gebonden is.\n\n",
                    validity, to->organisation);
    else
        buf_appendf(&text,
                    "De link werkt één keer en is %s geldig. Werkt hij niet meer, vraag dan op de inlogpagina een "
                    "nieuwe aan.\nHeeft u niets aangevraagd? Dan kunt u dit bericht negeren.\n\n",
                    validity);
    buf_append_str(&text, "Met vriendelijke groet,\nKlantenservice Federatie (KSF)\n");
    buf_append_str(&html, "<!doctype html><html lang=\"nl\"><body><p>Beste ");
    buf_append_html(&html, to->name);
    buf_append_str(&html, ",</p><p>");
    buf_append_html(&html, intro);
    buf_append_str(&html, "</p><p><a href=\"");
    buf_append_html(&html, url);
    buf_append_str(&html, "\">");
    buf_append_html(&html, action);
    if (invitation) {
        buf_appendf(&html, "</a></p><p>De link is %s geldig en werkt één keer; daarna blijft u op dat apparaat "
                           "ingelogd. Werkt hij niet meer, vraag dan op de inlogpagina een nieuwe aan met uw "
                           "e-mailadres.</p><p>U ontvangt dit bericht omdat u contactpersoon bent van ",
                    validity);
        buf_append_html(&html, to->organisation);
        buf_append_str(&html, ", een organisatie die aan de Code gebonden is.</p>");
    } else {
        buf_appendf(&html, "</a></p><p>De link werkt één keer en is %s geldig. Werkt hij niet meer, vraag dan op "
                           "de inlogpagina een nieuwe aan.</p><p>Heeft u niets aangevraagd? Dan kunt u dit bericht "
                           "negeren.</p>",
                    validity);
    }
    buf_append_str(&html, "<p>Met vriendelijke groet,<br>Klantenservice Federatie (KSF)</p></body></html>");
    mail_message message = {to->email, subject, text.data, html.data, "login_link"};
    if (outbox_enqueue(conn, &message, NULL, err) != 0)
        goto fail;
    if (url_out)
        snprintf(url_out, 400, "%s", url);
    rc = 0;
fail:
    sodium_memzero(token, sizeof token);
    buf_free(&text);
    buf_free(&html);
    return rc;
}

int links_send(store_conn *conn, const char *public_url, long long contact_id,
               const char *purpose, const char *subject, const char *intro, char *url_out,
               alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT c.email, c.name, o.name FROM contacts c JOIN organisations o"
                    " ON o.id = c.organisation_id WHERE c.id = ? AND c.removed_at IS NULL",
                    STORE_PARAMS(STORE_INT_PARAM(contact_id))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", "contact_id", "Contactpersoon niet gevonden.");
    }
    links_recipient to = {contact_id, 0, store_result_text(rows, 0, 0), store_result_text(rows, 0, 1),
                          store_result_text(rows, 0, 2)};
    int rc = links_mail(conn, public_url, &to, purpose, subject, intro, url_out, err);
    store_result_free(rows);
    return rc;
}

/* The link-request limits: per (e-mail, client) pair, per e-mail whoever asks (the
 * mailbox is not bombed, and whoever floods it fills it with working links for its
 * owner), and per client. */
static int links_request_allowed(http_request *request, const char *email, char *pair, size_t pair_size,
                                 alvd_err *err)
{
    store_conn *conn = http_request_db(request);
    const unsigned char *key = http_request_app(request)->rate_key;
    snprintf(pair, pair_size, "%s\n%s", email, http_request_client(request));
    if (auth_rate_check(conn, key, "link_pair", pair, 15 * 60, LINK_REQUESTS_PER_PAIR, err) != 0 ||
        auth_rate_check(conn, key, "link_client", http_request_client(request), 60, LINK_REQUESTS_PER_CLIENT, err) != 0)
        return -1;
    if (auth_rate_check(conn, key, "link_email", email, 3600, LINK_REQUESTS_PER_EMAIL, err) != 0) {
        if (err->status == 429)
            alvd_err_set(err, 429, "too_many_attempts", NULL,
                         "Er zijn het afgelopen uur al veel inloglinks naar dit adres gestuurd. Gebruik de "
                         "nieuwste link uit uw mailbox, of probeer het over een uur opnieuw.");
        return -1;
    }
    return 0;
}

void links_request(http_request *request)
{
    static const char *const fields[] = {"email", NULL};
    store_conn *conn = http_request_db(request);
    const alvd_app *app = http_request_app(request);
    store_result *rows = NULL;
    const char *given = NULL;
    char email[254 * 4 + 1]; /* 254 characters of up to 4 bytes in UTF-8 */
    char pair[254 * 4 + GUARD_ADDRESS_TEXT + 8];
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
    if (links_request_allowed(request, email, pair, sizeof pair, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    /* Known or not, the same work is recorded and the same answer given (no
     * enumeration of addresses). A staff user and contact persons may share one. */
    if (store_begin(conn, &err) != 0 ||
        auth_rate_record(conn, app->rate_key, "link_pair", pair, &err) != 0 ||
        auth_rate_record(conn, app->rate_key, "link_email", email, &err) != 0 ||
        auth_rate_record(conn, app->rate_key, "link_client", http_request_client(request), &err) != 0 ||
        store_query(conn, &err, &rows,
                    "SELECT id, 0 FROM contacts WHERE email = ? AND removed_at IS NULL"
                    " UNION ALL SELECT id, 1 FROM users WHERE email = ? AND disabled_at IS NULL LIMIT 6",
                    STORE_PARAMS(STORE_TEXT_PARAM(email), STORE_TEXT_PARAM(email))) != 0)
        goto fail;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        audit_actor actor = {"anonymous", 0, email};
        long long id = store_result_int(rows, r, 0);
        int staff = store_result_int(rows, r, 1) != 0;
        if (staff) {
            store_result *user = NULL;
            if (store_query(conn, &err, &user, "SELECT email, name FROM users WHERE id = ?",
                            STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
                goto fail;
            links_recipient to = {0, id, store_result_text(user, 0, 0), store_result_text(user, 0, 1), NULL};
            int sent = links_mail(conn, app->config.public_url, &to, "login", "Uw inloglink voor KSF alvd",
                                  "U vroeg om een link om in te loggen bij KSF alvd.", NULL, &err);
            store_result_free(user);
            if (sent != 0)
                goto fail;
        } else if (links_send(conn, app->config.public_url, id, "login", "Uw inloglink voor KSF alvd",
                              "U vroeg om een link om in te loggen bij KSF alvd.", NULL, &err) != 0) {
            goto fail;
        }
        if (audit_append(conn, &err, &actor, "link.requested", staff ? "user" : "contact", id, NULL) != 0)
            goto fail;
    }
    if (store_commit(conn, &err) != 0)
        goto fail;
    store_result_free(rows);
    http_reply_json(request, 202,
                    json_pack("{s:s}", "status",
                              "Als dit adres bij een account hoort, is er een inloglink verstuurd."));
    return;
fail:
    store_result_free(rows);
    http_reply_err(request, &err);
}

/* A staff user's link stands in for the password, never for the second factor: an
 * enrolled user sends the app's code (or a recovery code) with the link, as with a
 * password; without it, or with a wrong one, the link is left unspent (its transaction
 * rolled back) and the answer is the password login's (401 totp_required, …). Wrong codes
 * count per link: LINK_FACTOR_FAILURES, then the link is refused. A role that must set up
 * a factor gets a session that may only enrol. */
static void links_consume_staff(http_request *request, store_conn *conn, long long user_id,
                                const unsigned char link_hash[TOKEN_HASH_BYTES], const char *totp)
{
    const alvd_app *app = http_request_app(request);
    store_result *rows = NULL;
    char link_subject[TOKEN_HASH_BYTES * 2 + 1];
    alvd_err err;
    alvd_err_clear(&err);
    sodium_bin2hex(link_subject, sizeof link_subject, link_hash, TOKEN_HASH_BYTES);
    if (store_query(conn, &err, &rows, "SELECT id, name, email, roles FROM users WHERE id = ? AND disabled_at IS NULL",
                    STORE_PARAMS(STORE_INT_PARAM(user_id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1) {
        store_rollback(conn);
        store_result_free(rows);
        http_reply_error(request, 401, "link_invalid", "link",
                         "Deze inloglink is al gebruikt, verlopen of onbekend. Vraag een nieuwe aan.");
        return;
    }
    char token[TOKEN_TEXT_SIZE], csrf[TOKEN_TEXT_SIZE], email[256];
    snprintf(email, sizeof email, "%s", store_result_text(rows, 0, 2));
    unsigned roles = auth_roles_parse(store_result_text(rows, 0, 3));
    session_factor factor;
    if (auth_rate_check(conn, app->rate_key, "link_factor", link_subject, LINK_LOGIN_SECONDS, LINK_FACTOR_FAILURES,
                        &err) != 0) {
        if (err.status == 429)
            alvd_err_set(&err, 429, "too_many_attempts", "totp",
                         "Met deze inloglink is te vaak een verkeerde code ingevuld. Vraag een nieuwe link aan.");
        goto fail;
    }
    if (session_factor_check(app, conn, user_id, roles, totp, &factor, &err) != 0) {
        store_rollback(conn);
        if (err.status == 401 && strcmp(err.code, "totp_required") != 0) {
            audit_actor anonymous = {"anonymous", 0, email};
            alvd_err ignored;
            alvd_err_clear(&ignored);
            auth_rate_record(conn, app->rate_key, "link_factor", link_subject, &ignored);
            json_t *details = json_pack("{s:s, s:s}", "code", err.code, "by", "link");
            audit_append(conn, &ignored, &anonymous, "session.totp_failed", "user", user_id, details);
            json_decref(details);
        }
        store_result_free(rows);
        http_reply_err(request, &err);
        return;
    }
    auth_session_subject subject = {.kind = AUTH_KIND_USER, .user_id = user_id, .second_factor = factor.kind};
    audit_actor actor = {"user", user_id, email};
    json_t *details = json_pack("{s:s}", "second_factor", factor.kind);
    int logged_in = session_factor_consume(conn, &factor, &err) == 0 &&
                    auth_session_create(conn, &subject, token, csrf, &err) == 0 &&
                    audit_append(conn, &err, &actor, "session.link_login", "user", user_id, details) == 0 &&
                    store_commit(conn, &err) == 0;
    json_decref(details);
    if (!logged_in ||
        session_reply_user(request, conn, token, csrf, &(session_user){user_id, store_result_text(rows, 0, 1), email, roles},
                           factor.kind, &err) != 0)
        goto fail;
    store_result_free(rows);
    /* This browser now knows the account: its password attempts count on their own. */
    throttle_login_succeeded(request, email);
    return;
fail:
    store_rollback(conn);
    store_result_free(rows);
    http_reply_err(request, &err);
}

void links_consume(http_request *request)
{
    static const char *const fields[] = {"link", "totp", NULL};
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    const char *link = NULL, *totp = NULL;
    long long affected = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (input_only(http_request_json(request), fields, &err) != 0 ||
        input_string(http_request_json(request), "link", 1, 200, &link, &err) != 0 ||
        input_string(http_request_json(request), "totp", 0, 64, &totp, &err) != 0) {
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
                     "SELECT c.id, c.organisation_id, c.name, c.email, o.name, l.user_id FROM login_links l"
                     " LEFT JOIN contacts c ON c.id = l.contact_id AND c.removed_at IS NULL"
                     " LEFT JOIN organisations o ON o.id = c.organisation_id WHERE l.token_hash = ?",
                     STORE_PARAMS(STORE_BLOB_PARAM(hash, sizeof hash))) != 0))
        goto fail;
    if (affected == 1 && store_result_rows(rows) == 1 && store_result_int(rows, 0, 5) > 0) {
        long long user_id = store_result_int(rows, 0, 5);
        store_result_free(rows);
        links_consume_staff(request, conn, user_id, hash, totp);
        return;
    }
    if (affected != 1 || store_result_rows(rows) != 1 || store_result_int(rows, 0, 0) == 0) {
        /* Unknown, used or expired. Only now the failure limit applies: a valid link
         * from the same address (a hall, an office) always gets in. */
        store_rollback(conn);
        store_result_free(rows);
        alvd_err ignored;
        alvd_err_clear(&ignored);
        if (auth_rate_check(conn, http_request_app(request)->rate_key, "link_use", http_request_client(request), 60,
                            LINK_FAILURES_PER_CLIENT, &err) != 0) {
            http_reply_err(request, &err);
            return;
        }
        auth_rate_record(conn, http_request_app(request)->rate_key, "link_use", http_request_client(request), &ignored);
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
