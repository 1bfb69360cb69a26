/* Unit table for server/rules/kvk.c: a KvK number is exactly 8 digits once spaces
 * and dots are dropped ("12 34 56 78"); everything else is 422 "bad_kvk". */
#include "alvd/rules/kvk.h"

#include <string.h>

#include "check.h"

int main(void)
{
    static const struct {
        const char *input;
        const char *want; /* NULL = refused */
    } cases[] = {
        {"12345678", "12345678"},
        {"01234567", "01234567"},
        {"  12345678\t\n", "12345678"},
        {"1234567", NULL},
        {"123456789", NULL},
        {"1234 5678", "12345678"},
        {"12 34 56 78", "12345678"},
        {"12.34.56.78", "12345678"},
        {" 1234.5678 ", "12345678"},
        {"12 34 56 7", NULL},
        {"12-34-56-78", NULL},
        {"12 34 56 789", NULL},
        {"1234567a", NULL},
        {"-1234567", NULL},
        {"", NULL},
        {"        ", NULL},
        {"１２３４５６７８", NULL}, /* full-width digits */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[RULES_KVK_SIZE] = "x";
        alvd_err err;
        alvd_err_clear(&err);
        int rc = rules_kvk_parse(cases[i].input, out, &err);
        if (cases[i].want) {
            CHECK(rc == 0, "accept \"%s\"", cases[i].input);
            CHECK_STR(out, cases[i].want, cases[i].input);
        } else {
            CHECK(rc == -1, "refuse \"%s\"", cases[i].input);
            CHECK_INT(err.status, 422, cases[i].input);
            CHECK_STR(err.code, "bad_kvk", cases[i].input);
            CHECK_STR(err.field, "kvk", cases[i].input);
            CHECK(strstr(err.message, "8 cijfers") != NULL, "Dutch sentence: %s", err.message);
            CHECK_STR(out, "", "output reset");
        }
    }
    char out[RULES_KVK_SIZE];
    CHECK(rules_kvk_parse(NULL, out, NULL) == -1, "NULL refused");
    char huge[300];
    memset(huge, ' ', sizeof huge - 1);
    memcpy(huge + 100, "12345678", 8);
    huge[sizeof huge - 1] = '\0';
    CHECK(rules_kvk_parse(huge, out, NULL) == -1, "over-long input refused");
    return check_report("rules_kvk");
}
