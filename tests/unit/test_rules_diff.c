/* Unit tests for server/rules/diff.c: small exact cases, UTF-8 safety, rendering,
 * a 5,000-word article with 3 changes, and random texts checked for exact
 * reconstruction and minimality against a plain LCS table. */
#include "alvd/rules/diff.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"

/* Concatenate the segments whose op is equal or `side_op`: the old text for
 * RULES_DIFF_DELETE, the new text for RULES_DIFF_INSERT. Caller frees. */
static char *rebuild(const rules_diff *diff, rules_diff_op side_op)
{
    size_t total = 1;
    for (size_t i = 0; i < diff->count; i++)
        total += diff->segments[i].length;
    char *out = malloc(total), *at = out;
    for (size_t i = 0; i < diff->count; i++) {
        if (diff->segments[i].op == RULES_DIFF_EQUAL || diff->segments[i].op == side_op) {
            memcpy(at, diff->segments[i].text, diff->segments[i].length);
            at += diff->segments[i].length;
        }
    }
    *at = '\0';
    return out;
}

/* No two neighbours with the same op, and never an insert before a delete. */
static int well_formed(const rules_diff *diff)
{
    for (size_t i = 0; i < diff->count; i++) {
        if (diff->segments[i].length == 0 || strlen(diff->segments[i].text) != diff->segments[i].length)
            return 0;
        if (i > 0 && diff->segments[i].op == diff->segments[i - 1].op)
            return 0;
        if (i > 0 && diff->segments[i - 1].op == RULES_DIFF_INSERT &&
            diff->segments[i].op == RULES_DIFF_DELETE)
            return 0;
    }
    return 1;
}

static void check_roundtrip(const char *label, const char *old_text, const char *new_text,
                            unsigned flags, rules_diff *diff)
{
    alvd_err err;
    alvd_err_clear(&err);
    int rc = rules_diff_words(old_text, old_text ? strlen(old_text) : 0, new_text,
                              new_text ? strlen(new_text) : 0, flags, diff, &err);
    CHECK(rc == 0, "%s: %s", label, err.message);
    char *old_again = rebuild(diff, RULES_DIFF_DELETE);
    char *new_again = rebuild(diff, RULES_DIFF_INSERT);
    CHECK(strcmp(old_again, old_text ? old_text : "") == 0, "%s: old rebuilt", label);
    CHECK(strcmp(new_again, new_text ? new_text : "") == 0, "%s: new rebuilt", label);
    CHECK(well_formed(diff), "%s: segments merged", label);
    free(old_again);
    free(new_again);
}

static char *render_text(const rules_diff *diff)
{
    char *text = NULL;
    size_t length = 0;
    CHECK(rules_diff_render_text(diff, &text, &length, NULL) == 0, "render text");
    CHECK(text != NULL && strlen(text) == length, "render text length");
    return text;
}

static void test_small(void)
{
    static const struct {
        const char *label, *old_text, *new_text, *want;
        unsigned flags;
    } cases[] = {
        {"identical", "De leden stemmen.", "De leden stemmen.", "De leden stemmen.", RULES_DIFF_READABLE},
        {"pure insertion", "De leden stemmen.", "De leden stemmen digitaal.",
         "De leden stemmen[+ digitaal+].", RULES_DIFF_READABLE},
        {"pure deletion", "De leden stemmen digitaal.", "De leden stemmen.",
         "De leden stemmen[- digitaal-].", RULES_DIFF_READABLE},
        {"one word replaced", "De klant wordt binnen drie dagen geholpen.",
         "De klant wordt binnen vijf dagen geholpen.",
         "De klant wordt binnen [-drie-][+vijf+] dagen geholpen.", RULES_DIFF_READABLE},
        {"Dutch diacritics", "De coördinatie van het comité is geëvalueerd.",
         "De coördinatie van het reëel comité is geëvalueerd.",
         "De coördinatie van het [+reëel +]comité is geëvalueerd.", RULES_DIFF_READABLE},
        {"accented word replaced", "Een café in Zuid-Holland.", "Een hôtel in Zuid-Holland.",
         "Een [-café-][+hôtel+] in Zuid-Holland.", RULES_DIFF_READABLE},
        {"both empty", "", "", "", RULES_DIFF_READABLE},
        {"old empty", "", "Nieuw artikel.", "[+Nieuw artikel.+]", RULES_DIFF_READABLE},
        {"new empty", "Vervallen artikel.", "", "[-Vervallen artikel.-]", RULES_DIFF_READABLE},
        {"punctuation is its own token", "Artikel 6a, lid 2.", "Artikel 6a; lid 2.",
         "Artikel 6a[-,-][+;+] lid 2.", RULES_DIFF_READABLE},
        {"whitespace change", "a b", "a  b", "a[- -][+  +]b", RULES_DIFF_READABLE},
        {"completely different, minimal keeps the space", "alpha beta", "gamma delta",
         "[-alpha-][+gamma+] [-beta-][+delta+]", RULES_DIFF_MINIMAL},
        {"completely different, readable", "alpha beta", "gamma delta",
         "[-alpha beta-][+gamma delta+]", RULES_DIFF_READABLE},
        {"readable rewrite of a phrase", "De klant wordt snel en goed geholpen.",
         "De klant wordt vriendelijk en correct geholpen.",
         "De klant wordt [-snel-][+vriendelijk+] en [-goed-][+correct+] geholpen.",
         RULES_DIFF_READABLE},
        {"readable folds only spaces between changes", "een twee drie vier",
         "een 2 3 vier", "een [-twee drie-][+2 3+] vier", RULES_DIFF_READABLE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rules_diff diff;
        check_roundtrip(cases[i].label, cases[i].old_text, cases[i].new_text, cases[i].flags,
                        &diff);
        char *text = render_text(&diff);
        CHECK_STR(text, cases[i].want, cases[i].label);
        CHECK(diff.within_budget, "%s within budget", cases[i].label);
        free(text);
        rules_diff_free(&diff);
    }

    rules_diff diff;
    check_roundtrip("identical is one segment", "same text", "same text", RULES_DIFF_READABLE,
                    &diff);
    CHECK_INT(diff.count, 1, "one equal segment");
    CHECK_INT(diff.segments[0].op, RULES_DIFF_EQUAL, "equal op");
    CHECK_INT(diff.segments[0].length, 9, "length");
    rules_diff_free(&diff);
    CHECK(diff.segments == NULL && diff.count == 0, "free resets");
    rules_diff_free(&diff); /* twice is harmless */
    rules_diff_free(NULL);

    CHECK(rules_diff_words(NULL, 0, NULL, 0, RULES_DIFF_READABLE, &diff, NULL) == 0,
          "NULL empty inputs");
    CHECK_INT(diff.count, 0, "no segments for empty inputs");
    CHECK(diff.segments == NULL, "no allocation for empty inputs");
    rules_diff_free(&diff);

    /* A multi-byte character must never be split across segments. */
    check_roundtrip("utf-8 intact", "één", "eén", RULES_DIFF_MINIMAL, &diff);
    for (size_t i = 0; i < diff.count; i++) {
        unsigned char first = (unsigned char)diff.segments[i].text[0];
        CHECK(first < 0x80 || first >= 0xC0, "segment %zu starts on a character boundary", i);
    }
    rules_diff_free(&diff);
}

static void test_html(void)
{
    rules_diff diff;
    check_roundtrip("html", "Zie <artikel> & \"noot\" 'x'.", "Zie <artikel> & \"bijlage\" 'x'.",
                    RULES_DIFF_READABLE, &diff);
    char *html = NULL;
    size_t length = 0;
    CHECK(rules_diff_render_html(&diff, &html, &length, NULL) == 0, "render html");
    CHECK_STR(html,
              "Zie &lt;artikel&gt; &amp; &quot;<del>noot</del><ins>bijlage</ins>&quot; "
              "&#39;x&#39;.",
              "html escaped");
    CHECK_INT(length, strlen(html), "html length");
    free(html);
    rules_diff_free(&diff);

    check_roundtrip("html insert of markup", "a", "a <script>", RULES_DIFF_READABLE, &diff);
    CHECK(rules_diff_render_html(&diff, &html, NULL, NULL) == 0, "render html, no length");
    CHECK_STR(html, "a<ins> &lt;script&gt;</ins>", "inserted markup escaped");
    free(html);
    rules_diff_free(&diff);

    rules_diff empty = {NULL, 0, 1};
    CHECK(rules_diff_render_html(&empty, &html, &length, NULL) == 0, "render empty");
    CHECK_STR(html, "", "empty html");
    free(html);
}

/* Deterministic pseudo-random numbers (no global state shared with other tests). */
static unsigned next_random(unsigned *state)
{
    *state = *state * 1103515245u + 12345u;
    return (*state >> 16) & 0x7fff;
}

static const char *const words[] = {
    "de", "het", "een", "klant", "organisatie", "leden", "wordt", "binnen", "dagen",
    "geholpen", "klantenservice", "bereikbaar", "comité", "geëvalueerd", "reëel", "artikel",
    "wijziging", "ALV", "besluit", "ingangsdatum", "opzegging", "meldpunt", "norm", "6a",
};
#define WORD_COUNT (sizeof words / sizeof words[0])

/* Build a text of `count` words separated by spaces and the odd punctuation. */
static char *make_text(unsigned *seed, size_t count)
{
    size_t cap = count * 20 + 1, used = 0;
    char *text = malloc(cap);
    for (size_t i = 0; i < count; i++) {
        const char *word = words[next_random(seed) % WORD_COUNT];
        size_t length = strlen(word);
        memcpy(text + used, word, length);
        used += length;
        unsigned r = next_random(seed) % 20;
        text[used++] = r == 0 ? '.' : r == 1 ? ',' : ' ';
        if (r < 2)
            text[used++] = r == 0 ? '\n' : ' ';
    }
    text[used] = '\0';
    return text;
}

static void test_large(void)
{
    unsigned seed = 20260616u;
    char *old_text = make_text(&seed, 5000);
    size_t old_length = strlen(old_text);
    /* Three changes: replace a word near the start, insert a sentence in the middle,
     * delete a stretch near the end. */
    char *new_text = malloc(old_length + 200);
    size_t a = 137, b = old_length / 2, c = old_length - 400;
    while (old_text[a] != ' ') a++;
    while (old_text[b] != ' ') b++;
    while (old_text[c] != ' ') c++;
    size_t used = 0;
    memcpy(new_text, old_text, a);
    used = a;
    memcpy(new_text + used, " VERVANGEN", 10);
    used += 10;
    size_t skip = a + 1;
    while (old_text[skip] != ' ' && old_text[skip] != '\0') skip++;
    memcpy(new_text + used, old_text + skip, b - skip);
    used += b - skip;
    const char *inserted = " Dit is een nieuwe zin over de klantenservice.";
    memcpy(new_text + used, inserted, strlen(inserted));
    used += strlen(inserted);
    memcpy(new_text + used, old_text + b, c - b);
    used += c - b;
    memcpy(new_text + used, old_text + c + 120, old_length - c - 120);
    used += old_length - c - 120;
    new_text[used] = '\0';

    rules_diff diff;
    clock_t started = clock();
    check_roundtrip("5000 words, 3 changes", old_text, new_text, RULES_DIFF_READABLE, &diff);
    long elapsed_ms = (long)((clock() - started) * 1000 / CLOCKS_PER_SEC);
    CHECK(elapsed_ms < 2000, "fast: %ld ms", elapsed_ms);
    CHECK(diff.within_budget, "within budget");
    /* The changes stay local: few segments, few changed bytes (the inserted sentence
     * may share words like "de" with its surroundings, so a change can split). */
    size_t changes = 0, changed_bytes = 0;
    for (size_t i = 0; i < diff.count; i++)
        if (diff.segments[i].op != RULES_DIFF_EQUAL) {
            changes++;
            changed_bytes += diff.segments[i].length;
        }
    CHECK(changes >= 3 && changes <= 12, "local changes, got %zu segments", changes);
    CHECK(changed_bytes <= 250, "changed bytes %zu", changed_bytes);
    rules_diff_free(&diff);

    /* Two unrelated texts of several thousand words: still exact and quick. */
    char *other = make_text(&seed, 4000);
    started = clock();
    check_roundtrip("unrelated long texts", old_text, other, RULES_DIFF_READABLE, &diff);
    elapsed_ms = (long)((clock() - started) * 1000 / CLOCKS_PER_SEC);
    CHECK(elapsed_ms < 20000, "unrelated texts: %ld ms", elapsed_ms);
    rules_diff_free(&diff);

    free(other);
    free(old_text);
    free(new_text);

    /* Over the size cap. */
    char *huge = calloc(RULES_DIFF_MAX_INPUT + 2, 1);
    memset(huge, 'a', RULES_DIFF_MAX_INPUT + 1);
    alvd_err err;
    alvd_err_clear(&err);
    CHECK(rules_diff_words(huge, RULES_DIFF_MAX_INPUT + 1, "a", 1, 0, &diff, &err) == -1,
          "too long refused");
    CHECK_INT(err.status, 413, "413");
    CHECK_STR(err.code, "text_too_long", "code");
    CHECK(diff.count == 0 && diff.segments == NULL, "empty on error");
    free(huge);
}

/* Token count of text, using the documented token rules. */
static size_t count_tokens(const char *text, size_t *starts, size_t *lengths)
{
    size_t count = 0, i = 0, n = strlen(text);
    while (i < n) {
        size_t start = i;
        unsigned char ch = (unsigned char)text[i];
        int word = (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') ||
                   (ch >= 'a' && ch <= 'z') || ch == '_' || ch >= 0x80;
        int space = ch == ' ' || ch == '\n' || ch == '\t';
        if (word)
            while (i < n && (((unsigned char)text[i] >= '0' && (unsigned char)text[i] <= '9') ||
                             ((unsigned char)text[i] >= 'A' && (unsigned char)text[i] <= 'Z') ||
                             ((unsigned char)text[i] >= 'a' && (unsigned char)text[i] <= 'z') ||
                             text[i] == '_' || (unsigned char)text[i] >= 0x80))
                i++;
        else if (space)
            while (i < n && (text[i] == ' ' || text[i] == '\n' || text[i] == '\t'))
                i++;
        else
            i++;
        starts[count] = start;
        lengths[count] = i - start;
        count++;
    }
    return count;
}

/* Property test: random pairs, exact reconstruction and minimal edit size, the
 * latter compared with a textbook O(nm) LCS over the same tokens. */
static void test_random_against_lcs(void)
{
    unsigned seed = 7u;
    int wrong_size = 0;
    static size_t a_start[400], a_len[400], b_start[400], b_len[400];
    static int table[401][401];
    for (int round = 0; round < 300; round++) {
        char *x = make_text(&seed, next_random(&seed) % 40);
        char *y;
        if (round % 3 == 0) {
            y = make_text(&seed, next_random(&seed) % 40);
        } else {
            /* Mutate x a little so the pair shares structure. */
            y = malloc(strlen(x) + 64);
            size_t len = strlen(x), cut = len ? next_random(&seed) % (len + 1) : 0;
            size_t cut2 = cut + (len - cut ? next_random(&seed) % (len - cut + 1) / 3 : 0);
            memcpy(y, x, cut);
            const char *word = words[next_random(&seed) % WORD_COUNT];
            memcpy(y + cut, word, strlen(word));
            memcpy(y + cut + strlen(word), x + cut2, len - cut2 + 1);
        }
        rules_diff diff;
        check_roundtrip("random", x, y, RULES_DIFF_MINIMAL, &diff);

        size_t n = count_tokens(x, a_start, a_len), m = count_tokens(y, b_start, b_len);
        for (size_t i = 0; i <= n; i++)
            for (size_t j = 0; j <= m; j++) {
                if (i == 0 || j == 0)
                    table[i][j] = 0;
                else if (a_len[i - 1] == b_len[j - 1] &&
                         memcmp(x + a_start[i - 1], y + b_start[j - 1], a_len[i - 1]) == 0)
                    table[i][j] = table[i - 1][j - 1] + 1;
                else
                    table[i][j] = table[i - 1][j] > table[i][j - 1] ? table[i - 1][j]
                                                                     : table[i][j - 1];
            }
        /* Minimal script = it keeps a longest common subsequence of tokens. Equal
         * segments start and end on token boundaries, so re-tokenising them counts
         * the kept tokens exactly. */
        size_t kept = 0;
        for (size_t s = 0; s < diff.count; s++)
            if (diff.segments[s].op == RULES_DIFF_EQUAL) {
                static size_t st[400], ln[400];
                kept += count_tokens(diff.segments[s].text, st, ln);
            }
        if (kept != (size_t)table[n][m])
            wrong_size++;
        rules_diff_free(&diff);
        free(x);
        free(y);
    }
    CHECK_INT(wrong_size, 0, "random diffs keep a longest common subsequence");
}

int main(void)
{
    test_small();
    test_html();
    test_large();
    test_random_against_lcs();
    return check_report("rules_diff");
}
