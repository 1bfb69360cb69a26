/* The half-year publication of the meldpunt: counts per norm and judgement with small
 * counts shown as "<3" and complementary suppression ("x"), frozen when the officer
 * publishes (nothing public before; the officer sees a marked preview), in JSON and CSV,
 * with guidance text and amendment suggestions. */
#include "alvd/api/meldpunt.h"

#include <stdio.h>
#include <string.h>

#include "alvd/base/buf.h"
#include "alvd/crypto/audit.h"
#include "alvd/http/input.h"
#include "alvd/rules/meldpunt.h"
#include "alvd/rules/suppression.h"

static const char *const half_year_judgements[] = {"compliant", "non_compliant", "explained", "pending"};
#define HALF_YEAR_JUDGEMENTS 4

typedef struct half_year_row {
    char norm[17];
    long long reports;
    long long judged[HALF_YEAR_JUDGEMENTS];
} half_year_row;

typedef struct half_year_counts {
    long long reports;
    half_year_row rows[64];
    size_t row_count;
} half_year_counts;

static int half_year_period(http_request *request, rules_half_year *period, char text[RULES_HALF_YEAR_TEXT_SIZE])
{
    alvd_err err;
    alvd_err_clear(&err);
    if (rules_half_year_parse(http_request_param(request, "period"), period, &err) != 0) {
        http_reply_err(request, &err);
        return -1;
    }
    rules_half_year_format(*period, text);
    return 0;
}

/* Count the reports received in the period, per norm and judgement. Reports whose
 * personal data is gone still count: their norm and judgement rows are kept. */
static int half_year_count(store_conn *conn, rules_half_year period, half_year_counts *counts, alvd_err *err)
{
    rules_day first = 0, last = 0;
    char from[RULES_DATE_TEXT_SIZE], to[RULES_DATE_TEXT_SIZE];
    store_result *rows = NULL;
    memset(counts, 0, sizeof *counts);
    rules_half_year_bounds(period, &first, &last);
    rules_date_format(first, from);
    rules_date_format(last, to);
    if (store_query(conn, err, &rows, "SELECT COUNT(*) FROM meldpunt_reports WHERE received_on BETWEEN ? AND ?",
                    STORE_PARAMS(STORE_TEXT_PARAM(from), STORE_TEXT_PARAM(to))) != 0)
        return -1;
    counts->reports = store_result_int(rows, 0, 0);
    store_result_free(rows);
    rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT n.norm, r.judgement, COUNT(*) FROM meldpunt_report_norms n"
                    " JOIN meldpunt_reports r ON r.id = n.report_id WHERE r.received_on BETWEEN ? AND ?"
                    " GROUP BY n.norm, r.judgement ORDER BY LENGTH(n.norm), n.norm",
                    STORE_PARAMS(STORE_TEXT_PARAM(from), STORE_TEXT_PARAM(to))) != 0)
        return -1;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        const char *norm = store_result_text(rows, r, 0);
        half_year_row *row = NULL;
        for (size_t i = 0; i < counts->row_count; i++)
            if (strcmp(counts->rows[i].norm, norm) == 0)
                row = &counts->rows[i];
        if (row == NULL) {
            if (counts->row_count == sizeof counts->rows / sizeof counts->rows[0])
                continue;
            row = &counts->rows[counts->row_count++];
            snprintf(row->norm, sizeof row->norm, "%s", norm);
        }
        long long count = store_result_int(rows, r, 2);
        row->reports += count;
        for (size_t j = 0; j < HALF_YEAR_JUDGEMENTS; j++)
            if (strcmp(store_result_text(rows, r, 1), half_year_judgements[j]) == 0)
                row->judged[j] += count;
    }
    store_result_free(rows);
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

static void half_year_csv_value(alvd_buf *csv, json_t *value)
{
    if (json_is_integer(value))
        buf_appendf(csv, ",%lld", (long long)json_integer_value(value));
    else
        buf_appendf(csv, ",%s", json_string_value(value) ? json_string_value(value) : "");
}

/* The CSV of a table as published (the same entries as the JSON). */
static void half_year_csv(http_request *request, const char *period_text, json_t *table, int preview)
{
    alvd_buf csv;
    buf_init(&csv, 256 * 1024);
    buf_append_str(&csv, "norm,reports,compliant,non_compliant,explained,pending\r\n");
    const char *norm;
    json_t *row;
    json_object_foreach(json_object_get(table, "by_norm"), norm, row) {
        buf_append_csv(&csv, norm);
        half_year_csv_value(&csv, json_object_get(row, "reports"));
        for (size_t j = 0; j < HALF_YEAR_JUDGEMENTS; j++)
            half_year_csv_value(&csv, json_object_get(row, half_year_judgements[j]));
        buf_append_str(&csv, "\r\n");
    }
    buf_append_str(&csv, "total");
    half_year_csv_value(&csv, json_object_get(table, "reports"));
    buf_append_str(&csv, ",,,,\r\n");
    size_t length = 0;
    char *data = buf_take(&csv, &length);
    char disposition[112];
    snprintf(disposition, sizeof disposition, "attachment; filename=\"meldpunt-%s%s.csv\"", period_text,
             preview ? "-concept-niet-gepubliceerd" : "");
    http_reply_bytes(request, 200, "text/csv; charset=utf-8", data, length);
    http_reply_header(request, "Content-Disposition", disposition);
}

int meldpunt_half_year_freeze(store_conn *conn, const char *period_text, alvd_err *err)
{
    rules_half_year period;
    store_result *rows = NULL;
    json_t *table = NULL;
    if (rules_half_year_parse(period_text, &period, err) != 0 ||
        store_query(conn, err, &rows,
                    "SELECT published_table IS NULL FROM meldpunt_half_years WHERE period = ?"
                    " AND published_at IS NOT NULL FOR UPDATE",
                    STORE_PARAMS(STORE_TEXT_PARAM(period_text))) != 0)
        return -1;
    int missing = store_result_rows(rows) == 1 && store_result_int(rows, 0, 0);
    store_result_free(rows);
    if (!missing)
        return 0;
    if (half_year_compute(conn, period, &table, err) != 0)
        return -1;
    char *text = json_dumps(table, JSON_COMPACT | JSON_PRESERVE_ORDER);
    json_decref(table);
    if (text == NULL)
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    int rc = store_execute(conn, err, NULL, "UPDATE meldpunt_half_years SET published_table = ? WHERE period = ?",
                           STORE_PARAMS(STORE_TEXT_PARAM(text), STORE_TEXT_PARAM(period_text)));
    free(text);
    return rc;
}

void meldpunt_half_year_get(http_request *request)
{
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL, *suggestions = NULL;
    rules_half_year period;
    char period_text[RULES_HALF_YEAR_TEXT_SIZE], from[RULES_DATE_TEXT_SIZE], to[RULES_DATE_TEXT_SIZE];
    json_t *table = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (half_year_period(request, &period, period_text) != 0)
        return;
    const char *format = http_request_query(request, "format");
    if (format && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0) {
        http_reply_error(request, 400, "bad_format", "format", "Kies format=json of format=csv.");
        return;
    }
    if (store_query(conn, &err, &rows,
                    "SELECT guidance, published_at, published_table FROM meldpunt_half_years WHERE period = ?"
                    " AND published_at IS NOT NULL",
                    STORE_PARAMS(STORE_TEXT_PARAM(period_text))) != 0)
        goto fail;
    int published = store_result_rows(rows) == 1;
    int officer = (http_request_principal(request)->roles & AUTH_MELDPUNT) != 0;
    if (!published && !officer) {
        /* Nothing of a half year is public before the officer publishes it, not even
         * live counts: polling them would show each case arrive and its judgement change. */
        store_result_free(rows);
        http_reply_error(request, 404, "not_published", "period",
                         "Het meldpunt heeft de rapportage over %s nog niet gepubliceerd.", period_text);
        return;
    }
    if (published && store_result_is_null(rows, 0, 2)) {
        /* Published before tables were frozen: freeze it now, as it stands. */
        store_result_free(rows);
        rows = NULL;
        if (store_begin(conn, &err) != 0 || meldpunt_half_year_freeze(conn, period_text, &err) != 0 ||
            store_commit(conn, &err) != 0 ||
            store_query(conn, &err, &rows,
                        "SELECT guidance, published_at, published_table FROM meldpunt_half_years WHERE period = ?",
                        STORE_PARAMS(STORE_TEXT_PARAM(period_text))) != 0)
            goto fail;
    }
    if (published) {
        json_error_t parse_error;
        table = json_loads(store_result_text(rows, 0, 2), 0, &parse_error);
        if (!json_is_object(table)) {
            alvd_err_set(&err, 500, "damaged_report", NULL, "De gepubliceerde tabel van %s is beschadigd.", period_text);
            goto fail;
        }
    } else if (half_year_compute(conn, period, &table, &err) != 0) {
        goto fail;
    }
    if (format && strcmp(format, "csv") == 0) {
        half_year_csv(request, period_text, table, !published);
        goto done;
    }
    rules_day first = 0, last = 0;
    rules_half_year_bounds(period, &first, &last);
    json_t *body = json_pack("{s:s, s:s, s:s}", "period", period_text, "from", rules_date_format(first, from), "to",
                             rules_date_format(last, to));
    json_object_update(body, table);
    json_object_set_new(body, "published", json_boolean(published));
    if (!published) {
        json_object_set_new(body, "preview", json_true());
        json_object_set_new(body, "preview_note",
                            json_string("Concept, niet gepubliceerd: alleen het meldpunt ziet dit. De tabel verschijnt "
                                        "pas na publicatie, en staat dan vast."));
        json_object_set_new(body, "guidance", json_null());
        json_object_set_new(body, "suggestions", json_array());
        http_reply_json(request, 200, body);
        goto done;
    }
    if (store_query(conn, &err, &suggestions,
                    "SELECT id, article, text, proposal_id FROM meldpunt_suggestions WHERE period = ? ORDER BY id",
                    STORE_PARAMS(STORE_TEXT_PARAM(period_text))) != 0) {
        json_decref(body);
        goto fail;
    }
    json_object_set_new(body, "published_at", json_string(store_result_text(rows, 0, 1)));
    json_object_set_new(body, "guidance",
                        store_result_text(rows, 0, 0) ? json_string(store_result_text(rows, 0, 0)) : json_null());
    json_object_set_new(body, "suggestions", store_result_json(suggestions));
    http_reply_json(request, 200, body);
    goto done;
fail:
    http_reply_err(request, &err);
done:
    json_decref(table);
    store_result_free(rows);
    store_result_free(suggestions);
}

void meldpunt_half_year_text(http_request *request)
{
    static const char *const fields[] = {"guidance", "suggestions", NULL};
    static const char *const suggestion_fields[] = {"article", "text", NULL};
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    rules_half_year period;
    char period_text[RULES_HALF_YEAR_TEXT_SIZE];
    const char *guidance = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    json_t *body = http_request_json(request);
    json_t *list = json_object_get(body, "suggestions");
    if (half_year_period(request, &period, period_text) != 0)
        return;
    if (input_only(body, fields, &err) != 0 || input_string(body, "guidance", 0, 20000, &guidance, &err) != 0)
        goto fail;
    if (list && !json_is_array(list)) {
        alvd_err_set(&err, 400, "bad_type", "suggestions", "Voorstellen horen in een lijst.");
        goto fail;
    }
    for (size_t i = 0; list && i < json_array_size(list); i++) {
        json_t *item = json_array_get(list, i);
        const char *article = NULL, *text = NULL;
        if (!json_is_object(item) || input_only(item, suggestion_fields, &err) != 0 ||
            input_string(item, "article", 0, 16, &article, &err) != 0 ||
            input_string(item, "text", 1, 5000, &text, &err) != 0) {
            if (!alvd_err_is_set(&err))
                alvd_err_set(&err, 400, "bad_type", "suggestions", "Een voorstel is geen object.");
            goto fail;
        }
    }
    if (store_begin(conn, &err) != 0 ||
        store_query(conn, &err, &rows, "SELECT published_at FROM meldpunt_half_years WHERE period = ? FOR UPDATE",
                    STORE_PARAMS(STORE_TEXT_PARAM(period_text))) != 0)
        goto fail;
    if (store_result_rows(rows) == 1 && !store_result_is_null(rows, 0, 0)) {
        alvd_err_set(&err, 409, "published", NULL, "Deze halfjaarrapportage is al gepubliceerd.");
        goto fail;
    }
    if (store_execute(conn, &err, NULL,
                      "INSERT INTO meldpunt_half_years (period, guidance, updated_at) VALUES (?, ?, UTC_TIMESTAMP(6))"
                      " ON DUPLICATE KEY UPDATE guidance = VALUES(guidance), updated_at = VALUES(updated_at)",
                      STORE_PARAMS(STORE_TEXT_PARAM(period_text), STORE_TEXT_PARAM(guidance))) != 0)
        goto fail;
    if (list) {
        if (store_execute(conn, &err, NULL, "DELETE FROM meldpunt_suggestions WHERE period = ? AND proposal_id IS NULL",
                          STORE_PARAMS(STORE_TEXT_PARAM(period_text))) != 0)
            goto fail;
        for (size_t i = 0; i < json_array_size(list); i++) {
            json_t *item = json_array_get(list, i);
            const char *article = json_string_value(json_object_get(item, "article"));
            if (store_execute(conn, &err, NULL,
                              "INSERT INTO meldpunt_suggestions (period, article, text, created_at)"
                              " VALUES (?, ?, ?, UTC_TIMESTAMP(6))",
                              STORE_PARAMS(STORE_TEXT_PARAM(period_text),
                                           STORE_TEXT_PARAM(article && *article ? article : NULL),
                                           STORE_TEXT_PARAM(json_string_value(json_object_get(item, "text"))))) != 0)
                goto fail;
        }
    }
    json_t *details = json_pack("{s:s}", "period", period_text);
    int audited = audit_append(conn, &err, &actor, "meldpunt.half_year_text", "half_year", 0, details);
    json_decref(details);
    if (audited != 0 || store_commit(conn, &err) != 0)
        goto fail;
    store_result_free(rows);
    http_reply_json(request, 200, json_pack("{s:s, s:b}", "period", period_text, "published", 0));
    return;
fail:
    store_result_free(rows);
    http_reply_err(request, &err);
}

void meldpunt_half_year_publish(http_request *request)
{
    store_conn *conn = http_request_db(request);
    rules_half_year period;
    char period_text[RULES_HALF_YEAR_TEXT_SIZE], last_text[RULES_DATE_TEXT_SIZE];
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    if (half_year_period(request, &period, period_text) != 0)
        return;
    rules_day last = 0;
    rules_half_year_bounds(period, NULL, &last);
    if (meldpunt_today(http_request_app(request)) <= last) {
        http_reply_error(request, 422, "period_not_over", "period",
                         "Het halfjaar %s loopt tot en met %s; publiceer daarna.", period_text,
                         rules_date_format(last, last_text));
        return;
    }
    json_t *details = json_pack("{s:s}", "period", period_text);
    int rc = store_begin(conn, &err);
    if (rc == 0)
        rc = store_execute(conn, &err, NULL,
                           "INSERT INTO meldpunt_half_years (period, published_at, published_by, updated_at)"
                           " VALUES (?, UTC_TIMESTAMP(6), ?, UTC_TIMESTAMP(6))"
                           " ON DUPLICATE KEY UPDATE published_at = COALESCE(published_at, VALUES(published_at)),"
                           " published_by = COALESCE(published_by, VALUES(published_by))",
                           STORE_PARAMS(STORE_TEXT_PARAM(period_text),
                                        STORE_INT_PARAM(http_request_principal(request)->user_id)));
    /* The table is frozen now, suppressed; later judgements do not change it. */
    if (rc == 0)
        rc = meldpunt_half_year_freeze(conn, period_text, &err);
    if (rc == 0)
        rc = audit_append(conn, &err, &actor, "meldpunt.half_year_published", "half_year", 0, details);
    json_decref(details);
    if (rc != 0 || store_commit(conn, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, json_pack("{s:s, s:b}", "period", period_text, "published", 1));
}

void meldpunt_half_year_suggestions(http_request *request)
{
    store_result *rows = NULL;
    rules_half_year period;
    char period_text[RULES_HALF_YEAR_TEXT_SIZE];
    alvd_err err;
    alvd_err_clear(&err);
    if (half_year_period(request, &period, period_text) != 0)
        return;
    if (store_query(http_request_db(request), &err, &rows,
                    "SELECT s.id, s.period, s.article, s.text, s.proposal_id, h.published_at IS NOT NULL AS published"
                    " FROM meldpunt_suggestions s LEFT JOIN meldpunt_half_years h ON h.period = s.period"
                    " WHERE s.period = ? ORDER BY s.id",
                    STORE_PARAMS(STORE_TEXT_PARAM(period_text))) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, json_pack("{s:s, s:o}", "period", period_text, "items", store_result_json(rows)));
    store_result_free(rows);
}
