/* libFuzzer: word diff of two texts (split at the first NUL); the script must
 * rebuild both texts exactly, and rendering must not fail. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/rules/diff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    const char *split = memchr(text, '\0', size);
    size_t old_length = split ? (size_t)(split - text) : size / 2;
    const char *new_text = split ? split + 1 : text + old_length;
    size_t new_length = size - old_length - (split ? 1 : 0);
    rules_diff diff;
    alvd_err err;
    alvd_err_clear(&err);
    if (rules_diff_words(text, old_length, new_text, new_length, 0, &diff, &err) != 0)
        return 0;
    size_t old_seen = 0, new_seen = 0;
    for (size_t i = 0; i < diff.count; i++) {
        const rules_diff_segment *segment = &diff.segments[i];
        if (segment->op != RULES_DIFF_INSERT) {
            if (old_seen + segment->length > old_length ||
                memcmp(text + old_seen, segment->text, segment->length) != 0)
                abort();
            old_seen += segment->length;
        }
        if (segment->op != RULES_DIFF_DELETE) {
            if (new_seen + segment->length > new_length ||
                memcmp(new_text + new_seen, segment->text, segment->length) != 0)
                abort();
            new_seen += segment->length;
        }
    }
    if (old_seen != old_length || new_seen != new_length)
        abort();
    char *html = NULL;
    size_t html_length = 0;
    if (rules_diff_render_html(&diff, &html, &html_length, &err) == 0)
        free(html);
    rules_diff_free(&diff);
    return 0;
}
