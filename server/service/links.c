/* Login by e-mailed link for contact persons and staff users: the link made and mailed,
 * requested without telling whether an address is known, and spent once. A valid link
 * always logs in: failure limits only slow down guessing. */
#include "alvd/service/links.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "alvd/base/buf.h"
#include "alvd/crypto/audit.h"
#include "alvd/crypto/token.h"
#include "alvd/http/guard.h"
#include "alvd/mail/outbox.h"
#include "alvd/store/links.h"
#include "alvd/store/users.h"

/* Who a link logs in: a contact person (organisation set) or a staff user. */
typedef struct links_recipient {
    long long contact_id, user_id;
    const char *email, *name, *organisation; /* organisation NULL for staff */
} links_recipient;

/* What the mail says around the link. */
typedef struct links_letter {
    const char *intro, *url, *action, *validity;
    int invitation;
} links_letter;

static void links_mail_text(alvd_buf *text, const links_recipient *to, const links_letter *letter)
{
    buf_appendf(text, "Beste %s,\n\n%s\n\n%s:\n%s\n\n", to->name, letter->intro, letter->action, letter->url);
    if (letter->invitation)
        buf_appendf(text,
                    "De link is %s geldig en werkt één keer; daarna blijft u op dat apparaat ingelogd. Werkt hij "
                    "niet meer, vraag dan op de inlogpagina een nieuwe aan met uw e-mailadres.\n\n"
                    "U ontvangt dit bericht omdat u contactpersoon bent van %s, een organisatie die aan de Code "
                    "gebonden is.\n\n",
                    letter->validity, to->organisation);
    else
        buf_appendf(text,
                    "De link werkt één keer en is %s geldig. Werkt hij niet meer, vraag dan op de inlogpagina een "
                    "nieuwe aan.\nHeeft u niets aangevraagd? Dan kunt u dit bericht negeren.\n\n",
                    letter->validity);
    buf_append_str(text, "Met vriendelijke groet,\nKlantenservice Federatie (KSF)\n");
}

static void links_mail_html(alvd_buf *html, const links_recipient *to, const links_letter *letter)
{
    buf_append_str(html, "<!doctype html><html lang=\"nl\"><body><p>Beste ");
    buf_append_html(html, to->name);
    buf_append_str(html, ",</p><p>");
    buf_append_html(html, letter->intro);
    buf_append_str(html, "</p><p><a href=\"");
    buf_append_html(html, letter->url);
    buf_append_str(html, "\">");
    buf_append_html(html, letter->action);
    if (letter->invitation) {
        buf_appendf(html, "</a></p><p>De link is %s geldig en werkt één keer; daarna blijft u op dat apparaat "
                          "ingelogd. Werkt hij niet meer, vraag dan op de inlogpagina een nieuwe aan met uw "
                          "e-mailadres.</p><p>U ontvangt dit bericht omdat u contactpersoon bent van ",
                    letter->validity);
        buf_append_html(html, to->organisation);
        buf_append_str(html, ", een organisatie die aan de Code gebonden is.</p>");
    } else {
        buf_appendf(html, "</a></p><p>De link werkt één keer en is %s geldig. Werkt hij niet meer, vraag dan op "
                          "de inlogpagina een nieuwe aan.</p><p>Heeft u niets aangevraagd? Dan kunt u dit bericht "
                          "negeren.</p>",
                    letter->validity);
    }
    buf_append_str(html, "<p>Met vriendelijke groet,<br>Klantenservice Federatie (KSF)</p></body></html>");
}

/* Store a new link for recipient and queue the mail carrying it. */
static int links_mail(store_conn *conn, const char *public_url, const links_recipient *to, const char *purpose,
                      const char *subject, const char *intro, char *url_out, alvd_err *err)
{
    char token[TOKEN_TEXT_SIZE], url[400], action[600];
    unsigned char hash[TOKEN_HASH_BYTES];
    alvd_buf text, html;
    int rc = -1;
    buf_init(&text, 64 * 1024);
    buf_init(&html, 64 * 1024);
    int seconds = strcmp(purpose, "login") == 0 ? LINK_LOGIN_SECONDS : LINK_INVITE_SECONDS;
    token_new(token);
    token_hash(token, hash);
    snprintf(url, sizeof url, "%s/l/%s", public_url, token);
    if (store_links_insert(conn, hash, to->contact_id, to->user_id, purpose, seconds, err) != 0)
        goto fail;
    /* A login link answers a request: "niets aangevraagd? negeren" fits. An invitation or
     * a meldpunt signal was not asked for: it says why it came and what the link is for. */
    int invitation = strcmp(purpose, "login") != 0 && to->organisation;
    if (to->organisation)
        snprintf(action, sizeof action, "%s %s", invitation ? "Reageren namens" : "Inloggen voor", to->organisation);
    else
        snprintf(action, sizeof action, "Inloggen bij KSF alvd");
    links_letter letter = {intro, url, action, seconds <= 3600 ? "10 minuten" : "7 dagen", invitation};
    links_mail_text(&text, to, &letter);
    links_mail_html(&html, to, &letter);
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

int service_links_send(store_conn *conn, const char *public_url, long long contact_id, const char *purpose,
                       const char *subject, const char *intro, char *url_out, alvd_err *err)
{
    store_links_owner contact;
    int found = 0;
    if (store_links_contact_read(conn, contact_id, &contact, &found, err) != 0)
        return -1;
    if (!found)
        return alvd_err_set(err, 404, "not_found", "contact_id", "Contactpersoon niet gevonden.");
    links_recipient to = {contact_id, 0, contact.email, contact.name, contact.organisation_name};
    return links_mail(conn, public_url, &to, purpose, subject, intro, url_out, err);
}

/* The link-request limits: per (e-mail, client) pair, per e-mail whoever asks (the
 * mailbox is not bombed, and whoever floods it fills it with working links for its
 * owner), and per client. */
static int links_request_allowed(const alvd_app *app, store_conn *conn, const char *email, const char *client,
                                 const char *pair, alvd_err *err)
{
    if (auth_rate_check(conn, app->rate_key, "link_pair", pair, 15 * 60, LINK_REQUESTS_PER_PAIR, err) != 0 ||
        auth_rate_check(conn, app->rate_key, "link_client", client, 60, LINK_REQUESTS_PER_CLIENT, err) != 0)
        return -1;
    if (auth_rate_check(conn, app->rate_key, "link_email", email, 3600, LINK_REQUESTS_PER_EMAIL, err) != 0) {
        if (err->status == 429)
            alvd_err_set(err, 429, "too_many_attempts", NULL,
                         "Er zijn het afgelopen uur al veel inloglinks naar dit adres gestuurd. Gebruik de "
                         "nieuwste link uit uw mailbox, of probeer het over een uur opnieuw.");
        return -1;
    }
    return 0;
}

/* One requested link mailed to a staff user or a contact person, audited. */
static int links_request_one(const alvd_app *app, store_conn *conn, const char *email,
                             const store_links_recipient *recipient, alvd_err *err)
{
    static const char subject[] = "Uw inloglink voor KSF alvd";
    static const char intro[] = "U vroeg om een link om in te loggen bij KSF alvd.";
    audit_actor actor = {"anonymous", 0, email};
    if (recipient->staff) {
        store_user user;
        int found = 0;
        if (store_users_find_enabled(conn, recipient->id, &user, &found, err) != 0)
            return -1;
        links_recipient to = {0, recipient->id, user.email, user.name, NULL};
        if (links_mail(conn, app->config.public_url, &to, "login", subject, intro, NULL, err) != 0)
            return -1;
    } else if (service_links_send(conn, app->config.public_url, recipient->id, "login", subject, intro, NULL,
                                  err) != 0) {
        return -1;
    }
    return audit_append(conn, err, &actor, "link.requested", recipient->staff ? "user" : "contact", recipient->id,
                        NULL);
}

int service_links_request(const alvd_app *app, store_conn *conn, const char *email, const char *client,
                          alvd_err *err)
{
    char pair[254 * 4 + GUARD_ADDRESS_TEXT + 8];
    store_links_recipient recipients[STORE_LINKS_RECIPIENTS_MAX];
    size_t count = 0;
    snprintf(pair, sizeof pair, "%s\n%s", email, client);
    if (links_request_allowed(app, conn, email, client, pair, err) != 0)
        return -1;
    /* Known or not, the same work is recorded and the same answer given (no
     * enumeration of addresses). A staff user and contact persons may share one. */
    if (store_begin(conn, err) != 0 || auth_rate_record(conn, app->rate_key, "link_pair", pair, err) != 0 ||
        auth_rate_record(conn, app->rate_key, "link_email", email, err) != 0 ||
        auth_rate_record(conn, app->rate_key, "link_client", client, err) != 0 ||
        store_links_recipients_by_email(conn, email, recipients, &count, err) != 0)
        goto fail;
    for (size_t r = 0; r < count; r++)
        if (links_request_one(app, conn, email, &recipients[r], err) != 0)
            goto fail;
    if (store_commit(conn, err) != 0)
        goto fail;
    return 0;
fail:
    store_rollback(conn);
    return -1;
}

static int links_invalid(alvd_err *err)
{
    return alvd_err_set(err, 401, "link_invalid", "link",
                        "Deze inloglink is al gebruikt, verlopen of onbekend. Vraag een nieuwe aan.");
}

/* A wrong second factor with a staff link: counted per link, audited (after the link's
 * transaction was rolled back, so the link stays unspent). */
static void links_factor_refused(const alvd_app *app, store_conn *conn, const char *link_subject,
                                 const store_user *user, const alvd_err *err)
{
    if (err->status != 401 || strcmp(err->code, "totp_required") == 0)
        return;
    audit_actor anonymous = {"anonymous", 0, user->email};
    alvd_err ignored;
    alvd_err_clear(&ignored);
    auth_rate_record(conn, app->rate_key, "link_factor", link_subject, &ignored);
    json_t *details = json_pack("{s:s, s:s}", "code", err->code, "by", "link");
    audit_append(conn, &ignored, &anonymous, "session.totp_failed", "user", user->id, details);
    json_decref(details);
}

/* The staff user's factor spent, the session opened and audited, the link's
 * transaction committed; then the factor's status for the reply. */
static int links_staff_open(const alvd_app *app, store_conn *conn, const service_totp_factor *factor,
                            service_session_opened *opened, alvd_err *err)
{
    auth_session_subject subject = {.kind = AUTH_KIND_USER, .user_id = opened->user.id, .second_factor = factor->kind};
    audit_actor actor = {"user", opened->user.id, opened->user.email};
    json_t *details = json_pack("{s:s}", "second_factor", factor->kind);
    int logged_in = service_totp_factor_consume(conn, factor, err) == 0 &&
                    auth_session_create(conn, &subject, opened->token, opened->csrf, err) == 0 &&
                    audit_append(conn, err, &actor, "session.link_login", "user", opened->user.id, details) == 0 &&
                    store_commit(conn, err) == 0;
    json_decref(details);
    opened->factor_kind = factor->kind;
    return logged_in ? service_totp_status_read(app, conn, opened->user.id, opened->user.roles, factor->kind,
                                                &opened->factor, err)
                     : -1;
}

/* A staff user's link stands in for the password, never for the second factor: an
 * enrolled user sends the app's code (or a recovery code) with the link, as with a
 * password; without it, or with a wrong one, the link is left unspent (its transaction
 * rolled back) and the answer is the password login's (401 totp_required, …). Wrong codes
 * count per link: LINK_FACTOR_FAILURES, then the link is refused. A role that must set up
 * a factor gets a session that may only enrol. */
static int links_consume_staff(const alvd_app *app, store_conn *conn, long long user_id,
                               const unsigned char link_hash[TOKEN_HASH_BYTES], const char *totp,
                               service_session_opened *opened, alvd_err *err)
{
    char link_subject[TOKEN_HASH_BYTES * 2 + 1];
    store_user user;
    service_totp_factor factor;
    int found = 0;
    sodium_bin2hex(link_subject, sizeof link_subject, link_hash, TOKEN_HASH_BYTES);
    if (store_users_find_enabled(conn, user_id, &user, &found, err) != 0)
        goto fail;
    if (!found) {
        store_rollback(conn);
        return links_invalid(err);
    }
    unsigned roles = auth_roles_parse(user.roles);
    if (auth_rate_check(conn, app->rate_key, "link_factor", link_subject, LINK_LOGIN_SECONDS, LINK_FACTOR_FAILURES,
                        err) != 0) {
        if (err->status == 429)
            alvd_err_set(err, 429, "too_many_attempts", "totp",
                         "Met deze inloglink is te vaak een verkeerde code ingevuld. Vraag een nieuwe link aan.");
        goto fail;
    }
    if (service_totp_factor_check(app, conn, user_id, roles, totp, &factor, err) != 0) {
        store_rollback(conn);
        links_factor_refused(app, conn, link_subject, &user, err);
        return -1;
    }
    opened->user.id = user_id;
    snprintf(opened->user.name, sizeof opened->user.name, "%s", user.name);
    snprintf(opened->user.email, sizeof opened->user.email, "%s", user.email);
    opened->user.roles = roles;
    if (links_staff_open(app, conn, &factor, opened, err) != 0)
        goto fail;
    return 0;
fail:
    store_rollback(conn);
    return -1;
}

/* Unknown, used or expired. Only now the failure limit applies: a valid link from the
 * same address (a hall, an office) always gets in. */
static int links_refused(const alvd_app *app, store_conn *conn, const char *client, alvd_err *err)
{
    alvd_err ignored;
    alvd_err_clear(&ignored);
    store_rollback(conn);
    if (auth_rate_check(conn, app->rate_key, "link_use", client, 60, LINK_FAILURES_PER_CLIENT, err) != 0)
        return -1;
    auth_rate_record(conn, app->rate_key, "link_use", client, &ignored);
    return links_invalid(err);
}

int service_links_consume(const alvd_app *app, store_conn *conn, const char *link, const char *totp,
                          const char *client, service_links_login *login, alvd_err *err)
{
    unsigned char hash[TOKEN_HASH_BYTES];
    store_links_owner owner;
    int spent = 0, found = 0;
    memset(login, 0, sizeof *login);
    token_hash(link, hash);
    if (store_begin(conn, err) != 0 || store_links_spend(conn, hash, &spent, err) != 0 ||
        (spent && store_links_owner_read(conn, hash, &owner, &found, err) != 0))
        return -1;
    if (spent && found && owner.user_id > 0) {
        login->staff = 1;
        return links_consume_staff(app, conn, owner.user_id, hash, totp, &login->session, err);
    }
    if (!spent || !found || owner.contact_id == 0)
        return links_refused(app, conn, client, err);
    auth_session_subject subject = {.kind = AUTH_KIND_CONTACT, .organisation_id = owner.organisation_id,
                                    .contact_id = owner.contact_id};
    audit_actor actor = {"contact", owner.contact_id, owner.email};
    if (auth_session_create(conn, &subject, login->session.token, login->session.csrf, err) != 0 ||
        audit_append(conn, err, &actor, "session.link_login", "contact", owner.contact_id, NULL) != 0 ||
        store_commit(conn, err) != 0)
        return -1;
    login->contact.id = owner.contact_id;
    login->contact.organisation_id = owner.organisation_id;
    snprintf(login->contact.name, sizeof login->contact.name, "%s", owner.name);
    snprintf(login->contact.email, sizeof login->contact.email, "%s", owner.email);
    snprintf(login->contact.organisation_name, sizeof login->contact.organisation_name, "%s",
             owner.organisation_name);
    return 0;
}
