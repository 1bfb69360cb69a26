/* The MariaDB connection pool and prepared-statement runner every module uses.
 * Reconnect is manual: a lost connection is dropped with its statements and remade. */
#include "alvd/store/db.h"

#include <errno.h>
#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>
#include <poll.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "alvd/base/buf.h"
#include "alvd/base/log.h"

#define STORE_STATEMENT_CACHE 512
#define STORE_CONNECT_TIMEOUT_SECONDS 2
/* Every wait is bounded well below the 30 s a phone waits: a lock wait ends as 1205
 * after STORE_LOCK_WAIT_SECONDS, a pool statement is stopped by the server after
 * STORE_STATEMENT_SECONDS (max_statement_time), and a connection whose server went
 * silent (a Galera node killed or paused, a session left "Killed") is given up after
 * STORE_IO_TIMEOUT_SECONDS; a cluster's failure detection (about 6 s) fits under it. */
#define STORE_IO_TIMEOUT_SECONDS 10
#define STORE_LOCK_WAIT_SECONDS 5
#define STORE_STATEMENT_SECONDS 8
/* While a statement's answer or rows are awaited, the server is asked after
 * STORE_ROWS_FIRST_CHECK_MS without a byte whether it still works on the statement, then
 * every STORE_ROWS_CHECK_MS (store_result_watch). The first check comes early: an
 * abandoned answer holds a vote batch or a scan, and most statements answer within
 * milliseconds; later ones are rarer, a statement still running after the first is
 * mostly a lock or commit wait. */
#define STORE_ROWS_FIRST_CHECK_MS 300
#define STORE_ROWS_CHECK_MS 1000
/* Statements first met inside a transaction run as text once and are prepared before
 * the connection's next BEGIN; at most this many wait per connection. */
#define STORE_PENDING_PREPARES 64
#define STORE_TEXT_OF(x) #x
#define STORE_TEXT(x) STORE_TEXT_OF(x)
#define STORE_STACK_PARAMS 64   /* parameters bound without a heap allocation */
#define STORE_MAX_PARAMS 4096   /* multi-row INSERTs of a vote batch stay far below */

typedef struct store_statement {
    char *sql;          /* owned copy, the cache key */
    unsigned long hash; /* of sql, to skip most strcmp */
    MYSQL_STMT *stmt;
} store_statement;

struct store_conn {
    MYSQL *mysql;                    /* NULL while disconnected */
    int in_transaction;
    int busy;                        /* checked out of the pool */
    const store_config *config;      /* the pool's, for reconnecting */
    int account_kind;                /* STORE_AS_*: which account a reconnect uses */
    const void *const *owner;        /* the pool's owner (store_pool_set_owner); NULL = none */
    struct store_pool *pool;         /* the pool it belongs to, NULL for a script connection */
    long long last_insert_id;
    /* The server ended the transaction behind our back (a Galera brute-force abort
     * during a command that reported no error): every statement and COMMIT is refused
     * until the caller rolls back, so nothing runs in autocommit by accident. */
    int transaction_lost;
    int wsrep_on;                    /* the server is a Galera node (@@wsrep_on) */
    int causal_due;                  /* pool, Galera: the next statement first waits (store_causal_wait) */
    int refused;                     /* the last failure was the node's refusal (store_node_unusable) */
    unsigned long long prepares_in_transaction; /* stays 0: statements are prepared outside */
    char *pending_prepares[STORE_PENDING_PREPARES]; /* met inside a transaction; prepared at BEGIN */
    size_t pending_count;
    store_statement statements[STORE_STATEMENT_CACHE];
    size_t statement_count;
    int commit_hook_wanted;          /* store_want_commit_hook: call the pool's hook at COMMIT */
};

struct store_pool {
    store_config config;
    const void *owner;
    pthread_mutex_t lock;
    pthread_cond_t available;
    store_conn *conns;
    size_t count;
    /* statistics for GET /metrics: the first four under lock, the rest atomic */
    size_t in_use;
    unsigned long long acquires, waits, wait_nanoseconds;
    unsigned long long lock_wait_buckets[STORE_LOCK_WAIT_BUCKETS + 1];
    unsigned long long lock_waits, lock_wait_nanoseconds;
    unsigned long long transactions_lost, retries; /* atomic */
    store_commit_hook_fn commit_hook; /* atomic; with its context, set by main.c */
    void *commit_hook_context;
};

const double store_lock_wait_bounds[STORE_LOCK_WAIT_BUCKETS] = {0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5};

typedef struct store_cell {
    char *data;
    unsigned long length;
    int is_null;
} store_cell;

struct store_result {
    size_t rows;
    size_t columns;
    char **names;              /* column names */
    enum enum_field_types *types;
    unsigned *flags;
    unsigned *charsets;
    unsigned long *lengths;    /* declared column lengths (TINYINT(1) detection) */
    store_cell *cells;         /* rows * columns */
};

static unsigned long store_hash(const char *text)
{
    unsigned long hash = 5381;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        hash = hash * 33 + *p;
    return hash;
}

static void store_conn_drop(store_conn *conn)
{
    for (size_t i = 0; i < conn->statement_count; i++) {
        if (conn->statements[i].stmt)
            mysql_stmt_close(conn->statements[i].stmt);
        free(conn->statements[i].sql);
    }
    conn->statement_count = 0;
    if (conn->mysql)
        mysql_close(conn->mysql);
    conn->mysql = NULL;
    conn->in_transaction = 0;
    conn->transaction_lost = 0;
    conn->wsrep_on = 0;
}

static void store_pending_clear(store_conn *conn)
{
    for (size_t i = 0; i < conn->pending_count; i++)
        free(conn->pending_prepares[i]);
    conn->pending_count = 0;
}

static int store_connection_lost(unsigned error)
{
    return error == CR_SERVER_GONE_ERROR || error == CR_SERVER_LOST ||
           error == CR_CONNECTION_ERROR || error == CR_CONN_HOST_ERROR ||
           error == CR_SERVER_LOST_EXTENDED || error == ER_CONNECTION_KILLED ||
           error == 1927 /* ER_CONNECTION_KILLED in MariaDB */ ||
           error == ER_SERVER_SHUTDOWN || error == CR_COMMANDS_OUT_OF_SYNC;
}

/* Errors of a node that cannot serve right now, after which the session is not reused:
 * 1047 "WSREP has not yet prepared node for application use" (a joining or
 * non-primary Galera node), 1180 an error during COMMIT (replication failed),
 * 1969 max_statement_time exceeded, 1317 a statement interrupted (KILL QUERY). */
static int store_node_unusable(unsigned error)
{
    return error == ER_UNKNOWN_COM_ERROR || error == ER_ERROR_DURING_COMMIT || error == ER_STATEMENT_TIMEOUT ||
           error == ER_QUERY_INTERRUPTED;
}

/* Map a MariaDB error to the alvd_err contract of db.h. */
static int store_fail(store_conn *conn, alvd_err *err, unsigned error, const char *text)
{
    if (error == ER_DUP_ENTRY)
        return alvd_err_set(err, 409, "duplicate", NULL, "Dit bestaat al.");
    if (error == ER_NO_REFERENCED_ROW_2 || error == ER_NO_REFERENCED_ROW)
        return alvd_err_set(err, 422, "unknown_reference", NULL,
                            "Een verwijzing naar een onbekend object.");
    if (error == ER_ROW_IS_REFERENCED_2 || error == ER_ROW_IS_REFERENCED)
        return alvd_err_set(err, 409, "in_use", NULL, "Dit object is nog in gebruik.");
    if (error == ER_LOCK_DEADLOCK || error == ER_LOCK_WAIT_TIMEOUT)
        return alvd_err_set(err, 503, "retry", NULL,
                            "De database was even bezet; probeer het opnieuw.");
    if (store_connection_lost(error) || error >= 2000) {
        log_warn("database connection lost (%u: %s)", error, text);
        store_conn_drop(conn);
        return alvd_err_set(err, 503, "database_unavailable", NULL,
                            "De database is tijdelijk niet bereikbaar.");
    }
    if (store_node_unusable(error)) {
        /* The node cannot serve (not synced, commit failed in replication) or the
         * statement ran out of its time: the session's state is unknown, so it goes. */
        log_warn("database node refused (%u: %s); connection dropped", error, text);
        store_conn_drop(conn);
        conn->refused = 1; /* not run again on a new session: it would wait or fail again */
        return alvd_err_set(err, 503, "database_unavailable", NULL,
                            "De database is tijdelijk niet bereikbaar.");
    }
    if (error == ER_DATA_TOO_LONG || error == ER_TRUNCATED_WRONG_VALUE ||
        error == ER_WARN_DATA_OUT_OF_RANGE || error == 1292 || error == 1366)
        return alvd_err_set(err, 422, "invalid_value", NULL, "Een waarde is ongeldig: %s",
                            text);
    log_error("database error %u: %s", error, text);
    return alvd_err_set(err, 500, "database_error", NULL, "Interne databasefout.");
}

int store_secret_read(const char *path, char *out, size_t size, alvd_err *err)
{
    FILE *file = fopen(path, "re");
    if (file == NULL)
        return alvd_err_set(err, 500, "no_password_file", NULL, "Cannot read the password file %s.", path);
    if (fgets(out, (int)size, file) == NULL)
        out[0] = '\0';
    fclose(file);
    out[strcspn(out, "\r\n")] = '\0';
    if (out[0] == '\0')
        return alvd_err_set(err, 500, "no_password_file", NULL, "The password file %s is empty.", path);
    return 0;
}

enum { STORE_AS_SERVICE = 0, STORE_AS_MIGRATION, STORE_AS_OTHER };

/* Settings that depend on what the connection is for and what it talks to: a pool
 * connection's statements are bounded in time (commands and migrations are not: an
 * import or an ALTER may run long). On a Galera node a client moving between alvd
 * processes on different nodes must see its own writes: the node first applies what
 * the cluster committed before it (wsrep_sync_wait). A script connection (migrations)
 * waits before every read; a pool connection waits once each time it is taken from the pool,
 * before its first statement (store_causal_wait): everything the client saw committed
 * happened before its request, so one wait covers every read of the request (a node
 * never un-applies), and a vote batch or a login pays one cluster round, not one per
 * SELECT and BEGIN. */
static int store_session_setup(store_conn *conn, alvd_err *err)
{
    if (conn->pool && mysql_query(conn->mysql, "SET SESSION max_statement_time=" STORE_TEXT(STORE_STATEMENT_SECONDS)) != 0)
        return store_fail(conn, err, mysql_errno(conn->mysql), mysql_error(conn->mysql));
    conn->wsrep_on = 0;
    if (mysql_query(conn->mysql, "SELECT @@wsrep_on") == 0) {
        MYSQL_RES *rows = mysql_store_result(conn->mysql);
        MYSQL_ROW row = rows ? mysql_fetch_row(rows) : NULL;
        conn->wsrep_on = row && row[0] && strcmp(row[0], "1") == 0;
        if (rows)
            mysql_free_result(rows);
    } else if (mysql_errno(conn->mysql) != ER_UNKNOWN_SYSTEM_VARIABLE) {
        return store_fail(conn, err, mysql_errno(conn->mysql), mysql_error(conn->mysql));
    }
    if (conn->wsrep_on && mysql_query(conn->mysql, conn->pool ? "SET SESSION wsrep_sync_wait=0"
                                                              : "SET SESSION wsrep_sync_wait=1") != 0)
        return store_fail(conn, err, mysql_errno(conn->mysql), mysql_error(conn->mysql));
    /* A new session may be on another node than the one the request waited on. */
    conn->causal_due = conn->pool && conn->wsrep_on;
    return 0;
}

/* The one wait of a pool connection's use (see store_session_setup): a statement that
 * reads nothing, run with wsrep_sync_wait for itself only. */
static int store_causal_wait(store_conn *conn, alvd_err *err)
{
    if (!conn->causal_due || conn->mysql == NULL)
        return 0;
    if (mysql_query(conn->mysql, "SET STATEMENT wsrep_sync_wait=1 FOR SELECT 1") != 0)
        return store_fail(conn, err, mysql_errno(conn->mysql), mysql_error(conn->mysql));
    MYSQL_RES *rows = mysql_store_result(conn->mysql);
    if (rows)
        mysql_free_result(rows);
    conn->causal_due = 0;
    return 0;
}

typedef struct store_account {
    const char *user;          /* NULL = the client library's default */
    const char *password;      /* used when non-empty */
    const char *password_file; /* otherwise read from here when non-empty */
    const char *database;      /* NULL = none selected */
} store_account;

static int store_connect_as(const store_config *config, const store_account *account, store_conn *conn,
                            int multi, alvd_err *err)
{
    char password[sizeof config->password] = "";
    if (account->password && account->password[0])
        snprintf(password, sizeof password, "%s", account->password);
    else if (account->password_file && account->password_file[0]) {
        alvd_err why;
        alvd_err_clear(&why);
        if (store_secret_read(account->password_file, password, sizeof password, &why) != 0) {
            log_warn("cannot connect to the database: %s", why.message);
            return alvd_err_set(err, 503, "database_unavailable", NULL,
                                "De database is tijdelijk niet bereikbaar.");
        }
    }
    MYSQL *mysql = mysql_init(NULL);
    if (mysql == NULL)
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    unsigned timeout = STORE_CONNECT_TIMEOUT_SECONDS;
    unsigned io_timeout = STORE_IO_TIMEOUT_SECONDS;
    my_bool reconnect = 0;
    /* The non-blocking calls run prepared statements and read result rows under
     * store_result_watch; every other call stays blocking. */
    mysql_optionsv(mysql, MYSQL_OPT_NONBLOCK, 0);
    mysql_optionsv(mysql, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
    mysql_optionsv(mysql, MYSQL_OPT_READ_TIMEOUT, &io_timeout);
    mysql_optionsv(mysql, MYSQL_OPT_WRITE_TIMEOUT, &io_timeout);
    mysql_optionsv(mysql, MYSQL_OPT_RECONNECT, &reconnect);
    mysql_optionsv(mysql, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    mysql_optionsv(mysql, MYSQL_INIT_COMMAND,
                   "SET time_zone='+00:00', sql_mode='STRICT_ALL_TABLES,NO_ZERO_DATE,"
                   "NO_ZERO_IN_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION',"
                   " tx_isolation='READ-COMMITTED',"
                   /* Below the read timeout: a long lock wait ends as 1205 (a whole
                    * transaction retried) instead of a dropped connection. */
                   " innodb_lock_wait_timeout=" STORE_TEXT(STORE_LOCK_WAIT_SECONDS));
    const char *socket = config->socket[0] ? config->socket : NULL;
    const char *host = socket ? "localhost" : (config->host[0] ? config->host : "127.0.0.1");
    unsigned long flags = CLIENT_FOUND_ROWS | (multi ? CLIENT_MULTI_STATEMENTS : 0);
    MYSQL *connected = mysql_real_connect(mysql, host, account->user && account->user[0] ? account->user : NULL,
                                          password[0] ? password : NULL, account->database, config->port,
                                          socket, flags);
    sodium_memzero(password, sizeof password);
    if (connected == NULL) {
        unsigned error = mysql_errno(mysql);
        log_warn("cannot connect to the database: %s", mysql_error(mysql));
        mysql_close(mysql);
        if (error == ER_DBACCESS_DENIED_ERROR) /* signed in, but no right on the database (yet) */
            return alvd_err_set(err, 503, "database_access_denied", NULL,
                                "De database is tijdelijk niet bereikbaar.");
        return alvd_err_set(err, 503, "database_unavailable", NULL,
                            "De database is tijdelijk niet bereikbaar.");
    }
    conn->mysql = mysql;
    conn->in_transaction = 0;
    conn->transaction_lost = 0;
    store_pending_clear(conn);
    if (store_session_setup(conn, err) != 0) {
        store_conn_drop(conn);
        return -1;
    }
    return 0;
}

static store_account store_account_of(const store_config *config, int kind)
{
    store_account account = {config->user, config->password, config->password_file, config->database};
    if (kind == STORE_AS_MIGRATION && config->migrate_user[0]) {
        account.user = config->migrate_user;
        account.password = config->migrate_password;
        account.password_file = config->migrate_password_file;
    }
    return account;
}

/* As the account the connection was made for (the service account for the pool). */
static int store_connect(const store_config *config, store_conn *conn, int multi, alvd_err *err)
{
    if (conn->account_kind == STORE_AS_OTHER)
        return alvd_err_set(err, 503, "database_unavailable", NULL, "De database is tijdelijk niet bereikbaar.");
    store_account account = store_account_of(config, conn->account_kind);
    return store_connect_as(config, &account, conn, multi, err);
}

store_pool *store_pool_create(const store_config *config, alvd_err *err)
{
    if (config->pool_size == 0 || config->database[0] == '\0') {
        alvd_err_set(err, 500, "bad_config", NULL, "Database name and pool size are required.");
        return NULL;
    }
    store_pool *pool = calloc(1, sizeof *pool);
    if (pool == NULL)
        goto fail;
    pool->config = *config;
    pool->count = config->pool_size;
    pool->conns = calloc(pool->count, sizeof *pool->conns);
    if (pool->conns == NULL)
        goto fail;
    for (size_t i = 0; i < pool->count; i++) {
        pool->conns[i].config = &pool->config;
        pool->conns[i].owner = &pool->owner;
        pool->conns[i].pool = pool;
    }
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->available, NULL);
    return pool;
fail:
    if (pool)
        free(pool->conns);
    free(pool);
    alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    return NULL;
}

void store_pool_destroy(store_pool *pool)
{
    if (pool == NULL)
        return;
    for (size_t i = 0; i < pool->count; i++) {
        store_conn_drop(&pool->conns[i]);
        store_pending_clear(&pool->conns[i]);
    }
    pthread_mutex_destroy(&pool->lock);
    pthread_cond_destroy(&pool->available);
    free(pool->conns);
    free(pool);
}

const store_config *store_pool_config(const store_pool *pool)
{
    return &pool->config;
}

void store_pool_set_owner(store_pool *pool, const void *owner)
{
    pool->owner = owner;
}

const void *store_conn_owner(const store_conn *conn)
{
    return conn && conn->owner ? *conn->owner : NULL;
}

store_conn *store_pool_acquire(store_pool *pool, alvd_err *err)
{
    store_conn *conn = NULL;
    struct timespec wait_start = {0, 0};
    pthread_mutex_lock(&pool->lock);
    for (;;) {
        /* Prefer a connection that is already connected. */
        for (size_t i = 0; i < pool->count && conn == NULL; i++)
            if (!pool->conns[i].busy && pool->conns[i].mysql)
                conn = &pool->conns[i];
        for (size_t i = 0; i < pool->count && conn == NULL; i++)
            if (!pool->conns[i].busy)
                conn = &pool->conns[i];
        if (conn)
            break;
        if (wait_start.tv_sec == 0 && wait_start.tv_nsec == 0)
            clock_gettime(CLOCK_MONOTONIC, &wait_start);
        pthread_cond_wait(&pool->available, &pool->lock);
    }
    conn->busy = 1;
    pool->in_use++;
    pool->acquires++;
    if (wait_start.tv_sec != 0 || wait_start.tv_nsec != 0) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        pool->waits++;
        pool->wait_nanoseconds += (unsigned long long)((now.tv_sec - wait_start.tv_sec) * 1000000000LL +
                                                       (now.tv_nsec - wait_start.tv_nsec));
    }
    pthread_mutex_unlock(&pool->lock);
    if (conn->mysql == NULL && store_connect(&pool->config, conn, 0, err) != 0) {
        store_pool_release(pool, conn);
        return NULL;
    }
    conn->causal_due = conn->wsrep_on;
    return conn;
}

void store_pool_stats_read(store_pool *pool, store_pool_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    pthread_mutex_lock(&pool->lock);
    stats->size = pool->count;
    stats->in_use = pool->in_use;
    stats->acquires = pool->acquires;
    stats->waits = pool->waits;
    stats->wait_seconds = (double)pool->wait_nanoseconds / 1e9;
    pthread_mutex_unlock(&pool->lock);
    for (size_t i = 0; i <= STORE_LOCK_WAIT_BUCKETS; i++)
        stats->lock_wait_buckets[i] = __atomic_load_n(&pool->lock_wait_buckets[i], __ATOMIC_RELAXED);
    stats->lock_waits = __atomic_load_n(&pool->lock_waits, __ATOMIC_RELAXED);
    stats->lock_wait_seconds = (double)__atomic_load_n(&pool->lock_wait_nanoseconds, __ATOMIC_RELAXED) / 1e9;
    stats->transactions_lost = __atomic_load_n(&pool->transactions_lost, __ATOMIC_RELAXED);
    stats->retries = __atomic_load_n(&pool->retries, __ATOMIC_RELAXED);
}

void store_note_lock_wait(store_conn *conn, double seconds)
{
    store_pool *pool = conn ? conn->pool : NULL;
    if (pool == NULL)
        return;
    size_t bucket = 0;
    while (bucket < STORE_LOCK_WAIT_BUCKETS && seconds > store_lock_wait_bounds[bucket])
        bucket++;
    __atomic_add_fetch(&pool->lock_wait_buckets[bucket], 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&pool->lock_waits, 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&pool->lock_wait_nanoseconds, (unsigned long long)(seconds * 1e9), __ATOMIC_RELAXED);
}

void store_pool_release(store_pool *pool, store_conn *conn)
{
    if (conn == NULL)
        return;
    if (conn->in_transaction)
        store_rollback(conn);
    pthread_mutex_lock(&pool->lock);
    conn->busy = 0;
    pool->in_use--;
    pthread_cond_signal(&pool->available);
    pthread_mutex_unlock(&pool->lock);
}

static MYSQL_STMT *store_prepared(const store_conn *conn, const char *sql)
{
    unsigned long hash = store_hash(sql);
    for (size_t i = 0; i < conn->statement_count; i++)
        if (conn->statements[i].hash == hash && strcmp(conn->statements[i].sql, sql) == 0)
            return conn->statements[i].stmt;
    return NULL;
}

/* Prepare sql on conn (or find it prepared). Never called inside a transaction: on
 * Galera a brute-force abort that lands during COM_STMT_PREPARE rolls the transaction
 * back without an error, and whatever runs next would run in autocommit. */
static MYSQL_STMT *store_prepare(store_conn *conn, alvd_err *err, const char *sql)
{
    MYSQL_STMT *found = store_prepared(conn, sql);
    if (found)
        return found;
    if (conn->in_transaction)
        conn->prepares_in_transaction++;
    unsigned long hash = store_hash(sql);
    MYSQL_STMT *stmt = mysql_stmt_init(conn->mysql);
    if (stmt == NULL) {
        store_fail(conn, err, mysql_errno(conn->mysql), mysql_error(conn->mysql));
        return NULL;
    }
    my_bool update_max = 1;
    mysql_stmt_attr_set(stmt, STMT_ATTR_UPDATE_MAX_LENGTH, &update_max);
    if (mysql_stmt_prepare(stmt, sql, strlen(sql)) != 0) {
        unsigned error = mysql_stmt_errno(stmt);
        char text[512];
        snprintf(text, sizeof text, "%s [%s]", mysql_stmt_error(stmt), sql);
        mysql_stmt_close(stmt);
        store_fail(conn, err, error, text);
        return NULL;
    }
    if (conn->statement_count == STORE_STATEMENT_CACHE) {
        /* A full cache means dynamic SQL somewhere; evict the oldest half. */
        for (size_t i = 0; i < STORE_STATEMENT_CACHE / 2; i++) {
            mysql_stmt_close(conn->statements[i].stmt);
            free(conn->statements[i].sql);
        }
        memmove(conn->statements, conn->statements + STORE_STATEMENT_CACHE / 2,
                sizeof(store_statement) * (STORE_STATEMENT_CACHE / 2));
        conn->statement_count = STORE_STATEMENT_CACHE / 2;
    }
    store_statement *entry = &conn->statements[conn->statement_count++];
    entry->sql = strdup(sql);
    entry->hash = hash;
    entry->stmt = stmt;
    return stmt;
}

/* The client library wants mutable buffers although it only reads parameters; the
 * integers and lengths are copied, and text pointers lose const through memcpy. */
static int store_bind_params(MYSQL_STMT *stmt, alvd_err *err, const store_param *params,
                             size_t count, MYSQL_BIND *binds, my_bool *nulls,
                             long long *integers, unsigned long *lengths)
{
    if (mysql_stmt_param_count(stmt) != count || count > STORE_MAX_PARAMS)
        return alvd_err_set(err, 500, "bad_statement", NULL,
                            "Statement expects %lu parameters, got %zu.",
                            mysql_stmt_param_count(stmt), count);
    if (count)
        memset(binds, 0, sizeof(MYSQL_BIND) * count);
    for (size_t i = 0; i < count; i++) {
        nulls[i] = params[i].kind == STORE_NULL;
        binds[i].is_null = &nulls[i];
        switch (params[i].kind) {
        case STORE_NULL:
            binds[i].buffer_type = MYSQL_TYPE_NULL;
            break;
        case STORE_INT:
            integers[i] = params[i].integer;
            binds[i].buffer_type = MYSQL_TYPE_LONGLONG;
            binds[i].buffer = &integers[i];
            break;
        case STORE_TEXT:
        case STORE_BLOB:
            binds[i].buffer_type =
                params[i].kind == STORE_TEXT ? MYSQL_TYPE_STRING : MYSQL_TYPE_BLOB;
            memcpy(&binds[i].buffer, &params[i].bytes, sizeof binds[i].buffer);
            lengths[i] = params[i].length;
            binds[i].buffer_length = params[i].length;
            binds[i].length = &lengths[i];
            break;
        }
    }
    if (count && mysql_stmt_bind_param(stmt, binds) != 0)
        return alvd_err_set(err, 500, "bad_statement", NULL, "Cannot bind parameters: %s",
                            mysql_stmt_error(stmt));
    return 0;
}

void store_result_free(store_result *result)
{
    if (result == NULL)
        return;
    for (size_t i = 0; i < result->rows * result->columns; i++)
        free(result->cells[i].data);
    for (size_t i = 0; i < result->columns; i++)
        free(result->names[i]);
    free(result->names);
    free(result->types);
    free(result->flags);
    free(result->charsets);
    free(result->lengths);
    free(result->cells);
    free(result);
}

/* Whether the server still works on the command this connection waits for, asked over a
 * connection of its own: 1 yes (or cannot tell), 0 no. A Galera node that brute-force
 * aborts a transaction while it sends a result set leaves the rest of the rows unsent and
 * no error (MariaDB 10.11: the session shows as Killed with no statement until the client
 * gives up); the cluster benchmark saw scans and votes wait out the 10 s read timeout
 * that way, two or three times in a row. A session with no statement, asleep or gone,
 * sends nothing more. */
static int store_server_still_working(store_conn *conn)
{
    if (conn->config == NULL || conn->account_kind == STORE_AS_OTHER)
        return 1;
    store_conn side;
    memset(&side, 0, sizeof side);
    side.account_kind = conn->account_kind;
    alvd_err err;
    alvd_err_clear(&err);
    store_account account = store_account_of(conn->config, conn->account_kind);
    if (store_connect_as(conn->config, &account, &side, 0, &err) != 0)
        return 1;
    int working = 1;
    char sql[160];
    snprintf(sql, sizeof sql,
             "SELECT COMMAND = 'Sleep' OR INFO IS NULL FROM information_schema.PROCESSLIST WHERE ID = %lu",
             mysql_thread_id(conn->mysql));
    if ((!side.wsrep_on || mysql_query(side.mysql, "SET SESSION wsrep_sync_wait=0") == 0) &&
        mysql_query(side.mysql, sql) == 0) {
        MYSQL_RES *rows = mysql_store_result(side.mysql);
        MYSQL_ROW row = rows ? mysql_fetch_row(rows) : NULL;
        if (rows)
            working = row != NULL && row[0] != NULL && strcmp(row[0], "0") == 0;
        if (rows)
            mysql_free_result(rows);
    }
    store_conn_drop(&side);
    return working;
}

/* One wait of a non-blocking execute or result read (status: what the client library
 * waits for):
 * the events to continue with. While no byte comes the server is asked (after
 * STORE_ROWS_FIRST_CHECK_MS, then every STORE_ROWS_CHECK_MS) whether it still works on
 * the statement; when it does not (or after the read
 * timeout) the socket is shut down, so the library ends the read with an error, and
 * *abandoned is set. */
static int store_result_watch(store_conn *conn, int status, int *waited_ms, int *abandoned)
{
    /* Only a Galera node leaves an answer unsent (a brute-force abort). On one MariaDB a
     * silent answer is a busy server: its session shows "Sleep" until its thread reads
     * the command, so asking would drop healthy connections under load (seen: browser
     * tests at load 10 got 503s, a migration failed). There the read timeout alone holds. */
    int ask = conn->wsrep_on || (conn->config && conn->config->watch_silent_answers);
    for (;;) {
        struct pollfd poller = {mysql_get_socket(conn->mysql), 0, 0};
        if (status & MYSQL_WAIT_READ)
            poller.events |= POLLIN;
        if (status & MYSQL_WAIT_WRITE)
            poller.events |= POLLOUT;
        int interval = *waited_ms == 0 ? STORE_ROWS_FIRST_CHECK_MS : STORE_ROWS_CHECK_MS;
        int ready = poll(&poller, 1, interval);
        if (ready > 0) {
            *waited_ms = 0;
            return ((poller.revents & (POLLIN | POLLHUP | POLLERR)) ? MYSQL_WAIT_READ : 0) |
                   ((poller.revents & POLLOUT) ? MYSQL_WAIT_WRITE : 0);
        }
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready == 0) {
            *waited_ms += interval;
            if (*waited_ms < STORE_IO_TIMEOUT_SECONDS * 1000 && (!ask || store_server_still_working(conn)))
                continue;
            /* The answer may have come while the server was asked: look once more. */
            if (*waited_ms < STORE_IO_TIMEOUT_SECONDS * 1000 && poll(&poller, 1, 0) > 0)
                continue;
        }
        log_warn("the database stopped answering (session %lu, %d ms without a byte, no statement running); connection dropped",
                 mysql_thread_id(conn->mysql), *waited_ms);
        *abandoned = 1;
        shutdown(mysql_get_socket(conn->mysql), SHUT_RDWR);
        return MYSQL_WAIT_READ;
    }
}

/* mysql_stmt_execute under store_result_watch: the client library reads the rows of a
 * result here already (the cluster benchmark caught the stalls in it with gdb). */
static int store_stmt_execute(store_conn *conn, MYSQL_STMT *stmt, int *abandoned)
{
    int rc = 0, waited_ms = 0;
    int status = mysql_stmt_execute_start(&rc, stmt);
    while (status != 0)
        status = mysql_stmt_execute_cont(&rc, stmt, store_result_watch(conn, status, &waited_ms, abandoned));
    return rc;
}

/* mysql_stmt_store_result under store_result_watch. */
static int store_stmt_rows(store_conn *conn, MYSQL_STMT *stmt, int *abandoned)
{
    int rc = 0, waited_ms = 0;
    int status = mysql_stmt_store_result_start(&rc, stmt);
    while (status != 0)
        status = mysql_stmt_store_result_cont(&rc, stmt, store_result_watch(conn, status, &waited_ms, abandoned));
    return rc;
}

/* mysql_store_result under store_result_watch. */
static MYSQL_RES *store_text_rows(store_conn *conn, int *abandoned)
{
    MYSQL_RES *rows = NULL;
    int waited_ms = 0;
    int status = mysql_store_result_start(&rows, conn->mysql);
    while (status != 0)
        status = mysql_store_result_cont(&rows, conn->mysql, store_result_watch(conn, status, &waited_ms, abandoned));
    return rows;
}

/* A result the server stopped sending: the connection goes, the unit is retried (it was
 * a Galera abort, as a deadlock is). */
static int store_rows_abandoned(store_conn *conn, alvd_err *err)
{
    store_conn_drop(conn);
    return alvd_err_set(err, 503, "retry", NULL, "De database was even bezet; probeer het opnieuw.");
}

static int store_fetch_all(store_conn *conn, MYSQL_STMT *stmt, alvd_err *err,
                           store_result **out)
{
    MYSQL_RES *meta = mysql_stmt_result_metadata(stmt);
    MYSQL_BIND *binds = NULL;
    unsigned long *lengths = NULL;
    my_bool *nulls = NULL, *errors = NULL;
    store_result *result = calloc(1, sizeof *result);
    if (meta == NULL || result == NULL)
        goto oom;
    int abandoned = 0;
    if (store_stmt_rows(conn, stmt, &abandoned) != 0) {
        if (abandoned)
            store_rows_abandoned(conn, err);
        else
            store_fail(conn, err, mysql_stmt_errno(stmt), mysql_stmt_error(stmt));
        goto fail;
    }
    size_t columns = mysql_num_fields(meta);
    MYSQL_FIELD *fields = mysql_fetch_fields(meta);
    result->columns = columns;
    result->names = calloc(columns, sizeof *result->names);
    result->types = calloc(columns, sizeof *result->types);
    result->flags = calloc(columns, sizeof *result->flags);
    result->charsets = calloc(columns, sizeof *result->charsets);
    result->lengths = calloc(columns, sizeof *result->lengths);
    binds = calloc(columns, sizeof *binds);
    lengths = calloc(columns, sizeof *lengths);
    nulls = calloc(columns, sizeof *nulls);
    errors = calloc(columns, sizeof *errors);
    size_t total_rows = (size_t)mysql_stmt_num_rows(stmt);
    result->cells = calloc(total_rows * columns + 1, sizeof *result->cells);
    if (!result->names || !result->types || !result->flags || !result->charsets ||
        !result->lengths || !binds || !lengths || !nulls || !errors || !result->cells)
        goto oom;
    for (size_t c = 0; c < columns; c++) {
        result->names[c] = strdup(fields[c].name);
        result->types[c] = fields[c].type;
        result->flags[c] = fields[c].flags;
        result->charsets[c] = fields[c].charsetnr;
        result->lengths[c] = fields[c].length;
        unsigned long size = fields[c].max_length + 1;
        if (size < 72)
            size = 72;
        binds[c].buffer_type = MYSQL_TYPE_STRING;
        binds[c].buffer = malloc(size);
        binds[c].buffer_length = size;
        binds[c].length = &lengths[c];
        binds[c].is_null = &nulls[c];
        binds[c].error = &errors[c];
        if (binds[c].buffer == NULL || result->names[c] == NULL)
            goto oom;
    }
    if (mysql_stmt_bind_result(stmt, binds) != 0) {
        store_fail(conn, err, mysql_stmt_errno(stmt), mysql_stmt_error(stmt));
        goto fail;
    }
    size_t row = 0;
    for (;;) {
        int rc = mysql_stmt_fetch(stmt);
        if (rc == MYSQL_NO_DATA)
            break;
        if (rc == 1) {
            store_fail(conn, err, mysql_stmt_errno(stmt), mysql_stmt_error(stmt));
            goto fail;
        }
        if (row >= total_rows)
            break;
        for (size_t c = 0; c < columns; c++) {
            store_cell *cell = &result->cells[row * columns + c];
            cell->is_null = nulls[c];
            if (nulls[c])
                continue;
            cell->length = lengths[c];
            cell->data = malloc(lengths[c] + 1);
            if (cell->data == NULL)
                goto oom;
            if (lengths[c] < binds[c].buffer_length) {
                memcpy(cell->data, binds[c].buffer, lengths[c]);
            } else {
                MYSQL_BIND whole;
                memset(&whole, 0, sizeof whole);
                whole.buffer_type = MYSQL_TYPE_STRING;
                whole.buffer = cell->data;
                whole.buffer_length = lengths[c] + 1;
                if (mysql_stmt_fetch_column(stmt, &whole, (unsigned)c, 0) != 0) {
                    store_fail(conn, err, mysql_stmt_errno(stmt), mysql_stmt_error(stmt));
                    goto fail;
                }
            }
            cell->data[lengths[c]] = '\0';
        }
        row++;
    }
    result->rows = row;
    for (size_t c = 0; c < columns; c++)
        free(binds[c].buffer);
    free(binds);
    free(lengths);
    free(nulls);
    free(errors);
    mysql_free_result(meta);
    mysql_stmt_free_result(stmt);
    *out = result;
    return 0;
oom:
    alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
fail:
    if (binds)
        for (size_t c = 0; c < result->columns; c++)
            free(binds[c].buffer);
    free(binds);
    free(lengths);
    free(nulls);
    free(errors);
    if (meta)
        mysql_free_result(meta);
    if (conn->mysql)
        mysql_stmt_free_result(stmt);
    store_result_free(result);
    return -1;
}

static int store_run_bound(store_conn *conn, alvd_err *err, store_result **result, long long *affected,
                           const char *sql, const store_param *params, size_t count, MYSQL_BIND *binds,
                           my_bool *nulls, long long *integers, unsigned long *lengths);
static int store_run_prepared(store_conn *conn, MYSQL_STMT *stmt, alvd_err *err, store_result **result,
                              long long *affected, const store_param *params, size_t count, MYSQL_BIND *binds,
                              my_bool *nulls, long long *integers, unsigned long *lengths);

/* ---- transactions the server may end on its own ---- */

/* What the server said about the transaction in its last OK or EOF packet. */
static int store_server_in_transaction(const store_conn *conn)
{
    unsigned status = 0;
    mariadb_get_infov(conn->mysql, MARIADB_CONNECTION_SERVER_STATUS, &status);
    return (status & SERVER_STATUS_IN_TRANS) != 0;
}

static int store_transaction_lost_error(alvd_err *err)
{
    return alvd_err_set(err, 503, "retry", NULL, "De database was even bezet; probeer het opnieuw.");
}

/* The server is no longer in our transaction although no statement failed: what ran
 * of it is gone (or, for a statement after the loss, ran on its own). Roll back what
 * may be open and refuse everything until the caller rolls back and starts again. */
static void store_transaction_lose(store_conn *conn)
{
    log_warn("the database ended a transaction without an error (%s); it is retried",
             conn->wsrep_on ? "Galera abort" : "server");
    if (conn->pool)
        __atomic_add_fetch(&conn->pool->transactions_lost, 1, __ATOMIC_RELAXED);
    if (mysql_query(conn->mysql, "ROLLBACK") != 0)
        store_conn_drop(conn);
    /* Still "in" the transaction for the caller, who must roll back before anything else. */
    conn->in_transaction = 1;
    conn->transaction_lost = 1;
}

static void store_pending_add(store_conn *conn, const char *sql)
{
    for (size_t i = 0; i < conn->pending_count; i++)
        if (strcmp(conn->pending_prepares[i], sql) == 0)
            return;
    if (conn->pending_count == STORE_PENDING_PREPARES)
        return; /* runs as text once more and is remembered then */
    char *copy = strdup(sql);
    if (copy)
        conn->pending_prepares[conn->pending_count++] = copy;
}

/* Before BEGIN: prepare what the last transactions met unprepared. A statement that
 * does not prepare is left to fail where it is used. */
static void store_pending_prepare(store_conn *conn)
{
    for (size_t i = 0; i < conn->pending_count && conn->mysql; i++) {
        alvd_err ignored;
        alvd_err_clear(&ignored);
        store_prepare(conn, &ignored, conn->pending_prepares[i]);
    }
    store_pending_clear(conn);
}

/* Text protocol: the statement with its parameters written in as literals (integers,
 * escaped strings, hexadecimal blobs); ? inside quotes or backticks is not a parameter. */
static int store_text_statement(store_conn *conn, alvd_err *err, const char *sql, const store_param *params,
                                size_t count, alvd_buf *out)
{
    size_t used = 0;
    char quote = 0;
    for (const char *p = sql; *p; p++) {
        if (quote) {
            buf_append(out, p, 1);
            if (*p == '\\' && quote != '`' && p[1]) {
                buf_append(out, ++p, 1);
            } else if (*p == quote) {
                quote = 0;
            }
            continue;
        }
        if (*p == '\'' || *p == '"' || *p == '`') {
            quote = *p;
            buf_append(out, p, 1);
            continue;
        }
        if (*p != '?') {
            buf_append(out, p, 1);
            continue;
        }
        if (used == count)
            break;
        const store_param *param = &params[used++];
        switch (param->kind) {
        case STORE_NULL:
            buf_append_str(out, "NULL");
            break;
        case STORE_INT: {
            char number[32];
            snprintf(number, sizeof number, "%lld", param->integer);
            buf_append_str(out, number);
            break;
        }
        case STORE_TEXT: {
            char *escaped = malloc(param->length * 2 + 1);
            if (escaped == NULL)
                return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
            unsigned long length = mysql_real_escape_string(conn->mysql, escaped, param->bytes, param->length);
            buf_append_str(out, "'");
            buf_append(out, escaped, length);
            buf_append_str(out, "'");
            free(escaped);
            break;
        }
        case STORE_BLOB: {
            static const char digits[] = "0123456789ABCDEF";
            buf_append_str(out, "X'");
            for (size_t i = 0; i < param->length; i++) {
                unsigned char byte = (unsigned char)param->bytes[i];
                char pair[2] = {digits[byte >> 4], digits[byte & 15]};
                buf_append(out, pair, 2);
            }
            buf_append_str(out, "'");
            break;
        }
        }
    }
    if (used != count || quote)
        return alvd_err_set(err, 500, "bad_statement", NULL, "Statement expects other parameters than %zu.", count);
    if (out->overflowed)
        return alvd_err_set(err, 500, "bad_statement", NULL, "Statement too long.");
    return 0;
}

/* A text-protocol result in the same form as a prepared statement's (every value as
 * its text, which is also how store_fetch_all reads them). */
static int store_result_from_text(MYSQL_RES *rows, alvd_err *err, store_result **out)
{
    store_result *result = calloc(1, sizeof *result);
    if (result == NULL)
        goto oom;
    size_t columns = mysql_num_fields(rows);
    size_t total = (size_t)mysql_num_rows(rows);
    MYSQL_FIELD *fields = mysql_fetch_fields(rows);
    result->columns = columns;
    result->names = calloc(columns + 1, sizeof *result->names);
    result->types = calloc(columns + 1, sizeof *result->types);
    result->flags = calloc(columns + 1, sizeof *result->flags);
    result->charsets = calloc(columns + 1, sizeof *result->charsets);
    result->lengths = calloc(columns + 1, sizeof *result->lengths);
    result->cells = calloc(total * columns + 1, sizeof *result->cells);
    if (!result->names || !result->types || !result->flags || !result->charsets || !result->lengths ||
        !result->cells)
        goto oom;
    for (size_t c = 0; c < columns; c++) {
        result->names[c] = strdup(fields[c].name);
        if (result->names[c] == NULL)
            goto oom;
        result->types[c] = fields[c].type;
        result->flags[c] = fields[c].flags;
        result->charsets[c] = fields[c].charsetnr;
        result->lengths[c] = fields[c].length;
    }
    MYSQL_ROW row;
    size_t r = 0;
    while (r < total && (row = mysql_fetch_row(rows)) != NULL) {
        unsigned long *lengths = mysql_fetch_lengths(rows);
        for (size_t c = 0; c < columns; c++) {
            store_cell *cell = &result->cells[r * columns + c];
            cell->is_null = row[c] == NULL;
            if (cell->is_null)
                continue;
            cell->length = lengths[c];
            cell->data = malloc(lengths[c] + 1);
            if (cell->data == NULL)
                goto oom;
            memcpy(cell->data, row[c], lengths[c]);
            cell->data[lengths[c]] = '\0';
        }
        r++;
    }
    result->rows = r;
    *out = result;
    return 0;
oom:
    store_result_free(result);
    return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
}

static int store_run_text(store_conn *conn, alvd_err *err, store_result **result, long long *affected,
                          const char *sql, const store_param *params, size_t count)
{
    alvd_buf text;
    buf_init(&text, 64 * 1024 * 1024);
    int rc = store_text_statement(conn, err, sql, params, count, &text);
    if (rc != 0)
        goto done;
    if (mysql_real_query(conn->mysql, text.data ? text.data : "", (unsigned long)text.length) != 0) {
        rc = store_fail(conn, err, mysql_errno(conn->mysql), mysql_error(conn->mysql));
        goto done;
    }
    if (mysql_field_count(conn->mysql) > 0) {
        int abandoned = 0;
        MYSQL_RES *rows = store_text_rows(conn, &abandoned);
        if (rows == NULL) {
            rc = abandoned ? store_rows_abandoned(conn, err)
                           : store_fail(conn, err, mysql_errno(conn->mysql), mysql_error(conn->mysql));
            goto done;
        }
        rc = result ? store_result_from_text(rows, err, result) : 0;
        mysql_free_result(rows);
        goto done;
    }
    if (affected)
        *affected = (long long)mysql_affected_rows(conn->mysql);
    conn->last_insert_id = (long long)mysql_insert_id(conn->mysql);
done:
    buf_free(&text);
    return rc;
}

static int store_run(store_conn *conn, alvd_err *err, store_result **result, long long *affected,
                     const char *sql, const store_param *params, size_t count)
{
    MYSQL_BIND stack_binds[STORE_STACK_PARAMS];
    my_bool stack_nulls[STORE_STACK_PARAMS];
    long long stack_integers[STORE_STACK_PARAMS];
    unsigned long stack_lengths[STORE_STACK_PARAMS];
    MYSQL_BIND *binds = stack_binds;
    my_bool *nulls = stack_nulls;
    long long *integers = stack_integers;
    unsigned long *lengths = stack_lengths;
    int rc = -1;
    if (count > STORE_STACK_PARAMS) {
        if (count > STORE_MAX_PARAMS)
            return alvd_err_set(err, 500, "bad_statement", NULL, "Too many parameters (%zu).", count);
        binds = malloc(count * sizeof *binds);
        nulls = malloc(count * sizeof *nulls);
        integers = malloc(count * sizeof *integers);
        lengths = malloc(count * sizeof *lengths);
        if (!binds || !nulls || !integers || !lengths) {
            alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
            goto done;
        }
    }
    rc = store_run_bound(conn, err, result, affected, sql, params, count, binds, nulls, integers, lengths);
done:
    if (binds != stack_binds) {
        free(binds);
        free(nulls);
        free(integers);
        free(lengths);
    }
    return rc;
}

static int store_run_bound(store_conn *conn, alvd_err *err, store_result **result, long long *affected,
                           const char *sql, const store_param *params, size_t count, MYSQL_BIND *binds,
                           my_bool *nulls, long long *integers, unsigned long *lengths)
{
    if (result)
        *result = NULL;
    if (conn && conn->transaction_lost)
        return store_transaction_lost_error(err);
    if (conn == NULL || conn->mysql == NULL)
        return alvd_err_set(err, 503, "database_unavailable", NULL,
                            "De database is tijdelijk niet bereikbaar.");
    MYSQL_STMT *stmt = conn->in_transaction ? store_prepared(conn, sql) : store_prepare(conn, err, sql);
    int rc;
    if (stmt == NULL && conn->in_transaction) {
        /* First met inside a transaction: run it as text now, prepare it before the
         * next BEGIN. */
        rc = store_run_text(conn, err, result, affected, sql, params, count);
        store_pending_add(conn, sql);
    } else if (stmt == NULL) {
        return -1;
    } else {
        rc = store_run_prepared(conn, stmt, err, result, affected, params, count, binds, nulls, integers, lengths);
    }
    if (rc == 0 && conn->in_transaction && !store_server_in_transaction(conn)) {
        store_transaction_lose(conn);
        store_result_free(result ? *result : NULL);
        if (result)
            *result = NULL;
        return store_transaction_lost_error(err);
    }
    return rc;
}

static int store_run_prepared(store_conn *conn, MYSQL_STMT *stmt, alvd_err *err, store_result **result,
                              long long *affected, const store_param *params, size_t count, MYSQL_BIND *binds,
                              my_bool *nulls, long long *integers, unsigned long *lengths)
{
    if (store_bind_params(stmt, err, params, count, binds, nulls, integers, lengths) != 0)
        return -1;
    int abandoned = 0;
    if (store_stmt_execute(conn, stmt, &abandoned) != 0)
        return abandoned ? store_rows_abandoned(conn, err)
                         : store_fail(conn, err, mysql_stmt_errno(stmt), mysql_stmt_error(stmt));
    if (mysql_stmt_field_count(stmt) > 0) {
        if (result)
            return store_fetch_all(conn, stmt, err, result);
        mysql_stmt_free_result(stmt);
        return 0;
    }
    if (affected)
        *affected = (long long)mysql_stmt_affected_rows(stmt);
    conn->last_insert_id = (long long)mysql_stmt_insert_id(stmt);
    return 0;
}

/* A lost connection outside a transaction is remade once, transparently, so the
 * first request after a database restart does not fail; inside a transaction the
 * caller must retry the whole transaction instead. */
static int store_dispatch(store_conn *conn, alvd_err *err, store_result **result,
                          long long *affected, const char *sql, const store_param *params,
                          size_t count)
{
    alvd_err local;
    alvd_err *target = err ? err : &local;
    int was_in_transaction = conn && conn->in_transaction;
    if (conn)
        conn->refused = 0;
    int rc = conn && !was_in_transaction ? store_causal_wait(conn, target) : 0;
    if (rc == 0)
        rc = store_run(conn, target, result, affected, sql, params, count);
    if (rc == 0 || was_in_transaction || conn == NULL || conn->refused ||
        strcmp(target->code, "database_unavailable") != 0)
        return rc;
    if (conn->mysql == NULL && store_connect(conn->config, conn, 0, target) != 0)
        return -1;
    alvd_err_clear(target);
    if (store_causal_wait(conn, target) != 0)
        return -1;
    return store_run(conn, target, result, affected, sql, params, count);
}

int store_query(store_conn *conn, alvd_err *err, store_result **result, const char *sql,
                const store_param *params, size_t count)
{
    return store_dispatch(conn, err, result, NULL, sql, params, count);
}

int store_execute(store_conn *conn, alvd_err *err, long long *affected, const char *sql,
                  const store_param *params, size_t count)
{
    return store_dispatch(conn, err, NULL, affected, sql, params, count);
}

int store_query_integer(store_conn *conn, alvd_err *err, long long *value, long long fallback,
                        const char *sql, const store_param *params, size_t count)
{
    store_result *rows = NULL;
    if (store_dispatch(conn, err, &rows, NULL, sql, params, count) != 0)
        return -1;
    *value = store_result_rows(rows) > 0 && !store_result_is_null(rows, 0, 0) ? store_result_int(rows, 0, 0)
                                                                               : fallback;
    store_result_free(rows);
    return 0;
}

int store_query_text(store_conn *conn, alvd_err *err, char *out, size_t size, int *found, const char *sql,
                     const store_param *params, size_t count)
{
    store_result *rows = NULL;
    if (size > 0)
        out[0] = '\0';
    if (found)
        *found = 0;
    if (store_dispatch(conn, err, &rows, NULL, sql, params, count) != 0)
        return -1;
    if (store_result_rows(rows) > 0) {
        if (found)
            *found = 1;
        const char *text = store_result_text(rows, 0, 0);
        if (text && size > 0)
            snprintf(out, size, "%s", text);
    }
    store_result_free(rows);
    return 0;
}

void *store_result_array(const store_result *rows, size_t size, alvd_err *err)
{
    size_t count = store_result_rows(rows);
    void *items = calloc(count ? count : 1, size);
    if (items == NULL)
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    return items;
}

long long store_last_insert_id(const store_conn *conn)
{
    return conn->last_insert_id;
}

int store_begin(store_conn *conn, alvd_err *err)
{
    if (conn->in_transaction)
        store_rollback(conn);
    /* Outside a transaction a lost connection is simply remade (a retry after a node
     * went away lands on a fresh session). */
    if (conn->mysql == NULL && store_connect(conn->config, conn, 0, err) != 0)
        return -1;
    store_pending_prepare(conn);
    if (conn->mysql == NULL)
        return alvd_err_set(err, 503, "database_unavailable", NULL,
                            "De database is tijdelijk niet bereikbaar.");
    if (store_causal_wait(conn, err) != 0)
        return -1;
    if (mysql_query(conn->mysql, "START TRANSACTION") != 0)
        return store_fail(conn, err, mysql_errno(conn->mysql), mysql_error(conn->mysql));
    conn->in_transaction = 1;
    conn->transaction_lost = 0;
    return 0;
}

void store_pool_set_commit_hook(store_pool *pool, store_commit_hook_fn hook, void *context)
{
    __atomic_store_n(&pool->commit_hook_context, context, __ATOMIC_RELEASE);
    __atomic_store_n(&pool->commit_hook, hook, __ATOMIC_RELEASE);
}

static void store_run_commit_hook(store_conn *conn)
{
    store_commit_hook_fn hook = conn->pool ? __atomic_load_n(&conn->pool->commit_hook, __ATOMIC_ACQUIRE) : NULL;
    if (hook)
        hook(__atomic_load_n(&conn->pool->commit_hook_context, __ATOMIC_ACQUIRE));
}

void store_want_commit_hook(store_conn *conn)
{
    if (conn->in_transaction)
        conn->commit_hook_wanted = 1;
    else
        store_run_commit_hook(conn);
}

int store_commit(store_conn *conn, alvd_err *err)
{
    int wanted = conn->commit_hook_wanted;
    conn->commit_hook_wanted = 0;
    if (conn->transaction_lost)
        return store_transaction_lost_error(err);
    if (conn->mysql == NULL)
        return alvd_err_set(err, 503, "database_unavailable", NULL,
                            "De database is tijdelijk niet bereikbaar.");
    /* COMMIT of a transaction the server already ended would report success for
     * whatever ran after the loss: check what the last statement's packet said. */
    if (conn->in_transaction && !store_server_in_transaction(conn)) {
        store_transaction_lose(conn);
        return store_transaction_lost_error(err);
    }
    conn->in_transaction = 0;
    if (mysql_query(conn->mysql, "COMMIT") != 0)
        return store_fail(conn, err, mysql_errno(conn->mysql), mysql_error(conn->mysql));
    if (wanted)
        store_run_commit_hook(conn);
    return 0;
}

void store_rollback(store_conn *conn)
{
    if (conn->mysql && mysql_query(conn->mysql, "ROLLBACK") != 0)
        store_conn_drop(conn);
    conn->in_transaction = 0;
    conn->transaction_lost = 0;
    conn->commit_hook_wanted = 0;
}

void store_retry_pause(store_conn *conn, unsigned attempt)
{
    /* Full jitter on an exponential ceiling (10, 20, 40 … 320 ms): two writers that
     * collided at certification do not collide again in lockstep. */
    unsigned ceiling_ms = 10u << (attempt < 5 ? attempt : 5);
    unsigned pause_ms = 1 + randombytes_uniform(ceiling_ms);
    if (conn && conn->pool)
        __atomic_add_fetch(&conn->pool->retries, 1, __ATOMIC_RELAXED);
    struct timespec pause = {pause_ms / 1000, (long)(pause_ms % 1000) * 1000000L};
    while (nanosleep(&pause, &pause) != 0 && errno == EINTR) {
    }
}

int store_is_galera(const store_conn *conn)
{
    return conn && conn->wsrep_on;
}

int store_node_synced(store_conn *conn, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT VARIABLE_NAME, VARIABLE_VALUE FROM information_schema.GLOBAL_STATUS"
                    " WHERE VARIABLE_NAME IN ('WSREP_READY', 'WSREP_LOCAL_STATE')",
                    STORE_NO_PARAMS) != 0)
        return -1;
    int ready = 0, synced = 0;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        const char *name = store_result_text(rows, r, 0), *value = store_result_text(rows, r, 1);
        if (name && value && strcmp(name, "WSREP_READY") == 0)
            ready = strcmp(value, "ON") == 0;
        else if (name && value && strcmp(name, "WSREP_LOCAL_STATE") == 0)
            synced = strcmp(value, "4") == 0; /* 4 = Synced */
    }
    store_result_free(rows);
    if (!ready || !synced)
        return alvd_err_set(err, 503, "database_not_synced", NULL,
                            "Deze databaseknoop is nog niet bij; probeer het zo opnieuw.");
    return 0;
}

unsigned long long store_conn_prepares_in_transaction(const store_conn *conn)
{
    return conn->prepares_in_transaction;
}

int store_conn_has_prepared(const store_conn *conn, const char *sql)
{
    return store_prepared(conn, sql) != NULL;
}

int store_in_transaction(const store_conn *conn)
{
    return conn->in_transaction;
}

int store_try_statement(store_conn *conn, const char *sql, unsigned *refused, alvd_err *err)
{
    *refused = 0;
    if (conn->mysql == NULL)
        return alvd_err_set(err, 503, "database_unavailable", NULL, "De database is tijdelijk niet bereikbaar.");
    if (mysql_query(conn->mysql, sql) != 0) {
        unsigned error = mysql_errno(conn->mysql);
        if (store_connection_lost(error) || error >= 2000)
            return store_fail(conn, err, error, mysql_error(conn->mysql));
        *refused = error;
        return 0;
    }
    MYSQL_RES *rows = mysql_store_result(conn->mysql);
    if (rows)
        mysql_free_result(rows);
    return 0;
}

int store_execute_script(store_conn *conn, alvd_err *err, const char *sql, size_t length)
{
    if (mysql_real_query(conn->mysql, sql, (unsigned long)length) != 0)
        return store_fail(conn, err, mysql_errno(conn->mysql), mysql_error(conn->mysql));
    int status;
    do {
        MYSQL_RES *rows = mysql_store_result(conn->mysql);
        if (rows)
            mysql_free_result(rows);
        status = mysql_next_result(conn->mysql);
        if (status > 0)
            return store_fail(conn, err, mysql_errno(conn->mysql), mysql_error(conn->mysql));
    } while (status == 0);
    return 0;
}

/* ---- results ---- */

size_t store_result_rows(const store_result *result) { return result ? result->rows : 0; }
size_t store_result_columns(const store_result *result) { return result ? result->columns : 0; }

const char *store_result_column_name(const store_result *result, size_t column)
{
    return column < result->columns ? result->names[column] : NULL;
}

int store_result_column_index(const store_result *result, const char *name)
{
    for (size_t c = 0; c < result->columns; c++)
        if (strcmp(result->names[c], name) == 0)
            return (int)c;
    return -1;
}

static const store_cell *store_cell_at(const store_result *result, size_t row, size_t column)
{
    if (result == NULL || row >= result->rows || column >= result->columns)
        return NULL;
    return &result->cells[row * result->columns + column];
}

const char *store_result_text(const store_result *result, size_t row, size_t column)
{
    const store_cell *cell = store_cell_at(result, row, column);
    return cell && !cell->is_null ? cell->data : NULL;
}

const char *store_result_text_by_name(const store_result *result, size_t row, const char *name)
{
    int column = store_result_column_index(result, name);
    return column < 0 ? NULL : store_result_text(result, row, (size_t)column);
}

size_t store_result_length(const store_result *result, size_t row, size_t column)
{
    const store_cell *cell = store_cell_at(result, row, column);
    return cell && !cell->is_null ? cell->length : 0;
}

int store_result_is_null(const store_result *result, size_t row, size_t column)
{
    const store_cell *cell = store_cell_at(result, row, column);
    return cell == NULL || cell->is_null;
}

long long store_result_int(const store_result *result, size_t row, size_t column)
{
    const char *text = store_result_text(result, row, column);
    return text ? strtoll(text, NULL, 10) : 0;
}

long long store_result_int_by_name(const store_result *result, size_t row, const char *name)
{
    int column = store_result_column_index(result, name);
    return column < 0 ? 0 : store_result_int(result, row, (size_t)column);
}

static json_t *store_cell_json(const store_result *result, size_t row, size_t column)
{
    const store_cell *cell = store_cell_at(result, row, column);
    if (cell->is_null)
        return json_null();
    switch (result->types[column]) {
    case MYSQL_TYPE_TINY:
        if (result->lengths[column] == 1)
            return json_boolean(strcmp(cell->data, "0") != 0);
        /* fall through */
    case MYSQL_TYPE_SHORT:
    case MYSQL_TYPE_LONG:
    case MYSQL_TYPE_INT24:
    case MYSQL_TYPE_LONGLONG:
    case MYSQL_TYPE_YEAR:
        return json_integer(strtoll(cell->data, NULL, 10));
    case MYSQL_TYPE_DATETIME:
    case MYSQL_TYPE_TIMESTAMP: {
        /* "YYYY-MM-DD HH:MM:SS[.ffffff]" stored in UTC → RFC 3339 with Z, seconds only */
        char stamp[32];
        snprintf(stamp, sizeof stamp, "%.10sT%.8sZ", cell->data,
                 cell->length > 11 ? cell->data + 11 : "00:00:00");
        return json_string(stamp);
    }
    default:
        return json_stringn(cell->data, cell->length);
    }
}

static int store_column_is_binary(const store_result *result, size_t column)
{
    enum enum_field_types type = result->types[column];
    int textual = type == MYSQL_TYPE_STRING || type == MYSQL_TYPE_VAR_STRING ||
                  type == MYSQL_TYPE_BLOB || type == MYSQL_TYPE_VARCHAR ||
                  type == MYSQL_TYPE_TINY_BLOB || type == MYSQL_TYPE_MEDIUM_BLOB ||
                  type == MYSQL_TYPE_LONG_BLOB;
    return textual && result->charsets[column] == 63;
}

json_t *store_result_row_json(const store_result *result, size_t row)
{
    json_t *object = json_object();
    for (size_t c = 0; c < result->columns; c++) {
        if (store_column_is_binary(result, c))
            continue;
        json_t *value = store_cell_json(result, row, c);
        json_object_set_new(object, result->names[c], value ? value : json_null());
    }
    return object;
}

json_t *store_result_json(const store_result *result)
{
    json_t *array = json_array();
    for (size_t r = 0; result && r < result->rows; r++)
        json_array_append_new(array, store_result_row_json(result, r));
    return array;
}

static store_conn *store_conn_open(const store_config *config, int kind, const store_account *account,
                                   const void *const *owner, alvd_err *err)
{
    store_conn *conn = calloc(1, sizeof *conn);
    if (conn == NULL) {
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        return NULL;
    }
    conn->config = config;
    conn->account_kind = kind;
    conn->owner = owner;
    if (store_connect_as(config, account, conn, 1, err) != 0) {
        free(conn);
        return NULL;
    }
    return conn;
}

store_conn *store_conn_open_script(store_pool *pool, alvd_err *err)
{
    store_account account = store_account_of(&pool->config, STORE_AS_SERVICE);
    return store_conn_open(&pool->config, STORE_AS_SERVICE, &account, &pool->owner, err);
}

int store_config_has_migration_account(const store_config *config)
{
    return config->migrate_user[0] != '\0';
}

store_conn *store_conn_open_migration(store_pool *pool, alvd_err *err)
{
    store_account account = store_account_of(&pool->config, STORE_AS_MIGRATION);
    return store_conn_open(&pool->config, STORE_AS_MIGRATION, &account, &pool->owner, err);
}

store_conn *store_conn_open_account(const store_config *config, const char *user, const char *password,
                                    alvd_err *err)
{
    store_account account = {user, password, NULL, NULL};
    return store_conn_open(config, STORE_AS_OTHER, &account, NULL, err);
}

void store_conn_close(store_conn *conn)
{
    if (conn == NULL)
        return;
    store_conn_drop(conn);
    store_pending_clear(conn);
    free(conn);
}

size_t store_chunk_size(size_t remaining)
{
    size_t chunk = STORE_CHUNK_MAX;
    while (chunk > remaining && chunk > 1)
        chunk /= 2;
    return chunk;
}

void store_append_repeated(alvd_buf *sql, const char *item, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (i)
            buf_append_str(sql, ", ");
        buf_append_str(sql, item);
    }
}
