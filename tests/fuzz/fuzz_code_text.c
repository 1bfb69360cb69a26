/* libFuzzer: the Code Markdown importer (numbered articles, lettered norms). */
#include <stddef.h>
#include <stdint.h>

#include "alvd/rules/code_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    rules_code_text text;
    alvd_err err;
    alvd_err_clear(&err);
    if (rules_code_text_parse((const char *)data, size, &text, &err) == 0)
        rules_code_text_free(&text);
    return 0;
}
