/* The minutes (notulen) and decision list of a meeting: GET answers the service's JSON
 * or renders it as Markdown; the decision records are signed and checked in service/minutes.c. */
#include "alvd/api/minutes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/base/buf.h"

#define MINUTES_MARKDOWN_CAP (4 * 1024 * 1024)

static const char *minutes_choice_word(const char *choice)
{
    return strcmp(choice, "for") == 0 ? "voor" : strcmp(choice, "against") == 0 ? "tegen" : "onthouding";
}

static const char *minutes_text(json_t *object, const char *key)
{
    const char *text = json_string_value(json_object_get(object, key));
    return text ? text : "";
}

static long long minutes_int(json_t *object, const char *key)
{
    return (long long)json_integer_value(json_object_get(object, key));
}

/* The head: the meeting, its rule, and who was there (remote participants named). */
static void minutes_markdown_attendance(alvd_buf *buf, json_t *minutes)
{
    json_t *meeting = json_object_get(minutes, "meeting"), *attendance = json_object_get(minutes, "attendance");
    buf_appendf(buf, "# Notulen (concept): %s\n\n", minutes_text(meeting, "title"));
    buf_appendf(buf, "- Datum: %s, aanvang %s\n- Plaats: %s\n- Meerderheidsregel: %s\n\n",
                minutes_text(meeting, "date"), minutes_text(meeting, "starts_at"), minutes_text(meeting, "location"),
                minutes_text(meeting, "rule_text"));
    buf_appendf(buf, "## Aanwezigheid\n\n");
    buf_appendf(buf, "- Stemgerechtigde leden: %lld\n- Aanwezig bij de opening: %lld (plus %lld vertegenwoordigd)\n"
                     "- Aanwezig geweest: %lld\n- Presentielijst: %s\n\n",
                minutes_int(attendance, "members_total"), minutes_int(attendance, "present_at_opening"),
                minutes_int(attendance, "represented_at_opening"), minutes_int(attendance, "was_present"),
                minutes_text(attendance, "presentielijst_csv"));
    json_t *remote = json_object_get(attendance, "remote_participants"), *entry;
    size_t at;
    if (json_array_size(remote) == 0)
        return;
    buf_appendf(buf, "Op afstand deelgenomen (artikel 2:38a BW): %zu lid/leden, waarvan %lld aanwezig bij de"
                     " opening.\n\n| lid | eerst aanwezig | laatst vertrokken | verbinding verloren |\n|---|---|---|---|\n",
                json_array_size(remote), minutes_int(attendance, "present_remote_at_opening"));
    json_array_foreach(remote, at, entry)
        buf_appendf(buf, "| %s | %s | %s | %lld× |\n", minutes_text(entry, "name"), minutes_text(entry, "first_entry"),
                    json_is_string(json_object_get(entry, "last_exit")) ? minutes_text(entry, "last_exit") : "-",
                    minutes_int(entry, "disconnects"));
    buf_appendf(buf, "\n");
}

/* The deliberation: who spoke, and the written contributions. */
static void minutes_markdown_deliberation(alvd_buf *buf, json_t *minutes)
{
    json_t *speakers = json_object_get(minutes, "speakers"), *entry;
    size_t at;
    if (json_array_size(speakers) > 0) {
        buf_appendf(buf, "## Sprekers\n\n| # | lid | waar | agendapunt | het woord | spreektijd |\n|---|---|---|---|---|---|\n");
        json_array_foreach(speakers, at, entry) {
            long long seconds = minutes_int(entry, "speaking_seconds");
            char item[24] = "-";
            if (json_is_integer(json_object_get(entry, "agenda_position")))
                snprintf(item, sizeof item, "%lld", minutes_int(entry, "agenda_position"));
            buf_appendf(buf, "| %zu | %s | %s | %s | %s | %lld:%02lld |\n", at + 1, minutes_text(entry, "name"),
                        strcmp(minutes_text(entry, "channel"), "remote") == 0 ? "op afstand" : "zaal", item,
                        minutes_text(entry, "started_at"), seconds / 60, seconds % 60);
        }
        buf_appendf(buf, "\n");
    }
    json_t *contributions = json_object_get(minutes, "contributions");
    if (json_array_size(contributions) == 0)
        return;
    buf_appendf(buf, "## Schriftelijke bijdragen\n\n");
    json_array_foreach(contributions, at, entry) {
        const char *state = minutes_text(entry, "state");
        buf_appendf(buf, "%zu. %s (%s, %s): ", at + 1, minutes_text(entry, "name"),
                    strcmp(minutes_text(entry, "channel"), "remote") == 0 ? "op afstand" : "zaal",
                    strcmp(state, "read_out") == 0       ? "voorgelezen"
                    : strcmp(state, "not_read_out") == 0 ? "niet voorgelezen"
                                                          : "niet behandeld");
        /* One quoted paragraph: line breaks of the member's text stay inside it. */
        for (const char *p = minutes_text(entry, "text"); *p; p++)
            buf_appendf(buf, "%c", *p == '\n' || *p == '\r' ? ' ' : *p);
        buf_appendf(buf, "\n");
    }
    buf_appendf(buf, "\n");
}

/* A closed poll's result, its adoption and (an open poll) the named votes. */
static void minutes_markdown_result(alvd_buf *buf, json_t *poll)
{
    buf_appendf(buf, "- Aanwezig bij opening (P): %lld (in de zaal %lld, op afstand %lld, vertegenwoordigd %lld)\n"
                     "- Regel: %s\n- Benodigd voor: %lld\n",
                minutes_int(poll, "eligible"), minutes_int(poll, "present_hall"), minutes_int(poll, "present_remote"),
                minutes_int(poll, "represented"), minutes_text(poll, "rule_text"), minutes_int(poll, "threshold"));
    if (json_object_get(poll, "literal_threshold"))
        buf_appendf(buf, "- Letterlijk \"de helft plus één\": %lld\n", minutes_int(poll, "literal_threshold"));
    buf_appendf(buf, "- Voor: %lld, tegen: %lld, onthouding: %lld, niet gestemd: %lld\n", minutes_int(poll, "for"),
                minutes_int(poll, "against"), minutes_int(poll, "abstain"), minutes_int(poll, "not_voted"));
    buf_appendf(buf, "- Uitslag: **%s**. %s\n", json_is_true(json_object_get(poll, "adopted")) ? "aangenomen" : "verworpen",
                minutes_text(poll, "explanation"));
    buf_appendf(buf, "- Datum van het besluit: %s (de dag waarop de stemming sloot)\n", minutes_text(poll, "decided_on"));
    if (json_is_integer(json_object_get(poll, "superseded_by")))
        buf_appendf(buf, "- Vervangen door herstemming %lld\n", minutes_int(poll, "superseded_by"));
    if (json_object_get(poll, "fingerprint"))
        buf_appendf(buf, "- Vingerafdruk trackers (SHA-256): `%s`\n", minutes_text(poll, "fingerprint"));
    json_t *adoption = json_object_get(poll, "adoption");
    if (json_is_object(adoption)) {
        buf_appendf(buf, "- Ingangsdatum: %s; uiterste ontvangstdatum intrekking: %s\n",
                    minutes_text(adoption, "effective_from"), minutes_text(adoption, "withdrawal_deadline"));
        if (json_string_value(json_object_get(adoption, "warning")))
            buf_appendf(buf, "- Let op: %s\n", minutes_text(adoption, "warning"));
    }
    json_t *votes = json_object_get(poll, "votes"), *vote;
    size_t v;
    if (json_array_size(votes) == 0)
        return;
    buf_appendf(buf, "\n| lid | stem | via |\n|---|---|---|\n");
    json_array_foreach(votes, v, vote)
        buf_appendf(buf, "| %s | %s | %s |\n", minutes_text(vote, "name"), minutes_choice_word(minutes_text(vote, "choice")),
                    strcmp(minutes_text(vote, "channel"), "paper") == 0 ? "papier" : "telefoon");
}

/* The decisions: each poll, then the signed decision list. */
static void minutes_markdown_decisions(alvd_buf *buf, json_t *minutes)
{
    buf_appendf(buf, "## Besluiten\n\n");
    json_t *polls = json_object_get(minutes, "polls"), *poll;
    size_t index;
    if (json_array_size(polls) == 0)
        buf_appendf(buf, "Er is niet gestemd.\n\n");
    json_array_foreach(polls, index, poll) {
        buf_appendf(buf, "### Stemming %lld: %s\n\n", minutes_int(poll, "id"), minutes_text(poll, "title"));
        buf_appendf(buf, "- Soort: %s%s\n", json_is_true(json_object_get(poll, "secret")) ? "geheim" : "open (hoofdelijk)",
                    json_is_integer(json_object_get(poll, "revote_of")) ? ", herstemming" : "");
        if (strcmp(minutes_text(poll, "state"), "closed") != 0) {
            buf_appendf(buf, "- Status: %s\n\n", strcmp(minutes_text(poll, "state"), "open") == 0 ? "open" : "niet geopend");
            continue;
        }
        minutes_markdown_result(buf, poll);
        buf_appendf(buf, "\n");
    }
    buf_appendf(buf, "## Besluitenlijst (ondertekend, Ed25519)\n\nPublieke sleutel: `%s`\n\n",
                minutes_text(minutes, "public_key"));
    json_t *decisions = json_object_get(minutes, "decisions"), *decision;
    json_array_foreach(decisions, index, decision) {
        buf_appendf(buf, "%zu. besluit %lld (%s, stemming %lld)\n   - `%s`\n   - handtekening `%s`\n", index + 1,
                    minutes_int(decision, "id"), minutes_text(decision, "kind"), minutes_int(decision, "poll_id"),
                    minutes_text(decision, "canonical"), minutes_text(decision, "signature"));
    }
}

static char *minutes_markdown(json_t *minutes, size_t *length)
{
    alvd_buf buf;
    buf_init(&buf, MINUTES_MARKDOWN_CAP);
    minutes_markdown_attendance(&buf, minutes);
    minutes_markdown_deliberation(&buf, minutes);
    minutes_markdown_decisions(&buf, minutes);
    if (buf.overflowed) {
        buf_free(&buf);
        return NULL;
    }
    return buf_take(&buf, length);
}

void minutes_get(http_request *request)
{
    long long meeting_id;
    alvd_err err;
    alvd_err_clear(&err);
    meeting_id = http_request_id(request, "id");
    json_t *minutes = service_minutes_json(http_request_db(request), meeting_id,
                                           http_request_app(request)->config.data_dir, &err);
    if (minutes == NULL) {
        http_reply_err(request, &err);
        return;
    }
    const char *format = http_request_query(request, "format");
    if (format && strcmp(format, "markdown") == 0) {
        size_t length = 0;
        char *text = minutes_markdown(minutes, &length);
        json_decref(minutes);
        if (text == NULL) {
            http_reply_error(request, 413, "too_large", NULL, "De notulen zijn te groot.");
            return;
        }
        http_reply_bytes(request, 200, "text/markdown; charset=utf-8", text, length);
        return;
    }
    if (format && strcmp(format, "json") != 0) {
        json_decref(minutes);
        http_reply_error(request, 400, "bad_format", "format", "Kies format=json of format=markdown.");
        return;
    }
    http_reply_json(request, 200, minutes);
}
