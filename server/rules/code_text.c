/* The Code importer: Markdown in, articles with stable ids out. Pure and bounded:
 * every read is checked against the input length, so any byte string is safe. */
#include "alvd/rules/code_text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alvd/base/buf.h"

#define CODE_TEXT_HEADING_TITLE_MAX 150

/* One unit being collected: an article or a norm, with its body as a line range. */
typedef struct code_unit {
    char id[RULES_CODE_ARTICLE_ID_SIZE];
    const char *title;
    size_t title_length;
    const char *first_text; /* text on the heading line after a norm's title, or NULL */
    size_t first_text_length;
    alvd_buf body;
    int pending_blank;
} code_unit;

int rules_code_text_is_utf8(const char *text, size_t length)
{
    const unsigned char *bytes = (const unsigned char *)text;
    size_t i = 0;
    while (i < length) {
        unsigned char c = bytes[i];
        if (c == 0)
            return 0;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned long code;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
            code = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            code = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            code = c & 0x07;
        } else {
            return 0;
        }
        if (need > length - i - 1)
            return 0;
        for (size_t k = 1; k <= need; k++) {
            unsigned char next = bytes[i + k];
            if ((next & 0xC0) != 0x80)
                return 0;
            code = (code << 6) | (next & 0x3F);
        }
        if ((need == 2 && code < 0x800) || (need == 3 && code < 0x10000) || code > 0x10FFFF ||
            (code >= 0xD800 && code <= 0xDFFF))
            return 0;
        i += need + 1;
    }
    return 1;
}

static int code_text_is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

/* Trim spaces on both sides of [*start, *start + *length). */
static void code_text_trim(const char **start, size_t *length)
{
    while (*length > 0 && code_text_is_space(**start)) {
        (*start)++;
        (*length)--;
    }
    while (*length > 0 && code_text_is_space((*start)[*length - 1]))
        (*length)--;
}

static int code_text_is_digit(char c) { return c >= '0' && c <= '9'; }

/* An article heading "N. Title" / "## N. Title" / "Artikel N: Title". *number gets N. */
static int code_text_article_heading(const char *line, size_t length, int expected,
                                     int *number, const char **title, size_t *title_length)
{
    size_t i = 0;
    while (i < length && line[i] == '#')
        i++;
    while (i < length && line[i] == ' ')
        i++;
    int word_prefix = 0;
    if (length - i >= 8 && strncasecmp(line + i, "artikel ", 8) == 0) {
        word_prefix = 1;
        i += 8;
    }
    int value = 0;
    size_t digits = 0;
    while (i < length && code_text_is_digit(line[i]) && digits < 5) {
        value = value * 10 + (line[i] - '0');
        digits++;
        i++;
    }
    if (digits == 0 || digits > 4 || (i < length && code_text_is_digit(line[i])) || value < 1 ||
        value > RULES_CODE_ARTICLE_NUMBER_MAX)
        return 0;
    if (expected > 0 && value != expected)
        return 0;
    if (i < length && (line[i] == '.' || (word_prefix && line[i] == ':')))
        i++;
    else if (!word_prefix)
        return 0;
    if (i >= length || line[i] != ' ')
        return 0;
    const char *start = line + i;
    size_t rest = length - i;
    code_text_trim(&start, &rest);
    /* Markdown emphasis around the whole title ("**Preambule**") is dropped. */
    while (rest >= 2 && (start[0] == '*' || start[0] == '_') && start[rest - 1] == start[0]) {
        start++;
        rest -= 2;
    }
    if (rest == 0 || rest > CODE_TEXT_HEADING_TITLE_MAX)
        return 0;
    char last = start[rest - 1];
    if (last == '.' || last == ',' || last == ';' || last == ':')
        return 0;
    *number = value;
    *title = start;
    *title_length = rest;
    return 1;
}

/* A norm heading "- a. *Title:* rest" with letter == expected_letter. */
static int code_text_norm_heading(const char *line, size_t length, char expected_letter,
                                  const char **title, size_t *title_length, const char **rest,
                                  size_t *rest_length)
{
    size_t i = 0;
    if (length >= 2 && (line[0] == '-' || line[0] == '*' || line[0] == '+') && line[1] == ' ') {
        i = 2;
        while (i < length && line[i] == ' ')
            i++;
    }
    if (i + 2 >= length || line[i] != expected_letter || (line[i + 1] != '.' && line[i + 1] != ')'))
        return 0;
    i += 2;
    if (line[i] != ' ')
        return 0;
    while (i < length && line[i] == ' ')
        i++;
    if (i >= length || (line[i] != '*' && line[i] != '_'))
        return 0;
    char mark = line[i];
    size_t marks = 0;
    while (i < length && line[i] == mark && marks < 2) {
        marks++;
        i++;
    }
    size_t open_end = i;
    /* Find the closing run of the same marks. */
    size_t close = open_end;
    while (close < length) {
        if (line[close] == mark) {
            size_t run = 0;
            while (close + run < length && line[close + run] == mark)
                run++;
            if (run >= marks)
                break;
            close += run;
            continue;
        }
        close++;
    }
    if (close >= length)
        return 0;
    const char *start = line + open_end;
    size_t inner = close - open_end;
    code_text_trim(&start, &inner);
    while (inner > 0 && (start[inner - 1] == ':' || code_text_is_space(start[inner - 1])))
        inner--;
    if (inner == 0 || inner > RULES_CODE_TITLE_MAX)
        return 0;
    size_t after = close + marks;
    if (after > length)
        after = length;
    const char *tail = line + after;
    size_t tail_length = length - after;
    code_text_trim(&tail, &tail_length);
    if (tail_length > 0 && tail[0] == ':') {
        tail++;
        tail_length--;
        code_text_trim(&tail, &tail_length);
    }
    *title = start;
    *title_length = inner;
    *rest = tail;
    *rest_length = tail_length;
    return 1;
}

/* Append one body line: trailing blanks dropped, blank runs become one blank line. */
static int code_text_append_line(code_unit *unit, const char *line, size_t length)
{
    while (length > 0 && code_text_is_space(line[length - 1]))
        length--;
    if (length == 0) {
        if (unit->body.length > 0)
            unit->pending_blank = 1;
        return 0;
    }
    if (unit->body.length > 0 &&
        buf_append(&unit->body, unit->pending_blank ? "\n\n" : "\n", unit->pending_blank ? 2 : 1) != 0)
        return -1;
    unit->pending_blank = 0;
    return buf_append(&unit->body, line, length);
}

static char *code_text_copy(const char *text, size_t length)
{
    char *copy = malloc(length + 1);
    if (copy == NULL)
        return NULL;
    if (length > 0)
        memcpy(copy, text, length);
    copy[length] = '\0';
    return copy;
}

void rules_code_text_free(rules_code_text *text)
{
    if (text == NULL)
        return;
    for (size_t i = 0; i < text->count; i++) {
        free(text->articles[i].title);
        free(text->articles[i].text);
    }
    free(text->articles);
    text->articles = NULL;
    text->count = 0;
}

/* Move the unit into out (taking its body); the unit is reset. */
static int code_text_finish_unit(code_unit *unit, rules_code_text *out, size_t *capacity)
{
    if (out->count == *capacity) {
        size_t grown = *capacity ? *capacity * 2 : 16;
        rules_code_article *larger = realloc(out->articles, grown * sizeof *larger);
        if (larger == NULL)
            return -1;
        out->articles = larger;
        *capacity = grown;
    }
    rules_code_article *article = &out->articles[out->count];
    memcpy(article->id, unit->id, sizeof article->id);
    article->title = code_text_copy(unit->title, unit->title_length);
    size_t body_length = 0;
    char *body = buf_take(&unit->body, &body_length);
    article->text = body ? body : code_text_copy("", 0);
    if (article->title == NULL || article->text == NULL) {
        free(article->title);
        free(article->text);
        return -1;
    }
    out->count++;
    buf_free(&unit->body);
    buf_init(&unit->body, RULES_CODE_TEXT_MAX_INPUT);
    unit->pending_blank = 0;
    return 0;
}

int rules_code_text_parse(const char *markdown, size_t length, rules_code_text *out,
                          alvd_err *err)
{
    out->articles = NULL;
    out->count = 0;
    if (length > RULES_CODE_TEXT_MAX_INPUT)
        return alvd_err_set(err, 413, "text_too_long", "markdown",
                            "De tekst van de Code is te lang (ten hoogste %u bytes).",
                            RULES_CODE_TEXT_MAX_INPUT);
    if (length > 0 && (markdown == NULL || !rules_code_text_is_utf8(markdown, length)))
        return alvd_err_set(err, 422, "bad_encoding", "markdown",
                            "De tekst van de Code is geen geldige UTF-8 (of bevat een NUL-teken).");
    size_t capacity = 0;
    code_unit unit;
    memset(&unit, 0, sizeof unit);
    buf_init(&unit.body, RULES_CODE_TEXT_MAX_INPUT);
    int in_unit = 0, article_number = 0;
    char next_letter = 'a';
    size_t position = 0;
    while (position < length) {
        const char *line = markdown + position;
        const char *newline = memchr(line, '\n', length - position);
        size_t line_length = newline ? (size_t)(newline - line) : length - position;
        position += line_length + (newline ? 1 : 0);
        const char *trimmed = line;
        size_t trimmed_length = line_length;
        code_text_trim(&trimmed, &trimmed_length);

        int number = 0;
        const char *title = NULL, *rest = NULL;
        size_t title_length = 0, rest_length = 0;
        if (code_text_article_heading(trimmed, trimmed_length, article_number ? article_number + 1 : 0,
                                      &number, &title, &title_length)) {
            if (in_unit && code_text_finish_unit(&unit, out, &capacity) != 0)
                goto out_of_memory;
            if (out->count >= RULES_CODE_TEXT_MAX_ARTICLES)
                goto too_many;
            article_number = number;
            next_letter = 'a';
            snprintf(unit.id, sizeof unit.id, "%d", number);
            unit.title = title;
            unit.title_length = title_length;
            in_unit = 1;
            continue;
        }
        if (article_number > 0 && next_letter <= 'z' &&
            code_text_norm_heading(trimmed, trimmed_length, next_letter, &title, &title_length,
                                   &rest, &rest_length)) {
            if (code_text_finish_unit(&unit, out, &capacity) != 0)
                goto out_of_memory;
            if (out->count >= RULES_CODE_TEXT_MAX_ARTICLES)
                goto too_many;
            snprintf(unit.id, sizeof unit.id, "%d%c", article_number, next_letter);
            next_letter++;
            unit.title = title;
            unit.title_length = title_length;
            if (rest_length > 0 && code_text_append_line(&unit, rest, rest_length) != 0)
                goto out_of_memory;
            continue;
        }
        if (in_unit && code_text_append_line(&unit, line, line_length) != 0)
            goto out_of_memory;
    }
    if (in_unit && code_text_finish_unit(&unit, out, &capacity) != 0)
        goto out_of_memory;
    buf_free(&unit.body);
    if (out->count == 0)
        return alvd_err_set(err, 422, "no_articles", "markdown",
                            "De tekst bevat geen genummerde artikelen. Begin elk artikel op een eigen "
                            "regel met het nummer en de titel, zoals \"1. Preambule\".");
    return 0;
too_many:
    buf_free(&unit.body);
    rules_code_text_free(out);
    return alvd_err_set(err, 422, "too_many_articles", "markdown",
                        "De tekst bevat meer dan %d artikelen.", RULES_CODE_TEXT_MAX_ARTICLES);
out_of_memory:
    buf_free(&unit.body);
    rules_code_text_free(out);
    return alvd_err_set(err, 500, "out_of_memory", "markdown", "Onvoldoende geheugen.");
}
