/* The minutes (notulen) and decision list of a meeting, generated from the record, and
 * the signed decision records (Ed25519) that `alvd audit verify` checks. */
#ifndef ALVD_API_MINUTES_H
#define ALVD_API_MINUTES_H

#include <jansson.h>

#include "alvd/base/err.h"
#include "alvd/http/request.h"
#include "alvd/store/db.h"

/* Sign record (canonical JSON: compact, sorted keys) with the key in
 * data_dir/keys/decisions.key and store it, in the caller's transaction. record is
 * borrowed. */
int minutes_decision_record(store_conn *conn, const char *data_dir, long long meeting_id, long long poll_id,
                            const char *kind, json_t *record, alvd_err *err);

/* Check every decision: its signature, and for a poll decision that the poll row still
 * holds the signed counts and outcome. *checked gets the number checked; on the first
 * bad one -1 with 409 "decision_broken" naming it. */
int minutes_decisions_verify(store_conn *conn, const char *data_dir, long long *checked, alvd_err *err);

void minutes_get(http_request *request); /* GET /api/meetings/{id}/minutes[?format=markdown] */

#endif
