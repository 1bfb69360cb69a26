/* Word-level diff of two UTF-8 texts (old article text → new), for showing
 * amendment proposals and revised consultation drafts with <ins>/<del>. */
#ifndef ALVD_RULES_DIFF_H
#define ALVD_RULES_DIFF_H

#include <stddef.h>

#include "alvd/base/err.h"

#define RULES_DIFF_MAX_INPUT (1024u * 1024u) /* bytes per side; larger → 413 */
#define RULES_DIFF_WORK_BUDGET 200000000LL   /* Myers steps before falling back; a
                                              * whole-text rewrite of 1 MiB stays well under */

typedef enum rules_diff_op {
    RULES_DIFF_EQUAL = 0,  /* text in both */
    RULES_DIFF_INSERT = 1, /* text only in the new version */
    RULES_DIFF_DELETE = 2  /* text only in the old version */
} rules_diff_op;

typedef struct rules_diff_segment {
    rules_diff_op op;
    char *text;    /* owned by the rules_diff; NUL-terminated copy of length bytes */
    size_t length; /* bytes, excluding the NUL */
} rules_diff_segment;

/* Flags for rules_diff_words. */
#define RULES_DIFF_MINIMAL 0u   /* the minimal token edit script, nothing else */
#define RULES_DIFF_READABLE 1u  /* also fold whitespace-only equal runs that sit between
                                 * two changes into the change: "[-alpha beta-][+gamma
                                 * delta+]" rather than "[-alpha-][+gamma+] [-beta-]..." */

typedef struct rules_diff {
    rules_diff_segment *segments; /* owned; NULL when count is 0 */
    size_t count;
    int within_budget; /* 1 when the search finished within RULES_DIFF_WORK_BUDGET (then,
                        * without RULES_DIFF_READABLE, the script is minimal); 0 when some
                        * stretch was given up and shown as one deletion + one insertion */
} rules_diff;

/* Diff old_text[0..old_length) against new_text[0..new_length). Either text may be
 * NULL when its length is 0. Tokens: runs of word characters (ASCII letters, digits,
 * '_' and every byte >= 0x80, so UTF-8 sequences are never split), runs of
 * whitespace, and single other characters. flags: RULES_DIFF_MINIMAL or
 * RULES_DIFF_READABLE (for display). Segments alternate between equal and
 * changed runs; between two equal runs there is at most one delete followed by at
 * most one insert. Concatenating equal+delete gives old_text; equal+insert gives
 * new_text. On success returns 0 and *out owns the segments (free with
 * rules_diff_free). Errors: 413 "text_too_long", 500 "out_of_memory"; *out is then
 * empty and needs no free (freeing it is harmless). */
int rules_diff_words(const char *old_text, size_t old_length, const char *new_text,
                     size_t new_length, unsigned flags, rules_diff *out, alvd_err *err);

/* Free the segments and reset *diff to empty. NULL is accepted. */
void rules_diff_free(rules_diff *diff);

/* Render as HTML: equal text escaped, inserts as <ins>…</ins>, deletes as
 * <del>…</del> (& < > " ' escaped). *html is malloc'd and NUL-terminated, the caller
 * frees it; *length (may be NULL) gets its length. 500 "out_of_memory" on failure. */
int rules_diff_render_html(const rules_diff *diff, char **html, size_t *length, alvd_err *err);

/* Render as plain text with [+inserted+] and [-deleted-] markers. Ownership as for
 * rules_diff_render_html. */
int rules_diff_render_text(const rules_diff *diff, char **text, size_t *length, alvd_err *err);

#endif
