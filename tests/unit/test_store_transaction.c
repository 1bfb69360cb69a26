/* The store's transactions against a real MariaDB (the tests' server, scripts/db): no
 * statement prepared inside a transaction, a transaction the server ends on its own
 * (as a Galera brute-force abort does, silently) never lets later statements commit, and
 * an answer that stops mid-way (ditto) is given up as soon as the server is done. */
#include <poll.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "alvd/store/db.h"
#include "check.h"

static char database[40];

static store_config test_config(void)
{
    store_config config;
    memset(&config, 0, sizeof config);
    const char *dir = getenv("ALVD_TEST_DB_DIR");
    char fallback[200];
    if (dir == NULL || dir[0] == '\0') {
        snprintf(fallback, sizeof fallback, "%.180s/var/test-db", getenv("ALVD_SOURCE_DIR") ? getenv("ALVD_SOURCE_DIR") : ".");
        dir = fallback;
    }
    snprintf(config.socket, sizeof config.socket, "%.230s/mysqld.sock", dir);
    snprintf(config.database, sizeof config.database, "%s", database);
    snprintf(config.user, sizeof config.user, "root");
    config.pool_size = 2;
    return config;
}

/* Rows of items with the given ids, counted on a connection of its own (autocommit). */
static long long committed_rows(store_pool *pool, const char *ids)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_conn *reader = store_conn_open_script(pool, &err);
    store_result *rows = NULL;
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM items WHERE id IN (%s)", ids);
    long long count = -1;
    if (reader && store_query(reader, &err, &rows, sql, STORE_NO_PARAMS) == 0)
        count = store_result_int(rows, 0, 0);
    store_result_free(rows);
    store_conn_close(reader);
    return count;
}

static int insert_item(store_conn *conn, alvd_err *err, long long id, const char *note)
{
    alvd_err_clear(err);
    return store_execute(conn, err, NULL, "INSERT INTO items (id, note) VALUES (?, ?)",
                         STORE_PARAMS(STORE_INT_PARAM(id), STORE_TEXT_PARAM(note)));
}

static int is_retry(const alvd_err *err) { return err->status == 503 && strcmp(err->code, "retry") == 0; }

static void test_no_prepare_inside_transaction(store_pool *pool)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_conn *conn = store_pool_acquire(pool, &err);
    CHECK(conn != NULL, "acquire: %s", err.message);
    const char *select = "SELECT note, HEX(?) FROM items WHERE id = ?";
    const char *tricky = "it's \"quoted\", with ? and \\ inside";
    const unsigned char blob[4] = {0x00, 0x27, 0x5c, 0xff};
    for (int round = 0; round < 2; round++) {
        CHECK(store_begin(conn, &err) == 0, "begin: %s", err.message);
        CHECK(store_conn_has_prepared(conn, select) == (round == 1),
              "round %d: prepared before BEGIN only after its first use", round);
        CHECK(insert_item(conn, &err, 1 + round, tricky) == 0, "insert: %s", err.message);
        store_result *rows = NULL;
        CHECK(store_query(conn, &err, &rows, select,
                          STORE_PARAMS(STORE_BLOB_PARAM(blob, sizeof blob), STORE_INT_PARAM(1 + round))) == 0,
              "select: %s", err.message);
        CHECK_INT(store_result_rows(rows), 1, "rows");
        if (store_result_rows(rows) == 1) {
            CHECK_STR(store_result_text(rows, 0, 0), tricky, "text parameter round trip");
            CHECK_STR(store_result_text(rows, 0, 1), "00275CFF", "blob parameter round trip");
        }
        store_result_free(rows);
        CHECK(store_commit(conn, &err) == 0, "commit: %s", err.message);
        CHECK_INT(store_conn_prepares_in_transaction(conn), 0, "prepares while a transaction was open");
    }
    CHECK_INT(committed_rows(pool, "1, 2"), 2, "both rounds committed");
    store_pool_release(pool, conn);
}

/* The server ends the transaction while a statement reports success (here: a ROLLBACK
 * statement; on Galera: an abort during a prepare). Nothing of it, and nothing a
 * careless caller runs after it, may be committed. Round 0 meets the killer as text,
 * round 1 prepared. */
static void test_transaction_ended_by_server(store_pool *pool)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_conn *conn = store_pool_acquire(pool, &err);
    store_pool_stats before, after;
    store_pool_stats_read(pool, &before);
    for (int round = 0; round < 2; round++) {
        long long base = 10 + 10 * round;
        CHECK(store_begin(conn, &err) == 0, "begin: %s", err.message);
        CHECK(insert_item(conn, &err, base, "lost") == 0, "insert: %s", err.message);
        alvd_err_clear(&err);
        CHECK(store_execute(conn, &err, NULL, "ROLLBACK", STORE_NO_PARAMS) != 0,
              "round %d: a statement after which the server is out of the transaction fails", round);
        CHECK(is_retry(&err), "round %d: as 503 retry, got %d %s", round, err.status, err.code);
        CHECK(store_in_transaction(conn), "the caller still has to roll back");
        CHECK(insert_item(conn, &err, base + 1, "autocommit?") != 0, "a later statement is refused");
        CHECK(is_retry(&err), "refused as 503 retry, got %d %s", err.status, err.code);
        alvd_err_clear(&err);
        CHECK(store_commit(conn, &err) != 0 && is_retry(&err), "COMMIT is refused: %d %s", err.status, err.code);
        store_rollback(conn);
        char ids[40];
        snprintf(ids, sizeof ids, "%lld, %lld", base, base + 1);
        CHECK_INT(committed_rows(pool, ids), 0, "nothing of the lost transaction committed");
    }
    CHECK(store_conn_has_prepared(conn, "ROLLBACK"), "the statement met in a transaction was prepared at BEGIN");
    CHECK_INT(store_conn_prepares_in_transaction(conn), 0, "prepares while a transaction was open");

    /* Ended between statements (no statement of ours saw it): COMMIT checks first. */
    unsigned refused = 0;
    CHECK(store_begin(conn, &err) == 0, "begin: %s", err.message);
    CHECK(insert_item(conn, &err, 30, "lost at commit") == 0, "insert: %s", err.message);
    CHECK(store_try_statement(conn, "ROLLBACK", &refused, &err) == 0 && refused == 0, "raw rollback");
    alvd_err_clear(&err);
    CHECK(store_commit(conn, &err) != 0 && is_retry(&err), "COMMIT after the server left: %d %s", err.status,
          err.code);
    store_rollback(conn);
    CHECK_INT(committed_rows(pool, "30"), 0, "nothing committed");
    store_pool_stats_read(pool, &after);
    CHECK_INT(after.transactions_lost - before.transactions_lost, 3, "lost transactions counted");

    /* The unit retried as a whole then commits all of it. */
    CHECK(store_begin(conn, &err) == 0 && insert_item(conn, &err, 10, "retried") == 0 &&
              insert_item(conn, &err, 11, "retried") == 0 && store_commit(conn, &err) == 0,
          "retry: %s", err.message);
    CHECK_INT(committed_rows(pool, "10, 11"), 2, "the retried unit committed whole");
    store_pool_release(pool, conn);
}

/* A transaction whose session is killed: the statement fails as unavailable, the
 * connection is dropped, nothing commits; the next BEGIN reconnects. */
static void test_killed_session(store_pool *pool)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_conn *conn = store_pool_acquire(pool, &err);
    store_result *rows = NULL;
    CHECK(store_query(conn, &err, &rows, "SELECT CONNECTION_ID()", STORE_NO_PARAMS) == 0, "id: %s", err.message);
    long long id = store_result_int(rows, 0, 0);
    store_result_free(rows);
    CHECK(store_begin(conn, &err) == 0, "begin: %s", err.message);
    CHECK(insert_item(conn, &err, 40, "killed") == 0, "insert: %s", err.message);
    store_conn *killer = store_conn_open_script(pool, &err);
    char kill[64];
    snprintf(kill, sizeof kill, "KILL %lld", id);
    unsigned refused = 0;
    CHECK(killer && store_try_statement(killer, kill, &refused, &err) == 0 && refused == 0, "kill: %u", refused);
    store_conn_close(killer);
    alvd_err_clear(&err);
    CHECK(insert_item(conn, &err, 41, "after kill") != 0, "a statement on a killed session fails");
    CHECK(err.status == 503, "as 503, got %d %s", err.status, err.code);
    alvd_err_clear(&err);
    CHECK(store_commit(conn, &err) != 0 && err.status == 503, "COMMIT fails as 503: %d %s", err.status, err.code);
    store_rollback(conn);
    CHECK_INT(committed_rows(pool, "40, 41"), 0, "nothing of the killed transaction committed");
    alvd_err_clear(&err);
    CHECK(store_begin(conn, &err) == 0 && insert_item(conn, &err, 42, "again") == 0 && store_commit(conn, &err) == 0,
          "begin reconnects: %s", err.message);
    CHECK_INT(committed_rows(pool, "42"), 1, "the retry committed");
    store_pool_release(pool, conn);
}

/* A statement over its time limit (max_statement_time, 1969) is 503 with the session dropped. */
static void test_statement_time_bounded(store_pool *pool)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_conn *conn = store_pool_acquire(pool, &err);
    unsigned refused = 0;
    CHECK(store_try_statement(conn, "SET SESSION max_statement_time=0.2", &refused, &err) == 0 && refused == 0,
          "set: %u", refused);
    store_result *rows = NULL;
    alvd_err_clear(&err);
    CHECK(store_query(conn, &err, &rows, "SELECT COUNT(*) FROM items a, items b, items c, items d, items e,"
                                         " items f, items g, items h, items i, items j, items k WHERE SLEEP(0.1) = 0",
                      STORE_NO_PARAMS) != 0,
          "a statement over its time fails");
    CHECK(err.status == 503 && strcmp(err.code, "database_unavailable") == 0, "as 503 unavailable: %d %s",
          err.status, err.code);
    store_result_free(rows);
    rows = NULL;
    alvd_err_clear(&err);
    CHECK(store_query(conn, &err, &rows, "SELECT @@max_statement_time", STORE_NO_PARAMS) == 0, "reconnected: %s",
          err.message);
    CHECK(store_result_rows(rows) == 1 && strtod(store_result_text(rows, 0, 0), NULL) > 1,
          "a fresh session has the pool's own bound again");
    store_result_free(rows);
    store_pool_release(pool, conn);
}

/* ---- a socket proxy that can stop passing the server's answers on its first connection ---- */

typedef struct stall_proxy {
    char path[100];     /* where the store connects */
    char server[256];   /* the real server's socket */
    int listener;
    int swallow;        /* set: the first connection's answers are dropped (atomic) */
    int accepted;
} stall_proxy;

typedef struct stall_pair {
    int client, server, first;
    stall_proxy *proxy;
} stall_pair;

static void *stall_pump(void *argument)
{
    stall_pair *pair = argument;
    char buffer[16384];
    for (;;) {
        struct pollfd fds[2] = {{pair->client, POLLIN, 0}, {pair->server, POLLIN, 0}};
        if (poll(fds, 2, -1) <= 0)
            break;
        if (fds[0].revents) {
            ssize_t n = read(pair->client, buffer, sizeof buffer);
            if (n <= 0 || write(pair->server, buffer, (size_t)n) != n)
                break;
        }
        if (fds[1].revents) {
            ssize_t n = read(pair->server, buffer, sizeof buffer);
            if (n <= 0)
                break;
            int swallow = pair->first && __atomic_load_n(&pair->proxy->swallow, __ATOMIC_SEQ_CST);
            if (!swallow && write(pair->client, buffer, (size_t)n) != n)
                break;
        }
    }
    close(pair->client);
    close(pair->server);
    free(pair);
    return NULL;
}

static void *stall_accept(void *argument)
{
    stall_proxy *proxy = argument;
    for (;;) {
        int client = accept(proxy->listener, NULL, NULL);
        if (client < 0)
            return NULL;
        struct sockaddr_un address = {.sun_family = AF_UNIX};
        snprintf(address.sun_path, sizeof address.sun_path, "%.100s", proxy->server);
        int server = socket(AF_UNIX, SOCK_STREAM, 0);
        stall_pair *pair = calloc(1, sizeof *pair);
        if (server < 0 || pair == NULL || connect(server, (struct sockaddr *)&address, sizeof address) != 0) {
            close(client);
            if (server >= 0)
                close(server);
            free(pair);
            continue;
        }
        *pair = (stall_pair){client, server, proxy->accepted++ == 0, proxy};
        pthread_t thread;
        if (pthread_create(&thread, NULL, stall_pump, pair) == 0)
            pthread_detach(thread);
    }
}

/* An answer the server stops sending (a Galera brute-force abort while MariaDB sends a
 * result leaves the rest unsent and the session idle) is given up once the server says
 * it runs no statement for the session, and the unit is retried (503 retry) — not
 * waited out to the read timeout (503 database_unavailable). A statement the server still
 * works on is waited for. */
static void test_answer_stopped_midway(const store_config *base)
{
    stall_proxy proxy;
    memset(&proxy, 0, sizeof proxy);
    snprintf(proxy.server, sizeof proxy.server, "%s", base->socket);
    snprintf(proxy.path, sizeof proxy.path, "/tmp/alvd-stall-%d.sock", (int)getpid());
    unlink(proxy.path);
    struct sockaddr_un address = {.sun_family = AF_UNIX};
    snprintf(address.sun_path, sizeof address.sun_path, "%s", proxy.path);
    proxy.listener = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(proxy.listener >= 0 && bind(proxy.listener, (struct sockaddr *)&address, sizeof address) == 0 &&
              listen(proxy.listener, 8) == 0,
          "proxy listens on %s", proxy.path);
    pthread_t acceptor;
    CHECK(pthread_create(&acceptor, NULL, stall_accept, &proxy) == 0, "proxy thread");
    store_config config = *base;
    snprintf(config.socket, sizeof config.socket, "%s", proxy.path);
    config.pool_size = 1;
    config.watch_silent_answers = 1; /* this MariaDB is no Galera node; the proxy plays one */
    alvd_err err;
    alvd_err_clear(&err);
    store_pool *pool = store_pool_create(&config, &err);
    store_conn *conn = pool ? store_pool_acquire(pool, &err) : NULL;
    CHECK(conn != NULL, "acquire through the proxy: %s", err.message);
    if (conn == NULL)
        goto done;
    store_result *rows = NULL;
    CHECK(store_query(conn, &err, &rows, "SELECT SLEEP(2), COUNT(*) FROM items", STORE_NO_PARAMS) == 0 &&
              store_result_rows(rows) == 1,
          "a statement the server works on for 2 s is waited for: %s", err.message);
    store_result_free(rows);
    rows = NULL;
    const char *select = "SELECT id FROM items ORDER BY id";
    CHECK(store_query(conn, &err, &rows, select, STORE_NO_PARAMS) == 0, "prepared and run once: %s", err.message);
    store_result_free(rows);
    rows = NULL;
    __atomic_store_n(&proxy.swallow, 1, __ATOMIC_SEQ_CST);
    alvd_err_clear(&err);
    CHECK(store_query(conn, &err, &rows, select, STORE_NO_PARAMS) != 0, "an answer that never comes fails");
    CHECK(is_retry(&err), "as 503 retry (the server was asked), not the read timeout: %d %s", err.status, err.code);
    __atomic_store_n(&proxy.swallow, 0, __ATOMIC_SEQ_CST);
    store_result_free(rows);
    rows = NULL;
    alvd_err_clear(&err);
    CHECK(store_query(conn, &err, &rows, select, STORE_NO_PARAMS) == 0, "the next statement runs on a new session: %s",
          err.message);
    store_result_free(rows);
    store_pool_release(pool, conn);
done:
    store_pool_destroy(pool);
    shutdown(proxy.listener, SHUT_RDWR);
    close(proxy.listener);
    pthread_join(acceptor, NULL);
    unlink(proxy.path);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const char *source = getenv("ALVD_SOURCE_DIR") ? getenv("ALVD_SOURCE_DIR") : ".";
    const char *dir = getenv("ALVD_TEST_DB_DIR");
    char command[1200];
    if (dir && dir[0])
        snprintf(command, sizeof command, "'%s/scripts/db' start '%s' >/dev/null", source, dir);
    else
        snprintf(command, sizeof command, "'%s/scripts/db' start '%s/var/test-db' >/dev/null", source, source);
    if (system(command) != 0) {
        fprintf(stderr, "cannot start the test database (%s)\n", command);
        return 1;
    }
    unsigned char random[6];
    randombytes_buf(random, sizeof random);
    snprintf(database, sizeof database, "t_store_%02x%02x%02x%02x%02x%02x", random[0], random[1], random[2],
             random[3], random[4], random[5]);
    store_config config = test_config();
    alvd_err err;
    alvd_err_clear(&err);
    store_conn *root = store_conn_open_account(&config, "root", NULL, &err);
    if (root == NULL) {
        fprintf(stderr, "cannot connect as root: %s\n", err.message);
        return 1;
    }
    char setup[400];
    snprintf(setup, sizeof setup,
             "CREATE DATABASE %s; CREATE TABLE %s.items (id INT PRIMARY KEY, note VARCHAR(60)) ENGINE=InnoDB",
             database, database);
    int ready = store_execute_script(root, &err, setup, strlen(setup)) == 0;
    store_pool *pool = ready ? store_pool_create(&config, &err) : NULL;
    if (pool == NULL) {
        fprintf(stderr, "setup failed: %s\n", err.message);
        return 1;
    }
    test_no_prepare_inside_transaction(pool);
    test_transaction_ended_by_server(pool);
    test_killed_session(pool);
    test_statement_time_bounded(pool);
    test_answer_stopped_midway(&config);
    store_pool_destroy(pool);
    snprintf(setup, sizeof setup, "DROP DATABASE %s", database);
    store_execute_script(root, &err, setup, strlen(setup));
    store_conn_close(root);
    return check_report("store_transaction");
}
