/* KvK-nummer validation: 8 digits after trimming. There is no public check digit
 * for KvK numbers, so length and digits are all that can be verified offline. */
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
    size_t start = 0, end = length;
    while (start < end && is_space(input[start]))
        start++;
    while (end > start && is_space(input[end - 1]))
        end--;
    if (end - start != 8)
        goto bad;
    for (size_t i = start; i < end; i++)
        if (input[i] < '0' || input[i] > '9')
            goto bad;
    memcpy(out, input + start, 8);
    out[8] = '\0';
    return 0;
bad:
    return alvd_err_set(err, 422, "bad_kvk", "kvk",
                        "Een KvK-nummer bestaat uit precies 8 cijfers, bijvoorbeeld 12345678.");
}
