/* Demo data for the ALV in the hall: an ALV dated the day the demo is loaded (a meeting
 * opens only on its own date), tickets for every voting member, and one member's ticket
 * link in the report to try on a phone. */
#include "alvd/demo/demo.h"

#include <stdio.h>
#include <string.h>

#include "alvd/api/meetings.h"
#include "alvd/base/clock.h"
#include "alvd/crypto/audit.h"
#include "alvd/rules/dates.h"
#include "alvd/store/db.h"

#define DEMO_MEETING_TITLE "Algemene Ledenvergadering (demo)"

/* The meeting needs voting members; the register's demo section (run before this one)
 * provides them. */
static int demo_meetings_members(store_conn *conn, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT COUNT(*) FROM bases WHERE basis = 'membership' AND superseded_by IS NULL AND until IS NULL",
                    STORE_NO_PARAMS) != 0)
        return -1;
    long long members = store_result_int(rows, 0, 0);
    store_result_free(rows);
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
    store_result *rows = NULL;
    if (store_begin(conn, err) != 0 ||
        store_query(conn, err, &rows,
                    "SELECT DATE_FORMAT(date, '%Y-%m-%d') FROM meetings WHERE id = ? AND state = 'planned'"
                    " AND opened_at IS NULL AND date < ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_TEXT_PARAM(today))) != 0)
        goto fail;
    if (store_result_rows(rows) == 1) {
        audit_actor system = {"system", 0, "alvd demo"};
        json_t *moved = json_pack("{s:s, s:s, s:s}", "from", store_result_text(rows, 0, 0), "to", today, "reason",
                                  "demo loaded again; the demo ALV was never opened");
        int rc = audit_append(conn, err, &system, "meeting.date_changed", "meeting", meeting_id, moved);
        json_decref(moved);
        if (rc != 0 || store_execute(conn, err, NULL, "UPDATE meetings SET date = ? WHERE id = ?",
                                     STORE_PARAMS(STORE_TEXT_PARAM(today), STORE_INT_PARAM(meeting_id))) != 0)
            goto fail;
    }
    store_result_free(rows);
    return store_commit(conn, err);
fail:
    store_result_free(rows);
    store_rollback(conn);
    return -1;
}

int demo_meetings_load(const alvd_app *app, store_conn *conn, FILE *report, alvd_err *err)
{
    store_result *rows = NULL;
    if (demo_meetings_members(conn, err) != 0)
        return -1;
    if (store_query(conn, err, &rows, "SELECT id FROM meetings WHERE title = ? ORDER BY id LIMIT 1",
                    STORE_PARAMS(STORE_TEXT_PARAM(DEMO_MEETING_TITLE))) != 0)
        return -1;
    long long meeting_id = store_result_rows(rows) ? store_result_int(rows, 0, 0) : 0;
    store_result_free(rows);
    rows = NULL;
    char date[RULES_DATE_TEXT_SIZE];
    rules_date_format(clock_today(&app->config), date);
    if (meeting_id != 0 && demo_meetings_move_to_today(conn, meeting_id, date, err) != 0)
        return -1;
    if (meeting_id == 0) {
        audit_actor system = {"system", 0, "alvd demo"};
        if (store_begin(conn, err) != 0 ||
            store_execute(conn, err, NULL,
                          "INSERT INTO meetings (title, date, starts_at, location, proxies_allowed, max_proxies, created_at)"
                          " VALUES (?, ?, '19:30', 'Jaarbeurs, Utrecht (zaal 3)', 1, 2, UTC_TIMESTAMP(6))",
                          STORE_PARAMS(STORE_TEXT_PARAM(DEMO_MEETING_TITLE), STORE_TEXT_PARAM(date))) != 0)
            goto fail;
        meeting_id = store_last_insert_id(conn);
        static const char *const items[] = {"Opening en mededelingen", "Notulen van de vorige ALV",
                                            "Jaarlijkse herziening van de Code", "Rondvraag en sluiting"};
        for (size_t i = 0; i < sizeof items / sizeof items[0]; i++)
            if (store_execute(conn, err, NULL,
                              "INSERT INTO meeting_agenda (meeting_id, position, proposal_id, title) VALUES (?, ?, NULL, ?)",
                              STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM((long long)i + 1),
                                           STORE_TEXT_PARAM(items[i]))) != 0)
                goto fail;
        if (audit_append(conn, err, &system, "meeting.create", "meeting", meeting_id, NULL) != 0 ||
            store_commit(conn, err) != 0)
            goto fail;
    }
    long long issued = 0;
    if (meetings_issue_tickets(conn, app->config.data_dir, meeting_id, 0, &issued, err) != 0 ||
        store_query(conn, err, &rows,
                    "SELECT t.organisation_id, o.name FROM tickets t JOIN organisations o ON o.id = t.organisation_id"
                    " WHERE t.meeting_id = ? AND t.revoked_at IS NULL ORDER BY o.name, o.id LIMIT 1",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    fprintf(report, "ALV (meeting %lld): tickets issued for the voting members\n", meeting_id);
    if (store_result_rows(rows) == 1) {
        char url[MEETINGS_TICKET_URL_SIZE];
        if (meetings_ticket_url(conn, app->config.data_dir, app->config.public_url, meeting_id,
                                store_result_int(rows, 0, 0), url, err) != 0) {
            store_result_free(rows);
            return -1;
        }
        fprintf(report, "  ticket of %s (open on a phone):\n  %s\n", store_result_text(rows, 0, 1), url);
    }
    fprintf(report, "  scanner: %s/staff/scanner.html?meeting=%lld  projector: %s/projector.html?meeting=%lld\n",
            app->config.public_url, meeting_id, app->config.public_url, meeting_id);
    store_result_free(rows);
    return 0;
fail:
    store_result_free(rows);
    store_rollback(conn);
    return -1;
}
