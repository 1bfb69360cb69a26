/* Log lines to stderr, one per event, in the format ALVD_LOG_FORMAT asks for: "text"
 * (ISO time and level), "journal" (a systemd priority prefix; the journal stamps the time;
 * chosen by itself when stderr is the journal) or "json" (one object per line).
 * Thread-safe because each line is formatted first and written with one fputs. */
#include "alvd/base/log.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "alvd/base/buf.h"

#define LOG_LINE_MAX 1024

typedef enum log_format { LOG_TEXT, LOG_JOURNAL, LOG_JSON } log_format;

/* Read from the environment on every line (no state kept): the process never changes
 * its environment after start-up, and a getenv costs little next to a write. */
static log_format log_format_now(void)
{
    const char *format = getenv("ALVD_LOG_FORMAT");
    if (format && strcmp(format, "json") == 0)
        return LOG_JSON;
    if (format && strcmp(format, "journal") == 0)
        return LOG_JOURNAL;
    if (format && strcmp(format, "text") == 0)
        return LOG_TEXT;
    /* systemd sets JOURNAL_STREAM to "device:inode" of the stream it connected. */
    const char *stream = getenv("JOURNAL_STREAM");
    struct stat info;
    if (stream && fstat(2, &info) == 0) {
        char own[64];
        snprintf(own, sizeof own, "%llu:%llu", (unsigned long long)info.st_dev, (unsigned long long)info.st_ino);
        if (strcmp(own, stream) == 0)
            return LOG_JOURNAL;
    }
    return LOG_TEXT;
}

static void log_write(const char *level, int priority, const char *format, va_list args)
{
    char message[LOG_LINE_MAX];
    vsnprintf(message, sizeof message, format, args);
    /* One line per event: a newline inside a message (a driver's or peer's text)
     * would split it. */
    for (char *p = message; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    log_format chosen = log_format_now();
    if (chosen == LOG_JOURNAL) {
        fprintf(stderr, "<%d>%s\n", priority, message);
        return;
    }
    char stamp[40];
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    struct tm utc;
    gmtime_r(&now.tv_sec, &utc);
    size_t used = strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &utc);
    if (chosen == LOG_TEXT) {
        stamp[used] = '\0';
        fprintf(stderr, "%sZ %s %s\n", stamp, level, message);
        return;
    }
    snprintf(stamp + used, sizeof stamp - used, ".%03ldZ", now.tv_nsec / 1000000);
    alvd_buf line;
    buf_init(&line, 3 * LOG_LINE_MAX);
    buf_appendf(&line, "{\"time\":\"%s\",\"level\":\"%s\",\"message\":\"", stamp, level);
    for (const unsigned char *p = (const unsigned char *)message; *p; p++) {
        if (*p == '"' || *p == '\\')
            buf_appendf(&line, "\\%c", *p);
        else if (*p < 0x20)
            buf_appendf(&line, "\\u%04x", *p);
        else
            buf_append(&line, p, 1);
    }
    buf_append_str(&line, "\"}\n");
    if (line.data)
        fputs(line.data, stderr);
    buf_free(&line);
}

void log_info(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    log_write("info", 6, format, args);
    va_end(args);
}

void log_warn(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    log_write("warn", 4, format, args);
    va_end(args);
}

void log_error(const char *format, ...)
{
    va_list args;
    va_start(args, format);
    log_write("error", 3, format, args);
    va_end(args);
}
