/* What the MariaDB server says about itself, for the operations commands (doctor,
 * backup, restore): each a single read that changes nothing. */
#include "alvd/store/server_info.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void store_server_galera(store_conn *conn, store_galera_status *status)
{
    alvd_err err;
    store_result *rows = NULL;
    memset(status, 0, sizeof *status);
    alvd_err_clear(&err);
    if (store_query(conn, &err, &rows, "SELECT @@GLOBAL.wsrep_on", STORE_NO_PARAMS) != 0)
        return;
    status->available = 1;
    status->on = store_result_int(rows, 0, 0) == 1;
    store_result_free(rows);
    rows = NULL;
    if (!status->on)
        return;
    if (store_query(conn, &err, &rows,
                    "SELECT VARIABLE_NAME, VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS WHERE VARIABLE_NAME IN"
                    " ('WSREP_READY', 'WSREP_LOCAL_STATE_COMMENT', 'WSREP_CLUSTER_STATUS', 'WSREP_CLUSTER_SIZE')",
                    STORE_NO_PARAMS) != 0)
        return;
    status->readable = 1;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        const char *name = store_result_text(rows, r, 0), *value = store_result_text(rows, r, 1);
        value = value ? value : "";
        if (strcmp(name, "WSREP_READY") == 0)
            snprintf(status->ready, sizeof status->ready, "%s", value);
        else if (strcmp(name, "WSREP_LOCAL_STATE_COMMENT") == 0)
            snprintf(status->state, sizeof status->state, "%s", value);
        else if (strcmp(name, "WSREP_CLUSTER_STATUS") == 0)
            snprintf(status->cluster, sizeof status->cluster, "%s", value);
        else if (strcmp(name, "WSREP_CLUSTER_SIZE") == 0)
            status->size = strtoll(value, NULL, 10);
    }
    store_result_free(rows);
}

int store_server_clock(store_conn *conn, double *unix_seconds, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows, "SELECT UNIX_TIMESTAMP(UTC_TIMESTAMP(6))", STORE_NO_PARAMS) != 0)
        return -1;
    *unix_seconds = strtod(store_result_text(rows, 0, 0), NULL);
    store_result_free(rows);
    return 0;
}

int store_server_version(store_conn *conn, char *out, size_t size, alvd_err *err)
{
    return store_query_text(conn, err, out, size, NULL, "SELECT VERSION()", STORE_NO_PARAMS);
}

int store_schema_version(store_conn *conn, long long *version, alvd_err *err)
{
    return store_query_integer(conn, err, version, 0, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                               STORE_NO_PARAMS);
}

int store_table_count(store_conn *conn, long long *tables, alvd_err *err)
{
    return store_query_integer(conn, err, tables, 0,
                               "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()",
                               STORE_NO_PARAMS);
}

int store_may_create_tables(store_conn *conn, alvd_err *err)
{
    unsigned refused = 0;
    return store_try_statement(conn, "CREATE TABLE IF NOT EXISTS schema_migrations (version INT PRIMARY KEY)",
                               &refused, err) == 0 && refused == 0;
}
