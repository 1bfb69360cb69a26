/* Key files: created atomically (O_EXCL) so two processes starting together agree on
 * one key, and read back exactly, refusing short or oversized files. */
#include "alvd/crypto/keyfile.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static int keyfile_read(const char *path, unsigned char *key, size_t length, alvd_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    unsigned char extra;
    ssize_t got = read(fd, key, length);
    ssize_t more = read(fd, &extra, 1);
    close(fd);
    if (got != (ssize_t)length || more != 0)
        return alvd_err_set(err, 500, "bad_key_file", NULL, "Key file %s has the wrong size.",
                            path);
    return 0;
}

void keyfile_give_to_directory_owner(int fd, const char *keys_dir)
{
    struct stat owner;
    if (geteuid() != 0 || stat(keys_dir, &owner) != 0 || owner.st_uid == 0)
        return;
    if (fchown(fd, owner.st_uid, owner.st_gid) != 0) {
        /* The key stays root's; reading it fails later with its own message. */
    }
}

int keyfile_load_or_create(const char *data_dir, const char *name, unsigned char *key,
                           size_t length,
                           void (*generate)(unsigned char *key, size_t length, void *context),
                           void *context, alvd_err *err)
{
    char dir[1024], path[1200];
    snprintf(dir, sizeof dir, "%s/keys", data_dir);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    alvd_err_clear(err);
    if (keyfile_read(path, key, length, err) == 0)
        return 0;
    if (alvd_err_is_set(err))
        return -1;
    if (mkdir(data_dir, 0700) != 0 && errno != EEXIST)
        return alvd_err_set(err, 500, "no_data_dir", NULL, "Cannot create %s.", data_dir);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return alvd_err_set(err, 500, "no_data_dir", NULL, "Cannot create %s.", dir);
    if (generate)
        generate(key, length, context);
    else
        randombytes_buf(key, length);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        if (errno == EEXIST) /* another process won the race: use its key */
            return keyfile_read(path, key, length, err);
        return alvd_err_set(err, 500, "bad_key_file", NULL, "Cannot create %s.", path);
    }
    keyfile_give_to_directory_owner(fd, dir);
    ssize_t written = write(fd, key, length);
    if (fsync(fd) != 0 || close(fd) != 0 || written != (ssize_t)length)
        return alvd_err_set(err, 500, "bad_key_file", NULL, "Cannot write %s.", path);
    return 0;
}

int keyfile_read_existing(const char *data_dir, const char *name, unsigned char *key, size_t length,
                          alvd_err *err)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/keys/%s", data_dir, name);
    alvd_err_clear(err);
    if (keyfile_read(path, key, length, err) == 0)
        return 0;
    if (alvd_err_is_set(err))
        return -1;
    return alvd_err_set(err, 404, "no_key", NULL, "Key file %s does not exist.", path);
}

int keyfile_replace(const char *data_dir, const char *name, const unsigned char *key, size_t length, alvd_err *err)
{
    char dir[1024], path[1200], temporary[1300];
    snprintf(dir, sizeof dir, "%s/keys", data_dir);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    snprintf(temporary, sizeof temporary, "%s/.%s.new", dir, name);
    if ((mkdir(data_dir, 0700) != 0 && errno != EEXIST) || (mkdir(dir, 0700) != 0 && errno != EEXIST))
        return alvd_err_set(err, 500, "no_data_dir", NULL, "Cannot create %s.", dir);
    int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0)
        return alvd_err_set(err, 500, "bad_key_file", NULL, "Cannot create %s.", temporary);
    ssize_t written = write(fd, key, length);
    if (fsync(fd) != 0 || close(fd) != 0 || written != (ssize_t)length || rename(temporary, path) != 0) {
        unlink(temporary);
        return alvd_err_set(err, 500, "bad_key_file", NULL, "Cannot write %s.", path);
    }
    /* The rename is durable once the directory is. */
    int dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
        fsync(dir_fd);
        close(dir_fd);
    }
    return 0;
}

int keyfile_remove(const char *data_dir, const char *name, alvd_err *err)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/keys/%s", data_dir, name);
    if (unlink(path) != 0 && errno != ENOENT)
        return alvd_err_set(err, 500, "bad_key_file", NULL, "Cannot remove %s.", path);
    return 0;
}
