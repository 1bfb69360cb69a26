/* Audit chain: ids are assigned under a lock on the audit_lock row, so the chain has
 * no gaps; each append also records the new head in audit_heads, so deleting the
 * newest entry is caught too. Nothing here updates or deletes a row (least privilege). */
#include "alvd/crypto/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "alvd/base/buf.h"

#define AUDIT_HASH_BYTES 32

static void audit_now(char out[32])
{
    struct timeval now;
    gettimeofday(&now, NULL);
    struct tm utc;
    time_t seconds = now.tv_sec;
    gmtime_r(&seconds, &utc);
    char whole[24];
    strftime(whole, sizeof whole, "%Y-%m-%d %H:%M:%S", &utc);
    snprintf(out, 32, "%s.%06ld", whole, (long)now.tv_usec);
}

/* The canonical bytes that are hashed: every field, newline-separated, in a fixed
 * order, so any edit of any column changes the hash. */
static void audit_entry_hash(const unsigned char *previous, long long id, const char *created_at,
                             const char *actor_kind, long long actor_id, const char *actor_label,
                             const char *action, const char *object_type, long long object_id,
                             const char *details, unsigned char out[AUDIT_HASH_BYTES])
{
    crypto_generichash_state state;
    char numbers[96];
    crypto_generichash_init(&state, NULL, 0, AUDIT_HASH_BYTES);
    crypto_generichash_update(&state, previous, AUDIT_HASH_BYTES);
    snprintf(numbers, sizeof numbers, "%lld\n%lld\n%lld\n", id, actor_id, object_id);
    crypto_generichash_update(&state, (const unsigned char *)numbers, strlen(numbers));
    const char *fields[] = {created_at, actor_kind, actor_label, action, object_type, details};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *field = fields[i] ? fields[i] : "";
        crypto_generichash_update(&state, (const unsigned char *)field, strlen(field) + 1);
    }
    crypto_generichash_final(&state, out, AUDIT_HASH_BYTES);
}

int audit_append(store_conn *conn, alvd_err *err, const audit_actor *actor,
                 const char *action, const char *object_type, long long object_id,
                 json_t *details)
{
    store_result *head = NULL;
    char *details_text = NULL;
    int own_transaction = !store_in_transaction(conn);
    int rc = -1;
    if (own_transaction && store_begin(conn, err) != 0)
        return -1;
    /* The lock row is only ever read; whoever holds it appends next, and reads the
     * head the previous holder committed. The head comes from audit_heads, not from
     * audit_log, so after a removed tail the chain goes on from the recorded head and
     * verify names the gap (as the single head row did). */
    struct timespec lock_start, locked;
    clock_gettime(CLOCK_MONOTONIC, &lock_start);
    if (store_query(conn, err, &head, "SELECT id FROM audit_lock WHERE id = 1 FOR UPDATE", STORE_NO_PARAMS) != 0)
        goto fail;
    clock_gettime(CLOCK_MONOTONIC, &locked);
    store_note_lock_wait(conn, (double)(locked.tv_sec - lock_start.tv_sec) +
                                   (double)(locked.tv_nsec - lock_start.tv_nsec) / 1e9);
    if (store_result_rows(head) != 1) {
        alvd_err_set(err, 500, "audit_lock_missing", NULL, "The audit lock row is missing.");
        goto fail;
    }
    store_result_free(head);
    head = NULL;
    if (store_query(conn, err, &head, "SELECT id, hash FROM audit_heads ORDER BY id DESC LIMIT 1",
                    STORE_NO_PARAMS) != 0)
        goto fail;
    unsigned char previous[AUDIT_HASH_BYTES] = {0}, hash[AUDIT_HASH_BYTES];
    long long id = 1;
    if (store_result_rows(head) == 1) {
        if (store_result_length(head, 0, 1) != AUDIT_HASH_BYTES) {
            alvd_err_set(err, 500, "audit_broken", NULL, "The recorded audit head has no valid hash.");
            goto fail;
        }
        id = store_result_int(head, 0, 0) + 1;
        memcpy(previous, store_result_text(head, 0, 1), AUDIT_HASH_BYTES);
    }
    char created_at[32];
    audit_now(created_at);
    details_text = details ? json_dumps(details, JSON_COMPACT | JSON_SORT_KEYS) : strdup("{}");
    const char *kind = actor && actor->kind ? actor->kind : "system";
    const char *label = actor && actor->label ? actor->label : "";
    long long actor_id = actor ? actor->id : 0;
    audit_entry_hash(previous, id, created_at, kind, actor_id, label, action, object_type,
                     object_id, details_text, hash);
    if (store_execute(conn, err, NULL,
                      "INSERT INTO audit_log (id, created_at, actor_kind, actor_id, actor_label,"
                      " action, object_type, object_id, details, prev_hash, hash)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      STORE_PARAMS(STORE_INT_PARAM(id), STORE_TEXT_PARAM(created_at),
                                   STORE_TEXT_PARAM(kind), STORE_INT_PARAM(actor_id),
                                   STORE_TEXT_PARAM(label), STORE_TEXT_PARAM(action),
                                   STORE_TEXT_PARAM(object_type), STORE_INT_PARAM(object_id),
                                   STORE_TEXT_PARAM(details_text),
                                   STORE_BLOB_PARAM(previous, AUDIT_HASH_BYTES),
                                   STORE_BLOB_PARAM(hash, AUDIT_HASH_BYTES))) != 0 ||
        store_execute(conn, err, NULL, "INSERT INTO audit_heads (id, hash) VALUES (?, ?)",
                      STORE_PARAMS(STORE_INT_PARAM(id),
                                   STORE_BLOB_PARAM(hash, AUDIT_HASH_BYTES))) != 0)
        goto fail;
    if (own_transaction && store_commit(conn, err) != 0)
        goto fail;
    rc = 0;
fail:
    if (rc != 0 && own_transaction && store_in_transaction(conn))
        store_rollback(conn);
    store_result_free(head);
    free(details_text);
    return rc;
}

#define AUDIT_VERIFY_BATCH 5000

int audit_verify(store_conn *conn, long long *checked, long long *bad_id, alvd_err *err)
{
    unsigned char previous[AUDIT_HASH_BYTES] = {0};
    long long expected_id = 1;
    store_result *rows = NULL;
    *checked = 0;
    *bad_id = 0;
    for (;;) {
        if (store_query(conn, err, &rows,
                        "SELECT id, DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%S.%f'), actor_kind,"
                        " actor_id, actor_label, action, object_type, object_id, details,"
                        " prev_hash, hash FROM audit_log WHERE id >= ? ORDER BY id LIMIT 5000",
                        STORE_PARAMS(STORE_INT_PARAM(expected_id))) != 0)
            return -1;
        size_t count = store_result_rows(rows);
        for (size_t r = 0; r < count; r++) {
            long long id = store_result_int(rows, r, 0);
            unsigned char computed[AUDIT_HASH_BYTES];
            const char *why = NULL;
            if (id != expected_id) {
                *bad_id = expected_id;
                why = "is missing (deleted)";
            } else if (store_result_length(rows, r, 9) != AUDIT_HASH_BYTES ||
                       memcmp(store_result_text(rows, r, 9), previous, AUDIT_HASH_BYTES) != 0) {
                *bad_id = id;
                why = "does not link to the entry before it";
            } else {
                audit_entry_hash(previous, id, store_result_text(rows, r, 1),
                                 store_result_text(rows, r, 2), store_result_int(rows, r, 3),
                                 store_result_text(rows, r, 4), store_result_text(rows, r, 5),
                                 store_result_text(rows, r, 6), store_result_int(rows, r, 7),
                                 store_result_text(rows, r, 8), computed);
                if (store_result_length(rows, r, 10) != AUDIT_HASH_BYTES ||
                    sodium_memcmp(store_result_text(rows, r, 10), computed, AUDIT_HASH_BYTES) != 0) {
                    *bad_id = id;
                    why = "was changed after it was written (hash mismatch)";
                }
            }
            if (why) {
                store_result_free(rows);
                return alvd_err_set(err, 409, "audit_broken", NULL,
                                    "Audit entry %lld %s.", *bad_id, why);
            }
            memcpy(previous, store_result_text(rows, r, 10), AUDIT_HASH_BYTES);
            expected_id++;
            (*checked)++;
        }
        store_result_free(rows);
        rows = NULL;
        if (count < AUDIT_VERIFY_BATCH)
            break;
    }
    /* The newest recorded head must be the last entry; otherwise the newest entries
     * were removed. */
    if (store_query(conn, err, &rows, "SELECT id, hash FROM audit_heads ORDER BY id DESC LIMIT 1",
                    STORE_NO_PARAMS) != 0)
        return -1;
    long long head_id = store_result_rows(rows) == 1 ? store_result_int(rows, 0, 0) : 0;
    int head_ok = head_id == expected_id - 1 &&
                  (head_id == 0 || (store_result_length(rows, 0, 1) == AUDIT_HASH_BYTES &&
                                    memcmp(store_result_text(rows, 0, 1), previous, AUDIT_HASH_BYTES) == 0));
    store_result_free(rows);
    if (!head_ok) {
        *bad_id = head_id > expected_id - 1 ? head_id : expected_id - 1;
        if (head_id > expected_id - 1)
            return alvd_err_set(err, 409, "audit_broken", NULL,
                                "Audit entry %lld is missing: the chain ends at %lld.", head_id,
                                expected_id - 1);
        return alvd_err_set(err, 409, "audit_broken", NULL,
                            "Audit entry %lld does not match the recorded head of the chain.",
                            expected_id - 1);
    }
    return 0;
}
