/* The minutes (notulen) of a meeting as JSON, generated from the record (attendance
 * ledger, deliberation, polls, adoptions), and the Ed25519-signed decision records. */
#ifndef ALVD_SERVICE_MINUTES_H
#define ALVD_SERVICE_MINUTES_H

#include <jansson.h>

#include "alvd/base/err.h"
#include "alvd/store/db.h"

/* Sign record (canonical JSON: compact, sorted keys) with the key in
 * data_dir/keys/decisions.key and store it, in the caller's transaction. record is
 * borrowed. */
int service_minutes_record_decision(store_conn *conn, const char *data_dir, long long meeting_id, long long poll_id,
                                    const char *kind, json_t *record, alvd_err *err);

/* Check every decision: its signature, and for a poll decision that the poll row still
 * holds the signed counts and outcome. *checked gets the number checked; on the first
 * bad one -1 with 409 "decision_broken" naming it. */
int service_minutes_verify(store_conn *conn, const char *data_dir, long long *checked, alvd_err *err);

/* The minutes of a meeting as JSON (new reference), or NULL with err. */
json_t *service_minutes_json(store_conn *conn, long long meeting_id, const char *data_dir, alvd_err *err);

#endif
