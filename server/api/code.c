/* The versioned Code: Markdown import (admin), public listing with in_force /
 * scheduled / superseded status, the version in force on a date, and article diffs. */
#include "alvd/api/code.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alvd/api/deadlines.h"
#include "alvd/api/withdrawals.h"
#include "alvd/base/clock.h"
#include "alvd/crypto/audit.h"
#include "alvd/http/input.h"
#include "alvd/rules/code_text.h"
#include "alvd/rules/dates.h"
#include "alvd/rules/deadlines.h"
#include "alvd/rules/diff.h"

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

void code_versions_free(code_version_list *list)
{
    if (list == NULL)
        return;
    free(list->items);
    store_result_free(list->rows);
    memset(list, 0, sizeof *list);
}

int code_versions_load(store_conn *conn, code_version_list *out, alvd_err *err)
{
    memset(out, 0, sizeof *out);
    if (store_query(conn, err, &out->rows,
                    "SELECT id, label, DATE_FORMAT(effective_from, '%Y-%m-%d') FROM code_versions"
                    " ORDER BY effective_from, id",
                    STORE_NO_PARAMS) != 0)
        return -1;
    size_t count = store_result_rows(out->rows);
    if (count == 0)
        return 0;
    out->items = calloc(count, sizeof *out->items);
    if (out->items == NULL) {
        code_versions_free(out);
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Onvoldoende geheugen.");
    }
    for (size_t i = 0; i < count; i++) {
        out->items[i].id = store_result_int(out->rows, i, 0);
        out->items[i].label = store_result_text(out->rows, i, 1);
        if (rules_date_parse(store_result_text(out->rows, i, 2), NULL, &out->items[i].effective_from, err) != 0) {
            code_versions_free(out);
            return -1;
        }
    }
    out->count = count;
    return 0;
}

/* {"id","label","effective_from","status"} of one version on day `on`. */
static json_t *code_version_summary(const code_version_list *list, size_t index, rules_day on)
{
    rules_version_status status = RULES_VERSION_SCHEDULED;
    rules_version_status_on(list->items, list->count, list->items[index].id, on, &status, NULL);
    char date[RULES_DATE_TEXT_SIZE];
    return json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)list->items[index].id, "label",
                     list->items[index].label, "effective_from",
                     rules_date_format(list->items[index].effective_from, date), "status",
                     rules_version_status_name(status));
}

static json_t *code_articles_json(const rules_code_text *text)
{
    json_t *list = json_array();
    for (size_t i = 0; i < text->count; i++)
        json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "id", text->articles[i].id, "title",
                                              text->articles[i].title, "text", text->articles[i].text));
    return list;
}

int code_version_store(store_conn *conn, const audit_actor *actor, const char *label,
                       const char *effective_from, const char *decided_on, const char *markdown, size_t length,
                       long long *version_id, json_t **articles, alvd_err *err)
{
    rules_code_text text = {0};
    store_result *rows = NULL;
    int rc = -1;
    if (articles)
        *articles = NULL;
    if (rules_code_text_parse(markdown, length, &text, err) != 0)
        return -1;
    if (store_query(conn, err, &rows,
                    "SELECT label = ?, DATE_FORMAT(effective_from, '%Y-%m-%d'), label FROM code_versions"
                    " WHERE label = ? OR effective_from = ? FOR UPDATE",
                    STORE_PARAMS(STORE_TEXT_PARAM(label), STORE_TEXT_PARAM(label),
                                 STORE_TEXT_PARAM(effective_from))) != 0)
        goto done;
    if (store_result_rows(rows) > 0) {
        if (store_result_int(rows, 0, 0))
            alvd_err_set(err, 409, "label_taken", "label", "Er is al een versie met het label '%s'.", label);
        else
            alvd_err_set(err, 409, "effective_date_taken", "effective_from",
                         "Versie '%s' gaat al in op %s; twee versies kunnen niet op dezelfde dag ingaan.",
                         store_result_text(rows, 0, 2), store_result_text(rows, 0, 1));
        goto done;
    }
    if (store_execute(conn, err, NULL,
                      "INSERT INTO code_versions (label, effective_from, decided_on, source, created_at, created_by)"
                      " VALUES (?, ?, ?, 'import', UTC_TIMESTAMP(6), ?)",
                      STORE_PARAMS(STORE_TEXT_PARAM(label), STORE_TEXT_PARAM(effective_from),
                                   STORE_TEXT_PARAM(decided_on),
                                   strcmp(actor->kind, "user") == 0 ? STORE_INT_PARAM(actor->id)
                                                                    : STORE_NULL_PARAM)) != 0)
        goto done;
    *version_id = store_last_insert_id(conn);
    /* Contracts recorded while the register was empty are pinned to the Code as first
     * adopted (docs/rules.md, R8); every later contract is pinned when recorded. */
    if (store_execute(conn, err, NULL,
                      "UPDATE bases SET pinned_version_id = ? WHERE basis = 'contract' AND follows_amendments = 0"
                      " AND pinned_version_id IS NULL AND (SELECT COUNT(*) FROM code_versions) = 1",
                      STORE_PARAMS(STORE_INT_PARAM(*version_id))) != 0)
        goto done;
    for (size_t i = 0; i < text.count; i++)
        if (store_execute(conn, err, NULL,
                          "INSERT INTO code_articles (version_id, article_id, position, title, text)"
                          " VALUES (?, ?, ?, ?, ?)",
                          STORE_PARAMS(STORE_INT_PARAM(*version_id), STORE_TEXT_PARAM(text.articles[i].id),
                                       STORE_INT_PARAM((long long)i + 1), STORE_TEXT_PARAM(text.articles[i].title),
                                       STORE_TEXT_PARAM(text.articles[i].text))) != 0)
            goto done;
    json_t *details = json_pack("{s:s, s:s, s:I, s:s?}", "label", label, "effective_from", effective_from,
                                "articles", (json_int_t)text.count, "decided_on", decided_on);
    int audited = audit_append(conn, err, actor, "code_version.create", "code_version", *version_id, details);
    json_decref(details);
    if (audited != 0)
        goto done;
    if (articles)
        *articles = code_articles_json(&text);
    rc = 0;
done:
    store_result_free(rows);
    rules_code_text_free(&text);
    return rc;
}

void code_version_create(http_request *request)
{
    static const char *const fields[] = {"label", "effective_from", "decided_on", "markdown", NULL};
    json_t *body = http_request_json(request);
    store_conn *conn = http_request_db(request);
    const char *label = NULL, *effective_from = NULL, *decided_on = NULL, *markdown = NULL;
    store_result *rows = NULL;
    rules_day effective = 0, decided = 0, today = code_today(http_request_app(request));
    alvd_err err;
    alvd_err_clear(&err);
    if (input_only(body, fields, &err) != 0 ||
        input_line(body, "label", 1, CODE_LABEL_MAX, &label, &err) != 0 ||
        input_date(body, "effective_from", 1, &effective_from, &err) != 0 ||
        input_date(body, "decided_on", 0, &decided_on, &err) != 0 ||
        input_string(body, "markdown", 1, RULES_CODE_TEXT_MAX_INPUT, &markdown, &err) != 0 ||
        rules_date_parse(effective_from, "effective_from", &effective, &err) != 0 ||
        (decided_on && rules_date_parse(decided_on, "decided_on", &decided, &err) != 0)) {
        http_reply_err(request, &err);
        return;
    }
    audit_actor actor = http_request_actor(request);
    long long version_id = 0;
    json_t *articles = NULL;
    /* No retroactivity, and R3/R4 unless this is the first version of an empty
     * register (Code art. 7). The count is taken under lock so two first versions
     * cannot both pass. */
    int register_empty = 0;
    if (store_begin(conn, &err) == 0 &&
        store_query(conn, &err, &rows, "SELECT COUNT(*) FROM code_versions FOR UPDATE", STORE_NO_PARAMS) == 0) {
        register_empty = store_result_int(rows, 0, 0) == 0;
        store_result_free(rows);
        if (rules_check_new_version(today, register_empty, decided_on != NULL, decided, effective, &err) != 0) {
            store_rollback(conn);
            http_reply_err(request, &err);
            return;
        }
    }
    if (alvd_err_is_set(&err) ||
        code_version_store(conn, &actor, label, effective_from, decided_on, markdown, strlen(markdown), &version_id,
                           &articles, &err) != 0 ||
        /* A new version may be the amendment a late withdrawal was waiting for (R5). */
        withdrawals_apply_pending(conn, version_id, &err) < 0 || deadlines_calendar_sync(conn, &err) != 0 ||
        store_commit(conn, &err) != 0) {
        store_rollback(conn);
        json_decref(articles);
        http_reply_err(request, &err);
        return;
    }
    code_version_list list;
    const char *status = "scheduled";
    if (code_versions_load(conn, &list, &err) == 0) {
        rules_version_status value;
        if (rules_version_status_on(list.items, list.count, version_id, today, &value, NULL) == 0)
            status = rules_version_status_name(value);
    }
    json_t *reply = json_pack("{s:I, s:s, s:s, s:s, s:o}", "id", (json_int_t)version_id, "label", label,
                              "effective_from", effective_from, "status", status, "articles", articles);
    char deadline[RULES_DATE_TEXT_SIZE];
    json_object_set_new(reply, "decided_on", decided_on ? json_string(decided_on) : json_null());
    json_object_set_new(reply, "withdrawal_deadline",
                        register_empty ? json_null()
                                       : json_string(rules_date_format(rules_withdrawal_deadline_day(effective), deadline)));
    code_versions_free(&list);
    http_reply_json(request, 201, reply);
}

void code_versions_list(http_request *request)
{
    rules_day on;
    if (code_query_date(request, &on) != 0)
        return;
    code_version_list list;
    alvd_err err;
    alvd_err_clear(&err);
    if (code_versions_load(http_request_db(request), &list, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < list.count; i++)
        json_array_append_new(items, code_version_summary(&list, i, on));
    char date[RULES_DATE_TEXT_SIZE];
    code_versions_free(&list);
    http_reply_json(request, 200, json_pack("{s:s, s:o}", "date", rules_date_format(on, date), "items", items));
}

/* The articles of a version as JSON [{id,title,text}], in order. */
static int code_version_articles(store_conn *conn, long long version_id, json_t **out, alvd_err *err)
{
    store_result *rows = NULL;
    *out = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT article_id AS id, title, text FROM code_articles WHERE version_id = ?"
                    " ORDER BY position",
                    STORE_PARAMS(STORE_INT_PARAM(version_id))) != 0)
        return -1;
    *out = store_result_json(rows);
    store_result_free(rows);
    return 0;
}

/* Reply with the full version at list index `index`. */
static void code_reply_version(http_request *request, const code_version_list *list, size_t index,
                               rules_day on)
{
    alvd_err err;
    alvd_err_clear(&err);
    json_t *articles = NULL;
    if (code_version_articles(http_request_db(request), list->items[index].id, &articles, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *reply = code_version_summary(list, index, on);
    char date[RULES_DATE_TEXT_SIZE];
    json_object_set_new(reply, "date", json_string(rules_date_format(on, date)));
    json_object_set_new(reply, "articles", articles);
    http_reply_json(request, 200, reply);
}

void code_version_get(http_request *request)
{
    long long id;
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    rules_day on;
    if (code_query_date(request, &on) != 0)
        return;
    code_version_list list;
    alvd_err err;
    alvd_err_clear(&err);
    if (code_versions_load(http_request_db(request), &list, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    size_t index = list.count;
    for (size_t i = 0; i < list.count; i++)
        if (list.items[i].id == id)
            index = i;
    if (index == list.count)
        http_reply_error(request, 404, "not_found", NULL, "Deze versie van de Code bestaat niet.");
    else
        code_reply_version(request, &list, index, on);
    code_versions_free(&list);
}

void code_in_force(http_request *request)
{
    rules_day on;
    if (code_query_date(request, &on) != 0)
        return;
    code_version_list list;
    alvd_err err;
    alvd_err_clear(&err);
    if (code_versions_load(http_request_db(request), &list, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    const rules_code_version *found = rules_version_in_force(list.items, list.count, on);
    char date[RULES_DATE_TEXT_SIZE];
    if (found == NULL)
        http_reply_error(request, 404, "not_found", "date", "Op %s was geen versie van de Code van kracht.",
                         rules_date_format(on, date));
    else
        code_reply_version(request, &list, (size_t)(found - list.items), on);
    code_versions_free(&list);
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

void code_diff(http_request *request)
{
    long long from_id, to_id;
    if (code_query_id(request, "from", &from_id) != 0 || code_query_id(request, "to", &to_id) != 0)
        return;
    store_conn *conn = http_request_db(request);
    code_version_list list;
    alvd_err err;
    alvd_err_clear(&err);
    json_t *from_articles = NULL, *to_articles = NULL, *entries = NULL;
    if (code_versions_load(conn, &list, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    size_t from_index = list.count, to_index = list.count;
    for (size_t i = 0; i < list.count; i++) {
        if (list.items[i].id == from_id)
            from_index = i;
        if (list.items[i].id == to_id)
            to_index = i;
    }
    if (from_index == list.count || to_index == list.count) {
        http_reply_error(request, 404, "not_found", from_index == list.count ? "from" : "to",
                         "Deze versie van de Code bestaat niet.");
        goto done;
    }
    if (code_version_articles(conn, from_id, &from_articles, &err) != 0 ||
        code_version_articles(conn, to_id, &to_articles, &err) != 0)
        goto fail;
    /* Order: the new version's articles; a removed article follows the nearest
     * article before it (in the old version) that still exists, or comes first.
     * Lookups go through a sorted index, so two versions of a thousand articles cost
     * a few thousand comparisons, not a billion. */
    size_t to_count = json_array_size(to_articles), from_count = json_array_size(from_articles);
    code_article_index *by_id_new = code_index_new(to_articles), *by_id_old = code_index_new(from_articles);
    long long *after_slot = calloc(from_count ? from_count : 1, sizeof *after_slot); /* removed: slot it follows */
    if (by_id_new == NULL || by_id_old == NULL || after_slot == NULL) {
        free(by_id_new);
        free(by_id_old);
        free(after_slot);
        alvd_err_set(&err, 500, "out_of_memory", NULL, "Geen geheugen.");
        goto fail;
    }
    long long anchor_slot = -1;
    for (size_t k = 0; k < from_count; k++) {
        const char *id = json_string_value(json_object_get(json_array_get(from_articles, k), "id"));
        long long slot = code_index_find(by_id_new, to_count, id);
        after_slot[k] = slot >= 0 ? -2 : anchor_slot; /* -2: survives, not a removal */
        if (slot >= 0)
            anchor_slot = slot;
    }
    entries = json_array();
    size_t added = 0, removed = 0, changed = 0, unchanged = 0;
    for (long long slot = -1; slot < (long long)to_count && entries; slot++) {
        if (slot >= 0) {
            json_t *new_article = json_array_get(to_articles, (size_t)slot);
            const char *id = json_string_value(json_object_get(new_article, "id"));
            long long old_at = code_index_find(by_id_old, from_count, id);
            json_t *entry = code_diff_entry(id, old_at >= 0 ? json_array_get(from_articles, (size_t)old_at) : NULL,
                                            new_article, &err);
            if (entry == NULL) {
                json_decref(entries);
                entries = NULL;
                break;
            }
            const char *status = json_string_value(json_object_get(entry, "status"));
            added += strcmp(status, "added") == 0;
            changed += strcmp(status, "changed") == 0;
            unchanged += strcmp(status, "unchanged") == 0;
            json_array_append_new(entries, entry);
        }
        for (size_t k = 0; k < from_count && entries; k++) {
            if (after_slot[k] != slot)
                continue;
            json_t *old_article = json_array_get(from_articles, k);
            json_t *entry = code_diff_entry(json_string_value(json_object_get(old_article, "id")), old_article, NULL, &err);
            if (entry == NULL) {
                json_decref(entries);
                entries = NULL;
                break;
            }
            removed++;
            json_array_append_new(entries, entry);
        }
    }
    free(by_id_new);
    free(by_id_old);
    free(after_slot);
    if (entries == NULL)
        goto fail;
    json_t *reply = json_pack("{s:o, s:o, s:{s:I, s:I, s:I, s:I}, s:o}", "from",
                              code_version_summary(&list, from_index, code_today(http_request_app(request))), "to",
                              code_version_summary(&list, to_index, code_today(http_request_app(request))), "counts", "added",
                              (json_int_t)added, "removed", (json_int_t)removed, "changed",
                              (json_int_t)changed, "unchanged", (json_int_t)unchanged, "articles", entries);
    entries = NULL;
    http_reply_json(request, 200, reply);
    goto done;
fail:
    http_reply_err(request, &err);
done:
    json_decref(entries);
    json_decref(from_articles);
    json_decref(to_articles);
    code_versions_free(&list);
}
