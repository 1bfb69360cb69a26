/* alvd setup-db: the database and the two least-privilege accounts, created by an
 * administrator's connection; the same statements are listed in docs/operations.md. */
#include "alvd/ops/setup_db.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alvd/store/db.h"
#include "alvd/store/privileges.h"

#define SETUP_PASSWORD_BYTES 24

/* A password goes into SQL text (CREATE USER takes no parameters), so only characters
 * that need no quoting are accepted; generated ones are base64url. */
static int setup_password_valid(const char *password)
{
    if (password == NULL || strlen(password) < 12)
        return 0;
    for (const char *p = password; *p; p++)
        if (*p < 0x21 || *p > 0x7e || *p == '\'' || *p == '\\' || *p == '"' || *p == '`')
            return 0;
    return 1;
}

static int setup_host_valid(const char *host)
{
    if (host == NULL || *host == '\0' || strlen(host) > 255)
        return 0;
    for (const char *p = host; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              strchr("._%:-", *p)))
            return 0;
    return 1;
}

int setup_db_secret_write(const char *path, const char *secret, unsigned mode, int group_of_directory,
                          alvd_err *err)
{
    char temporary[600];
    snprintf(temporary, sizeof temporary, "%s.new", path);
    unlink(temporary);
    int fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return alvd_err_set(err, 500, "cannot_write", NULL, "Cannot create %s: %s.", temporary, strerror(errno));
    size_t length = strlen(secret);
    int ok = write(fd, secret, length) == (ssize_t)length && write(fd, "\n", 1) == 1;
    if (ok && group_of_directory) {
        char copy[600];
        snprintf(copy, sizeof copy, "%s", path);
        struct stat directory;
        if (stat(dirname(copy), &directory) == 0 && fchown(fd, (uid_t)-1, directory.st_gid) != 0)
            ok = 0;
    }
    ok = ok && fchmod(fd, (mode_t)mode) == 0 && fsync(fd) == 0;
    if (close(fd) != 0)
        ok = 0;
    if (!ok || rename(temporary, path) != 0) {
        unlink(temporary);
        return alvd_err_set(err, 500, "cannot_write", NULL, "Cannot write %s: %s.", path, strerror(errno));
    }
    return 0;
}

/* The account's password: set in the environment, else the file's, else a new one
 * written to the file. */
static int setup_password(const char *given, const char *file, const char *variable, char *out, size_t size,
                          unsigned mode, int group_of_directory, FILE *report, alvd_err *err)
{
    if (given && *given) {
        snprintf(out, size, "%s", given);
    } else if (file == NULL || *file == '\0') {
        return alvd_err_set(err, 500, "bad_config", variable,
                            "Set %s_FILE (where setup-db writes the new password) or %s.", variable, variable);
    } else if (access(file, F_OK) == 0) {
        if (store_secret_read(file, out, size, err) != 0)
            return -1;
        fprintf(report, "  password kept from %s\n", file);
    } else {
        unsigned char random[SETUP_PASSWORD_BYTES];
        randombytes_buf(random, sizeof random);
        sodium_bin2base64(out, size, random, sizeof random, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
        sodium_memzero(random, sizeof random);
        if (setup_db_secret_write(file, out, mode, group_of_directory, err) != 0)
            return -1;
        fprintf(report, "  new password written to %s (mode %03o)\n", file, mode);
    }
    if (!setup_password_valid(out))
        return alvd_err_set(err, 500, "bad_config", variable,
                            "The password for %s must be at least 12 printable characters without quotes or "
                            "backslashes.", variable);
    return 0;
}

int setup_db_run(const alvd_config *config, const setup_db_options *options, FILE *out, alvd_err *err)
{
    const store_config *db = &config->database;
    const char *host = options->account_host ? options->account_host : (db->socket[0] ? "localhost" : "%");
    char service_password[sizeof db->password] = "", migrate_password[sizeof db->password] = "";
    store_conn *conn = NULL;
    int rc = -1;
    if (!privileges_identifier_valid(db->database) || !privileges_identifier_valid(db->user) ||
        !privileges_identifier_valid(db->migrate_user) || !privileges_identifier_valid(db->role))
        return alvd_err_set(err, 500, "bad_config", NULL,
                            "ALVD_DB_NAME, ALVD_DB_USER, ALVD_DB_MIGRATE_USER and ALVD_DB_ROLE must be set to "
                            "letters, digits and _ (now \"%s\", \"%s\", \"%s\", \"%s\").",
                            db->database, db->user, db->migrate_user, db->role);
    if (strcmp(db->user, "root") == 0 || strcmp(db->migrate_user, "root") == 0 ||
        strcmp(db->user, db->migrate_user) == 0)
        return alvd_err_set(err, 500, "bad_config", "ALVD_DB_USER",
                            "The service account (ALVD_DB_USER=%s) and the migration account "
                            "(ALVD_DB_MIGRATE_USER=%s) must be two accounts other than root.",
                            db->user, db->migrate_user);
    if (!setup_host_valid(host))
        return alvd_err_set(err, 500, "bad_config", "--account-host", "Bad account host \"%s\".", host);
    fprintf(out, "service account %s@%s:\n", db->user, host);
    if (setup_password(db->password, db->password_file, "ALVD_DB_PASSWORD", service_password,
                       sizeof service_password, 0640, 1, out, err) != 0)
        goto fail;
    fprintf(out, "migration account %s@%s:\n", db->migrate_user, host);
    if (setup_password(db->migrate_password, db->migrate_password_file, "ALVD_DB_MIGRATE_PASSWORD",
                       migrate_password, sizeof migrate_password, 0600, 0, out, err) != 0)
        goto fail;
    conn = store_conn_open_account(db, options->admin_user ? options->admin_user : "root",
                                   options->admin_password, err);
    if (conn == NULL) {
        alvd_err_set(err, 503, "database_unavailable", NULL,
                     "Cannot connect to MariaDB as the administrator %s (over %s); run as root on the "
                     "database machine, or give --admin-user and ALVD_DB_ADMIN_PASSWORD.",
                     options->admin_user ? options->admin_user : "root", db->socket[0] ? db->socket : db->host);
        goto fail;
    }
    fprintf(out, "statements run as %s:\n", options->admin_user ? options->admin_user : "root");
    privileges_accounts accounts = {.database = db->database, .role = db->role, .host = host,
                                    .service_user = db->user, .service_password = service_password,
                                    .migrate_user = db->migrate_user, .migrate_password = migrate_password};
    if (privileges_setup_accounts(conn, &accounts, out, err) != 0)
        goto fail;
    fprintf(out, "done: database %s, service account %s (role %s; its table rights are set by `alvd migrate`), "
                 "migration account %s.\nnext: alvd migrate\n",
            db->database, db->user, db->role, db->migrate_user);
    rc = 0;
fail:
    sodium_memzero(service_password, sizeof service_password);
    sodium_memzero(migrate_password, sizeof migrate_password);
    store_conn_close(conn);
    return rc;
}
