/* Unit tables for server/rules/suppression.c: the issue's subtraction examples, and
 * 3,000 random tables suppressed and then attacked by an independent brute force that
 * enumerates every whole-number solution of the published sums. */
#include "alvd/rules/suppression.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define T 3

static void row_set(rules_table_row *row, long long a, long long b, long long c, long long d)
{
    memset(row, 0, sizeof *row);
    row->cells[0] = a;
    row->cells[1] = b;
    row->cells[2] = c;
    row->cells[3] = d;
    row->total = a + b + c + d;
}

/* ---- the brute force: every value each hidden entry can take ---- */

#define BRUTE_VALUES 64

typedef struct brute_row {
    unsigned char totals[BRUTE_VALUES];                     /* feasible row totals */
    unsigned char cells[BRUTE_VALUES][RULES_TABLE_COLUMNS][BRUTE_VALUES]; /* [total][column][value] */
} brute_row;

static int in_domain(rules_cell_state state, long long true_value, int value)
{
    if (state == RULES_CELL_SHOWN)
        return value == true_value;
    if (state == RULES_CELL_SMALL)
        return value >= 1 && value < T;
    return value >= 0; /* "x": any count */
}

/* Enumerate every assignment of the row's hidden cells (values < bound; shown cells
 * keep their value) and record, per row total, which cell values occur. */
static void brute_row_walk(const rules_table_row *row, int bound, int k, int sum, int *value, brute_row *out)
{
    if (sum >= bound)
        return;
    if (k == RULES_TABLE_COLUMNS) {
        if (!in_domain(row->total_state, row->total, sum))
            return;
        out->totals[sum] = 1;
        for (int j = 0; j < RULES_TABLE_COLUMNS; j++)
            out->cells[sum][j][value[j]] = 1;
        return;
    }
    if (row->cell_state[k] == RULES_CELL_SHOWN) {
        value[k] = (int)row->cells[k];
        brute_row_walk(row, bound, k + 1, sum + value[k], value, out);
        return;
    }
    for (int v = 0; v + sum < bound; v++) {
        if (!in_domain(row->cell_state[k], row->cells[k], v))
            continue;
        value[k] = v;
        brute_row_walk(row, bound, k + 1, sum + v, value, out);
    }
}

static void brute_row_enumerate(const rules_table_row *row, int bound, brute_row *out)
{
    int value[RULES_TABLE_COLUMNS] = {0};
    memset(out, 0, sizeof *out);
    brute_row_walk(row, bound, 0, 0, value, out);
}

/* Feasible combinations of row totals: recursion over rows with the running sum. */
static int brute_reach(const brute_row *rows, size_t n, size_t r, int sum, int bound, const unsigned char *totals_ok,
                       unsigned char (*used)[BRUTE_VALUES], int *chosen)
{
    if (r == n) {
        if (!totals_ok[sum])
            return 0;
        for (size_t i = 0; i < n; i++)
            used[i][chosen[i]] = 1;
        return 1;
    }
    int any = 0;
    for (int v = 0; v + sum < bound; v++) {
        if (!rows[r].totals[v])
            continue;
        chosen[r] = v;
        any |= brute_reach(rows, n, r + 1, sum + v, bound, totals_ok, used, chosen);
    }
    return any;
}

/* Number of hidden entries that take one value only, by enumeration. */
static int brute_disclosed(const rules_table *table, int bound)
{
    static brute_row rows[8];
    unsigned char used[8][BRUTE_VALUES];
    unsigned char totals_ok[2 * BRUTE_VALUES];
    int chosen[8];
    size_t n = table->row_count;
    long long sum = 0;
    for (size_t r = 0; r < n; r++) {
        brute_row_enumerate(&table->rows[r], bound, &rows[r]);
        sum += table->rows[r].total;
    }
    int summed = sum == table->total;
    memset(used, 0, sizeof used);
    memset(totals_ok, 0, sizeof totals_ok);
    int determined = 0;
    if (summed) {
        /* The total equals the sum of the row totals: enumerate the joint values. */
        int total_values = 0, last = -1;
        for (int g = 0; g < bound; g++) {
            if (!in_domain(table->total_state, table->total, g))
                continue;
            unsigned char only[2 * BRUTE_VALUES] = {0};
            only[g] = 1;
            if (brute_reach(rows, n, 0, 0, bound, only, used, chosen)) {
                total_values++;
                last = g;
            }
        }
        (void)last;
        if (table->total_state != RULES_CELL_SHOWN && total_values == 1)
            determined++;
    } else {
        for (size_t r = 0; r < n; r++)
            for (int v = 0; v < bound; v++)
                used[r][v] = rows[r].totals[v] &&
                             (table->total_state != RULES_CELL_SHOWN || v <= table->total);
        int total_values = 0;
        for (int g = 0; g < bound; g++)
            total_values += in_domain(table->total_state, table->total, g);
        if (table->total_state != RULES_CELL_SHOWN && total_values == 1)
            determined++;
    }
    for (size_t r = 0; r < n; r++) {
        const rules_table_row *row = &table->rows[r];
        int count = 0;
        for (int v = 0; v < bound; v++)
            count += used[r][v];
        if (row->total_state != RULES_CELL_SHOWN && count == 1)
            determined++;
        for (int k = 0; k < RULES_TABLE_COLUMNS; k++) {
            if (row->cell_state[k] == RULES_CELL_SHOWN)
                continue;
            int values = 0;
            for (int x = 0; x < bound; x++) {
                int possible = 0;
                for (int v = 0; v < bound && !possible; v++)
                    possible = used[r][v] && rows[r].cells[v][k][x];
                values += possible;
            }
            if (values == 1)
                determined++;
        }
    }
    return determined;
}

/* ---- tests ---- */

static void test_issue_example(void)
{
    /* CSV "6a,4,3,<3,0,0": the small count is 4 − 3 − 0 − 0 = 1. */
    rules_table table;
    memset(&table, 0, sizeof table);
    table.row_count = 2;
    row_set(&table.rows[0], 3, 1, 0, 0);
    row_set(&table.rows[1], 5, 0, 4, 0);
    table.total = 13;
    table.total_state = RULES_CELL_SHOWN;
    table.rows[0].cell_state[1] = RULES_CELL_SMALL;
    CHECK(rules_table_disclosed(&table, T) >= 1, "primary suppression alone: row 6a gives the small count");

    alvd_err err;
    alvd_err_clear(&err);
    CHECK(rules_suppress_table(&table, T, &err) == 0, "suppress: %s", err.message);
    CHECK_INT(table.rows[0].cell_state[1], RULES_CELL_SMALL, "the small count stays <3");
    CHECK_INT(rules_table_disclosed(&table, T), 0, "nothing follows after complementary suppression");
    CHECK_INT(brute_disclosed(&table, 30), 0, "brute force agrees");
    int hidden = 0;
    for (int k = 0; k < RULES_TABLE_COLUMNS; k++)
        hidden += table.rows[0].cell_state[k] != RULES_CELL_SHOWN;
    CHECK(hidden >= 2 || table.rows[0].total_state != RULES_CELL_SHOWN, "a second entry of row 6a is hidden");

    /* The total gives another: one norm "<3" and the total shown. */
    memset(&table, 0, sizeof table);
    table.row_count = 3;
    row_set(&table.rows[0], 1, 0, 0, 0);
    row_set(&table.rows[1], 4, 0, 0, 0);
    row_set(&table.rows[2], 3, 3, 0, 0);
    table.total = 11;
    alvd_err_clear(&err);
    CHECK(rules_suppress_table(&table, T, &err) == 0, "suppress: %s", err.message);
    CHECK(table.rows[0].total_state != RULES_CELL_SHOWN, "the small row total is not shown");
    CHECK_INT(rules_table_disclosed(&table, T), 0, "the total does not give it away");
    CHECK_INT(brute_disclosed(&table, 30), 0, "brute force agrees (total)");
    CHECK_INT(table.total_state, RULES_CELL_SHOWN, "the headline total stays published");

    /* Markers leak too: two "<3" in a row whose total is "<3" are both 1. */
    memset(&table, 0, sizeof table);
    table.row_count = 2;
    row_set(&table.rows[0], 1, 1, 0, 0);
    row_set(&table.rows[1], 4, 0, 3, 0);
    table.total = 9;
    table.rows[0].cell_state[0] = RULES_CELL_SMALL;
    table.rows[0].cell_state[1] = RULES_CELL_SMALL;
    table.rows[0].total_state = RULES_CELL_SMALL;
    table.rows[1].total_state = RULES_CELL_HIDDEN;
    table.rows[1].cell_state[0] = RULES_CELL_HIDDEN;
    CHECK(rules_table_disclosed(&table, T) >= 2, "1 + 1 = 2 is the only split under 3");
    CHECK(brute_disclosed(&table, 30) >= 2, "brute force finds it too");
    alvd_err_clear(&err);
    CHECK(rules_suppress_table(&table, T, &err) == 0, "suppress: %s", err.message);
    CHECK_INT(rules_table_disclosed(&table, T), 0, "protected");
    CHECK_INT(brute_disclosed(&table, 30), 0, "brute force agrees (markers)");

    /* Nothing small, nothing hidden. */
    memset(&table, 0, sizeof table);
    table.row_count = 2;
    row_set(&table.rows[0], 5, 0, 3, 0);
    row_set(&table.rows[1], 0, 0, 0, 0);
    table.total = 8;
    CHECK(rules_suppress_table(&table, T, &err) == 0, "plain table");
    for (int k = 0; k < RULES_TABLE_COLUMNS; k++)
        CHECK_INT(table.rows[0].cell_state[k], RULES_CELL_SHOWN, "shown");

    /* Inconsistent input is refused. */
    table.rows[0].total = 9;
    alvd_err_clear(&err);
    CHECK(rules_suppress_table(&table, T, &err) == -1, "a row total that is not the sum");
    CHECK_STR(err.code, "table_inconsistent", "code");
}

/* Deterministic pseudo-random numbers (xorshift), so a failure can be replayed. */
static uint64_t random_state = 0x9E3779B97F4A7C15ULL;
static unsigned random_below(unsigned n)
{
    random_state ^= random_state << 13;
    random_state ^= random_state >> 7;
    random_state ^= random_state << 17;
    return (unsigned)(random_state % n);
}

static void test_random(void)
{
    int tables = 0, protected_ok = 0, agree = 0, secondary = 0, multi = 0, upgraded = 0, total_hidden = 0;
    for (int i = 0; i < 3000; i++) {
        rules_table table;
        memset(&table, 0, sizeof table);
        table.row_count = 1 + random_below(3);
        long long sum = 0;
        for (size_t r = 0; r < table.row_count; r++) {
            /* Mostly small counts: the hard case. */
            long long v[4];
            for (int k = 0; k < 4; k++)
                v[k] = random_below(3) == 0 ? 0 : random_below(5);
            row_set(&table.rows[r], v[0], v[1], v[2], v[3]);
            sum += table.rows[r].total;
        }
        /* One table in four has reports naming two norms: the total is below the sum. */
        int several = random_below(4) == 0 && sum > 1;
        table.total = several ? sum - 1 - random_below((unsigned)(sum / 2)) : sum;
        multi += several;
        alvd_err err;
        alvd_err_clear(&err);
        rules_table original = table;
        if (rules_suppress_table(&table, T, &err) != 0) {
            CHECK(0, "table %d: %s", i, err.message);
            if (getenv("DEBUG_TABLES")) {
                for (size_t r = 0; r < original.row_count; r++)
                    fprintf(stderr, "  row %zu: %lld %lld %lld %lld = %lld\n", r, original.rows[r].cells[0],
                            original.rows[r].cells[1], original.rows[r].cells[2], original.rows[r].cells[3],
                            original.rows[r].total);
                fprintf(stderr, "  total %lld\n", original.total);
            }
            continue;
        }
        tables++;
        for (size_t r = 0; r < table.row_count; r++)
            for (int k = 0; k < 4; k++)
                secondary += table.rows[r].cell_state[k] == RULES_CELL_HIDDEN;
        int disclosed = rules_table_disclosed(&table, T);
        int brute = brute_disclosed(&table, (int)(sum + 2 * T + 2 < BRUTE_VALUES ? sum + 2 * T + 2 : BRUTE_VALUES));
        protected_ok += disclosed == 0 && brute == 0;
        agree += disclosed == brute;
        CHECK(disclosed == 0 && brute == 0, "table %d: %d (brute %d) hidden counts follow", i, disclosed, brute);
        /* A small count is never shown (at most "x" instead of "<3"). */
        for (size_t r = 0; r < table.row_count; r++)
            for (int k = 0; k < 4; k++)
                if (table.rows[r].cells[k] > 0 && table.rows[r].cells[k] < T) {
                    CHECK(table.rows[r].cell_state[k] != RULES_CELL_SHOWN, "table %d: a small count shown", i);
                    upgraded += table.rows[r].cell_state[k] == RULES_CELL_HIDDEN;
                }
        total_hidden += table.total_state == RULES_CELL_HIDDEN;
    }
    printf("random tables: %d suppressed, %d protected (brute force), %d agreements, %d secondary cells (%d of them "
           "a \"<3\" shown as x), total hidden in %d, %d with multi-norm reports\n",
           tables, protected_ok, agree, secondary, upgraded, total_hidden, multi);
}

/* The attack itself against the brute force on unprotected random tables: both find
 * the same number of pinned entries. */
static void test_attack_agrees(void)
{
    int pinned = 0;
    for (int i = 0; i < 1500; i++) {
        rules_table table;
        memset(&table, 0, sizeof table);
        table.row_count = 1 + random_below(3);
        long long sum = 0;
        for (size_t r = 0; r < table.row_count; r++) {
            row_set(&table.rows[r], random_below(5), random_below(4), random_below(3), random_below(3));
            sum += table.rows[r].total;
            for (int k = 0; k < 4; k++)
                table.rows[r].cell_state[k] = (rules_cell_state)random_below(2) ? RULES_CELL_SHOWN
                                              : table.rows[r].cells[k] > 0 && table.rows[r].cells[k] < T
                                                  ? RULES_CELL_SMALL
                                                  : RULES_CELL_HIDDEN;
            if (random_below(4) == 0)
                table.rows[r].total_state = table.rows[r].total > 0 && table.rows[r].total < T ? RULES_CELL_SMALL
                                                                                                 : RULES_CELL_HIDDEN;
        }
        table.total = sum;
        if (random_below(5) == 0)
            table.total_state = sum > 0 && sum < T ? RULES_CELL_SMALL : RULES_CELL_HIDDEN;
        int attack = rules_table_disclosed(&table, T);
        int brute = brute_disclosed(&table, (int)(sum + 2 * T + 2 < BRUTE_VALUES ? sum + 2 * T + 2 : BRUTE_VALUES));
        CHECK(attack == brute, "table %d: attack %d, brute force %d", i, attack, brute);
        pinned += attack;
    }
    printf("attack vs brute force: 1500 tables, %d pinned entries found by both\n", pinned);
}

int main(void)
{
    test_issue_example();
    test_random();
    test_attack_agrees();
    return check_report("rules_suppression");
}
