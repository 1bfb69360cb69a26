/* The audit sequencer: whoever holds the lease row chains committed audit entries and
 * numbers committed events, in short transactions fenced by that row (issue 17, point 3). */
#include "alvd/crypto/audit_sequencer.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "alvd/base/log.h"
#include "alvd/crypto/audit.h"
#include "alvd/store/audit_chain.h"
#include "alvd/store/db.h"
#include "alvd/store/events.h"

/* Every this many steps the holder also sweeps from the persisted floor, so an entry
 * whose id is below what it chained already (it committed late: AUTO_INCREMENT order is
 * not commit order, across Galera nodes or two transactions on one) is chained too. */
#define SEQUENCER_SWEEP_EVERY 10
/* The floor only passes entries older than any transaction alvd runs (serving
 * statements stop at 8 s, a 20,000-row import takes seconds); an entry behind it that
 * was never chained is left to verify, which names it. It bounds each sweep to the
 * entries of the last ten minutes. */
#define SEQUENCER_FLOOR_AGE_SECONDS 600

/* What a holder (or a would-be holder) knows; only ever in one thread. Losing it loses
 * nothing: the lease row, the chain and the events table are the truth. */
typedef struct sequencer_state {
    char holder[128];
    int holding;
    long long hot_cursor;  /* the highest pending id read while holding */
    double renew_at;       /* monotonic seconds: renew the lease before then */
    unsigned steps;
    long long refused_logged;
} sequencer_state;

struct audit_sequencer {
    const alvd_app *app;
    audit_sequencer_events_fn on_events;
    void *context;
    sequencer_state state;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int stopping;
    int poked;
    int running;
};

static double sequencer_monotonic(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

static void sequencer_state_init(sequencer_state *state, const char *role)
{
    char host[64] = "";
    memset(state, 0, sizeof *state);
    gethostname(host, sizeof host - 1);
    snprintf(state->holder, sizeof state->holder, "%s:%ld:%s:%08x", host, (long)getpid(), role,
             randombytes_random());
}

/* Take the lease when it is free or already ours (one short autocommitted UPDATE, tried
 * only after a plain read says it may succeed, so waiting processes write nothing).
 * Returns 1 when holding, 0 when another process holds it, -1 on a database error. */
static int sequencer_claim(store_conn *conn, sequencer_state *state, alvd_err *err)
{
    int available = 0, taken = 0;
    long long floor = 0;
    if (store_audit_sequencer_read(conn, state->holder, &available, &floor, err) != 0)
        return -1;
    if (available && store_audit_sequencer_take(conn, state->holder, AUDIT_SEQUENCER_LEASE_SECONDS, &taken, err) != 0)
        return -1;
    if (!available || !taken) {
        state->holding = 0;
        return 0;
    }
    if (!state->holding) {
        /* A new holder starts from the floor: everything above it not chained yet is
         * chained by its first steps, whatever the previous holder left. */
        state->hot_cursor = floor;
        state->steps = 0;
        log_info("audit sequencer: %s holds the lease", state->holder);
    }
    state->holding = 1;
    state->renew_at = sequencer_monotonic() + 1.0;
    return 1;
}

/* Number committed events that have no stream position yet, in id order, after the
 * highest position given. Rows are locked one by one by their primary key, so a
 * transaction inserting an event never waits for this one. */
static int sequencer_number_events(store_conn *conn, long long *numbered, int *more, alvd_err *err)
{
    store_result *rows = NULL;
    *numbered = 0;
    if (store_events_unnumbered(conn, AUDIT_SEQUENCER_BATCH, &rows, err) != 0)
        return -1;
    size_t count = store_result_rows(rows);
    long long seq = 0;
    int rc = count > 0 ? store_events_latest_seq(conn, &seq, err) : 0;
    for (size_t r = 0; r < count && rc == 0; r++) {
        int numbered_one = 0;
        rc = store_events_number(conn, store_result_int(rows, r, 0), seq + 1, &numbered_one, err);
        if (rc == 0 && numbered_one) {
            seq++;
            (*numbered)++;
        }
    }
    *more = count == AUDIT_SEQUENCER_BATCH;
    store_result_free(rows);
    return rc;
}

/* One step. When this process holds the lease and something committed is waiting: one
 * transaction that first renews the lease on condition that it is still ours (the
 * fence: a holder that lost it, paused past its expiry, changes nothing), then chains
 * entries and numbers events. Returns what it sequenced (0 also when not holding), -1 on
 * error; *events_numbered and *more tell the loop to wake the pump or step again. */
static long long sequencer_step(const alvd_app *app, store_conn *conn, sequencer_state *state, int sweep,
                                long long *events_numbered, int *more, alvd_err *err)
{
    *events_numbered = 0;
    *more = 0;
    if (!state->holding || sequencer_monotonic() >= state->renew_at) {
        int claimed = sequencer_claim(conn, state, err);
        if (claimed <= 0)
            return claimed;
    }
    if (!sweep) {
        /* The cheap look every poll: anything above what this holder read, or an event
         * without a position? Two index probes, no transaction. */
        int work = 0;
        if (store_audit_sequencer_has_work(conn, state->hot_cursor, &work, err) != 0)
            return -1;
        if (!work)
            return 0;
    }
    long long floor = 0;
    int renewed = 0;
    audit_chain_result chain;
    int events_more = 0;
    memset(&chain, 0, sizeof chain);
    if (store_begin(conn, err) != 0 ||
        store_audit_sequencer_renew(conn, state->holder, AUDIT_SEQUENCER_LEASE_SECONDS, &renewed, err) != 0)
        goto fail;
    if (!renewed) {
        store_rollback(conn);
        log_info("audit sequencer: %s lost the lease", state->holder);
        state->holding = 0;
        return 0;
    }
    if (sweep) {
        if (store_audit_sequencer_floor(conn, &floor, err) != 0)
            goto fail;
    }
    if (audit_chain_pending(conn, app->audit_key, sweep ? floor : state->hot_cursor, AUDIT_SEQUENCER_BATCH, &chain,
                            err) != 0 ||
        sequencer_number_events(conn, events_numbered, &events_more, err) != 0)
        goto fail;
    if (sweep) {
        /* Raise the floor past entries so old that no transaction can still commit one
         * below them, but never past one not chained. */
        long long raised = 0;
        if (store_audit_pending_settled(conn, floor, SEQUENCER_FLOOR_AGE_SECONDS, &raised, err) != 0)
            goto fail;
        if (chain.first_refused && raised >= chain.first_refused)
            raised = chain.first_refused - 1;
        if (chain.more && raised > chain.last_seen)
            raised = chain.last_seen;
        if (raised > floor && store_audit_sequencer_set_floor(conn, raised, err) != 0)
            goto fail;
    }
    if (store_commit(conn, err) != 0)
        goto fail;
    state->renew_at = sequencer_monotonic() + 1.0;
    if (chain.last_seen > state->hot_cursor)
        state->hot_cursor = chain.last_seen;
    if (chain.first_refused && chain.first_refused != state->refused_logged) {
        state->refused_logged = chain.first_refused;
        log_warn("audit sequencer: committed entry (pending %lld) has no valid MAC: not chained; `alvd audit verify` "
                 "will name it", chain.first_refused);
    }
    *more = chain.more || events_more;
    return chain.chained + *events_numbered;
fail:
    if (store_in_transaction(conn))
        store_rollback(conn);
    return -1;
}

/* Give the lease up so another process takes over at once (a clean stop). */
static void sequencer_release(store_conn *conn, sequencer_state *state)
{
    alvd_err err;
    alvd_err_clear(&err);
    if (state->holding)
        store_audit_sequencer_release(conn, state->holder, &err);
    state->holding = 0;
}

static void *sequencer_main(void *argument)
{
    audit_sequencer *sequencer = argument;
    double quiet_until = 0;
    pthread_mutex_lock(&sequencer->lock);
    while (!sequencer->stopping) {
        pthread_mutex_unlock(&sequencer->lock);
        alvd_err err;
        alvd_err_clear(&err);
        long long events = 0;
        int more = 0;
        store_conn *conn = store_pool_acquire(sequencer->app->pool, &err);
        long long done = -1;
        if (conn) {
            int sweep = sequencer->state.steps++ % SEQUENCER_SWEEP_EVERY == 0;
            done = sequencer_step(sequencer->app, conn, &sequencer->state, sweep, &events, &more, &err);
        }
        store_pool_release(sequencer->app->pool, conn);
        if (done < 0 && sequencer_monotonic() >= quiet_until) {
            /* A conflict or a lost connection: the next step tries again; say so at most
             * every 10 s. */
            log_warn("audit sequencer: %s", err.message);
            quiet_until = sequencer_monotonic() + 10;
        }
        if (events > 0 && sequencer->on_events)
            sequencer->on_events(sequencer->context);
        pthread_mutex_lock(&sequencer->lock);
        if (!sequencer->stopping && !sequencer->poked && !(more && done > 0)) {
            int wait_ms = sequencer->state.holding ? AUDIT_SEQUENCER_POLL_MS : AUDIT_SEQUENCER_IDLE_MS;
            struct timespec until;
            clock_gettime(CLOCK_REALTIME, &until);
            until.tv_nsec += (long)wait_ms * 1000000L;
            until.tv_sec += until.tv_nsec / 1000000000L;
            until.tv_nsec %= 1000000000L;
            pthread_cond_timedwait(&sequencer->wake, &sequencer->lock, &until);
        }
        sequencer->poked = 0;
    }
    pthread_mutex_unlock(&sequencer->lock);
    /* Stopping: what the last requests committed is chained now, then the lease goes. */
    alvd_err err;
    alvd_err_clear(&err);
    store_conn *conn = store_pool_acquire(sequencer->app->pool, &err);
    if (conn) {
        long long events = 0;
        int more = 1;
        for (int i = 0; i < 50 && more; i++)
            if (sequencer_step(sequencer->app, conn, &sequencer->state, 1, &events, &more, &err) < 0)
                break;
        sequencer_release(conn, &sequencer->state);
    }
    store_pool_release(sequencer->app->pool, conn);
    return NULL;
}

audit_sequencer *audit_sequencer_start(const alvd_app *app, audit_sequencer_events_fn on_events, void *context,
                                       alvd_err *err)
{
    audit_sequencer *sequencer = calloc(1, sizeof *sequencer);
    if (sequencer == NULL) {
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        return NULL;
    }
    sequencer->app = app;
    sequencer->on_events = on_events;
    sequencer->context = context;
    sequencer_state_init(&sequencer->state, "serve");
    pthread_mutex_init(&sequencer->lock, NULL);
    pthread_cond_init(&sequencer->wake, NULL);
    if (pthread_create(&sequencer->thread, NULL, sequencer_main, sequencer) != 0) {
        pthread_mutex_destroy(&sequencer->lock);
        pthread_cond_destroy(&sequencer->wake);
        free(sequencer);
        alvd_err_set(err, 500, "thread_failed", NULL, "Cannot start the audit sequencer.");
        return NULL;
    }
    sequencer->running = 1;
    return sequencer;
}

void audit_sequencer_poke(audit_sequencer *sequencer)
{
    if (sequencer == NULL)
        return;
    pthread_mutex_lock(&sequencer->lock);
    sequencer->poked = 1;
    pthread_cond_signal(&sequencer->wake);
    pthread_mutex_unlock(&sequencer->lock);
}

void audit_sequencer_stop(audit_sequencer *sequencer)
{
    if (sequencer == NULL)
        return;
    pthread_mutex_lock(&sequencer->lock);
    sequencer->stopping = 1;
    pthread_cond_signal(&sequencer->wake);
    pthread_mutex_unlock(&sequencer->lock);
    if (sequencer->running)
        pthread_join(sequencer->thread, NULL);
    pthread_mutex_destroy(&sequencer->lock);
    pthread_cond_destroy(&sequencer->wake);
    free(sequencer);
}

const char *audit_sequencer_holder(const audit_sequencer *sequencer)
{
    return sequencer ? sequencer->state.holder : "";
}

/* Committed entries above the floor not chained yet, plus events without a position. */
static int sequencer_left(store_conn *conn, long long *left, alvd_err *err)
{
    return store_audit_sequencer_left(conn, left, err);
}

int audit_sequencer_drain(const alvd_app *app, double wait_seconds, long long *left, alvd_err *err)
{
    sequencer_state state;
    sequencer_state_init(&state, "command");
    *left = 0;
    store_conn *conn = store_pool_acquire(app->pool, err);
    if (conn == NULL)
        return -1;
    double deadline = sequencer_monotonic() + wait_seconds;
    int rc = -1;
    for (unsigned attempt = 0;; attempt++) {
        long long events = 0;
        int more = 0;
        long long done = sequencer_step(app, conn, &state, 1, &events, &more, err);
        if (done < 0 && !(err->status == 503 && sequencer_monotonic() < deadline))
            goto done;
        if (done >= 0 && state.holding && !more)
            break;
        if (done >= 0 && !state.holding) {
            if (sequencer_left(conn, left, err) != 0)
                goto done;
            if (*left == 0 || sequencer_monotonic() >= deadline)
                break;
        }
        if (sequencer_monotonic() >= deadline)
            break;
        if (!(done > 0 && more))
            store_retry_pause(conn, attempt < 4 ? attempt : 4);
        alvd_err_clear(err);
    }
    sequencer_release(conn, &state);
    rc = sequencer_left(conn, left, err);
done:
    if (rc != 0)
        sequencer_release(conn, &state);
    store_pool_release(app->pool, conn);
    return rc;
}
