/* Meetings as a unit of work: create, change settings, open and close (with the
 * attendance and the floor), the convocation with its tickets, and who may see one. */
#ifndef ALVD_SERVICE_MEETINGS_H
#define ALVD_SERVICE_MEETINGS_H

#include "alvd/base/err.h"
#include "alvd/http/auth.h"
#include "alvd/store/db.h"
#include "alvd/store/meetings.h"

/* Load a meeting the principal may see: staff see every meeting, a member's phone
 * only its own meeting; anything else answers 404 (no enumeration). */
int service_meetings_load_for(store_conn *conn, const auth_principal *who, long long meeting_id,
                              meeting_info *out, alvd_err *err);

#endif
