/* Uploaded files: the type decided by the bytes (PDF, JPEG, PNG) and metadata stripped
 * (JPEG APPn except JFIF, COM; PNG text, eXIf, tIME; PDF Info and XMP) before storage. */
#ifndef ALVD_BASE_MEDIA_H
#define ALVD_BASE_MEDIA_H

#include <stddef.h>

#include "alvd/base/err.h"

typedef enum media_type { MEDIA_UNKNOWN = 0, MEDIA_PDF, MEDIA_JPEG, MEDIA_PNG } media_type;

/* The type by magic bytes only (the name or a declared type are never trusted). */
media_type media_detect(const unsigned char *data, size_t length);
/* "application/pdf", "image/jpeg", "image/png"; "application/octet-stream" otherwise. */
const char *media_content_type(media_type type);
/* "pdf", "jpg", "png", "bin". */
const char *media_extension(media_type type);

/* A copy of data without metadata: for JPEG every APP1..APP15 and COM segment before
 * the scan is dropped (APP0/JFIF kept); for PNG the tEXt, zTXt, iTXt, eXIf and tIME
 * chunks are dropped; for PDF the information dictionaries of every revision and every
 * XMP metadata stream are overwritten with spaces in place (offsets unchanged; see
 * media.c), and a PDF whose information dictionary sits in a compressed object stream
 * is refused with 422 "pdf_metadata". Malformed JPEG/PNG structure → -1 with 422
 * "bad_file". *out is malloc'd, *out_length its size. */
int media_strip_metadata(media_type type, const unsigned char *data, size_t length,
                         unsigned char **out, size_t *out_length, alvd_err *err);

#endif
