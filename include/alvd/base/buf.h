/* A growable byte buffer with a hard cap fixed at creation, for request bodies,
 * generated CSV/HTML/SVG and anything else whose size depends on input. */
#ifndef ALVD_BASE_BUF_H
#define ALVD_BASE_BUF_H

#include <stddef.h>

typedef struct alvd_buf {
    char *data;       /* always NUL-terminated when non-NULL */
    size_t length;    /* bytes used, excluding the terminator */
    size_t capacity;  /* bytes allocated */
    size_t cap;       /* hard maximum of length */
    int overflowed;   /* set once an append would have passed cap */
} alvd_buf;

/* Start an empty buffer that will never hold more than cap bytes. */
void buf_init(alvd_buf *buf, size_t cap);
/* Append bytes; returns -1 (and sets overflowed) when cap would be passed. */
int buf_append(alvd_buf *buf, const void *bytes, size_t length);
int buf_append_str(alvd_buf *buf, const char *text);
int buf_appendf(alvd_buf *buf, const char *format, ...) __attribute__((format(printf, 2, 3)));
/* Append text with & < > " ' escaped for HTML. */
int buf_append_html(alvd_buf *buf, const char *text);
/* Append one CSV field (quoted when needed, quotes doubled). */
int buf_append_csv(alvd_buf *buf, const char *text);
/* Hand the data to the caller (caller frees); the buffer is empty afterwards. */
char *buf_take(alvd_buf *buf, size_t *length);
/* Free the data; accepts a zeroed buffer. */
void buf_free(alvd_buf *buf);

#endif
