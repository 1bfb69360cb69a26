/* Signed checkpoints of the audit head: what the chain looked like at an instant, signed
 * with a key under keys/, so a later rewrite (even one with the audit key) is caught. */
#include "alvd/crypto/audit_checkpoint.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alvd/crypto/audit.h"
#include "alvd/crypto/keyfile.h"
#include "alvd/store/audit_chain.h"

#define CHECKPOINT_TEXT_MAX 1024
#define CHECKPOINT_HEX (2 * AUDIT_HASH_BYTES)

int audit_checkpoint_keys_load(const char *data_dir, int create, audit_checkpoint_keys *keys, alvd_err *err)
{
    unsigned char seed[crypto_sign_SEEDBYTES];
    int rc = create ? keyfile_load_or_create(data_dir, AUDIT_CHECKPOINT_KEY_FILE, seed, sizeof seed, NULL, NULL, err)
                    : keyfile_read_existing(data_dir, AUDIT_CHECKPOINT_KEY_FILE, seed, sizeof seed, err);
    if (rc == 0)
        crypto_sign_seed_keypair(keys->public_key, keys->secret_key, seed);
    sodium_memzero(seed, sizeof seed);
    return rc;
}

void audit_checkpoint_keys_wipe(audit_checkpoint_keys *keys)
{
    sodium_memzero(keys, sizeof *keys);
}

static void checkpoint_hex(const unsigned char *bytes, size_t length, char *out)
{
    sodium_bin2hex(out, 2 * length + 1, bytes, length);
}

/* The signed part of a checkpoint (every line up to and including "key:"). */
static int checkpoint_body(char *out, size_t size, const char *database, long long entry, const char *written,
                           const unsigned char *hash, const unsigned char *mac, const unsigned char *public_key)
{
    char hash_hex[CHECKPOINT_HEX + 1], mac_hex[CHECKPOINT_HEX + 1], key_hex[2 * crypto_sign_PUBLICKEYBYTES + 1];
    checkpoint_hex(hash, AUDIT_HASH_BYTES, hash_hex);
    checkpoint_hex(mac, AUDIT_HASH_BYTES, mac_hex);
    checkpoint_hex(public_key, crypto_sign_PUBLICKEYBYTES, key_hex);
    int length = snprintf(out, size, AUDIT_CHECKPOINT_HEADER "database: %s\nentry: %lld\nwritten: %s\nhash: %s\nmac: %s\nkey: %s\n",
                          database, entry, written, hash_hex, mac_hex, key_hex);
    return length > 0 && (size_t)length < size ? length : -1;
}

static void checkpoint_path(char *out, size_t size, const char *data_dir, long long entry)
{
    snprintf(out, size, "%s/%s/%012lld.txt", data_dir, AUDIT_CHECKPOINT_DIR, entry);
}

int audit_checkpoint_write(store_conn *conn, const char *data_dir, const char *database,
                           const audit_checkpoint_keys *keys, long long *entry, char **text, alvd_err *err)
{
    store_result *head = NULL;
    char path[1200], draft[1300], dir[1100];
    *text = NULL;
    *entry = 0;
    if (store_audit_head_newest(conn, &head, err) != 0)
        return -1;
    if (store_result_rows(head) != 1 || store_result_int(head, 0, 0) == 0 ||
        store_result_length(head, 0, 1) != AUDIT_HASH_BYTES || store_result_length(head, 0, 2) != AUDIT_HASH_BYTES) {
        store_result_free(head);
        return 0; /* nothing written yet, or not sealed: nothing to vouch for */
    }
    *entry = store_result_int(head, 0, 0);
    checkpoint_path(path, sizeof path, data_dir, *entry);
    if (access(path, F_OK) == 0) {
        store_result_free(head);
        return 0;
    }
    char written[32];
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(written, sizeof written, "%Y-%m-%dT%H:%M:%SZ", &utc);
    char *out = malloc(CHECKPOINT_TEXT_MAX);
    int length = out ? checkpoint_body(out, CHECKPOINT_TEXT_MAX, database, *entry, written,
                                       (const unsigned char *)store_result_text(head, 0, 1),
                                       (const unsigned char *)store_result_text(head, 0, 2), keys->public_key)
                     : -1;
    store_result_free(head);
    if (length < 0) {
        free(out);
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    }
    unsigned char signature[crypto_sign_BYTES];
    char signature_hex[2 * crypto_sign_BYTES + 1];
    crypto_sign_detached(signature, NULL, (const unsigned char *)out, (unsigned long long)length, keys->secret_key);
    checkpoint_hex(signature, sizeof signature, signature_hex);
    snprintf(out + length, CHECKPOINT_TEXT_MAX - (size_t)length, "sig: %.64s\nsig: %s\n", signature_hex,
             signature_hex + 64);
    /* A private name first, then link(): another process writing the same head either
     * finds the whole file or loses the race, never a half-written one. */
    snprintf(dir, sizeof dir, "%s/%s", data_dir, AUDIT_CHECKPOINT_DIR);
    snprintf(draft, sizeof draft, "%s/.draft-%ld-%08x", dir, (long)getpid(), randombytes_random());
    if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
        free(out);
        return alvd_err_set(err, 500, "no_data_dir", NULL, "Cannot create %s.", dir);
    }
    int fd = open(draft, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    size_t size = strlen(out);
    int ok = fd >= 0 && write(fd, out, size) == (ssize_t)size && fsync(fd) == 0;
    if (fd >= 0 && close(fd) != 0)
        ok = 0;
    int linked = ok ? link(draft, path) : -1;
    int link_errno = errno;
    unlink(draft);
    if (!ok || (linked != 0 && link_errno != EEXIST)) {
        free(out);
        return alvd_err_set(err, 500, "checkpoint_not_written", NULL, "Cannot write %s.", path);
    }
    if (linked != 0) {
        free(out);
        return 0;
    }
    *text = out;
    return 1;
}

/* The value after "name: " on the line at *cursor; advances past the line. */
static int checkpoint_field(const char **cursor, const char *name, char *out, size_t size)
{
    size_t name_length = strlen(name);
    const char *line = *cursor;
    if (strncmp(line, name, name_length) != 0 || line[name_length] != ':' || line[name_length + 1] != ' ')
        return -1;
    const char *value = line + name_length + 2;
    size_t length = strcspn(value, "\r\n");
    if (length == 0 || length >= size)
        return -1;
    memcpy(out, value, length);
    out[length] = '\0';
    const char *next = value + length;
    if (*next == '\r')
        next++;
    if (*next != '\n')
        return -1;
    *cursor = next + 1;
    return 0;
}

static int checkpoint_unhex(const char *hex, unsigned char *out, size_t length)
{
    size_t decoded = 0;
    return strlen(hex) == 2 * length && sodium_hex2bin(out, length, hex, 2 * length, NULL, &decoded, NULL) == 0 &&
                   decoded == length
               ? 0
               : -1;
}

int audit_checkpoint_check(store_conn *conn, const unsigned char public_key[crypto_sign_PUBLICKEYBYTES],
                           const char *text, long long *entry, alvd_err *err)
{
    char database[128], entry_text[32], written[64], hash_hex[80], mac_hex[80], key_hex[80], first[80], second[80];
    unsigned char hash[AUDIT_HASH_BYTES], mac[AUDIT_HASH_BYTES], key[crypto_sign_PUBLICKEYBYTES];
    unsigned char signature[crypto_sign_BYTES];
    *entry = 0;
    const char *start = strstr(text, "alvd audit checkpoint v1");
    const char *cursor = start ? start + strlen("alvd audit checkpoint v1") : NULL;
    if (cursor && *cursor == '\r')
        cursor++;
    if (cursor == NULL || *cursor++ != '\n' || checkpoint_field(&cursor, "database", database, sizeof database) != 0 ||
        checkpoint_field(&cursor, "entry", entry_text, sizeof entry_text) != 0 ||
        checkpoint_field(&cursor, "written", written, sizeof written) != 0 ||
        checkpoint_field(&cursor, "hash", hash_hex, sizeof hash_hex) != 0 ||
        checkpoint_field(&cursor, "mac", mac_hex, sizeof mac_hex) != 0 ||
        checkpoint_field(&cursor, "key", key_hex, sizeof key_hex) != 0 ||
        checkpoint_field(&cursor, "sig", first, sizeof first) != 0 ||
        checkpoint_field(&cursor, "sig", second, sizeof second) != 0)
        return alvd_err_set(err, 422, "bad_checkpoint", NULL, "The file is not an alvd audit checkpoint.");
    char *end = NULL;
    long long id = strtoll(entry_text, &end, 10);
    char signature_hex[sizeof first + sizeof second];
    snprintf(signature_hex, sizeof signature_hex, "%s%s", first, second);
    if (*end != '\0' || id < 1 || checkpoint_unhex(hash_hex, hash, sizeof hash) != 0 ||
        checkpoint_unhex(mac_hex, mac, sizeof mac) != 0 || checkpoint_unhex(key_hex, key, sizeof key) != 0 ||
        checkpoint_unhex(signature_hex, signature, sizeof signature) != 0)
        return alvd_err_set(err, 422, "bad_checkpoint", NULL, "The audit checkpoint is damaged.");
    /* The signature covers the canonical lines, whatever line ends the copy has. */
    char body[CHECKPOINT_TEXT_MAX];
    int length = checkpoint_body(body, sizeof body, database, id, written, hash, mac, key);
    if (length < 0 || sodium_memcmp(key, public_key, sizeof key) != 0 ||
        crypto_sign_verify_detached(signature, (const unsigned char *)body, (unsigned long long)length, key) != 0)
        return alvd_err_set(err, 422, "bad_checkpoint", NULL,
                            "The audit checkpoint of entry %lld (%s) is not signed by this installation's key.", id,
                            written);
    *entry = id;
    store_result *rows = NULL;
    if (store_audit_log_entry_hashes(conn, id, &rows, err) != 0)
        return -1;
    int same = store_result_rows(rows) == 1 && store_result_length(rows, 0, 0) == AUDIT_HASH_BYTES &&
               store_result_length(rows, 0, 1) == AUDIT_HASH_BYTES &&
               sodium_memcmp(store_result_text(rows, 0, 0), hash, AUDIT_HASH_BYTES) == 0 &&
               sodium_memcmp(store_result_text(rows, 0, 1), mac, AUDIT_HASH_BYTES) == 0;
    int present = store_result_rows(rows) == 1;
    store_result_free(rows);
    if (!same)
        return alvd_err_set(err, 409, "audit_broken", NULL,
                            present ? "Audit entry %lld differs from the signed checkpoint of %s: the chain up to it "
                                      "was rewritten."
                                    : "Audit entry %lld is missing, but the signed checkpoint of %s records it.",
                            id, written);
    return 0;
}

static int checkpoint_name_compare(const void *left, const void *right)
{
    return strcmp(*(char *const *)left, *(char *const *)right);
}

int audit_checkpoints_verify(store_conn *conn, const char *data_dir,
                             const unsigned char public_key[crypto_sign_PUBLICKEYBYTES], long long *count,
                             long long *bad_id, alvd_err *err)
{
    char dir[1100];
    *count = 0;
    *bad_id = 0;
    snprintf(dir, sizeof dir, "%s/%s", data_dir, AUDIT_CHECKPOINT_DIR);
    DIR *listing = opendir(dir);
    if (listing == NULL)
        return 0; /* none written yet */
    char **names = NULL;
    size_t used = 0, capacity = 0;
    int rc = 0;
    for (struct dirent *item; (item = readdir(listing)) != NULL;) {
        size_t length = strlen(item->d_name);
        if (item->d_name[0] == '.' || length < 5 || strcmp(item->d_name + length - 4, ".txt") != 0)
            continue;
        if (used == capacity) {
            capacity = capacity ? 2 * capacity : 64;
            char **grown = realloc(names, capacity * sizeof *names);
            if (grown == NULL) {
                rc = alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
                break;
            }
            names = grown;
        }
        if ((names[used] = strdup(item->d_name)) == NULL) {
            rc = alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
            break;
        }
        used++;
    }
    closedir(listing);
    if (used > 1)
        qsort(names, used, sizeof *names, checkpoint_name_compare);
    for (size_t i = 0; i < used && rc == 0; i++) {
        char path[1400], text[CHECKPOINT_TEXT_MAX + 1];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        FILE *file = fopen(path, "re");
        size_t length = file ? fread(text, 1, CHECKPOINT_TEXT_MAX, file) : 0;
        if (file)
            fclose(file);
        text[length] = '\0';
        long long entry = 0;
        if (audit_checkpoint_check(conn, public_key, text, &entry, err) != 0) {
            *bad_id = entry;
            if (strcmp(err->code, "bad_checkpoint") == 0) {
                char why[ALVD_ERR_MESSAGE_MAX];
                snprintf(why, sizeof why, "%s", err->message);
                alvd_err_set(err, 409, "audit_broken", NULL, "Audit checkpoint %s: %s", path, why);
            }
            rc = -1;
        } else {
            (*count)++;
        }
    }
    for (size_t i = 0; i < used; i++)
        free(names[i]);
    free(names);
    return rc;
}
