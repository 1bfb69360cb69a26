/* Pages as served: fingerprinted asset URLs in src/href, and per page an import map
 * plus modulepreload links for the ES-module graph its scripts load. Pure text work. */
#ifndef ALVD_HTTP_STATIC_HTML_H
#define ALVD_HTTP_STATIC_HTML_H

#include <stddef.h>

#define STATIC_URL_MAX 256
#define STATIC_PAGE_MODULES_MAX 256
/* "'sha256-" + 44 base64 characters + "'" and the terminator. */
#define STATIC_SCRIPT_HASH_SIZE 64
/* A page's own Cache-Control value and the terminator. */
#define STATIC_CACHE_CONTROL_SIZE 64

/* What the renderer may ask about other files of the site. */
typedef struct static_html_files {
    void *context;
    /* The fingerprinted URL of an asset ("/css/app.css" → "/css/app.1a2b3c4d5e6f.css"),
     * or NULL when url is no fingerprinted file (a page, or not in the site). */
    const char *(*hashed_url)(void *context, const char *url);
    /* The source of the ES module at url (a .js file of the site), or NULL. */
    const char *(*module_source)(void *context, const char *url, size_t *length);
} static_html_files;

/* Called for each module specifier a JS source imports: static (`import … from 'x'`,
 * `export … from 'x'`, `import 'x'`, statements starting a line) or dynamic
 * (`import('x')` with a quoted literal). */
typedef void (*static_import_fn)(void *context, const char *specifier, size_t length, int dynamic);
void static_js_imports(const char *source, size_t length, static_import_fn found, void *context);

/* Resolve a relative ("./", "../") or absolute ("/") module specifier against the URL
 * path of the importing module. 0 and out filled, or -1 for bare specifiers, other
 * origins, queries, unusual characters or a path above the root. */
int static_url_resolve(const char *base, const char *specifier, size_t length, char *out, size_t size);

/* True when url is made only of the characters a fingerprinted URL may carry
 * (letters, digits, "/", ".", "-", "_"). */
int static_url_is_plain(const char *url, size_t length);

/* Render a page for a language ("nl", "en"): src/href values naming fingerprinted
 * files get their fingerprinted URL; before the first module script go an import map
 * (every module the page's module scripts can reach, statically or by a literal
 * dynamic import, mapped to its fingerprinted URL) and modulepreload links (the static
 * graph, plus the dictionary /js/i18n/<language>.js when the graph imports it). The
 * CSP source for the inline import map goes to script_hash ("" without one).
 * The page's data preloads, <link rel="preload" as="fetch" href="/api/…"> (whose
 * URL may hold {placeholders}), are taken out of the text and their hrefs put in
 * *data_preloads, one per line (malloc'd, or NULL when the page has none): the server
 * sends them as a Link header filled per request (static_html_link_header). A
 * <meta http-equiv="Cache-Control" content="…"> (letters, digits, "-", "=", ",", " ")
 * is taken out too and its value put in cache_control ("" without one): the page's
 * Cache-Control header instead of "no-cache".
 * Returns malloc'd text (caller frees) or NULL when out of memory. */
char *static_html_render(const char *html, size_t length, const char *language,
                         const static_html_files *files, size_t *out_length,
                         char script_hash[STATIC_SCRIPT_HASH_SIZE], char **data_preloads,
                         char cache_control[STATIC_CACHE_CONTROL_SIZE]);

/* A request's query parameter by name, or NULL. */
typedef const char *(*static_query_fn)(void *context, const char *name);

/* The Link header value for a page's data preloads (hrefs one per line): each as
 * "</api/…>; rel=preload; as=fetch; crossorigin", joined by ", ". In an href, {lang}
 * becomes language ("nl" unless "en") and any other {name} the query parameter name
 * when it is 1 to 18 digits; without such a value that preload is left out (the page
 * then asks itself). out is "" when nothing is left. */
void static_html_link_header(const char *data_preloads, const char *language, static_query_fn query,
                             void *context, char *out, size_t size);

#endif
