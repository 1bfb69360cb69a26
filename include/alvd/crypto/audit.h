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

#define AUDIT_NONCE_BYTES 16
/* How long a committed entry may wait for its place in the chain before verify calls it
 * a gap (the sequencer chains within a fraction of a second while any alvd runs). */
#define AUDIT_PENDING_BOUND_SECONDS 60
#define AUDIT_PENDING_BOUND_TEXT "60"

/* Record one entry inside the caller's transaction (or on its own when none is open):
 * the entry is inserted unchained into audit_pending with a keyed MAC over its content,
 * and takes no lock; the sequencer (audit_sequencer.h) chains it once it is committed.
 * details is borrowed and may be NULL; it must hold no secret, ballot choice or
 * reporter identity. object_id 0 = none. The MAC key comes from the application
 * context of conn's pool (alvd_app.audit_key, see store_pool_set_owner); without it
 * nothing is appended (500 "audit_key_missing"). */
int audit_append(store_conn *conn, alvd_err *err, const audit_actor *actor,
                 const char *action, const char *object_type, long long object_id,
                 json_t *details);

/* What one audit_chain_pending call did. */
typedef struct audit_chain_result {
    long long chained;         /* entries given their place */
    long long highest_pending; /* highest pending id chained */
    long long last_seen;       /* highest pending id read */
    long long first_refused;   /* first pending id not chained (its MAC is not alvd's); 0 = none */
    int more;                  /* the limit was reached: call again */
} audit_chain_result;

/* The sequencer's step, inside its transaction: chain up to limit committed, unchained
 * entries with a pending id above after_id, in pending-id order, continuing the chain
 * from the newest recorded head (hash, MAC and an audit_heads row per entry). */
int audit_chain_pending(store_conn *conn, const unsigned char key[AUDIT_KEY_BYTES], long long after_id, int limit,
                        audit_chain_result *result, alvd_err *err);

/* Wait up to wait_ms until every entry committed before the call (and younger than the
 * bound) is chained; for readers that show the chain right after a change. Never fails:
 * after the wait the caller shows what is chained. */
#define AUDIT_LIST_AWAIT_MS 2000
void audit_await_chained(store_conn *conn, int wait_ms);

/* Walk the whole chain with the MAC key. Returns 0 when intact; otherwise -1 with err
 * naming the first bad entry (409 "audit_broken") and *bad_id set: a missing entry, a
 * broken link, a changed entry (hash), an entry rewritten without the key (MAC, which
 * catches a rewrite whose hashes were all recomputed), a chained entry that is not what
 * its transaction committed, a committed entry without alvd's MAC, or one still not
 * chained AUDIT_PENDING_BOUND_SECONDS after it was written (*bad_id 0 for those two).
 * *checked = chained entries checked; *pending (may be NULL) = committed entries younger
 * than the bound still waiting for the sequencer (not a failure). */
int audit_verify(store_conn *conn, const unsigned char key[AUDIT_KEY_BYTES], long long *checked, long long *pending,
                 long long *bad_id, alvd_err *err);

/* Read keys/audit.key; 404 "no_audit_key" with what to do when it is missing. */
int audit_key_load(const char *data_dir, unsigned char key[AUDIT_KEY_BYTES], alvd_err *err);

/* The migration path (`alvd migrate`, after the SQL migrations): when keys/audit.key does
 * not exist yet, check the existing chain (unkeyed), make the key, give every entry its
 * MAC in one transaction and only then put the key in place (crash-safe through
 * keys/audit.key.pending). *sealed = entries given a MAC now, -1 when the key existed
 * already (nothing done: a chain whose MACs were stripped is never sealed again). */
int audit_seal(store_pool *pool, const char *data_dir, long long *sealed, alvd_err *err);

#endif
