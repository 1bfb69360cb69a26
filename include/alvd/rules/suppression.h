/* Complementary suppression of the meldpunt's half-year table: small counts are hidden
 * ("<3"), and further counts ("x") until no hidden count follows from what is published
 * by subtraction — over rows, the total and any combination, with what the markers say. */
#ifndef ALVD_RULES_SUPPRESSION_H
#define ALVD_RULES_SUPPRESSION_H

#include <stddef.h>

#include "alvd/base/err.h"

#define RULES_TABLE_COLUMNS 4      /* compliant, non_compliant, explained, pending */
#define RULES_TABLE_ROWS_MAX 64    /* norms in one table */
#define RULES_TABLE_VALUE_MAX 100000 /* larger counts are refused (400 table_too_large) */
#define RULES_SUPPRESSED_MARK "x"  /* a count hidden to protect a small one */

typedef enum rules_cell_state {
    RULES_CELL_SHOWN = 0,  /* published as the number */
    RULES_CELL_SMALL = 1,  /* primary: 1 .. threshold−1, published as "<threshold" */
    RULES_CELL_HIDDEN = 2  /* secondary: published as "x", which says nothing about the count */
} rules_cell_state;

/* One norm: its count per judgement and its total (reports naming the norm). */
typedef struct rules_table_row {
    long long cells[RULES_TABLE_COLUMNS];
    long long total;
    rules_cell_state cell_state[RULES_TABLE_COLUMNS];
    rules_cell_state total_state;
} rules_table_row;

/* The table as published: rows, and the grand total (reports in the half year). The
 * relations a reader can use: each row's total is the sum of its cells, and — when
 * every report names one norm — the grand total is the sum of the row totals. Both are
 * assumed, which protects also in the single-norm case. */
typedef struct rules_table {
    rules_table_row rows[RULES_TABLE_ROWS_MAX];
    size_t row_count;
    long long total;
    rules_cell_state total_state;
} rules_table;

/* Decide every state: counts 1 .. threshold−1 SMALL (primary), then HIDDEN counts
 * (secondary) chosen greedily — the entry that leaves fewest hidden counts determined,
 * nearest to the pinned one, smaller counts first; a SMALL one becomes HIDDEN when its
 * own marker gives it away; the grand total last — until rules_table_disclosed finds
 * none. threshold <= 0 means 3. Values must be 0 .. RULES_TABLE_VALUE_MAX and
 * consistent (row total = sum of its cells); -1 with 400 otherwise. */
int rules_suppress_table(rules_table *table, int threshold, alvd_err *err);

/* The attack: how many hidden counts (SMALL or HIDDEN) take only one value in every
 * solution of the published relations, given that a SMALL count lies in
 * 1 .. threshold−1 and a HIDDEN one is any count >= 0. Exact (whole-number
 * feasibility over the tree of sums). -1 on a bad table. */
int rules_table_disclosed(const rules_table *table, int threshold);

#endif
