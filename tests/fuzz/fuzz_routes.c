/* libFuzzer: "METHOD path" → route matching (parameters, 404/405, Allow list). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/http/routes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    char *space = strchr(text, ' ');
    const char *method = "GET";
    const char *path = text;
    if (space) {
        *space = '\0';
        method = text;
        path = space + 1;
    }
    routes_match match;
    int known = 0;
    char allowed[64];
    (void)routes_find(method, path, &match, &known, allowed, sizeof allowed);
    free(text);
    return 0;
}
