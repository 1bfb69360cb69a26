/* The in-memory limiter of the anonymous meldpunt routes: the limit per subject and
 * bucket, the sliding estimate over two windows, forgetting after two windows, the
 * overflow counter when the table is full, and no limit without a limiter. */
#include <sodium.h>
#include <stdio.h>

#include "alvd/http/limiter.h"
#include "check.h"

static int allowed(http_limiter *limiter, const char *bucket, const char *subject, int limit, int64_t now)
{
    alvd_err err;
    alvd_err_clear(&err);
    int rc = http_limiter_check(limiter, bucket, subject, limit, now, &err);
    if (rc != 0)
        CHECK(err.status == 429 && strcmp(err.code, "too_many_attempts") == 0, "429 code %s", err.code);
    return rc == 0;
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    http_limiter *limiter = http_limiter_create(600, 64);
    int64_t t = 6000000; /* the start of a window (t % 600 == 0) */
    for (int i = 0; i < 10; i++) {
        CHECK(allowed(limiter, "meldpunt_report", "127.0.0.5", 10, t + i), "report %d allowed", i + 1);
        http_limiter_record(limiter, "meldpunt_report", "127.0.0.5", t + i);
    }
    CHECK(!allowed(limiter, "meldpunt_report", "127.0.0.5", 10, t + 20), "the 11th within the window refused");
    CHECK(allowed(limiter, "meldpunt_report", "127.0.0.6", 10, t + 20), "another address is not limited");
    CHECK(allowed(limiter, "meldpunt_receipt", "127.0.0.5", 10, t + 20), "another bucket is not limited");

    /* Halfway into the next window half of the previous window's count still counts. */
    CHECK(!allowed(limiter, "meldpunt_report", "127.0.0.5", 10, t + 600), "at the boundary: 10 of 10 still count");
    CHECK(allowed(limiter, "meldpunt_report", "127.0.0.5", 10, t + 600 + 300), "halfway: 5 of 10 count");
    for (int i = 0; i < 5; i++)
        http_limiter_record(limiter, "meldpunt_report", "127.0.0.5", t + 900);
    CHECK(!allowed(limiter, "meldpunt_report", "127.0.0.5", 10, t + 900), "5 now + 5 carried = 10: refused");
    /* Two windows later everything is forgotten (and its key is gone). */
    CHECK(allowed(limiter, "meldpunt_report", "127.0.0.5", 1, t + 1800 + 1), "forgotten after two windows");
    /* A gap of several windows: nothing carried over. */
    http_limiter_record(limiter, "meldpunt_report", "127.0.0.7", t + 1800 + 2);
    CHECK(allowed(limiter, "meldpunt_report", "127.0.0.7", 1, t + 6000), "after a long gap nothing counts");

    /* 64 subjects fit; the 65th and later share one counter with 16 times the limit. */
    int64_t w = t + 60000;
    char subject[32];
    for (int i = 0; i < 64; i++) {
        snprintf(subject, sizeof subject, "10.0.0.%d", i);
        http_limiter_record(limiter, "meldpunt_report", subject, w);
    }
    for (int i = 0; i < 16; i++) {
        snprintf(subject, sizeof subject, "10.1.0.%d", i);
        CHECK(allowed(limiter, "meldpunt_report", subject, 1, w), "overflow %d allowed", i);
        http_limiter_record(limiter, "meldpunt_report", subject, w);
    }
    CHECK(!allowed(limiter, "meldpunt_report", "10.2.0.1", 1, w), "the overflow counter has its (higher) limit");
    CHECK(!allowed(limiter, "meldpunt_report", "10.0.0.3", 1, w), "a known subject keeps its own count");
    http_limiter_destroy(limiter);

    CHECK(allowed(NULL, "meldpunt_report", "127.0.0.5", 0, t), "no limiter: no limit");
    http_limiter_record(NULL, "meldpunt_report", "127.0.0.5", t);
    return check_report("limiter");
}
