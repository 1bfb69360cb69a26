/* Rate limits kept only in this process's memory, for the anonymous meldpunt routes: no
 * row, time or hash of a reporter's address reaches the database, and the key that
 * hashes addresses is replaced every window, so nothing can be matched to a report later. */
#ifndef ALVD_HTTP_LIMITER_H
#define ALVD_HTTP_LIMITER_H

#include <stddef.h>
#include <stdint.h>

#include "alvd/base/err.h"

typedef struct http_limiter http_limiter;

/* A limiter counting per window_seconds, for at most capacity subjects per window (more
 * share one overflow counter whose limit is OVERFLOW_FACTOR times higher). */
#define HTTP_LIMITER_OVERFLOW_FACTOR 16
http_limiter *http_limiter_create(int window_seconds, size_t capacity);
void http_limiter_destroy(http_limiter *limiter);

/* At now (Unix seconds): would one more event of bucket for subject stay within limit
 * per window? The estimate is this window's count plus the previous window's, weighted
 * by how much of it still overlaps the sliding window. 0 = allowed; -1 with 429
 * too_many_attempts when not. A NULL limiter allows everything (commands outside serve). */
int http_limiter_check(http_limiter *limiter, const char *bucket, const char *subject, int limit,
                       int64_t now, alvd_err *err);
/* Count one event of bucket for subject at now. */
void http_limiter_record(http_limiter *limiter, const char *bucket, const char *subject, int64_t now);

#endif
