/* Track & trace codes for registered letters (R6): the S10 check digit catches
 * typos at the desk, before a wrong code becomes evidence. */
#include "alvd/rules/tracking.h"

#include <stdlib.h>
#include <string.h>

static int is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

const char *rules_tracking_kind_name(rules_tracking_kind kind)
{
    switch (kind) {
    case RULES_TRACKING_S10:
        return "s10";
    case RULES_TRACKING_POSTNL_3S:
        return "postnl_3s";
    case RULES_TRACKING_NONE:
    default:
        return "";
    }
}

int rules_s10_check_digit(const char *serial)
{
    static const int weights[8] = {8, 6, 4, 2, 3, 5, 9, 7};
    int sum = 0;
    if (serial == NULL)
        return -1;
    for (int i = 0; i < 8; i++) {
        if (!is_digit(serial[i]))
            return -1; /* also stops at a NUL, so a short string never over-reads */
        sum += (serial[i] - '0') * weights[i];
    }
    int check = 11 - sum % 11;
    if (check == 10)
        return 0;
    if (check == 11)
        return 5;
    return check;
}

/* ISO 3166-1 alpha-2: the 249 officially assigned codes (as Debian's iso-codes lists
 * them; tests/unit/test_rules_tracking.c compares this table with that list). An S10
 * code ends with the country of the posting operator. Sorted, for bsearch. */
static const char *const iso_3166_alpha2[] = {
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", "BA",
    "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV",
    "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU",
    "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES",
    "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM",
    "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU", "ID", "IE",
    "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM",
    "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY",
    "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT",
    "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU",
    "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA",
    "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM",
    "SN", "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL",
    "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE",
    "VG", "VI", "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
};

static int country_compare(const void *key, const void *item)
{
    return strncmp(key, *(const char *const *)item, 2);
}

int rules_iso_country_is_assigned(const char *two_letters)
{
    return bsearch(two_letters, iso_3166_alpha2, sizeof iso_3166_alpha2 / sizeof iso_3166_alpha2[0],
                   sizeof iso_3166_alpha2[0], country_compare) != NULL;
}

/* *kind and the output stay NONE and "" on every failure: they are only written
 * after all checks pass. */
static int refuse(const char *shown, alvd_err *err, const char *why)
{
    /* shown is only ever letters and digits (or ""), so the sentence stays clean
     * ASCII whatever the input was. */
    if (shown[0] != '\0')
        return alvd_err_set(err, 422, "bad_tracking_code", "tracking_code",
                            "Track & trace-code \"%.20s\" is ongeldig: %s Geldig is een "
                            "S10-code zoals RR123456785NL (2 letters, 8 cijfers met controlecijfer, "
                            "2 letters landcode) of een PostNL-code die begint met 3S en 13 of 15 "
                            "letters en cijfers telt.",
                            shown, why);
    return alvd_err_set(err, 422, "bad_tracking_code", "tracking_code",
                        "Track & trace-code is ongeldig: %s Geldig is een "
                        "S10-code zoals RR123456785NL (2 letters, 8 cijfers met controlecijfer, "
                        "2 letters landcode) of een PostNL-code die begint met 3S en 13 of 15 "
                        "letters en cijfers telt.",
                        why);
}

int rules_tracking_parse(const char *input, rules_tracking_kind *kind,
                         char normalised[RULES_TRACKING_CODE_SIZE], alvd_err *err)
{
    char code[RULES_TRACKING_INPUT_MAX + 1];
    size_t length = 0;

    *kind = RULES_TRACKING_NONE;
    normalised[0] = '\0';
    if (input == NULL || strnlen(input, RULES_TRACKING_INPUT_MAX + 1) > RULES_TRACKING_INPUT_MAX)
        return refuse("", err, "de invoer ontbreekt of is te lang.");

    /* Dropping every whitespace character trims and removes inner spaces in one pass
     * (PostNL prints codes in groups: "3S ABCD 1234567"). */
    for (const char *p = input; *p != '\0'; p++) {
        char c = *p;
        if (is_space(c))
            continue;
        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        code[length++] = c;
    }
    code[length] = '\0';

    if (length == 0)
        return refuse(code, err, "er is geen code ingevuld.");
    for (size_t i = 0; i < length; i++)
        if (!is_upper(code[i]) && !is_digit(code[i]))
            return refuse("", err, "een code bevat alleen letters en cijfers.");

    if (length >= 2 && code[0] == '3' && code[1] == 'S') {
        if (length != 13 && length != 15)
            return refuse(code, err,
                          "een PostNL-code telt 13 of 15 tekens.");
        *kind = RULES_TRACKING_POSTNL_3S;
    } else {
        if (length != 13)
            return refuse(code, err, "een S10-code telt 13 tekens.");
        if (!is_upper(code[0]) || !is_upper(code[1]) || !is_upper(code[11]) ||
            !is_upper(code[12]))
            return refuse(code, err,
                          "een S10-code begint en eindigt met 2 letters.");
        for (int i = 2; i < 11; i++)
            if (!is_digit(code[i]))
                return refuse(code, err,
                              "tussen de letters van een S10-code staan 9 cijfers.");
        if (rules_s10_check_digit(code + 2) != code[10] - '0')
            return refuse(code, err,
                          "het controlecijfer van de S10-code klopt niet.");
        if (!rules_iso_country_is_assigned(code + 11))
            return refuse(code, err,
                          "de laatste 2 letters van een S10-code zijn de landcode van het postbedrijf (ISO 3166-1, "
                          "zoals NL, BE of DE); deze landcode bestaat niet.");
        *kind = RULES_TRACKING_S10;
    }
    memcpy(normalised, code, length + 1);
    return 0;
}
