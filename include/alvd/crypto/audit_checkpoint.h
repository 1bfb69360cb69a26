/* Signed checkpoints of the audit head: a short text (entry, hash, MAC, time) signed
 * with Ed25519, kept in ALVD_DATA_DIR/audit-checkpoints/ and optionally mailed away. */
#ifndef ALVD_CRYPTO_AUDIT_CHECKPOINT_H
#define ALVD_CRYPTO_AUDIT_CHECKPOINT_H

#include <sodium.h>

#include "alvd/base/err.h"
#include "alvd/store/db.h"

#define AUDIT_CHECKPOINT_KEY_FILE "audit-checkpoint.key" /* Ed25519 seed, under keys/ */
#define AUDIT_CHECKPOINT_DIR "audit-checkpoints"
#define AUDIT_CHECKPOINT_HEADER "alvd audit checkpoint v1\n"

typedef struct audit_checkpoint_keys {
    unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
    unsigned char secret_key[crypto_sign_SECRETKEYBYTES];
} audit_checkpoint_keys;

/* The signing pair from keys/audit-checkpoint.key; made on first use when create is set,
 * otherwise 404 "no_key" when missing. */
int audit_checkpoint_keys_load(const char *data_dir, int create, audit_checkpoint_keys *keys, alvd_err *err);
void audit_checkpoint_keys_wipe(audit_checkpoint_keys *keys);

/* Checkpoint the current head as ALVD_DATA_DIR/audit-checkpoints/<entry>.txt:
 *   alvd audit checkpoint v1 / database: / entry: / written: / hash: / mac: / key:
 * then the Ed25519 signature of those lines as two "sig:" lines (every line at most 69
 * characters, so a mail transfer encoding cannot break one). Returns 1 with *entry and
 * *text (caller frees) when written; 0 when the head already has a checkpoint (another
 * process wrote it) or the chain is empty; -1 with err. */
int audit_checkpoint_write(store_conn *conn, const char *data_dir, const char *database,
                           const audit_checkpoint_keys *keys, long long *entry, char **text, alvd_err *err);

/* Check one checkpoint: text may be the file or anything holding it (a saved mail). The
 * signature must be by public_key, and the chain's entry must still have the recorded
 * hash and MAC. 0, or -1 with err: 409 "audit_broken" naming the entry (*entry), 422
 * "bad_checkpoint" for text that is not a validly signed checkpoint. */
int audit_checkpoint_check(store_conn *conn, const unsigned char public_key[crypto_sign_PUBLICKEYBYTES],
                           const char *text, long long *entry, alvd_err *err);

/* Check every checkpoint under data_dir (in entry order); *count = checkpoints checked,
 * *bad_id = the entry a failing checkpoint names. */
int audit_checkpoints_verify(store_conn *conn, const char *data_dir,
                             const unsigned char public_key[crypto_sign_PUBLICKEYBYTES], long long *count,
                             long long *bad_id, alvd_err *err);

#endif
