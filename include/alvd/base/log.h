/* One place where alvd writes its log lines (stderr, one line each, with a level).
 * Callers never log secrets, ballot choices, reporter identities or client addresses. */
#ifndef ALVD_BASE_LOG_H
#define ALVD_BASE_LOG_H

void log_info(const char *format, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *format, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *format, ...) __attribute__((format(printf, 1, 2)));

#endif
