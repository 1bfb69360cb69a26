/* The vote writer's SQL: a batch's poll rows (locked), their snapshot and register, and
 * the multi-row inserts of register rows, plain and sealed ballots and named votes. */
#include "alvd/store/ballots.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/base/buf.h"

int store_ballots_lock_poll(store_conn *conn, long long poll_id, store_ballots_poll *out, alvd_err *err)
{
    store_result *rows = NULL;
    memset(out, 0, sizeof *out);
    if (store_query(conn, err, &rows,
                    "SELECT meeting_id, state, secret, proposal_id, eligible, threshold, box_public_key"
                    " FROM polls WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(poll_id))) != 0)
        return -1;
    if (store_result_rows(rows) == 1) {
        out->found = 1;
        out->meeting_id = store_result_int(rows, 0, 0);
        snprintf(out->state, sizeof out->state, "%s", store_result_text(rows, 0, 1));
        out->secret = (int)store_result_int(rows, 0, 2);
        out->proposal_id = store_result_int(rows, 0, 3);
        out->eligible = (int)store_result_int(rows, 0, 4);
        out->threshold = (int)store_result_int(rows, 0, 5);
        out->boxed = out->secret && store_result_length(rows, 0, 6) == BALLOT_BOX_KEY_BYTES;
        if (out->boxed)
            memcpy(out->box_public_key, store_result_text(rows, 0, 6), BALLOT_BOX_KEY_BYTES);
    }
    store_result_free(rows);
    return 0;
}

int store_ballots_members(store_conn *conn, long long poll_id, int register_rows, store_ballots_member **out,
                          size_t *count, alvd_err *err)
{
    store_result *rows = NULL;
    *out = NULL;
    *count = 0;
    if (store_query(conn, err, &rows,
                    register_rows ? "SELECT organisation_id, channel = 'paper', ballot_hash FROM poll_voters WHERE poll_id = ?"
                                  : "SELECT organisation_id, voter_id FROM poll_eligible WHERE poll_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(poll_id))) != 0)
        return -1;
    size_t n = store_result_rows(rows);
    *out = store_result_array(rows, sizeof **out, err);
    if (*out == NULL) {
        store_result_free(rows);
        return -1;
    }
    for (size_t r = 0; r < n; r++) {
        store_ballots_member *member = &(*out)[r];
        member->organisation_id = store_result_int(rows, r, 0);
        if (!register_rows) {
            member->voter_id = store_result_int(rows, r, 1);
            continue;
        }
        member->paper = (int)store_result_int(rows, r, 1);
        member->has_hash = store_result_length(rows, r, 2) == BALLOT_HASH_BYTES;
        if (member->has_hash)
            memcpy(member->hash, store_result_text(rows, r, 2), BALLOT_HASH_BYTES);
    }
    store_result_free(rows);
    *count = n;
    return 0;
}

typedef void (*store_ballots_fill_fn)(const store_ballots_row *row, store_param *params);

/* One multi-row INSERT per chunk; *affected (may be NULL) gets the rows written. */
static int store_ballots_insert(store_conn *conn, const char *head, const char *row_sql, size_t columns,
                                const store_ballots_row *rows, size_t count, store_ballots_fill_fn fill,
                                long long *affected, alvd_err *err)
{
    store_param *params = calloc(STORE_CHUNK_MAX * columns, sizeof *params);
    alvd_buf sql;
    int rc = -1;
    if (params == NULL)
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    if (affected)
        *affected = 0;
    buf_init(&sql, 64 * 1024);
    for (size_t done = 0; done < count;) {
        long long written = 0;
        size_t chunk = store_chunk_size(count - done);
        sql.length = 0;
        buf_append_str(&sql, head);
        buf_append_str(&sql, " ");
        store_append_repeated(&sql, row_sql, chunk);
        for (size_t r = 0; r < chunk; r++)
            fill(&rows[done + r], &params[r * columns]);
        if (sql.overflowed || store_execute(conn, err, &written, sql.data, params, chunk * columns) != 0)
            goto done;
        if (affected)
            *affected += written;
        done += chunk;
    }
    rc = 0;
done:
    buf_free(&sql);
    free(params);
    return rc;
}

static void store_ballots_voter_params(const store_ballots_row *row, store_param *params)
{
    params[0] = STORE_INT_PARAM(row->poll_id);
    params[1] = STORE_INT_PARAM(row->organisation_id);
    params[2] = STORE_BLOB_PARAM(row->hash, BALLOT_HASH_BYTES);
}

static void store_ballots_plain_params(const store_ballots_row *row, store_param *params)
{
    params[0] = STORE_BLOB_PARAM(row->id, BALLOT_BOX_ROW_ID_BYTES);
    params[1] = STORE_INT_PARAM(row->poll_id);
    params[2] = STORE_TEXT_PARAM(row->choice);
    params[3] = STORE_BLOB_PARAM(row->tracker, BALLOT_TRACKER_BYTES);
}

static void store_ballots_sealed_params(const store_ballots_row *row, store_param *params)
{
    params[0] = STORE_BLOB_PARAM(row->id, BALLOT_BOX_ROW_ID_BYTES);
    params[1] = STORE_INT_PARAM(row->poll_id);
    params[2] = STORE_BLOB_PARAM(row->sealed, BALLOT_BOX_SEALED_BYTES);
}

static void store_ballots_named_params(const store_ballots_row *row, store_param *params)
{
    params[0] = STORE_INT_PARAM(row->poll_id);
    params[1] = STORE_INT_PARAM(row->organisation_id);
    params[2] = STORE_TEXT_PARAM(row->choice);
    params[3] = STORE_INT_PARAM(row->cast_by);
}

int store_ballots_insert_voters(store_conn *conn, const store_ballots_row *rows, size_t count, long long *written,
                                alvd_err *err)
{
    return store_ballots_insert(conn, "INSERT IGNORE INTO poll_voters (poll_id, organisation_id, channel, ballot_hash) VALUES",
                                "(?, ?, 'phone', ?)", 3, rows, count, store_ballots_voter_params, written, err);
}

int store_ballots_insert_plain(store_conn *conn, const store_ballots_row *rows, size_t count, alvd_err *err)
{
    return store_ballots_insert(conn, "INSERT INTO ballots (id, poll_id, choice, tracker) VALUES", "(?, ?, ?, ?)", 4,
                                rows, count, store_ballots_plain_params, NULL, err);
}

int store_ballots_insert_sealed(store_conn *conn, const store_ballots_row *rows, size_t count, alvd_err *err)
{
    return store_ballots_insert(conn, "INSERT INTO sealed_ballots (id, poll_id, sealed) VALUES", "(?, ?, ?)", 3, rows,
                                count, store_ballots_sealed_params, NULL, err);
}

int store_ballots_insert_named(store_conn *conn, const store_ballots_row *rows, size_t count, alvd_err *err)
{
    return store_ballots_insert(conn, "INSERT INTO open_votes (poll_id, organisation_id, choice, channel, cast_by) VALUES",
                                "(?, ?, ?, 'phone', ?)", 4, rows, count, store_ballots_named_params, NULL, err);
}
