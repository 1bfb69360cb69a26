/* A small periodic job runner for `alvd serve`: one thread that runs a job with a
 * pooled connection after a first delay and then every interval (consultation reminders,
 * meldpunt reminders and retention). */
#ifndef ALVD_MAIL_PERIODIC_H
#define ALVD_MAIL_PERIODIC_H

#include "alvd/base/app.h"
#include "alvd/base/err.h"
#include "alvd/store/db.h"

/* The job: returns 0 or -1 with err (logged; the next run tries again). */
typedef int (*periodic_job_fn)(const alvd_app *app, store_conn *conn, alvd_err *err);

typedef struct periodic_worker periodic_worker;

/* Start a thread that runs job after first_delay_seconds (0 = at once) and then every
 * interval_seconds (>= 1). name is borrowed (a string literal). */
periodic_worker *periodic_worker_start(const alvd_app *app, const char *name, periodic_job_fn job,
                                       int first_delay_seconds, int interval_seconds, alvd_err *err);
/* Stop and join (waits for a running job to finish). NULL is accepted. */
void periodic_worker_stop(periodic_worker *worker);

#endif
