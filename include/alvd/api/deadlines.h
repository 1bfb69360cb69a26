/* The deadlines overview of scheduled Code versions (R4, R7) for the secretariat, and
 * its iCalendar feed behind a secret per-user link for Outlook or any calendar. */
#ifndef ALVD_API_DEADLINES_H
#define ALVD_API_DEADLINES_H

#include <stddef.h>

#include "alvd/base/buf.h"
#include "alvd/http/request.h"
#include "alvd/store/db.h"

#define DEADLINES_ICS_LINE_OCTETS 75 /* RFC 5545 3.1: fold lines longer than this */

/* GET /api/deadlines (staff): per scheduled version E, W, days left, withdrawals,
 * signatories still to be bound, R7 warnings and the send-by advice. */
void deadlines_overview(http_request *request);
/* POST /api/deadlines/feed-token (staff user): a fresh secret calendar link; the old
 * one stops working. */
void deadlines_feed_token(http_request *request);
/* GET /api/deadlines.ics?token= (anyone with a valid link; 404 otherwise). */
void deadlines_ics(http_request *request);

/* Append one content line "name:value" to out, with value escaped as an RFC 5545
 * TEXT (backslash, semicolon, comma, newline) when escape is set, folded at 75
 * octets without splitting a UTF-8 sequence, ended by CRLF. */
int deadlines_ics_line(alvd_buf *out, const char *name, const char *value, int escape);

#endif
