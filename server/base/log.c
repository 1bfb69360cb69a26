/* Log lines to stderr with an ISO timestamp and level; thread-safe because each
 * line is formatted first and written with one fputs. */
#include "alvd/base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static void log_write(const char *level, const char *format, va_list args)
{
    char line[1024];
    char stamp[32];
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc);
    int used = snprintf(line, sizeof line, "%s %s ", stamp, level);
    if (used < 0 || (size_t)used >= sizeof line)
        return;
    vsnprintf(line + used, sizeof line - (size_t)used, format, args);
    fprintf(stderr, "%s\n", line);
}

void log_info(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    log_write("info", format, args);
    va_end(args);
}

void log_warn(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    log_write("warn", format, args);
    va_end(args);
}

void log_error(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    log_write("error", format, args);
    va_end(args);
}
