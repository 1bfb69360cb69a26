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
#include "alvd/store/audit_chain.h"

#define AUDIT_MAC_LABEL "alvd audit mac v1"
#define AUDIT_PENDING_KEY_FILE "audit.key.pending"
#define AUDIT_WALK_BATCH 5000
#define AUDIT_ENTRY_MAC_LABEL "alvd audit entry v1"

/* One entry as it is hashed: every column, in a fixed order (the store's row). */
typedef store_audit_entry audit_fields;

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

/* Every text field of an entry, NUL-ended, in one fixed order (the chain's hash and MAC
 * and the entry MAC take the same texts). */
static void audit_digest_texts(crypto_generichash_state *state, const audit_fields *entry)
{
    const char *fields[] = {entry->created_at, entry->actor_kind, entry->actor_label,
                            entry->action, entry->object_type, entry->details};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *field = fields[i] ? fields[i] : "";
        crypto_generichash_update(state, (const unsigned char *)field, strlen(field) + 1);
    }
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
    audit_digest_texts(&state, entry);
    crypto_generichash_final(&state, out, AUDIT_HASH_BYTES);
}

/* The keyed MAC of an entry as its transaction commits it, before it has a place in the
 * chain: over a random nonce and every field but the (not yet known) id. Only a holder
 * of the key can make one, so the sequencer chains only what alvd wrote; the nonce makes
 * every MAC unique, so a copied row collides on audit_pending's unique key. */
static void audit_entry_mac(const unsigned char *key, const unsigned char nonce[AUDIT_NONCE_BYTES],
                            const audit_fields *entry, unsigned char out[AUDIT_HASH_BYTES])
{
    crypto_generichash_state state;
    char numbers[64];
    crypto_generichash_init(&state, key, AUDIT_KEY_BYTES, AUDIT_HASH_BYTES);
    crypto_generichash_update(&state, (const unsigned char *)AUDIT_ENTRY_MAC_LABEL, sizeof AUDIT_ENTRY_MAC_LABEL);
    crypto_generichash_update(&state, nonce, AUDIT_NONCE_BYTES);
    snprintf(numbers, sizeof numbers, "%lld\n%lld\n", entry->actor_id, entry->object_id);
    crypto_generichash_update(&state, (const unsigned char *)numbers, strlen(numbers));
    audit_digest_texts(&state, entry);
    crypto_generichash_final(&state, out, AUDIT_HASH_BYTES);
}

int audit_append(store_conn *conn, alvd_err *err, const audit_actor *actor,
                 const char *action, const char *object_type, long long object_id,
                 json_t *details)
{
    const alvd_app *app = store_conn_owner(conn);
    if (app == NULL || !app->audit_key_loaded)
        return alvd_err_set(err, 500, "audit_key_missing", NULL, "The audit key is not loaded.");
    /* No lock and no head: the entry is committed (or rolled back) with the change it
     * records, and the sequencer gives it its place in the chain once it is committed
     * (audit_chain_pending). So no global row sits in the business transaction. */
    /* A chain whose head lost its MAC cannot be continued: refuse the change rather than
     * record it where nobody can check it (a plain read, no lock). */
    int unsealed = 0;
    if (store_audit_head_unsealed(conn, &unsealed, err) != 0)
        return -1;
    if (unsealed)
        return alvd_err_set(err, 500, "audit_not_sealed", NULL,
                            "The audit chain is not authenticated; run `alvd migrate` (docs/internals/audit.md).");
    char created_at[32];
    audit_now(created_at);
    char *details_text = details ? json_dumps(details, JSON_COMPACT | JSON_SORT_KEYS) : strdup("{}");
    if (details_text == NULL)
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    audit_fields entry = {
        .actor_id = actor ? actor->id : 0,
        .object_id = object_id,
        .created_at = created_at,
        .actor_kind = actor && actor->kind ? actor->kind : "system",
        .actor_label = actor && actor->label ? actor->label : "",
        .action = action,
        .object_type = object_type,
        .details = details_text,
    };
    unsigned char nonce[AUDIT_NONCE_BYTES], mac[AUDIT_HASH_BYTES];
    randombytes_buf(nonce, sizeof nonce);
    audit_entry_mac(app->audit_key, nonce, &entry, mac);
    int rc = store_audit_pending_insert(conn, &entry, nonce, AUDIT_NONCE_BYTES, mac, AUDIT_HASH_BYTES, err);
    free(details_text);
    if (rc == 0)
        store_want_commit_hook(conn); /* the sequencer chains it right after the commit */
    return rc;
}

static void audit_pending_fields(const store_result *rows, size_t r, audit_fields *entry)
{
    entry->id = 0;
    entry->created_at = store_result_text(rows, r, 1);
    entry->actor_kind = store_result_text(rows, r, 2);
    entry->actor_id = store_result_int(rows, r, 3);
    entry->actor_label = store_result_text(rows, r, 4);
    entry->action = store_result_text(rows, r, 5);
    entry->object_type = store_result_text(rows, r, 6);
    entry->object_id = store_result_int(rows, r, 7);
    entry->details = store_result_text(rows, r, 8);
}

/* Whether the pending row's MAC is the one alvd made for its nonce and content. */
static int audit_pending_authentic(const unsigned char *key, const store_result *rows, size_t r,
                                   const audit_fields *entry, size_t nonce_column)
{
    unsigned char mac[AUDIT_HASH_BYTES];
    if (store_result_length(rows, r, nonce_column) != AUDIT_NONCE_BYTES ||
        store_result_length(rows, r, nonce_column + 1) != AUDIT_HASH_BYTES)
        return 0;
    audit_entry_mac(key, (const unsigned char *)store_result_text(rows, r, nonce_column), entry, mac);
    return sodium_memcmp(mac, store_result_text(rows, r, nonce_column + 1), AUDIT_HASH_BYTES) == 0;
}

int audit_chain_pending(store_conn *conn, const unsigned char key[AUDIT_KEY_BYTES], long long after_id, int limit,
                        audit_chain_result *result, alvd_err *err)
{
    store_result *head = NULL, *rows = NULL;
    int rc = -1;
    memset(result, 0, sizeof *result);
    /* Committed entries not chained yet, in the order of their pending id. */
    if (store_audit_pending_unchained(conn, after_id, limit, &rows, err) != 0)
        goto fail;
    size_t count = store_result_rows(rows);
    if (count == (size_t)limit)
        result->more = 1;
    if (count > 0)
        result->last_seen = store_result_int(rows, count - 1, 0);
    if (count == 0) {
        rc = 0;
        goto fail;
    }
    if (store_audit_head_newest(conn, &head, err) != 0)
        goto fail;
    unsigned char previous[AUDIT_HASH_BYTES] = {0}, previous_mac[AUDIT_HASH_BYTES] = {0};
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
    for (size_t r = 0; r < count; r++) {
        long long pending_id = store_result_int(rows, r, 0);
        audit_fields entry;
        audit_pending_fields(rows, r, &entry);
        if (!audit_pending_authentic(key, rows, r, &entry, STORE_AUDIT_PENDING_NONCE)) {
            /* Not written by alvd (or changed since): never chained; verify names it once
             * it is older than the bound. */
            if (result->first_refused == 0)
                result->first_refused = pending_id;
            continue;
        }
        entry.id = id;
        unsigned char hash[AUDIT_HASH_BYTES], mac[AUDIT_HASH_BYTES];
        audit_digest(NULL, previous, &entry, hash);
        audit_digest(key, previous_mac, &entry, mac);
        if (store_audit_chain_append(conn, &entry, pending_id, previous, hash, mac, AUDIT_HASH_BYTES, err) != 0) {
            /* Only the lease holder chains, and its lease row fences the transaction; a
             * taken id means another holder got in all the same: retry from its head. */
            if (err->status == 409 && strcmp(err->code, "duplicate") == 0)
                alvd_err_set(err, 503, "retry", NULL, "The audit chain moved on; chain again.");
            goto fail;
        }
        /* How long the entry waited for its place (GET /metrics, the sequencing lag). */
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        struct tm written = {0};
        int microseconds = 0;
        if (sscanf(entry.created_at, "%d-%d-%d %d:%d:%d.%d", &written.tm_year, &written.tm_mon, &written.tm_mday,
                   &written.tm_hour, &written.tm_min, &written.tm_sec, &microseconds) == 7) {
            written.tm_year -= 1900;
            written.tm_mon -= 1;
            double lag = (double)(now.tv_sec - timegm(&written)) + (double)now.tv_nsec / 1e9 - microseconds / 1e6;
            store_note_lock_wait(conn, lag < 0 ? 0 : lag);
        }
        memcpy(previous, hash, AUDIT_HASH_BYTES);
        memcpy(previous_mac, mac, AUDIT_HASH_BYTES);
        id++;
        result->chained++;
        if (pending_id > result->highest_pending)
            result->highest_pending = pending_id;
    }
    rc = 0;
fail:
    store_result_free(rows);
    store_result_free(head);
    return rc;
}

void audit_await_chained(store_conn *conn, int wait_ms)
{
    alvd_err err;
    alvd_err_clear(&err);
    /* Everything committed up to now: the highest pending id (later ones are not ours). */
    long long up_to = 0;
    if (store_audit_pending_max(conn, &up_to, &err) != 0)
        return;
    for (int waited = 0;; waited += 20) {
        int waiting = 0;
        if (store_audit_pending_waiting(conn, up_to, AUDIT_PENDING_BOUND_SECONDS, &waiting, &err) != 0)
            return;
        if (!waiting || waited >= wait_ms)
            return;
        struct timespec pause = {0, 20 * 1000000L};
        nanosleep(&pause, NULL);
    }
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
    /* The chain as of one moment: both ends read by one statement (one read view), then
     * only entries up to them are walked, so entries the sequencer chains meanwhile are
     * neither half seen nor taken for a removed tail. */
    long long log_end = 0, head_end = 0;
    if (store_audit_ends(conn, &log_end, &head_end, err) != 0)
        return -1;
    long long walk_end = log_end > head_end ? log_end : head_end;
    for (;;) {
        if (store_audit_log_range(conn, expected_id, walk_end, AUDIT_WALK_BATCH, &rows, err) != 0)
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
                /* An entry chained by the sequencer must be the one its transaction
                 * committed: same content under that entry's own MAC. */
                else if (!seal && !store_result_is_null(rows, r, 12) &&
                         (store_result_is_null(rows, r, 13) || !audit_pending_authentic(key, rows, r, &entry, 13)))
                    why = "is not the entry its transaction committed (pending entry missing or different)";
            }
            if (why) {
                store_result_free(rows);
                return audit_broken(err, bad_id, entry.id, why);
            }
            if (seal && store_audit_log_set_mac(conn, entry.id, mac, AUDIT_HASH_BYTES, err) != 0) {
                store_result_free(rows);
                return -1;
            }
            /* Sealing with a new key: the committed copy of a chained entry gets its MAC
             * under that key too, over the content the unkeyed chain just confirmed. */
            if (seal && !store_result_is_null(rows, r, 12) && store_result_length(rows, r, 13) == AUDIT_NONCE_BYTES) {
                unsigned char entry_mac[AUDIT_HASH_BYTES];
                audit_entry_mac(key, (const unsigned char *)store_result_text(rows, r, 13), &entry, entry_mac);
                if (store_audit_pending_set_mac(conn, store_result_int(rows, r, 12), entry_mac, AUDIT_HASH_BYTES,
                                                err) != 0) {
                    store_result_free(rows);
                    return -1;
                }
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
    if (store_audit_head_at(conn, head_end, &rows, err) != 0)
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
        return head_id == 0 ? 0 : store_audit_head_set_mac(conn, head_id, previous_mac, AUDIT_HASH_BYTES, err);
    if (!head_mac_ok)
        return audit_broken(err, bad_id, head_id,
                            "is not the entry the audit head was authenticated for (head MAC mismatch)");
    return 0;
}

/* Committed entries the sequencer has not chained yet: each must carry alvd's MAC, and
 * none may be older than AUDIT_PENDING_BOUND_SECONDS (the sequencer chains within a
 * fraction of a second; an entry left behind that long is a gap, not a delay). */
static int audit_check_pending(store_conn *conn, const unsigned char key[AUDIT_KEY_BYTES], long long *pending,
                               long long *bad_id, alvd_err *err)
{
    store_result *rows = NULL;
    long long after = 0;
    *pending = 0;
    for (;;) {
        if (store_audit_pending_overdue(conn, AUDIT_PENDING_BOUND_SECONDS, after, AUDIT_WALK_BATCH, &rows, err) != 0)
            return -1;
        size_t count = store_result_rows(rows);
        for (size_t r = 0; r < count; r++) {
            audit_fields entry;
            long long pending_id = store_result_int(rows, r, 0);
            audit_pending_fields(rows, r, &entry);
            const char *why = NULL;
            if (!audit_pending_authentic(key, rows, r, &entry, STORE_AUDIT_PENDING_NONCE))
                why = "was not written by alvd (no valid MAC) and is not chained";
            else if (store_result_int(rows, r, STORE_AUDIT_PENDING_OVERDUE) != 0)
                why = "was committed more than " AUDIT_PENDING_BOUND_TEXT " s ago and is still not chained (a gap)";
            if (why) {
                *bad_id = 0;
                alvd_err_set(err, 409, "audit_broken", NULL, "Audit entry pending %lld (%s %s) %s.",
                             pending_id, entry.action ? entry.action : "", entry.created_at ? entry.created_at : "", why);
                store_result_free(rows);
                return -1;
            }
            (*pending)++;
            after = pending_id;
        }
        store_result_free(rows);
        rows = NULL;
        if (count < AUDIT_WALK_BATCH)
            return 0;
    }
}

int audit_verify(store_conn *conn, const unsigned char key[AUDIT_KEY_BYTES], long long *checked, long long *pending,
                 long long *bad_id, alvd_err *err)
{
    long long unchained = 0;
    if (pending)
        *pending = 0;
    if (audit_walk(conn, key, 0, checked, bad_id, err) != 0 || audit_check_pending(conn, key, &unchained, bad_id, err) != 0)
        return -1;
    if (pending)
        *pending = unchained;
    return 0;
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
    int locked = 0, sealed_before = 0;
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
        store_begin(conn, err) != 0 || store_audit_lock(conn, &locked, err) != 0)
        goto done;
    if (!locked) {
        alvd_err_set(err, 500, "audit_lock_missing", NULL, "The audit lock row is missing.");
        goto done;
    }
    if (store_audit_head_sealed(conn, AUDIT_HASH_BYTES, &sealed_before, err) != 0)
        goto done;
    if (sealed_before) {
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
    store_conn_close(conn);
    sodium_memzero(key, sizeof key);
    return rc;
}
