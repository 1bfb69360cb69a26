/* The migrations runner: applies migrations/NNNN_name.sql in order, records each with
 * its BLAKE2b checksum, and refuses a database whose applied files were edited since. */
#include <dirent.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/base/log.h"
#include "alvd/store/db.h"
#include "alvd/store/privileges.h"

#define MIGRATION_MAX_FILES 256
#define MIGRATION_MAX_BYTES (4 * 1024 * 1024)

typedef struct migration_file {
    int version;
    char name[256];
} migration_file;

static int migration_compare(const void *left, const void *right)
{
    return ((const migration_file *)left)->version - ((const migration_file *)right)->version;
}

static int migration_list(const char *dir, migration_file *files, size_t *count, alvd_err *err)
{
    DIR *handle = opendir(dir);
    if (handle == NULL)
        return alvd_err_set(err, 500, "no_migrations", NULL, "Cannot open migrations directory %s.", dir);
    struct dirent *entry;
    *count = 0;
    while ((entry = readdir(handle)) != NULL) {
        const char *name = entry->d_name;
        size_t length = strlen(name);
        if (length < 9 || strcmp(name + length - 4, ".sql") != 0 || name[4] != '_')
            continue;
        int version = 0;
        int digits = 1;
        for (int i = 0; i < 4; i++) {
            if (name[i] < '0' || name[i] > '9')
                digits = 0;
            else
                version = version * 10 + (name[i] - '0');
        }
        if (!digits || *count == MIGRATION_MAX_FILES)
            continue;
        files[*count].version = version;
        snprintf(files[*count].name, sizeof files[*count].name, "%s", name);
        (*count)++;
    }
    closedir(handle);
    qsort(files, *count, sizeof *files, migration_compare);
    for (size_t i = 1; i < *count; i++)
        if (files[i].version == files[i - 1].version)
            return alvd_err_set(err, 500, "migration_duplicate", NULL,
                                "Two migrations share version %04d: %s and %s.",
                                files[i].version, files[i - 1].name, files[i].name);
    return 0;
}

static char *migration_read(const char *dir, const char *name, size_t *length, alvd_err *err)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *file = fopen(path, "rb");
    char *data = NULL;
    if (file == NULL) {
        alvd_err_set(err, 500, "migration_unreadable", NULL, "Cannot read %s.", path);
        return NULL;
    }
    data = malloc(MIGRATION_MAX_BYTES + 1);
    if (data == NULL)
        goto fail;
    *length = fread(data, 1, MIGRATION_MAX_BYTES + 1, file);
    if (*length > MIGRATION_MAX_BYTES) {
        alvd_err_set(err, 500, "migration_too_large", NULL, "%s is too large.", name);
        goto fail;
    }
    data[*length] = '\0';
    fclose(file);
    return data;
fail:
    free(data);
    fclose(file);
    return NULL;
}

static void migration_checksum(const char *data, size_t length, char hex[65])
{
    unsigned char digest[32];
    crypto_generichash(digest, sizeof digest, (const unsigned char *)data, length, NULL, 0);
    sodium_bin2hex(hex, 65, digest, sizeof digest);
}

int store_migrate(store_pool *pool, const char *dir, int apply, int *pending, int *applied,
                  alvd_err *err)
{
    migration_file *files = calloc(MIGRATION_MAX_FILES, sizeof *files);
    store_conn *conn = NULL;
    store_result *done = NULL;
    char *data = NULL;
    size_t count = 0;
    int rc = -1;
    *pending = 0;
    if (applied)
        *applied = 0;
    if (files == NULL || migration_list(dir, files, &count, err) != 0)
        goto fail;
    /* Only applying needs DDL, so only applying connects as the migration account;
     * counting pending files works with the service account's SELECT. */
    conn = apply ? store_conn_open_migration(pool, err) : store_conn_open_script(pool, err);
    if (conn == NULL && !apply && strcmp(err->code, "database_access_denied") == 0) {
        /* The service role gets its rights on a database from the first migrate. */
        *pending = (int)count;
        alvd_err_clear(err);
        rc = 0;
        goto fail;
    }
    if (conn == NULL)
        goto fail;
    if (apply) {
        if (store_execute(conn, err, NULL,
                          "CREATE TABLE IF NOT EXISTS schema_migrations ("
                          " version INT PRIMARY KEY, name VARCHAR(255) NOT NULL,"
                          " checksum CHAR(64) NOT NULL, applied_at DATETIME(6) NOT NULL"
                          ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci",
                          STORE_NO_PARAMS) != 0)
            goto fail;
    } else {
        /* information_schema shows only tables the account has rights on: a service
         * account that was never granted any sees no schema_migrations, and every file
         * counts as pending (run `alvd migrate`). */
        if (store_query(conn, err, &done,
                        "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"
                        " AND TABLE_NAME = 'schema_migrations'", STORE_NO_PARAMS) != 0)
            goto fail;
        int exists = store_result_int(done, 0, 0) > 0;
        store_result_free(done);
        done = NULL;
        if (!exists) {
            *pending = (int)count;
            rc = 0;
            goto fail;
        }
    }
    for (size_t i = 0; i < count; i++) {
        size_t length = 0;
        char checksum[65];
        data = migration_read(dir, files[i].name, &length, err);
        if (data == NULL)
            goto fail;
        migration_checksum(data, length, checksum);
        if (store_query(conn, err, &done,
                        "SELECT checksum FROM schema_migrations WHERE version = ?",
                        STORE_PARAMS(STORE_INT_PARAM(files[i].version))) != 0)
            goto fail;
        if (store_result_rows(done) == 1) {
            if (strcmp(store_result_text(done, 0, 0), checksum) != 0) {
                alvd_err_set(err, 409, "migration_changed", "migration",
                             "Migration %s was changed after it was applied (checksum "
                             "differs); write a new migration instead of editing it.",
                             files[i].name);
                goto fail;
            }
        } else if (!apply) {
            (*pending)++;
        } else {
            /* MariaDB commits DDL implicitly, so a transaction cannot undo a half-run
             * file (and a BEGIN around it would only be ended by the first DDL, which
             * the store rightly reports as a lost transaction); files are therefore
             * written to be re-runnable (IF NOT EXISTS) and the record is only written
             * once every statement succeeded. */
            log_info("applying migration %s", files[i].name);
            if (store_execute_script(conn, err, data, length) != 0 ||
                store_execute(conn, err, NULL,
                              "INSERT INTO schema_migrations (version, name, checksum, applied_at)"
                              " VALUES (?, ?, ?, UTC_TIMESTAMP(6))",
                              STORE_PARAMS(STORE_INT_PARAM(files[i].version),
                                           STORE_TEXT_PARAM(files[i].name),
                                           STORE_TEXT_PARAM(checksum))) != 0) {
                char reason[ALVD_ERR_MESSAGE_MAX];
                snprintf(reason, sizeof reason, "%s", err->message);
                alvd_err_set(err, 500, "migration_failed", "migration", "Migration %s failed: %s",
                             files[i].name, reason);
                goto fail;
            }
            if (applied)
                (*applied)++;
        }
        store_result_free(done);
        done = NULL;
        free(data);
        data = NULL;
    }
    /* Every migrate (also one with nothing to apply) sets the service role's rights
     * again, so a new table or a changed table comment takes effect. */
    const store_config *config = store_pool_config(pool);
    if (apply && store_config_has_migration_account(config) && config->role[0]) {
        int tables = 0;
        if (privileges_grant_service_role(conn, config->role, &tables, err) != 0)
            goto fail;
        log_info("role %s: rights set on %d tables", config->role, tables);
    }
    rc = 0;
fail:
    store_result_free(done);
    free(data);
    store_conn_close(conn);
    free(files);
    return rc;
}
