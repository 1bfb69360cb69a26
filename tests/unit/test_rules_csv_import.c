/* Table tests of CSV reading (encodings, delimiters, quoting, limits) and of the
 * member list import (header mapping, row checks, classification against the register). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/rules/csv_import.h"
#include "alvd/rules/member_import.h"
#include "check.h"

static rules_day d(const char *text)
{
    rules_day day = 0;
    rules_date_parse(text, NULL, &day, NULL);
    return day;
}

static void test_encodings(void)
{
    static const struct {
        const char *name, *input;
        size_t length;
        int rc;
        rules_csv_encoding encoding;
        const char *output;
    } cases[] = {
        {"plain ASCII", "a;b", 3, 0, RULES_CSV_UTF8, "a;b"},
        {"UTF-8 kept", "Caf\xc3\xa9", 5, 0, RULES_CSV_UTF8, "Caf\xc3\xa9"},
        {"BOM dropped", "\xef\xbb\xbfnaam", 7, 0, RULES_CSV_UTF8_BOM, "naam"},
        {"Windows-1252 e-acute", "Caf\xe9", 4, 0, RULES_CSV_WINDOWS_1252, "Caf\xc3\xa9"},
        {"Windows-1252 euro and quotes", "\x80 \x93x\x94", 5, 0, RULES_CSV_WINDOWS_1252,
         "\xe2\x82\xac \xe2\x80\x9cx\xe2\x80\x9d"},
        {"Windows-1252 unassigned byte", "a\x81", 2, 0, RULES_CSV_WINDOWS_1252, "a\xef\xbf\xbd"},
        {"UTF-16 refused", "\xff\xfen\x00", 4, -1, RULES_CSV_UTF8, NULL},
        {"NUL refused", "a\x00b", 3, -1, RULES_CSV_UTF8, NULL},
        {"BOM then invalid UTF-8 refused", "\xef\xbb\xbf\xe9", 4, -1, RULES_CSV_UTF8, NULL},
        {"empty", "", 0, 0, RULES_CSV_UTF8, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *out = NULL;
        size_t length = 0;
        rules_csv_encoding encoding = RULES_CSV_UTF8;
        alvd_err err;
        alvd_err_clear(&err);
        int rc = rules_csv_to_utf8(cases[i].input, cases[i].length, &out, &length, &encoding, &err);
        CHECK_INT(rc, cases[i].rc, cases[i].name);
        if (rc == 0 && out) {
            CHECK_STR(out, cases[i].output, cases[i].name);
            CHECK_INT(encoding, cases[i].encoding, cases[i].name);
        } else if (rc != 0) {
            CHECK_STR(err.code, "bad_encoding", cases[i].name);
            CHECK(out == NULL, "%s: no output", cases[i].name);
        }
        free(out);
    }
}

typedef struct parse_case {
    const char *name;
    const char *input;
    int rc;
    const char *code;  /* error code when rc = -1 */
    char delimiter;
    size_t rows;
    const char *dump;  /* rows joined by '|' and fields by '^' */
} parse_case;

static void dump(const rules_csv *csv, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    for (size_t r = 0; r < csv->rows; r++)
        for (size_t f = 0; f < csv->row_fields[r]; f++) {
            int written = snprintf(out + used, size - used, "%s%s", f ? "^" : (r ? "|" : ""),
                                   rules_csv_field(csv, r, f));
            if (written > 0 && (size_t)written < size - used)
                used += (size_t)written;
        }
}

static void test_parse(void)
{
    const parse_case cases[] = {
        {"semicolons", "naam;kvk\nA;12345678\n", 0, NULL, ';', 2, "naam^kvk|A^12345678"},
        {"commas", "naam,kvk\nA,12345678", 0, NULL, ',', 2, "naam^kvk|A^12345678"},
        {"tabs", "naam\tkvk\nA\t1", 0, NULL, '\t', 2, "naam^kvk|A^1"},
        {"more semicolons than commas", "naam;kvk;adres\n\"A, B\";1;\"x, y\"", 0, NULL, ';', 2,
         "naam^kvk^adres|A, B^1^x, y"},
        {"quoted delimiter and doubled quote", "a;b\n\"x;y\";\"he said \"\"hi\"\"\"\n", 0, NULL, ';', 2,
         "a^b|x;y^he said \"hi\""},
        {"quoted newline keeps the line count", "a;b\n\"line1\nline2\";z\nlast;row\n", 0, NULL, ';', 3,
         "a^b|line1\nline2^z|last^row"},
        {"CRLF and CR line ends", "a;b\r\n1;2\r3;4\r\n", 0, NULL, ';', 3, "a^b|1^2|3^4"},
        {"blank lines skipped", "a;b\n\n;\n  \n1;2\n", 0, NULL, ';', 2, "a^b|1^2"},
        {"spaces trimmed outside quotes", " a ; b \n\" x \"; y ", 0, NULL, ';', 2, "a^b| x ^y"},
        {"empty trailing field", "a;b;\n1;;\n", 0, NULL, ';', 2, "a^b^|1^^"},
        {"BOM header", "\xef\xbb\xbfnaam;kvk\nA;1", 0, NULL, ';', 2, "naam^kvk|A^1"},
        {"unterminated quote", "a;b\n1;\"open\n2;3\n", -1, "unterminated_quote", 0, 0, ""},
        {"empty file", "", -1, "empty_file", 0, 0, ""},
        {"only blank lines", "\n\r\n ; \n", -1, "empty_file", 0, 0, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rules_csv csv;
        alvd_err err;
        alvd_err_clear(&err);
        int rc = rules_csv_parse(cases[i].input, strlen(cases[i].input), &csv, &err);
        CHECK_INT(rc, cases[i].rc, cases[i].name);
        if (rc == 0) {
            char text[512];
            dump(&csv, text, sizeof text);
            CHECK_STR(text, cases[i].dump, cases[i].name);
            CHECK_INT(csv.rows, cases[i].rows, cases[i].name);
            CHECK_INT(csv.delimiter, cases[i].delimiter, cases[i].name);
        } else {
            CHECK_STR(err.code, cases[i].code, cases[i].name);
            CHECK_INT(csv.rows, 0, cases[i].name);
        }
        rules_csv_free(&csv);
    }
    /* Line numbers count physical lines, so a reason can name the line a user sees. */
    rules_csv csv;
    const char *text = "a;b\n\"x\ny\";1\n\n2;3\n";
    CHECK_INT(rules_csv_parse(text, strlen(text), &csv, NULL), 0, "lines parse");
    CHECK_INT(csv.rows, 3, "lines rows");
    if (csv.rows == 3) {
        CHECK_INT(csv.row_line[1], 2, "quoted record starts on line 2");
        CHECK_INT(csv.row_line[2], 5, "after a quoted newline and a blank line: line 5");
    }
    CHECK(rules_csv_field(&csv, 1, 5) == NULL, "field past the row is NULL");
    CHECK(rules_csv_field(&csv, 9, 0) == NULL, "row past the end is NULL");
    rules_csv_free(&csv);
}

static void test_limits(void)
{
    alvd_err err;
    rules_csv csv;
    /* Too many fields. */
    char wide[200];
    size_t used = 0;
    for (int i = 0; i < RULES_CSV_MAX_FIELDS + 1; i++)
        wide[used++] = ';';
    CHECK_INT(rules_csv_parse(wide, used, &csv, &err), -1, "too many fields");
    CHECK_STR(err.code, "too_many_fields", "too many fields code");
    /* A field too long. */
    size_t long_length = RULES_CSV_MAX_FIELD + 10;
    char *long_field = malloc(long_length);
    memset(long_field, 'x', long_length);
    CHECK_INT(rules_csv_parse(long_field, long_length, &csv, &err), -1, "field too long");
    CHECK_STR(err.code, "field_too_long", "field too long code");
    free(long_field);
    /* Too many rows. */
    size_t rows_length = (size_t)(RULES_CSV_MAX_ROWS + 1) * 2;
    char *rows = malloc(rows_length);
    for (size_t i = 0; i < rows_length; i += 2) {
        rows[i] = 'a';
        rows[i + 1] = '\n';
    }
    CHECK_INT(rules_csv_parse(rows, rows_length, &csv, &err), -1, "too many rows");
    CHECK_STR(err.code, "too_many_rows", "too many rows code");
    CHECK_INT(rules_csv_parse(rows, rows_length - 2, &csv, &err), 0, "exactly the maximum");
    rules_csv_free(&csv);
    free(rows);
    /* Over the byte limit. */
    CHECK_INT(rules_csv_parse("x", RULES_CSV_MAX_INPUT + 1, &csv, &err), -1, "too large");
    CHECK_INT(err.status, 413, "too large status");
    /* Every prefix of a tricky file parses or fails cleanly (ASan guards the reads). */
    const char *tricky = "\xef\xbb\xbfnaam;\"kvk\"\r\n\"A \"\"B\"\"\";\"1\n2\"\r\n\xe9;x";
    size_t tricky_length = strlen(tricky);
    for (size_t cut = 0; cut <= tricky_length; cut++) {
        char *copy = malloc(cut ? cut : 1);
        memcpy(copy, tricky, cut);
        int rc = rules_csv_parse(copy, cut, &csv, NULL);
        CHECK(rc == 0 || rc == -1, "prefix %zu", cut);
        rules_csv_free(&csv);
        free(copy);
    }
}

static void test_dates_and_consent(void)
{
    rules_day day;
    CHECK_INT(rules_member_date_parse("2024-01-31", &day), 0, "ISO date");
    CHECK_INT(day, d("2024-01-31"), "ISO value");
    CHECK_INT(rules_member_date_parse("31-1-2024", &day), 0, "Dutch date");
    CHECK_INT(day, d("2024-01-31"), "Dutch value");
    CHECK_INT(rules_member_date_parse("01/02/2024", &day), 0, "slashes");
    CHECK_INT(day, d("2024-02-01"), "day first");
    CHECK_INT(rules_member_date_parse("1.2.2024", &day), 0, "dots");
    CHECK_INT(rules_member_date_parse("31-02-2024", &day), -1, "impossible");
    CHECK_INT(rules_member_date_parse("2024/01/31", &day), -1, "year first with slashes");
    CHECK_INT(rules_member_date_parse("1-2-24", &day), -1, "two-digit year");
    CHECK_INT(rules_member_date_parse("1-2-2024x", &day), -1, "trailing text");
    CHECK_INT(rules_member_date_parse("gisteren", &day), -1, "words");
    CHECK_INT(rules_member_consent_parse("Ja"), 1, "Ja");
    CHECK_INT(rules_member_consent_parse("x"), 1, "x");
    CHECK_INT(rules_member_consent_parse("nee"), 0, "nee");
    CHECK_INT(rules_member_consent_parse("0"), 0, "0");
    CHECK_INT(rules_member_consent_parse(""), -2, "empty");
    CHECK_INT(rules_member_consent_parse("misschien"), -1, "unknown");
}

static const rules_member_row *row_on_line(const rules_member_import *import, size_t line)
{
    for (size_t i = 0; i < import->count; i++)
        if (import->rows[i].line == line)
            return &import->rows[i];
    return NULL;
}

static void test_classify(void)
{
    const rules_member_existing existing[] = {
        {1, "11111111", "Alfa BV", "info@alfa.example", "Straat 1, Utrecht", "L-001", 1, 1, 0},
        {2, "22222222", "Beta BV", "info@beta.example", NULL, "L-002", 0, 1, 0},
        {3, "33333333", "Gamma BV", NULL, NULL, NULL, 0, 0, 0},
    };
    rules_member_existing copy[3];
    memcpy(copy, existing, sizeof copy);
    copy[0].membership_since = d("2020-01-01");
    copy[1].membership_since = d("2021-01-01");
    const char *file =
        "Naam;KvK-nummer;E-mail;Adres;Lidnummer;Lid sinds;Openbaar;Opmerking\n"  /* line 1 */
        "Alfa BV;11111111;INFO@alfa.example;Straat 1, Utrecht;L-001;2020-01-01;ja;x\n" /* 2 unchanged */
        "Beta B.V.;22222222;;;L-002;;;\n"                                       /* 3 changed: name */
        "Gamma BV;33333333;;;;;;\n"                                             /* 4 changed: membership */
        "Delta BV;44444444;info@delta.example;;L-004;1-3-2025;nee;\n"           /* 5 new */
        "Epsilon;1234567;niet-een-adres;;;32-1-2025;misschien;\n"               /* 6 invalid x4 */
        ";55555555;;;;;;\n"                                                     /* 7 invalid: name */
        "Delta kopie;44444444;;;;;;\n"                                          /* 8 invalid: dup kvk */
        "Zeta;66666666;;;L-002;;;\n"                                            /* 9 invalid: number in use */
        "Alfa BV;11111111;;;;2019-06-01;;\n";                                   /* 10 invalid: dup kvk */
    rules_csv csv;
    alvd_err err;
    alvd_err_clear(&err);
    CHECK_INT(rules_csv_parse(file, strlen(file), &csv, &err), 0, "file parses");
    rules_member_import import;
    CHECK_INT(rules_member_import_classify(&csv, copy, 3, d("2026-05-01"), &import, &err), 0, "classify");
    CHECK_INT(import.count, 9, "nine data rows");
    CHECK_INT(import.columns.ignored_count, 1, "Opmerking ignored");
    CHECK_INT(import.new_count, 1, "new");
    CHECK_INT(import.changed_count, 2, "changed");
    CHECK_INT(import.unchanged_count, 1, "unchanged");
    CHECK_INT(import.invalid_count, 5, "invalid");
    const rules_member_row *r;
    if ((r = row_on_line(&import, 2)))
        CHECK_INT(r->status, RULES_MEMBER_UNCHANGED, "line 2 unchanged (e-mail case ignored)");
    if ((r = row_on_line(&import, 3))) {
        CHECK_INT(r->status, RULES_MEMBER_CHANGED, "line 3 changed");
        CHECK_INT(r->changes, RULES_MEMBER_CHANGE_NAME, "line 3 only the name (empty cells keep)");
        CHECK_STR(r->reason, "Wijzigt: naam.", "line 3 reason");
    }
    if ((r = row_on_line(&import, 4))) {
        CHECK_INT(r->status, RULES_MEMBER_CHANGED, "line 4 changed");
        CHECK_INT(r->changes, RULES_MEMBER_CHANGE_MEMBERSHIP, "line 4 gets a membership");
        CHECK_INT(r->member_since, d("2026-05-01"), "line 4 membership from today");
        CHECK_STR(r->reason, "Wijzigt: lidmaatschap (lidmaatschap vanaf 2026-05-01).", "line 4 reason");
    }
    if ((r = row_on_line(&import, 5))) {
        CHECK_INT(r->status, RULES_MEMBER_NEW, "line 5 new");
        CHECK_INT(r->member_since, d("2025-03-01"), "line 5 Dutch date");
        CHECK_INT(r->public_consent, 0, "line 5 consent nee");
        CHECK_STR(r->kvk, "44444444", "line 5 kvk");
    }
    if ((r = row_on_line(&import, 6))) {
        CHECK_INT(r->status, RULES_MEMBER_INVALID, "line 6 invalid");
        CHECK(strstr(r->reason, "8 cijfers") != NULL, "line 6 names the KvK: %s", r->reason);
        CHECK(strstr(r->reason, "e-mailadres") != NULL, "line 6 names the e-mail: %s", r->reason);
        CHECK(strstr(r->reason, "datum") != NULL, "line 6 names the date: %s", r->reason);
        CHECK(strstr(r->reason, "ja of nee") != NULL, "line 6 names consent: %s", r->reason);
    }
    if ((r = row_on_line(&import, 7)))
        CHECK_STR(r->reason, "De naam ontbreekt.", "line 7 reason");
    if ((r = row_on_line(&import, 8)))
        CHECK_STR(r->reason, "Dit KvK-nummer staat ook op regel 5.", "line 8 reason");
    if ((r = row_on_line(&import, 9)))
        CHECK(strstr(r->reason, "Lidnummer L-002 is al in gebruik bij Beta BV") != NULL, "line 9: %s", r->reason);
    if ((r = row_on_line(&import, 10)))
        CHECK_STR(r->reason, "Dit KvK-nummer staat ook op regel 2.", "line 10 reason");
    rules_member_import_free(&import);
    rules_csv_free(&csv);

    /* Header problems. */
    static const struct {
        const char *file, *code;
    } bad[] = {
        {"naam;email\nA;a@b.example\n", "missing_column"},
        {"kvk\n12345678\n", "missing_column"},
        {"naam;kvk;KvK-nummer\nA;1;2\n", "duplicate_column"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_INT(rules_csv_parse(bad[i].file, strlen(bad[i].file), &csv, NULL), 0, bad[i].file);
        CHECK_INT(rules_member_import_classify(&csv, NULL, 0, d("2026-01-01"), &import, &err), -1, bad[i].file);
        CHECK_STR(err.code, bad[i].code, bad[i].file);
        rules_member_import_free(&import);
        rules_csv_free(&csv);
    }

    /* Only a header: zero rows, no error. The export header is accepted. */
    char header[128] = "";
    size_t used = 0;
    for (int c = 0; c < RULES_MEMBER_COLUMN_COUNT; c++)
        used += (size_t)snprintf(header + used, sizeof header - used, "%s%s", c ? ";" : "",
                                 rules_member_export_header[c]);
    CHECK_INT(rules_csv_parse(header, used, &csv, NULL), 0, "export header");
    CHECK_INT(rules_member_import_classify(&csv, NULL, 0, d("2026-01-01"), &import, &err), 0, "header only");
    CHECK_INT(import.count, 0, "no rows");
    for (int c = 0; c < RULES_MEMBER_COLUMN_COUNT; c++)
        CHECK_INT(import.columns.index[c], c, "export column maps to itself");
    rules_member_import_free(&import);
    rules_csv_free(&csv);
}

static void test_windows_1252_file(void)
{
    /* A CRM export in Windows-1252 with ',' and quotes: "Caf\xe9 Noord" stays readable. */
    const char file[] = "Naam,KvK\r\n\"Caf\xe9 Noord, B.V.\",01234567\r\n";
    rules_csv csv;
    CHECK_INT(rules_csv_parse(file, sizeof file - 1, &csv, NULL), 0, "cp1252 parses");
    CHECK_INT(csv.encoding, RULES_CSV_WINDOWS_1252, "cp1252 detected");
    rules_member_import import;
    CHECK_INT(rules_member_import_classify(&csv, NULL, 0, d("2026-01-01"), &import, NULL), 0, "cp1252 classify");
    if (import.count == 1) {
        CHECK_STR(import.rows[0].name, "Caf\xc3\xa9 Noord, B.V.", "converted name");
        CHECK_STR(import.rows[0].kvk, "01234567", "leading zero kept");
        CHECK_INT(import.rows[0].status, RULES_MEMBER_NEW, "new");
    }
    rules_member_import_free(&import);
    rules_csv_free(&csv);
}

static void test_many_rows(void)
{
    /* 5,000 rows classify against 5,000 existing ones (the preview's size). */
    enum { N = 5000 };
    size_t cap = (size_t)N * 64 + 64;
    char *file = malloc(cap);
    size_t used = (size_t)snprintf(file, cap, "naam;kvk;lidnummer\n");
    rules_member_existing *existing = calloc(N, sizeof *existing);
    char (*kvks)[RULES_KVK_SIZE] = calloc(N, sizeof *kvks);
    for (int i = 0; i < N; i++) {
        used += (size_t)snprintf(file + used, cap - used, "Organisatie %d;%08d;N%d\n", i, 10000000 + i, i);
        snprintf(kvks[i], sizeof kvks[i], "%08d", 10000000 + (N - 1 - i));
        existing[i] = (rules_member_existing){i + 1, kvks[i], "Oud", NULL, NULL, NULL, 0, 1, 0};
    }
    rules_csv csv;
    CHECK_INT(rules_csv_parse(file, used, &csv, NULL), 0, "5000 rows parse");
    rules_member_import import;
    CHECK_INT(rules_member_import_classify(&csv, existing, N, d("2026-01-01"), &import, NULL), 0, "5000 classify");
    CHECK_INT(import.changed_count, N, "every row changes its name and number");
    rules_member_import_free(&import);
    rules_csv_free(&csv);
    free(existing);
    free(kvks);
    free(file);
}

int main(void)
{
    test_encodings();
    test_parse();
    test_limits();
    test_dates_and_consent();
    test_classify();
    test_windows_1252_file();
    test_many_rows();
    return check_report("rules_csv_import");
}
