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
 *       prints: baseline commits=N seconds=S per_s=R
 *   loadgen balance TARGETS CONNECTIONS FILE TRACE [BODIES]
 *       as fire, through a client that fails over like a load balancer: TARGETS is
 *       host:port,host:port,…; connection k sends its requests to target k mod n, and an
 *       answer 503, a refused connection or one closed before the answer sends the same
 *       request (same body, so the same nonce or ballot_id) to the next target at once;
 *       after a failure on every target in a row it pauses 100 ms; it gives up after
 *       60 s (status 0). Latency is the member's whole wait, fail-overs included.
 *       TRACE: one line per request: index start_ms total_ms status tries, then each
 *       attempt as target:status:ms:code (code: the error code of a JSON answer, or
 *       refused/closed). LOADGEN_AT=K LOADGEN_RUN=CMD runs CMD (sh -c, not waited for)
 *       when K requests have been answered: a node killed mid-storm.
 *       prints: balance requests=N ok=N seconds=S per_s=R p50_ms=… p99_ms=… max_ms=…
 *       failovers=N status_XXX=N */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <mysql.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
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

/* ---- balance: requests through a fail-over client (one epoll loop) ---- */

#define BALANCE_MAX_TARGETS 8
#define BALANCE_GIVE_UP_MS 60000.0
#define BALANCE_PAUSE_MS 100.0
#define BALANCE_TRACE 480

typedef struct balance_target {
    char host[64];
    int port;
} balance_target;

typedef struct balance_request {
    char *line;                      /* owns the fields below */
    const char *method, *path, *token, *body;
    double started, finished;        /* monotonic ms; started 0 = not yet sent */
    int status;                      /* final: the answer's status, 0 = gave up */
    int tries;                       /* failed attempts: 503, refused, closed */
    char *answer;                    /* the final body, when BODIES is asked for */
    char trace[BALANCE_TRACE];
    size_t trace_used;
} balance_request;

typedef struct balance_connection {
    int fd, fd_target;               /* -1: not connected */
    int home, target;                /* first target of each request; current attempt's */
    size_t next, last;               /* sends requests next..last-1 in order */
    char *out;
    size_t out_length, written;
    char *buffer;
    size_t used;
    double attempt_started, resume_at; /* resume_at > 0: pausing before the next attempt */
    int failed_in_row;
    int waiting;                     /* a request is out, its answer awaited */
} balance_connection;

typedef struct balance_run {
    balance_target targets[BALANCE_MAX_TARGETS];
    int target_count;
    balance_request *requests;
    size_t count, finished, failovers;
    int epoll;
    double begin;
    long run_at;
    const char *run_command;
} balance_run;

static void balance_trace(balance_request *r, const char *format, ...) __attribute__((format(printf, 2, 3)));
static void balance_trace(balance_request *r, const char *format, ...)
{
    if (r->trace_used >= sizeof r->trace - 1)
        return;
    va_list args;
    va_start(args, format);
    int n = vsnprintf(r->trace + r->trace_used, sizeof r->trace - r->trace_used, format, args);
    va_end(args);
    if (n > 0)
        r->trace_used = r->trace_used + (size_t)n < sizeof r->trace ? r->trace_used + (size_t)n : sizeof r->trace - 1;
}

static void balance_close(balance_run *run, balance_connection *c)
{
    if (c->fd >= 0) {
        epoll_ctl(run->epoll, EPOLL_CTL_DEL, c->fd, NULL);
        close(c->fd);
    }
    c->fd = -1;
    c->fd_target = -1;
    c->used = 0;
}

static void balance_watch(balance_run *run, balance_connection *c, int writing)
{
    struct epoll_event event = {.events = EPOLLIN | (writing ? EPOLLOUT : 0), .data.ptr = c};
    epoll_ctl(run->epoll, EPOLL_CTL_MOD, c->fd, &event);
}

static void balance_write(balance_run *run, balance_connection *c)
{
    while (c->written < c->out_length) {
        ssize_t n = write(c->fd, c->out + c->written, c->out_length - c->written);
        if (n <= 0)
            break;
        c->written += (size_t)n;
    }
    balance_watch(run, c, c->written < c->out_length);
}

static void balance_send(balance_run *run, balance_connection *c);

/* The current attempt failed (503, refused, closed): the same request to the next target. */
static void balance_failed(balance_run *run, balance_connection *c, int status, const char *code)
{
    balance_request *r = &run->requests[c->next];
    double now = loadgen_monotonic_ms();
    balance_trace(r, " %d:%d:%.0f:%s", c->target, status, now - c->attempt_started, code);
    r->tries++;
    run->failovers++;
    c->waiting = 0;
    balance_close(run, c);
    c->target = (c->target + 1) % run->target_count;
    c->failed_in_row++;
    if (c->failed_in_row % run->target_count == 0)
        c->resume_at = now + BALANCE_PAUSE_MS;
    else
        balance_send(run, c);
}

static void balance_finish(balance_run *run, balance_connection *c, int status)
{
    balance_request *r = &run->requests[c->next];
    r->finished = loadgen_monotonic_ms();
    r->status = status;
    run->finished++;
    c->waiting = 0;
    c->next++;
    c->failed_in_row = 0;
    c->target = c->home;
    if (run->run_command && (long)run->finished == run->run_at) {
        fprintf(stderr, "loadgen: %zu answered, running: %s\n", run->finished, run->run_command);
        if (fork() == 0) {
            execl("/bin/sh", "sh", "-c", run->run_command, (char *)NULL);
            _exit(127);
        }
    }
    balance_send(run, c);
}

static void balance_send(balance_run *run, balance_connection *c)
{
    if (c->next >= c->last) {
        balance_close(run, c);
        return;
    }
    balance_request *r = &run->requests[c->next];
    double now = loadgen_monotonic_ms();
    if (r->started == 0)
        r->started = now;
    c->resume_at = 0;
    c->attempt_started = now;
    if (now - r->started > BALANCE_GIVE_UP_MS) {
        balance_trace(r, " gave-up");
        balance_finish(run, c, 0);
        return;
    }
    if (c->fd >= 0 && c->fd_target != c->target)
        balance_close(run, c);
    const balance_target *t = &run->targets[c->target];
    if (c->fd < 0) {
        c->fd = loadgen_connect(t->host, t->port);
        if (c->fd < 0) {
            balance_failed(run, c, 0, "refused");
            return;
        }
        c->fd_target = c->target;
        struct epoll_event event = {.events = EPOLLIN, .data.ptr = c};
        epoll_ctl(run->epoll, EPOLL_CTL_ADD, c->fd, &event);
    }
    size_t size = strlen(r->body) + strlen(r->path) + strlen(r->token) + 512;
    char *text = realloc(c->out, size);
    if (text == NULL)
        exit(3);
    c->out = text;
    int length = snprintf(text, size,
                          "%s %s HTTP/1.1\r\nHost: %s:%d\r\nAuthorization: Bearer %s\r\n"
                          "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                          r->method, r->path, t->host, t->port, r->token, strlen(r->body), r->body);
    c->out_length = (size_t)length;
    c->written = 0;
    c->waiting = 1;
    balance_write(run, c);
}

/* The error code of a JSON answer ("code":"…"), or "-". */
static void balance_code(const char *body, size_t length, char *out, size_t size)
{
    snprintf(out, size, "-");
    const char *key = memmem(body, length, "\"code\":\"", 8);
    if (key == NULL)
        return;
    key += 8;
    size_t n = 0;
    while (key + n < body + length && key[n] != '"' && n + 1 < size)
        n++;
    memcpy(out, key, n);
    out[n] = '\0';
}

static void balance_readable(balance_run *run, balance_connection *c, int keep_bodies)
{
    if (c->fd < 0 || !c->waiting)
        return;
    int closed = 0;
    for (;;) {
        if (c->used == LOADGEN_BUFFER) {
            closed = 1; /* an answer larger than the buffer: not ours to measure */
            break;
        }
        ssize_t n = read(c->fd, c->buffer + c->used, LOADGEN_BUFFER - c->used);
        if (n > 0) {
            c->used += (size_t)n;
            continue;
        }
        if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK))
            closed = 1;
        break;
    }
    int status = 0;
    size_t length = loadgen_response_length(c->buffer, c->used, &status);
    if (length == 0) {
        if (closed)
            balance_failed(run, c, 0, "closed");
        return;
    }
    const char *body = memmem(c->buffer, length, "\r\n\r\n", 4) + 4;
    size_t body_length = length - (size_t)(body - c->buffer);
    char code[40];
    balance_code(body, body_length, code, sizeof code);
    if (status == 503) {
        balance_failed(run, c, status, code);
        return;
    }
    balance_request *r = &run->requests[c->next];
    balance_trace(r, " %d:%d:%.0f:%s", c->target, status, loadgen_monotonic_ms() - c->attempt_started, code);
    if (keep_bodies)
        r->answer = strndup(body, body_length);
    memmove(c->buffer, c->buffer + length, c->used - length);
    c->used -= length;
    if (closed)
        balance_close(run, c);
    balance_finish(run, c, status);
}

static int balance_targets(const char *text, balance_target *targets)
{
    int count = 0;
    const char *p = text;
    while (*p && count < BALANCE_MAX_TARGETS) {
        const char *comma = strchr(p, ',');
        size_t length = comma ? (size_t)(comma - p) : strlen(p);
        const char *colon = memchr(p, ':', length);
        if (colon == NULL || (size_t)(colon - p) >= sizeof targets[count].host)
            return 0;
        memcpy(targets[count].host, p, (size_t)(colon - p));
        targets[count].host[colon - p] = '\0';
        char port[16] = "";
        size_t port_length = length - (size_t)(colon - p) - 1;
        if (port_length == 0 || port_length >= sizeof port)
            return 0;
        memcpy(port, colon + 1, port_length);
        targets[count].port = (int)loadgen_number(port, 1, 65535);
        count++;
        p += length + (comma ? 1 : 0);
    }
    return count;
}

static int command_balance(const char *targets_text, int connections, const char *path, const char *trace_path,
                           const char *bodies_path)
{
    balance_run run = {0};
    run.target_count = balance_targets(targets_text, run.targets);
    if (run.target_count == 0) {
        fprintf(stderr, "loadgen: bad targets %s\n", targets_text);
        return 2;
    }
    const char *at = getenv("LOADGEN_AT");
    run.run_command = getenv("LOADGEN_RUN");
    run.run_at = at && run.run_command ? loadgen_number(at, 1, 100000000) : -1;
    FILE *file = fopen(path, "r");
    if (file == NULL) {
        perror(path);
        return 2;
    }
    size_t capacity = 1024;
    run.requests = calloc(capacity, sizeof *run.requests);
    char *line = malloc(LOADGEN_LINE);
    while (fgets(line, LOADGEN_LINE, file)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0')
            continue;
        if (run.count == capacity) {
            capacity *= 2;
            run.requests = realloc(run.requests, capacity * sizeof *run.requests);
            memset(run.requests + run.count, 0, (capacity - run.count) * sizeof *run.requests);
        }
        balance_request *r = &run.requests[run.count];
        r->line = strdup(line);
        char *fields[4] = {0};
        if (loadgen_split(r->line, fields, 4) < 2) {
            free(r->line);
            continue;
        }
        r->method = fields[0];
        r->path = fields[1];
        r->token = fields[2] ? fields[2] : "";
        r->body = fields[3] ? fields[3] : "";
        run.count++;
    }
    free(line);
    fclose(file);
    if (run.count == 0) {
        fprintf(stderr, "loadgen: no requests in %s\n", path);
        return 2;
    }
    if ((size_t)connections > run.count)
        connections = (int)run.count;
    balance_connection *conns = calloc((size_t)connections, sizeof *conns);
    run.epoll = epoll_create1(0);
    size_t share = run.count / (size_t)connections, extra = run.count % (size_t)connections, next = 0;
    run.begin = loadgen_monotonic_ms();
    double begin_wall = loadgen_wall_ms();
    for (int i = 0; i < connections; i++) {
        balance_connection *c = &conns[i];
        c->fd = c->fd_target = -1;
        c->home = c->target = i % run.target_count;
        c->next = next;
        c->last = next + share + ((size_t)i < extra ? 1 : 0);
        next = c->last;
        c->buffer = malloc(LOADGEN_BUFFER);
    }
    for (int i = 0; i < connections; i++)
        balance_send(&run, &conns[i]);
    struct epoll_event events[256];
    while (run.finished < run.count) {
        double now = loadgen_monotonic_ms(), wake = now + 1000;
        for (int i = 0; i < connections; i++)
            if (conns[i].resume_at > 0 && conns[i].resume_at < wake)
                wake = conns[i].resume_at;
        int ready = epoll_wait(run.epoll, events, 256, (int)(wake - now) + 1);
        for (int e = 0; e < ready; e++) {
            balance_connection *c = events[e].data.ptr;
            if (c->fd < 0)
                continue;
            if (events[e].events & EPOLLOUT)
                balance_write(&run, c);
            if (events[e].events & (EPOLLIN | EPOLLHUP | EPOLLERR))
                balance_readable(&run, c, bodies_path != NULL);
        }
        now = loadgen_monotonic_ms();
        for (int i = 0; i < connections; i++) {
            balance_connection *c = &conns[i];
            if (c->resume_at > 0 && c->resume_at <= now)
                balance_send(&run, c);
            else if (c->waiting && now - run.requests[c->next].started > BALANCE_GIVE_UP_MS) {
                balance_trace(&run.requests[c->next], " %d:0:%.0f:no-answer", c->target, now - c->attempt_started);
                balance_close(&run, c);
                balance_finish(&run, c, 0);
            }
        }
    }
    double seconds = (loadgen_monotonic_ms() - run.begin) / 1000.0;
    double *latencies = calloc(run.count, sizeof *latencies);
    int statuses[600] = {0};
    size_t ok = 0;
    FILE *trace = fopen(trace_path, "w");
    for (size_t i = 0; i < run.count; i++) {
        balance_request *r = &run.requests[i];
        latencies[i] = r->finished - r->started;
        if (r->status >= 0 && r->status < 600)
            statuses[r->status]++;
        if (r->status >= 200 && r->status < 300)
            ok++;
        if (trace)
            fprintf(trace, "%zu %.0f %.0f %d %d%s\n", i, r->started - run.begin, latencies[i], r->status, r->tries, r->trace);
    }
    if (trace)
        fclose(trace);
    qsort(latencies, run.count, sizeof *latencies, loadgen_compare);
#define BALANCE_PERCENTILE(p) latencies[(size_t)((double)(run.count - 1) * (p))]
    printf("balance requests=%zu ok=%zu seconds=%.3f per_s=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f max_ms=%.1f"
           " failovers=%zu begin_wall_ms=%.0f",
           run.count, ok, seconds, (double)run.count / seconds, BALANCE_PERCENTILE(0.50), BALANCE_PERCENTILE(0.95),
           BALANCE_PERCENTILE(0.99), latencies[run.count - 1], run.failovers, begin_wall);
    for (int s = 0; s < 600; s++)
        if (statuses[s])
            printf(" status_%d=%d", s, statuses[s]);
    printf("\n");
    if (bodies_path) {
        FILE *out = fopen(bodies_path, "w");
        for (size_t i = 0; out && i < run.count; i++) {
            char *b = run.requests[i].answer;
            for (char *p = b; p && *p; p++)
                if (*p == '\n' || *p == '\r')
                    *p = ' ';
            fprintf(out, "%s\n", b ? b : "");
        }
        if (out)
            fclose(out);
    }
    for (int i = 0; i < connections; i++) {
        balance_close(&run, &conns[i]);
        free(conns[i].buffer);
        free(conns[i].out);
    }
    for (size_t i = 0; i < run.count; i++) {
        free(run.requests[i].line);
        free(run.requests[i].answer);
    }
    while (waitpid(-1, NULL, WNOHANG) > 0)
        ;
    free(run.requests);
    free(conns);
    free(latencies);
    close(run.epoll);
    return 0;
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
    if ((argc == 6 || argc == 7) && strcmp(argv[1], "balance") == 0)
        return command_balance(argv[2], (int)loadgen_number(argv[3], 1, 60000), argv[4], argv[5],
                               argc == 7 ? argv[6] : NULL);
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
                    "       loadgen baseline SOCKET DATABASE CONNECTIONS TRANSACTIONS\n"
                    "       loadgen balance HOST:PORT,… CONNECTIONS FILE TRACE [BODIES]\n");
    return 2;
}
