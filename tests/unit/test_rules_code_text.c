/* Table tests of the Code importer: the real Code (server/demo/code-v1.md), small
 * structural cases, the refusals, and inputs cut at every length (bounds). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/rules/code_text.h"
#include "check.h"

static char *read_file(const char *path, size_t *length)
{
    FILE *file = fopen(path, "rb");
    if (file == NULL)
        return NULL;
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    fseek(file, 0, SEEK_SET);
    char *data = malloc((size_t)size + 1);
    if (data && fread(data, 1, (size_t)size, file) != (size_t)size) {
        free(data);
        data = NULL;
    }
    fclose(file);
    if (data) {
        data[size] = '\0';
        *length = (size_t)size;
    }
    return data;
}

static const rules_code_article *find(const rules_code_text *text, const char *id)
{
    for (size_t i = 0; i < text->count; i++)
        if (strcmp(text->articles[i].id, id) == 0)
            return &text->articles[i];
    return NULL;
}

static void test_real_code(void)
{
    size_t length = 0;
    char *markdown = read_file(ALVD_SOURCE_DIR "/server/demo/code-v1.md", &length);
    CHECK(markdown != NULL, "read code-v1.md");
    if (markdown == NULL)
        return;
    rules_code_text text;
    alvd_err err;
    alvd_err_clear(&err);
    CHECK_INT(rules_code_text_parse(markdown, length, &text, &err), 0, "real Code parses");
    static const char *const ids[] = {"1", "2", "3", "4", "5", "6", "6a", "6b", "6c", "6d", "7", "8"};
    CHECK_INT(text.count, sizeof ids / sizeof ids[0], "12 articles (8 + norms 6a-6d)");
    for (size_t i = 0; i < text.count && i < sizeof ids / sizeof ids[0]; i++)
        CHECK_STR(text.articles[i].id, ids[i], "article id in order");
    const rules_code_article *a1 = find(&text, "1"), *a6 = find(&text, "6"), *a6a = find(&text, "6a"),
                             *a6b = find(&text, "6b"), *a6c = find(&text, "6c"), *a6d = find(&text, "6d"),
                             *a2 = find(&text, "2"), *a8 = find(&text, "8"), *a4 = find(&text, "4");
    if (a1 && a6 && a6a && a6b && a6c && a6d && a2 && a8 && a4) {
        CHECK_STR(a1->title, "Preambule", "title 1");
        CHECK(strncmp(a1->text, "Deze Code voor Verantwoordelijk Marktgedrag", 43) == 0, "text 1 starts: %.60s", a1->text);
        CHECK_STR(a6->title, "Algemene principes en normen voor uitbesteden, in- en uitlenen", "title 6");
        CHECK(strstr(a6->text, "Pas toe of leg uit") != NULL, "article 6 keeps its own text");
        CHECK(strstr(a6->text, "Transparantie") == NULL, "article 6 stops before norm a");
        CHECK(a6->text[strlen(a6->text) - 1] == ':', "article 6 ends with the lead-in sentence");
        CHECK_STR(a6a->title, "Transparantie en integriteit", "title 6a (colon dropped)");
        CHECK(strncmp(a6a->text, "Partijen zijn transparant", 25) == 0, "text 6a: %.40s", a6a->text);
        CHECK_STR(a6b->title, "Ethisch handelen, kwaliteit en duurzame bestending van de relatie centraal", "title 6b");
        CHECK(strstr(a6b->text, "looptijd die voldoende lang") != NULL, "6b keeps its later paragraphs");
        CHECK(strstr(a6b->text, "\n\n") != NULL, "6b keeps paragraph breaks");
        CHECK_STR(a6c->title, "Respect en gelijkwaardigheid", "title 6c (no bullet)");
        CHECK(strncmp(a6c->text, "In de samenwerking", 18) == 0, "text 6c: %.40s", a6c->text);
        CHECK_STR(a6d->title, "Arbeidsvoorwaarden en arbeidsomstandigheden", "title 6d");
        CHECK(strstr(a6d->text, "Wijziging") == NULL, "6d stops at article 7");
        CHECK(strstr(a2->text, "- a. een moreel appél") != NULL, "lettered items without emphasis stay text");
        CHECK(strstr(a4->text, "- c. Het incorporeren") != NULL, "article 4 keeps its list");
        CHECK_STR(a8->title, "Inwerkingtreding", "title 8");
        CHECK(strstr(a8->text, "voor het eerst in werking") != NULL, "text 8");
        for (size_t i = 0; i < text.count; i++) {
            size_t n = strlen(text.articles[i].text);
            CHECK(n > 0 && text.articles[i].text[n - 1] != '\n' && text.articles[i].text[0] != '\n',
                  "article %s text trimmed", text.articles[i].id);
            CHECK(strstr(text.articles[i].text, "\n\n\n") == NULL, "article %s: no blank runs", text.articles[i].id);
        }
    }
    rules_code_text_free(&text);
    CHECK_INT(text.count, 0, "freed");

    /* Every prefix parses or fails cleanly (ASan catches reads past the end). */
    for (size_t cut = 0; cut <= length; cut += (cut < 200 ? 1 : 97)) {
        char *copy = malloc(cut ? cut : 1);
        memcpy(copy, markdown, cut);
        rules_code_text prefix;
        int rc = rules_code_text_parse(copy, cut, &prefix, NULL);
        CHECK(rc == 0 || rc == -1, "prefix %zu", cut);
        rules_code_text_free(&prefix);
        free(copy);
    }
    free(markdown);
}

typedef struct parse_case {
    const char *name;
    const char *markdown;
    int status;           /* 0 = success, else the HTTP status */
    const char *code;
    size_t count;
    const char *ids;      /* space-separated */
    const char *first_title;
    const char *first_text;
} parse_case;

static void run_case(const parse_case *c)
{
    rules_code_text text;
    alvd_err err;
    alvd_err_clear(&err);
    int rc = rules_code_text_parse(c->markdown, c->markdown ? strlen(c->markdown) : 0, &text, &err);
    if (c->status == 0) {
        CHECK(rc == 0, "%s: failed with %s", c->name, err.message);
        CHECK_INT(text.count, c->count, c->name);
        char ids[256] = "";
        size_t used = 0;
        for (size_t i = 0; i < text.count; i++) {
            int written = snprintf(ids + used, sizeof ids - used, "%s%s", i ? " " : "", text.articles[i].id);
            if (written > 0 && (size_t)written < sizeof ids - used)
                used += (size_t)written;
        }
        CHECK_STR(ids, c->ids, c->name);
        if (text.count > 0 && c->first_title)
            CHECK_STR(text.articles[0].title, c->first_title, c->name);
        if (text.count > 0 && c->first_text)
            CHECK_STR(text.articles[0].text, c->first_text, c->name);
    } else {
        CHECK_INT(rc, -1, c->name);
        CHECK_INT(err.status, c->status, c->name);
        CHECK_STR(err.code, c->code, c->name);
        CHECK_STR(err.field, "markdown", c->name);
        CHECK_INT(text.count, 0, c->name);
    }
    rules_code_text_free(&text);
}

static void test_cases(void)
{
    const parse_case cases[] = {
        {"empty", "", 422, "no_articles", 0, "", NULL, NULL},
        {"NULL with length 0", NULL, 422, "no_articles", 0, "", NULL, NULL},
        {"prose without articles", "Dit is een tekst.\n\nZonder artikelen.\n", 422, "no_articles", 0, "", NULL, NULL},
        {"only a lettered list", "- a. *Titel*\ntekst\n", 422, "no_articles", 0, "", NULL, NULL},
        {"two articles", "1. Een\n\ntekst een\n\n2. Twee\ntekst twee", 0, NULL, 2, "1 2", "Een", "tekst een"},
        {"markdown heading form", "# Code\n\n## 1. Een\ntekst\n## 2. Twee\n", 0, NULL, 2, "1 2", "Een", "tekst"},
        {"Artikel prefix", "Artikel 1: Een\nx\nArtikel 2 Twee\ny\n", 0, NULL, 2, "1 2", "Een", "x"},
        {"bold title dropped", "1. **Een**\nx\n", 0, NULL, 1, "1", "Een", "x"},
        {"text before the first article is ignored", "Titelblad\n\n1. Een\nx", 0, NULL, 1, "1", "Een", "x"},
        {"out-of-sequence number is text", "1. Een\n3. Drie\n2. Twee\n", 0, NULL, 2, "1 2", "Een", "3. Drie"},
        {"numbered sentence is not a heading", "1. Een\n2. dit is een zin.\n", 0, NULL, 1, "1", "Een",
         "2. dit is een zin."},
        {"norms split off", "1. Een\nvooraf\n- a. *Eerste:*\nA-tekst\n- b. **Tweede**: B-tekst\nc) _Derde_\nC\n2. Twee\n",
         0, NULL, 5, "1 1a 1b 1c 2", "Een", "vooraf"},
        {"norm letters must be in order", "1. Een\n- b. *Niet eerst*\nx\n", 0, NULL, 1, "1", "Een",
         "- b. *Niet eerst*\nx"},
        {"unclosed emphasis is text", "1. Een\n- a. *open\n", 0, NULL, 1, "1", "Een", "- a. *open"},
        {"CRLF and blank runs", "1. Een\r\n\r\n\r\nregel een  \r\n\r\n\r\n\r\nregel twee\r\n", 0, NULL, 1, "1",
         "Een", "regel een\n\nregel twee"},
        {"five-digit number is text", "12345. Te groot\n", 422, "no_articles", 0, "", NULL, NULL},
        {"number zero is text", "0. Nul\n", 422, "no_articles", 0, "", NULL, NULL},
        {"invalid UTF-8", "1. Een\n\xff\xfe", 422, "bad_encoding", 0, "", NULL, NULL},
        {"overlong UTF-8", "1. Een\n\xc0\xaf", 422, "bad_encoding", 0, "", NULL, NULL},
        {"surrogate in UTF-8", "1. Een\n\xed\xa0\x80", 422, "bad_encoding", 0, "", NULL, NULL},
        {"truncated UTF-8 at the end", "1. Een\n\xc3", 422, "bad_encoding", 0, "", NULL, NULL},
        {"UTF-8 accepted", "1. Één\nc\xc3\xa9", 0, NULL, 1, "1", "Één", "c\xc3\xa9"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        run_case(&cases[i]);
}

static void test_limits(void)
{
    rules_code_text text;
    alvd_err err;
    alvd_err_clear(&err);
    /* One byte over the limit: refused before reading. */
    size_t big = RULES_CODE_TEXT_MAX_INPUT + 1;
    char *data = malloc(big);
    memset(data, 'x', big);
    CHECK_INT(rules_code_text_parse(data, big, &text, &err), -1, "too long");
    CHECK_INT(err.status, 413, "too long status");
    free(data);

    /* Embedded NUL. */
    const char with_nul[] = "1. Een\nx\0y";
    CHECK_INT(rules_code_text_parse(with_nul, sizeof with_nul - 1, &text, &err), -1, "NUL refused");
    CHECK_STR(err.code, "bad_encoding", "NUL code");

    /* More articles than allowed. */
    size_t cap = (RULES_CODE_TEXT_MAX_ARTICLES + 5) * 16;
    char *many = malloc(cap);
    size_t used = 0;
    for (int n = 1; n <= RULES_CODE_TEXT_MAX_ARTICLES + 1; n++)
        used += (size_t)snprintf(many + used, cap - used, "%d. A\n", n);
    CHECK_INT(rules_code_text_parse(many, used, &text, &err), -1, "too many articles");
    CHECK_STR(err.code, "too_many_articles", "too many code");
    CHECK_INT(text.count, 0, "nothing kept");
    free(many);

    /* A title at the heading limit is fine, one past it is text. */
    char heading[200];
    memset(heading, 'T', sizeof heading);
    memcpy(heading, "1. ", 3);
    CHECK_INT(rules_code_text_parse(heading, 3 + 150, &text, &err), 0, "150-byte title");
    rules_code_text_free(&text);
    CHECK_INT(rules_code_text_parse(heading, 3 + 151, &text, &err), -1, "151-byte title is no heading");

    /* Not NUL-terminated input: the parser stays inside the given length. */
    char exact[6] = {'1', '.', ' ', 'E', 'e', 'n'};
    char *heap = malloc(sizeof exact);
    memcpy(heap, exact, sizeof exact);
    CHECK_INT(rules_code_text_parse(heap, sizeof exact, &text, &err), 0, "unterminated input");
    if (text.count == 1)
        CHECK_STR(text.articles[0].title, "Een", "unterminated title");
    rules_code_text_free(&text);
    free(heap);
}

int main(void)
{
    test_real_code();
    test_cases();
    test_limits();
    return check_report("rules_code_text");
}
