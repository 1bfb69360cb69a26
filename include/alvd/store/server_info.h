/* What the MariaDB server itself says (version, clock, Galera state, schema version,
 * tables present) for `alvd doctor`, `alvd backup` and `alvd restore`. */
#ifndef ALVD_STORE_SERVER_INFO_H
#define ALVD_STORE_SERVER_INFO_H

#include "alvd/base/err.h"
#include "alvd/store/db.h"

typedef struct store_galera_status {
    int available;   /* the server knows wsrep at all */
    int on;          /* wsrep_on */
    int readable;    /* the status below could be read (when on) */
    char ready[16];  /* WSREP_READY */
    char state[32];  /* WSREP_LOCAL_STATE_COMMENT */
    char cluster[32]; /* WSREP_CLUSTER_STATUS */
    long long size;  /* WSREP_CLUSTER_SIZE */
} store_galera_status;

/* Never fails: what cannot be read is left 0 / "" (and said by available/readable). */
void store_server_galera(store_conn *conn, store_galera_status *status);
/* The database's clock as Unix seconds (the session runs in UTC). */
int store_server_clock(store_conn *conn, double *unix_seconds, alvd_err *err);
int store_server_version(store_conn *conn, char *out, size_t size, alvd_err *err);
/* The highest migration applied, 0 when none. */
int store_schema_version(store_conn *conn, long long *version, alvd_err *err);
/* Tables in the connection's database. */
int store_table_count(store_conn *conn, long long *tables, alvd_err *err);
/* Whether the account may create tables here, tried with a statement that changes
 * nothing when it may (schema_migrations exists). */
int store_may_create_tables(store_conn *conn, alvd_err *err);

#endif
