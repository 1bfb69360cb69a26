/* The application context: configuration read once from the environment and the
 * long-lived handles (database pool, keys) every handler may read. Created in main.c;
 * read-only after start-up except through the thread-safe handles it holds. */
#ifndef ALVD_BASE_APP_H
#define ALVD_BASE_APP_H

#include "alvd/base/err.h"
#include "alvd/store/db.h"

typedef struct alvd_config {
    char listen_host[64];     /* ALVD_LISTEN host part, default 127.0.0.1 */
    unsigned listen_port;     /* ALVD_LISTEN port, default 8080 */
    char public_url[256];     /* ALVD_PUBLIC_URL, default http://<listen> (no trailing /) */
    char data_dir[512];       /* ALVD_DATA_DIR: keys, uploads, outbox */
    char web_dir[512];        /* ALVD_WEB_DIR, default <source>/web */
    char migrations_dir[512]; /* ALVD_MIGRATIONS_DIR, default <source>/migrations */
    char tls_cert[512];       /* ALVD_TLS_CERT: PEM file; TLS on when cert and key set */
    char tls_key[512];        /* ALVD_TLS_KEY */
    char smtp_url[256];       /* ALVD_SMTP_URL (smtp://host:port); empty = .eml files */
    char mail_from[256];      /* ALVD_MAIL_FROM */
    unsigned http_threads;    /* ALVD_HTTP_THREADS, default 2 */
    unsigned worker_threads;  /* ALVD_WORKER_THREADS, default 2 (argon2, slow jobs) */
    int auto_migrate;         /* ALVD_AUTO_MIGRATE=1 or `serve --migrate` */
    char test_today[11];      /* ALVD_TEST_TODAY=YYYY-MM-DD: "today" for tests; empty = the clock */
    /* ALVD_TEST_NOW=<RFC 3339 instant>: tests only; the clock (base/clock.h) reads that
     * instant at start-up and runs on from there. 0 = the system clock. */
    long long clock_offset_seconds;
    unsigned meldpunt_retention_months; /* ALVD_MELDPUNT_RETENTION_MONTHS, default 12 */
    unsigned audit_checkpoint_minutes;  /* ALVD_AUDIT_CHECKPOINT_MINUTES, default 60; 0 = none */
    char audit_checkpoint_mail[256];    /* ALVD_AUDIT_CHECKPOINT_MAIL: also mail each checkpoint here */
    char totp_roles[96];      /* ALVD_TOTP_ROLES: roles that must log in with TOTP, default "admin,meldpunt" */
    char trusted_proxies[512]; /* ALVD_TRUSTED_PROXIES: addresses/networks whose X-Forwarded-For is believed */
    char metrics_token[128];  /* ALVD_METRICS_TOKEN: GET /metrics also for this bearer token */
    store_config database;    /* ALVD_DB_* */
} alvd_config;

/* The live-event pump of `alvd serve` (include/alvd/api/events.h); NULL elsewhere. */
typedef struct events_pump events_pump;
/* The group-commit writer of the vote endpoint (include/alvd/http/request.h); NULL
 * outside `alvd serve`. */
typedef struct http_batcher http_batcher;
/* The in-memory rate limiter of the anonymous meldpunt routes (include/alvd/http/limiter.h);
 * NULL outside `alvd serve` (then nothing is limited). */
typedef struct http_limiter http_limiter;

typedef struct alvd_app {
    alvd_config config;
    store_pool *pool;
    /* Keys the hash of rate-limit subjects (e-mails, client addresses); the same for
     * every process on one data directory (keys/rate-limit.key, loaded by serve). */
    unsigned char rate_key[32];
    /* Authenticates the audit chain (keys/audit.key, never in the database); loaded by
     * main.c before any command that appends (include/alvd/crypto/audit.h). */
    unsigned char audit_key[32];
    int audit_key_loaded;
    events_pump *events_pump;  /* set by main.c before the HTTP server starts */
    http_batcher *vote_batcher; /* set by main.c before the HTTP server starts (issue 6) */
    http_limiter *meldpunt_limiter; /* set by main.c before the HTTP server starts (issue 15) */
} alvd_app;

/* Fill config from the environment (with the defaults above). */
int config_from_environment(alvd_config *config, alvd_err *err);

/* Set the variables of an environment file (VARIABLE=value lines, as systemd's
 * EnvironmentFile=) that the environment does not set yet; a missing file is no error. */
int config_load_environment_file(const char *path, alvd_err *err);

#endif
