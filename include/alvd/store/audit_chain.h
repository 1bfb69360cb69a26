/* The audit chain's tables (audit_pending, audit_log, audit_heads, audit_lock): every
 * statement crypto/audit.c runs, so the chain's logic holds no SQL. */
#ifndef ALVD_STORE_AUDIT_CHAIN_H
#define ALVD_STORE_AUDIT_CHAIN_H

#include <stddef.h>

#include "alvd/base/err.h"
#include "alvd/store/db.h"

/* One entry as it is written and hashed (texts borrowed from the caller or from rows). */
typedef struct store_audit_entry {
    long long id, actor_id, object_id;
    const char *created_at, *actor_kind, *actor_label, *action, *object_type, *details;
} store_audit_entry;

/* Rows of pending entries come in this column order: 0 pending id, 1 created_at
 * (YYYY-MM-DD HH:MM:SS.ffffff), 2 actor_kind, 3 actor_id, 4 actor_label, 5 action,
 * 6 object_type, 7 object_id, 8 details, 9 nonce, 10 mac (and 11 "older than the bound"
 * for store_audit_pending_overdue). */
enum { STORE_AUDIT_PENDING_NONCE = 9, STORE_AUDIT_PENDING_OVERDUE = 11 };

/* Whether the newest head has lost its MAC (a chain nobody can check). */
int store_audit_head_unsealed(store_conn *conn, int *unsealed, alvd_err *err);
int store_audit_pending_insert(store_conn *conn, const store_audit_entry *entry, const unsigned char *nonce,
                               size_t nonce_bytes, const unsigned char *mac, size_t mac_bytes, alvd_err *err);
/* Committed pending entries after after_id not chained yet, oldest first (at most limit). */
int store_audit_pending_unchained(store_conn *conn, long long after_id, int limit, store_result **rows,
                                  alvd_err *err);
/* The same, with column 11 saying whether the entry is older than bound_seconds. */
int store_audit_pending_overdue(store_conn *conn, int bound_seconds, long long after_id, int limit,
                                store_result **rows, alvd_err *err);
/* The newest head: id, hash, mac (no row for an empty chain). */
int store_audit_head_newest(store_conn *conn, store_result **rows, alvd_err *err);
/* The head recorded for entry id: id, hash, mac. */
int store_audit_head_at(store_conn *conn, long long id, store_result **rows, alvd_err *err);
/* Appends entry (its id set) to audit_log and records it as the head; a taken id is 409
 * duplicate. */
int store_audit_chain_append(store_conn *conn, const store_audit_entry *entry, long long pending_id,
                             const unsigned char *previous, const unsigned char *hash, const unsigned char *mac,
                             size_t hash_bytes, alvd_err *err);
int store_audit_pending_max(store_conn *conn, long long *max, alvd_err *err);
/* Whether an entry up to up_to, above the sequencer's floor and younger than
 * bound_seconds, still waits for its place. */
int store_audit_pending_waiting(store_conn *conn, long long up_to, int bound_seconds, int *waiting, alvd_err *err);
/* The highest id in audit_log and in audit_heads, read in one statement (one view). */
int store_audit_ends(store_conn *conn, long long *log_end, long long *head_end, alvd_err *err);
/* Chained entries from..to (at most limit): 0 id, 1 created_at, 2 actor_kind, 3 actor_id,
 * 4 actor_label, 5 action, 6 object_type, 7 object_id, 8 details, 9 prev_hash, 10 hash,
 * 11 mac, 12 pending_id, 13 the pending copy's nonce, 14 its mac. */
int store_audit_log_range(store_conn *conn, long long from, long long to, int limit, store_result **rows,
                          alvd_err *err);
/* The one-time sealing of a chain from before the key (migration account only). */
int store_audit_log_set_mac(store_conn *conn, long long id, const unsigned char *mac, size_t bytes, alvd_err *err);
int store_audit_pending_set_mac(store_conn *conn, long long pending_id, const unsigned char *mac, size_t bytes,
                                alvd_err *err);
int store_audit_head_set_mac(store_conn *conn, long long id, const unsigned char *mac, size_t bytes, alvd_err *err);
/* Locks the audit_lock row for the transaction; *found = 0 when the row is missing. */
int store_audit_lock(store_conn *conn, int *found, alvd_err *err);
/* Whether the newest head carries a MAC of mac_bytes (the chain was sealed). */
int store_audit_head_sealed(store_conn *conn, size_t mac_bytes, int *sealed, alvd_err *err);


/* ---- the sequencer's lease row (audit_sequencer) and the events it numbers ---- */

/* Whether the lease is free or held by holder, and the pending floor; 500
 * sequencer_missing when the row is gone. */
int store_audit_sequencer_read(store_conn *conn, const char *holder, int *available, long long *floor,
                               alvd_err *err);
/* Takes the lease for lease_seconds when free or ours; *taken = 1 when it did. */
int store_audit_sequencer_take(store_conn *conn, const char *holder, int lease_seconds, int *taken, alvd_err *err);
/* Renews the lease only while still ours and unexpired (the fence); *renewed = 1 then. */
int store_audit_sequencer_renew(store_conn *conn, const char *holder, int lease_seconds, int *renewed,
                                alvd_err *err);
int store_audit_sequencer_release(store_conn *conn, const char *holder, alvd_err *err);
int store_audit_sequencer_floor(store_conn *conn, long long *floor, alvd_err *err);
int store_audit_sequencer_set_floor(store_conn *conn, long long floor, alvd_err *err);
/* The highest pending id above floor older than age_seconds (floor when none). */
int store_audit_pending_settled(store_conn *conn, long long floor, int age_seconds, long long *highest,
                                alvd_err *err);
/* The cheap look: a pending entry above cursor, or an event without a position. */
int store_audit_sequencer_has_work(store_conn *conn, long long cursor, int *work, alvd_err *err);
/* Entries above the floor not chained yet plus events without a position. */
int store_audit_sequencer_left(store_conn *conn, long long *left, alvd_err *err);
/* Events without a stream position, oldest first (id column), at most limit. */
int store_events_unnumbered(store_conn *conn, int limit, store_result **rows, alvd_err *err);
/* Gives event id position seq unless it has one; *numbered = 1 when it did. */
int store_events_number(store_conn *conn, long long id, long long seq, int *numbered, alvd_err *err);

/* Chained entry id's hash and mac (no row when it is missing). */
int store_audit_log_entry_hashes(store_conn *conn, long long id, store_result **rows, alvd_err *err);

#endif
