/* Word diff with Myers' O(ND) algorithm in linear space (middle snake, divide and
 * conquer), after stripping common prefix and suffix; a work budget bounds the cost. */
#include "alvd/rules/diff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct token {
    uint32_t start;  /* byte offset in its text */
    uint32_t length; /* bytes */
    uint64_t hash;   /* FNV-1a of the bytes, to reject most mismatches cheaply */
} token;

typedef struct side {
    const char *text;
    token *tokens;
    unsigned char *kept; /* 1 = part of the common subsequence */
    int32_t count;
} side;

typedef struct diff_context {
    side old_side, new_side;
    int32_t *forward;    /* Myers V arrays, sized for the largest subproblem */
    int32_t *backward;
    long long work_left; /* budget; below 0 = exhausted */
    int exhausted;
} diff_context;

static int is_word_byte(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
           c == '_' || c >= 0x80;
}

static int is_space_byte(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Tokenise text; with tokens == NULL only count. Returns the token count. */
static int32_t tokenize(const char *text, size_t length, token *tokens)
{
    int32_t count = 0;
    size_t i = 0;
    while (i < length) {
        size_t start = i;
        unsigned char c = (unsigned char)text[i];
        if (is_word_byte(c)) {
            while (i < length && is_word_byte((unsigned char)text[i]))
                i++;
        } else if (is_space_byte(c)) {
            while (i < length && is_space_byte((unsigned char)text[i]))
                i++;
        } else {
            i++;
        }
        if (tokens != NULL) {
            uint64_t hash = 1469598103934665603ULL;
            for (size_t k = start; k < i; k++)
                hash = (hash ^ (unsigned char)text[k]) * 1099511628211ULL;
            tokens[count].start = (uint32_t)start;
            tokens[count].length = (uint32_t)(i - start);
            tokens[count].hash = hash;
        }
        count++;
    }
    return count;
}

static int tokens_equal(const diff_context *ctx, int32_t a, int32_t b)
{
    const token *x = &ctx->old_side.tokens[a];
    const token *y = &ctx->new_side.tokens[b];
    return x->hash == y->hash && x->length == y->length &&
           memcmp(ctx->old_side.text + x->start, ctx->new_side.text + y->start, x->length) == 0;
}

static void diff_range(diff_context *ctx, int32_t a0, int32_t n, int32_t b0, int32_t m);

/* Find the middle snake of old[a0..a0+n) vs new[b0..b0+m) and recurse on both
 * halves. When there is none within the budget, the range stays "all changed". */
static void bisect(diff_context *ctx, int32_t a0, int32_t n, int32_t b0, int32_t m)
{
    int32_t max_d = (n + m + 1) / 2;
    int32_t offset = max_d;
    int32_t length = 2 * max_d + 2;
    int32_t *v1 = ctx->forward, *v2 = ctx->backward;
    int32_t delta = n - m;
    int front = (delta % 2) != 0; /* odd delta: overlap is checked on the forward pass */
    int32_t k1start = 0, k1end = 0, k2start = 0, k2end = 0;

    for (int32_t i = 0; i < length; i++)
        v1[i] = v2[i] = -1;
    v1[offset + 1] = 0;
    v2[offset + 1] = 0;

    for (int32_t d = 0; d < max_d; d++) {
        ctx->work_left -= 2 * (long long)d + 2;
        if (ctx->work_left < 0) {
            ctx->exhausted = 1;
            return;
        }
        for (int32_t k1 = -d + k1start; k1 <= d - k1end; k1 += 2) {
            int32_t k1_offset = offset + k1;
            int32_t x1;
            if (k1 == -d || (k1 != d && v1[k1_offset - 1] < v1[k1_offset + 1]))
                x1 = v1[k1_offset + 1];
            else
                x1 = v1[k1_offset - 1] + 1;
            int32_t y1 = x1 - k1;
            int32_t snake_from = x1;
            while (x1 < n && y1 < m && tokens_equal(ctx, a0 + x1, b0 + y1)) {
                x1++;
                y1++;
            }
            ctx->work_left -= x1 - snake_from;
            v1[k1_offset] = x1;
            if (x1 > n) {
                k1end += 2; /* ran off the right edge */
            } else if (y1 > m) {
                k1start += 2; /* ran off the bottom edge */
            } else if (front) {
                int32_t k2_offset = offset + delta - k1;
                if (k2_offset >= 0 && k2_offset < length && v2[k2_offset] != -1) {
                    int32_t x2 = n - v2[k2_offset];
                    if (x1 >= x2) {
                        if ((x1 == 0 && y1 == 0) || (x1 == n && y1 == m))
                            return; /* cannot happen after prefix/suffix stripping */
                        diff_range(ctx, a0, x1, b0, y1);
                        diff_range(ctx, a0 + x1, n - x1, b0 + y1, m - y1);
                        return;
                    }
                }
            }
        }
        for (int32_t k2 = -d + k2start; k2 <= d - k2end; k2 += 2) {
            int32_t k2_offset = offset + k2;
            int32_t x2;
            if (k2 == -d || (k2 != d && v2[k2_offset - 1] < v2[k2_offset + 1]))
                x2 = v2[k2_offset + 1];
            else
                x2 = v2[k2_offset - 1] + 1;
            int32_t y2 = x2 - k2;
            int32_t snake_from = x2;
            while (x2 < n && y2 < m && tokens_equal(ctx, a0 + n - x2 - 1, b0 + m - y2 - 1)) {
                x2++;
                y2++;
            }
            ctx->work_left -= x2 - snake_from;
            v2[k2_offset] = x2;
            if (x2 > n) {
                k2end += 2;
            } else if (y2 > m) {
                k2start += 2;
            } else if (!front) {
                int32_t k1_offset = offset + delta - k2;
                if (k1_offset >= 0 && k1_offset < length && v1[k1_offset] != -1) {
                    int32_t x1 = v1[k1_offset];
                    int32_t y1 = offset + x1 - k1_offset;
                    x2 = n - x2;
                    if (x1 >= x2) {
                        if ((x1 == 0 && y1 == 0) || (x1 == n && y1 == m))
                            return;
                        diff_range(ctx, a0, x1, b0, y1);
                        diff_range(ctx, a0 + x1, n - x1, b0 + y1, m - y1);
                        return;
                    }
                }
            }
        }
    }
    /* No common token at all: the whole range is a replacement. */
}

/* Mark the common tokens of old[a0..a0+n) and new[b0..b0+m) as kept. The V arrays
 * are free again once bisect recurses (it no longer reads them), so one pair of
 * arrays serves the whole recursion. */
static void diff_range(diff_context *ctx, int32_t a0, int32_t n, int32_t b0, int32_t m)
{
    while (n > 0 && m > 0 && tokens_equal(ctx, a0, b0)) {
        ctx->old_side.kept[a0++] = 1;
        ctx->new_side.kept[b0++] = 1;
        n--;
        m--;
    }
    while (n > 0 && m > 0 && tokens_equal(ctx, a0 + n - 1, b0 + m - 1)) {
        ctx->old_side.kept[a0 + n - 1] = 1;
        ctx->new_side.kept[b0 + m - 1] = 1;
        n--;
        m--;
    }
    if (n == 0 || m == 0 || ctx->exhausted)
        return;
    bisect(ctx, a0, n, b0, m);
}

void rules_diff_free(rules_diff *diff)
{
    if (diff == NULL)
        return;
    for (size_t i = 0; i < diff->count; i++)
        free(diff->segments[i].text);
    free(diff->segments);
    diff->segments = NULL;
    diff->count = 0;
    diff->within_budget = 1;
}

static int add_segment(rules_diff *diff, size_t cap, rules_diff_op op, const char *text,
                       size_t length)
{
    if (diff->count >= cap)
        return -1; /* cannot happen with the cap computed in rules_diff_words */
    char *copy = malloc(length + 1);
    if (copy == NULL)
        return -1;
    memcpy(copy, text, length);
    copy[length] = '\0';
    /* segments was sized for the worst case up front, so no realloc here. */
    diff->segments[diff->count].op = op;
    diff->segments[diff->count].text = copy;
    diff->segments[diff->count].length = length;
    diff->count++;
    return 0;
}

/* Byte range covered by tokens [from, to) of a side. */
static size_t span_start(const side *s, int32_t from)
{
    return s->tokens[from].start;
}

static size_t span_length(const side *s, int32_t from, int32_t to)
{
    if (to <= from)
        return 0;
    return (size_t)s->tokens[to - 1].start + s->tokens[to - 1].length - s->tokens[from].start;
}

/* 1 when tokens [from, to) of a side are all whitespace. */
static int all_space(const side *s, int32_t from, int32_t to)
{
    for (int32_t k = from; k < to; k++)
        if (!is_space_byte((unsigned char)s->text[s->tokens[k].start]))
            return 0;
    return 1;
}

/* RULES_DIFF_READABLE: a run of kept whitespace tokens with a change on both sides
 * becomes part of the change, so a rewritten phrase reads as one deletion and one
 * insertion. Kept flags stay paired because the run is unkept on both sides. */
static void fold_lone_spaces(diff_context *ctx)
{
    side *a = &ctx->old_side, *b = &ctx->new_side;
    int32_t i = 0, j = 0, n = a->count, m = b->count;
    int changed_before = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a->kept[i] && b->kept[j]) {
            int32_t from_i = i, from_j = j;
            while (i < n && j < m && a->kept[i] && b->kept[j]) {
                i++;
                j++;
            }
            int changed_after = (i < n && !a->kept[i]) || (j < m && !b->kept[j]);
            if (changed_before && changed_after && all_space(a, from_i, i))
                for (int32_t k = 0; k < i - from_i; k++)
                    a->kept[from_i + k] = b->kept[from_j + k] = 0;
            changed_before = 0;
            continue;
        }
        while (i < n && !a->kept[i])
            i++;
        while (j < m && !b->kept[j])
            j++;
        changed_before = 1;
    }
}

int rules_diff_words(const char *old_text, size_t old_length, const char *new_text,
                     size_t new_length, unsigned flags, rules_diff *out, alvd_err *err)
{
    diff_context ctx;
    memset(&ctx, 0, sizeof ctx);
    memset(out, 0, sizeof *out);
    out->within_budget = 1;

    if (old_length > RULES_DIFF_MAX_INPUT || new_length > RULES_DIFF_MAX_INPUT)
        return alvd_err_set(err, 413, "text_too_long", "text",
                            "De tekst is te lang om te vergelijken (maximaal %u bytes).",
                            RULES_DIFF_MAX_INPUT);
    if (old_text == NULL)
        old_length = 0;
    if (new_text == NULL)
        new_length = 0;

    ctx.old_side.text = old_text;
    ctx.new_side.text = new_text;
    ctx.old_side.count = tokenize(old_text, old_length, NULL);
    ctx.new_side.count = tokenize(new_text, new_length, NULL);
    int32_t n = ctx.old_side.count, m = ctx.new_side.count;
    int32_t v_length = (n + m + 1) / 2 * 2 + 2;
    /* Each equal run is followed by at most one delete and one insert, and there are
     * at most min(n, m) equal runs: 3 per run plus a leading delete/insert pair. */
    size_t segment_cap = 3 * (size_t)(n < m ? n : m) + 3;

    /* calloc(0) may return NULL: always ask for at least one element. */
    ctx.old_side.tokens = calloc((size_t)n + 1, sizeof(token));
    ctx.new_side.tokens = calloc((size_t)m + 1, sizeof(token));
    ctx.old_side.kept = calloc((size_t)n + 1, 1);
    ctx.new_side.kept = calloc((size_t)m + 1, 1);
    ctx.forward = malloc((size_t)v_length * sizeof(int32_t));
    ctx.backward = malloc((size_t)v_length * sizeof(int32_t));
    out->segments = calloc(segment_cap, sizeof(rules_diff_segment));
    if (!ctx.old_side.tokens || !ctx.new_side.tokens || !ctx.old_side.kept ||
        !ctx.new_side.kept || !ctx.forward || !ctx.backward || !out->segments)
        goto out_of_memory;

    tokenize(old_text, old_length, ctx.old_side.tokens);
    tokenize(new_text, new_length, ctx.new_side.tokens);
    ctx.work_left = RULES_DIFF_WORK_BUDGET;
    diff_range(&ctx, 0, n, 0, m);
    out->within_budget = !ctx.exhausted;
    if (flags & RULES_DIFF_READABLE)
        fold_lone_spaces(&ctx);

    /* Kept tokens pair up in order, so one walk yields maximal runs. */
    int32_t i = 0, j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && ctx.old_side.kept[i] && ctx.new_side.kept[j]) {
            int32_t from = i;
            while (i < n && j < m && ctx.old_side.kept[i] && ctx.new_side.kept[j]) {
                i++;
                j++;
            }
            if (add_segment(out, segment_cap, RULES_DIFF_EQUAL, old_text + span_start(&ctx.old_side, from),
                            span_length(&ctx.old_side, from, i)) < 0)
                goto out_of_memory;
            continue;
        }
        int32_t old_from = i, new_from = j;
        while (i < n && !ctx.old_side.kept[i])
            i++;
        while (j < m && !ctx.new_side.kept[j])
            j++;
        if (i > old_from &&
            add_segment(out, segment_cap, RULES_DIFF_DELETE, old_text + span_start(&ctx.old_side, old_from),
                        span_length(&ctx.old_side, old_from, i)) < 0)
            goto out_of_memory;
        if (j > new_from &&
            add_segment(out, segment_cap, RULES_DIFF_INSERT, new_text + span_start(&ctx.new_side, new_from),
                        span_length(&ctx.new_side, new_from, j)) < 0)
            goto out_of_memory;
    }
    if (out->count == 0) {
        free(out->segments);
        out->segments = NULL;
    }

    free(ctx.old_side.tokens);
    free(ctx.new_side.tokens);
    free(ctx.old_side.kept);
    free(ctx.new_side.kept);
    free(ctx.forward);
    free(ctx.backward);
    return 0;

out_of_memory:
    free(ctx.old_side.tokens);
    free(ctx.new_side.tokens);
    free(ctx.old_side.kept);
    free(ctx.new_side.kept);
    free(ctx.forward);
    free(ctx.backward);
    rules_diff_free(out);
    return alvd_err_set(err, 500, "out_of_memory", NULL,
                        "Onvoldoende geheugen om de teksten te vergelijken.");
}

/* Bytes needed for the escaped form of text. */
static size_t escaped_length(const char *text, size_t length)
{
    size_t total = 0;
    for (size_t i = 0; i < length; i++) {
        switch (text[i]) {
        case '&': total += 5; break;   /* &amp; */
        case '<':
        case '>': total += 4; break;   /* &lt; &gt; */
        case '"': total += 6; break;   /* &quot; */
        case '\'': total += 5; break;  /* &#39; */
        default: total += 1; break;
        }
    }
    return total;
}

static char *put(char *at, const char *text, size_t length)
{
    memcpy(at, text, length);
    return at + length;
}

static char *put_escaped(char *at, const char *text, size_t length)
{
    for (size_t i = 0; i < length; i++) {
        switch (text[i]) {
        case '&': at = put(at, "&amp;", 5); break;
        case '<': at = put(at, "&lt;", 4); break;
        case '>': at = put(at, "&gt;", 4); break;
        case '"': at = put(at, "&quot;", 6); break;
        case '\'': at = put(at, "&#39;", 5); break;
        default: *at++ = text[i]; break;
        }
    }
    return at;
}

/* Shared by both renderers: open/close markers per op, escaping on or off. */
static int render(const rules_diff *diff, const char *const open[3], const char *const close[3],
                  int escape, char **result, size_t *result_length, alvd_err *err)
{
    size_t total = 1;
    *result = NULL;
    for (size_t i = 0; diff != NULL && i < diff->count; i++) {
        const rules_diff_segment *segment = &diff->segments[i];
        total += strlen(open[segment->op]) + strlen(close[segment->op]);
        total += escape ? escaped_length(segment->text, segment->length) : segment->length;
    }
    char *buffer = malloc(total);
    if (buffer == NULL)
        return alvd_err_set(err, 500, "out_of_memory", NULL,
                            "Onvoldoende geheugen om de vergelijking te tonen.");
    char *at = buffer;
    for (size_t i = 0; diff != NULL && i < diff->count; i++) {
        const rules_diff_segment *segment = &diff->segments[i];
        at = put(at, open[segment->op], strlen(open[segment->op]));
        at = escape ? put_escaped(at, segment->text, segment->length)
                    : put(at, segment->text, segment->length);
        at = put(at, close[segment->op], strlen(close[segment->op]));
    }
    *at = '\0';
    *result = buffer;
    if (result_length != NULL)
        *result_length = (size_t)(at - buffer);
    return 0;
}

int rules_diff_render_html(const rules_diff *diff, char **html, size_t *length, alvd_err *err)
{
    static const char *const open[3] = {"", "<ins>", "<del>"};
    static const char *const close[3] = {"", "</ins>", "</del>"};
    return render(diff, open, close, 1, html, length, err);
}

int rules_diff_render_text(const rules_diff *diff, char **text, size_t *length, alvd_err *err)
{
    static const char *const open[3] = {"", "[+", "[-"};
    static const char *const close[3] = {"", "+]", "-]"};
    return render(diff, open, close, 0, text, length, err);
}
