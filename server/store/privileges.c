/* Least privilege: the migration account grants the service role its rights table by
 * table (the audit tables append-only), and any account can find out what it may do. */
#include "alvd/store/privileges.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "alvd/base/buf.h"
#include "alvd/base/log.h"

#define PRIVILEGES_SQL_MAX 512
#define MARIADB_ACCESS_DENIED_TABLE 1142  /* ER_TABLEACCESS_DENIED_ERROR */
#define MARIADB_ACCESS_DENIED_DB 1044     /* ER_DBACCESS_DENIED_ERROR */

int privileges_identifier_valid(const char *name)
{
    size_t length = name ? strlen(name) : 0;
    if (length == 0 || length > 64)
        return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return 0;
    return 1;
}

/* Table names come from information_schema; anything a backtick could escape from is
 * refused rather than quoted. */
static int privileges_table_name_safe(const char *name)
{
    return name && *name && strlen(name) <= 64 && strchr(name, '`') == NULL;
}

typedef enum privileges_kind { KIND_FULL, KIND_APPEND_ONLY, KIND_READ_ONLY } privileges_kind;

static privileges_kind privileges_kind_of(const char *table, const char *comment)
{
    if (strcmp(table, "schema_migrations") == 0)
        return KIND_READ_ONLY;
    if (comment && strncmp(comment, PRIVILEGES_APPEND_ONLY, strlen(PRIVILEGES_APPEND_ONLY)) == 0)
        return KIND_APPEND_ONLY;
    if (comment && strncmp(comment, PRIVILEGES_READ_ONLY, strlen(PRIVILEGES_READ_ONLY)) == 0)
        return KIND_READ_ONLY;
    return KIND_FULL;
}

static int privileges_run(store_conn *conn, const char *sql, alvd_err *err)
{
    unsigned refused = 0;
    if (store_try_statement(conn, sql, &refused, err) != 0)
        return -1;
    if (refused == 0)
        return 0;
    if (refused == 1133 || refused == 1449) /* no such account or role */
        return alvd_err_set(err, 500, "no_service_role", NULL,
                            "The service role does not exist; create the accounts with `alvd setup-db` (%s).", sql);
    return alvd_err_set(err, 500, "grant_failed", NULL,
                        "MariaDB refused `%s` (error %u); the migration account needs ALL PRIVILEGES on the "
                        "database WITH GRANT OPTION (`alvd setup-db` gives it that).", sql, refused);
}

int privileges_grant_service_role(store_conn *conn, const char *role, int *tables, alvd_err *err)
{
    store_result *rows = NULL;
    int rc = -1;
    *tables = 0;
    if (!privileges_identifier_valid(role))
        return alvd_err_set(err, 500, "bad_config", "ALVD_DB_ROLE",
                            "ALVD_DB_ROLE must be letters, digits and _ (got \"%s\").", role ? role : "");
    if (store_query(conn, err, &rows,
                    "SELECT TABLE_NAME, TABLE_COMMENT FROM information_schema.TABLES"
                    " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
                    STORE_NO_PARAMS) != 0)
        return -1;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        const char *table = store_result_text(rows, r, 0);
        if (!privileges_table_name_safe(table)) {
            alvd_err_set(err, 500, "bad_table_name", NULL, "A table name alvd will not quote: %s.", table);
            goto fail;
        }
        privileges_kind kind = privileges_kind_of(table, store_result_text(rows, r, 1));
        static const char *const granted[] = {"SELECT, INSERT, UPDATE, DELETE", "SELECT, INSERT", "SELECT"};
        static const char *const withheld[] = {NULL, "UPDATE, DELETE", "INSERT, UPDATE, DELETE"};
        char sql[PRIVILEGES_SQL_MAX];
        /* Grant first (so a table grant row exists), then take back what this kind of
         * table must not allow: a table whose comment became append-only loses its
         * UPDATE and DELETE on the next migrate. */
        snprintf(sql, sizeof sql, "GRANT %s ON `%s` TO `%s`", granted[kind], table, role);
        if (privileges_run(conn, sql, err) != 0)
            goto fail;
        if (withheld[kind]) {
            snprintf(sql, sizeof sql, "REVOKE %s ON `%s` FROM `%s`", withheld[kind], table, role);
            if (privileges_run(conn, sql, err) != 0)
                goto fail;
        }
        (*tables)++;
    }
    rc = 0;
fail:
    store_result_free(rows);
    return rc;
}

static void privileges_list_add(char *list, size_t size, const char *item)
{
    size_t used = strlen(list);
    if (strstr(list, item) != NULL)
        return;
    snprintf(list + used, size - used, "%s%s", used ? ", " : "", item);
}

/* UPDATE and DELETE on every append-only and read-only table, by statements that
 * match no row: refused (1142) is what least privilege wants. */
static int privileges_probe_audit(store_conn *conn, privileges_report *report, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT t.TABLE_NAME, t.TABLE_COMMENT, c.COLUMN_NAME FROM information_schema.TABLES t"
                    " JOIN information_schema.COLUMNS c ON c.TABLE_SCHEMA = t.TABLE_SCHEMA"
                    " AND c.TABLE_NAME = t.TABLE_NAME AND c.ORDINAL_POSITION = 1"
                    " WHERE t.TABLE_SCHEMA = DATABASE() AND t.TABLE_TYPE = 'BASE TABLE' ORDER BY t.TABLE_NAME",
                    STORE_NO_PARAMS) != 0)
        return -1;
    int rc = -1;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        const char *table = store_result_text(rows, r, 0);
        const char *column = store_result_text(rows, r, 2);
        if (privileges_kind_of(table, store_result_text(rows, r, 1)) == KIND_FULL)
            continue;
        if (!privileges_table_name_safe(table) || !privileges_table_name_safe(column))
            continue;
        report->protected_tables++;
        char sql[PRIVILEGES_SQL_MAX];
        unsigned refused = 0;
        snprintf(sql, sizeof sql, "UPDATE `%s` SET `%s` = `%s` WHERE FALSE", table, column, column);
        if (store_try_statement(conn, sql, &refused, err) != 0)
            goto fail;
        if (refused == 0) {
            char item[96];
            snprintf(item, sizeof item, "UPDATE %s", table);
            privileges_list_add(report->writable_audit, sizeof report->writable_audit, item);
        }
        snprintf(sql, sizeof sql, "DELETE FROM `%s` WHERE FALSE", table);
        if (store_try_statement(conn, sql, &refused, err) != 0)
            goto fail;
        if (refused == 0) {
            char item[96];
            snprintf(item, sizeof item, "DELETE %s", table);
            privileges_list_add(report->writable_audit, sizeof report->writable_audit, item);
        }
    }
    rc = 0;
fail:
    store_result_free(rows);
    return rc;
}

/* DDL rights the account holds itself, globally or on this database (a wildcard grant
 * such as `t\_%`.* is matched with LIKE, as MariaDB does). */
static int privileges_read_ddl(store_conn *conn, privileges_report *report, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT DISTINCT PRIVILEGE_TYPE FROM ("
                    " SELECT PRIVILEGE_TYPE FROM information_schema.USER_PRIVILEGES"
                    " UNION ALL SELECT PRIVILEGE_TYPE FROM information_schema.SCHEMA_PRIVILEGES"
                    "  WHERE DATABASE() LIKE TABLE_SCHEMA"
                    " UNION ALL SELECT PRIVILEGE_TYPE FROM information_schema.TABLE_PRIVILEGES"
                    "  WHERE TABLE_SCHEMA = DATABASE()) p"
                    " WHERE PRIVILEGE_TYPE IN ('CREATE', 'DROP', 'ALTER', 'INDEX', 'CREATE VIEW', 'TRIGGER',"
                    " 'CREATE ROUTINE', 'ALTER ROUTINE', 'EVENT', 'SUPER', 'CREATE USER', 'FILE')"
                    " ORDER BY PRIVILEGE_TYPE",
                    STORE_NO_PARAMS) != 0)
        return -1;
    for (size_t r = 0; r < store_result_rows(rows); r++)
        privileges_list_add(report->ddl, sizeof report->ddl, store_result_text(rows, r, 0));
    store_result_free(rows);
    return 0;
}

/* Rights that information_schema does not show (those of a role) are found by trying:
 * creating a table that exists and dropping one that does not change nothing. */
static int privileges_probe_ddl(store_conn *conn, privileges_report *report, alvd_err *err)
{
    unsigned refused = 0;
    if (store_try_statement(conn, "CREATE TABLE IF NOT EXISTS schema_migrations (version INT PRIMARY KEY)",
                            &refused, err) != 0)
        return -1;
    if (refused == 0)
        privileges_list_add(report->ddl, sizeof report->ddl, "CREATE");
    if (store_try_statement(conn, "DROP TABLE IF EXISTS alvd_privilege_probe_no_such_table", &refused, err) != 0)
        return -1;
    if (refused == 0)
        privileges_list_add(report->ddl, sizeof report->ddl, "DROP");
    return 0;
}

int privileges_check(store_conn *conn, int probe_ddl, privileges_report *report, alvd_err *err)
{
    store_result *rows = NULL;
    memset(report, 0, sizeof *report);
    if (store_query(conn, err, &rows, "SELECT CURRENT_USER(), CURRENT_ROLE()", STORE_NO_PARAMS) != 0)
        return -1;
    snprintf(report->account, sizeof report->account, "%s",
             store_result_text(rows, 0, 0) ? store_result_text(rows, 0, 0) : "");
    snprintf(report->role, sizeof report->role, "%s",
             store_result_text(rows, 0, 1) ? store_result_text(rows, 0, 1) : "");
    store_result_free(rows);
    report->is_root = strncmp(report->account, "root@", 5) == 0;
    if (privileges_probe_audit(conn, report, err) != 0 || privileges_read_ddl(conn, report, err) != 0)
        return -1;
    if (probe_ddl && privileges_probe_ddl(conn, report, err) != 0)
        return -1;
    return 0;
}

int privileges_excessive(const privileges_report *report)
{
    return report->is_root || report->writable_audit[0] || report->ddl[0];
}

void privileges_warn_at_start(store_pool *pool)
{
    alvd_err err;
    privileges_report report;
    alvd_err_clear(&err);
    store_conn *conn = store_pool_acquire(pool, &err);
    int rc = conn ? privileges_check(conn, 0, &report, &err) : -1;
    store_pool_release(pool, conn);
    if (rc != 0) {
        log_warn("could not check the database account's rights: %s", err.message);
        return;
    }
    if (report.is_root)
        log_warn("connected to MariaDB as root (%s): every privilege, the audit chain can be rewritten; "
                 "serve as the least-privilege account (`alvd setup-db`, docs/operations.md)", report.account);
    else if (report.writable_audit[0])
        log_warn("the database account %s may change audit rows (%s); run `alvd setup-db` and `alvd migrate` "
                 "to give it only its role's rights", report.account, report.writable_audit);
    if (!report.is_root && report.ddl[0])
        log_warn("the database account %s holds DDL rights (%s) it does not need to serve; run `alvd setup-db`",
                 report.account, report.ddl);
}

/* ---- the accounts of alvd setup-db ---- */

#define PRIVILEGES_SETUP_SQL_MAX 768

static int privileges_setup_run(store_conn *conn, const char *sql, const char *shown, FILE *report, alvd_err *err)
{
    unsigned refused = 0;
    if (store_try_statement(conn, sql, &refused, err) != 0)
        return -1;
    if (refused)
        return alvd_err_set(err, 500, "setup_refused", NULL,
                            "MariaDB refused `%s` (error %u); run setup-db as an account that may create "
                            "databases, users and roles (root over the socket: `sudo alvd setup-db`).",
                            shown ? shown : sql, refused);
    fprintf(report, "  %s\n", shown ? shown : sql);
    return 0;
}

/* A database name in a database-level GRANT is a LIKE pattern: _ and % are escaped. */
static void privileges_grant_pattern(const char *database, char *out, size_t size)
{
    size_t used = 0;
    for (const char *p = database; *p && used + 3 < size; p++) {
        if (*p == '_' || *p == '%')
            out[used++] = '\\';
        out[used++] = *p;
    }
    out[used] = '\0';
}

/* One account: made if missing, given its password, stripped of every right. */
static int privileges_setup_account(store_conn *conn, const char *user, const char *host, const char *password,
                                    FILE *report, alvd_err *err)
{
    char sql[PRIVILEGES_SETUP_SQL_MAX], shown[PRIVILEGES_SETUP_SQL_MAX];
    int rc = -1;
    snprintf(sql, sizeof sql, "CREATE USER IF NOT EXISTS '%s'@'%s' IDENTIFIED BY '%s'", user, host, password);
    snprintf(shown, sizeof shown, "CREATE USER IF NOT EXISTS '%s'@'%s' IDENTIFIED BY '…'", user, host);
    if (privileges_setup_run(conn, sql, shown, report, err) != 0)
        goto fail;
    snprintf(sql, sizeof sql, "ALTER USER '%s'@'%s' IDENTIFIED BY '%s'", user, host, password);
    snprintf(shown, sizeof shown, "ALTER USER '%s'@'%s' IDENTIFIED BY '…'", user, host);
    if (privileges_setup_run(conn, sql, shown, report, err) != 0)
        goto fail;
    snprintf(sql, sizeof sql, "REVOKE ALL PRIVILEGES, GRANT OPTION FROM '%s'@'%s'", user, host);
    if (privileges_setup_run(conn, sql, NULL, report, err) != 0)
        goto fail;
    rc = 0;
fail:
    sodium_memzero(sql, sizeof sql);
    return rc;
}

int privileges_setup_accounts(store_conn *conn, const privileges_accounts *accounts, FILE *report, alvd_err *err)
{
    char sql[PRIVILEGES_SETUP_SQL_MAX], pattern[160];
    const char *host = accounts->host;
    snprintf(sql, sizeof sql, "CREATE DATABASE IF NOT EXISTS `%s` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci",
             accounts->database);
    if (privileges_setup_run(conn, sql, NULL, report, err) != 0)
        return -1;
    snprintf(sql, sizeof sql, "CREATE ROLE IF NOT EXISTS `%s`", accounts->role);
    if (privileges_setup_run(conn, sql, NULL, report, err) != 0 ||
        privileges_setup_account(conn, accounts->service_user, host, accounts->service_password, report, err) != 0 ||
        privileges_setup_account(conn, accounts->migrate_user, host, accounts->migrate_password, report, err) != 0)
        return -1;
    snprintf(sql, sizeof sql, "GRANT `%s` TO '%s'@'%s'", accounts->role, accounts->service_user, host);
    if (privileges_setup_run(conn, sql, NULL, report, err) != 0)
        return -1;
    snprintf(sql, sizeof sql, "SET DEFAULT ROLE `%s` FOR '%s'@'%s'", accounts->role, accounts->service_user, host);
    if (privileges_setup_run(conn, sql, NULL, report, err) != 0)
        return -1;
    privileges_grant_pattern(accounts->database, pattern, sizeof pattern);
    snprintf(sql, sizeof sql, "GRANT ALL PRIVILEGES ON `%s`.* TO '%s'@'%s' WITH GRANT OPTION", pattern,
             accounts->migrate_user, host);
    return privileges_setup_run(conn, sql, NULL, report, err);
}
