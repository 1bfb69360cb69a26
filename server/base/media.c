/* Attachment checks for the meldpunt: recognise PDF/JPEG/PNG by their first bytes and
 * remove the parts that carry camera, GPS or author data (JPEG segments, PNG chunks, PDF
 * information dictionaries and XMP). */
#include "alvd/base/media.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

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

/* ---------------------------------------------------------------- PDF
 * PDF metadata is removed in place: every byte keeps its offset, so the cross-reference
 * table (or stream) stays valid without rewriting the file. What goes:
 *  - the document information dictionary (/Info of every trailer and cross-reference
 *    stream, i.e. of every revision of an incrementally updated file): its entries
 *    (Author, Creator, Producer, Title, Subject, Keywords, dates, custom keys) become
 *    spaces, leaving "<< >>";
 *  - every metadata stream (/Type /Metadata: XMP for the document, a page or an image):
 *    its bytes become spaces and its /Filter and /DecodeParms entries are blanked, so it
 *    reads as an empty stream;
 *  - any other uncompressed XMP packet ("<?xpacket begin" … "<?xpacket end…?>").
 * An information dictionary inside a compressed object stream (/Type /ObjStm, FlateDecode)
 * is blanked in the inflated stream, which is deflated again into exactly its old length:
 * the deflate data ends with a sync flush and stored blocks of trailing spaces (harmless
 * after the last object) fill the rest. When that does not fit (the original was packed
 * tighter than zlib level 9 packs the blanked text) or the stream uses other filters, the
 * file is refused (422 pdf_metadata) rather than stored with the author's name. */

enum { PDF_END, PDF_NAME, PDF_NUMBER, PDF_KEYWORD, PDF_STRING, PDF_DICT_OPEN, PDF_DICT_CLOSE,
       PDF_ARRAY_OPEN, PDF_ARRAY_CLOSE, PDF_OTHER };

typedef struct pdf_token {
    int kind;
    size_t start, end; /* [start, end) */
} pdf_token;

static int pdf_white(unsigned char c)
{
    return c == 0 || c == 9 || c == 10 || c == 12 || c == 13 || c == 32;
}

static int pdf_delimiter(unsigned char c)
{
    return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ']' || c == '{' || c == '}' ||
           c == '/' || c == '%';
}

/* The next token at or after *at; comments are skipped. Never fails: bytes it does not
 * understand come back as PDF_OTHER one at a time. */
static pdf_token pdf_next(const unsigned char *data, size_t length, size_t *at)
{
    size_t i = *at;
    for (;;) {
        while (i < length && pdf_white(data[i]))
            i++;
        if (i < length && data[i] == '%') {
            while (i < length && data[i] != '\r' && data[i] != '\n')
                i++;
            continue;
        }
        break;
    }
    pdf_token token = {PDF_END, i, i};
    if (i >= length) {
        *at = i;
        return token;
    }
    unsigned char c = data[i];
    if (c == '<' && i + 1 < length && data[i + 1] == '<') {
        token.kind = PDF_DICT_OPEN;
        i += 2;
    } else if (c == '>' && i + 1 < length && data[i + 1] == '>') {
        token.kind = PDF_DICT_CLOSE;
        i += 2;
    } else if (c == '[' || c == ']') {
        token.kind = c == '[' ? PDF_ARRAY_OPEN : PDF_ARRAY_CLOSE;
        i++;
    } else if (c == '(') {
        int depth = 0;
        token.kind = PDF_STRING;
        for (; i < length; i++) {
            if (data[i] == '\\') {
                i++;
                continue;
            }
            if (data[i] == '(')
                depth++;
            else if (data[i] == ')' && --depth == 0) {
                i++;
                break;
            }
        }
    } else if (c == '<') {
        token.kind = PDF_STRING; /* a hex string */
        while (i < length && data[i] != '>')
            i++;
        if (i < length)
            i++;
    } else if (c == '/') {
        token.kind = PDF_NAME;
        i++;
        while (i < length && !pdf_white(data[i]) && !pdf_delimiter(data[i]))
            i++;
    } else if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
        token.kind = PDF_NUMBER;
        i++;
        while (i < length && ((data[i] >= '0' && data[i] <= '9') || data[i] == '.'))
            i++;
    } else if (!pdf_delimiter(c)) {
        token.kind = PDF_KEYWORD;
        while (i < length && !pdf_white(data[i]) && !pdf_delimiter(data[i]))
            i++;
    } else {
        token.kind = PDF_OTHER;
        i++;
    }
    token.end = i;
    *at = i;
    return token;
}

static int pdf_is(const unsigned char *data, pdf_token token, const char *text)
{
    size_t n = strlen(text);
    return token.end - token.start == n && memcmp(data + token.start, text, n) == 0;
}

static long long pdf_number(const unsigned char *data, pdf_token token)
{
    long long value = 0;
    for (size_t i = token.start; i < token.end && data[i] >= '0' && data[i] <= '9'; i++)
        value = value > (1LL << 40) ? value : value * 10 + (data[i] - '0');
    return value;
}

/* From a "<<" token, the offset just past its matching ">>" (or length). */
static size_t pdf_dict_end(const unsigned char *data, size_t length, pdf_token open)
{
    size_t at = open.end;
    int depth = 1;
    for (;;) {
        pdf_token token = pdf_next(data, length, &at);
        if (token.kind == PDF_END)
            return length;
        if (token.kind == PDF_DICT_OPEN)
            depth++;
        else if (token.kind == PDF_DICT_CLOSE && --depth == 0)
            return token.end;
    }
}

/* In the dictionary [start, end) (start at "<<"): the value of top-level key name.
 * value_start/value_end span the value; for a reference "N G R" the whole of it. */
static int pdf_dict_get(const unsigned char *data, size_t start, size_t end, const char *name,
                        size_t *key_start, size_t *value_start, size_t *value_end, pdf_token *first)
{
    size_t at = start + 2;
    int depth = 0;
    for (;;) {
        pdf_token token = pdf_next(data, end, &at);
        if (token.kind == PDF_END || (depth == 0 && token.kind == PDF_DICT_CLOSE))
            return 0;
        if (token.kind == PDF_DICT_OPEN || token.kind == PDF_ARRAY_OPEN) {
            depth++;
            continue;
        }
        if (token.kind == PDF_DICT_CLOSE || token.kind == PDF_ARRAY_CLOSE) {
            depth--;
            continue;
        }
        if (depth != 0 || token.kind != PDF_NAME || !pdf_is(data, token, name))
            continue;
        pdf_token value = pdf_next(data, end, &at);
        *key_start = token.start;
        *first = value;
        *value_start = value.start;
        if (value.kind == PDF_DICT_OPEN) {
            *value_end = pdf_dict_end(data, end, value);
        } else if (value.kind == PDF_ARRAY_OPEN) {
            int nesting = 1;
            while (nesting > 0) {
                pdf_token inner = pdf_next(data, end, &at);
                if (inner.kind == PDF_END)
                    break;
                nesting += inner.kind == PDF_ARRAY_OPEN ? 1 : inner.kind == PDF_ARRAY_CLOSE ? -1 : 0;
            }
            *value_end = at;
        } else {
            *value_end = value.end;
            if (value.kind == PDF_NUMBER) { /* maybe "N G R" */
                size_t peek = at;
                pdf_token generation = pdf_next(data, end, &peek);
                pdf_token r = pdf_next(data, end, &peek);
                if (generation.kind == PDF_NUMBER && r.kind == PDF_KEYWORD && pdf_is(data, r, "R"))
                    *value_end = r.end;
            }
        }
        return 1;
    }
}

typedef struct pdf_object {
    long long number;
    size_t dict_start, dict_end;   /* 0, 0: not a dictionary */
    size_t data_start, data_end;   /* 0, 0: not a stream */
} pdf_object;

typedef struct pdf_scan {
    pdf_object *objects;
    size_t count, capacity;
    size_t *trailers; /* start of each trailer dictionary */
    size_t trailer_count, trailer_capacity;
} pdf_scan;

static int pdf_grow(void **items, size_t *capacity, size_t count, size_t size)
{
    if (count < *capacity)
        return 0;
    size_t more = *capacity ? *capacity * 2 : 64;
    void *grown = realloc(*items, more * size);
    if (grown == NULL)
        return -1;
    *items = grown;
    *capacity = more;
    return 0;
}

static void pdf_blank(unsigned char *data, size_t start, size_t end)
{
    for (size_t i = start; i < end; i++)
        if (data[i] != '\r' && data[i] != '\n')
            data[i] = ' ';
}

/* Walk the file's top level: "N G obj" with its dictionary and stream data (skipped, so
 * nothing inside a stream is mistaken for structure), and "trailer" dictionaries. */
static int pdf_scan_file(const unsigned char *data, size_t length, pdf_scan *scan)
{
    size_t at = 0;
    pdf_token previous[2] = {{PDF_OTHER, 0, 0}, {PDF_OTHER, 0, 0}};
    for (;;) {
        pdf_token token = pdf_next(data, length, &at);
        if (token.kind == PDF_END)
            return 0;
        if (token.kind == PDF_KEYWORD && pdf_is(data, token, "trailer")) {
            size_t peek = at;
            pdf_token open = pdf_next(data, length, &peek);
            if (open.kind == PDF_DICT_OPEN) {
                if (pdf_grow((void **)&scan->trailers, &scan->trailer_capacity, scan->trailer_count, sizeof(size_t)))
                    return -1;
                scan->trailers[scan->trailer_count++] = open.start;
                at = pdf_dict_end(data, length, open);
            }
        } else if (token.kind == PDF_KEYWORD && pdf_is(data, token, "obj") && previous[0].kind == PDF_NUMBER &&
                   previous[1].kind == PDF_NUMBER) {
            pdf_object object = {pdf_number(data, previous[1]), 0, 0, 0, 0};
            size_t peek = at;
            pdf_token open = pdf_next(data, length, &peek);
            if (open.kind == PDF_DICT_OPEN) {
                object.dict_start = open.start;
                object.dict_end = pdf_dict_end(data, length, open);
                at = object.dict_end;
                size_t after = at;
                pdf_token keyword = pdf_next(data, length, &after);
                if (keyword.kind == PDF_KEYWORD && pdf_is(data, keyword, "stream")) {
                    size_t start = keyword.end;
                    if (start < length && data[start] == '\r')
                        start++;
                    if (start < length && data[start] == '\n')
                        start++;
                    size_t key = 0, value_start = 0, value_end = 0, end = 0;
                    pdf_token first;
                    /* A direct /Length that lands on "endstream" is trusted; otherwise look for it. */
                    if (pdf_dict_get(data, object.dict_start, object.dict_end, "/Length", &key, &value_start,
                                     &value_end, &first) &&
                        first.kind == PDF_NUMBER && value_end == first.end) {
                        long long declared = pdf_number(data, first);
                        if (declared >= 0 && (size_t)declared <= length - start) {
                            size_t probe = start + (size_t)declared;
                            pdf_token ending = pdf_next(data, length, &probe);
                            if (ending.kind == PDF_KEYWORD && pdf_is(data, ending, "endstream"))
                                end = start + (size_t)declared;
                        }
                    }
                    if (end == 0) {
                        const unsigned char *found = memmem(data + start, length - start, "endstream", 9);
                        end = found ? (size_t)(found - data) : length;
                        while (end > start && (data[end - 1] == '\n' || data[end - 1] == '\r'))
                            end--;
                    }
                    object.data_start = start;
                    object.data_end = end;
                    at = end;
                }
            }
            if (pdf_grow((void **)&scan->objects, &scan->capacity, scan->count, sizeof(pdf_object)))
                return -1;
            scan->objects[scan->count++] = object;
        }
        previous[1] = previous[0];
        previous[0] = token;
    }
}

/* Is the value of /Type in this dictionary the name type ("/Metadata", "/XRef", …)? */
static int pdf_dict_type(const unsigned char *data, const pdf_object *object, const char *type)
{
    size_t key, start, end;
    pdf_token first;
    return object->dict_end && pdf_dict_get(data, object->dict_start, object->dict_end, "/Type", &key, &start, &end, &first) &&
           first.kind == PDF_NAME && pdf_is(data, first, type);
}

/* Collect the object numbers named by /Info in a dictionary; blank an inline one. */
static int pdf_info_of(unsigned char *data, size_t dict_start, size_t dict_end, long long *numbers, size_t *count,
                       size_t capacity)
{
    size_t key, start, end;
    pdf_token first;
    if (!pdf_dict_get(data, dict_start, dict_end, "/Info", &key, &start, &end, &first))
        return 0;
    if (first.kind == PDF_DICT_OPEN) {
        pdf_blank(data, start + 2, end - 2);
        return 1;
    }
    if (first.kind == PDF_NUMBER && *count < capacity)
        numbers[(*count)++] = pdf_number(data, first);
    return 1;
}

#define PDF_INFLATE_MAX (64u * 1024u * 1024u)

/* The inflated bytes of a FlateDecode stream (NULL when it is not one or too big). */
static unsigned char *pdf_inflate(const unsigned char *data, size_t length, size_t *out_length)
{
    size_t capacity = length * 4 + 1024, used = 0;
    unsigned char *out = malloc(capacity);
    z_stream z;
    memset(&z, 0, sizeof z);
    if (out == NULL || inflateInit(&z) != Z_OK) {
        free(out);
        return NULL;
    }
    z.next_in = (Bytef *)(uintptr_t)data;
    z.avail_in = (uInt)length;
    int rc = Z_OK;
    while (rc == Z_OK) {
        if (used == capacity) {
            size_t more = capacity * 2;
            unsigned char *grown = more <= PDF_INFLATE_MAX ? realloc(out, more) : NULL;
            if (grown == NULL)
                break;
            out = grown;
            capacity = more;
        }
        z.next_out = out + used;
        z.avail_out = (uInt)(capacity - used);
        rc = inflate(&z, Z_NO_FLUSH);
        used = capacity - z.avail_out;
    }
    inflateEnd(&z);
    if (rc != Z_STREAM_END) {
        free(out);
        return NULL;
    }
    *out_length = used;
    return out;
}

/* Deflate plain into exactly target bytes: zlib level 9 up to a sync flush, then stored
 * blocks of spaces (added to the end of the plain data) and the Adler-32. */
static int pdf_deflate_exact(const unsigned char *plain, size_t plain_length, unsigned char *out, size_t target)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    size_t bound = deflateBound(&z, plain_length) + 64;
    unsigned char *head = malloc(bound);
    if (head == NULL || deflateInit(&z, 9) != Z_OK) {
        free(head);
        return -1;
    }
    z.next_in = (Bytef *)(uintptr_t)plain;
    z.avail_in = (uInt)plain_length;
    z.next_out = head;
    z.avail_out = (uInt)bound;
    int rc = deflate(&z, Z_SYNC_FLUSH);
    size_t used = bound - z.avail_out;
    deflateEnd(&z);
    if (rc != Z_OK || z.avail_in != 0) {
        free(head);
        return -1;
    }
    /* target = used + 5 per stored block + spaces + 4 (Adler-32): the fewest blocks that fit. */
    size_t blocks = 1, spaces = 0;
    for (;; blocks++) {
        if (used + 5 * blocks + 4 > target) {
            free(head);
            return -1;
        }
        spaces = target - used - 5 * blocks - 4;
        if (spaces <= 65535 * blocks)
            break;
    }
    memcpy(out, head, used);
    free(head);
    uLong adler = adler32(adler32(0L, Z_NULL, 0), plain, (uInt)plain_length);
    size_t at = used, left = spaces;
    for (size_t b = 0; b < blocks; b++) {
        size_t chunk = b + 1 == blocks ? left : (left < 65535 ? left : 65535);
        out[at++] = b + 1 == blocks ? 1 : 0; /* BFINAL on the last; BTYPE 00: stored */
        out[at++] = (unsigned char)(chunk & 0xff);
        out[at++] = (unsigned char)(chunk >> 8);
        out[at++] = (unsigned char)(~chunk & 0xff);
        out[at++] = (unsigned char)((~chunk >> 8) & 0xff);
        memset(out + at, ' ', chunk);
        adler = adler32(adler, out + at, (uInt)chunk);
        at += chunk;
        left -= chunk;
    }
    out[at++] = (unsigned char)(adler >> 24);
    out[at++] = (unsigned char)(adler >> 16);
    out[at++] = (unsigned char)(adler >> 8);
    out[at++] = (unsigned char)adler;
    return at == target ? 0 : -1;
}

/* In an object stream, blank the dictionaries of the objects numbered in info (marking
 * found[] for each it holds). 0 done (or nothing of info inside), -1 cannot. */
static int pdf_objstm_blank(unsigned char *data, const pdf_object *stream, const long long *info, size_t info_count,
                            int *found)
{
    size_t key, start, end;
    pdf_token first, n_token, first_token;
    if (!pdf_dict_get(data, stream->dict_start, stream->dict_end, "/Filter", &key, &start, &end, &first))
        return -1;
    int flate = (first.kind == PDF_NAME && pdf_is(data, first, "/FlateDecode"));
    if (!flate && first.kind == PDF_ARRAY_OPEN) { /* [/FlateDecode] */
        size_t at = first.end;
        pdf_token only = pdf_next(data, end, &at), close = pdf_next(data, end, &at);
        flate = only.kind == PDF_NAME && pdf_is(data, only, "/FlateDecode") && close.kind == PDF_ARRAY_CLOSE;
    }
    if (!flate || pdf_dict_get(data, stream->dict_start, stream->dict_end, "/DecodeParms", &key, &start, &end, &first) ||
        !pdf_dict_get(data, stream->dict_start, stream->dict_end, "/N", &key, &start, &end, &n_token) ||
        !pdf_dict_get(data, stream->dict_start, stream->dict_end, "/First", &key, &start, &end, &first_token) ||
        n_token.kind != PDF_NUMBER || first_token.kind != PDF_NUMBER)
        return -1;
    size_t plain_length = 0, count = (size_t)pdf_number(data, n_token), offset_base = (size_t)pdf_number(data, first_token);
    unsigned char *plain = pdf_inflate(data + stream->data_start, stream->data_end - stream->data_start, &plain_length);
    if (plain == NULL)
        return -1;
    int changed = 0, rc = 0;
    size_t at = 0;
    for (size_t i = 0; i < count && rc == 0; i++) {
        pdf_token number = pdf_next(plain, plain_length, &at), offset = pdf_next(plain, plain_length, &at);
        if (number.kind != PDF_NUMBER || offset.kind != PDF_NUMBER) {
            rc = -1;
            break;
        }
        for (size_t n = 0; n < info_count; n++) {
            if (pdf_number(plain, number) != info[n])
                continue;
            size_t object_at = offset_base + (size_t)pdf_number(plain, offset);
            pdf_token open = pdf_next(plain, plain_length, &object_at);
            if (open.kind != PDF_DICT_OPEN) {
                rc = -1;
                break;
            }
            pdf_blank(plain, open.end, pdf_dict_end(plain, plain_length, open) - 2);
            found[n] = 1;
            changed = 1;
        }
    }
    if (rc == 0 && changed)
        rc = pdf_deflate_exact(plain, plain_length, data + stream->data_start, stream->data_end - stream->data_start);
    free(plain);
    return rc;
}

static int media_strip_pdf(unsigned char *data, size_t length, alvd_err *err)
{
    pdf_scan scan = {0};
    long long info[64];
    size_t info_count = 0;
    int rc = -1, object_streams = 0;
    if (pdf_scan_file(data, length, &scan) != 0) {
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        goto done;
    }
    for (size_t t = 0; t < scan.trailer_count; t++)
        pdf_info_of(data, scan.trailers[t], pdf_dict_end(data, length, (pdf_token){PDF_DICT_OPEN, scan.trailers[t],
                                                                                    scan.trailers[t] + 2}),
                    info, &info_count, sizeof info / sizeof info[0]);
    for (size_t i = 0; i < scan.count; i++) {
        if (pdf_dict_type(data, &scan.objects[i], "/XRef"))
            pdf_info_of(data, scan.objects[i].dict_start, scan.objects[i].dict_end, info, &info_count,
                        sizeof info / sizeof info[0]);
        object_streams |= pdf_dict_type(data, &scan.objects[i], "/ObjStm");
    }
    int found[64] = {0};
    for (size_t n = 0; n < info_count; n++) {
        for (size_t i = 0; i < scan.count; i++) {
            pdf_object *object = &scan.objects[i];
            if (object->number != info[n] || object->dict_end == 0)
                continue;
            pdf_blank(data, object->dict_start + 2, object->dict_end - 2);
            found[n] = 1;
        }
    }
    /* The rest may sit compressed in object streams (PDF 1.5 and later). */
    for (size_t i = 0; object_streams && i < scan.count; i++) {
        int missing = 0;
        for (size_t n = 0; n < info_count; n++)
            missing |= !found[n];
        if (!missing)
            break;
        if (scan.objects[i].data_end > scan.objects[i].data_start && pdf_dict_type(data, &scan.objects[i], "/ObjStm") &&
            pdf_objstm_blank(data, &scan.objects[i], info, info_count, found) != 0) {
            alvd_err_set(err, 422, "pdf_metadata", "attachments",
                         "Deze PDF bewaart gegevens over de maker op een manier die we niet veilig kunnen "
                         "verwijderen. Sla hem opnieuw op via 'Afdrukken als PDF', of stuur een schermafdruk.");
            goto done;
        }
    }
    for (size_t i = 0; i < scan.count; i++) {
        pdf_object *object = &scan.objects[i];
        if (object->data_end <= object->data_start || !pdf_dict_type(data, object, "/Metadata"))
            continue;
        pdf_blank(data, object->data_start, object->data_end);
        static const char *const filters[] = {"/Filter", "/DecodeParms"};
        for (size_t f = 0; f < 2; f++) {
            size_t key, start, end;
            pdf_token first;
            if (pdf_dict_get(data, object->dict_start, object->dict_end, filters[f], &key, &start, &end, &first))
                pdf_blank(data, key, end);
        }
    }
    /* XMP anywhere else that is readable as it stands. */
    for (size_t at = 0; at < length;) {
        unsigned char *begin = memmem(data + at, length - at, "<?xpacket begin", 15);
        if (begin == NULL)
            break;
        size_t start = (size_t)(begin - data);
        unsigned char *close = memmem(data + start, length - start, "<?xpacket end", 13);
        unsigned char *finish = close ? memmem(close, length - (size_t)(close - data), "?>", 2) : NULL;
        size_t end = finish ? (size_t)(finish - data) + 2 : length;
        pdf_blank(data, start, end);
        at = end;
    }
    rc = 0;
done:
    free(scan.objects);
    free(scan.trailers);
    return rc;
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
        rc = media_strip_pdf(copy, length, err);
    }
    if (rc != 0) {
        free(copy);
        return -1;
    }
    *out = copy;
    *out_length = used;
    return 0;
}
