/* A minimal table-test helper for the unit tests: CHECK records failures with
 * file and line, check_report() prints "N passed, M failed" and returns the exit code. */
#ifndef ALVD_TEST_CHECK_H
#define ALVD_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_passed;
static int check_failed;

#define CHECK(condition, ...)                                                    \
    do {                                                                         \
        if (condition) {                                                         \
            check_passed++;                                                      \
        } else {                                                                 \
            check_failed++;                                                      \
            fprintf(stderr, "%s:%d: CHECK(%s) failed: ", __FILE__, __LINE__,    \
                    #condition);                                                 \
            fprintf(stderr, __VA_ARGS__);                                        \
            fputc('\n', stderr);                                                 \
        }                                                                        \
    } while (0)

#define CHECK_INT(actual, expected, label)                                       \
    CHECK((long long)(actual) == (long long)(expected), "%s: got %lld, want %lld", \
          (label), (long long)(actual), (long long)(expected))

#define CHECK_STR(actual, expected, label)                                       \
    CHECK(strcmp((actual), (expected)) == 0, "%s: got \"%s\", want \"%s\"",     \
          (label), (actual), (expected))

static inline int check_report(const char *suite)
{
    printf("%s: %d passed, %d failed\n", suite, check_passed, check_failed);
    return check_failed == 0 ? 0 : 1;
}

#endif
