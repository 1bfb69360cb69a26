/* Unit tables for server/rules/tracking.c (R6): S10 check digits, PostNL 3S codes
 * and normalisation of what the secretariat types or scans. */
#include "alvd/rules/tracking.h"

#include <string.h>

#include <jansson.h>

#include "check.h"

static void test_check_digit(void)
{
    /* Computed by hand: weights 8,6,4,2,3,5,9,7. */
    static const struct {
        const char *serial;
        int check;
    } cases[] = {
        {"12345678", 5}, /* sum 204, 204 mod 11 = 6, 11 - 6 = 5 */
        {"47312482", 9}, /* sum mod 11 = 2 */
        {"00000000", 5}, /* sum 0: 11 - 0 = 11 -> 5 */
        {"11111111", 5}, /* sum 44, mod 11 = 0 -> 11 -> 5 */
        {"04938268", 0}, /* sum mod 11 = 1: 11 - 1 = 10 -> 0 */
        {"10000000", 3}, /* 8 mod 11 = 8 -> 3 */
        {"98765432", 6},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        CHECK_INT(rules_s10_check_digit(cases[i].serial), cases[i].check, cases[i].serial);
    CHECK_INT(rules_s10_check_digit("1234567"), -1, "7 digits");
    CHECK_INT(rules_s10_check_digit("1234A678"), -1, "letter in serial");
    CHECK_INT(rules_s10_check_digit(NULL), -1, "NULL");
}

typedef struct parse_case {
    const char *input;
    rules_tracking_kind kind; /* RULES_TRACKING_NONE = must be refused */
    const char *normalised;
} parse_case;

static const parse_case cases[] = {
    {"RR123456785NL", RULES_TRACKING_S10, "RR123456785NL"},
    {"rr123456785nl", RULES_TRACKING_S10, "RR123456785NL"},
    {"  RR 1234 5678 5 NL \n", RULES_TRACKING_S10, "RR123456785NL"},
    {"RR473124829NL", RULES_TRACKING_S10, "RR473124829NL"},
    {"CP049382680DE", RULES_TRACKING_S10, "CP049382680DE"},
    {"EE000000005NL", RULES_TRACKING_S10, "EE000000005NL"},
    {"RR123456785BE", RULES_TRACKING_S10, "RR123456785BE"},
    {"RR123456785GB", RULES_TRACKING_S10, "RR123456785GB"},
    {"RR123456785ZZ", RULES_TRACKING_NONE, ""}, /* the case: ZZ is no country */
    {"RR123456785UK", RULES_TRACKING_NONE, ""}, /* the United Kingdom is GB */
    {"RR123456785EU", RULES_TRACKING_NONE, ""}, /* reserved, not assigned */
    {"RR123456785XX", RULES_TRACKING_NONE, ""},
    {"RR123456784NL", RULES_TRACKING_NONE, ""}, /* wrong check digit */
    {"RR123456780NL", RULES_TRACKING_NONE, ""}, /* wrong check digit */
    {"RR12345678NL", RULES_TRACKING_NONE, ""},  /* 12 characters */
    {"RR1234567855NL", RULES_TRACKING_NONE, ""}, /* 14 characters */
    {"RR12A456785NL", RULES_TRACKING_NONE, ""}, /* letter in the serial */
    {"R1123456785NL", RULES_TRACKING_NONE, ""}, /* digit in the service letters */
    {"RR12345678591", RULES_TRACKING_NONE, ""}, /* digits as country */
    {"RR-123456785NL", RULES_TRACKING_NONE, ""}, /* punctuation */
    {"3SABCD1234567", RULES_TRACKING_POSTNL_3S, "3SABCD1234567"},      /* 13 */
    {"3sabcd12345678X", RULES_TRACKING_POSTNL_3S, "3SABCD12345678X"},  /* 15, lower case */
    {" 3S KVKS 1234 5678 9 ", RULES_TRACKING_POSTNL_3S, "3SKVKS123456789"},
    {"3SABCD12345678", RULES_TRACKING_NONE, ""},  /* 14 */
    {"3SABCD123456", RULES_TRACKING_NONE, ""},    /* 12 */
    {"3SABCD1234567890", RULES_TRACKING_NONE, ""}, /* 16 */
    {"3SABC_1234567", RULES_TRACKING_NONE, ""},   /* underscore */
    {"", RULES_TRACKING_NONE, ""},
    {"   ", RULES_TRACKING_NONE, ""},
    {"3S\xc3\xa9" "BCD1234567", RULES_TRACKING_NONE, ""}, /* non-ASCII */
};

static void test_parse(void)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const parse_case *c = &cases[i];
        rules_tracking_kind kind = RULES_TRACKING_S10;
        char code[RULES_TRACKING_CODE_SIZE] = "junk";
        alvd_err err;
        alvd_err_clear(&err);
        int rc = rules_tracking_parse(c->input, &kind, code, &err);
        if (c->kind != RULES_TRACKING_NONE) {
            CHECK(rc == 0, "accept \"%s\": %s", c->input, err.message);
            CHECK_INT(kind, c->kind, c->input);
            CHECK_STR(code, c->normalised, c->input);
        } else {
            CHECK(rc == -1, "refuse \"%s\"", c->input);
            CHECK_INT(err.status, 422, c->input);
            CHECK_STR(err.code, "bad_tracking_code", c->input);
            CHECK_STR(err.field, "tracking_code", c->input);
            CHECK_INT(kind, RULES_TRACKING_NONE, "kind reset");
            CHECK_STR(code, "", "output reset");
            CHECK(strstr(err.message, "RR123456785NL") != NULL && strstr(err.message, "3S"),
                  "message says what passes: %s", err.message);
        }
    }
    rules_tracking_kind kind;
    char code[RULES_TRACKING_CODE_SIZE];
    alvd_err err;
    rules_tracking_parse("RR123456784NL", &kind, code, &err);
    CHECK(strstr(err.message, "controlecijfer") != NULL, "names the check digit: %s", err.message);
    rules_tracking_parse("3SABCD12345678", &kind, code, &err);
    CHECK(strstr(err.message, "13 of 15") != NULL, "names the lengths: %s", err.message);
    CHECK(rules_tracking_parse(NULL, &kind, code, &err) == -1, "NULL refused");
    char long_input[200];
    memset(long_input, 'A', sizeof long_input - 1);
    long_input[sizeof long_input - 1] = '\0';
    CHECK(rules_tracking_parse(long_input, &kind, code, &err) == -1, "long input refused");
    CHECK_STR(rules_tracking_kind_name(RULES_TRACKING_S10), "s10", "name s10");
    CHECK_STR(rules_tracking_kind_name(RULES_TRACKING_POSTNL_3S), "postnl_3s", "name 3s");
    CHECK_STR(rules_tracking_kind_name(RULES_TRACKING_NONE), "", "name none");
}

/* The country table against an independent list: Debian's iso-codes (ISO 3166-1). Every
 * two-letter combination is accepted exactly when the list has it. */
static void test_countries(void)
{
    json_error_t error;
    json_t *root = json_load_file("/usr/share/iso-codes/json/iso_3166-1.json", 0, &error);
    CHECK(root != NULL, "/usr/share/iso-codes/json/iso_3166-1.json (package iso-codes): %s", error.text);
    if (root == NULL)
        return;
    char listed[26][26];
    memset(listed, 0, sizeof listed);
    size_t index, count = 0;
    json_t *entry;
    json_array_foreach(json_object_get(root, "3166-1"), index, entry) {
        const char *code = json_string_value(json_object_get(entry, "alpha_2"));
        if (code && strlen(code) == 2 && code[0] >= 'A' && code[0] <= 'Z' && code[1] >= 'A' && code[1] <= 'Z') {
            listed[code[0] - 'A'][code[1] - 'A'] = 1;
            count++;
        }
    }
    json_decref(root);
    CHECK_INT(count, 249, "assigned alpha-2 codes in iso-codes");
    int agree = 0;
    for (int a = 0; a < 26; a++)
        for (int b = 0; b < 26; b++) {
            char code[3] = {(char)('A' + a), (char)('A' + b), 0};
            int ours = rules_iso_country_is_assigned(code);
            CHECK(ours == listed[a][b], "%s: ours %d, iso-codes %d", code, ours, listed[a][b]);
            agree += ours == listed[a][b];
        }
    printf("ISO 3166-1 alpha-2: %d of 676 two-letter combinations agree with iso-codes (%zu assigned)\n", agree, count);
}

int main(void)
{
    test_check_digit();
    test_parse();
    test_countries();
    return check_report("rules_tracking");
}
