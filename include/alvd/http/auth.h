/* Who is asking: roles, the principal behind a request, and sessions (staff login,
 * ticket login of a member's phone, e-mailed link login of a contact person). */
#ifndef ALVD_HTTP_AUTH_H
#define ALVD_HTTP_AUTH_H

#include "alvd/base/err.h"
#include "alvd/crypto/audit.h"
#include "alvd/crypto/token.h"
#include "alvd/store/db.h"

/* Role bits used in the route table. AUTH_ANYONE = no login needed. */
enum {
    AUTH_ANYONE = 1u << 0,
    AUTH_ADMIN = 1u << 1,
    AUTH_BOARD = 1u << 2,
    AUTH_CHAIR = 1u << 3,
    AUTH_SECRETARIAT = 1u << 4,
    AUTH_MELDPUNT = 1u << 5,
    AUTH_MEMBER = 1u << 6,   /* a delegate's phone, logged in by ticket for one meeting */
    AUTH_CONTACT = 1u << 7,  /* a contact person of an organisation, by e-mailed link */
    /* A staff user whose role requires a second factor not set up yet: after the right
     * password the session holds only this bit, which the enrolment routes accept. */
    AUTH_ENROLLING = 1u << 8,
};
#define AUTH_STAFF (AUTH_ADMIN | AUTH_BOARD | AUTH_CHAIR | AUTH_SECRETARIAT | AUTH_MELDPUNT)
#define AUTH_LOGGED_IN (AUTH_STAFF | AUTH_MEMBER | AUTH_CONTACT)

typedef enum auth_kind { AUTH_KIND_NONE, AUTH_KIND_USER, AUTH_KIND_MEMBER, AUTH_KIND_CONTACT } auth_kind;

#define AUTH_SESSION_IDLE_SECONDS (2 * 3600)
#define AUTH_SESSION_ABSOLUTE_SECONDS (12 * 3600)

typedef struct auth_principal {
    auth_kind kind;
    unsigned roles;             /* AUTH_* bits; AUTH_ANYONE always set */
    unsigned user_roles;        /* staff: the user's roles, also while roles is only AUTH_ENROLLING */
    char second_factor[12];     /* staff: "password", "totp", "recovery" or "enrolment" */
    long long session_id;
    long long user_id;          /* staff */
    long long organisation_id;  /* member or contact */
    long long meeting_id;       /* member */
    long long contact_id;       /* contact */
    char name[256];
    char email[256];
    char csrf[64];
    int via_cookie;             /* authenticated by cookie (then CSRF applies) */
} auth_principal;

/* Role names in the API ("admin", …) ↔ bits. */
unsigned auth_role_bit(const char *name);
const char *auth_role_name(unsigned bit);
/* Parse a MariaDB SET value "admin,board" into bits. */
unsigned auth_roles_parse(const char *set_text);

/* Look up a session by its token text; fills principal on success. Expired (idle
 * or absolute), revoked or unknown → -1 with 401. Touches last_seen_at. */
int auth_session_load(store_conn *conn, const char *token, auth_principal *principal,
                      alvd_err *err);

/* Load many sessions at once (the vote writer's batch): tokens[i] may be NULL.
 * principals[i] is filled and found[i] set for every valid session; one query per
 * chunk of tokens. Returns -1 only on a database error. */
int auth_sessions_load_many(store_conn *conn, const char *const *tokens, size_t count,
                            auth_principal *principals, int *found, alvd_err *err);

/* Create a session row; token_out receives the new token, csrf_out the CSRF value. */
typedef struct auth_session_subject {
    auth_kind kind;
    long long user_id, organisation_id, meeting_id, contact_id;
    const char *second_factor; /* staff: as auth_principal.second_factor; NULL = "password" */
} auth_session_subject;
int auth_session_create(store_conn *conn, const auth_session_subject *subject,
                        char token_out[TOKEN_TEXT_SIZE], char csrf_out[TOKEN_TEXT_SIZE],
                        alvd_err *err);
/* Revoke one session server-side. */
int auth_session_revoke(store_conn *conn, long long session_id, alvd_err *err);

/* Reply 200 with {"token","csrf",...} for a new session and set the session cookie;
 * every login flavour (password, ticket, link) answers so. who (taken over) is merged
 * into the body. */
struct http_request;
void auth_reply_new_session(struct http_request *request, const char *token, const char *csrf, json_t *who);

/* The audit actor for a principal (borrows its strings). */
audit_actor auth_actor(const auth_principal *principal);

/* Rate limiting through the database (shared by every alvd process): counts events
 * of bucket for subject within window_seconds; -1 with 429 when limit is reached.
 * auth_rate_record adds one event. The subject (an e-mail, a client address) is stored
 * only as BLAKE2b keyed with key (alvd_app.rate_key), so the rows cannot be turned
 * back into an address by trying every one. */
#define AUTH_RATE_KEY_BYTES 32
int auth_rate_check(store_conn *conn, const unsigned char key[AUTH_RATE_KEY_BYTES], const char *bucket,
                    const char *subject, int window_seconds, int limit, alvd_err *err);
/* Events of bucket for subject within window_seconds, and seconds since the newest. */
int auth_rate_status(store_conn *conn, const unsigned char key[AUTH_RATE_KEY_BYTES], const char *bucket,
                     const char *subject, int window_seconds, long long *count, long long *seconds_since_last,
                     alvd_err *err);
int auth_rate_record(store_conn *conn, const unsigned char key[AUTH_RATE_KEY_BYTES], const char *bucket,
                     const char *subject, alvd_err *err);

#endif
