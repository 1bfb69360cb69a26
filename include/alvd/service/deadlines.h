/* The withdrawal deadlines of the scheduled Code versions (R4, R7): the overview for
 * the secretariat, the calendar events kept in step with the versions, feed links. */
#ifndef ALVD_SERVICE_DEADLINES_H
#define ALVD_SERVICE_DEADLINES_H

#include <jansson.h>

#include "alvd/base/err.h"
#include "alvd/crypto/audit.h"
#include "alvd/crypto/token.h"
#include "alvd/rules/dates.h"
#include "alvd/store/db.h"
#include "alvd/store/deadlines.h"

/* The overview as GET /api/deadlines answers it for user_id on today: per scheduled
 * version E, W, days left, withdrawals, signatories still to be bound, R7 warnings
 * and the send-by advice; the pending withdrawals; the user's feed link state.
 * *out is a new reference. */
int service_deadlines_overview(store_conn *conn, long long user_id, rules_day today, json_t **out, alvd_err *err);

/* A fresh secret calendar link for user_id (the old one stops working), audited. */
int service_deadlines_feed_token_issue(store_conn *conn, const audit_actor *actor, long long user_id,
                                       char token[TOKEN_TEXT_SIZE], alvd_err *err);

/* Who asks for the feed and with which link. */
typedef struct service_deadlines_feed_request {
    const unsigned char *rate_key; /* AUTH_RATE_KEY_BYTES */
    const char *client;
    const char *token;             /* may be NULL */
    rules_day today;
} service_deadlines_feed_request;
/* The calendar events of the feed (brought in line with the versions first), from a
 * year ago on. A wrong or missing link is 404 "not_found" (the same for every reason)
 * and counts against the client's limit; too many is 429. */
int service_deadlines_feed(store_conn *conn, const service_deadlines_feed_request *request,
                           store_calendar_item_list *out, alvd_err *err);

/* Bring calendar_items in line with the Code versions, in the caller's transaction:
 * new events are added (SEQUENCE 0), an event whose date or text changed gets
 * SEQUENCE + 1 and a new LAST-MODIFIED under the same UID, and an event whose version
 * is gone is marked cancelled (SEQUENCE + 1). Called where versions change and by the
 * feed itself. */
int service_deadlines_calendar_sync(store_conn *conn, alvd_err *err);

#endif
