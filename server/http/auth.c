/* Who is asking: roles, principals made from session rows (include/alvd/store/sessions.h),
 * sessions opened and revoked, and rate limits counted in the shared database. */
#include "alvd/http/auth.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/http/request.h"
#include "alvd/store/rate_events.h"
#include "alvd/store/sessions.h"

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

_Static_assert(AUTH_SESSION_IDLE_SECONDS == STORE_SESSION_IDLE_SECONDS, "one idle limit for sessions");

/* Fill principal from a valid session row. */
static void auth_principal_from_row(const store_session_row *row, auth_principal *principal)
{
    memset(principal, 0, sizeof *principal);
    principal->roles = AUTH_ANYONE;
    principal->session_id = row->id;
    snprintf(principal->csrf, sizeof principal->csrf, "%s", row->csrf);
    principal->user_id = row->user_id;
    principal->organisation_id = row->organisation_id;
    principal->meeting_id = row->meeting_id;
    principal->contact_id = row->contact_id;
    if (strcmp(row->kind, "user") == 0) {
        principal->kind = AUTH_KIND_USER;
        principal->user_roles = auth_roles_parse(row->user_roles);
        snprintf(principal->second_factor, sizeof principal->second_factor, "%s",
                 row->second_factor[0] ? row->second_factor : "password");
        /* Until the required second factor is enrolled, the session may only enrol. */
        principal->roles |= strcmp(principal->second_factor, "enrolment") == 0 ? AUTH_ENROLLING
                                                                                : principal->user_roles;
        snprintf(principal->name, sizeof principal->name, "%s", row->user_name);
        snprintf(principal->email, sizeof principal->email, "%s", row->user_email);
    } else if (strcmp(row->kind, "member") == 0) {
        principal->kind = AUTH_KIND_MEMBER;
        principal->roles |= AUTH_MEMBER;
    } else {
        principal->kind = AUTH_KIND_CONTACT;
        principal->roles |= AUTH_CONTACT;
    }
}

int auth_session_load(store_conn *conn, const char *token, auth_principal *principal,
                      alvd_err *err)
{
    unsigned char hash[TOKEN_HASH_BYTES];
    store_session_row row;
    int found = 0;
    memset(principal, 0, sizeof *principal);
    principal->roles = AUTH_ANYONE;
    if (token == NULL || strlen(token) != TOKEN_TEXT_SIZE - 1)
        return alvd_err_set(err, 401, "not_logged_in", NULL, "Niet (meer) ingelogd.");
    token_hash(token, hash);
    if (store_sessions_find(conn, hash, &row, &found, err) != 0)
        return -1;
    if (!found)
        return alvd_err_set(err, 401, "not_logged_in", NULL,
                            "Niet (meer) ingelogd; de sessie is verlopen of afgemeld.");
    auth_principal_from_row(&row, principal);
    /* Touch at most once a minute: one write per minute per phone, not per request. */
    if (row.stale && store_sessions_touch(conn, &principal->session_id, 1, err) != 0)
        return -1;
    return 0;
}

/* Fill principals[i] and found[i] for every request whose token hash a row carries;
 * several requests may carry the same token (one phone, two taps). The stale sessions'
 * ids go to stale_ids, to be touched together: one statement per batch, not one each. */
static void auth_sessions_match(const store_session_row *rows, size_t row_count,
                                const unsigned char (*hashes)[TOKEN_HASH_BYTES], const size_t *indexes,
                                size_t usable, auth_principal *principals, int *found, long long *stale_ids,
                                size_t *stale_count)
{
    for (size_t r = 0; r < row_count; r++)
        for (size_t k = 0; k < usable; k++) {
            size_t i = indexes[k];
            if (found[i] || memcmp(rows[r].token_hash, hashes[k], TOKEN_HASH_BYTES) != 0)
                continue;
            auth_principal_from_row(&rows[r], &principals[i]);
            found[i] = 1;
            if (rows[r].stale && *stale_count < usable)
                stale_ids[(*stale_count)++] = principals[i].session_id;
        }
}

int auth_sessions_load_many(store_conn *conn, const char *const *tokens, size_t count,
                            auth_principal *principals, int *found, alvd_err *err)
{
    unsigned char (*hashes)[TOKEN_HASH_BYTES] = calloc(count ? count : 1, sizeof *hashes);
    size_t *indexes = calloc(count ? count : 1, sizeof *indexes);
    long long *stale_ids = calloc(count ? count : 1, sizeof *stale_ids);
    store_session_row *rows = NULL;
    size_t row_count = 0, stale_count = 0, usable = 0;
    int rc = -1;
    if (hashes == NULL || indexes == NULL || stale_ids == NULL) {
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        goto done;
    }
    for (size_t i = 0; i < count; i++) {
        found[i] = 0;
        memset(&principals[i], 0, sizeof principals[i]);
        principals[i].roles = AUTH_ANYONE;
        if (tokens[i] == NULL || strlen(tokens[i]) != TOKEN_TEXT_SIZE - 1)
            continue;
        token_hash(tokens[i], hashes[usable]);
        indexes[usable++] = i;
    }
    if (store_sessions_find_many(conn, (const unsigned char (*)[TOKEN_HASH_BYTES])hashes, usable, &rows, &row_count,
                                 err) != 0)
        goto done;
    auth_sessions_match(rows, row_count, (const unsigned char (*)[TOKEN_HASH_BYTES])hashes, indexes, usable,
                        principals, found, stale_ids, &stale_count);
    if (store_sessions_touch(conn, stale_ids, stale_count, err) != 0)
        goto done;
    rc = 0;
done:
    free(rows);
    free(hashes);
    free(indexes);
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
    store_session_new session = {.token_hash = hash, .csrf = csrf_out, .kind = kinds[subject->kind],
                                 .user_id = subject->user_id, .organisation_id = subject->organisation_id,
                                 .meeting_id = subject->meeting_id, .contact_id = subject->contact_id,
                                 .second_factor = subject->second_factor,
                                 .lifetime_seconds = AUTH_SESSION_ABSOLUTE_SECONDS};
    return store_sessions_insert(conn, &session, err);
}

int auth_session_revoke(store_conn *conn, long long session_id, alvd_err *err)
{
    return store_sessions_revoke(conn, session_id, err);
}

void auth_reply_new_session(http_request *request, const char *token, const char *csrf, json_t *who)
{
    json_t *body = json_pack("{s:s, s:s}", "token", token, "csrf", csrf);
    json_object_update(body, who);
    json_decref(who);
    http_reply_json(request, 200, body);
    http_reply_cookie(request, http_session_cookie_name(http_request_app(request)), token,
                      AUTH_SESSION_ABSOLUTE_SECONDS);
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
                              const char *subject, unsigned char out[STORE_RATE_SUBJECT_BYTES])
{
    crypto_generichash_state state;
    crypto_generichash_init(&state, key, AUTH_RATE_KEY_BYTES, STORE_RATE_SUBJECT_BYTES);
    crypto_generichash_update(&state, (const unsigned char *)bucket, strlen(bucket) + 1);
    crypto_generichash_update(&state, (const unsigned char *)subject, strlen(subject));
    crypto_generichash_final(&state, out, STORE_RATE_SUBJECT_BYTES);
}

int auth_rate_check(store_conn *conn, const unsigned char key[AUTH_RATE_KEY_BYTES], const char *bucket,
                    const char *subject, int window_seconds, int limit, alvd_err *err)
{
    unsigned char hashed[STORE_RATE_SUBJECT_BYTES];
    long long count = 0;
    auth_rate_subject(key, bucket, subject, hashed);
    if (store_rate_events_count(conn, bucket, hashed, window_seconds, &count, NULL, err) != 0)
        return -1;
    if (count >= limit)
        return alvd_err_set(err, 429, "too_many_attempts", NULL,
                            "Te veel pogingen; probeer het over een minuut opnieuw.");
    return 0;
}

int auth_rate_status(store_conn *conn, const unsigned char key[AUTH_RATE_KEY_BYTES], const char *bucket,
                     const char *subject, int window_seconds, long long *count, long long *seconds_since_last,
                     alvd_err *err)
{
    unsigned char hashed[STORE_RATE_SUBJECT_BYTES];
    auth_rate_subject(key, bucket, subject, hashed);
    return store_rate_events_count(conn, bucket, hashed, window_seconds, count, seconds_since_last, err);
}

int auth_rate_record(store_conn *conn, const unsigned char key[AUTH_RATE_KEY_BYTES], const char *bucket,
                     const char *subject, alvd_err *err)
{
    unsigned char hashed[STORE_RATE_SUBJECT_BYTES];
    auth_rate_subject(key, bucket, subject, hashed);
    return store_rate_events_record(conn, bucket, hashed, err);
}
