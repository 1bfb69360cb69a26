/* Long-lived secret keys kept as files under ALVD_DATA_DIR/keys (mode 0600), made on
 * first use; every alvd process on one data directory shares them. */
#ifndef ALVD_CRYPTO_KEYFILE_H
#define ALVD_CRYPTO_KEYFILE_H

#include <stddef.h>

#include "alvd/base/err.h"

/* Read data_dir/keys/name into key (exactly length bytes). When the file does not
 * exist, create it with generate(key, length, context) (or random bytes when NULL). */
int keyfile_load_or_create(const char *data_dir, const char *name, unsigned char *key,
                           size_t length,
                           void (*generate)(unsigned char *key, size_t length, void *context),
                           void *context, alvd_err *err);

/* Read an existing key file of exactly length bytes; 404 "no_key" when it does not exist
 * (nothing is created). */
int keyfile_read_existing(const char *data_dir, const char *name, unsigned char *key, size_t length,
                          alvd_err *err);

/* Write data_dir/keys/name whole (a temporary file renamed over it), mode 0600. */
int keyfile_replace(const char *data_dir, const char *name, const unsigned char *key, size_t length, alvd_err *err);
/* A key file just made by root (`sudo alvd migrate`, `alvd audit checkpoint` of the
 * package) belongs to whoever owns the keys directory (the alvd service user), or the
 * service could not read it. Does nothing for any other user. */
void keyfile_give_to_directory_owner(int fd, const char *keys_dir);
/* Delete data_dir/keys/name (no error when it is already gone). */
int keyfile_remove(const char *data_dir, const char *name, alvd_err *err);

#endif
