/* Sessions live in MariaDB (hashed tokens, idle and absolute expiry), so any alvd
 * process can serve any request; rate limits count rows there for the same reason. */
#include "alvd/http/auth.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/base/buf.h"
#include "alvd/store/db.h"

static const struct {
    const char *name;
    unsigned bit;
} auth_role_names[] = {
    {"admin", AUTH_ADMIN},   {"board", AUTH_BOARD},       {"chair", AUTH_CHAIR},
    {"secretariat", AUTH_SECRETARIAT}, {"meldpunt", AUTH_MELDPUNT},
    {"member", AUTH_MEMBER}, {"contact", AUTH_CONTACT}, {"enrolling", AUTH_ENROLLING},
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

#define AUTH_TEXT_OF(x) #x
#define AUTH_TEXT(x) AUTH_TEXT_OF(x)

/* The session columns both lookups read; the token hash comes last. */
#define AUTH_SESSION_COLUMNS                                                                      \
    "SELECT s.id, s.kind, s.csrf, s.user_id, s.organisation_id, s.meeting_id, s.contact_id,"     \
    " u.name, u.email, u.roles, s.last_seen_at < UTC_TIMESTAMP(6) - INTERVAL 60 SECOND,"        \
    " s.token_hash, s.second_factor FROM sessions s LEFT JOIN users u ON u.id = s.user_id"
/* Expiry is decided by the database clock, the same for every alvd process. */
#define AUTH_SESSION_VALID                                                                        \
    " AND s.revoked_at IS NULL AND s.expires_at > UTC_TIMESTAMP(6)"                              \
    " AND s.last_seen_at > UTC_TIMESTAMP(6) - INTERVAL " AUTH_TEXT(AUTH_SESSION_IDLE_SECONDS) " SECOND" \
    " AND (s.kind <> 'user' OR u.disabled_at IS NULL)"

/* Fill principal from row r of a session query; returns whether last_seen is stale. */
static int auth_principal_from_row(const store_result *rows, size_t r, auth_principal *principal)
{
    const char *kind = store_result_text(rows, r, 1);
    memset(principal, 0, sizeof *principal);
    principal->roles = AUTH_ANYONE;
    principal->session_id = store_result_int(rows, r, 0);
    snprintf(principal->csrf, sizeof principal->csrf, "%s", store_result_text(rows, r, 2));
    principal->user_id = store_result_int(rows, r, 3);
    principal->organisation_id = store_result_int(rows, r, 4);
    principal->meeting_id = store_result_int(rows, r, 5);
    principal->contact_id = store_result_int(rows, r, 6);
    if (strcmp(kind, "user") == 0) {
        principal->kind = AUTH_KIND_USER;
        principal->user_roles = auth_roles_parse(store_result_text(rows, r, 9));
        snprintf(principal->second_factor, sizeof principal->second_factor, "%s",
                 store_result_text(rows, r, 12) ? store_result_text(rows, r, 12) : "password");
        /* Until the required second factor is enrolled, the session may only enrol. */
        principal->roles |= strcmp(principal->second_factor, "enrolment") == 0 ? AUTH_ENROLLING
                                                                                : principal->user_roles;
        snprintf(principal->name, sizeof principal->name, "%s", store_result_text(rows, r, 7));
        snprintf(principal->email, sizeof principal->email, "%s", store_result_text(rows, r, 8));
    } else if (strcmp(kind, "member") == 0) {
        principal->kind = AUTH_KIND_MEMBER;
        principal->roles |= AUTH_MEMBER;
    } else {
        principal->kind = AUTH_KIND_CONTACT;
        principal->roles |= AUTH_CONTACT;
    }
    return store_result_int(rows, r, 10) != 0;
}

/* Touch at most once a minute: one write per minute per phone, not per request. */
static int auth_session_touch(store_conn *conn, long long session_id, alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE sessions SET last_seen_at = UTC_TIMESTAMP(6) WHERE id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(session_id)));
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
    if (store_query(conn, err, &rows, AUTH_SESSION_COLUMNS " WHERE s.token_hash = ?" AUTH_SESSION_VALID,
                    STORE_PARAMS(STORE_BLOB_PARAM(hash, sizeof hash))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 401, "not_logged_in", NULL,
                            "Niet (meer) ingelogd; de sessie is verlopen of afgemeld.");
    }
    int stale = auth_principal_from_row(rows, 0, principal);
    store_result_free(rows);
    if (stale && auth_session_touch(conn, principal->session_id, err) != 0)
        return -1;
    return 0;
}

int auth_sessions_load_many(store_conn *conn, const char *const *tokens, size_t count,
                            auth_principal *principals, int *found, alvd_err *err)
{
    unsigned char (*hashes)[TOKEN_HASH_BYTES] = calloc(count ? count : 1, sizeof *hashes);
    size_t *indexes = calloc(count ? count : 1, sizeof *indexes);
    store_param *params = calloc(STORE_CHUNK_MAX, sizeof *params);
    long long *stale_ids = calloc(count ? count : 1, sizeof *stale_ids);
    size_t stale_count = 0;
    store_result *rows = NULL;
    alvd_buf sql;
    int rc = -1;
    buf_init(&sql, 16 * 1024);
    if (hashes == NULL || indexes == NULL || params == NULL || stale_ids == NULL) {
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        goto done;
    }
    size_t usable = 0;
    for (size_t i = 0; i < count; i++) {
        found[i] = 0;
        memset(&principals[i], 0, sizeof principals[i]);
        principals[i].roles = AUTH_ANYONE;
        if (tokens[i] == NULL || strlen(tokens[i]) != TOKEN_TEXT_SIZE - 1)
            continue;
        token_hash(tokens[i], hashes[usable]);
        indexes[usable++] = i;
    }
    for (size_t done = 0; done < usable;) {
        size_t chunk = store_chunk_size(usable - done);
        sql.length = 0;
        buf_append_str(&sql, AUTH_SESSION_COLUMNS " WHERE s.token_hash IN (");
        store_append_repeated(&sql, "?", chunk);
        buf_append_str(&sql, ")" AUTH_SESSION_VALID);
        for (size_t k = 0; k < chunk; k++)
            params[k] = STORE_BLOB_PARAM(hashes[done + k], TOKEN_HASH_BYTES);
        if (sql.overflowed || store_query(conn, err, &rows, sql.data, params, chunk) != 0)
            goto done;
        for (size_t r = 0; r < store_result_rows(rows); r++) {
            if (store_result_length(rows, r, 11) != TOKEN_HASH_BYTES)
                continue;
            /* Several requests may carry the same token (one phone, two taps). */
            for (size_t k = 0; k < chunk; k++) {
                if (memcmp(store_result_text(rows, r, 11), hashes[done + k], TOKEN_HASH_BYTES) != 0)
                    continue;
                size_t i = indexes[done + k];
                int stale = auth_principal_from_row(rows, r, &principals[i]);
                found[i] = 1;
                /* Touched together below: one statement per batch, not one commit each. */
                if (stale && stale_count < usable)
                    stale_ids[stale_count++] = principals[i].session_id;
            }
        }
        store_result_free(rows);
        rows = NULL;
        done += chunk;
    }
    for (size_t touched = 0; touched < stale_count;) {
        size_t chunk = store_chunk_size(stale_count - touched);
        sql.length = 0;
        buf_append_str(&sql, "UPDATE sessions SET last_seen_at = UTC_TIMESTAMP(6) WHERE id IN (");
        store_append_repeated(&sql, "?", chunk);
        buf_append_str(&sql, ")");
        for (size_t k = 0; k < chunk; k++)
            params[k] = STORE_INT_PARAM(stale_ids[touched + k]);
        if (sql.overflowed || store_execute(conn, err, NULL, sql.data, params, chunk) != 0)
            goto done;
        touched += chunk;
    }
    rc = 0;
done:
    store_result_free(rows);
    buf_free(&sql);
    free(hashes);
    free(indexes);
    free(params);
    free(stale_ids);
    return rc;
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
                         " meeting_id, contact_id, second_factor, created_at, last_seen_at, expires_at)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6),"
                         " UTC_TIMESTAMP(6) + INTERVAL ? SECOND)",
                         STORE_PARAMS(STORE_BLOB_PARAM(hash, sizeof hash),
                                      STORE_TEXT_PARAM(csrf_out),
                                      STORE_TEXT_PARAM(kinds[subject->kind]),
                                      AUTH_OPTIONAL_ID(subject->user_id),
                                      AUTH_OPTIONAL_ID(subject->organisation_id),
                                      AUTH_OPTIONAL_ID(subject->meeting_id),
                                      AUTH_OPTIONAL_ID(subject->contact_id),
                                      STORE_TEXT_PARAM(subject->second_factor ? subject->second_factor
                                                                              : "password"),
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

static void auth_rate_subject(const unsigned char key[AUTH_RATE_KEY_BYTES], const char *bucket,
                              const char *subject, unsigned char out[16])
{
    crypto_generichash_state state;
    crypto_generichash_init(&state, key, AUTH_RATE_KEY_BYTES, 16);
    crypto_generichash_update(&state, (const unsigned char *)bucket, strlen(bucket) + 1);
    crypto_generichash_update(&state, (const unsigned char *)subject, strlen(subject));
    crypto_generichash_final(&state, out, 16);
}

int auth_rate_check(store_conn *conn, const unsigned char key[AUTH_RATE_KEY_BYTES], const char *bucket,
                    const char *subject, int window_seconds, int limit, alvd_err *err)
{
    unsigned char hashed[16];
    store_result *rows = NULL;
    auth_rate_subject(key, bucket, subject, hashed);
    if (store_query(conn, err, &rows,
                    "SELECT COUNT(*) FROM rate_events WHERE bucket = ? AND subject = ?"
                    " AND at > UTC_TIMESTAMP(6) - INTERVAL ? SECOND",
                    STORE_PARAMS(STORE_TEXT_PARAM(bucket), STORE_BLOB_PARAM(hashed, sizeof hashed),
                                 STORE_INT_PARAM(window_seconds))) != 0)
        return -1;
    long long count = store_result_int(rows, 0, 0);
    store_result_free(rows);
    if (count >= limit)
        return alvd_err_set(err, 429, "too_many_attempts", NULL,
                            "Te veel pogingen; probeer het over een minuut opnieuw.");
    return 0;
}

int auth_rate_status(store_conn *conn, const unsigned char key[AUTH_RATE_KEY_BYTES], const char *bucket,
                     const char *subject, int window_seconds, long long *count, long long *seconds_since_last,
                     alvd_err *err)
{
    unsigned char hashed[16];
    store_result *rows = NULL;
    auth_rate_subject(key, bucket, subject, hashed);
    if (store_query(conn, err, &rows,
                    "SELECT COUNT(*), COALESCE(TIMESTAMPDIFF(SECOND, MAX(at), UTC_TIMESTAMP(6)), 0)"
                    " FROM rate_events WHERE bucket = ? AND subject = ? AND at > UTC_TIMESTAMP(6) - INTERVAL ? SECOND",
                    STORE_PARAMS(STORE_TEXT_PARAM(bucket), STORE_BLOB_PARAM(hashed, sizeof hashed),
                                 STORE_INT_PARAM(window_seconds))) != 0)
        return -1;
    *count = store_result_int(rows, 0, 0);
    *seconds_since_last = store_result_int(rows, 0, 1);
    store_result_free(rows);
    return 0;
}

int auth_rate_record(store_conn *conn, const unsigned char key[AUTH_RATE_KEY_BYTES], const char *bucket,
                     const char *subject, alvd_err *err)
{
    unsigned char hashed[16];
    auth_rate_subject(key, bucket, subject, hashed);
    /* Old events are pruned in passing so the table stays small without a cron job. */
    if (store_execute(conn, err, NULL,
                      "DELETE FROM rate_events WHERE at < UTC_TIMESTAMP(6) - INTERVAL 1 DAY"
                      " LIMIT 100", STORE_NO_PARAMS) != 0)
        return -1;
    return store_execute(conn, err, NULL,
                         "INSERT INTO rate_events (bucket, subject, at) VALUES (?, ?, UTC_TIMESTAMP(6))",
                         STORE_PARAMS(STORE_TEXT_PARAM(bucket), STORE_BLOB_PARAM(hashed, sizeof hashed)));
}
