/* Staff users as login reads them: by e-mail (with the password hash) or by id, the
 * rehashed password written back. */
#ifndef ALVD_STORE_USERS_H
#define ALVD_STORE_USERS_H

#include "alvd/store/db.h"

typedef struct store_user {
    long long id;
    char name[804];           /* VARCHAR(200), up to 4 bytes a character */
    char email[256];
    char roles[128];          /* the SET text, "admin,board" */
    char password_hash[512];  /* only store_users_find_login fills it */
    int has_password_hash;    /* 0 when the column is NULL (no password: it never matches) */
} store_user;

/* The enabled user with this (lower-case) e-mail; *found = 0 when there is none. */
int store_users_find_login(store_conn *conn, const char *email, store_user *user, int *found, alvd_err *err);
/* The enabled user with this id; *found = 0 when there is none (or disabled). */
int store_users_find_enabled(store_conn *conn, long long id, store_user *user, int *found, alvd_err *err);
/* Any user's id by e-mail (disabled too); *id = 0 when there is none. */
int store_users_id_by_email(store_conn *conn, const char *email, long long *id, alvd_err *err);
int store_users_set_password_hash(store_conn *conn, long long id, const char *hash, alvd_err *err);

/* Create the user with this e-mail or give an existing one this name, password hash and
 * roles and enable it again (the demo's staff accounts); *id is the user's id. */
int store_users_upsert(store_conn *conn, const char *email, const char *name, const char *password_hash,
                       const char *roles, long long *id, alvd_err *err);

#endif
