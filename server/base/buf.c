/* Capped growable buffers: every size driven by input has a maximum, and the
 * overflow flag lets callers answer 413 instead of silently truncating. */
#include "alvd/base/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(alvd_buf *buf, size_t cap)
{
    memset(buf, 0, sizeof *buf);
    buf->cap = cap;
}

static int buf_reserve(alvd_buf *buf, size_t extra)
{
    if (extra > buf->cap - buf->length) {
        buf->overflowed = 1;
        return -1;
    }
    size_t needed = buf->length + extra + 1;
    if (needed <= buf->capacity)
        return 0;
    size_t capacity = buf->capacity ? buf->capacity : 256;
    while (capacity < needed)
        capacity *= 2;
    char *grown = realloc(buf->data, capacity);
    if (grown == NULL) {
        buf->overflowed = 1;
        return -1;
    }
    buf->data = grown;
    buf->capacity = capacity;
    return 0;
}

int buf_append(alvd_buf *buf, const void *bytes, size_t length)
{
    if (buf->overflowed || buf_reserve(buf, length) != 0)
        return -1;
    if (length > 0)
        memcpy(buf->data + buf->length, bytes, length);
    buf->length += length;
    buf->data[buf->length] = '\0';
    return 0;
}

int buf_append_str(alvd_buf *buf, const char *text)
{
    return buf_append(buf, text, strlen(text));
}

int buf_appendf(alvd_buf *buf, const char *format, ...)
{
    va_list args;
    va_start(args, format);
    int needed = vsnprintf(NULL, 0, format, args);
    va_end(args);
    if (needed < 0 || buf->overflowed || buf_reserve(buf, (size_t)needed) != 0)
        return -1;
    va_start(args, format);
    vsnprintf(buf->data + buf->length, (size_t)needed + 1, format, args);
    va_end(args);
    buf->length += (size_t)needed;
    return 0;
}

int buf_append_html(alvd_buf *buf, const char *text)
{
    for (const char *p = text; *p; p++) {
        int rc;
        switch (*p) {
        case '&': rc = buf_append_str(buf, "&amp;"); break;
        case '<': rc = buf_append_str(buf, "&lt;"); break;
        case '>': rc = buf_append_str(buf, "&gt;"); break;
        case '"': rc = buf_append_str(buf, "&quot;"); break;
        case '\'': rc = buf_append_str(buf, "&#39;"); break;
        default: rc = buf_append(buf, p, 1); break;
        }
        if (rc != 0)
            return -1;
    }
    return 0;
}

int buf_append_csv(alvd_buf *buf, const char *text)
{
    if (text == NULL)
        return 0;
    /* A leading = + - @ makes spreadsheets run formulas; prefix a quote (OWASP CSV injection). */
    int formula = text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@';
    if (strpbrk(text, ",;\"\r\n") == NULL && !formula)
        return buf_append_str(buf, text);
    if (buf_append_str(buf, "\"") != 0 || (formula && buf_append_str(buf, "'") != 0))
        return -1;
    for (const char *p = text; *p; p++)
        if (buf_append(buf, p, 1) != 0 || (*p == '"' && buf_append(buf, p, 1) != 0))
            return -1;
    return buf_append_str(buf, "\"");
}

char *buf_take(alvd_buf *buf, size_t *length)
{
    char *data = buf->data;
    if (data == NULL)
        data = calloc(1, 1);
    if (length)
        *length = buf->length;
    buf->data = NULL;
    buf->length = buf->capacity = 0;
    return data;
}

void buf_free(alvd_buf *buf)
{
    free(buf->data);
    buf->data = NULL;
    buf->length = buf->capacity = 0;
}
