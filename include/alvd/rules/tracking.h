/* R6: normalising and validating the track & trace code of a registered letter,
 * either a UPU S10 code with its check digit or a PostNL "3S" barcode. */
#ifndef ALVD_RULES_TRACKING_H
#define ALVD_RULES_TRACKING_H

#include "alvd/base/err.h"

#define RULES_TRACKING_CODE_SIZE 16   /* longest valid code (15) + NUL */
#define RULES_TRACKING_INPUT_MAX 64   /* longer raw input is refused before normalising */

typedef enum rules_tracking_kind {
    RULES_TRACKING_NONE = 0,
    RULES_TRACKING_S10 = 1,      /* e.g. RR123456785NL */
    RULES_TRACKING_POSTNL_3S = 2 /* 3S + letters/digits, 13 or 15 characters */
} rules_tracking_kind;

/* "s10", "postnl_3s" or "" (static). */
const char *rules_tracking_kind_name(rules_tracking_kind kind);

/* The S10 check digit (0..9) of 8 serial digits, or -1 when serial is not 8 digits.
 * Weights 8,6,4,2,3,5,9,7; check = 11 − (sum mod 11), 10 → 0, 11 → 5. */
int rules_s10_check_digit(const char *serial);

/* 1 when the first two characters are an assigned ISO 3166-1 alpha-2 country code
 * (upper case), as the last two letters of an S10 code must be. */
int rules_iso_country_is_assigned(const char *two_letters);

/* Normalise (trim, drop inner whitespace, upper-case ASCII) and validate input.
 * On success returns 0, sets *kind and writes the normalised code into normalised
 * (RULES_TRACKING_CODE_SIZE bytes). On failure returns -1 with 422
 * "bad_tracking_code" (field "tracking_code"), a Dutch sentence saying what would
 * pass; *kind and normalised are then left as RULES_TRACKING_NONE and "". */
int rules_tracking_parse(const char *input, rules_tracking_kind *kind,
                         char normalised[RULES_TRACKING_CODE_SIZE], alvd_err *err);

#endif
