/* The tables behind the deadlines overview and its calendar feed: the register's
 * bases and withdrawals as the overview reads them, feed links and calendar items. */
#ifndef ALVD_STORE_DEADLINES_H
#define ALVD_STORE_DEADLINES_H

#include <stddef.h>

#include "alvd/base/err.h"
#include "alvd/store/db.h"

/* Texts in the lists below are borrowed from `rows`: keep the list until done and
 * free it with its _free function. */

/* A current basis of an organisation (not superseded), with the organisation's name. */
typedef struct store_deadlines_basis {
    long long organisation_id;
    const char *organisation_name;
    const char *basis;        /* membership, signature, contract */
    const char *since, *until; /* 'YYYY-MM-DD'; until NULL when open */
    int follows_amendments;
    long long pinned_version_id;
} store_deadlines_basis;
typedef struct store_deadlines_basis_list {
    store_deadlines_basis *items;
    size_t count;
    store_result *rows;
} store_deadlines_basis_list;
/* Ordered by organisation, then basis id. */
int store_deadlines_bases(store_conn *conn, store_deadlines_basis_list *out, alvd_err *err);
void store_deadlines_bases_free(store_deadlines_basis_list *list);

/* A standing withdrawal (not superseded) with the version it takes effect for and
 * whether any effect was applied ("applied") or not yet ("pending"). */
typedef struct store_deadlines_withdrawal {
    long long id, organisation_id;
    const char *organisation_name, *received_on, *outcome, *state;
    int timely;
    long long concerned_version_id, effect_version_id; /* 0 = none */
} store_deadlines_withdrawal;
typedef struct store_deadlines_withdrawal_list {
    store_deadlines_withdrawal *items;
    size_t count;
    store_result *rows;
} store_deadlines_withdrawal_list;
/* Ordered by received_on, id. */
int store_deadlines_withdrawals(store_conn *conn, store_deadlines_withdrawal_list *out, alvd_err *err);
void store_deadlines_withdrawals_free(store_deadlines_withdrawal_list *list);

/* The user's active calendar link: *active 1 with since = its creation date. */
int store_deadlines_feed_token_active(store_conn *conn, long long user_id, int *active, char since[11],
                                      alvd_err *err);
/* Revoke the user's links and store a new one by its hash. */
int store_deadlines_feed_token_replace(store_conn *conn, long long user_id, const unsigned char *hash,
                                       size_t hash_size, alvd_err *err);
/* *known 1 when the hash is a live link of an enabled staff user. */
int store_deadlines_feed_token_known(store_conn *conn, const unsigned char *hash, size_t hash_size, int *known,
                                     alvd_err *err);

/* A stored calendar event (calendar_items). */
typedef struct store_calendar_item {
    const char *uid, *day, *summary, *description; /* day 'YYYY-MM-DD' */
    long long sequence;
    const char *created_at, *last_modified;         /* 'YYYY-MM-DD HH:MM:SS' UTC */
    int cancelled;
} store_calendar_item;
typedef struct store_calendar_item_list {
    store_calendar_item *items;
    size_t count;
    store_result *rows;
} store_calendar_item_list;
/* Every stored event, locked, ordered by uid (so two syncs apply one after the other). */
int store_deadlines_calendar_lock_all(store_conn *conn, store_calendar_item_list *out, alvd_err *err);
/* Events on or after since, ordered by day, uid. */
int store_deadlines_calendar_since(store_conn *conn, const char *since, store_calendar_item_list *out,
                                   alvd_err *err);
void store_deadlines_calendar_free(store_calendar_item_list *list);
/* Add an event (SEQUENCE 0) or, when its uid exists, change it: SEQUENCE + 1, a new
 * LAST-MODIFIED, no longer cancelled. */
int store_deadlines_calendar_upsert(store_conn *conn, const char *uid, const char *kind, long long version_id,
                                    const char *day, const char *summary, const char *description, alvd_err *err);
/* Mark an event cancelled (SEQUENCE + 1). */
int store_deadlines_calendar_cancel(store_conn *conn, const char *uid, alvd_err *err);

#endif
