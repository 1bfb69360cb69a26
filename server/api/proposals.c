/* Amendment proposals: each replaces, inserts or deletes articles of the Code version
 * in force, is stored as immutable revisions, and is shown as a word diff. */
#include "alvd/api/proposals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/api/cycles.h"
#include "alvd/crypto/audit.h"
#include "alvd/http/input.h"
#include "alvd/rules/cycle.h"
#include "alvd/rules/dates.h"
#include "alvd/rules/diff.h"

#define PROPOSALS_MAX_CHANGES 50
#define PROPOSALS_TITLE_MAX 300
#define PROPOSALS_RATIONALE_MAX 20000
#define PROPOSALS_TEXT_MAX 50000

/* Proposals that no longer compete for an article. */
#define PROPOSALS_INACTIVE "('lapsed','withdrawn','rejected')"

/* ------------------------------------------------------------------ diffs */

/* HTML word diff of old → new (either may be NULL = empty), as a JSON string. */
static json_t *proposals_diff_html(const char *old_text, const char *new_text, alvd_err *err)
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

static int proposals_base_article(store_conn *conn, long long version_id, const char *article,
                                  store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT title, text FROM code_articles WHERE version_id = ? AND article_id = ?",
                       STORE_PARAMS(STORE_INT_PARAM(version_id), STORE_TEXT_PARAM(article)));
}

static int proposals_load_changes(store_conn *conn, long long revision_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT article_id, action, title, text FROM proposal_changes WHERE revision_id = ?"
                       " ORDER BY position",
                       STORE_PARAMS(STORE_INT_PARAM(revision_id)));
}

/* The changes of a revision, each with the base text and the diff against it. */
static json_t *proposals_changes_json(store_conn *conn, long long base_version_id, const store_result *changes,
                                      alvd_err *err)
{
    json_t *list = json_array();
    for (size_t r = 0; r < store_result_rows(changes); r++) {
        store_result *base = NULL;
        const char *article = store_result_text(changes, r, 0);
        if (proposals_base_article(conn, base_version_id, article, &base, err) != 0)
            goto fail;
        int exists = store_result_rows(base) == 1;
        const char *old_title = exists ? store_result_text(base, 0, 0) : NULL;
        const char *old_text = exists ? store_result_text(base, 0, 1) : NULL;
        const char *action = store_result_text(changes, r, 1);
        const char *title = store_result_text(changes, r, 2);
        const char *text = store_result_text(changes, r, 3);
        const char *new_title = strcmp(action, "delete") == 0 ? NULL : title ? title : old_title;
        json_t *diff = proposals_diff_html(old_text, text, err);
        if (diff == NULL) {
            store_result_free(base);
            goto fail;
        }
        json_array_append_new(list, json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:o}", "article", article,
                                              "action", action, "title", new_title, "text", text,
                                              "old_title", old_title, "old_text", old_text, "diff", diff));
        store_result_free(base);
    }
    return list;
fail:
    json_decref(list);
    return NULL;
}

/* Every article of the base version with the changes applied, in article order. */
static json_t *proposals_consolidated_json(store_conn *conn, long long base_version_id,
                                           const store_result *changes, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT article_id, title, text FROM code_articles WHERE version_id = ? ORDER BY position",
                    STORE_PARAMS(STORE_INT_PARAM(base_version_id))) != 0)
        return NULL;
    json_t *articles = json_array();
    for (size_t r = 0; r < store_result_rows(rows); r++)
        json_array_append_new(articles, json_pack("{s:s, s:s, s:s, s:b}", "id", store_result_text(rows, r, 0),
                                                  "title", store_result_text(rows, r, 1), "text",
                                                  store_result_text(rows, r, 2), "changed", 0));
    store_result_free(rows);
    for (size_t c = 0; c < store_result_rows(changes); c++) {
        const char *article = store_result_text(changes, c, 0);
        const char *action = store_result_text(changes, c, 1);
        const char *title = store_result_text(changes, c, 2);
        const char *text = store_result_text(changes, c, 3);
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
    (void)err;
    return articles;
}

/* Text and action of one article at a revision: the change's text, or the base text
 * when the revision does not touch it; NULL text when deleted or absent. */
static void proposals_article_at(const store_result *changes, const store_result *base, const char *article,
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

json_t *proposals_compare_json(store_conn *conn, long long base_version_id, long long from_revision_id,
                               long long to_revision_id, alvd_err *err)
{
    store_result *from = NULL, *to = NULL;
    json_t *articles = json_array();
    if (proposals_load_changes(conn, from_revision_id, &from, err) != 0 ||
        proposals_load_changes(conn, to_revision_id, &to, err) != 0)
        goto fail;
    /* The union of the articles either revision touches, in article order. */
    const char *ids[2 * PROPOSALS_MAX_CHANGES + 2];
    size_t count = 0;
    const store_result *sides[2] = {from, to};
    for (int side = 0; side < 2; side++) {
        for (size_t r = 0; r < store_result_rows(sides[side]) && count < sizeof ids / sizeof ids[0]; r++) {
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
    for (size_t i = 0; i < count; i++) {
        store_result *base = NULL;
        const char *from_action, *from_text, *to_action, *to_text;
        if (proposals_base_article(conn, base_version_id, ids[i], &base, err) != 0)
            goto fail;
        proposals_article_at(from, base, ids[i], &from_action, &from_text);
        proposals_article_at(to, base, ids[i], &to_action, &to_text);
        json_t *diff = proposals_diff_html(from_text, to_text, err);
        int changed = !((from_text == NULL && to_text == NULL) ||
                        (from_text && to_text && strcmp(from_text, to_text) == 0));
        json_t *entry = diff ? json_pack("{s:s, s:s?, s:s?, s:s?, s:s?, s:o, s:b}", "article", ids[i], "from_action",
                                         from_action, "to_action", to_action, "old_text", from_text, "new_text",
                                         to_text, "diff", diff, "changed", changed)
                             : NULL;
        store_result_free(base);
        if (entry == NULL)
            goto fail;
        json_array_append_new(articles, entry);
    }
    store_result_free(from);
    store_result_free(to);
    return json_pack("{s:o}", "articles", articles);
fail:
    store_result_free(from);
    store_result_free(to);
    json_decref(articles);
    return NULL;
}

/* ------------------------------------------------------------------ reading */

/* Pairs (proposal, other proposal) of one cycle whose current revisions touch a
 * common article; both active. proposal_id 0 = every proposal of the cycle. */
static int proposals_conflicts(store_conn *conn, long long cycle_id, long long proposal_id, store_result **rows,
                               alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT DISTINCT a.id, b.id FROM proposals a"
                       " JOIN proposal_changes ac ON ac.revision_id = a.current_revision_id"
                       " JOIN proposals b ON b.cycle_id = a.cycle_id AND b.id <> a.id"
                       " JOIN proposal_changes bc ON bc.revision_id = b.current_revision_id"
                       "  AND bc.article_id = ac.article_id"
                       " WHERE a.cycle_id = ? AND (? = 0 OR a.id = ?)"
                       " AND a.state NOT IN " PROPOSALS_INACTIVE " AND b.state NOT IN " PROPOSALS_INACTIVE
                       " ORDER BY a.id, b.id",
                       STORE_PARAMS(STORE_INT_PARAM(cycle_id), STORE_INT_PARAM(proposal_id),
                                    STORE_INT_PARAM(proposal_id)));
}

static json_t *proposals_conflicts_of(const store_result *pairs, long long proposal_id)
{
    json_t *list = json_array();
    for (size_t r = 0; r < store_result_rows(pairs); r++)
        if (store_result_int(pairs, r, 0) == proposal_id)
            json_array_append_new(list, json_integer(store_result_int(pairs, r, 1)));
    return list;
}

static json_t *proposals_split_articles(const char *list)
{
    json_t *articles = json_array();
    while (list && *list) {
        size_t length = strcspn(list, ",");
        json_array_append_new(articles, json_stringn(list, length));
        list += length + (list[length] == ',');
    }
    return articles;
}

json_t *proposals_list_json(store_conn *conn, long long cycle_id, alvd_err *err)
{
    store_result *rows = NULL, *pairs = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT p.id, p.state, r.title, r.number AS revision, p.source_report, p.updated_at,"
                    " (SELECT GROUP_CONCAT(pc.article_id ORDER BY pc.position SEPARATOR ',')"
                    "  FROM proposal_changes pc WHERE pc.revision_id = p.current_revision_id) AS articles,"
                    " (SELECT COUNT(*) FROM consultation_comments k WHERE k.proposal_id = p.id) AS comments,"
                    " (SELECT COUNT(*) FROM consultation_comments k LEFT JOIN comment_replies y"
                    "  ON y.comment_id = k.id WHERE k.proposal_id = p.id AND y.comment_id IS NULL) AS unreplied"
                    " FROM proposals p JOIN proposal_revisions r ON r.id = p.current_revision_id"
                    " WHERE p.cycle_id = ? ORDER BY p.id",
                    STORE_PARAMS(STORE_INT_PARAM(cycle_id))) != 0 ||
        proposals_conflicts(conn, cycle_id, 0, &pairs, err) != 0) {
        store_result_free(rows);
        return NULL;
    }
    json_t *items = json_array();
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        json_t *item = store_result_row_json(rows, r);
        json_object_set_new(item, "articles", proposals_split_articles(store_result_text(rows, r, 6)));
        json_object_set_new(item, "conflicts_with", proposals_conflicts_of(pairs, store_result_int(rows, r, 0)));
        json_array_append_new(items, item);
    }
    store_result_free(rows);
    store_result_free(pairs);
    return items;
}

json_t *proposals_json(store_conn *conn, long long proposal_id, long long revision_id, int staff_view,
                       alvd_err *err)
{
    store_result *head = NULL, *revision = NULL, *changes = NULL, *pairs = NULL, *extra = NULL;
    json_t *proposal = NULL;
    if (store_query(conn, err, &head,
                    "SELECT p.id, p.cycle_id, c.year, p.state, p.source_report, p.base_version_id,"
                    " v.label AS base_version_label, p.current_revision_id, p.created_at, p.updated_at"
                    " FROM proposals p JOIN cycles c ON c.id = p.cycle_id"
                    " JOIN code_versions v ON v.id = p.base_version_id WHERE p.id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(proposal_id))) != 0)
        goto fail;
    if (store_result_rows(head) != 1) {
        alvd_err_set(err, 404, "not_found", NULL, "Dit voorstel bestaat niet.");
        goto fail;
    }
    long long base_version_id = store_result_int(head, 0, 5);
    long long current = store_result_int(head, 0, 7);
    if (revision_id == 0)
        revision_id = current;
    if (store_query(conn, err, &revision,
                    "SELECT id, number, title, rationale, created_at FROM proposal_revisions"
                    " WHERE id = ? AND proposal_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(revision_id), STORE_INT_PARAM(proposal_id))) != 0 ||
        proposals_load_changes(conn, revision_id, &changes, err) != 0 ||
        proposals_conflicts(conn, store_result_int(head, 0, 1), proposal_id, &pairs, err) != 0)
        goto fail;
    if (store_result_rows(revision) != 1) {
        alvd_err_set(err, 404, "not_found", NULL, "Deze versie van het voorstel bestaat niet.");
        goto fail;
    }
    proposal = store_result_row_json(head, 0);
    json_object_del(proposal, "current_revision_id");
    json_object_set_new(proposal, "title", json_string(store_result_text(revision, 0, 2)));
    json_object_set_new(proposal, "rationale", json_string(store_result_text(revision, 0, 3)));
    json_object_set_new(proposal, "revision", json_integer(store_result_int(revision, 0, 1)));
    json_object_set_new(proposal, "revision_id", json_integer(revision_id));
    json_t *revision_row = store_result_row_json(revision, 0);
    json_object_set(proposal, "revised_at", json_object_get(revision_row, "created_at"));
    json_decref(revision_row);
    json_object_set_new(proposal, "source", store_result_text(head, 0, 4)
                                                ? json_pack("{s:s, s:s}", "kind", "meldpunt_report", "report",
                                                            store_result_text(head, 0, 4))
                                                : json_null());
    json_t *list = proposals_changes_json(conn, base_version_id, changes, err);
    json_t *consolidated = list ? proposals_consolidated_json(conn, base_version_id, changes, err) : NULL;
    if (list == NULL || consolidated == NULL) {
        json_decref(list);
        goto fail;
    }
    json_object_set_new(proposal, "changes", list);
    json_object_set_new(proposal, "consolidated", consolidated);
    json_object_set_new(proposal, "conflicts_with", proposals_conflicts_of(pairs, proposal_id));
    if (staff_view) {
        if (store_query(conn, err, &extra,
                        "SELECT (SELECT COUNT(*) FROM consultation_comments k WHERE k.proposal_id = ?),"
                        " (SELECT COUNT(*) FROM consultation_comments k LEFT JOIN comment_replies y"
                        "  ON y.comment_id = k.id WHERE k.proposal_id = ? AND y.comment_id IS NULL),"
                        " (SELECT number FROM proposal_revisions WHERE id = ?)",
                        STORE_PARAMS(STORE_INT_PARAM(proposal_id), STORE_INT_PARAM(proposal_id),
                                     STORE_INT_PARAM(current))) != 0)
            goto fail;
        json_object_set_new(proposal, "comments",
                            json_pack("{s:I, s:I}", "total", (json_int_t)store_result_int(extra, 0, 0), "unreplied",
                                      (json_int_t)store_result_int(extra, 0, 1)));
        json_object_set_new(proposal, "current_revision", json_integer(store_result_int(extra, 0, 2)));
        store_result_free(extra);
        extra = NULL;
        if (store_query(conn, err, &extra,
                        "SELECT c.id AS consultation_id, c.round, r.number AS revision, c.opens_at, c.closes_at"
                        " FROM consultation_proposals cp JOIN consultations c ON c.id = cp.consultation_id"
                        " JOIN proposal_revisions r ON r.id = cp.revision_id WHERE cp.proposal_id = ?"
                        " ORDER BY c.round",
                        STORE_PARAMS(STORE_INT_PARAM(proposal_id))) != 0)
            goto fail;
        json_object_set_new(proposal, "consulted", store_result_json(extra));
    }
    store_result_free(head);
    store_result_free(revision);
    store_result_free(changes);
    store_result_free(pairs);
    store_result_free(extra);
    return proposal;
fail:
    json_decref(proposal);
    store_result_free(head);
    store_result_free(revision);
    store_result_free(changes);
    store_result_free(pairs);
    store_result_free(extra);
    return NULL;
}

/* ------------------------------------------------------------------ writing */

typedef struct proposals_change_input {
    const char *article, *title, *text;
    rules_change_action action;
} proposals_change_input;

typedef struct proposals_input {
    const char *title, *rationale, *source_report;
    proposals_change_input changes[PROPOSALS_MAX_CHANGES];
    size_t count;
} proposals_input;

static int proposals_source_valid(const char *text)
{
    /* "2026H1": a meldpunt half-year report. */
    return strlen(text) == 6 && text[0] >= '1' && text[0] <= '9' && text[1] >= '0' && text[1] <= '9' &&
           text[2] >= '0' && text[2] <= '9' && text[3] >= '0' && text[3] <= '9' && text[4] == 'H' &&
           (text[5] == '1' || text[5] == '2');
}

/* Parse and check a proposal body against the base version. */
static int proposals_parse(store_conn *conn, json_t *body, long long base_version_id, proposals_input *input,
                           alvd_err *err)
{
    static const char *const fields[] = {"title", "rationale", "changes", "source_report", NULL};
    static const char *const change_fields[] = {"article", "action", "text", "title", NULL};
    static const char *const actions[] = {"replace", "insert", "delete", NULL};
    memset(input, 0, sizeof *input);
    if (input_only(body, fields, err) != 0 ||
        input_line(body, "title", 1, PROPOSALS_TITLE_MAX, &input->title, err) != 0 ||
        input_string(body, "rationale", 1, PROPOSALS_RATIONALE_MAX, &input->rationale, err) != 0 ||
        input_string(body, "source_report", 0, 6, &input->source_report, err) != 0)
        return -1;
    if (input->source_report && !proposals_source_valid(input->source_report))
        return alvd_err_set(err, 422, "bad_source", "source_report",
                            "Verwijs naar een halfjaarrapportage van het meldpunt als JJJJH1 of JJJJH2, "
                            "bijvoorbeeld 2026H1.");
    json_t *changes = json_object_get(body, "changes");
    if (changes == NULL || json_is_null(changes))
        return alvd_err_set(err, 422, "required", "changes", "Een voorstel wijzigt ten minste één artikel.");
    if (!json_is_array(changes))
        return alvd_err_set(err, 400, "wrong_type", "changes", "Veld changes moet een lijst zijn.");
    if (json_array_size(changes) == 0)
        return alvd_err_set(err, 422, "required", "changes", "Een voorstel wijzigt ten minste één artikel.");
    if (json_array_size(changes) > PROPOSALS_MAX_CHANGES)
        return alvd_err_set(err, 422, "too_many", "changes", "Een voorstel wijzigt hoogstens %d artikelen.",
                            PROPOSALS_MAX_CHANGES);
    size_t index;
    json_t *change;
    json_array_foreach(changes, index, change) {
        proposals_change_input *out = &input->changes[index];
        const char *action = NULL;
        store_result *rows = NULL;
        if (!json_is_object(change))
            return alvd_err_set(err, 400, "wrong_type", "changes", "Elke wijziging is een object.");
        if (input_only(change, change_fields, err) != 0 ||
            input_string(change, "article", 1, RULES_ARTICLE_ID_MAX, &out->article, err) != 0 ||
            input_choice(change, "action", 1, actions, &action, err) != 0 ||
            input_string(change, "text", 0, PROPOSALS_TEXT_MAX, &out->text, err) != 0 ||
            input_line(change, "title", 0, PROPOSALS_TITLE_MAX, &out->title, err) != 0)
            return -1;
        out->action = rules_change_action_parse(action);
        for (size_t earlier = 0; earlier < index; earlier++)
            if (strcmp(input->changes[earlier].article, out->article) == 0)
                return alvd_err_set(err, 422, "duplicate_article", "changes",
                                    "Artikel %s staat twee keer in dit voorstel; neem alles over dat artikel "
                                    "in één wijziging op.", out->article);
        if (proposals_base_article(conn, base_version_id, out->article, &rows, err) != 0)
            return -1;
        int exists = store_result_rows(rows) == 1;
        store_result_free(rows);
        if (rules_change_check(out->article, out->action, exists, out->text != NULL, err) != 0)
            return -1;
        if (out->action == RULES_CHANGE_DELETE && out->title)
            return alvd_err_set(err, 422, "title_not_allowed", "changes",
                                "Het schrappen van artikel %s neemt geen titel.", out->article);
        input->count++;
    }
    return 0;
}

/* Store revision `number` of a proposal and make it current. */
static int proposals_store_revision(store_conn *conn, long long proposal_id, long long number,
                                    const proposals_input *input, long long user_id, long long *revision_id,
                                    alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO proposal_revisions (proposal_id, number, title, rationale, created_at, created_by)"
                      " VALUES (?, ?, ?, ?, UTC_TIMESTAMP(6), ?)",
                      STORE_PARAMS(STORE_INT_PARAM(proposal_id), STORE_INT_PARAM(number),
                                   STORE_TEXT_PARAM(input->title), STORE_TEXT_PARAM(input->rationale),
                                   STORE_INT_PARAM(user_id))) != 0)
        return -1;
    *revision_id = store_last_insert_id(conn);
    for (size_t i = 0; i < input->count; i++) {
        const proposals_change_input *change = &input->changes[i];
        if (store_execute(conn, err, NULL,
                          "INSERT INTO proposal_changes (revision_id, position, article_id, action, title, text)"
                          " VALUES (?, ?, ?, ?, ?, ?)",
                          STORE_PARAMS(STORE_INT_PARAM(*revision_id), STORE_INT_PARAM((long long)i + 1),
                                       STORE_TEXT_PARAM(change->article),
                                       STORE_TEXT_PARAM(rules_change_action_name(change->action)),
                                       STORE_TEXT_PARAM(change->title), STORE_TEXT_PARAM(change->text))) != 0)
            return -1;
    }
    return store_execute(conn, err, NULL,
                         "UPDATE proposals SET current_revision_id = ?, source_report = ?,"
                         " updated_at = UTC_TIMESTAMP(6) WHERE id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(*revision_id), STORE_TEXT_PARAM(input->source_report),
                                      STORE_INT_PARAM(proposal_id)));
}

static json_t *proposals_audit_details(const proposals_input *input, long long number)
{
    json_t *articles = json_array();
    for (size_t i = 0; i < input->count; i++)
        json_array_append_new(articles, json_pack("{s:s, s:s}", "article", input->changes[i].article, "action",
                                                  rules_change_action_name(input->changes[i].action)));
    return json_pack("{s:I, s:s, s:o}", "revision", (json_int_t)number, "title", input->title, "changes", articles);
}

/* Insert proposal + revision 1 in cycle_id (inside the caller's transaction), checking
 * the cycle allows editing; the base is the version in force today. parse fills input
 * once the base version is known. */
static int proposals_insert(store_conn *conn, const audit_actor *actor, long long user_id, long long cycle_id,
                            int (*parse)(store_conn *, long long, proposals_input *, void *, alvd_err *),
                            void *context, proposals_input *input, long long *proposal_id, alvd_err *err)
{
    store_result *rows = NULL;
    long long revision_id;
    int64_t now;
    rules_cycle_state state;
    int rc = -1;
    if (cycles_load_state(conn, cycle_id, 1, &state, NULL, err) != 0 ||
        rules_cycle_check_action(state, RULES_CYCLE_EDIT_PROPOSALS, err) != 0 || cycles_db_now(conn, &now, err) != 0)
        return -1;
    char today[RULES_DATE_TEXT_SIZE];
    rules_date_format(rules_amsterdam_day(now), today);
    if (store_query(conn, err, &rows,
                    "SELECT id FROM code_versions WHERE effective_from <= ? ORDER BY effective_from DESC LIMIT 1",
                    STORE_PARAMS(STORE_TEXT_PARAM(today))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        alvd_err_set(err, 422, "no_code_in_force", NULL,
                     "Er is op %s geen versie van de Code van kracht om te wijzigen; voer eerst de Code in.", today);
        goto done;
    }
    long long base_version_id = store_result_int(rows, 0, 0);
    if (parse(conn, base_version_id, input, context, err) != 0 ||
        store_execute(conn, err, NULL,
                      "INSERT INTO proposals (cycle_id, base_version_id, state, created_at, created_by, updated_at)"
                      " VALUES (?, ?, 'draft', UTC_TIMESTAMP(6), ?, UTC_TIMESTAMP(6))",
                      STORE_PARAMS(STORE_INT_PARAM(cycle_id), STORE_INT_PARAM(base_version_id),
                                   STORE_INT_PARAM(user_id))) != 0)
        goto done;
    *proposal_id = store_last_insert_id(conn);
    json_t *details = proposals_audit_details(input, 1);
    json_object_set_new(details, "cycle_id", json_integer(cycle_id));
    if (input->source_report)
        json_object_set_new(details, "source_report", json_string(input->source_report));
    rc = proposals_store_revision(conn, *proposal_id, 1, input, user_id, &revision_id, err);
    if (rc == 0)
        rc = audit_append(conn, err, actor, "proposal.create", "proposal", *proposal_id, details);
    json_decref(details);
    if (rc == 0)
        rc = cycles_set_state(conn, actor, cycle_id, state, rules_cycle_state_after(state, RULES_CYCLE_EDIT_PROPOSALS),
                              err);
done:
    store_result_free(rows);
    return rc;
}

static int proposals_parse_body(store_conn *conn, long long base_version_id, proposals_input *input, void *context,
                                alvd_err *err)
{
    return proposals_parse(conn, context, base_version_id, input, err);
}

static void proposals_reply_created(http_request *request, long long proposal_id)
{
    alvd_err err;
    alvd_err_clear(&err);
    json_t *proposal = proposals_json(http_request_db(request), proposal_id, 0, 1, &err);
    if (proposal == NULL)
        http_reply_err(request, &err);
    else
        http_reply_json(request, 201, proposal);
}

void proposals_create(http_request *request)
{
    store_conn *conn = http_request_db(request);
    proposals_input *input = calloc(1, sizeof *input);
    long long cycle_id, proposal_id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (input == NULL || http_request_param_id(request, "id", &cycle_id) != 0) {
        if (input == NULL)
            http_reply_error(request, 500, "out_of_memory", NULL, "Geen geheugen.");
        free(input);
        return;
    }
    audit_actor actor = http_request_actor(request);
    if (store_begin(conn, &err) != 0 ||
        proposals_insert(conn, &actor, http_request_principal(request)->user_id, cycle_id, proposals_parse_body,
                         http_request_json(request), input, &proposal_id, &err) != 0 ||
        store_commit(conn, &err) != 0) {
        store_rollback(conn);
        free(input);
        http_reply_err(request, &err);
        return;
    }
    free(input);
    proposals_reply_created(request, proposal_id);
}

/* A suggestion of a meldpunt half-year report as the first draft: the named article
 * replaced by its current text (the board edits it into the change), the suggestion
 * as rationale, the report as source. */
typedef struct proposals_suggestion {
    char period[8];
    char article[RULES_ARTICLE_ID_MAX + 1];
    char *text;
    char title[PROPOSALS_TITLE_MAX + 1];
    char *base_text;
} proposals_suggestion;

static int proposals_parse_suggestion(store_conn *conn, long long base_version_id, proposals_input *input,
                                      void *context, alvd_err *err)
{
    proposals_suggestion *suggestion = context;
    store_result *rows = NULL;
    if (proposals_base_article(conn, base_version_id, suggestion->article, &rows, err) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 422, "unknown_article", "article",
                            "Artikel %s staat niet in de Code die nu geldt; kies het artikel dat het voorstel wijzigt.",
                            suggestion->article);
    }
    suggestion->base_text = strdup(store_result_text_by_name(rows, 0, "text"));
    store_result_free(rows);
    memset(input, 0, sizeof *input);
    snprintf(suggestion->title, sizeof suggestion->title, "Artikel %s: voorstel uit de meldpuntrapportage %s",
             suggestion->article, suggestion->period);
    input->title = suggestion->title;
    input->rationale = suggestion->text;
    input->source_report = suggestion->period;
    input->changes[0].article = suggestion->article;
    input->changes[0].action = RULES_CHANGE_REPLACE;
    input->changes[0].text = suggestion->base_text;
    input->count = 1;
    return suggestion->base_text ? 0 : alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
}

void proposals_from_suggestion(http_request *request)
{
    static const char *const fields[] = {"cycle_id", "article", NULL};
    store_conn *conn = http_request_db(request);
    json_t *body = http_request_json(request);
    store_result *rows = NULL;
    proposals_input *input = calloc(1, sizeof *input);
    proposals_suggestion suggestion;
    long long suggestion_id, cycle_id = 0, proposal_id = 0;
    const char *article = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    memset(&suggestion, 0, sizeof suggestion);
    if (input == NULL || http_request_param_id(request, "id", &suggestion_id) != 0) {
        if (input == NULL)
            http_reply_error(request, 500, "out_of_memory", NULL, "Geen geheugen.");
        free(input);
        return;
    }
    audit_actor actor = http_request_actor(request);
    if (input_only(body, fields, &err) != 0 ||
        input_integer(body, "cycle_id", 1, 1, 1LL << 53, &cycle_id, NULL, &err) != 0 ||
        input_string(body, "article", 0, RULES_ARTICLE_ID_MAX, &article, &err) != 0 || store_begin(conn, &err) != 0 ||
        store_query(conn, &err, &rows,
                    "SELECT period, article, text, proposal_id FROM meldpunt_suggestions WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(suggestion_id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1) {
        alvd_err_set(&err, 404, "not_found", NULL, "Deze suggestie bestaat niet.");
        goto fail;
    }
    if (!store_result_is_null(rows, 0, 3)) {
        alvd_err_set(&err, 409, "already_proposed", NULL, "Van deze suggestie is al voorstel %lld gemaakt.",
                     store_result_int(rows, 0, 3));
        goto fail;
    }
    const char *named = article ? article : store_result_text(rows, 0, 1);
    if (named == NULL) {
        alvd_err_set(&err, 422, "required", "article",
                     "De suggestie noemt geen artikel; geef aan welk artikel het voorstel wijzigt.");
        goto fail;
    }
    snprintf(suggestion.period, sizeof suggestion.period, "%s", store_result_text(rows, 0, 0));
    snprintf(suggestion.article, sizeof suggestion.article, "%s", named);
    suggestion.text = strdup(store_result_text(rows, 0, 2));
    if (suggestion.text == NULL ||
        proposals_insert(conn, &actor, http_request_principal(request)->user_id, cycle_id, proposals_parse_suggestion,
                         &suggestion, input, &proposal_id, &err) != 0 ||
        store_execute(conn, &err, NULL, "UPDATE meldpunt_suggestions SET proposal_id = ? WHERE id = ?",
                      STORE_PARAMS(STORE_INT_PARAM(proposal_id), STORE_INT_PARAM(suggestion_id))) != 0)
        goto fail;
    json_t *details = json_pack("{s:I, s:s}", "proposal_id", (json_int_t)proposal_id, "period", suggestion.period);
    int rc = audit_append(conn, &err, &actor, "meldpunt.suggestion_proposed", "meldpunt_suggestion", suggestion_id,
                          details);
    json_decref(details);
    if (rc != 0 || store_commit(conn, &err) != 0)
        goto fail;
    store_result_free(rows);
    free(suggestion.text);
    free(suggestion.base_text);
    free(input);
    proposals_reply_created(request, proposal_id);
    return;
fail:
    store_rollback(conn);
    store_result_free(rows);
    free(suggestion.text);
    free(suggestion.base_text);
    free(input);
    http_reply_err(request, &err);
}

void proposals_list(http_request *request)
{
    store_conn *conn = http_request_db(request);
    long long cycle_id;
    rules_cycle_state state;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &cycle_id) != 0)
        return;
    json_t *items = NULL;
    if (cycles_load_state(conn, cycle_id, 0, &state, NULL, &err) != 0 ||
        (items = proposals_list_json(conn, cycle_id, &err)) == NULL) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, json_pack("{s:o}", "items", items));
}

/* The revision a contact may read: the one consulted in the latest round their
 * organisation is invited to. 0 when they are not invited (then 404). */
static int proposals_contact_revision(store_conn *conn, long long proposal_id, long long organisation_id,
                                      long long *revision_id, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT cp.revision_id FROM consultation_proposals cp"
                    " JOIN consultations c ON c.id = cp.consultation_id"
                    " JOIN consultation_invitees i ON i.consultation_id = c.id AND i.organisation_id = ?"
                    " WHERE cp.proposal_id = ? ORDER BY c.round DESC LIMIT 1",
                    STORE_PARAMS(STORE_INT_PARAM(organisation_id), STORE_INT_PARAM(proposal_id))) != 0)
        return -1;
    *revision_id = store_result_rows(rows) ? store_result_int(rows, 0, 0) : 0;
    store_result_free(rows);
    return 0;
}

void proposals_get(http_request *request)
{
    store_conn *conn = http_request_db(request);
    const auth_principal *who = http_request_principal(request);
    long long id, revision_id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    int staff = who->kind == AUTH_KIND_USER;
    if (!staff) {
        if (proposals_contact_revision(conn, id, who->organisation_id, &revision_id, &err) != 0) {
            http_reply_err(request, &err);
            return;
        }
        if (revision_id == 0) {
            http_reply_error(request, 404, "not_found", NULL, "Dit voorstel bestaat niet.");
            return;
        }
    }
    json_t *proposal = proposals_json(conn, id, revision_id, staff, &err);
    if (proposal == NULL)
        http_reply_err(request, &err);
    else
        http_reply_json(request, 200, proposal);
}

void proposals_update(http_request *request)
{
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    proposals_input *input = calloc(1, sizeof *input);
    long long id, revision_id;
    rules_cycle_state state;
    alvd_err err;
    alvd_err_clear(&err);
    if (input == NULL || http_request_param_id(request, "id", &id) != 0) {
        if (input == NULL)
            http_reply_error(request, 500, "out_of_memory", NULL, "Geen geheugen.");
        free(input);
        return;
    }
    audit_actor actor = http_request_actor(request);
    if (store_begin(conn, &err) != 0 ||
        store_query(conn, &err, &rows,
                    "SELECT p.cycle_id, p.base_version_id, p.state,"
                    " (SELECT MAX(number) FROM proposal_revisions r WHERE r.proposal_id = p.id)"
                    " FROM proposals p WHERE p.id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1) {
        alvd_err_set(&err, 404, "not_found", NULL, "Dit voorstel bestaat niet.");
        goto fail;
    }
    long long cycle_id = store_result_int(rows, 0, 0), base_version_id = store_result_int(rows, 0, 1);
    long long number = store_result_int(rows, 0, 3) + 1;
    const char *proposal_state = store_result_text(rows, 0, 2);
    /* A lapsed proposal (a conflicting one was adopted) comes back only through a new
     * revision, rebased on the amended text: it is then a draft again (issue 6). */
    int was_lapsed = strcmp(proposal_state, "lapsed") == 0;
    if (strcmp(proposal_state, "draft") != 0 && strcmp(proposal_state, "ready") != 0 && !was_lapsed) {
        alvd_err_set(&err, 409, "proposal_closed", NULL,
                     "Dit voorstel is %s en kan niet meer worden gewijzigd.",
                     strcmp(proposal_state, "adopted") == 0    ? "aangenomen"
                     : strcmp(proposal_state, "rejected") == 0 ? "verworpen"
                     : strcmp(proposal_state, "lapsed") == 0   ? "vervallen"
                                                               : "ingetrokken");
        goto fail;
    }
    int was_ready = strcmp(proposal_state, "ready") == 0;
    if (cycles_load_state(conn, cycle_id, 1, &state, NULL, &err) != 0 ||
        rules_cycle_check_action(state, RULES_CYCLE_EDIT_PROPOSALS, &err) != 0 ||
        proposals_parse(conn, http_request_json(request), base_version_id, input, &err) != 0 ||
        proposals_store_revision(conn, id, number, input, http_request_principal(request)->user_id, &revision_id,
                                 &err) != 0)
        goto fail;
    /* A changed text is a new draft: it must be marked ready again. */
    if ((was_ready || was_lapsed) && store_execute(conn, &err, NULL, "UPDATE proposals SET state = 'draft' WHERE id = ?",
                                   STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        goto fail;
    json_t *details = proposals_audit_details(input, number);
    int rc = audit_append(conn, &err, &actor, "proposal.revise", "proposal", id, details);
    json_decref(details);
    if (rc != 0 ||
        cycles_set_state(conn, &actor, cycle_id, state, rules_cycle_state_after(state, RULES_CYCLE_EDIT_PROPOSALS),
                         &err) != 0 ||
        store_commit(conn, &err) != 0)
        goto fail;
    store_result_free(rows);
    free(input);
    json_t *proposal = proposals_json(conn, id, 0, 1, &err);
    if (proposal == NULL)
        http_reply_err(request, &err);
    else
        http_reply_json(request, 200, proposal);
    return;
fail:
    store_rollback(conn);
    store_result_free(rows);
    free(input);
    http_reply_err(request, &err);
}

void proposals_revisions(http_request *request)
{
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    long long id;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    if (store_query(conn, &err, &rows,
                    "SELECT r.number, r.id, r.title, r.created_at, u.name AS created_by,"
                    " (SELECT COUNT(*) FROM proposal_changes pc WHERE pc.revision_id = r.id) AS changes,"
                    " (SELECT GROUP_CONCAT(c.round ORDER BY c.round SEPARATOR ',') FROM consultation_proposals cp"
                    "  JOIN consultations c ON c.id = cp.consultation_id WHERE cp.revision_id = r.id) AS consulted_in"
                    " FROM proposal_revisions r LEFT JOIN users u ON u.id = r.created_by"
                    " WHERE r.proposal_id = ? ORDER BY r.number",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0) {
        http_reply_err(request, &err);
        return;
    }
    if (store_result_rows(rows) == 0) {
        store_result_free(rows);
        http_reply_error(request, 404, "not_found", NULL, "Dit voorstel bestaat niet.");
        return;
    }
    json_t *items = json_array();
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        json_t *item = store_result_row_json(rows, r);
        json_object_set_new(item, "consulted_in", proposals_split_articles(store_result_text(rows, r, 6)));
        json_array_append_new(items, item);
    }
    store_result_free(rows);
    http_reply_json(request, 200, json_pack("{s:o}", "items", items));
}

/* A revision number from the query string; 0 when absent, -1 when malformed. */
static int proposals_query_number(http_request *request, const char *name, long long *number)
{
    const char *text = http_request_query(request, name);
    *number = 0;
    if (text == NULL || text[0] == '\0')
        return 0;
    return input_id_text(text, number) == 0 ? 0 : -1;
}

void proposals_compare(http_request *request)
{
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    long long id, from = 0, to = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    if (proposals_query_number(request, "from", &from) != 0 || proposals_query_number(request, "to", &to) != 0) {
        http_reply_error(request, 400, "bad_revision", "from", "Geef versienummers als from=1&to=2.");
        return;
    }
    if (store_query(conn, &err, &rows,
                    "SELECT r.number, r.id, r.title, r.rationale, p.base_version_id FROM proposal_revisions r"
                    " JOIN proposals p ON p.id = r.proposal_id WHERE r.proposal_id = ? ORDER BY r.number",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0) {
        http_reply_err(request, &err);
        return;
    }
    size_t count = store_result_rows(rows);
    if (count == 0) {
        store_result_free(rows);
        http_reply_error(request, 404, "not_found", NULL, "Dit voorstel bestaat niet.");
        return;
    }
    if (to == 0)
        to = store_result_int(rows, count - 1, 0);
    if (from == 0)
        from = to > 1 ? to - 1 : 1;
    if (from > (long long)count || to > (long long)count) {
        store_result_free(rows);
        http_reply_error(request, 404, "not_found", from > (long long)count ? "from" : "to",
                         count == 1 ? "Dit voorstel heeft %zu versie." : "Dit voorstel heeft %zu versies.", count);
        return;
    }
    size_t from_row = (size_t)from - 1, to_row = (size_t)to - 1;
    json_t *result = proposals_compare_json(conn, store_result_int(rows, 0, 4), store_result_int(rows, from_row, 1),
                                            store_result_int(rows, to_row, 1), &err);
    json_t *title_diff = result ? proposals_diff_html(store_result_text(rows, from_row, 2),
                                                      store_result_text(rows, to_row, 2), &err)
                                : NULL;
    json_t *rationale_diff = title_diff ? proposals_diff_html(store_result_text(rows, from_row, 3),
                                                              store_result_text(rows, to_row, 3), &err)
                                        : NULL;
    store_result_free(rows);
    if (rationale_diff == NULL) {
        json_decref(result);
        json_decref(title_diff);
        http_reply_err(request, &err);
        return;
    }
    json_object_set_new(result, "proposal_id", json_integer(id));
    json_object_set_new(result, "from", json_integer(from));
    json_object_set_new(result, "to", json_integer(to));
    json_object_set_new(result, "title_diff", title_diff);
    json_object_set_new(result, "rationale_diff", rationale_diff);
    http_reply_json(request, 200, result);
}

void proposals_ready(http_request *request)
{
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    long long id;
    rules_cycle_state state;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    audit_actor actor = http_request_actor(request);
    if (store_begin(conn, &err) != 0 ||
        store_query(conn, &err, &rows,
                    "SELECT p.cycle_id, p.state,"
                    " (SELECT COUNT(*) FROM consultation_comments k LEFT JOIN comment_replies y"
                    "  ON y.comment_id = k.id WHERE k.proposal_id = p.id AND y.comment_id IS NULL),"
                    " (SELECT COUNT(*) FROM consultation_proposals cp JOIN consultations c"
                    "  ON c.id = cp.consultation_id WHERE cp.proposal_id = p.id AND c.closes_at <= UTC_TIMESTAMP(6))"
                    " FROM proposals p WHERE p.id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1) {
        alvd_err_set(&err, 404, "not_found", NULL, "Dit voorstel bestaat niet.");
        goto fail;
    }
    const char *proposal_state = store_result_text(rows, 0, 1);
    long long unreplied = store_result_int(rows, 0, 2), consulted = store_result_int(rows, 0, 3);
    if (strcmp(proposal_state, "ready") == 0) {
        store_rollback(conn);
        store_result_free(rows);
        http_reply_json(request, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "state", "ready"));
        return;
    }
    if (strcmp(proposal_state, "draft") != 0) {
        alvd_err_set(&err, 409, "proposal_closed", NULL, "Alleen een concept kan gereed worden gemeld.");
        goto fail;
    }
    if (cycles_load_state(conn, store_result_int(rows, 0, 0), 1, &state, NULL, &err) != 0 ||
        rules_cycle_check_action(state, RULES_CYCLE_MARK_READY, &err) != 0)
        goto fail;
    if (consulted == 0) {
        alvd_err_set(&err, 422, "not_consulted", NULL,
                     "Dit voorstel is nog niet in een afgesloten consultatieronde voorgelegd; KSF consulteert "
                     "eerst de betrokken partijen (Code art. 7).");
        goto fail;
    }
    if (unreplied > 0) {
        if (unreplied == 1)
            alvd_err_set(&err, 422, "unanswered_comments", NULL,
                         "Nog 1 reactie op dit voorstel zonder antwoord van het bestuur; beantwoord die eerst "
                         "in de reactienota.");
        else
            alvd_err_set(&err, 422, "unanswered_comments", NULL,
                         "Nog %lld reacties op dit voorstel zonder antwoord van het bestuur; beantwoord ze eerst "
                         "in de reactienota.", unreplied);
        goto fail;
    }
    if (store_execute(conn, &err, NULL,
                      "UPDATE proposals SET state = 'ready', updated_at = UTC_TIMESTAMP(6) WHERE id = ?",
                      STORE_PARAMS(STORE_INT_PARAM(id))) != 0 ||
        audit_append(conn, &err, &actor, "proposal.ready", "proposal", id, NULL) != 0 ||
        store_commit(conn, &err) != 0)
        goto fail;
    store_result_free(rows);
    http_reply_json(request, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "state", "ready"));
    return;
fail:
    store_rollback(conn);
    store_result_free(rows);
    http_reply_err(request, &err);
}
