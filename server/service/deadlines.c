/* The withdrawal deadlines of every scheduled Code version (R4, R7): the overview the
 * secretariat reads, the calendar events kept in step with the versions, feed links. */
#include "alvd/service/deadlines.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/http/auth.h"
#include "alvd/rules/binding.h"
#include "alvd/rules/deadlines.h"
#include "alvd/service/code.h"
#include "alvd/store/code_versions.h"

#define DEADLINES_FEED_FAILURES_PER_CLIENT 30 /* per minute */
#define DEADLINES_FEED_PAST_DAYS 366          /* the feed also keeps last year's dates */

static int deadlines_day(const char *text, rules_day *out)
{
    alvd_err ignored;
    return text ? rules_date_parse(text, NULL, out, &ignored) : -1;
}

static json_t *deadlines_date_json(rules_day day)
{
    char text[RULES_DATE_TEXT_SIZE];
    return json_string(rules_date_format(day, text));
}

/* ------------------------------------------------------------------ overview */

/* What the overview is built from; texts borrowed from the lists. */
typedef struct deadlines_register {
    service_code_version_list versions;
    store_deadlines_basis_list bases;
    store_deadlines_withdrawal_list withdrawals;
    int feed_active;
    char feed_since[11];
} deadlines_register;

static void deadlines_register_free(deadlines_register *data)
{
    service_code_versions_free(&data->versions);
    store_deadlines_bases_free(&data->bases);
    store_deadlines_withdrawals_free(&data->withdrawals);
}

/* The bases of one organisation, [start, *end), as rules_basis (unparseable skipped). */
static size_t deadlines_group(const store_deadlines_basis_list *bases, size_t start, size_t *end, rules_basis *group)
{
    size_t count = 0, at = start;
    for (; at < bases->count && bases->items[at].organisation_id == bases->items[start].organisation_id; at++) {
        const store_deadlines_basis *row = &bases->items[at];
        rules_basis *basis = &group[count];
        memset(basis, 0, sizeof *basis);
        basis->kind = strcmp(row->basis, "membership") == 0  ? RULES_BASIS_MEMBERSHIP
                      : strcmp(row->basis, "signature") == 0 ? RULES_BASIS_SIGNATURE
                                                             : RULES_BASIS_CONTRACT;
        if (deadlines_day(row->since, &basis->since) == 0) {
            basis->has_until = deadlines_day(row->until, &basis->until) == 0;
            basis->follows_amendments = row->follows_amendments;
            basis->pinned_version_id = row->pinned_version_id;
            count++;
        }
    }
    *end = at;
    return count;
}

/* Whether one organisation's bases bind it by signature to version from its E. */
static int deadlines_bound_by_signature(const rules_basis *group, size_t count, rules_basis_status *status,
                                        const service_code_version_list *versions, const rules_code_version *version)
{
    rules_binding binding;
    alvd_err err;
    int bound = 0;
    if (rules_binding_on(group, count, versions->items, versions->count, version->effective_from, status, &binding,
                         &err) == 0) {
        for (size_t i = 0; i < count; i++)
            if (group[i].kind == RULES_BASIS_SIGNATURE && status[i].active && status[i].version_id == version->id)
                bound = 1;
    } else {
        /* Inconsistent register data must not hide a signatory: fall back to "the
         * signature basis is active on E". */
        for (size_t i = 0; i < count; i++)
            if (group[i].kind == RULES_BASIS_SIGNATURE && group[i].since <= version->effective_from &&
                (!group[i].has_until || group[i].until >= version->effective_from))
                bound = 1;
    }
    return bound;
}

/* The signatories bound by signature to `version` from its E: per organisation,
 * rules_binding_on over all its current bases, keeping those whose signature basis is
 * active on E and binds to that version. */
static json_t *deadlines_to_be_bound(const deadlines_register *data, const rules_code_version *version)
{
    const store_deadlines_basis_list *bases = &data->bases;
    json_t *items = json_array();
    rules_basis *group = calloc(bases->count ? bases->count : 1, sizeof *group);
    rules_basis_status *status = calloc(bases->count ? bases->count : 1, sizeof *status);
    if (group == NULL || status == NULL)
        goto done;
    for (size_t start = 0, end = 0; start < bases->count; start = end) {
        long long organisation_id = bases->items[start].organisation_id;
        size_t count = deadlines_group(bases, start, &end, group);
        if (!deadlines_bound_by_signature(group, count, status, &data->versions, version))
            continue;
        int late = 0;
        for (size_t w = 0; w < data->withdrawals.count; w++)
            if (data->withdrawals.items[w].organisation_id == organisation_id &&
                data->withdrawals.items[w].concerned_version_id == version->id)
                late = 1;
        json_array_append_new(items, json_pack("{s:I, s:s, s:b}", "organisation_id", (json_int_t)organisation_id,
                                               "name", bases->items[start].organisation_name, "late_withdrawal",
                                               late));
    }
done:
    free(group);
    free(status);
    return items;
}

static json_t *deadlines_withdrawal_json(const store_deadlines_withdrawal *w)
{
    return json_pack("{s:I, s:I, s:s, s:s, s:b, s:s, s:s}", "id", (json_int_t)w->id, "organisation_id",
                     (json_int_t)w->organisation_id, "organisation_name", w->organisation_name, "received_on",
                     w->received_on, "timely", w->timely, "outcome", w->outcome, "state", w->state);
}

/* {timely, late, items, taking_effect}: the withdrawals concerning a version, and those
 * that take effect for it. */
static json_t *deadlines_version_withdrawals(const deadlines_register *data, long long version_id)
{
    json_t *concerning = json_array(), *taking_effect = json_array();
    int timely = 0, late = 0;
    for (size_t r = 0; r < data->withdrawals.count; r++) {
        const store_deadlines_withdrawal *w = &data->withdrawals.items[r];
        if (w->concerned_version_id == version_id) {
            if (w->timely)
                timely++;
            else
                late++;
            json_array_append_new(concerning, deadlines_withdrawal_json(w));
        } else if (w->effect_version_id == version_id) {
            json_array_append_new(taking_effect, deadlines_withdrawal_json(w));
        }
    }
    return json_pack("{s:i, s:i, s:o, s:o}", "timely", timely, "late", late, "items", concerning, "taking_effect",
                     taking_effect);
}

/* One scheduled version of the overview. */
static json_t *deadlines_version_item(const deadlines_register *data, const rules_code_version *version,
                                      rules_day today)
{
    rules_withdrawal_deadline w;
    rules_withdrawal_deadline_for(version->effective_from, 0, &w);
    json_t *bound = deadlines_to_be_bound(data, version);
    json_t *item = json_object();
    json_object_set_new(item, "version_id", json_integer(version->id));
    json_object_set_new(item, "label", json_string(version->label ? version->label : ""));
    json_object_set_new(item, "effective_from", deadlines_date_json(version->effective_from));
    json_object_set_new(item, "deadline", deadlines_date_json(w.deadline));
    json_object_set_new(item, "days_left", json_integer(rules_days_between(today, w.deadline)));
    json_object_set_new(item, "days_to_effective", json_integer(rules_days_between(today, version->effective_from)));
    json_object_set_new(item, "deadline_passed", json_boolean(w.deadline < today));
    json_object_set_new(item, "on_weekend", json_boolean(w.on_weekend));
    json_object_set_new(item, "holiday_name", w.holiday_name ? json_string(w.holiday_name) : json_null());
    json_object_set_new(item, "warning", w.warning[0] ? json_string(w.warning) : json_null());
    json_object_set_new(item, "send_by", deadlines_date_json(w.send_by));
    json_object_set_new(item, "advice", json_string(w.advice));
    json_object_set_new(item, "withdrawals", deadlines_version_withdrawals(data, version->id));
    json_object_set_new(item, "to_be_bound",
                        json_pack("{s:I, s:o}", "count", (json_int_t)json_array_size(bound), "items", bound));
    return item;
}

/* Withdrawals no version has taken effect for yet. */
static json_t *deadlines_pending(const deadlines_register *data)
{
    json_t *pending = json_array();
    for (size_t r = 0; r < data->withdrawals.count; r++) {
        const store_deadlines_withdrawal *w = &data->withdrawals.items[r];
        if (strcmp(w->state, "pending") == 0)
            json_array_append_new(pending, json_pack("{s:I, s:I, s:s, s:s, s:s}", "id", (json_int_t)w->id,
                                                     "organisation_id", (json_int_t)w->organisation_id,
                                                     "organisation_name", w->organisation_name, "received_on",
                                                     w->received_on, "outcome", w->outcome));
    }
    return pending;
}

int service_deadlines_overview(store_conn *conn, long long user_id, rules_day today, json_t **out, alvd_err *err)
{
    deadlines_register data;
    memset(&data, 0, sizeof data);
    *out = NULL;
    if (service_code_versions_load(conn, &data.versions, err) != 0 ||
        store_deadlines_bases(conn, &data.bases, err) != 0 ||
        store_deadlines_withdrawals(conn, &data.withdrawals, err) != 0 ||
        store_deadlines_feed_token_active(conn, user_id, &data.feed_active, data.feed_since, err) != 0) {
        deadlines_register_free(&data);
        return -1;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < data.versions.count; i++)
        if (data.versions.items[i].effective_from > today) /* only scheduled versions */
            json_array_append_new(items, deadlines_version_item(&data, &data.versions.items[i], today));
    json_t *feed = json_pack("{s:b}", "active", data.feed_active);
    if (data.feed_active)
        json_object_set_new(feed, "since", json_string(data.feed_since));
    char today_text[RULES_DATE_TEXT_SIZE];
    *out = json_pack("{s:s, s:o, s:o, s:o}", "today", rules_date_format(today, today_text), "items", items, "pending",
                     deadlines_pending(&data), "feed", feed);
    deadlines_register_free(&data);
    return 0;
}

/* ------------------------------------------------------------------ feed links */

int service_deadlines_feed_token_issue(store_conn *conn, const audit_actor *actor, long long user_id,
                                       char token[TOKEN_TEXT_SIZE], alvd_err *err)
{
    unsigned char hash[TOKEN_HASH_BYTES];
    token_new(token);
    token_hash(token, hash);
    if (store_begin(conn, err) != 0 || store_deadlines_feed_token_replace(conn, user_id, hash, sizeof hash, err) != 0 ||
        audit_append(conn, err, actor, "deadline_feed.link_issued", "user", user_id, NULL) != 0 ||
        store_commit(conn, err) != 0)
        return -1;
    return 0;
}

int service_deadlines_feed(store_conn *conn, const service_deadlines_feed_request *request,
                           store_calendar_item_list *out, alvd_err *err)
{
    memset(out, 0, sizeof *out);
    if (auth_rate_check(conn, request->rate_key, "feed_token", request->client, 60,
                        DEADLINES_FEED_FAILURES_PER_CLIENT, err) != 0)
        return -1;
    /* Without a valid link the feed does not exist: 404, the same for every reason. */
    int known = 0;
    if (request->token && strlen(request->token) == TOKEN_TEXT_SIZE - 1) {
        unsigned char hash[TOKEN_HASH_BYTES];
        token_hash(request->token, hash);
        if (store_deadlines_feed_token_known(conn, hash, sizeof hash, &known, err) != 0)
            return -1;
    }
    if (!known) {
        alvd_err ignored;
        alvd_err_clear(&ignored);
        auth_rate_record(conn, request->rate_key, "feed_token", request->client, &ignored);
        return alvd_err_set(err, 404, "not_found", NULL,
                            "Deze agendalink is onbekend of vervangen; maak een nieuwe aan op de pagina Termijnen.");
    }
    char since[RULES_DATE_TEXT_SIZE];
    rules_date_format(rules_day_add_days(request->today, -DEADLINES_FEED_PAST_DAYS), since);
    /* The feed brings the stored events in line first (a change made outside the API,
     * or before this existed), then shows them with their revision. */
    if (store_begin(conn, err) != 0 || service_deadlines_calendar_sync(conn, err) != 0 ||
        store_commit(conn, err) != 0 || store_deadlines_calendar_since(conn, since, out, err) != 0) {
        store_rollback(conn);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ calendar items */

typedef struct calendar_item {
    char uid[64];
    const char *kind;
    long long version_id;
    char day[RULES_DATE_TEXT_SIZE];
    char summary[300];
    char description[1600];
} calendar_item;

/* The two events of a version: its withdrawal deadline W (R4, with the R7 warning and
 * advice) and its effective date E. */
static void calendar_items_of(long long id, const char *label, rules_day effective, calendar_item out[2])
{
    rules_withdrawal_deadline w;
    rules_withdrawal_deadline_for(effective, 0, &w);
    char effective_long[RULES_LONG_DATE_SIZE], deadline_long[RULES_LONG_DATE_SIZE];
    rules_date_format_long(effective, RULES_LANG_NL, effective_long, sizeof effective_long);
    rules_date_format_long(w.deadline, RULES_LANG_NL, deadline_long, sizeof deadline_long);
    memset(out, 0, 2 * sizeof *out);
    snprintf(out[0].uid, sizeof out[0].uid, "withdrawal-deadline-%lld", id);
    out[0].kind = "withdrawal_deadline";
    rules_date_format(w.deadline, out[0].day);
    snprintf(out[0].summary, sizeof out[0].summary, "Uiterste ontvangstdatum intrekkingen Code %s", label);
    snprintf(out[0].description, sizeof out[0].description,
             "Intrekkingen van de ondertekening voor versie %s van de Code (ingang %s) moeten uiterlijk "
             "op %s bij KSF zijn ontvangen (art. 7: vier weken voor de ingangsdatum).%s%s\n%s",
             label, effective_long, deadline_long, w.warning[0] ? "\n" : "", w.warning, w.advice);
    snprintf(out[1].uid, sizeof out[1].uid, "code-effective-%lld", id);
    out[1].kind = "effective";
    rules_date_format(effective, out[1].day);
    snprintf(out[1].summary, sizeof out[1].summary, "Code %s treedt in werking", label);
    snprintf(out[1].description, sizeof out[1].description,
             "Vanaf %s geldt versie %s van de Code voor leden en ondertekenaars die niet tijdig hebben "
             "opgezegd.",
             effective_long, label);
    out[0].version_id = out[1].version_id = id;
}

/* The events every version stands behind, two per version in id order (*count slots,
 * a slot with an empty uid for a version whose date does not parse). */
static calendar_item *calendar_items_wanted(store_conn *conn, size_t *count, alvd_err *err)
{
    store_result *versions = NULL;
    if (store_code_versions_by_id(conn, &versions, err) != 0)
        return NULL;
    *count = 2 * store_result_rows(versions);
    calendar_item *items = calloc(*count ? *count : 1, sizeof *items);
    if (items == NULL) {
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    } else {
        for (size_t r = 0; r < store_result_rows(versions); r++) {
            rules_day effective;
            if (deadlines_day(store_result_text(versions, r, 2), &effective) == 0)
                calendar_items_of(store_result_int(versions, r, 0), store_result_text(versions, r, 1), effective,
                                  &items[2 * r]);
        }
    }
    store_result_free(versions);
    return items;
}

/* Whether a wanted event differs from what is stored (or is not stored, or cancelled). */
static int calendar_item_changed(const store_calendar_item_list *stored, const calendar_item *item)
{
    for (size_t r = 0; r < stored->count; r++) {
        const store_calendar_item *old = &stored->items[r];
        if (strcmp(old->uid, item->uid) == 0)
            return strcmp(old->day, item->day) != 0 || strcmp(old->summary, item->summary) != 0 ||
                   strcmp(old->description, item->description) != 0 || old->cancelled;
    }
    return 1;
}

int service_deadlines_calendar_sync(store_conn *conn, alvd_err *err)
{
    store_calendar_item_list stored = {0};
    calendar_item *items = NULL;
    size_t count = 0;
    int rc = -1;
    /* Every stored item is locked first, so two syncs apply one after the other. */
    if (store_deadlines_calendar_lock_all(conn, &stored, err) != 0 ||
        (items = calendar_items_wanted(conn, &count, err)) == NULL)
        goto done;
    for (size_t i = 0; i < count; i++)
        if (items[i].uid[0] && calendar_item_changed(&stored, &items[i]) &&
            store_deadlines_calendar_upsert(conn, items[i].uid, items[i].kind, items[i].version_id, items[i].day,
                                            items[i].summary, items[i].description, err) != 0)
            goto done;
    /* An event no version stands behind any more is sent as cancelled, not dropped. */
    for (size_t r = 0; r < stored.count; r++) {
        if (stored.items[r].cancelled)
            continue;
        int current = 0;
        for (size_t i = 0; i < count && !current; i++)
            current = strcmp(items[i].uid, stored.items[r].uid) == 0;
        if (!current && store_deadlines_calendar_cancel(conn, stored.items[r].uid, err) != 0)
            goto done;
    }
    rc = 0;
done:
    free(items);
    store_deadlines_calendar_free(&stored);
    return rc;
}
