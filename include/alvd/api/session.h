/* Handlers for /api/health and /api/session (staff login, whoami, logout). */
#ifndef ALVD_API_SESSION_H
#define ALVD_API_SESSION_H

#include <stdint.h>

#include "alvd/crypto/totp.h"
#include "alvd/http/request.h"

void health_get(http_request *request);
void session_create(http_request *request);
void session_get(http_request *request);
void session_delete(http_request *request);

/* Reply 200 with {"token","csrf",...} for a new session and set the cookie; used by
 * every login flavour (password, ticket, link). who is merged into the body. */
void session_reply_new(http_request *request, const char *token, const char *csrf, json_t *who);

/* The same for a staff user whose session was just made with factor_kind (see
 * session_factor): {"user":{"id","name","email","roles"},"second_factor"}; roles stay
 * empty while the session may only enrol. Used by the password and the link login. */
typedef struct session_user {
    long long id;
    const char *name, *email;
    unsigned roles;
} session_user;
int session_reply_user(http_request *request, store_conn *conn, const char *token, const char *csrf,
                       const session_user *who, const char *factor_kind, alvd_err *err);

/* ---- the second factor (session_totp.c) ---- */
void session_totp_begin(http_request *request);   /* POST /api/session/totp */
void session_totp_confirm(http_request *request); /* POST /api/session/totp/confirm */

/* The roles that must log in with TOTP (ALVD_TOTP_ROLES). */
unsigned session_totp_required_roles(const alvd_app *app);

/* The second step of a password login for user_id with roles. code is the request's
 * "totp" (a 6-digit code or a recovery code; may be NULL). On 0, factor->kind is
 * "password" (nothing enrolled or required), "enrolment" (required but not enrolled:
 * the session may only enrol), "totp" or "recovery". 401 totp_required (no code from an
 * enrolled user), totp_invalid, totp_used (replayed), recovery_invalid. */
typedef struct session_factor {
    const char *kind;
    long long user_id;
    int64_t step;                   /* totp: the step the code matched */
    long long recovery_id;          /* recovery: the row to spend */
    unsigned char recovery_hash[32];
} session_factor;
int session_factor_check(const alvd_app *app, store_conn *conn, long long user_id, unsigned roles,
                         const char *code, session_factor *factor, alvd_err *err);
/* Spend the code inside the login's transaction (a step or recovery code once, even
 * with two processes racing); 401 totp_used / recovery_invalid when it was spent. */
int session_factor_consume(store_conn *conn, const session_factor *factor, alvd_err *err);
/* {"enrolled","required","advised","session","recovery_codes_left"} of a staff user. */
json_t *session_factor_json(const alvd_app *app, store_conn *conn, long long user_id, unsigned user_roles,
                            const char *session_kind, alvd_err *err);
/* Enrol a known secret directly (the demo's users). */
int session_totp_set(const alvd_app *app, store_conn *conn, long long user_id,
                     const unsigned char secret[TOTP_SECRET_BYTES], alvd_err *err);
/* `alvd user totp-reset`: forget a user's factor and recovery codes, end their sessions. */
int session_totp_reset(store_conn *conn, const char *email, long long *user_id, alvd_err *err);

#endif
