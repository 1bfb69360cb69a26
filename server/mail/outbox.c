/* The outbox: messages are rows first (so a crash loses nothing), delivered later by a
 * periodic job that claims due rows with SKIP LOCKED, so several alvd processes can share it. */
#include "alvd/mail/outbox.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alvd/base/buf.h"
#include "alvd/base/clock.h"
#include "alvd/base/log.h"
#include "alvd/mail/mime.h"
#include "alvd/rules/member_import.h"
#include "alvd/store/outbox.h"

#define OUTBOX_MESSAGE_MAX (2 * 1024 * 1024)

/* The recipient must be a plain ASCII address (RFC 5321 without SMTPUTF8): anything
 * else was refused at input already; this is the last line of defence. */
static int outbox_check_recipient(const char *to, alvd_err *err)
{
    if (to == NULL || strlen(to) > 254 || !rules_member_email_is_valid(to))
        return alvd_err_set(err, 422, "bad_email", "email",
                            "Ongeldig e-mailadres: gebruik een adres als naam@organisatie.nl, zonder accenten of "
                            "andere tekens buiten ASCII.");
    return 0;
}

int outbox_enqueue(store_conn *conn, const mail_message *message, long long *id, alvd_err *err)
{
    if (outbox_check_recipient(message->to, err) != 0)
        return -1;
    store_outbox_mail mail = {message->to, message->subject, message->text, message->html, message->kind};
    return store_outbox_insert(conn, &mail, id, err);
}

/* One body part: quoted-printable UTF-8 text of the given subtype. */
static void outbox_part(alvd_buf *out, const char *subtype, const char *body)
{
    buf_appendf(out, "Content-Type: text/%s; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n",
                subtype);
    mime_quoted_printable(out, body);
}

/* The whole RFC 5322 message, multipart/alternative when there is HTML: CRLF only, no
 * line over 78 octets in the headers or 76 in the bodies, 7-bit throughout. */
static char *outbox_compose(const alvd_app *app, long long id, const char *to, const char *subject,
                            const char *text, const char *html, size_t *length)
{
    alvd_buf out;
    char date[64], boundary[64], from[256];
    time_t now = (time_t)clock_now(&app->config, NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    snprintf(date, sizeof date, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[utc.tm_wday],
             utc.tm_mday, months[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
    /* "=_" never occurs in quoted-printable text, so the boundary cannot either. */
    snprintf(boundary, sizeof boundary, "=_alvd_%lld_%08x", id, randombytes_random());
    snprintf(from, sizeof from, "%s", app->config.mail_from);
    const char *display = NULL, *from_address = NULL;
    if (mime_split_address(from, &display, &from_address) != 0)
        from_address = "alvd@alvd.example";
    const char *at = strchr(from_address, '@');
    char domain[128];
    snprintf(domain, sizeof domain, "%s", at ? at + 1 : "alvd.example");
    buf_init(&out, OUTBOX_MESSAGE_MAX);
    mime_header_address(&out, "From", display, from_address);
    mime_header_address(&out, "To", NULL, to);
    mime_header_text(&out, "Subject", subject);
    buf_appendf(&out, "Date: %s\r\nMessage-ID: <outbox-%lld-%08x@%s>\r\nMIME-Version: 1.0\r\n", date, id,
                randombytes_random(), domain);
    if (html == NULL) {
        outbox_part(&out, "plain", text);
    } else {
        buf_appendf(&out, "Content-Type: multipart/alternative;\r\n boundary=\"%s\"\r\n\r\n"
                          "This is a MIME message in two forms: plain text and HTML.\r\n\r\n--%s\r\n",
                    boundary, boundary);
        outbox_part(&out, "plain", text);
        buf_appendf(&out, "\r\n--%s\r\n", boundary);
        outbox_part(&out, "html", html);
        buf_appendf(&out, "\r\n--%s--\r\n", boundary);
    }
    if (out.overflowed) {
        buf_free(&out);
        return NULL;
    }
    return buf_take(&out, length);
}

static int outbox_write_named(const alvd_app *app, const char *name, const char *suffix,
                              const char *message, size_t length, char *path, size_t path_size,
                              alvd_err *err)
{
    char dir[600], temporary[700];
    snprintf(dir, sizeof dir, "%s/outbox", app->config.data_dir);
    if (mkdir(app->config.data_dir, 0700) != 0 && errno != EEXIST)
        return alvd_err_set(err, 500, "no_data_dir", NULL, "Cannot create %s.", app->config.data_dir);
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return alvd_err_set(err, 500, "no_data_dir", NULL, "Cannot create %s.", dir);
    snprintf(path, path_size, "%s/%s%s", dir, name, suffix);
    snprintf(temporary, sizeof temporary, "%s.tmp", path);
    /* 0600 whatever the umask: a mail holds login links and names. */
    unlink(temporary); /* a left-over file would keep its old mode */
    int fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    FILE *file = fd >= 0 ? fdopen(fd, "wb") : NULL;
    if (file == NULL) {
        if (fd >= 0)
            close(fd);
        return alvd_err_set(err, 500, "outbox_write", NULL, "Cannot write %s.", temporary);
    }
    size_t written = fwrite(message, 1, length, file);
    if (fclose(file) != 0 || written != length || rename(temporary, path) != 0)
        return alvd_err_set(err, 500, "outbox_write", NULL, "Cannot write %s.", path);
    return 0;
}

static int outbox_write_file(const alvd_app *app, long long id, const char *message, size_t length,
                             char *path, size_t path_size, alvd_err *err)
{
    char name[32];
    snprintf(name, sizeof name, "%06lld", id);
    return outbox_write_named(app, name, ".eml", message, length, path, path_size, err);
}

typedef struct outbox_upload {
    const char *data;
    size_t length;
    size_t offset;
} outbox_upload;

static size_t outbox_curl_read(char *buffer, size_t size, size_t count, void *user)
{
    outbox_upload *upload = user;
    size_t room = size * count;
    size_t left = upload->length - upload->offset;
    size_t take = left < room ? left : room;
    memcpy(buffer, upload->data + upload->offset, take);
    upload->offset += take;
    return take;
}

static int outbox_send_smtp(const alvd_app *app, const char *to, const char *message, size_t length,
                            char *error_text, size_t error_size)
{
    CURL *curl = curl_easy_init();
    if (curl == NULL) {
        snprintf(error_text, error_size, "curl_easy_init failed");
        return -1;
    }
    char from[300], recipient[300];
    const char *open = strchr(app->config.mail_from, '<');
    snprintf(from, sizeof from, "<%s", open ? open + 1 : app->config.mail_from);
    if (!open)
        snprintf(from, sizeof from, "<%s>", app->config.mail_from);
    snprintf(recipient, sizeof recipient, "<%s>", to);
    struct curl_slist *recipients = curl_slist_append(NULL, recipient);
    outbox_upload upload = {message, length, 0};
    curl_easy_setopt(curl, CURLOPT_URL, app->config.smtp_url);
    curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from);
    curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
    curl_easy_setopt(curl, CURLOPT_READFUNCTION, outbox_curl_read);
    curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
    curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_USE_SSL, (long)CURLUSESSL_TRY);
    CURLcode code = curl_easy_perform(curl);
    if (code != CURLE_OK)
        snprintf(error_text, error_size, "%s", curl_easy_strerror(code));
    curl_slist_free_all(recipients);
    curl_easy_cleanup(curl);
    return code == CURLE_OK ? 0 : -1;
}

int outbox_deliver_due(const alvd_app *app, store_conn *conn, int max, alvd_err *err)
{
    store_result *rows = NULL;
    int handled = 0;
    if (store_begin(conn, err) != 0)
        return -1;
    if (store_outbox_claim_due(conn, max, &rows, err) != 0)
        goto fail;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        long long id = store_result_int(rows, r, 0);
        long long attempts = store_result_int(rows, r, 5) + 1;
        size_t length = 0;
        char path[800] = "", error_text[ALVD_ERR_MESSAGE_MAX + 16] = "";
        char *message = outbox_compose(app, id, store_result_text(rows, r, 1), store_result_text(rows, r, 2),
                                       store_result_text(rows, r, 3), store_result_text(rows, r, 4), &length);
        int sent;
        if (message == NULL) {
            snprintf(error_text, sizeof error_text, "message too large");
            sent = -1;
            attempts = OUTBOX_MAX_ATTEMPTS;
        } else if (app->config.smtp_url[0]) {
            sent = outbox_send_smtp(app, store_result_text(rows, r, 1), message, length, error_text,
                                    sizeof error_text);
        } else {
            alvd_err file_err;
            alvd_err_clear(&file_err);
            sent = outbox_write_file(app, id, message, length, path, sizeof path, &file_err);
            if (sent != 0)
                snprintf(error_text, sizeof error_text, "%s", file_err.message);
        }
        free(message);
        int rc;
        if (sent == 0) {
            rc = store_outbox_mark_sent(conn, id, attempts, path[0] ? path : NULL, err);
        } else {
            log_warn("mail %lld not delivered (attempt %lld): %s", id, attempts, error_text);
            rc = store_outbox_mark_failed(conn, id, attempts, OUTBOX_MAX_ATTEMPTS, error_text, err);
        }
        if (rc != 0)
            goto fail;
        handled++;
    }
    store_result_free(rows);
    if (store_commit(conn, err) != 0)
        return -1;
    return handled;
fail:
    store_result_free(rows);
    store_rollback(conn);
    return -1;
}

int outbox_send_now(const alvd_app *app, const mail_message *message,
                    const unsigned char *seal_public_key, alvd_err *err)
{
    if (outbox_check_recipient(message->to, err) != 0)
        return -1;
    /* A random number stands in for the outbox id in the Message-ID and boundary. */
    long long id = (long long)(randombytes_random() & 0x7fffffff);
    size_t length = 0;
    char *composed = outbox_compose(app, id, message->to, message->subject, message->text,
                                    message->html, &length);
    if (composed == NULL)
        return alvd_err_set(err, 500, "mail_too_large", NULL, "Het bericht is te groot.");
    int rc = 0;
    if (app->config.smtp_url[0]) {
        char error_text[ALVD_ERR_MESSAGE_MAX] = "";
        if (outbox_send_smtp(app, message->to, composed, length, error_text, sizeof error_text) != 0) {
            log_warn("a confidential %s mail was not delivered: %s", message->kind ? message->kind : "mail",
                     error_text);
            rc = alvd_err_set(err, 502, "mail_failed", NULL, "De e-mail kon niet worden verstuurd.");
        }
    } else if (seal_public_key) {
        size_t sealed_length = length + crypto_box_SEALBYTES;
        unsigned char *sealed = malloc(sealed_length);
        char path[800], name[64];
        unsigned char random[8];
        randombytes_buf(random, sizeof random);
        snprintf(name, sizeof name, "sealed-%02x%02x%02x%02x%02x%02x%02x%02x", random[0], random[1],
                 random[2], random[3], random[4], random[5], random[6], random[7]);
        if (sealed == NULL) {
            rc = alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        } else {
            crypto_box_seal(sealed, (const unsigned char *)composed, length, seal_public_key);
            rc = outbox_write_named(app, name, ".eml.sealed", (const char *)sealed, sealed_length, path,
                                    sizeof path, err);
        }
        free(sealed);
    }
    sodium_memzero(composed, length);
    free(composed);
    return rc;
}

int outbox_deliver_job(const alvd_app *app, store_conn *conn, alvd_err *err)
{
    int handled;
    /* Drain: a full batch means more may be waiting. */
    while ((handled = outbox_deliver_due(app, conn, OUTBOX_DELIVERY_BATCH, err)) == OUTBOX_DELIVERY_BATCH)
        ;
    return handled < 0 ? -1 : 0;
}
