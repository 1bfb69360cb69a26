/* Remote participation (BW 2:38a): the one-time code and its mail, joining and leaving
 * through the presence ledger (channel "remote"), heartbeats and the automatic check-out.
 * Every change locks the meeting row, then the member row, as every presence change does. */
#include "alvd/service/remote.h"

#include <ctype.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/base/buf.h"
#include "alvd/base/clock.h"
#include "alvd/mail/outbox.h"
#include "alvd/rules/dates.h"
#include "alvd/service/attendance.h"
#include "alvd/service/meetings.h"
#include "alvd/store/attendance.h"
#include "alvd/store/remote.h"
#include "alvd/store/meetings.h"

#define REMOTE_OFFSET(app) ((long long)(app)->config.clock_offset_seconds)

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
    int found = 0;
    if (store_meetings_lock(conn, meeting_id, NULL, err) != 0 ||
        store_attendance_lock_member(conn, meeting_id, organisation_id, &found, err) != 0)
        return -1;
    if (!found)
        return alvd_err_set(err, 403, "not_voting_member", NULL,
                            "Uw organisatie is geen stemgerechtigd lid voor deze vergadering.");
    return 0;
}

/* The member's meeting, with electronic participation on and not closed. */
static int remote_meeting(store_conn *conn, const auth_principal *who, long long meeting_id, meeting_info *meeting,
                          alvd_err *err)
{
    if (service_meetings_load_for(conn, who, meeting_id, meeting, err) != 0)
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
    remote_silence silence;
    attendance_last last;
    int silent = 0;
    *done = 0;
    if (store_remote_silent_member(conn, meeting_id, organisation_id, REMOTE_OFFSET(app), &silence, &silent, err) != 0)
        return -1;
    if (!silent)
        return 0;
    json_t *details = json_pack("{s:I, s:s, s:I}", "organisation_id", (json_int_t)organisation_id, "last_seen",
                                silence.last_seen, "after_seconds", (json_int_t)silence.after_seconds);
    audit_actor system = {"system", 0, "remote disconnect check"};
    int rc = store_attendance_last_event(conn, meeting_id, organisation_id, &last, err);
    int inside_remote = rc == 0 && strcmp(last.direction, "entry") == 0 && strcmp(last.channel, "remote") == 0;
    if (rc == 0)
        rc = store_remote_presence_disconnect(conn, meeting_id, organisation_id, REMOTE_OFFSET(app), err);
    if (rc == 0 && inside_remote) {
        rc = audit_append(conn, err, &system, "attendance.remote_disconnect", "meeting", meeting_id, details);
        if (rc == 0)
            rc = store_attendance_insert_event(conn, meeting_id, organisation_id, "exit", "remote", "disconnect", err);
        if (rc == 0)
            *done = 1;
    }
    json_decref(details);
    return rc;
}

int service_remote_sweep_locked(store_conn *conn, const alvd_app *app, long long meeting_id, alvd_err *err)
{
    remote_member_ref *silent = NULL;
    size_t count = 0;
    int changed = 0, rc = 0;
    if (store_remote_silent(conn, meeting_id, REMOTE_OFFSET(app), &silent, &count, err) != 0)
        return -1;
    for (size_t i = 0; rc == 0 && i < count; i++) {
        int done = 0;
        rc = remote_expire_member(conn, app, meeting_id, silent[i].organisation_id, &done, err);
        changed |= done;
    }
    free(silent);
    if (rc == 0 && changed)
        rc = service_attendance_publish(conn, meeting_id, "remote_disconnect", err);
    return rc;
}

/* One member's check-out in its own transaction. */
static int remote_sweep_one(store_conn *conn, const alvd_app *app, const remote_member_ref *member, alvd_err *err)
{
    int done = 0;
    int rc = store_begin(conn, err);
    if (rc == 0)
        rc = remote_lock_member(conn, member->meeting_id, member->organisation_id, err);
    if (rc == 0)
        rc = remote_expire_member(conn, app, member->meeting_id, member->organisation_id, &done, err);
    if (rc == 0 && done)
        rc = service_attendance_publish(conn, member->meeting_id, "remote_disconnect", err);
    if (rc == 0)
        rc = store_commit(conn, err);
    if (rc != 0)
        store_rollback(conn);
    return rc;
}

int service_remote_sweep(store_conn *conn, const alvd_app *app, long long meeting_id, alvd_err *err)
{
    remote_member_ref *silent = NULL;
    size_t count = 0;
    if (store_remote_silent(conn, meeting_id, REMOTE_OFFSET(app), &silent, &count, err) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < count; i++)
        rc = remote_sweep_one(conn, app, &silent[i], err);
    free(silent);
    return rc;
}

int service_remote_sweep_job(const alvd_app *app, store_conn *conn, alvd_err *err)
{
    return service_remote_sweep(conn, app, 0, err);
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

/* At most the allowed code mails per member (10 minutes, hour). */
static int remote_code_rate(store_conn *conn, const alvd_app *app, const char *subject, alvd_err *err)
{
    if (auth_rate_check(conn, app->rate_key, "remote_code", subject, 600, REMOTE_CODES_PER_10_MINUTES, err) != 0 ||
        auth_rate_check(conn, app->rate_key, "remote_code_hour", subject, 3600, REMOTE_CODES_PER_HOUR, err) != 0) {
        if (err->status == 429)
            alvd_err_set(err, 429, "too_many_attempts", NULL,
                         "Er zijn net al codes naar uw organisatie gestuurd. Gebruik de nieuwste code uit de mailbox,"
                         " of vraag over tien minuten een nieuwe aan.");
        return -1;
    }
    return 0;
}

/* The code mail, plain text and HTML, naming the organisation and the meeting. */
static void remote_code_mail(const alvd_app *app, const char *organisation, const char *title, const char *code,
                             alvd_buf *text, alvd_buf *html)
{
    rules_local_time until;
    rules_amsterdam_local(clock_now(&app->config, NULL) + REMOTE_CODE_SECONDS, &until);
    buf_appendf(text,
                "Goedendag,\n\nDe code om namens %s op afstand deel te nemen aan de %s is:\n\n    %s\n\n"
                "Vul hem in op de ledenpagina waar u hem aanvroeg. De code is 10 minuten geldig (tot %02d:%02d uur)"
                " en werkt één keer.\n\nHeeft niemand van %s deze code aangevraagd? Dan probeert iemand met uw"
                " persoonlijke toegangslink binnen te komen. Neem dan contact op met het secretariaat: dat trekt de"
                " link in en geeft u een nieuwe.\n\nMet vriendelijke groet,\nSecretariaat Klantenservice Federatie"
                " (KSF)\n",
                organisation, title, code, until.hour, until.minute, organisation);
    buf_append_str(html, "<!doctype html><html lang=\"nl\"><body><p>Goedendag,</p><p>De code om namens ");
    buf_append_html(html, organisation);
    buf_append_str(html, " op afstand deel te nemen aan de ");
    buf_append_html(html, title);
    buf_appendf(html,
                " is:</p><p style=\"font-size:2em;letter-spacing:.2em\"><strong>%s</strong></p><p>Vul hem in op de"
                " ledenpagina waar u hem aanvroeg. De code is 10 minuten geldig (tot %02d:%02d uur) en werkt één"
                " keer.</p><p>Heeft niemand van ",
                code, until.hour, until.minute);
    buf_append_html(html, organisation);
    buf_append_str(html, " deze code aangevraagd? Dan probeert iemand met uw persoonlijke toegangslink binnen te"
                         " komen. Neem dan contact op met het secretariaat: dat trekt de link in en geeft u een"
                         " nieuwe.</p><p>Met vriendelijke groet,<br>Secretariaat Klantenservice Federatie (KSF)</p>"
                         "</body></html>");
}

/* Rate records, the code's hash, the mail and the audit entry in one transaction. */
static int remote_code_store(store_conn *conn, const alvd_app *app, const audit_actor *actor, long long meeting_id,
                             long long organisation_id, const char *subject, const unsigned char hash[32],
                             const mail_message *message, const char *masked, alvd_err *err)
{
    json_t *details = json_pack("{s:I, s:s}", "organisation_id", (json_int_t)organisation_id, "sent_to", masked);
    int rc = store_begin(conn, err);
    if (rc == 0)
        rc = auth_rate_record(conn, app->rate_key, "remote_code", subject, err);
    if (rc == 0)
        rc = auth_rate_record(conn, app->rate_key, "remote_code_hour", subject, err);
    if (rc == 0)
        rc = store_remote_code_insert(conn, meeting_id, organisation_id, hash, message->to, REMOTE_OFFSET(app),
                                      REMOTE_CODE_SECONDS, err);
    if (rc == 0)
        rc = outbox_enqueue(conn, message, NULL, err);
    if (rc == 0)
        rc = audit_append(conn, err, actor, "attendance.remote_code", "meeting", meeting_id, details);
    if (rc == 0)
        rc = store_commit(conn, err);
    json_decref(details);
    return rc;
}

int service_remote_code_request(store_conn *conn, const alvd_app *app, const auth_principal *who,
                                const audit_actor *actor, long long meeting_id, char masked[300], alvd_err *err)
{
    meeting_info meeting;
    remote_address address;
    char subject[64], code[REMOTE_CODE_DIGITS + 1] = "", mail_subject[1024];
    unsigned char hash[32];
    alvd_buf text, html;
    int found = 0, rc = -1;
    buf_init(&text, 32 * 1024);
    buf_init(&html, 64 * 1024);
    remote_subject(meeting_id, who->organisation_id, subject);
    if (remote_meeting(conn, who, meeting_id, &meeting, err) != 0 || remote_code_rate(conn, app, subject, err) != 0 ||
        store_remote_address(conn, who->organisation_id, &address, &found, err) != 0)
        goto done;
    if (!found || !address.has_email) {
        alvd_err_set(err, 422, "no_delegate_address", NULL,
                     "Van uw organisatie is geen e-mailadres geregistreerd, dus wij kunnen geen code sturen. Neem"
                     " contact op met het secretariaat.");
        goto done;
    }
    snprintf(code, sizeof code, "%06u", (unsigned)randombytes_uniform(1000000));
    remote_code_hash(app, meeting_id, who->organisation_id, code, hash);
    remote_mask_address(address.email, masked, 300);
    remote_code_mail(app, address.name, meeting.title, code, &text, &html);
    snprintf(mail_subject, sizeof mail_subject, "Uw code voor deelname op afstand: %s", meeting.title);
    mail_message message = {address.email, mail_subject, text.data, html.data, "remote_code"};
    rc = remote_code_store(conn, app, actor, meeting_id, who->organisation_id, subject, hash, &message, masked, err);
done:
    if (rc != 0)
        store_rollback(conn);
    sodium_memzero(code, sizeof code);
    if (text.data)
        sodium_memzero(text.data, text.length);
    if (html.data)
        sodium_memzero(html.data, html.length);
    buf_free(&text);
    buf_free(&html);
    return rc;
}

/* ---------------------------------------------------------------- join, leave, heartbeat */

static void remote_status_fill(const meeting_info *meeting, const attendance_last *last, remote_status *out)
{
    memset(out, 0, sizeof *out);
    out->present = strcmp(last->direction, "entry") == 0;
    snprintf(out->channel, sizeof out->channel, "%s", out->present ? last->channel : "");
    out->disconnect_after_seconds = meeting->remote_disconnect_seconds;
    snprintf(out->stream_url, sizeof out->stream_url, "%s", meeting->stream_url);
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

/* The typed code against the member's newest code with that hash (locked): *wrong = 1
 * when it counts as a wrong guess; *code_id gets the code to use. */
static int remote_code_check(store_conn *conn, const alvd_app *app, long long meeting_id, long long organisation_id,
                             const char *given, int *wrong, long long *code_id, alvd_err *err)
{
    char code[REMOTE_CODE_DIGITS + 1] = "";
    unsigned char hash[32];
    remote_code_row row;
    int found = 0;
    if (remote_code_normalise(given, code) != 0) {
        *wrong = 1;
        return alvd_err_set(err, 422, "bad_code", "code", "Een code bestaat uit 6 cijfers, zoals in de e-mail.");
    }
    remote_code_hash(app, meeting_id, organisation_id, code, hash);
    sodium_memzero(code, sizeof code);
    if (store_begin(conn, err) != 0 || remote_lock_member(conn, meeting_id, organisation_id, err) != 0 ||
        store_remote_code_find(conn, meeting_id, organisation_id, hash, REMOTE_OFFSET(app), &row, &found, err) != 0)
        return -1;
    if (!found || row.used)
        *wrong = 1;
    if (!found)
        return alvd_err_set(err, 422, "bad_code", "code",
                            "Deze code klopt niet. Controleer de cijfers in de nieuwste e-mail, of vraag een nieuwe code aan.");
    if (row.used)
        return alvd_err_set(err, 422, "bad_code", "code",
                            "Deze code is al gebruikt; een code werkt één keer. Vraag een nieuwe code aan.");
    if (row.expired)
        return alvd_err_set(err, 422, "bad_code", "code",
                            "Deze code is verlopen (hij is 10 minuten geldig). Vraag een nieuwe aan.");
    *code_id = row.id;
    return 0;
}

/* The code is used; the hall presence ends and the remote one starts (if not already). */
static int remote_enter(store_conn *conn, const alvd_app *app, const auth_principal *who, const audit_actor *actor,
                        long long meeting_id, long long code_id, int *ended_hall, alvd_err *err)
{
    attendance_last last;
    long long organisation_id = who->organisation_id;
    if (store_attendance_last_event(conn, meeting_id, organisation_id, &last, err) != 0)
        return -1;
    int inside = strcmp(last.direction, "entry") == 0;
    int in_hall = inside && strcmp(last.channel, "hall") == 0;
    int already_remote = inside && !in_hall;
    json_t *details = json_pack("{s:I, s:b, s:b}", "organisation_id", (json_int_t)organisation_id, "ended_hall",
                                in_hall, "already_remote", already_remote);
    int rc = store_remote_code_use(conn, code_id, who->session_id, REMOTE_OFFSET(app), err) != 0 ||
                     audit_append(conn, err, actor, "attendance.remote_join", "meeting", meeting_id, details) != 0 ||
                     (in_hall && store_attendance_insert_event(conn, meeting_id, organisation_id, "exit", "hall",
                                                               "switch", err) != 0) ||
                     (!already_remote && store_attendance_insert_event(conn, meeting_id, organisation_id, "entry",
                                                                       "remote", "remote", err) != 0) ||
                     store_remote_presence_join(conn, meeting_id, organisation_id, who->session_id,
                                                REMOTE_OFFSET(app), err) != 0 ||
                     (!already_remote && service_attendance_publish(conn, meeting_id, "remote_join", err) != 0)
                 ? -1
                 : 0;
    json_decref(details);
    *ended_hall = in_hall;
    return rc;
}

/* A wrong code counts against the member, in its own transaction. */
static void remote_record_wrong(store_conn *conn, const alvd_app *app, const char *subject)
{
    alvd_err err;
    alvd_err_clear(&err);
    if (auth_rate_record(conn, app->rate_key, "remote_code_wrong", subject, &err) != 0)
        store_rollback(conn);
}

int service_remote_join(store_conn *conn, const alvd_app *app, const auth_principal *who, const audit_actor *actor,
                        long long meeting_id, const char *given_code, remote_status *out, alvd_err *err)
{
    meeting_info meeting;
    char subject[64];
    long long code_id = 0;
    int wrong = 0, ended_hall = 0;
    remote_subject(meeting_id, who->organisation_id, subject);
    if (remote_meeting(conn, who, meeting_id, &meeting, err) != 0)
        goto fail;
    if (auth_rate_check(conn, app->rate_key, "remote_code_wrong", subject, 600, REMOTE_WRONG_CODES_PER_10_MINUTES,
                        err) != 0) {
        if (err->status == 429)
            alvd_err_set(err, 429, "too_many_attempts", NULL,
                         "Er is te vaak een verkeerde code ingevuld. Wacht tien minuten en vraag dan een nieuwe code aan.");
        goto fail;
    }
    if (remote_code_check(conn, app, meeting_id, who->organisation_id, given_code, &wrong, &code_id, err) != 0 ||
        remote_enter(conn, app, who, actor, meeting_id, code_id, &ended_hall, err) != 0 || store_commit(conn, err) != 0)
        goto fail;
    attendance_last now = {"entry", "remote", "remote"};
    remote_status_fill(&meeting, &now, out);
    out->ended_hall = ended_hall;
    return 0;
fail:
    store_rollback(conn);
    if (wrong)
        remote_record_wrong(conn, app, subject);
    return -1;
}

int service_remote_leave(store_conn *conn, const auth_principal *who, const audit_actor *actor, long long meeting_id,
                         remote_status *out, alvd_err *err)
{
    meeting_info meeting;
    attendance_last last;
    if (service_meetings_load_for(conn, who, meeting_id, &meeting, err) != 0 || store_begin(conn, err) != 0 ||
        remote_lock_member(conn, meeting_id, who->organisation_id, err) != 0 ||
        store_attendance_last_event(conn, meeting_id, who->organisation_id, &last, err) != 0)
        goto fail;
    int leaving = strcmp(last.direction, "entry") == 0 && strcmp(last.channel, "remote") == 0;
    if (leaving) {
        json_t *details = json_pack("{s:I}", "organisation_id", (json_int_t)who->organisation_id);
        int rc = audit_append(conn, err, actor, "attendance.remote_leave", "meeting", meeting_id, details);
        json_decref(details);
        if (rc != 0 ||
            store_attendance_insert_event(conn, meeting_id, who->organisation_id, "exit", "remote", "remote", err) != 0 ||
            service_attendance_publish(conn, meeting_id, "remote_leave", err) != 0)
            goto fail;
        snprintf(last.direction, sizeof last.direction, "exit");
    }
    if (store_remote_presence_forget(conn, meeting_id, who->organisation_id, err) != 0 || store_commit(conn, err) != 0)
        goto fail;
    remote_status_fill(&meeting, &last, out);
    out->left = leaving;
    return 0;
fail:
    store_rollback(conn);
    return -1;
}

/* A reconnect checks in again: only the page that joined, only after an automatic
 * check-out (not after leaving or walking into the hall), and only while it may. */
static int remote_reconnect(store_conn *conn, const alvd_app *app, const auth_principal *who,
                            const audit_actor *actor, const meeting_info *meeting, attendance_last *last,
                            int *reconnected, alvd_err *err)
{
    int ours = 0, disconnected = 0;
    *reconnected = 0;
    if (store_remote_presence_state(conn, meeting->id, who->organisation_id, who->session_id, &ours, &disconnected,
                                    err) != 0)
        return -1;
    if (ours && disconnected && strcmp(last->direction, "exit") == 0 && strcmp(last->source, "disconnect") == 0 &&
        meeting->electronic_participation && strcmp(meeting->state, "closed") != 0) {
        json_t *details = json_pack("{s:I}", "organisation_id", (json_int_t)who->organisation_id);
        int rc = audit_append(conn, err, actor, "attendance.remote_reconnect", "meeting", meeting->id, details);
        json_decref(details);
        if (rc != 0 || store_attendance_insert_event(conn, meeting->id, who->organisation_id, "entry", "remote",
                                                     "reconnect", err) != 0)
            return -1;
        snprintf(last->direction, sizeof last->direction, "entry");
        snprintf(last->channel, sizeof last->channel, "remote");
        *reconnected = 1;
    }
    /* Only the joined page's heartbeat counts, and not once it was checked out. */
    if (ours && (*reconnected || !disconnected))
        return store_remote_presence_touch(conn, meeting->id, who->organisation_id, REMOTE_OFFSET(app), err);
    return 0;
}

int service_remote_heartbeat(store_conn *conn, const alvd_app *app, const auth_principal *who,
                             const audit_actor *actor, long long meeting_id, remote_status *out, alvd_err *err)
{
    meeting_info meeting;
    attendance_last last;
    int expired = 0, reconnected = 0;
    if (service_meetings_load_for(conn, who, meeting_id, &meeting, err) != 0 || store_begin(conn, err) != 0 ||
        remote_lock_member(conn, meeting_id, who->organisation_id, err) != 0 ||
        /* A page back after the limit was still away that long: record it first. */
        remote_expire_member(conn, app, meeting_id, who->organisation_id, &expired, err) != 0 ||
        store_attendance_last_event(conn, meeting_id, who->organisation_id, &last, err) != 0 ||
        remote_reconnect(conn, app, who, actor, &meeting, &last, &reconnected, err) != 0)
        goto fail;
    if ((expired || reconnected) &&
        service_attendance_publish(conn, meeting_id, reconnected ? "remote_reconnect" : "remote_disconnect", err) != 0)
        goto fail;
    if (store_commit(conn, err) != 0)
        goto fail;
    remote_status_fill(&meeting, &last, out);
    out->reconnected = reconnected;
    return 0;
fail:
    store_rollback(conn);
    return -1;
}
