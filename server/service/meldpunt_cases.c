/* The officer's case work (overview with due dates, the unsealed report, its workflow
 * steps) and the hearing: anonymised signals that an organisation's contacts answer. */
#include "alvd/service/meldpunt.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alvd/service/links.h"
#include "alvd/base/buf.h"
#include "alvd/mail/outbox.h"
#include "alvd/rules/meldpunt.h"
#include "alvd/store/meldpunt_cases.h"
#include "alvd/store/meldpunt_identity.h"

#define CASES_FILE_READ_MAX (MELDPUNT_ATTACHMENT_MAX + SEAL_OVERHEAD)

static const char *cases_null_if_empty(const char *text)
{
    return text[0] ? text : NULL;
}

static rules_day cases_day(const char *text)
{
    rules_day day = 0;
    if (text && text[0])
        rules_date_parse(text, NULL, &day, NULL);
    return day;
}

/* One sealed cell as a JSON string (or null); NULL when it does not open. */
static json_t *cases_unseal_json(const unsigned char key[SEAL_KEY_BYTES], const char *table_column, long long id,
                                 const store_meldpunt_sealed *sealed, alvd_err *err)
{
    if (sealed->bytes == NULL)
        return json_null();
    char ad[128];
    size_t length = 0;
    unsigned char *plain = seal_decrypt(key, seal_ad(ad, sizeof ad, table_column, id), sealed->bytes, sealed->length,
                                        &length, err);
    if (plain == NULL)
        return NULL;
    json_t *text = json_stringn((const char *)plain, length);
    sodium_memzero(plain, length);
    free(plain);
    return text ? text : json_string("");
}

/* Due dates and overdue flags of one report on today (the pure rules decide). */
static void cases_add_timeline(json_t *item, const store_meldpunt_report_dates *dates, rules_day today)
{
    rules_meldpunt_timeline timeline;
    char ack_due[RULES_DATE_TEXT_SIZE], feedback_due[RULES_DATE_TEXT_SIZE];
    int closed = dates->closed_on[0] != '\0';
    rules_meldpunt_timeline_on(cases_day(dates->received_on), dates->acknowledged_on[0] || closed,
                               cases_day(dates->acknowledged_on), dates->fed_back_on[0] || closed,
                               cases_day(dates->fed_back_on), today, &timeline);
    json_object_set_new(item, "acknowledgement_due", json_string(rules_date_format(timeline.ack_due, ack_due)));
    json_object_set_new(item, "feedback_due", json_string(rules_date_format(timeline.feedback_due, feedback_due)));
    json_object_set_new(item, "acknowledgement_overdue", json_boolean(timeline.ack_overdue));
    json_object_set_new(item, "feedback_overdue", json_boolean(timeline.feedback_overdue));
    json_object_set_new(item, "acknowledgement_late", json_boolean(timeline.ack_late));
    json_object_set_new(item, "feedback_late", json_boolean(timeline.feedback_late));
    json_object_set_new(item, "overdue", json_boolean(timeline.ack_overdue || timeline.feedback_overdue));
}

/* "6,6a" as ["6", "6a"]. */
static json_t *cases_norm_list(const char *list)
{
    json_t *norms = json_array();
    for (const char *p = list; p && *p;) {
        size_t length = strcspn(p, ",");
        json_array_append_new(norms, json_stringn(p, length));
        p += length + (p[length] == ',');
    }
    return norms;
}

/* The dates and state every view of a report shows. */
static json_t *cases_state_json(const store_meldpunt_case *item)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}", "id", (json_int_t)item->dates.id,
                     "received_on", item->dates.received_on, "state", item->state, "judgement", item->judgement,
                     "acknowledged_on", cases_null_if_empty(item->dates.acknowledged_on), "signal_sent_on",
                     cases_null_if_empty(item->signal_sent_on), "response_on", cases_null_if_empty(item->response_on),
                     "judged_on", cases_null_if_empty(item->judged_on), "fed_back_on",
                     cases_null_if_empty(item->dates.fed_back_on), "closed_on",
                     cases_null_if_empty(item->dates.closed_on));
}

static json_t *cases_overview_item(const alvd_app *app, const store_meldpunt_case *item, rules_day today)
{
    json_t *json = cases_state_json(item);
    json_object_set_new(json, "personal_data_deleted_on",
                        item->personal_data_deleted_on[0] ? json_string(item->personal_data_deleted_on) : json_null());
    json_object_set_new(json, "organisation",
                        item->has_organisation ? json_pack("{s:I, s:s}", "id", (json_int_t)item->organisation_id, "name",
                                                           item->organisation_name)
                                               : json_null());
    json_object_set_new(json, "norms", cases_norm_list(item->norms));
    cases_add_timeline(json, &item->dates, today);
    if (item->dates.closed_on[0]) {
        char deletion[RULES_DATE_TEXT_SIZE];
        rules_date_format(rules_meldpunt_deletion_due(cases_day(item->dates.closed_on),
                                                      (int)app->config.meldpunt_retention_months),
                          deletion);
        json_object_set_new(json, "deletion_due", json_string(deletion));
    }
    return json;
}

json_t *service_meldpunt_cases_overview(const alvd_app *app, store_conn *conn, alvd_err *err)
{
    store_meldpunt_cases list = {0};
    rules_day today = service_meldpunt_today(app);
    if (store_meldpunt_cases_overview(conn, &list, err) != 0)
        return NULL;
    json_t *items = json_array();
    int overdue = 0;
    for (size_t r = 0; r < list.count; r++) {
        json_t *item = cases_overview_item(app, &list.items[r], today);
        if (json_is_true(json_object_get(item, "overdue")))
            overdue++;
        json_array_append_new(items, item);
    }
    store_meldpunt_cases_free(&list);
    char today_text[RULES_DATE_TEXT_SIZE];
    return json_pack("{s:o, s:i, s:s}", "items", items, "overdue", overdue, "today", rules_date_format(today, today_text));
}

/* ---------------------------------------------------------------- one report */

/* The reporter, shown only to an officer to whom it was released (a second officer
 * approved their request, or they are the only officer); NULL when a field does not open. */
static json_t *cases_reporter_json(const unsigned char key[SEAL_KEY_BYTES], const store_meldpunt_case *item,
                                   alvd_err *err)
{
    long long id = item->dates.id;
    json_t *name = cases_unseal_json(key, "meldpunt_reports.reporter_name", id, &item->reporter_name, err);
    json_t *email = cases_unseal_json(key, "meldpunt_reports.reporter_email", id, &item->reporter_email, err);
    json_t *phone = cases_unseal_json(key, "meldpunt_reports.reporter_phone", id, &item->reporter_phone, err);
    int opened = name != NULL && email != NULL;
    json_t *reporter = json_pack("{s:o*, s:o*, s:o*}", "name", name, "email", email, "phone", phone);
    if (!opened) {
        json_decref(reporter);
        return NULL;
    }
    return reporter;
}

static json_t *cases_messages_json(store_conn *conn, const unsigned char key[SEAL_KEY_BYTES], long long id,
                                   alvd_err *err)
{
    store_meldpunt_attachment_rows rows = {0};
    if (store_meldpunt_cases_messages(conn, id, &rows, err) != 0)
        return NULL;
    json_t *list = json_array();
    for (size_t r = 0; r < rows.count; r++) {
        const store_meldpunt_attachment_row *row = &rows.items[r];
        json_t *text = cases_unseal_json(key, "meldpunt_messages.body", row->id, &row->sealed, err);
        json_array_append_new(list, json_pack("{s:I, s:s, s:o*}", "id", (json_int_t)row->id, "created_on",
                                              row->created_on, "text", text));
    }
    store_meldpunt_attachment_rows_free(&rows);
    return list;
}

static json_t *cases_files_json(store_conn *conn, const unsigned char key[SEAL_KEY_BYTES], long long id, alvd_err *err)
{
    store_meldpunt_attachment_rows rows = {0};
    if (store_meldpunt_cases_files(conn, id, &rows, err) != 0)
        return NULL;
    json_t *list = json_array();
    for (size_t r = 0; r < rows.count; r++) {
        const store_meldpunt_attachment_row *row = &rows.items[r];
        json_t *name = cases_unseal_json(key, "meldpunt_files.original_name", row->id, &row->sealed, err);
        char url[128];
        snprintf(url, sizeof url, "/api/reports/%lld/files/%lld", id, row->id);
        json_array_append_new(list, json_pack("{s:I, s:s, s:I, s:o*, s:s}", "id", (json_int_t)row->id, "content_type",
                                              row->content_type, "size", (json_int_t)row->size, "name", name, "url",
                                              url));
    }
    store_meldpunt_attachment_rows_free(&rows);
    return list;
}

static json_t *cases_norms_json(store_conn *conn, long long id, alvd_err *err)
{
    store_meldpunt_texts norms = {0};
    if (store_meldpunt_cases_norms(conn, id, &norms, err) != 0)
        return NULL;
    json_t *list = json_array();
    for (size_t i = 0; i < norms.count; i++)
        json_array_append_new(list, json_string(norms.items[i]));
    store_meldpunt_texts_free(&norms);
    return list;
}

static json_t *cases_signal_json(store_conn *conn, long long signal_id, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_meldpunt_signals_get(conn, signal_id, &rows, err) != 0)
        return NULL;
    json_t *signal = store_result_rows(rows) == 1 ? store_result_row_json(rows, 0) : json_null();
    store_result_free(rows);
    return signal;
}

/* Whether the identity is released to this officer, with the state the page shows. */
static json_t *cases_identity_json(const service_meldpunt_officer *officer, long long id, int *released,
                                   alvd_err *err)
{
    service_meldpunt_identity identity;
    store_meldpunt_identity_request request;
    if (service_meldpunt_identity_state(officer->conn, id, officer->user_id, &identity, &request, err) != 0)
        return NULL;
    *released = identity.released;
    return service_meldpunt_identity_json(&identity, &request);
}

/* The case page of a loaded report: everything unsealed with key. NULL when a field
 * that must open does not. */
static json_t *cases_page_json(const service_meldpunt_officer *officer, const unsigned char key[SEAL_KEY_BYTES],
                               const store_meldpunt_case *item, int *released, alvd_err *err)
{
    store_conn *conn = officer->conn;
    long long id = item->dates.id;
    json_t *body = cases_state_json(item);
    json_object_set_new(body, "organisation", json_pack("{s:I, s:s}", "id", (json_int_t)item->organisation_id, "name",
                                                        item->organisation_name));
    json_t *identity = cases_identity_json(officer, id, released, err);
    if (identity == NULL)
        goto fail;
    json_object_set_new(body, "identity", identity);
    json_t *reporter = *released ? cases_reporter_json(key, item, err) : json_null();
    if (reporter == NULL)
        goto fail;
    json_object_set_new(body, "reporter", reporter);
    json_t *text = cases_unseal_json(key, "meldpunt_reports.description", id, &item->description, err);
    json_t *feedback = cases_unseal_json(key, "meldpunt_reports.feedback", id, &item->feedback, err);
    json_object_set_new(body, "text", text ? text : json_null());
    json_object_set_new(body, "feedback", feedback ? feedback : json_null());
    if (text == NULL)
        goto fail;
    json_object_set_new(body, "norms", cases_norms_json(conn, id, err));
    cases_add_timeline(body, &item->dates, service_meldpunt_today(officer->app));
    json_t *messages = cases_messages_json(conn, key, id, err);
    json_t *files = messages ? cases_files_json(conn, key, id, err) : NULL;
    json_object_set_new(body, "messages", messages ? messages : json_array());
    json_object_set_new(body, "files", files ? files : json_array());
    if (files == NULL)
        goto fail;
    json_object_set_new(body, "signal", item->signal_id ? cases_signal_json(conn, item->signal_id, err) : json_null());
    return body;
fail:
    json_decref(body);
    return NULL;
}

json_t *service_meldpunt_case_open(const service_meldpunt_officer *officer, long long id, alvd_err *err)
{
    unsigned char key[SEAL_KEY_BYTES];
    store_meldpunt_case item;
    json_t *body = NULL;
    int released = 0;
    memset(&item, 0, sizeof item);
    if (service_meldpunt_report_key(officer, id, key, err) != 0 || store_meldpunt_cases_load(officer->conn, id, &item, err) != 0 ||
        (body = cases_page_json(officer, key, &item, &released, err)) == NULL)
        goto done;
    /* Every opening is on the record, and every view of an identity as such; the entry
     * says who looked, never what. */
    if (audit_append(officer->conn, err, &officer->actor, released ? "report.identity_viewed" : "report.viewed",
                     "report", id, NULL) != 0) {
        json_decref(body);
        body = NULL;
    }
done:
    sodium_memzero(key, sizeof key);
    store_meldpunt_case_free(&item);
    return body;
}

/* The sealed bytes of a stored attachment file; 404 when the file is missing. */
static int cases_read_file(const alvd_app *app, const char *file_name, unsigned char **sealed, size_t *length,
                           alvd_err *err)
{
    char path[700];
    struct stat info;
    service_meldpunt_file_path(app, file_name, path, sizeof path);
    *sealed = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &info) != 0 || info.st_size > CASES_FILE_READ_MAX ||
        (*sealed = malloc((size_t)info.st_size + 1)) == NULL || read(fd, *sealed, (size_t)info.st_size) != info.st_size) {
        if (fd >= 0)
            close(fd);
        free(*sealed);
        *sealed = NULL;
        return alvd_err_set(err, 404, "not_found", NULL, "Het bestand van deze bijlage ontbreekt.");
    }
    close(fd);
    *length = (size_t)info.st_size;
    return 0;
}

int service_meldpunt_case_file(const service_meldpunt_officer *officer, long long id, long long file_id,
                               service_meldpunt_file *file, alvd_err *err)
{
    unsigned char key[SEAL_KEY_BYTES], *sealed = NULL;
    char file_name[33], ad[96];
    size_t sealed_length = 0;
    memset(file, 0, sizeof *file);
    int rc = -1;
    if (service_meldpunt_report_key(officer, id, key, err) != 0 ||
        store_meldpunt_cases_file(officer->conn, id, file_id, file_name, file->content_type, err) != 0 ||
        cases_read_file(officer->app, file_name, &sealed, &sealed_length, err) != 0)
        goto done;
    file->bytes = seal_decrypt(key, seal_ad(ad, sizeof ad, "meldpunt_files.content", file_id), sealed, sealed_length,
                               &file->length, err);
    if (file->bytes == NULL)
        goto done;
    if (audit_append(officer->conn, err, &officer->actor, "report.file_viewed", "report", id, NULL) != 0) {
        free(file->bytes);
        file->bytes = NULL;
        goto done;
    }
    rc = 0;
done:
    sodium_memzero(key, sizeof key);
    free(sealed);
    return rc;
}

/* ---------------------------------------------------------------- workflow steps */

static int cases_state_in(const char *state, const char *const *allowed)
{
    for (; *allowed; allowed++)
        if (strcmp(state, *allowed) == 0)
            return 1;
    return 0;
}

/* The state row a step answers with (after its commit). */
static json_t *cases_state_row(store_conn *conn, long long id, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_meldpunt_cases_state(conn, id, &rows, err) != 0 || store_result_rows(rows) != 1) {
        store_result_free(rows);
        return NULL;
    }
    json_t *state = store_result_row_json(rows, 0);
    store_result_free(rows);
    return state;
}

/* Begin, lock report id and check its state is one of allowed (else 409 wrong_state with
 * refusal); the caller continues the open transaction. */
static int cases_step_begin(store_conn *conn, long long id, const char *const *allowed, const char *refusal,
                            store_meldpunt_case_lock *lock, alvd_err *err)
{
    if (store_begin(conn, err) != 0 || store_meldpunt_cases_lock(conn, id, lock, err) != 0)
        return -1;
    if (allowed && !cases_state_in(lock->state, allowed))
        return alvd_err_set(err, 409, "wrong_state", NULL, "%s", refusal);
    return 0;
}

/* Audit the step and commit; roll back when anything before failed (rc != 0). */
static int cases_step_end(const service_meldpunt_officer *officer, int rc, long long id, const char *action,
                          json_t *details, alvd_err *err)
{
    if (rc == 0)
        rc = audit_append(officer->conn, err, &officer->actor, action, "report", id, details);
    json_decref(details);
    if (rc != 0 || store_commit(officer->conn, err) != 0) {
        store_rollback(officer->conn);
        return -1;
    }
    return 0;
}

json_t *service_meldpunt_case_acknowledge(const service_meldpunt_officer *officer, long long id, alvd_err *err)
{
    static const char *const allowed[] = {"received", NULL};
    store_meldpunt_case_lock lock;
    char today[RULES_DATE_TEXT_SIZE];
    rules_date_format(service_meldpunt_today(officer->app), today);
    int rc = cases_step_begin(officer->conn, id, allowed, "Deze melding is al in behandeling genomen.", &lock, err);
    if (rc == 0)
        rc = store_meldpunt_cases_acknowledge(officer->conn, id, today, err);
    if (cases_step_end(officer, rc, id, "report.acknowledged", NULL, err) != 0)
        return NULL;
    return cases_state_row(officer->conn, id, err);
}

json_t *service_meldpunt_case_judge(const service_meldpunt_officer *officer, long long id, const char *judgement,
                                    alvd_err *err)
{
    static const char *const allowed[] = {"signal_sent", "response", "judgement", NULL};
    store_meldpunt_case_lock lock;
    char today[RULES_DATE_TEXT_SIZE];
    rules_date_format(service_meldpunt_today(officer->app), today);
    int rc = cases_step_begin(officer->conn, id, NULL, NULL, &lock, err);
    if (rc == 0 && !cases_state_in(lock.state, allowed))
        rc = alvd_err_set(err, 409, "wrong_state", NULL,
                          strcmp(lock.state, "received") == 0 || strcmp(lock.state, "acknowledged") == 0
                              ? "Hoor eerst de organisatie: stuur een signaal voordat u oordeelt."
                              : "Na de terugkoppeling kan het oordeel niet meer veranderen.");
    if (rc == 0)
        rc = store_meldpunt_cases_judge(officer->conn, id, judgement, today, err);
    if (cases_step_end(officer, rc, id, "report.judgement", json_pack("{s:s}", "judgement", judgement), err) != 0)
        return NULL;
    return cases_state_row(officer->conn, id, err);
}

json_t *service_meldpunt_case_close(const service_meldpunt_officer *officer, long long id, alvd_err *err)
{
    store_meldpunt_case_lock lock;
    char today[RULES_DATE_TEXT_SIZE];
    rules_date_format(service_meldpunt_today(officer->app), today);
    int rc = cases_step_begin(officer->conn, id, NULL, NULL, &lock, err);
    if (rc == 0 && strcmp(lock.state, "closed") == 0)
        rc = alvd_err_set(err, 409, "wrong_state", NULL, "Deze melding is al afgesloten.");
    else if (rc == 0 && !lock.fed_back)
        rc = alvd_err_set(err, 422, "no_feedback", NULL, "Geef de melder eerst terugkoppeling; daarna kunt u afsluiten.");
    if (rc == 0)
        rc = store_meldpunt_cases_close(officer->conn, id, today, err);
    if (cases_step_end(officer, rc, id, "report.closed", NULL, err) != 0)
        return NULL;
    return cases_state_row(officer->conn, id, err);
}

/* Mail each contact of the organisation a login link to the signal; *contacts counts them. */
static int cases_mail_contacts(const service_meldpunt_officer *officer, long long organisation_id, int *contacts,
                               alvd_err *err)
{
    const char *public_url = officer->app->config.public_url;
    long long *ids = NULL;
    size_t count = 0;
    char intro[700];
    if (store_meldpunt_signals_contacts(officer->conn, organisation_id, &ids, &count, err) != 0)
        return -1;
    snprintf(intro, sizeof intro,
             "Het meldpunt van de KSF heeft een signaal ontvangen dat uw organisatie een norm van de Code "
             "niet toepast. Wij vragen u te reageren: pas toe, of leg uit waarom u afwijkt en wat u in "
             "plaats daarvan doet. Log in met de link hieronder; daarna staat het signaal op %s/signalen.html",
             public_url);
    int rc = 0;
    for (size_t i = 0; i < count && rc == 0; i++)
        rc = service_links_send(officer->conn, public_url, ids[i], "signal", "Signaal van het KSF-meldpunt: uw reactie gevraagd",
                        intro, NULL, err);
    free(ids);
    *contacts = (int)count;
    return rc;
}

json_t *service_meldpunt_case_signal(const service_meldpunt_officer *officer, long long id, const char *summary,
                                     alvd_err *err)
{
    static const char *const allowed[] = {"received", "acknowledged", NULL};
    store_meldpunt_case_lock lock;
    long long signal_id = 0;
    int contacts = 0;
    char today[RULES_DATE_TEXT_SIZE];
    rules_date_format(service_meldpunt_today(officer->app), today);
    int rc = cases_step_begin(officer->conn, id, allowed, "Voor deze melding is al een signaal verstuurd.", &lock, err);
    /* A random id (below 2^53 for JavaScript) says nothing about the report or when it came. */
    do {
        randombytes_buf(&signal_id, sizeof signal_id);
        signal_id &= (1LL << 53) - 1;
    } while (signal_id < 1000000);
    if (rc == 0)
        rc = store_meldpunt_signals_send(officer->conn, id, signal_id, lock.organisation_id, summary, today, err);
    if (rc == 0)
        rc = cases_mail_contacts(officer, lock.organisation_id, &contacts, err);
    if (cases_step_end(officer, rc, id, "report.signal_sent", json_pack("{s:i}", "contacts_mailed", contacts), err) != 0)
        return NULL;
    json_t *signal = cases_signal_json(officer->conn, signal_id, err);
    if (signal)
        json_object_set_new(signal, "contacts_mailed", json_integer(contacts));
    return signal;
}

/* The feedback mail to the reporter, sent at once (never queued: the address stays sealed). */
static int cases_mail_feedback(const alvd_app *app, const unsigned char key[SEAL_KEY_BYTES],
                               const unsigned char public_key[SEAL_PUBLIC_KEY_BYTES], long long id, const char *text,
                               const store_meldpunt_sealed *sealed_email, const store_meldpunt_sealed *sealed_name)
{
    alvd_err ignored;
    alvd_err_clear(&ignored);
    json_t *email = cases_unseal_json(key, "meldpunt_reports.reporter_email", id, sealed_email, &ignored);
    json_t *name = cases_unseal_json(key, "meldpunt_reports.reporter_name", id, sealed_name, &ignored);
    int mailed = 0;
    if (json_is_string(email) && json_is_string(name)) {
        alvd_buf mail;
        buf_init(&mail, 64 * 1024);
        buf_appendf(&mail,
                    "Beste %s,\n\nHet meldpunt van de KSF geeft u terugkoppeling op uw melding (nummer %lld):\n\n%s\n\n"
                    "U kunt deze terugkoppeling ook lezen met uw ontvangstcode op %s/meldpunt-volgen.html\n\n"
                    "Met vriendelijke groet,\nMeldpunt Klantenservice Federatie (KSF)\n",
                    json_string_value(name), id, text, app->config.public_url);
        mail_message message = {json_string_value(email), "Terugkoppeling op uw melding bij het KSF-meldpunt",
                                mail.data, NULL, "meldpunt_feedback"};
        mailed = !mail.overflowed && outbox_send_now(app, &message, public_key, &ignored) == 0;
        if (mail.data)
            sodium_memzero(mail.data, mail.length);
        buf_free(&mail);
    }
    json_decref(email);
    json_decref(name);
    return mailed;
}

/* Seal and store the feedback, audit it and read the reporter's sealed address, in one transaction. */
static int cases_store_feedback(const service_meldpunt_officer *officer, long long id, const char *text,
                                const unsigned char key[SEAL_KEY_BYTES], store_meldpunt_sealed *email,
                                store_meldpunt_sealed *name, alvd_err *err)
{
    static const char *const allowed[] = {"acknowledged", "signal_sent", "response", "judgement", "feedback", NULL};
    store_meldpunt_case_lock lock;
    char today[RULES_DATE_TEXT_SIZE], ad[96];
    rules_date_format(service_meldpunt_today(officer->app), today);
    int rc = cases_step_begin(officer->conn, id, NULL, NULL, &lock, err);
    if (rc == 0 && !cases_state_in(lock.state, allowed))
        rc = alvd_err_set(err, 409, "wrong_state", NULL,
                          strcmp(lock.state, "received") == 0 ? "Neem de melding eerst in behandeling."
                                                              : "Deze melding is afgesloten.");
    size_t sealed_length = 0;
    unsigned char *sealed = rc == 0 ? seal_encrypt(key, seal_ad(ad, sizeof ad, "meldpunt_reports.feedback", id), text,
                                                   strlen(text), &sealed_length)
                                    : NULL;
    if (rc == 0)
        rc = sealed ? store_meldpunt_cases_feedback(officer->conn, id, sealed, sealed_length, today, err)
                    : alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    free(sealed);
    if (rc == 0)
        rc = audit_append(officer->conn, err, &officer->actor, "report.feedback", "report", id, NULL);
    if (rc == 0)
        rc = store_meldpunt_cases_reporter(officer->conn, id, email, name, err);
    if (rc != 0 || store_commit(officer->conn, err) != 0) {
        store_rollback(officer->conn);
        return -1;
    }
    return 0;
}

json_t *service_meldpunt_case_feedback(const service_meldpunt_officer *officer, long long id, const char *text,
                                       alvd_err *err)
{
    unsigned char key[SEAL_KEY_BYTES], public_key[SEAL_PUBLIC_KEY_BYTES];
    store_meldpunt_sealed email = {0}, name = {0};
    store_result *rows = NULL;
    json_t *body = NULL;
    if (service_meldpunt_report_key(officer, id, key, err) != 0 ||
        service_meldpunt_public_key(officer->app, public_key, err) != 0 ||
        cases_store_feedback(officer, id, text, key, &email, &name, err) != 0)
        goto done;
    int mailed = cases_mail_feedback(officer->app, key, public_key, id, text, &email, &name);
    if (store_meldpunt_cases_feedback_state(officer->conn, id, &rows, err) != 0)
        goto done;
    body = store_result_row_json(rows, 0);
    json_object_set_new(body, "mailed", json_boolean(mailed));
done:
    sodium_memzero(key, sizeof key);
    free(email.bytes);
    free(name.bytes);
    store_result_free(rows);
    return body;
}

/* ---------------------------------------------------------------- the hearing (contacts) */

/* A signal as its contact sees it (norms as a list). */
static json_t *cases_signal_row(const store_result *rows, size_t r)
{
    json_t *item = store_result_row_json(rows, r);
    json_object_set_new(item, "norms", cases_norm_list(store_result_text(rows, r, 1)));
    return item;
}

json_t *service_meldpunt_signals_of(store_conn *conn, long long organisation_id, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_meldpunt_signals_of(conn, organisation_id, &rows, err) != 0)
        return NULL;
    json_t *items = json_array();
    for (size_t r = 0; r < store_result_rows(rows); r++)
        json_array_append_new(items, cases_signal_row(rows, r));
    store_result_free(rows);
    return json_pack("{s:o}", "items", items);
}

/* Another organisation's signal and a signal that does not exist answer the same 404. */
json_t *service_meldpunt_signal_of(store_conn *conn, long long organisation_id, long long id, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_meldpunt_signals_own(conn, id, organisation_id, &rows, err) != 0)
        return NULL;
    json_t *signal = cases_signal_row(rows, 0);
    store_result_free(rows);
    return signal;
}

json_t *service_meldpunt_signal_answer(store_conn *conn, const audit_actor *actor, long long organisation_id,
                                       long long contact_id, long long id, const service_meldpunt_answer *answer,
                                       const char *today, alvd_err *err)
{
    long long affected = 0;
    if (store_begin(conn, err) != 0 ||
        store_meldpunt_signals_answer(conn, id, organisation_id, answer->stance, answer->text ? answer->text : "",
                                      today, contact_id, &affected, err) != 0)
        goto fail;
    if (affected != 1) {
        alvd_err_set(err, 409, "already_answered", NULL, "Dit signaal is al beantwoord.");
        goto fail;
    }
    json_t *details = json_pack("{s:s}", "stance", answer->stance);
    int rc = store_meldpunt_signals_report_answered(conn, id, today, err);
    if (rc == 0)
        rc = audit_append(conn, err, actor, "signal.response", "signal", id, details);
    json_decref(details);
    if (rc != 0 || store_commit(conn, err) != 0)
        goto fail;
    return service_meldpunt_signal_of(conn, organisation_id, id, err);
fail:
    store_rollback(conn);
    return NULL;
}
