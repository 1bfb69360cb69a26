/* Tickets of a meeting as units of work: one signed ticket per voting member, issued,
 * listed, reissued or revoked (ending the phone's session), and the ticket login. */
#ifndef ALVD_SERVICE_TICKETS_H
#define ALVD_SERVICE_TICKETS_H

#include <jansson.h>

#include "alvd/base/app.h"
#include "alvd/base/err.h"
#include "alvd/crypto/audit.h"
#include "alvd/crypto/ticket.h"
#include "alvd/crypto/token.h"
#include "alvd/http/auth.h"
#include "alvd/store/db.h"
#include "alvd/store/meetings.h"

#define SERVICE_TICKETS_URL_SIZE 432  /* public URL (up to 255) + "/t/" + code */

/* What a reissue or revoke did. */
typedef struct service_tickets_replaced {
    long long revoked;     /* tickets revoked */
    long long ticket_id;   /* the new ticket (reissue) */
    char code[TICKET_TEXT_SIZE];
    char url[SERVICE_TICKETS_URL_SIZE];
} service_tickets_replaced;

/* A phone logged in with its ticket. */
typedef struct service_tickets_login_result {
    char token[TOKEN_TEXT_SIZE], csrf[TOKEN_TEXT_SIZE];
    long long meeting_id, organisation_id;
    char name[801];
} service_tickets_login_result;

/* <public_url>/t/<code>. */
void service_tickets_url(const alvd_app *app, const char *code, char url[SERVICE_TICKETS_URL_SIZE]);
/* Re-sign the code of a stored ticket (deterministic Ed25519). */
int service_tickets_code(const ticket_keys *keys, long long meeting_id, long long ticket_id, const char *nonce,
                         size_t nonce_length, char code[TICKET_TEXT_SIZE], alvd_err *err);
/* Tickets for every voting member (active membership basis on the meeting date) who
 * has no valid ticket yet; *issued counts the new ones. In the caller's transaction. */
int service_tickets_issue_missing(store_conn *conn, const ticket_keys *keys, const meeting_info *meeting,
                                  long long user_id, long long *issued, alvd_err *err);

/* Issue the missing tickets of a meeting (not closed) in one transaction, audited for
 * actor; *total gets the valid tickets after. */
int service_tickets_issue(store_conn *conn, const alvd_app *app, const audit_actor *actor, long long user_id,
                          long long meeting_id, long long *issued, long long *total, alvd_err *err);
/* The same for the demo and scripts, audited as the system. */
int service_tickets_issue_system(store_conn *conn, const char *data_dir, long long meeting_id, long long user_id,
                                 long long *issued, alvd_err *err);
/* The current ticket URL <public_url>/t/<code> of a member; 404 when it has none. */
int service_tickets_member_url(store_conn *conn, const char *data_dir, const char *public_url, long long meeting_id,
                               long long organisation_id, char url[SERVICE_TICKETS_URL_SIZE], alvd_err *err);
/* The current ticket URL of a member for the principal: the member's own phone may
 * fetch only its own; 404 otherwise. */
int service_tickets_url_for(store_conn *conn, const alvd_app *app, const auth_principal *who, long long meeting_id,
                            long long organisation_id, char url[SERVICE_TICKETS_URL_SIZE], alvd_err *err);
/* The valid tickets of a meeting: [{ticket_id, organisation_id, name, url, code,
 * issued_at, revoked_before, qr_png, qr_svg}] in *items. */
int service_tickets_list(store_conn *conn, const alvd_app *app, long long meeting_id, json_t **items, alvd_err *err);
/* Reissue (revoke + new, make_new 1) or only revoke the member's ticket, ending the
 * member's phone sessions of the meeting. */
int service_tickets_replace(store_conn *conn, const alvd_app *app, const audit_actor *actor, long long user_id,
                            long long meeting_id, long long organisation_id, int make_new,
                            service_tickets_replaced *out, alvd_err *err);
/* Log a phone in with a ticket code: refused tickets are counted per client (429 when
 * too many), audited and answered 401 with the reason. */
int service_tickets_login(store_conn *conn, const alvd_app *app, const char *client, const char *code,
                          service_tickets_login_result *out, alvd_err *err);

#endif
