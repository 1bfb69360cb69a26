/* QR codes of ticket URLs (libqrencode, level M) drawn as SVG (one <path>, viewBox in
 * modules, 4-module quiet zone) and as a 1-bit PNG written here (stored deflate blocks). */
#ifndef ALVD_CRYPTO_QR_H
#define ALVD_CRYPTO_QR_H

#include <stddef.h>
#include <stdint.h>

#include "alvd/base/err.h"

#define QR_QUIET_ZONE_MODULES 4
#define QR_PNG_SCALE_DEFAULT 8

/* SVG text for text; *svg is malloc'd (caller frees), *length its size. */
int qr_svg(const char *text, char **svg, size_t *length, alvd_err *err);
/* PNG bytes for text, scale pixels per module (1..32); *png malloc'd, caller frees. */
int qr_png(const char *text, int scale, char **png, size_t *length, alvd_err *err);

/* CRC-32 (PNG chunks) and Adler-32 (zlib stream), exposed for the unit test. */
uint32_t qr_crc32(uint32_t crc, const unsigned char *data, size_t length);
uint32_t qr_adler32(uint32_t adler, const unsigned char *data, size_t length);

#endif
