/* CSV reading for the member list import: encoding detection and conversion, the
 * delimiter guess and an RFC 4180 parser with a hard limit on every dimension. */
#include "alvd/rules/csv_import.h"

#include <stdlib.h>
#include <string.h>

#include "alvd/base/buf.h"
#include "alvd/rules/code_text.h"

/* Windows-1252 0x80..0x9F; 0 marks the five unassigned bytes (→ U+FFFD). */
static const unsigned short csv_cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

const char *rules_csv_encoding_name(rules_csv_encoding encoding)
{
    switch (encoding) {
    case RULES_CSV_UTF8: return "utf-8";
    case RULES_CSV_UTF8_BOM: return "utf-8-bom";
    case RULES_CSV_WINDOWS_1252: return "windows-1252";
    }
    return "";
}

static int csv_append_code_point(alvd_buf *buf, unsigned code)
{
    char bytes[3];
    if (code < 0x80) {
        bytes[0] = (char)code;
        return buf_append(buf, bytes, 1);
    }
    if (code < 0x800) {
        bytes[0] = (char)(0xC0 | (code >> 6));
        bytes[1] = (char)(0x80 | (code & 0x3F));
        return buf_append(buf, bytes, 2);
    }
    bytes[0] = (char)(0xE0 | (code >> 12));
    bytes[1] = (char)(0x80 | ((code >> 6) & 0x3F));
    bytes[2] = (char)(0x80 | (code & 0x3F));
    return buf_append(buf, bytes, 3);
}

int rules_csv_to_utf8(const char *data, size_t length, char **out, size_t *out_length,
                      rules_csv_encoding *encoding, alvd_err *err)
{
    *out = NULL;
    if (out_length)
        *out_length = 0;
    if (length > RULES_CSV_MAX_INPUT)
        return alvd_err_set(err, 413, "too_large", "file",
                            "Het bestand is groter dan %u bytes.", RULES_CSV_MAX_INPUT);
    const unsigned char *bytes = (const unsigned char *)data;
    if (length >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)))
        return alvd_err_set(err, 422, "bad_encoding", "file",
                            "Het bestand is in UTF-16 opgeslagen. Sla het op als CSV in UTF-8 of "
                            "Windows-1252 (in Excel: \"CSV (gescheiden door lijstscheidingsteken)\").");
    if (length > 0 && memchr(data, '\0', length) != NULL)
        return alvd_err_set(err, 422, "bad_encoding", "file",
                            "Het bestand bevat NUL-tekens en is dus geen tekstbestand (CSV).");
    size_t start = 0;
    rules_csv_encoding found = RULES_CSV_UTF8;
    if (length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) {
        start = 3;
        found = RULES_CSV_UTF8_BOM;
    }
    alvd_buf buf;
    /* Windows-1252 grows at most threefold (€ is three bytes in UTF-8). */
    buf_init(&buf, 3 * (length - start) + 1);
    if (rules_code_text_is_utf8(data + start, length - start)) {
        if (buf_append(&buf, data + start, length - start) != 0)
            goto out_of_memory;
    } else {
        if (found == RULES_CSV_UTF8_BOM)
            return alvd_err_set(err, 422, "bad_encoding", "file",
                                "Het bestand begint als UTF-8 maar bevat ongeldige UTF-8-tekens.");
        found = RULES_CSV_WINDOWS_1252;
        for (size_t i = start; i < length; i++) {
            unsigned code = bytes[i];
            if (code >= 0x80 && code <= 0x9F)
                code = csv_cp1252_high[code - 0x80] ? csv_cp1252_high[code - 0x80] : 0xFFFD;
            if (csv_append_code_point(&buf, code) != 0)
                goto out_of_memory;
        }
    }
    if (buf.data == NULL && buf_append(&buf, "", 0) != 0)
        goto out_of_memory;
    *encoding = found;
    *out = buf_take(&buf, out_length);
    return 0;
out_of_memory:
    buf_free(&buf);
    return alvd_err_set(err, 500, "out_of_memory", "file", "Onvoldoende geheugen.");
}

/* Count candidate delimiters outside quotes in the first record. */
static char csv_guess_delimiter(const char *text, size_t length)
{
    size_t semicolons = 0, commas = 0, tabs = 0;
    int quoted = 0;
    for (size_t i = 0; i < length; i++) {
        char c = text[i];
        if (c == '"')
            quoted = !quoted;
        else if (!quoted && (c == '\n' || c == '\r'))
            break;
        else if (!quoted && c == ';')
            semicolons++;
        else if (!quoted && c == ',')
            commas++;
        else if (!quoted && c == '\t')
            tabs++;
    }
    if (tabs > semicolons && tabs > commas)
        return '\t';
    return commas > semicolons ? ',' : ';';
}

typedef struct csv_builder {
    alvd_buf text;
    size_t *offsets;
    size_t offset_count, offset_capacity;
    size_t *row_first, *row_fields, *row_line;
    size_t row_count, row_capacity;
} csv_builder;

/* Room for one more field offset. */
static int csv_reserve_offset(csv_builder *b)
{
    if (b->offset_count < b->offset_capacity)
        return 0;
    size_t grown = b->offset_capacity ? b->offset_capacity * 2 : 256;
    size_t *larger = realloc(b->offsets, grown * sizeof *larger);
    if (larger == NULL)
        return -1;
    b->offsets = larger;
    b->offset_capacity = grown;
    return 0;
}

void rules_csv_free(rules_csv *csv)
{
    if (csv == NULL)
        return;
    free(csv->text);
    free(csv->offsets);
    free(csv->row_first);
    free(csv->row_fields);
    free(csv->row_line);
    memset(csv, 0, sizeof *csv);
}

const char *rules_csv_field(const rules_csv *csv, size_t row, size_t column)
{
    if (row >= csv->rows || column >= csv->row_fields[row])
        return NULL;
    return csv->text + csv->offsets[csv->row_first[row] + column];
}

/* Trim spaces and tabs of the unquoted ends of the field just written. */
static void csv_trim_field(alvd_buf *text, size_t field_start, size_t keep_until)
{
    if (text->data == NULL)
        return;
    size_t end = text->length;
    while (end > keep_until && end > field_start &&
           (text->data[end - 1] == ' ' || text->data[end - 1] == '\t'))
        end--;
    text->length = end;
    text->data[end] = '\0';
}

int rules_csv_parse(const char *data, size_t length, rules_csv *out, alvd_err *err)
{
    memset(out, 0, sizeof *out);
    char *utf8 = NULL;
    size_t utf8_length = 0;
    rules_csv_encoding encoding;
    if (rules_csv_to_utf8(data, length, &utf8, &utf8_length, &encoding, err) != 0)
        return -1;
    csv_builder b;
    memset(&b, 0, sizeof b);
    buf_init(&b.text, utf8_length + RULES_CSV_MAX_ROWS * RULES_CSV_MAX_FIELDS + 1);
    char delimiter = csv_guess_delimiter(utf8, utf8_length);
    size_t line = 1, position = 0;
    int status = 0;
    const char *code = NULL;
    size_t error_line = 0;

    while (position < utf8_length) {
        size_t record_line = line;
        size_t first_field = b.offset_count;
        size_t fields = 0;
        int record_has_content = 0;
        /* One record: fields until an unquoted line end or the end of the text. */
        for (;;) {
            if (fields == RULES_CSV_MAX_FIELDS) {
                status = 422, code = "too_many_fields", error_line = record_line;
                goto fail;
            }
            if (csv_reserve_offset(&b) != 0)
                goto out_of_memory;
            size_t field_start = b.text.length;
            b.offsets[b.offset_count++] = field_start;
            fields++;
            while (position < utf8_length && (utf8[position] == ' ' || utf8[position] == '\t') &&
                   utf8[position] != delimiter)
                position++;
            size_t keep_until = field_start;
            if (position < utf8_length && utf8[position] == '"') {
                record_has_content = 1;
                size_t quote_line = line;
                position++;
                for (;;) {
                    if (position >= utf8_length) {
                        status = 422, code = "unterminated_quote", error_line = quote_line;
                        goto fail;
                    }
                    char c = utf8[position];
                    if (c == '"') {
                        if (position + 1 < utf8_length && utf8[position + 1] == '"') {
                            if (buf_append(&b.text, "\"", 1) != 0)
                                goto too_long_or_memory;
                            position += 2;
                            continue;
                        }
                        position++;
                        break;
                    }
                    if (c == '\n' || (c == '\r' && !(position + 1 < utf8_length && utf8[position + 1] == '\n')))
                        line++;
                    if (buf_append(&b.text, &c, 1) != 0)
                        goto too_long_or_memory;
                    position++;
                }
                keep_until = b.text.length;
            }
            /* Unquoted text (or text after a closing quote, kept as is). */
            while (position < utf8_length) {
                char c = utf8[position];
                if (c == delimiter || c == '\n' || c == '\r')
                    break;
                if (c != ' ' && c != '\t')
                    record_has_content = 1;
                if (buf_append(&b.text, &c, 1) != 0)
                    goto too_long_or_memory;
                position++;
            }
            csv_trim_field(&b.text, field_start, keep_until);
            if (b.text.length - field_start > RULES_CSV_MAX_FIELD) {
                status = 422, code = "field_too_long", error_line = record_line;
                goto fail;
            }
            if (buf_append(&b.text, "", 1) != 0)
                goto too_long_or_memory;
            if (position < utf8_length && utf8[position] == delimiter) {
                position++;
                continue;
            }
            break;
        }
        /* The line end. */
        if (position < utf8_length && utf8[position] == '\r')
            position++;
        if (position < utf8_length && utf8[position] == '\n')
            position++;
        line++;
        int blank = !record_has_content;
        for (size_t f = 0; blank && f < fields; f++)
            if (b.text.data[b.offsets[first_field + f]] != '\0')
                blank = 0;
        if (blank) {
            b.offset_count = first_field;
            continue;
        }
        if (b.row_count == RULES_CSV_MAX_ROWS) {
            status = 422, code = "too_many_rows", error_line = record_line;
            goto fail;
        }
        if (b.row_count == b.row_capacity) {
            /* The three row arrays grow together. */
            size_t grown = b.row_capacity ? b.row_capacity * 2 : 64;
            size_t *first = realloc(b.row_first, grown * sizeof *first);
            if (first == NULL)
                goto out_of_memory;
            b.row_first = first;
            size_t *counts = realloc(b.row_fields, grown * sizeof *counts);
            if (counts == NULL)
                goto out_of_memory;
            b.row_fields = counts;
            size_t *lines = realloc(b.row_line, grown * sizeof *lines);
            if (lines == NULL)
                goto out_of_memory;
            b.row_line = lines;
            b.row_capacity = grown;
        }
        b.row_first[b.row_count] = first_field;
        b.row_fields[b.row_count] = fields;
        b.row_line[b.row_count] = record_line;
        b.row_count++;
    }
    free(utf8);
    if (b.row_count == 0) {
        buf_free(&b.text);
        free(b.offsets);
        free(b.row_first);
        free(b.row_fields);
        free(b.row_line);
        return alvd_err_set(err, 422, "empty_file", "file",
                            "Het bestand is leeg: er is geen kopregel en er zijn geen regels.");
    }
    out->encoding = encoding;
    out->delimiter = delimiter;
    out->text = buf_take(&b.text, NULL);
    out->offsets = b.offsets;
    out->row_first = b.row_first;
    out->row_fields = b.row_fields;
    out->row_line = b.row_line;
    out->rows = b.row_count;
    return 0;

too_long_or_memory:
    if (b.text.length >= b.text.cap) {
        status = 413, code = "too_large";
        goto fail;
    }
out_of_memory:
    status = 500, code = "out_of_memory";
fail:
    free(utf8);
    buf_free(&b.text);
    free(b.offsets);
    free(b.row_first);
    free(b.row_fields);
    free(b.row_line);
    if (strcmp(code, "unterminated_quote") == 0)
        return alvd_err_set(err, status, code, "file",
                            "Regel %zu opent een veld met een aanhalingsteken (\") dat nergens wordt "
                            "gesloten; er is niets ingelezen.", error_line);
    if (strcmp(code, "too_many_fields") == 0)
        return alvd_err_set(err, status, code, "file", "Regel %zu heeft meer dan %d kolommen.",
                            error_line, RULES_CSV_MAX_FIELDS);
    if (strcmp(code, "field_too_long") == 0)
        return alvd_err_set(err, status, code, "file",
                            "Regel %zu heeft een veld van meer dan %d bytes.", error_line,
                            RULES_CSV_MAX_FIELD);
    if (strcmp(code, "too_many_rows") == 0)
        return alvd_err_set(err, status, code, "file", "Het bestand heeft meer dan %d regels.",
                            RULES_CSV_MAX_ROWS - 1);
    if (strcmp(code, "too_large") == 0)
        return alvd_err_set(err, status, code, "file", "Het bestand is te groot.");
    return alvd_err_set(err, 500, "out_of_memory", "file", "Onvoldoende geheugen.");
}
