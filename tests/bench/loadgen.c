/* The benchmark's load generator: fires HTTP requests over keep-alive connections from
 * one epoll loop (latency percentiles), holds SSE listeners, or measures MariaDB's
 * durable single-row INSERT rate (the baseline the vote path is compared with).
 *   loadgen fire HOST PORT CONNECTIONS FILE [BODIES]
 *       FILE: one request per line, tab-separated: METHOD PATH BEARER-TOKEN JSON-BODY
 *       BODIES (optional): each response body written here, one line per request, in order
 *       prints: fire requests=N ok=N seconds=S per_s=R p50_ms=… p95_ms=… p99_ms=… status_XXX=N
 *   loadgen listen HOST PORT LISTENERS PATH BEARER-TOKEN MATCH
 *       prints "ready" once every stream answered, then "arrived max_wall_ms=… count=N"
 *       when every listener saw MATCH (or after 60 s)
 *   loadgen baseline SOCKET DATABASE CONNECTIONS TRANSACTIONS
 *       prints: baseline commits=N seconds=S per_s=R */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <mysql.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define LOADGEN_BUFFER 65536
#define LOADGEN_LINE 16384

static double loadgen_monotonic_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec * 1000.0 + (double)now.tv_nsec / 1e6;
}

static double loadgen_wall_ms(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (double)now.tv_sec * 1000.0 + (double)now.tv_nsec / 1e6;
}

static void loadgen_raise_fd_limit(void)
{
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}

static long loadgen_number(const char *text, long low, long high)
{
    char *end = NULL;
    long value = strtol(text, &end, 10);
    if (end == text || *end != '\0' || value < low || value > high) {
        fprintf(stderr, "loadgen: bad number %s\n", text);
        exit(2);
    }
    return value;
}

static int loadgen_connect(const char *host, int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_port = htons((uint16_t)port);
    inet_pton(AF_INET, host, &address.sin_addr);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) {
        close(fd);
        return -1;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    return fd;
}

/* Split line at tabs into at most count fields (in place). Returns the field count. */
static int loadgen_split(char *line, char **fields, int count)
{
    int found = 0;
    char *p = line;
    while (found < count) {
        fields[found++] = p;
        char *tab = strchr(p, '\t');
        if (tab == NULL)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    return found;
}

typedef struct loadgen_request {
    char *text;
    size_t length;
} loadgen_request;

static loadgen_request *loadgen_read_requests(const char *path, const char *host, int port, size_t *count)
{
    FILE *file = fopen(path, "r");
    if (file == NULL) {
        perror(path);
        exit(2);
    }
    size_t capacity = 1024;
    loadgen_request *requests = malloc(capacity * sizeof *requests);
    char *line = malloc(LOADGEN_LINE);
    *count = 0;
    while (fgets(line, LOADGEN_LINE, file)) {
        line[strcspn(line, "\r\n")] = '\0';
        char *fields[4] = {0};
        if (line[0] == '\0' || loadgen_split(line, fields, 4) < 2)
            continue;
        const char *body = fields[3] ? fields[3] : "";
        size_t size = strlen(body) + strlen(fields[1]) + 512;
        char *text = malloc(size);
        int length = snprintf(text, size,
                              "%s %s HTTP/1.1\r\nHost: %s:%d\r\nAuthorization: Bearer %s\r\n"
                              "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                              fields[0], fields[1], host, port, fields[2] ? fields[2] : "", strlen(body), body);
        if (*count == capacity) {
            capacity *= 2;
            requests = realloc(requests, capacity * sizeof *requests);
        }
        requests[*count].text = text;
        requests[*count].length = (size_t)length;
        (*count)++;
    }
    free(line);
    fclose(file);
    return requests;
}

typedef struct loadgen_connection {
    int fd;
    size_t first, last;
    char **bodies;       /* when saving: response body per request index */  /* this connection sends requests first..last-1 in order */
    size_t next;
    size_t written;
    char *buffer;
    size_t used;
    double started;
} loadgen_connection;

static int loadgen_compare(const void *left, const void *right)
{
    double a = *(const double *)left, b = *(const double *)right;
    return (a > b) - (a < b);
}

/* A full response in buffer → its length and status; 0 when incomplete. */
static size_t loadgen_response_length(const char *buffer, size_t used, int *status)
{
    const char *end = memmem(buffer, used, "\r\n\r\n", 4);
    if (end == NULL || used < 12)
        return 0;
    size_t header_length = (size_t)(end - buffer) + 4;
    *status = (int)strtol(buffer + 9, NULL, 10);
    size_t body = 0;
    for (const char *p = buffer; p + 17 < buffer + header_length; p++) {
        if (strncasecmp(p, "\r\nContent-Length:", 17) == 0) {
            body = (size_t)strtoul(p + 17, NULL, 10);
            break;
        }
    }
    return used >= header_length + body ? header_length + body : 0;
}

static void loadgen_write_some(loadgen_connection *c, const loadgen_request *requests)
{
    const loadgen_request *r = &requests[c->next];
    while (c->written < r->length) {
        ssize_t n = write(c->fd, r->text + c->written, r->length - c->written);
        if (n <= 0)
            return;
        c->written += (size_t)n;
    }
}

static int command_fire(const char *host, int port, int connections, const char *path, const char *bodies_path)
{
    size_t count = 0;
    loadgen_request *requests = loadgen_read_requests(path, host, port, &count);
    if (count == 0) {
        fprintf(stderr, "loadgen: no requests in %s\n", path);
        return 2;
    }
    if ((size_t)connections > count)
        connections = (int)count;
    loadgen_connection *conns = calloc((size_t)connections, sizeof *conns);
    double *latencies = calloc(count, sizeof *latencies);
    char **bodies = bodies_path ? calloc(count, sizeof *bodies) : NULL;
    int statuses[600] = {0};
    int epoll = epoll_create1(0);
    size_t share = count / (size_t)connections, extra = count % (size_t)connections, at = 0;
    for (int i = 0; i < connections; i++) {
        loadgen_connection *c = &conns[i];
        c->first = at;
        c->last = at + share + ((size_t)i < extra ? 1 : 0);
        at = c->last;
        c->next = c->first;
        c->buffer = malloc(LOADGEN_BUFFER);
        c->bodies = bodies;
        c->fd = loadgen_connect(host, port);
        if (c->fd < 0) {
            fprintf(stderr, "loadgen: cannot connect (%s)\n", strerror(errno));
            return 1;
        }
        struct epoll_event event = {.events = EPOLLIN | EPOLLOUT, .data.ptr = c};
        epoll_ctl(epoll, EPOLL_CTL_ADD, c->fd, &event);
    }
    size_t done = 0, failed_io = 0;
    double begin = loadgen_monotonic_ms();
    for (int i = 0; i < connections; i++) {
        conns[i].started = loadgen_monotonic_ms();
        loadgen_write_some(&conns[i], requests);
    }
    struct epoll_event events[256];
    while (done + failed_io < count) {
        int ready = epoll_wait(epoll, events, 256, 30000);
        if (ready <= 0) {
            fprintf(stderr, "loadgen: timed out with %zu of %zu answered\n", done, count);
            break;
        }
        for (int e = 0; e < ready; e++) {
            loadgen_connection *c = events[e].data.ptr;
            if (c->next >= c->last)
                continue;
            if (events[e].events & EPOLLOUT)
                loadgen_write_some(c, requests);
            if (!(events[e].events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
                continue;
            for (;;) {
                ssize_t n = read(c->fd, c->buffer + c->used, LOADGEN_BUFFER - c->used);
                if (n > 0) {
                    c->used += (size_t)n;
                    continue;
                }
                if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
                    failed_io += c->last - c->next;
                    c->next = c->last;
                    epoll_ctl(epoll, EPOLL_CTL_DEL, c->fd, NULL);
                }
                break;
            }
            int status = 0;
            size_t length;
            while (c->next < c->last && (length = loadgen_response_length(c->buffer, c->used, &status)) > 0) {
                latencies[done++] = loadgen_monotonic_ms() - c->started;
                if (c->bodies) {
                    const char *body = memmem(c->buffer, length, "\r\n\r\n", 4) + 4;
                    size_t body_length = length - (size_t)(body - c->buffer);
                    c->bodies[c->next] = strndup(body, body_length);
                }
                if (status >= 0 && status < 600)
                    statuses[status]++;
                memmove(c->buffer, c->buffer + length, c->used - length);
                c->used -= length;
                c->next++;
                c->written = 0;
                if (c->next < c->last) {
                    c->started = loadgen_monotonic_ms();
                    loadgen_write_some(c, requests);
                }
            }
        }
    }
    double seconds = (loadgen_monotonic_ms() - begin) / 1000.0;
    qsort(latencies, done, sizeof *latencies, loadgen_compare);
    size_t ok = 0;
    for (int s = 200; s < 300; s++)
        ok += (size_t)statuses[s];
#define PERCENTILE(p) (done ? latencies[(size_t)((double)(done - 1) * (p))] : 0.0)
    printf("fire requests=%zu ok=%zu io_failed=%zu seconds=%.3f per_s=%.0f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f max_ms=%.2f",
           done, ok, failed_io, seconds, seconds > 0 ? (double)done / seconds : 0.0, PERCENTILE(0.50),
           PERCENTILE(0.95), PERCENTILE(0.99), done ? latencies[done - 1] : 0.0);
    for (int s = 0; s < 600; s++)
        if (statuses[s])
            printf(" status_%d=%d", s, statuses[s]);
    printf("\n");
    if (bodies) {
        FILE *out = fopen(bodies_path, "w");
        for (size_t i = 0; out && i < count; i++) {
            for (char *p = bodies[i]; p && *p; p++)
                if (*p == '\n' || *p == '\r')
                    *p = ' ';
            fprintf(out, "%s\n", bodies[i] ? bodies[i] : "");
            free(bodies[i]);
        }
        if (out)
            fclose(out);
        free(bodies);
    }
    for (int i = 0; i < connections; i++) {
        close(conns[i].fd);
        free(conns[i].buffer);
    }
    for (size_t i = 0; i < count; i++)
        free(requests[i].text);
    free(requests);
    free(conns);
    free(latencies);
    close(epoll);
    return failed_io ? 1 : 0;
}

typedef struct loadgen_listener {
    int fd;
    char tail[8192];  /* the last bytes seen, to find MATCH across reads */
    size_t used;
    int answered;
    int arrived;
} loadgen_listener;

static int command_listen(const char *host, int port, int listeners, const char *path, const char *token,
                          const char *match)
{
    loadgen_listener *list = calloc((size_t)listeners, sizeof *list);
    int epoll = epoll_create1(0);
    char request[2048];
    int length = snprintf(request, sizeof request,
                          "GET %s HTTP/1.1\r\nHost: %s:%d\r\nAuthorization: Bearer %s\r\nAccept: text/event-stream\r\n\r\n",
                          path, host, port, token);
    for (int i = 0; i < listeners; i++) {
        list[i].fd = loadgen_connect(host, port);
        if (list[i].fd < 0 || write(list[i].fd, request, (size_t)length) != length) {
            fprintf(stderr, "loadgen: listener %d cannot connect (%s)\n", i, strerror(errno));
            return 1;
        }
        struct epoll_event event = {.events = EPOLLIN, .data.ptr = &list[i]};
        epoll_ctl(epoll, EPOLL_CTL_ADD, list[i].fd, &event);
    }
    int answered = 0, arrived = 0, announced = 0;
    double last_arrival = 0;
    size_t match_length = strlen(match);
    struct epoll_event events[256];
    double deadline = loadgen_monotonic_ms() + 120000;
    while (arrived < listeners && loadgen_monotonic_ms() < deadline) {
        if (!announced && answered == listeners) {
            printf("ready\n");
            fflush(stdout);
            announced = 1;
        }
        int ready = epoll_wait(epoll, events, 256, 1000);
        for (int e = 0; e < ready; e++) {
            loadgen_listener *l = events[e].data.ptr;
            char chunk[4096];
            ssize_t n = read(l->fd, chunk, sizeof chunk);
            if (n <= 0) {
                if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
                    epoll_ctl(epoll, EPOLL_CTL_DEL, l->fd, NULL);
                continue;
            }
            if (l->used + (size_t)n > sizeof l->tail) {
                size_t keep = match_length < sizeof l->tail / 2 ? match_length : sizeof l->tail / 2;
                if (keep > l->used)
                    keep = l->used;
                memmove(l->tail, l->tail + l->used - keep, keep);
                l->used = keep;
            }
            size_t take = (size_t)n < sizeof l->tail - l->used ? (size_t)n : sizeof l->tail - l->used;
            memcpy(l->tail + l->used, chunk, take);
            l->used += take;
            if (!l->answered && memmem(l->tail, l->used, "\r\n\r\n", 4)) {
                l->answered = 1;
                answered++;
            }
            if (!l->arrived && memmem(l->tail, l->used, match, match_length)) {
                l->arrived = 1;
                arrived++;
                last_arrival = loadgen_wall_ms();
            }
        }
    }
    if (!announced)
        printf("ready\n");
    printf("arrived count=%d of=%d max_wall_ms=%.3f\n", arrived, listeners, last_arrival);
    fflush(stdout);
    for (int i = 0; i < listeners; i++)
        close(list[i].fd);
    free(list);
    close(epoll);
    return arrived == listeners ? 0 : 1;
}

typedef struct loadgen_baseline {
    const char *socket;
    const char *database;
    long transactions;
    long done;
    int failed;
} loadgen_baseline;

static void *loadgen_baseline_thread(void *argument)
{
    loadgen_baseline *job = argument;
    MYSQL *mysql = mysql_init(NULL);
    if (mysql_real_connect(mysql, "localhost", "root", NULL, job->database, 0, job->socket, 0) == NULL) {
        fprintf(stderr, "loadgen: %s\n", mysql_error(mysql));
        job->failed = 1;
        return NULL;
    }
    MYSQL_STMT *stmt = mysql_stmt_init(mysql);
    const char *sql = "INSERT INTO bench_baseline (payload) VALUES (?)";
    mysql_stmt_prepare(stmt, sql, strlen(sql));
    char payload[64] = "a durable single-row transaction";
    unsigned long payload_length = strlen(payload);
    MYSQL_BIND bind;
    memset(&bind, 0, sizeof bind);
    bind.buffer_type = MYSQL_TYPE_STRING;
    bind.buffer = payload;
    bind.buffer_length = sizeof payload;
    bind.length = &payload_length;
    mysql_stmt_bind_param(stmt, &bind);
    for (long i = 0; i < job->transactions; i++) {
        /* autocommit on: each INSERT is its own durable transaction */
        if (mysql_stmt_execute(stmt) != 0) {
            job->failed = 1;
            break;
        }
        job->done++;
    }
    mysql_stmt_close(stmt);
    mysql_close(mysql);
    return NULL;
}

static int command_baseline(const char *socket, const char *database, int connections, long transactions)
{
    MYSQL *setup = mysql_init(NULL);
    if (mysql_real_connect(setup, "localhost", "root", NULL, database, 0, socket, 0) == NULL) {
        fprintf(stderr, "loadgen: %s\n", mysql_error(setup));
        return 1;
    }
    mysql_query(setup, "DROP TABLE IF EXISTS bench_baseline");
    mysql_query(setup, "CREATE TABLE bench_baseline (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
                       " payload VARCHAR(64) NOT NULL) ENGINE=InnoDB");
    pthread_t *threads = calloc((size_t)connections, sizeof *threads);
    loadgen_baseline *jobs = calloc((size_t)connections, sizeof *jobs);
    double begin = loadgen_monotonic_ms();
    for (int i = 0; i < connections; i++) {
        jobs[i] = (loadgen_baseline){socket, database, transactions / connections, 0, 0};
        pthread_create(&threads[i], NULL, loadgen_baseline_thread, &jobs[i]);
    }
    long total = 0;
    int failed = 0;
    for (int i = 0; i < connections; i++) {
        pthread_join(threads[i], NULL);
        total += jobs[i].done;
        failed |= jobs[i].failed;
    }
    double seconds = (loadgen_monotonic_ms() - begin) / 1000.0;
    mysql_query(setup, "DROP TABLE IF EXISTS bench_baseline");
    mysql_close(setup);
    printf("baseline commits=%ld seconds=%.3f per_s=%.0f\n", total, seconds, seconds > 0 ? (double)total / seconds : 0.0);
    free(threads);
    free(jobs);
    return failed;
}

int main(int argc, char **argv)
{
    loadgen_raise_fd_limit();
    if ((argc == 6 || argc == 7) && strcmp(argv[1], "fire") == 0)
        return command_fire(argv[2], (int)loadgen_number(argv[3], 1, 65535), (int)loadgen_number(argv[4], 1, 60000),
                            argv[5], argc == 7 ? argv[6] : NULL);
    if (argc == 8 && strcmp(argv[1], "listen") == 0)
        return command_listen(argv[2], (int)loadgen_number(argv[3], 1, 65535), (int)loadgen_number(argv[4], 1, 60000),
                              argv[5], argv[6], argv[7]);
    if (argc == 6 && strcmp(argv[1], "baseline") == 0) {
        if (mysql_library_init(0, NULL, NULL) != 0)
            return 1;
        int rc = command_baseline(argv[2], argv[3], (int)loadgen_number(argv[4], 1, 1000),
                                  loadgen_number(argv[5], 1, 100000000));
        mysql_library_end();
        return rc;
    }
    fprintf(stderr, "usage: loadgen fire HOST PORT CONNECTIONS FILE [BODIES]\n"
                    "       loadgen listen HOST PORT LISTENERS PATH TOKEN MATCH\n"
                    "       loadgen baseline SOCKET DATABASE CONNECTIONS TRANSACTIONS\n");
    return 2;
}
