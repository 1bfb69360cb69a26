/* The periodic job thread (consultation reminders, meldpunt reminders and retention): sleeps on a condition variable so stopping is immediate,
 * and takes a database connection only while the job runs. */
#include "alvd/mail/periodic.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "alvd/base/log.h"

struct periodic_worker {
    const alvd_app *app;
    const char *name;
    periodic_job_fn job;
    int interval_seconds;
    int first_delay_seconds;
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    int stopping;
};

static void *periodic_worker_main(void *argument)
{
    periodic_worker *worker = argument;
    int first_run = 1;
    pthread_mutex_lock(&worker->lock);
    if (worker->first_delay_seconds > 0) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += worker->first_delay_seconds;
        while (!worker->stopping && pthread_cond_timedwait(&worker->wake, &worker->lock, &until) == 0)
            ;
    }
    while (!worker->stopping) {
        pthread_mutex_unlock(&worker->lock);
        alvd_err err;
        alvd_err_clear(&err);
        store_conn *conn = store_pool_acquire(worker->app->pool, &err);
        if (conn) {
            if (worker->job(worker->app, conn, &err) != 0)
                log_warn("%s: %s", worker->name, err.message);
            store_pool_release(worker->app->pool, conn);
        }
        if (first_run)
            log_info("%s: first run done, next every %d s", worker->name, worker->interval_seconds);
        first_run = 0;
        pthread_mutex_lock(&worker->lock);
        if (worker->stopping)
            break;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += worker->interval_seconds;
        while (!worker->stopping && pthread_cond_timedwait(&worker->wake, &worker->lock, &until) == 0)
            ;
    }
    pthread_mutex_unlock(&worker->lock);
    return NULL;
}

periodic_worker *periodic_worker_start(const alvd_app *app, const char *name, periodic_job_fn job,
                                       int first_delay_seconds, int interval_seconds, alvd_err *err)
{
    periodic_worker *worker = calloc(1, sizeof *worker);
    if (worker == NULL) {
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        return NULL;
    }
    worker->app = app;
    worker->name = name;
    worker->job = job;
    worker->interval_seconds = interval_seconds < 1 ? 1 : interval_seconds;
    worker->first_delay_seconds = first_delay_seconds;
    pthread_mutex_init(&worker->lock, NULL);
    pthread_cond_init(&worker->wake, NULL);
    if (pthread_create(&worker->thread, NULL, periodic_worker_main, worker) != 0) {
        pthread_mutex_destroy(&worker->lock);
        pthread_cond_destroy(&worker->wake);
        free(worker);
        alvd_err_set(err, 500, "no_thread", NULL, "Cannot start the %s thread.", name);
        return NULL;
    }
    return worker;
}

void periodic_worker_stop(periodic_worker *worker)
{
    if (worker == NULL)
        return;
    pthread_mutex_lock(&worker->lock);
    worker->stopping = 1;
    pthread_cond_signal(&worker->wake);
    pthread_mutex_unlock(&worker->lock);
    pthread_join(worker->thread, NULL);
    pthread_mutex_destroy(&worker->lock);
    pthread_cond_destroy(&worker->wake);
    free(worker);
}
