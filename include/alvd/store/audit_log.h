/* Reading the audit log for people: the administrator's page of entries and the chain's
 * head for the gauges. (Writing and verifying the chain stays in crypto/audit.c.) */
#ifndef ALVD_STORE_AUDIT_LOG_H
#define ALVD_STORE_AUDIT_LOG_H

#include "alvd/store/db.h"

/* Filters of a page; 0 / NULL match everything. */
typedef struct store_audit_log_filter {
    long long before;        /* entries with a smaller id */
    const char *object_type;
    long long object_id;
    long long limit;
} store_audit_log_filter;
/* Newest first. Columns: id, created_at, actor_kind, actor_id, actor_label, action,
 * object_type, object_id, details (JSON text), hash (lower-case hex). */
int store_audit_log_list(store_conn *conn, const store_audit_log_filter *filter, store_result **rows, alvd_err *err);

/* The newest chained entry's id (0 for an empty chain) and its age. */
typedef struct store_audit_log_head {
    long long entry;
    long long age_microseconds;
} store_audit_log_head;
int store_audit_log_read_head(store_conn *conn, store_audit_log_head *head, alvd_err *err);

#endif
