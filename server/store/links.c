/* Login links at rest: only the token's hash is stored; spending one is a conditional
 * update, so a link logs in once even with two processes racing. */
#include "alvd/store/links.h"

#include <stdio.h>
#include <string.h>

static void store_links_copy(char *out, size_t size, const char *text)
{
    snprintf(out, size, "%s", text ? text : "");
}

int store_links_insert(store_conn *conn, const unsigned char hash[TOKEN_HASH_BYTES], long long contact_id,
                       long long user_id, const char *purpose, long long seconds, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "INSERT INTO login_links (token_hash, contact_id, user_id, purpose, created_at, expires_at)"
                         " VALUES (?, ?, ?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6) + INTERVAL ? SECOND)",
                         STORE_PARAMS(STORE_BLOB_PARAM(hash, TOKEN_HASH_BYTES),
                                      contact_id ? STORE_INT_PARAM(contact_id) : STORE_NULL_PARAM,
                                      user_id ? STORE_INT_PARAM(user_id) : STORE_NULL_PARAM,
                                      STORE_TEXT_PARAM(purpose), STORE_INT_PARAM(seconds)));
}

int store_links_spend(store_conn *conn, const unsigned char hash[TOKEN_HASH_BYTES], int *spent, alvd_err *err)
{
    long long affected = 0;
    if (store_execute(conn, err, &affected,
                      "UPDATE login_links SET used_at = UTC_TIMESTAMP(6) WHERE token_hash = ?"
                      " AND used_at IS NULL AND expires_at > UTC_TIMESTAMP(6)",
                      STORE_PARAMS(STORE_BLOB_PARAM(hash, TOKEN_HASH_BYTES))) != 0)
        return -1;
    *spent = affected == 1;
    return 0;
}

int store_links_owner_read(store_conn *conn, const unsigned char hash[TOKEN_HASH_BYTES], store_links_owner *owner,
                           int *found, alvd_err *err)
{
    store_result *rows = NULL;
    memset(owner, 0, sizeof *owner);
    if (store_query(conn, err, &rows,
                    "SELECT c.id, c.organisation_id, c.name, c.email, o.name, l.user_id FROM login_links l"
                    " LEFT JOIN contacts c ON c.id = l.contact_id AND c.removed_at IS NULL"
                    " LEFT JOIN organisations o ON o.id = c.organisation_id WHERE l.token_hash = ?",
                    STORE_PARAMS(STORE_BLOB_PARAM(hash, TOKEN_HASH_BYTES))) != 0)
        return -1;
    *found = store_result_rows(rows) == 1;
    if (*found) {
        owner->contact_id = store_result_int(rows, 0, 0);
        owner->organisation_id = store_result_int(rows, 0, 1);
        store_links_copy(owner->name, sizeof owner->name, store_result_text(rows, 0, 2));
        store_links_copy(owner->email, sizeof owner->email, store_result_text(rows, 0, 3));
        store_links_copy(owner->organisation_name, sizeof owner->organisation_name, store_result_text(rows, 0, 4));
        owner->user_id = store_result_int(rows, 0, 5);
    }
    store_result_free(rows);
    return 0;
}

int store_links_contact_read(store_conn *conn, long long contact_id, store_links_owner *contact, int *found,
                             alvd_err *err)
{
    store_result *rows = NULL;
    memset(contact, 0, sizeof *contact);
    if (store_query(conn, err, &rows,
                    "SELECT c.email, c.name, o.name FROM contacts c JOIN organisations o"
                    " ON o.id = c.organisation_id WHERE c.id = ? AND c.removed_at IS NULL",
                    STORE_PARAMS(STORE_INT_PARAM(contact_id))) != 0)
        return -1;
    *found = store_result_rows(rows) == 1;
    if (*found) {
        contact->contact_id = contact_id;
        store_links_copy(contact->email, sizeof contact->email, store_result_text(rows, 0, 0));
        store_links_copy(contact->name, sizeof contact->name, store_result_text(rows, 0, 1));
        store_links_copy(contact->organisation_name, sizeof contact->organisation_name, store_result_text(rows, 0, 2));
    }
    store_result_free(rows);
    return 0;
}

int store_links_recipients_by_email(store_conn *conn, const char *email,
                                    store_links_recipient recipients[STORE_LINKS_RECIPIENTS_MAX], size_t *count,
                                    alvd_err *err)
{
    store_result *rows = NULL;
    *count = 0;
    if (store_query(conn, err, &rows,
                    "SELECT id, 0 FROM contacts WHERE email = ? AND removed_at IS NULL"
                    " UNION ALL SELECT id, 1 FROM users WHERE email = ? AND disabled_at IS NULL LIMIT 6",
                    STORE_PARAMS(STORE_TEXT_PARAM(email), STORE_TEXT_PARAM(email))) != 0)
        return -1;
    for (size_t r = 0; r < store_result_rows(rows) && *count < STORE_LINKS_RECIPIENTS_MAX; r++) {
        recipients[*count].id = store_result_int(rows, r, 0);
        recipients[(*count)++].staff = store_result_int(rows, r, 1) != 0;
    }
    store_result_free(rows);
    return 0;
}
