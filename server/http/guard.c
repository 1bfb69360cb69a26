/* Per-connection deadlines and per-address caps on what clients hold (unfinished
 * requests, spooled bodies), enforced by shutting sockets down from a reaper thread. */
#include "alvd/http/guard.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "alvd/base/log.h"

#define GUARD_BUCKETS 1024
#define GUARD_REAP_MILLISECONDS 250
#define GUARD_REPORT_SECONDS 10

typedef enum guard_state {
    GUARD_WAITING,   /* no whole request yet: headers (or idle between requests) */
    GUARD_BODY,      /* headers in, body arriving */
    GUARD_ANSWERING, /* request whole: handler, answer or event stream; no deadline */
    GUARD_DROPPED,   /* shut down by us; libmicrohttpd closes it soon */
} guard_state;

typedef struct guard_address guard_address;

struct guard_connection {
    int fd;
    guard_state state;
    double deadline;                          /* monotonic seconds; WAITING and BODY */
    guard_address *owner;                     /* NULL for a trusted proxy's connections */
    guard_connection *prev, *next;            /* every connection, for the reaper */
    guard_connection *older, *newer;          /* the owner's unfinished ones, oldest first */
};

struct guard_address {
    unsigned char key[16];                    /* IPv6, or IPv4 mapped into IPv6 */
    size_t connections;                       /* open connections of this address */
    size_t unfinished;                        /* of which WAITING or BODY */
    size_t spooled;                           /* bodies being spooled for this client */
    guard_connection *oldest, *newest;
    guard_address *next;                      /* bucket chain */
};

typedef struct guard_network {
    unsigned char address[16];
    unsigned prefix;                          /* bits of address that must match */
} guard_network;

struct guard_table {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t reaper;
    int reaper_started;
    int stopping;
    unsigned char hash_key[crypto_shorthash_KEYBYTES]; /* random: no bucket flooding */
    guard_connection *all;
    guard_address *buckets[GUARD_BUCKETS];
    unsigned long long spool_bytes;
    unsigned long long pushed_out, expired, reported_pushed_out, reported_expired;
    guard_network proxies[GUARD_PROXIES_MAX];
    size_t proxy_count;
};

static double guard_now(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

/* ---------------------------------------------------------------- addresses */

/* A sockaddr as 16 bytes (IPv4 mapped); -1 for other families. */
static int guard_key_of(const struct sockaddr *peer, unsigned char key[16])
{
    memset(key, 0, 16);
    if (peer == NULL)
        return -1;
    if (peer->sa_family == AF_INET) {
        const struct sockaddr_in *v4 = (const struct sockaddr_in *)(const void *)peer;
        key[10] = key[11] = 0xff;
        memcpy(key + 12, &v4->sin_addr, 4);
        return 0;
    }
    if (peer->sa_family == AF_INET6) {
        memcpy(key, &((const struct sockaddr_in6 *)(const void *)peer)->sin6_addr, 16);
        return 0;
    }
    return -1;
}

/* Address text (IPv4 dotted or IPv6) as 16 bytes; -1 when it is neither. */
static int guard_key_of_text(const char *text, unsigned char key[16])
{
    struct in_addr v4;
    memset(key, 0, 16);
    if (inet_pton(AF_INET, text, &v4) == 1) {
        key[10] = key[11] = 0xff;
        memcpy(key + 12, &v4, 4);
        return 0;
    }
    return inet_pton(AF_INET6, text, key) == 1 ? 0 : -1;
}

static void guard_key_text(const unsigned char key[16], char out[GUARD_ADDRESS_TEXT])
{
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(key, mapped, 12) == 0)
        inet_ntop(AF_INET, key + 12, out, GUARD_ADDRESS_TEXT);
    else
        inet_ntop(AF_INET6, key, out, GUARD_ADDRESS_TEXT);
}

static int guard_network_contains(const guard_network *network, const unsigned char key[16])
{
    unsigned full = network->prefix / 8, rest = network->prefix % 8;
    if (memcmp(network->address, key, full) != 0)
        return 0;
    if (rest == 0)
        return 1;
    unsigned char mask = (unsigned char)(0xff << (8 - rest));
    return (network->address[full] & mask) == (key[full] & mask);
}

static int guard_key_trusted(const guard_table *table, const unsigned char key[16])
{
    for (size_t i = 0; i < table->proxy_count; i++)
        if (guard_network_contains(&table->proxies[i], key))
            return 1;
    return 0;
}

int guard_is_trusted_proxy(const guard_table *table, const struct sockaddr *peer)
{
    unsigned char key[16];
    return guard_key_of(peer, key) == 0 && guard_key_trusted(table, key);
}

/* One list entry "a.b.c.d", "a.b.c.d/n", "x::y" or "x::y/n". */
static int guard_network_parse(const char *entry, guard_network *out)
{
    char text[64];
    snprintf(text, sizeof text, "%s", entry);
    char *slash = strchr(text, '/');
    long prefix = -1;
    if (slash) {
        char *end = NULL;
        *slash = '\0';
        prefix = strtol(slash + 1, &end, 10);
        if (end == slash + 1 || *end != '\0' || prefix < 0)
            return -1;
    }
    if (guard_key_of_text(text, out->address) != 0)
        return -1;
    int v4 = strchr(text, ':') == NULL;
    long most = v4 ? 32 : 128;
    if (prefix > most)
        return -1;
    out->prefix = (unsigned)((prefix < 0 ? most : prefix) + (v4 ? 96 : 0));
    return 0;
}

static int guard_proxies_parse(guard_table *table, const char *list, alvd_err *err)
{
    const char *p = list ? list : "";
    while (*p) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        if (*p == '\0')
            break;
        size_t length = strcspn(p, " ,\t");
        char entry[64];
        if (length >= sizeof entry || table->proxy_count == GUARD_PROXIES_MAX)
            return alvd_err_set(err, 500, "bad_config", "ALVD_TRUSTED_PROXIES",
                                "ALVD_TRUSTED_PROXIES holds at most %d addresses or networks.", GUARD_PROXIES_MAX);
        memcpy(entry, p, length);
        entry[length] = '\0';
        if (guard_network_parse(entry, &table->proxies[table->proxy_count]) != 0)
            return alvd_err_set(err, 500, "bad_config", "ALVD_TRUSTED_PROXIES",
                                "ALVD_TRUSTED_PROXIES: '%s' is not an IP address or network (a.b.c.d/n).", entry);
        table->proxy_count++;
        p += length;
    }
    return 0;
}

void guard_client_address(const guard_table *table, const struct sockaddr *peer, const char *forwarded_for,
                          char out[GUARD_ADDRESS_TEXT])
{
    unsigned char key[16];
    out[0] = '\0';
    if (guard_key_of(peer, key) != 0)
        return;
    if (forwarded_for && guard_key_trusted(table, key)) {
        /* Right to left: each hop was added by the proxy before it; the first address
         * no trusted proxy stands for is the client. A malformed entry ends the walk
         * (what lies left of it was written by the client). */
        const char *end = forwarded_for + strlen(forwarded_for);
        while (end > forwarded_for) {
            const char *start = end;
            while (start > forwarded_for && start[-1] != ',')
                start--;
            char entry[GUARD_ADDRESS_TEXT + 2];
            const char *a = start, *b = end;
            while (a < b && (*a == ' ' || *a == '\t'))
                a++;
            while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
                b--;
            unsigned char hop[16];
            if ((size_t)(b - a) >= sizeof entry)
                break;
            memcpy(entry, a, (size_t)(b - a));
            entry[b - a] = '\0';
            if (guard_key_of_text(entry, hop) != 0)
                break;
            memcpy(key, hop, sizeof key);
            if (!guard_key_trusted(table, hop))
                break;
            end = start > forwarded_for ? start - 1 : forwarded_for;
        }
    }
    guard_key_text(key, out);
}

static size_t guard_bucket(const guard_table *table, const unsigned char key[16])
{
    unsigned char hash[crypto_shorthash_BYTES];
    crypto_shorthash(hash, key, 16, table->hash_key);
    size_t value = 0;
    memcpy(&value, hash, sizeof value < sizeof hash ? sizeof value : sizeof hash);
    return value % GUARD_BUCKETS;
}

/* The entry of key, created when create is set; NULL when absent or out of memory. */
static guard_address *guard_address_find(guard_table *table, const unsigned char key[16], int create)
{
    size_t bucket = guard_bucket(table, key);
    for (guard_address *entry = table->buckets[bucket]; entry; entry = entry->next)
        if (memcmp(entry->key, key, 16) == 0)
            return entry;
    if (!create)
        return NULL;
    guard_address *entry = calloc(1, sizeof *entry);
    if (entry == NULL)
        return NULL;
    memcpy(entry->key, key, 16);
    entry->next = table->buckets[bucket];
    table->buckets[bucket] = entry;
    return entry;
}

static void guard_address_release_if_unused(guard_table *table, guard_address *entry)
{
    if (entry == NULL || entry->connections || entry->spooled)
        return;
    guard_address **link = &table->buckets[guard_bucket(table, entry->key)];
    while (*link && *link != entry)
        link = &(*link)->next;
    if (*link)
        *link = entry->next;
    free(entry);
}

/* ---------------------------------------------------------------- connection states */

static int guard_unfinished(guard_state state) { return state == GUARD_WAITING || state == GUARD_BODY; }

static void guard_unlink_unfinished(guard_connection *connection)
{
    guard_address *owner = connection->owner;
    if (owner == NULL || !guard_unfinished(connection->state))
        return;
    if (connection->older)
        connection->older->newer = connection->newer;
    else
        owner->oldest = connection->newer;
    if (connection->newer)
        connection->newer->older = connection->older;
    else
        owner->newest = connection->older;
    connection->older = connection->newer = NULL;
    owner->unfinished--;
}

static void guard_link_unfinished(guard_connection *connection)
{
    guard_address *owner = connection->owner;
    if (owner == NULL)
        return;
    connection->newer = NULL;
    connection->older = owner->newest;
    if (owner->newest)
        owner->newest->newer = connection;
    else
        owner->oldest = connection;
    owner->newest = connection;
    owner->unfinished++;
}

/* Move to state with deadline (seconds from now; ignored for ANSWERING), keeping the
 * owner's unfinished list in order of when each connection started to wait. */
static void guard_set_state(guard_connection *connection, guard_state state, double seconds)
{
    if (connection->state == GUARD_DROPPED)
        return;
    int was = guard_unfinished(connection->state), will = guard_unfinished(state);
    if (was && !will)
        guard_unlink_unfinished(connection);
    connection->state = state;
    if (!was && will)
        guard_link_unfinished(connection);
    if (will)
        connection->deadline = guard_now() + seconds;
}

/* Shut the socket down: libmicrohttpd sees the end of input and closes the connection
 * on its own thread (the socket stays open until then, so fd cannot be reused). */
static void guard_drop(guard_connection *connection)
{
    guard_unlink_unfinished(connection);
    connection->state = GUARD_DROPPED;
    shutdown(connection->fd, SHUT_RDWR);
}

guard_connection *guard_connection_open(guard_table *table, int fd, const struct sockaddr *peer)
{
    unsigned char key[16];
    guard_connection *connection = calloc(1, sizeof *connection);
    if (connection == NULL)
        return NULL;
    connection->fd = fd;
    connection->state = GUARD_ANSWERING;
    int known = guard_key_of(peer, key) == 0;
    pthread_mutex_lock(&table->lock);
    if (known && !guard_key_trusted(table, key)) {
        connection->owner = guard_address_find(table, key, 1);
        if (connection->owner) {
            connection->owner->connections++;
            if (connection->owner->unfinished >= GUARD_UNFINISHED_PER_ADDRESS && connection->owner->oldest) {
                guard_drop(connection->owner->oldest);
                table->pushed_out++;
            }
        }
    }
    guard_set_state(connection, GUARD_WAITING, GUARD_HEADERS_SECONDS);
    connection->next = table->all;
    if (table->all)
        table->all->prev = connection;
    table->all = connection;
    pthread_mutex_unlock(&table->lock);
    return connection;
}

void guard_connection_close(guard_table *table, guard_connection *connection)
{
    if (connection == NULL)
        return;
    pthread_mutex_lock(&table->lock);
    guard_unlink_unfinished(connection);
    if (connection->prev)
        connection->prev->next = connection->next;
    else
        table->all = connection->next;
    if (connection->next)
        connection->next->prev = connection->prev;
    if (connection->owner) {
        connection->owner->connections--;
        guard_address_release_if_unused(table, connection->owner);
    }
    pthread_mutex_unlock(&table->lock);
    free(connection);
}

void guard_request_headers(guard_table *table, guard_connection *connection, unsigned long long body_bytes)
{
    if (connection == NULL)
        return;
    pthread_mutex_lock(&table->lock);
    if (body_bytes == 0)
        guard_set_state(connection, GUARD_ANSWERING, 0);
    else
        guard_set_state(connection, GUARD_BODY, GUARD_BODY_SECONDS + (double)body_bytes / GUARD_BODY_MIN_RATE);
    pthread_mutex_unlock(&table->lock);
}

void guard_request_received(guard_table *table, guard_connection *connection)
{
    if (connection == NULL)
        return;
    pthread_mutex_lock(&table->lock);
    guard_set_state(connection, GUARD_ANSWERING, 0);
    pthread_mutex_unlock(&table->lock);
}

void guard_request_finished(guard_table *table, guard_connection *connection)
{
    if (connection == NULL)
        return;
    pthread_mutex_lock(&table->lock);
    guard_set_state(connection, GUARD_WAITING, GUARD_KEEPALIVE_SECONDS);
    pthread_mutex_unlock(&table->lock);
}

/* ---------------------------------------------------------------- spool */

int guard_spool_reserve(guard_table *table, const char *client, unsigned long long bytes, int *status)
{
    unsigned char key[16];
    int rc = 0;
    if (guard_key_of_text(client ? client : "", key) != 0)
        memset(key, 0, sizeof key); /* no address (a unix socket): one shared entry */
    pthread_mutex_lock(&table->lock);
    guard_address *entry = guard_address_find(table, key, 1);
    if (entry == NULL || table->spool_bytes + bytes > GUARD_SPOOL_TOTAL_BYTES) {
        *status = 503;
        rc = -1;
    } else if (entry->spooled >= GUARD_SPOOLED_PER_CLIENT) {
        *status = 429;
        rc = -1;
    } else {
        entry->spooled++;
        table->spool_bytes += bytes;
    }
    if (rc != 0)
        guard_address_release_if_unused(table, entry);
    pthread_mutex_unlock(&table->lock);
    return rc;
}

void guard_spool_release(guard_table *table, const char *client, unsigned long long bytes)
{
    unsigned char key[16];
    if (guard_key_of_text(client ? client : "", key) != 0)
        memset(key, 0, sizeof key);
    pthread_mutex_lock(&table->lock);
    guard_address *entry = guard_address_find(table, key, 0);
    if (entry && entry->spooled > 0) {
        entry->spooled--;
        table->spool_bytes -= bytes <= table->spool_bytes ? bytes : table->spool_bytes;
        guard_address_release_if_unused(table, entry);
    }
    pthread_mutex_unlock(&table->lock);
}

void guard_counts(guard_table *table, unsigned long long *pushed_out, unsigned long long *expired)
{
    pthread_mutex_lock(&table->lock);
    *pushed_out = table->pushed_out;
    *expired = table->expired;
    pthread_mutex_unlock(&table->lock);
}

/* ---------------------------------------------------------------- the reaper */

static void *guard_reaper_main(void *argument)
{
    guard_table *table = argument;
    double next_report = guard_now() + GUARD_REPORT_SECONDS;
    pthread_mutex_lock(&table->lock);
    while (!table->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_nsec += GUARD_REAP_MILLISECONDS * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&table->wake, &table->lock, &until);
        double now = guard_now();
        for (guard_connection *connection = table->all; connection; connection = connection->next) {
            if (guard_unfinished(connection->state) && connection->deadline <= now) {
                guard_drop(connection);
                table->expired++;
            }
        }
        if (now >= next_report) {
            /* A summary, never an address: who was dropped is nobody's business. */
            if (table->pushed_out != table->reported_pushed_out || table->expired != table->reported_expired)
                log_warn("connections dropped in the last %d s: %llu past their deadline, %llu pushed out by a "
                         "newer one of the same address (over %d unfinished)",
                         GUARD_REPORT_SECONDS, table->expired - table->reported_expired,
                         table->pushed_out - table->reported_pushed_out, GUARD_UNFINISHED_PER_ADDRESS);
            table->reported_pushed_out = table->pushed_out;
            table->reported_expired = table->expired;
            next_report = now + GUARD_REPORT_SECONDS;
        }
    }
    pthread_mutex_unlock(&table->lock);
    return NULL;
}

guard_table *guard_new(const char *trusted_proxies, alvd_err *err)
{
    guard_table *table = calloc(1, sizeof *table);
    if (table == NULL) {
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        return NULL;
    }
    if (guard_proxies_parse(table, trusted_proxies, err) != 0) {
        free(table);
        return NULL;
    }
    crypto_shorthash_keygen(table->hash_key);
    pthread_mutex_init(&table->lock, NULL);
    pthread_cond_init(&table->wake, NULL);
    if (pthread_create(&table->reaper, NULL, guard_reaper_main, table) != 0) {
        guard_free(table);
        alvd_err_set(err, 500, "no_thread", NULL, "Cannot start the connection deadline thread.");
        return NULL;
    }
    table->reaper_started = 1;
    return table;
}

void guard_free(guard_table *table)
{
    if (table == NULL)
        return;
    if (table->reaper_started) {
        pthread_mutex_lock(&table->lock);
        table->stopping = 1;
        pthread_cond_signal(&table->wake);
        pthread_mutex_unlock(&table->lock);
        pthread_join(table->reaper, NULL);
    }
    /* The daemon has stopped: every connection was closed and unlinked. */
    for (size_t i = 0; i < GUARD_BUCKETS; i++) {
        while (table->buckets[i]) {
            guard_address *next = table->buckets[i]->next;
            free(table->buckets[i]);
            table->buckets[i] = next;
        }
    }
    pthread_mutex_destroy(&table->lock);
    pthread_cond_destroy(&table->wake);
    free(table);
}
