/* Staff passwords as argon2id strings (libsodium crypto_pwhash_str). Each call costs
 * ~100 ms and 64 MiB: call only from worker threads, never on the epoll threads. */
#ifndef ALVD_CRYPTO_PASSWORD_H
#define ALVD_CRYPTO_PASSWORD_H

#include "alvd/base/err.h"

#define PASSWORD_HASH_SIZE 128
#define PASSWORD_MIN_LENGTH 10
#define PASSWORD_MAX_LENGTH 256

/* Hash password into out; 422 "weak_password" when shorter than the minimum. */
int password_hash(const char *password, char out[PASSWORD_HASH_SIZE], alvd_err *err);
/* 1 when password matches hash, 0 otherwise. With hash NULL it still spends the
 * same work on a dummy hash, so unknown e-mail addresses answer as slowly. */
int password_verify(const char *hash, const char *password);
/* 1 when the stored hash used weaker parameters than today's. */
int password_needs_rehash(const char *hash);
/* The hash unknown accounts are checked against (today's parameters). */
const char *password_dummy_hash(void);
/* argon2id runs of password_hash and password_verify so far in this process. */
unsigned long long password_argon2_runs(void);

#endif
