/* The sealed ballot box of a secret poll: key files under keys/polls/, sealing with one
 * key agreement per batch, opening at the count, and destroying the key afterwards. */
#include "alvd/crypto/ballot_box.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BALLOT_BOX_DIR "polls"
#define BALLOT_BOX_LABEL "alvd ballot box v1"
#define BALLOT_BOX_AD_BYTES (sizeof BALLOT_BOX_LABEL + 8 + BALLOT_BOX_ROW_ID_BYTES)

static void ballot_box_dir(char *out, size_t size, const char *data_dir)
{
    snprintf(out, size, "%s/keys/%s", data_dir, BALLOT_BOX_DIR);
}

static void ballot_box_path(char *out, size_t size, const char *data_dir, long long poll_id)
{
    snprintf(out, size, "%s/keys/%s/%lld.key", data_dir, BALLOT_BOX_DIR, poll_id);
}

static void ballot_box_sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

int ballot_box_create(const char *data_dir, long long poll_id, unsigned char public_key[BALLOT_BOX_KEY_BYTES],
                      alvd_err *err)
{
    char keys[1100], dir[1200], path[1300], draft[1400];
    unsigned char secret_key[BALLOT_BOX_KEY_BYTES];
    snprintf(keys, sizeof keys, "%s/keys", data_dir);
    ballot_box_dir(dir, sizeof dir, data_dir);
    ballot_box_path(path, sizeof path, data_dir, poll_id);
    snprintf(draft, sizeof draft, "%s/.%lld.%ld.%08x", dir, poll_id, (long)getpid(), randombytes_random());
    if ((mkdir(data_dir, 0700) != 0 && errno != EEXIST) || (mkdir(keys, 0700) != 0 && errno != EEXIST) ||
        (mkdir(dir, 0700) != 0 && errno != EEXIST))
        return alvd_err_set(err, 500, "no_data_dir", NULL, "Cannot create %s.", dir);
    crypto_box_keypair(public_key, secret_key);
    int fd = open(draft, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    int ok = fd >= 0 && write(fd, secret_key, sizeof secret_key) == (ssize_t)sizeof secret_key && fsync(fd) == 0;
    sodium_memzero(secret_key, sizeof secret_key);
    if (fd >= 0 && close(fd) != 0)
        ok = 0;
    /* The file must be on disk before the opening commits: a crash loses no vote. */
    if (!ok || rename(draft, path) != 0) {
        unlink(draft);
        return alvd_err_set(err, 500, "poll_key_not_written", NULL,
                            "De sleutel van deze geheime stemming kan niet worden opgeslagen (%s).", path);
    }
    ballot_box_sync_dir(dir);
    return 0;
}

int ballot_box_load(const char *data_dir, long long poll_id, const unsigned char public_key[BALLOT_BOX_KEY_BYTES],
                    unsigned char secret_key[BALLOT_BOX_KEY_BYTES], alvd_err *err)
{
    char path[1300];
    unsigned char extra, derived[BALLOT_BOX_KEY_BYTES];
    ballot_box_path(path, sizeof path, data_dir, poll_id);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return alvd_err_set(err, 500, "poll_key_missing", NULL,
                            "De sleutel van deze geheime stemming ontbreekt (%s); de stemmen kunnen niet worden "
                            "geteld. Houd een herstemming (een reservekopie bevat zo'n sleutel nooit).",
                            path);
    ssize_t got = read(fd, secret_key, BALLOT_BOX_KEY_BYTES);
    ssize_t more = read(fd, &extra, 1);
    close(fd);
    if (got != BALLOT_BOX_KEY_BYTES || more != 0 || crypto_scalarmult_base(derived, secret_key) != 0 ||
        sodium_memcmp(derived, public_key, BALLOT_BOX_KEY_BYTES) != 0) {
        sodium_memzero(secret_key, BALLOT_BOX_KEY_BYTES);
        return alvd_err_set(err, 500, "poll_key_mismatch", NULL,
                            "%s is niet de sleutel van deze geheime stemming; de stemmen kunnen niet worden geteld.",
                            path);
    }
    return 0;
}

int ballot_box_destroy(const char *data_dir, long long poll_id)
{
    char dir[1200], path[1300];
    unsigned char zeros[BALLOT_BOX_KEY_BYTES] = {0};
    ballot_box_dir(dir, sizeof dir, data_dir);
    ballot_box_path(path, sizeof path, data_dir, poll_id);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    /* Overwrite in place before unlinking, so the blocks do not keep the key on a file
     * system that writes in place (see docs/internals/secret-ballots.md for the limits). */
    if (write(fd, zeros, sizeof zeros) == (ssize_t)sizeof zeros)
        fsync(fd);
    close(fd);
    unlink(path);
    ballot_box_sync_dir(dir);
    return 1;
}

int ballot_box_list(const char *data_dir, long long **ids, size_t *count, alvd_err *err)
{
    char dir[1200];
    *ids = NULL;
    *count = 0;
    ballot_box_dir(dir, sizeof dir, data_dir);
    DIR *listing = opendir(dir);
    if (listing == NULL)
        return 0;
    size_t capacity = 0;
    int rc = 0;
    for (struct dirent *item; (item = readdir(listing)) != NULL;) {
        char *end = NULL;
        long long id = strtoll(item->d_name, &end, 10);
        if (item->d_name[0] == '.' || id < 1 || end == NULL || strcmp(end, ".key") != 0)
            continue;
        if (*count == capacity) {
            capacity = capacity ? 2 * capacity : 16;
            long long *grown = realloc(*ids, capacity * sizeof **ids);
            if (grown == NULL) {
                rc = alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
                break;
            }
            *ids = grown;
        }
        (*ids)[(*count)++] = id;
    }
    closedir(listing);
    return rc;
}

int ballot_box_sealer_start(ballot_box_sealer *sealer, const unsigned char public_key[BALLOT_BOX_KEY_BYTES])
{
    unsigned char ephemeral_secret[crypto_box_SECRETKEYBYTES];
    crypto_box_keypair(sealer->ephemeral_public, ephemeral_secret);
    int rc = crypto_box_beforenm(sealer->shared, public_key, ephemeral_secret);
    sodium_memzero(ephemeral_secret, sizeof ephemeral_secret);
    return rc == 0 ? 0 : -1;
}

void ballot_box_sealer_wipe(ballot_box_sealer *sealer)
{
    sodium_memzero(sealer, sizeof *sealer);
}

static void ballot_box_ad(long long poll_id, const unsigned char row_id[BALLOT_BOX_ROW_ID_BYTES],
                          unsigned char ad[BALLOT_BOX_AD_BYTES])
{
    memcpy(ad, BALLOT_BOX_LABEL, sizeof BALLOT_BOX_LABEL);
    for (int i = 0; i < 8; i++)
        ad[sizeof BALLOT_BOX_LABEL + i] = (unsigned char)((unsigned long long)poll_id >> (56 - 8 * i));
    memcpy(ad + sizeof BALLOT_BOX_LABEL + 8, row_id, BALLOT_BOX_ROW_ID_BYTES);
}

/* Fixed-size plaintext: a phone ballot and a paper batch look alike from outside. */
static void ballot_box_encode(const ballot_box_content *content, unsigned char plain[BALLOT_BOX_PLAIN_BYTES])
{
    memset(plain, 0, BALLOT_BOX_PLAIN_BYTES);
    if (!content->paper) {
        plain[0] = 'B';
        plain[1] = (unsigned char)content->choice;
        memcpy(plain + 2, content->tracker, BALLOT_TRACKER_BYTES);
        return;
    }
    plain[0] = 'P';
    for (int c = 0; c < 3; c++)
        for (int i = 0; i < 4; i++)
            plain[2 + 4 * c + i] = (unsigned char)((unsigned)content->totals[c] >> (24 - 8 * i));
}

static int ballot_box_decode(const unsigned char plain[BALLOT_BOX_PLAIN_BYTES], ballot_box_content *content)
{
    memset(content, 0, sizeof *content);
    if (plain[0] == 'B' && plain[1] <= 2) {
        content->choice = plain[1];
        memcpy(content->tracker, plain + 2, BALLOT_TRACKER_BYTES);
        return 0;
    }
    if (plain[0] != 'P')
        return -1;
    content->paper = 1;
    for (int c = 0; c < 3; c++) {
        unsigned value = 0;
        for (int i = 0; i < 4; i++)
            value = (value << 8) | plain[2 + 4 * c + i];
        if (value > 1000000)
            return -1;
        content->totals[c] = (int)value;
    }
    return 0;
}

void ballot_box_seal(const ballot_box_sealer *sealer, long long poll_id, const unsigned char row_id[BALLOT_BOX_ROW_ID_BYTES],
                     const ballot_box_content *content, unsigned char out[BALLOT_BOX_SEALED_BYTES])
{
    unsigned char plain[BALLOT_BOX_PLAIN_BYTES], ad[BALLOT_BOX_AD_BYTES];
    unsigned char *nonce = out + crypto_box_PUBLICKEYBYTES;
    unsigned char *cipher = nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    memcpy(out, sealer->ephemeral_public, crypto_box_PUBLICKEYBYTES);
    randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
    ballot_box_encode(content, plain);
    ballot_box_ad(poll_id, row_id, ad);
    crypto_aead_xchacha20poly1305_ietf_encrypt(cipher, NULL, plain, sizeof plain, ad, sizeof ad, NULL, nonce,
                                               sealer->shared);
    sodium_memzero(plain, sizeof plain);
}

int ballot_box_unseal(ballot_box_opener *opener, long long poll_id, const unsigned char row_id[BALLOT_BOX_ROW_ID_BYTES],
                      const unsigned char *sealed, size_t length, ballot_box_content *content)
{
    unsigned char plain[BALLOT_BOX_PLAIN_BYTES], ad[BALLOT_BOX_AD_BYTES];
    if (length != BALLOT_BOX_SEALED_BYTES)
        return -1;
    if (!opener->cached || memcmp(opener->ephemeral_public, sealed, crypto_box_PUBLICKEYBYTES) != 0) {
        memcpy(opener->ephemeral_public, sealed, crypto_box_PUBLICKEYBYTES);
        if (crypto_box_beforenm(opener->shared, sealed, opener->secret_key) != 0) {
            opener->cached = 0;
            return -1;
        }
        opener->cached = 1;
    }
    const unsigned char *nonce = sealed + crypto_box_PUBLICKEYBYTES;
    const unsigned char *cipher = nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
    ballot_box_ad(poll_id, row_id, ad);
    int rc = crypto_aead_xchacha20poly1305_ietf_decrypt(plain, NULL, NULL, cipher,
                                                        length - (size_t)(cipher - sealed), ad, sizeof ad, nonce,
                                                        opener->shared) == 0 &&
                     ballot_box_decode(plain, content) == 0
                 ? 0
                 : -1;
    sodium_memzero(plain, sizeof plain);
    return rc;
}
