/* Files of web/: safe path resolution (no traversal, no hidden files), content types
 * by extension and a validator (ETag) for conditional requests. */
#ifndef ALVD_HTTP_STATIC_FILES_H
#define ALVD_HTTP_STATIC_FILES_H

#include <stddef.h>

#include "alvd/base/err.h"

#define STATIC_MAX_BYTES (8 * 1024 * 1024)

typedef struct static_file {
    char *data;               /* malloc'd contents, caller frees */
    size_t length;
    const char *content_type; /* static string */
    char etag[64];            /* quoted */
} static_file;

/* Load url_path ("/css/app.css"; "/" and directories give index.html) from web_dir.
 * 404 "not_found" for anything missing, hidden, outside web_dir or containing "..". */
int static_file_load(const char *web_dir, const char *url_path, static_file *file, alvd_err *err);
const char *static_content_type(const char *path);

#endif
