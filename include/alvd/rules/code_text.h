/* The Code importer: turns a Code text in Markdown (numbered articles, lettered
 * norms with an emphasised title) into a list of articles with stable ids. */
#ifndef ALVD_RULES_CODE_TEXT_H
#define ALVD_RULES_CODE_TEXT_H

#include <stddef.h>

#include "alvd/base/err.h"

#define RULES_CODE_TEXT_MAX_INPUT (1024u * 1024u) /* bytes of Markdown; larger → 413 */
#define RULES_CODE_TEXT_MAX_ARTICLES 1000         /* articles + norms; more → 422 */
#define RULES_CODE_ARTICLE_ID_SIZE 16             /* "9999z" + NUL fits easily */
#define RULES_CODE_TITLE_MAX 300                  /* bytes of a title (the column holds 300) */
#define RULES_CODE_ARTICLE_NUMBER_MAX 9999

typedef struct rules_code_article {
    char id[RULES_CODE_ARTICLE_ID_SIZE]; /* "1", "6", "6a" */
    char *title;                          /* owned, NUL-terminated, never NULL */
    char *text;                           /* owned, NUL-terminated, may be "" */
} rules_code_article;

typedef struct rules_code_text {
    rules_code_article *articles; /* owned, in document order; NULL when count is 0 */
    size_t count;
} rules_code_text;

/* Parse markdown[0..length) (UTF-8; markdown may be NULL when length is 0).
 *
 * Articles: a line "N. Title" (optionally "## N. Title" or "Artikel N Title"), where
 * N is 1..9999 and, after the first article, exactly the previous number + 1; the
 * title is at most 150 bytes and does not end in . , ; or : (so a numbered list item
 * in running text is not taken for an article).
 * Norms: inside an article, a line "- a. *Title:*" or "c. *Title*" (bullet optional,
 * letters in order from a, title emphasised with * or **) starts article "<N><letter>"
 * with that title; the text of the article before its first norm stays the article.
 * Text before the first article is ignored. Lines keep their words; trailing blanks
 * are dropped and runs of blank lines become one blank line.
 *
 * Returns 0 with *out owning the articles (free with rules_code_text_free), or -1:
 * 413 "text_too_long", 422 "bad_encoding" (not UTF-8, or a NUL byte), 422
 * "no_articles", 422 "too_many_articles", 500 "out_of_memory" (field "markdown");
 * *out is then empty. Never reads outside markdown[0..length). */
int rules_code_text_parse(const char *markdown, size_t length, rules_code_text *out,
                          alvd_err *err);

/* Free the articles and reset *text to empty. NULL is accepted. */
void rules_code_text_free(rules_code_text *text);

/* 1 when text[0..length) is valid UTF-8 (no overlong forms, no surrogates, at most
 * U+10FFFF) without NUL bytes. */
int rules_code_text_is_utf8(const char *text, size_t length);

#endif
