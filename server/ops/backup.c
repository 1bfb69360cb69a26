/* Backup and restore: the database through MariaDB's own client tools (mariadb-dump in
 * one transaction, mariadb to load it back) with the account's password passed on a
 * pipe, never on the command line or on disk; the data directory copied file by file
 * while its SHA-256 is taken; restore checks every checksum before it changes anything. */
#include "alvd/ops/backup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "alvd/base/buf.h"
#include "alvd/crypto/audit.h"
#include "alvd/crypto/audit_sequencer.h"
#include "alvd/store/db.h"
#include "alvd/store/privileges.h"
#include "alvd/store/server_info.h"

#define BACKUP_PATH_MAX 1024
#define BACKUP_STDERR_CAP 4096
#define BACKUP_SUMS_CAP (16u * 1024u * 1024u)
#define BACKUP_DEPTH_MAX 16

typedef struct backup_sums {
    alvd_buf text;          /* SHA256SUMS: "<hex>  <relative path>\n" per file */
    long long files;
    long long bytes;
    long long poll_keys;    /* key files of open secret polls, left out */
} backup_sums;

/* Left out of every backup: the keys of open secret polls. Each must not outlive its
 * poll's count (docs/internals/secret-ballots.md), and a backup outlives everything. */
#define BACKUP_POLL_KEYS "keys/polls"

/* ---- files ---- */

/* a/b into out; -1 when it does not fit (a path that long is refused, not cut). */
static int backup_join(char *out, size_t size, const char *a, const char *b)
{
    int length = snprintf(out, size, "%s/%s", a, b);
    return length < 0 || (size_t)length >= size ? -1 : 0;
}

static int backup_dir_is_empty_or_missing(const char *path, int *exists)
{
    DIR *handle = opendir(path);
    *exists = handle != NULL || errno != ENOENT;
    if (handle == NULL)
        return errno == ENOENT;
    struct dirent *entry;
    int empty = 1;
    while ((entry = readdir(handle)) != NULL)
        if (strcmp(entry->d_name, ".") != 0 && strcmp(entry->d_name, "..") != 0 &&
            strcmp(entry->d_name, "lost+found") != 0)
            empty = 0;
    closedir(handle);
    return empty;
}

static int backup_owner_apply(int fd, const struct stat *owner)
{
    /* Restoring as root into a directory the service owns: the files become the
     * service's, or it could not read its own keys. */
    if (owner == NULL || geteuid() != 0)
        return 0;
    return fchown(fd, owner->st_uid, owner->st_gid);
}

static int backup_mkdir(const char *path, const struct stat *owner, alvd_err *err)
{
    if (mkdir(path, 0700) != 0 && errno != EEXIST)
        return alvd_err_set(err, 500, "cannot_write", NULL, "Cannot create %s: %s.", path, strerror(errno));
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || fchmod(fd, 0700) != 0 || backup_owner_apply(fd, owner) != 0) {
        if (fd >= 0)
            close(fd);
        return alvd_err_set(err, 500, "cannot_write", NULL, "Cannot set up %s: %s.", path, strerror(errno));
    }
    close(fd);
    return 0;
}

/* Copy one file (0600), hashing what is written; hex gets the SHA-256. */
static int backup_copy_file(const char *from, const char *to, const struct stat *owner, char hex[65],
                            long long *bytes, alvd_err *err)
{
    int in = open(from, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return alvd_err_set(err, 500, "cannot_read", NULL, "Cannot read %s: %s.", from, strerror(errno));
    int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (out < 0) {
        close(in);
        return alvd_err_set(err, 500, "cannot_write", NULL, "Cannot create %s: %s.", to, strerror(errno));
    }
    crypto_hash_sha256_state state;
    crypto_hash_sha256_init(&state);
    char block[65536];
    ssize_t got;
    int rc = 0;
    while ((got = read(in, block, sizeof block)) > 0) {
        crypto_hash_sha256_update(&state, (const unsigned char *)block, (unsigned long long)got);
        *bytes += got;
        if (write(out, block, (size_t)got) != got) {
            rc = -1;
            break;
        }
    }
    if (got < 0 || rc != 0 || backup_owner_apply(out, owner) != 0 || fsync(out) != 0)
        rc = -1;
    close(in);
    if (close(out) != 0)
        rc = -1;
    if (rc != 0)
        return alvd_err_set(err, 500, "cannot_write", NULL, "Cannot copy %s to %s: %s.", from, to, strerror(errno));
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&state, digest);
    sodium_bin2hex(hex, 65, digest, sizeof digest);
    return 0;
}

static int backup_hash_file(const char *path, char hex[65], long long *bytes)
{
    int in = open(path, O_RDONLY | O_CLOEXEC);
    if (in < 0)
        return -1;
    crypto_hash_sha256_state state;
    crypto_hash_sha256_init(&state);
    char block[65536];
    ssize_t got;
    while ((got = read(in, block, sizeof block)) > 0) {
        crypto_hash_sha256_update(&state, (const unsigned char *)block, (unsigned long long)got);
        if (bytes)
            *bytes += got;
    }
    close(in);
    if (got < 0)
        return -1;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&state, digest);
    sodium_bin2hex(hex, 65, digest, sizeof digest);
    return 0;
}

/* The regular files directly in dir (0 when it cannot be read). */
static long long backup_count_files(const char *dir)
{
    long long count = 0;
    DIR *handle = opendir(dir);
    if (handle == NULL)
        return 0;
    for (struct dirent *entry; (entry = readdir(handle)) != NULL;) {
        struct stat info;
        char path[BACKUP_PATH_MAX];
        if (backup_join(path, sizeof path, dir, entry->d_name) == 0 && lstat(path, &info) == 0 && S_ISREG(info.st_mode))
            count++;
    }
    closedir(handle);
    return count;
}

/* Copy the tree under from (relative path rel) to to, recording each file in sums
 * (prefix + rel) when sums is set; a backup (sums set) leaves BACKUP_POLL_KEYS out. Only
 * directories and regular files; a symbolic
 * link or device in the data directory is refused rather than followed. */
static int backup_copy_tree(const char *from, const char *to, const char *prefix, const char *rel,
                            const struct stat *owner, backup_sums *sums, int depth, alvd_err *err)
{
    char source[BACKUP_PATH_MAX], target[BACKUP_PATH_MAX];
    snprintf(source, sizeof source, "%s%s%s", from, rel[0] ? "/" : "", rel);
    snprintf(target, sizeof target, "%s%s%s", to, rel[0] ? "/" : "", rel);
    if (depth > BACKUP_DEPTH_MAX)
        return alvd_err_set(err, 500, "too_deep", NULL, "%s is nested too deeply.", source);
    if (backup_mkdir(target, owner, err) != 0)
        return -1;
    DIR *handle = opendir(source);
    if (handle == NULL)
        return alvd_err_set(err, 500, "cannot_read", NULL, "Cannot list %s: %s.", source, strerror(errno));
    struct dirent *entry;
    int rc = 0;
    while (rc == 0 && (entry = readdir(handle)) != NULL) {
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        char child[BACKUP_PATH_MAX], path[BACKUP_PATH_MAX];
        int length = rel[0] ? snprintf(child, sizeof child, "%s/%s", rel, entry->d_name)
                            : snprintf(child, sizeof child, "%s", entry->d_name);
        struct stat info;
        if (length < 0 || (size_t)length >= sizeof child || backup_join(path, sizeof path, from, child) != 0) {
            rc = alvd_err_set(err, 500, "path_too_long", NULL, "A path under %s is too long.", from);
        } else if (lstat(path, &info) != 0) {
            if (errno == ENOENT) /* removed while we copied (an outbox temp file) */
                continue;
            rc = alvd_err_set(err, 500, "cannot_read", NULL, "Cannot read %s: %s.", path, strerror(errno));
        } else if (S_ISDIR(info.st_mode) && sums && strcmp(child, BACKUP_POLL_KEYS) == 0) {
            sums->poll_keys += backup_count_files(path);
        } else if (S_ISDIR(info.st_mode)) {
            rc = backup_copy_tree(from, to, prefix, child, owner, sums, depth + 1, err);
        } else if (S_ISREG(info.st_mode)) {
            char copy[BACKUP_PATH_MAX], hex[65];
            long long bytes = 0;
            rc = backup_join(copy, sizeof copy, to, child) != 0
                     ? alvd_err_set(err, 500, "path_too_long", NULL, "A path under %s is too long.", to)
                     : backup_copy_file(path, copy, owner, hex, &bytes, err);
            if (rc == 0 && sums) {
                buf_appendf(&sums->text, "%s  %s%s\n", hex, prefix, child);
                sums->files++;
                sums->bytes += bytes;
            }
        } else {
            rc = alvd_err_set(err, 500, "unexpected_file", NULL,
                              "%s is neither a file nor a directory; the data directory holds only those.", path);
        }
    }
    closedir(handle);
    return rc;
}

/* Remove a backup directory this run made, after a failure (only our own files). */
static void backup_remove_tree(const char *path, int depth, int keep_top)
{
    DIR *handle = opendir(path);
    if (handle != NULL && depth < BACKUP_DEPTH_MAX) {
        struct dirent *entry;
        while ((entry = readdir(handle)) != NULL) {
            char child[BACKUP_PATH_MAX];
            struct stat info;
            if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0 ||
                backup_join(child, sizeof child, path, entry->d_name) != 0 || lstat(child, &info) != 0)
                continue;
            if (S_ISDIR(info.st_mode))
                backup_remove_tree(child, depth + 1, 0);
            else
                unlink(child);
        }
    }
    if (handle)
        closedir(handle);
    if (!keep_top)
        rmdir(path);
}

/* ---- MariaDB's client tools ---- */

static void backup_option_value(alvd_buf *out, const char *name, const char *value)
{
    buf_appendf(out, "%s=\"", name);
    for (const char *p = value; *p; p++) {
        if (*p == '"' || *p == '\\')
            buf_append(out, "\\", 1);
        buf_append(out, p, 1);
    }
    buf_append_str(out, "\"\n");
}

/* The [client] options for account (migrate = the migration account). */
static int backup_client_options(const store_config *db, int migrate, alvd_buf *out, alvd_err *err)
{
    const char *user = migrate && db->migrate_user[0] ? db->migrate_user : db->user;
    const char *given = migrate && db->migrate_user[0] ? db->migrate_password : db->password;
    const char *file = migrate && db->migrate_user[0] ? db->migrate_password_file : db->password_file;
    char password[sizeof db->password] = "";
    if (given[0])
        snprintf(password, sizeof password, "%s", given);
    else if (file[0] && store_secret_read(file, password, sizeof password, err) != 0)
        return -1;
    buf_append_str(out, "[client]\n");
    backup_option_value(out, "user", user);
    if (password[0])
        backup_option_value(out, "password", password);
    if (db->socket[0]) {
        backup_option_value(out, "socket", db->socket);
    } else {
        backup_option_value(out, "host", db->host[0] ? db->host : "127.0.0.1");
        buf_appendf(out, "port=%u\nprotocol=TCP\n", db->port ? db->port : 3306);
    }
    buf_append_str(out, "default-character-set=utf8mb4\n");
    sodium_memzero(password, sizeof password);
    return 0;
}

/* Run argv (argv[1] must be "--defaults-extra-file=/dev/fd/3") with the options on fd 3,
 * stdin from input_path (or /dev/null), stdout to output_path (created 0600, or
 * /dev/null); stderr is kept for the error message. */
static int backup_run_tool(char *const argv[], const alvd_buf *options, const char *input_path,
                           const char *output_path, alvd_err *err)
{
    int options_pipe[2], error_pipe[2];
    if (pipe2(options_pipe, O_CLOEXEC) != 0)
        return alvd_err_set(err, 500, "no_pipe", NULL, "Cannot make a pipe.");
    if (pipe2(error_pipe, O_CLOEXEC) != 0) {
        close(options_pipe[0]);
        close(options_pipe[1]);
        return alvd_err_set(err, 500, "no_pipe", NULL, "Cannot make a pipe.");
    }
    int input = open(input_path ? input_path : "/dev/null", O_RDONLY | O_CLOEXEC);
    int output = output_path ? open(output_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)
                             : open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (input < 0 || output < 0) {
        if (input >= 0)
            close(input);
        if (output >= 0)
            close(output);
        close(options_pipe[0]);
        close(options_pipe[1]);
        close(error_pipe[0]);
        close(error_pipe[1]);
        return alvd_err_set(err, 500, "cannot_open", NULL, "Cannot open %s.",
                            input < 0 ? (input_path ? input_path : "/dev/null") : output_path);
    }
    pid_t child = fork();
    if (child == 0) {
        /* Move every descriptor above 3 first, so no dup2 below overwrites another
         * one still to be placed; dup2 clears close-on-exec on the copies. */
        int moved[4] = {fcntl(input, F_DUPFD_CLOEXEC, 10), fcntl(output, F_DUPFD_CLOEXEC, 10),
                        fcntl(error_pipe[1], F_DUPFD_CLOEXEC, 10), fcntl(options_pipe[0], F_DUPFD_CLOEXEC, 10)};
        for (int target = 0; target < 4; target++)
            if (moved[target] < 0 || dup2(moved[target], target) != target)
                _exit(126);
        execvp(argv[0], argv);
        dprintf(2, "cannot run %s: %s", argv[0], strerror(errno));
        _exit(127);
    }
    close(input);
    close(output);
    close(options_pipe[0]);
    close(error_pipe[1]);
    /* The options are a few hundred bytes: they fit in the pipe before the tool reads. */
    ssize_t wrote = child > 0 ? write(options_pipe[1], options->data, options->length) : -1;
    close(options_pipe[1]);
    char errors[BACKUP_STDERR_CAP];
    size_t used = 0;
    ssize_t got;
    while ((got = read(error_pipe[0], errors + used, sizeof errors - 1 - used)) > 0) {
        used += (size_t)got;
        if (used == sizeof errors - 1)
            used = sizeof errors - 1 - 512; /* keep reading; the end says most */
    }
    errors[used] = '\0';
    close(error_pipe[0]);
    int status = 0;
    if (child < 0 || waitpid(child, &status, 0) < 0 || wrote != (ssize_t)options->length)
        return alvd_err_set(err, 500, "tool_failed", NULL, "Cannot run %s.", argv[0]);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        size_t length = strlen(errors);
        while (length && (errors[length - 1] == '\n' || errors[length - 1] == '\r'))
            errors[--length] = '\0';
        return alvd_err_set(err, 500, "tool_failed", NULL, "%s failed: %s", argv[0],
                            errors[0] ? errors : "no message");
    }
    return 0;
}

/* ---- backup ---- */

static long long backup_schema_version(alvd_app *app)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_conn *conn = store_pool_acquire(app->pool, &err);
    long long version = 0;
    if (conn && store_schema_version(conn, &version, &err) != 0)
        version = 0;
    store_pool_release(app->pool, conn);
    return version;
}

static int backup_write_text(const char *path, const char *text, size_t length, alvd_err *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return alvd_err_set(err, 500, "cannot_write", NULL, "Cannot create %s: %s.", path, strerror(errno));
    int ok = write(fd, text, length) == (ssize_t)length && fsync(fd) == 0;
    if (close(fd) != 0 || !ok)
        return alvd_err_set(err, 500, "cannot_write", NULL, "Cannot write %s.", path);
    return 0;
}

int backup_run(alvd_app *app, const char *dir, FILE *out, alvd_err *err)
{
    const store_config *db = &app->config.database;
    char path[BACKUP_PATH_MAX], hex[65], created[32];
    backup_sums sums = {{0}, 0, 0, 0};
    alvd_buf options = {0};
    int exists = 0, rc = -1;
    if (!backup_dir_is_empty_or_missing(dir, &exists))
        return alvd_err_set(err, 409, "not_empty", NULL,
                            "%s is not empty: back up into a new or empty directory.", dir);
    if (backup_mkdir(dir, NULL, err) != 0)
        return -1;
    buf_init(&sums.text, BACKUP_SUMS_CAP);
    buf_init(&options, 4096);
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &utc);
    fprintf(out, "backup of database %s and %s into %s\n", db->database, app->config.data_dir, dir);

    /* 1. The database first, in one transaction: files added afterwards (an upload
     * during the backup) are at worst extra, never missing for a row in the dump. */
    if (backup_client_options(db, 0, &options, err) != 0)
        goto fail;
    snprintf(path, sizeof path, "%s/database.sql", dir);
    char database_name[sizeof db->database];
    snprintf(database_name, sizeof database_name, "%s", db->database);
    char *dump[] = {"mariadb-dump", "--defaults-extra-file=/dev/fd/3", "--single-transaction", "--quick",
                    "--hex-blob", "--skip-lock-tables", "--no-tablespaces", "--triggers", "--skip-dump-date",
                    database_name, NULL};
    if (backup_run_tool(dump, &options, NULL, path, err) != 0)
        goto fail;
    long long dump_bytes = 0;
    if (backup_hash_file(path, hex, &dump_bytes) != 0) {
        alvd_err_set(err, 500, "cannot_read", NULL, "Cannot read back %s.", path);
        goto fail;
    }
    buf_appendf(&sums.text, "%s  database.sql\n", hex);
    fprintf(out, "  database.sql: %lld bytes (mariadb-dump --single-transaction, as %s)\n", dump_bytes, db->user);

    /* 2. The data directory: keys/, uploads (meldpunt/, withdrawals/), the outbox. */
    char data_copy[BACKUP_PATH_MAX];
    snprintf(data_copy, sizeof data_copy, "%s/data", dir);
    struct stat data_info;
    if (stat(app->config.data_dir, &data_info) != 0 || !S_ISDIR(data_info.st_mode)) {
        alvd_err_set(err, 500, "no_data_dir", NULL, "The data directory %s does not exist.", app->config.data_dir);
        goto fail;
    }
    if (backup_copy_tree(app->config.data_dir, data_copy, "data/", "", NULL, &sums, 0, err) != 0)
        goto fail;
    fprintf(out, "  data/: %lld files, %lld bytes (keys/, uploads, outbox)\n", sums.files, sums.bytes);
    if (sums.poll_keys > 0)
        fprintf(out,
                "  " BACKUP_POLL_KEYS "/: left out, %lld key file(s) of open secret polls: a poll key must not outlive "
                "its count, so a secret poll open now cannot be counted from this backup (hold a re-vote after a "
                "restore)\n",
                sums.poll_keys);
    else
        fprintf(out, "  " BACKUP_POLL_KEYS "/: left out (keys of open secret polls; none open now)\n");

    /* 3. The manifest, then the checksums of everything. */
    json_t *manifest = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s, s:I, s:I, s:I, s:[s], s:I}", "format", BACKUP_FORMAT,
                                 "alvd_version", ALVD_VERSION, "created_at", created, "database", db->database,
                                 "schema_version", (json_int_t)backup_schema_version(app), "data_dir",
                                 app->config.data_dir, "database_bytes", (json_int_t)dump_bytes, "data_files",
                                 (json_int_t)sums.files, "data_bytes", (json_int_t)sums.bytes, "left_out",
                                 "data/" BACKUP_POLL_KEYS "/", "poll_keys_left_out", (json_int_t)sums.poll_keys);
    char *manifest_text = manifest ? json_dumps(manifest, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(manifest);
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    int written = manifest_text ? backup_write_text(path, manifest_text, strlen(manifest_text), err) : -1;
    free(manifest_text);
    if (written != 0 || backup_hash_file(path, hex, NULL) != 0)
        goto fail;
    buf_appendf(&sums.text, "%s  manifest.json\n", hex);
    if (sums.text.overflowed) {
        alvd_err_set(err, 500, "too_many_files", NULL, "The data directory has too many files for one backup.");
        goto fail;
    }
    snprintf(path, sizeof path, "%s/SHA256SUMS", dir);
    if (backup_write_text(path, sums.text.data, sums.text.length, err) != 0)
        goto fail;
    fprintf(out, "  manifest.json, SHA256SUMS (check: cd %s && sha256sum -c SHA256SUMS)\n"
                 "done: every file is 0600; keep the backup as safe as keys/ itself.\n", dir);
    rc = 0;
fail:
    if (rc != 0) /* nothing half-made stays behind to be mistaken for a backup */
        backup_remove_tree(dir, 0, exists);
    if (options.data)
        sodium_memzero(options.data, options.length);
    buf_free(&options);
    buf_free(&sums.text);
    return rc;
}

/* ---- restore ---- */

/* Check every line of SHA256SUMS against the file; names the first that differs. The
 * paths must stay inside the backup (no "..", no absolute path). */
static int restore_check_sums(const char *dir, FILE *out, long long *files, alvd_err *err)
{
    char path[BACKUP_PATH_MAX];
    snprintf(path, sizeof path, "%s/SHA256SUMS", dir);
    FILE *sums = fopen(path, "re");
    if (sums == NULL)
        return alvd_err_set(err, 422, "not_a_backup", NULL, "%s has no SHA256SUMS: not an alvd backup.", dir);
    char line[BACKUP_PATH_MAX + 80];
    int rc = 0, saw_dump = 0, saw_manifest = 0;
    *files = 0;
    while (rc == 0 && fgets(line, sizeof line, sums) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        if (strlen(line) < 67 || line[64] != ' ' || line[65] != ' ') {
            rc = alvd_err_set(err, 422, "bad_checksums", NULL, "SHA256SUMS has a line alvd cannot read: %.80s", line);
            break;
        }
        const char *name = line + 66;
        if (name[0] == '/' || strstr(name, "..") != NULL) {
            rc = alvd_err_set(err, 422, "bad_checksums", NULL, "SHA256SUMS names a path outside the backup: %s",
                              name);
            break;
        }
        char file[BACKUP_PATH_MAX], hex[65];
        if (backup_join(file, sizeof file, dir, name) != 0 || backup_hash_file(file, hex, NULL) != 0)
            rc = alvd_err_set(err, 422, "backup_incomplete", NULL, "The backup lacks %s.", name);
        else if (strncmp(hex, line, 64) != 0)
            rc = alvd_err_set(err, 422, "backup_damaged", NULL,
                              "%s does not match its checksum: the backup is damaged; nothing was restored.", name);
        saw_dump |= strcmp(name, "database.sql") == 0;
        saw_manifest |= strcmp(name, "manifest.json") == 0;
        (*files)++;
    }
    fclose(sums);
    if (rc == 0 && (!saw_dump || !saw_manifest))
        rc = alvd_err_set(err, 422, "backup_incomplete", NULL, "SHA256SUMS lists no %s.",
                          saw_dump ? "manifest.json" : "database.sql");
    if (rc == 0)
        fprintf(out, "  %lld files match SHA256SUMS\n", *files);
    return rc;
}

static int restore_read_manifest(const char *dir, FILE *out, alvd_err *err)
{
    char path[BACKUP_PATH_MAX];
    snprintf(path, sizeof path, "%s/manifest.json", dir);
    json_error_t error;
    json_t *manifest = json_load_file(path, 0, &error);
    const char *format = manifest ? json_string_value(json_object_get(manifest, "format")) : NULL;
    if (format == NULL || strcmp(format, BACKUP_FORMAT) != 0) {
        json_decref(manifest);
        return alvd_err_set(err, 422, "not_a_backup", NULL, "%s is not an \"%s\" manifest.", path, BACKUP_FORMAT);
    }
    fprintf(out, "  backup of database %s made %s by alvd %s (schema version %lld)\n",
            json_string_value(json_object_get(manifest, "database")),
            json_string_value(json_object_get(manifest, "created_at")),
            json_string_value(json_object_get(manifest, "alvd_version")),
            (long long)json_integer_value(json_object_get(manifest, "schema_version")));
    json_decref(manifest);
    return 0;
}

int restore_run(alvd_app *app, const char *dir, FILE *out, alvd_err *err)
{
    const store_config *db = &app->config.database;
    const char *data_dir = app->config.data_dir;
    store_conn *conn = NULL;
    alvd_buf options = {0};
    char path[BACKUP_PATH_MAX];
    long long files = 0;
    int exists = 0, rc = -1;
    fprintf(out, "restore of %s into database %s and %s\n", dir, db->database, data_dir);
    if (restore_check_sums(dir, out, &files, err) != 0 || restore_read_manifest(dir, out, err) != 0)
        return -1;
    if (!backup_dir_is_empty_or_missing(data_dir, &exists))
        return alvd_err_set(err, 409, "data_dir_not_empty", "ALVD_DATA_DIR",
                            "The data directory %s is not empty: restore only into an empty or new directory.",
                            data_dir);
    conn = store_conn_open_migration(app->pool, err);
    if (conn == NULL) {
        alvd_err_set(err, 503, "database_unavailable", NULL,
                     "Cannot connect to database %s as %s: make it first (`alvd setup-db`), empty.", db->database,
                     store_config_has_migration_account(db) ? db->migrate_user : db->user);
        goto fail;
    }
    long long tables = 0;
    if (store_table_count(conn, &tables, err) != 0)
        goto fail;
    if (tables > 0) {
        alvd_err_set(err, 409, "database_not_empty", "ALVD_DB_NAME",
                     "Database %s holds %lld tables: restore only into an empty database (make a new one with "
                     "`alvd setup-db`).", db->database, tables);
        goto fail;
    }

    /* The database, as the migration account (the dump creates the tables). */
    buf_init(&options, 4096);
    if (backup_client_options(db, 1, &options, err) != 0)
        goto fail;
    snprintf(path, sizeof path, "%s/database.sql", dir);
    char database_name[sizeof db->database];
    snprintf(database_name, sizeof database_name, "%s", db->database);
    char *load[] = {"mariadb", "--defaults-extra-file=/dev/fd/3", "--batch", database_name, NULL};
    if (backup_run_tool(load, &options, path, NULL, err) != 0)
        goto fail;
    fprintf(out, "  database.sql loaded into %s\n", db->database);
    if (store_config_has_migration_account(db) && db->role[0]) {
        int granted = 0;
        if (privileges_grant_service_role(conn, db->role, &granted, err) != 0)
            goto fail;
        fprintf(out, "  role %s: rights set on %d tables\n", db->role, granted);
    }

    /* The data directory, owned like the (empty) directory it goes into. */
    struct stat owner;
    char data_copy[BACKUP_PATH_MAX];
    snprintf(data_copy, sizeof data_copy, "%s/data", dir);
    if (backup_mkdir(data_dir, NULL, err) != 0 || stat(data_dir, &owner) != 0)
        goto fail;
    if (backup_copy_tree(data_copy, data_dir, "", "", &owner, NULL, 0, err) != 0)
        goto fail;
    fprintf(out, "  data directory restored into %s (files 0600, directories 0700)\n", data_dir);

    int pending = 0;
    if (store_migrate(app->pool, app->config.migrations_dir, 0, &pending, NULL, err) != 0)
        goto fail;
    if (pending > 0)
        fprintf(out, "  %d migration(s) newer than the backup are pending: run `alvd migrate`\n", pending);
    long long checked = 0, bad = 0;
    /* The chain is checked with the audit key just restored into the data directory. */
    unsigned char audit_key[AUDIT_KEY_BYTES];
    int verified = audit_key_load(data_dir, audit_key, err);
    if (verified == 0 && pending == 0) {
        /* Entries the backup caught committed but not yet chained are chained now (with
         * the restored key), so verify judges the chain, not the moment of the backup. */
        alvd_app restored = *app;
        long long left = 0;
        memcpy(restored.audit_key, audit_key, AUDIT_KEY_BYTES);
        restored.audit_key_loaded = 1;
        verified = audit_sequencer_drain(&restored, AUDIT_SEQUENCER_LEASE_SECONDS + 2, &left, err);
        sodium_memzero(restored.audit_key, sizeof restored.audit_key);
    }
    if (verified == 0)
        verified = audit_verify(conn, audit_key, &checked, NULL, &bad, err);
    sodium_memzero(audit_key, sizeof audit_key);
    if (verified != 0) {
        fprintf(out, "  audit: %lld entries checked; FAILED: %s\n", checked, err->message);
        goto fail;
    }
    fprintf(out, "  audit: %lld entries checked, chain intact\ndone: start alvd.\n", checked);
    rc = 0;
fail:
    if (options.data)
        sodium_memzero(options.data, options.length);
    buf_free(&options);
    store_conn_close(conn);
    return rc;
}
