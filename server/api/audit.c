/* Read access to the tamper-evident audit log for administrators. Entries are shown,
 * never changed; the verify endpoint reports the first broken link by id. */
#include "alvd/api/audit.h"

#include <string.h>

#include "alvd/crypto/audit.h"
#include "alvd/http/input.h"
#include "alvd/service/audit.h"

void audit_list(http_request *request)
{
    store_result *rows = NULL;
    long long before = 0, object_id = 0, limit = 50;
    const char *before_text = http_request_query(request, "before");
    const char *limit_text = http_request_query(request, "limit");
    const char *object_type = http_request_query(request, "object_type");
    const char *object_id_text = http_request_query(request, "object_id");
    alvd_err err;
    alvd_err_clear(&err);
    if ((before_text && input_id_text(before_text, &before) != 0) ||
        (object_id_text && input_id_text(object_id_text, &object_id) != 0) ||
        (limit_text && (input_id_text(limit_text, &limit) != 0 || limit > AUDIT_PAGE_MAX))) {
        http_reply_error(request, 400, "bad_query", NULL,
                         "before, object_id en limit (1–%d) zijn positieve gehele getallen.", AUDIT_PAGE_MAX);
        return;
    }
    if (object_type && (*object_type == '\0' || strlen(object_type) > 64)) {
        http_reply_error(request, 400, "bad_query", "object_type", "Onbekend objecttype.");
        return;
    }
    store_audit_log_filter filter = {before, object_type, object_id, limit};
    if (service_audit_list(http_request_db(request), &filter, &rows, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        json_t *item = store_result_row_json(rows, r);
        /* details is stored as compact JSON text; hand it out as JSON. */
        json_t *details = json_loads(store_result_text_by_name(rows, r, "details"), 0, NULL);
        json_object_set_new(item, "details", details ? details : json_object());
        json_array_append_new(items, item);
    }
    size_t count = store_result_rows(rows);
    long long next = count == (size_t)limit ? store_result_int(rows, count - 1, 0) : 0;
    store_result_free(rows);
    json_t *body = json_pack("{s:o}", "items", items);
    if (next)
        json_object_set_new(body, "next_before", json_integer(next));
    http_reply_json(request, 200, body);
}

void audit_check(http_request *request)
{
    service_audit_verdict verdict;
    alvd_err err;
    alvd_err_clear(&err);
    if (service_audit_verify(http_request_app(request), http_request_db(request), &verdict, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    if (!verdict.intact) {
        http_reply_json(request, 200,
                        json_pack("{s:b, s:I, s:I, s:s}", "intact", 0, "checked", (json_int_t)verdict.checked,
                                  "bad_entry", (json_int_t)verdict.bad_entry, "message", verdict.message));
        return;
    }
    /* pending: committed entries younger than AUDIT_PENDING_BOUND_SECONDS the sequencer
     * has not chained yet; not a failure. */
    http_reply_json(request, 200,
                    json_pack("{s:b, s:I, s:I, s:I, s:I}", "intact", 1, "checked", (json_int_t)verdict.checked,
                              "checkpoints", (json_int_t)verdict.checkpoints, "pending", (json_int_t)verdict.pending,
                              "pending_bound_seconds", (json_int_t)AUDIT_PENDING_BOUND_SECONDS));
}
