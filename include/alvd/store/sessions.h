/* The sessions table: staff, member and contact sessions by token hash, their expiry
 * decided by the database clock, touches, revocations and the second-factor mark. */
#ifndef ALVD_STORE_SESSIONS_H
#define ALVD_STORE_SESSIONS_H

#include "alvd/crypto/token.h"
#include "alvd/store/db.h"

/* Sessions unused this long end (include/alvd/http/auth.h says so to its callers). */
#define STORE_SESSION_IDLE_SECONDS (2 * 3600)

/* A valid session (not revoked, not expired, not idle, its staff user not disabled). */
typedef struct store_session_row {
    long long id;
    char kind[16];             /* "user", "member" or "contact" */
    char csrf[64];
    long long user_id, organisation_id, meeting_id, contact_id; /* 0 when NULL */
    char user_name[256], user_email[256], user_roles[128];      /* staff; "" otherwise */
    char second_factor[12];    /* "" when NULL */
    int stale;                 /* last seen over a minute ago: worth a touch */
    unsigned char token_hash[TOKEN_HASH_BYTES];
} store_session_row;

/* The valid session with this token hash; *found = 0 when there is none. */
int store_sessions_find(store_conn *conn, const unsigned char hash[TOKEN_HASH_BYTES], store_session_row *row,
                        int *found, alvd_err *err);
/* Every valid session among count hashes (one query per chunk): *rows (caller frees)
 * gets *row_count rows, in no particular order; match them by token_hash. */
int store_sessions_find_many(store_conn *conn, const unsigned char (*hashes)[TOKEN_HASH_BYTES], size_t count,
                             store_session_row **rows, size_t *row_count, alvd_err *err);
/* Set last_seen_at of these sessions to now (one statement per chunk). */
int store_sessions_touch(store_conn *conn, const long long *ids, size_t count, alvd_err *err);

typedef struct store_session_new {
    const unsigned char *token_hash; /* TOKEN_HASH_BYTES */
    const char *csrf;
    const char *kind;                /* "user", "member" or "contact" */
    long long user_id, organisation_id, meeting_id, contact_id; /* 0 = NULL */
    const char *second_factor;       /* NULL = "password" */
    long long lifetime_seconds;      /* absolute expiry from now */
} store_session_new;
int store_sessions_insert(store_conn *conn, const store_session_new *session, alvd_err *err);
/* Revoke one session (a no-op when it was revoked already). */
int store_sessions_revoke(store_conn *conn, long long session_id, alvd_err *err);
/* Revoke every open session of a user except except_session_id (0 = all); *ended (may
 * be NULL) = how many. */
int store_sessions_revoke_user(store_conn *conn, long long user_id, long long except_session_id, long long *ended,
                               alvd_err *err);
/* The second factor a session proved ("totp", …). */
int store_sessions_set_second_factor(store_conn *conn, long long session_id, const char *second_factor,
                                     alvd_err *err);

#endif
