/* Proxies (volmachten, R2): a new proxy is checked under the meeting's row lock (so the
 * cap is counted exactly), then the two member rows in id order, as everywhere. */
#include "alvd/service/proxies.h"

#include <string.h>

#include "alvd/service/attendance.h"
#include "alvd/store/proxies.h"
#include "alvd/store/meetings.h"

/* The meeting allows proxies and is not closed (its row is locked by the caller). */
static int proxies_meeting_check(store_conn *conn, long long meeting_id, meeting_info *meeting, alvd_err *err)
{
    if (store_meetings_load(conn, meeting_id, meeting, err) != 0)
        return -1;
    if (!meeting->proxies_allowed)
        return alvd_err_set(err, 422, "proxies_off", NULL,
                            "Volmachten zijn voor deze vergadering niet toegestaan (instelling van de vergadering).");
    if (strcmp(meeting->state, "closed") == 0)
        return alvd_err_set(err, 409, "meeting_closed", NULL, "Deze vergadering is gesloten.");
    return 0;
}

/* Both voting members (rows locked), one proxy given per member, no chains, the cap. */
static int proxies_rules_check(store_conn *conn, const meeting_info *meeting, long long principal_id,
                               long long holder_id, alvd_err *err)
{
    long long found = 0;
    proxies_tally tally;
    if (store_proxies_lock_members(conn, meeting->id, principal_id, holder_id, &found, err) != 0)
        return -1;
    if (found != 2)
        return alvd_err_set(err, 422, "not_voting_member", "principal_id",
                            "Volmachtgever en gevolmachtigde moeten allebei stemgerechtigd lid zijn voor deze vergadering.");
    if (store_proxies_tally(conn, meeting->id, principal_id, holder_id, &tally, err) != 0)
        return -1;
    if (tally.principal_gave > 0)
        return alvd_err_set(err, 409, "duplicate_proxy", "principal_id",
                            "Deze organisatie heeft al een volmacht gegeven; trek die eerst in.");
    if (tally.holder_gave > 0 || tally.principal_holds > 0)
        return alvd_err_set(err, 422, "proxy_chain", "holder_id",
                            "Een volmacht kan niet worden doorgegeven: de gevolmachtigde heeft zelf een volmacht gegeven,"
                            " of de volmachtgever houdt al volmachten van anderen.");
    if (tally.holder_holds >= meeting->max_proxies)
        return alvd_err_set(err, 422, "proxy_cap", "holder_id",
                            "Deze gevolmachtigde heeft al %lld volmacht(en); het maximum per lid is %d.",
                            tally.holder_holds, meeting->max_proxies);
    return 0;
}

int service_proxies_create(store_conn *conn, const audit_actor *actor, long long created_by, long long meeting_id,
                           long long principal_id, long long holder_id, const char *note, long long *proxy_id,
                           alvd_err *err)
{
    meeting_info meeting;
    json_t *details = NULL;
    if (principal_id == holder_id)
        return alvd_err_set(err, 422, "proxy_to_self", "holder_id", "Een lid kan geen volmacht aan zichzelf geven.");
    if (store_begin(conn, err) != 0 || store_meetings_lock(conn, meeting_id, NULL, err) != 0 ||
        proxies_meeting_check(conn, meeting_id, &meeting, err) != 0 ||
        proxies_rules_check(conn, &meeting, principal_id, holder_id, err) != 0)
        goto fail;
    details = json_pack("{s:I, s:I}", "principal_id", (json_int_t)principal_id, "holder_id", (json_int_t)holder_id);
    if (audit_append(conn, err, actor, "proxy.create", "meeting", meeting_id, details) != 0 ||
        store_proxies_insert(conn, meeting_id, principal_id, holder_id, note, created_by, proxy_id, err) != 0 ||
        service_attendance_publish(conn, meeting_id, "proxy", err) != 0 || store_commit(conn, err) != 0)
        goto fail;
    json_decref(details);
    return 0;
fail:
    json_decref(details);
    store_rollback(conn);
    return -1;
}

int service_proxies_revoke(store_conn *conn, const audit_actor *actor, long long meeting_id, long long proxy_id,
                           alvd_err *err)
{
    int revoked = 0;
    if (store_begin(conn, err) != 0 ||
        audit_append(conn, err, actor, "proxy.revoke", "proxy", proxy_id, NULL) != 0 ||
        store_proxies_revoke(conn, meeting_id, proxy_id, &revoked, err) != 0)
        goto fail;
    if (!revoked) {
        alvd_err_set(err, 404, "not_found", NULL, "Volmacht niet gevonden of al ingetrokken.");
        goto fail;
    }
    if (service_attendance_publish(conn, meeting_id, "proxy", err) != 0 || store_commit(conn, err) != 0)
        goto fail;
    return 0;
fail:
    store_rollback(conn);
    return -1;
}

void service_proxies_view_free(proxies_view *view)
{
    store_attendance_snapshot_free(&view->snapshot);
    store_result_free(view->rows);
    view->rows = NULL;
}

int service_proxies_list(store_conn *conn, long long meeting_id, proxies_view *out, alvd_err *err)
{
    meeting_info meeting;
    memset(out, 0, sizeof *out);
    if (store_meetings_load(conn, meeting_id, &meeting, err) != 0 ||
        store_attendance_snapshot_at(conn, meeting_id, NULL, &out->snapshot, err) != 0 ||
        store_proxies_list(conn, meeting_id, &out->rows, err) != 0) {
        service_proxies_view_free(out);
        return -1;
    }
    out->proxies_allowed = meeting.proxies_allowed;
    out->max_proxies = meeting.max_proxies;
    return 0;
}
