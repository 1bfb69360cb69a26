/* Read access to the tamper-evident audit log for administrators. Entries are shown,
 * never changed; the verify endpoint reports the first broken link by id. */
#include "alvd/api/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/base/log.h"
#include "alvd/crypto/audit.h"
#include "alvd/crypto/audit_checkpoint.h"
#include "alvd/http/input.h"
#include "alvd/mail/outbox.h"
#include "alvd/store/db.h"

void audit_list(http_request *request)
{
    store_conn *conn = http_request_db(request);
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
    /* Entries committed before this request are shown once chained: wait (briefly) for
     * the sequencer, so an administrator sees the change just made. */
    audit_await_chained(conn, AUDIT_LIST_AWAIT_MS);
    /* Filters are optional: a NULL parameter matches everything. */
    if (store_query(conn, &err, &rows,
                    "SELECT id, created_at, actor_kind, actor_id, actor_label, action, object_type, object_id,"
                    " details, LOWER(HEX(hash)) AS hash FROM audit_log"
                    " WHERE (? = 0 OR id < ?) AND (? IS NULL OR object_type = ?) AND (? = 0 OR object_id = ?)"
                    " ORDER BY id DESC LIMIT ?",
                    STORE_PARAMS(STORE_INT_PARAM(before), STORE_INT_PARAM(before), STORE_TEXT_PARAM(object_type),
                                 STORE_TEXT_PARAM(object_type), STORE_INT_PARAM(object_id),
                                 STORE_INT_PARAM(object_id), STORE_INT_PARAM(limit))) != 0) {
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
    const alvd_app *app = http_request_app(request);
    store_conn *conn = http_request_db(request);
    long long checked = 0, bad_id = 0, checkpoints = 0, pending = 0;
    audit_checkpoint_keys keys;
    alvd_err err;
    alvd_err_clear(&err);
    int rc = audit_verify(conn, app->audit_key, &checked, &pending, &bad_id, &err);
    if (rc == 0 && audit_checkpoint_keys_load(app->config.data_dir, 1, &keys, &err) == 0) {
        rc = audit_checkpoints_verify(conn, app->config.data_dir, keys.public_key, &checkpoints, &bad_id, &err);
        audit_checkpoint_keys_wipe(&keys);
    } else if (rc == 0) {
        rc = -1;
    }
    if (rc != 0) {
        if (strcmp(err.code, "audit_broken") != 0) {
            http_reply_err(request, &err);
            return;
        }
        http_reply_json(request, 200,
                        json_pack("{s:b, s:I, s:I, s:s}", "intact", 0, "checked", (json_int_t)checked, "bad_entry",
                                  (json_int_t)bad_id, "message", err.message));
        return;
    }
    /* pending: committed entries younger than AUDIT_PENDING_BOUND_SECONDS the sequencer
     * has not chained yet; not a failure. */
    http_reply_json(request, 200, json_pack("{s:b, s:I, s:I, s:I, s:I}", "intact", 1, "checked", (json_int_t)checked,
                                            "checkpoints", (json_int_t)checkpoints, "pending", (json_int_t)pending,
                                            "pending_bound_seconds", (json_int_t)AUDIT_PENDING_BOUND_SECONDS));
}

int audit_checkpoint_now(const alvd_app *app, store_conn *conn, long long *entry, alvd_err *err)
{
    audit_checkpoint_keys keys;
    char *text = NULL;
    long long written_entry = 0;
    if (entry)
        *entry = 0;
    if (audit_checkpoint_keys_load(app->config.data_dir, 1, &keys, err) != 0)
        return -1;
    int written = audit_checkpoint_write(conn, app->config.data_dir, app->config.database.database, &keys,
                                         &written_entry, &text, err);
    audit_checkpoint_keys_wipe(&keys);
    if (written <= 0)
        return written;
    if (entry)
        *entry = written_entry;
    int rc = 0;
    if (app->config.audit_checkpoint_mail[0]) {
        /* A copy out of reach of whoever controls this machine: the recipient keeps it and
         * can later have it checked with `alvd audit verify --checkpoint FILE`. */
        char subject[160];
        size_t size = strlen(text) + 2048;
        char *body = malloc(size);
        snprintf(subject, sizeof subject, "alvd: controlepunt van het auditlogboek (regel %lld)", written_entry);
        if (body == NULL) {
            free(text);
            return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        }
        snprintf(body, size,
                 "Dit is een ondertekend controlepunt van het auditlogboek van alvd: zo zag het logboek er\n"
                 "tot en met regel %lld uit. Bewaar dit bericht buiten het systeem. Wie later wil weten of\n"
                 "het logboek sindsdien is herschreven, bewaart dit bericht als bestand en laat de beheerder\n"
                 "uitvoeren:\n\n    alvd audit verify --checkpoint <bestand>\n\n"
                 "This is a signed checkpoint of alvd's audit log up to entry %lld. Keep it outside the\n"
                 "system; `alvd audit verify --checkpoint <file>` tells whether the log was rewritten since.\n\n"
                 "%s",
                 written_entry, written_entry, text);
        mail_message message = {.to = app->config.audit_checkpoint_mail, .subject = subject, .text = body,
                                .kind = "audit_checkpoint"};
        rc = outbox_enqueue(conn, &message, NULL, err);
        free(body);
    }
    free(text);
    return rc < 0 ? -1 : 1;
}

int audit_checkpoint_job(const alvd_app *app, store_conn *conn, alvd_err *err)
{
    long long entry = 0;
    if (audit_checkpoint_now(app, conn, &entry, err) < 0)
        return -1;
    if (entry)
        log_info("audit checkpoint of entry %lld written%s", entry,
                 app->config.audit_checkpoint_mail[0] ? " and mailed" : "");
    return 0;
}
