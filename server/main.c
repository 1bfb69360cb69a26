/* alvd's entry point: wiring only. Reads the configuration, opens the database pool and
 * runs one subcommand: serve, migrate, demo, user add or audit verify. */
#include <signal.h>
#include <sys/resource.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>

#include <curl/curl.h>
#include <mysql.h>

#include "alvd/api/audit.h"
#include "alvd/api/meldpunt.h"
#include "alvd/api/events.h"
#include "alvd/api/minutes.h"
#include "alvd/api/polls.h"
#include "alvd/api/remote.h"
#include "alvd/api/session.h"
#include "alvd/http/limiter.h"
#include "alvd/base/app.h"
#include "alvd/base/log.h"
#include "alvd/crypto/audit.h"
#include "alvd/crypto/audit_checkpoint.h"
#include "alvd/crypto/audit_sequencer.h"
#include "alvd/crypto/keyfile.h"
#include "alvd/demo/demo.h"
#include "alvd/http/auth.h"
#include "alvd/http/input.h"
#include "alvd/http/routes.h"
#include "alvd/http/server.h"
#include "alvd/mail/outbox.h"
#include "alvd/mail/periodic.h"
#include "alvd/service/consultations.h"
#include "alvd/store/db.h"
#include "alvd/store/privileges.h"
#include "alvd/ops/backup.h"
#include "alvd/ops/doctor.h"
#include "alvd/ops/setup_db.h"
#include "alvd/service/events.h"
#include "alvd/service/minutes.h"
#include "alvd/service/audit.h"
#include "alvd/service/totp.h"
#include "alvd/service/remote.h"

#ifndef ALVD_ENVIRONMENT_FILE
#define ALVD_ENVIRONMENT_FILE "" /* the source tree reads no file; the package /etc/alvd/alvd.env */
#endif

static int usage(void)
{
    fprintf(stderr,
            "usage: alvd serve [--migrate]\n"
            "       alvd migrate\n"
            "       alvd setup-db [--admin-user NAME] [--account-host HOST]   (as a MariaDB administrator)\n"
            "       alvd doctor\n"
            "       alvd backup DIR | alvd restore DIR\n"
            "       alvd demo\n"
            "       alvd user add --email E --name N --role R[,R…] [--password-stdin]\n"
            "       alvd audit verify [--checkpoint FILE]\n"
            "       alvd audit checkpoint\n"
            "       alvd user totp-reset --email E   (forget a lost second factor)\n"
            "       alvd session add --kind member|contact --organisation N [--meeting M] [--contact C]\n"
            "       alvd routes   (the route table as JSON, for the authorisation test)\n"
            "configuration: see docs/operations.md (ALVD_LISTEN, ALVD_DB_SOCKET, …)\n");
    return 2;
}

/* After the SQL migrations: a chain from before keys/audit.key gets its MACs (once). */
static int migrate_seal_audit(alvd_app *app, const char *command)
{
    alvd_err err;
    long long sealed = 0;
    alvd_err_clear(&err);
    if (audit_seal(app->pool, app->config.data_dir, &sealed, &err) != 0) {
        fprintf(stderr, "alvd %s: %s\n", command, err.message);
        return -1;
    }
    if (sealed >= 0)
        printf("audit: %lld existing entries authenticated with the new key %s/keys/%s\n", sealed,
               app->config.data_dir, AUDIT_KEY_FILE);
    return 0;
}

/* Every command that appends to the audit chain needs its key (never in the database). */
static int load_audit_key(alvd_app *app, const char *command)
{
    alvd_err err;
    alvd_err_clear(&err);
    if (audit_key_load(app->config.data_dir, app->audit_key, &err) != 0) {
        fprintf(stderr, "alvd %s: %s\n", command, err.message);
        return -1;
    }
    app->audit_key_loaded = 1;
    return 0;
}

static int command_migrate(alvd_app *app)
{
    alvd_err err;
    int pending = 0, applied = 0;
    alvd_err_clear(&err);
    if (store_migrate(app->pool, app->config.migrations_dir, 1, &pending, &applied, &err) != 0) {
        fprintf(stderr, "alvd migrate: %s\n", err.message);
        return 1;
    }
    printf("migrations: %d applied, database up to date\n", applied);
    return migrate_seal_audit(app, "migrate") == 0 ? 0 : 1;
}

/* A hall of phones plus projector streams needs far more than the usual 1,024 open
 * files: raise the soft limit to what the hard limit allows (above the connection limit). */
static void serve_raise_file_limit(void)
{
    struct rlimit limit;
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0)
        return;
    rlim_t wanted = HTTP_CONNECTION_LIMIT + 1024;
    if (limit.rlim_cur < wanted) {
        limit.rlim_cur = limit.rlim_max < wanted ? limit.rlim_max : wanted;
        if (setrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur < wanted)
            log_warn("open-file limit is %llu; fewer than %d connections can be served",
                     (unsigned long long)limit.rlim_cur, HTTP_CONNECTION_LIMIT);
    }
}

/* What `serve` runs beside the HTTP server; every member may be NULL (not started). */
typedef struct serve_services {
    polls_vote_writer *votes;        /* group-commit writer of the vote endpoint */
    http_server *server;
    periodic_worker *mail;           /* outbox delivery */
    periodic_worker *reminders;      /* consultation "round closes soon" mails */
    periodic_worker *meldpunt_jobs;  /* meldpunt reminders and retention */
    periodic_worker *checkpoints;    /* signed checkpoints of the audit head */
    periodic_worker *remote;         /* check-out of remote members whose page went silent */
    audit_sequencer *sequencer;      /* chains committed audit entries, numbers events (lease) */
} serve_services;

static void serve_poke_sequencer(void *sequencer)
{
    audit_sequencer_poke(sequencer);
}

/* Start in dependency order: the event pump and the vote writer exist before the
 * server (handlers reach them through app), the pump's thread starts after it. */
static int serve_start(alvd_app *app, serve_services *services, alvd_err *err)
{
    app->events_pump = service_events_pump_create(app, err);
    if (app->events_pump == NULL ||
        (services->sequencer = audit_sequencer_start(app, service_events_pump_wake, app->events_pump, err)) == NULL)
        return -1;
    store_pool_set_commit_hook(app->pool, serve_poke_sequencer, services->sequencer);
    if ((services->votes = polls_vote_writer_start(app, err)) == NULL)
        return -1;
    app->meldpunt_limiter = http_limiter_create(MELDPUNT_LIMIT_WINDOW_SECONDS, MELDPUNT_LIMIT_SUBJECTS);
    if (app->meldpunt_limiter == NULL)
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Out of memory for the meldpunt rate limiter.");
    app->vote_batcher = polls_vote_writer_batcher(services->votes);
    if ((services->server = http_server_start(app, err)) == NULL ||
        service_events_pump_start(app->events_pump, services->server, err) != 0 ||
        (services->mail = periodic_worker_start(app, "mail delivery", outbox_deliver_job, 0,
                                                OUTBOX_DELIVERY_INTERVAL_SECONDS, err)) == NULL ||
        (services->reminders = periodic_worker_start(app, "consultation reminders", service_consultations_reminder_job, 0,
                                                     SERVICE_CONSULTATIONS_REMINDER_INTERVAL_SECONDS, err)) == NULL ||
        (services->meldpunt_jobs = periodic_worker_start(app, "meldpunt jobs", service_meldpunt_jobs_periodic,
                                                         MELDPUNT_JOB_FIRST_SECONDS, MELDPUNT_JOB_INTERVAL_SECONDS,
                                                         err)) == NULL ||
        (services->remote = periodic_worker_start(app, "remote presence", service_remote_sweep_job, 0,
                                                  REMOTE_SWEEP_INTERVAL_SECONDS, err)) == NULL)
        return -1;
    int every = (int)app->config.audit_checkpoint_minutes * 60;
    if (every > 0 &&
        (services->checkpoints = periodic_worker_start(app, "audit checkpoints", service_audit_checkpoint_job, every, every,
                                                       err)) == NULL)
        return -1;
    return 0;
}

/* Stop in reverse: the pump's thread first (it wakes the server's streams), then the
 * server (requests in flight finish), then the vote writer (votes still queued are
 * written and answered), then the rest. Safe on a partly started set. */
static void serve_stop(alvd_app *app, serve_services *services)
{
    if (app->events_pump)
        service_events_pump_halt(app->events_pump);
    http_server_stop(services->server);
    periodic_worker_stop(services->meldpunt_jobs);
    periodic_worker_stop(services->remote);
    periodic_worker_stop(services->checkpoints);
    periodic_worker_stop(services->reminders);
    polls_vote_writer_stop(services->votes);
    app->vote_batcher = NULL;
    /* After every writer above: what they committed is chained before the lease goes. */
    store_pool_set_commit_hook(app->pool, NULL, NULL);
    audit_sequencer_stop(services->sequencer);
    if (app->events_pump)
        service_events_pump_stop(app->events_pump);
    app->events_pump = NULL;
    periodic_worker_stop(services->mail);
    http_limiter_destroy(app->meldpunt_limiter);
    app->meldpunt_limiter = NULL;
    memset(services, 0, sizeof *services);
}

static int command_serve(alvd_app *app, int migrate)
{
    serve_raise_file_limit();
    alvd_err err;
    int pending = 0, applied = 0;
    alvd_err_clear(&err);
    if (keyfile_load_or_create(app->config.data_dir, "rate-limit.key", app->rate_key, sizeof app->rate_key, NULL,
                               NULL, &err) != 0) {
        fprintf(stderr, "alvd serve: %s\n", err.message);
        return 1;
    }
    if (store_migrate(app->pool, app->config.migrations_dir, migrate || app->config.auto_migrate,
                      &pending, &applied, &err) != 0) {
        fprintf(stderr, "alvd serve: %s\n", err.message);
        return 1;
    }
    if (pending > 0) {
        fprintf(stderr,
                "alvd serve: the database has %d pending migration(s); run `alvd migrate` "
                "or start with `alvd serve --migrate`.\n", pending);
        return 1;
    }
    if (((migrate || app->config.auto_migrate) && migrate_seal_audit(app, "serve") != 0) ||
        load_audit_key(app, "serve") != 0)
        return 1;
    privileges_warn_at_start(app->pool);
    /* Signals are taken by this thread alone (sigwait), so every thread the server
     * starts inherits a mask that blocks them. */
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGTERM);
    sigaddset(&signals, SIGINT);
    pthread_sigmask(SIG_BLOCK, &signals, NULL);
    serve_services services = {0};
    if (serve_start(app, &services, &err) != 0) {
        fprintf(stderr, "alvd serve: %s\n", err.message);
        serve_stop(app, &services);
        return 1;
    }
    log_info("alvd %s listening on %s:%u (%s)", ALVD_VERSION, app->config.listen_host,
             app->config.listen_port, app->config.public_url);
    int received = 0;
    sigwait(&signals, &received);
    log_info("signal %d: stopping (finishing requests in flight)", received);
    serve_stop(app, &services);
    log_info("stopped");
    return 0;
}

static int command_setup_db(alvd_app *app, int argc, char **argv)
{
    setup_db_options options = {NULL, getenv("ALVD_DB_ADMIN_PASSWORD"), NULL};
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--admin-user") == 0 && i + 1 < argc)
            options.admin_user = argv[++i];
        else if (strcmp(argv[i], "--account-host") == 0 && i + 1 < argc)
            options.account_host = argv[++i];
        else
            return usage();
    }
    alvd_err err;
    alvd_err_clear(&err);
    if (setup_db_run(&app->config, &options, stdout, &err) != 0) {
        fprintf(stderr, "alvd setup-db: %s\n", err.message);
        return 1;
    }
    return 0;
}

static int command_backup_restore(alvd_app *app, const char *command, const char *dir)
{
    alvd_err err;
    alvd_err_clear(&err);
    int backup = strcmp(command, "backup") == 0;
    if ((backup ? backup_run(app, dir, stdout, &err) : restore_run(app, dir, stdout, &err)) != 0) {
        fprintf(stderr, "alvd %s: %s\n", command, err.message);
        return 1;
    }
    return 0;
}

static int command_demo(alvd_app *app)
{
    alvd_err err;
    alvd_err_clear(&err);
    if (load_audit_key(app, "demo") != 0)
        return 1;
    if (demo_load(app, stdout, &err) != 0) {
        fprintf(stderr, "alvd demo: %s\n", err.message);
        return 1;
    }
    return 0;
}

static int command_user_add(alvd_app *app, int argc, char **argv)
{
    const char *email = NULL, *name = NULL, *role = NULL;
    int from_stdin = 0;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--email") == 0 && i + 1 < argc)
            email = argv[++i];
        else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
            name = argv[++i];
        else if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
            role = argv[++i];
        else if (strcmp(argv[i], "--password-stdin") == 0)
            from_stdin = 1;
        else
            return usage();
    }
    if (email == NULL || name == NULL || role == NULL)
        return usage();
    if (load_audit_key(app, "user add") != 0)
        return 1;
    char password[300] = "";
    if (from_stdin) {
        if (fgets(password, sizeof password, stdin) == NULL) {
            fprintf(stderr, "alvd user add: no password on standard input\n");
            return 1;
        }
        password[strcspn(password, "\r\n")] = '\0';
    } else {
        unsigned char random[12];
        randombytes_buf(random, sizeof random);
        sodium_bin2base64(password, sizeof password, random, sizeof random,
                          sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    }
    alvd_err err;
    alvd_err_clear(&err);
    store_conn *conn = store_pool_acquire(app->pool, &err);
    long long id = 0;
    int rc = conn ? demo_user_upsert(conn, email, name, role, password, &id, &err) : -1;
    store_pool_release(app->pool, conn);
    if (rc != 0) {
        fprintf(stderr, "alvd user add: %s\n", err.message);
        sodium_memzero(password, sizeof password);
        return 1;
    }
    printf("user %lld: %s (%s)\n", id, email, role);
    if (!from_stdin)
        printf("password: %s\n", password);
    sodium_memzero(password, sizeof password);
    return 0;
}

/* A lost phone and lost recovery codes: the user enrols again at the next login. */
static int command_user_totp_reset(alvd_app *app, int argc, char **argv)
{
    if (argc != 2 || strcmp(argv[0], "--email") != 0)
        return usage();
    if (load_audit_key(app, "user totp-reset") != 0) /* the reset is audited */
        return 1;
    alvd_err err;
    alvd_err_clear(&err);
    long long id = 0;
    store_conn *conn = store_pool_acquire(app->pool, &err);
    int rc = conn ? service_totp_reset(conn, argv[1], &id, &err) : -1;
    store_pool_release(app->pool, conn);
    if (rc != 0) {
        fprintf(stderr, "alvd user totp-reset: %s\n", err.message);
        return 1;
    }
    printf("user %lld: second factor and recovery codes removed, sessions ended; "
           "the next login sets up a new one\n", id);
    return 0;
}

/* Issue a member or contact session by hand (support desk, tests): prints the token. */
static int command_session_add(alvd_app *app, int argc, char **argv)
{
    auth_session_subject subject = {0};
    const char *kind = NULL;
    for (int i = 0; i + 1 < argc; i += 2) {
        long long value = 0;
        if (strcmp(argv[i], "--kind") == 0) {
            kind = argv[i + 1];
            continue;
        }
        if (input_id_text(argv[i + 1], &value) != 0)
            return usage();
        if (strcmp(argv[i], "--organisation") == 0)
            subject.organisation_id = value;
        else if (strcmp(argv[i], "--meeting") == 0)
            subject.meeting_id = value;
        else if (strcmp(argv[i], "--contact") == 0)
            subject.contact_id = value;
        else
            return usage();
    }
    if (kind == NULL || subject.organisation_id == 0)
        return usage();
    if (load_audit_key(app, "session add") != 0)
        return 1;
    if (strcmp(kind, "member") == 0)
        subject.kind = AUTH_KIND_MEMBER;
    else if (strcmp(kind, "contact") == 0)
        subject.kind = AUTH_KIND_CONTACT;
    else
        return usage();
    alvd_err err;
    alvd_err_clear(&err);
    char token[TOKEN_TEXT_SIZE], csrf[TOKEN_TEXT_SIZE];
    store_conn *conn = store_pool_acquire(app->pool, &err);
    audit_actor system = {"system", 0, "alvd session add"};
    int rc = conn ? auth_session_create(conn, &subject, token, csrf, &err) : -1;
    if (rc == 0)
        rc = audit_append(conn, &err, &system, "session.issued", kind, subject.organisation_id, NULL);
    store_pool_release(app->pool, conn);
    if (rc != 0) {
        fprintf(stderr, "alvd session add: %s\n", err.message);
        return 1;
    }
    printf("%s\n", token);
    return 0;
}

/* Read a checkpoint kept elsewhere (a saved mail or its text) for --checkpoint. */
static char *read_small_file(const char *path)
{
    FILE *file = fopen(path, "re");
    if (file == NULL)
        return NULL;
    size_t size = 256 * 1024;
    char *text = malloc(size + 1);
    size_t length = text ? fread(text, 1, size, file) : 0;
    fclose(file);
    if (text)
        text[length] = '\0';
    return text;
}

static int command_audit_verify(alvd_app *app, int argc, char **argv)
{
    const char *checkpoint_file = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--checkpoint") == 0 && i + 1 < argc)
            checkpoint_file = argv[++i];
        else
            return usage();
    }
    alvd_err err;
    alvd_err_clear(&err);
    audit_checkpoint_keys keys;
    long long checked = 0, bad = 0, decisions = 0, checkpoints = 0;
    if (audit_key_load(app->config.data_dir, app->audit_key, &err) != 0) {
        printf("audit: FAILED: %s\n", err.message);
        return 1;
    }
    app->audit_key_loaded = 1;
    /* What committed just now is chained first (by this command when no alvd holds the
     * sequencer's lease); what is still waiting then is reported as pending. */
    long long left = 0, pending = 0;
    if (audit_sequencer_drain(app, AUDIT_SEQUENCER_LEASE_SECONDS + 2, &left, &err) != 0)
        alvd_err_clear(&err); /* verify below says what is wrong with the database */
    store_conn *conn = store_pool_acquire(app->pool, &err);
    int rc = conn ? audit_verify(conn, app->audit_key, &checked, &pending, &bad, &err) : -1;
    if (rc != 0) {
        store_pool_release(app->pool, conn);
        printf("audit: %lld entries checked; FAILED: %s\n", checked, err.message);
        return 1;
    }
    printf("audit: %lld entries checked, chain intact (authenticated with keys/%s)\n", checked, AUDIT_KEY_FILE);
    if (pending > 0)
        printf("audit: %lld committed entr%s pending, not chained yet (younger than %d s; the sequencer chains them)\n",
               pending, pending == 1 ? "y" : "ies", AUDIT_PENDING_BOUND_SECONDS);
    /* Signed checkpoints: every one in the data directory, or the one given (a copy
     * kept outside the system catches even a rewrite made with the audit key). */
    rc = audit_checkpoint_keys_load(app->config.data_dir, 0, &keys, &err);
    if (rc == 0 && checkpoint_file) {
        char *text = read_small_file(checkpoint_file);
        rc = text ? audit_checkpoint_check(conn, keys.public_key, text, &bad, &err)
                  : alvd_err_set(&err, 404, "no_file", NULL, "Cannot read %s.", checkpoint_file);
        free(text);
        checkpoints = rc == 0;
    } else if (rc == 0) {
        rc = audit_checkpoints_verify(conn, app->config.data_dir, keys.public_key, &checkpoints, &bad, &err);
    } else if (strcmp(err.code, "no_key") == 0 && checkpoint_file == NULL) {
        rc = 0; /* no checkpoint was ever signed here */
    }
    audit_checkpoint_keys_wipe(&keys);
    if (rc != 0) {
        store_pool_release(app->pool, conn);
        printf("checkpoints: %lld match the chain; FAILED: %s\n", checkpoints, err.message);
        return 1;
    }
    printf("checkpoints: %lld signed checkpoint%s match the chain\n", checkpoints, checkpoints == 1 ? "" : "s");
    /* The signed decision records of the minutes (issue 6). */
    rc = service_minutes_verify(conn, app->config.data_dir, &decisions, &err);
    store_pool_release(app->pool, conn);
    if (rc != 0) {
        printf("decisions: %lld signatures valid; FAILED: %s\n", decisions, err.message);
        return 1;
    }
    printf("decisions: %lld signatures valid\n", decisions);
    return 0;
}

static int command_audit_checkpoint(alvd_app *app)
{
    alvd_err err;
    long long entry = 0;
    alvd_err_clear(&err);
    store_conn *conn = store_pool_acquire(app->pool, &err);
    int rc = conn ? service_audit_checkpoint_now(app, conn, &entry, &err) : -1;
    store_pool_release(app->pool, conn);
    if (rc < 0) {
        fprintf(stderr, "alvd audit checkpoint: %s\n", err.message);
        return 1;
    }
    if (rc == 0)
        printf("audit: the head already has a checkpoint (or the chain is empty)\n");
    else
        printf("audit: checkpoint of entry %lld written to %s/%s/%012lld.txt%s\n", entry, app->config.data_dir,
               AUDIT_CHECKPOINT_DIR, entry, app->config.audit_checkpoint_mail[0] ? " and queued as a mail" : "");
    return 0;
}

/* Print the route table so tests can check every route against the expected table. */
static int command_routes(void)
{
    size_t count = 0;
    const http_route *table = routes_table(&count);
    json_t *list = json_array();
    for (size_t i = 0; i < count; i++) {
        json_t *roles = json_array();
        if (table[i].roles & AUTH_ANYONE)
            json_array_append_new(roles, json_string("anyone"));
        for (unsigned bit = AUTH_ADMIN; bit <= AUTH_ENROLLING; bit <<= 1)
            if (table[i].roles & bit)
                json_array_append_new(roles, json_string(auth_role_name(bit)));
        json_t *fields = NULL;
        if (table[i].fields) {
            fields = json_array();
            for (size_t f = 0; table[i].fields[f]; f++)
                json_array_append_new(fields, json_string(table[i].fields[f]));
        }
        json_array_append_new(list, json_pack("{s:s, s:s, s:o, s:b, s:s?, s:o?}", "method", table[i].method,
                                              "pattern", table[i].pattern, "roles", roles, "page",
                                              (table[i].flags & ROUTE_PAGE) != 0, "content_type",
                                              table[i].content_type, "fields", fields));
    }
    char *text = json_dumps(list, JSON_INDENT(1));
    json_decref(list);
    if (text == NULL)
        return 1;
    printf("%s\n", text);
    free(text);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return usage();
    if (strcmp(argv[1], "routes") == 0)
        return command_routes();
    signal(SIGPIPE, SIG_IGN);
    if (sodium_init() < 0 || mysql_library_init(0, NULL, NULL) != 0 ||
        curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
        fprintf(stderr, "alvd: cannot initialise libsodium or the MariaDB client\n");
        return 1;
    }
    alvd_app app;
    alvd_err err;
    memset(&app, 0, sizeof app);
    alvd_err_clear(&err);
    /* The package's binary reads /etc/alvd/alvd.env itself, so `alvd migrate` or
     * `alvd doctor` from a root shell sees what the unit sees (ALVD_ENV_FILE overrides). */
    const char *environment_file = getenv("ALVD_ENV_FILE") ? getenv("ALVD_ENV_FILE") : ALVD_ENVIRONMENT_FILE;
    if (environment_file[0] && access(environment_file, F_OK) == 0 && access(environment_file, R_OK) != 0)
        fprintf(stderr, "alvd: cannot read %s (run as root or as the alvd user); using the environment only\n",
                environment_file);
    if (environment_file[0] && config_load_environment_file(environment_file, &err) != 0) {
        fprintf(stderr, "alvd: %s\n", err.message);
        return 1;
    }
    if (config_from_environment(&app.config, &err) != 0) {
        fprintf(stderr, "alvd: %s\n", err.message);
        return 1;
    }
    app.pool = store_pool_create(&app.config.database, &err);
    if (app.pool == NULL) {
        fprintf(stderr, "alvd: %s\n", err.message);
        return 1;
    }
    store_pool_set_owner(app.pool, &app);
    int rc;
    if (strcmp(argv[1], "serve") == 0)
        rc = command_serve(&app, argc > 2 && strcmp(argv[2], "--migrate") == 0);
    else if (strcmp(argv[1], "migrate") == 0)
        rc = command_migrate(&app);
    else if (strcmp(argv[1], "setup-db") == 0)
        rc = command_setup_db(&app, argc - 2, argv + 2);
    else if (strcmp(argv[1], "doctor") == 0)
        rc = doctor_run(&app, stdout) == 0 ? 0 : 1;
    else if ((strcmp(argv[1], "backup") == 0 || strcmp(argv[1], "restore") == 0) && argc == 3)
        rc = command_backup_restore(&app, argv[1], argv[2]);
    else if (strcmp(argv[1], "demo") == 0)
        rc = command_demo(&app);
    else if (strcmp(argv[1], "user") == 0 && argc > 2 && strcmp(argv[2], "add") == 0)
        rc = command_user_add(&app, argc - 3, argv + 3);
    else if (strcmp(argv[1], "user") == 0 && argc > 2 && strcmp(argv[2], "totp-reset") == 0)
        rc = command_user_totp_reset(&app, argc - 3, argv + 3);
    else if (strcmp(argv[1], "session") == 0 && argc > 2 && strcmp(argv[2], "add") == 0)
        rc = command_session_add(&app, argc - 3, argv + 3);
    else if (strcmp(argv[1], "audit") == 0 && argc > 2 && strcmp(argv[2], "verify") == 0)
        rc = command_audit_verify(&app, argc - 3, argv + 3);
    else if (strcmp(argv[1], "audit") == 0 && argc > 2 && strcmp(argv[2], "checkpoint") == 0)
        rc = command_audit_checkpoint(&app);
    else
        rc = usage();
    if (app.audit_key_loaded && strcmp(argv[1], "serve") != 0) {
        /* A command that recorded audit entries chains them before it exits, or leaves
         * them to the alvd that holds the sequencer's lease (it chains within moments). */
        long long left = 0;
        alvd_err_clear(&err);
        if (audit_sequencer_drain(&app, AUDIT_SEQUENCER_LEASE_SECONDS + 2, &left, &err) != 0)
            fprintf(stderr, "alvd: the audit entries of this command are not chained yet (%s); a running alvd chains "
                            "them\n", err.message);
    }
    store_pool_destroy(app.pool);
    sodium_memzero(app.audit_key, sizeof app.audit_key);
    mysql_library_end();
    curl_global_cleanup();
    return rc;
}
