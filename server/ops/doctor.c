/* alvd doctor: one line per check with what was found and, when something is wrong,
 * what to do; exits non-zero when any check failed. Reads only (no DDL on the database
 * beyond the two no-op probes of privileges_check). */
#include "alvd/ops/doctor.h"

#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alvd/base/buf.h"
#include "alvd/rules/dates.h"
#include "alvd/store/db.h"
#include "alvd/store/privileges.h"
#include "alvd/store/server_info.h"

#define DOCTOR_PEM_MAX (256 * 1024)
#define DOCTOR_CLOCK_SKEW_SECONDS 2
#define DOCTOR_CERTIFICATE_WARN_DAYS 21

typedef enum doctor_level { DOCTOR_OK, DOCTOR_WARN, DOCTOR_FAIL } doctor_level;

typedef struct doctor {
    alvd_app *app;
    FILE *out;
    int failures;
    int warnings;
} doctor;

static void doctor_say(doctor *d, doctor_level level, const char *topic, const char *format, ...)
    __attribute__((format(printf, 4, 5)));

static void doctor_say(doctor *d, doctor_level level, const char *topic, const char *format, ...)
{
    static const char *const labels[] = {"ok  ", "WARN", "FAIL"};
    char text[1024];
    va_list args;
    va_start(args, format);
    vsnprintf(text, sizeof text, format, args);
    va_end(args);
    fprintf(d->out, "%s  %-18s %s\n", labels[level], topic, text);
    d->failures += level == DOCTOR_FAIL;
    d->warnings += level == DOCTOR_WARN;
}

static char *doctor_read_file(const char *path, size_t cap, size_t *length)
{
    FILE *file = fopen(path, "rb");
    if (file == NULL)
        return NULL;
    char *data = malloc(cap + 1);
    size_t got = data ? fread(data, 1, cap + 1, file) : 0;
    fclose(file);
    if (data == NULL || got > cap) {
        free(data);
        return NULL;
    }
    data[got] = '\0';
    if (length)
        *length = got;
    return data;
}

/* ---- configuration and directories ---- */

static void doctor_configuration(doctor *d)
{
    const alvd_config *config = &d->app->config;
    int https = strncmp(config->public_url, "https://", 8) == 0;
    int local = strcmp(config->listen_host, "127.0.0.1") == 0;
    doctor_say(d, DOCTOR_OK, "configuration", "listening on %s:%u, public address %s", config->listen_host,
               config->listen_port, config->public_url);
    if (!https)
        doctor_say(d, DOCTOR_WARN, "public address",
                   "%s is not https: phones open the door scanner's camera and people trust links only over "
                   "https — put a TLS proxy in front (docs/operations.md, nginx) and set ALVD_PUBLIC_URL=https://…",
                   config->public_url);
    if (!local && !config->tls_cert[0])
        doctor_say(d, DOCTOR_WARN, "listen",
                   "alvd listens on %s without TLS: let it listen on 127.0.0.1 behind the proxy, or set "
                   "ALVD_TLS_CERT and ALVD_TLS_KEY", config->listen_host);
    if (config->test_today[0])
        doctor_say(d, DOCTOR_FAIL, "configuration",
                   "ALVD_TEST_TODAY=%s is set: \"today\" is frozen for tests; remove it from the environment file",
                   config->test_today);
}

static void doctor_directory(doctor *d, const char *topic, const char *path, const char *must_hold)
{
    struct stat info;
    char inner[1100];
    if (stat(path, &info) != 0 || !S_ISDIR(info.st_mode)) {
        doctor_say(d, DOCTOR_FAIL, topic, "%s is not a directory: install the package again or set the path", path);
        return;
    }
    snprintf(inner, sizeof inner, "%s/%s", path, must_hold);
    if (access(inner, R_OK) != 0)
        doctor_say(d, DOCTOR_FAIL, topic, "%s has no readable %s: point the setting at alvd's own files", path,
                   must_hold);
    else
        doctor_say(d, DOCTOR_OK, topic, "%s", path);
}

static void doctor_data_dir(doctor *d)
{
    const char *path = d->app->config.data_dir;
    struct stat info;
    if (stat(path, &info) != 0 || !S_ISDIR(info.st_mode)) {
        doctor_say(d, DOCTOR_FAIL, "data directory",
                   "%s does not exist: create it owned by the service user, mode 0700 (the package makes "
                   "/var/lib/alvd)", path);
        return;
    }
    struct passwd *owner = getpwuid(info.st_uid);
    if (info.st_mode & 0022)
        doctor_say(d, DOCTOR_FAIL, "data directory", "%s can be changed by other users (mode %03o): chmod 0700 %s",
                   path, info.st_mode & 0777, path);
    else if (info.st_mode & 0007)
        doctor_say(d, DOCTOR_WARN, "data directory",
                   "every user can list %s (mode %03o; keys/ and uploads are closed themselves): chmod 0700 %s", path,
                   info.st_mode & 0777, path);
    else if (access(path, W_OK) != 0)
        doctor_say(d, DOCTOR_WARN, "data directory",
                   "%s is not writable for this user (owner %s): run doctor as the service user or root", path,
                   owner ? owner->pw_name : "?");
    else
        doctor_say(d, DOCTOR_OK, "data directory", "%s (owner %s, mode %03o)", path, owner ? owner->pw_name : "?",
                   info.st_mode & 0777);
}

/* keys/: the directory 0700, every file 0600, all of one owner (the service user). */
static void doctor_keys(doctor *d)
{
    char dir[600];
    snprintf(dir, sizeof dir, "%s/keys", d->app->config.data_dir);
    struct stat info;
    if (stat(dir, &info) != 0) {
        doctor_say(d, errno == EACCES ? DOCTOR_WARN : DOCTOR_OK, "keys",
                   errno == EACCES ? "%s cannot be read by this user: run doctor as root or the service user"
                                   : "%s does not exist yet: alvd serve makes the keys on first start",
                   dir);
        return;
    }
    if ((info.st_mode & 0077) != 0) {
        doctor_say(d, DOCTOR_FAIL, "keys", "%s has mode %03o: chmod 0700 %s (the keys sign tickets and open "
                   "sealed meldpunt data)", dir, info.st_mode & 0777, dir);
        return;
    }
    DIR *handle = opendir(dir);
    if (handle == NULL) {
        doctor_say(d, DOCTOR_WARN, "keys", "%s cannot be listed by this user: run doctor as root or the service "
                   "user", dir);
        return;
    }
    int files = 0, loose = 0, foreign = 0;
    char loose_names[300] = "";
    struct dirent *entry;
    while ((entry = readdir(handle)) != NULL) {
        if (entry->d_name[0] == '.')
            continue;
        char path[1000];
        struct stat file;
        snprintf(path, sizeof path, "%s/%s", dir, entry->d_name);
        if (lstat(path, &file) != 0 || !S_ISREG(file.st_mode))
            continue;
        files++;
        if (file.st_mode & 0077) {
            loose++;
            size_t used = strlen(loose_names);
            snprintf(loose_names + used, sizeof loose_names - used, "%s%s", used ? ", " : "", entry->d_name);
        }
        foreign += file.st_uid != info.st_uid;
    }
    closedir(handle);
    struct passwd *owner = getpwuid(info.st_uid);
    if (loose)
        doctor_say(d, DOCTOR_FAIL, "keys", "%d key file(s) readable by others (%s): chmod 0600 %s/*", loose,
                   loose_names, dir);
    else if (foreign)
        doctor_say(d, DOCTOR_WARN, "keys", "%d key file(s) not owned by %s: chown %s %s/*", foreign,
                   owner ? owner->pw_name : "the directory's owner", owner ? owner->pw_name : "…", dir);
    else
        doctor_say(d, DOCTOR_OK, "keys", "%s: %d file(s), directory 0700, files 0600, owner %s", dir, files,
                   owner ? owner->pw_name : "?");
}

/* ---- TLS ---- */

/* One DER element at *p: its tag, and its content [*content, *content + *length). */
static int doctor_der_next(const unsigned char **p, const unsigned char *end, unsigned *tag,
                           const unsigned char **content, size_t *length)
{
    if (end - *p < 2)
        return -1;
    *tag = (*p)[0];
    size_t size = (*p)[1];
    const unsigned char *at = *p + 2;
    if (size & 0x80) {
        size_t bytes = size & 0x7f;
        if (bytes == 0 || bytes > 4 || (size_t)(end - at) < bytes)
            return -1;
        size = 0;
        for (size_t i = 0; i < bytes; i++)
            size = (size << 8) | at[i];
        at += bytes;
    }
    if ((size_t)(end - at) < size)
        return -1;
    *content = at;
    *length = size;
    *p = at + size;
    return 0;
}

static int doctor_der_time(unsigned tag, const unsigned char *text, size_t length, time_t *out)
{
    char digits[20];
    int year_digits = tag == 0x17 ? 2 : 4;
    if ((tag != 0x17 && tag != 0x18) || length < (size_t)(year_digits + 11) || length >= sizeof digits)
        return -1;
    memcpy(digits, text, length);
    digits[length] = '\0';
    struct tm when;
    memset(&when, 0, sizeof when);
    int year = 0;
    for (int i = 0; i < year_digits; i++)
        year = year * 10 + (digits[i] - '0');
    if (tag == 0x17)
        year += year < 50 ? 2000 : 1900; /* RFC 5280 4.1.2.5.1 */
    const char *rest = digits + year_digits;
    when.tm_year = year - 1900;
    when.tm_mon = (rest[0] - '0') * 10 + (rest[1] - '0') - 1;
    when.tm_mday = (rest[2] - '0') * 10 + (rest[3] - '0');
    when.tm_hour = (rest[4] - '0') * 10 + (rest[5] - '0');
    when.tm_min = (rest[6] - '0') * 10 + (rest[7] - '0');
    when.tm_sec = (rest[8] - '0') * 10 + (rest[9] - '0');
    *out = timegm(&when);
    return 0;
}

int doctor_certificate_expiry(const char *pem_path, time_t *not_after, char *why, size_t why_size)
{
    size_t length = 0;
    char *pem = doctor_read_file(pem_path, DOCTOR_PEM_MAX, &length);
    unsigned char *der = NULL;
    int rc = -1;
    if (pem == NULL) {
        snprintf(why, why_size, "cannot read %s", pem_path);
        return -1;
    }
    const char *begin = strstr(pem, "-----BEGIN CERTIFICATE-----");
    const char *stop = begin ? strstr(begin, "-----END CERTIFICATE-----") : NULL;
    if (begin == NULL || stop == NULL) {
        snprintf(why, why_size, "%s holds no PEM certificate", pem_path);
        goto done;
    }
    begin += strlen("-----BEGIN CERTIFICATE-----");
    der = malloc(length);
    size_t der_length = 0;
    if (der == NULL || sodium_base642bin(der, length, begin, (size_t)(stop - begin), "\r\n \t", &der_length, NULL,
                                         sodium_base64_VARIANT_ORIGINAL) != 0) {
        snprintf(why, why_size, "%s: the certificate is not valid base64", pem_path);
        goto done;
    }
    /* Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version?, serial, signature,
     * issuer, validity SEQUENCE { notBefore, notAfter }, … }, … } */
    const unsigned char *p = der, *end = der + der_length, *content;
    size_t size;
    unsigned tag;
    if (doctor_der_next(&p, end, &tag, &content, &size) != 0 || tag != 0x30)
        goto bad;
    p = content;
    end = content + size;
    if (doctor_der_next(&p, end, &tag, &content, &size) != 0 || tag != 0x30)
        goto bad;
    p = content;
    end = content + size;
    if (doctor_der_next(&p, end, &tag, &content, &size) != 0)
        goto bad;
    if (tag == 0xa0 && doctor_der_next(&p, end, &tag, &content, &size) != 0) /* version, then serial */
        goto bad;
    for (int skip = 0; skip < 2; skip++) /* signature algorithm, issuer */
        if (doctor_der_next(&p, end, &tag, &content, &size) != 0)
            goto bad;
    if (doctor_der_next(&p, end, &tag, &content, &size) != 0 || tag != 0x30)
        goto bad;
    p = content;
    end = content + size;
    if (doctor_der_next(&p, end, &tag, &content, &size) != 0 ||    /* notBefore */
        doctor_der_next(&p, end, &tag, &content, &size) != 0 ||    /* notAfter */
        doctor_der_time(tag, content, size, not_after) != 0)
        goto bad;
    rc = 0;
    goto done;
bad:
    snprintf(why, why_size, "%s: cannot read the certificate's validity", pem_path);
done:
    free(der);
    free(pem);
    return rc;
}

static enum MHD_Result doctor_refuse(void *cls, struct MHD_Connection *connection, const char *url,
                                     const char *method, const char *version, const char *upload_data,
                                     size_t *upload_data_size, void **con_cls)
{
    (void)cls, (void)connection, (void)url, (void)method, (void)version, (void)upload_data;
    (void)upload_data_size, (void)con_cls;
    return MHD_NO;
}

/* libmicrohttpd (GnuTLS) refuses to start with a key that does not belong to the
 * certificate: start it on an ephemeral loopback port and stop it at once. */
static int doctor_tls_pair_valid(const char *certificate, const char *key)
{
    struct sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    address.sin_port = 0;
    struct MHD_Daemon *daemon = MHD_start_daemon(MHD_USE_TLS | MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL,
                                                 doctor_refuse, NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&address,
                                                 MHD_OPTION_HTTPS_MEM_CERT, certificate, MHD_OPTION_HTTPS_MEM_KEY,
                                                 key, MHD_OPTION_END);
    if (daemon == NULL)
        return 0;
    MHD_stop_daemon(daemon);
    return 1;
}

static void doctor_tls(doctor *d)
{
    const alvd_config *config = &d->app->config;
    if (!config->tls_cert[0] && !config->tls_key[0]) {
        doctor_say(d, DOCTOR_OK, "tls", "not terminated by alvd (ALVD_TLS_CERT unset): a proxy in front does it");
        return;
    }
    if (!config->tls_cert[0] || !config->tls_key[0]) {
        doctor_say(d, DOCTOR_FAIL, "tls", "only one of ALVD_TLS_CERT and ALVD_TLS_KEY is set: set both or neither");
        return;
    }
    struct stat key_info;
    char *certificate = doctor_read_file(config->tls_cert, DOCTOR_PEM_MAX, NULL);
    char *key = doctor_read_file(config->tls_key, DOCTOR_PEM_MAX, NULL);
    if (certificate == NULL || key == NULL) {
        doctor_say(d, DOCTOR_FAIL, "tls", "cannot read %s: the service user must be able to read both files",
                   certificate == NULL ? config->tls_cert : config->tls_key);
    } else if (!doctor_tls_pair_valid(certificate, key)) {
        doctor_say(d, DOCTOR_FAIL, "tls", "%s and %s are not a PEM certificate with its own private key",
                   config->tls_cert, config->tls_key);
    } else {
        time_t not_after = 0;
        char why[300];
        long long days = 0;
        if (doctor_certificate_expiry(config->tls_cert, &not_after, why, sizeof why) != 0) {
            doctor_say(d, DOCTOR_WARN, "tls", "%s", why);
        } else if ((days = (long long)not_after - (long long)time(NULL)) < 0) {
            doctor_say(d, DOCTOR_FAIL, "tls", "the certificate %s has expired: renew it", config->tls_cert);
        } else {
            days = (days + 86399) / 86400; /* whole days left, counting today's part */
            doctor_say(d, days < DOCTOR_CERTIFICATE_WARN_DAYS ? DOCTOR_WARN : DOCTOR_OK, "tls",
                       "certificate and key match; the certificate is valid for %lld more day(s)%s", days,
                       days < DOCTOR_CERTIFICATE_WARN_DAYS ? ": renew it soon" : "");
        }
        if (stat(config->tls_key, &key_info) == 0 && (key_info.st_mode & 0007))
            doctor_say(d, DOCTOR_FAIL, "tls", "the private key %s is readable by every user: chmod 0640 (group of "
                       "the service) or 0600", config->tls_key);
    }
    if (key)
        sodium_memzero(key, strlen(key));
    free(certificate);
    free(key);
}

/* ---- database ---- */

static void doctor_galera(doctor *d, store_conn *conn)
{
    store_galera_status galera;
    store_server_galera(conn, &galera);
    if (!galera.available) {
        doctor_say(d, DOCTOR_OK, "galera", "not available on this server");
        return;
    }
    if (!galera.on) {
        doctor_say(d, DOCTOR_OK, "galera", "not in use (wsrep_on is OFF)");
        return;
    }
    if (!galera.readable) {
        doctor_say(d, DOCTOR_WARN, "galera", "wsrep is on but its status cannot be read");
        return;
    }
    if (strcmp(galera.ready, "ON") != 0 || strcmp(galera.state, "Synced") != 0 || strcmp(galera.cluster, "Primary") != 0)
        doctor_say(d, DOCTOR_FAIL, "galera",
                   "this node is not ready (ready=%s, state=%s, cluster=%s): point alvd at a synced node or wait "
                   "until this one has joined", galera.ready, galera.state, galera.cluster);
    else
        doctor_say(d, galera.size < 3 ? DOCTOR_WARN : DOCTOR_OK, "galera", "node synced in a primary cluster of %lld%s",
                   galera.size, galera.size < 3 ? ": fewer than 3 nodes cannot lose one and keep a majority" : "");
}

static void doctor_clock(doctor *d, store_conn *conn)
{
    alvd_err err;
    alvd_err_clear(&err);
    double database = 0;
    if (store_server_clock(conn, &database, &err) != 0)
        return;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    /* UNIX_TIMESTAMP of a UTC value reads it in the session time zone, which alvd sets
     * to +00:00, so this is the database's clock as a Unix time. */
    double skew = database - ((double)now.tv_sec + (double)now.tv_nsec / 1e9);
    rules_local_time wall;
    rules_amsterdam_local((int64_t)now.tv_sec, &wall);
    int year = 0, month = 0, mday = 0;
    rules_day_to_ymd(wall.day, &year, &month, &mday);
    char today[16];
    snprintf(today, sizeof today, "%04d-%02d-%02d", year, month, mday);
    if (skew > DOCTOR_CLOCK_SKEW_SECONDS || skew < -DOCTOR_CLOCK_SKEW_SECONDS)
        doctor_say(d, DOCTOR_FAIL, "time",
                   "this machine's clock and the database's differ by %.1f s: session expiry and deadlines use "
                   "both; synchronise both with NTP (systemd-timesyncd or chrony)", skew);
    else
        doctor_say(d, DOCTOR_OK, "time",
                   "clocks agree within %.1f s; today in Europe/Amsterdam is %s, %02d:%02d (UTC%+d); the database "
                   "session runs in UTC", skew < 0 ? -skew : skew, today, wall.hour, wall.minute,
                   wall.offset_seconds / 3600);
}

static void doctor_database(doctor *d)
{
    const store_config *db = &d->app->config.database;
    alvd_err err;
    alvd_err_clear(&err);
    store_conn *conn = store_pool_acquire(d->app->pool, &err);
    char where[400];
    if (db->socket[0])
        snprintf(where, sizeof where, "socket %s", db->socket);
    else
        snprintf(where, sizeof where, "%s:%u", db->host[0] ? db->host : "127.0.0.1", db->port ? db->port : 3306);
    if (conn == NULL) {
        doctor_say(d, DOCTOR_FAIL, "database",
                   "cannot connect to database %s as %s over %s (%s): is MariaDB running, and were the accounts "
                   "made (`alvd setup-db`) with the password in ALVD_DB_PASSWORD_FILE?",
                   db->database, db->user, where,
                   strcmp(err.code, "database_access_denied") == 0 ? "signed in, but no right on the database: "
                                                                    "run `alvd migrate`"
                                                                  : "see the warning above");
        return;
    }
    char version[128];
    if (store_server_version(conn, version, sizeof version, &err) == 0)
        doctor_say(d, DOCTOR_OK, "database", "MariaDB %s, database %s as %s over %s", version, db->database,
                   db->user, where);
    privileges_report report;
    if (privileges_check(conn, 1, &report, &err) != 0) {
        doctor_say(d, DOCTOR_FAIL, "database rights", "cannot check the account's rights: %s", err.message);
    } else if (report.is_root) {
        doctor_say(d, DOCTOR_FAIL, "database rights",
                   "alvd connects as MariaDB root (%s), which can rewrite the audit chain: run `alvd setup-db`, set "
                   "ALVD_DB_USER and ALVD_DB_PASSWORD_FILE to the service account", report.account);
    } else if (report.writable_audit[0] || report.ddl[0]) {
        doctor_say(d, DOCTOR_FAIL, "database rights",
                   "%s may %s%s%s%s: run `alvd setup-db` (strips rights granted by hand) and `alvd migrate`",
                   report.account, report.writable_audit[0] ? report.writable_audit : "",
                   report.writable_audit[0] && report.ddl[0] ? " and run DDL (" : "",
                   !report.writable_audit[0] && report.ddl[0] ? "run DDL (" : "",
                   report.ddl[0] ? report.ddl : "");
        if (report.ddl[0])
            fprintf(d->out, "%24s(DDL rights found: %s)\n", "", report.ddl);
    } else if (report.protected_tables == 0) {
        doctor_say(d, DOCTOR_FAIL, "database rights",
                   "%s sees no audit table: the schema is missing or the role has no rights yet — run `alvd migrate`",
                   report.account);
    } else {
        doctor_say(d, DOCTOR_OK, "database rights",
                   "%s (role %s): no UPDATE or DELETE on the %d append-only and read-only tables (the audit chain, schema_migrations), no DDL", report.account,
                   report.role[0] ? report.role : "none", report.protected_tables);
    }
    doctor_galera(d, conn);
    doctor_clock(d, conn);
    store_pool_release(d->app->pool, conn);

    int pending = 0;
    if (store_migrate(d->app->pool, d->app->config.migrations_dir, 0, &pending, NULL, &err) != 0)
        doctor_say(d, DOCTOR_FAIL, "migrations", "%s", err.message);
    else if (pending > 0)
        doctor_say(d, DOCTOR_FAIL, "migrations",
                   "%d migration(s) pending: run `alvd migrate` (as root, with the migration account), then "
                   "restart alvd", pending);
    else
        doctor_say(d, DOCTOR_OK, "migrations", "database schema up to date with %s", d->app->config.migrations_dir);
}

static void doctor_migration_account(doctor *d)
{
    const store_config *db = &d->app->config.database;
    if (!store_config_has_migration_account(db)) {
        doctor_say(d, DOCTOR_WARN, "migration account",
                   "ALVD_DB_MIGRATE_USER is not set: migrations run as the service account, which then needs DDL; "
                   "make the two accounts with `alvd setup-db`");
        return;
    }
    if (!db->migrate_password[0] && db->migrate_password_file[0] && access(db->migrate_password_file, R_OK) != 0) {
        doctor_say(d, DOCTOR_OK, "migration account",
                   "%s (its password file %s is not readable by this user, as it should be for the service; run "
                   "doctor as root to check it)", db->migrate_user, db->migrate_password_file);
        return;
    }
    alvd_err err;
    alvd_err_clear(&err);
    store_conn *conn = store_conn_open_migration(d->app->pool, &err);
    if (conn == NULL) {
        doctor_say(d, DOCTOR_FAIL, "migration account",
                   "cannot connect as %s: run `alvd setup-db` (it sets the password from "
                   "ALVD_DB_MIGRATE_PASSWORD_FILE)", db->migrate_user);
        return;
    }
    if (store_may_create_tables(conn, &err))
        doctor_say(d, DOCTOR_OK, "migration account", "%s can change the schema", db->migrate_user);
    else
        doctor_say(d, DOCTOR_FAIL, "migration account",
                   "%s may not create tables in %s: run `alvd setup-db`", db->migrate_user, db->database);
    store_conn_close(conn);
}

/* ---- mail ---- */

static void doctor_smtp(doctor *d)
{
    const alvd_config *config = &d->app->config;
    if (!config->smtp_url[0]) {
        doctor_say(d, DOCTOR_WARN, "mail",
                   "no relay (ALVD_SMTP_URL unset): mail is only written to %s/outbox/*.eml; set ALVD_SMTP_URL="
                   "smtp://relay:25 (docs/operations.md, SMTP relay)", config->data_dir);
        return;
    }
    CURL *curl = curl_easy_init();
    if (curl == NULL)
        return;
    char error_text[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(curl, CURLOPT_URL, config->smtp_url);
    curl_easy_setopt(curl, CURLOPT_CONNECT_ONLY, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 20L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_text);
    CURLcode code = curl_easy_perform(curl);
    curl_easy_cleanup(curl);
    if (code != CURLE_OK)
        doctor_say(d, DOCTOR_FAIL, "mail",
                   "the relay %s does not answer (%s): check the address, the firewall, and that the relay accepts "
                   "mail from this machine", config->smtp_url, error_text[0] ? error_text : curl_easy_strerror(code));
    else
        doctor_say(d, DOCTOR_OK, "mail", "the relay %s answers (greeting and EHLO); sender %s", config->smtp_url,
                   config->mail_from);
}

int doctor_run(alvd_app *app, FILE *out)
{
    doctor d = {app, out, 0, 0};
    fprintf(out, "alvd %s doctor\n", ALVD_VERSION);
    doctor_configuration(&d);
    doctor_data_dir(&d);
    doctor_directory(&d, "web files", app->config.web_dir, "index.html");
    doctor_directory(&d, "migrations", app->config.migrations_dir, "0001_foundation.sql");
    doctor_keys(&d);
    doctor_tls(&d);
    doctor_database(&d);
    doctor_migration_account(&d);
    doctor_smtp(&d);
    if (!app->config.metrics_token[0])
        doctor_say(&d, DOCTOR_OK, "metrics", "GET /metrics answers loopback only (ALVD_METRICS_TOKEN unset)");
    else
        doctor_say(&d, DOCTOR_OK, "metrics", "GET /metrics answers loopback and the bearer token");
    fprintf(out, "%d problem(s), %d warning(s)\n", d.failures, d.warnings);
    return d.failures;
}
