/* GET /api/outbox, GET /api/outbox/{id}, POST /api/outbox/{id}/retry (admin): what
 * was sent to whom, what failed and why, and the text of a mail with its login link. */
#include "alvd/api/outbox_admin.h"

#include <string.h>

#include "alvd/crypto/audit.h"
#include "alvd/http/input.h"

#define OUTBOX_ADMIN_PAGE 200

void outbox_admin_list(http_request *request)
{
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
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
    if (store_query(conn, &err, &rows,
                    "SELECT id, recipient, subject, kind, state, attempts, last_error, created_at, sent_at,"
                    " next_attempt_at FROM outbox WHERE (? IS NULL OR state = ?) AND (? = 0 OR id < ?)"
                    " ORDER BY id DESC LIMIT ?",
                    STORE_PARAMS(STORE_TEXT_PARAM(state), STORE_TEXT_PARAM(state), STORE_INT_PARAM(before),
                                 STORE_INT_PARAM(before), STORE_INT_PARAM(OUTBOX_ADMIN_PAGE))) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *items = store_result_json(rows);
    store_result_free(rows);
    rows = NULL;
    if (store_query(conn, &err, &rows,
                    "SELECT COALESCE(SUM(state = 'pending'), 0), COALESCE(SUM(state = 'sent'), 0),"
                    " COALESCE(SUM(state = 'failed'), 0) FROM outbox",
                    STORE_NO_PARAMS) != 0) {
        json_decref(items);
        http_reply_err(request, &err);
        return;
    }
    json_t *counts = json_pack("{s:I, s:I, s:I}", "pending", (json_int_t)store_result_int(rows, 0, 0), "sent",
                               (json_int_t)store_result_int(rows, 0, 1), "failed",
                               (json_int_t)store_result_int(rows, 0, 2));
    store_result_free(rows);
    http_reply_json(request, 200, json_pack("{s:o, s:o}", "items", items, "counts", counts));
}

void outbox_admin_get(http_request *request)
{
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    long long id;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    /* The HTML body is not handed out: the page shows the plain text, with links
     * made clickable by the page itself, so no mail markup runs in the admin's browser. */
    if (store_query(conn, &err, &rows,
                    "SELECT id, recipient, subject, kind, state, attempts, last_error, created_at, sent_at,"
                    " next_attempt_at, eml_path, body_text, body_html IS NOT NULL AS has_html FROM outbox WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0) {
        http_reply_err(request, &err);
        return;
    }
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        http_reply_error(request, 404, "not_found", NULL, "Deze mail bestaat niet.");
        return;
    }
    json_t *mail = store_result_row_json(rows, 0);
    json_object_set_new(mail, "has_html", json_boolean(store_result_int(rows, 0, 12) != 0));
    store_result_free(rows);
    http_reply_json(request, 200, mail);
}

void outbox_admin_retry(http_request *request)
{
    store_conn *conn = http_request_db(request);
    long long id, affected = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    audit_actor actor = http_request_actor(request);
    if (store_begin(conn, &err) != 0 ||
        store_execute(conn, &err, &affected,
                      "UPDATE outbox SET state = 'pending', attempts = 0, next_attempt_at = UTC_TIMESTAMP(6)"
                      " WHERE id = ? AND state = 'failed'",
                      STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        goto fail;
    if (affected != 1) {
        store_result *rows = NULL;
        int exists = store_query(conn, &err, &rows, "SELECT 1 FROM outbox WHERE id = ?",
                                 STORE_PARAMS(STORE_INT_PARAM(id))) == 0 && store_result_rows(rows) == 1;
        store_result_free(rows);
        store_rollback(conn);
        if (!exists) {
            http_reply_error(request, 404, "not_found", NULL, "Deze mail bestaat niet.");
            return;
        }
        http_reply_error(request, 409, "not_failed", NULL,
                         "Alleen een mail die niet kon worden afgeleverd, kan opnieuw worden verstuurd.");
        return;
    }
    if (audit_append(conn, &err, &actor, "outbox.retry", "outbox", id, NULL) != 0 || store_commit(conn, &err) != 0)
        goto fail;
    http_reply_json(request, 200, json_pack("{s:I, s:s}", "id", (json_int_t)id, "state", "pending"));
    return;
fail:
    store_rollback(conn);
    http_reply_err(request, &err);
}
