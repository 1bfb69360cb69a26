/* KvK-nummer validation: 8 digits, written in groups or not. There is no public check
 * digit for KvK numbers, so length and digits are all that can be verified offline. */
#include "alvd/rules/kvk.h"

#include <string.h>

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

int rules_kvk_parse(const char *input, char out[RULES_KVK_SIZE], alvd_err *err)
{
    out[0] = '\0';
    size_t length = input ? strnlen(input, RULES_KVK_INPUT_MAX + 1) : 0;
    if (input == NULL || length > RULES_KVK_INPUT_MAX)
        goto bad;
    /* People write the number in groups ("12 34 56 78", "1234.5678"): spaces and dots
     * are dropped, every other character must be a digit, and 8 digits must remain. */
    char digits[RULES_KVK_SIZE];
    size_t count = 0;
    for (size_t i = 0; i < length; i++) {
        char c = input[i];
        if (is_space(c) || c == '.')
            continue;
        if (c < '0' || c > '9' || count == 8)
            goto bad;
        digits[count++] = c;
    }
    if (count != 8)
        goto bad;
    memcpy(out, digits, 8);
    out[8] = '\0';
    return 0;
bad:
    return alvd_err_set(err, 422, "bad_kvk", "kvk",
                        "Een KvK-nummer bestaat uit precies 8 cijfers, bijvoorbeeld 12345678.");
}
