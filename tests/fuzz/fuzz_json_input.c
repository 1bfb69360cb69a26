/* libFuzzer: request body → JSON (duplicates refused) → validated values, the path
 * every handler's input takes. Must never crash, leak or hit UB. */
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "alvd/http/input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_error_t error;
    json_t *body = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &error);
    if (body == NULL || !json_is_object(body)) {
        json_decref(body);
        return 0;
    }
    static const char *const allowed[] = {"name", "email", "date", "count", "flag", "form", NULL};
    static const char *const forms[] = {"registered", "letter", "email", NULL};
    alvd_err err;
    const char *text = NULL;
    long long number = 0;
    int flag = 0, present = 0;
    alvd_err_clear(&err);
    (void)input_only(body, allowed, &err);
    (void)input_string(body, "name", 1, 200, &text, &err);
    (void)input_string(body, "email", 0, 254, &text, &err);
    (void)input_date(body, "date", 0, &text, &err);
    (void)input_integer(body, "count", 0, -5, 5, &number, &present, &err);
    (void)input_boolean(body, "flag", 0, &flag, &err);
    (void)input_choice(body, "form", 0, forms, &text, &err);
    json_decref(body);
    return 0;
}
