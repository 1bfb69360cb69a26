/* The agenda of a meeting: plain items, proposals and other decisions interleaved in any
 * order (PUT), the older proposals-first body (POST), and the current item (chair). */
#include "alvd/api/agenda.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/http/input.h"
#include "alvd/rules/majority.h"
#include "alvd/service/agenda.h"

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

/* Replace the agenda (service/agenda.c) and answer with it; answer_items: also as
 * "items" (the PUT body's name). */
static void agenda_replace(http_request *request, long long meeting_id, agenda_wanted *wanted, size_t count,
                           int answer_items)
{
    audit_actor actor = http_request_actor(request);
    json_t *agenda = NULL;
    long long current = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (service_agenda_replace(http_request_db(request), &actor, meeting_id, wanted, count, &agenda, &current,
                               &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *body = json_pack("{s:I, s:o, s:O}", "meeting_id", (json_int_t)meeting_id, "current_item",
                             current ? json_integer(current) : json_null(), "agenda", agenda);
    if (answer_items)
        json_object_set(body, "items", agenda);
    json_decref(agenda);
    http_reply_json(request, 200, body);
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
    meeting_id = http_request_id(request, "id");
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
    meeting_id = http_request_id(request, "id");
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
    json_t *body = http_request_json(request);
    audit_actor actor = http_request_actor(request);
    long long meeting_id = 0, position = 0;
    int present = 0;
    json_t *payload = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    if ((!json_is_null(json_object_get(body, "position")) &&
         input_integer(body, "position", 1, 1, AGENDA_ITEMS_MAX, &position, &present, &err) != 0) ||
        service_agenda_set_current(http_request_db(request), &actor, meeting_id, present, position, &payload,
                                   &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, payload);
}

void agenda_proposal(http_request *request)
{
    long long meeting_id = 0, item_id = 0;
    json_t *proposal = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    item_id = http_request_id(request, "item_id");
    if (service_agenda_proposal(http_request_db(request), http_request_principal(request), meeting_id, item_id,
                                &proposal, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, proposal);
}
