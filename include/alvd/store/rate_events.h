/* The rate_events table: one row per counted attempt, keyed by bucket and a keyed hash
 * of its subject, so every alvd process counts the same attempts. */
#ifndef ALVD_STORE_RATE_EVENTS_H
#define ALVD_STORE_RATE_EVENTS_H

#include "alvd/store/db.h"

#define STORE_RATE_SUBJECT_BYTES 16

/* Events of bucket for subject within window_seconds, and seconds since the newest
 * (0 without events). */
int store_rate_events_count(store_conn *conn, const char *bucket, const unsigned char subject[STORE_RATE_SUBJECT_BYTES],
                            int window_seconds, long long *count, long long *seconds_since_last, alvd_err *err);
/* One event now; events over a day old are pruned in passing (a hundred at a time). */
int store_rate_events_record(store_conn *conn, const char *bucket,
                             const unsigned char subject[STORE_RATE_SUBJECT_BYTES], alvd_err *err);

#endif
