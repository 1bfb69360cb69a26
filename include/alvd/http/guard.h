/* What one client may hold of the server: every connection has a deadline for sending
 * a whole request (total time, not idle time), each client address has a cap on its
 * connections that have not yet sent a whole request and on request bodies spooled to
 * disk, and the trusted-proxy list decides which address is the client's. */
#ifndef ALVD_HTTP_GUARD_H
#define ALVD_HTTP_GUARD_H

#include <stddef.h>
#include <sys/socket.h>

#include "alvd/base/err.h"

/* From accept to the last header line of the first request, the TLS handshake
 * included: a phone sends its headers in one packet right after connecting. */
#define GUARD_HEADERS_SECONDS 10
/* On a kept-alive connection, from the end of an answer to the last header line of the
 * next request, idle time included (as libmicrohttpd's idle timeout, which trickled
 * bytes reset, was): closing sooner races clients that reuse the connection. */
#define GUARD_KEEPALIVE_SECONDS 60
/* After the headers, a body must arrive within this plus its size at the minimum rate
 * (12 MiB: 15 + 192 s); a chunked body is timed by its route's limit. */
#define GUARD_BODY_SECONDS 15
#define GUARD_BODY_MIN_RATE (64u * 1024u) /* bytes a second */
/* Connections of one address that have not yet sent a whole request (idle kept-alive
 * ones included). A new one over the cap pushes out the address's oldest such
 * connection instead of being refused, so a slow client only ever loses to itself and
 * a phone behind the attacker's NAT address still gets in. 300 phones hold at most a
 * few hundred of these at once (an answered request or an open event stream does not
 * count), so a hall never reaches it. */
#define GUARD_UNFINISHED_PER_ADDRESS 1024
/* Bodies spooled to disk (over HTTP_BODY_MEMORY_MAX: reports with attachments, scans,
 * imports, Code versions) one client may be sending at once, and all clients together.
 * Phones vote with bodies of a few hundred bytes, which never count. */
#define GUARD_SPOOLED_PER_CLIENT 4
#define GUARD_SPOOL_TOTAL_BYTES (512ull * 1024u * 1024u)
#define GUARD_PROXIES_MAX 16
#define GUARD_ADDRESS_TEXT 46 /* INET6_ADDRSTRLEN */

typedef struct guard_table guard_table;
typedef struct guard_connection guard_connection;

/* Parse ALVD_TRUSTED_PROXIES ("10.0.0.2, 192.168.1.0/24, ::1"; empty = none) and start
 * the deadline thread. NULL with 500 "bad_config" (field ALVD_TRUSTED_PROXIES) on a
 * bad list. Free with guard_free after the HTTP daemon has stopped. */
guard_table *guard_new(const char *trusted_proxies, alvd_err *err);
void guard_free(guard_table *table);

/* 1 when peer (any address family) is a listed proxy. Thread-safe (read-only list). */
int guard_is_trusted_proxy(const guard_table *table, const struct sockaddr *peer);
/* The client address as text: the peer, or when the peer is a trusted proxy, the
 * right-most address of X-Forwarded-For (may be NULL) that is not itself a trusted
 * proxy. out must hold GUARD_ADDRESS_TEXT bytes. */
void guard_client_address(const guard_table *table, const struct sockaddr *peer, const char *forwarded_for,
                          char out[GUARD_ADDRESS_TEXT]);

/* Connection life, called from libmicrohttpd's threads. open: a new connection on
 * socket fd from peer; over the address's cap, the oldest unfinished connection of the
 * address is shut down. Returns the record (NULL when out of memory: no limits then). */
guard_connection *guard_connection_open(guard_table *table, int fd, const struct sockaddr *peer);
/* Called before libmicrohttpd closes the socket; frees the record. NULL is accepted. */
void guard_connection_close(guard_table *table, guard_connection *connection);
/* The headers of a request are in; body_bytes (0 = none) must follow in time. */
void guard_request_headers(guard_table *table, guard_connection *connection, unsigned long long body_bytes);
/* The request is whole: no deadline while it is answered or streams events. */
void guard_request_received(guard_table *table, guard_connection *connection);
/* The answer is done; a next request's headers must come within GUARD_KEEPALIVE_SECONDS. */
void guard_request_finished(guard_table *table, guard_connection *connection);

/* Reserve bytes of spool for client (text from guard_client_address). 0 on success;
 * -1 with *status 429 when the client already sends GUARD_SPOOLED_PER_CLIENT bodies,
 * 503 when all spool is taken. Release exactly what was reserved. */
int guard_spool_reserve(guard_table *table, const char *client, unsigned long long bytes, int *status);
void guard_spool_release(guard_table *table, const char *client, unsigned long long bytes);

/* Counts since start, for logs and tests: connections pushed out by a newer one of
 * their address, and connections closed at their deadline. */
void guard_counts(guard_table *table, unsigned long long *pushed_out, unsigned long long *expired);

#endif
