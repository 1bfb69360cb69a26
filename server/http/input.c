/* Typed values out of JSON bodies: handlers never see a wrong type, an overlong
 * string or an undeclared member, and every refusal names its field. */
#include "alvd/http/input.h"

#include <stdlib.h>
#include <string.h>

int input_only(json_t *object, const char *const *allowed, alvd_err *err)
{
    const char *key;
    json_t *value;
    json_object_foreach(object, key, value) {
        int known = 0;
        for (size_t i = 0; allowed[i] && !known; i++)
            known = strcmp(allowed[i], key) == 0;
        if (!known)
            return alvd_err_set(err, 400, "unknown_field", key, "Onbekend veld: %s.", key);
    }
    return 0;
}

size_t input_utf8_length(const char *text)
{
    size_t count = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++)
        if ((*p & 0xC0) != 0x80)
            count++;
    return count;
}

static json_t *input_member(json_t *object, const char *key)
{
    json_t *value = object ? json_object_get(object, key) : NULL;
    return value && !json_is_null(value) ? value : NULL;
}

int input_string(json_t *object, const char *key, int required, size_t max_chars,
                 const char **out, alvd_err *err)
{
    json_t *value = input_member(object, key);
    *out = NULL;
    if (value && !json_is_string(value))
        return alvd_err_set(err, 400, "wrong_type", key, "Veld %s moet tekst zijn.", key);
    const char *text = value ? json_string_value(value) : NULL;
    if (text && json_string_length(value) != strlen(text))
        return alvd_err_set(err, 400, "wrong_type", key, "Veld %s bevat een NUL-teken.", key);
    int blank = 1;
    for (const char *p = text; p && *p && blank; p++)
        blank = *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r';
    if (text == NULL || blank) {
        if (required)
            return alvd_err_set(err, 422, "required", key, "Veld %s is verplicht.", key);
        return 0;
    }
    if (input_utf8_length(text) > max_chars)
        return alvd_err_set(err, 422, "too_long", key, "Veld %s is langer dan %zu tekens.", key,
                            max_chars);
    *out = text;
    return 0;
}

int input_line(json_t *object, const char *key, int required, size_t max_chars,
               const char **out, alvd_err *err)
{
    if (input_string(object, key, required, max_chars, out, err) != 0)
        return -1;
    for (const unsigned char *p = (const unsigned char *)*out; p && *p; p++)
        if (*p < 0x20 || *p == 0x7F) {
            *out = NULL;
            return alvd_err_set(err, 422, "line_break", key,
                                "Veld %s is één regel tekst: een regelovergang of ander stuurteken kan niet.", key);
        }
    return 0;
}

int input_integer(json_t *object, const char *key, int required, long long low,
                  long long high, long long *out, int *present, alvd_err *err)
{
    json_t *value = input_member(object, key);
    if (present)
        *present = value != NULL;
    if (value == NULL) {
        if (required)
            return alvd_err_set(err, 422, "required", key, "Veld %s is verplicht.", key);
        return 0;
    }
    if (!json_is_integer(value))
        return alvd_err_set(err, 400, "wrong_type", key, "Veld %s moet een geheel getal zijn.", key);
    long long number = json_integer_value(value);
    if (number < low || number > high)
        return alvd_err_set(err, 422, "out_of_range", key, "Veld %s moet tussen %lld en %lld liggen.",
                            key, low, high);
    *out = number;
    return 0;
}

int input_boolean(json_t *object, const char *key, int fallback, int *out, alvd_err *err)
{
    json_t *value = input_member(object, key);
    if (value == NULL) {
        *out = fallback;
        return 0;
    }
    if (!json_is_boolean(value))
        return alvd_err_set(err, 400, "wrong_type", key, "Veld %s moet true of false zijn.", key);
    *out = json_is_true(value);
    return 0;
}

static int input_days_in_month(int year, int month)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

int input_date_text(const char *text, const char *field, alvd_err *err)
{
    int ok = text && strlen(text) == 10 && text[4] == '-' && text[7] == '-';
    for (int i = 0; ok && i < 10; i++)
        if (i != 4 && i != 7)
            ok = text[i] >= '0' && text[i] <= '9';
    if (ok) {
        int year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 + (text[2] - '0') * 10 + (text[3] - '0');
        int month = (text[5] - '0') * 10 + (text[6] - '0');
        int day = (text[8] - '0') * 10 + (text[9] - '0');
        ok = year >= 1900 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
             day <= input_days_in_month(year, month);
    }
    if (!ok)
        return alvd_err_set(err, 400, "bad_date", field,
                            "Veld %s moet een bestaande datum zijn als JJJJ-MM-DD.", field);
    return 0;
}

int input_date(json_t *object, const char *key, int required, const char **out, alvd_err *err)
{
    if (input_string(object, key, required, 10, out, err) != 0)
        return -1;
    if (*out && input_date_text(*out, key, err) != 0)
        return -1;
    return 0;
}

int input_choice(json_t *object, const char *key, int required, const char *const *choices,
                 const char **out, alvd_err *err)
{
    if (input_string(object, key, required, 64, out, err) != 0)
        return -1;
    if (*out == NULL)
        return 0;
    for (size_t i = 0; choices[i]; i++)
        if (strcmp(choices[i], *out) == 0)
            return 0;
    char list[256] = "";
    size_t used = 0;
    for (size_t i = 0; choices[i] && used < sizeof list; i++) {
        int n = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", choices[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    *out = NULL;
    return alvd_err_set(err, 422, "bad_choice", key, "Veld %s moet een van deze zijn: %s.", key,
                        list);
}

int input_id_text(const char *text, long long *out)
{
    if (text == NULL || *text == '\0' || strlen(text) > 18)
        return -1;
    long long value = 0;
    for (const char *p = text; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        value = value * 10 + (*p - '0');
    }
    if (value <= 0)
        return -1;
    *out = value;
    return 0;
}
