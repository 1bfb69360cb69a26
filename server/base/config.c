/* Configuration from environment variables (API.md "Operation"), with defaults that
 * make `alvd serve` work out of a fresh checkout next to scripts/db's socket. */
#include "alvd/base/app.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alvd/rules/cycle.h"

/* Defaults: the source tree's (scripts/run, tests), or the Debian package's when built
 * with -DALVD_SYSTEM_LAYOUT=ON (CMakeLists.txt, scripts/package). */
#ifndef ALVD_DEFAULT_DATA_DIR
#define ALVD_DEFAULT_DATA_DIR ALVD_SOURCE_DIR "/var/data"
#define ALVD_DEFAULT_WEB_DIR ALVD_SOURCE_DIR "/web"
#define ALVD_DEFAULT_MIGRATIONS_DIR ALVD_SOURCE_DIR "/migrations"
#define ALVD_DEFAULT_DB_SOCKET ALVD_SOURCE_DIR "/var/db/mysqld.sock"
#define ALVD_DEFAULT_DB_USER "root"
#define ALVD_DEFAULT_DB_PASSWORD_FILE ""
#define ALVD_DEFAULT_DB_MIGRATE_USER ""
#define ALVD_DEFAULT_DB_MIGRATE_PASSWORD_FILE ""
#endif

static void config_text(char *out, size_t size, const char *name, const char *fallback)
{
    const char *value = getenv(name);
    snprintf(out, size, "%s", value && *value ? value : fallback);
}

static int config_unsigned(const char *name, unsigned fallback, unsigned low, unsigned high,
                           unsigned *out, alvd_err *err)
{
    const char *value = getenv(name);
    if (value == NULL || *value == '\0') {
        *out = fallback;
        return 0;
    }
    char *end = NULL;
    long parsed = strtol(value, &end, 10);
    if (*end != '\0' || parsed < (long)low || parsed > (long)high)
        return alvd_err_set(err, 500, "bad_config", name, "%s must be a number from %u to %u.",
                            name, low, high);
    *out = (unsigned)parsed;
    return 0;
}

/* ALVD_TOTP_ROLES: staff role names separated by commas, or "none". A misspelt name
 * would silently drop the requirement, so every name must be a staff role. */
static int config_totp_roles(alvd_config *config, alvd_err *err)
{
    static const char *const staff_roles[] = {"admin", "board", "chair", "secretariat", "meldpunt"};
    config_text(config->totp_roles, sizeof config->totp_roles, "ALVD_TOTP_ROLES", "admin,meldpunt");
    if (strcmp(config->totp_roles, "none") == 0) {
        config->totp_roles[0] = '\0';
        return 0;
    }
    for (const char *p = config->totp_roles; *p;) {
        size_t length = strcspn(p, ","), known = 0;
        for (size_t i = 0; i < sizeof staff_roles / sizeof staff_roles[0]; i++)
            known |= strlen(staff_roles[i]) == length && strncmp(staff_roles[i], p, length) == 0;
        if (!known)
            return alvd_err_set(err, 500, "bad_config", "ALVD_TOTP_ROLES",
                                "ALVD_TOTP_ROLES lists staff roles (admin, board, chair, secretariat, "
                                "meldpunt) separated by commas, or none.");
        p += length + (p[length] == ',');
    }
    return 0;
}

int config_from_environment(alvd_config *config, alvd_err *err)
{
    memset(config, 0, sizeof *config);
    char listen[64];
    config_text(listen, sizeof listen, "ALVD_LISTEN", "127.0.0.1:8080");
    char *colon = strrchr(listen, ':');
    if (colon == NULL)
        return alvd_err_set(err, 500, "bad_config", "ALVD_LISTEN", "ALVD_LISTEN is host:port.");
    *colon = '\0';
    char *end = NULL;
    long port = strtol(colon + 1, &end, 10);
    if (*end != '\0' || port < 1 || port > 65535)
        return alvd_err_set(err, 500, "bad_config", "ALVD_LISTEN", "Bad port in ALVD_LISTEN.");
    snprintf(config->listen_host, sizeof config->listen_host, "%s", listen);
    config->listen_port = (unsigned)port;
    config_text(config->tls_cert, sizeof config->tls_cert, "ALVD_TLS_CERT", "");
    config_text(config->tls_key, sizeof config->tls_key, "ALVD_TLS_KEY", "");
    char fallback_url[128];
    snprintf(fallback_url, sizeof fallback_url, "%s://%s:%u",
             config->tls_cert[0] ? "https" : "http", listen, config->listen_port);
    config_text(config->public_url, sizeof config->public_url, "ALVD_PUBLIC_URL", fallback_url);
    size_t url_length = strlen(config->public_url);
    if (url_length > 0 && config->public_url[url_length - 1] == '/')
        config->public_url[url_length - 1] = '\0';
    config_text(config->data_dir, sizeof config->data_dir, "ALVD_DATA_DIR", ALVD_DEFAULT_DATA_DIR);
    config_text(config->web_dir, sizeof config->web_dir, "ALVD_WEB_DIR", ALVD_DEFAULT_WEB_DIR);
    config_text(config->migrations_dir, sizeof config->migrations_dir, "ALVD_MIGRATIONS_DIR",
                ALVD_DEFAULT_MIGRATIONS_DIR);
    config_text(config->smtp_url, sizeof config->smtp_url, "ALVD_SMTP_URL", "");
    config_text(config->trusted_proxies, sizeof config->trusted_proxies, "ALVD_TRUSTED_PROXIES", "");
    config_text(config->metrics_token, sizeof config->metrics_token, "ALVD_METRICS_TOKEN", "");
    config_text(config->mail_from, sizeof config->mail_from, "ALVD_MAIL_FROM",
                "KSF secretariaat <secretariaat@ksf.example>");
    if (config_unsigned("ALVD_HTTP_THREADS", 2, 1, 64, &config->http_threads, err) != 0 ||
        config_unsigned("ALVD_WORKER_THREADS", 2, 1, 64, &config->worker_threads, err) != 0)
        return -1;
    if (config_unsigned("ALVD_MELDPUNT_RETENTION_MONTHS", 12, 1, 120,
                        &config->meldpunt_retention_months, err) != 0 ||
        config_totp_roles(config, err) != 0)
        return -1;
    if (config_unsigned("ALVD_AUDIT_CHECKPOINT_MINUTES", 60, 0, 10080, &config->audit_checkpoint_minutes, err) != 0)
        return -1;
    config_text(config->audit_checkpoint_mail, sizeof config->audit_checkpoint_mail, "ALVD_AUDIT_CHECKPOINT_MAIL", "");
    /* Tests inject "today" here, at start-up, never through a request. */
    config_text(config->test_today, sizeof config->test_today, "ALVD_TEST_TODAY", "");
    if (config->test_today[0] && strlen(getenv("ALVD_TEST_TODAY")) != 10)
        return alvd_err_set(err, 500, "bad_config", "ALVD_TEST_TODAY", "ALVD_TEST_TODAY is YYYY-MM-DD.");
    const char *test_now = getenv("ALVD_TEST_NOW");
    if (test_now && *test_now) {
        int64_t instant = 0;
        if (rules_instant_parse(test_now, "ALVD_TEST_NOW", &instant, err) != 0)
            return alvd_err_set(err, 500, "bad_config", "ALVD_TEST_NOW",
                                "ALVD_TEST_NOW is an RFC 3339 instant, e.g. 2027-03-28T00:59:00Z.");
        config->clock_offset_seconds = (long long)(instant - (int64_t)time(NULL));
    }
    const char *auto_migrate = getenv("ALVD_AUTO_MIGRATE");
    config->auto_migrate = auto_migrate && strcmp(auto_migrate, "1") == 0;

    store_config *db = &config->database;
    const char *host = getenv("ALVD_DB_HOST");
    config_text(db->socket, sizeof db->socket, "ALVD_DB_SOCKET", host && *host ? "" : ALVD_DEFAULT_DB_SOCKET);
    config_text(db->host, sizeof db->host, "ALVD_DB_HOST", "");
    unsigned db_port = 0;
    if (config_unsigned("ALVD_DB_PORT", 3306, 1, 65535, &db_port, err) != 0)
        return -1;
    db->port = db_port;
    config_text(db->database, sizeof db->database, "ALVD_DB_NAME", "alvd");
    config_text(db->user, sizeof db->user, "ALVD_DB_USER", ALVD_DEFAULT_DB_USER);
    config_text(db->password, sizeof db->password, "ALVD_DB_PASSWORD", "");
    /* Least privilege (docs/operations.md): serve as ALVD_DB_USER, migrate as
     * ALVD_DB_MIGRATE_USER; passwords from files, read at connect time, so a file the
     * service may not read (the migration password) is only needed by `alvd migrate`. */
    config_text(db->password_file, sizeof db->password_file, "ALVD_DB_PASSWORD_FILE", ALVD_DEFAULT_DB_PASSWORD_FILE);
    config_text(db->migrate_user, sizeof db->migrate_user, "ALVD_DB_MIGRATE_USER", ALVD_DEFAULT_DB_MIGRATE_USER);
    config_text(db->migrate_password, sizeof db->migrate_password, "ALVD_DB_MIGRATE_PASSWORD", "");
    config_text(db->migrate_password_file, sizeof db->migrate_password_file, "ALVD_DB_MIGRATE_PASSWORD_FILE",
                ALVD_DEFAULT_DB_MIGRATE_PASSWORD_FILE);
    config_text(db->role, sizeof db->role, "ALVD_DB_ROLE", "alvd_service");
    unsigned pool = 0;
    if (config_unsigned("ALVD_DB_POOL", config->http_threads + config->worker_threads + 4, 1, 256,
                        &pool, err) != 0)
        return -1;
    db->pool_size = pool;
    return 0;
}

/* The subset of systemd's EnvironmentFile= syntax alvd's own file uses: KEY=VALUE lines,
 * # and ; comments, blank lines, an optional pair of quotes around the value. */
int config_load_environment_file(const char *path, alvd_err *err)
{
    FILE *file = fopen(path, "re");
    if (file == NULL)
        return 0;
    char line[2048];
    int number = 0, rc = 0;
    while (rc == 0 && fgets(line, sizeof line, file) != NULL) {
        number++;
        line[strcspn(line, "\r\n")] = '\0';
        char *key = line;
        while (*key == ' ' || *key == '\t')
            key++;
        if (*key == '\0' || *key == '#' || *key == ';')
            continue;
        char *equals = strchr(key, '=');
        if (equals == NULL) {
            rc = alvd_err_set(err, 500, "bad_config", NULL, "%s line %d is not VARIABLE=value.", path, number);
            break;
        }
        char *end = equals;
        while (end > key && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        *end = '\0';
        char *value = equals + 1;
        while (*value == ' ' || *value == '\t')
            value++;
        size_t length = strlen(value);
        while (length > 0 && (value[length - 1] == ' ' || value[length - 1] == '\t'))
            value[--length] = '\0';
        if (length >= 2 && (value[0] == '"' || value[0] == '\'') && value[length - 1] == value[0]) {
            value[length - 1] = '\0';
            value++;
        }
        /* What the environment already says wins, as systemd's own settings do. */
        if (*key && setenv(key, value, 0) != 0)
            rc = alvd_err_set(err, 500, "bad_config", NULL, "%s line %d: cannot set %s.", path, number, key);
    }
    fclose(file);
    return rc;
}
