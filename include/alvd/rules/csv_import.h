/* Reading a CSV file as a CRM exports it: ';' or ',' separated, quoted fields,
 * UTF-8 (with or without BOM) or Windows-1252, a header row. Pure and bounded. */
#ifndef ALVD_RULES_CSV_IMPORT_H
#define ALVD_RULES_CSV_IMPORT_H

#include <stddef.h>

#include "alvd/base/err.h"

#define RULES_CSV_MAX_INPUT (5u * 1024u * 1024u) /* bytes; larger → 413 */
#define RULES_CSV_MAX_ROWS 20000                 /* records including the header */
#define RULES_CSV_MAX_FIELDS 64                  /* fields per record */
#define RULES_CSV_MAX_FIELD 4000                 /* bytes per field (after conversion) */

typedef enum rules_csv_encoding {
    RULES_CSV_UTF8 = 0,       /* valid UTF-8 without BOM */
    RULES_CSV_UTF8_BOM = 1,   /* UTF-8 with EF BB BF (dropped) */
    RULES_CSV_WINDOWS_1252 = 2 /* anything that is not UTF-8, converted to UTF-8 */
} rules_csv_encoding;

typedef struct rules_csv {
    rules_csv_encoding encoding;
    char delimiter;      /* ';', ',' or '\t' */
    char *text;          /* owned arena: every field, NUL-terminated */
    size_t *offsets;     /* owned: start of each field in text */
    size_t *row_first;   /* owned: index into offsets of each row's first field */
    size_t *row_fields;  /* owned: number of fields of each row */
    size_t *row_line;    /* owned: physical line (1-based) where each row starts */
    size_t rows;         /* records, the header included; blank lines are skipped */
} rules_csv;

/* "utf-8", "utf-8-bom", "windows-1252" (static). */
const char *rules_csv_encoding_name(rules_csv_encoding encoding);

/* Convert data[0..length) to UTF-8: a UTF-8 BOM is dropped; valid UTF-8 is kept;
 * anything else is read as Windows-1252 (its five unassigned bytes become U+FFFD).
 * A UTF-16/UTF-32 BOM or a NUL byte → 422 "bad_encoding". *out is malloc'd and
 * NUL-terminated (caller frees). 413 "too_large" over RULES_CSV_MAX_INPUT. */
int rules_csv_to_utf8(const char *data, size_t length, char **out, size_t *out_length,
                      rules_csv_encoding *encoding, alvd_err *err);

/* Parse a whole file (any encoding above). The delimiter is the one of ';', ',' and
 * tab that occurs most often outside quotes in the first record. Fields may be quoted
 * with '"' (doubled inside), may span lines when quoted, and are trimmed of spaces
 * outside quotes. Line ends: LF, CRLF or CR. Errors (field "file"): 413 "too_large",
 * 422 "bad_encoding", "empty_file", "unterminated_quote" (naming the line),
 * "too_many_rows", "too_many_fields", "field_too_long"; 500 "out_of_memory".
 * On success *out owns everything (rules_csv_free); on failure it is empty. */
int rules_csv_parse(const char *data, size_t length, rules_csv *out, alvd_err *err);

/* Field column of row (borrowed), or NULL when the row has fewer fields. */
const char *rules_csv_field(const rules_csv *csv, size_t row, size_t column);

void rules_csv_free(rules_csv *csv);

#endif
