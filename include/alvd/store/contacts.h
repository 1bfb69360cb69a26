/* Contact persons of organisations in MariaDB: listing, adding, reviving and removing
 * them, ending their sessions, and whom the register writes to. */
#ifndef ALVD_STORE_CONTACTS_H
#define ALVD_STORE_CONTACTS_H

#include "alvd/base/err.h"
#include "alvd/store/db.h"

/* Current contacts (id, name, email, function, created_at) by name, id. */
int store_contacts_list(store_conn *conn, long long organisation_id, store_result **rows, alvd_err *err);
/* The contact of an organisation with this e-mail, locked: *id = 0 when none, *active
 * = 0 when it was removed. */
int store_contacts_find(store_conn *conn, long long organisation_id, const char *email, long long *id,
                        int *active, alvd_err *err);
/* A removed contact comes back under its old id with a new name and function. */
int store_contacts_revive(store_conn *conn, long long id, const char *name, const char *function, alvd_err *err);
int store_contacts_insert(store_conn *conn, long long organisation_id, const char *name, const char *email,
                          const char *function, long long *id, alvd_err *err);
/* Mark a current contact removed; 404 "not_found" when there is no current one. */
int store_contacts_remove(store_conn *conn, long long id, alvd_err *err);
/* Revoke every open session of the contact. */
int store_contacts_revoke_sessions(store_conn *conn, long long contact_id, alvd_err *err);
/* The e-mail of a current contact of the organisation into out ("" when none). */
int store_contacts_email(store_conn *conn, long long contact_id, long long organisation_id, char *out,
                         size_t size, alvd_err *err);
/* Whom a letter to the organisation goes to: (name, email) of each current contact, or
 * the organisation's own name and address when it has none. */
int store_contacts_recipients(store_conn *conn, long long organisation_id, store_result **rows, alvd_err *err);

#endif
