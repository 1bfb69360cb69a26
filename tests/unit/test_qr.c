/* Unit tests for server/crypto/qr.c: checksums against known values, a well-formed PNG
 * (signature, IHDR size, chunk CRCs) and an SVG with one path and the quiet zone. */
#include "alvd/crypto/qr.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"

static uint32_t read_u32(const unsigned char *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

int main(void)
{
    const unsigned char *check_text = (const unsigned char *)"123456789";
    CHECK_INT(qr_crc32(0, check_text, 9), 0xCBF43926u, "CRC-32 check value");
    CHECK_INT(qr_adler32(1, (const unsigned char *)"Wikipedia", 9), 0x11E60398u, "Adler-32 of Wikipedia");

    alvd_err err;
    alvd_err_clear(&err);
    const char *url = "http://127.0.0.1:8080/t/AQAAAAAAAAABAAAAAAAAAAEAAQIDBAUGBwgJCgsMDQ4P";
    char *png = NULL;
    size_t length = 0;
    CHECK_INT(qr_png(url, 4, &png, &length, &err), 0, "png made");
    const unsigned char *bytes = (const unsigned char *)png;
    CHECK(length > 100 && memcmp(bytes, "\x89PNG\r\n\x1a\n", 8) == 0, "PNG signature");
    CHECK(memcmp(bytes + 12, "IHDR", 4) == 0, "IHDR first");
    uint32_t width = read_u32(bytes + 16);
    CHECK(width % 4 == 0 && width >= (21 + 8) * 4, "width %u is modules × scale", width);
    /* walk the chunks and verify each CRC */
    size_t at = 8;
    int chunks = 0, crc_ok = 0, saw_end = 0;
    while (at + 12 <= length) {
        uint32_t chunk_length = read_u32(bytes + at);
        uint32_t crc = qr_crc32(0, bytes + at + 4, chunk_length + 4);
        chunks++;
        crc_ok += crc == read_u32(bytes + at + 8 + chunk_length);
        if (memcmp(bytes + at + 4, "IEND", 4) == 0)
            saw_end = 1;
        at += 12 + chunk_length;
    }
    CHECK_INT(at, length, "chunks fill the file");
    CHECK_INT(chunks, 3, "IHDR, IDAT, IEND");
    CHECK_INT(crc_ok, chunks, "every chunk CRC");
    CHECK(saw_end, "IEND present");
    free(png);
    CHECK_INT(qr_png(url, 0, &png, &length, &err), -1, "scale 0 refused");

    char *svg = NULL;
    CHECK_INT(qr_svg(url, &svg, &length, &err), 0, "svg made");
    CHECK(strstr(svg, "<svg") != NULL, "svg element");
    CHECK(strstr(svg, "<path") != NULL && strstr(strstr(svg, "<path") + 1, "<path") == NULL, "one path");
    CHECK(strstr(svg, "viewBox=\"0 0 ") != NULL, "viewBox in modules");
    /* the first dark module sits inside the 4-module quiet zone: path starts at M4 4 */
    CHECK(strstr(svg, "d=\"M4 4h") != NULL, "finder pattern starts at the quiet zone edge");
    free(svg);
    return check_report("test_qr");
}
