/* The half-year publication of the meldpunt: the report in JSON and CSV (a marked
 * preview for the officer before publication), its guidance text, publishing and the
 * amendment suggestions (the flows are service/meldpunt_half_year.c). */
#include "alvd/api/meldpunt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/base/buf.h"
#include "alvd/http/input.h"
#include "alvd/rules/meldpunt.h"

static const char *const half_year_judgements[] = {"compliant", "non_compliant", "explained", "pending"};
#define HALF_YEAR_JUDGEMENTS 4

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

/* The JSON of a half year: the period, its table, and guidance and suggestions once published. */
static json_t *half_year_json(rules_half_year period, const char *period_text, service_meldpunt_half_year_view *view)
{
    char from[RULES_DATE_TEXT_SIZE], to[RULES_DATE_TEXT_SIZE];
    rules_day first = 0, last = 0;
    rules_half_year_bounds(period, &first, &last);
    json_t *body = json_pack("{s:s, s:s, s:s}", "period", period_text, "from", rules_date_format(first, from), "to",
                             rules_date_format(last, to));
    json_object_update(body, view->table);
    json_object_set_new(body, "published", json_boolean(view->published));
    if (!view->published) {
        json_object_set_new(body, "preview", json_true());
        json_object_set_new(body, "preview_note",
                            json_string("Concept, niet gepubliceerd: alleen het meldpunt ziet dit. De tabel verschijnt "
                                        "pas na publicatie, en staat dan vast."));
        json_object_set_new(body, "guidance", json_null());
        json_object_set_new(body, "suggestions", json_array());
        return body;
    }
    json_object_set_new(body, "published_at", json_string(view->published_at));
    json_object_set_new(body, "guidance", view->guidance ? json_string(view->guidance) : json_null());
    json_object_set_new(body, "suggestions", store_result_json(view->suggestions));
    return body;
}

void meldpunt_half_year_get(http_request *request)
{
    service_meldpunt_half_year_view view;
    rules_half_year period;
    char period_text[RULES_HALF_YEAR_TEXT_SIZE];
    alvd_err err;
    alvd_err_clear(&err);
    if (half_year_period(request, &period, period_text) != 0)
        return;
    const char *format = http_request_query(request, "format");
    if (format && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0) {
        http_reply_error(request, 400, "bad_format", "format", "Kies format=json of format=csv.");
        return;
    }
    int officer = (http_request_principal(request)->roles & AUTH_MELDPUNT) != 0;
    if (service_meldpunt_half_year_view_of(http_request_db(request), period_text, officer, &view, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    if (format && strcmp(format, "csv") == 0)
        half_year_csv(request, period_text, view.table, !view.published);
    else
        http_reply_json(request, 200, half_year_json(period, period_text, &view));
    service_meldpunt_half_year_view_free(&view);
}

/* The suggestions' shape: a list of {article, text} objects (*suggestions: caller frees). */
static int half_year_suggestions_parse(json_t *list, service_meldpunt_suggestion **suggestions, size_t *count,
                                       alvd_err *err)
{
    static const char *const suggestion_fields[] = {"article", "text", NULL};
    *count = 0;
    *suggestions = NULL;
    if (list && !json_is_array(list))
        return alvd_err_set(err, 400, "bad_type", "suggestions", "Voorstellen horen in een lijst.");
    if (list && json_array_size(list) > 0 &&
        (*suggestions = calloc(json_array_size(list), sizeof **suggestions)) == NULL)
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    for (size_t i = 0; list && i < json_array_size(list); i++) {
        json_t *item = json_array_get(list, i);
        const char *article = NULL, *text = NULL;
        if (!json_is_object(item) || input_only(item, suggestion_fields, err) != 0 ||
            input_string(item, "article", 0, 16, &article, err) != 0 ||
            input_string(item, "text", 1, 5000, &text, err) != 0) {
            if (!alvd_err_is_set(err))
                alvd_err_set(err, 400, "bad_type", "suggestions", "Een voorstel is geen object.");
            return -1;
        }
        (*suggestions)[*count].article = article;
        (*suggestions)[(*count)++].text = text;
    }
    return 0;
}

void meldpunt_half_year_text(http_request *request)
{
    service_meldpunt_suggestion *suggestions = NULL;
    size_t suggestion_count = 0;
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
    if (input_string(body, "guidance", 0, 20000, &guidance, &err) != 0 ||
        half_year_suggestions_parse(list, &suggestions, &suggestion_count, &err) != 0 ||
        service_meldpunt_half_year_text(http_request_db(request), &actor, period_text, guidance, suggestions,
                                        suggestion_count, list != NULL, &err) != 0) {
        free(suggestions);
        http_reply_err(request, &err);
        return;
    }
    free(suggestions);
    http_reply_json(request, 200, json_pack("{s:s, s:b}", "period", period_text, "published", 0));
}

void meldpunt_half_year_publish(http_request *request)
{
    rules_half_year period;
    char period_text[RULES_HALF_YEAR_TEXT_SIZE];
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    if (half_year_period(request, &period, period_text) != 0)
        return;
    if (service_meldpunt_half_year_publish(http_request_app(request), http_request_db(request), &actor,
                                           http_request_principal(request)->user_id, period_text, &err) != 0) {
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
    if (service_meldpunt_half_year_suggestions(http_request_db(request), period_text, &rows, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, json_pack("{s:s, s:o}", "period", period_text, "items", store_result_json(rows)));
    store_result_free(rows);
}
