/* Reading proposals: the rows of a proposal, its revision and the articles it changes
 * are loaded first, then rendered (word diffs, consolidated text) without the database. */
#include "alvd/service/proposals.h"

#include <stdlib.h>
#include <string.h>

#include "alvd/rules/diff.h"
#include "alvd/store/cycles.h"
#include "alvd/store/proposals.h"

/* The articles two revisions touch together: each side's changes plus the union. */
#define SERVICE_PROPOSALS_MAX_ARTICLES (2 * SERVICE_PROPOSALS_MAX_CHANGES + 2)

/* ------------------------------------------------------------------ diffs */

/* HTML word diff of old → new (either may be NULL = empty), as a JSON string. */
static json_t *service_proposals_diff_html(const char *old_text, const char *new_text, alvd_err *err)
{
    rules_diff diff = {0};
    char *html = NULL;
    size_t old_length = old_text ? strlen(old_text) : 0, new_length = new_text ? strlen(new_text) : 0;
    if (rules_diff_words(old_text, old_length, new_text, new_length, RULES_DIFF_READABLE, &diff, err) != 0)
        return NULL;
    int rc = rules_diff_render_html(&diff, &html, NULL, err);
    rules_diff_free(&diff);
    if (rc != 0)
        return NULL;
    json_t *value = json_string(html);
    free(html);
    return value;
}

/* Base article rows (title, text) of each id, loaded before rendering. */
static int service_proposals_load_bases(store_conn *conn, long long version_id, const char *const *ids, size_t count,
                                        store_result **bases, alvd_err *err)
{
    for (size_t i = 0; i < count; i++)
        if (store_proposals_base_article(conn, version_id, ids[i], &bases[i], err) != 0)
            return -1;
    return 0;
}

static void service_proposals_free_all(store_result **rows, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        store_result_free(rows[i]);
        rows[i] = NULL;
    }
}

/* ------------------------------------------------------------------ rendering */

/* The changes of a revision, each with the base text (bases[r]) and the diff against it. */
static json_t *service_proposals_changes_json(const store_result *changes, store_result *const *bases, alvd_err *err)
{
    json_t *list = json_array();
    for (size_t r = 0; r < store_result_rows(changes); r++) {
        const store_result *base = bases[r];
        const char *article = store_result_text(changes, r, 0);
        int exists = store_result_rows(base) == 1;
        const char *old_title = exists ? store_result_text(base, 0, 0) : NULL;
        const char *old_text = exists ? store_result_text(base, 0, 1) : NULL;
        const char *action = store_result_text(changes, r, 1);
        const char *title = store_result_text(changes, r, 2);
        const char *text = store_result_text(changes, r, 3);
        const char *new_title = strcmp(action, "delete") == 0 ? NULL : title ? title : old_title;
        json_t *diff = service_proposals_diff_html(old_text, text, err);
        if (diff == NULL) {
            json_decref(list);
            return NULL;
        }
        json_array_append_new(list, json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:o}", "article", article, "action",
                                              action, "title", new_title, "text", text, "old_title", old_title,
                                              "old_text", old_text, "diff", diff));
    }
    return list;
}

/* One change applied to the consolidated articles (sorted by article id). */
static void service_proposals_apply_change(json_t *articles, const char *article, const char *action,
                                           const char *title, const char *text)
{
    size_t index, count = json_array_size(articles);
    for (index = 0; index < count; index++)
        if (strcmp(json_string_value(json_object_get(json_array_get(articles, index), "id")), article) == 0)
            break;
    if (strcmp(action, "delete") == 0) {
        if (index < count)
            json_array_remove(articles, index);
    } else if (strcmp(action, "replace") == 0 && index < count) {
        json_t *entry = json_array_get(articles, index);
        json_object_set_new(entry, "text", json_string(text ? text : ""));
        if (title)
            json_object_set_new(entry, "title", json_string(title));
        json_object_set_new(entry, "changed", json_true());
    } else if (strcmp(action, "insert") == 0) {
        size_t at = 0;
        while (at < count &&
               rules_article_id_compare(json_string_value(json_object_get(json_array_get(articles, at), "id")),
                                        article) < 0)
            at++;
        json_array_insert_new(articles, at,
                              json_pack("{s:s, s:s, s:s, s:b, s:b}", "id", article, "title", title ? title : "",
                                        "text", text ? text : "", "changed", 1, "inserted", 1));
    }
}

/* Every article of the base version (code rows) with the changes applied, in article order. */
static json_t *service_proposals_consolidated_json(const store_result *code, const store_result *changes)
{
    json_t *articles = json_array();
    for (size_t r = 0; r < store_result_rows(code); r++)
        json_array_append_new(articles, json_pack("{s:s, s:s, s:s, s:b}", "id", store_result_text(code, r, 0),
                                                  "title", store_result_text(code, r, 1), "text",
                                                  store_result_text(code, r, 2), "changed", 0));
    for (size_t c = 0; c < store_result_rows(changes); c++)
        service_proposals_apply_change(articles, store_result_text(changes, c, 0), store_result_text(changes, c, 1),
                                       store_result_text(changes, c, 2), store_result_text(changes, c, 3));
    return articles;
}

static json_t *service_proposals_conflicts_of(const store_result *pairs, long long proposal_id)
{
    json_t *list = json_array();
    for (size_t r = 0; r < store_result_rows(pairs); r++)
        if (store_result_int(pairs, r, 0) == proposal_id)
            json_array_append_new(list, json_integer(store_result_int(pairs, r, 1)));
    return list;
}

static json_t *service_proposals_split_list(const char *list)
{
    json_t *items = json_array();
    while (list && *list) {
        size_t length = strcspn(list, ",");
        json_array_append_new(items, json_stringn(list, length));
        list += length + (list[length] == ',');
    }
    return items;
}

/* ------------------------------------------------------------------ compare */

/* Text and action of one article at a revision: the change's text, or the base text
 * when the revision does not touch it; NULL text when deleted or absent. */
static void service_proposals_article_at(const store_result *changes, const store_result *base, const char *article,
                                         const char **action, const char **text)
{
    *action = NULL;
    *text = NULL;
    for (size_t r = 0; r < store_result_rows(changes); r++) {
        if (strcmp(store_result_text(changes, r, 0), article) == 0) {
            *action = store_result_text(changes, r, 1);
            *text = strcmp(*action, "delete") == 0 ? NULL : store_result_text(changes, r, 3);
            return;
        }
    }
    if (base && store_result_rows(base) == 1)
        *text = store_result_text(base, 0, 1);
}

/* The union of the articles either revision touches, in article order. */
static size_t service_proposals_touched(const store_result *from, const store_result *to, const char **ids)
{
    size_t count = 0;
    const store_result *sides[2] = {from, to};
    for (int side = 0; side < 2; side++) {
        for (size_t r = 0; r < store_result_rows(sides[side]) && count < SERVICE_PROPOSALS_MAX_ARTICLES; r++) {
            const char *article = store_result_text(sides[side], r, 0);
            size_t i;
            for (i = 0; i < count && strcmp(ids[i], article) != 0; i++)
                ;
            if (i == count)
                ids[count++] = article;
        }
    }
    for (size_t i = 1; i < count; i++)
        for (size_t j = i; j > 0 && rules_article_id_compare(ids[j - 1], ids[j]) > 0; j--) {
            const char *swap = ids[j];
            ids[j] = ids[j - 1];
            ids[j - 1] = swap;
        }
    return count;
}

static json_t *service_proposals_compare_render(const store_result *from, const store_result *to, const char **ids,
                                                size_t count, store_result *const *bases, alvd_err *err)
{
    json_t *articles = json_array();
    for (size_t i = 0; i < count; i++) {
        const char *from_action, *from_text, *to_action, *to_text;
        service_proposals_article_at(from, bases[i], ids[i], &from_action, &from_text);
        service_proposals_article_at(to, bases[i], ids[i], &to_action, &to_text);
        json_t *diff = service_proposals_diff_html(from_text, to_text, err);
        int changed = !((from_text == NULL && to_text == NULL) ||
                        (from_text && to_text && strcmp(from_text, to_text) == 0));
        if (diff == NULL) {
            json_decref(articles);
            return NULL;
        }
        json_array_append_new(articles, json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:o, s:b}", "article", ids[i],
                                                  "from_action", from_action, "to_action", to_action, "old_text",
                                                  from_text, "new_text", to_text, "diff", diff, "changed", changed));
    }
    return json_pack("{s:o}", "articles", articles);
}

json_t *service_proposals_compare_json(store_conn *conn, long long base_version_id, long long from_revision_id,
                                       long long to_revision_id, alvd_err *err)
{
    store_result *from = NULL, *to = NULL, *bases[SERVICE_PROPOSALS_MAX_ARTICLES] = {0};
    const char *ids[SERVICE_PROPOSALS_MAX_ARTICLES];
    json_t *result = NULL;
    size_t count = 0;
    if (store_proposals_changes(conn, from_revision_id, &from, err) == 0 &&
        store_proposals_changes(conn, to_revision_id, &to, err) == 0) {
        count = service_proposals_touched(from, to, ids);
        if (service_proposals_load_bases(conn, base_version_id, ids, count, bases, err) == 0)
            result = service_proposals_compare_render(from, to, ids, count, bases, err);
    }
    service_proposals_free_all(bases, count);
    store_result_free(from);
    store_result_free(to);
    return result;
}

/* ------------------------------------------------------------------ one proposal */

/* Every row one proposal's page shows, loaded before it is rendered. */
typedef struct service_proposals_rows {
    store_result *head, *revision, *changes, *pairs, *code, *consulted;
    store_result *bases[SERVICE_PROPOSALS_MAX_ARTICLES];
    size_t base_count;
    store_proposals_staff_counts counts;
} service_proposals_rows;

static void service_proposals_rows_free(service_proposals_rows *rows)
{
    store_result_free(rows->head);
    store_result_free(rows->revision);
    store_result_free(rows->changes);
    store_result_free(rows->pairs);
    store_result_free(rows->code);
    store_result_free(rows->consulted);
    service_proposals_free_all(rows->bases, rows->base_count);
}

/* The base article of each change (at most as many as bases holds). */
static int service_proposals_load_change_bases(store_conn *conn, long long version_id, service_proposals_rows *rows,
                                               alvd_err *err)
{
    const char *ids[SERVICE_PROPOSALS_MAX_ARTICLES];
    size_t count = store_result_rows(rows->changes);
    if (count > SERVICE_PROPOSALS_MAX_ARTICLES)
        count = SERVICE_PROPOSALS_MAX_ARTICLES;
    for (size_t r = 0; r < count; r++)
        ids[r] = store_result_text(rows->changes, r, 0);
    rows->base_count = count;
    return service_proposals_load_bases(conn, version_id, ids, count, rows->bases, err);
}

static int service_proposals_load(store_conn *conn, long long proposal_id, long long revision_id, int staff_view,
                                  service_proposals_rows *rows, alvd_err *err)
{
    if (store_proposals_head(conn, proposal_id, &rows->head, err) != 0)
        return -1;
    long long base_version_id = store_result_int(rows->head, 0, 5);
    long long current = store_result_int(rows->head, 0, 7);
    if (revision_id == 0)
        revision_id = current;
    if (store_proposals_revision(conn, proposal_id, revision_id, &rows->revision, err) != 0 ||
        store_proposals_changes(conn, revision_id, &rows->changes, err) != 0 ||
        store_proposals_conflicts(conn, store_result_int(rows->head, 0, 1), proposal_id, &rows->pairs, err) != 0 ||
        service_proposals_load_change_bases(conn, base_version_id, rows, err) != 0 ||
        store_proposals_code_articles(conn, base_version_id, &rows->code, err) != 0)
        return -1;
    if (!staff_view)
        return 0;
    if (store_proposals_staff_counts_load(conn, proposal_id, current, &rows->counts, err) != 0 ||
        store_proposals_consulted(conn, proposal_id, &rows->consulted, err) != 0)
        return -1;
    return 0;
}

/* The head and revision fields of one proposal. */
static json_t *service_proposals_head_json(const service_proposals_rows *rows)
{
    json_t *proposal = store_result_row_json(rows->head, 0);
    json_object_del(proposal, "current_revision_id");
    json_object_set_new(proposal, "title", json_string(store_result_text(rows->revision, 0, 2)));
    json_object_set_new(proposal, "rationale", json_string(store_result_text(rows->revision, 0, 3)));
    json_object_set_new(proposal, "revision", json_integer(store_result_int(rows->revision, 0, 1)));
    json_object_set_new(proposal, "revision_id", json_integer(store_result_int(rows->revision, 0, 0)));
    json_t *revision_row = store_result_row_json(rows->revision, 0);
    json_object_set(proposal, "revised_at", json_object_get(revision_row, "created_at"));
    json_decref(revision_row);
    const char *source = store_result_text(rows->head, 0, 4);
    json_object_set_new(proposal, "source",
                        source ? json_pack("{s:s, s:s}", "kind", "meldpunt_report", "report", source) : json_null());
    return proposal;
}

static json_t *service_proposals_render(const service_proposals_rows *rows, long long proposal_id, int staff_view,
                                        alvd_err *err)
{
    json_t *list = service_proposals_changes_json(rows->changes, rows->bases, err);
    if (list == NULL)
        return NULL;
    json_t *proposal = service_proposals_head_json(rows);
    json_object_set_new(proposal, "changes", list);
    json_object_set_new(proposal, "consolidated", service_proposals_consolidated_json(rows->code, rows->changes));
    json_object_set_new(proposal, "conflicts_with", service_proposals_conflicts_of(rows->pairs, proposal_id));
    if (staff_view) {
        json_object_set_new(proposal, "comments",
                            json_pack("{s:I, s:I}", "total", (json_int_t)rows->counts.comments, "unreplied",
                                      (json_int_t)rows->counts.unreplied));
        json_object_set_new(proposal, "current_revision", json_integer(rows->counts.current_revision));
        json_object_set_new(proposal, "consulted", store_result_json(rows->consulted));
    }
    return proposal;
}

json_t *service_proposals_json(store_conn *conn, long long proposal_id, long long revision_id, int staff_view,
                               alvd_err *err)
{
    service_proposals_rows rows;
    memset(&rows, 0, sizeof rows);
    json_t *proposal = NULL;
    if (service_proposals_load(conn, proposal_id, revision_id, staff_view, &rows, err) == 0)
        proposal = service_proposals_render(&rows, proposal_id, staff_view, err);
    service_proposals_rows_free(&rows);
    return proposal;
}

/* ------------------------------------------------------------------ lists */

json_t *service_proposals_list_json(store_conn *conn, long long cycle_id, alvd_err *err)
{
    store_result *rows = NULL, *pairs = NULL;
    if (store_proposals_list(conn, cycle_id, &rows, err) != 0 ||
        store_proposals_conflicts(conn, cycle_id, 0, &pairs, err) != 0) {
        store_result_free(rows);
        return NULL;
    }
    json_t *items = json_array();
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        json_t *item = store_result_row_json(rows, r);
        json_object_set_new(item, "articles", service_proposals_split_list(store_result_text(rows, r, 6)));
        json_object_set_new(item, "conflicts_with", service_proposals_conflicts_of(pairs, store_result_int(rows, r, 0)));
        json_array_append_new(items, item);
    }
    store_result_free(rows);
    store_result_free(pairs);
    return items;
}

int service_proposals_list(store_conn *conn, long long cycle_id, json_t **items, alvd_err *err)
{
    rules_cycle_state state;
    if (store_cycles_load_state(conn, cycle_id, 0, &state, NULL, err) != 0)
        return -1;
    *items = service_proposals_list_json(conn, cycle_id, err);
    return *items ? 0 : -1;
}

int service_proposals_get(store_conn *conn, long long proposal_id, long long organisation_id, json_t **proposal,
                          alvd_err *err)
{
    long long revision_id = 0;
    int staff = organisation_id == 0;
    if (!staff) {
        if (store_proposals_contact_revision(conn, proposal_id, organisation_id, &revision_id, err) != 0)
            return -1;
        if (revision_id == 0)
            return alvd_err_set(err, 404, "not_found", NULL, "Dit voorstel bestaat niet.");
    }
    *proposal = service_proposals_json(conn, proposal_id, revision_id, staff, err);
    return *proposal ? 0 : -1;
}

int service_proposals_revisions(store_conn *conn, long long proposal_id, json_t **items, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_proposals_revisions(conn, proposal_id, &rows, err) != 0)
        return -1;
    if (store_result_rows(rows) == 0) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", NULL, "Dit voorstel bestaat niet.");
    }
    *items = json_array();
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        json_t *item = store_result_row_json(rows, r);
        json_object_set_new(item, "consulted_in", service_proposals_split_list(store_result_text(rows, r, 6)));
        json_array_append_new(*items, item);
    }
    store_result_free(rows);
    return 0;
}

/* The compare result of two revision rows (numbers from, to) with the title and
 * rationale diffs. */
static json_t *service_proposals_compare_rows(store_conn *conn, const store_result *rows, long long proposal_id,
                                              long long from, long long to, alvd_err *err)
{
    size_t from_row = (size_t)from - 1, to_row = (size_t)to - 1;
    json_t *result = service_proposals_compare_json(conn, store_result_int(rows, 0, 4),
                                                    store_result_int(rows, from_row, 1),
                                                    store_result_int(rows, to_row, 1), err);
    json_t *title_diff = result ? service_proposals_diff_html(store_result_text(rows, from_row, 2),
                                                              store_result_text(rows, to_row, 2), err)
                                : NULL;
    json_t *rationale_diff = title_diff ? service_proposals_diff_html(store_result_text(rows, from_row, 3),
                                                                      store_result_text(rows, to_row, 3), err)
                                        : NULL;
    if (rationale_diff == NULL) {
        json_decref(result);
        json_decref(title_diff);
        return NULL;
    }
    json_object_set_new(result, "proposal_id", json_integer(proposal_id));
    json_object_set_new(result, "from", json_integer(from));
    json_object_set_new(result, "to", json_integer(to));
    json_object_set_new(result, "title_diff", title_diff);
    json_object_set_new(result, "rationale_diff", rationale_diff);
    return result;
}

int service_proposals_compare(store_conn *conn, long long proposal_id, long long from, long long to, json_t **result,
                              alvd_err *err)
{
    store_result *rows = NULL;
    if (store_proposals_revision_texts(conn, proposal_id, &rows, err) != 0)
        return -1;
    size_t count = store_result_rows(rows);
    if (count == 0) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", NULL, "Dit voorstel bestaat niet.");
    }
    if (to == 0)
        to = store_result_int(rows, count - 1, 0);
    if (from == 0)
        from = to > 1 ? to - 1 : 1;
    if (from > (long long)count || to > (long long)count) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", from > (long long)count ? "from" : "to",
                            count == 1 ? "Dit voorstel heeft %zu versie." : "Dit voorstel heeft %zu versies.", count);
    }
    *result = service_proposals_compare_rows(conn, rows, proposal_id, from, to, err);
    store_result_free(rows);
    return *result ? 0 : -1;
}
