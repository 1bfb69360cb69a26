/* libFuzzer: track & trace codes (PostNL 3S, S10 with check digit) and KvK numbers. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/rules/kvk.h"
#include "alvd/rules/tracking.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    rules_tracking_kind kind;
    char normalised[RULES_TRACKING_CODE_SIZE];
    char kvk[RULES_KVK_SIZE];
    alvd_err err;
    alvd_err_clear(&err);
    (void)rules_tracking_parse(text, &kind, normalised, &err);
    (void)rules_kvk_parse(text, kvk, &err);
    free(text);
    return 0;
}
