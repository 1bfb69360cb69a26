/* A fresh, migrated database on the tests' MariaDB (scripts/db) for the store's tests:
 * each test program gets its own database, with every migration applied, and a pool. */
#ifndef ALVD_TEST_STORE_FIXTURE_H
#define ALVD_TEST_STORE_FIXTURE_H

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/store/db.h"

typedef struct {
    store_config config;
    store_pool *pool;
    store_conn *root; /* for the test's own set-up rows and checks, outside the pool */
    char database[48];
} store_fixture;

static inline const char *store_fixture_source_dir(void)
{
    const char *source = getenv("ALVD_SOURCE_DIR");
    return source && source[0] ? source : ".";
}

/* Starts the tests' MariaDB when needed, creates database t_<name>_<random>, applies
 * migrations/ and opens a pool of two connections. Returns 0, or -1 with a message on
 * stderr. */
static inline int store_fixture_open(store_fixture *fixture, const char *name)
{
    memset(fixture, 0, sizeof *fixture);
    if (sodium_init() < 0)
        return -1;
    const char *source = store_fixture_source_dir();
    const char *dir = getenv("ALVD_TEST_DB_DIR");
    char db_dir[600];
    if (dir && dir[0])
        snprintf(db_dir, sizeof db_dir, "%s", dir);
    else
        snprintf(db_dir, sizeof db_dir, "%.500s/var/test-db", source);
    char command[1400];
    snprintf(command, sizeof command, "'%s/scripts/db' start '%s' >/dev/null", source, db_dir);
    if (system(command) != 0) {
        fprintf(stderr, "store fixture: cannot start the test database (%s)\n", command);
        return -1;
    }
    unsigned char random[5];
    randombytes_buf(random, sizeof random);
    snprintf(fixture->database, sizeof fixture->database, "t_%.20s_%02x%02x%02x%02x%02x", name, random[0],
             random[1], random[2], random[3], random[4]);
    store_config *config = &fixture->config;
    snprintf(config->socket, sizeof config->socket, "%.230s/mysqld.sock", db_dir);
    snprintf(config->database, sizeof config->database, "%s", fixture->database);
    snprintf(config->user, sizeof config->user, "root");
    config->pool_size = 2;
    alvd_err err;
    alvd_err_clear(&err);
    fixture->root = store_conn_open_account(config, "root", NULL, &err);
    if (fixture->root == NULL) {
        fprintf(stderr, "store fixture: cannot connect as root: %s\n", err.message);
        return -1;
    }
    char sql[200];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s; USE %s", fixture->database, fixture->database);
    if (store_execute_script(fixture->root, &err, sql, strlen(sql)) != 0 ||
        (fixture->pool = store_pool_create(config, &err)) == NULL) {
        fprintf(stderr, "store fixture: %s\n", err.message);
        return -1;
    }
    char migrations[700];
    snprintf(migrations, sizeof migrations, "%.600s/migrations", source);
    int pending = 0, applied = 0;
    if (store_migrate(fixture->pool, migrations, 1, &pending, &applied, &err) != 0) {
        fprintf(stderr, "store fixture: migrations: %s\n", err.message);
        return -1;
    }
    return 0;
}

/* Runs set-up SQL (several statements separated by ";") in the fixture's database. */
static inline int store_fixture_script(store_fixture *fixture, const char *sql)
{
    alvd_err err;
    alvd_err_clear(&err);
    if (store_execute_script(fixture->root, &err, sql, strlen(sql)) != 0) {
        fprintf(stderr, "store fixture: %s\n  in: %.300s\n", err.message, sql);
        return -1;
    }
    return 0;
}

/* One integer the test reads back on the root connection (a COUNT, a column). */
static inline long long store_fixture_integer(store_fixture *fixture, const char *sql)
{
    alvd_err err;
    alvd_err_clear(&err);
    long long value = -1;
    if (store_query_integer(fixture->root, &err, &value, -1, sql, STORE_NO_PARAMS) != 0)
        fprintf(stderr, "store fixture: %s\n  in: %.300s\n", err.message, sql);
    return value;
}

/* A meeting's worth of rows for the presence stores' tests: organisations 1-4, meeting 1
 * (2026-06-16, proxies allowed, at most 2 per holder) with members 1, 2 and 3; 4 is not
 * a member. One script for store_fixture_script. */
#define STORE_FIXTURE_MEETING_SEED                                                                       \
    "INSERT INTO organisations (id, name, kvk, created_at, updated_at) VALUES"                           \
    " (1, 'Bel-Centrum BV', '10000001', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),"                            \
    " (2, 'Antwoord NV', '10000002', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),"                               \
    " (3, 'Contact & Co', '10000003', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)),"                              \
    " (4, 'Geen Lid BV', '10000004', UTC_TIMESTAMP(6), UTC_TIMESTAMP(6));"                               \
    "INSERT INTO meetings (id, title, date, starts_at, location, proxies_allowed, max_proxies, created_at)" \
    " VALUES (1, 'ALV', '2026-06-16', '19:30', 'Utrecht', 1, 2, UTC_TIMESTAMP(6));"                      \
    "INSERT INTO meeting_members (meeting_id, organisation_id, added_at) VALUES"                         \
    " (1, 1, UTC_TIMESTAMP(6)), (1, 2, UTC_TIMESTAMP(6)), (1, 3, UTC_TIMESTAMP(6))"

/* Takes a connection from the fixture's pool (the store functions' argument). */
static inline store_conn *store_fixture_conn(store_fixture *fixture)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_conn *conn = store_pool_acquire(fixture->pool, &err);
    if (conn == NULL)
        fprintf(stderr, "store fixture: acquire: %s\n", err.message);
    return conn;
}

static inline void store_fixture_close(store_fixture *fixture)
{
    if (fixture->pool)
        store_pool_destroy(fixture->pool);
    if (fixture->root) {
        char sql[100];
        snprintf(sql, sizeof sql, "DROP DATABASE %s", fixture->database);
        store_fixture_script(fixture, sql);
        store_conn_close(fixture->root);
    }
    memset(fixture, 0, sizeof *fixture);
}

#endif
