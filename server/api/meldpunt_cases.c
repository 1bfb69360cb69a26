/* The officer's case work (overview with due dates, the unsealed report, its workflow
 * steps) and the hearing: anonymised signals that an organisation's contacts answer. */
#include "alvd/api/meldpunt.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alvd/api/links.h"
#include "alvd/base/buf.h"
#include "alvd/crypto/audit.h"
#include "alvd/http/input.h"
#include "alvd/mail/outbox.h"
#include "alvd/rules/meldpunt.h"

#define MELDPUNT_FILE_READ_MAX (MELDPUNT_ATTACHMENT_MAX + SEAL_OVERHEAD)

static const char *cases_locked_message = "Ontgrendel eerst het meldpunt met uw wachtzin.";

/* The report key with this officer's unlocked session (service_meldpunt_report_key). */
int meldpunt_report_key(http_request *request, long long id, unsigned char report_key[SEAL_KEY_BYTES],
                        alvd_err *err)
{
    service_meldpunt_officer officer = meldpunt_officer_of(request);
    return service_meldpunt_report_key(&officer, id, report_key, err);
}

/* One sealed cell as a JSON string (or null). */
static json_t *cases_unseal_json(const unsigned char key[SEAL_KEY_BYTES], const char *table_column, long long id,
                                 const store_result *rows, size_t row, size_t column, alvd_err *err)
{
    if (store_result_is_null(rows, row, column))
        return json_null();
    char ad[128];
    size_t length = 0;
    unsigned char *plain = seal_decrypt(key, seal_ad(ad, sizeof ad, table_column, id),
                                        (const unsigned char *)store_result_text(rows, row, column),
                                        store_result_length(rows, row, column), &length, err);
    if (plain == NULL)
        return NULL;
    json_t *text = json_stringn((const char *)plain, length);
    sodium_memzero(plain, length);
    free(plain);
    return text ? text : json_string("");
}

static json_t *cases_norms_json(store_conn *conn, long long id, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows, "SELECT norm FROM meldpunt_report_norms WHERE report_id = ? ORDER BY norm",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return NULL;
    json_t *list = json_array();
    for (size_t r = 0; r < store_result_rows(rows); r++)
        json_array_append_new(list, json_string(store_result_text(rows, r, 0)));
    store_result_free(rows);
    return list;
}

static rules_day cases_day(const char *text)
{
    rules_day day = 0;
    if (text)
        rules_date_parse(text, NULL, &day, NULL);
    return day;
}

/* Due dates and overdue flags of one report on today (the pure rules decide). */
static void cases_add_timeline(json_t *item, const char *received_on, const char *acknowledged_on,
                               const char *fed_back_on, const char *closed_on, rules_day today)
{
    rules_meldpunt_timeline timeline;
    char ack_due[RULES_DATE_TEXT_SIZE], feedback_due[RULES_DATE_TEXT_SIZE];
    int closed = closed_on != NULL;
    rules_meldpunt_timeline_on(cases_day(received_on), acknowledged_on != NULL || closed, cases_day(acknowledged_on),
                               fed_back_on != NULL || closed, cases_day(fed_back_on), today, &timeline);
    json_object_set_new(item, "acknowledgement_due", json_string(rules_date_format(timeline.ack_due, ack_due)));
    json_object_set_new(item, "feedback_due", json_string(rules_date_format(timeline.feedback_due, feedback_due)));
    json_object_set_new(item, "acknowledgement_overdue", json_boolean(timeline.ack_overdue));
    json_object_set_new(item, "feedback_overdue", json_boolean(timeline.feedback_overdue));
    json_object_set_new(item, "acknowledgement_late", json_boolean(timeline.ack_late));
    json_object_set_new(item, "feedback_late", json_boolean(timeline.feedback_late));
    json_object_set_new(item, "overdue", json_boolean(timeline.ack_overdue || timeline.feedback_overdue));
}

void meldpunt_reports_list(http_request *request)
{
    const alvd_app *app = http_request_app(request);
    store_result *rows = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    rules_day today = meldpunt_today(app);
    if (store_query(http_request_db(request), &err, &rows,
                    "SELECT r.id, r.received_on, r.state, r.judgement, r.acknowledged_on, r.signal_sent_on,"
                    " r.response_on, r.judged_on, r.fed_back_on, r.closed_on, r.organisation_id, o.name,"
                    " r.personal_data_deleted_on,"
                    " (SELECT GROUP_CONCAT(n.norm ORDER BY n.norm SEPARATOR ',') FROM meldpunt_report_norms n"
                    "  WHERE n.report_id = r.id)"
                    " FROM meldpunt_reports r LEFT JOIN organisations o ON o.id = r.organisation_id"
                    " ORDER BY r.closed_on IS NOT NULL, r.received_on, r.id",
                    STORE_NO_PARAMS) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *items = json_array();
    int overdue = 0;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        json_t *item = json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}",
                                 "id", (json_int_t)store_result_int(rows, r, 0),
                                 "received_on", store_result_text(rows, r, 1),
                                 "state", store_result_text(rows, r, 2),
                                 "judgement", store_result_text(rows, r, 3),
                                 "acknowledged_on", store_result_text(rows, r, 4),
                                 "signal_sent_on", store_result_text(rows, r, 5),
                                 "response_on", store_result_text(rows, r, 6),
                                 "judged_on", store_result_text(rows, r, 7),
                                 "fed_back_on", store_result_text(rows, r, 8),
                                 "closed_on", store_result_text(rows, r, 9),
                                 "personal_data_deleted_on", store_result_text(rows, r, 12));
        json_object_set_new(item, "organisation",
                            store_result_is_null(rows, r, 10)
                                ? json_null()
                                : json_pack("{s:I, s:s}", "id", (json_int_t)store_result_int(rows, r, 10), "name",
                                            store_result_text(rows, r, 11) ? store_result_text(rows, r, 11) : ""));
        json_t *norms = json_array();
        const char *list = store_result_text(rows, r, 13);
        for (const char *p = list; p && *p;) {
            size_t length = strcspn(p, ",");
            json_array_append_new(norms, json_stringn(p, length));
            p += length + (p[length] == ',');
        }
        json_object_set_new(item, "norms", norms);
        cases_add_timeline(item, store_result_text(rows, r, 1), store_result_text(rows, r, 4),
                           store_result_text(rows, r, 8), store_result_text(rows, r, 9), today);
        if (json_is_true(json_object_get(item, "overdue")))
            overdue++;
        if (!store_result_is_null(rows, r, 9)) {
            char deletion[RULES_DATE_TEXT_SIZE];
            rules_date_format(rules_meldpunt_deletion_due(cases_day(store_result_text(rows, r, 9)),
                                                          (int)app->config.meldpunt_retention_months),
                              deletion);
            json_object_set_new(item, "deletion_due", json_string(deletion));
        }
        json_array_append_new(items, item);
    }
    store_result_free(rows);
    char today_text[RULES_DATE_TEXT_SIZE];
    http_reply_json(request, 200, json_pack("{s:o, s:i, s:s}", "items", items, "overdue", overdue, "today",
                                            rules_date_format(today, today_text)));
}

static json_t *cases_signal_json(store_conn *conn, long long signal_id, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT id, organisation_id, norms, summary, sent_on, stance, response, responded_on"
                    " FROM meldpunt_signals WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(signal_id))) != 0)
        return NULL;
    json_t *signal = store_result_rows(rows) == 1 ? store_result_row_json(rows, 0) : json_null();
    store_result_free(rows);
    return signal;
}

void meldpunt_report_get(http_request *request)
{
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL, *messages = NULL, *files = NULL;
    long long id = 0;
    unsigned char key[SEAL_KEY_BYTES];
    json_t *body = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    if (meldpunt_report_key(request, id, key, &err) != 0)
        goto fail;
    if (store_query(conn, &err, &rows,
                    "SELECT r.id, r.received_on, r.state, r.judgement, r.acknowledged_on, r.signal_sent_on,"
                    " r.response_on, r.judged_on, r.fed_back_on, r.closed_on, r.organisation_id, o.name,"
                    " r.signal_id, r.reporter_name, r.reporter_email, r.reporter_phone, r.description, r.feedback"
                    " FROM meldpunt_reports r LEFT JOIN organisations o ON o.id = r.organisation_id WHERE r.id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0 ||
        store_query(conn, &err, &messages,
                    "SELECT id, created_on, body FROM meldpunt_messages WHERE report_id = ? ORDER BY id",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0 ||
        store_query(conn, &err, &files,
                    "SELECT id, content_type, size, original_name FROM meldpunt_files WHERE report_id = ? ORDER BY id",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        goto fail;
    body = json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}", "id", (json_int_t)id,
                     "received_on", store_result_text(rows, 0, 1), "state", store_result_text(rows, 0, 2),
                     "judgement", store_result_text(rows, 0, 3), "acknowledged_on", store_result_text(rows, 0, 4),
                     "signal_sent_on", store_result_text(rows, 0, 5), "response_on", store_result_text(rows, 0, 6),
                     "judged_on", store_result_text(rows, 0, 7), "fed_back_on", store_result_text(rows, 0, 8),
                     "closed_on", store_result_text(rows, 0, 9));
    json_object_set_new(body, "organisation",
                        json_pack("{s:I, s:s}", "id", (json_int_t)store_result_int(rows, 0, 10), "name",
                                  store_result_text(rows, 0, 11) ? store_result_text(rows, 0, 11) : ""));
    /* Who reported is shown only to an officer to whom it was released (a second officer
     * approved their request, or they are the only officer). */
    int released = 0;
    json_t *identity = meldpunt_identity_state(conn, id, http_request_principal(request)->user_id, &released, &err);
    if (identity == NULL)
        goto fail;
    json_object_set_new(body, "identity", identity);
    if (released) {
        json_t *name = cases_unseal_json(key, "meldpunt_reports.reporter_name", id, rows, 0, 13, &err);
        json_t *email = cases_unseal_json(key, "meldpunt_reports.reporter_email", id, rows, 0, 14, &err);
        json_t *phone = cases_unseal_json(key, "meldpunt_reports.reporter_phone", id, rows, 0, 15, &err);
        json_object_set_new(body, "reporter", json_pack("{s:o*, s:o*, s:o*}", "name", name, "email", email, "phone", phone));
        if (name == NULL || email == NULL)
            goto fail;
    } else {
        json_object_set_new(body, "reporter", json_null());
    }
    json_t *text = cases_unseal_json(key, "meldpunt_reports.description", id, rows, 0, 16, &err);
    json_t *feedback = cases_unseal_json(key, "meldpunt_reports.feedback", id, rows, 0, 17, &err);
    json_object_set_new(body, "text", text ? text : json_null());
    json_object_set_new(body, "feedback", feedback ? feedback : json_null());
    if (text == NULL)
        goto fail;
    json_object_set_new(body, "norms", cases_norms_json(conn, id, &err));
    cases_add_timeline(body, store_result_text(rows, 0, 1), store_result_text(rows, 0, 4),
                       store_result_text(rows, 0, 8), store_result_text(rows, 0, 9),
                       meldpunt_today(http_request_app(request)));
    json_t *message_list = json_array();
    for (size_t r = 0; r < store_result_rows(messages); r++) {
        long long message_id = store_result_int(messages, r, 0);
        json_t *message_text = cases_unseal_json(key, "meldpunt_messages.body", message_id, messages, r, 2, &err);
        json_array_append_new(message_list, json_pack("{s:I, s:s, s:o*}", "id", (json_int_t)message_id, "created_on",
                                                      store_result_text(messages, r, 1), "text", message_text));
    }
    json_object_set_new(body, "messages", message_list);
    json_t *file_list = json_array();
    for (size_t r = 0; r < store_result_rows(files); r++) {
        long long file_id = store_result_int(files, r, 0);
        json_t *file_name = cases_unseal_json(key, "meldpunt_files.original_name", file_id, files, r, 3, &err);
        char url[128];
        snprintf(url, sizeof url, "/api/reports/%lld/files/%lld", id, file_id);
        json_array_append_new(file_list, json_pack("{s:I, s:s, s:I, s:o*, s:s}", "id", (json_int_t)file_id,
                                                   "content_type", store_result_text(files, r, 1), "size",
                                                   (json_int_t)store_result_int(files, r, 2), "name", file_name,
                                                   "url", url));
    }
    json_object_set_new(body, "files", file_list);
    json_object_set_new(body, "signal",
                        store_result_is_null(rows, 0, 12) ? json_null()
                                                          : cases_signal_json(conn, store_result_int(rows, 0, 12), &err));
    /* Every opening is on the record, and every view of an identity as such; the entry
     * says who looked, never what. */
    audit_actor actor = http_request_actor(request);
    if (audit_append(conn, &err, &actor, released ? "report.identity_viewed" : "report.viewed", "report", id, NULL) != 0)
        goto fail;
    sodium_memzero(key, sizeof key);
    store_result_free(rows);
    store_result_free(messages);
    store_result_free(files);
    http_reply_json(request, 200, body);
    return;
fail:
    sodium_memzero(key, sizeof key);
    json_decref(body);
    store_result_free(rows);
    store_result_free(messages);
    store_result_free(files);
    if (err.status == 403)
        http_reply_error(request, 403, "locked", NULL, "%s", cases_locked_message);
    else
        http_reply_err(request, &err);
}

void meldpunt_report_file(http_request *request)
{
    const alvd_app *app = http_request_app(request);
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    long long id = 0, file_id = 0;
    unsigned char key[SEAL_KEY_BYTES];
    unsigned char *sealed = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &id) != 0 || http_request_param_id(request, "file_id", &file_id) != 0)
        return;
    if (meldpunt_report_key(request, id, key, &err) != 0)
        goto fail;
    if (store_query(conn, &err, &rows,
                    "SELECT file_name, content_type FROM meldpunt_files WHERE id = ? AND report_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(file_id), STORE_INT_PARAM(id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1) {
        alvd_err_set(&err, 404, "not_found", NULL, "Bijlage niet gevonden.");
        goto fail;
    }
    char path[700], ad[96];
    meldpunt_file_path(app, store_result_text(rows, 0, 0), path, sizeof path);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat info;
    if (fd < 0 || fstat(fd, &info) != 0 || info.st_size > MELDPUNT_FILE_READ_MAX ||
        (sealed = malloc((size_t)info.st_size + 1)) == NULL ||
        read(fd, sealed, (size_t)info.st_size) != info.st_size) {
        if (fd >= 0)
            close(fd);
        alvd_err_set(&err, 404, "not_found", NULL, "Het bestand van deze bijlage ontbreekt.");
        goto fail;
    }
    close(fd);
    size_t length = 0;
    unsigned char *plain = seal_decrypt(key, seal_ad(ad, sizeof ad, "meldpunt_files.content", file_id), sealed,
                                        (size_t)info.st_size, &length, &err);
    if (plain == NULL)
        goto fail;
    audit_actor actor = http_request_actor(request);
    if (audit_append(conn, &err, &actor, "report.file_viewed", "report", id, NULL) != 0) {
        free(plain);
        goto fail;
    }
    char disposition[96];
    const char *type = store_result_text(rows, 0, 1);
    snprintf(disposition, sizeof disposition, "attachment; filename=\"bijlage-%lld-%lld.%s\"", id, file_id,
             strcmp(type, "application/pdf") == 0 ? "pdf" : strcmp(type, "image/png") == 0 ? "png" : "jpg");
    http_reply_bytes(request, 200, type, (char *)plain, length);
    http_reply_header(request, "Content-Disposition", disposition);
    /* A second CSP header narrows the first: the file runs nothing even if opened inline. */
    http_reply_header(request, "Content-Security-Policy", "sandbox");
    sodium_memzero(key, sizeof key);
    free(sealed);
    store_result_free(rows);
    return;
fail:
    sodium_memzero(key, sizeof key);
    free(sealed);
    store_result_free(rows);
    http_reply_err(request, &err);
}

/* ---------------------------------------------------------------- workflow steps */

/* Lock the report row and read its state; 404 when missing, 409 when deleted. */
static int cases_lock_report(store_conn *conn, long long id, char state[24], long long *organisation_id,
                             long long *signal_id, int *fed_back, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT state, organisation_id, signal_id, fed_back_on IS NOT NULL, personal_data_deleted_on"
                    " FROM meldpunt_reports WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", NULL, "Melding niet gevonden.");
    }
    snprintf(state, 24, "%s", store_result_text(rows, 0, 0));
    if (organisation_id)
        *organisation_id = store_result_int(rows, 0, 1);
    if (signal_id)
        *signal_id = store_result_int(rows, 0, 2);
    if (fed_back)
        *fed_back = store_result_int(rows, 0, 3) != 0;
    int deleted = !store_result_is_null(rows, 0, 4);
    store_result_free(rows);
    if (deleted)
        return alvd_err_set(err, 409, "personal_data_deleted", NULL, "Deze melding is al opgeschoond.");
    return 0;
}

static int cases_state_in(const char *state, const char *const *allowed)
{
    for (; *allowed; allowed++)
        if (strcmp(state, *allowed) == 0)
            return 1;
    return 0;
}

static void cases_reply_state(http_request *request, long long id)
{
    store_result *rows = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (store_query(http_request_db(request), &err, &rows,
                    "SELECT id, state, judgement, acknowledged_on, signal_sent_on, response_on, judged_on,"
                    " fed_back_on, closed_on FROM meldpunt_reports WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0 || store_result_rows(rows) != 1) {
        store_result_free(rows);
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, store_result_row_json(rows, 0));
    store_result_free(rows);
}

void meldpunt_report_acknowledge(http_request *request)
{
    static const char *const allowed[] = {"received", NULL};
    store_conn *conn = http_request_db(request);
    long long id = 0;
    char state[24], today[RULES_DATE_TEXT_SIZE];
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    rules_date_format(meldpunt_today(http_request_app(request)), today);
    if (store_begin(conn, &err) != 0 || cases_lock_report(conn, id, state, NULL, NULL, NULL, &err) != 0)
        goto fail;
    if (!cases_state_in(state, allowed)) {
        alvd_err_set(&err, 409, "wrong_state", NULL, "Deze melding is al in behandeling genomen.");
        goto fail;
    }
    if (store_execute(conn, &err, NULL,
                      "UPDATE meldpunt_reports SET state = 'acknowledged', acknowledged_on = ? WHERE id = ?",
                      STORE_PARAMS(STORE_TEXT_PARAM(today), STORE_INT_PARAM(id))) != 0 ||
        audit_append(conn, &err, &actor, "report.acknowledged", "report", id, NULL) != 0 ||
        store_commit(conn, &err) != 0)
        goto fail;
    cases_reply_state(request, id);
    return;
fail:
    http_reply_err(request, &err);
}

void meldpunt_report_signal(http_request *request)
{
    static const char *const fields[] = {"summary", NULL};
    static const char *const allowed[] = {"received", "acknowledged", NULL};
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    long long id = 0, organisation_id = 0, signal_id = 0;
    const char *summary = NULL;
    char state[24], today[RULES_DATE_TEXT_SIZE];
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    rules_date_format(meldpunt_today(http_request_app(request)), today);
    if (input_only(http_request_json(request), fields, &err) != 0 ||
        input_string(http_request_json(request), "summary", 1, 10000, &summary, &err) != 0)
        goto fail;
    if (store_begin(conn, &err) != 0 || cases_lock_report(conn, id, state, &organisation_id, NULL, NULL, &err) != 0)
        goto fail;
    if (!cases_state_in(state, allowed)) {
        alvd_err_set(&err, 409, "wrong_state", NULL, "Voor deze melding is al een signaal verstuurd.");
        goto fail;
    }
    if (store_query(conn, &err, &rows,
                    "SELECT GROUP_CONCAT(norm ORDER BY norm SEPARATOR ',') FROM meldpunt_report_norms WHERE report_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        goto fail;
    /* A random id (below 2^53 for JavaScript) says nothing about the report or when it came. */
    do {
        randombytes_buf(&signal_id, sizeof signal_id);
        signal_id &= (1LL << 53) - 1;
    } while (signal_id < 1000000);
    if (store_execute(conn, &err, NULL,
                      "INSERT INTO meldpunt_signals (id, organisation_id, norms, summary, sent_on) VALUES (?, ?, ?, ?, ?)",
                      STORE_PARAMS(STORE_INT_PARAM(signal_id), STORE_INT_PARAM(organisation_id),
                                   STORE_TEXT_PARAM(store_result_text(rows, 0, 0) ? store_result_text(rows, 0, 0) : ""),
                                   STORE_TEXT_PARAM(summary), STORE_TEXT_PARAM(today))) != 0 ||
        store_execute(conn, &err, NULL,
                      "UPDATE meldpunt_reports SET state = 'signal_sent', signal_id = ?, signal_sent_on = ?,"
                      " acknowledged_on = COALESCE(acknowledged_on, ?) WHERE id = ?",
                      STORE_PARAMS(STORE_INT_PARAM(signal_id), STORE_TEXT_PARAM(today), STORE_TEXT_PARAM(today),
                                   STORE_INT_PARAM(id))) != 0)
        goto fail;
    store_result_free(rows);
    rows = NULL;
    if (store_query(conn, &err, &rows, "SELECT id FROM contacts WHERE organisation_id = ? AND removed_at IS NULL",
                    STORE_PARAMS(STORE_INT_PARAM(organisation_id))) != 0)
        goto fail;
    char intro[700];
    snprintf(intro, sizeof intro,
             "Het meldpunt van de KSF heeft een signaal ontvangen dat uw organisatie een norm van de Code "
             "niet toepast. Wij vragen u te reageren: pas toe, of leg uit waarom u afwijkt en wat u in "
             "plaats daarvan doet. Log in met de link hieronder; daarna staat het signaal op %s/signalen.html",
             http_request_app(request)->config.public_url);
    for (size_t r = 0; r < store_result_rows(rows); r++)
        if (links_send(conn, http_request_app(request)->config.public_url, store_result_int(rows, r, 0), "signal",
                       "Signaal van het KSF-meldpunt: uw reactie gevraagd", intro, NULL, &err) != 0)
            goto fail;
    int contacts = (int)store_result_rows(rows);
    store_result_free(rows);
    rows = NULL;
    json_t *details = json_pack("{s:i}", "contacts_mailed", contacts);
    int audited = audit_append(conn, &err, &actor, "report.signal_sent", "report", id, details);
    json_decref(details);
    if (audited != 0 || store_commit(conn, &err) != 0)
        goto fail;
    json_t *signal = cases_signal_json(conn, signal_id, &err);
    if (signal == NULL)
        goto fail;
    json_object_set_new(signal, "contacts_mailed", json_integer(contacts));
    http_reply_json(request, 201, signal);
    return;
fail:
    store_result_free(rows);
    http_reply_err(request, &err);
}

void meldpunt_report_judgement(http_request *request)
{
    static const char *const fields[] = {"judgement", NULL};
    static const char *const judgements[] = {"compliant", "non_compliant", "explained", "pending", NULL};
    static const char *const allowed[] = {"signal_sent", "response", "judgement", NULL};
    store_conn *conn = http_request_db(request);
    long long id = 0;
    const char *judgement = NULL;
    char state[24], today[RULES_DATE_TEXT_SIZE];
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    rules_date_format(meldpunt_today(http_request_app(request)), today);
    if (input_only(http_request_json(request), fields, &err) != 0 ||
        input_choice(http_request_json(request), "judgement", 1, judgements, &judgement, &err) != 0)
        goto fail;
    if (store_begin(conn, &err) != 0 || cases_lock_report(conn, id, state, NULL, NULL, NULL, &err) != 0)
        goto fail;
    if (!cases_state_in(state, allowed)) {
        alvd_err_set(&err, 409, "wrong_state", NULL,
                     strcmp(state, "received") == 0 || strcmp(state, "acknowledged") == 0
                         ? "Hoor eerst de organisatie: stuur een signaal voordat u oordeelt."
                         : "Na de terugkoppeling kan het oordeel niet meer veranderen.");
        goto fail;
    }
    json_t *details = json_pack("{s:s}", "judgement", judgement);
    int rc = store_execute(conn, &err, NULL,
                           "UPDATE meldpunt_reports SET state = 'judgement', judgement = ?, judged_on = ? WHERE id = ?",
                           STORE_PARAMS(STORE_TEXT_PARAM(judgement), STORE_TEXT_PARAM(today), STORE_INT_PARAM(id)));
    if (rc == 0)
        rc = audit_append(conn, &err, &actor, "report.judgement", "report", id, details);
    json_decref(details);
    if (rc != 0 || store_commit(conn, &err) != 0)
        goto fail;
    cases_reply_state(request, id);
    return;
fail:
    http_reply_err(request, &err);
}

void meldpunt_report_feedback(http_request *request)
{
    static const char *const fields[] = {"text", NULL};
    static const char *const allowed[] = {"acknowledged", "signal_sent", "response", "judgement", "feedback", NULL};
    const alvd_app *app = http_request_app(request);
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    long long id = 0;
    const char *text = NULL;
    char state[24], today[RULES_DATE_TEXT_SIZE], ad[96];
    unsigned char key[SEAL_KEY_BYTES], public_key[SEAL_PUBLIC_KEY_BYTES];
    unsigned char *email = NULL, *name = NULL;
    size_t email_length = 0, name_length = 0;
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    rules_date_format(meldpunt_today(app), today);
    if (input_only(http_request_json(request), fields, &err) != 0 ||
        input_string(http_request_json(request), "text", 1, 20000, &text, &err) != 0 ||
        meldpunt_report_key(request, id, key, &err) != 0 || meldpunt_public_key(app, public_key, &err) != 0)
        goto fail;
    if (store_begin(conn, &err) != 0 || cases_lock_report(conn, id, state, NULL, NULL, NULL, &err) != 0)
        goto fail;
    if (!cases_state_in(state, allowed)) {
        alvd_err_set(&err, 409, "wrong_state", NULL,
                     strcmp(state, "received") == 0 ? "Neem de melding eerst in behandeling."
                                                    : "Deze melding is afgesloten.");
        goto fail;
    }
    size_t sealed_length = 0;
    unsigned char *sealed = seal_encrypt(key, seal_ad(ad, sizeof ad, "meldpunt_reports.feedback", id), text,
                                         strlen(text), &sealed_length);
    int rc = sealed ? store_execute(conn, &err, NULL,
                                    "UPDATE meldpunt_reports SET feedback = ?, fed_back_on = ?,"
                                    " state = IF(state = 'judgement', 'feedback', state) WHERE id = ?",
                                    STORE_PARAMS(STORE_BLOB_PARAM(sealed, sealed_length), STORE_TEXT_PARAM(today),
                                                 STORE_INT_PARAM(id)))
                    : alvd_err_set(&err, 500, "out_of_memory", NULL, "Geen geheugen.");
    free(sealed);
    if (rc != 0 || audit_append(conn, &err, &actor, "report.feedback", "report", id, NULL) != 0 ||
        store_query(conn, &err, &rows, "SELECT reporter_email, reporter_name FROM meldpunt_reports WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0 ||
        store_commit(conn, &err) != 0)
        goto fail;
    email = seal_decrypt(key, seal_ad(ad, sizeof ad, "meldpunt_reports.reporter_email", id),
                         (const unsigned char *)store_result_text(rows, 0, 0), store_result_length(rows, 0, 0),
                         &email_length, &err);
    name = seal_decrypt(key, seal_ad(ad, sizeof ad, "meldpunt_reports.reporter_name", id),
                        (const unsigned char *)store_result_text(rows, 0, 1), store_result_length(rows, 0, 1),
                        &name_length, &err);
    int mailed = 0;
    if (email && name) {
        alvd_buf mail;
        buf_init(&mail, 64 * 1024);
        buf_appendf(&mail,
                    "Beste %s,\n\nHet meldpunt van de KSF geeft u terugkoppeling op uw melding (nummer %lld):\n\n%s\n\n"
                    "U kunt deze terugkoppeling ook lezen met uw ontvangstcode op %s/meldpunt-volgen.html\n\n"
                    "Met vriendelijke groet,\nMeldpunt Klantenservice Federatie (KSF)\n",
                    (const char *)name, id, text, app->config.public_url);
        mail_message message = {(const char *)email, "Terugkoppeling op uw melding bij het KSF-meldpunt", mail.data,
                                NULL, "meldpunt_feedback"};
        alvd_err mail_err;
        alvd_err_clear(&mail_err);
        mailed = !mail.overflowed && outbox_send_now(app, &message, public_key, &mail_err) == 0;
        if (mail.data)
            sodium_memzero(mail.data, mail.length);
        buf_free(&mail);
    }
    if (email)
        sodium_memzero(email, email_length);
    if (name)
        sodium_memzero(name, name_length);
    free(email);
    free(name);
    store_result_free(rows);
    sodium_memzero(key, sizeof key);
    store_result *state_rows = NULL;
    if (store_query(conn, &err, &state_rows,
                    "SELECT id, state, judgement, fed_back_on FROM meldpunt_reports WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *body = store_result_row_json(state_rows, 0);
    store_result_free(state_rows);
    json_object_set_new(body, "mailed", json_boolean(mailed));
    http_reply_json(request, 200, body);
    return;
fail:
    store_result_free(rows);
    sodium_memzero(key, sizeof key);
    http_reply_err(request, &err);
}

void meldpunt_report_close(http_request *request)
{
    store_conn *conn = http_request_db(request);
    long long id = 0;
    int fed_back = 0;
    char state[24], today[RULES_DATE_TEXT_SIZE];
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    rules_date_format(meldpunt_today(http_request_app(request)), today);
    if (store_begin(conn, &err) != 0 || cases_lock_report(conn, id, state, NULL, NULL, &fed_back, &err) != 0)
        goto fail;
    if (strcmp(state, "closed") == 0) {
        alvd_err_set(&err, 409, "wrong_state", NULL, "Deze melding is al afgesloten.");
        goto fail;
    }
    if (!fed_back) {
        alvd_err_set(&err, 422, "no_feedback", NULL, "Geef de melder eerst terugkoppeling; daarna kunt u afsluiten.");
        goto fail;
    }
    if (store_execute(conn, &err, NULL, "UPDATE meldpunt_reports SET state = 'closed', closed_on = ? WHERE id = ?",
                      STORE_PARAMS(STORE_TEXT_PARAM(today), STORE_INT_PARAM(id))) != 0 ||
        audit_append(conn, &err, &actor, "report.closed", "report", id, NULL) != 0 || store_commit(conn, &err) != 0)
        goto fail;
    cases_reply_state(request, id);
    return;
fail:
    http_reply_err(request, &err);
}

/* ---------------------------------------------------------------- the hearing (contacts) */

static const char *cases_signal_columns =
    "SELECT id, norms, summary, sent_on, stance, response, responded_on FROM meldpunt_signals";

static json_t *cases_signal_row(const store_result *rows, size_t r)
{
    json_t *item = store_result_row_json(rows, r);
    json_t *norms = json_array();
    for (const char *p = store_result_text(rows, r, 1); p && *p;) {
        size_t length = strcspn(p, ",");
        json_array_append_new(norms, json_stringn(p, length));
        p += length + (p[length] == ',');
    }
    json_object_set_new(item, "norms", norms);
    return item;
}

void meldpunt_signals_list(http_request *request)
{
    store_result *rows = NULL;
    char sql[256];
    alvd_err err;
    alvd_err_clear(&err);
    snprintf(sql, sizeof sql, "%s WHERE organisation_id = ? ORDER BY sent_on DESC, id", cases_signal_columns);
    if (store_query(http_request_db(request), &err, &rows, sql,
                    STORE_PARAMS(STORE_INT_PARAM(http_request_principal(request)->organisation_id))) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t r = 0; r < store_result_rows(rows); r++)
        json_array_append_new(items, cases_signal_row(rows, r));
    store_result_free(rows);
    http_reply_json(request, 200, json_pack("{s:o}", "items", items));
}

/* Another organisation's signal and a signal that does not exist answer the same 404. */
static int cases_own_signal(http_request *request, long long id, store_result **rows, alvd_err *err)
{
    char sql[256];
    snprintf(sql, sizeof sql, "%s WHERE id = ? AND organisation_id = ?", cases_signal_columns);
    if (store_query(http_request_db(request), err, rows, sql,
                    STORE_PARAMS(STORE_INT_PARAM(id),
                                 STORE_INT_PARAM(http_request_principal(request)->organisation_id))) != 0)
        return -1;
    if (store_result_rows(*rows) != 1)
        return alvd_err_set(err, 404, "not_found", NULL, "Signaal niet gevonden.");
    return 0;
}

void meldpunt_signal_get(http_request *request)
{
    store_result *rows = NULL;
    long long id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    if (cases_own_signal(request, id, &rows, &err) != 0) {
        store_result_free(rows);
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, cases_signal_row(rows, 0));
    store_result_free(rows);
}

void meldpunt_signal_respond(http_request *request)
{
    static const char *const fields[] = {"stance", "text", NULL};
    static const char *const stances[] = {"comply", "explain", NULL};
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    long long id = 0, affected = 0;
    const char *stance = NULL, *text = NULL;
    char today[RULES_DATE_TEXT_SIZE];
    alvd_err err;
    alvd_err_clear(&err);
    const auth_principal *who = http_request_principal(request);
    audit_actor actor = http_request_actor(request);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    rules_date_format(meldpunt_today(http_request_app(request)), today);
    if (cases_own_signal(request, id, &rows, &err) != 0)
        goto fail;
    if (input_only(http_request_json(request), fields, &err) != 0 ||
        input_choice(http_request_json(request), "stance", 1, stances, &stance, &err) != 0 ||
        input_string(http_request_json(request), "text", strcmp(stance, "explain") == 0, 10000, &text, &err) != 0)
        goto fail;
    if (store_begin(conn, &err) != 0 ||
        store_execute(conn, &err, &affected,
                      "UPDATE meldpunt_signals SET stance = ?, response = ?, responded_on = ?, responded_by = ?"
                      " WHERE id = ? AND organisation_id = ? AND stance IS NULL",
                      STORE_PARAMS(STORE_TEXT_PARAM(stance), STORE_TEXT_PARAM(text ? text : ""),
                                   STORE_TEXT_PARAM(today), STORE_INT_PARAM(who->contact_id), STORE_INT_PARAM(id),
                                   STORE_INT_PARAM(who->organisation_id))) != 0)
        goto fail;
    if (affected != 1) {
        alvd_err_set(&err, 409, "already_answered", NULL, "Dit signaal is al beantwoord.");
        goto fail;
    }
    json_t *details = json_pack("{s:s}", "stance", stance);
    int rc = store_execute(conn, &err, NULL,
                           "UPDATE meldpunt_reports SET state = IF(state = 'signal_sent', 'response', state),"
                           " response_on = ? WHERE signal_id = ?",
                           STORE_PARAMS(STORE_TEXT_PARAM(today), STORE_INT_PARAM(id)));
    if (rc == 0)
        rc = audit_append(conn, &err, &actor, "signal.response", "signal", id, details);
    json_decref(details);
    if (rc != 0 || store_commit(conn, &err) != 0)
        goto fail;
    store_result_free(rows);
    rows = NULL;
    if (cases_own_signal(request, id, &rows, &err) != 0)
        goto fail;
    http_reply_json(request, 201, cases_signal_row(rows, 0));
    store_result_free(rows);
    return;
fail:
    store_result_free(rows);
    http_reply_err(request, &err);
}
