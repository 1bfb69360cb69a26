/* Remote participation (BW 2:38a): the one-time code, joining and leaving through the
 * presence ledger (channel "remote"), heartbeats and the automatic check-out. */
#include "alvd/api/remote.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "alvd/api/attendance.h"
#include "alvd/api/meetings.h"
#include "alvd/base/buf.h"
#include "alvd/base/clock.h"
#include "alvd/crypto/audit.h"
#include "alvd/http/auth.h"
#include "alvd/http/input.h"
#include "alvd/mail/outbox.h"
#include "alvd/rules/dates.h"

/* "Now" for codes and heartbeats: the database's clock, which every alvd process shares,
 * shifted by the test clock's offset (ALVD_TEST_NOW; 0 in production), so tests move
 * time forward by starting a process with a later clock instead of waiting. */
#define REMOTE_NOW "(UTC_TIMESTAMP(6) + INTERVAL ? SECOND)"
#define REMOTE_OFFSET(app) STORE_INT_PARAM((long long)(app)->config.clock_offset_seconds)

/* The rate-limit subject of one member at one meeting. */
static void remote_subject(long long meeting_id, long long organisation_id, char out[64])
{
    snprintf(out, 64, "%lld:%lld", meeting_id, organisation_id);
}

/* The keyed hash of a code: a 6-digit code has a small space, so the hash only keeps the
 * database from showing it; guessing is stopped by the attempt limit. */
static void remote_code_hash(const alvd_app *app, long long meeting_id, long long organisation_id, const char *code,
                             unsigned char hash[32])
{
    char text[96];
    int length = snprintf(text, sizeof text, "remote-code:%lld:%lld:%s", meeting_id, organisation_id, code);
    crypto_generichash(hash, 32, (const unsigned char *)text, (size_t)length, app->rate_key, sizeof app->rate_key);
    sodium_memzero(text, sizeof text);
}

/* Lock the meeting row, then the member row (the locks every presence change takes). */
static int remote_lock_member(store_conn *conn, long long meeting_id, long long organisation_id, alvd_err *err)
{
    store_result *rows = NULL;
    if (attendance_lock_ledger(conn, meeting_id, err) != 0 ||
        store_query(conn, err, &rows,
                    "SELECT organisation_id FROM meeting_members WHERE meeting_id = ? AND organisation_id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(organisation_id))) != 0)
        return -1;
    int found = store_result_rows(rows) == 1;
    store_result_free(rows);
    if (!found)
        return alvd_err_set(err, 403, "not_voting_member", NULL,
                            "Uw organisatie is geen stemgerechtigd lid voor deze vergadering.");
    return 0;
}

/* The member's meeting, with electronic participation on and not closed. */
static int remote_meeting(http_request *request, long long meeting_id, meeting_info *meeting, alvd_err *err)
{
    if (meetings_load_for(request, meeting_id, meeting, err) != 0)
        return -1;
    if (!meeting->electronic_participation)
        return alvd_err_set(err, 403, "electronic_participation_off", NULL,
                            "Voor deze vergadering is elektronische deelname niet mogelijk: kom naar de zaal, of geef"
                            " een schriftelijke volmacht aan een lid dat er is.");
    if (strcmp(meeting->state, "closed") == 0)
        return alvd_err_set(err, 409, "meeting_closed", NULL, "Deze vergadering is gesloten.");
    return 0;
}

/* ---------------------------------------------------------------- automatic check-out */

/* Check one member out when its page is silent past the setting: member row locked,
 * caller's transaction. *done = 1 when an exit was written. */
static int remote_expire_member(store_conn *conn, const alvd_app *app, long long meeting_id, long long organisation_id,
                                int *done, alvd_err *err)
{
    store_result *rows = NULL;
    attendance_last last;
    *done = 0;
    if (store_query(conn, err, &rows,
                    "SELECT DATE_FORMAT(p.last_seen, '%Y-%m-%dT%H:%i:%sZ'), m.remote_disconnect_seconds"
                    " FROM remote_presence p JOIN meetings m ON m.id = p.meeting_id"
                    " WHERE p.meeting_id = ? AND p.organisation_id = ? AND p.disconnected_at IS NULL"
                    " AND p.last_seen < " REMOTE_NOW " - INTERVAL m.remote_disconnect_seconds SECOND",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(organisation_id), REMOTE_OFFSET(app))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return 0;
    }
    json_t *details = json_pack("{s:I, s:s, s:I}", "organisation_id", (json_int_t)organisation_id, "last_seen",
                                store_result_text(rows, 0, 0), "after_seconds", (json_int_t)store_result_int(rows, 0, 1));
    store_result_free(rows);
    audit_actor system = {"system", 0, "remote disconnect check"};
    int rc = attendance_last_event(conn, meeting_id, organisation_id, &last, err);
    int inside_remote = rc == 0 && strcmp(last.direction, "entry") == 0 && strcmp(last.channel, "remote") == 0;
    if (rc == 0)
        rc = store_execute(conn, err, NULL,
                           "UPDATE remote_presence SET disconnected_at = " REMOTE_NOW
                           " WHERE meeting_id = ? AND organisation_id = ?",
                           STORE_PARAMS(REMOTE_OFFSET(app), STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(organisation_id)));
    if (rc == 0 && inside_remote) {
        rc = audit_append(conn, err, &system, "attendance.remote_disconnect", "meeting", meeting_id, details);
        if (rc == 0)
            rc = attendance_insert_event(conn, meeting_id, organisation_id, "exit", "remote", "disconnect", err);
        if (rc == 0)
            *done = 1;
    }
    json_decref(details);
    return rc;
}

/* Members of meeting_id (0 = all) whose pages look silent; without locks. */
static int remote_candidates(store_conn *conn, const alvd_app *app, long long meeting_id, store_result **rows,
                             alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT p.meeting_id, p.organisation_id FROM remote_presence p JOIN meetings m ON m.id = p.meeting_id"
                       " WHERE (? = 0 OR p.meeting_id = ?) AND m.state <> 'closed' AND p.disconnected_at IS NULL"
                       " AND p.last_seen < " REMOTE_NOW " - INTERVAL m.remote_disconnect_seconds SECOND"
                       " ORDER BY p.meeting_id, p.organisation_id LIMIT 500",
                       STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(meeting_id), REMOTE_OFFSET(app)));
}

int remote_sweep_locked(store_conn *conn, const alvd_app *app, long long meeting_id, alvd_err *err)
{
    store_result *rows = NULL;
    int changed = 0, rc = 0;
    if (remote_candidates(conn, app, meeting_id, &rows, err) != 0)
        return -1;
    for (size_t r = 0; rc == 0 && r < store_result_rows(rows); r++) {
        int done = 0;
        rc = remote_expire_member(conn, app, meeting_id, store_result_int(rows, r, 1), &done, err);
        changed |= done;
    }
    store_result_free(rows);
    if (rc == 0 && changed)
        rc = attendance_publish(conn, meeting_id, "remote_disconnect", err);
    return rc;
}

int remote_sweep(store_conn *conn, const alvd_app *app, long long meeting_id, alvd_err *err)
{
    store_result *rows = NULL;
    if (remote_candidates(conn, app, meeting_id, &rows, err) != 0)
        return -1;
    int rc = 0;
    for (size_t r = 0; rc == 0 && r < store_result_rows(rows); r++) {
        long long meeting = store_result_int(rows, r, 0), organisation = store_result_int(rows, r, 1);
        int done = 0;
        rc = store_begin(conn, err);
        if (rc == 0)
            rc = remote_lock_member(conn, meeting, organisation, err);
        if (rc == 0)
            rc = remote_expire_member(conn, app, meeting, organisation, &done, err);
        if (rc == 0 && done)
            rc = attendance_publish(conn, meeting, "remote_disconnect", err);
        if (rc == 0)
            rc = store_commit(conn, err);
        if (rc != 0)
            store_rollback(conn);
    }
    store_result_free(rows);
    return rc;
}

int remote_sweep_job(const alvd_app *app, store_conn *conn, alvd_err *err)
{
    return remote_sweep(conn, app, 0, err);
}

int remote_presence_forget(store_conn *conn, long long meeting_id, long long organisation_id, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "DELETE FROM remote_presence WHERE meeting_id = ? AND (? = 0 OR organisation_id = ?)",
                         STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(organisation_id),
                                      STORE_INT_PARAM(organisation_id)));
}

/* ---------------------------------------------------------------- the code */

/* "s.jansen@example.nl" → "s…@example.nl": the page says where the code went without
 * showing the whole address to whoever holds the ticket link. */
static void remote_mask_address(const char *address, char *out, size_t size)
{
    const char *at = strchr(address, '@');
    if (at == NULL || at == address) {
        snprintf(out, size, "%s", "het geregistreerde adres");
        return;
    }
    snprintf(out, size, "%c…%s", address[0], at);
}

void remote_code_request(http_request *request)
{
    const alvd_app *app = http_request_app(request);
    const auth_principal *who = http_request_principal(request);
    audit_actor actor = http_request_actor(request);
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    meeting_info meeting;
    char subject[64], code[REMOTE_CODE_DIGITS + 1], masked[300];
    unsigned char hash[32];
    alvd_buf text, html;
    long long meeting_id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    buf_init(&text, 32 * 1024);
    buf_init(&html, 64 * 1024);
    code[0] = '\0';
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        goto done;
    if (remote_meeting(request, meeting_id, &meeting, &err) != 0)
        goto fail;
    remote_subject(meeting_id, who->organisation_id, subject);
    if (auth_rate_check(conn, app->rate_key, "remote_code", subject, 600, REMOTE_CODES_PER_10_MINUTES, &err) != 0 ||
        auth_rate_check(conn, app->rate_key, "remote_code_hour", subject, 3600, REMOTE_CODES_PER_HOUR, &err) != 0) {
        if (err.status == 429)
            alvd_err_set(&err, 429, "too_many_attempts", NULL,
                         "Er zijn net al codes naar uw organisatie gestuurd. Gebruik de nieuwste code uit de mailbox,"
                         " of vraag over tien minuten een nieuwe aan.");
        goto fail;
    }
    if (store_query(conn, &err, &rows, "SELECT name, email FROM organisations WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(who->organisation_id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1 || store_result_is_null(rows, 0, 1) || !*store_result_text(rows, 0, 1)) {
        alvd_err_set(&err, 422, "no_delegate_address", NULL,
                     "Van uw organisatie is geen e-mailadres geregistreerd, dus wij kunnen geen code sturen. Neem"
                     " contact op met het secretariaat.");
        goto fail;
    }
    snprintf(code, sizeof code, "%06u", (unsigned)randombytes_uniform(1000000));
    remote_code_hash(app, meeting_id, who->organisation_id, code, hash);
    remote_mask_address(store_result_text(rows, 0, 1), masked, sizeof masked);

    rules_local_time until;
    rules_amsterdam_local(clock_now(&app->config, NULL) + REMOTE_CODE_SECONDS, &until);
    const char *organisation = store_result_text(rows, 0, 0);
    buf_appendf(&text,
                "Goedendag,\n\nDe code om namens %s op afstand deel te nemen aan de %s is:\n\n    %s\n\n"
                "Vul hem in op de ledenpagina waar u hem aanvroeg. De code is 10 minuten geldig (tot %02d:%02d uur)"
                " en werkt één keer.\n\nHeeft niemand van %s deze code aangevraagd? Dan probeert iemand met uw"
                " persoonlijke toegangslink binnen te komen. Neem dan contact op met het secretariaat: dat trekt de"
                " link in en geeft u een nieuwe.\n\nMet vriendelijke groet,\nSecretariaat Klantenservice Federatie"
                " (KSF)\n",
                organisation, meeting.title, code, until.hour, until.minute, organisation);
    buf_append_str(&html, "<!doctype html><html lang=\"nl\"><body><p>Goedendag,</p><p>De code om namens ");
    buf_append_html(&html, organisation);
    buf_append_str(&html, " op afstand deel te nemen aan de ");
    buf_append_html(&html, meeting.title);
    buf_appendf(&html,
                " is:</p><p style=\"font-size:2em;letter-spacing:.2em\"><strong>%s</strong></p><p>Vul hem in op de"
                " ledenpagina waar u hem aanvroeg. De code is 10 minuten geldig (tot %02d:%02d uur) en werkt één"
                " keer.</p><p>Heeft niemand van ",
                code, until.hour, until.minute);
    buf_append_html(&html, organisation);
    buf_append_str(&html, " deze code aangevraagd? Dan probeert iemand met uw persoonlijke toegangslink binnen te"
                          " komen. Neem dan contact op met het secretariaat: dat trekt de link in en geeft u een"
                          " nieuwe.</p><p>Met vriendelijke groet,<br>Secretariaat Klantenservice Federatie (KSF)</p>"
                          "</body></html>");
    char mail_subject[1024];
    snprintf(mail_subject, sizeof mail_subject, "Uw code voor deelname op afstand: %s", meeting.title);
    mail_message message = {store_result_text(rows, 0, 1), mail_subject, text.data, html.data, "remote_code"};
    json_t *details = json_pack("{s:I, s:s}", "organisation_id", (json_int_t)who->organisation_id, "sent_to", masked);
    int rc = store_begin(conn, &err);
    if (rc == 0)
        rc = auth_rate_record(conn, app->rate_key, "remote_code", subject, &err);
    if (rc == 0)
        rc = auth_rate_record(conn, app->rate_key, "remote_code_hour", subject, &err);
    if (rc == 0)
        rc = store_execute(conn, &err, NULL,
                           "INSERT INTO remote_codes (meeting_id, organisation_id, code_hash, sent_to, created_at, expires_at)"
                           " VALUES (?, ?, ?, ?, " REMOTE_NOW ", " REMOTE_NOW " + INTERVAL ? SECOND)",
                           STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(who->organisation_id),
                                        STORE_BLOB_PARAM(hash, sizeof hash), STORE_TEXT_PARAM(store_result_text(rows, 0, 1)),
                                        REMOTE_OFFSET(app), REMOTE_OFFSET(app), STORE_INT_PARAM(REMOTE_CODE_SECONDS)));
    if (rc == 0)
        rc = outbox_enqueue(conn, &message, NULL, &err);
    if (rc == 0)
        rc = audit_append(conn, &err, &actor, "attendance.remote_code", "meeting", meeting_id, details);
    if (rc == 0)
        rc = store_commit(conn, &err);
    json_decref(details);
    if (rc != 0)
        goto fail;
    http_reply_json(request, 202,
                    json_pack("{s:s, s:i, s:s}", "sent_to", masked, "valid_seconds", REMOTE_CODE_SECONDS, "message",
                              "De code is onderweg naar het geregistreerde e-mailadres van uw organisatie."));
    goto done;
fail:
    store_rollback(conn);
    http_reply_err(request, &err);
done:
    sodium_memzero(code, sizeof code);
    if (text.data)
        sodium_memzero(text.data, text.length);
    if (html.data)
        sodium_memzero(html.data, html.length);
    buf_free(&text);
    buf_free(&html);
    store_result_free(rows);
}

/* ---------------------------------------------------------------- join, leave, heartbeat */

static json_t *remote_status_json(const meeting_info *meeting, const attendance_last *last)
{
    int present = strcmp(last->direction, "entry") == 0;
    return json_pack("{s:b, s:o, s:i, s:i, s:o}", "present", present, "channel",
                     present ? json_string(last->channel) : json_null(), "disconnect_after_seconds",
                     meeting->remote_disconnect_seconds, "heartbeat_seconds", REMOTE_HEARTBEAT_SECONDS, "stream_url",
                     meeting->stream_url[0] ? json_string(meeting->stream_url) : json_null());
}

/* Normalise what the member typed: digits only ("123 456" is fine); -1 otherwise. */
static int remote_code_normalise(const char *given, char out[REMOTE_CODE_DIGITS + 1])
{
    size_t used = 0;
    for (const char *p = given; *p; p++) {
        if (*p == ' ' || *p == '-')
            continue;
        if (!isdigit((unsigned char)*p) || used == REMOTE_CODE_DIGITS)
            return -1;
        out[used++] = *p;
    }
    out[used] = '\0';
    return used == REMOTE_CODE_DIGITS ? 0 : -1;
}

/* A wrong code counts against the member, in its own transaction. */
static void remote_record_wrong(http_request *request, const char *subject)
{
    alvd_err err;
    alvd_err_clear(&err);
    store_conn *conn = http_request_db(request);
    if (auth_rate_record(conn, http_request_app(request)->rate_key, "remote_code_wrong", subject, &err) != 0)
        store_rollback(conn);
}

void remote_join(http_request *request)
{
    static const char *const fields[] = {"code", NULL};
    const alvd_app *app = http_request_app(request);
    const auth_principal *who = http_request_principal(request);
    audit_actor actor = http_request_actor(request);
    store_conn *conn = http_request_db(request);
    json_t *body = http_request_json(request);
    store_result *rows = NULL;
    json_t *details = NULL;
    meeting_info meeting;
    attendance_last last;
    const char *given = NULL;
    char code[REMOTE_CODE_DIGITS + 1] = "", subject[64];
    unsigned char hash[32];
    long long meeting_id = 0;
    int wrong = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        return;
    if (input_only(body, fields, &err) != 0 || input_string(body, "code", 1, 32, &given, &err) != 0 ||
        remote_meeting(request, meeting_id, &meeting, &err) != 0)
        goto fail;
    remote_subject(meeting_id, who->organisation_id, subject);
    if (auth_rate_check(conn, app->rate_key, "remote_code_wrong", subject, 600, REMOTE_WRONG_CODES_PER_10_MINUTES,
                        &err) != 0) {
        if (err.status == 429)
            alvd_err_set(&err, 429, "too_many_attempts", NULL,
                         "Er is te vaak een verkeerde code ingevuld. Wacht tien minuten en vraag dan een nieuwe code aan.");
        goto fail;
    }
    if (remote_code_normalise(given, code) != 0) {
        wrong = 1;
        alvd_err_set(&err, 422, "bad_code", "code", "Een code bestaat uit 6 cijfers, zoals in de e-mail.");
        goto fail;
    }
    remote_code_hash(app, meeting_id, who->organisation_id, code, hash);
    if (store_begin(conn, &err) != 0 || remote_lock_member(conn, meeting_id, who->organisation_id, &err) != 0 ||
        store_query(conn, &err, &rows,
                    "SELECT id, used_at IS NOT NULL, expires_at <= " REMOTE_NOW " FROM remote_codes"
                    " WHERE meeting_id = ? AND organisation_id = ? AND code_hash = ? ORDER BY id DESC LIMIT 1 FOR UPDATE",
                    STORE_PARAMS(REMOTE_OFFSET(app), STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(who->organisation_id),
                                 STORE_BLOB_PARAM(hash, sizeof hash))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1) {
        wrong = 1;
        alvd_err_set(&err, 422, "bad_code", "code",
                     "Deze code klopt niet. Controleer de cijfers in de nieuwste e-mail, of vraag een nieuwe code aan.");
        goto fail;
    }
    if (store_result_int(rows, 0, 1)) {
        wrong = 1;
        alvd_err_set(&err, 422, "bad_code", "code",
                     "Deze code is al gebruikt; een code werkt één keer. Vraag een nieuwe code aan.");
        goto fail;
    }
    if (store_result_int(rows, 0, 2)) {
        alvd_err_set(&err, 422, "bad_code", "code", "Deze code is verlopen (hij is 10 minuten geldig). Vraag een nieuwe aan.");
        goto fail;
    }
    long long code_id = store_result_int(rows, 0, 0);
    store_result_free(rows);
    rows = NULL;
    if (attendance_last_event(conn, meeting_id, who->organisation_id, &last, &err) != 0)
        goto fail;
    int inside = strcmp(last.direction, "entry") == 0;
    int in_hall = inside && strcmp(last.channel, "hall") == 0;
    int already_remote = inside && !in_hall;
    details = json_pack("{s:I, s:b, s:b}", "organisation_id", (json_int_t)who->organisation_id, "ended_hall", in_hall,
                        "already_remote", already_remote);
    if (store_execute(conn, &err, NULL, "UPDATE remote_codes SET used_at = " REMOTE_NOW ", session_id = ? WHERE id = ?",
                      STORE_PARAMS(REMOTE_OFFSET(app), STORE_INT_PARAM(who->session_id), STORE_INT_PARAM(code_id))) != 0 ||
        audit_append(conn, &err, &actor, "attendance.remote_join", "meeting", meeting_id, details) != 0 ||
        (in_hall && attendance_insert_event(conn, meeting_id, who->organisation_id, "exit", "hall", "switch", &err) != 0) ||
        (!already_remote &&
         attendance_insert_event(conn, meeting_id, who->organisation_id, "entry", "remote", "remote", &err) != 0) ||
        store_execute(conn, &err, NULL,
                      "INSERT INTO remote_presence (meeting_id, organisation_id, session_id, joined_at, last_seen)"
                      " VALUES (?, ?, ?, " REMOTE_NOW ", " REMOTE_NOW ") ON DUPLICATE KEY UPDATE"
                      " session_id = VALUES(session_id), joined_at = VALUES(joined_at), last_seen = VALUES(last_seen),"
                      " disconnected_at = NULL",
                      STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(who->organisation_id),
                                   STORE_INT_PARAM(who->session_id), REMOTE_OFFSET(app), REMOTE_OFFSET(app))) != 0 ||
        (!already_remote && attendance_publish(conn, meeting_id, "remote_join", &err) != 0) ||
        store_commit(conn, &err) != 0)
        goto fail;
    json_decref(details);
    sodium_memzero(code, sizeof code);
    attendance_last now = {"entry", "remote", "remote"};
    json_t *reply = remote_status_json(&meeting, &now);
    json_object_set_new(reply, "ended_hall", json_boolean(in_hall));
    http_reply_json(request, 200, reply);
    return;
fail:
    sodium_memzero(code, sizeof code);
    json_decref(details);
    store_result_free(rows);
    store_rollback(conn);
    if (wrong)
        remote_record_wrong(request, subject);
    http_reply_err(request, &err);
}

void remote_leave(http_request *request)
{
    const auth_principal *who = http_request_principal(request);
    audit_actor actor = http_request_actor(request);
    store_conn *conn = http_request_db(request);
    meeting_info meeting;
    attendance_last last;
    long long meeting_id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        return;
    if (meetings_load_for(request, meeting_id, &meeting, &err) != 0 || store_begin(conn, &err) != 0 ||
        remote_lock_member(conn, meeting_id, who->organisation_id, &err) != 0 ||
        attendance_last_event(conn, meeting_id, who->organisation_id, &last, &err) != 0)
        goto fail;
    int leaving = strcmp(last.direction, "entry") == 0 && strcmp(last.channel, "remote") == 0;
    if (leaving) {
        json_t *details = json_pack("{s:I}", "organisation_id", (json_int_t)who->organisation_id);
        int rc = audit_append(conn, &err, &actor, "attendance.remote_leave", "meeting", meeting_id, details);
        json_decref(details);
        if (rc != 0 ||
            attendance_insert_event(conn, meeting_id, who->organisation_id, "exit", "remote", "remote", &err) != 0 ||
            attendance_publish(conn, meeting_id, "remote_leave", &err) != 0)
            goto fail;
        snprintf(last.direction, sizeof last.direction, "exit");
    }
    if (remote_presence_forget(conn, meeting_id, who->organisation_id, &err) != 0 || store_commit(conn, &err) != 0)
        goto fail;
    json_t *reply = remote_status_json(&meeting, &last);
    json_object_set_new(reply, "left", json_boolean(leaving));
    http_reply_json(request, 200, reply);
    return;
fail:
    store_rollback(conn);
    http_reply_err(request, &err);
}

void remote_heartbeat(http_request *request)
{
    const alvd_app *app = http_request_app(request);
    const auth_principal *who = http_request_principal(request);
    audit_actor actor = http_request_actor(request);
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    meeting_info meeting;
    attendance_last last;
    long long meeting_id = 0, touched = 0;
    int expired = 0, reconnected = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        return;
    if (meetings_load_for(request, meeting_id, &meeting, &err) != 0 || store_begin(conn, &err) != 0 ||
        remote_lock_member(conn, meeting_id, who->organisation_id, &err) != 0 ||
        /* A page back after the limit was still away that long: record it first. */
        remote_expire_member(conn, app, meeting_id, who->organisation_id, &expired, &err) != 0 ||
        attendance_last_event(conn, meeting_id, who->organisation_id, &last, &err) != 0 ||
        store_query(conn, &err, &rows,
                    "SELECT disconnected_at IS NOT NULL FROM remote_presence"
                    " WHERE meeting_id = ? AND organisation_id = ? AND session_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(who->organisation_id),
                                 STORE_INT_PARAM(who->session_id))) != 0)
        goto fail;
    int ours = store_result_rows(rows) == 1;
    int disconnected = ours && store_result_int(rows, 0, 0);
    store_result_free(rows);
    rows = NULL;
    /* A reconnect checks in again: only the page that joined, only after an automatic
     * check-out (not after leaving or walking into the hall), and only while it may. */
    if (ours && disconnected && strcmp(last.direction, "exit") == 0 && strcmp(last.source, "disconnect") == 0 &&
        meeting.electronic_participation && strcmp(meeting.state, "closed") != 0) {
        json_t *details = json_pack("{s:I}", "organisation_id", (json_int_t)who->organisation_id);
        int rc = audit_append(conn, &err, &actor, "attendance.remote_reconnect", "meeting", meeting_id, details);
        json_decref(details);
        if (rc != 0 ||
            attendance_insert_event(conn, meeting_id, who->organisation_id, "entry", "remote", "reconnect", &err) != 0)
            goto fail;
        snprintf(last.direction, sizeof last.direction, "entry");
        snprintf(last.channel, sizeof last.channel, "remote");
        reconnected = 1;
    }
    if (ours && (reconnected || !disconnected) &&
        store_execute(conn, &err, &touched,
                      "UPDATE remote_presence SET last_seen = " REMOTE_NOW ", disconnected_at = NULL"
                      " WHERE meeting_id = ? AND organisation_id = ?",
                      STORE_PARAMS(REMOTE_OFFSET(app), STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(who->organisation_id))) != 0)
        goto fail;
    if ((expired || reconnected) &&
        attendance_publish(conn, meeting_id, reconnected ? "remote_reconnect" : "remote_disconnect", &err) != 0)
        goto fail;
    if (store_commit(conn, &err) != 0)
        goto fail;
    json_t *reply = remote_status_json(&meeting, &last);
    json_object_set_new(reply, "reconnected", json_boolean(reconnected));
    http_reply_json(request, 200, reply);
    return;
fail:
    store_result_free(rows);
    store_rollback(conn);
    http_reply_err(request, &err);
}
