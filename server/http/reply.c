/* Answers: JSON, bytes, errors in the request's language, extra headers and cookies;
 * what http_send later turns into the libmicrohttpd response. */
#include "server_internal.h"

/* ---------------------------------------------------------------- replies */

void http_reply_reset(http_request *request)
{
    free(request->reply_data);
    request->reply_data = NULL;
    request->reply_length = 0;
    for (size_t i = 0; i < request->header_count; i++) {
        free(request->header_names[i]);
        free(request->header_values[i]);
    }
    request->header_count = 0;
    request->replied = 0;
    request->status = 0;
}

void http_reply_bytes(http_request *request, int status, const char *content_type, char *data,
                      size_t length)
{
    free(request->reply_data);
    request->reply_data = data;
    request->reply_length = length;
    request->status = status;
    snprintf(request->reply_type, sizeof request->reply_type, "%s", content_type);
    request->replied = 1;
}

json_t *http_request_sentence(const http_request *request, const char *message)
{
    rules_lang lang = messages_language(http_request_query(request, "lang"),
                                        http_request_header(request, "Accept-Language"));
    char sentence[ALVD_ERR_MESSAGE_MAX * 2];
    messages_localise(message, lang, sentence, sizeof sentence);
    json_t *text = json_string(sentence);
    return text ? text : json_string(message ? message : "");
}

/* An error sentence in the language the request asks for (lang=, Accept-Language):
 * the one place where every error answer passes, whoever wrote it. */
static void http_localise_error(http_request *request, json_t *body)
{
    json_t *error = json_object_get(body, "error");
    if (json_is_string(error))
        json_object_set_new(body, "error", http_request_sentence(request, json_string_value(error)));
}

void http_reply_json(http_request *request, int status, json_t *body)
{
    if (status >= 400 && json_is_object(body))
        http_localise_error(request, body);
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    json_decref(body);
    if (text == NULL) {
        http_reply_bytes(request, 500, "application/json; charset=utf-8",
                         strdup("{\"error\":\"Interne fout.\",\"code\":\"internal\"}"), 41);
        return;
    }
    http_reply_bytes(request, status, "application/json; charset=utf-8", text, strlen(text));
}

void http_reply_header(http_request *request, const char *name, const char *value)
{
    for (size_t i = 0; i < request->header_count; i++) {
        if (strcasecmp(request->header_names[i], name) == 0) {
            free(request->header_values[i]);
            request->header_values[i] = strdup(value);
            return;
        }
    }
    if (request->header_count == HTTP_MAX_REPLY_HEADERS)
        return;
    request->header_names[request->header_count] = strdup(name);
    request->header_values[request->header_count] = strdup(value);
    request->header_count++;
}

void http_reply_header_add(http_request *request, const char *name, const char *value)
{
    if (request->header_count == HTTP_MAX_REPLY_HEADERS)
        return;
    request->header_names[request->header_count] = strdup(name);
    request->header_values[request->header_count] = strdup(value);
    request->header_count++;
}

void http_reply_empty(http_request *request, int status)
{
    http_reply_bytes(request, status, "text/plain; charset=utf-8", NULL, 0);
}

static void http_reply_error_args(http_request *request, int status, const char *code,
                                  const char *field, const char *message)
{
    json_t *body = json_pack("{s:s, s:s}", "error", message, "code", code ? code : "error");
    if (field && *field)
        json_object_set_new(body, "field", json_string(field));
    http_reply_json(request, status, body);
    if (status == 503) {
        char seconds[16];
        snprintf(seconds, sizeof seconds, "%d", HTTP_DB_RETRY_AFTER_SECONDS);
        http_reply_header(request, "Retry-After", seconds);
    } else if (status == 429) {
        http_reply_header(request, "Retry-After", "60");
    }
}

void http_reply_error(http_request *request, int status, const char *code, const char *field,
                      const char *format, ...)
{
    char message[ALVD_ERR_MESSAGE_MAX];
    va_list args;
    va_start(args, format);
    vsnprintf(message, sizeof message, format, args);
    va_end(args);
    http_reply_error_args(request, status, code, field, message);
}

void http_reply_err(http_request *request, const alvd_err *err)
{
    if (err == NULL || err->status == 0) {
        http_reply_error_args(request, 500, "internal", NULL, "Interne fout.");
        return;
    }
    http_reply_error_args(request, err->status, err->code, err->field, err->message);
}

void http_reply_result(http_request *request, int rc, int status, json_t *body, const alvd_err *err)
{
    if (rc != 0) {
        json_decref(body);
        http_reply_err(request, err);
        return;
    }
    http_reply_json(request, status, body);
}
