/* Capped buffers (hard cap, overflow flag, HTML and CSV escaping incl. formula
 * injection), static path safety, and token encoding/hashing. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "alvd/base/buf.h"
#include "alvd/crypto/token.h"
#include "alvd/http/static_files.h"
#include "check.h"

int main(void)
{
    alvd_buf buf;
    buf_init(&buf, 10);
    CHECK_INT(buf_append_str(&buf, "12345"), 0, "fits");
    CHECK_INT(buf_appendf(&buf, "%d", 67890), 0, "exactly the cap");
    CHECK_INT(buf_append_str(&buf, "x"), -1, "over the cap");
    CHECK_INT(buf.overflowed, 1, "overflow flag");
    CHECK_STR(buf.data, "1234567890", "content kept");
    buf_free(&buf);

    buf_init(&buf, 1024);
    buf_append_html(&buf, "<a href=\"x\">'&'</a>");
    CHECK_STR(buf.data, "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;", "html escape");
    buf_free(&buf);

    buf_init(&buf, 1024);
    buf_append_csv(&buf, "plain");
    buf_append_str(&buf, "|");
    buf_append_csv(&buf, "semi;colon \"quoted\"");
    buf_append_str(&buf, "|");
    buf_append_csv(&buf, "=HYPERLINK(\"x\")");
    CHECK_STR(buf.data, "plain|\"semi;colon \"\"quoted\"\"\"|\"'=HYPERLINK(\"\"x\"\")\"", "csv");
    size_t length = 0;
    char *taken = buf_take(&buf, &length);
    CHECK(taken != NULL && length == strlen(taken), "take");
    free(taken);
    buf_free(&buf);

    /* Static files: a temporary web dir with one file and a secret next to it. */
    char root[] = "/tmp/alvd-web-XXXXXX";
    CHECK(mkdtemp(root) != NULL, "mkdtemp");
    char path[400], web[300];
    snprintf(web, sizeof web, "%s/web", root);
    mkdir(web, 0700);
    snprintf(path, sizeof path, "%s/index.html", web);
    FILE *file = fopen(path, "w");
    fputs("<h1>hi</h1>", file);
    fclose(file);
    snprintf(path, sizeof path, "%s/secret.txt", root);
    file = fopen(path, "w");
    fputs("secret", file);
    fclose(file);
    snprintf(path, sizeof path, "%s/web/link", root);
    CHECK_INT(symlink("../secret.txt", path), 0, "symlink");
    alvd_err err;
    static_site *site = static_site_open(web, &err);
    CHECK(site != NULL, "site");
    static_response loaded;
    static_request wanted = {.path = "/"};
    CHECK_INT(static_site_serve(site, &wanted, &loaded, &err), 0, "index");
    CHECK_STR(loaded.content_type, "text/html; charset=utf-8", "type");
    CHECK(loaded.etag[0] == '"', "etag quoted");
    free(loaded.data);
    static const char *const refused[] = {"/../secret.txt", "/./index.html", "/.hidden", "/link", "/a\\b",
                                          "index.html", "/nope.html", "/web/index.html", "", NULL};
    for (size_t i = 0; refused[i]; i++) {
        wanted.path = refused[i];
        CHECK_INT(static_site_serve(site, &wanted, &loaded, &err), -1, refused[i]);
        CHECK_INT(err.status, 404, refused[i]);
    }
    static_site_close(site);
    CHECK_STR(static_content_type("x.js"), "text/javascript; charset=utf-8", "js type");
    CHECK_STR(static_content_type("x.unknown"), "application/octet-stream", "unknown type");

    /* Tokens: 43 characters of base64url, unique, hashed stably. */
    CHECK_INT(sodium_init() >= 0, 1, "sodium");
    char first[TOKEN_TEXT_SIZE], second[TOKEN_TEXT_SIZE];
    token_new(first);
    token_new(second);
    CHECK_INT((long long)strlen(first), 43, "token length");
    CHECK(strcmp(first, second) != 0, "tokens differ");
    CHECK(strspn(first, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") == 43, "base64url");
    unsigned char hash_a[TOKEN_HASH_BYTES], hash_b[TOKEN_HASH_BYTES];
    token_hash(first, hash_a);
    token_hash(first, hash_b);
    CHECK(memcmp(hash_a, hash_b, sizeof hash_a) == 0, "hash stable");
    unsigned char decoded[64];
    CHECK_INT(token_base64url_decode(first, decoded, sizeof decoded), 32, "decodes to 32 bytes");
    CHECK_INT(token_base64url_decode("abc=", decoded, sizeof decoded), -1, "padding refused");
    CHECK_INT(token_base64url_decode("ab+/", decoded, sizeof decoded), -1, "standard alphabet refused");
    return check_report("base");
}
