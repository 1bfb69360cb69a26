/* The cache of expensive public answers: a fixed table of entries with least-recently-
 * used eviction, byte and time bounds, and reference-counted blobs sent without copies. */
#include "alvd/http/reply_cache.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct reply_entry {
    char key[256];
    reply_blob *blob;              /* NULL = free slot; the cache holds one reference */
    time_t expires;
    unsigned long long used;       /* tick of the last get or put, for LRU */
} reply_entry;

struct reply_cache {
    pthread_mutex_t lock;
    reply_entry entries[REPLY_CACHE_ENTRIES];
    size_t bytes;
    unsigned long long tick;
};

reply_cache *reply_cache_new(void)
{
    reply_cache *cache = calloc(1, sizeof *cache);
    if (cache)
        pthread_mutex_init(&cache->lock, NULL);
    return cache;
}

/* Drop a reference with the lock held; frees the blob at zero. */
static void reply_blob_unref_locked(reply_blob *blob)
{
    if (--blob->references == 0) {
        free(blob->data);
        free(blob);
    }
}

/* Remove entry i (lock held). */
static void reply_cache_drop(reply_cache *cache, size_t i)
{
    reply_entry *entry = &cache->entries[i];
    if (entry->blob == NULL)
        return;
    cache->bytes -= entry->blob->length;
    reply_blob_unref_locked(entry->blob);
    memset(entry, 0, sizeof *entry);
}

void reply_cache_free(reply_cache *cache)
{
    if (cache == NULL)
        return;
    pthread_mutex_lock(&cache->lock);
    for (size_t i = 0; i < REPLY_CACHE_ENTRIES; i++)
        reply_cache_drop(cache, i);
    pthread_mutex_unlock(&cache->lock);
    pthread_mutex_destroy(&cache->lock);
    free(cache);
}

reply_blob *reply_cache_get(reply_cache *cache, const char *key)
{
    reply_blob *found = NULL;
    time_t now = time(NULL);
    pthread_mutex_lock(&cache->lock);
    for (size_t i = 0; i < REPLY_CACHE_ENTRIES; i++) {
        reply_entry *entry = &cache->entries[i];
        if (entry->blob == NULL || strcmp(entry->key, key) != 0)
            continue;
        if (entry->expires <= now) {
            reply_cache_drop(cache, i);
            break;
        }
        entry->used = ++cache->tick;
        found = entry->blob;
        found->references++;
        break;
    }
    pthread_mutex_unlock(&cache->lock);
    return found;
}

reply_blob *reply_cache_put(reply_cache *cache, const char *key, int status, const char *type, const char *data,
                            size_t length)
{
    if (length > REPLY_CACHE_ENTRY_BYTES || strlen(key) >= sizeof cache->entries[0].key)
        return NULL;
    reply_blob *blob = calloc(1, sizeof *blob);
    char *copy = malloc(length ? length : 1);
    if (blob == NULL || copy == NULL) {
        free(blob);
        free(copy);
        return NULL;
    }
    memcpy(copy, data, length);
    blob->status = status;
    snprintf(blob->type, sizeof blob->type, "%s", type);
    blob->data = copy;
    blob->length = length;
    blob->references = 2; /* the cache's and the caller's */
    blob->owner = cache;
    time_t now = time(NULL);
    pthread_mutex_lock(&cache->lock);
    size_t slot = REPLY_CACHE_ENTRIES;
    for (size_t i = 0; i < REPLY_CACHE_ENTRIES; i++) {
        reply_entry *entry = &cache->entries[i];
        if (entry->blob && (entry->expires <= now || strcmp(entry->key, key) == 0))
            reply_cache_drop(cache, i);
    }
    for (;;) {
        size_t oldest = REPLY_CACHE_ENTRIES;
        slot = REPLY_CACHE_ENTRIES;
        for (size_t i = 0; i < REPLY_CACHE_ENTRIES; i++) {
            if (cache->entries[i].blob == NULL) {
                if (slot == REPLY_CACHE_ENTRIES)
                    slot = i;
            } else if (oldest == REPLY_CACHE_ENTRIES || cache->entries[i].used < cache->entries[oldest].used) {
                oldest = i;
            }
        }
        if (slot != REPLY_CACHE_ENTRIES && cache->bytes + length <= REPLY_CACHE_BYTES)
            break;
        reply_cache_drop(cache, oldest); /* length <= one entry's bound <= the total, so this ends */
    }
    reply_entry *entry = &cache->entries[slot];
    snprintf(entry->key, sizeof entry->key, "%s", key);
    entry->blob = blob;
    entry->expires = now + REPLY_CACHE_SECONDS;
    entry->used = ++cache->tick;
    cache->bytes += length;
    pthread_mutex_unlock(&cache->lock);
    return blob;
}

void reply_blob_release(void *pointer)
{
    reply_blob *blob = pointer;
    if (blob == NULL)
        return;
    reply_cache *cache = blob->owner;
    pthread_mutex_lock(&cache->lock);
    reply_blob_unref_locked(blob);
    pthread_mutex_unlock(&cache->lock);
}
