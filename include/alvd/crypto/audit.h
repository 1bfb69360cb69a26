/* The tamper-evident audit log: every change to the record appends one entry whose
 * hash = BLAKE2b(previous hash || entry), and `alvd audit verify` walks the chain. */
#ifndef ALVD_CRYPTO_AUDIT_H
#define ALVD_CRYPTO_AUDIT_H

#include <jansson.h>

#include "alvd/base/err.h"
#include "alvd/store/db.h"

typedef struct audit_actor {
    const char *kind;   /* "user", "member", "contact", "system", "anonymous" */
    long long id;       /* user/organisation/contact id, 0 = none */
    const char *label;  /* e-mail or name as shown in the log; never a secret */
} audit_actor;

/* Append one entry inside the caller's open transaction (begins and commits its own
 * when none is open). details is borrowed and may be NULL; it must hold no secret,
 * ballot choice or reporter identity. object_id 0 = none. */
int audit_append(store_conn *conn, alvd_err *err, const audit_actor *actor,
                 const char *action, const char *object_type, long long object_id,
                 json_t *details);

/* Walk the whole chain. Returns 0 when intact; otherwise -1 with err naming the
 * first bad entry (409 "audit_broken") and *bad_id set. *checked = entries checked. */
int audit_verify(store_conn *conn, long long *checked, long long *bad_id, alvd_err *err);

#endif
