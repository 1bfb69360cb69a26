/* Audit chain: ids are assigned under a lock on the audit_lock row, so the chain has
 * no gaps; each append also records the new head (hash and MAC) in audit_heads, so
 * deleting the newest entry is caught too. Appends update or delete no row (least
 * privilege); only the one-time sealing of an old chain does, as the migration account. */
#include "alvd/crypto/audit.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "alvd/base/app.h"
#include "alvd/base/buf.h"
#include "alvd/crypto/keyfile.h"

#define AUDIT_MAC_LABEL "alvd audit mac v1"
#define AUDIT_PENDING_KEY_FILE "audit.key.pending"
#define AUDIT_WALK_BATCH 5000

/* One entry as it is hashed: every column, in a fixed order. */
typedef struct audit_fields {
    long long id, actor_id, object_id;
    const char *created_at, *actor_kind, *actor_label, *action, *object_type, *details;
} audit_fields;

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

/* The canonical bytes of an entry: the previous hash (or MAC), the numbers, then every
 * text field NUL-ended, so any edit of any column changes the result. Without a key
 * this is the chain's hash, which anyone can recompute; with the key (and a label of
 * its own) it is the MAC, which only a holder of keys/audit.key can. */
static void audit_digest(const unsigned char *key, const unsigned char previous[AUDIT_HASH_BYTES],
                         const audit_fields *entry, unsigned char out[AUDIT_HASH_BYTES])
{
    crypto_generichash_state state;
    char numbers[96];
    crypto_generichash_init(&state, key, key ? AUDIT_KEY_BYTES : 0, AUDIT_HASH_BYTES);
    if (key)
        crypto_generichash_update(&state, (const unsigned char *)AUDIT_MAC_LABEL, sizeof AUDIT_MAC_LABEL);
    crypto_generichash_update(&state, previous, AUDIT_HASH_BYTES);
    snprintf(numbers, sizeof numbers, "%lld\n%lld\n%lld\n", entry->id, entry->actor_id, entry->object_id);
    crypto_generichash_update(&state, (const unsigned char *)numbers, strlen(numbers));
    const char *fields[] = {entry->created_at, entry->actor_kind, entry->actor_label,
                            entry->action, entry->object_type, entry->details};
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
    const alvd_app *app = store_conn_owner(conn);
    if (app == NULL || !app->audit_key_loaded)
        return alvd_err_set(err, 500, "audit_key_missing", NULL, "The audit key is not loaded.");
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
    if (store_query(conn, err, &head, "SELECT id, hash, mac FROM audit_heads ORDER BY id DESC LIMIT 1",
                    STORE_NO_PARAMS) != 0)
        goto fail;
    unsigned char previous[AUDIT_HASH_BYTES] = {0}, previous_mac[AUDIT_HASH_BYTES] = {0};
    unsigned char hash[AUDIT_HASH_BYTES], mac[AUDIT_HASH_BYTES];
    long long id = 1;
    if (store_result_rows(head) == 1) {
        if (store_result_length(head, 0, 1) != AUDIT_HASH_BYTES) {
            alvd_err_set(err, 500, "audit_broken", NULL, "The recorded audit head has no valid hash.");
            goto fail;
        }
        if (store_result_length(head, 0, 2) != AUDIT_HASH_BYTES) {
            alvd_err_set(err, 500, "audit_not_sealed", NULL,
                         "The audit chain is not authenticated; run `alvd migrate` (docs/internals/audit.md).");
            goto fail;
        }
        id = store_result_int(head, 0, 0) + 1;
        memcpy(previous, store_result_text(head, 0, 1), AUDIT_HASH_BYTES);
        memcpy(previous_mac, store_result_text(head, 0, 2), AUDIT_HASH_BYTES);
    }
    char created_at[32];
    audit_now(created_at);
    details_text = details ? json_dumps(details, JSON_COMPACT | JSON_SORT_KEYS) : strdup("{}");
    audit_fields entry = {
        .id = id,
        .actor_id = actor ? actor->id : 0,
        .object_id = object_id,
        .created_at = created_at,
        .actor_kind = actor && actor->kind ? actor->kind : "system",
        .actor_label = actor && actor->label ? actor->label : "",
        .action = action,
        .object_type = object_type,
        .details = details_text,
    };
    audit_digest(NULL, previous, &entry, hash);
    audit_digest(app->audit_key, previous_mac, &entry, mac);
    if (store_execute(conn, err, NULL,
                      "INSERT INTO audit_log (id, created_at, actor_kind, actor_id, actor_label,"
                      " action, object_type, object_id, details, prev_hash, hash, mac)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      STORE_PARAMS(STORE_INT_PARAM(entry.id), STORE_TEXT_PARAM(created_at),
                                   STORE_TEXT_PARAM(entry.actor_kind), STORE_INT_PARAM(entry.actor_id),
                                   STORE_TEXT_PARAM(entry.actor_label), STORE_TEXT_PARAM(action),
                                   STORE_TEXT_PARAM(object_type), STORE_INT_PARAM(object_id),
                                   STORE_TEXT_PARAM(details_text),
                                   STORE_BLOB_PARAM(previous, AUDIT_HASH_BYTES),
                                   STORE_BLOB_PARAM(hash, AUDIT_HASH_BYTES),
                                   STORE_BLOB_PARAM(mac, AUDIT_HASH_BYTES))) != 0 ||
        store_execute(conn, err, NULL, "INSERT INTO audit_heads (id, hash, mac) VALUES (?, ?, ?)",
                      STORE_PARAMS(STORE_INT_PARAM(entry.id), STORE_BLOB_PARAM(hash, AUDIT_HASH_BYTES),
                                   STORE_BLOB_PARAM(mac, AUDIT_HASH_BYTES))) != 0) {
        /* The id is taken: on one server the lock row makes that impossible, but on a
         * Galera cluster the lock is per node, and another node's entry with this id was
         * applied here after we read the head. A lost race, not bad input: retry. */
        if (err->status == 409 && strcmp(err->code, "duplicate") == 0)
            alvd_err_set(err, 503, "retry", NULL, "De database was even bezet; probeer het opnieuw.");
        goto fail;
    }
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

static int audit_broken(alvd_err *err, long long *bad_id, long long id, const char *why)
{
    *bad_id = id;
    return alvd_err_set(err, 409, "audit_broken", NULL, "Audit entry %lld %s.", id, why);
}

/* Walk the chain from entry 1: ids without gaps, each prev_hash the hash before it, each
 * hash recomputed. With seal, every entry then gets its MAC written (the migration of a
 * chain from before the key); otherwise each stored MAC must equal the recomputed one.
 * Last, the head must name the last entry, its hash and its MAC. */
static int audit_walk(store_conn *conn, const unsigned char key[AUDIT_KEY_BYTES], int seal, long long *checked,
                      long long *bad_id, alvd_err *err)
{
    unsigned char previous[AUDIT_HASH_BYTES] = {0}, previous_mac[AUDIT_HASH_BYTES] = {0};
    long long expected_id = 1;
    store_result *rows = NULL;
    *checked = 0;
    *bad_id = 0;
    for (;;) {
        if (store_query(conn, err, &rows,
                        "SELECT id, DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%S.%f'), actor_kind,"
                        " actor_id, actor_label, action, object_type, object_id, details,"
                        " prev_hash, hash, mac FROM audit_log WHERE id >= ? ORDER BY id LIMIT 5000",
                        STORE_PARAMS(STORE_INT_PARAM(expected_id))) != 0)
            return -1;
        size_t count = store_result_rows(rows);
        for (size_t r = 0; r < count; r++) {
            audit_fields entry = {
                .id = store_result_int(rows, r, 0),
                .created_at = store_result_text(rows, r, 1),
                .actor_kind = store_result_text(rows, r, 2),
                .actor_id = store_result_int(rows, r, 3),
                .actor_label = store_result_text(rows, r, 4),
                .action = store_result_text(rows, r, 5),
                .object_type = store_result_text(rows, r, 6),
                .object_id = store_result_int(rows, r, 7),
                .details = store_result_text(rows, r, 8),
            };
            unsigned char hash[AUDIT_HASH_BYTES], mac[AUDIT_HASH_BYTES];
            const char *why = NULL;
            if (entry.id != expected_id) {
                entry.id = expected_id;
                why = "is missing (deleted)";
            } else if (store_result_length(rows, r, 9) != AUDIT_HASH_BYTES ||
                       memcmp(store_result_text(rows, r, 9), previous, AUDIT_HASH_BYTES) != 0) {
                why = "does not link to the entry before it";
            } else {
                audit_digest(NULL, previous, &entry, hash);
                audit_digest(key, previous_mac, &entry, mac);
                if (store_result_length(rows, r, 10) != AUDIT_HASH_BYTES ||
                    sodium_memcmp(store_result_text(rows, r, 10), hash, AUDIT_HASH_BYTES) != 0)
                    why = "was changed after it was written (hash mismatch)";
                else if (!seal && store_result_length(rows, r, 11) != AUDIT_HASH_BYTES)
                    why = "has no MAC: alvd did not write it, or its MAC was removed";
                else if (!seal && sodium_memcmp(store_result_text(rows, r, 11), mac, AUDIT_HASH_BYTES) != 0)
                    why = "was rewritten without the audit key (MAC mismatch; the hashes were recomputed)";
            }
            if (why) {
                store_result_free(rows);
                return audit_broken(err, bad_id, entry.id, why);
            }
            if (seal && store_execute(conn, err, NULL, "UPDATE audit_log SET mac = ? WHERE id = ?",
                                      STORE_PARAMS(STORE_BLOB_PARAM(mac, AUDIT_HASH_BYTES),
                                                   STORE_INT_PARAM(entry.id))) != 0) {
                store_result_free(rows);
                return -1;
            }
            memcpy(previous, hash, AUDIT_HASH_BYTES);
            memcpy(previous_mac, mac, AUDIT_HASH_BYTES);
            expected_id++;
            (*checked)++;
        }
        store_result_free(rows);
        rows = NULL;
        if (count < AUDIT_WALK_BATCH)
            break;
    }
    /* The newest recorded head must be the last entry, with its hash and its MAC;
     * otherwise the newest entries were removed. */
    if (store_query(conn, err, &rows, "SELECT id, hash, mac FROM audit_heads ORDER BY id DESC LIMIT 1",
                    STORE_NO_PARAMS) != 0)
        return -1;
    long long head_id = store_result_rows(rows) == 1 ? store_result_int(rows, 0, 0) : 0;
    int head_ok = head_id == expected_id - 1 &&
                  (head_id == 0 || (store_result_length(rows, 0, 1) == AUDIT_HASH_BYTES &&
                                    memcmp(store_result_text(rows, 0, 1), previous, AUDIT_HASH_BYTES) == 0));
    int head_mac_ok = head_id == 0 || (store_result_length(rows, 0, 2) == AUDIT_HASH_BYTES &&
                                       sodium_memcmp(store_result_text(rows, 0, 2), previous_mac, AUDIT_HASH_BYTES) == 0);
    store_result_free(rows);
    if (!head_ok) {
        *bad_id = head_id > expected_id - 1 ? head_id : expected_id - 1;
        if (head_id > expected_id - 1)
            return alvd_err_set(err, 409, "audit_broken", NULL,
                                "Audit entry %lld is missing: the chain ends at %lld.", head_id, expected_id - 1);
        return alvd_err_set(err, 409, "audit_broken", NULL,
                            "Audit entry %lld does not match the recorded head of the chain.", expected_id - 1);
    }
    if (seal)
        return head_id == 0 ? 0
                            : store_execute(conn, err, NULL, "UPDATE audit_heads SET mac = ? WHERE id = ?",
                                            STORE_PARAMS(STORE_BLOB_PARAM(previous_mac, AUDIT_HASH_BYTES),
                                                         STORE_INT_PARAM(head_id)));
    if (!head_mac_ok)
        return audit_broken(err, bad_id, head_id,
                            "is not the entry the audit head was authenticated for (head MAC mismatch)");
    return 0;
}

int audit_verify(store_conn *conn, const unsigned char key[AUDIT_KEY_BYTES], long long *checked, long long *bad_id,
                 alvd_err *err)
{
    return audit_walk(conn, key, 0, checked, bad_id, err);
}

int audit_key_load(const char *data_dir, unsigned char key[AUDIT_KEY_BYTES], alvd_err *err)
{
    if (keyfile_read_existing(data_dir, AUDIT_KEY_FILE, key, AUDIT_KEY_BYTES, err) == 0)
        return 0;
    if (strcmp(err->code, "no_key") != 0)
        return -1;
    return alvd_err_set(err, 404, "no_audit_key", NULL,
                        "%s/keys/%s is missing: run `alvd migrate` on a new installation, or restore keys/ from "
                        "the backup (docs/operations.md); without it the audit chain cannot be written or checked.",
                        data_dir, AUDIT_KEY_FILE);
}

/* keys/audit.key.pending: read it, or make it with a fresh random key. Written to a
 * private name first and then linked, so another process sees the whole file or none. */
static int audit_pending_key(const char *data_dir, unsigned char key[AUDIT_KEY_BYTES], alvd_err *err)
{
    char dir[1100], pending[1200], draft[1300];
    if (keyfile_read_existing(data_dir, AUDIT_PENDING_KEY_FILE, key, AUDIT_KEY_BYTES, err) == 0)
        return 0;
    if (strcmp(err->code, "no_key") != 0)
        return -1;
    alvd_err_clear(err);
    snprintf(dir, sizeof dir, "%s/keys", data_dir);
    snprintf(pending, sizeof pending, "%s/%s", dir, AUDIT_PENDING_KEY_FILE);
    snprintf(draft, sizeof draft, "%s/.audit.key.%ld.%08x", dir, (long)getpid(), randombytes_random());
    if ((mkdir(data_dir, 0700) != 0 && errno != EEXIST) || (mkdir(dir, 0700) != 0 && errno != EEXIST))
        return alvd_err_set(err, 500, "no_data_dir", NULL, "Cannot create %s.", dir);
    randombytes_buf(key, AUDIT_KEY_BYTES);
    int fd = open(draft, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return alvd_err_set(err, 500, "bad_key_file", NULL, "Cannot create %s.", draft);
    ssize_t written = write(fd, key, AUDIT_KEY_BYTES);
    /* `alvd migrate` runs as root in the package; the key is the service user's. */
    int owned = keyfile_own_like_dir(fd, dir) == 0;
    int synced = fsync(fd) == 0;
    if (close(fd) != 0 || !synced || written != AUDIT_KEY_BYTES || !owned) {
        unlink(draft);
        return alvd_err_set(err, 500, "bad_key_file", NULL, "Cannot write %s.", draft);
    }
    int linked = link(draft, pending);
    int link_errno = errno;
    unlink(draft);
    if (linked == 0)
        return 0;
    if (link_errno == EEXIST) /* another process is sealing: use its key */
        return keyfile_read_existing(data_dir, AUDIT_PENDING_KEY_FILE, key, AUDIT_KEY_BYTES, err);
    return alvd_err_set(err, 500, "bad_key_file", NULL, "Cannot create %s.", pending);
}

static int audit_key_commit(const char *data_dir, alvd_err *err)
{
    char dir[1100], pending[1200], final[1200];
    snprintf(dir, sizeof dir, "%s/keys", data_dir);
    snprintf(pending, sizeof pending, "%s/%s", dir, AUDIT_PENDING_KEY_FILE);
    snprintf(final, sizeof final, "%s/%s", dir, AUDIT_KEY_FILE);
    if (rename(pending, final) != 0 && errno != ENOENT)
        return alvd_err_set(err, 500, "bad_key_file", NULL, "Cannot rename %s.", pending);
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    return 0;
}

int audit_seal(store_pool *pool, const char *data_dir, long long *sealed, alvd_err *err)
{
    unsigned char key[AUDIT_KEY_BYTES];
    store_result *head = NULL;
    store_conn *conn = NULL; /* the migration account: the service account may not update audit rows */
    long long bad_id = 0;
    int rc = -1;
    *sealed = -1;
    if (keyfile_read_existing(data_dir, AUDIT_KEY_FILE, key, AUDIT_KEY_BYTES, err) == 0) {
        sodium_memzero(key, sizeof key);
        return 0;
    }
    if (strcmp(err->code, "no_key") != 0)
        return -1;
    alvd_err_clear(err);
    if (audit_pending_key(data_dir, key, err) != 0 || (conn = store_conn_open_migration(pool, err)) == NULL ||
        store_begin(conn, err) != 0 ||
        store_query(conn, err, &head, "SELECT id FROM audit_lock WHERE id = 1 FOR UPDATE", STORE_NO_PARAMS) != 0)
        goto done;
    if (store_result_rows(head) != 1) {
        alvd_err_set(err, 500, "audit_lock_missing", NULL, "The audit lock row is missing.");
        goto done;
    }
    store_result_free(head);
    head = NULL;
    if (store_query(conn, err, &head, "SELECT mac FROM audit_heads ORDER BY id DESC LIMIT 1", STORE_NO_PARAMS) != 0)
        goto done;
    if (store_result_rows(head) == 1 && store_result_length(head, 0, 0) == AUDIT_HASH_BYTES) {
        /* Sealed already with the pending key (another process, or a crash after the
         * commit): check that, then only the rename is left. */
        store_rollback(conn);
        long long checked = 0;
        if (audit_walk(conn, key, 0, &checked, &bad_id, err) != 0) {
            char why[ALVD_ERR_MESSAGE_MAX];
            snprintf(why, sizeof why, "%s", err->message);
            alvd_err_set(err, 409, "audit_broken", NULL,
                         "The audit chain already carries MACs that keys/%s does not confirm (%s) Restore "
                         "keys/%s from the backup.", AUDIT_PENDING_KEY_FILE, why, AUDIT_KEY_FILE);
            goto done;
        }
    } else {
        if (audit_walk(conn, key, 1, sealed, &bad_id, err) != 0) {
            if (strcmp(err->code, "audit_broken") == 0) {
                char why[ALVD_ERR_MESSAGE_MAX];
                snprintf(why, sizeof why, "%s", err->message);
                alvd_err_set(err, 409, "audit_broken", NULL,
                             "%s The chain was not sealed with a key; see docs/internals/audit.md.", why);
            }
            goto done;
        }
        if (store_commit(conn, err) != 0)
            goto done;
    }
    rc = audit_key_commit(data_dir, err);
done:
    if (conn && store_in_transaction(conn))
        store_rollback(conn);
    store_result_free(head);
    store_conn_close(conn);
    sodium_memzero(key, sizeof key);
    return rc;
}
