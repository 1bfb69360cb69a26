/* The versioned Code: the version list, an import stored in one transaction (R3/R4,
 * no retroactivity, late withdrawals it takes, calendar), a version with its articles. */
#include "alvd/service/code.h"

#include <stdlib.h>
#include <string.h>

#include "alvd/service/withdrawals.h"
#include "alvd/rules/code_text.h"
#include "alvd/rules/dates.h"
#include "alvd/rules/deadlines.h"
#include "alvd/service/deadlines.h"
#include "alvd/store/code_versions.h"

void service_code_versions_free(service_code_version_list *list)
{
    if (list == NULL)
        return;
    free(list->items);
    store_result_free(list->rows);
    memset(list, 0, sizeof *list);
}

int service_code_versions_load(store_conn *conn, service_code_version_list *out, alvd_err *err)
{
    memset(out, 0, sizeof *out);
    if (store_code_versions_by_date(conn, &out->rows, err) != 0)
        return -1;
    size_t count = store_result_rows(out->rows);
    if (count == 0)
        return 0;
    out->items = calloc(count, sizeof *out->items);
    if (out->items == NULL) {
        service_code_versions_free(out);
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Onvoldoende geheugen.");
    }
    for (size_t i = 0; i < count; i++) {
        out->items[i].id = store_result_int(out->rows, i, 0);
        out->items[i].label = store_result_text(out->rows, i, 1);
        if (rules_date_parse(store_result_text(out->rows, i, 2), NULL, &out->items[i].effective_from, err) != 0) {
            service_code_versions_free(out);
            return -1;
        }
    }
    out->count = count;
    return 0;
}

static json_t *code_articles_json(const rules_code_text *text)
{
    json_t *list = json_array();
    for (size_t i = 0; i < text->count; i++)
        json_array_append_new(list, json_pack("{s:s, s:s, s:s}", "id", text->articles[i].id, "title",
                                              text->articles[i].title, "text", text->articles[i].text));
    return list;
}

/* 409 when a version with this label or date exists already (checked under lock). */
static int code_version_unique(store_conn *conn, const char *label, const char *effective_from, alvd_err *err)
{
    store_code_version_clash clash;
    if (store_code_versions_find_clash(conn, label, effective_from, &clash, err) != 0)
        return -1;
    if (!clash.found)
        return 0;
    if (clash.label_taken)
        return alvd_err_set(err, 409, "label_taken", "label", "Er is al een versie met het label '%s'.", label);
    return alvd_err_set(err, 409, "effective_date_taken", "effective_from",
                        "Versie '%s' gaat al in op %s; twee versies kunnen niet op dezelfde dag ingaan.", clash.label,
                        clash.effective_from);
}

int service_code_version_store(store_conn *conn, const audit_actor *actor, const char *label,
                               const char *effective_from, const char *decided_on, const char *markdown,
                               size_t length, long long *version_id, json_t **articles, alvd_err *err)
{
    rules_code_text text = {0};
    int rc = -1;
    if (articles)
        *articles = NULL;
    if (rules_code_text_parse(markdown, length, &text, err) != 0)
        return -1;
    if (code_version_unique(conn, label, effective_from, err) != 0 ||
        store_code_versions_insert_import(conn, label, effective_from, decided_on,
                                          strcmp(actor->kind, "user") == 0 ? actor->id : 0, version_id, err) != 0 ||
        /* Contracts recorded while the register was empty are pinned to the Code as
         * first adopted (docs/rules.md, R8); every later contract is pinned when recorded. */
        store_code_versions_pin_first_contracts(conn, *version_id, err) != 0)
        goto done;
    for (size_t i = 0; i < text.count; i++)
        if (store_code_articles_insert(conn, *version_id, (long long)i + 1, text.articles[i].id,
                                       text.articles[i].title, text.articles[i].text, err) != 0)
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
    rules_code_text_free(&text);
    return rc;
}

/* Status of version_id on day (scheduled when it cannot be read). */
static const char *code_status_on(store_conn *conn, long long version_id, rules_day day, alvd_err *err)
{
    service_code_version_list list;
    const char *status = "scheduled";
    if (service_code_versions_load(conn, &list, err) == 0) {
        rules_version_status value;
        if (rules_version_status_on(list.items, list.count, version_id, day, &value, NULL) == 0)
            status = rules_version_status_name(value);
    }
    service_code_versions_free(&list);
    return status;
}

int service_code_version_create(store_conn *conn, const audit_actor *actor, const service_code_version_input *input,
                                service_code_version_created *out, alvd_err *err)
{
    memset(out, 0, sizeof *out);
    /* No retroactivity, and R3/R4 unless this is the first version of an empty
     * register (Code art. 7). The count is taken under lock so two first versions
     * cannot both pass. */
    long long versions = 0;
    if (store_begin(conn, err) != 0 || store_code_versions_count_locked(conn, &versions, err) != 0)
        goto fail;
    out->register_empty = versions == 0;
    if (rules_check_new_version(input->today, out->register_empty, input->decided_on != NULL, input->decided,
                                input->effective, err) != 0 ||
        service_code_version_store(conn, actor, input->label, input->effective_from, input->decided_on,
                                   input->markdown, strlen(input->markdown), &out->id, &out->articles, err) != 0 ||
        /* A new version may be the amendment a late withdrawal was waiting for (R5). */
        service_withdrawals_apply_pending(conn, out->id, err) < 0 || service_deadlines_calendar_sync(conn, err) != 0 ||
        store_commit(conn, err) != 0)
        goto fail;
    alvd_err ignored;
    alvd_err_clear(&ignored);
    out->status = code_status_on(conn, out->id, input->today, &ignored);
    return 0;
fail:
    store_rollback(conn);
    json_decref(out->articles);
    out->articles = NULL;
    return -1;
}

void service_code_version_view_free(service_code_version_view *view)
{
    service_code_versions_free(&view->list);
    json_decref(view->articles);
    view->articles = NULL;
}

/* Index of version id in list, or list->count. */
static size_t code_index_of(const service_code_version_list *list, long long id)
{
    size_t index = list->count;
    for (size_t i = 0; i < list->count; i++)
        if (list->items[i].id == id)
            index = i;
    return index;
}

int service_code_version_find(store_conn *conn, long long id, service_code_version_view *out, alvd_err *err)
{
    memset(out, 0, sizeof *out);
    if (service_code_versions_load(conn, &out->list, err) != 0)
        return -1;
    out->index = code_index_of(&out->list, id);
    if (out->index == out->list.count) {
        service_code_version_view_free(out);
        return alvd_err_set(err, 404, "not_found", NULL, "Deze versie van de Code bestaat niet.");
    }
    if (store_code_articles_json(conn, id, &out->articles, err) != 0) {
        service_code_version_view_free(out);
        return -1;
    }
    return 0;
}

int service_code_version_in_force(store_conn *conn, rules_day on, service_code_version_view *out, alvd_err *err)
{
    memset(out, 0, sizeof *out);
    if (service_code_versions_load(conn, &out->list, err) != 0)
        return -1;
    const rules_code_version *found = rules_version_in_force(out->list.items, out->list.count, on);
    if (found == NULL) {
        char date[RULES_DATE_TEXT_SIZE];
        service_code_version_view_free(out);
        return alvd_err_set(err, 404, "not_found", "date", "Op %s was geen versie van de Code van kracht.",
                            rules_date_format(on, date));
    }
    out->index = (size_t)(found - out->list.items);
    if (store_code_articles_json(conn, found->id, &out->articles, err) != 0) {
        service_code_version_view_free(out);
        return -1;
    }
    return 0;
}

void service_code_version_pair_free(service_code_version_pair *pair)
{
    service_code_versions_free(&pair->list);
    json_decref(pair->from_articles);
    json_decref(pair->to_articles);
    pair->from_articles = pair->to_articles = NULL;
}

int service_code_version_pair_load(store_conn *conn, long long from_id, long long to_id,
                                   service_code_version_pair *out, alvd_err *err)
{
    memset(out, 0, sizeof *out);
    if (service_code_versions_load(conn, &out->list, err) != 0)
        return -1;
    out->from_index = code_index_of(&out->list, from_id);
    out->to_index = code_index_of(&out->list, to_id);
    if (out->from_index == out->list.count || out->to_index == out->list.count) {
        alvd_err_set(err, 404, "not_found", out->from_index == out->list.count ? "from" : "to",
                     "Deze versie van de Code bestaat niet.");
        goto fail;
    }
    if (store_code_articles_json(conn, from_id, &out->from_articles, err) != 0 ||
        store_code_articles_json(conn, to_id, &out->to_articles, err) != 0)
        goto fail;
    return 0;
fail:
    service_code_version_pair_free(out);
    return -1;
}
