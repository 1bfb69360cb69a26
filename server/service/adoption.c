/* The effective date of an adopted proposal (R3, R4, R7) and the scheduled Code
 * version it makes, rebuilt from the record whenever a date changes. A version is in
 * force from its effective_from on: computed from the date, no job. */
#include "alvd/service/adoption.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/service/withdrawals.h"
#include "alvd/rules/cycle.h"
#include "alvd/service/deadlines.h"
#include "alvd/store/adoption.h"
#include "alvd/store/code_versions.h"
#include "alvd/service/minutes.h"
#include "alvd/store/meetings.h"

/* Apply one article change to the list of articles ([{id,title,text}] in order). */
static void adoption_apply_change(json_t *articles, const char *article, const char *action, const char *title,
                                  const char *text)
{
    size_t index, count = json_array_size(articles);
    for (index = 0; index < count; index++)
        if (strcmp(json_string_value(json_object_get(json_array_get(articles, index), "id")), article) == 0)
            break;
    if (strcmp(action, "delete") == 0) {
        if (index < count)
            json_array_remove(articles, index);
        return;
    }
    if (index < count) { /* replace (or an insert of an id that exists by now) */
        json_t *entry = json_array_get(articles, index);
        json_object_set_new(entry, "text", json_string(text ? text : ""));
        if (title && *title)
            json_object_set_new(entry, "title", json_string(title));
        return;
    }
    if (strcmp(action, "insert") != 0)
        return; /* a replace of an article an earlier version deleted: nothing to replace */
    size_t at = 0;
    while (at < count &&
           rules_article_id_compare(json_string_value(json_object_get(json_array_get(articles, at), "id")), article) < 0)
        at++;
    json_array_insert_new(articles, at,
                          json_pack("{s:s, s:s, s:s}", "id", article, "title", title ? title : "", "text",
                                    text ? text : ""));
}

static const char *adoption_text(json_t *object, const char *key)
{
    return json_string_value(json_object_get(object, key));
}

/* Recompute a scheduled version: base = the version in force the day before its E
 * (or the oldest base version of its proposals when none), then every adopted change
 * pointing at it, in proposal order. */
static int adoption_rebuild(store_conn *conn, long long version_id, alvd_err *err)
{
    json_t *articles = NULL, *changes = NULL;
    long long base_id = 0;
    int rc = -1;
    if (store_adoption_version_base(conn, version_id, &base_id, err) != 0 ||
        store_code_articles_json(conn, base_id, &articles, err) != 0 ||
        store_adoption_changes_json(conn, version_id, &changes, err) != 0)
        goto done;
    for (size_t r = 0; r < json_array_size(changes); r++) {
        json_t *change = json_array_get(changes, r);
        adoption_apply_change(articles, adoption_text(change, "article_id"), adoption_text(change, "action"),
                              adoption_text(change, "title"), adoption_text(change, "text"));
    }
    if (store_adoption_version_set_base(conn, version_id, base_id, err) != 0 ||
        store_code_articles_delete(conn, version_id, err) != 0)
        goto done;
    for (size_t i = 0; i < json_array_size(articles); i++) {
        json_t *article = json_array_get(articles, i);
        if (store_code_articles_insert(conn, version_id, (long long)i + 1, adoption_text(article, "id"),
                                       adoption_text(article, "title"), adoption_text(article, "text"), err) != 0)
            goto done;
    }
    rc = 0;
done:
    json_decref(articles);
    json_decref(changes);
    return rc;
}

/* Rebuild every scheduled adoption version from the earliest affected date on, so a
 * later version always builds on the one before it, whatever order dates were set in. */
static int adoption_rebuild_from(store_conn *conn, const char *from_date, alvd_err *err)
{
    long long *ids = NULL;
    size_t count = 0;
    int rc = store_adoption_versions_from(conn, from_date, &ids, &count, err);
    for (size_t i = 0; rc == 0 && i < count; i++)
        rc = adoption_rebuild(conn, ids[i], err);
    free(ids);
    return rc;
}

/* One effective-date request on its way through the transaction. */
typedef struct adoption_flow {
    const service_adoption_request *request;
    service_adoption_result *out;
    store_adoption_decision decision;  /* the adopting poll, D */
    meeting_info meeting;
    char deadline[RULES_DATE_TEXT_SIZE]; /* W */
    long long old_version;             /* the version it was on, 0 = none */
    char old_date[RULES_DATE_TEXT_SIZE];
    const char *rebuild_from;
} adoption_flow;

/* The poll that adopted the proposal (the last one, when a re-vote was held). */
static int adoption_load_decision(store_conn *conn, adoption_flow *flow, alvd_err *err)
{
    if (store_adoption_decision_load(conn, flow->request->proposal_id, &flow->decision, err) != 0)
        return -1;
    if (flow->decision.poll_id == 0 || strcmp(flow->decision.proposal_state, "adopted") != 0)
        return alvd_err_set(err, 422, "not_adopted", NULL,
                            "Alleen voor een aangenomen voorstel kan een ingangsdatum worden vastgesteld.");
    return 0;
}

/* R3 (E ≥ D + 42) and no retroactive version; W = E − 28 with its R7 warning. */
static int adoption_check_dates(adoption_flow *flow, alvd_err *err)
{
    rules_day decided, effective;
    if (rules_date_parse(flow->decision.decided_on, NULL, &decided, err) != 0 ||
        rules_date_parse(flow->request->date, "date", &effective, err) != 0)
        return -1;
    if (rules_check_effective_date(decided, effective, &flow->out->check, err) != 0 ||
        rules_check_new_version(flow->request->today, 0, 1, decided, effective, err) != 0) {
        snprintf(err->field, sizeof err->field, "date");
        return -1;
    }
    rules_withdrawal_deadline_for(effective, 0, &flow->out->deadline);
    rules_date_format(flow->out->deadline.deadline, flow->deadline);
    return 0;
}

/* A set date moves only while no withdrawal refers to its version. */
static int adoption_check_movable(store_conn *conn, const adoption_flow *flow, alvd_err *err)
{
    long long withdrawals = 0;
    if (store_adoption_withdrawals_on(conn, flow->old_version, &withdrawals, err) != 0)
        return -1;
    if (withdrawals > 0)
        return alvd_err_set(err, 409, "withdrawals_on_version", "date",
                            "De ingangsdatum %s kan niet meer worden gewijzigd: aantal intrekkingen die al naar deze "
                            "versie verwijzen: %lld.",
                            flow->old_date, withdrawals);
    return 0;
}

/* The version of this ALV with this date: the existing one, the old one moved (when
 * this adoption was its only one), or a new one. */
static int adoption_pick_version(store_conn *conn, adoption_flow *flow, alvd_err *err)
{
    const char *date = flow->request->date;
    long long version_id = 0, versions = 0;
    if (store_adoption_version_on(conn, date, flow->decision.meeting_id, &version_id, &versions, err) != 0)
        return -1;
    if (version_id == 0 && versions > 0)
        return alvd_err_set(err, 409, "effective_date_taken", "date",
                            "Op %s gaat al een andere versie van de Code in; kies een andere ingangsdatum.", date);
    char label[64];
    snprintf(label, sizeof label, "%s (ALV %s)", date, flow->meeting.date);
    /* Moving the only adoption of a version moves the version itself: it keeps its id,
     * so calendars keep its UIDs and see a new SEQUENCE instead of a stale event. */
    if (version_id == 0 && flow->old_version) {
        long long sharing = 0;
        if (store_adoption_count_on_version(conn, flow->old_version, flow->request->proposal_id, &sharing, err) != 0)
            return -1;
        if (sharing == 0) {
            if (store_adoption_version_move(conn, flow->old_version, date, label, err) != 0 ||
                service_withdrawals_apply_pending(conn, flow->old_version, err) < 0)
                return -1;
            version_id = flow->old_version;
        }
    }
    if (version_id == 0) {
        if (store_adoption_version_insert(conn, label, date, flow->decision.meeting_id, flow->decision.decided_on,
                                          flow->request->user_id, &version_id, err) != 0 ||
            /* Letters that were late for an earlier amendment take effect for this one
             * when they meet its deadline (R5). */
            service_withdrawals_apply_pending(conn, version_id, err) < 0)
            return -1;
    }
    flow->out->version_id = version_id;
    return 0;
}

/* Write the adoption and the version's D (the latest of its adoptions'). */
static int adoption_write(store_conn *conn, const adoption_flow *flow, alvd_err *err)
{
    store_adoption_row row = {
        .proposal_id = flow->request->proposal_id,
        .poll_id = flow->decision.poll_id,
        .meeting_id = flow->decision.meeting_id,
        .version_id = flow->out->version_id,
        .set_by = flow->request->user_id,
        .decided_on = flow->decision.decided_on,
        .effective_from = flow->request->date,
        .withdrawal_deadline = flow->deadline,
    };
    if (store_adoption_upsert(conn, &row, err) != 0)
        return -1;
    return store_adoption_version_raise_decided_on(conn, flow->out->version_id, flow->decision.decided_on, err);
}

/* The old version loses this adoption: dropped when none is left; the rebuild starts
 * at the earlier of the two dates. */
static int adoption_leave_old_version(store_conn *conn, adoption_flow *flow, alvd_err *err)
{
    const char *date = flow->request->date;
    flow->rebuild_from = date;
    if (flow->old_version == flow->out->version_id && strcmp(flow->old_date, date) < 0)
        flow->rebuild_from = flow->old_date; /* moved in place: rebuild from the earlier of the two dates */
    if (!flow->old_version || flow->old_version == flow->out->version_id)
        return 0;
    long long left = 0;
    if (store_adoption_count_on_version(conn, flow->old_version, 0, &left, err) != 0 ||
        (left == 0 && store_adoption_version_delete(conn, flow->old_version, err) != 0))
        return -1;
    if (strcmp(flow->old_date, date) < 0)
        flow->rebuild_from = flow->old_date;
    return 0;
}

/* The signed decision record of the minutes and the audit entry. */
static int adoption_record(store_conn *conn, const adoption_flow *flow, alvd_err *err)
{
    const service_adoption_request *request = flow->request;
    json_t *record = json_pack("{s:s, s:I, s:I, s:I, s:s, s:s, s:s, s:I}", "kind", "effective_date", "poll_id",
                               (json_int_t)flow->decision.poll_id, "meeting_id", (json_int_t)flow->decision.meeting_id,
                               "proposal_id", (json_int_t)request->proposal_id, "decided_on",
                               flow->decision.decided_on, "effective_from", request->date, "withdrawal_deadline",
                               flow->deadline, "version_id", (json_int_t)flow->out->version_id);
    int rc = service_minutes_record_decision(conn, request->data_dir, flow->decision.meeting_id, flow->decision.poll_id,
                                     "effective_date", record, err);
    if (rc == 0) {
        if (flow->old_version)
            json_object_set_new(record, "previous_effective_from", json_string(flow->old_date));
        rc = audit_append(conn, err, request->actor, "proposal.effective_date", "proposal", request->proposal_id,
                          record);
    }
    json_decref(record);
    return rc;
}

/* Inside the transaction, after the meeting is locked: everything from the dates to
 * the audit entry. *repeat is set when the date was already this one (nothing to do). */
static int adoption_apply(store_conn *conn, adoption_flow *flow, int *repeat, alvd_err *err)
{
    *repeat = 0;
    if (store_meetings_load(conn, flow->decision.meeting_id, &flow->meeting, err) != 0 || adoption_check_dates(flow, err) != 0)
        return -1;
    /* Already set? The same date is a repeat; another date moves it (refused once a
     * withdrawal refers to the version). */
    if (store_adoption_current_locked(conn, flow->request->proposal_id, &flow->old_version, flow->old_date, err) != 0)
        return -1;
    if (flow->old_version && strcmp(flow->old_date, flow->request->date) == 0) {
        flow->out->version_id = flow->old_version;
        *repeat = 1;
        return 0;
    }
    if ((flow->old_version && adoption_check_movable(conn, flow, err) != 0) ||
        adoption_pick_version(conn, flow, err) != 0 || adoption_write(conn, flow, err) != 0 ||
        adoption_leave_old_version(conn, flow, err) != 0 ||
        adoption_rebuild_from(conn, flow->rebuild_from, err) != 0 ||
        service_deadlines_calendar_sync(conn, err) != 0 || /* the calendar sees the move now */
        adoption_record(conn, flow, err) != 0)
        return -1;
    return 0;
}

int service_adoption_set_effective_date(store_conn *conn, const service_adoption_request *request,
                                        service_adoption_result *out, alvd_err *err)
{
    adoption_flow flow;
    memset(&flow, 0, sizeof flow);
    memset(out, 0, sizeof *out);
    flow.request = request;
    flow.out = out;
    out->proposal_id = request->proposal_id;
    snprintf(out->effective_from, sizeof out->effective_from, "%s", request->date);
    if (adoption_load_decision(conn, &flow, err) != 0)
        return -1;
    int repeat = 0;
    /* The meeting row serialises every date of one ALV (they share versions). */
    if (store_begin(conn, err) != 0 || store_meetings_lock(conn, flow.decision.meeting_id, NULL, err) != 0 ||
        adoption_apply(conn, &flow, &repeat, err) != 0)
        goto fail;
    if (repeat) {
        store_rollback(conn);
        return 0;
    }
    if (store_commit(conn, err) != 0)
        goto fail;
    return 0;
fail:
    store_rollback(conn);
    return -1;
}
