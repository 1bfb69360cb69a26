/* The versioned Code: Markdown import (admin), public listing with in_force /
 * scheduled / superseded status, the version in force on a date, and article diffs. */
#include "alvd/api/code.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/base/clock.h"
#include "alvd/http/input.h"
#include "alvd/rules/code_text.h"
#include "alvd/rules/dates.h"
#include "alvd/rules/deadlines.h"
#include "alvd/rules/diff.h"
#include "alvd/service/code.h"

#define CODE_LABEL_MAX 64

rules_day code_today(const alvd_app *app) { return clock_today(&app->config); }

int code_query_date(http_request *request, rules_day *day)
{
    const char *text = http_request_query(request, "date");
    alvd_err err;
    alvd_err_clear(&err);
    if (text == NULL || text[0] == '\0') {
        *day = code_today(http_request_app(request));
        return 0;
    }
    if (rules_date_parse(text, "date", day, &err) != 0) {
        http_reply_err(request, &err);
        return -1;
    }
    return 0;
}

/* {"id","label","effective_from","status"} of one version on day `on`. */
static json_t *code_version_summary(const service_code_version_list *list, size_t index, rules_day on)
{
    rules_version_status status = RULES_VERSION_SCHEDULED;
    rules_version_status_on(list->items, list->count, list->items[index].id, on, &status, NULL);
    char date[RULES_DATE_TEXT_SIZE];
    return json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)list->items[index].id, "label",
                     list->items[index].label, "effective_from",
                     rules_date_format(list->items[index].effective_from, date), "status",
                     rules_version_status_name(status));
}

/* The 201 answer of an import. */
static json_t *code_created_json(const service_code_version_input *input, service_code_version_created *created)
{
    json_t *reply = json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)created->id, "label", input->label,
                              "effective_from", input->effective_from, "status", created->status, "articles",
                              created->articles);
    created->articles = NULL;
    char deadline[RULES_DATE_TEXT_SIZE];
    json_object_set_new(reply, "decided_on", input->decided_on ? json_string(input->decided_on) : json_null());
    json_object_set_new(reply, "withdrawal_deadline",
                        created->register_empty
                            ? json_null()
                            : json_string(rules_date_format(rules_withdrawal_deadline_day(input->effective), deadline)));
    return reply;
}

void code_version_create(http_request *request)
{
    json_t *body = http_request_json(request);
    service_code_version_input input = {.today = code_today(http_request_app(request))};
    alvd_err err;
    alvd_err_clear(&err);
    if (input_line(body, "label", 1, CODE_LABEL_MAX, &input.label, &err) != 0 ||
        input_date(body, "effective_from", 1, &input.effective_from, &err) != 0 ||
        input_date(body, "decided_on", 0, &input.decided_on, &err) != 0 ||
        input_string(body, "markdown", 1, RULES_CODE_TEXT_MAX_INPUT, &input.markdown, &err) != 0 ||
        rules_date_parse(input.effective_from, "effective_from", &input.effective, &err) != 0 ||
        (input.decided_on && rules_date_parse(input.decided_on, "decided_on", &input.decided, &err) != 0)) {
        http_reply_err(request, &err);
        return;
    }
    audit_actor actor = http_request_actor(request);
    service_code_version_created created;
    if (service_code_version_create(http_request_db(request), &actor, &input, &created, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 201, code_created_json(&input, &created));
}

void code_versions_list(http_request *request)
{
    rules_day on;
    if (code_query_date(request, &on) != 0)
        return;
    service_code_version_list list;
    alvd_err err;
    alvd_err_clear(&err);
    if (service_code_versions_load(http_request_db(request), &list, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < list.count; i++)
        json_array_append_new(items, code_version_summary(&list, i, on));
    char date[RULES_DATE_TEXT_SIZE];
    service_code_versions_free(&list);
    http_reply_json(request, 200, json_pack("{s:s, s:o}", "date", rules_date_format(on, date), "items", items));
}

/* Reply with one full version as of day `on`. */
static void code_reply_version(http_request *request, service_code_version_view *view, rules_day on)
{
    json_t *reply = code_version_summary(&view->list, view->index, on);
    char date[RULES_DATE_TEXT_SIZE];
    json_object_set_new(reply, "date", json_string(rules_date_format(on, date)));
    json_object_set_new(reply, "articles", view->articles);
    view->articles = NULL;
    service_code_version_view_free(view);
    http_reply_json(request, 200, reply);
}

void code_version_get(http_request *request)
{
    long long id;
    id = http_request_id(request, "id");
    rules_day on;
    if (code_query_date(request, &on) != 0)
        return;
    service_code_version_view view;
    alvd_err err;
    alvd_err_clear(&err);
    if (service_code_version_find(http_request_db(request), id, &view, &err) != 0)
        http_reply_err(request, &err);
    else
        code_reply_version(request, &view, on);
}

void code_in_force(http_request *request)
{
    rules_day on;
    if (code_query_date(request, &on) != 0)
        return;
    service_code_version_view view;
    alvd_err err;
    alvd_err_clear(&err);
    if (service_code_version_in_force(http_request_db(request), on, &view, &err) != 0)
        http_reply_err(request, &err);
    else
        code_reply_version(request, &view, on);
}

static int code_query_id(http_request *request, const char *name, long long *id)
{
    const char *text = http_request_query(request, name);
    if (text == NULL || input_id_text(text, id) != 0) {
        http_reply_error(request, 400, "bad_id", name, "Geef met ?%s= het nummer van een versie.", name);
        return -1;
    }
    return 0;
}

/* Articles of a version sorted by id, to find one by id in O(log n). */
typedef struct code_article_index {
    const char *id;
    size_t position; /* in the version's article array */
} code_article_index;

static int code_index_compare(const void *a, const void *b)
{
    return strcmp(((const code_article_index *)a)->id, ((const code_article_index *)b)->id);
}

/* malloc'd index of articles (count = json_array_size); NULL when out of memory. */
static code_article_index *code_index_new(json_t *articles)
{
    size_t count = json_array_size(articles);
    code_article_index *index = calloc(count ? count : 1, sizeof *index);
    if (index == NULL)
        return NULL;
    for (size_t i = 0; i < count; i++) {
        index[i].id = json_string_value(json_object_get(json_array_get(articles, i), "id"));
        index[i].position = i;
    }
    qsort(index, count, sizeof *index, code_index_compare);
    return index;
}

/* Position of the article with id, or -1. */
static long long code_index_find(const code_article_index *index, size_t count, const char *id)
{
    code_article_index key = {id, 0};
    const code_article_index *found = bsearch(&key, index, count, sizeof *index, code_index_compare);
    return found ? (long long)found->position : -1;
}

/* One diff entry: {article, status, title, title_from?, diff_html, segments}. */
static json_t *code_diff_entry(const char *id, json_t *old_article, json_t *new_article, alvd_err *err)
{
    const char *old_text = old_article ? json_string_value(json_object_get(old_article, "text")) : "";
    const char *new_text = new_article ? json_string_value(json_object_get(new_article, "text")) : "";
    const char *old_title = old_article ? json_string_value(json_object_get(old_article, "title")) : NULL;
    const char *new_title = new_article ? json_string_value(json_object_get(new_article, "title")) : NULL;
    rules_diff diff = {0};
    char *html = NULL;
    if (rules_diff_words(old_text, strlen(old_text), new_text, strlen(new_text), RULES_DIFF_READABLE, &diff,
                         err) != 0 ||
        rules_diff_render_html(&diff, &html, NULL, err) != 0) {
        rules_diff_free(&diff);
        return NULL;
    }
    const char *status = old_article == NULL   ? "added"
                         : new_article == NULL ? "removed"
                         : (strcmp(old_text, new_text) != 0 || strcmp(old_title, new_title) != 0)
                             ? "changed"
                             : "unchanged";
    json_t *segments = json_array();
    for (size_t i = 0; i < diff.count; i++) {
        const char *op = diff.segments[i].op == RULES_DIFF_INSERT   ? "insert"
                         : diff.segments[i].op == RULES_DIFF_DELETE ? "delete"
                                                                    : "equal";
        json_array_append_new(segments, json_pack("{s:s, s:s%}", "op", op, "text", diff.segments[i].text,
                                                  diff.segments[i].length));
    }
    json_t *entry = json_pack("{s:s, s:s, s:s, s:s, s:o}", "article", id, "status", status, "title",
                              new_title ? new_title : old_title, "diff_html", html, "segments", segments);
    if (old_title && new_title && strcmp(old_title, new_title) != 0)
        json_object_set_new(entry, "title_from", json_string(old_title));
    free(html);
    rules_diff_free(&diff);
    return entry;
}

/* Diff counts by status. */
typedef struct code_diff_counts {
    size_t added, removed, changed, unchanged;
} code_diff_counts;

/* The two versions' articles with sorted indexes, and for every article of the old
 * version the slot of the new one it follows when it was removed (-2: it survives). */
typedef struct code_diff_plan {
    json_t *from_articles, *to_articles; /* borrowed */
    size_t from_count, to_count;
    code_article_index *by_id_new, *by_id_old;
    long long *after_slot;
} code_diff_plan;

static void code_diff_plan_free(code_diff_plan *plan)
{
    free(plan->by_id_new);
    free(plan->by_id_old);
    free(plan->after_slot);
}

/* Order: the new version's articles; a removed article follows the nearest article
 * before it (in the old version) that still exists, or comes first. Lookups go
 * through a sorted index, so two versions of a thousand articles cost a few thousand
 * comparisons, not a billion. */
static int code_diff_plan_make(json_t *from_articles, json_t *to_articles, code_diff_plan *plan, alvd_err *err)
{
    plan->from_articles = from_articles;
    plan->to_articles = to_articles;
    plan->to_count = json_array_size(to_articles);
    plan->from_count = json_array_size(from_articles);
    plan->by_id_new = code_index_new(to_articles);
    plan->by_id_old = code_index_new(from_articles);
    plan->after_slot = calloc(plan->from_count ? plan->from_count : 1, sizeof *plan->after_slot);
    if (plan->by_id_new == NULL || plan->by_id_old == NULL || plan->after_slot == NULL) {
        code_diff_plan_free(plan);
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    }
    long long anchor_slot = -1;
    for (size_t k = 0; k < plan->from_count; k++) {
        const char *id = json_string_value(json_object_get(json_array_get(from_articles, k), "id"));
        long long slot = code_index_find(plan->by_id_new, plan->to_count, id);
        plan->after_slot[k] = slot >= 0 ? -2 : anchor_slot;
        if (slot >= 0)
            anchor_slot = slot;
    }
    return 0;
}

/* Append the entry of the new version's article at slot (added, changed, unchanged). */
static int code_diff_append_new(const code_diff_plan *plan, long long slot, json_t *entries, code_diff_counts *counts,
                                alvd_err *err)
{
    json_t *new_article = json_array_get(plan->to_articles, (size_t)slot);
    const char *id = json_string_value(json_object_get(new_article, "id"));
    long long old_at = code_index_find(plan->by_id_old, plan->from_count, id);
    json_t *entry = code_diff_entry(id, old_at >= 0 ? json_array_get(plan->from_articles, (size_t)old_at) : NULL,
                                    new_article, err);
    if (entry == NULL)
        return -1;
    const char *status = json_string_value(json_object_get(entry, "status"));
    counts->added += strcmp(status, "added") == 0;
    counts->changed += strcmp(status, "changed") == 0;
    counts->unchanged += strcmp(status, "unchanged") == 0;
    json_array_append_new(entries, entry);
    return 0;
}

/* Append the removed articles that follow slot. */
static int code_diff_append_removed(const code_diff_plan *plan, long long slot, json_t *entries,
                                    code_diff_counts *counts, alvd_err *err)
{
    for (size_t k = 0; k < plan->from_count; k++) {
        if (plan->after_slot[k] != slot)
            continue;
        json_t *old_article = json_array_get(plan->from_articles, k);
        json_t *entry = code_diff_entry(json_string_value(json_object_get(old_article, "id")), old_article, NULL, err);
        if (entry == NULL)
            return -1;
        counts->removed++;
        json_array_append_new(entries, entry);
    }
    return 0;
}

/* Every article's diff entry in reading order; NULL with err on failure. */
static json_t *code_diff_entries(json_t *from_articles, json_t *to_articles, code_diff_counts *counts, alvd_err *err)
{
    code_diff_plan plan;
    memset(&plan, 0, sizeof plan);
    memset(counts, 0, sizeof *counts);
    if (code_diff_plan_make(from_articles, to_articles, &plan, err) != 0)
        return NULL;
    json_t *entries = json_array();
    for (long long slot = -1; slot < (long long)plan.to_count; slot++) {
        if ((slot >= 0 && code_diff_append_new(&plan, slot, entries, counts, err) != 0) ||
            code_diff_append_removed(&plan, slot, entries, counts, err) != 0) {
            json_decref(entries);
            entries = NULL;
            break;
        }
    }
    code_diff_plan_free(&plan);
    return entries;
}

void code_diff(http_request *request)
{
    long long from_id, to_id;
    if (code_query_id(request, "from", &from_id) != 0 || code_query_id(request, "to", &to_id) != 0)
        return;
    service_code_version_pair pair;
    code_diff_counts counts;
    alvd_err err;
    alvd_err_clear(&err);
    if (service_code_version_pair_load(http_request_db(request), from_id, to_id, &pair, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *entries = code_diff_entries(pair.from_articles, pair.to_articles, &counts, &err);
    if (entries == NULL) {
        service_code_version_pair_free(&pair);
        http_reply_err(request, &err);
        return;
    }
    rules_day today = code_today(http_request_app(request));
    json_t *reply = json_pack("{s:o, s:o, s:{s:I, s:I, s:I, s:I}, s:o}", "from",
                              code_version_summary(&pair.list, pair.from_index, today), "to",
                              code_version_summary(&pair.list, pair.to_index, today), "counts", "added",
                              (json_int_t)counts.added, "removed", (json_int_t)counts.removed, "changed",
                              (json_int_t)counts.changed, "unchanged", (json_int_t)counts.unchanged, "articles",
                              entries);
    service_code_version_pair_free(&pair);
    http_reply_json(request, 200, reply);
}
