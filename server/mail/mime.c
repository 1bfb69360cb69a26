/* MIME writing for the outbox (include/alvd/mail/mime.h): folded headers, RFC 2047
 * encoded-words and quoted-printable bodies, so what alvd sends is 7-bit, CRLF-only
 * and within every line limit whatever the text holds. */
#include "alvd/mail/mime.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

static int mime_is_printable_ascii(const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if (*p < 0x20 || *p > 0x7E)
            if (*p != '\r' && *p != '\n' && *p != '\t')
                return 0;
    return 1;
}

/* Length of the UTF-8 character starting at text (1 for a stray byte). */
static size_t mime_utf8_width(const unsigned char *text, size_t left)
{
    size_t width = *text < 0x80 ? 1 : (*text & 0xE0) == 0xC0 ? 2 : (*text & 0xF0) == 0xE0 ? 3 : (*text & 0xF8) == 0xF0 ? 4 : 1;
    return width > left ? left : width;
}

/* The value with CR, LF and TAB as spaces (a header value is one line). */
static void mime_flatten(const char *value, alvd_buf *flat)
{
    for (const char *p = value ? value : ""; *p; p++)
        buf_append(flat, *p == '\r' || *p == '\n' || *p == '\t' ? " " : p, 1);
    buf_append(flat, "", 0);
}

/* Encoded-words for text of length bytes; `used` is what the current line already holds.
 * Each word carries at most as many octets as keep it within 75 characters and its line
 * within 76; words go on continuation lines of their own. */
static void mime_encoded_words(alvd_buf *out, const char *text, size_t length, size_t used)
{
    static const char prefix[] = "=?UTF-8?B?", suffix[] = "?=";
    size_t overhead = sizeof prefix - 1 + sizeof suffix - 1;
    size_t at = 0;
    int first = 1;
    if (length == 0) {
        buf_append_str(out, "=?UTF-8?B?" "?=");
        return;
    }
    while (at < length) {
        size_t room = MIME_LINE_OCTETS - (first ? used : 1);
        if (room > MIME_ENCODED_WORD_MAX)
            room = MIME_ENCODED_WORD_MAX;
        size_t octets = (room - overhead) / 4 * 3, take = 0;
        while (at + take < length) {
            size_t width = mime_utf8_width((const unsigned char *)text + at + take, length - at - take);
            if (take + width > octets)
                break;
            take += width;
        }
        if (take == 0) /* cannot happen with room >= 16; never loop forever */
            take = 1;
        char encoded[MIME_ENCODED_WORD_MAX + 1];
        sodium_bin2base64(encoded, sizeof encoded, (const unsigned char *)text + at, take,
                          sodium_base64_VARIANT_ORIGINAL);
        if (!first)
            buf_append_str(out, "\r\n ");
        buf_appendf(out, "%s%s%s", prefix, encoded, suffix);
        at += take;
        first = 0;
    }
}

void mime_header_text(alvd_buf *out, const char *name, const char *value)
{
    alvd_buf flat;
    buf_init(&flat, 64 * 1024);
    mime_flatten(value, &flat);
    const char *text = flat.data ? flat.data : "";
    size_t used = strlen(name) + 2;
    buf_appendf(out, "%s: ", name);
    /* Printable ASCII whose words all fit on a folded line stays readable. */
    int plain = mime_is_printable_ascii(text);
    for (const char *p = text; plain && *p;) {
        size_t word = strcspn(p, " ");
        plain = word + 1 < MIME_HEADER_FOLD;
        p += word;
        p += strspn(p, " ");
    }
    if (!plain) {
        mime_encoded_words(out, text, strlen(text), used);
    } else {
        size_t line = used;
        int start = 1;
        for (const char *p = text; *p;) {
            size_t spaces = strspn(p, " ");
            p += spaces;
            if (*p == '\0')
                break;
            size_t word = strcspn(p, " ");
            if (!start && line + 1 + word > MIME_HEADER_FOLD) {
                buf_append_str(out, "\r\n");
                line = 0;
            }
            if (!start) {
                buf_append_str(out, " ");
                line++;
            }
            buf_append(out, p, word);
            line += word;
            p += word;
            start = 0;
        }
    }
    buf_append_str(out, "\r\n");
    buf_free(&flat);
}

/* RFC 5322 atext, plus the space between words of a phrase. */
static int mime_is_phrase(const char *text)
{
    for (const char *p = text; *p; p++)
        if (!(((*p | 0x20) >= 'a' && (*p | 0x20) <= 'z') || (*p >= '0' && *p <= '9') ||
              strchr(" !#$%&'*+-/=?^_`{|}~", *p)))
            return 0;
    return 1;
}

void mime_header_address(alvd_buf *out, const char *name, const char *display, const char *address)
{
    size_t used = strlen(name) + 2;
    buf_appendf(out, "%s: ", name);
    if (display && *display) {
        alvd_buf flat;
        buf_init(&flat, 4096);
        mime_flatten(display, &flat);
        const char *text = flat.data ? flat.data : "";
        if (!mime_is_printable_ascii(text) || strlen(text) + used > MIME_HEADER_FOLD - 4) {
            mime_encoded_words(out, text, strlen(text), used);
            buf_append_str(out, "\r\n "); /* the address on a continuation line */
        } else if (mime_is_phrase(text)) {
            buf_append_str(out, text);
            buf_append_str(out, " ");
        } else {
            buf_append_str(out, "\"");
            for (const char *p = text; *p; p++) {
                if (*p == '"' || *p == '\\')
                    buf_append_str(out, "\\");
                buf_append(out, p, 1);
            }
            buf_append_str(out, "\" ");
        }
        buf_free(&flat);
    }
    buf_appendf(out, "<%s>\r\n", address);
}

int mime_split_address(char *text, const char **display, const char **address)
{
    char *open = strrchr(text, '<');
    *display = NULL;
    if (open == NULL) {
        text += strspn(text, " ");
        text[strcspn(text, " ")] = '\0';
        *address = text;
        return *text ? 0 : -1;
    }
    char *close = strchr(open, '>');
    if (close == NULL)
        return -1;
    *close = '\0';
    *address = open + 1;
    char *end = open;
    while (end > text && end[-1] == ' ')
        end--;
    *end = '\0';
    text += strspn(text, " ");
    if (*text == '"' && end > text + 1 && end[-1] == '"') { /* a quoted display name */
        end[-1] = '\0';
        text++;
    }
    *display = *text ? text : NULL;
    return **address ? 0 : -1;
}

void mime_quoted_printable(alvd_buf *out, const char *text)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t line = 0;
    for (const unsigned char *p = (const unsigned char *)(text ? text : ""); *p; p++) {
        if (*p == '\r' || *p == '\n') {
            if (*p == '\r' && p[1] == '\n')
                p++;
            buf_append_str(out, "\r\n");
            line = 0;
            continue;
        }
        int at_line_end = p[1] == '\0' || p[1] == '\r' || p[1] == '\n';
        int literal = (*p >= 33 && *p <= 126 && *p != '=') || ((*p == ' ' || *p == '\t') && !at_line_end);
        size_t width = literal ? 1 : 3;
        /* Room for the token and, unless it ends the line, a soft break "=". */
        if (line + width > MIME_LINE_OCTETS - (at_line_end ? 0 : 1)) {
            buf_append_str(out, "=\r\n");
            line = 0;
        }
        if (*p == '.' && line == 0)
            literal = 0; /* a line "." would end the SMTP DATA of a careless relay */
        if (literal) {
            buf_append(out, (const char *)p, 1);
            line += 1;
        } else {
            char token[3] = {'=', hex[*p >> 4], hex[*p & 15]};
            buf_append(out, token, 3);
            line += 3;
        }
    }
    if (line > 0)
        buf_append_str(out, "\r\n");
}
