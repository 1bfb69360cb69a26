/* Pages as served: asset URLs fingerprinted, and an import map plus modulepreload
 * links per page, so a warm page loads its modules without a request and a cold one
 * fetches its whole module graph at once instead of one import level per round trip;
 * the API answers a page needs first are preloaded by a Link header filled per request,
 * and a page may ask for its own Cache-Control. */
#include "alvd/http/static_html.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/base/buf.h"

/* The dictionary module of a language; preloaded for the page's language only. */
#define STATIC_LANGUAGE_MODULE "/js/i18n/%s.js"
/* Rendering adds the map and links: at most this much on top of the page. */
#define STATIC_HTML_GROWTH (256 * 1024)

static int static_is_identifier_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '$';
}

static int static_is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static int static_url_char_ok(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
           c == '.' || c == '-' || c == '_';
}

/* A quoted literal at p (' or "): its text without the quotes, or NULL. */
static const char *static_literal(const char *p, const char *end, size_t *length)
{
    if (p >= end || (*p != '\'' && *p != '"'))
        return NULL;
    char quote = *p;
    const char *start = p + 1;
    for (const char *q = start; q < end && *q != '\n'; q++) {
        if (*q == '\\')
            return NULL; /* an escaped specifier: not a file name this site uses */
        if (*q == quote) {
            *length = (size_t)(q - start);
            return start;
        }
    }
    return NULL;
}

static const char *static_skip_space(const char *p, const char *end)
{
    while (p < end && static_is_space(*p))
        p++;
    return p;
}

static int static_starts_word(const char *p, const char *end, const char *word)
{
    size_t length = strlen(word);
    return (size_t)(end - p) >= length && memcmp(p, word, length) == 0 &&
           (p + length == end || !static_is_identifier_char(p[length]));
}

/* One import/export statement starting at p (a line start): its specifier, if any. */
static void static_statement(const char *p, const char *end, static_import_fn found, void *context)
{
    int is_import = static_starts_word(p, end, "import");
    const char *q = static_skip_space(p + 6, end);
    if (is_import) {
        if (q < end && *q == '(')
            return; /* a dynamic import at the start of a line: the other pass sees it */
        size_t length;
        const char *literal = static_literal(q, end, &length);
        if (literal) {
            found(context, literal, length, 0);
            return;
        }
    }
    /* Up to the statement's end: the literal after the last "from". */
    const char *stop = q;
    while (stop < end && *stop != ';' && stop - p < 4096)
        stop++;
    const char *specifier = NULL;
    size_t specifier_length = 0;
    for (const char *r = q; r + 4 <= stop; r++) {
        if (memcmp(r, "from", 4) == 0 && (r == p || !static_is_identifier_char(r[-1])) &&
            (r + 4 == stop || !static_is_identifier_char(r[4]))) {
            size_t length;
            const char *literal = static_literal(static_skip_space(r + 4, stop), stop, &length);
            if (literal) {
                specifier = literal;
                specifier_length = length;
            }
        }
    }
    if (specifier)
        found(context, specifier, specifier_length, 0);
}

void static_js_imports(const char *source, size_t length, static_import_fn found, void *context)
{
    const char *end = source + length;
    /* Static imports and re-exports: statements that start a line (the house style). */
    for (const char *line = source; line < end;) {
        if (static_starts_word(line, end, "import") || static_starts_word(line, end, "export"))
            static_statement(line, end, found, context);
        const char *next = memchr(line, '\n', (size_t)(end - line));
        if (next == NULL)
            break;
        line = next + 1;
    }
    /* Dynamic imports with a literal specifier, anywhere. */
    for (const char *p = source; p + 7 <= end; p++) {
        if (memcmp(p, "import", 6) != 0 || (p > source && (static_is_identifier_char(p[-1]) || p[-1] == '.')))
            continue;
        const char *q = static_skip_space(p + 6, end);
        if (q >= end || *q != '(')
            continue;
        size_t literal_length;
        const char *literal = static_literal(static_skip_space(q + 1, end), end, &literal_length);
        if (literal)
            found(context, literal, literal_length, 1);
    }
}

int static_url_is_plain(const char *url, size_t length)
{
    for (size_t i = 0; i < length; i++)
        if (!static_url_char_ok(url[i]))
            return 0;
    return length > 0;
}

int static_url_resolve(const char *base, const char *specifier, size_t length, char *out, size_t size)
{
    char joined[STATIC_URL_MAX * 2];
    if (length >= STATIC_URL_MAX || !static_url_is_plain(specifier, length))
        return -1;
    if (specifier[0] == '/') {
        if (length > 1 && specifier[1] == '/')
            return -1;
        snprintf(joined, sizeof joined, "%.*s", (int)length, specifier);
    } else if ((length > 2 && memcmp(specifier, "./", 2) == 0) || (length > 3 && memcmp(specifier, "../", 3) == 0)) {
        const char *slash = strrchr(base, '/');
        if (base[0] != '/' || slash == NULL)
            return -1;
        snprintf(joined, sizeof joined, "%.*s/%.*s", (int)(slash - base), base, (int)length, specifier);
    } else {
        return -1;
    }
    /* Normalise: drop "." segments, let ".." remove the previous one. */
    size_t used = 0;
    const char *p = joined;
    while (*p) {
        while (*p == '/')
            p++;
        const char *segment = p;
        while (*p && *p != '/')
            p++;
        size_t segment_length = (size_t)(p - segment);
        if (segment_length == 0 || (segment_length == 1 && segment[0] == '.'))
            continue;
        if (segment_length == 2 && segment[0] == '.' && segment[1] == '.') {
            if (used == 0)
                return -1;
            while (used > 0 && out[used - 1] != '/')
                used--;
            used--; /* the slash before the removed segment */
            continue;
        }
        if (used + 1 + segment_length + 1 > size)
            return -1;
        out[used++] = '/';
        memcpy(out + used, segment, segment_length);
        used += segment_length;
    }
    if (used == 0)
        return -1;
    out[used] = '\0';
    return 0;
}

/* ---------------------------------------------------------------- the module graph */

typedef struct static_graph {
    char urls[STATIC_PAGE_MODULES_MAX][STATIC_URL_MAX];
    int is_static[STATIC_PAGE_MODULES_MAX]; /* reached from an entry by static imports only */
    int is_entry[STATIC_PAGE_MODULES_MAX];
    size_t count;
    /* edges, for the static-reachability pass */
    unsigned short edge_from[STATIC_PAGE_MODULES_MAX * 8], edge_to[STATIC_PAGE_MODULES_MAX * 8];
    unsigned char edge_dynamic[STATIC_PAGE_MODULES_MAX * 8];
    size_t edge_count;
    const static_html_files *files;
    size_t current; /* the module whose imports are being read */
} static_graph;

static long static_graph_find(const static_graph *graph, const char *url)
{
    for (size_t i = 0; i < graph->count; i++)
        if (strcmp(graph->urls[i], url) == 0)
            return (long)i;
    return -1;
}

static long static_graph_add(static_graph *graph, const char *url)
{
    long found = static_graph_find(graph, url);
    if (found >= 0 || graph->count == STATIC_PAGE_MODULES_MAX)
        return found;
    size_t length;
    if (graph->files->module_source(graph->files->context, url, &length) == NULL)
        return -1;
    snprintf(graph->urls[graph->count], STATIC_URL_MAX, "%s", url);
    return (long)graph->count++;
}

static void static_graph_found(void *context, const char *specifier, size_t length, int dynamic)
{
    static_graph *graph = context;
    char url[STATIC_URL_MAX];
    if (static_url_resolve(graph->urls[graph->current], specifier, length, url, sizeof url) != 0)
        return;
    long target = static_graph_add(graph, url);
    if (target < 0 || graph->edge_count == sizeof graph->edge_from / sizeof graph->edge_from[0])
        return;
    graph->edge_from[graph->edge_count] = (unsigned short)graph->current;
    graph->edge_to[graph->edge_count] = (unsigned short)target;
    graph->edge_dynamic[graph->edge_count] = (unsigned char)dynamic;
    graph->edge_count++;
}

/* Every module reachable from the entries (breadth first), then which of them load
 * before the page runs (static edges from an entry). */
static void static_graph_walk(static_graph *graph)
{
    for (size_t i = 0; i < graph->count; i++) {
        size_t length;
        const char *source = graph->files->module_source(graph->files->context, graph->urls[i], &length);
        if (source == NULL)
            continue;
        graph->current = i;
        static_js_imports(source, length, static_graph_found, graph);
    }
    for (size_t i = 0; i < graph->count; i++)
        graph->is_static[i] = graph->is_entry[i];
    for (int changed = 1; changed;) {
        changed = 0;
        for (size_t e = 0; e < graph->edge_count; e++) {
            if (!graph->edge_dynamic[e] && graph->is_static[graph->edge_from[e]] && !graph->is_static[graph->edge_to[e]]) {
                graph->is_static[graph->edge_to[e]] = 1;
                changed = 1;
            }
        }
    }
}

/* ---------------------------------------------------------------- the page */

typedef struct static_tag {
    const char *start, *end; /* "<script" … ">" */
} static_tag;

/* The value of attribute name="…" inside a tag, or NULL. */
static const char *static_attribute(const static_tag *tag, const char *name, size_t *length)
{
    size_t name_length = strlen(name);
    for (const char *p = tag->start + 1; p + name_length + 2 < tag->end; p++) {
        if (static_is_space(p[-1]) && memcmp(p, name, name_length) == 0 && p[name_length] == '=') {
            size_t value_length;
            const char *value = static_literal(p + name_length + 1, tag->end, &value_length);
            if (value) {
                *length = value_length;
                return value;
            }
        }
    }
    return NULL;
}

static int static_attribute_is(const static_tag *tag, const char *name, const char *expected)
{
    size_t length;
    const char *value = static_attribute(tag, name, &length);
    return value && length == strlen(expected) && memcmp(value, expected, length) == 0;
}

/* Append text with every src="/…" and href="/…" naming a fingerprinted file rewritten. */
static void static_append_rewritten(alvd_buf *out, const char *text, size_t length, const static_html_files *files)
{
    const char *end = text + length, *copied = text;
    for (const char *p = text; p < end; p++) {
        size_t name_length;
        if (p > text && static_is_space(p[-1]) && (size_t)(end - p) > 5 && memcmp(p, "src=", 4) == 0)
            name_length = 3;
        else if (p > text && static_is_space(p[-1]) && (size_t)(end - p) > 6 && memcmp(p, "href=", 5) == 0)
            name_length = 4;
        else
            continue;
        size_t value_length;
        const char *value = static_literal(p + name_length + 1, end, &value_length);
        if (value == NULL || value_length == 0 || value_length >= STATIC_URL_MAX || value[0] != '/')
            continue;
        char url[STATIC_URL_MAX];
        snprintf(url, sizeof url, "%.*s", (int)value_length, value);
        const char *hashed = files->hashed_url(files->context, url);
        if (hashed == NULL)
            continue;
        buf_append(out, copied, (size_t)(value - copied));
        buf_append_str(out, hashed);
        copied = value + value_length;
        p = copied;
    }
    buf_append(out, copied, (size_t)(end - copied));
}

/* ---------------------------------------------------------------- data preloads */

/* An API answer the page needs first is asked for with the page itself (Link header):
 * on hall Wi-Fi that spares the round trip after the modules have run. */
#define STATIC_PRELOAD_NAME_MAX 32
#define STATIC_PRELOAD_DIGITS_MAX 18

/* What a data preload's href may hold: a path, a query, {placeholders}; nothing that
 * could close the Link header's <…> or start another of its fields. */
static int static_preload_href_ok(const char *href, size_t length)
{
    for (size_t i = 0; i < length; i++) {
        char c = href[i];
        if (!static_url_char_ok(c) && c != '?' && c != '=' && c != '&' && c != '{' && c != '}')
            return 0;
    }
    return length > 5 && memcmp(href, "/api/", 5) == 0;
}

/* A page's own Cache-Control: directives and numbers only ("private, max-age=300"). */
static int static_cache_control_ok(const char *value, size_t length)
{
    for (size_t i = 0; i < length; i++) {
        char c = value[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '=' || c == ',' || c == ' '))
            return 0;
    }
    return length > 0 && length < STATIC_CACHE_CONTROL_SIZE;
}

/* The page without what alvd sends as headers instead (kept; the white space after each
 * tag goes too): <link rel="preload" as="fetch" href="/api/…"> tags, their hrefs one per
 * line in preloads, and <meta http-equiv="Cache-Control" content="…">, its value in
 * cache_control (browsers ignore that meta; the header is what counts). */
static void static_take_page_headers(const char *html, size_t length, alvd_buf *kept, alvd_buf *preloads,
                                     char cache_control[STATIC_CACHE_CONTROL_SIZE])
{
    const char *end = html + length, *copied = html;
    for (const char *p = html; p + 6 < end; p++) {
        int is_link = memcmp(p, "<link", 5) == 0 && static_is_space(p[5]);
        int is_meta = memcmp(p, "<meta", 5) == 0 && static_is_space(p[5]);
        if (!is_link && !is_meta)
            continue;
        const char *close = memchr(p, '>', (size_t)(end - p));
        if (close == NULL)
            break;
        static_tag tag = {p, close};
        size_t value_length = 0;
        const char *value = static_attribute(&tag, is_link ? "href" : "content", &value_length);
        int taken = 0;
        if (is_link && value && value_length < STATIC_URL_MAX && static_attribute_is(&tag, "rel", "preload") &&
            static_attribute_is(&tag, "as", "fetch") && static_preload_href_ok(value, value_length)) {
            buf_append(preloads, value, value_length);
            buf_append_str(preloads, "\n");
            taken = 1;
        } else if (is_meta && value && static_attribute_is(&tag, "http-equiv", "Cache-Control") &&
                   static_cache_control_ok(value, value_length)) {
            snprintf(cache_control, STATIC_CACHE_CONTROL_SIZE, "%.*s", (int)value_length, value);
            taken = 1;
        }
        if (taken) {
            buf_append(kept, copied, (size_t)(p - copied));
            copied = static_skip_space(close + 1, end);
        }
        p = close;
    }
    buf_append(kept, copied, (size_t)(end - copied));
}

/* One href with its placeholders filled into out; -1 when a value is missing. */
static int static_fill_preload(const char *href, size_t length, const char *language, static_query_fn query,
                               void *context, alvd_buf *out)
{
    const char *end = href + length;
    for (const char *p = href; p < end; p++) {
        if (*p != '{') {
            buf_append(out, p, 1);
            continue;
        }
        const char *close = memchr(p, '}', (size_t)(end - p));
        size_t name_length = close ? (size_t)(close - p - 1) : 0;
        if (close == NULL || name_length == 0 || name_length >= STATIC_PRELOAD_NAME_MAX)
            return -1;
        char name[STATIC_PRELOAD_NAME_MAX];
        snprintf(name, sizeof name, "%.*s", (int)name_length, p + 1);
        if (strcmp(name, "lang") == 0) {
            buf_append_str(out, language && strcmp(language, "en") == 0 ? "en" : "nl");
        } else {
            const char *value = query ? query(context, name) : NULL;
            size_t value_length = value ? strlen(value) : 0;
            if (value_length == 0 || value_length > STATIC_PRELOAD_DIGITS_MAX)
                return -1;
            for (size_t i = 0; i < value_length; i++)
                if (value[i] < '0' || value[i] > '9')
                    return -1;
            buf_append(out, value, value_length);
        }
        p = close;
    }
    return 0;
}

void static_html_link_header(const char *data_preloads, const char *language, static_query_fn query,
                             void *context, char *out, size_t size)
{
    out[0] = '\0';
    if (data_preloads == NULL || size == 0)
        return;
    size_t used = 0;
    for (const char *line = data_preloads; *line;) {
        const char *stop = strchr(line, '\n');
        size_t line_length = stop ? (size_t)(stop - line) : strlen(line);
        alvd_buf url;
        buf_init(&url, STATIC_URL_MAX);
        if (line_length > 0 && static_fill_preload(line, line_length, language, query, context, &url) == 0 &&
            !url.overflowed && url.data) {
            int written = snprintf(out + used, size - used, "%s<%s>; rel=preload; as=fetch; crossorigin",
                                   used ? ", " : "", url.data);
            if (written < 0 || (size_t)written >= size - used) {
                out[used] = '\0'; /* no room for this one: the header ends before it */
                buf_free(&url);
                break;
            }
            used += (size_t)written;
        }
        buf_free(&url);
        line += line_length + (stop ? 1 : 0);
    }
}

char *static_html_render(const char *html, size_t length, const char *language,
                         const static_html_files *files, size_t *out_length,
                         char script_hash[STATIC_SCRIPT_HASH_SIZE], char **data_preloads,
                         char cache_control[STATIC_CACHE_CONTROL_SIZE])
{
    script_hash[0] = '\0';
    cache_control[0] = '\0';
    *data_preloads = NULL;
    alvd_buf kept, preloads;
    buf_init(&kept, length);
    buf_init(&preloads, length);
    static_take_page_headers(html, length, &kept, &preloads, cache_control);
    static_graph *graph = kept.overflowed || preloads.overflowed ? NULL : calloc(1, sizeof *graph);
    if (graph == NULL) {
        buf_free(&kept);
        buf_free(&preloads);
        return NULL;
    }
    html = kept.data ? kept.data : "";
    length = kept.length;
    graph->files = files;
    const char *end = html + length, *first_module = NULL;
    for (const char *p = html; p + 7 < end; p++) {
        if (memcmp(p, "<script", 7) != 0 || !static_is_space(p[7]))
            continue;
        const char *close = memchr(p, '>', (size_t)(end - p));
        if (close == NULL)
            break;
        static_tag tag = {p, close};
        size_t src_length;
        const char *src = static_attribute(&tag, "src", &src_length);
        if (static_attribute_is(&tag, "type", "module") && src && src_length < STATIC_URL_MAX && src[0] == '/') {
            char url[STATIC_URL_MAX];
            snprintf(url, sizeof url, "%.*s", (int)src_length, src);
            long index = static_graph_add(graph, url);
            if (index >= 0) {
                graph->is_entry[index] = 1;
                if (first_module == NULL)
                    first_module = p;
            }
        }
        p = close;
    }
    static_graph_walk(graph);

    alvd_buf out;
    buf_init(&out, length + STATIC_HTML_GROWTH);
    if (first_module == NULL) {
        static_append_rewritten(&out, html, length, files);
    } else {
        static_append_rewritten(&out, html, (size_t)(first_module - html), files);
        /* The import map: every module of the graph by its plain URL. */
        alvd_buf map;
        buf_init(&map, STATIC_HTML_GROWTH / 2);
        buf_append_str(&map, "{\"imports\":{");
        int first = 1;
        for (size_t i = 0; i < graph->count; i++) {
            const char *hashed = files->hashed_url(files->context, graph->urls[i]);
            if (hashed == NULL)
                continue;
            buf_appendf(&map, "%s\"%s\":\"%s\"", first ? "" : ",", graph->urls[i], hashed);
            first = 0;
        }
        buf_append_str(&map, "}}");
        if (!map.overflowed && !first) {
            unsigned char digest[crypto_hash_sha256_BYTES];
            char encoded[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
            crypto_hash_sha256(digest, (const unsigned char *)map.data, map.length);
            sodium_bin2base64(encoded, sizeof encoded, digest, sizeof digest, sodium_base64_VARIANT_ORIGINAL);
            snprintf(script_hash, STATIC_SCRIPT_HASH_SIZE, "'sha256-%s'", encoded);
            buf_appendf(&out, "<script type=\"importmap\">%s</script>\n  ", map.data);
        }
        buf_free(&map);
        /* Preloads: what the entries import before they run, then the dictionary. */
        char dictionary[STATIC_URL_MAX];
        snprintf(dictionary, sizeof dictionary, STATIC_LANGUAGE_MODULE, language);
        for (size_t i = 0; i < graph->count; i++) {
            int wanted = (graph->is_static[i] && !graph->is_entry[i]) ||
                         (!graph->is_static[i] && strcmp(graph->urls[i], dictionary) == 0);
            const char *hashed = wanted ? files->hashed_url(files->context, graph->urls[i]) : NULL;
            if (hashed)
                buf_appendf(&out, "<link rel=\"modulepreload\" href=\"%s\">\n  ", hashed);
        }
        static_append_rewritten(&out, first_module, (size_t)(end - first_module), files);
    }
    free(graph);
    buf_free(&kept);
    if (out.overflowed) {
        buf_free(&out);
        buf_free(&preloads);
        script_hash[0] = '\0';
        return NULL;
    }
    if (preloads.length)
        *data_preloads = buf_take(&preloads, NULL);
    buf_free(&preloads);
    return buf_take(&out, out_length);
}
