/* The tamper-evident audit log: every change to the record appends one entry whose
 * hash = BLAKE2b(previous hash || entry) and whose MAC = BLAKE2b keyed with
 * keys/audit.key over (previous MAC || entry); `alvd audit verify` walks both chains. */
#ifndef ALVD_CRYPTO_AUDIT_H
#define ALVD_CRYPTO_AUDIT_H

#include <jansson.h>

#include "alvd/base/err.h"
#include "alvd/store/db.h"

#define AUDIT_HASH_BYTES 32
#define AUDIT_KEY_BYTES 32
#define AUDIT_KEY_FILE "audit.key"

typedef struct audit_actor {
    const char *kind;   /* "user", "member", "contact", "system", "anonymous" */
    long long id;       /* user/organisation/contact id, 0 = none */
    const char *label;  /* e-mail or name as shown in the log; never a secret */
} audit_actor;

/* Append one entry inside the caller's open transaction (begins and commits its own
 * when none is open). details is borrowed and may be NULL; it must hold no secret,
 * ballot choice or reporter identity. object_id 0 = none. The MAC key comes from the
 * application context of conn's pool (alvd_app.audit_key, see store_pool_set_owner);
 * without it nothing is appended (500 "audit_key_missing"). Whoever appends computes
 * the MAC over the entry and the previous MAC, so a single sequencer (issue 17) keeps
 * the same chain. */
int audit_append(store_conn *conn, alvd_err *err, const audit_actor *actor,
                 const char *action, const char *object_type, long long object_id,
                 json_t *details);

/* Walk the whole chain with the MAC key. Returns 0 when intact; otherwise -1 with err
 * naming the first bad entry (409 "audit_broken") and *bad_id set: a missing entry, a
 * broken link, a changed entry (hash), or an entry rewritten without the key (MAC,
 * which catches a rewrite whose hashes were all recomputed). *checked = entries checked. */
int audit_verify(store_conn *conn, const unsigned char key[AUDIT_KEY_BYTES], long long *checked, long long *bad_id,
                 alvd_err *err);

/* Read keys/audit.key; 404 "no_audit_key" with what to do when it is missing. */
int audit_key_load(const char *data_dir, unsigned char key[AUDIT_KEY_BYTES], alvd_err *err);

/* The migration path (`alvd migrate`, after the SQL migrations): when keys/audit.key does
 * not exist yet, check the existing chain (unkeyed), make the key, give every entry its
 * MAC in one transaction and only then put the key in place (crash-safe through
 * keys/audit.key.pending). *sealed = entries given a MAC now, -1 when the key existed
 * already (nothing done: a chain whose MACs were stripped is never sealed again). */
int audit_seal(store_pool *pool, const char *data_dir, long long *sealed, alvd_err *err);

#endif
