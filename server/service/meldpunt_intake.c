/* The meldpunt's public side: the confidential intake (everything identifying sealed to
 * the meldpunt key and to the reporter's receipt) and the reporter's follow-up by receipt. */
#include "alvd/service/meldpunt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alvd/crypto/token.h"
#include "alvd/mail/outbox.h"
#include "alvd/rules/meldpunt.h"
#include "alvd/store/meldpunt_reports.h"

static const audit_actor intake_reporter_actor = {"anonymous", 0, "melder"};

/* ---------------------------------------------------------------- public lookups */

int service_meldpunt_organisations(store_conn *conn, const char *q, store_result **rows, alvd_err *err)
{
    char pattern[210];
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
    return store_meldpunt_reports_organisations(conn, pattern, rows, err);
}

static int intake_norms_on(store_conn *conn, rules_day day, store_result **rows, alvd_err *err)
{
    char date[RULES_DATE_TEXT_SIZE];
    return store_meldpunt_reports_norms_in_force(conn, rules_date_format(day, date), rows, err);
}

int service_meldpunt_norms(const alvd_app *app, store_conn *conn, store_result **rows, alvd_err *err)
{
    return intake_norms_on(conn, service_meldpunt_today(app), rows, err);
}

/* ---------------------------------------------------------------- storing a report */

/* Encrypt one value under key and store it in its column (the AD names table.column and id). */
static int intake_store_sealed(store_conn *conn, const unsigned char key[SEAL_KEY_BYTES], const char *table,
                               const char *column, long long id, const void *plaintext, size_t length, alvd_err *err)
{
    char ad[128], table_column[96];
    snprintf(table_column, sizeof table_column, "%s.%s", table, column);
    size_t sealed_length = 0;
    unsigned char *sealed = seal_encrypt(key, seal_ad(ad, sizeof ad, table_column, id), plaintext, length,
                                         &sealed_length);
    if (sealed == NULL)
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    int rc = store_meldpunt_reports_set_sealed(conn, table, column, id, sealed, sealed_length, err);
    free(sealed);
    return rc;
}

static int intake_write_file(const alvd_app *app, const char *file_name, const unsigned char *data, size_t length,
                             alvd_err *err)
{
    char dir[600], path[700];
    snprintf(dir, sizeof dir, "%s/meldpunt", app->config.data_dir);
    if ((mkdir(app->config.data_dir, 0700) != 0 && errno != EEXIST) || (mkdir(dir, 0700) != 0 && errno != EEXIST))
        return alvd_err_set(err, 500, "no_data_dir", NULL, "Cannot create %s.", dir);
    service_meldpunt_file_path(app, file_name, path, sizeof path);
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

/* The keys of a new report: a fresh report key sealed to the meldpunt and wrapped under
 * a fresh receipt (its verifier, salt and prefix are what the row keeps). */
typedef struct intake_keys {
    unsigned char report_key[SEAL_KEY_BYTES], reporter_key[SEAL_KEY_BYTES];
    unsigned char wrapped[SEAL_WRAPPED_KEY_BYTES], salt[SEAL_SALT_BYTES], verifier[crypto_generichash_BYTES];
    char prefix[SEAL_RECEIPT_PREFIX + 1];
} intake_keys;

static int intake_keys_make(const unsigned char public_key[SEAL_PUBLIC_KEY_BYTES],
                            char receipt[SEAL_RECEIPT_TEXT_SIZE], intake_keys *keys, alvd_err *err)
{
    char digits[SEAL_RECEIPT_DIGITS + 1];
    seal_receipt_new(receipt);
    seal_receipt_normalise(receipt, digits);
    memcpy(keys->prefix, digits, SEAL_RECEIPT_PREFIX);
    keys->prefix[SEAL_RECEIPT_PREFIX] = '\0';
    randombytes_buf(keys->salt, sizeof keys->salt);
    int rc = seal_receipt_derive(digits, keys->salt, keys->verifier, keys->reporter_key, err);
    sodium_memzero(digits, sizeof digits);
    if (rc != 0)
        return -1;
    seal_key_new(keys->report_key);
    seal_key_wrap(public_key, keys->report_key, keys->wrapped);
    return 0;
}

/* The report row and its sealed columns. */
static int intake_insert_row(store_conn *conn, const service_meldpunt_new_report *report, const intake_keys *keys,
                             long long *id, alvd_err *err)
{
    char received[RULES_DATE_TEXT_SIZE];
    store_meldpunt_new_report row = {rules_date_format(report->received_on, received), report->organisation_id,
                                     keys->wrapped, sizeof keys->wrapped, keys->prefix, keys->salt,
                                     sizeof keys->salt, keys->verifier, sizeof keys->verifier};
    const unsigned char *key = keys->report_key;
    if (store_meldpunt_reports_insert(conn, &row, id, err) != 0 ||
        intake_store_sealed(conn, keys->reporter_key, "meldpunt_reports", "reporter_wrapped_key", *id, key,
                            SEAL_KEY_BYTES, err) != 0 ||
        intake_store_sealed(conn, key, "meldpunt_reports", "reporter_name", *id, report->name, strlen(report->name),
                            err) != 0 ||
        intake_store_sealed(conn, key, "meldpunt_reports", "reporter_email", *id, report->email,
                            strlen(report->email), err) != 0 ||
        (report->phone && intake_store_sealed(conn, key, "meldpunt_reports", "reporter_phone", *id, report->phone,
                                              strlen(report->phone), err) != 0) ||
        intake_store_sealed(conn, key, "meldpunt_reports", "description", *id, report->text, strlen(report->text),
                            err) != 0)
        return -1;
    for (size_t i = 0; i < report->norm_count; i++)
        if (store_meldpunt_reports_add_norm(conn, *id, report->norms[i], err) != 0)
            return -1;
    return 0;
}

/* One attachment: its row, its sealed name, and its sealed bytes in a file of a random
 * name (written[] lists the files to remove when the transaction fails). */
static int intake_insert_file(const alvd_app *app, store_conn *conn, long long id, const service_meldpunt_upload *upload,
                              const unsigned char key[SEAL_KEY_BYTES], char written[33], alvd_err *err)
{
    unsigned char random[16];
    long long file_id = 0;
    char ad[96];
    randombytes_buf(random, sizeof random);
    token_hex(random, sizeof random, written, 33);
    if (store_meldpunt_reports_add_file(conn, id, written, media_content_type(upload->type),
                                        (long long)upload->length, &file_id, err) != 0)
        return -1;
    if (upload->name && intake_store_sealed(conn, key, "meldpunt_files", "original_name", file_id, upload->name,
                                            strlen(upload->name), err) != 0)
        return -1;
    size_t sealed_length = 0;
    unsigned char *sealed = seal_encrypt(key, seal_ad(ad, sizeof ad, "meldpunt_files.content", file_id), upload->data,
                                         upload->length, &sealed_length);
    int rc = sealed ? intake_write_file(app, written, sealed, sealed_length, err)
                    : alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    free(sealed);
    return rc;
}

/* Rows, files and the audit entry of a new report, in the open transaction. */
static int intake_insert_all(const alvd_app *app, store_conn *conn, const service_meldpunt_new_report *report,
                             const intake_keys *keys, long long *id, char written[][33], size_t *written_count,
                             alvd_err *err)
{
    if (intake_insert_row(conn, report, keys, id, err) != 0)
        return -1;
    for (size_t i = 0; i < report->upload_count && i < MELDPUNT_ATTACHMENTS_MAX; i++) {
        if (intake_insert_file(app, conn, *id, &report->uploads[i], keys->report_key, written[*written_count], err) != 0)
            return -1;
        (*written_count)++;
    }
    json_t *details = json_pack("{s:I, s:I}", "norms", (json_int_t)report->norm_count, "attachments",
                                (json_int_t)report->upload_count);
    int audited = audit_append(conn, err, &intake_reporter_actor, "report.received", "report", *id, details);
    json_decref(details);
    return audited;
}

int service_meldpunt_report_insert(const alvd_app *app, store_conn *conn, const service_meldpunt_new_report *report,
                                   long long *id_out, char receipt[SEAL_RECEIPT_TEXT_SIZE], alvd_err *err)
{
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES];
    char written[MELDPUNT_ATTACHMENTS_MAX][33];
    size_t written_count = 0;
    intake_keys keys;
    long long id = 0;
    int rc = -1;
    if (service_meldpunt_public_key(app, public_key, err) != 0)
        return -1;
    if (intake_keys_make(public_key, receipt, &keys, err) != 0)
        goto done;
    int own_transaction = !store_in_transaction(conn);
    if ((own_transaction && store_begin(conn, err) != 0) ||
        intake_insert_all(app, conn, report, &keys, &id, written, &written_count, err) != 0 ||
        (own_transaction && store_commit(conn, err) != 0))
        goto done;
    *id_out = id;
    rc = 0;
done:
    if (rc != 0) {
        if (store_in_transaction(conn))
            store_rollback(conn);
        for (size_t i = 0; i < written_count; i++) {
            char path[700];
            service_meldpunt_file_path(app, written[i], path, sizeof path);
            unlink(path);
        }
    }
    sodium_memzero(&keys, sizeof keys);
    return rc;
}

/* ---------------------------------------------------------------- the intake */

/* Every norm must be one of the Code in force on the day of receipt. */
static int intake_norms_check(store_conn *conn, const service_meldpunt_submission *submission, rules_day received_on,
                              alvd_err *err)
{
    store_result *rows = NULL;
    if (intake_norms_on(conn, received_on, &rows, err) != 0)
        return -1;
    for (size_t i = 0; i < submission->norm_count; i++) {
        const char *norm = submission->norms[i];
        int known = 0;
        for (size_t r = 0; norm && r < store_result_rows(rows); r++)
            known |= strcmp(norm, store_result_text(rows, r, 0)) == 0;
        if (!known) {
            store_result_free(rows);
            return alvd_err_set(err, 422, "bad_norms", "norms",
                                "'%s' is geen norm van de Code die nu geldt; kies uit de lijst.", norm ? norm : "?");
        }
    }
    store_result_free(rows);
    return 0;
}

static int intake_too_large(alvd_err *err)
{
    return alvd_err_set(err, 413, "too_large", "attachments", "Een bijlage mag hoogstens %d MB zijn.",
                        MELDPUNT_ATTACHMENT_MAX / (1024 * 1024));
}

/* Decode one attachment, accept PDF, JPEG and PNG only, and strip its metadata. */
static int intake_upload_decode(const service_meldpunt_attachment *attachment, service_meldpunt_upload *upload,
                                alvd_err *err)
{
    size_t text_length = strlen(attachment->content_base64), decoded_length = 0;
    if (text_length / 4 * 3 > MELDPUNT_ATTACHMENT_MAX + 3)
        return intake_too_large(err);
    unsigned char *decoded = malloc(text_length / 4 * 3 + 3);
    if (decoded == NULL)
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    int rc = 0;
    if (sodium_base642bin(decoded, text_length / 4 * 3 + 3, attachment->content_base64, text_length, " \r\n",
                          &decoded_length, NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
        rc = alvd_err_set(err, 400, "bad_base64", "attachments", "Een bijlage is niet goed gecodeerd (base64).");
    else if (decoded_length > MELDPUNT_ATTACHMENT_MAX)
        rc = intake_too_large(err);
    else if ((upload->type = media_detect(decoded, decoded_length)) == MEDIA_UNKNOWN)
        rc = alvd_err_set(err, 415, "bad_file_type", "attachments", "Alleen PDF-, JPEG- en PNG-bestanden zijn toegestaan.");
    else
        rc = media_strip_metadata(upload->type, decoded, decoded_length, &upload->data, &upload->length, err);
    upload->name = attachment->name;
    free(decoded);
    return rc;
}

static void intake_uploads_free(service_meldpunt_upload *uploads, size_t count)
{
    for (size_t i = 0; i < count; i++)
        free(uploads[i].data);
}

/* The report as it is stored: checked norms and organisation, decoded attachments. */
static int intake_prepare(store_conn *conn, const service_meldpunt_submission *submission,
                          service_meldpunt_new_report *report, service_meldpunt_upload *uploads, alvd_err *err)
{
    int exists = 0;
    if (intake_norms_check(conn, submission, report->received_on, err) != 0 ||
        store_meldpunt_reports_organisation_exists(conn, submission->organisation_id, &exists, err) != 0)
        return -1;
    if (!exists)
        return alvd_err_set(err, 422, "unknown_organisation", "organisation_id", "Kies de organisatie uit de lijst.");
    report->name = submission->name;
    report->email = submission->email;
    report->phone = submission->phone;
    report->organisation_id = submission->organisation_id;
    report->norms = submission->norms;
    report->norm_count = submission->norm_count;
    report->text = submission->text;
    report->uploads = uploads;
    for (size_t i = 0; i < submission->attachment_count && i < MELDPUNT_ATTACHMENTS_MAX; i++) {
        if (intake_upload_decode(&submission->attachments[i], &uploads[i], err) != 0)
            return -1;
        report->upload_count++;
    }
    return 0;
}

/* The acknowledgement mail: sent at once, never queued, so the reporter's address does
 * not reach the outbox table (see docs/internals/meldpunt-crypto.md). */
static int intake_send_acknowledgement(const alvd_app *app, const unsigned char public_key[SEAL_PUBLIC_KEY_BYTES],
                                       const char *email, const char *name, long long id, rules_day received,
                                       alvd_err *err)
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

int service_meldpunt_report_submit(const alvd_app *app, store_conn *conn, const service_meldpunt_submission *submission,
                                   service_meldpunt_receipt *receipt, alvd_err *err)
{
    service_meldpunt_upload uploads[MELDPUNT_ATTACHMENTS_MAX];
    service_meldpunt_new_report report;
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES];
    memset(uploads, 0, sizeof uploads);
    memset(&report, 0, sizeof report);
    memset(receipt, 0, sizeof *receipt);
    if (service_meldpunt_public_key(app, public_key, err) != 0)
        return -1;
    report.received_on = service_meldpunt_today(app);
    if (intake_prepare(conn, submission, &report, uploads, err) != 0 || store_begin(conn, err) != 0 ||
        service_meldpunt_report_insert(app, conn, &report, &receipt->id, receipt->receipt, err) != 0 ||
        store_commit(conn, err) != 0) {
        store_rollback(conn);
        intake_uploads_free(uploads, MELDPUNT_ATTACHMENTS_MAX);
        return -1;
    }
    intake_uploads_free(uploads, MELDPUNT_ATTACHMENTS_MAX);
    receipt->received_on = report.received_on;
    alvd_err mail_err;
    alvd_err_clear(&mail_err);
    receipt->mailed = intake_send_acknowledgement(app, public_key, report.email, report.name, receipt->id,
                                                  report.received_on, &mail_err) == 0;
    return 0;
}

/* ---------------------------------------------------------------- follow-up by receipt */

/* The report key of one candidate when the receipt's verifier matches it. */
static int intake_candidate_open(const store_meldpunt_receipt_candidate *candidate,
                                 const unsigned char verifier[crypto_generichash_BYTES],
                                 const unsigned char reporter_key[SEAL_KEY_BYTES],
                                 unsigned char report_key[SEAL_KEY_BYTES], int *found, alvd_err *err)
{
    char ad[96];
    size_t length = 0;
    if (candidate->verifier_length != crypto_generichash_BYTES ||
        sodium_memcmp(verifier, candidate->verifier, crypto_generichash_BYTES) != 0)
        return 0;
    unsigned char *key = seal_decrypt(reporter_key,
                                      seal_ad(ad, sizeof ad, "meldpunt_reports.reporter_wrapped_key", candidate->id),
                                      candidate->wrapped, candidate->wrapped_length, &length, err);
    if (key == NULL || length != SEAL_KEY_BYTES) {
        free(key);
        return -1;
    }
    memcpy(report_key, key, SEAL_KEY_BYTES);
    sodium_memzero(key, length);
    free(key);
    *found = 1;
    return 0;
}

/* Find the report of a receipt and open its report key with the receipt. A miss costs
 * as much work as a hit (one derivation per candidate, one when there is none). */
static int intake_receipt_open(store_conn *conn, const char *receipt, long long *report_id,
                               unsigned char report_key[SEAL_KEY_BYTES], alvd_err *err)
{
    store_meldpunt_receipt_candidates candidates;
    char digits[SEAL_RECEIPT_DIGITS + 1], prefix[SEAL_RECEIPT_PREFIX + 1];
    unsigned char verifier[crypto_generichash_BYTES], reporter_key[SEAL_KEY_BYTES];
    int found = 0, rc = 0;
    if (seal_receipt_normalise(receipt, digits) != 0)
        memset(digits, '0', SEAL_RECEIPT_DIGITS), digits[SEAL_RECEIPT_DIGITS] = '\0';
    memcpy(prefix, digits, SEAL_RECEIPT_PREFIX);
    prefix[SEAL_RECEIPT_PREFIX] = '\0';
    if (store_meldpunt_reports_receipt_candidates(conn, prefix, &candidates, err) != 0)
        return -1;
    for (size_t r = 0; r < (candidates.count ? candidates.count : 1) && rc == 0; r++) {
        const store_meldpunt_receipt_candidate *candidate = candidates.count ? &candidates.items[r] : NULL;
        unsigned char salt[SEAL_SALT_BYTES] = {0};
        if (candidate && candidate->salt_length == SEAL_SALT_BYTES)
            memcpy(salt, candidate->salt, SEAL_SALT_BYTES);
        rc = seal_receipt_derive(digits, salt, verifier, reporter_key, err);
        if (rc == 0 && candidate && !found) {
            rc = intake_candidate_open(candidate, verifier, reporter_key, report_key, &found, err);
            if (found)
                *report_id = candidate->id;
        }
    }
    if (rc == 0 && !found)
        alvd_err_set(err, 404, "receipt_unknown", "receipt", "Deze ontvangstcode kennen we niet. Controleer de cijfers.");
    sodium_memzero(reporter_key, sizeof reporter_key);
    sodium_memzero(digits, sizeof digits);
    store_meldpunt_receipt_candidates_free(&candidates);
    return found ? 0 : -1;
}

static char *intake_unseal_text(const unsigned char key[SEAL_KEY_BYTES], const char *table_column, long long id,
                                const unsigned char *sealed, size_t sealed_length, alvd_err *err)
{
    char ad[128];
    size_t length = 0;
    unsigned char *plain = seal_decrypt(key, seal_ad(ad, sizeof ad, table_column, id), sealed, sealed_length, &length,
                                        err);
    if (plain == NULL)
        return NULL;
    char *text = malloc(length + 1);
    if (text) {
        memcpy(text, plain, length);
        text[length] = '\0';
    }
    sodium_memzero(plain, length);
    free(plain);
    return text;
}

int service_meldpunt_follow_up(store_conn *conn, const char *receipt, service_meldpunt_progress *progress,
                               alvd_err *err)
{
    store_meldpunt_report_progress row;
    unsigned char report_key[SEAL_KEY_BYTES];
    memset(progress, 0, sizeof *progress);
    if (intake_receipt_open(conn, receipt, &progress->id, report_key, err) != 0)
        return -1;
    if (store_meldpunt_reports_progress(conn, progress->id, &row, err) != 0) {
        sodium_memzero(report_key, sizeof report_key);
        return -1;
    }
    snprintf(progress->received_on, sizeof progress->received_on, "%s", row.dates.received_on);
    snprintf(progress->acknowledged_on, sizeof progress->acknowledged_on, "%s", row.dates.acknowledged_on);
    snprintf(progress->fed_back_on, sizeof progress->fed_back_on, "%s", row.dates.fed_back_on);
    snprintf(progress->closed_on, sizeof progress->closed_on, "%s", row.dates.closed_on);
    snprintf(progress->state, sizeof progress->state, "%s", row.state);
    progress->messages = row.messages;
    rules_day received = 0;
    rules_date_parse(row.dates.received_on, NULL, &received, NULL);
    rules_date_format(rules_meldpunt_feedback_due(received), progress->feedback_due);
    if (row.feedback)
        progress->feedback = intake_unseal_text(report_key, "meldpunt_reports.feedback", progress->id, row.feedback,
                                                row.feedback_length, err);
    free(row.feedback);
    sodium_memzero(report_key, sizeof report_key);
    return 0;
}

int service_meldpunt_follow_up_message(const alvd_app *app, store_conn *conn, const char *receipt, const char *text,
                                       long long *message_id, char today[RULES_DATE_TEXT_SIZE], alvd_err *err)
{
    unsigned char report_key[SEAL_KEY_BYTES];
    long long id = 0;
    rules_date_format(service_meldpunt_today(app), today);
    if (intake_receipt_open(conn, receipt, &id, report_key, err) != 0)
        return -1;
    int rc = store_begin(conn, err) == 0 && store_meldpunt_reports_add_message(conn, id, today, message_id, err) == 0 &&
             intake_store_sealed(conn, report_key, "meldpunt_messages", "body", *message_id, text, strlen(text),
                                 err) == 0 &&
             audit_append(conn, err, &intake_reporter_actor, "report.reporter_message", "report", id, NULL) == 0 &&
             store_commit(conn, err) == 0;
    sodium_memzero(report_key, sizeof report_key);
    if (!rc)
        store_rollback(conn);
    return rc ? 0 : -1;
}
