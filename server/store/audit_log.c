/* The audit log as people read it: a filtered page of entries for the administrator and
 * the chain's head for GET /metrics. */
#include "alvd/store/audit_log.h"

int store_audit_log_list(store_conn *conn, const store_audit_log_filter *filter, store_result **rows, alvd_err *err)
{
    /* Filters are optional: a NULL parameter matches everything. */
    return store_query(conn, err, rows,
                       "SELECT id, created_at, actor_kind, actor_id, actor_label, action, object_type, object_id,"
                       " details, LOWER(HEX(hash)) AS hash FROM audit_log"
                       " WHERE (? = 0 OR id < ?) AND (? IS NULL OR object_type = ?) AND (? = 0 OR object_id = ?)"
                       " ORDER BY id DESC LIMIT ?",
                       STORE_PARAMS(STORE_INT_PARAM(filter->before), STORE_INT_PARAM(filter->before),
                                    STORE_TEXT_PARAM(filter->object_type), STORE_TEXT_PARAM(filter->object_type),
                                    STORE_INT_PARAM(filter->object_id), STORE_INT_PARAM(filter->object_id),
                                    STORE_INT_PARAM(filter->limit)));
}

int store_audit_log_read_head(store_conn *conn, store_audit_log_head *head, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT COALESCE(MAX(h.id), 0),"
                    " COALESCE((SELECT TIMESTAMPDIFF(MICROSECOND, l.created_at, UTC_TIMESTAMP(6))"
                    "  FROM audit_log l WHERE l.id = MAX(h.id)), 0) FROM audit_heads h",
                    STORE_NO_PARAMS) != 0)
        return -1;
    head->entry = store_result_int(rows, 0, 0);
    head->age_microseconds = store_result_int(rows, 0, 1);
    store_result_free(rows);
    return 0;
}
