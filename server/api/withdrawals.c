/* Withdrawals of a signature by (registered) letter or online notice (Code art. 7): the
 * handlers parse the intake, a correction, a scan or a notice and call one service each. */
#include "alvd/api/withdrawals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/base/clock.h"
#include "alvd/http/input.h"

static const char *const withdrawals_forms[] = {"registered", "letter", "email", NULL};

static rules_day withdrawals_today(http_request *request)
{
    return clock_today(&http_request_app(request)->config);
}

/* Read an intake body into *input (strings borrowed from body). extra lists the
 * fields a variant adds ("reason", "corrects_id"). */
static int withdrawals_parse(json_t *body, service_withdrawals_input *input, const char *const *extra, rules_day today,
                             alvd_err *err)
{
    static const char *const base_fields[] = {"organisation_id", "received_on", "sent_on", "form",
                                              "tracking_code", "note", "scan_id"};
    const char *allowed[16];
    size_t used = 0;
    for (size_t i = 0; i < sizeof base_fields / sizeof base_fields[0]; i++)
        allowed[used++] = base_fields[i];
    for (size_t i = 0; extra && extra[i] && used + 1 < sizeof allowed / sizeof allowed[0]; i++)
        allowed[used++] = extra[i];
    allowed[used] = NULL;

    const char *received = NULL, *sent = NULL, *tracking = NULL;
    memset(input, 0, sizeof *input);
    input->channel = "intake";
    if (input_only(body, allowed, err) != 0 ||
        input_integer(body, "organisation_id", 1, 1, INT64_MAX, &input->organisation_id, NULL, err) != 0 ||
        input_date(body, "received_on", 1, &received, err) != 0 ||
        input_date(body, "sent_on", 0, &sent, err) != 0 ||
        input_choice(body, "form", 1, withdrawals_forms, &input->form, err) != 0 ||
        input_string(body, "tracking_code", 0, RULES_TRACKING_INPUT_MAX, &tracking, err) != 0 ||
        input_string(body, "note", 0, WITHDRAWALS_NOTE_MAX_CHARS, &input->note, err) != 0 ||
        input_integer(body, "scan_id", 0, 1, INT64_MAX, &input->scan_id, NULL, err) != 0)
        return -1;
    if (rules_date_parse(received, "received_on", &input->received_on, err) != 0)
        return -1;
    if (input->received_on > today) {
        char today_text[RULES_DATE_TEXT_SIZE];
        return alvd_err_set(err, 422, "received_in_future", "received_on",
                            "De ontvangstdatum ligt na vandaag (%s); vul de dag in waarop de brief binnenkwam.",
                            rules_date_format(today, today_text));
    }
    if (sent) {
        if (rules_date_parse(sent, "sent_on", &input->sent_on, err) != 0)
            return -1;
        input->has_sent_on = 1;
        if (input->sent_on > input->received_on)
            return alvd_err_set(err, 422, "sent_after_received", "sent_on",
                                "De verzenddatum ligt na de ontvangstdatum; een brief wordt eerst verstuurd "
                                "en dan ontvangen.");
    }
    if (tracking && rules_tracking_parse(tracking, &input->tracking_kind, input->tracking_code, err) != 0)
        return -1;
    return 0;
}

void withdrawals_create(http_request *request)
{
    service_withdrawals_input input;
    json_t *answer = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    int rc = withdrawals_parse(http_request_json(request), &input, NULL, withdrawals_today(request), &err) != 0
                 ? -1
                 : service_withdrawals_record(http_request_db(request), &input, 0, &actor, &answer, &err);
    http_reply_result(request, rc, 201, answer, &err);
}

void withdrawals_preview(http_request *request)
{
    static const char *const extra[] = {"corrects_id", NULL};
    service_withdrawals_input input;
    long long corrects_id = 0;
    json_t *answer = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    json_t *body = http_request_json(request);
    int rc = withdrawals_parse(body, &input, extra, withdrawals_today(request), &err) != 0 ||
                     input_integer(body, "corrects_id", 0, 1, INT64_MAX, &corrects_id, NULL, &err) != 0
                 ? -1
                 : service_withdrawals_preview(http_request_db(request), &input, corrects_id, &answer, &err);
    http_reply_result(request, rc, 200, answer, &err);
}

void withdrawals_correct(http_request *request)
{
    static const char *const extra[] = {"reason", NULL};
    service_withdrawals_input input;
    json_t *answer = NULL;
    long long id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    audit_actor actor = http_request_actor(request);
    json_t *body = http_request_json(request);
    int rc = withdrawals_parse(body, &input, extra, withdrawals_today(request), &err) != 0 ||
                     input_string(body, "reason", 1, 1000, &input.correction_reason, &err) != 0
                 ? -1
                 : service_withdrawals_record(http_request_db(request), &input, id, &actor, &answer, &err);
    http_reply_result(request, rc, 201, answer, &err);
}

void withdrawals_list(http_request *request)
{
    long long version_id = 0, organisation_id = 0;
    const char *version_text = http_request_query(request, "version_id");
    const char *organisation_text = http_request_query(request, "organisation_id");
    const char *all_text = http_request_query(request, "all");
    json_t *answer = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if ((version_text && *version_text && input_id_text(version_text, &version_id) != 0) ||
        (organisation_text && *organisation_text && input_id_text(organisation_text, &organisation_id) != 0)) {
        http_reply_error(request, 400, "bad_query", version_id ? "organisation_id" : "version_id",
                         "Een nummer in de zoekopdracht is ongeldig.");
        return;
    }
    int all = all_text && strcmp(all_text, "1") == 0;
    int rc = service_withdrawals_list(http_request_db(request), version_id, organisation_id, all, &answer, &err);
    http_reply_result(request, rc, 200, answer, &err);
}

void withdrawals_get(http_request *request)
{
    long long id = 0;
    json_t *answer = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    int rc = service_withdrawals_detail(http_request_db(request), id, &answer, &err);
    http_reply_result(request, rc, 200, answer, &err);
}

void withdrawals_apply_pending_route(http_request *request)
{
    long long version_id = 0;
    int applied = 0;
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    json_t *body = http_request_json(request);
    if (input_integer(body, "version_id", 1, 1, INT64_MAX, &version_id, NULL, &err) != 0 ||
        service_withdrawals_apply_pending_now(http_request_db(request), &actor, version_id, &applied, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, json_pack("{s:i}", "applied", applied));
}

/* ------------------------------------------------------------------ scans */

typedef struct withdrawals_scan_type {
    const char *media_type;
    const char *extension;
    const char *name;
} withdrawals_scan_type;

static const withdrawals_scan_type withdrawals_scan_types[] = {
    {"application/pdf", "pdf", "PDF"},
    {"image/jpeg", "jpg", "JPEG"},
    {"image/png", "png", "PNG"},
};

/* The type by the file's first bytes (W7: content, not the name, decides). */
static const withdrawals_scan_type *withdrawals_sniff(const unsigned char *data, size_t length)
{
    static const unsigned char png[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    if (length >= 5 && memcmp(data, "%PDF-", 5) == 0)
        return &withdrawals_scan_types[0];
    if (length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        return &withdrawals_scan_types[1];
    if (length >= sizeof png && memcmp(data, png, sizeof png) == 0)
        return &withdrawals_scan_types[2];
    return NULL;
}

/* The type the file name claims by its extension; NULL for no or another extension. */
static const withdrawals_scan_type *withdrawals_claimed(const char *name, int *has_extension)
{
    const char *dot = name ? strrchr(name, '.') : NULL;
    *has_extension = dot != NULL && dot[1] != '\0';
    if (!*has_extension)
        return NULL;
    if (strcasecmp(dot + 1, "pdf") == 0)
        return &withdrawals_scan_types[0];
    if (strcasecmp(dot + 1, "jpg") == 0 || strcasecmp(dot + 1, "jpeg") == 0)
        return &withdrawals_scan_types[1];
    if (strcasecmp(dot + 1, "png") == 0)
        return &withdrawals_scan_types[2];
    return NULL;
}

/* Keep a display name: the last path segment, printable ASCII and UTF-8 only, no quotes. */
static void withdrawals_clean_name(const char *name, char *out, size_t size)
{
    size_t used = 0;
    const char *slash = name ? strrchr(name, '/') : NULL;
    const char *start = slash ? slash + 1 : name;
    out[0] = '\0';
    for (const unsigned char *p = (const unsigned char *)start; p && *p && used + 1 < size; p++)
        if (*p >= 0x20 && *p != 0x7F && *p != '"' && *p != '\\')
            out[used++] = (char)*p;
    /* Do not end in the middle of a UTF-8 sequence. */
    while (used > 0 && ((unsigned char)out[used - 1] & 0xC0) == 0x80)
        used--;
    if (used > 0 && ((unsigned char)out[used - 1] & 0xC0) == 0xC0)
        used--;
    out[used] = '\0';
}

/* Refuse a file that is not a PDF, JPEG or PNG by its content, or whose name claims
 * another type; *type gets the actual one. name is the cleaned display name. */
static int withdrawals_scan_check(http_request *request, const unsigned char *data, size_t length,
                                  const char *given_name, const char *name, const withdrawals_scan_type **type)
{
    char short_name[81];
    int has_extension = 0;
    if (data == NULL || length == 0) {
        http_reply_error(request, 422, "scan_empty", "scan", "Het bestand is leeg.");
        return -1;
    }
    if (length > WITHDRAWALS_SCAN_MAX_BYTES) {
        http_reply_error(request, 413, "too_large", "scan", "Een scan mag hoogstens 10 MB zijn.");
        return -1;
    }
    const withdrawals_scan_type *actual = withdrawals_sniff(data, length);
    const withdrawals_scan_type *claimed = withdrawals_claimed(given_name, &has_extension);
    if (actual == NULL) {
        if (name[0])
            http_reply_error(request, 422, "scan_type", "scan",
                             "\"%s\" is geen PDF, JPEG of PNG (gecontroleerd op de inhoud van het bestand). "
                             "Scan de brief als PDF, JPEG of PNG.",
                             service_withdrawals_short(name, short_name));
        else
            http_reply_error(request, 422, "scan_type", "scan",
                             "Het bestand is geen PDF, JPEG of PNG (gecontroleerd op de inhoud van het bestand). "
                             "Scan de brief als PDF, JPEG of PNG.");
        return -1;
    }
    if (has_extension && claimed != actual) {
        http_reply_error(request, 422, "scan_type_mismatch", "scan",
                         "Het bestand \"%s\" heeft een naam die niet past bij de inhoud: het is een %s. "
                         "Alleen PDF, JPEG of PNG met de juiste extensie wordt aangenomen.",
                         service_withdrawals_short(name, short_name), actual->name);
        return -1;
    }
    *type = actual;
    return 0;
}

void withdrawals_scan_upload(http_request *request)
{
    size_t length = 0;
    const unsigned char *data = (const unsigned char *)http_request_body(request, &length);
    const char *given_name = http_request_query(request, "name");
    const withdrawals_scan_type *type = NULL;
    char name[201];
    json_t *answer = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    withdrawals_clean_name(given_name, name, sizeof name);
    if (withdrawals_scan_check(request, data, length, given_name, name, &type) != 0)
        return;
    audit_actor actor = http_request_actor(request);
    int rc = service_withdrawals_scan_save(http_request_db(request), &actor, http_request_app(request)->config.data_dir,
                                           data, length, type->media_type, name[0] ? name : NULL, &answer, &err);
    http_reply_result(request, rc, 201, answer, &err);
}

void withdrawals_scan_download(http_request *request)
{
    long long id = 0;
    char *data = NULL, media_type[64], disposition[160];
    size_t size = 0;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    if (service_withdrawals_scan_read(http_request_db(request), http_request_app(request)->config.data_dir, id, &data,
                                      &size, media_type, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    const char *extension = "bin";
    for (size_t i = 0; i < sizeof withdrawals_scan_types / sizeof withdrawals_scan_types[0]; i++)
        if (strcmp(withdrawals_scan_types[i].media_type, media_type) == 0)
            extension = withdrawals_scan_types[i].extension;
    snprintf(disposition, sizeof disposition, "attachment; filename=\"intrekking-scan-%lld.%s\"", id, extension);
    http_reply_bytes(request, 200, media_type, data, size);
    http_reply_header(request, "Content-Disposition", disposition);
    /* A scan is evidence to look at, never a document that runs anything in our origin. */
    http_reply_header(request, "Content-Security-Policy", "sandbox");
}

/* ------------------------------------------------------------------ online notice */

void withdrawals_my_get(http_request *request)
{
    const auth_principal *who = http_request_principal(request);
    json_t *answer = NULL;
    alvd_err err, refusal;
    alvd_err_clear(&err);
    alvd_err_clear(&refusal);
    if (service_withdrawals_my_position(http_request_db(request), who->organisation_id, withdrawals_today(request),
                                        &answer, &refusal, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *refused = json_object_get(answer, "refusal");
    if (refused)
        json_object_set_new(refused, "error", http_request_sentence(request, refusal.message));
    http_reply_json(request, 200, answer);
}

void withdrawals_my_send(http_request *request)
{
    const auth_principal *who = http_request_principal(request);
    json_t *answer = NULL;
    const char *text = NULL;
    int confirm = 0;
    alvd_err err;
    alvd_err_clear(&err);
    json_t *body = http_request_json(request);
    if (input_string(body, "text", 1, WITHDRAWALS_NOTICE_MAX_CHARS, &text, &err) != 0 ||
        input_boolean(body, "confirm", 0, &confirm, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    if (!confirm) {
        http_reply_error(request, 422, "confirm_required", "confirm",
                         "Bevestig dat u de ondertekening van de Code namens uw organisatie opzegt.");
        return;
    }
    audit_actor actor = http_request_actor(request);
    int rc = service_withdrawals_notice(http_request_db(request), &actor, who->organisation_id, who->contact_id,
                                        who->session_id, text, withdrawals_today(request), &answer, &err);
    http_reply_result(request, rc, 201, answer, &err);
}
