/* The meldpunt's key rows in MariaDB: each officer's public key and the meldpunt secret
 * sealed to it (meldpunt_officers), and a session's unlock (meldpunt_unlocks). */
#ifndef ALVD_STORE_MELDPUNT_KEYS_H
#define ALVD_STORE_MELDPUNT_KEYS_H

#include "alvd/crypto/seal.h"
#include "alvd/store/db.h"
#include "alvd/store/meldpunt_reports.h"

/* Drop the unlocks of sessions that were revoked or expired. */
int store_meldpunt_keys_delete_ended_unlocks(store_conn *conn, alvd_err *err);
/* E-mail addresses of users with the meldpunt role who are not disabled. */
int store_meldpunt_keys_officer_emails(store_conn *conn, store_meldpunt_texts *emails, alvd_err *err);

/* The meldpunt secret sealed to an officer's public key (crypto_box_seal). */
#define STORE_MELDPUNT_WRAPPED_SECRET_BYTES (SEAL_SECRET_KEY_BYTES + crypto_box_SEALBYTES)

/* One officer's key row. */
typedef struct store_meldpunt_officer {
    int present;  /* a row: the officer chose a passphrase */
    int granted;  /* the meldpunt secret is sealed to them */
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES];
    unsigned char wrapped[STORE_MELDPUNT_WRAPPED_SECRET_BYTES];
} store_meldpunt_officer;
/* user_id's key row; present = 0 when there is none. */
int store_meldpunt_keys_officer_load(store_conn *conn, long long user_id, store_meldpunt_officer *officer,
                                     alvd_err *err);
/* Insert user_id's row; wrapped NULL = not granted yet (granted_by then unused). */
int store_meldpunt_keys_officer_insert(store_conn *conn, long long user_id,
                                       const unsigned char public_key[SEAL_PUBLIC_KEY_BYTES],
                                       const unsigned char *wrapped, long long granted_by, alvd_err *err);
int store_meldpunt_keys_officer_delete(store_conn *conn, long long user_id, alvd_err *err);
/* Seal the secret to user_id when their row still has public_key and no grant;
 * *affected = 1 when it did. */
int store_meldpunt_keys_officer_grant(store_conn *conn, long long user_id,
                                      const unsigned char public_key[SEAL_PUBLIC_KEY_BYTES],
                                      const unsigned char wrapped[STORE_MELDPUNT_WRAPPED_SECRET_BYTES],
                                      long long granted_by, long long *affected, alvd_err *err);
/* Lock every officer row (FOR UPDATE) in the caller's transaction. */
int store_meldpunt_keys_officers_lock(store_conn *conn, alvd_err *err);
/* Officers with access: a granted key and the meldpunt role, not disabled. */
int store_meldpunt_keys_active_officers(store_conn *conn, long long *count, alvd_err *err);
/* Officers holding the secret and reports sealed to the key (both 0: a setup that failed). */
int store_meldpunt_keys_sealed_counts(store_conn *conn, long long *granted_officers, long long *sealed_reports,
                                      alvd_err *err);
/* Whether user id exists (*exists) and has the meldpunt role while not disabled (*officer_role). */
int store_meldpunt_keys_user_role(store_conn *conn, long long user_id, int *exists, int *officer_role,
                                  alvd_err *err);

/* Users with the role and officers whose role was taken away, by name. */
typedef struct store_meldpunt_officer_row {
    long long user_id;
    char *name, *email;
    int role;           /* has the meldpunt role and is not disabled */
    int present, granted;
    char *granted_by;   /* name, NULL when not granted */
    char granted_on[STORE_MELDPUNT_DATE_SIZE]; /* "" when not granted */
} store_meldpunt_officer_row;
typedef struct store_meldpunt_officer_rows {
    store_meldpunt_officer_row *items;
    size_t count;
} store_meldpunt_officer_rows;
int store_meldpunt_keys_officers_list(store_conn *conn, store_meldpunt_officer_rows *rows, alvd_err *err);
void store_meldpunt_officer_rows_free(store_meldpunt_officer_rows *rows);

/* A session's unlock: the meldpunt secret sealed under a key from the session token.
 * *sealed (caller frees) is NULL when the session has none. */
int store_meldpunt_keys_unlock_load(store_conn *conn, long long session_id, unsigned char **sealed, size_t *length,
                                    alvd_err *err);
int store_meldpunt_keys_unlock_save(store_conn *conn, long long session_id, const unsigned char *sealed,
                                    size_t length, alvd_err *err);
int store_meldpunt_keys_unlock_delete(store_conn *conn, long long session_id, alvd_err *err);
/* Drop every unlock of user_id's sessions. */
int store_meldpunt_keys_unlocks_delete_of_user(store_conn *conn, long long user_id, alvd_err *err);

#endif
