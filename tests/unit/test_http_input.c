/* Input validation at the edge: types, lengths in characters, dates, choices, ids,
 * and undeclared fields — each failure names its field. */
#include <jansson.h>
#include <string.h>

#include "alvd/http/input.h"
#include "check.h"

int main(void)
{
    alvd_err err;
    json_error_t parse_error;
    json_t *body = json_loads("{\"name\":\"Café Ünïcode\",\"count\":7,\"flag\":true,\"date\":\"2026-02-29\","
                              "\"good_date\":\"2028-02-29\",\"kind\":\"letter\",\"blank\":\"  \",\"num\":\"7\"}",
                              0, &parse_error);
    const char *text = NULL;
    long long number = 0;
    int present = 0, flag = 0;

    alvd_err_clear(&err);
    CHECK_INT(input_string(body, "name", 1, 12, &text, &err), 0, "12 characters fit (UTF-8 counted as characters)");
    CHECK_STR(text, "Café Ünïcode", "string value");
    CHECK_INT(input_string(body, "name", 1, 11, &text, &err), -1, "11 is too short");
    CHECK_STR(err.code, "too_long", "too_long code");
    CHECK_STR(err.field, "name", "field named");
    CHECK_INT(input_string(body, "missing", 1, 10, &text, &err), -1, "required missing");
    CHECK_INT(err.status, 422, "required is 422");
    CHECK_INT(input_string(body, "missing", 0, 10, &text, &err), 0, "optional missing");
    CHECK(text == NULL, "optional gives NULL");
    CHECK_INT(input_string(body, "blank", 1, 10, &text, &err), -1, "blank counts as missing");
    CHECK_INT(input_string(body, "count", 1, 10, &text, &err), -1, "number is not text");
    CHECK_INT(err.status, 400, "wrong type is 400");

    CHECK_INT(input_integer(body, "count", 1, 1, 10, &number, &present, &err), 0, "integer in range");
    CHECK_INT(number, 7, "integer value");
    CHECK_INT(input_integer(body, "count", 1, 8, 10, &number, &present, &err), -1, "below range");
    CHECK_STR(err.code, "out_of_range", "out_of_range");
    CHECK_INT(input_integer(body, "num", 1, 1, 10, &number, &present, &err), -1, "string is not integer");

    CHECK_INT(input_boolean(body, "flag", 0, &flag, &err), 0, "boolean");
    CHECK_INT(flag, 1, "boolean value");
    CHECK_INT(input_boolean(body, "absent", 1, &flag, &err), 0, "boolean fallback");
    CHECK_INT(flag, 1, "fallback value");
    CHECK_INT(input_boolean(body, "count", 0, &flag, &err), -1, "number is not boolean");

    CHECK_INT(input_date(body, "date", 1, &text, &err), -1, "2026-02-29 does not exist");
    CHECK_STR(err.code, "bad_date", "bad_date");
    CHECK_INT(input_date(body, "good_date", 1, &text, &err), 0, "2028-02-29 exists");
    static const char *const bad_dates[] = {"2026-1-01", "2026-13-01", "2026-00-10", "20260101", "2026-01-32",
                                            "2026-01-01x", "", "abcd-ef-gh", "1899-12-31", NULL};
    for (size_t i = 0; bad_dates[i]; i++)
        CHECK_INT(input_date_text(bad_dates[i], "d", &err), -1, bad_dates[i]);
    CHECK_INT(input_date_text("2026-12-31", "d", &err), 0, "valid date text");

    static const char *const forms[] = {"registered", "letter", "email", NULL};
    CHECK_INT(input_choice(body, "kind", 1, forms, &text, &err), 0, "choice");
    CHECK_INT(input_choice(body, "name", 1, forms, &text, &err), -1, "not a choice");
    CHECK(strstr(err.message, "registered") != NULL, "message lists the choices");

    static const char *const allowed[] = {"name", "count", "flag", "date", "good_date", "kind", "blank", "num", NULL};
    static const char *const fewer[] = {"name", NULL};
    CHECK_INT(input_only(body, allowed, &err), 0, "all declared");
    CHECK_INT(input_only(body, fewer, &err), -1, "undeclared field");
    CHECK_STR(err.code, "unknown_field", "unknown_field");

    CHECK_INT(input_id_text("42", &number), 0, "id");
    CHECK_INT(number, 42, "id value");
    static const char *const bad_ids[] = {"0", "-1", "1e3", " 1", "1 ", "", "99999999999999999999", "0x10", NULL};
    for (size_t i = 0; bad_ids[i]; i++)
        CHECK_INT(input_id_text(bad_ids[i], &number), -1, bad_ids[i]);
    CHECK_INT(input_id_text(NULL, &number), -1, "NULL id");
    CHECK_INT((long long)input_utf8_length("€uro"), 4, "utf8 length");

    json_decref(body);
    return check_report("http_input");
}
