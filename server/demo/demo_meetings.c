/* Demo data for the ALV in the hall: an ALV dated the day the demo is loaded (a meeting
 * opens only on its own date), tickets for every voting member, and one member's ticket
 * link in the report to try on a phone. */
#include "alvd/demo/demo.h"

#include <stdio.h>
#include <string.h>

#include "alvd/base/clock.h"
#include "alvd/crypto/audit.h"
#include "alvd/rules/dates.h"
#include "alvd/rules/member_import.h"
#include "alvd/service/tickets.h"
#include "alvd/store/agenda.h"
#include "alvd/store/bases.h"
#include "alvd/store/db.h"
#include "alvd/store/meetings.h"
#include "alvd/store/tickets.h"

#define DEMO_MEETING_TITLE "Algemene Ledenvergadering (demo)"

/* The meeting needs voting members; the register's demo section (run before this one)
 * provides them. */
static int demo_meetings_members(store_conn *conn, alvd_err *err)
{
    long long members = 0;
    if (store_bases_open_memberships(conn, &members, err) != 0)
        return -1;
    if (members == 0)
        return alvd_err_set(err, 500, "demo_order", NULL,
                            "The meeting demo needs member organisations (the register demo loads them).");
    return 0;
}

/* scripts/run loads the demo each time it starts: a demo ALV loaded on an earlier day
 * that was never opened still lies in the past, and a meeting opens only on its own
 * date, so it moves to today (audited like any date correction). */
static int demo_meetings_move_to_today(store_conn *conn, long long meeting_id, const char *today, alvd_err *err)
{
    char date[11];
    int stale = 0;
    if (store_begin(conn, err) != 0 ||
        store_meetings_lock_unopened_before(conn, meeting_id, today, date, &stale, err) != 0)
        goto fail;
    if (stale) {
        audit_actor system = {"system", 0, "alvd demo"};
        json_t *moved = json_pack("{s:s, s:s, s:s}", "from", date, "to", today, "reason",
                                  "demo loaded again; the demo ALV was never opened");
        int rc = audit_append(conn, err, &system, "meeting.date_changed", "meeting", meeting_id, moved);
        json_decref(moved);
        if (rc != 0 || store_meetings_set_date(conn, meeting_id, today, err) != 0)
            goto fail;
    }
    return store_commit(conn, err);
fail:
    store_rollback(conn);
    return -1;
}

/* The full agenda of the demo ALV: opening, the minutes of the last ALV (a decision by
 * a majority of the votes cast), every proposal that is ready, questions, closing. Set
 * while the meeting has no poll and no proposal on its agenda yet, so an older demo
 * database gets it too and a meeting in use is left alone. */
static int demo_meetings_agenda(store_conn *conn, long long meeting_id, alvd_err *err)
{
    store_result *rows = NULL;
    audit_actor system = {"system", 0, "alvd demo"};
    int settled = 0;
    if (store_begin(conn, err) != 0 || store_agenda_lock_in_use(conn, meeting_id, &settled, err) != 0)
        goto fail;
    if (settled) {
        store_rollback(conn);
        return 0;
    }
    if (store_agenda_ready_proposals(conn, &rows, err) != 0 || store_agenda_clear(conn, meeting_id, err) != 0)
        goto fail;
    long long position = 0;
    const struct { const char *kind, *title, *rule; } before[] = {
        {"item", "Opening en mededelingen", NULL},
        {"decision", "Vaststelling van de notulen van de vorige ALV", "majority_of_votes_cast"},
    }, after[] = {{"item", "Rondvraag", NULL}, {"item", "Sluiting", NULL}};
    for (size_t i = 0; i < sizeof before / sizeof before[0]; i++)
        if (store_agenda_insert(conn, meeting_id, 0, ++position, before[i].kind, 0, before[i].title, before[i].rule,
                                err) != 0)
            goto fail;
    for (size_t r = 0; r < store_result_rows(rows); r++)
        if (store_agenda_insert(conn, meeting_id, 0, ++position, "proposal", store_result_int(rows, r, 0),
                                store_result_text(rows, r, 1), NULL, err) != 0)
            goto fail;
    for (size_t i = 0; i < sizeof after / sizeof after[0]; i++)
        if (store_agenda_insert(conn, meeting_id, 0, ++position, after[i].kind, 0, after[i].title, NULL, err) != 0)
            goto fail;
    store_result_free(rows);
    rows = NULL;
    json_t *details = json_pack("{s:I}", "items", (json_int_t)position);
    int rc = audit_append(conn, err, &system, "meeting.agenda", "meeting", meeting_id, details);
    json_decref(details);
    if (rc != 0 || store_agenda_set_current(conn, meeting_id, 0, err) != 0 || store_commit(conn, err) != 0)
        goto fail;
    return 0;
fail:
    store_result_free(rows);
    store_rollback(conn);
    return -1;
}

int demo_meetings_load(const alvd_app *app, store_conn *conn, FILE *report, alvd_err *err)
{
    long long meeting_id = 0;
    if (demo_meetings_members(conn, err) != 0 ||
        store_meetings_id_by_title(conn, DEMO_MEETING_TITLE, &meeting_id, err) != 0)
        return -1;
    char date[RULES_DATE_TEXT_SIZE];
    rules_date_format(clock_today(&app->config), date);
    if (meeting_id != 0 && demo_meetings_move_to_today(conn, meeting_id, date, err) != 0)
        return -1;
    if (meeting_id == 0) {
        audit_actor system = {"system", 0, "alvd demo"};
        if (store_begin(conn, err) != 0 ||
            store_meetings_insert_system(conn, DEMO_MEETING_TITLE, date, "19:30", "Jaarbeurs, Utrecht (zaal 3)", 2,
                                         &meeting_id, err) != 0 ||
            audit_append(conn, err, &system, "meeting.create", "meeting", meeting_id, NULL) != 0 ||
            store_commit(conn, err) != 0) {
            store_rollback(conn);
            return -1;
        }
    }
    if (demo_meetings_agenda(conn, meeting_id, err) != 0)
        return -1;
    long long issued = 0, holder = 0;
    char name[RULES_MEMBER_NAME_MAX * 4 + 1];
    if (service_tickets_issue_system(conn, app->config.data_dir, meeting_id, 0, &issued, err) != 0 ||
        store_tickets_first_holder(conn, meeting_id, &holder, name, sizeof name, err) != 0)
        return -1;
    fprintf(report, "ALV (meeting %lld): tickets issued for the voting members\n", meeting_id);
    if (holder != 0) {
        char url[SERVICE_TICKETS_URL_SIZE];
        if (service_tickets_member_url(conn, app->config.data_dir, app->config.public_url, meeting_id, holder, url,
                                       err) != 0)
            return -1;
        fprintf(report, "  ticket of %s (open on a phone):\n  %s\n", name, url);
    }
    fprintf(report, "  scanner: %s/staff/scanner.html?meeting=%lld  projector: %s/projector.html?meeting=%lld\n",
            app->config.public_url, meeting_id, app->config.public_url, meeting_id);
    fprintf(report, "  agenda: %s/staff/agenda.html?id=%lld  chair: %s/staff/chair.html?id=%lld\n", app->config.public_url,
            meeting_id, app->config.public_url, meeting_id);
    fprintf(report, "  taking part remotely (BW 2:38a) is on: the one-time code mails land in %s/outbox\n",
            app->config.data_dir);
    return 0;
}
