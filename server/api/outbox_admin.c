/* GET /api/outbox, GET /api/outbox/{id}, POST /api/outbox/{id}/retry (admin): what
 * was sent to whom, what failed and why, and the text of a mail with its login link. */
#include "alvd/api/outbox_admin.h"

#include <string.h>

#include "alvd/http/input.h"
#include "alvd/service/outbox.h"

void outbox_admin_list(http_request *request)
{
    store_result *rows = NULL;
    store_outbox_counts counts;
    alvd_err err;
    alvd_err_clear(&err);
    const char *state = http_request_query(request, "state");
    const char *before_text = http_request_query(request, "before");
    long long before = 0;
    if (state && state[0] && strcmp(state, "pending") != 0 && strcmp(state, "sent") != 0 &&
        strcmp(state, "failed") != 0) {
        http_reply_error(request, 400, "bad_state", "state", "Kies state=pending, sent of failed.");
        return;
    }
    if (before_text && before_text[0] && input_id_text(before_text, &before) != 0) {
        http_reply_error(request, 400, "bad_id", "before", "before is een nummer.");
        return;
    }
    if (state && !state[0])
        state = NULL;
    if (service_outbox_list(http_request_db(request), state, before, &rows, &counts, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *items = store_result_json(rows);
    store_result_free(rows);
    json_t *counted = json_pack("{s:I, s:I, s:I}", "pending", (json_int_t)counts.pending, "sent",
                                (json_int_t)counts.sent, "failed", (json_int_t)counts.failed);
    http_reply_json(request, 200, json_pack("{s:o, s:o}", "items", items, "counts", counted));
}

void outbox_admin_get(http_request *request)
{
    store_result *row = NULL;
    long long id;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    if (service_outbox_get(http_request_db(request), id, &row, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    /* The HTML body is not handed out: the page shows the plain text, with links
     * made clickable by the page itself, so no mail markup runs in the admin's browser. */
    json_t *mail = store_result_row_json(row, 0);
    json_object_set_new(mail, "has_html", json_boolean(store_result_int_by_name(row, 0, "has_html") != 0));
    store_result_free(row);
    http_reply_json(request, 200, mail);
}

void outbox_admin_retry(http_request *request)
{
    long long id;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    audit_actor actor = http_request_actor(request);
    if (service_outbox_retry(http_request_db(request), &actor, id, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "state", "pending"));
}
