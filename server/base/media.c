/* Attachment checks for the meldpunt: recognise PDF/JPEG/PNG by their first bytes and
 * rewrite JPEG and PNG without the segments and chunks that carry camera, GPS or author data. */
#include "alvd/base/media.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const unsigned char media_png_signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

media_type media_detect(const unsigned char *data, size_t length)
{
    if (length >= 5 && memcmp(data, "%PDF-", 5) == 0)
        return MEDIA_PDF;
    if (length >= 4 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
        return MEDIA_JPEG;
    if (length >= 8 && memcmp(data, media_png_signature, 8) == 0)
        return MEDIA_PNG;
    return MEDIA_UNKNOWN;
}

const char *media_content_type(media_type type)
{
    switch (type) {
    case MEDIA_PDF: return "application/pdf";
    case MEDIA_JPEG: return "image/jpeg";
    case MEDIA_PNG: return "image/png";
    case MEDIA_UNKNOWN: break;
    }
    return "application/octet-stream";
}

const char *media_extension(media_type type)
{
    switch (type) {
    case MEDIA_PDF: return "pdf";
    case MEDIA_JPEG: return "jpg";
    case MEDIA_PNG: return "png";
    case MEDIA_UNKNOWN: break;
    }
    return "bin";
}

static int media_bad(alvd_err *err)
{
    return alvd_err_set(err, 422, "bad_file", "attachments",
                        "Een bijlage is beschadigd of geen echte PDF, JPEG of PNG.");
}

static int media_strip_jpeg(const unsigned char *data, size_t length, unsigned char *out,
                            size_t *used, alvd_err *err)
{
    size_t at = 2;
    memcpy(out, data, 2); /* SOI */
    *used = 2;
    for (;;) {
        if (at >= length || data[at] != 0xff)
            return media_bad(err);
        while (at < length && data[at] == 0xff) /* fill bytes */
            at++;
        if (at >= length)
            return media_bad(err);
        unsigned char marker = data[at++];
        if (marker == 0xd9) { /* EOI without a scan */
            out[(*used)++] = 0xff;
            out[(*used)++] = marker;
            return 0;
        }
        if ((marker >= 0xd0 && marker <= 0xd7) || marker == 0x01) {
            out[(*used)++] = 0xff;
            out[(*used)++] = marker;
            continue;
        }
        if (at + 2 > length)
            return media_bad(err);
        size_t segment = ((size_t)data[at] << 8) | data[at + 1];
        if (segment < 2 || at + segment > length)
            return media_bad(err);
        int drop = (marker >= 0xe1 && marker <= 0xef) || marker == 0xfe;
        if (marker == 0xda) { /* start of scan: the rest is image data, copied as is */
            out[(*used)++] = 0xff;
            out[(*used)++] = marker;
            memcpy(out + *used, data + at, length - at);
            *used += length - at;
            return 0;
        }
        if (!drop) {
            out[(*used)++] = 0xff;
            out[(*used)++] = marker;
            memcpy(out + *used, data + at, segment);
            *used += segment;
        }
        at += segment;
    }
}

static int media_strip_png(const unsigned char *data, size_t length, unsigned char *out,
                           size_t *used, alvd_err *err)
{
    static const char *const dropped[] = {"tEXt", "zTXt", "iTXt", "eXIf", "tIME"};
    size_t at = 8;
    memcpy(out, data, 8);
    *used = 8;
    while (at + 12 <= length) {
        uint32_t chunk = ((uint32_t)data[at] << 24) | ((uint32_t)data[at + 1] << 16) |
                         ((uint32_t)data[at + 2] << 8) | data[at + 3];
        if ((size_t)chunk > length - at - 12)
            return media_bad(err);
        size_t total = 12 + (size_t)chunk;
        int drop = 0;
        for (size_t i = 0; i < sizeof dropped / sizeof dropped[0]; i++)
            if (memcmp(data + at + 4, dropped[i], 4) == 0)
                drop = 1;
        if (!drop) {
            memcpy(out + *used, data + at, total);
            *used += total;
        }
        int end = memcmp(data + at + 4, "IEND", 4) == 0;
        at += total;
        if (end)
            return 0;
    }
    return media_bad(err);
}

int media_strip_metadata(media_type type, const unsigned char *data, size_t length,
                         unsigned char **out, size_t *out_length, alvd_err *err)
{
    *out = NULL;
    *out_length = 0;
    if (media_detect(data, length) != type || type == MEDIA_UNKNOWN)
        return media_bad(err);
    unsigned char *copy = malloc(length ? length : 1);
    if (copy == NULL)
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    size_t used = 0;
    int rc = 0;
    if (type == MEDIA_JPEG) {
        rc = media_strip_jpeg(data, length, copy, &used, err);
    } else if (type == MEDIA_PNG) {
        rc = media_strip_png(data, length, copy, &used, err);
    } else {
        memcpy(copy, data, length);
        used = length;
    }
    if (rc != 0) {
        free(copy);
        return -1;
    }
    *out = copy;
    *out_length = used;
    return 0;
}
