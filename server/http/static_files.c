/* Serving web/ from an index made at start: only files found by walking web_dir (no
 * hidden names, nothing outside it) can be answered, each under its plain URL and a
 * fingerprinted one, compressed with zlib at once and with brotli in the background. */
#include "alvd/http/static_files.h"

#include <brotli/encode.h>
#include <dirent.h>
#include <limits.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <zlib.h>

#include "alvd/base/log.h"

/* Brotli at its densest: made once per file, off the request path. */
#define STATIC_BROTLI_QUALITY 11
#define STATIC_GZIP_LEVEL 9
#define STATIC_WALK_DEPTH 16
#define STATIC_LANGUAGES 2
/* The weight of identity when Accept-Encoding lists codings but not identity. */
#define STATIC_IDENTITY_IMPLIED_Q 0.001

static const char *const static_languages[STATIC_LANGUAGES] = {"nl", "en"};

enum { VARIANT_NONE, VARIANT_QUEUED, VARIANT_WORKING, VARIANT_READY, VARIANT_USELESS };

/* One representation's bytes: the file (or rendered page) and its compressed forms. */
typedef struct static_body {
    unsigned char *data[3];
    size_t length[3];
    unsigned char state[3];
    char fingerprint[STATIC_FINGERPRINT_HEX + 1];
    char script_hash[STATIC_SCRIPT_HASH_SIZE];
    char *data_preloads; /* pages: hrefs of the API preloads, one per line, or NULL */
    char cache_control[STATIC_CACHE_CONTROL_SIZE]; /* pages: their own, or "" (no-cache) */
} static_body;

typedef struct static_entry {
    char url[STATIC_URL_MAX];
    char hashed_url[STATIC_URL_MAX]; /* "" for pages and odd names */
    const char *content_type;
    int compressible;
    int page;
    size_t body_count;               /* pages: one per language */
    static_body bodies[STATIC_LANGUAGES];
} static_entry;

typedef struct static_key {
    const char *url;
    size_t entry;
    int fingerprinted;
} static_key;

typedef struct static_index {
    static_entry *entries;
    size_t count;
    static_key *keys;
    size_t key_count;
    unsigned char signature[crypto_generichash_BYTES];
} static_index;

struct static_site {
    char web_dir[PATH_MAX];
    pthread_mutex_t lock;
    pthread_cond_t work; /* a brotli variant is wanted, or stop */
    pthread_cond_t idle; /* the compressor has nothing left */
    static_index *index;
    struct timespec scanned;
    int rescanning;      /* one thread walks web/ at a time, without the lock */
    pthread_t compressor;
    int compressor_started;
    int compressor_busy;
    int stopping;
};

static const struct {
    const char *extension;
    const char *type;
    int compressible;
} static_types[] = {
    {".html", "text/html; charset=utf-8", 1},
    {".css", "text/css; charset=utf-8", 1},
    {".js", "text/javascript; charset=utf-8", 1},
    {".mjs", "text/javascript; charset=utf-8", 1},
    {".json", "application/json; charset=utf-8", 1},
    {".svg", "image/svg+xml", 1},
    {".png", "image/png", 0},
    {".jpg", "image/jpeg", 0},
    {".ico", "image/x-icon", 1},
    {".woff2", "font/woff2", 0},
    {".txt", "text/plain; charset=utf-8", 1},
    {".webmanifest", "application/manifest+json", 1},
};

static size_t static_type_index(const char *path)
{
    size_t length = strlen(path);
    for (size_t i = 0; i < sizeof static_types / sizeof static_types[0]; i++) {
        size_t ext = strlen(static_types[i].extension);
        if (length >= ext && strcmp(path + length - ext, static_types[i].extension) == 0)
            return i;
    }
    return (size_t)-1;
}

const char *static_content_type(const char *path)
{
    size_t index = static_type_index(path);
    return index == (size_t)-1 ? "application/octet-stream" : static_types[index].type;
}

/* ---------------------------------------------------------------- Accept-Encoding */

void static_accepted_codings(const char *accept_encoding, double q[3])
{
    double named[3] = {-1, -1, -1}, star = -1;
    int any = 0; /* some coding listed, known to us or not */
    const char *p = accept_encoding ? accept_encoding : "";
    while (*p) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        const char *token = p;
        while (*p && *p != ',' && *p != ';' && *p != ' ' && *p != '\t')
            p++;
        size_t token_length = (size_t)(p - token);
        double value = 1;
        /* Parameters: only q matters; a malformed q counts as refusal (q=0). */
        while (*p && *p != ',') {
            while (*p == ' ' || *p == '\t' || *p == ';')
                p++;
            if ((*p == 'q' || *p == 'Q') && p[1] == '=') {
                char *stop;
                value = strtod(p + 2, &stop);
                if (stop == p + 2 || value < 0 || value > 1)
                    value = 0;
                p = stop;
            }
            while (*p && *p != ',' && *p != ';')
                p++;
        }
        if (token_length == 0)
            continue;
        any = 1;
        if (token_length == 1 && token[0] == '*')
            star = value;
        else if (token_length == 8 && strncasecmp(token, "identity", 8) == 0)
            named[STATIC_IDENTITY] = value;
        else if ((token_length == 4 && strncasecmp(token, "gzip", 4) == 0) ||
                 (token_length == 6 && strncasecmp(token, "x-gzip", 6) == 0))
            named[STATIC_GZIP] = value;
        else if (token_length == 2 && strncasecmp(token, "br", 2) == 0)
            named[STATIC_BROTLI] = value;
    }
    for (int coding = 0; coding < 3; coding++) {
        if (named[coding] >= 0)
            q[coding] = named[coding];
        else if (star >= 0)
            q[coding] = star;
        else if (coding != STATIC_IDENTITY)
            q[coding] = 0;
        else /* acceptable, but below every coding the client named (RFC 9110 §12.5.3) */
            q[coding] = any ? STATIC_IDENTITY_IMPLIED_Q : 1;
    }
}

/* ---------------------------------------------------------------- compression */

int static_gzip_level(const unsigned char *data, size_t length, int level, unsigned char **out,
                      size_t *out_length)
{
    z_stream stream;
    memset(&stream, 0, sizeof stream);
    /* 15 + 16: a gzip wrapper (no file name, time 0), not a zlib one. */
    if (deflateInit2(&stream, level, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    size_t capacity = deflateBound(&stream, (uLong)length) + 32;
    unsigned char *buffer = malloc(capacity);
    if (buffer == NULL) {
        deflateEnd(&stream);
        return -1;
    }
    stream.next_in = (unsigned char *)(uintptr_t)data;
    stream.avail_in = (uInt)length;
    stream.next_out = buffer;
    stream.avail_out = (uInt)capacity;
    int result = deflate(&stream, Z_FINISH);
    *out_length = stream.total_out;
    deflateEnd(&stream);
    if (result != Z_STREAM_END) {
        free(buffer);
        return -1;
    }
    *out = buffer;
    return 0;
}

static int static_gzip(const unsigned char *data, size_t length, unsigned char **out, size_t *out_length)
{
    return static_gzip_level(data, length, STATIC_GZIP_LEVEL, out, out_length);
}

static int static_brotli(const unsigned char *data, size_t length, unsigned char **out, size_t *out_length)
{
    size_t capacity = BrotliEncoderMaxCompressedSize(length);
    if (capacity == 0)
        capacity = length + length / 2 + 1024;
    unsigned char *buffer = malloc(capacity);
    if (buffer == NULL)
        return -1;
    *out_length = capacity;
    if (!BrotliEncoderCompress(STATIC_BROTLI_QUALITY, BROTLI_DEFAULT_WINDOW, BROTLI_MODE_TEXT, length, data,
                               out_length, buffer)) {
        free(buffer);
        return -1;
    }
    *out = buffer;
    return 0;
}

/* Keep a compressed form only when it is smaller than the plain bytes. */
static void static_body_store(static_body *body, int coding, unsigned char *data, size_t length)
{
    if (data == NULL || length >= body->length[STATIC_IDENTITY]) {
        free(data);
        body->state[coding] = VARIANT_USELESS;
        return;
    }
    body->data[coding] = data;
    body->length[coding] = length;
    body->state[coding] = VARIANT_READY;
}

/* ---------------------------------------------------------------- the index */

typedef struct static_found {
    char url[STATIC_URL_MAX];
    char path[PATH_MAX];
    long long size, mtime_ns;
    unsigned long long inode, device;
} static_found;

typedef struct static_listing {
    static_found *files;
    size_t count, capacity;
    long long total;
    char root[PATH_MAX];
} static_listing;

static int static_name_ok(const char *name)
{
    if (name[0] == '.')
        return 0; /* ".", "..", hidden files and directories */
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == '\\' || *p == 0x7f)
            return 0;
    return 1;
}

static void static_walk(static_listing *list, const char *directory, const char *url_prefix, int depth)
{
    if (depth > STATIC_WALK_DEPTH)
        return;
    DIR *dir = opendir(directory);
    if (dir == NULL)
        return;
    struct dirent *item;
    while ((item = readdir(dir)) != NULL && list->count < STATIC_MAX_FILES) {
        char path[PATH_MAX], url[STATIC_URL_MAX], resolved[PATH_MAX];
        struct stat info;
        if (!static_name_ok(item->d_name) ||
            (size_t)snprintf(path, sizeof path, "%s/%s", directory, item->d_name) >= sizeof path ||
            (size_t)snprintf(url, sizeof url, "%s/%s", url_prefix, item->d_name) >= sizeof url ||
            stat(path, &info) != 0)
            continue;
        /* A symbolic link may point anywhere: follow it only when it stays inside. */
        size_t root_length = strlen(list->root);
        if (realpath(path, resolved) == NULL || strncmp(resolved, list->root, root_length) != 0 ||
            resolved[root_length] != '/')
            continue;
        if (S_ISDIR(info.st_mode)) {
            static_walk(list, path, url, depth + 1);
            continue;
        }
        if (!S_ISREG(info.st_mode) || info.st_size > STATIC_MAX_BYTES ||
            list->total + info.st_size > STATIC_MAX_TOTAL_BYTES)
            continue;
        if (list->count == list->capacity) {
            size_t capacity = list->capacity ? list->capacity * 2 : 128;
            static_found *grown = realloc(list->files, capacity * sizeof *grown);
            if (grown == NULL)
                break;
            list->files = grown;
            list->capacity = capacity;
        }
        static_found *found = &list->files[list->count++];
        snprintf(found->url, sizeof found->url, "%s", url);
        snprintf(found->path, sizeof found->path, "%s", path);
        found->size = info.st_size;
        found->mtime_ns = (long long)info.st_mtim.tv_sec * 1000000000LL + info.st_mtim.tv_nsec;
        found->inode = info.st_ino;
        found->device = info.st_dev;
        list->total += info.st_size;
    }
    closedir(dir);
}

static int static_found_compare(const void *left, const void *right)
{
    return strcmp(((const static_found *)left)->url, ((const static_found *)right)->url);
}

/* Walk web_dir; the signature changes whenever a file is added, removed or written. */
static int static_list(const char *web_dir, static_listing *list, unsigned char signature[crypto_generichash_BYTES])
{
    memset(list, 0, sizeof *list);
    if (realpath(web_dir, list->root) != NULL)
        static_walk(list, list->root, "", 0);
    if (list->count)
        qsort(list->files, list->count, sizeof list->files[0], static_found_compare);
    crypto_generichash_state state;
    crypto_generichash_init(&state, NULL, 0, crypto_generichash_BYTES);
    for (size_t i = 0; i < list->count; i++) {
        const static_found *found = &list->files[i];
        long long numbers[4] = {found->size, found->mtime_ns, (long long)found->inode, (long long)found->device};
        crypto_generichash_update(&state, (const unsigned char *)found->url, strlen(found->url) + 1);
        crypto_generichash_update(&state, (const unsigned char *)numbers, sizeof numbers);
    }
    crypto_generichash_final(&state, signature, crypto_generichash_BYTES);
    return 0;
}

static void static_fingerprint(const unsigned char *data, size_t length, char out[STATIC_FINGERPRINT_HEX + 1])
{
    unsigned char digest[16];
    char hex[sizeof digest * 2 + 1];
    crypto_generichash(digest, sizeof digest, data, length, NULL, 0);
    sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
    memcpy(out, hex, STATIC_FINGERPRINT_HEX);
    out[STATIC_FINGERPRINT_HEX] = '\0';
}

static int static_key_compare(const void *left, const void *right)
{
    return strcmp(((const static_key *)left)->url, ((const static_key *)right)->url);
}

static const static_key *static_key_find(const static_index *index, const char *url)
{
    static_key wanted = {url, 0, 0};
    return index->key_count ? bsearch(&wanted, index->keys, index->key_count, sizeof wanted, static_key_compare)
                            : NULL;
}

static const char *static_index_hashed_url(void *context, const char *url)
{
    const static_index *index = context;
    const static_key *key = static_key_find(index, url);
    if (key == NULL)
        return NULL;
    const static_entry *entry = &index->entries[key->entry];
    return entry->hashed_url[0] ? entry->hashed_url : NULL;
}

static const char *static_index_module_source(void *context, const char *url, size_t *length)
{
    const static_index *index = context;
    const static_key *key = static_key_find(index, url);
    if (key == NULL || key->fingerprinted)
        return NULL;
    const static_entry *entry = &index->entries[key->entry];
    size_t url_length = strlen(entry->url);
    if (entry->page || url_length < 3 || strcmp(entry->url + url_length - 3, ".js") != 0)
        return NULL;
    *length = entry->bodies[0].length[STATIC_IDENTITY];
    return (const char *)entry->bodies[0].data[STATIC_IDENTITY];
}

static void static_index_free(static_index *index)
{
    if (index == NULL)
        return;
    for (size_t i = 0; i < index->count; i++)
        for (size_t b = 0; b < STATIC_LANGUAGES; b++) {
            for (int coding = 0; coding < 3; coding++)
                free(index->entries[i].bodies[b].data[coding]);
            free(index->entries[i].bodies[b].data_preloads);
        }
    free(index->entries);
    free(index->keys);
    free(index);
}

/* "/js/ui.js" → "/js/ui.<fingerprint>.js"; names without an extension get none. */
static void static_hashed_url(static_entry *entry)
{
    const char *slash = strrchr(entry->url, '/');
    const char *dot = strrchr(entry->url, '.');
    size_t length = strlen(entry->url);
    entry->hashed_url[0] = '\0';
    if (entry->page || dot == NULL || slash == NULL || dot < slash + 2 || !static_url_is_plain(entry->url, length) ||
        length + STATIC_FINGERPRINT_HEX + 2 > sizeof entry->hashed_url)
        return;
    snprintf(entry->hashed_url, sizeof entry->hashed_url, "%.*s.%s%s", (int)(dot - entry->url), entry->url,
             entry->bodies[0].fingerprint, dot);
}

static unsigned char *static_read(const char *path, size_t expected, size_t *length)
{
    FILE *handle = fopen(path, "rb");
    if (handle == NULL)
        return NULL;
    unsigned char *data = malloc(expected + 1);
    if (data)
        *length = fread(data, 1, expected, handle);
    fclose(handle);
    if (data)
        data[*length] = '\0';
    return data;
}

static static_index *static_index_build(const static_listing *list, const unsigned char *signature)
{
    static_index *index = calloc(1, sizeof *index);
    if (index == NULL)
        return NULL;
    memcpy(index->signature, signature, sizeof index->signature);
    index->entries = calloc(list->count ? list->count : 1, sizeof *index->entries);
    index->keys = calloc(list->count ? list->count * 2 : 1, sizeof *index->keys);
    if (index->entries == NULL || index->keys == NULL)
        goto fail;
    for (size_t i = 0; i < list->count; i++) {
        const static_found *found = &list->files[i];
        size_t length = 0;
        unsigned char *data = static_read(found->path, (size_t)found->size, &length);
        if (data == NULL)
            continue; /* gone since the walk: the next scan sees it */
        static_entry *entry = &index->entries[index->count++];
        size_t type = static_type_index(found->url);
        snprintf(entry->url, sizeof entry->url, "%s", found->url);
        entry->content_type = type == (size_t)-1 ? "application/octet-stream" : static_types[type].type;
        entry->compressible = type != (size_t)-1 && static_types[type].compressible;
        entry->page = type == 0;
        entry->body_count = 1;
        entry->bodies[0].data[STATIC_IDENTITY] = data;
        entry->bodies[0].length[STATIC_IDENTITY] = length;
        entry->bodies[0].state[STATIC_IDENTITY] = VARIANT_READY;
        static_fingerprint(data, length, entry->bodies[0].fingerprint);
        static_hashed_url(entry);
    }
    for (size_t i = 0; i < index->count; i++) {
        static_entry *entry = &index->entries[i];
        index->keys[index->key_count++] = (static_key){entry->url, i, 0};
        if (entry->hashed_url[0])
            index->keys[index->key_count++] = (static_key){entry->hashed_url, i, 1};
    }
    qsort(index->keys, index->key_count, sizeof index->keys[0], static_key_compare);

    /* Pages last: rendering reads the modules' sources and fingerprints. */
    static_html_files files = {index, static_index_hashed_url, static_index_module_source};
    for (size_t i = 0; i < index->count; i++) {
        static_entry *entry = &index->entries[i];
        if (!entry->page)
            continue;
        unsigned char *source = entry->bodies[0].data[STATIC_IDENTITY];
        size_t source_length = entry->bodies[0].length[STATIC_IDENTITY];
        for (size_t language = 0; language < STATIC_LANGUAGES; language++) {
            static_body *body = &entry->bodies[language];
            size_t length = 0;
            char *rendered = static_html_render((const char *)source, source_length, static_languages[language],
                                                &files, &length, body->script_hash, &body->data_preloads,
                                                body->cache_control);
            if (rendered == NULL)
                goto fail_page;
            body->data[STATIC_IDENTITY] = (unsigned char *)rendered;
            body->length[STATIC_IDENTITY] = length;
            body->state[STATIC_IDENTITY] = VARIANT_READY;
            static_fingerprint(body->data[STATIC_IDENTITY], length, body->fingerprint);
        }
        entry->body_count = STATIC_LANGUAGES;
        free(source);
        continue;
    fail_page:
        /* Out of memory: the page as written (its plain URLs still work). */
        for (size_t language = 1; language < STATIC_LANGUAGES; language++) {
            free(entry->bodies[language].data[STATIC_IDENTITY]);
            free(entry->bodies[language].data_preloads);
            memset(&entry->bodies[language], 0, sizeof entry->bodies[language]);
        }
        free(entry->bodies[0].data_preloads);
        entry->bodies[0].data_preloads = NULL;
        entry->bodies[0].data[STATIC_IDENTITY] = source;
        entry->bodies[0].length[STATIC_IDENTITY] = source_length;
        entry->bodies[0].script_hash[0] = '\0';
        entry->bodies[0].cache_control[0] = '\0';
        static_fingerprint(source, source_length, entry->bodies[0].fingerprint);
        entry->body_count = 1;
    }
    return index;
fail:
    static_index_free(index);
    return NULL;
}

/* Walk web/ and, when its listing changed, read it into a new index: without the
 * lock (requests go on with the current index), then swap under it. */
static void static_site_rescan(static_site *site)
{
    static_listing list;
    unsigned char signature[crypto_generichash_BYTES], current[crypto_generichash_BYTES];
    pthread_mutex_lock(&site->lock);
    int have_index = site->index != NULL;
    if (have_index)
        memcpy(current, site->index->signature, sizeof current);
    pthread_mutex_unlock(&site->lock);
    static_list(site->web_dir, &list, signature);
    static_index *fresh = NULL;
    if (!have_index || memcmp(signature, current, sizeof signature) != 0)
        fresh = static_index_build(&list, signature);
    if (fresh) {
        log_info("web files: %zu from %s (%lld KiB)", fresh->count, site->web_dir, list.total / 1024);
        pthread_mutex_lock(&site->lock);
        static_index *old = site->index;
        site->index = fresh;
        pthread_mutex_unlock(&site->lock);
        static_index_free(old); /* nobody holds pointers into it outside the lock */
    }
    free(list.files);
}

static void static_site_rescan_if_due(static_site *site)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    pthread_mutex_lock(&site->lock);
    int due = !site->rescanning && now.tv_sec - site->scanned.tv_sec >= STATIC_RESCAN_SECONDS;
    if (due) {
        site->rescanning = 1;
        site->scanned = now;
    }
    pthread_mutex_unlock(&site->lock);
    if (!due)
        return;
    static_site_rescan(site);
    pthread_mutex_lock(&site->lock);
    site->rescanning = 0;
    pthread_mutex_unlock(&site->lock);
}

/* ---------------------------------------------------------------- the compressor */

static static_body *static_find_body(static_index *index, const char *url, size_t body, const char *fingerprint)
{
    const static_key *key = index ? static_key_find(index, url) : NULL;
    if (key == NULL)
        return NULL;
    static_entry *entry = &index->entries[key->entry];
    if (body >= entry->body_count || strcmp(entry->bodies[body].fingerprint, fingerprint) != 0)
        return NULL;
    return &entry->bodies[body];
}

static void *static_compressor_main(void *argument)
{
    static_site *site = argument;
    pthread_mutex_lock(&site->lock);
    while (!site->stopping) {
        static_entry *entry = NULL;
        size_t body = 0;
        for (size_t i = 0; site->index && entry == NULL && i < site->index->count; i++)
            for (size_t b = 0; b < site->index->entries[i].body_count; b++)
                if (site->index->entries[i].bodies[b].state[STATIC_BROTLI] == VARIANT_QUEUED) {
                    entry = &site->index->entries[i];
                    body = b;
                    break;
                }
        if (entry == NULL) {
            site->compressor_busy = 0;
            pthread_cond_broadcast(&site->idle);
            pthread_cond_wait(&site->work, &site->lock);
            continue;
        }
        /* Work on copies without the lock; the index may be replaced meanwhile. */
        site->compressor_busy = 1;
        static_body *source = &entry->bodies[body];
        source->state[STATIC_BROTLI] = VARIANT_WORKING;
        char url[STATIC_URL_MAX], fingerprint[STATIC_FINGERPRINT_HEX + 1];
        snprintf(url, sizeof url, "%s", entry->url);
        snprintf(fingerprint, sizeof fingerprint, "%s", source->fingerprint);
        size_t length = source->length[STATIC_IDENTITY];
        unsigned char *copy = malloc(length ? length : 1);
        if (copy)
            memcpy(copy, source->data[STATIC_IDENTITY], length);
        pthread_mutex_unlock(&site->lock);
        unsigned char *compressed = NULL;
        size_t compressed_length = 0;
        if (copy == NULL || static_brotli(copy, length, &compressed, &compressed_length) != 0)
            compressed = NULL;
        free(copy);
        pthread_mutex_lock(&site->lock);
        static_body *target = static_find_body(site->index, url, body, fingerprint);
        if (target && target->state[STATIC_BROTLI] == VARIANT_WORKING)
            static_body_store(target, STATIC_BROTLI, compressed, compressed_length);
        else
            free(compressed);
    }
    site->compressor_busy = 0;
    pthread_cond_broadcast(&site->idle);
    pthread_mutex_unlock(&site->lock);
    return NULL;
}

void static_site_settle(static_site *site)
{
    pthread_mutex_lock(&site->lock);
    for (;;) {
        int queued = 0;
        for (size_t i = 0; site->index && !queued && i < site->index->count; i++)
            for (size_t b = 0; b < site->index->entries[i].body_count; b++)
                queued |= site->index->entries[i].bodies[b].state[STATIC_BROTLI] == VARIANT_QUEUED;
        if ((!queued && !site->compressor_busy) || site->stopping)
            break;
        pthread_cond_wait(&site->idle, &site->lock);
    }
    pthread_mutex_unlock(&site->lock);
}

/* ---------------------------------------------------------------- the site */

static_site *static_site_open(const char *web_dir, alvd_err *err)
{
    static_site *site = calloc(1, sizeof *site);
    if (site == NULL) {
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        return NULL;
    }
    snprintf(site->web_dir, sizeof site->web_dir, "%s", web_dir);
    pthread_mutex_init(&site->lock, NULL);
    pthread_cond_init(&site->work, NULL);
    pthread_cond_init(&site->idle, NULL);
    clock_gettime(CLOCK_MONOTONIC, &site->scanned);
    static_site_rescan(site);
    if (pthread_create(&site->compressor, NULL, static_compressor_main, site) == 0)
        site->compressor_started = 1;
    return site;
}

void static_site_close(static_site *site)
{
    if (site == NULL)
        return;
    pthread_mutex_lock(&site->lock);
    site->stopping = 1;
    pthread_cond_broadcast(&site->work);
    pthread_cond_broadcast(&site->idle);
    pthread_mutex_unlock(&site->lock);
    if (site->compressor_started)
        pthread_join(site->compressor, NULL);
    static_index_free(site->index);
    pthread_mutex_destroy(&site->lock);
    pthread_cond_destroy(&site->work);
    pthread_cond_destroy(&site->idle);
    free(site);
}

/* "/js/ui.0123456789ab.js" whose fingerprint is not (or no longer) known → "/js/ui.js". */
static int static_strip_fingerprint(const char *path, char *out, size_t size)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(path, '.');
    if (slash == NULL || dot == NULL || dot < slash + STATIC_FINGERPRINT_HEX + 3 ||
        dot[-STATIC_FINGERPRINT_HEX - 1] != '.')
        return -1;
    for (const char *p = dot - STATIC_FINGERPRINT_HEX; p < dot; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
            return -1;
    size_t stem = (size_t)(dot - STATIC_FINGERPRINT_HEX - 1 - path);
    if ((size_t)snprintf(out, size, "%.*s%s", (int)stem, path, dot) >= size)
        return -1;
    return 0;
}

/* The key for a request path; an outdated fingerprint finds the plain URL's key, so
 * it is answered with today's file and revalidated like the plain URL. */
static const static_key *static_resolve(const static_index *index, const char *path)
{
    char alternative[STATIC_URL_MAX + 16];
    if (path[0] != '/' || strlen(path) >= STATIC_URL_MAX)
        return NULL;
    const static_key *key = static_key_find(index, path);
    if (key)
        return key;
    /* "/" and directories: their index.html. */
    size_t length = strlen(path);
    snprintf(alternative, sizeof alternative, "%s%sindex.html", path, path[length - 1] == '/' ? "" : "/");
    if ((key = static_key_find(index, alternative)) != NULL)
        return key;
    if (static_strip_fingerprint(path, alternative, sizeof alternative) == 0)
        key = static_key_find(index, alternative);
    return key;
}

/* Weak comparison (RFC 9110 §13.1.2): "W/" ignored, "*" matches anything. */
static int static_etag_matches(const char *if_none_match, const char *etag)
{
    size_t etag_length = strlen(etag);
    for (const char *p = if_none_match; p && *p;) {
        while (*p == ' ' || *p == '\t' || *p == ',')
            p++;
        if (*p == '*')
            return 1;
        if (strncmp(p, "W/", 2) == 0)
            p += 2;
        const char *start = p;
        if (*p == '"') {
            const char *close = strchr(p + 1, '"');
            p = close ? close + 1 : p + strlen(p);
        } else {
            while (*p && *p != ',')
                p++;
        }
        if ((size_t)(p - start) == etag_length && strncmp(start, etag, etag_length) == 0)
            return 1;
        while (*p && *p != ',')
            p++;
    }
    return 0;
}

/* Make the gzip form of a body without holding the lock (a large file takes a while);
 * another request meanwhile gets what is ready. Called and returns with the lock held;
 * the index may have been replaced meanwhile, so the caller looks its body up again. */
static void static_site_gzip(static_site *site, const char *url, size_t body_index, static_body *body)
{
    char fingerprint[STATIC_FINGERPRINT_HEX + 1];
    snprintf(fingerprint, sizeof fingerprint, "%s", body->fingerprint);
    size_t length = body->length[STATIC_IDENTITY];
    unsigned char *copy = malloc(length ? length : 1), *compressed = NULL;
    size_t compressed_length = 0;
    if (copy == NULL)
        return;
    memcpy(copy, body->data[STATIC_IDENTITY], length);
    body->state[STATIC_GZIP] = VARIANT_WORKING;
    char key[STATIC_URL_MAX];
    snprintf(key, sizeof key, "%s", url);
    pthread_mutex_unlock(&site->lock);
    if (static_gzip(copy, length, &compressed, &compressed_length) != 0)
        compressed = NULL;
    free(copy);
    pthread_mutex_lock(&site->lock);
    static_body *target = static_find_body(site->index, key, body_index, fingerprint);
    if (target && target->state[STATIC_GZIP] == VARIANT_WORKING)
        static_body_store(target, STATIC_GZIP, compressed, compressed_length);
    else
        free(compressed);
}

int static_site_serve(static_site *site, const static_request *request, static_response *response, alvd_err *err)
{
    static const char *const suffixes[3] = {"", "-gz", "-br"};
    static const char *const encodings[3] = {NULL, "gzip", "br"};
    memset(response, 0, sizeof *response);
    static_site_rescan_if_due(site);
    double q[3];
    static_accepted_codings(request->accept_encoding, q);
    pthread_mutex_lock(&site->lock);
    const static_key *key = NULL;
    static_entry *entry = NULL;
    static_body *body = NULL;
    for (int pass = 0; pass < 2; pass++) {
        key = site->index ? static_resolve(site->index, request->path) : NULL;
        if (key == NULL) {
            pthread_mutex_unlock(&site->lock);
            return alvd_err_set(err, 404, "not_found", NULL, "Deze pagina bestaat niet.");
        }
        entry = &site->index->entries[key->entry];
        size_t language = request->language && strcmp(request->language, "en") == 0 ? 1 : 0;
        size_t body_index = language < entry->body_count ? language : 0;
        body = &entry->bodies[body_index];
        if (!entry->compressible)
            break;
        if (q[STATIC_BROTLI] > 0 && body->state[STATIC_BROTLI] == VARIANT_NONE) {
            body->state[STATIC_BROTLI] = VARIANT_QUEUED; /* gzip (or identity) until it is made */
            pthread_cond_signal(&site->work);
        }
        /* gzip is made when it would be the answer: wanted at least as much as identity
         * and not outranked by a ready brotli form. */
        int gzip_wanted = q[STATIC_GZIP] > 0 && q[STATIC_GZIP] >= q[STATIC_IDENTITY] &&
                          !(body->state[STATIC_BROTLI] == VARIANT_READY && q[STATIC_BROTLI] >= q[STATIC_GZIP]);
        if (pass == 0 && gzip_wanted && body->state[STATIC_GZIP] == VARIANT_NONE)
            static_site_gzip(site, entry->url, body_index, body);
        else
            break;
    }
    /* The highest q wins; on a tie the smaller form (brotli, then gzip). */
    int coding = STATIC_IDENTITY;
    double best = q[STATIC_IDENTITY];
    for (int candidate = STATIC_GZIP; entry->compressible && candidate <= STATIC_BROTLI; candidate++)
        if (body->state[candidate] == VARIANT_READY && q[candidate] > 0 && q[candidate] >= best) {
            best = q[candidate];
            coding = candidate;
        }
    response->status = 200;
    response->content_type = entry->content_type;
    response->content_encoding = encodings[coding];
    snprintf(response->cache_control, sizeof response->cache_control, "%s",
             key->fingerprinted ? STATIC_CACHE_IMMUTABLE : body->cache_control[0] ? body->cache_control : "no-cache");
    response->vary = entry->page ? "Accept-Encoding, Cookie" : entry->compressible ? "Accept-Encoding" : NULL;
    snprintf(response->etag, sizeof response->etag, "\"%s%s\"", body->fingerprint, suffixes[coding]);
    snprintf(response->script_hash, sizeof response->script_hash, "%s", body->script_hash);
    static_html_link_header(body->data_preloads, request->language, request->query, request->query_context,
                            response->link, sizeof response->link);
    if (request->if_none_match && static_etag_matches(request->if_none_match, response->etag)) {
        response->status = 304;
    } else {
        response->length = body->length[coding];
        response->data = malloc(response->length ? response->length : 1);
        if (response->data == NULL) {
            pthread_mutex_unlock(&site->lock);
            return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        }
        memcpy(response->data, body->data[coding], response->length);
    }
    pthread_mutex_unlock(&site->lock);
    return 0;
}
