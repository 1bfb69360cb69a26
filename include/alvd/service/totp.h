/* The staff second factor: the login's second step (a code accepted once), the status a
 * session shows, enrolment (QR code, confirmation, ten recovery codes), and the demo's
 * and the command line's direct set and reset. */
#ifndef ALVD_SERVICE_TOTP_H
#define ALVD_SERVICE_TOTP_H

#include <stdint.h>

#include <jansson.h>

#include "alvd/base/app.h"
#include "alvd/crypto/audit.h"
#include "alvd/crypto/totp.h"
#include "alvd/store/db.h"

/* The roles that must log in with TOTP (ALVD_TOTP_ROLES). */
unsigned service_totp_required_roles(const alvd_app *app);

/* The second step of a password (or link) login for user_id with roles. code is the
 * request's "totp" (a 6-digit code or a recovery code; may be NULL). On 0, factor->kind
 * is "password" (nothing enrolled or required), "enrolment" (required but not enrolled:
 * the session may only enrol), "totp" or "recovery". 401 totp_required (no code from an
 * enrolled user), totp_invalid, totp_used (replayed), recovery_invalid. */
typedef struct service_totp_factor {
    const char *kind;
    long long user_id;
    int64_t step;                   /* totp: the step the code matched */
    long long recovery_id;          /* recovery: the row to spend */
    unsigned char recovery_hash[32];
} service_totp_factor;
int service_totp_factor_check(const alvd_app *app, store_conn *conn, long long user_id, unsigned roles,
                              const char *code, service_totp_factor *factor, alvd_err *err);
/* Spend the code inside the login's transaction (a step or recovery code once, even
 * with two processes racing); 401 totp_used / recovery_invalid when it was spent. */
int service_totp_factor_consume(store_conn *conn, const service_totp_factor *factor, alvd_err *err);

/* What a staff session shows of its second factor. */
typedef struct service_totp_status {
    int enrolled, required, advised;
    const char *session;            /* the session's factor kind */
    long long recovery_codes_left;
} service_totp_status;
int service_totp_status_read(const alvd_app *app, store_conn *conn, long long user_id, unsigned user_roles,
                             const char *session_kind, service_totp_status *status, alvd_err *err);
/* {"enrolled","required","advised","session","recovery_codes_left"}; new reference. */
json_t *service_totp_status_json(const service_totp_status *status);

/* Enrolment's first step: a new secret waits beside the old one (which keeps working)
 * until confirmed. Wipe the result with service_totp_enrolment_wipe. */
typedef struct service_totp_enrolment {
    char secret[TOTP_SECRET_TEXT_SIZE];
    char *otpauth_uri;
    char *qr_svg;
    size_t qr_svg_length;
} service_totp_enrolment;
int service_totp_begin(const alvd_app *app, store_conn *conn, const audit_actor *actor, long long user_id,
                       const char *email, service_totp_enrolment *enrolment, alvd_err *err);
void service_totp_enrolment_wipe(service_totp_enrolment *enrolment);

/* The session that enrols. */
typedef struct service_totp_session {
    long long user_id, session_id;
    unsigned user_roles;
} service_totp_session;
/* Confirm with a first code: the waiting secret becomes the factor, ten new recovery
 * codes replace the old, this session counts as "totp" and the user's other sessions
 * end. 409 no_enrolment, 422 bad_code. status_read = 0 when the status after it could
 * not be read (the enrolment stands). Wipe codes after use. */
typedef struct service_totp_confirmed {
    char codes[TOTP_RECOVERY_CODES][TOTP_RECOVERY_TEXT_SIZE];
    int status_read;
    service_totp_status status;
} service_totp_confirmed;
int service_totp_confirm(const alvd_app *app, store_conn *conn, const audit_actor *actor,
                         const service_totp_session *session, const char *code, service_totp_confirmed *confirmed,
                         alvd_err *err);

/* Enrol a known secret directly (the demo's users). */
int service_totp_set(const alvd_app *app, store_conn *conn, long long user_id,
                     const unsigned char secret[TOTP_SECRET_BYTES], alvd_err *err);
/* `alvd user totp-reset`: forget a user's factor and recovery codes, end their sessions. */
int service_totp_reset(store_conn *conn, const char *email, long long *user_id, alvd_err *err);

#endif
