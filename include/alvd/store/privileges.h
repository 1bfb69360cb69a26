/* Least privilege in MariaDB: the rights `alvd migrate` grants the service account's
 * role table by table, and the check of what the connected account may really do. */
#ifndef ALVD_STORE_PRIVILEGES_H
#define ALVD_STORE_PRIVILEGES_H

#include <stddef.h>
#include <stdio.h>

#include "alvd/base/err.h"
#include "alvd/store/db.h"

/* Table comments that narrow the service role's rights (anything else gets SELECT,
 * INSERT, UPDATE, DELETE); schema_migrations is always read-only. */
#define PRIVILEGES_APPEND_ONLY "alvd:append-only"
#define PRIVILEGES_READ_ONLY "alvd:read-only"

/* True when name is a plain MariaDB identifier alvd accepts for a database, account
 * or role: 1–64 characters of A–Z, a–z, 0–9 and _. */
int privileges_identifier_valid(const char *name);

/* On conn (the migration account, in the configured database): grant role exactly
 * its rights on every table of the database. *tables = tables covered. */
int privileges_grant_service_role(store_conn *conn, const char *role, int *tables, alvd_err *err);

#define PRIVILEGES_LIST_MAX 512

typedef struct privileges_report {
    char account[160];       /* CURRENT_USER(), e.g. alvd@localhost */
    char role[64];           /* CURRENT_ROLE(), "" when none */
    int is_root;             /* the account is MariaDB root */
    char writable_audit[PRIVILEGES_LIST_MAX]; /* append-/read-only tables it can UPDATE or DELETE */
    char ddl[PRIVILEGES_LIST_MAX];            /* DDL rights it holds ("CREATE, ALTER"…) */
    int protected_tables;    /* append-/read-only tables found */
} privileges_report;

/* What the account behind conn may do, found by statements that change nothing
 * (`UPDATE t SET c = c WHERE FALSE` is refused before it runs when the right is
 * missing) and by information_schema. probe_ddl adds two no-op DDL probes
 * (CREATE TABLE IF NOT EXISTS on an existing table, DROP TABLE IF EXISTS on a
 * missing one), which a Galera cluster replicates: for alvd doctor, not for serve. */
int privileges_check(store_conn *conn, int probe_ddl, privileges_report *report, alvd_err *err);

/* True when the report shows more than the service account should have. */
int privileges_excessive(const privileges_report *report);

/* For `alvd serve` at start: log a warning for each right the service account should
 * not have (MariaDB root, UPDATE/DELETE on an audit table, DDL). Never fails serve. */
void privileges_warn_at_start(store_pool *pool);

/* The accounts `alvd setup-db` makes (names checked by privileges_identifier_valid,
 * passwords by setup-db): the database, the service role, the service account with the
 * role as its default and the migration account with every right on the database. */
typedef struct privileges_accounts {
    const char *database, *role, *host;
    const char *service_user, *service_password;
    const char *migrate_user, *migrate_password;
} privileges_accounts;

/* Run as an administrator: make what is missing, reset both passwords, strip every right
 * granted before (so rights granted by hand do not survive), then grant their own. Each
 * statement is written to report (passwords shown as …). */
int privileges_setup_accounts(store_conn *conn, const privileges_accounts *accounts, FILE *report, alvd_err *err);

#endif
