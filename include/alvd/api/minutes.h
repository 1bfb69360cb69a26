/* The minutes (notulen) and decision list of a meeting as JSON or Markdown; the signed
 * decision records (Ed25519) live in service/minutes.h. */
#ifndef ALVD_API_MINUTES_H
#define ALVD_API_MINUTES_H

#include <jansson.h>

#include "alvd/base/err.h"
#include "alvd/http/request.h"
#include "alvd/service/minutes.h"
#include "alvd/store/db.h"

/* issue 20 forwarder: the lead replaces its callers at merge */
static inline int minutes_decision_record(store_conn *conn, const char *data_dir, long long meeting_id,
                                          long long poll_id, const char *kind, json_t *record, alvd_err *err)
{
    return service_minutes_record_decision(conn, data_dir, meeting_id, poll_id, kind, record, err);
}

/* issue 20 forwarder: the lead replaces its callers at merge */
static inline int minutes_decisions_verify(store_conn *conn, const char *data_dir, long long *checked, alvd_err *err)
{
    return service_minutes_verify(conn, data_dir, checked, err);
}

void minutes_get(http_request *request); /* GET /api/meetings/{id}/minutes[?format=markdown] */

#endif
