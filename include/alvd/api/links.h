/* E-mailed login links for contact persons and staff users (POST
 * /api/session/link-request and /api/session/link) and the landing pages /l/<link>
 * and /t/<ticket>. A staff user's link is how an account locked against password
 * guesses (include/alvd/http/throttle.h) is still reached by its owner. */
#ifndef ALVD_API_LINKS_H
#define ALVD_API_LINKS_H

#include "alvd/http/request.h"
#include "alvd/store/db.h"

#define LINK_LOGIN_SECONDS (10 * 60)        /* a link someone asked for (ASVS 6.5.5: at most 10 min) */
#define LINK_REQUESTS_PER_PAIR 5            /* per (e-mail, client) in 15 minutes */
#define LINK_REQUESTS_PER_EMAIL 20          /* per e-mail in an hour, whoever asks: no mail bombing */
#define LINK_REQUESTS_PER_CLIENT 30         /* per client a minute */
#define LINK_FAILURES_PER_CLIENT 20         /* unknown links per client a minute */
#define LINK_FACTOR_FAILURES 5              /* wrong second-factor codes with one staff link */
#define LINK_INVITE_SECONDS (7 * 24 * 3600) /* a link in an invitation mail */

void links_request(http_request *request);
void links_consume(http_request *request);
void links_landing_page(http_request *request);

/* Create a single-use login link for a contact and queue the mail carrying it (in
 * the caller's transaction). purpose "login" lives LINK_LOGIN_SECONDS, anything
 * else LINK_INVITE_SECONDS. subject/intro are the mail's subject and first
 * paragraph (Dutch); the link and the how-to follow. url_out (may be NULL, size
 * >= 400) receives the full link. */
int links_send(store_conn *conn, const char *public_url, long long contact_id,
               const char *purpose, const char *subject, const char *intro, char *url_out,
               alvd_err *err);

#endif
