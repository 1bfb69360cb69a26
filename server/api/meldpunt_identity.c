/* Releasing a reporter's identity: the routes where an officer asks with a reason and a
 * second officer approves or refuses (the flow is service/meldpunt_identity.c). */
#include "alvd/api/meldpunt.h"

#include <string.h>

#include "alvd/http/input.h"
#include "alvd/store/meldpunt_identity.h"

#define IDENTITY_REASON_MIN 10
#define IDENTITY_REASON_MAX 2000

void meldpunt_identity_request(http_request *request)
{
    service_meldpunt_officer officer = meldpunt_officer_of(request);
    const char *reason = NULL;
    long long id = 0, request_id = 0;
    int sole = 0;
    char today[RULES_DATE_TEXT_SIZE];
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    if (input_string(http_request_json(request), "reason", 1, IDENTITY_REASON_MAX, &reason, &err) != 0)
        goto fail;
    if (strlen(reason) < IDENTITY_REASON_MIN) {
        alvd_err_set(&err, 422, "too_short", "reason",
                     "Schrijf op waarom u de identiteit nodig hebt (minstens %d tekens); de andere functionaris "
                     "beslist daarop.", IDENTITY_REASON_MIN);
        goto fail;
    }
    if (service_meldpunt_identity_ask(&officer, id, reason, &request_id, &sole, today, &err) != 0)
        goto fail;
    http_reply_json(request, 201, json_pack("{s:I, s:I, s:s, s:b, s:s}", "id", (json_int_t)request_id, "report_id",
                                            (json_int_t)id, "state", sole ? "approved" : "pending", "sole_officer", sole,
                                            "requested_on", today));
    return;
fail:
    http_reply_err(request, &err);
}

static json_t *identity_request_json(const store_meldpunt_identity_request *item, long long me)
{
    int mine = item->requested_by == me;
    return json_pack("{s:I, s:I, s:{s:I, s:s}, s:s, s:s, s:s?, s:s?, s:b, s:o, s:b, s:b}", "id", (json_int_t)item->id,
                     "report_id", (json_int_t)item->report_id, "requested_by", "id", (json_int_t)item->requested_by,
                     "name", item->requested_by_name, "requested_on", item->requested_on, "state", item->state,
                     "decided_on", item->decided_on[0] ? item->decided_on : NULL, "decided_by",
                     item->decided ? item->decided_by_name : NULL, "sole_officer", item->sole_officer, "reason",
                     item->reason_text ? json_string(item->reason_text) : json_null(), "mine", mine, "can_decide",
                     !mine && strcmp(item->state, "pending") == 0);
}

void meldpunt_identity_requests(http_request *request)
{
    service_meldpunt_officer officer = meldpunt_officer_of(request);
    store_meldpunt_identity_requests list = {0};
    alvd_err err;
    alvd_err_clear(&err);
    if (service_meldpunt_identity_list(&officer, &list, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t r = 0; r < list.count; r++)
        json_array_append_new(items, identity_request_json(&list.items[r], officer.user_id));
    store_meldpunt_identity_requests_free(&list);
    http_reply_json(request, 200, json_pack("{s:o}", "items", items));
}

static void identity_decide(http_request *request, const char *decision)
{
    service_meldpunt_officer officer = meldpunt_officer_of(request);
    long long id = 0, report_id = 0;
    char today[RULES_DATE_TEXT_SIZE];
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    if (service_meldpunt_identity_decide(&officer, id, decision, &report_id, today, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, json_pack("{s:I, s:I, s:s, s:s}", "id", (json_int_t)id, "report_id",
                                            (json_int_t)report_id, "state", decision, "decided_on", today));
}

void meldpunt_identity_approve(http_request *request)
{
    identity_decide(request, "approved");
}

void meldpunt_identity_refuse(http_request *request)
{
    identity_decide(request, "refused");
}
