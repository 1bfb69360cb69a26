/* The Chamber of Commerce (KvK) number of an organisation in the register:
 * exactly 8 digits, kept as text because leading zeros are significant. */
#ifndef ALVD_RULES_KVK_H
#define ALVD_RULES_KVK_H

#include "alvd/base/err.h"

#define RULES_KVK_SIZE 9         /* 8 digits + NUL */
#define RULES_KVK_INPUT_MAX 64   /* longer raw input is refused without scanning further */

/* Drop spaces and dots (people write "12 34 56 78") and require exactly 8 ASCII
 * digits and nothing else. Returns 0 and
 * writes the digits into out (RULES_KVK_SIZE bytes), or -1 with 422 "bad_kvk"
 * (field "kvk") and out set to "". */
int rules_kvk_parse(const char *input, char out[RULES_KVK_SIZE], alvd_err *err);

#endif
