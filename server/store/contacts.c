/* Contact persons in MariaDB: every SQL statement on the contacts table (a removed
 * contact keeps its row, so its history stays linked when it comes back). */
#include "alvd/store/contacts.h"

#include <stdio.h>

int store_contacts_list(store_conn *conn, long long organisation_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT id, name, email, function, created_at FROM contacts"
                       " WHERE organisation_id = ? AND removed_at IS NULL ORDER BY name, id",
                       STORE_PARAMS(STORE_INT_PARAM(organisation_id)));
}

int store_contacts_find(store_conn *conn, long long organisation_id, const char *email, long long *id,
                        int *active, alvd_err *err)
{
    store_result *rows = NULL;
    *id = 0;
    *active = 0;
    if (store_query(conn, err, &rows,
                    "SELECT id, removed_at IS NULL FROM contacts WHERE organisation_id = ? AND email = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(organisation_id), STORE_TEXT_PARAM(email))) != 0)
        return -1;
    if (store_result_rows(rows) > 0) {
        *id = store_result_int(rows, 0, 0);
        *active = store_result_int(rows, 0, 1) != 0;
    }
    store_result_free(rows);
    return 0;
}

int store_contacts_revive(store_conn *conn, long long id, const char *name, const char *function, alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE contacts SET name = ?, function = ?, removed_at = NULL WHERE id = ?",
                         STORE_PARAMS(STORE_TEXT_PARAM(name), STORE_TEXT_PARAM(function), STORE_INT_PARAM(id)));
}

int store_contacts_insert(store_conn *conn, long long organisation_id, const char *name, const char *email,
                          const char *function, long long *id, alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO contacts (organisation_id, name, email, function, created_at)"
                      " VALUES (?, ?, ?, ?, UTC_TIMESTAMP(6))",
                      STORE_PARAMS(STORE_INT_PARAM(organisation_id), STORE_TEXT_PARAM(name), STORE_TEXT_PARAM(email),
                                   STORE_TEXT_PARAM(function))) != 0)
        return -1;
    *id = store_last_insert_id(conn);
    return 0;
}

int store_contacts_remove(store_conn *conn, long long id, alvd_err *err)
{
    long long affected = 0;
    if (store_execute(conn, err, &affected,
                      "UPDATE contacts SET removed_at = UTC_TIMESTAMP(6) WHERE id = ? AND removed_at IS NULL",
                      STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    if (affected == 0)
        return alvd_err_set(err, 404, "not_found", NULL, "Deze contactpersoon bestaat niet (meer).");
    return 0;
}

int store_contacts_revoke_sessions(store_conn *conn, long long contact_id, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE sessions SET revoked_at = UTC_TIMESTAMP(6) WHERE kind = 'contact'"
                         " AND contact_id = ? AND revoked_at IS NULL",
                         STORE_PARAMS(STORE_INT_PARAM(contact_id)));
}

int store_contacts_email(store_conn *conn, long long contact_id, long long organisation_id, char *out,
                         size_t size, alvd_err *err)
{
    return store_query_text(conn, err, out, size, NULL,
                            "SELECT email FROM contacts WHERE id = ? AND organisation_id = ? AND removed_at IS NULL",
                            STORE_PARAMS(STORE_INT_PARAM(contact_id), STORE_INT_PARAM(organisation_id)));
}

int store_contacts_recipients(store_conn *conn, long long organisation_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT c.name, c.email FROM contacts c WHERE c.organisation_id = ? AND c.removed_at IS NULL"
                       " UNION ALL SELECT o.name, o.email FROM organisations o WHERE o.id = ? AND o.email IS NOT NULL"
                       " AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.organisation_id = o.id AND c.removed_at IS NULL)",
                       STORE_PARAMS(STORE_INT_PARAM(organisation_id), STORE_INT_PARAM(organisation_id)));
}
