/* Meetings as a unit of work: create, change settings, open and close (with the
 * attendance and the floor), the convocation with its tickets, and who may see one. */
#ifndef ALVD_SERVICE_MEETINGS_H
#define ALVD_SERVICE_MEETINGS_H

#include <jansson.h>

#include "alvd/base/app.h"
#include "alvd/base/err.h"
#include "alvd/crypto/audit.h"
#include "alvd/http/auth.h"
#include "alvd/rules/deadlines.h"
#include "alvd/store/db.h"
#include "alvd/store/meetings.h"

/* Load a meeting the principal may see: staff see every meeting, a member's phone
 * only its own meeting; anything else answers 404 (no enumeration). */
int service_meetings_load_for(store_conn *conn, const auth_principal *who, long long meeting_id,
                              meeting_info *out, alvd_err *err);

/* Change the settings of a meeting read under lock: apply turns the stored settings
 * into the wanted ones (the request's fields; absent fields keep). */
typedef int (*service_meetings_apply_fn)(void *context, meeting_settings *settings, alvd_err *err);

/* Why a meeting was not opened today: it stands on another date. */
typedef struct service_meetings_other_day {
    char meeting_date[11], today[11];   /* YYYY-MM-DD */
} service_meetings_other_day;

/* What a convocation did. */
typedef struct service_meetings_convened {
    long long messages, tickets_issued;
    rules_notice_check notice;
} service_meetings_convened;

/* The meeting as the API shows it, with its agenda and live counts (404 when absent). */
int service_meetings_view(store_conn *conn, long long meeting_id, json_t **out, alvd_err *err);
/* The 200 newest meetings as the API lists them. */
int service_meetings_list(store_conn *conn, json_t **items, alvd_err *err);
/* A meeting for the principal (404 when it may not see it), with, for a member's phone,
 * its own status ("me": checked in, represented, proxies held, channel). */
int service_meetings_get(store_conn *conn, const auth_principal *who, long long meeting_id, json_t **out,
                         alvd_err *err);
/* Create a meeting, audited; *meeting gets its view with "warnings" (a convocation sent
 * today would be too late). */
int service_meetings_create(store_conn *conn, const alvd_app *app, const audit_actor *actor, long long user_id,
                            const meeting_settings *settings, json_t **meeting, alvd_err *err);
/* Change a meeting's settings (not once closed; electronic participation and the date
 * only while planned), audited with details (the request) and announced. */
int service_meetings_update(store_conn *conn, const audit_actor *actor, long long meeting_id,
                            service_meetings_apply_fn apply, void *context, json_t *details, json_t **meeting,
                            alvd_err *err);
/* Open (closing 0; only on the meeting's own date: 409 not_meeting_day with *other_day
 * filled) or close a meeting (no poll may be open; everyone is checked out, the floor
 * closes); *meeting gets its view, *checked_out how many were checked out. */
int service_meetings_transition(store_conn *conn, const alvd_app *app, const audit_actor *actor,
                                long long meeting_id, int closing, json_t **meeting, long long *checked_out,
                                service_meetings_other_day *other_day, alvd_err *err);
/* Send the convocation of a planned meeting: tickets for the voting members that lack
 * one, one message per contact person with that member's ticket, audited; a short notice
 * is a warning in out->notice, not an error. */
int service_meetings_convocation(store_conn *conn, const alvd_app *app, const audit_actor *actor, long long user_id,
                                 long long meeting_id, service_meetings_convened *out, alvd_err *err);

#endif
