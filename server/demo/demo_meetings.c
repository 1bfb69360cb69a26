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

/* The full agenda of the demo ALV: opening, the minutes of the last ALV (a decision by
 * a majority of the votes cast), every proposal that is ready, questions, closing. Set
 * while the meeting has no poll and no proposal on its agenda yet, so an older demo
 * database gets it too and a meeting in use is left alone. */
static int demo_meetings_agenda(store_conn *conn, long long meeting_id, alvd_err *err)
{
    store_result *rows = NULL;
    audit_actor system = {"system", 0, "alvd demo"};
    if (store_begin(conn, err) != 0 ||
        store_query(conn, err, &rows,
                    "SELECT (SELECT COUNT(*) FROM polls WHERE meeting_id = m.id),"
                    " (SELECT COUNT(*) FROM meeting_agenda WHERE meeting_id = m.id AND kind <> 'item')"
                    " FROM meetings m WHERE m.id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        goto fail;
    int settled = store_result_int(rows, 0, 0) > 0 || store_result_int(rows, 0, 1) > 0;
    store_result_free(rows);
    rows = NULL;
    if (settled) {
        store_rollback(conn);
        return 0;
    }
    if (store_query(conn, err, &rows,
                    "SELECT p.id, r.title FROM proposals p JOIN proposal_revisions r ON r.id = p.current_revision_id"
                    " WHERE p.state = 'ready' ORDER BY p.id LIMIT 20",
                    STORE_NO_PARAMS) != 0 ||
        store_execute(conn, err, NULL, "DELETE FROM meeting_agenda WHERE meeting_id = ?",
                      STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        goto fail;
    long long position = 0;
    const struct { const char *kind, *title, *rule; } before[] = {
        {"item", "Opening en mededelingen", NULL},
        {"decision", "Vaststelling van de notulen van de vorige ALV", "majority_of_votes_cast"},
    }, after[] = {{"item", "Rondvraag", NULL}, {"item", "Sluiting", NULL}};
    for (size_t i = 0; i < sizeof before / sizeof before[0]; i++)
        if (store_execute(conn, err, NULL,
                          "INSERT INTO meeting_agenda (meeting_id, position, kind, title, majority_rule) VALUES (?, ?, ?, ?, ?)",
                          STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(++position),
                                       STORE_TEXT_PARAM(before[i].kind), STORE_TEXT_PARAM(before[i].title),
                                       before[i].rule ? STORE_TEXT_PARAM(before[i].rule) : STORE_NULL_PARAM)) != 0)
            goto fail;
    for (size_t r = 0; r < store_result_rows(rows); r++)
        if (store_execute(conn, err, NULL,
                          "INSERT INTO meeting_agenda (meeting_id, position, kind, proposal_id, title)"
                          " VALUES (?, ?, 'proposal', ?, ?)",
                          STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(++position),
                                       STORE_INT_PARAM(store_result_int(rows, r, 0)),
                                       STORE_TEXT_PARAM(store_result_text(rows, r, 1)))) != 0)
            goto fail;
    for (size_t i = 0; i < sizeof after / sizeof after[0]; i++)
        if (store_execute(conn, err, NULL,
                          "INSERT INTO meeting_agenda (meeting_id, position, kind, title) VALUES (?, ?, ?, ?)",
                          STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(++position),
                                       STORE_TEXT_PARAM(after[i].kind), STORE_TEXT_PARAM(after[i].title))) != 0)
            goto fail;
    store_result_free(rows);
    rows = NULL;
    json_t *details = json_pack("{s:I}", "items", (json_int_t)position);
    int rc = audit_append(conn, err, &system, "meeting.agenda", "meeting", meeting_id, details);
    json_decref(details);
    if (rc != 0 || store_execute(conn, err, NULL, "UPDATE meetings SET current_item = NULL WHERE id = ?",
                                 STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0 ||
        store_commit(conn, err) != 0)
        goto fail;
    return 0;
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
                          "INSERT INTO meetings (title, date, starts_at, location, proxies_allowed, max_proxies,"
                          " electronic_participation, created_at)"
                          " VALUES (?, ?, '19:30', 'Jaarbeurs, Utrecht (zaal 3)', 1, 2, 1, UTC_TIMESTAMP(6))",
                          STORE_PARAMS(STORE_TEXT_PARAM(DEMO_MEETING_TITLE), STORE_TEXT_PARAM(date))) != 0)
            goto fail;
        meeting_id = store_last_insert_id(conn);
        if (audit_append(conn, err, &system, "meeting.create", "meeting", meeting_id, NULL) != 0 ||
            store_commit(conn, err) != 0)
            goto fail;
    }
    if (demo_meetings_agenda(conn, meeting_id, err) != 0)
        return -1;
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
    fprintf(report, "  agenda: %s/staff/agenda.html?id=%lld  chair: %s/staff/chair.html?id=%lld\n", app->config.public_url,
            meeting_id, app->config.public_url, meeting_id);
    fprintf(report, "  taking part remotely (BW 2:38a) is on: the one-time code mails land in %s/outbox\n",
            app->config.data_dir);
    store_result_free(rows);
    return 0;
fail:
    store_result_free(rows);
    store_rollback(conn);
    return -1;
}
