/* Web files as served: Accept-Encoding q-values, the ES-module import scanner and URL
 * resolution, page rendering (import map, preloads, CSP hash), fingerprinted and plain
 * URLs, validators, gzip/brotli variants and re-reading a changed file. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "alvd/http/static_files.h"
#include "alvd/http/static_html.h"
#include "check.h"

static void write_file(const char *root, const char *relative, const char *text)
{
    char path[600];
    snprintf(path, sizeof path, "%s/%s", root, relative);
    FILE *file = fopen(path, "w");
    CHECK(file != NULL, "open %s", path);
    if (file) {
        fputs(text, file);
        fclose(file);
    }
}

typedef struct found_list {
    char items[16][64];
    int dynamic[16];
    int count;
} found_list;

static void collect(void *context, const char *specifier, size_t length, int dynamic)
{
    found_list *list = context;
    if (list->count < 16) {
        snprintf(list->items[list->count], sizeof list->items[0], "%.*s", (int)length, specifier);
        list->dynamic[list->count++] = dynamic;
    }
}

static int serve(static_site *site, const char *path, const char *accept, const char *etag, const char *language,
                 static_response *response)
{
    static_request request = {path, accept, etag, language, NULL, NULL};
    alvd_err err;
    return static_site_serve(site, &request, response, &err);
}

/* A request's query for the data preloads: "meeting" only. */
typedef struct query_values {
    const char *meeting;
} query_values;

static const char *meeting_query(void *context, const char *name)
{
    const query_values *values = context;
    return strcmp(name, "meeting") == 0 ? values->meeting : NULL;
}

static int serve_with_meeting(static_site *site, const char *path, const char *language, const char *meeting,
                              static_response *response)
{
    query_values values = {meeting};
    static_request request = {path, "br", NULL, language, meeting_query, &values};
    alvd_err err;
    return static_site_serve(site, &request, response, &err);
}

/* The text between two markers of a page, or "". */
static void between(const char *text, const char *start, const char *end, char *out, size_t size)
{
    const char *from = strstr(text, start);
    const char *to = from ? strstr(from + strlen(start), end) : NULL;
    out[0] = '\0';
    if (from && to)
        snprintf(out, size, "%.*s", (int)(to - from - strlen(start)), from + strlen(start));
}

int main(void)
{
    CHECK(sodium_init() >= 0, "sodium");

    /* Accept-Encoding: q-values, "*", identity refused, case and spaces. */
    static const struct {
        const char *header;
        double identity, gzip, brotli;
    } codings[] = {
        {NULL, 1, 0, 0},
        {"", 1, 0, 0},
        {"gzip, deflate, br", 0.001, 1, 1},
        {"gzip;q=1.0, br;q=0.5", 0.001, 1, 0.5},
        {"br;q=0, gzip", 0.001, 1, 0},
        {"*", 1, 1, 1},
        {"*;q=0, identity", 1, 0, 0},
        {"identity;q=0, GZIP;Q=0.3", 0, 0.3, 0},
        {"x-gzip", 0.001, 1, 0},
        {"br ; q=0.8 , gzip ; q=0.9", 0.001, 0.9, 0.8},
        {"gzip;q=2", 0.001, 0, 0},
        {"gzip;q=abc, br", 0.001, 0, 1},
        {"deflate", 0.001, 0, 0},
        {"identity;q=0.5, br;q=0.4", 0.5, 0, 0.4},
    };
    for (size_t i = 0; i < sizeof codings / sizeof codings[0]; i++) {
        double q[3];
        static_accepted_codings(codings[i].header, q);
        const char *label = codings[i].header ? codings[i].header : "(none)";
        CHECK(q[STATIC_IDENTITY] == codings[i].identity, "identity of %s: %g", label, q[STATIC_IDENTITY]);
        CHECK(q[STATIC_GZIP] == codings[i].gzip, "gzip of %s: %g", label, q[STATIC_GZIP]);
        CHECK(q[STATIC_BROTLI] == codings[i].brotli, "br of %s: %g", label, q[STATIC_BROTLI]);
    }

    /* The import scanner: statements that start a line, literal dynamic imports. */
    const char *source = "// import nothing from 'comment.js' is not at a line start\n"
                         "import { a,\n  b } from './a.js';\n"
                         "import './side.js';\n"
                         "import * as all from \"../up.js\";\n"
                         "export { c } from './re.js';\n"
                         "export function reimport() { return import('./lazy.js'); }\n"
                         "const x = import(`./template-${y}.js`); obj.import('./method.js');\n"
                         "import('./statement.js').then(() => {});\n";
    found_list found = {0};
    static_js_imports(source, strlen(source), collect, &found);
    static const char *const expected[] = {"./a.js", "./side.js", "../up.js", "./re.js", "./lazy.js", "./statement.js"};
    static const int expected_dynamic[] = {0, 0, 0, 0, 1, 1};
    CHECK_INT(found.count, 6, "specifiers found");
    for (int i = 0; i < found.count && i < 6; i++) {
        CHECK_STR(found.items[i], expected[i], "specifier");
        CHECK_INT(found.dynamic[i], expected_dynamic[i], expected[i]);
    }

    /* Resolution against the importing module's URL. */
    static const struct {
        const char *base, *specifier, *result;
    } resolves[] = {
        {"/js/pages/member.js", "../api.js", "/js/api.js"},
        {"/js/pages/member.js", "./x.js", "/js/pages/x.js"},
        {"/js/i18n.js", "./i18n/nl.js", "/js/i18n/nl.js"},
        {"/js/a.js", "/css/app.css", "/css/app.css"},
        {"/js/a.js", "./b/../c/./d.js", "/js/c/d.js"},
        {"/js/a.js", "../../../x.js", NULL},
        {"/js/a.js", "lodash", NULL},
        {"/js/a.js", "//evil.example/x.js", NULL},
        {"/js/a.js", "./x.js?v=1", NULL},
        {"/js/a.js", "https://evil.example/x.js", NULL},
    };
    for (size_t i = 0; i < sizeof resolves / sizeof resolves[0]; i++) {
        char out[STATIC_URL_MAX];
        int result = static_url_resolve(resolves[i].base, resolves[i].specifier, strlen(resolves[i].specifier), out,
                                        sizeof out);
        if (resolves[i].result) {
            CHECK_INT(result, 0, resolves[i].specifier);
            if (result == 0)
                CHECK_STR(out, resolves[i].result, resolves[i].specifier);
        } else {
            CHECK_INT(result, -1, resolves[i].specifier);
        }
    }

    /* A small site: a page whose module imports a helper and loads a dictionary. */
    char root[] = "/tmp/alvd-site-XXXXXX";
    CHECK(mkdtemp(root) != NULL, "mkdtemp");
    char path[600];
    static const char *const directories[] = {"js", "js/pages", "js/i18n", "css", ".git", NULL};
    for (size_t i = 0; directories[i]; i++) {
        snprintf(path, sizeof path, "%s/%s", root, directories[i]);
        mkdir(path, 0700);
    }
    write_file(root, "index.html",
               "<!doctype html>\n<html><head>\n  <link rel=\"stylesheet\" href=\"/css/app.css\">\n"
               "  <script type=\"module\" src=\"/js/pages/home.js\"></script>\n</head>\n"
               "<body><a href=\"/other.html\">other</a><img src=\"/missing.png\" alt=\"\"></body></html>\n");
    write_file(root, "other.html", "<!doctype html><p>no scripts</p>\n");
    write_file(root, "vote.html",
               "<!doctype html>\n<html><head>\n"
               "  <meta http-equiv=\"Cache-Control\" content=\"private, max-age=300\">\n"
               "  <link rel=\"preload\" as=\"fetch\" crossorigin href=\"/api/session?lang={lang}\">\n"
               "  <link rel=\"preload\" as=\"fetch\" crossorigin href=\"/api/meetings/{meeting}/polls/current?lang={lang}\">\n"
               "  <link rel=\"preload\" as=\"fetch\" crossorigin href=\"https://elsewhere.example/api/x\">\n"
               "  <link rel=\"stylesheet\" href=\"/css/app.css\">\n</head><body></body></html>\n");
    write_file(root, "js/pages/home.js", "import { t } from '../i18n.js';\nimport '../unused-by-none.js';\n");
    write_file(root, "js/unused-by-none.js", "export const x = 1;\n");
    write_file(root, "js/i18n.js",
               "const loaders = { nl: () => import('./i18n/nl.js'), en: () => import('./i18n/en.js') };\n"
               "export function t(key) { return key; }\n");
    write_file(root, "js/i18n/nl.js", "export default { 'a': 'Dutch text, repeated. Dutch text, repeated. Dutch text, repeated.' };\n");
    write_file(root, "js/i18n/en.js", "export default { 'a': 'English' };\n");
    static const char rule[] = "body { margin: 0; padding: 0; color: #123456; }\n";
    char css[4096] = "";
    size_t used = 0;
    for (int i = 0; i < 60; i++) /* compressible */
        used += (size_t)snprintf(css + used, sizeof css - used, "%s", rule);
    write_file(root, "css/app.css", css);
    write_file(root, ".git/config", "[core]\n");
    write_file(root, ".hidden", "secret\n");

    alvd_err err;
    static_site *site = static_site_open(root, &err);
    CHECK(site != NULL, "site opens");
    static_response page, again, file;

    /* The page: fingerprinted CSS and entry, an import map with every module it can
     * reach, preloads for the static graph and the Dutch dictionary only. */
    CHECK_INT(serve(site, "/", NULL, NULL, NULL, &page), 0, "index");
    CHECK_STR(page.cache_control, "no-cache", "pages are revalidated");
    CHECK(page.content_encoding == NULL, "no coding asked for");
    CHECK_STR(page.vary, "Accept-Encoding, Cookie", "page vary");
    char *html = strndup(page.data, page.length);
    CHECK(strstr(html, "href=\"/css/app.css\"") == NULL && strstr(html, "href=\"/css/app.") != NULL, "css fingerprinted: %s", html);
    CHECK(strstr(html, "href=\"/other.html\"") != NULL, "links to pages stay plain");
    CHECK(strstr(html, "src=\"/missing.png\"") != NULL, "unknown files stay as written");
    char map[2048];
    between(html, "<script type=\"importmap\">", "</script>", map, sizeof map);
    CHECK(strstr(map, "\"/js/i18n.js\":\"/js/i18n.") != NULL, "map: i18n (%s)", map);
    CHECK(strstr(map, "\"/js/i18n/en.js\":\"/js/i18n/en.") != NULL, "map: the other dictionary too");
    CHECK(strstr(map, "\"/js/unused-by-none.js\"") != NULL, "map: side-effect import");
    CHECK(strstr(html, "rel=\"modulepreload\" href=\"/js/i18n/nl.") != NULL, "Dutch dictionary preloaded");
    CHECK(strstr(html, "rel=\"modulepreload\" href=\"/js/i18n/en.") == NULL, "English not preloaded");
    CHECK(strstr(html, "rel=\"modulepreload\" href=\"/js/pages/home.") == NULL, "the entry itself not preloaded");
    CHECK(strstr(html, "importmap") < strstr(html, "modulepreload") &&
              strstr(html, "modulepreload") < strstr(html, "<script type=\"module\""),
          "map, then preloads, then the module script");
    /* The CSP source is the SHA-256 of the map's text. */
    unsigned char digest[crypto_hash_sha256_BYTES];
    char encoded[64], expected_hash[80];
    crypto_hash_sha256(digest, (const unsigned char *)map, strlen(map));
    sodium_bin2base64(encoded, sizeof encoded, digest, sizeof digest, sodium_base64_VARIANT_ORIGINAL);
    snprintf(expected_hash, sizeof expected_hash, "'sha256-%s'", encoded);
    CHECK_STR(page.script_hash, expected_hash, "script hash");

    CHECK_STR(page.link, "", "no Link header for a page without data preloads");

    /* A page's API preloads: out of the text, into a Link header filled per request
     * ({lang} from the cookie, {meeting} from the query when it is a number). */
    static const char session_link[] = "</api/session?lang=%s>; rel=preload; as=fetch; crossorigin";
    static const char poll_link[] = "</api/meetings/%s/polls/current?lang=%s>; rel=preload; as=fetch; crossorigin";
    static const struct {
        const char *language, *meeting, *session_language, *poll_meeting;
    } preloads[] = {
        {NULL, "7", "nl", "7"},
        {"en", "123456789012345678", "en", "123456789012345678"},
        {"fr", "7", "nl", "7"},
        {"nl", NULL, "nl", NULL},
        {"nl", "", "nl", NULL},
        {"nl", "7x", "nl", NULL},
        {"nl", "7>; rel=stylesheet", "nl", NULL},
        {"nl", "1234567890123456789", "nl", NULL},
    };
    for (size_t i = 0; i < sizeof preloads / sizeof preloads[0]; i++) {
        static_response vote;
        char expected_link[512];
        int written = snprintf(expected_link, sizeof expected_link, session_link, preloads[i].session_language);
        if (preloads[i].poll_meeting) {
            written += snprintf(expected_link + written, sizeof expected_link - (size_t)written, ", ");
            snprintf(expected_link + written, sizeof expected_link - (size_t)written, poll_link,
                     preloads[i].poll_meeting, preloads[i].session_language);
        }
        const char *label = preloads[i].meeting ? preloads[i].meeting : "(no meeting)";
        CHECK_INT(serve_with_meeting(site, "/vote.html", preloads[i].language, preloads[i].meeting, &vote), 0, label);
        CHECK_STR(vote.link, expected_link, label);
        char *vote_html = strndup(vote.data, vote.length);
        if (i == 0) {
            CHECK(strstr(vote_html, "/api/") != NULL && strstr(vote_html, "{lang}") == NULL &&
                      strstr(vote_html, "{meeting}") == NULL,
                  "the API preloads are out of the page, another origin's stays: %s", vote_html);
            CHECK(strstr(vote_html, "https://elsewhere.example/api/x") != NULL, "another origin's link as written");
            CHECK(strstr(vote_html, "<html><head>\n  <link rel=\"preload\" as=\"fetch\" crossorigin href=\"https://") != NULL,
                  "the white space after a taken tag goes with it: %s", vote_html);
            CHECK(strstr(vote_html, "rel=\"stylesheet\" href=\"/css/app.") != NULL, "the rest rendered as before");
            CHECK_STR(vote.cache_control, "private, max-age=300", "the page's own Cache-Control");
            CHECK(strstr(vote_html, "http-equiv") == NULL, "and its meta is out of the page");
        }
        free(vote_html);
        free(vote.data);
    }
    /* The header never passes its room: the preloads that fit, whole. */
    char small[80];
    query_values three = {"3"};
    static_html_link_header("/api/session?lang={lang}\n/api/meetings/{meeting}\n", "nl", meeting_query, &three, small,
                            sizeof small);
    CHECK_STR(small, "</api/session?lang=nl>; rel=preload; as=fetch; crossorigin", "only what fits");
    static_html_link_header("/api/x/{unclosed\n/api/y/{}\n/api/z\n", "nl", NULL, NULL, small, sizeof small);
    CHECK_STR(small, "</api/z>; rel=preload; as=fetch; crossorigin", "broken placeholders left out");

    /* English: the other dictionary preloaded, a different validator. */
    static_response english;
    CHECK_INT(serve(site, "/index.html", NULL, NULL, "en", &english), 0, "index in English");
    char *english_html = strndup(english.data, english.length);
    CHECK(strstr(english_html, "modulepreload\" href=\"/js/i18n/en.") != NULL, "English dictionary preloaded");
    CHECK(strstr(english_html, "modulepreload\" href=\"/js/i18n/nl.") == NULL, "Dutch not preloaded");
    free(english_html);
    CHECK(strcmp(english.etag, page.etag) != 0, "etag per language");
    free(english.data);

    /* 304 on the same validator, also weak and in a list; not for another one. */
    char list[128];
    snprintf(list, sizeof list, "\"nope\", W/%s", page.etag);
    CHECK_INT(serve(site, "/", NULL, page.etag, NULL, &again), 0, "revalidate");
    CHECK_INT(again.status, 304, "304 on the etag");
    CHECK(again.data == NULL, "no body on 304");
    CHECK_INT(serve(site, "/", NULL, list, NULL, &again), 0, "revalidate list");
    CHECK_INT(again.status, 304, "304 on a list with a weak tag");
    CHECK_INT(serve(site, "/", NULL, "\"nope\"", NULL, &again), 0, "other tag");
    CHECK_INT(again.status, 200, "200 on another tag");
    free(again.data);

    /* An asset: plain URL revalidated, fingerprinted URL immutable, same bytes. */
    char hashed[STATIC_URL_MAX];
    between(html, "<link rel=\"stylesheet\" href=\"", "\"", hashed, sizeof hashed);
    static_response plain;
    CHECK_INT(serve(site, "/css/app.css", NULL, NULL, NULL, &plain), 0, "plain css");
    CHECK_STR(plain.cache_control, "no-cache", "plain URL revalidated");
    CHECK_INT(serve(site, hashed, NULL, NULL, NULL, &file), 0, "fingerprinted css");
    CHECK_STR(file.cache_control, STATIC_CACHE_IMMUTABLE, "fingerprinted URL immutable");
    CHECK(file.length == plain.length && memcmp(file.data, plain.data, plain.length) == 0, "same bytes");
    CHECK_STR(file.vary, "Accept-Encoding", "asset vary");
    free(file.data);
    CHECK_INT(serve(site, "/css/app.000000000000.css", NULL, NULL, NULL, &file), 0, "outdated fingerprint");
    CHECK_STR(file.cache_control, "no-cache", "outdated fingerprint answered like the plain URL");
    free(file.data);

    /* gzip at once, byte-identical after inflating; brotli once the compressor made it. */
    CHECK_INT(serve(site, "/css/app.css", "gzip, br", NULL, NULL, &file), 0, "gzip css");
    CHECK(file.content_encoding && strcmp(file.content_encoding, "gzip") == 0, "gzip while brotli is made");
    CHECK(strstr(file.etag, "-gz\"") != NULL, "gzip etag");
    unsigned char *inflated = malloc(plain.length + 1);
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    inflateInit2(&stream, 15 + 16);
    stream.next_in = (unsigned char *)file.data;
    stream.avail_in = (uInt)file.length;
    stream.next_out = inflated;
    stream.avail_out = (uInt)plain.length + 1;
    CHECK_INT(inflate(&stream, Z_FINISH), Z_STREAM_END, "inflate");
    CHECK(stream.total_out == plain.length && memcmp(inflated, plain.data, plain.length) == 0, "gzip round trip");
    inflateEnd(&stream);
    free(inflated);
    CHECK(file.length < plain.length, "gzip smaller");
    free(file.data);
    static_site_settle(site);
    CHECK_INT(serve(site, "/css/app.css", "gzip, br", NULL, NULL, &file), 0, "br css");
    CHECK(file.content_encoding && strcmp(file.content_encoding, "br") == 0, "brotli when ready");
    CHECK(strstr(file.etag, "-br\"") != NULL, "brotli etag");
    free(file.data);
    CHECK_INT(serve(site, "/css/app.css", "br;q=0.5, gzip", NULL, NULL, &file), 0, "q prefers gzip");
    CHECK(file.content_encoding && strcmp(file.content_encoding, "gzip") == 0, "higher q wins");
    free(file.data);
    CHECK_INT(serve(site, "/css/app.css", "gzip;q=0.2", NULL, NULL, &file), 0, "a low q still beats implied identity");
    CHECK(file.content_encoding && strcmp(file.content_encoding, "gzip") == 0, "gzip at q=0.2");
    free(file.data);
    CHECK_INT(serve(site, "/css/app.css", "identity;q=0.5, br;q=0.4", NULL, NULL, &file), 0, "named identity");
    CHECK(file.content_encoding == NULL, "identity named higher");
    free(file.data);
    CHECK_INT(serve(site, "/css/app.css", "identity", NULL, NULL, &file), 0, "identity");
    CHECK(file.content_encoding == NULL && file.length == plain.length, "identity is the file");
    free(file.data);
    /* A file too small to gain keeps no compressed form. */
    CHECK_INT(serve(site, "/js/i18n/en.js", "gzip", NULL, NULL, &file), 0, "tiny file");
    CHECK(file.content_encoding == NULL, "tiny file plain");
    free(file.data);

    /* Nothing hidden, nothing outside, nothing unlisted. */
    static const char *const refused[] = {"/.hidden", "/.git/config", "/../etc/passwd", "/js/../.hidden",
                                          "js/i18n.js", "/nope.js", NULL};
    for (size_t i = 0; refused[i]; i++)
        CHECK_INT(serve(site, refused[i], NULL, NULL, NULL, &file), -1, refused[i]);

    /* A changed file is seen after the rescan interval: new fingerprint, new page. */
    sleep(STATIC_RESCAN_SECONDS + 1);
    write_file(root, "css/app.css", "body { margin: 1px; }\n");
    sleep(STATIC_RESCAN_SECONDS + 1);
    static_response changed;
    CHECK_INT(serve(site, "/", NULL, NULL, NULL, &changed), 0, "index after change");
    char *changed_html = strndup(changed.data, changed.length);
    CHECK(strstr(changed_html, hashed) == NULL, "new fingerprint for the changed CSS");
    CHECK(strcmp(changed.etag, page.etag) != 0, "new etag for the page");
    CHECK_INT(serve(site, hashed, NULL, NULL, NULL, &file), 0, "old fingerprint still answers");
    CHECK_STR(file.cache_control, "no-cache", "old fingerprint revalidated");
    CHECK(file.length == strlen("body { margin: 1px; }\n"), "with the current file");
    free(file.data);
    free(changed_html);
    free(changed.data);

    free(html);
    free(page.data);
    free(plain.data);
    static_site_close(site);
    char command[700];
    snprintf(command, sizeof command, "rm -rf '%s'", root);
    CHECK_INT(system(command), 0, "cleanup");
    return check_report("static_files");
}
