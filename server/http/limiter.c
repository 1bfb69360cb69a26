/* The in-memory rate limiter of the anonymous meldpunt routes: two windows of keyed
 * hashes (current and previous), each with its own random key, wiped when it ages out. */
#include "alvd/http/limiter.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define LIMITER_HASH_BYTES 16

typedef struct limiter_slot {
    unsigned char hash[LIMITER_HASH_BYTES];
    uint32_t count;
    int used;
} limiter_slot;

/* One window: its number (now / window_seconds), its key and an open-addressing table. */
typedef struct limiter_window {
    int64_t number;
    unsigned char key[crypto_generichash_KEYBYTES];
    limiter_slot *slots;
    size_t used;
    uint32_t overflow; /* events of subjects that found the table full */
} limiter_window;

struct http_limiter {
    pthread_mutex_t lock;
    int window_seconds;
    size_t capacity; /* slots per window: twice the subjects it promises to tell apart */
    limiter_window windows[2];
};

http_limiter *http_limiter_create(int window_seconds, size_t capacity)
{
    http_limiter *limiter = calloc(1, sizeof *limiter);
    if (limiter == NULL)
        return NULL;
    limiter->window_seconds = window_seconds > 0 ? window_seconds : 60;
    limiter->capacity = capacity * 2;
    for (int i = 0; i < 2; i++) {
        limiter->windows[i].slots = calloc(limiter->capacity, sizeof(limiter_slot));
        limiter->windows[i].number = -1;
        if (limiter->windows[i].slots == NULL) {
            http_limiter_destroy(limiter);
            return NULL;
        }
    }
    pthread_mutex_init(&limiter->lock, NULL);
    return limiter;
}

static void limiter_window_wipe(limiter_window *window, size_t capacity)
{
    sodium_memzero(window->key, sizeof window->key);
    sodium_memzero(window->slots, capacity * sizeof(limiter_slot));
    window->used = 0;
    window->overflow = 0;
    window->number = -1;
}

void http_limiter_destroy(http_limiter *limiter)
{
    if (limiter == NULL)
        return;
    for (int i = 0; i < 2; i++) {
        if (limiter->windows[i].slots)
            limiter_window_wipe(&limiter->windows[i], limiter->capacity);
        free(limiter->windows[i].slots);
    }
    pthread_mutex_destroy(&limiter->lock);
    free(limiter);
}

/* windows[0] is the current window, windows[1] the one before it; older ones are gone,
 * keys included, so their hashes can never be recomputed. */
static void limiter_advance(http_limiter *limiter, int64_t now)
{
    int64_t number = now / limiter->window_seconds;
    limiter_window *current = &limiter->windows[0], *previous = &limiter->windows[1];
    if (current->number == number)
        return;
    limiter_window_wipe(previous, limiter->capacity);
    if (current->number == number - 1) {
        limiter_window moved = *previous;
        *previous = *current;
        *current = moved; /* the wiped table, reused */
    } else {
        limiter_window_wipe(current, limiter->capacity);
    }
    current->number = number;
    randombytes_buf(current->key, sizeof current->key);
}

/* The slot of bucket+subject in window, or NULL when absent (create: claim a free one;
 * NULL when the table is full). */
static limiter_slot *limiter_find(limiter_window *window, size_t capacity, const char *bucket, const char *subject,
                                  int create)
{
    unsigned char hash[LIMITER_HASH_BYTES];
    crypto_generichash_state state;
    if (window->number < 0)
        return NULL;
    crypto_generichash_init(&state, window->key, sizeof window->key, sizeof hash);
    crypto_generichash_update(&state, (const unsigned char *)bucket, strlen(bucket) + 1);
    crypto_generichash_update(&state, (const unsigned char *)subject, strlen(subject));
    crypto_generichash_final(&state, hash, sizeof hash);
    size_t start = 0;
    memcpy(&start, hash, sizeof start < sizeof hash ? sizeof start : sizeof hash);
    for (size_t probe = 0; probe < capacity; probe++) {
        limiter_slot *slot = &window->slots[(start + probe) % capacity];
        if (slot->used && memcmp(slot->hash, hash, sizeof hash) == 0)
            return slot;
        if (!slot->used) {
            /* Keep half the table free so probes stay short; beyond that, overflow. */
            if (!create || window->used >= capacity / 2)
                return NULL;
            slot->used = 1;
            memcpy(slot->hash, hash, sizeof hash);
            window->used++;
            return slot;
        }
    }
    return NULL;
}

int http_limiter_check(http_limiter *limiter, const char *bucket, const char *subject, int limit,
                       int64_t now, alvd_err *err)
{
    if (limiter == NULL)
        return 0;
    pthread_mutex_lock(&limiter->lock);
    limiter_advance(limiter, now);
    limiter_window *current = &limiter->windows[0], *previous = &limiter->windows[1];
    limiter_slot *here = limiter_find(current, limiter->capacity, bucket, subject, 0);
    limiter_slot *before = previous->number == current->number - 1
                               ? limiter_find(previous, limiter->capacity, bucket, subject, 0)
                               : NULL;
    int full = here == NULL && current->used >= limiter->capacity / 2;
    double elapsed = (double)(now % limiter->window_seconds) / limiter->window_seconds;
    double estimate = (full ? current->overflow : here ? here->count : 0) +
                      (before ? before->count : 0) * (1.0 - elapsed);
    int over = estimate >= (full ? (double)limit * HTTP_LIMITER_OVERFLOW_FACTOR : (double)limit);
    pthread_mutex_unlock(&limiter->lock);
    if (over)
        return alvd_err_set(err, 429, "too_many_attempts", NULL,
                            "Te veel pogingen vanaf dit adres; probeer het over tien minuten opnieuw.");
    return 0;
}

void http_limiter_record(http_limiter *limiter, const char *bucket, const char *subject, int64_t now)
{
    if (limiter == NULL)
        return;
    pthread_mutex_lock(&limiter->lock);
    limiter_advance(limiter, now);
    limiter_window *current = &limiter->windows[0];
    limiter_slot *slot = limiter_find(current, limiter->capacity, bucket, subject, 1);
    if (slot)
        slot->count++;
    else
        current->overflow++;
    pthread_mutex_unlock(&limiter->lock);
}
