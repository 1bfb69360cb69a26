/* A small in-memory cache of public answers that are expensive to make (the Code diff):
 * keyed by request, shared by reference (one copy however many clients read it, however
 * slowly), bounded in entries and bytes, each entry living a few minutes. Derived data
 * only: losing it costs time, never correctness, so several processes may each have one. */
#ifndef ALVD_HTTP_REPLY_CACHE_H
#define ALVD_HTTP_REPLY_CACHE_H

#include <stddef.h>

#define REPLY_CACHE_ENTRIES 32
#define REPLY_CACHE_BYTES (64u * 1024u * 1024u)   /* all entries together */
#define REPLY_CACHE_ENTRY_BYTES (16u * 1024u * 1024u)
#define REPLY_CACHE_SECONDS 300

typedef struct reply_cache reply_cache;
/* One cached answer; reference counted, immutable. */
typedef struct reply_blob {
    int status;
    char type[96];
    char *data;
    size_t length;
    int references;  /* guarded by the cache's lock */
    reply_cache *owner;
} reply_blob;

reply_cache *reply_cache_new(void);
/* Free the cache; blobs still referenced (answers being sent) are freed by their last
 * reply_blob_release. */
void reply_cache_free(reply_cache *cache);
/* The answer for key with a reference the caller releases, or NULL. Thread-safe. */
reply_blob *reply_cache_get(reply_cache *cache, const char *key);
/* Store an answer (data copied; too large ones are not kept) and return a referenced
 * blob for it, or NULL when it was not kept. Replaces an entry with the same key. */
reply_blob *reply_cache_put(reply_cache *cache, const char *key, int status, const char *type, const char *data,
                            size_t length);
/* Drop a reference (suits libmicrohttpd's free callback). */
void reply_blob_release(void *blob);

#endif
