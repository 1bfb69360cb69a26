/* QR rendering: libqrencode gives the module matrix; SVG is one path of unit squares,
 * PNG is a 1-bit grayscale image in a zlib stream of stored (uncompressed) blocks. */
#include "alvd/crypto/qr.h"

#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/base/buf.h"

#define QR_SVG_CAP (512 * 1024)
#define QR_PNG_CAP (4 * 1024 * 1024)
#define QR_STORED_BLOCK_MAX 65535

static QRcode *qr_encode(const char *text, alvd_err *err)
{
    QRcode *code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (code == NULL)
        alvd_err_set(err, 500, "qr_failed", NULL, "De QR-code kon niet worden gemaakt.");
    return code;
}

static int qr_dark(const QRcode *code, int x, int y)
{
    return code->data[(size_t)y * (size_t)code->width + (size_t)x] & 1;
}

int qr_svg(const char *text, char **svg, size_t *length, alvd_err *err)
{
    QRcode *code = qr_encode(text, err);
    if (code == NULL)
        return -1;
    int size = code->width + 2 * QR_QUIET_ZONE_MODULES;
    alvd_buf buf;
    buf_init(&buf, QR_SVG_CAP);
    buf_appendf(&buf,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
                "shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"QR-code\">"
                "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
                size, size, size, size);
    /* Runs of dark modules in a row become one rectangle: a short path. */
    for (int y = 0; y < code->width; y++) {
        for (int x = 0; x < code->width;) {
            if (!qr_dark(code, x, y)) {
                x++;
                continue;
            }
            int run = 1;
            while (x + run < code->width && qr_dark(code, x + run, y))
                run++;
            buf_appendf(&buf, "M%d %dh%dv1h-%dz", x + QR_QUIET_ZONE_MODULES, y + QR_QUIET_ZONE_MODULES,
                        run, run);
            x += run;
        }
    }
    buf_append_str(&buf, "\"/></svg>\n");
    QRcode_free(code);
    if (buf.overflowed) {
        buf_free(&buf);
        return alvd_err_set(err, 500, "qr_failed", NULL, "De QR-code is te groot.");
    }
    *svg = buf_take(&buf, length);
    return 0;
}

uint32_t qr_crc32(uint32_t crc, const unsigned char *data, size_t length)
{
    crc = ~crc;
    for (size_t i = 0; i < length; i++) {
        crc ^= data[i];
        for (int bit = 0; bit < 8; bit++)
            crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

uint32_t qr_adler32(uint32_t adler, const unsigned char *data, size_t length)
{
    uint32_t a = adler & 0xffff, b = adler >> 16;
    for (size_t i = 0; i < length; i++) {
        a = (a + data[i]) % 65521u;
        b = (b + a) % 65521u;
    }
    return (b << 16) | a;
}

static void qr_put_u32(unsigned char *out, uint32_t value)
{
    out[0] = (unsigned char)(value >> 24);
    out[1] = (unsigned char)(value >> 16);
    out[2] = (unsigned char)(value >> 8);
    out[3] = (unsigned char)value;
}

static void qr_png_chunk(alvd_buf *buf, const char type[4], const unsigned char *data, size_t length)
{
    unsigned char header[8];
    qr_put_u32(header, (uint32_t)length);
    memcpy(header + 4, type, 4);
    buf_append(buf, header, 8);
    if (length)
        buf_append(buf, data, length);
    uint32_t crc = qr_crc32(0, (const unsigned char *)type, 4);
    crc = qr_crc32(crc, data, length);
    unsigned char trailer[4];
    qr_put_u32(trailer, crc);
    buf_append(buf, trailer, 4);
}

int qr_png(const char *text, int scale, char **png, size_t *length, alvd_err *err)
{
    if (scale < 1 || scale > 32)
        return alvd_err_set(err, 400, "bad_scale", "scale", "Schaal moet tussen 1 en 32 liggen.");
    QRcode *code = qr_encode(text, err);
    if (code == NULL)
        return -1;
    int rc = -1;
    unsigned char *raw = NULL, *zlib = NULL;
    alvd_buf buf;
    buf_init(&buf, QR_PNG_CAP);
    size_t pixels = (size_t)(code->width + 2 * QR_QUIET_ZONE_MODULES) * (size_t)scale;
    size_t row_bytes = 1 + (pixels + 7) / 8; /* filter byte + 1 bit per pixel */
    size_t raw_length = row_bytes * pixels;
    if (raw_length > QR_PNG_CAP / 2) {
        alvd_err_set(err, 500, "qr_failed", NULL, "De QR-afbeelding is te groot.");
        goto fail;
    }
    raw = calloc(raw_length, 1);
    size_t blocks = raw_length / QR_STORED_BLOCK_MAX + 1;
    size_t zlib_length = 2 + raw_length + blocks * 5 + 4;
    zlib = malloc(zlib_length);
    if (raw == NULL || zlib == NULL) {
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        goto fail;
    }
    /* Grayscale depth 1: bit 1 is white. Filter 0 (None) on every row. */
    for (size_t py = 0; py < pixels; py++) {
        unsigned char *row = raw + py * row_bytes + 1;
        int my = (int)(py / (size_t)scale) - QR_QUIET_ZONE_MODULES;
        for (size_t px = 0; px < pixels; px++) {
            int mx = (int)(px / (size_t)scale) - QR_QUIET_ZONE_MODULES;
            int dark = mx >= 0 && my >= 0 && mx < code->width && my < code->width && qr_dark(code, mx, my);
            if (!dark)
                row[px / 8] |= (unsigned char)(0x80u >> (px % 8));
        }
    }
    /* zlib header (deflate, 32K window, no dictionary; 0x7801 passes the check). */
    size_t at = 0;
    zlib[at++] = 0x78;
    zlib[at++] = 0x01;
    for (size_t offset = 0; offset < raw_length || offset == 0;) {
        size_t chunk = raw_length - offset;
        if (chunk > QR_STORED_BLOCK_MAX)
            chunk = QR_STORED_BLOCK_MAX;
        int final = offset + chunk == raw_length;
        zlib[at++] = (unsigned char)(final ? 1 : 0); /* BFINAL, BTYPE 00 = stored */
        zlib[at++] = (unsigned char)(chunk & 0xff);
        zlib[at++] = (unsigned char)(chunk >> 8);
        zlib[at++] = (unsigned char)(~chunk & 0xff);
        zlib[at++] = (unsigned char)((~chunk >> 8) & 0xff);
        memcpy(zlib + at, raw + offset, chunk);
        at += chunk;
        offset += chunk;
        if (final)
            break;
    }
    qr_put_u32(zlib + at, qr_adler32(1, raw, raw_length));
    at += 4;

    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char header[13];
    qr_put_u32(header, (uint32_t)pixels);
    qr_put_u32(header + 4, (uint32_t)pixels);
    header[8] = 1;  /* bit depth */
    header[9] = 0;  /* grayscale */
    header[10] = 0; /* deflate */
    header[11] = 0; /* filter method 0 */
    header[12] = 0; /* no interlace */
    buf_append(&buf, signature, sizeof signature);
    qr_png_chunk(&buf, "IHDR", header, sizeof header);
    qr_png_chunk(&buf, "IDAT", zlib, at);
    qr_png_chunk(&buf, "IEND", NULL, 0);
    if (buf.overflowed) {
        alvd_err_set(err, 500, "qr_failed", NULL, "De QR-afbeelding is te groot.");
        goto fail;
    }
    *png = buf_take(&buf, length);
    rc = 0;
fail:
    QRcode_free(code);
    free(raw);
    free(zlib);
    buf_free(&buf);
    return rc;
}
