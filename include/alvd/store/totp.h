/* A staff user's second factor at rest: the sealed TOTP secret (and one waiting to be
 * confirmed) and its last used step on users, the recovery codes' keyed hashes. */
#ifndef ALVD_STORE_TOTP_H
#define ALVD_STORE_TOTP_H

#include "alvd/store/db.h"

#define STORE_TOTP_SEALED_MAX 256
#define STORE_TOTP_HASH_BYTES 32

/* A sealed secret as stored (a longer value is cut, and then fails to open). */
typedef struct store_totp_sealed {
    unsigned char bytes[STORE_TOTP_SEALED_MAX];
    size_t length;
} store_totp_sealed;

/* The factor a login checks: enrolled = confirmed with a secret present. */
typedef struct store_totp_factor {
    int enrolled;
    store_totp_sealed secret;
    long long last_step; /* -1 when no code was used yet */
} store_totp_factor;
int store_totp_factor_load(store_conn *conn, long long user_id, store_totp_factor *factor, alvd_err *err);
/* Advance the last used step to step when it is newer (*advanced = 0 when not: the code
 * was used meanwhile, by another login or process). */
int store_totp_step_advance(store_conn *conn, long long user_id, long long step, int *advanced, alvd_err *err);

/* An unused recovery code by its keyed hash: *id, 0 when none. */
int store_totp_recovery_find(store_conn *conn, long long user_id, const unsigned char hash[STORE_TOTP_HASH_BYTES],
                             long long *id, alvd_err *err);
/* Spend it (*spent = 0 when it was spent meanwhile). */
int store_totp_recovery_spend(store_conn *conn, long long recovery_id, int *spent, alvd_err *err);
/* Replace all of a user's recovery codes by count new hashes. */
int store_totp_recovery_replace(store_conn *conn, long long user_id, const unsigned char (*hashes)[STORE_TOTP_HASH_BYTES],
                                size_t count, alvd_err *err);

/* Whether the user is enrolled and how many recovery codes are left. */
int store_totp_status_read(store_conn *conn, long long user_id, int *enrolled, long long *recovery_codes_left,
                           alvd_err *err);

/* A new secret waiting beside the old one until confirmed. */
int store_totp_pending_set(store_conn *conn, long long user_id, const unsigned char *sealed, size_t length,
                           alvd_err *err);
/* The waiting secret; *found = 0 without one. */
int store_totp_pending_load(store_conn *conn, long long user_id, store_totp_sealed *pending, int *found,
                            alvd_err *err);
/* The waiting secret (still the one that was read) becomes the factor, with step as its
 * last used step; *enabled = 0 when another enrolment replaced it meanwhile. */
int store_totp_enable(store_conn *conn, long long user_id, const unsigned char *sealed, size_t length,
                      long long step, const store_totp_sealed *pending, int *enabled, alvd_err *err);
/* Set the factor directly (the demo's users), keeping an earlier enrolment time. */
int store_totp_set(store_conn *conn, long long user_id, const unsigned char *sealed, size_t length, alvd_err *err);
/* Forget the factor, the waiting secret and every recovery code. */
int store_totp_clear(store_conn *conn, long long user_id, alvd_err *err);

#endif
