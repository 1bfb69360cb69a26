/* The agenda of a meeting as units of work: replacing it in one transaction (kept ids,
 * ready proposals, items with polls stay), pointing at the current item, and reading it. */
#include "alvd/service/agenda.h"

#include <stdlib.h>
#include <string.h>

#include "alvd/service/proposals.h"
#include "alvd/rules/majority.h"
#include "alvd/service/meetings.h"
#include "alvd/store/agenda.h"
#include "alvd/store/events.h"
#include "alvd/service/proposals.h"

/* The agenda as it stands while a replacement is checked against it. */
typedef struct agenda_plan {
    store_agenda_item *existing;
    int *kept;                 /* per existing item: the new agenda keeps it */
    size_t existing_count;
    long long current_id;      /* the item the meeting points at (0: none) */
} agenda_plan;

int service_agenda_json(store_conn *conn, long long meeting_id, json_t **out, alvd_err *err)
{
    store_result *rows = NULL;
    *out = NULL;
    if (store_agenda_list(conn, meeting_id, &rows, err) != 0)
        return -1;
    json_t *items = store_result_json(rows);
    size_t index;
    json_t *item;
    json_array_foreach(items, index, item) {
        const char *rule = json_string_value(json_object_get(item, "majority_rule"));
        json_object_set_new(item, "rule_text", rule ? json_string(rules_majority_rule_words(rule)) : json_null());
        json_object_set_new(item, "has_poll", json_boolean(json_integer_value(json_object_get(item, "polls")) > 0));
        json_object_del(item, "polls");
    }
    store_result_free(rows);
    *out = items;
    return 0;
}

static void agenda_plan_free(agenda_plan *plan)
{
    free(plan->existing);
    free(plan->kept);
}

/* Lock the meeting (not closed) and read its agenda and current item. */
static int agenda_plan_load(store_conn *conn, long long meeting_id, agenda_plan *plan, alvd_err *err)
{
    char state[8];
    long long current_position = 0;
    if (store_agenda_lock_meeting(conn, meeting_id, state, &current_position, err) != 0)
        return -1;
    if (strcmp(state, "closed") == 0)
        return alvd_err_set(err, 409, "meeting_closed", NULL, "De agenda van een gesloten vergadering ligt vast.");
    if (store_agenda_items(conn, meeting_id, &plan->existing, &plan->existing_count, err) != 0)
        return -1;
    plan->kept = calloc(plan->existing_count ? plan->existing_count : 1, sizeof *plan->kept);
    if (plan->kept == NULL)
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    for (size_t r = 0; r < plan->existing_count; r++)
        if (plan->existing[r].position == current_position)
            plan->current_id = plan->existing[r].id;
    return 0;
}

/* The existing item with that id, or holding that proposal; -1 when none. */
static long agenda_plan_find(const agenda_plan *plan, long long id, long long proposal_id)
{
    for (size_t i = 0; i < plan->existing_count; i++)
        if ((id && plan->existing[i].id == id) || (proposal_id && plan->existing[i].proposal_id == proposal_id))
            return (long)i;
    return -1;
}

/* A proposal item: the title of its current revision; a new one must be ready. */
static int agenda_check_proposal(store_conn *conn, agenda_wanted *item, size_t i, int kept, alvd_err *err)
{
    char state[24];
    int found = 0;
    if (store_agenda_proposal(conn, item->proposal_id, item->proposal_title, sizeof item->proposal_title, state,
                              &found, err) != 0)
        return -1;
    if (!found)
        return alvd_err_set(err, 422, "unknown_proposal", "items", "Agendapunt %zu: voorstel %lld bestaat niet.", i + 1,
                            item->proposal_id);
    if (!kept && strcmp(state, "ready") != 0)
        return alvd_err_set(err, 422, "proposal_not_ready", "items",
                            "Agendapunt %zu: voorstel %lld is nog niet gereed voor de ALV; alleen voorstellen waarvan "
                            "elke consultatiereactie is beantwoord en die gereed zijn gemeld, komen op de agenda.",
                            i + 1, item->proposal_id);
    return 0;
}

/* Item i against the agenda as it stands: which existing item it keeps (its id), or a
 * new one; refuses unknown ids, duplicates and a change of kind of an item with a poll. */
static int agenda_match_item(store_conn *conn, agenda_plan *plan, agenda_wanted *wanted, size_t i, alvd_err *err)
{
    agenda_wanted *item = &wanted[i];
    int proposal = strcmp(item->kind, "proposal") == 0;
    long index = agenda_plan_find(plan, proposal ? 0 : item->id, proposal ? item->proposal_id : 0);
    store_agenda_item *row = index >= 0 ? &plan->existing[index] : NULL;
    if (item->id && (row == NULL || row->id != item->id))
        return alvd_err_set(err, 422, "unknown_item", "items",
                            "Agendapunt %zu: punt %lld staat niet (zo) op de agenda van deze vergadering.", i + 1,
                            item->id);
    for (size_t j = 0; proposal && j < i; j++)
        if (strcmp(wanted[j].kind, "proposal") == 0 && wanted[j].proposal_id == item->proposal_id)
            return alvd_err_set(err, 422, "duplicate_proposal", "items",
                                "Agendapunt %zu: dit voorstel staat al eerder op de agenda.", i + 1);
    if (row && plan->kept[index])
        return alvd_err_set(err, 422, proposal ? "duplicate_proposal" : "duplicate_item", "items",
                            proposal ? "Agendapunt %zu: dit voorstel staat al eerder op de agenda."
                                     : "Agendapunt %zu: dit punt staat al eerder op de agenda.",
                            i + 1);
    if (row && !proposal && strcmp(row->kind, "proposal") == 0)
        row = NULL; /* an id of a proposal item sent as another kind: a new item */
    if (row && row->has_poll && strcmp(row->kind, item->kind) != 0)
        return alvd_err_set(err, 409, "item_has_poll", "items",
                            "Agendapunt %zu: over dit punt is al een stemming klaargezet; het blijft een besluit.",
                            i + 1);
    if (row)
        plan->kept[index] = 1;
    item->id = row ? row->id : 0;
    return proposal ? agenda_check_proposal(conn, item, i, row != NULL, err) : 0;
}

/* An item a poll belongs to cannot leave the agenda. */
static int agenda_check_removed(const agenda_plan *plan, alvd_err *err)
{
    for (size_t r = 0; r < plan->existing_count; r++)
        if (!plan->kept[r] && plan->existing[r].has_poll)
            return alvd_err_set(err, 409, "item_has_poll", "items",
                                "Punt %lld van de agenda kan er niet af: er is al een stemming over klaargezet of "
                                "gehouden.",
                                plan->existing[r].position);
    return 0;
}

/* Write wanted[] as the agenda; details gets what the audit entry records, *current the
 * new position of the current item (0: none). */
static int agenda_write(store_conn *conn, long long meeting_id, const agenda_wanted *wanted, size_t count,
                        long long current_id, json_t *details, long long *current, alvd_err *err)
{
    *current = 0;
    if (store_agenda_clear(conn, meeting_id, err) != 0)
        return -1;
    for (size_t i = 0; i < count; i++) {
        const agenda_wanted *item = &wanted[i];
        int proposal = strcmp(item->kind, "proposal") == 0;
        const char *title = proposal ? item->proposal_title : item->title;
        if (store_agenda_insert(conn, meeting_id, item->id, (long long)i + 1, item->kind,
                                proposal ? item->proposal_id : 0, title, item->majority_rule, err) != 0)
            return -1;
        if (current_id && item->id == current_id)
            *current = (long long)i + 1;
        json_t *entry = json_pack("{s:s, s:s}", "kind", item->kind, "title", title);
        if (proposal)
            json_object_set_new(entry, "proposal_id", json_integer(item->proposal_id));
        if (item->majority_rule)
            json_object_set_new(entry, "majority_rule", json_string(item->majority_rule));
        json_array_append_new(details, entry);
    }
    return 0;
}

/* Audit the new agenda, point the meeting at the current item's new position, announce. */
static int agenda_record(store_conn *conn, const audit_actor *actor, long long meeting_id, json_t *details,
                         long long current, alvd_err *err)
{
    json_t *audit_details = json_pack("{s:O, s:o}", "items", details,
                                      "current_item", current ? json_integer(current) : json_null());
    int rc = audit_append(conn, err, actor, "meeting.agenda", "meeting", meeting_id, audit_details);
    json_decref(audit_details);
    if (rc != 0 || store_agenda_set_current(conn, meeting_id, current, err) != 0 ||
        store_events_append(conn, meeting_id, EVENTS_KIND_AGENDA, NULL, err) != 0)
        return -1;
    return 0;
}

int service_agenda_replace(store_conn *conn, const audit_actor *actor, long long meeting_id, agenda_wanted *wanted,
                           size_t count, json_t **agenda, long long *current_item, alvd_err *err)
{
    agenda_plan plan;
    json_t *details = NULL;
    memset(&plan, 0, sizeof plan);
    *agenda = NULL;
    *current_item = 0;
    if (store_begin(conn, err) != 0 || agenda_plan_load(conn, meeting_id, &plan, err) != 0)
        goto fail;
    for (size_t i = 0; i < count; i++)
        if (agenda_match_item(conn, &plan, wanted, i, err) != 0)
            goto fail;
    if (agenda_check_removed(&plan, err) != 0)
        goto fail;
    details = json_array();
    if (agenda_write(conn, meeting_id, wanted, count, plan.current_id, details, current_item, err) != 0 ||
        agenda_record(conn, actor, meeting_id, details, *current_item, err) != 0 || store_commit(conn, err) != 0 ||
        service_agenda_json(conn, meeting_id, agenda, err) != 0)
        goto fail;
    json_decref(details);
    agenda_plan_free(&plan);
    return 0;
fail:
    store_rollback(conn);
    json_decref(details);
    agenda_plan_free(&plan);
    return -1;
}

int service_agenda_set_current(store_conn *conn, const audit_actor *actor, long long meeting_id, int present,
                               long long position, json_t **payload, alvd_err *err)
{
    store_agenda_current at;
    *payload = NULL;
    if (store_begin(conn, err) != 0 || store_agenda_lock_item_at(conn, meeting_id, position, &at, err) != 0)
        goto fail;
    if (present && !at.found) {
        alvd_err_set(err, 422, "unknown_item", "position", "Agendapunt %lld bestaat niet.", position);
        goto fail;
    }
    json_t *announced = json_pack("{s:o, s:o}", "position", present ? json_integer(position) : json_null(), "title",
                                  present ? json_string(at.title) : json_null());
    if (present) {
        json_object_set_new(announced, "item_id", json_integer(at.item_id));
        json_object_set_new(announced, "kind", json_string(at.kind));
        json_object_set_new(announced, "proposal_id", at.proposal_id ? json_integer(at.proposal_id) : json_null());
    }
    if (audit_append(conn, err, actor, "meeting.current_item", "meeting", meeting_id, announced) != 0 ||
        store_agenda_set_current(conn, meeting_id, present ? position : 0, err) != 0 ||
        store_events_append(conn, meeting_id, EVENTS_KIND_AGENDA, announced, err) != 0 || store_commit(conn, err) != 0) {
        json_decref(announced);
        goto fail;
    }
    *payload = announced;
    return 0;
fail:
    store_rollback(conn);
    return -1;
}

int service_agenda_proposal(store_conn *conn, const auth_principal *who, long long meeting_id, long long item_id,
                            json_t **proposal, alvd_err *err)
{
    meeting_info meeting;
    long long proposal_id = 0;
    *proposal = NULL;
    if (service_meetings_load_for(conn, who, meeting_id, &meeting, err) != 0 ||
        store_agenda_item_proposal(conn, meeting_id, item_id, &proposal_id, err) != 0)
        return -1;
    if (proposal_id == 0)
        return alvd_err_set(err, 404, "no_proposal", NULL, "Bij dit agendapunt hoort geen voorsteltekst.");
    *proposal = service_proposals_json(conn, proposal_id, 0, 0, err);
    return *proposal ? 0 : -1;
}
