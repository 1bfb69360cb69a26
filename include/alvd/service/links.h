/* E-mailed login links: made and mailed (in the caller's transaction), requested by
 * e-mail address without telling whether it is known, and spent once by the landing
 * page's POST into a contact's or a staff user's session. */
#ifndef ALVD_SERVICE_LINKS_H
#define ALVD_SERVICE_LINKS_H

#include "alvd/base/app.h"
#include "alvd/service/session.h"

#define LINK_LOGIN_SECONDS (10 * 60)        /* a link someone asked for (ASVS 6.5.5: at most 10 min) */
#define LINK_REQUESTS_PER_PAIR 5            /* per (e-mail, client) in 15 minutes */
#define LINK_REQUESTS_PER_EMAIL 20          /* per e-mail in an hour, whoever asks: no mail bombing */
#define LINK_REQUESTS_PER_CLIENT 30         /* per client a minute */
#define LINK_FAILURES_PER_CLIENT 20         /* unknown links per client a minute */
#define LINK_FACTOR_FAILURES 5              /* wrong second-factor codes with one staff link */
#define LINK_INVITE_SECONDS (7 * 24 * 3600) /* a link in an invitation mail */

/* Create a single-use login link for a contact and queue the mail carrying it (in
 * the caller's transaction). purpose "login" lives LINK_LOGIN_SECONDS, anything
 * else LINK_INVITE_SECONDS. subject/intro are the mail's subject and first
 * paragraph (Dutch); the link and the how-to follow. url_out (may be NULL, size
 * >= 400) receives the full link. 404 not_found for a removed or unknown contact. */
int service_links_send(store_conn *conn, const char *public_url, long long contact_id, const char *purpose,
                       const char *subject, const char *intro, char *url_out, alvd_err *err);

/* A login link for every contact person and staff user with this (lower-case) e-mail,
 * from client (its address): the same work recorded whether the address is known or not.
 * 429 too_many_attempts per (e-mail, client), per e-mail and per client. */
int service_links_request(const alvd_app *app, store_conn *conn, const char *email, const char *client,
                          alvd_err *err);

/* A link spent into a session. staff: session is a staff session (as a password login
 * opens it). Otherwise a contact's: session.token/csrf and contact. */
typedef struct service_links_login {
    int staff;
    service_session_opened session;
    struct {
        long long id, organisation_id;
        char name[804], email[256], organisation_name[804]; /* names: VARCHAR(200) in UTF-8 */
    } contact;
} service_links_login;
/* totp: a staff user's second factor (may be NULL). 401 link_invalid (unknown, used,
 * expired), 429 after LINK_FAILURES_PER_CLIENT of those from client, the password
 * login's second-factor answers (the link then stays unspent). */
int service_links_consume(const alvd_app *app, store_conn *conn, const char *link, const char *totp,
                          const char *client, service_links_login *login, alvd_err *err);

#endif
