/* The files of web/ as served: indexed at start (re-read when they change), each with
 * a content fingerprint, gzip and brotli variants chosen by Accept-Encoding, and pages
 * rendered with fingerprinted asset URLs, an import map and modulepreload links. */
#ifndef ALVD_HTTP_STATIC_FILES_H
#define ALVD_HTTP_STATIC_FILES_H

#include <stddef.h>

#include "alvd/base/err.h"
#include "alvd/http/static_html.h"

#define STATIC_MAX_BYTES (8 * 1024 * 1024)
#define STATIC_MAX_FILES 4096
#define STATIC_MAX_TOTAL_BYTES (64 * 1024 * 1024)
/* Hex digits of the content fingerprint in a URL: "/js/ui.<12 hex>.js". */
#define STATIC_FINGERPRINT_HEX 12
/* A changed web/ is noticed at most this often (a request looks at most once). */
#define STATIC_RESCAN_SECONDS 1
/* Cache-Control of a fingerprinted URL: the content under it never changes. */
#define STATIC_CACHE_IMMUTABLE "public, max-age=31536000, immutable"
/* Room for a page's Link header: a few API preloads. */
#define STATIC_LINK_MAX 1024

typedef struct static_site static_site;

typedef enum static_coding { STATIC_IDENTITY = 0, STATIC_GZIP = 1, STATIC_BROTLI = 2 } static_coding;

typedef struct static_request {
    const char *path;            /* the URL path, e.g. "/js/ui.js" */
    const char *accept_encoding; /* or NULL */
    const char *if_none_match;   /* or NULL */
    const char *language;        /* the alvd_lang cookie ("nl", "en") or NULL: Dutch */
    static_query_fn query;       /* the request's query parameters (data preloads), or NULL */
    void *query_context;
} static_request;

typedef struct static_response {
    int status;                  /* 200 or 304 */
    char *data;                  /* malloc'd body, caller frees; NULL for 304 */
    size_t length;
    const char *content_type;    /* static string */
    const char *content_encoding; /* "br", "gzip" or NULL */
    char cache_control[STATIC_CACHE_CONTROL_SIZE];
    const char *vary;            /* static string or NULL */
    char etag[32];               /* quoted */
    char script_hash[STATIC_SCRIPT_HASH_SIZE]; /* CSP source of a page's import map, or "" */
    char link[STATIC_LINK_MAX];  /* a page's Link header (its data preloads), or "" */
} static_response;

/* Index web_dir (a missing or unreadable directory gives an empty site that is looked
 * at again later). Starts the thread that makes brotli variants. NULL when out of
 * memory. */
static_site *static_site_open(const char *web_dir, alvd_err *err);
void static_site_close(static_site *site);

/* Answer a GET/HEAD for request->path: "/" and directories give their index.html; a
 * fingerprinted URL gets Cache-Control immutable, a plain or outdated fingerprinted
 * URL the current file with "no-cache", a page "no-cache" unless it names its own
 * (static_html_render); If-None-Match → 304. Returns 0, or -1 and a
 * 404 "not_found" in err when no such file (hidden files and paths outside web_dir
 * never are in the index). */
int static_site_serve(static_site *site, const static_request *request, static_response *response, alvd_err *err);

/* Block until every brotli variant asked for so far is made (tests). */
void static_site_settle(static_site *site);

/* The q-value Accept-Encoding gives identity, gzip and brotli (index static_coding):
 * gzip and brotli only when named or under "*"; identity is acceptable unless refused,
 * but when the header names other codings and not identity it ranks below them. */
void static_accepted_codings(const char *accept_encoding, double q[3]);
const char *static_content_type(const char *path);
/* data gzipped at level (1–9) into *out (malloc'd, caller frees): 0, or -1. */
int static_gzip_level(const unsigned char *data, size_t length, int level, unsigned char **out,
                      size_t *out_length);

#endif
