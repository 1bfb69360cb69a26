/* The error value every fallible alvd function fills in: an HTTP-ready status,
 * a snake_case code, the input field at fault and a human sentence. */
#ifndef ALVD_BASE_ERR_H
#define ALVD_BASE_ERR_H

#include <stdarg.h>

#define ALVD_ERR_CODE_MAX 48
#define ALVD_ERR_FIELD_MAX 64
#define ALVD_ERR_MESSAGE_MAX 384

typedef struct alvd_err {
    int status;                          /* HTTP status it maps to; 0 = no error */
    char code[ALVD_ERR_CODE_MAX];        /* snake_case machine code, e.g. "bad_kvk" */
    char field[ALVD_ERR_FIELD_MAX];      /* input field at fault, or "" */
    char message[ALVD_ERR_MESSAGE_MAX];  /* one human sentence (Dutch or English) */
} alvd_err;

/* Fill err (may be NULL: then nothing happens). field may be NULL. Returns -1 so
 * callers can write `return alvd_err_set(...)`. */
int alvd_err_set(alvd_err *err, int status, const char *code, const char *field,
                 const char *format, ...) __attribute__((format(printf, 5, 6)));

/* Reset to "no error". */
void alvd_err_clear(alvd_err *err);

/* True when err holds an error. */
int alvd_err_is_set(const alvd_err *err);

#endif
