/* SQL behind the deadlines overview and its iCalendar feed: bases and withdrawals as
 * the overview reads them, the secret feed links and the stored calendar events. */
#include "alvd/store/deadlines.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* calloc'd array of count items of size bytes (at least one, so NULL means no memory). */
static void *store_deadlines_array(size_t count, size_t size, alvd_err *err)
{
    void *items = calloc(count ? count : 1, size);
    if (items == NULL)
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    return items;
}

void store_deadlines_bases_free(store_deadlines_basis_list *list)
{
    free(list->items);
    store_result_free(list->rows);
    memset(list, 0, sizeof *list);
}

int store_deadlines_bases(store_conn *conn, store_deadlines_basis_list *out, alvd_err *err)
{
    memset(out, 0, sizeof *out);
    if (store_query(conn, err, &out->rows,
                    "SELECT b.organisation_id, o.name, b.basis, b.since, b.until, b.follows_amendments,"
                    " b.pinned_version_id FROM bases b JOIN organisations o ON o.id = b.organisation_id"
                    " WHERE b.superseded_by IS NULL ORDER BY b.organisation_id, b.id",
                    STORE_NO_PARAMS) != 0)
        return -1;
    size_t count = store_result_rows(out->rows);
    if ((out->items = store_deadlines_array(count, sizeof *out->items, err)) == NULL) {
        store_deadlines_bases_free(out);
        return -1;
    }
    for (size_t r = 0; r < count; r++) {
        store_deadlines_basis *basis = &out->items[r];
        basis->organisation_id = store_result_int(out->rows, r, 0);
        basis->organisation_name = store_result_text(out->rows, r, 1);
        basis->basis = store_result_text(out->rows, r, 2);
        basis->since = store_result_text(out->rows, r, 3);
        basis->until = store_result_text(out->rows, r, 4);
        basis->follows_amendments = (int)store_result_int(out->rows, r, 5);
        basis->pinned_version_id = store_result_int(out->rows, r, 6);
    }
    out->count = count;
    return 0;
}

void store_deadlines_withdrawals_free(store_deadlines_withdrawal_list *list)
{
    free(list->items);
    store_result_free(list->rows);
    memset(list, 0, sizeof *list);
}

int store_deadlines_withdrawals(store_conn *conn, store_deadlines_withdrawal_list *out, alvd_err *err)
{
    memset(out, 0, sizeof *out);
    if (store_query(conn, err, &out->rows,
                    "SELECT w.id, w.organisation_id, o.name, w.received_on, w.timely, w.concerned_version_id,"
                    " COALESCE(w.effect_version_id, (SELECT e.version_id FROM withdrawal_effects e"
                    " WHERE e.withdrawal_id = w.id AND e.kind <> 'undone' ORDER BY e.id DESC LIMIT 1)),"
                    " w.outcome,"
                    " IF(EXISTS (SELECT 1 FROM withdrawal_effects e WHERE e.withdrawal_id = w.id),"
                    " 'applied', 'pending')"
                    " FROM withdrawals w JOIN organisations o ON o.id = w.organisation_id"
                    " WHERE w.superseded_by IS NULL ORDER BY w.received_on, w.id",
                    STORE_NO_PARAMS) != 0)
        return -1;
    size_t count = store_result_rows(out->rows);
    if ((out->items = store_deadlines_array(count, sizeof *out->items, err)) == NULL) {
        store_deadlines_withdrawals_free(out);
        return -1;
    }
    for (size_t r = 0; r < count; r++) {
        store_deadlines_withdrawal *item = &out->items[r];
        item->id = store_result_int(out->rows, r, 0);
        item->organisation_id = store_result_int(out->rows, r, 1);
        item->organisation_name = store_result_text(out->rows, r, 2);
        item->received_on = store_result_text(out->rows, r, 3);
        item->timely = store_result_int(out->rows, r, 4) != 0;
        item->concerned_version_id = store_result_int(out->rows, r, 5);
        item->effect_version_id = store_result_int(out->rows, r, 6);
        item->outcome = store_result_text(out->rows, r, 7);
        item->state = store_result_text(out->rows, r, 8);
    }
    out->count = count;
    return 0;
}

int store_deadlines_feed_token_active(store_conn *conn, long long user_id, int *active, char since[11],
                                      alvd_err *err)
{
    store_result *rows = NULL;
    *active = 0;
    since[0] = '\0';
    if (store_query(conn, err, &rows,
                    "SELECT created_at FROM deadline_feed_tokens WHERE user_id = ? AND revoked_at IS NULL"
                    " ORDER BY id DESC LIMIT 1",
                    STORE_PARAMS(STORE_INT_PARAM(user_id))) != 0)
        return -1;
    if (store_result_rows(rows) == 1) {
        *active = 1;
        snprintf(since, 11, "%.10s", store_result_text(rows, 0, 0));
    }
    store_result_free(rows);
    return 0;
}

int store_deadlines_feed_token_replace(store_conn *conn, long long user_id, const unsigned char *hash,
                                       size_t hash_size, alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "UPDATE deadline_feed_tokens SET revoked_at = UTC_TIMESTAMP(6)"
                      " WHERE user_id = ? AND revoked_at IS NULL",
                      STORE_PARAMS(STORE_INT_PARAM(user_id))) != 0)
        return -1;
    return store_execute(conn, err, NULL,
                         "INSERT INTO deadline_feed_tokens (user_id, token_hash, created_at)"
                         " VALUES (?, ?, UTC_TIMESTAMP(6))",
                         STORE_PARAMS(STORE_INT_PARAM(user_id), STORE_BLOB_PARAM(hash, hash_size)));
}

int store_deadlines_feed_token_known(store_conn *conn, const unsigned char *hash, size_t hash_size, int *known,
                                     alvd_err *err)
{
    store_result *rows = NULL;
    *known = 0;
    if (store_query(conn, err, &rows,
                    "SELECT u.id FROM deadline_feed_tokens t JOIN users u ON u.id = t.user_id"
                    " WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL"
                    " AND u.roles <> ''",
                    STORE_PARAMS(STORE_BLOB_PARAM(hash, hash_size))) != 0)
        return -1;
    *known = store_result_rows(rows) == 1;
    store_result_free(rows);
    return 0;
}

void store_deadlines_calendar_free(store_calendar_item_list *list)
{
    free(list->items);
    store_result_free(list->rows);
    memset(list, 0, sizeof *list);
}

/* Rows (uid, day, summary, description, sequence, created, modified, cancelled) as items. */
static int store_deadlines_calendar_items(store_calendar_item_list *out, alvd_err *err)
{
    size_t count = store_result_rows(out->rows);
    if ((out->items = store_deadlines_array(count, sizeof *out->items, err)) == NULL) {
        store_deadlines_calendar_free(out);
        return -1;
    }
    for (size_t r = 0; r < count; r++) {
        store_calendar_item *item = &out->items[r];
        item->uid = store_result_text(out->rows, r, 0);
        item->day = store_result_text(out->rows, r, 1);
        item->summary = store_result_text(out->rows, r, 2);
        item->description = store_result_text(out->rows, r, 3);
        item->sequence = store_result_int(out->rows, r, 4);
        item->created_at = store_result_text(out->rows, r, 5);
        item->last_modified = store_result_text(out->rows, r, 6);
        item->cancelled = store_result_int(out->rows, r, 7) != 0;
    }
    out->count = count;
    return 0;
}

int store_deadlines_calendar_lock_all(store_conn *conn, store_calendar_item_list *out, alvd_err *err)
{
    memset(out, 0, sizeof *out);
    if (store_query(conn, err, &out->rows,
                    "SELECT uid, DATE_FORMAT(day, '%Y-%m-%d'), summary, description, sequence,"
                    " DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s'), DATE_FORMAT(last_modified, '%Y-%m-%d %H:%i:%s'),"
                    " cancelled_at IS NOT NULL FROM calendar_items ORDER BY uid FOR UPDATE",
                    STORE_NO_PARAMS) != 0)
        return -1;
    return store_deadlines_calendar_items(out, err);
}

int store_deadlines_calendar_since(store_conn *conn, const char *since, store_calendar_item_list *out,
                                   alvd_err *err)
{
    memset(out, 0, sizeof *out);
    if (store_query(conn, err, &out->rows,
                    "SELECT uid, DATE_FORMAT(day, '%Y-%m-%d'), summary, description, sequence,"
                    " DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s'), DATE_FORMAT(last_modified, '%Y-%m-%d %H:%i:%s'),"
                    " cancelled_at IS NOT NULL FROM calendar_items WHERE day >= ? ORDER BY day, uid",
                    STORE_PARAMS(STORE_TEXT_PARAM(since))) != 0)
        return -1;
    return store_deadlines_calendar_items(out, err);
}

int store_deadlines_calendar_upsert(store_conn *conn, const char *uid, const char *kind, long long version_id,
                                    const char *day, const char *summary, const char *description, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "INSERT INTO calendar_items (uid, kind, version_id, day, summary, description, sequence,"
                         " created_at, last_modified) VALUES (?, ?, ?, ?, ?, ?, 0, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))"
                         " ON DUPLICATE KEY UPDATE day = VALUES(day), summary = VALUES(summary),"
                         " description = VALUES(description), version_id = VALUES(version_id),"
                         " sequence = sequence + 1, last_modified = UTC_TIMESTAMP(6), cancelled_at = NULL",
                         STORE_PARAMS(STORE_TEXT_PARAM(uid), STORE_TEXT_PARAM(kind), STORE_INT_PARAM(version_id),
                                      STORE_TEXT_PARAM(day), STORE_TEXT_PARAM(summary),
                                      STORE_TEXT_PARAM(description)));
}

int store_deadlines_calendar_cancel(store_conn *conn, const char *uid, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE calendar_items SET cancelled_at = UTC_TIMESTAMP(6), last_modified = UTC_TIMESTAMP(6),"
                         " sequence = sequence + 1 WHERE uid = ?",
                         STORE_PARAMS(STORE_TEXT_PARAM(uid)));
}
