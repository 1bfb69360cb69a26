/* libFuzzer: attachment metadata stripping (the PDF walk, object-stream re-deflation,
 * JPEG segments, PNG chunks) on untrusted bytes; a stripped PDF keeps its length. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/base/media.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The first byte picks the declared type (0 PDF, 1 JPEG, 2 PNG); the rest is the file. */
    if (size < 1)
        return 0;
    media_type type = (media_type)(data[0] % 3 + 1);
    unsigned char *out = NULL;
    size_t length = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (media_strip_metadata(type, data + 1, size - 1, &out, &length, &err) == 0) {
        if (type == MEDIA_PDF && length != size - 1)
            abort();
        free(out);
    }
    return 0;
}
