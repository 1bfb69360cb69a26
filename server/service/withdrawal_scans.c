/* Scans of withdrawal letters: the file is written and synced under the data directory
 * before its row is committed, and removed again when the row cannot be. */
#include "alvd/service/withdrawals.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alvd/store/withdrawals.h"

static int withdrawals_scan_path(const char *data_dir, const char *stored_name, char *out, size_t size,
                                 int create_dir, alvd_err *err)
{
    char dir[600];
    snprintf(dir, sizeof dir, "%s/withdrawals", data_dir);
    if (create_dir && mkdir(dir, 0700) != 0 && errno != EEXIST)
        return alvd_err_set(err, 500, "storage", NULL, "De map voor scans kan niet worden gemaakt.");
    int written = snprintf(out, size, "%s/%s", dir, stored_name);
    if (written < 0 || (size_t)written >= size)
        return alvd_err_set(err, 500, "storage", NULL, "Het pad voor de scan is te lang.");
    return 0;
}

/* Write data to a new file at path and sync it; *created says whether the file exists now. */
static int withdrawals_scan_write(const char *path, const unsigned char *data, size_t length, int *created,
                                  alvd_err *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    *created = fd >= 0;
    if (fd < 0)
        return alvd_err_set(err, 500, "storage", NULL, "De scan kan niet worden opgeslagen.");
    for (size_t done = 0; done < length;) {
        ssize_t wrote = write(fd, data + done, length - done);
        if (wrote < 0 && errno == EINTR)
            continue;
        if (wrote <= 0) {
            close(fd);
            return alvd_err_set(err, 500, "storage", NULL, "De scan kan niet worden opgeslagen.");
        }
        done += (size_t)wrote;
    }
    int synced = fsync(fd) == 0;
    if (close(fd) != 0 || !synced)
        return alvd_err_set(err, 500, "storage", NULL, "De scan kan niet worden opgeslagen.");
    return 0;
}

int service_withdrawals_scan_save(store_conn *conn, const audit_actor *actor, const char *data_dir,
                                  const unsigned char *data, size_t length, const char *media_type,
                                  const char *name, json_t **out, alvd_err *err)
{
    char stored[33], path[700], sha256_hex[crypto_hash_sha256_BYTES * 2 + 1];
    unsigned char random_bytes[16], digest[crypto_hash_sha256_BYTES];
    int created = 0;
    long long id = 0;
    randombytes_buf(random_bytes, sizeof random_bytes);
    sodium_bin2hex(stored, sizeof stored, random_bytes, sizeof random_bytes);
    crypto_hash_sha256(digest, data, length);
    sodium_bin2hex(sha256_hex, sizeof sha256_hex, digest, sizeof digest);
    if (withdrawals_scan_path(data_dir, stored, path, sizeof path, 1, err) != 0 ||
        withdrawals_scan_write(path, data, length, &created, err) != 0)
        goto fail;
    long long uploaded_by = strcmp(actor->kind, "user") == 0 ? actor->id : 0;
    if (store_begin(conn, err) != 0 ||
        store_withdrawals_scan_insert(conn, stored, media_type, (long long)length, sha256_hex, name, uploaded_by, &id,
                                      err) != 0)
        goto fail;
    json_t *details = json_pack("{s:s, s:I, s:s}", "media_type", media_type, "size", (json_int_t)length, "sha256",
                                sha256_hex);
    int audited = audit_append(conn, err, actor, "withdrawal_scan.uploaded", "withdrawal_scan", id, details);
    json_decref(details);
    if (audited != 0 || store_commit(conn, err) != 0)
        goto fail;
    *out = json_pack("{s:I, s:s, s:I, s:s, s:s?}", "id", (json_int_t)id, "media_type", media_type, "size",
                     (json_int_t)length, "sha256", sha256_hex, "name", name);
    return 0;
fail:
    if (created)
        unlink(path);
    store_rollback(conn);
    return -1;
}

int service_withdrawals_scan_read(store_conn *conn, const char *data_dir, long long id, char **data, size_t *size,
                                  char media_type[64], alvd_err *err)
{
    store_withdrawal_scan scan;
    char path[700];
    *data = NULL;
    if (store_withdrawals_scan_load(conn, id, &scan, err) != 0)
        return -1;
    snprintf(media_type, 64, "%s", scan.media_type);
    /* The stored name is ours (32 hex digits), but never build a path from anything else. */
    int safe = strlen(scan.stored_name) == 32 && strspn(scan.stored_name, "0123456789abcdef") == 32;
    FILE *file = NULL;
    char *bytes = NULL;
    if (!safe || scan.size <= 0 || scan.size > SERVICE_WITHDRAWALS_SCAN_MAX_BYTES ||
        withdrawals_scan_path(data_dir, scan.stored_name, path, sizeof path, 0, err) != 0 ||
        (file = fopen(path, "rb")) == NULL || (bytes = malloc((size_t)scan.size)) == NULL ||
        fread(bytes, 1, (size_t)scan.size, file) != (size_t)scan.size) {
        if (file)
            fclose(file);
        free(bytes);
        return alvd_err_set(err, 404, "scan_missing", NULL, "Het bestand van deze scan ontbreekt.");
    }
    fclose(file);
    *data = bytes;
    *size = (size_t)scan.size;
    return 0;
}
