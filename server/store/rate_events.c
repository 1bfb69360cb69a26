/* Rate limiting rows: counted per bucket and hashed subject within a window by the
 * database clock, so several alvd processes share one limit. */
#include "alvd/store/rate_events.h"

int store_rate_events_count(store_conn *conn, const char *bucket, const unsigned char subject[STORE_RATE_SUBJECT_BYTES],
                            int window_seconds, long long *count, long long *seconds_since_last, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT COUNT(*), COALESCE(TIMESTAMPDIFF(SECOND, MAX(at), UTC_TIMESTAMP(6)), 0)"
                    " FROM rate_events WHERE bucket = ? AND subject = ? AND at > UTC_TIMESTAMP(6) - INTERVAL ? SECOND",
                    STORE_PARAMS(STORE_TEXT_PARAM(bucket), STORE_BLOB_PARAM(subject, STORE_RATE_SUBJECT_BYTES),
                                 STORE_INT_PARAM(window_seconds))) != 0)
        return -1;
    *count = store_result_int(rows, 0, 0);
    if (seconds_since_last)
        *seconds_since_last = store_result_int(rows, 0, 1);
    store_result_free(rows);
    return 0;
}

int store_rate_events_record(store_conn *conn, const char *bucket,
                             const unsigned char subject[STORE_RATE_SUBJECT_BYTES], alvd_err *err)
{
    /* Old events are pruned in passing so the table stays small without a cron job. */
    if (store_execute(conn, err, NULL,
                      "DELETE FROM rate_events WHERE at < UTC_TIMESTAMP(6) - INTERVAL 1 DAY"
                      " LIMIT 100", STORE_NO_PARAMS) != 0)
        return -1;
    return store_execute(conn, err, NULL,
                         "INSERT INTO rate_events (bucket, subject, at) VALUES (?, ?, UTC_TIMESTAMP(6))",
                         STORE_PARAMS(STORE_TEXT_PARAM(bucket), STORE_BLOB_PARAM(subject, STORE_RATE_SUBJECT_BYTES)));
}
