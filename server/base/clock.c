/* The server's clock (include/alvd/base/clock.h): the system clock shifted by the
 * offset config_from_environment derived from ALVD_TEST_NOW (0 outside tests). */
#include "alvd/base/clock.h"

#include <stdio.h>
#include <time.h>

int64_t clock_now(const alvd_config *config, long *micros)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    if (micros)
        *micros = now.tv_nsec / 1000;
    return (int64_t)now.tv_sec + config->clock_offset_seconds;
}

rules_day clock_today(const alvd_config *config)
{
    return rules_amsterdam_day(clock_now(config, NULL));
}

char *clock_sql_instant(int64_t seconds, long micros, char out[CLOCK_SQL_SIZE])
{
    int year, month, mday;
    int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
    int64_t rest = seconds - days * 86400;
    rules_day_to_ymd((rules_day)days, &year, &month, &mday);
    snprintf(out, CLOCK_SQL_SIZE, "%04d-%02d-%02d %02d:%02d:%02d.%06ld", year, month, mday, (int)(rest / 3600),
             (int)(rest / 60 % 60), (int)(rest % 60), micros % 1000000);
    return out;
}

char *clock_sql_now(const alvd_config *config, char out[CLOCK_SQL_SIZE])
{
    long micros = 0;
    int64_t seconds = clock_now(config, &micros);
    return clock_sql_instant(seconds, micros, out);
}
