/* The proxies of a meeting over HTTP (volmachten, R2): register, list (with whether each
 * counts now), revoke: parse, one service call, render. Rules in service/proxies.c. */
#include "alvd/api/proxies.h"

#include <stdint.h>

#include "alvd/http/auth.h"
#include "alvd/http/input.h"
#include "alvd/service/attendance.h"
#include "alvd/service/proxies.h"

void proxies_create(http_request *request)
{
    json_t *body = http_request_json(request);
    audit_actor actor = http_request_actor(request);
    const auth_principal *who = http_request_principal(request);
    long long meeting_id = 0, principal_id = 0, holder_id = 0, proxy_id = 0;
    const char *note = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    if (input_integer(body, "principal_id", 1, 1, INT64_MAX, &principal_id, NULL, &err) != 0 ||
        input_integer(body, "holder_id", 1, 1, INT64_MAX, &holder_id, NULL, &err) != 0 ||
        input_string(body, "note", 0, 300, &note, &err) != 0 ||
        service_proxies_create(http_request_db(request), &actor, who->kind == AUTH_KIND_USER ? who->user_id : 0,
                               meeting_id, principal_id, holder_id, note, &proxy_id, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 201,
                    json_pack("{s:I, s:I, s:I, s:I}", "id", (json_int_t)proxy_id, "meeting_id", (json_int_t)meeting_id,
                              "principal_id", (json_int_t)principal_id, "holder_id", (json_int_t)holder_id));
}

void proxies_list(http_request *request)
{
    long long meeting_id = 0;
    proxies_view view;
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    if (service_proxies_list(http_request_db(request), meeting_id, &view, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t r = 0; r < store_result_rows(view.rows); r++) {
        json_t *row = store_result_row_json(view.rows, r);
        const attendance_member *principal = store_attendance_snapshot_find(&view.snapshot,
                                                                            store_result_int(view.rows, r, 1));
        int counts = store_result_is_null(view.rows, r, 7) && principal &&
                     principal->represented_by == store_result_int(view.rows, r, 3);
        json_object_set_new(row, "counts", json_boolean(counts));
        json_array_append_new(items, row);
    }
    json_t *body = json_pack("{s:o, s:b, s:i}", "items", items, "proxies_allowed", view.proxies_allowed,
                             "max_proxies", view.max_proxies);
    json_object_update_new(body, service_attendance_counts_json(&view.snapshot));
    service_proxies_view_free(&view);
    http_reply_json(request, 200, body);
}

void proxies_revoke(http_request *request)
{
    audit_actor actor = http_request_actor(request);
    long long meeting_id = 0, proxy_id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    proxy_id = http_request_id(request, "proxy_id");
    if (service_proxies_revoke(http_request_db(request), &actor, meeting_id, proxy_id, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, json_pack("{s:I, s:b}", "id", (json_int_t)proxy_id, "revoked", 1));
}
