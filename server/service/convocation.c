/* The convocation of a meeting as one unit of work: tickets for the voting members that
 * lack one, one message per contact person with that member's ticket, audit and notice. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/base/buf.h"
#include "alvd/base/clock.h"
#include "alvd/mail/outbox.h"
#include "alvd/rules/dates.h"
#include "alvd/service/agenda.h"
#include "alvd/service/meetings.h"
#include "alvd/service/tickets.h"
#include "alvd/store/tickets.h"

/* What every message of one convocation shares. */
typedef struct convocation {
    const alvd_app *app;
    meeting_info meeting;
    meeting_convocation_details details;
    ticket_keys keys;
    char long_date[RULES_LONG_DATE_SIZE];
    char subject[1024];
    alvd_buf agenda_text, agenda_html;
} convocation;

/* The conditions of electronic participation (BW 2:38a lid 3: announced with the
 * convocation): how a member is identified, follows, votes and speaks from afar. */
static void convocation_remote_text(const meeting_info *meeting, const char *conditions, const char *address,
                                    const char *ticket_url, alvd_buf *text)
{
    int minutes = (meeting->remote_disconnect_seconds + 59) / 60;
    const char *follow = meeting->stream_url[0] ? meeting->stream_url : NULL;
    buf_append_str(text, "Deelnemen op afstand (artikel 2:38a BW)\n"
                         "De statuten staan toe dat leden elektronisch deelnemen. Voorwaarden:\n");
    buf_appendf(text,
                "- Identificatie: open uw persoonlijke link voor deelname op afstand,\n  %s?op=afstand\n  en vraag daar"
                " een eenmalige code aan. Die code (6 cijfers, 10 minuten geldig, één keer te gebruiken) sturen wij"
                " naar het geregistreerde e-mailadres van uw organisatie%s%s%s.\n",
                ticket_url, address ? " (" : "", address ? address : "", address ? ")" : "");
    if (follow)
        buf_appendf(text, "- Rechtstreeks volgen: via %s (ook te openen vanaf uw ledenpagina).\n", follow);
    else
        buf_append_str(text, "- Rechtstreeks volgen: de link naar de uitzending staat op uw ledenpagina.\n");
    buf_append_str(text, "- Stemmen: op uw ledenpagina, met hetzelfde stembiljet, dezelfde bevestiging en hetzelfde"
                         " ontvangstbewijs als in de zaal.\n");
    if (meeting->remote_deliberation)
        buf_append_str(text, "- Beraadslagen: u vraagt het woord op dezelfde sprekerslijst als de zaal, of stuurt de"
                             " voorzitter een schriftelijke bijdrage.\n");
    else
        buf_append_str(text, "- Beraadslagen: op afstand volgt en stemt u; het woord voeren kan alleen in de zaal.\n");
    buf_appendf(text,
                "- Aanwezigheid: u telt mee zolang uw pagina verbonden is. Is zij langer dan %d minuten zonder"
                " verbinding, dan wordt u afgemeld (dat wordt vastgelegd); zodra zij weer verbinding heeft, bent u"
                " weer aanwezig. U bent nooit tegelijk in de zaal en op afstand aanwezig: wie binnenkomt, wordt op"
                " afstand afgemeld en omgekeerd.\n"
                "- Volmachten gelden op afstand precies als in de zaal.\n",
                minutes);
    if (conditions && *conditions)
        buf_appendf(text, "- Verder: %s\n", conditions);
    buf_append_str(text, "\n");
}

/* The same conditions for the HTML part of the message. */
static void convocation_remote_html(const meeting_info *meeting, const char *conditions, const char *address,
                                    const char *ticket_url, alvd_buf *html)
{
    int minutes = (meeting->remote_disconnect_seconds + 59) / 60;
    const char *follow = meeting->stream_url[0] ? meeting->stream_url : NULL;
    buf_append_str(html, "<h2>Deelnemen op afstand (artikel 2:38a BW)</h2><p>De statuten staan toe dat leden"
                         " elektronisch deelnemen. Voorwaarden:</p><ul><li>Identificatie: open ");
    buf_append_str(html, "<a href=\"");
    buf_append_html(html, ticket_url);
    buf_append_str(html, "?op=afstand\">uw persoonlijke link voor deelname op afstand</a> en vraag daar een eenmalige"
                         " code aan. Die code (6 cijfers, 10 minuten geldig, één keer te gebruiken) sturen wij naar het"
                         " geregistreerde e-mailadres van uw organisatie");
    if (address) {
        buf_append_str(html, " (");
        buf_append_html(html, address);
        buf_append_str(html, ")");
    }
    buf_append_str(html, ".</li><li>Rechtstreeks volgen: ");
    if (follow) {
        buf_append_str(html, "via <a href=\"");
        buf_append_html(html, follow);
        buf_append_str(html, "\">");
        buf_append_html(html, follow);
        buf_append_str(html, "</a> (ook te openen vanaf uw ledenpagina).");
    } else {
        buf_append_str(html, "de link naar de uitzending staat op uw ledenpagina.");
    }
    buf_append_str(html, "</li><li>Stemmen: op uw ledenpagina, met hetzelfde stembiljet, dezelfde bevestiging en"
                         " hetzelfde ontvangstbewijs als in de zaal.</li><li>Beraadslagen: ");
    buf_append_str(html, meeting->remote_deliberation
                             ? "u vraagt het woord op dezelfde sprekerslijst als de zaal, of stuurt de voorzitter een"
                               " schriftelijke bijdrage."
                             : "op afstand volgt en stemt u; het woord voeren kan alleen in de zaal.");
    buf_appendf(html,
                "</li><li>Aanwezigheid: u telt mee zolang uw pagina verbonden is. Is zij langer dan %d minuten"
                " zonder verbinding, dan wordt u afgemeld (dat wordt vastgelegd); zodra zij weer verbinding heeft,"
                " bent u weer aanwezig. U bent nooit tegelijk in de zaal en op afstand aanwezig.</li>"
                "<li>Volmachten gelden op afstand precies als in de zaal.</li>",
                minutes);
    if (conditions && *conditions) {
        buf_append_str(html, "<li>Verder: ");
        buf_append_html(html, conditions);
        buf_append_str(html, "</li>");
    }
    buf_append_str(html, "</ul>");
}

/* The agenda as a numbered list in both parts ("(de agenda volgt)" when empty). */
static void convocation_agenda(convocation *call, json_t *agenda)
{
    size_t index;
    json_t *item;
    buf_append_str(&call->agenda_html, "<ol>");
    json_array_foreach(agenda, index, item) {
        const char *title = json_string_value(json_object_get(item, "title"));
        buf_appendf(&call->agenda_text, "  %zu. %s\n", index + 1, title);
        buf_append_str(&call->agenda_html, "<li>");
        buf_append_html(&call->agenda_html, title);
        buf_append_str(&call->agenda_html, "</li>");
    }
    buf_append_str(&call->agenda_html, "</ol>");
    if (json_array_size(agenda) == 0)
        buf_append_str(&call->agenda_text, "  (de agenda volgt)\n");
}

/* The plain-text part for one contact (row r of store_tickets_recipients). */
static void convocation_text(const convocation *call, store_result *rows, size_t r, const char *url,
                             const alvd_buf *remote, alvd_buf *text)
{
    buf_appendf(text,
                "Beste %s,\n\nHierbij roepen wij %s op voor de %s op %s om %s uur, %s.\n\nAgenda:\n%s\n%s"
                "De voorstelteksten (met de wijzigingen ten opzichte van de huidige Code) en de agenda staan op"
                " uw persoonlijke ledenpagina:\n%s\n\n"
                "Dit is ook uw persoonlijke toegangsbewijs: toon de QR-code of deze link bij de ingang, of open hem"
                " op de telefoon waarmee u wilt stemmen. Deel hem niet: wie de link heeft, kan namens %s"
                " binnenkomen. Eén stem per lid.\n\nMet vriendelijke groet,\nSecretariaat Klantenservice Federatie (KSF)\n",
                store_result_text(rows, r, 1), store_result_text(rows, r, 2), call->meeting.title, call->long_date,
                call->details.starts_at, call->details.location, call->agenda_text.data,
                remote->length ? remote->data : "", url, store_result_text(rows, r, 2));
}

/* The HTML part for one contact. */
static void convocation_html(const convocation *call, store_result *rows, size_t r, const char *url,
                             const alvd_buf *remote, alvd_buf *html)
{
    buf_append_str(html, "<!doctype html><html lang=\"nl\"><body><p>Beste ");
    buf_append_html(html, store_result_text(rows, r, 1));
    buf_append_str(html, ",</p><p>Hierbij roepen wij ");
    buf_append_html(html, store_result_text(rows, r, 2));
    buf_append_str(html, " op voor de ");
    buf_append_html(html, call->meeting.title);
    buf_appendf(html, " op %s om %s uur, ", call->long_date, call->details.starts_at);
    buf_append_html(html, call->details.location);
    buf_append_str(html, ".</p><h2>Agenda</h2>");
    buf_append(html, call->agenda_html.data, call->agenda_html.length);
    if (remote->length)
        buf_append(html, remote->data, remote->length);
    buf_append_str(html, "<p><a href=\"");
    buf_append_html(html, url);
    buf_append_str(html, "\">Uw ledenpagina met de voorstelteksten en uw toegangsbewijs</a></p>"
                         "<p>Toon deze link of de QR-code bij de ingang, of open hem op de telefoon waarmee u wilt"
                         " stemmen. Deel hem niet.</p><p>Met vriendelijke groet,<br>Secretariaat KSF</p></body></html>");
}

/* Queue the message for row r of store_tickets_recipients, with that member's ticket. */
static int convocation_send_one(store_conn *conn, const convocation *call, store_result *rows, size_t r,
                                alvd_err *err)
{
    char code[TICKET_TEXT_SIZE], url[SERVICE_TICKETS_URL_SIZE];
    if (service_tickets_code(&call->keys, call->meeting.id, store_result_int(rows, r, 3), store_result_text(rows, r, 4),
                             store_result_length(rows, r, 4), code, err) != 0)
        return -1;
    service_tickets_url(call->app, code, url);
    alvd_buf text, html, remote_text, remote_html;
    buf_init(&text, 128 * 1024);
    buf_init(&html, 256 * 1024);
    buf_init(&remote_text, 16 * 1024);
    buf_init(&remote_html, 32 * 1024);
    if (call->meeting.electronic_participation) {
        convocation_remote_text(&call->meeting, call->details.remote_conditions, store_result_text(rows, r, 5), url,
                                &remote_text);
        convocation_remote_html(&call->meeting, call->details.remote_conditions, store_result_text(rows, r, 5), url,
                                &remote_html);
    }
    convocation_text(call, rows, r, url, &remote_text, &text);
    convocation_html(call, rows, r, url, &remote_html, &html);
    mail_message message = {store_result_text(rows, r, 0), call->subject, text.data, html.data, "convocation"};
    int rc = outbox_enqueue(conn, &message, NULL, err);
    buf_free(&text);
    buf_free(&html);
    buf_free(&remote_text);
    buf_free(&remote_html);
    return rc;
}

/* One message per contact person of each voting member, with that member's ticket. */
static int convocation_send_all(store_conn *conn, convocation *call, long long *sent, alvd_err *err)
{
    store_result *rows = NULL;
    json_t *agenda = NULL;
    if (service_agenda_json(conn, call->meeting.id, &agenda, err) != 0)
        return -1;
    convocation_agenda(call, agenda);
    json_decref(agenda);
    if (store_tickets_recipients(conn, call->meeting.id, &rows, err) != 0)
        return -1;
    snprintf(call->subject, sizeof call->subject, "Oproeping: %s op %s", call->meeting.title, call->long_date);
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        if (convocation_send_one(conn, call, rows, r, err) != 0) {
            store_result_free(rows);
            return -1;
        }
        (*sent)++;
    }
    store_result_free(rows);
    return 0;
}

/* R: a short notice is a warning, not an error. Audit and mark the meeting convened. */
static int convocation_record(store_conn *conn, const convocation *call, const audit_actor *actor,
                              service_meetings_convened *out, alvd_err *err)
{
    rules_day meeting_day = 0, today = 0;
    char today_text[RULES_DATE_TEXT_SIZE];
    rules_date_parse(call->meeting.date, NULL, &meeting_day, NULL);
    rules_date_format(clock_today(&call->app->config), today_text);
    rules_date_parse(today_text, NULL, &today, NULL);
    rules_check_meeting_notice(today, meeting_day, (int)call->details.notice_days, 1, &out->notice);
    json_t *details = json_pack("{s:I, s:I, s:b}", "messages", (json_int_t)out->messages, "tickets_issued",
                                (json_int_t)out->tickets_issued, "notice_sufficient", out->notice.sufficient);
    int rc = audit_append(conn, err, actor, "meeting.convocation", "meeting", call->meeting.id, details) != 0 ||
             store_meetings_mark_convened(conn, call->meeting.id, err) != 0;
    json_decref(details);
    return rc ? -1 : 0;
}

int service_meetings_convocation(store_conn *conn, const alvd_app *app, const audit_actor *actor, long long user_id,
                                 long long meeting_id, service_meetings_convened *out, alvd_err *err)
{
    convocation call;
    memset(&call, 0, sizeof call);
    memset(out, 0, sizeof *out);
    call.app = app;
    buf_init(&call.agenda_text, 64 * 1024);
    buf_init(&call.agenda_html, 128 * 1024);
    int rc = -1;
    if (ticket_keys_load(app->config.data_dir, &call.keys, err) != 0 || store_begin(conn, err) != 0 ||
        store_meetings_lock_convocation(conn, meeting_id, &call.details, err) != 0 ||
        store_meetings_load(conn, meeting_id, &call.meeting, err) != 0)
        goto done;
    if (strcmp(call.meeting.state, "planned") != 0) {
        alvd_err_set(err, 409, "meeting_started", NULL, "De oproeping gaat uit vóór de vergadering begint.");
        goto done;
    }
    rules_day meeting_day = 0;
    rules_date_parse(call.meeting.date, NULL, &meeting_day, NULL);
    rules_date_format_long(meeting_day, RULES_LANG_NL, call.long_date, sizeof call.long_date);
    if (service_tickets_issue_missing(conn, &call.keys, &call.meeting, user_id, &out->tickets_issued, err) != 0 ||
        convocation_send_all(conn, &call, &out->messages, err) != 0 ||
        convocation_record(conn, &call, actor, out, err) != 0 || store_commit(conn, err) != 0)
        goto done;
    rc = 0;
done:
    if (rc != 0)
        store_rollback(conn);
    ticket_keys_wipe(&call.keys);
    free(call.details.remote_conditions);
    buf_free(&call.agenda_text);
    buf_free(&call.agenda_html);
    return rc;
}
