/* Complementary suppression for the meldpunt's half-year table (docs/rules.md, "Meldpunt
 * publication"): an exact attack over the published sums, and a greedy choice of extra
 * hidden counts until the attack finds nothing. Values are sets of whole numbers kept
 * as sorted lists of disjoint ranges, so "0 or at least 3" costs two ranges. */
#include "alvd/rules/suppression.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define SPANS_INFINITY (1LL << 40) /* "no upper bound" for a count hidden as "x" */

typedef struct span {
    long long low, high; /* inclusive */
} span;

typedef struct spans {
    span *items;
    size_t count, capacity;
    int failed; /* out of memory: the caller reports it */
} spans;

static void spans_free(spans *set)
{
    free(set->items);
    memset(set, 0, sizeof *set);
}

static long long spans_clamp(long long value)
{
    return value > SPANS_INFINITY ? SPANS_INFINITY : value < -SPANS_INFINITY ? -SPANS_INFINITY : value;
}

static void spans_push(spans *set, long long low, long long high)
{
    if (low > high || set->failed)
        return;
    if (set->count == set->capacity) {
        size_t capacity = set->capacity ? set->capacity * 2 : 8;
        span *items = realloc(set->items, capacity * sizeof *items);
        if (items == NULL) {
            set->failed = 1;
            return;
        }
        set->items = items;
        set->capacity = capacity;
    }
    set->items[set->count++] = (span){spans_clamp(low), spans_clamp(high)};
}

static int span_compare(const void *left, const void *right)
{
    const span *a = left, *b = right;
    return (a->low > b->low) - (a->low < b->low);
}

/* Sort and merge overlapping or adjacent ranges; drop what lies below zero. */
static void spans_normalise(spans *set)
{
    if (set->count == 0)
        return;
    qsort(set->items, set->count, sizeof *set->items, span_compare);
    size_t kept = 0;
    for (size_t i = 0; i < set->count; i++) {
        span item = set->items[i];
        if (item.high < 0)
            continue;
        if (item.low < 0)
            item.low = 0;
        if (kept > 0 && item.low <= set->items[kept - 1].high + 1) {
            if (item.high > set->items[kept - 1].high)
                set->items[kept - 1].high = item.high;
        } else {
            set->items[kept++] = item;
        }
    }
    set->count = kept;
}

static void spans_copy(const spans *from, spans *to)
{
    to->count = 0;
    for (size_t i = 0; i < from->count; i++)
        spans_push(to, from->items[i].low, from->items[i].high);
    to->failed |= from->failed;
}

/* out = {a + b} (sign = 1) or {a − b} (sign = −1). out may not alias a or b. */
static void spans_combine(const spans *a, const spans *b, int sign, spans *out)
{
    out->count = 0;
    out->failed |= a->failed | b->failed;
    for (size_t i = 0; i < a->count; i++)
        for (size_t j = 0; j < b->count; j++) {
            if (sign > 0)
                spans_push(out, a->items[i].low + b->items[j].low, a->items[i].high + b->items[j].high);
            else
                spans_push(out, a->items[i].low - b->items[j].high, a->items[i].high - b->items[j].low);
        }
    spans_normalise(out);
}

/* *set = *set + *other, in place. */
static void spans_add(spans *set, const spans *other)
{
    spans result = {0};
    spans_combine(set, other, 1, &result);
    spans_free(set);
    *set = result;
}

/* *set = *set ∩ *other, in place. */
static void spans_intersect(spans *set, const spans *other)
{
    spans result = {0};
    result.failed = set->failed | other->failed;
    size_t i = 0, j = 0;
    while (i < set->count && j < other->count) {
        long long low = set->items[i].low > other->items[j].low ? set->items[i].low : other->items[j].low;
        long long high = set->items[i].high < other->items[j].high ? set->items[i].high : other->items[j].high;
        spans_push(&result, low, high);
        if (set->items[i].high < other->items[j].high)
            i++;
        else
            j++;
    }
    spans_free(set);
    *set = result;
}

/* 1 when the set holds exactly one value. */
static int spans_single(const spans *set)
{
    return set->count == 1 && set->items[0].low == set->items[0].high;
}

/* What a reader knows of one published entry. */
static void spans_of(rules_cell_state state, long long value, int threshold, spans *out)
{
    out->count = 0;
    if (state == RULES_CELL_SHOWN) {
        spans_push(out, value, value);
    } else if (state == RULES_CELL_SMALL) {
        spans_push(out, 1, threshold - 1);
    } else {
        spans_push(out, 0, SPANS_INFINITY); /* "x" says nothing: any count, small ones too */
    }
}

/* Which hidden entries the attack pins down: [row][column], the row totals, the total. */
typedef struct table_flags {
    unsigned char cells[RULES_TABLE_ROWS_MAX][RULES_TABLE_COLUMNS];
    unsigned char totals[RULES_TABLE_ROWS_MAX];
    unsigned char total;
} table_flags;

/* The sum of a row's cells, except `skip` (−1: none): published ones as numbers. */
static void table_row_sum(const rules_table_row *row, int threshold, int skip, spans *out)
{
    spans cell = {0};
    out->count = 0;
    spans_push(out, 0, 0);
    for (int k = 0; k < RULES_TABLE_COLUMNS; k++) {
        if (k == skip)
            continue;
        spans_of(row->cell_state[k], row->cells[k], threshold, &cell);
        spans_add(out, &cell);
    }
    spans_free(&cell);
}

/* The exact attack (see the header). Two passes over the tree of sums: up, the values
 * each row total and the total can take; down, the values each entry can take given
 * everything else. Returns the number determined, or -1 when memory ran out. */
static int table_check(const rules_table *table, int threshold, table_flags *flags)
{
    size_t n = table->row_count;
    spans rows[RULES_TABLE_ROWS_MAX], prefix[RULES_TABLE_ROWS_MAX + 1], suffix[RULES_TABLE_ROWS_MAX + 1];
    spans total = {0}, work = {0}, other = {0}, allowed = {0};
    int determined = 0, failed = 0;
    memset(rows, 0, sizeof rows);
    memset(prefix, 0, sizeof prefix);
    memset(suffix, 0, sizeof suffix);
    if (flags)
        memset(flags, 0, sizeof *flags);
    /* Whether the total is the sum of the row totals (every report names one norm):
     * then a reader may use it; otherwise it only bounds each row total from above. */
    long long sum = 0;
    for (size_t r = 0; r < n; r++)
        sum += table->rows[r].total;
    int summed = sum == table->total;
    spans_of(table->total_state, table->total, threshold, &total);

    /* Up: each row total's possible values (its own marker ∩ the sums of its cells). */
    for (size_t r = 0; r < n; r++) {
        table_row_sum(&table->rows[r], threshold, -1, &rows[r]);
        spans_of(table->rows[r].total_state, table->rows[r].total, threshold, &work);
        spans_intersect(&rows[r], &work);
        if (!summed && table->total_state == RULES_CELL_SHOWN) {
            work.count = 0;
            spans_push(&work, 0, table->total);
            spans_intersect(&rows[r], &work);
        }
    }
    spans_push(&prefix[0], 0, 0);
    spans_push(&suffix[n], 0, 0);
    for (size_t r = 0; r < n; r++) {
        spans_copy(&prefix[r], &prefix[r + 1]);
        spans_add(&prefix[r + 1], &rows[r]);
    }
    for (size_t r = n; r-- > 0;) {
        spans_copy(&suffix[r + 1], &suffix[r]);
        spans_add(&suffix[r], &rows[r]);
    }
    if (summed)
        spans_intersect(&total, &prefix[n]);
    if (table->total_state != RULES_CELL_SHOWN && spans_single(&total)) {
        determined++;
        if (flags)
            flags->total = 1;
    }

    /* Down: a row total r is possible when total − r is a sum of the other rows. */
    for (size_t r = 0; r < n; r++) {
        spans final = {0};
        spans_copy(&rows[r], &final);
        if (summed) {
            spans_combine(&prefix[r], &suffix[r + 1], 1, &other);
            spans_combine(&total, &other, -1, &work);
            spans_intersect(&final, &work);
        }
        const rules_table_row *row = &table->rows[r];
        if (row->total_state != RULES_CELL_SHOWN && spans_single(&final)) {
            determined++;
            if (flags)
                flags->totals[r] = 1;
        }
        for (int k = 0; k < RULES_TABLE_COLUMNS; k++) {
            if (row->cell_state[k] == RULES_CELL_SHOWN)
                continue;
            table_row_sum(row, threshold, k, &other);
            spans_combine(&final, &other, -1, &work);
            spans_of(row->cell_state[k], row->cells[k], threshold, &allowed);
            spans_intersect(&work, &allowed);
            if (spans_single(&work)) {
                determined++;
                if (flags)
                    flags->cells[r][k] = 1;
            }
        }
        failed |= final.failed;
        spans_free(&final);
    }
    failed |= total.failed | work.failed | other.failed | allowed.failed;
    for (size_t r = 0; r <= n; r++) {
        if (r < n) {
            failed |= rows[r].failed;
            spans_free(&rows[r]);
        }
        failed |= prefix[r].failed | suffix[r].failed;
        spans_free(&prefix[r]);
        spans_free(&suffix[r]);
    }
    spans_free(&total);
    spans_free(&work);
    spans_free(&other);
    spans_free(&allowed);
    return failed ? -1 : determined;
}

static int table_valid(const rules_table *table, alvd_err *err)
{
    if (table->row_count > RULES_TABLE_ROWS_MAX)
        return alvd_err_set(err, 400, "table_too_large", NULL, "Te veel normen in één tabel.");
    if (table->total < 0 || table->total > RULES_TABLE_VALUE_MAX)
        return alvd_err_set(err, 400, "table_too_large", NULL, "Een telling valt buiten het bereik.");
    for (size_t r = 0; r < table->row_count; r++) {
        long long sum = 0;
        for (int k = 0; k < RULES_TABLE_COLUMNS; k++) {
            long long value = table->rows[r].cells[k];
            if (value < 0 || value > RULES_TABLE_VALUE_MAX)
                return alvd_err_set(err, 400, "table_too_large", NULL, "Een telling valt buiten het bereik.");
            sum += value;
        }
        if (sum != table->rows[r].total)
            return alvd_err_set(err, 400, "table_inconsistent", NULL,
                                "Het totaal van een norm is niet de som van zijn oordelen.");
    }
    return 0;
}

int rules_table_disclosed(const rules_table *table, int threshold)
{
    if (threshold <= 0)
        threshold = 3;
    if (table_valid(table, NULL) != 0)
        return -1;
    return table_check(table, threshold, NULL);
}

/* A published entry of the table, addressed as a candidate to hide. */
typedef struct table_entry {
    int row;    /* −1: the total */
    int column; /* −1: the row total */
    int tier;   /* 0: in the same sum as the pinned entry, 1: a sum it belongs to, 2: elsewhere */
} table_entry;

static rules_cell_state *table_state(rules_table *table, table_entry entry, long long *value)
{
    if (entry.row < 0) {
        *value = table->total;
        return &table->total_state;
    }
    rules_table_row *row = &table->rows[entry.row];
    *value = entry.column < 0 ? row->total : row->cells[entry.column];
    return entry.column < 0 ? &row->total_state : &row->cell_state[entry.column];
}

/* Every entry not yet "x" (a "<3" may become "x" when its marker gives it away), with
 * its tier relative to the pinned one: the other entries
 * of its own sum (its row; the row totals when it is one, or the total), then the sum
 * it belongs to, then the rest. */
static size_t table_candidates(rules_table *table, table_entry pinned, table_entry *out)
{
    size_t count = 0;
    long long value;
    for (int r = -1; r < (int)table->row_count; r++)
        for (int c = -1; c < (r < 0 ? 0 : RULES_TABLE_COLUMNS); c++) {
            table_entry candidate = {r, c, 2};
            if (*table_state(table, candidate, &value) == RULES_CELL_HIDDEN)
                continue;
            if (pinned.row >= 0 && pinned.column >= 0) { /* a cell: its row, then its row total */
                if (r == pinned.row)
                    candidate.tier = c >= 0 ? 0 : 1;
            } else if (pinned.row >= 0) { /* a row total: the other row totals, then its cells */
                if (r >= 0 && c < 0)
                    candidate.tier = 0;
                else if (r == pinned.row)
                    candidate.tier = 1;
            } else if (r >= 0 && c < 0) { /* the total: the row totals */
                candidate.tier = 0;
            }
            out[count++] = candidate;
        }
    return count;
}

int rules_suppress_table(rules_table *table, int threshold, alvd_err *err)
{
    if (threshold <= 0)
        threshold = 3;
    if (table_valid(table, err) != 0)
        return -1;
    /* Primary: the small counts themselves. */
    table->total_state = table->total > 0 && table->total < threshold ? RULES_CELL_SMALL : RULES_CELL_SHOWN;
    for (size_t r = 0; r < table->row_count; r++) {
        rules_table_row *row = &table->rows[r];
        row->total_state = row->total > 0 && row->total < threshold ? RULES_CELL_SMALL : RULES_CELL_SHOWN;
        for (int k = 0; k < RULES_TABLE_COLUMNS; k++)
            row->cell_state[k] = row->cells[k] > 0 && row->cells[k] < threshold ? RULES_CELL_SMALL : RULES_CELL_SHOWN;
    }
    /* Secondary: while the attack pins a hidden entry down, hide one more entry. */
    table_entry candidates[RULES_TABLE_ROWS_MAX * (RULES_TABLE_COLUMNS + 1) + 1];
    for (;;) {
        table_flags flags;
        int determined = table_check(table, threshold, &flags);
        if (determined < 0)
            return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        if (determined == 0)
            return 0;
        table_entry pinned = {-1, -1, 0};
        int found = flags.total;
        for (size_t r = 0; r < table->row_count && !found; r++) {
            if (flags.totals[r]) {
                pinned = (table_entry){(int)r, -1, 0};
                found = 1;
            }
            for (int k = 0; k < RULES_TABLE_COLUMNS && !found; k++)
                if (flags.cells[r][k]) {
                    pinned = (table_entry){(int)r, k, 0};
                    found = 1;
                }
        }
        size_t count = table_candidates(table, pinned, candidates);
        if (count == 0)
            return alvd_err_set(err, 500, "suppression_failed", NULL,
                                "De tabel kan niet veilig worden gepubliceerd: elke telling is al afgeschermd.");
        /* The candidate after which fewest entries stay pinned; then the nearest (tier),
         * a non-zero count before a zero, a smaller count before a larger one. */
        size_t best = 0;
        int best_left = -1;
        long long best_value = 0;
        long long value;
        for (size_t i = 0; i < count; i++) {
            rules_cell_state *state = table_state(table, candidates[i], &value);
            rules_cell_state was = *state;
            *state = RULES_CELL_HIDDEN;
            int left = table_check(table, threshold, NULL);
            *state = was;
            if (left < 0)
                return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
            /* A shown count first (non-zero before zero, smaller before larger); a "<3"
             * turned into "x" after that; the headline total only when nothing else helps. */
            long long rank = was == RULES_CELL_SMALL ? RULES_TABLE_VALUE_MAX + 2
                             : value == 0            ? RULES_TABLE_VALUE_MAX + 1
                                                     : value;
            int is_total = candidates[i].row < 0, best_total = candidates[best].row < 0;
            int better = best_left < 0 || is_total < best_total ||
                         (is_total == best_total && left < best_left) ||
                         (is_total == best_total && left == best_left && candidates[i].tier < candidates[best].tier) ||
                         (is_total == best_total && left == best_left && candidates[i].tier == candidates[best].tier &&
                          rank < best_value);
            if (better) {
                best = i;
                best_left = left;
                best_value = rank;
            }
        }
        *table_state(table, candidates[best], &value) = RULES_CELL_HIDDEN;
    }
}
