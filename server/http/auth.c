/* Sessions live in MariaDB (hashed tokens, idle and absolute expiry), so any alvd
 * process can serve any request; rate limits count rows there for the same reason. */
#include "alvd/http/auth.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "alvd/store/db.h"

static const struct {
    const char *name;
    unsigned bit;
} auth_role_names[] = {
    {"admin", AUTH_ADMIN},   {"board", AUTH_BOARD},       {"chair", AUTH_CHAIR},
    {"secretariat", AUTH_SECRETARIAT}, {"meldpunt", AUTH_MELDPUNT},
    {"member", AUTH_MEMBER}, {"contact", AUTH_CONTACT},
};

unsigned auth_role_bit(const char *name)
{
    for (size_t i = 0; i < sizeof auth_role_names / sizeof auth_role_names[0]; i++)
        if (strcmp(auth_role_names[i].name, name) == 0)
            return auth_role_names[i].bit;
    return 0;
}

const char *auth_role_name(unsigned bit)
{
    for (size_t i = 0; i < sizeof auth_role_names / sizeof auth_role_names[0]; i++)
        if (auth_role_names[i].bit == bit)
            return auth_role_names[i].name;
    return NULL;
}

unsigned auth_roles_parse(const char *set_text)
{
    unsigned roles = 0;
    char name[32];
    size_t used = 0;
    for (const char *p = set_text ? set_text : "";; p++) {
        if (*p == ',' || *p == '\0') {
            name[used] = '\0';
            roles |= auth_role_bit(name);
            used = 0;
            if (*p == '\0')
                break;
        } else if (used + 1 < sizeof name) {
            name[used++] = *p;
        }
    }
    return roles & AUTH_STAFF;
}

int auth_session_load(store_conn *conn, const char *token, auth_principal *principal,
                      alvd_err *err)
{
    unsigned char hash[TOKEN_HASH_BYTES];
    store_result *rows = NULL;
    memset(principal, 0, sizeof *principal);
    principal->roles = AUTH_ANYONE;
    if (token == NULL || strlen(token) != TOKEN_TEXT_SIZE - 1)
        return alvd_err_set(err, 401, "not_logged_in", NULL, "Niet (meer) ingelogd.");
    token_hash(token, hash);
    /* Expiry is decided by the database clock, the same for every alvd process. */
    if (store_query(conn, err, &rows,
                    "SELECT s.id, s.kind, s.csrf, s.user_id, s.organisation_id, s.meeting_id,"
                    " s.contact_id, u.name, u.email, u.roles,"
                    " s.last_seen_at < UTC_TIMESTAMP(6) - INTERVAL 60 SECOND"
                    " FROM sessions s LEFT JOIN users u ON u.id = s.user_id"
                    " WHERE s.token_hash = ? AND s.revoked_at IS NULL"
                    " AND s.expires_at > UTC_TIMESTAMP(6)"
                    " AND s.last_seen_at > UTC_TIMESTAMP(6) - INTERVAL ? SECOND"
                    " AND (s.kind <> 'user' OR u.disabled_at IS NULL)",
                    STORE_PARAMS(STORE_BLOB_PARAM(hash, sizeof hash),
                                 STORE_INT_PARAM(AUTH_SESSION_IDLE_SECONDS))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 401, "not_logged_in", NULL,
                            "Niet (meer) ingelogd; de sessie is verlopen of afgemeld.");
    }
    const char *kind = store_result_text(rows, 0, 1);
    principal->session_id = store_result_int(rows, 0, 0);
    snprintf(principal->csrf, sizeof principal->csrf, "%s", store_result_text(rows, 0, 2));
    principal->user_id = store_result_int(rows, 0, 3);
    principal->organisation_id = store_result_int(rows, 0, 4);
    principal->meeting_id = store_result_int(rows, 0, 5);
    principal->contact_id = store_result_int(rows, 0, 6);
    if (strcmp(kind, "user") == 0) {
        principal->kind = AUTH_KIND_USER;
        principal->roles |= auth_roles_parse(store_result_text(rows, 0, 9));
        snprintf(principal->name, sizeof principal->name, "%s", store_result_text(rows, 0, 7));
        snprintf(principal->email, sizeof principal->email, "%s", store_result_text(rows, 0, 8));
    } else if (strcmp(kind, "member") == 0) {
        principal->kind = AUTH_KIND_MEMBER;
        principal->roles |= AUTH_MEMBER;
    } else {
        principal->kind = AUTH_KIND_CONTACT;
        principal->roles |= AUTH_CONTACT;
    }
    int stale = store_result_int(rows, 0, 10) != 0;
    store_result_free(rows);
    /* Touch at most once a minute: one write per minute per phone, not per request. */
    if (stale && store_execute(conn, err, NULL,
                               "UPDATE sessions SET last_seen_at = UTC_TIMESTAMP(6) WHERE id = ?",
                               STORE_PARAMS(STORE_INT_PARAM(principal->session_id))) != 0)
        return -1;
    return 0;
}

int auth_session_create(store_conn *conn, const auth_session_subject *subject,
                        char token_out[TOKEN_TEXT_SIZE], char csrf_out[TOKEN_TEXT_SIZE],
                        alvd_err *err)
{
    static const char *const kinds[] = {"", "user", "member", "contact"};
    unsigned char hash[TOKEN_HASH_BYTES];
    token_new(token_out);
    token_new(csrf_out);
    token_hash(token_out, hash);
#define AUTH_OPTIONAL_ID(value) ((value) ? STORE_INT_PARAM(value) : STORE_NULL_PARAM)
    return store_execute(conn, err, NULL,
                         "INSERT INTO sessions (token_hash, csrf, kind, user_id, organisation_id,"
                         " meeting_id, contact_id, created_at, last_seen_at, expires_at)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6),"
                         " UTC_TIMESTAMP(6) + INTERVAL ? SECOND)",
                         STORE_PARAMS(STORE_BLOB_PARAM(hash, sizeof hash),
                                      STORE_TEXT_PARAM(csrf_out),
                                      STORE_TEXT_PARAM(kinds[subject->kind]),
                                      AUTH_OPTIONAL_ID(subject->user_id),
                                      AUTH_OPTIONAL_ID(subject->organisation_id),
                                      AUTH_OPTIONAL_ID(subject->meeting_id),
                                      AUTH_OPTIONAL_ID(subject->contact_id),
                                      STORE_INT_PARAM(AUTH_SESSION_ABSOLUTE_SECONDS)));
#undef AUTH_OPTIONAL_ID
}

int auth_session_revoke(store_conn *conn, long long session_id, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE sessions SET revoked_at = UTC_TIMESTAMP(6)"
                         " WHERE id = ? AND revoked_at IS NULL",
                         STORE_PARAMS(STORE_INT_PARAM(session_id)));
}

audit_actor auth_actor(const auth_principal *principal)
{
    audit_actor actor = {"anonymous", 0, ""};
    switch (principal->kind) {
    case AUTH_KIND_USER:
        actor = (audit_actor){"user", principal->user_id, principal->email};
        break;
    case AUTH_KIND_MEMBER:
        actor = (audit_actor){"member", principal->organisation_id, principal->name};
        break;
    case AUTH_KIND_CONTACT:
        actor = (audit_actor){"contact", principal->contact_id, principal->email};
        break;
    case AUTH_KIND_NONE:
        break;
    }
    return actor;
}

static void auth_rate_subject(const char *bucket, const char *subject, unsigned char out[16])
{
    crypto_generichash_state state;
    crypto_generichash_init(&state, NULL, 0, 16);
    crypto_generichash_update(&state, (const unsigned char *)bucket, strlen(bucket) + 1);
    crypto_generichash_update(&state, (const unsigned char *)subject, strlen(subject));
    crypto_generichash_final(&state, out, 16);
}

int auth_rate_check(store_conn *conn, const char *bucket, const char *subject,
                    int window_seconds, int limit, alvd_err *err)
{
    unsigned char key[16];
    store_result *rows = NULL;
    auth_rate_subject(bucket, subject, key);
    if (store_query(conn, err, &rows,
                    "SELECT COUNT(*) FROM rate_events WHERE bucket = ? AND subject = ?"
                    " AND at > UTC_TIMESTAMP(6) - INTERVAL ? SECOND",
                    STORE_PARAMS(STORE_TEXT_PARAM(bucket), STORE_BLOB_PARAM(key, sizeof key),
                                 STORE_INT_PARAM(window_seconds))) != 0)
        return -1;
    long long count = store_result_int(rows, 0, 0);
    store_result_free(rows);
    if (count >= limit)
        return alvd_err_set(err, 429, "too_many_attempts", NULL,
                            "Te veel pogingen; probeer het over een minuut opnieuw.");
    return 0;
}

int auth_rate_record(store_conn *conn, const char *bucket, const char *subject, alvd_err *err)
{
    unsigned char key[16];
    auth_rate_subject(bucket, subject, key);
    /* Old events are pruned in passing so the table stays small without a cron job. */
    if (store_execute(conn, err, NULL,
                      "DELETE FROM rate_events WHERE at < UTC_TIMESTAMP(6) - INTERVAL 1 DAY"
                      " LIMIT 100", STORE_NO_PARAMS) != 0)
        return -1;
    return store_execute(conn, err, NULL,
                         "INSERT INTO rate_events (bucket, subject, at) VALUES (?, ?, UTC_TIMESTAMP(6))",
                         STORE_PARAMS(STORE_TEXT_PARAM(bucket), STORE_BLOB_PARAM(key, sizeof key)));
}
