/* Staff users for the login paths: found by e-mail with the password hash, or by id,
 * and a password hash upgraded in place. */
#include "alvd/store/users.h"

#include <stdio.h>
#include <string.h>

static void store_users_copy(char *out, size_t size, const char *text)
{
    snprintf(out, size, "%s", text ? text : "");
}

int store_users_find_login(store_conn *conn, const char *email, store_user *user, int *found, alvd_err *err)
{
    store_result *rows = NULL;
    memset(user, 0, sizeof *user);
    if (store_query(conn, err, &rows,
                    "SELECT id, name, email, password_hash, roles FROM users"
                    " WHERE email = ? AND disabled_at IS NULL",
                    STORE_PARAMS(STORE_TEXT_PARAM(email))) != 0)
        return -1;
    *found = store_result_rows(rows) == 1;
    if (*found) {
        user->id = store_result_int(rows, 0, 0);
        store_users_copy(user->name, sizeof user->name, store_result_text(rows, 0, 1));
        store_users_copy(user->email, sizeof user->email, store_result_text(rows, 0, 2));
        store_users_copy(user->password_hash, sizeof user->password_hash, store_result_text(rows, 0, 3));
        user->has_password_hash = !store_result_is_null(rows, 0, 3);
        store_users_copy(user->roles, sizeof user->roles, store_result_text(rows, 0, 4));
    }
    store_result_free(rows);
    return 0;
}

int store_users_find_enabled(store_conn *conn, long long id, store_user *user, int *found, alvd_err *err)
{
    store_result *rows = NULL;
    memset(user, 0, sizeof *user);
    if (store_query(conn, err, &rows, "SELECT id, name, email, roles FROM users WHERE id = ? AND disabled_at IS NULL",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    *found = store_result_rows(rows) == 1;
    if (*found) {
        user->id = store_result_int(rows, 0, 0);
        store_users_copy(user->name, sizeof user->name, store_result_text(rows, 0, 1));
        store_users_copy(user->email, sizeof user->email, store_result_text(rows, 0, 2));
        store_users_copy(user->roles, sizeof user->roles, store_result_text(rows, 0, 3));
    }
    store_result_free(rows);
    return 0;
}

int store_users_id_by_email(store_conn *conn, const char *email, long long *id, alvd_err *err)
{
    return store_query_integer(conn, err, id, 0, "SELECT id FROM users WHERE email = ?",
                               STORE_PARAMS(STORE_TEXT_PARAM(email)));
}

int store_users_set_password_hash(store_conn *conn, long long id, const char *hash, alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE users SET password_hash = ? WHERE id = ?",
                         STORE_PARAMS(STORE_TEXT_PARAM(hash), STORE_INT_PARAM(id)));
}

int store_users_upsert(store_conn *conn, const char *email, const char *name, const char *password_hash,
                       const char *roles, long long *id, alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO users (email, name, password_hash, roles, created_at)"
                      " VALUES (?, ?, ?, ?, UTC_TIMESTAMP(6))"
                      " ON DUPLICATE KEY UPDATE name = VALUES(name),"
                      " password_hash = VALUES(password_hash), roles = VALUES(roles),"
                      " disabled_at = NULL",
                      STORE_PARAMS(STORE_TEXT_PARAM(email), STORE_TEXT_PARAM(name),
                                   STORE_TEXT_PARAM(password_hash), STORE_TEXT_PARAM(roles))) != 0)
        return -1;
    return store_users_id_by_email(conn, email, id, err);
}
