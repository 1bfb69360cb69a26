/* Serving web/: every path is checked segment by segment and then by realpath, so
 * neither "..", an encoded "..", nor a symlink can leave the web directory. */
#include "alvd/http/static_files.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const struct {
    const char *extension;
    const char *type;
} static_types[] = {
    {".html", "text/html; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".jpg", "image/jpeg"},
    {".ico", "image/x-icon"},
    {".woff2", "font/woff2"},
    {".txt", "text/plain; charset=utf-8"},
    {".webmanifest", "application/manifest+json"},
};

const char *static_content_type(const char *path)
{
    size_t length = strlen(path);
    for (size_t i = 0; i < sizeof static_types / sizeof static_types[0]; i++) {
        size_t ext = strlen(static_types[i].extension);
        if (length >= ext && strcmp(path + length - ext, static_types[i].extension) == 0)
            return static_types[i].type;
    }
    return "application/octet-stream";
}

static int static_path_is_safe(const char *url_path)
{
    if (url_path[0] != '/' || strchr(url_path, '\\') || strlen(url_path) > 512)
        return 0;
    /* Reject any segment that starts with a dot: "..", "." and hidden files alike. */
    for (const char *p = url_path; *p; p++)
        if (*p == '/' && p[1] == '.')
            return 0;
    for (const unsigned char *p = (const unsigned char *)url_path; *p; p++)
        if (*p < 0x20)
            return 0;
    return 1;
}

int static_file_load(const char *web_dir, const char *url_path, static_file *file, alvd_err *err)
{
    char joined[PATH_MAX], resolved[PATH_MAX], root[PATH_MAX];
    FILE *handle = NULL;
    memset(file, 0, sizeof *file);
    if (!static_path_is_safe(url_path) || realpath(web_dir, root) == NULL)
        goto missing;
    snprintf(joined, sizeof joined, "%s%s", web_dir, url_path);
    struct stat info;
    if (stat(joined, &info) == 0 && S_ISDIR(info.st_mode)) {
        size_t length = strlen(joined);
        snprintf(joined + length, sizeof joined - length, "%sindex.html",
                 length && joined[length - 1] == '/' ? "" : "/");
    }
    if (realpath(joined, resolved) == NULL)
        goto missing;
    size_t root_length = strlen(root);
    if (strncmp(resolved, root, root_length) != 0 || resolved[root_length] != '/')
        goto missing;
    if (stat(resolved, &info) != 0 || !S_ISREG(info.st_mode) || info.st_size > STATIC_MAX_BYTES)
        goto missing;
    handle = fopen(resolved, "rb");
    if (handle == NULL)
        goto missing;
    file->data = malloc((size_t)info.st_size + 1);
    if (file->data == NULL)
        goto missing;
    file->length = fread(file->data, 1, (size_t)info.st_size, handle);
    fclose(handle);
    handle = NULL;
    file->content_type = static_content_type(resolved);
    snprintf(file->etag, sizeof file->etag, "\"%llx-%llx\"", (unsigned long long)info.st_size,
             (unsigned long long)info.st_mtim.tv_sec * 1000000000ull +
                 (unsigned long long)info.st_mtim.tv_nsec);
    return 0;
missing:
    if (handle)
        fclose(handle);
    free(file->data);
    file->data = NULL;
    return alvd_err_set(err, 404, "not_found", NULL, "Deze pagina bestaat niet.");
}
