/* MariaDB access: a fixed pool of connections, each with its own cache of prepared
 * statements; every query is a prepared statement with typed parameters. */
#ifndef ALVD_STORE_DB_H
#define ALVD_STORE_DB_H

#include <stddef.h>
#include <string.h>

#include <jansson.h>

#include "alvd/base/err.h"

typedef struct store_config {
    char socket[256];    /* unix socket; used when non-empty */
    char host[256];      /* otherwise TCP host */
    unsigned port;       /* TCP port, 0 = 3306 */
    char database[64];
    char user[64];       /* the service account (serving, demo, commands) */
    char password[128];
    char password_file[512];         /* read at each connect when password is empty */
    char migrate_user[64];           /* the migration account; empty = the service account */
    char migrate_password[128];
    char migrate_password_file[512];
    char role[64];       /* the service account's role, granted table rights by migrate */
    unsigned pool_size;  /* connections in the pool */
    int watch_silent_answers; /* ask the server about a silent answer off Galera too (tests) */
} store_config;

typedef struct store_pool store_pool;
typedef struct store_conn store_conn;
typedef struct store_result store_result;

typedef enum store_kind { STORE_NULL, STORE_INT, STORE_TEXT, STORE_BLOB } store_kind;

/* One statement parameter; text and blobs are borrowed for the duration of the call. */
typedef struct store_param {
    store_kind kind;
    long long integer;
    const char *bytes;
    size_t length;
} store_param;

#define STORE_INT_PARAM(value) ((store_param){.kind = STORE_INT, .integer = (value)})
static inline store_param store_text_param(const char *text)
{
    store_param param = {.kind = text ? STORE_TEXT : STORE_NULL, .bytes = text,
                         .length = text ? strlen(text) : 0};
    return param;
}
#define STORE_TEXT_PARAM(text) store_text_param(text)
#define STORE_BLOB_PARAM(data, size)                                                  \
    ((store_param){.kind = STORE_BLOB, .bytes = (const char *)(data), .length = (size)})
#define STORE_NULL_PARAM ((store_param){.kind = STORE_NULL})
/* An id column that may be empty (created_by of a row no user made): 0 is NULL. */
#define STORE_OPTIONAL_ID_PARAM(id) ((id) > 0 ? STORE_INT_PARAM(id) : STORE_NULL_PARAM)
/* Expands to "array, count" for the params/count argument pairs below. */
#define STORE_PARAMS(...)                                                             \
    (const store_param[]){__VA_ARGS__},                                               \
        (sizeof((const store_param[]){__VA_ARGS__}) / sizeof(store_param))
#define STORE_NO_PARAMS NULL, 0

/* Create the pool; connections are made lazily, so this succeeds with the database
 * down. Returns NULL only on bad configuration (err says why). */
store_pool *store_pool_create(const store_config *config, alvd_err *err);
void store_pool_destroy(store_pool *pool);
/* The configuration the pool was made with. */
const store_config *store_pool_config(const store_pool *pool);

/* An opaque pointer every connection of the pool hands back (set once, before the pool is
 * used): main.c sets the application context, so code that only holds a connection (the
 * audit chain) finds the keys it needs without global state. NULL when never set. */
void store_pool_set_owner(store_pool *pool, const void *owner);
const void *store_conn_owner(const store_conn *conn);
/* What GET /metrics shows of the pool (per process): its use, how often and how long
 * an acquire had to wait for a free connection, and the waits for the serialising row
 * lock of the audit chain (store_note_lock_wait). */
#define STORE_LOCK_WAIT_BUCKETS 8
extern const double store_lock_wait_bounds[STORE_LOCK_WAIT_BUCKETS]; /* seconds */
typedef struct store_pool_stats {
    size_t size;
    size_t in_use;
    unsigned long long acquires;
    unsigned long long waits;        /* acquires that found no free connection */
    double wait_seconds;             /* their total wait */
    unsigned long long lock_wait_buckets[STORE_LOCK_WAIT_BUCKETS + 1]; /* last = +Inf; not cumulative */
    unsigned long long lock_waits;
    double lock_wait_seconds;
    unsigned long long transactions_lost; /* ended by the server without an error, retried */
    unsigned long long retries;           /* transactions retried after a conflict (1213/1205) */
} store_pool_stats;
void store_pool_stats_read(store_pool *pool, store_pool_stats *stats);
/* Record how long conn waited for the audit lock row (no-op off the pool). */
void store_note_lock_wait(store_conn *conn, double seconds);

/* Take a connected connection (connecting when needed). On failure err is 503
 * "database_unavailable" and NULL is returned. Release it with store_pool_release,
 * which rolls back a transaction the holder left open. */
store_conn *store_pool_acquire(store_pool *pool, alvd_err *err);
void store_pool_release(store_pool *pool, store_conn *conn);

/* Run one prepared statement. result may be NULL for statements without rows;
 * otherwise *result is owned by the caller (store_result_free). Errors map to
 * 409 "duplicate" (1062), 422 "unknown_reference" (1452), 503 "retry" (deadlock or
 * lock wait: the caller's whole transaction should be retried) and
 * 503 "database_unavailable" (connection lost; the connection is dropped). */
int store_query(store_conn *conn, alvd_err *err, store_result **result, const char *sql,
                const store_param *params, size_t count);
/* Like store_query without rows; *affected (may be NULL) gets the affected row count. */
int store_execute(store_conn *conn, alvd_err *err, long long *affected, const char *sql,
                  const store_param *params, size_t count);
/* A statement answering one integer (COUNT(*), an id, a flag): *value gets row 0,
 * column 0, or fallback when there is no row or it is NULL. */
int store_query_integer(store_conn *conn, alvd_err *err, long long *value, long long fallback,
                        const char *sql, const store_param *params, size_t count);
/* A statement answering one text (a state, a name, a date): out gets row 0, column 0,
 * cut to size, or "" when there is no row or it is NULL; *found (may be NULL) whether
 * there was a row. */
int store_query_text(store_conn *conn, alvd_err *err, char *out, size_t size, int *found, const char *sql,
                     const store_param *params, size_t count);
/* An array of one zeroed element of size bytes per row of rows (one at least, so an empty
 * answer is not NULL; caller frees), or NULL with err (500) when memory runs out. */
void *store_result_array(const store_result *rows, size_t size, alvd_err *err);
/* AUTO_INCREMENT id of the last INSERT run through store_execute on this connection. */
long long store_last_insert_id(const store_conn *conn);

/* Transactions. No statement is ever prepared inside one: a statement first met
 * inside a transaction runs once over the text protocol and is prepared before the
 * connection's next BEGIN (on Galera a brute-force abort during a prepare rolls the
 * transaction back silently). After every statement inside a transaction and before
 * COMMIT the server's status is checked; a transaction the server ended on its own
 * fails as 503 "retry" (the caller retries the whole unit) and every further statement
 * is refused until store_rollback. store_begin reconnects a dropped connection. */
int store_begin(store_conn *conn, alvd_err *err);
/* A hook the pool calls after a COMMIT that store_want_commit_hook asked for (at once
 * when no transaction is open): main.c pokes the audit sequencer with it, so entries
 * and events are sequenced right after their transaction commits. */
typedef void (*store_commit_hook_fn)(void *context);
void store_pool_set_commit_hook(store_pool *pool, store_commit_hook_fn hook, void *context);
void store_want_commit_hook(store_conn *conn);
int store_commit(store_conn *conn, alvd_err *err);
void store_rollback(store_conn *conn);
int store_in_transaction(const store_conn *conn);
/* Sleep before retry number attempt (0, 1, …) of a transaction that got 503 "retry":
 * a random pause under a doubling ceiling (10 ms … 320 ms), counted for /metrics. */
void store_retry_pause(store_conn *conn, unsigned attempt);
/* The connection's server is a Galera node (@@wsrep_on). */
int store_is_galera(const store_conn *conn);
/* 0 when the Galera node behind conn is ready and synced (wsrep_ready = ON,
 * wsrep_local_state = 4); otherwise 503 "database_not_synced" (or the query's error). */
int store_node_synced(store_conn *conn, alvd_err *err);
/* For tests: prepares done while a transaction was open (always 0), and whether sql is
 * prepared on conn. */
unsigned long long store_conn_prepares_in_transaction(const store_conn *conn);
int store_conn_has_prepared(const store_conn *conn, const char *sql);

/* A standalone connection that accepts multi-statement scripts (migrations, the
 * demo loader); not from the pool. Close with store_conn_close. */
store_conn *store_conn_open_script(store_pool *pool, alvd_err *err);
/* The same, as the migration account when one is configured (DDL and the service
 * role's grants need it); otherwise as the service account. */
store_conn *store_conn_open_migration(store_pool *pool, alvd_err *err);
/* A script connection as any account with no database selected (alvd setup-db, as a
 * MariaDB administrator); password NULL = none (unix_socket authentication). */
store_conn *store_conn_open_account(const store_config *config, const char *user, const char *password,
                                    alvd_err *err);
/* True when a separate migration account is configured. */
int store_config_has_migration_account(const store_config *config);
/* Read a one-line secret (a password file): the first line without its newline. */
int store_secret_read(const char *path, char *out, size_t size, alvd_err *err);
void store_conn_close(store_conn *conn);

/* Run one statement as text and report the server's refusal instead of failing:
 * *refused = 0 when it ran, else the MariaDB error number (1142 = right missing),
 * without logging it. Returns -1 only when the connection failed. */
int store_try_statement(store_conn *conn, const char *sql, unsigned *refused, alvd_err *err);

/* Run SQL text that may hold several statements (migrations only; no parameters). */
int store_execute_script(store_conn *conn, alvd_err *err, const char *sql, size_t length);

/* Chunked multi-row statements (multi-row INSERTs, IN lists): the largest of the
 * fixed sizes 128, 64, … 1 that fits remaining, so a few statement texts cover every
 * count and each stays prepared on its connection. */
#define STORE_CHUNK_MAX 128
size_t store_chunk_size(size_t remaining);
/* Append count copies of item ("?" or "(?, ?, ?)") separated by ", " to sql (a
 * capped buffer, see include/alvd/base/buf.h). */
struct alvd_buf;
void store_append_repeated(struct alvd_buf *sql, const char *item, size_t count);

/* Result access. Cells are NUL-terminated copies; NULL cells give NULL / 0. */
size_t store_result_rows(const store_result *result);
size_t store_result_columns(const store_result *result);
const char *store_result_column_name(const store_result *result, size_t column);
int store_result_column_index(const store_result *result, const char *name);
const char *store_result_text(const store_result *result, size_t row, size_t column);
const char *store_result_text_by_name(const store_result *result, size_t row, const char *name);
size_t store_result_length(const store_result *result, size_t row, size_t column);
int store_result_is_null(const store_result *result, size_t row, size_t column);
long long store_result_int(const store_result *result, size_t row, size_t column);
long long store_result_int_by_name(const store_result *result, size_t row, const char *name);
/* One row as a JSON object keyed by column name; integers become JSON integers,
 * TINYINT(1) booleans, DATETIME RFC 3339 UTC ("…Z"), binary columns are left out,
 * everything else strings. New reference. */
json_t *store_result_row_json(const store_result *result, size_t row);
/* Every row as a JSON array of such objects. New reference. */
json_t *store_result_json(const store_result *result);
void store_result_free(store_result *result);

/* Migrations from dir (NNNN_name.sql, in order). With apply = 0 only counts the
 * pending files into *pending; with apply = 1 applies them. An applied file whose
 * checksum changed is refused (409 "migration_changed", naming the file). */
int store_migrate(store_pool *pool, const char *dir, int apply, int *pending, int *applied,
                  alvd_err *err);

#endif
