/* Staff sessions: the password login with its second factor (timing alike for unknown
 * addresses, failures counted by the caller's throttle), whoami, logout, and the
 * database health a load balancer asks for. */
#ifndef ALVD_SERVICE_SESSION_H
#define ALVD_SERVICE_SESSION_H

#include <jansson.h>

#include "alvd/base/app.h"
#include "alvd/http/auth.h"
#include "alvd/service/totp.h"

/* A staff user a session was opened for, as the reply shows it. */
typedef struct service_session_user {
    long long id;
    char name[804];           /* VARCHAR(200), up to 4 bytes a character */
    char email[256];
    unsigned roles;
} service_session_user;

/* A new staff session: token and CSRF value, who, the factor it was opened with
 * ("password", "totp", "recovery", "enrolment") and the factor's status. */
typedef struct service_session_opened {
    char token[TOKEN_TEXT_SIZE], csrf[TOKEN_TEXT_SIZE];
    service_session_user user;
    const char *factor_kind;
    service_totp_status factor;
} service_session_opened;
/* {"user":{"id","name","email","roles"},"second_factor":{…}}; roles stay empty while the
 * session may only enrol. New reference. */
json_t *service_session_user_json(const service_session_opened *opened);
/* The role names of roles as a JSON array; new reference. */
json_t *service_session_roles_json(unsigned roles);

/* How the caller counts a failed attempt (a wrong password, or a wrong second factor),
 * called before the failure is audited. A failure of the hook on a wrong password is
 * the answer (the attempt is not audited); on a wrong factor it is ignored. */
typedef struct service_session_failure_hook {
    int (*record)(void *context, alvd_err *err);
    void *context;
} service_session_failure_hook;

typedef struct service_session_login_input {
    const char *email;    /* lower-case */
    const char *password;
    const char *totp;     /* may be NULL */
} service_session_login_input;
/* 401 wrong_credentials (unknown e-mail and wrong password alike, after the same
 * argon2id work), the second factor's 401s, or a database error. */
int service_session_login(const alvd_app *app, store_conn *conn, const service_session_login_input *input,
                          const service_session_failure_hook *on_failure, service_session_opened *opened,
                          alvd_err *err);

/* What GET /api/session shows beyond the principal: a staff user's factor status, or the
 * name of a member's or contact's organisation. */
typedef struct service_session_whoami {
    service_totp_status factor;  /* staff */
    char organisation_name[804]; /* member or contact; VARCHAR(200) in UTF-8 */
} service_session_whoami;
int service_session_whoami_read(const alvd_app *app, store_conn *conn, const auth_principal *who,
                                service_session_whoami *whoami, alvd_err *err);

/* End the principal's session (audited). */
int service_session_logout(store_conn *conn, const auth_principal *who, alvd_err *err);

/* 0 when the database answers (and a Galera node is synced); else err is 503
 * database_unavailable or database_not_synced. On a connection of its own from pool. */
int service_session_health(store_pool *pool, alvd_err *err);

#endif
