/* Login links at rest (login_links, by token hash) and the people a link can be for:
 * contact persons (with their organisation) and staff users, found by e-mail. */
#ifndef ALVD_STORE_LINKS_H
#define ALVD_STORE_LINKS_H

#include "alvd/crypto/token.h"
#include "alvd/store/db.h"

/* A new unused link for a contact (contact_id) or a staff user (user_id), valid for
 * seconds from now. */
int store_links_insert(store_conn *conn, const unsigned char hash[TOKEN_HASH_BYTES], long long contact_id,
                       long long user_id, const char *purpose, long long seconds, alvd_err *err);
/* Mark the link used when it is unused and unexpired; *spent = 0 when it was not. */
int store_links_spend(store_conn *conn, const unsigned char hash[TOKEN_HASH_BYTES], int *spent, alvd_err *err);

/* Whom a link is for: contact_id 0 when it is a staff user's (user_id set) or its contact
 * was removed. */
typedef struct store_links_owner {
    long long contact_id, organisation_id, user_id;
    char name[804], email[256], organisation_name[804]; /* names: VARCHAR(200), up to 4 bytes a character */
} store_links_owner;
int store_links_owner_read(store_conn *conn, const unsigned char hash[TOKEN_HASH_BYTES], store_links_owner *owner,
                           int *found, alvd_err *err);

/* A current contact person with the organisation's name; *found = 0 when removed or unknown. */
int store_links_contact_read(store_conn *conn, long long contact_id, store_links_owner *contact, int *found,
                             alvd_err *err);

/* The current contact persons and enabled staff users with this e-mail (at most
 * STORE_LINKS_RECIPIENTS_MAX; one address may be both). */
#define STORE_LINKS_RECIPIENTS_MAX 6
typedef struct store_links_recipient {
    long long id;
    int staff;
} store_links_recipient;
int store_links_recipients_by_email(store_conn *conn, const char *email,
                                    store_links_recipient recipients[STORE_LINKS_RECIPIENTS_MAX], size_t *count,
                                    alvd_err *err);

#endif
