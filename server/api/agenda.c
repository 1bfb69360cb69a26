/* The agenda of a meeting: plain items, proposals and other decisions interleaved in any
 * order (PUT), the older proposals-first body (POST), and the current item (chair). */
#include "alvd/api/agenda.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/api/events.h"
#include "alvd/api/meetings.h"
#include "alvd/api/polls.h"
#include "alvd/api/proposals.h"
#include "alvd/crypto/audit.h"
#include "alvd/http/input.h"
#include "alvd/rules/majority.h"

#define AGENDA_TITLE_MAX 300

/* One item as a request wants it, before it is written. */
typedef struct agenda_wanted {
    long long id;              /* an existing item to keep (0: a new one) */
    const char *kind;          /* "item", "proposal" or "decision" */
    long long proposal_id;     /* kind proposal */
    const char *title;         /* kind item and decision (borrowed from the body) */
    const char *majority_rule; /* kind decision; NULL: the meeting's rule */
    char proposal_title[AGENDA_TITLE_MAX * 4 + 1];
} agenda_wanted;

/* One item as it stands. */
typedef struct agenda_row {
    long long id, position, proposal_id;
    char kind[12];
    int has_poll, kept;
} agenda_row;

int agenda_json(store_conn *conn, long long meeting_id, json_t **out, alvd_err *err)
{
    store_result *rows = NULL;
    *out = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT a.id, a.position, a.kind, a.title, a.proposal_id, p.state AS proposal_state, a.majority_rule,"
                    " (SELECT COUNT(*) FROM polls q WHERE q.meeting_id = a.meeting_id AND"
                    "  ((a.kind = 'proposal' AND q.proposal_id = a.proposal_id) OR q.agenda_item_id = a.id)) AS polls"
                    " FROM meeting_agenda a LEFT JOIN proposals p ON p.id = a.proposal_id"
                    " WHERE a.meeting_id = ? ORDER BY a.position",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
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

/* A title on one line: no control characters (they would break the convocation). */
static int agenda_title_valid(const char *title)
{
    for (const unsigned char *p = (const unsigned char *)title; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return 0;
    return 1;
}

/* The field's own sentence, prefixed with the item it belongs to ("Agendapunt 3: …"). */
static void agenda_error_for_item(alvd_err *err, size_t index)
{
    char message[ALVD_ERR_MESSAGE_MAX];
    int written = snprintf(message, sizeof message, "Agendapunt %zu: ", index + 1);
    size_t used = written > 0 ? (size_t)written : 0, rest = strlen(err->message);
    if (used + rest >= sizeof message)
        rest = sizeof message - used - 1;
    memcpy(message + used, err->message, rest);
    message[used + rest] = '\0';
    memcpy(err->message, message, sizeof message);
    snprintf(err->field, sizeof err->field, "items");
}

/* Parse the items of a PUT body into wanted[] (count set); 400/422 naming the item. */
static int agenda_parse_items(json_t *items, agenda_wanted *wanted, size_t *count, alvd_err *err)
{
    static const char *const kinds[] = {"item", "proposal", "decision", NULL};
    static const char *const item_fields[] = {"kind", "id", "title", NULL};
    static const char *const proposal_fields[] = {"kind", "id", "proposal_id", "title", NULL};
    static const char *const decision_fields[] = {"kind", "id", "title", "majority_rule", NULL};
    size_t index;
    json_t *value;
    *count = 0;
    if (!json_is_array(items))
        return alvd_err_set(err, 400, "wrong_type", "items",
                            "Geef de agenda als een lijst van agendapunten: elk een punt met een titel, een voorstel "
                            "of een besluit.");
    if (json_array_size(items) > AGENDA_ITEMS_MAX)
        return alvd_err_set(err, 422, "too_many", "items", "Een agenda heeft hoogstens %d punten.", AGENDA_ITEMS_MAX);
    json_array_foreach(items, index, value) {
        agenda_wanted *item = &wanted[index];
        memset(item, 0, sizeof *item);
        if (!json_is_object(value))
            return alvd_err_set(err, 400, "wrong_type", "items", "Agendapunt %zu is geen object.", index + 1);
        if (input_choice(value, "kind", 1, kinds, &item->kind, err) != 0 ||
            input_only(value,
                       strcmp(item->kind, "item") == 0       ? item_fields
                       : strcmp(item->kind, "proposal") == 0 ? proposal_fields
                                                             : decision_fields,
                       err) != 0 ||
            input_integer(value, "id", 0, 1, 1LL << 53, &item->id, NULL, err) != 0)
            goto named;
        if (strcmp(item->kind, "proposal") == 0) {
            if (input_integer(value, "proposal_id", 1, 1, 1LL << 53, &item->proposal_id, NULL, err) != 0)
                goto named;
        } else {
            if (input_string(value, "title", 1, AGENDA_TITLE_MAX, &item->title, err) != 0)
                goto named;
            if (!agenda_title_valid(item->title))
                return alvd_err_set(err, 422, "bad_title", "items",
                                    "Agendapunt %zu: de titel moet op één regel staan.", index + 1);
        }
        if (strcmp(item->kind, "decision") == 0) {
            rules_majority_rule rule;
            if (input_string(value, "majority_rule", 0, 32, &item->majority_rule, err) != 0 ||
                (item->majority_rule && rules_majority_rule_parse(item->majority_rule, &rule, err) != 0))
                goto named;
        }
        (*count)++;
        continue;
    named:
        agenda_error_for_item(err, index);
        return -1;
    }
    return 0;
}

static agenda_row *agenda_row_find(agenda_row *rows, size_t count, long long id, long long proposal_id)
{
    for (size_t i = 0; i < count; i++)
        if ((id && rows[i].id == id) || (proposal_id && rows[i].proposal_id == proposal_id))
            return &rows[i];
    return NULL;
}

/*
 * Replace the agenda of a meeting by wanted[] in that order, in one transaction:
 * kept items keep their id (proposals are kept by proposal), new proposals must be
 * ready, an item a poll belongs to cannot be removed, the current item stays on the
 * same item wherever it moved. Answers the request itself (200 or the error).
 */
static void agenda_replace(http_request *request, long long meeting_id, agenda_wanted *wanted, size_t count,
                           int answer_items)
{
    store_conn *conn = http_request_db(request);
    audit_actor actor = http_request_actor(request);
    store_result *rows = NULL;
    agenda_row *existing = NULL;
    size_t existing_count = 0;
    json_t *agenda = NULL, *details = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (store_begin(conn, &err) != 0 ||
        store_query(conn, &err, &rows, "SELECT state, current_item FROM meetings WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1) {
        alvd_err_set(&err, 404, "not_found", NULL, "Vergadering niet gevonden.");
        goto fail;
    }
    if (strcmp(store_result_text(rows, 0, 0), "closed") == 0) {
        alvd_err_set(&err, 409, "meeting_closed", NULL, "De agenda van een gesloten vergadering ligt vast.");
        goto fail;
    }
    long long current_position = store_result_int(rows, 0, 1);
    store_result_free(rows);
    rows = NULL;
    if (store_query(conn, &err, &rows,
                    "SELECT a.id, a.position, a.kind, a.proposal_id,"
                    " (SELECT COUNT(*) FROM polls p WHERE p.meeting_id = a.meeting_id AND"
                    "  ((a.kind = 'proposal' AND p.proposal_id = a.proposal_id) OR p.agenda_item_id = a.id))"
                    " FROM meeting_agenda a WHERE a.meeting_id = ? ORDER BY a.position",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        goto fail;
    existing_count = store_result_rows(rows);
    existing = calloc(existing_count ? existing_count : 1, sizeof *existing);
    if (existing == NULL) {
        alvd_err_set(&err, 500, "out_of_memory", NULL, "Geen geheugen.");
        goto fail;
    }
    long long current_id = 0;
    for (size_t r = 0; r < existing_count; r++) {
        existing[r].id = store_result_int(rows, r, 0);
        existing[r].position = store_result_int(rows, r, 1);
        snprintf(existing[r].kind, sizeof existing[r].kind, "%s", store_result_text(rows, r, 2));
        existing[r].proposal_id = store_result_int(rows, r, 3);
        existing[r].has_poll = store_result_int(rows, r, 4) > 0;
        if (existing[r].position == current_position)
            current_id = existing[r].id;
    }
    store_result_free(rows);
    rows = NULL;

    for (size_t i = 0; i < count; i++) {
        agenda_wanted *item = &wanted[i];
        int proposal = strcmp(item->kind, "proposal") == 0;
        agenda_row *row = agenda_row_find(existing, existing_count, proposal ? 0 : item->id,
                                          proposal ? item->proposal_id : 0);
        if (item->id && (row == NULL || row->id != item->id)) {
            alvd_err_set(&err, 422, "unknown_item", "items",
                         "Agendapunt %zu: punt %lld staat niet (zo) op de agenda van deze vergadering.", i + 1, item->id);
            goto fail;
        }
        for (size_t j = 0; proposal && j < i; j++) {
            if (strcmp(wanted[j].kind, "proposal") == 0 && wanted[j].proposal_id == item->proposal_id) {
                alvd_err_set(&err, 422, "duplicate_proposal", "items",
                             "Agendapunt %zu: dit voorstel staat al eerder op de agenda.", i + 1);
                goto fail;
            }
        }
        if (row && row->kept) {
            alvd_err_set(&err, 422, proposal ? "duplicate_proposal" : "duplicate_item", "items",
                         proposal ? "Agendapunt %zu: dit voorstel staat al eerder op de agenda."
                                  : "Agendapunt %zu: dit punt staat al eerder op de agenda.",
                         i + 1);
            goto fail;
        }
        if (row && !proposal && strcmp(row->kind, "proposal") == 0)
            row = NULL; /* an id of a proposal item sent as another kind: a new item */
        if (row && row->has_poll && strcmp(row->kind, item->kind) != 0) {
            alvd_err_set(&err, 409, "item_has_poll", "items",
                         "Agendapunt %zu: over dit punt is al een stemming klaargezet; het blijft een besluit.", i + 1);
            goto fail;
        }
        if (row) {
            row->kept = 1;
            item->id = row->id;
        } else {
            item->id = 0;
        }
        if (!proposal)
            continue;
        /* A proposal: the title of its current revision; a new one must be ready. */
        if (store_query(conn, &err, &rows,
                        "SELECT r.title, p.state FROM proposals p"
                        " JOIN proposal_revisions r ON r.id = p.current_revision_id WHERE p.id = ?",
                        STORE_PARAMS(STORE_INT_PARAM(item->proposal_id))) != 0)
            goto fail;
        if (store_result_rows(rows) != 1) {
            alvd_err_set(&err, 422, "unknown_proposal", "items", "Agendapunt %zu: voorstel %lld bestaat niet.", i + 1,
                         item->proposal_id);
            goto fail;
        }
        if (row == NULL && strcmp(store_result_text(rows, 0, 1), "ready") != 0) {
            alvd_err_set(&err, 422, "proposal_not_ready", "items",
                         "Agendapunt %zu: voorstel %lld is nog niet gereed voor de ALV; alleen voorstellen waarvan elke "
                         "consultatiereactie is beantwoord en die gereed zijn gemeld, komen op de agenda.",
                         i + 1, item->proposal_id);
            goto fail;
        }
        snprintf(item->proposal_title, sizeof item->proposal_title, "%s", store_result_text(rows, 0, 0));
        store_result_free(rows);
        rows = NULL;
    }
    for (size_t r = 0; r < existing_count; r++) {
        if (!existing[r].kept && existing[r].has_poll) {
            alvd_err_set(&err, 409, "item_has_poll", "items",
                         "Punt %lld van de agenda kan er niet af: er is al een stemming over klaargezet of gehouden.",
                         existing[r].position);
            goto fail;
        }
    }

    details = json_array();
    long long new_current = 0;
    if (store_execute(conn, &err, NULL, "DELETE FROM meeting_agenda WHERE meeting_id = ?",
                      STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        goto fail;
    for (size_t i = 0; i < count; i++) {
        agenda_wanted *item = &wanted[i];
        int proposal = strcmp(item->kind, "proposal") == 0;
        const char *title = proposal ? item->proposal_title : item->title;
        if (store_execute(conn, &err, NULL,
                          "INSERT INTO meeting_agenda (id, meeting_id, position, kind, proposal_id, title, majority_rule)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?)",
                          STORE_PARAMS(item->id ? STORE_INT_PARAM(item->id) : STORE_NULL_PARAM,
                                       STORE_INT_PARAM(meeting_id), STORE_INT_PARAM((long long)i + 1),
                                       STORE_TEXT_PARAM(item->kind),
                                       proposal ? STORE_INT_PARAM(item->proposal_id) : STORE_NULL_PARAM,
                                       STORE_TEXT_PARAM(title),
                                       item->majority_rule ? STORE_TEXT_PARAM(item->majority_rule) : STORE_NULL_PARAM)) != 0)
            goto fail;
        if (current_id && item->id == current_id)
            new_current = (long long)i + 1;
        json_t *entry = json_pack("{s:s, s:s}", "kind", item->kind, "title", title);
        if (proposal)
            json_object_set_new(entry, "proposal_id", json_integer(item->proposal_id));
        if (item->majority_rule)
            json_object_set_new(entry, "majority_rule", json_string(item->majority_rule));
        json_array_append_new(details, entry);
    }
    json_t *audit_details = json_pack("{s:O, s:o}", "items", details,
                                      "current_item", new_current ? json_integer(new_current) : json_null());
    int rc = audit_append(conn, &err, &actor, "meeting.agenda", "meeting", meeting_id, audit_details);
    json_decref(audit_details);
    if (rc != 0 ||
        store_execute(conn, &err, NULL, "UPDATE meetings SET current_item = ? WHERE id = ?",
                      STORE_PARAMS(new_current ? STORE_INT_PARAM(new_current) : STORE_NULL_PARAM,
                                   STORE_INT_PARAM(meeting_id))) != 0 ||
        events_append(conn, meeting_id, EVENTS_KIND_AGENDA, NULL, &err) != 0 || store_commit(conn, &err) != 0 ||
        agenda_json(conn, meeting_id, &agenda, &err) != 0)
        goto fail;
    json_t *body = json_pack("{s:I, s:o, s:O}", "meeting_id", (json_int_t)meeting_id, "current_item",
                             new_current ? json_integer(new_current) : json_null(), "agenda", agenda);
    if (answer_items)
        json_object_set(body, "items", agenda);
    json_decref(agenda);
    json_decref(details);
    free(existing);
    http_reply_json(request, 200, body);
    return;
fail:
    store_result_free(rows);
    store_rollback(conn);
    json_decref(details);
    free(existing);
    http_reply_err(request, &err);
}

void agenda_put(http_request *request)
{
    static const char *const fields[] = {"items", NULL};
    json_t *body = http_request_json(request);
    long long meeting_id = 0;
    size_t count = 0;
    agenda_wanted *wanted = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        return;
    json_t *items = json_object_get(body, "items");
    if (input_only(body, fields, &err) != 0)
        goto fail;
    if (items == NULL) {
        alvd_err_set(&err, 400, "required", "items", "Geef de agenda als een lijst van agendapunten.");
        goto fail;
    }
    wanted = calloc(json_is_array(items) && json_array_size(items) ? json_array_size(items) : 1, sizeof *wanted);
    if (wanted == NULL) {
        alvd_err_set(&err, 500, "out_of_memory", NULL, "Geen geheugen.");
        goto fail;
    }
    if (agenda_parse_items(items, wanted, &count, &err) != 0)
        goto fail;
    agenda_replace(request, meeting_id, wanted, count, 1);
    free(wanted);
    return;
fail:
    free(wanted);
    http_reply_err(request, &err);
}

/* The first agenda body (issue 5): {"proposal_ids":[…], "items"?:[{"title"}]}, the
 * proposals first and the plain titles after them. Kept for the clients that send it. */
void agenda_post(http_request *request)
{
    static const char *const fields[] = {"proposal_ids", "items", NULL};
    static const char *const title_fields[] = {"title", NULL};
    json_t *body = http_request_json(request);
    long long meeting_id = 0;
    agenda_wanted *wanted = NULL;
    size_t count = 0, index;
    json_t *value;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        return;
    json_t *ids = json_object_get(body, "proposal_ids");
    json_t *items = json_object_get(body, "items");
    if (input_only(body, fields, &err) != 0)
        goto fail;
    if (!json_is_array(ids) || (items && !json_is_array(items))) {
        alvd_err_set(&err, 400, "wrong_type", "proposal_ids", "proposal_ids moet een lijst van ids zijn.");
        goto fail;
    }
    if (json_array_size(ids) + json_array_size(items) > AGENDA_ITEMS_MAX) {
        alvd_err_set(&err, 422, "too_many", "proposal_ids", "Een agenda heeft hoogstens %d punten.", AGENDA_ITEMS_MAX);
        goto fail;
    }
    wanted = calloc(json_array_size(ids) + json_array_size(items) + 1, sizeof *wanted);
    if (wanted == NULL) {
        alvd_err_set(&err, 500, "out_of_memory", NULL, "Geen geheugen.");
        goto fail;
    }
    json_array_foreach(ids, index, value) {
        if (!json_is_integer(value) || json_integer_value(value) <= 0) {
            alvd_err_set(&err, 400, "wrong_type", "proposal_ids", "proposal_ids moet positieve gehele getallen bevatten.");
            goto fail;
        }
        wanted[count].kind = "proposal";
        wanted[count++].proposal_id = json_integer_value(value);
    }
    json_array_foreach(items, index, value) {
        const char *title = NULL;
        if (!json_is_object(value) || input_only(value, title_fields, &err) != 0 ||
            input_string(value, "title", 1, AGENDA_TITLE_MAX, &title, &err) != 0) {
            if (!alvd_err_is_set(&err))
                alvd_err_set(&err, 400, "wrong_type", "items", "items moet een lijst van {\"title\"} zijn.");
            goto fail;
        }
        if (!agenda_title_valid(title)) {
            alvd_err_set(&err, 422, "bad_title", "items", "Een titel van een agendapunt moet op één regel staan.");
            goto fail;
        }
        wanted[count].kind = "item";
        wanted[count++].title = title;
    }
    agenda_replace(request, meeting_id, wanted, count, 0);
    free(wanted);
    return;
fail:
    free(wanted);
    http_reply_err(request, &err);
}

void agenda_current(http_request *request)
{
    static const char *const fields[] = {"position", NULL};
    json_t *body = http_request_json(request);
    store_conn *conn = http_request_db(request);
    audit_actor actor = http_request_actor(request);
    long long meeting_id = 0, position = 0;
    int present = 0;
    store_result *rows = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        return;
    if (input_only(body, fields, &err) != 0)
        goto fail;
    if (!json_is_null(json_object_get(body, "position")) &&
        input_integer(body, "position", 1, 1, AGENDA_ITEMS_MAX, &position, &present, &err) != 0)
        goto fail;
    if (store_begin(conn, &err) != 0 ||
        store_query(conn, &err, &rows,
                    "SELECT m.id, a.title, a.id, a.kind, a.proposal_id FROM meetings m"
                    " LEFT JOIN meeting_agenda a ON a.meeting_id = m.id AND a.position = ? WHERE m.id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(position), STORE_INT_PARAM(meeting_id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1) {
        alvd_err_set(&err, 404, "not_found", NULL, "Vergadering niet gevonden.");
        goto fail;
    }
    if (present && store_result_is_null(rows, 0, 1)) {
        alvd_err_set(&err, 422, "unknown_item", "position", "Agendapunt %lld bestaat niet.", position);
        goto fail;
    }
    json_t *payload = json_pack("{s:o, s:o}", "position", present ? json_integer(position) : json_null(), "title",
                                present ? json_string(store_result_text(rows, 0, 1)) : json_null());
    if (present) {
        json_object_set_new(payload, "item_id", json_integer(store_result_int(rows, 0, 2)));
        json_object_set_new(payload, "kind", json_string(store_result_text(rows, 0, 3)));
        json_object_set_new(payload, "proposal_id", store_result_is_null(rows, 0, 4)
                                                        ? json_null()
                                                        : json_integer(store_result_int(rows, 0, 4)));
    }
    int rc = audit_append(conn, &err, &actor, "meeting.current_item", "meeting", meeting_id, payload) != 0 ||
             store_execute(conn, &err, NULL, "UPDATE meetings SET current_item = ? WHERE id = ?",
                           STORE_PARAMS(present ? STORE_INT_PARAM(position) : STORE_NULL_PARAM,
                                        STORE_INT_PARAM(meeting_id))) != 0 ||
             events_append(conn, meeting_id, EVENTS_KIND_AGENDA, payload, &err) != 0 || store_commit(conn, &err) != 0;
    if (rc) {
        json_decref(payload);
        goto fail;
    }
    store_result_free(rows);
    http_reply_json(request, 200, payload);
    return;
fail:
    store_result_free(rows);
    store_rollback(conn);
    http_reply_err(request, &err);
}

void agenda_proposal(http_request *request)
{
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    meeting_info meeting;
    long long meeting_id = 0, item_id = 0;
    json_t *proposal = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &meeting_id) != 0 || http_request_param_id(request, "item_id", &item_id) != 0)
        return;
    if (meetings_load_for(request, meeting_id, &meeting, &err) != 0 ||
        store_query(conn, &err, &rows, "SELECT proposal_id FROM meeting_agenda WHERE id = ? AND meeting_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(item_id), STORE_INT_PARAM(meeting_id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1) {
        alvd_err_set(&err, 404, "not_found", NULL, "Dit agendapunt bestaat niet.");
        goto fail;
    }
    if (store_result_is_null(rows, 0, 0)) {
        alvd_err_set(&err, 404, "no_proposal", NULL, "Bij dit agendapunt hoort geen voorsteltekst.");
        goto fail;
    }
    long long proposal_id = store_result_int(rows, 0, 0);
    store_result_free(rows);
    rows = NULL;
    if ((proposal = proposals_json(conn, proposal_id, 0, 0, &err)) == NULL)
        goto fail;
    http_reply_json(request, 200, proposal);
    return;
fail:
    store_result_free(rows);
    http_reply_err(request, &err);
}
