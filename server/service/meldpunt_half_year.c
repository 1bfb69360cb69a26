/* The half-year publication of the meldpunt: counts per norm and judgement with small
 * counts shown as "<3" and complementary suppression ("x"), frozen when the officer publishes. */
#include "alvd/service/meldpunt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/rules/meldpunt.h"
#include "alvd/rules/suppression.h"
#include "alvd/store/meldpunt_half_years.h"

static const char *const half_year_judgements[] = {"compliant", "non_compliant", "explained", "pending"};
#define HALF_YEAR_JUDGEMENTS 4
#define HALF_YEAR_NORMS 64

typedef struct half_year_row {
    char norm[17];
    long long reports;
    long long judged[HALF_YEAR_JUDGEMENTS];
} half_year_row;

typedef struct half_year_counts {
    long long reports;
    half_year_row rows[HALF_YEAR_NORMS];
    size_t row_count;
} half_year_counts;

/* Add one (norm, judgement, count) group to the table's rows. */
static void half_year_add(half_year_counts *counts, const store_meldpunt_norm_count *group)
{
    half_year_row *row = NULL;
    for (size_t i = 0; i < counts->row_count; i++)
        if (strcmp(counts->rows[i].norm, group->norm) == 0)
            row = &counts->rows[i];
    if (row == NULL) {
        if (counts->row_count == HALF_YEAR_NORMS)
            return;
        row = &counts->rows[counts->row_count++];
        snprintf(row->norm, sizeof row->norm, "%s", group->norm);
    }
    row->reports += group->count;
    for (size_t j = 0; j < HALF_YEAR_JUDGEMENTS; j++)
        if (strcmp(group->judgement, half_year_judgements[j]) == 0)
            row->judged[j] += group->count;
}

/* Count the reports received in the period, per norm and judgement. Reports whose
 * personal data is gone still count: their norm and judgement rows are kept. */
static int half_year_count(store_conn *conn, rules_half_year period, half_year_counts *counts, alvd_err *err)
{
    rules_day first = 0, last = 0;
    char from[RULES_DATE_TEXT_SIZE], to[RULES_DATE_TEXT_SIZE];
    store_meldpunt_norm_counts groups = {0};
    memset(counts, 0, sizeof *counts);
    rules_half_year_bounds(period, &first, &last);
    rules_date_format(first, from);
    rules_date_format(last, to);
    if (store_meldpunt_half_years_reports(conn, from, to, &counts->reports, err) != 0 ||
        store_meldpunt_half_years_norm_counts(conn, from, to, &groups, err) != 0)
        return -1;
    for (size_t g = 0; g < groups.count; g++)
        half_year_add(counts, &groups.items[g]);
    store_meldpunt_norm_counts_free(&groups);
    return 0;
}

/* One published entry: the number, "<3" (a small count) or "x" (hidden to protect one). */
static json_t *half_year_entry_json(long long value, rules_cell_state state)
{
    char text[RULES_COUNT_TEXT_SIZE];
    if (state == RULES_CELL_SMALL) {
        snprintf(text, sizeof text, "<%d", RULES_SUPPRESS_THRESHOLD);
        return json_string(text);
    }
    if (state == RULES_CELL_HIDDEN)
        return json_string(RULES_SUPPRESSED_MARK);
    return json_integer(value);
}

/* The table as the public may see it: small counts "<3", and further counts "x" until
 * no hidden count follows from the published ones (complementary suppression,
 * server/rules/suppression.c). {"reports", "by_norm", "threshold", "suppressed_mark"}. */
static int half_year_table_json(const half_year_counts *counts, json_t **out, alvd_err *err)
{
    rules_table table;
    memset(&table, 0, sizeof table);
    table.row_count = counts->row_count;
    table.total = counts->reports;
    for (size_t i = 0; i < counts->row_count; i++) {
        table.rows[i].total = counts->rows[i].reports;
        for (size_t j = 0; j < HALF_YEAR_JUDGEMENTS; j++)
            table.rows[i].cells[j] = counts->rows[i].judged[j];
    }
    if (rules_suppress_table(&table, RULES_SUPPRESS_THRESHOLD, err) != 0)
        return -1;
    json_t *by_norm = json_object();
    for (size_t i = 0; i < counts->row_count; i++) {
        json_t *row = json_pack("{s:o}", "reports", half_year_entry_json(table.rows[i].total, table.rows[i].total_state));
        for (size_t j = 0; j < HALF_YEAR_JUDGEMENTS; j++)
            json_object_set_new(row, half_year_judgements[j],
                                half_year_entry_json(table.rows[i].cells[j], table.rows[i].cell_state[j]));
        json_object_set_new(by_norm, counts->rows[i].norm, row);
    }
    *out = json_pack("{s:o, s:o, s:i, s:s}", "reports", half_year_entry_json(table.total, table.total_state),
                     "by_norm", by_norm, "threshold", RULES_SUPPRESS_THRESHOLD, "suppressed_mark",
                     RULES_SUPPRESSED_MARK);
    return 0;
}

static int half_year_compute(store_conn *conn, rules_half_year period, json_t **out, alvd_err *err)
{
    half_year_counts counts;
    *out = NULL;
    if (half_year_count(conn, period, &counts, err) != 0)
        return -1;
    return half_year_table_json(&counts, out, err);
}

int service_meldpunt_half_year_freeze(store_conn *conn, const char *period_text, alvd_err *err)
{
    rules_half_year period;
    json_t *table = NULL;
    int unfrozen = 0;
    if (rules_half_year_parse(period_text, &period, err) != 0 ||
        store_meldpunt_half_years_lock_published(conn, period_text, &unfrozen, err) != 0)
        return -1;
    if (!unfrozen)
        return 0;
    if (half_year_compute(conn, period, &table, err) != 0)
        return -1;
    char *text = json_dumps(table, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(table);
    if (text == NULL)
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    int rc = store_meldpunt_half_years_set_table(conn, period_text, text, err);
    free(text);
    return rc;
}

void service_meldpunt_half_year_view_free(service_meldpunt_half_year_view *view)
{
    json_decref(view->table);
    free(view->guidance);
    free(view->published_at);
    store_result_free(view->suggestions);
    memset(view, 0, sizeof *view);
}

/* A published half year: its frozen table (frozen now when it was published before
 * tables were frozen), guidance and suggestions. */
static int half_year_published_view(store_conn *conn, const char *period_text, store_meldpunt_half_year *row,
                                    service_meldpunt_half_year_view *view, alvd_err *err)
{
    if (row->table_json == NULL) {
        /* Published before tables were frozen: freeze it now, as it stands. */
        store_meldpunt_half_year_free(row);
        if (store_begin(conn, err) != 0 || service_meldpunt_half_year_freeze(conn, period_text, err) != 0 ||
            store_commit(conn, err) != 0 || store_meldpunt_half_years_published(conn, period_text, row, err) != 0) {
            store_rollback(conn);
            return -1;
        }
    }
    json_error_t parse_error;
    view->table = row->table_json ? json_loads(row->table_json, 0, &parse_error) : NULL;
    if (!json_is_object(view->table))
        return alvd_err_set(err, 500, "damaged_report", NULL, "De gepubliceerde tabel van %s is beschadigd.",
                            period_text);
    view->guidance = row->guidance;
    view->published_at = row->published_at;
    row->guidance = row->published_at = NULL;
    return store_meldpunt_half_years_suggestions(conn, period_text, &view->suggestions, err);
}

int service_meldpunt_half_year_view_of(store_conn *conn, const char *period_text, int officer,
                                       service_meldpunt_half_year_view *view, alvd_err *err)
{
    store_meldpunt_half_year row;
    rules_half_year period;
    memset(view, 0, sizeof *view);
    if (rules_half_year_parse(period_text, &period, err) != 0 ||
        store_meldpunt_half_years_published(conn, period_text, &row, err) != 0)
        return -1;
    view->published = row.found;
    int rc = 0;
    if (!view->published && !officer)
        /* Nothing of a half year is public before the officer publishes it, not even
         * live counts: polling them would show each case arrive and its judgement change. */
        rc = alvd_err_set(err, 404, "not_published", "period",
                          "Het meldpunt heeft de rapportage over %s nog niet gepubliceerd.", period_text);
    else if (view->published)
        rc = half_year_published_view(conn, period_text, &row, view, err);
    else
        rc = half_year_compute(conn, period, &view->table, err);
    store_meldpunt_half_year_free(&row);
    if (rc != 0)
        service_meldpunt_half_year_view_free(view);
    return rc;
}

int service_meldpunt_half_year_text(store_conn *conn, const audit_actor *actor, const char *period_text,
                                    const char *guidance, const service_meldpunt_suggestion *suggestions,
                                    size_t suggestion_count, int replace_suggestions, alvd_err *err)
{
    int published = 0;
    if (store_begin(conn, err) != 0 || store_meldpunt_half_years_lock(conn, period_text, &published, err) != 0)
        goto fail;
    if (published) {
        alvd_err_set(err, 409, "published", NULL, "Deze halfjaarrapportage is al gepubliceerd.");
        goto fail;
    }
    if (store_meldpunt_half_years_save_guidance(conn, period_text, guidance, err) != 0 ||
        (replace_suggestions && store_meldpunt_half_years_clear_suggestions(conn, period_text, err) != 0))
        goto fail;
    for (size_t i = 0; i < suggestion_count; i++) {
        const char *article = suggestions[i].article;
        if (store_meldpunt_half_years_add_suggestion(conn, period_text, article && *article ? article : NULL,
                                                     suggestions[i].text, err) != 0)
            goto fail;
    }
    json_t *details = json_pack("{s:s}", "period", period_text);
    int audited = audit_append(conn, err, actor, "meldpunt.half_year_text", "half_year", 0, details);
    json_decref(details);
    if (audited != 0 || store_commit(conn, err) != 0)
        goto fail;
    return 0;
fail:
    store_rollback(conn);
    return -1;
}

int service_meldpunt_half_year_publish(const alvd_app *app, store_conn *conn, const audit_actor *actor,
                                       long long user_id, const char *period_text, alvd_err *err)
{
    rules_half_year period;
    rules_day last = 0;
    char last_text[RULES_DATE_TEXT_SIZE];
    if (rules_half_year_parse(period_text, &period, err) != 0)
        return -1;
    rules_half_year_bounds(period, NULL, &last);
    if (service_meldpunt_today(app) <= last)
        return alvd_err_set(err, 422, "period_not_over", "period", "Het halfjaar %s loopt tot en met %s; publiceer daarna.",
                            period_text, rules_date_format(last, last_text));
    json_t *details = json_pack("{s:s}", "period", period_text);
    int rc = store_begin(conn, err);
    if (rc == 0)
        rc = store_meldpunt_half_years_publish(conn, period_text, user_id, err);
    /* The table is frozen now, suppressed; later judgements do not change it. */
    if (rc == 0)
        rc = service_meldpunt_half_year_freeze(conn, period_text, err);
    if (rc == 0)
        rc = audit_append(conn, err, actor, "meldpunt.half_year_published", "half_year", 0, details);
    json_decref(details);
    if (rc != 0 || store_commit(conn, err) != 0) {
        store_rollback(conn);
        return -1;
    }
    return 0;
}

int service_meldpunt_half_year_suggestions(store_conn *conn, const char *period_text, store_result **rows,
                                           alvd_err *err)
{
    return store_meldpunt_half_years_suggestion_list(conn, period_text, rows, err);
}
