/* The meldpunt's public side: organisation search and norms for the form, the
 * confidential intake (everything identifying sealed) and receipt follow-up. */
#include "alvd/api/meldpunt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alvd/base/buf.h"
#include "alvd/base/clock.h"
#include "alvd/base/media.h"
#include "alvd/crypto/audit.h"
#include "alvd/http/limiter.h"
#include "alvd/http/input.h"
#include "alvd/mail/outbox.h"
#include "alvd/rules/meldpunt.h"
#include "alvd/rules/member_import.h"
#include "alvd/service/meldpunt.h"

/* Per client address, counted in this process's memory only (http_limiter: no row, no
 * time, no hash of the address in the database; its key changes every window). */
#define REPORTS_PER_CLIENT 10       /* per MELDPUNT_LIMIT_WINDOW_SECONDS */
#define RECEIPT_FAILURES_PER_CLIENT 10

/* ---------------------------------------------------------------- shared helpers */

/* issue 20 forwarder: the lead replaces its callers at merge */
rules_day meldpunt_today(const alvd_app *app)
{
    return service_meldpunt_today(app);
}

/* issue 20 forwarder: the lead replaces its callers at merge */
void meldpunt_file_path(const alvd_app *app, const char *file_name, char *out, size_t size)
{
    service_meldpunt_file_path(app, file_name, out, size);
}

static const audit_actor meldpunt_reporter_actor = {"anonymous", 0, "melder"};

/* ---------------------------------------------------------------- public lookups */

void meldpunt_organisations(http_request *request)
{
    const char *q = http_request_query(request, "q");
    store_result *rows = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    char pattern[210];
    if (q && strlen(q) > 100) {
        http_reply_error(request, 400, "bad_query", "q", "Zoek op hoogstens 100 tekens.");
        return;
    }
    /* Escape LIKE wildcards so the search is literal. */
    size_t used = 0;
    pattern[used++] = '%';
    for (const char *p = q ? q : ""; *p && used + 3 < sizeof pattern; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            pattern[used++] = '\\';
        pattern[used++] = *p;
    }
    pattern[used++] = '%';
    pattern[used] = '\0';
    if (store_query(http_request_db(request), &err, &rows,
                    "SELECT id, name FROM organisations WHERE name LIKE ? ORDER BY name LIMIT 25",
                    STORE_PARAMS(STORE_TEXT_PARAM(pattern))) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, json_pack("{s:o}", "items", store_result_json(rows)));
    store_result_free(rows);
}

/* The norms of the Code in force today: article 6 (general principles) and 6a, 6b … */
static int meldpunt_norms_in_force(store_conn *conn, rules_day today, store_result **rows, alvd_err *err)
{
    char date[RULES_DATE_TEXT_SIZE];
    rules_date_format(today, date);
    return store_query(conn, err, rows,
                       "SELECT a.article_id AS id, a.title FROM code_articles a"
                       " WHERE a.version_id = (SELECT id FROM code_versions WHERE effective_from <= ?"
                       " ORDER BY effective_from DESC, id DESC LIMIT 1)"
                       " AND a.article_id REGEXP '^6[a-z]?$' ORDER BY a.position",
                       STORE_PARAMS(STORE_TEXT_PARAM(date)));
}

void meldpunt_norms(http_request *request)
{
    store_result *rows = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (meldpunt_norms_in_force(http_request_db(request), meldpunt_today(http_request_app(request)), &rows,
                                &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, json_pack("{s:o}", "items", store_result_json(rows)));
    store_result_free(rows);
}

/* ---------------------------------------------------------------- intake */

static int meldpunt_uploads_parse(json_t *list, meldpunt_upload *uploads, size_t *count, alvd_err *err)
{
    *count = 0;
    if (list == NULL || json_is_null(list))
        return 0;
    if (!json_is_array(list))
        return alvd_err_set(err, 400, "bad_type", "attachments", "Bijlagen horen in een lijst.");
    if (json_array_size(list) > MELDPUNT_ATTACHMENTS_MAX)
        return alvd_err_set(err, 422, "too_many_files", "attachments",
                            "Voeg hoogstens %d bijlagen toe.", MELDPUNT_ATTACHMENTS_MAX);
    static const char *const fields[] = {"name", "content_base64", NULL};
    for (size_t i = 0; i < json_array_size(list); i++) {
        json_t *item = json_array_get(list, i);
        const char *name = NULL, *content = NULL;
        if (!json_is_object(item))
            return alvd_err_set(err, 400, "bad_type", "attachments", "Een bijlage is geen object.");
        if (input_only(item, fields, err) != 0 || input_string(item, "name", 0, 200, &name, err) != 0 ||
            input_string(item, "content_base64", 1, MELDPUNT_REPORT_BODY_LIMIT, &content, err) != 0)
            return -1;
        size_t text_length = strlen(content);
        if (text_length / 4 * 3 > MELDPUNT_ATTACHMENT_MAX + 3)
            return alvd_err_set(err, 413, "too_large", "attachments",
                                "Een bijlage mag hoogstens %d MB zijn.", MELDPUNT_ATTACHMENT_MAX / (1024 * 1024));
        unsigned char *decoded = malloc(text_length / 4 * 3 + 3);
        size_t decoded_length = 0;
        if (decoded == NULL)
            return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        if (sodium_base642bin(decoded, text_length / 4 * 3 + 3, content, text_length, " \r\n",
                              &decoded_length, NULL, sodium_base64_VARIANT_ORIGINAL) != 0) {
            free(decoded);
            return alvd_err_set(err, 400, "bad_base64", "attachments", "Een bijlage is niet goed gecodeerd (base64).");
        }
        if (decoded_length > MELDPUNT_ATTACHMENT_MAX) {
            free(decoded);
            return alvd_err_set(err, 413, "too_large", "attachments",
                                "Een bijlage mag hoogstens %d MB zijn.", MELDPUNT_ATTACHMENT_MAX / (1024 * 1024));
        }
        media_type type = media_detect(decoded, decoded_length);
        if (type == MEDIA_UNKNOWN) {
            free(decoded);
            return alvd_err_set(err, 415, "bad_file_type", "attachments",
                                "Alleen PDF-, JPEG- en PNG-bestanden zijn toegestaan.");
        }
        meldpunt_upload *upload = &uploads[(*count)++];
        upload->type = type;
        upload->name = name;
        int rc = media_strip_metadata(type, decoded, decoded_length, &upload->data, &upload->length, err);
        free(decoded);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* Encrypt one field under the report key and store it in its column. */
static int meldpunt_store_sealed(store_conn *conn, const unsigned char key[SEAL_KEY_BYTES],
                                 const char *table, const char *column, long long id,
                                 const void *plaintext, size_t length, alvd_err *err)
{
    char ad[128], sql[160], table_column[96];
    snprintf(table_column, sizeof table_column, "%s.%s", table, column);
    size_t sealed_length = 0;
    unsigned char *sealed = seal_encrypt(key, seal_ad(ad, sizeof ad, table_column, id), plaintext, length,
                                         &sealed_length);
    if (sealed == NULL)
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    snprintf(sql, sizeof sql, "UPDATE %s SET %s = ? WHERE id = ?", table, column);
    int rc = store_execute(conn, err, NULL, sql,
                           STORE_PARAMS(STORE_BLOB_PARAM(sealed, sealed_length), STORE_INT_PARAM(id)));
    free(sealed);
    return rc;
}

static int meldpunt_write_file(const alvd_app *app, const char *file_name, const unsigned char *data,
                               size_t length, alvd_err *err)
{
    char dir[600], path[700];
    snprintf(dir, sizeof dir, "%s/meldpunt", app->config.data_dir);
    if ((mkdir(app->config.data_dir, 0700) != 0 && errno != EEXIST) || (mkdir(dir, 0700) != 0 && errno != EEXIST))
        return alvd_err_set(err, 500, "no_data_dir", NULL, "Cannot create %s.", dir);
    meldpunt_file_path(app, file_name, path, sizeof path);
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return alvd_err_set(err, 500, "file_write", NULL, "Cannot create an attachment file.");
    ssize_t written = write(fd, data, length);
    if (fsync(fd) != 0 || close(fd) != 0 || written != (ssize_t)length) {
        unlink(path);
        return alvd_err_set(err, 500, "file_write", NULL, "Cannot write an attachment file.");
    }
    return 0;
}

/* The acknowledgement mail: sent at once, never queued, so the reporter's address does
 * not reach the outbox table (see docs/internals/meldpunt-crypto.md). */
static int meldpunt_send_acknowledgement(const alvd_app *app, const unsigned char public_key[SEAL_PUBLIC_KEY_BYTES],
                                         const char *email, const char *name, long long id,
                                         rules_day received, alvd_err *err)
{
    char text[2048], due[RULES_LONG_DATE_SIZE], on[RULES_LONG_DATE_SIZE];
    rules_date_format_long(received, RULES_LANG_NL, on, sizeof on);
    rules_date_format_long(rules_meldpunt_feedback_due(received), RULES_LANG_NL, due, sizeof due);
    snprintf(text, sizeof text,
             "Beste %s,\n\nHet meldpunt van de KSF heeft uw melding (nummer %lld) op %s ontvangen.\n\n"
             "Uw melding is vertrouwelijk: alleen de functionaris van het meldpunt kan uw naam en "
             "gegevens lezen. De organisatie hoort alleen een geanonimiseerd signaal.\n\n"
             "U krijgt uiterlijk op %s een terugkoppeling. Met de ontvangstcode die u op het scherm "
             "zag, kunt u de stand van zaken volgen en informatie toevoegen: %s/meldpunt-volgen.html\n"
             "Die code staat om veiligheidsredenen niet in deze e-mail.\n\n"
             "Met vriendelijke groet,\nMeldpunt Klantenservice Federatie (KSF)\n",
             name, id, on, due, app->config.public_url);
    mail_message message = {email, "Ontvangstbevestiging van uw melding bij het KSF-meldpunt", text, NULL,
                            "meldpunt_acknowledgement"};
    int rc = outbox_send_now(app, &message, public_key, err);
    sodium_memzero(text, sizeof text);
    return rc;
}

int meldpunt_report_insert(const alvd_app *app, store_conn *conn, const meldpunt_new_report *report,
                           long long *id_out, char receipt[SEAL_RECEIPT_TEXT_SIZE], alvd_err *err)
{
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES], report_key[SEAL_KEY_BYTES], reporter_key[SEAL_KEY_BYTES];
    unsigned char wrapped[SEAL_WRAPPED_KEY_BYTES], salt[SEAL_SALT_BYTES], verifier[crypto_generichash_BYTES];
    char digits[SEAL_RECEIPT_DIGITS + 1], prefix[SEAL_RECEIPT_PREFIX + 1], received[RULES_DATE_TEXT_SIZE];
    char written[MELDPUNT_ATTACHMENTS_MAX][33];
    size_t written_count = 0;
    int rc = -1;
    if (meldpunt_public_key(app, public_key, err) != 0)
        return -1;
    /* Keys: a fresh report key, sealed to the meldpunt and wrapped under the receipt. */
    seal_receipt_new(receipt);
    seal_receipt_normalise(receipt, digits);
    memcpy(prefix, digits, SEAL_RECEIPT_PREFIX);
    prefix[SEAL_RECEIPT_PREFIX] = '\0';
    randombytes_buf(salt, sizeof salt);
    if (seal_receipt_derive(digits, salt, verifier, reporter_key, err) != 0)
        goto done;
    seal_key_new(report_key);
    seal_key_wrap(public_key, report_key, wrapped);
    rules_date_format(report->received_on, received);
    int own_transaction = !store_in_transaction(conn);
    if ((own_transaction && store_begin(conn, err) != 0) ||
        store_execute(conn, err, NULL,
                      "INSERT INTO meldpunt_reports (received_on, organisation_id, state, wrapped_key,"
                      " receipt_prefix, receipt_salt, receipt_verifier) VALUES (?, ?, 'received', ?, ?, ?, ?)",
                      STORE_PARAMS(STORE_TEXT_PARAM(received), STORE_INT_PARAM(report->organisation_id),
                                   STORE_BLOB_PARAM(wrapped, sizeof wrapped), STORE_TEXT_PARAM(prefix),
                                   STORE_BLOB_PARAM(salt, sizeof salt),
                                   STORE_BLOB_PARAM(verifier, sizeof verifier))) != 0)
        goto done;
    long long id = store_last_insert_id(conn);
    if (meldpunt_store_sealed(conn, reporter_key, "meldpunt_reports", "reporter_wrapped_key", id, report_key,
                              sizeof report_key, err) != 0 ||
        meldpunt_store_sealed(conn, report_key, "meldpunt_reports", "reporter_name", id, report->name,
                              strlen(report->name), err) != 0 ||
        meldpunt_store_sealed(conn, report_key, "meldpunt_reports", "reporter_email", id, report->email,
                              strlen(report->email), err) != 0 ||
        (report->phone && meldpunt_store_sealed(conn, report_key, "meldpunt_reports", "reporter_phone", id,
                                                report->phone, strlen(report->phone), err) != 0) ||
        meldpunt_store_sealed(conn, report_key, "meldpunt_reports", "description", id, report->text,
                              strlen(report->text), err) != 0)
        goto done;
    for (size_t i = 0; i < report->norm_count; i++)
        if (store_execute(conn, err, NULL, "INSERT IGNORE INTO meldpunt_report_norms (report_id, norm) VALUES (?, ?)",
                          STORE_PARAMS(STORE_INT_PARAM(id), STORE_TEXT_PARAM(report->norms[i]))) != 0)
            goto done;
    for (size_t i = 0; i < report->upload_count && i < MELDPUNT_ATTACHMENTS_MAX; i++) {
        const meldpunt_upload *upload = &report->uploads[i];
        unsigned char random[16];
        randombytes_buf(random, sizeof random);
        token_hex(random, sizeof random, written[written_count], sizeof written[0]);
        if (store_execute(conn, err, NULL,
                          "INSERT INTO meldpunt_files (report_id, file_name, content_type, size) VALUES (?, ?, ?, ?)",
                          STORE_PARAMS(STORE_INT_PARAM(id), STORE_TEXT_PARAM(written[written_count]),
                                       STORE_TEXT_PARAM(media_content_type(upload->type)),
                                       STORE_INT_PARAM((long long)upload->length))) != 0)
            goto done;
        long long file_id = store_last_insert_id(conn);
        if (upload->name && meldpunt_store_sealed(conn, report_key, "meldpunt_files", "original_name", file_id,
                                                  upload->name, strlen(upload->name), err) != 0)
            goto done;
        char ad[96];
        size_t sealed_length = 0;
        unsigned char *sealed = seal_encrypt(report_key, seal_ad(ad, sizeof ad, "meldpunt_files.content", file_id),
                                             upload->data, upload->length, &sealed_length);
        int written_ok = sealed ? meldpunt_write_file(app, written[written_count], sealed, sealed_length, err)
                                : alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        free(sealed);
        if (written_ok != 0)
            goto done;
        written_count++;
    }
    json_t *details = json_pack("{s:I, s:I}", "norms", (json_int_t)report->norm_count, "attachments",
                                (json_int_t)report->upload_count);
    int audited = audit_append(conn, err, &meldpunt_reporter_actor, "report.received", "report", id, details);
    json_decref(details);
    if (audited != 0 || (own_transaction && store_commit(conn, err) != 0))
        goto done;
    *id_out = id;
    rc = 0;
done:
    if (rc != 0) {
        if (store_in_transaction(conn))
            store_rollback(conn);
        for (size_t i = 0; i < written_count; i++) {
            char path[700];
            meldpunt_file_path(app, written[i], path, sizeof path);
            unlink(path);
        }
    }
    sodium_memzero(report_key, sizeof report_key);
    sodium_memzero(reporter_key, sizeof reporter_key);
    sodium_memzero(digits, sizeof digits);
    return rc;
}

int meldpunt_report_precheck(http_request *request, alvd_err *err)
{
    /* Checked when the headers are in, before the body is read; in memory like the
     * check in meldpunt_report_create, so nothing stored links an address to a report. */
    return http_limiter_check(http_request_app(request)->meldpunt_limiter, "meldpunt_report",
                              http_request_client(request), REPORTS_PER_CLIENT, (int64_t)time(NULL), err);
}

void meldpunt_report_create(http_request *request)
{
    static const char *const fields[] = {"reporter", "organisation_id", "norms", "text", "attachments", NULL};
    static const char *const reporter_fields[] = {"name", "email", "phone", NULL};
    const alvd_app *app = http_request_app(request);
    store_conn *conn = http_request_db(request);
    json_t *body = http_request_json(request);
    store_result *rows = NULL;
    meldpunt_upload uploads[MELDPUNT_ATTACHMENTS_MAX];
    const char *norm_list[12];
    meldpunt_new_report report;
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES];
    char receipt[SEAL_RECEIPT_TEXT_SIZE] = "", subject[64];
    long long id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    memset(uploads, 0, sizeof uploads);
    memset(&report, 0, sizeof report);
    report.uploads = uploads;
    report.norms = norm_list;
    json_t *reporter = json_object_get(body, "reporter");
    json_t *norms = json_object_get(body, "norms");
    if (input_only(body, fields, &err) != 0)
        goto fail;
    if (!json_is_object(reporter)) {
        alvd_err_set(&err, 400, "missing", "reporter", "Vul uw naam en e-mailadres in.");
        goto fail;
    }
    if (input_only(reporter, reporter_fields, &err) != 0 ||
        input_line(reporter, "name", 1, 200, &report.name, &err) != 0 ||
        input_string(reporter, "email", 1, 254, &report.email, &err) != 0 ||
        input_line(reporter, "phone", 0, 40, &report.phone, &err) != 0 ||
        input_integer(body, "organisation_id", 1, 1, 1LL << 53, &report.organisation_id, NULL, &err) != 0 ||
        input_string(body, "text", 1, 20000, &report.text, &err) != 0)
        goto fail;
    /* The same check as the register's: one @, a dot in the domain, no spaces. The
     * form promises an acknowledgement, so an address it cannot go to is refused. */
    if (!rules_member_email_is_valid(report.email)) {
        alvd_err_set(&err, 422, "bad_email", "reporter.email",
                     "Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.");
        goto fail;
    }
    if (!json_is_array(norms) || json_array_size(norms) == 0 || json_array_size(norms) > 12) {
        alvd_err_set(&err, 422, "bad_norms", "norms", "Kies één of meer normen uit de Code.");
        goto fail;
    }
    snprintf(subject, sizeof subject, "%s", http_request_client(request));
    if (http_limiter_check(app->meldpunt_limiter, "meldpunt_report", subject, REPORTS_PER_CLIENT, (int64_t)time(NULL),
                           &err) != 0 ||
        meldpunt_public_key(app, public_key, &err) != 0)
        goto fail;
    /* Every norm must be one of the Code in force. */
    report.received_on = meldpunt_today(app);
    if (meldpunt_norms_in_force(conn, report.received_on, &rows, &err) != 0)
        goto fail;
    for (size_t i = 0; i < json_array_size(norms); i++) {
        const char *norm = json_string_value(json_array_get(norms, i));
        int known = 0;
        for (size_t r = 0; norm && r < store_result_rows(rows); r++)
            known |= strcmp(norm, store_result_text(rows, r, 0)) == 0;
        if (!known) {
            alvd_err_set(&err, 422, "bad_norms", "norms",
                         "'%s' is geen norm van de Code die nu geldt; kies uit de lijst.", norm ? norm : "?");
            goto fail;
        }
        norm_list[report.norm_count++] = norm;
    }
    store_result_free(rows);
    rows = NULL;
    if (store_query(conn, &err, &rows, "SELECT id FROM organisations WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(report.organisation_id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1) {
        alvd_err_set(&err, 422, "unknown_organisation", "organisation_id", "Kies de organisatie uit de lijst.");
        goto fail;
    }
    store_result_free(rows);
    rows = NULL;
    if (meldpunt_uploads_parse(json_object_get(body, "attachments"), uploads, &report.upload_count, &err) != 0)
        goto fail;
    if (store_begin(conn, &err) != 0 || meldpunt_report_insert(app, conn, &report, &id, receipt, &err) != 0 ||
        store_commit(conn, &err) != 0)
        goto fail;
    http_limiter_record(app->meldpunt_limiter, "meldpunt_report", subject, (int64_t)time(NULL));
    sodium_memzero(subject, sizeof subject);
    alvd_err mail_err;
    alvd_err_clear(&mail_err);
    int mailed = meldpunt_send_acknowledgement(app, public_key, report.email, report.name, id, report.received_on,
                                               &mail_err) == 0;
    for (size_t i = 0; i < report.upload_count; i++)
        free(uploads[i].data);
    char received[RULES_DATE_TEXT_SIZE], ack_due[RULES_DATE_TEXT_SIZE], feedback_due[RULES_DATE_TEXT_SIZE];
    http_reply_json(request, 201,
                    json_pack("{s:I, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)id, "receipt", receipt,
                              "received_on", rules_date_format(report.received_on, received), "acknowledgement_due",
                              rules_date_format(rules_meldpunt_ack_due(report.received_on), ack_due), "feedback_due",
                              rules_date_format(rules_meldpunt_feedback_due(report.received_on), feedback_due),
                              "acknowledgement_mailed", mailed));
    sodium_memzero(receipt, sizeof receipt);
    return;
fail:
    store_result_free(rows);
    if (store_in_transaction(conn))
        store_rollback(conn);
    for (size_t i = 0; i < report.upload_count; i++)
        free(uploads[i].data);
    http_reply_err(request, &err);
}

/* ---------------------------------------------------------------- follow-up by receipt */

/* Find the report of a receipt and open its report key with the receipt. Rate limited
 * per client; a miss costs as much work as a hit. */
static int meldpunt_receipt_open(http_request *request, const char *receipt, long long *report_id,
                                 unsigned char report_key[SEAL_KEY_BYTES], alvd_err *err)
{
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    char digits[SEAL_RECEIPT_DIGITS + 1], prefix[SEAL_RECEIPT_PREFIX + 1], subject[64];
    unsigned char verifier[crypto_generichash_BYTES], reporter_key[SEAL_KEY_BYTES];
    int found = 0;
    snprintf(subject, sizeof subject, "%s", http_request_client(request));
    if (http_limiter_check(http_request_app(request)->meldpunt_limiter, "meldpunt_receipt", subject,
                           RECEIPT_FAILURES_PER_CLIENT, (int64_t)time(NULL), err) != 0)
        return -1;
    if (seal_receipt_normalise(receipt, digits) != 0)
        memset(digits, '0', SEAL_RECEIPT_DIGITS), digits[SEAL_RECEIPT_DIGITS] = '\0';
    memcpy(prefix, digits, SEAL_RECEIPT_PREFIX);
    prefix[SEAL_RECEIPT_PREFIX] = '\0';
    if (store_query(conn, err, &rows,
                    "SELECT id, receipt_salt, receipt_verifier, reporter_wrapped_key FROM meldpunt_reports"
                    " WHERE receipt_prefix = ? AND receipt_verifier IS NOT NULL ORDER BY id LIMIT 8",
                    STORE_PARAMS(STORE_TEXT_PARAM(prefix))) != 0)
        return -1;
    size_t candidates = store_result_rows(rows);
    for (size_t r = 0; r < (candidates ? candidates : 1); r++) {
        unsigned char salt[SEAL_SALT_BYTES] = {0};
        if (candidates && store_result_length(rows, r, 1) == SEAL_SALT_BYTES)
            memcpy(salt, store_result_text(rows, r, 1), SEAL_SALT_BYTES);
        if (seal_receipt_derive(digits, salt, verifier, reporter_key, err) != 0)
            goto done;
        if (candidates && !found && store_result_length(rows, r, 2) == sizeof verifier &&
            sodium_memcmp(verifier, store_result_text(rows, r, 2), sizeof verifier) == 0) {
            char ad[96];
            size_t length = 0;
            *report_id = store_result_int(rows, r, 0);
            unsigned char *key = seal_decrypt(reporter_key,
                                              seal_ad(ad, sizeof ad, "meldpunt_reports.reporter_wrapped_key", *report_id),
                                              (const unsigned char *)store_result_text(rows, r, 3),
                                              store_result_length(rows, r, 3), &length, err);
            if (key == NULL || length != SEAL_KEY_BYTES) {
                free(key);
                goto done;
            }
            memcpy(report_key, key, SEAL_KEY_BYTES);
            sodium_memzero(key, length);
            free(key);
            found = 1;
        }
    }
    if (!found) {
        http_limiter_record(http_request_app(request)->meldpunt_limiter, "meldpunt_receipt", subject, (int64_t)time(NULL));
        alvd_err_set(err, 404, "receipt_unknown", "receipt",
                     "Deze ontvangstcode kennen we niet. Controleer de cijfers.");
    }
done:
    sodium_memzero(reporter_key, sizeof reporter_key);
    sodium_memzero(digits, sizeof digits);
    store_result_free(rows);
    return found ? 0 : -1;
}

static const char *meldpunt_state_label(const char *state)
{
    static const struct { const char *state, *label; } labels[] = {
        {"received", "Ontvangen"},
        {"acknowledged", "In behandeling genomen"},
        {"signal_sent", "De organisatie is om een reactie gevraagd"},
        {"response", "De organisatie heeft gereageerd"},
        {"judgement", "Het meldpunt heeft een oordeel gegeven"},
        {"feedback", "Terugkoppeling gegeven"},
        {"closed", "Afgesloten"},
    };
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        if (strcmp(labels[i].state, state) == 0)
            return labels[i].label;
    return state;
}

void meldpunt_follow_up(http_request *request)
{
    static const char *const fields[] = {"receipt", NULL};
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    const char *receipt = NULL;
    long long id = 0;
    unsigned char report_key[SEAL_KEY_BYTES];
    alvd_err err;
    alvd_err_clear(&err);
    if (input_only(http_request_json(request), fields, &err) != 0 ||
        input_string(http_request_json(request), "receipt", 1, 64, &receipt, &err) != 0 ||
        meldpunt_receipt_open(request, receipt, &id, report_key, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    if (store_query(conn, &err, &rows,
                    "SELECT received_on, state, acknowledged_on, fed_back_on, closed_on, feedback,"
                    " (SELECT COUNT(*) FROM meldpunt_messages m WHERE m.report_id = r.id)"
                    " FROM meldpunt_reports r WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0 || store_result_rows(rows) != 1) {
        sodium_memzero(report_key, sizeof report_key);
        store_result_free(rows);
        http_reply_err(request, &err);
        return;
    }
    rules_day received = 0;
    rules_date_parse(store_result_text(rows, 0, 0), NULL, &received, NULL);
    char due[RULES_DATE_TEXT_SIZE], ad[96];
    json_t *body = json_pack("{s:I, s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s, s:I}", "id", (json_int_t)id,
                             "received_on", store_result_text(rows, 0, 0), "state", store_result_text(rows, 0, 1),
                             "state_label", meldpunt_state_label(store_result_text(rows, 0, 1)),
                             "acknowledged_on", store_result_text(rows, 0, 2), "fed_back_on",
                             store_result_text(rows, 0, 3), "closed_on", store_result_text(rows, 0, 4),
                             "feedback_due", rules_date_format(rules_meldpunt_feedback_due(received), due),
                             "messages", (json_int_t)store_result_int(rows, 0, 6));
    json_object_set_new(body, "feedback", json_null());
    if (!store_result_is_null(rows, 0, 5)) {
        size_t length = 0;
        unsigned char *feedback = seal_decrypt(report_key, seal_ad(ad, sizeof ad, "meldpunt_reports.feedback", id),
                                               (const unsigned char *)store_result_text(rows, 0, 5),
                                               store_result_length(rows, 0, 5), &length, &err);
        if (feedback)
            json_object_set_new(body, "feedback", json_stringn((const char *)feedback, length));
        free(feedback);
    }
    sodium_memzero(report_key, sizeof report_key);
    store_result_free(rows);
    http_reply_json(request, 200, body);
}

void meldpunt_follow_up_message(http_request *request)
{
    static const char *const fields[] = {"receipt", "text", NULL};
    store_conn *conn = http_request_db(request);
    const char *receipt = NULL, *text = NULL;
    long long id = 0;
    unsigned char report_key[SEAL_KEY_BYTES];
    alvd_err err;
    alvd_err_clear(&err);
    char today[RULES_DATE_TEXT_SIZE];
    rules_date_format(meldpunt_today(http_request_app(request)), today);
    if (input_only(http_request_json(request), fields, &err) != 0 ||
        input_string(http_request_json(request), "receipt", 1, 64, &receipt, &err) != 0 ||
        input_string(http_request_json(request), "text", 1, 20000, &text, &err) != 0 ||
        meldpunt_receipt_open(request, receipt, &id, report_key, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    if (store_begin(conn, &err) != 0 ||
        store_execute(conn, &err, NULL,
                      "INSERT INTO meldpunt_messages (report_id, created_on, body) VALUES (?, ?, '')",
                      STORE_PARAMS(STORE_INT_PARAM(id), STORE_TEXT_PARAM(today))) != 0)
        goto fail;
    long long message_id = store_last_insert_id(conn);
    if (meldpunt_store_sealed(conn, report_key, "meldpunt_messages", "body", message_id, text, strlen(text), &err) != 0 ||
        audit_append(conn, &err, &meldpunt_reporter_actor, "report.reporter_message", "report", id, NULL) != 0 ||
        store_commit(conn, &err) != 0)
        goto fail;
    sodium_memzero(report_key, sizeof report_key);
    http_reply_json(request, 201, json_pack("{s:I, s:s}", "id", (json_int_t)message_id, "created_on", today));
    return;
fail:
    sodium_memzero(report_key, sizeof report_key);
    http_reply_err(request, &err);
}
