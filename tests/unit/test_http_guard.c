/* Unit tests for server/http/guard.c: which address is the client's (trusted proxies and
 * X-Forwarded-For), the per-client cap on spooled bodies, and the per-address cap on
 * unfinished connections that pushes out the address's oldest one (on socket pairs). */
#include "alvd/http/guard.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"

static struct sockaddr_in v4(const char *text)
{
    struct sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    inet_pton(AF_INET, text, &address.sin_addr);
    return address;
}

static void test_proxies(void)
{
    alvd_err err;
    alvd_err_clear(&err);
    CHECK(guard_new("10.0.0.1, nonsense", &err) == NULL, "a bad entry is refused");
    CHECK_STR(err.field, "ALVD_TRUSTED_PROXIES", "the error names the variable");
    alvd_err_clear(&err);
    CHECK(guard_new("10.0.0.0/33", &err) == NULL, "a prefix over 32 is refused");
    alvd_err_clear(&err);
    guard_table *table = guard_new("10.0.0.0/24 192.168.5.7,::1", &err);
    CHECK(table != NULL, "a good list: %s", err.message);
    if (table == NULL)
        return;
    char client[GUARD_ADDRESS_TEXT];
    struct sockaddr_in proxy = v4("10.0.0.2"), stranger = v4("203.0.113.9"), single = v4("192.168.5.7");
    CHECK(guard_is_trusted_proxy(table, (struct sockaddr *)&proxy), "in the /24");
    CHECK(!guard_is_trusted_proxy(table, (struct sockaddr *)&stranger), "not listed");
    guard_client_address(table, (struct sockaddr *)&stranger, "1.2.3.4", client);
    CHECK_STR(client, "203.0.113.9", "X-Forwarded-For from an unlisted peer is ignored");
    guard_client_address(table, (struct sockaddr *)&proxy, NULL, client);
    CHECK_STR(client, "10.0.0.2", "a proxy without the header is the client");
    guard_client_address(table, (struct sockaddr *)&proxy, "198.51.100.4", client);
    CHECK_STR(client, "198.51.100.4", "the proxy's client");
    guard_client_address(table, (struct sockaddr *)&proxy, "6.6.6.6, 198.51.100.4, 10.0.0.3", client);
    CHECK_STR(client, "198.51.100.4", "right-most address no listed proxy stands for; the forged left part is ignored");
    guard_client_address(table, (struct sockaddr *)&single, " 2001:db8::7 ", client);
    CHECK_STR(client, "2001:db8::7", "an IPv6 client behind a single-address proxy");
    guard_client_address(table, (struct sockaddr *)&proxy, "not-an-address", client);
    CHECK_STR(client, "10.0.0.2", "a malformed header leaves the proxy as the client");
    guard_free(table);
}

static void test_spool(void)
{
    alvd_err err;
    alvd_err_clear(&err);
    guard_table *table = guard_new("", &err);
    int status = 0;
    for (int i = 0; i < GUARD_SPOOLED_PER_CLIENT; i++)
        CHECK(guard_spool_reserve(table, "198.51.100.4", 12u << 20, &status) == 0, "upload %d of a client", i + 1);
    CHECK(guard_spool_reserve(table, "198.51.100.4", 12u << 20, &status) != 0, "one too many for the client");
    CHECK_INT(status, 429, "per client: 429");
    CHECK(guard_spool_reserve(table, "198.51.100.5", 12u << 20, &status) == 0, "another client is not affected");
    CHECK(guard_spool_reserve(table, "198.51.100.6", GUARD_SPOOL_TOTAL_BYTES, &status) != 0,
          "the total cap over all clients");
    CHECK_INT(status, 503, "total: 503");
    guard_spool_release(table, "198.51.100.4", 12u << 20);
    CHECK(guard_spool_reserve(table, "198.51.100.4", 12u << 20, &status) == 0, "released slots are free again");
    for (int i = 0; i < GUARD_SPOOLED_PER_CLIENT; i++)
        guard_spool_release(table, "198.51.100.4", 12u << 20);
    guard_spool_release(table, "198.51.100.5", 12u << 20);
    guard_free(table);
}

/* 1 when the server side of the pair (ours[]) was shut down: the client end reads EOF. */
static int pair_was_shut(int client_end)
{
    struct pollfd ready = {.fd = client_end, .events = POLLIN};
    char byte;
    return poll(&ready, 1, 0) == 1 && recv(client_end, &byte, 1, MSG_DONTWAIT) == 0;
}

static void test_unfinished_cap(void)
{
    enum { COUNT = GUARD_UNFINISHED_PER_ADDRESS + 3, NEWCOMER = COUNT - 2, PROXIED = COUNT - 1 };
    struct rlimit limit;
    getrlimit(RLIMIT_NOFILE, &limit);
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
    CHECK(limit.rlim_cur > 2 * COUNT + 64, "open-file limit %llu allows %d socket pairs",
          (unsigned long long)limit.rlim_cur, COUNT);
    if (limit.rlim_cur <= 2 * COUNT + 64)
        return;
    alvd_err err;
    alvd_err_clear(&err);
    guard_table *table = guard_new("10.0.0.2", &err);
    int (*pairs)[2] = calloc(COUNT, sizeof *pairs);
    guard_connection **connections = calloc(COUNT, sizeof *connections);
    struct sockaddr_in hall = v4("192.0.2.50"), proxy = v4("10.0.0.2");
    for (int i = 0; i < COUNT; i++)
        socketpair(AF_UNIX, SOCK_STREAM, 0, pairs[i]);
    /* One connection has sent a whole request and is being answered (an event stream). */
    connections[0] = guard_connection_open(table, pairs[0][0], (struct sockaddr *)&hall);
    guard_request_headers(table, connections[0], 0);
    for (int i = 1; i < GUARD_UNFINISHED_PER_ADDRESS + 1; i++)
        connections[i] = guard_connection_open(table, pairs[i][0], (struct sockaddr *)&hall);
    int shut = 0;
    for (int i = 0; i < GUARD_UNFINISHED_PER_ADDRESS + 1; i++)
        shut += pair_was_shut(pairs[i][1]);
    CHECK_INT(shut, 0, "up to the cap nothing is dropped");
    connections[NEWCOMER] = guard_connection_open(table, pairs[NEWCOMER][0], (struct sockaddr *)&hall);
    CHECK(pair_was_shut(pairs[1][1]), "one over the cap: the oldest unfinished connection is shut down");
    CHECK(!pair_was_shut(pairs[0][1]), "a connection being answered is never pushed out");
    CHECK(!pair_was_shut(pairs[2][1]), "only one is pushed out");
    CHECK(!pair_was_shut(pairs[NEWCOMER][1]), "the newcomer is served");
    unsigned long long pushed = 0, expired = 0;
    guard_counts(table, &pushed, &expired);
    CHECK_INT(pushed, 1, "counted as pushed out");
    /* A trusted proxy carries many clients: its connections are not capped. */
    guard_connection *via_proxy = guard_connection_open(table, pairs[PROXIED][0], (struct sockaddr *)&proxy);
    CHECK(!pair_was_shut(pairs[2][1]), "a proxy's connection pushes out nobody");
    guard_connection_close(table, via_proxy);
    for (int i = 0; i < COUNT; i++) {
        if (i != PROXIED)
            guard_connection_close(table, connections[i]);
        close(pairs[i][0]);
        close(pairs[i][1]);
    }
    free(pairs);
    free(connections);
    guard_free(table);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    test_proxies();
    test_spool();
    test_unfinished_cap();
    return check_report("http_guard");
}
