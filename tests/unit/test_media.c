/* Unit tests for server/base/media.c: type by magic bytes and metadata stripping of
 * JPEG (APP1/EXIF, COM) and PNG (tEXt, eXIf, tIME), with malformed input refused. */
#include "alvd/base/media.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"

static void test_detect(void)
{
    static const unsigned char pdf[] = "%PDF-1.7\n";
    static const unsigned char jpeg[] = {0xff, 0xd8, 0xff, 0xe0, 0, 16};
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0};
    static const unsigned char html[] = "<html><script>";
    CHECK_INT(media_detect(pdf, sizeof pdf - 1), MEDIA_PDF, "pdf");
    CHECK_INT(media_detect(jpeg, sizeof jpeg), MEDIA_JPEG, "jpeg");
    CHECK_INT(media_detect(png, sizeof png), MEDIA_PNG, "png");
    CHECK_INT(media_detect(html, sizeof html - 1), MEDIA_UNKNOWN, "html refused");
    CHECK_INT(media_detect(pdf, 3), MEDIA_UNKNOWN, "too short");
    CHECK_STR(media_content_type(MEDIA_PNG), "image/png", "png type");
    CHECK_STR(media_extension(MEDIA_JPEG), "jpg", "jpeg extension");
}

static void test_jpeg(void)
{
    /* SOI, APP0 JFIF, APP1 Exif with GPS text, COM, DQT, SOS + data, EOI. */
    static const unsigned char jpeg[] = {
        0xff, 0xd8,
        0xff, 0xe0, 0x00, 0x07, 'J', 'F', 'I', 'F', 0,
        0xff, 0xe1, 0x00, 0x0a, 'E', 'x', 'i', 'f', 'G', 'P', 'S', '!',
        0xff, 0xfe, 0x00, 0x06, 'A', 'n', 'n', 'a',
        0xff, 0xdb, 0x00, 0x04, 0x01, 0x02,
        0xff, 0xda, 0x00, 0x03, 0x00, 0x11, 0x22, 0xff, 0x00, 0x33,
        0xff, 0xd9};
    unsigned char *out = NULL;
    size_t length = 0;
    alvd_err err;
    alvd_err_clear(&err);
    CHECK(media_strip_metadata(MEDIA_JPEG, jpeg, sizeof jpeg, &out, &length, &err) == 0, "strip: %s",
          err.message);
    CHECK(memmem(out, length, "Exif", 4) == NULL, "EXIF gone");
    CHECK(memmem(out, length, "GPS", 3) == NULL, "GPS gone");
    CHECK(memmem(out, length, "Anna", 4) == NULL, "comment gone");
    CHECK(memmem(out, length, "JFIF", 4) != NULL, "JFIF kept");
    CHECK_INT(length, sizeof jpeg - 12 - 8, "only the two segments removed");
    CHECK(out[length - 2] == 0xff && out[length - 1] == 0xd9, "EOI kept");
    CHECK_INT(media_detect(out, length), MEDIA_JPEG, "still a JPEG");
    free(out);
    /* A segment length running past the end is refused. */
    unsigned char broken[sizeof jpeg];
    memcpy(broken, jpeg, sizeof jpeg);
    broken[13] = 0x7f;
    alvd_err_clear(&err);
    CHECK(media_strip_metadata(MEDIA_JPEG, broken, sizeof broken, &out, &length, &err) != 0, "broken refused");
    CHECK_STR(err.code, "bad_file", "broken code");
    CHECK(out == NULL, "nothing returned");
    /* Declared JPEG but PNG bytes: refused. */
    CHECK(media_strip_metadata(MEDIA_PNG, jpeg, sizeof jpeg, &out, &length, &err) != 0, "type mismatch");
}

static size_t png_chunk(unsigned char *out, const char *type, const char *data)
{
    size_t length = strlen(data);
    out[0] = 0;
    out[1] = 0;
    out[2] = (unsigned char)(length >> 8);
    out[3] = (unsigned char)length;
    memcpy(out + 4, type, 4);
    memcpy(out + 8, data, length);
    memset(out + 8 + length, 0xab, 4); /* CRC is not checked here */
    return 12 + length;
}

static void test_png(void)
{
    unsigned char png[256];
    size_t used = 8;
    memcpy(png, (const unsigned char[]){0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 8);
    used += png_chunk(png + used, "IHDR", "0123456789abc");
    used += png_chunk(png + used, "tEXt", "Author\0");
    used += png_chunk(png + used, "iTXt", "Comment Piet");
    used += png_chunk(png + used, "eXIf", "GPSDATA");
    used += png_chunk(png + used, "tIME", "1234567");
    used += png_chunk(png + used, "IDAT", "pixels");
    used += png_chunk(png + used, "IEND", "");
    unsigned char *out = NULL;
    size_t length = 0;
    alvd_err err;
    alvd_err_clear(&err);
    CHECK(media_strip_metadata(MEDIA_PNG, png, used, &out, &length, &err) == 0, "strip: %s", err.message);
    CHECK(memmem(out, length, "Author", 6) == NULL, "tEXt gone");
    CHECK(memmem(out, length, "Piet", 4) == NULL, "iTXt gone");
    CHECK(memmem(out, length, "GPSDATA", 7) == NULL, "eXIf gone");
    CHECK(memmem(out, length, "tIME", 4) == NULL, "tIME gone");
    CHECK(memmem(out, length, "IHDR", 4) != NULL && memmem(out, length, "pixels", 6) != NULL, "image kept");
    CHECK_INT(length, 8 + 25 + 18 + 12, "IHDR + IDAT + IEND");
    free(out);
    /* Without IEND the file is incomplete. */
    alvd_err_clear(&err);
    CHECK(media_strip_metadata(MEDIA_PNG, png, used - 12, &out, &length, &err) != 0, "no IEND refused");
}

static int pdf_strip(const char *text, unsigned char **out, size_t *length, alvd_err *err)
{
    alvd_err_clear(err);
    return media_strip_metadata(MEDIA_PDF, (const unsigned char *)text, strlen(text), out, length, err);
}

static void test_pdf(void)
{
    static const char plain[] = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n";
    unsigned char *out = NULL;
    size_t length = 0;
    alvd_err err;
    CHECK(pdf_strip(plain, &out, &length, &err) == 0, "pdf copied");
    CHECK(length == sizeof plain - 1 && memcmp(out, plain, length) == 0, "a pdf without metadata is unchanged");
    free(out);

    /* Info in the trailer, an XMP stream with a filter entry, a content stream whose bytes
     * look like an Info object (must stay: it is content), and an incremental update
     * whose own Info names a second author. */
    static const char pdf[] =
        "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
        "1 0 obj\n<< /Type /Catalog /Pages 2 0 R /Metadata 5 0 R >>\nendobj\n"
        "2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
        "3 0 obj\n<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>\nendobj\n"
        "4 0 obj\n<< /Length 38 >>\nstream\n9 0 obj << /Author (Inhoud blijft) >>\n\nendstream\nendobj\n"
        "5 0 obj\n<< /Type /Metadata /Subtype /XML /Length 96 /Filter [] >>\nstream\n"
        "<?xpacket begin='' id='x'?><dc:creator>Gerrit Zeldzaam</dc:creator><?xpacket end='w'?>         \n"
        "endstream\nendobj\n"
        "6 0 obj\n<< /Author (Gerrit Zeldzaam) /Creator (Word \\(nl\\)) /CreationDate (D:20261207) "
        "/Custom << /Nested (Afdeling X) >> >>\nendobj\n"
        "xref\n0 7\n0000000000 65535 f \ntrailer\n<< /Size 7 /Root 1 0 R /Info 6 0 R >>\nstartxref\n0\n%%EOF\n"
        "7 0 obj\n<< /Author (Tweede Auteur) /Producer (Scanner-app) >>\nendobj\n"
        "xref\n7 1\n0000000000 00000 n \ntrailer\n<< /Size 8 /Root 1 0 R /Info 7 0 R /Prev 0 >>\nstartxref\n0\n%%EOF\n";
    CHECK(pdf_strip(pdf, &out, &length, &err) == 0, "pdf stripped: %s", err.message);
    CHECK_INT(length, sizeof pdf - 1, "same length: every offset unchanged");
    CHECK(memmem(out, length, "Gerrit", 6) == NULL, "author of the Info and of the XMP gone");
    CHECK(memmem(out, length, "Tweede Auteur", 13) == NULL, "author of the incremental update gone");
    CHECK(memmem(out, length, "Scanner-app", 11) == NULL, "producer gone");
    CHECK(memmem(out, length, "Word", 4) == NULL, "creator with escaped parentheses gone");
    CHECK(memmem(out, length, "Afdeling", 8) == NULL, "nested custom key gone");
    CHECK(memmem(out, length, "xpacket", 7) == NULL, "the XMP packet gone");
    CHECK(memmem(out, length, "/Filter", 7) == NULL, "the metadata stream's filter gone");
    CHECK(memmem(out, length, "Inhoud blijft", 13) != NULL, "content stream untouched");
    CHECK(memmem(out, length, "/Type /Metadata /Subtype /XML /Length 96", 40) != NULL, "the stream keeps its length");
    CHECK(memmem(out, length, "6 0 obj\n<<", 10) != NULL, "the Info object stays an (empty) dictionary");
    CHECK(memmem(out, length, "/Info 6 0 R", 11) != NULL && memmem(out, length, "/Info 7 0 R", 11) != NULL,
          "trailers unchanged");
    for (size_t i = 0; i < length; i++)
        if (out[i] != (unsigned char)pdf[i] && out[i] != ' ') {
            CHECK(0, "byte %zu changed to something other than a space", i);
            break;
        }
    free(out);

    /* An xref stream's /Info, and an Info that lives compressed in an object stream. */
    static const char xref_stream[] =
        "%PDF-1.5\n"
        "1 0 obj\n<< /Author (Gerrit Zeldzaam) >>\nendobj\n"
        "2 0 obj\n<< /Type /XRef /Size 3 /Info 1 0 R /Root 3 0 R /Length 4 >>\nstream\nabcd\nendstream\nendobj\n"
        "startxref\n0\n%%EOF\n";
    CHECK(pdf_strip(xref_stream, &out, &length, &err) == 0, "xref stream: %s", err.message);
    CHECK(memmem(out, length, "Gerrit", 6) == NULL, "Info named by an xref stream gone");
    free(out);
    static const char compressed[] =
        "%PDF-1.5\n"
        "4 0 obj\n<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length 4 >>\nstream\n\x78\x9c\x03\x01\nendstream\nendobj\n"
        "2 0 obj\n<< /Type /XRef /Size 5 /Info 1 0 R /Root 3 0 R /Length 4 >>\nstream\nabcd\nendstream\nendobj\n"
        "startxref\n0\n%%EOF\n";
    out = (unsigned char *)"untouched";
    CHECK(pdf_strip(compressed, &out, &length, &err) != 0, "Info in an object stream refused");
    CHECK_STR(err.code, "pdf_metadata", "its code");
    CHECK(out == NULL, "nothing returned");
    /* Garbage after the header is copied, not a crash. */
    CHECK(pdf_strip("%PDF-1.4\n<< << (unbalanced \\) /Info 9 0 R", &out, &length, &err) == 0, "garbage: %s",
          err.message);
    free(out);
}

int main(void)
{
    test_detect();
    test_jpeg();
    test_png();
    test_pdf();
    return check_report("media");
}
