/* The minutes (notulen) and decision list of a meeting, generated from the record
 * (attendance ledger, polls, adoptions), as JSON or Markdown; and the Ed25519-signed
 * decision records with their verification for `alvd audit verify`. */
#include "alvd/api/minutes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/api/attendance.h"
#include "alvd/api/meetings.h"
#include "alvd/api/polls.h"
#include "alvd/api/speakers.h"
#include "alvd/base/buf.h"
#include "alvd/crypto/ballot.h"
#include "alvd/rules/dates.h"
#include "alvd/rules/deadlines.h"
#include "alvd/rules/majority.h"

#define MINUTES_MARKDOWN_CAP (4 * 1024 * 1024)

int minutes_decision_record(store_conn *conn, const char *data_dir, long long meeting_id, long long poll_id,
                            const char *kind, json_t *record, alvd_err *err)
{
    decisions_keys keys;
    unsigned char signature[crypto_sign_BYTES];
    char *canonical = json_dumps(record, JSON_COMPACT | JSON_SORT_KEYS);
    if (canonical == NULL)
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    if (decisions_keys_load(data_dir, &keys, err) != 0) {
        free(canonical);
        return -1;
    }
    decisions_sign(&keys, canonical, strlen(canonical), signature);
    decisions_keys_wipe(&keys);
    int rc = store_execute(conn, err, NULL,
                           "INSERT INTO decisions (meeting_id, poll_id, kind, canonical, signature, created_at)"
                           " VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(6))",
                           STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(poll_id), STORE_TEXT_PARAM(kind),
                                        STORE_TEXT_PARAM(canonical), STORE_BLOB_PARAM(signature, sizeof signature)));
    free(canonical);
    return rc;
}

/* For a poll decision: the poll row still holds what was signed. */
static int minutes_poll_matches(store_conn *conn, json_t *record, alvd_err *err)
{
    static const char *const numbers[] = {"for", "against", "abstain", "eligible", "not_voted"};
    static const char *const columns[] = {"votes_for", "votes_against", "votes_abstain", "eligible", "not_voted"};
    store_result *rows = NULL;
    long long poll_id = (long long)json_integer_value(json_object_get(record, "poll_id"));
    if (store_query(conn, err, &rows,
                    "SELECT votes_for, votes_against, votes_abstain, eligible, not_voted, adopted, fingerprint,"
                    " DATE_FORMAT(decided_on, '%Y-%m-%d') FROM polls WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(poll_id))) != 0)
        return -1;
    int same = store_result_rows(rows) == 1;
    for (size_t i = 0; same && i < sizeof numbers / sizeof numbers[0]; i++)
        same = store_result_int_by_name(rows, 0, columns[i]) ==
               (long long)json_integer_value(json_object_get(record, numbers[i]));
    if (same)
        same = (store_result_int(rows, 0, 5) != 0) == json_is_true(json_object_get(record, "adopted"));
    const char *fingerprint = json_string_value(json_object_get(record, "fingerprint"));
    if (same && fingerprint)
        same = store_result_text(rows, 0, 6) && strcmp(store_result_text(rows, 0, 6), fingerprint) == 0;
    /* D (issue 13) is signed too: the row must still hold the date it was decided on. */
    const char *decided_on = json_string_value(json_object_get(record, "decided_on"));
    if (same && decided_on)
        same = !store_result_is_null(rows, 0, 7) && strcmp(store_result_text(rows, 0, 7), decided_on) == 0;
    store_result_free(rows);
    return same ? 1 : 0;
}

int minutes_decisions_verify(store_conn *conn, const char *data_dir, long long *checked, alvd_err *err)
{
    decisions_keys keys;
    store_result *rows = NULL;
    *checked = 0;
    if (store_query(conn, err, &rows, "SELECT id, kind, canonical, signature FROM decisions ORDER BY id",
                    STORE_NO_PARAMS) != 0)
        return -1;
    if (store_result_rows(rows) == 0) {
        store_result_free(rows);
        return 0;
    }
    if (decisions_keys_load(data_dir, &keys, err) != 0) {
        store_result_free(rows);
        return -1;
    }
    int rc = 0;
    for (size_t r = 0; r < store_result_rows(rows) && rc == 0; r++) {
        long long id = store_result_int(rows, r, 0);
        const char *canonical = store_result_text(rows, r, 2);
        if (!decisions_verify(keys.public_key, canonical, strlen(canonical), (const unsigned char *)store_result_text(rows, r, 3),
                              store_result_length(rows, r, 3))) {
            rc = alvd_err_set(err, 409, "decision_broken", NULL, "decision %lld: the signature does not match its text", id);
            break;
        }
        if (strcmp(store_result_text(rows, r, 1), "poll") == 0) {
            json_error_t parse_error;
            json_t *record = json_loads(canonical, 0, &parse_error);
            int matches = record ? minutes_poll_matches(conn, record, err) : 0;
            json_decref(record);
            if (matches < 0) {
                rc = -1;
                break;
            }
            if (matches == 0) {
                rc = alvd_err_set(err, 409, "decision_broken", NULL,
                                  "decision %lld: the poll row no longer holds the signed counts and outcome", id);
                break;
            }
        }
        (*checked)++;
    }
    decisions_keys_wipe(&keys);
    store_result_free(rows);
    return rc;
}

/* ---------------------------------------------------------------- the minutes */

static json_t *minutes_attendance(store_conn *conn, long long meeting_id, alvd_err *err)
{
    store_result *rows = NULL;
    attendance_snapshot at_opening = {0}, overall = {0};
    json_t *result = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT DATE_FORMAT(opened_at, '%Y-%m-%d %H:%i:%s.%f') FROM meetings WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        return NULL;
    char opened[ATTENDANCE_INSTANT_SIZE] = "";
    if (store_result_rows(rows) == 1 && store_result_text(rows, 0, 0))
        snprintf(opened, sizeof opened, "%s", store_result_text(rows, 0, 0));
    store_result_free(rows);
    rows = NULL;
    if (attendance_snapshot_at(conn, meeting_id, NULL, &overall, err) != 0)
        return NULL;
    if (opened[0] && attendance_snapshot_at(conn, meeting_id, opened, &at_opening, err) != 0)
        goto done;
    if (store_query(conn, err, &rows,
                    "SELECT m.organisation_id, o.name FROM meeting_members m JOIN organisations o ON o.id = m.organisation_id"
                    " WHERE m.meeting_id = ? ORDER BY o.name",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        goto done;
    json_t *members = json_array();
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        long long id = store_result_int(rows, r, 0);
        const attendance_member *all = attendance_snapshot_find(&overall, id);
        const attendance_member *first = opened[0] ? attendance_snapshot_find(&at_opening, id) : NULL;
        json_array_append_new(members,
                              json_pack("{s:I, s:s, s:b, s:b, s:b}", "organisation_id", (json_int_t)id, "name",
                                        store_result_text(rows, r, 1), "was_present", all && all->was_present,
                                        "present_at_opening", first && first->inside, "represented_at_opening",
                                        first && first->represented_by != 0));
    }
    store_result_free(rows);
    rows = NULL;
    /* BW 2:38a: the minutes name who took part from afar, with how often the page dropped. */
    if (store_query(conn, err, &rows,
                    "SELECT e.organisation_id, o.name,"
                    " MIN(CASE WHEN e.direction = 'entry' THEN e.at END) AS first_entry,"
                    " MAX(CASE WHEN e.direction = 'exit' THEN e.at END) AS last_exit,"
                    " CAST(SUM(e.source = 'disconnect') AS SIGNED) AS disconnects,"
                    " MAX(e.source = 'disconnect') AS auto_checkout"
                    " FROM attendance_events e JOIN organisations o ON o.id = e.organisation_id"
                    " WHERE e.meeting_id = ? AND e.channel = 'remote'"
                    " GROUP BY e.organisation_id, o.name HAVING first_entry IS NOT NULL ORDER BY o.name",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0) {
        json_decref(members);
        goto done;
    }
    json_t *remote = store_result_json(rows);
    char link[96], page[96];
    snprintf(link, sizeof link, "/api/meetings/%lld/attendance.csv", meeting_id);
    snprintf(page, sizeof page, "/staff/meeting.html?id=%lld", meeting_id);
    /* MAX() over a boolean comes back as a number: the page reads a boolean. */
    size_t index;
    json_t *participant;
    json_array_foreach(remote, index, participant)
        json_object_set_new(participant, "auto_checkout",
                            json_boolean(json_integer_value(json_object_get(participant, "auto_checkout")) != 0));
    result = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:s, s:s}", "members_total", (json_int_t)overall.count,
                       "present_at_opening", (json_int_t)at_opening.present, "present_hall_at_opening",
                       (json_int_t)(at_opening.present - at_opening.present_remote), "present_remote_at_opening",
                       (json_int_t)at_opening.present_remote, "represented_at_opening",
                       (json_int_t)at_opening.represented, "was_present", (json_int_t)overall.was_present, "members",
                       members, "remote_participants", remote, "presentielijst_csv", link, "presentielijst_page", page);
done:
    store_result_free(rows);
    attendance_snapshot_free(&overall);
    attendance_snapshot_free(&at_opening);
    return result;
}

static json_t *minutes_json(store_conn *conn, long long meeting_id, const char *data_dir, alvd_err *err)
{
    store_result *rows = NULL;
    json_t *minutes = NULL, *polls = NULL, *decisions = NULL;
    meeting_info meeting;
    if (meetings_load(conn, meeting_id, &meeting, err) != 0)
        return NULL;
    if (store_query(conn, err, &rows,
                    "SELECT id, title, date, starts_at, location, state, majority_rule, opened_at, closed_at FROM meetings WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        return NULL;
    json_t *meeting_json = store_result_row_json(rows, 0);
    store_result_free(rows);
    rows = NULL;
    json_object_set_new(meeting_json, "rule_text", json_string(rules_majority_rule_words(meeting.majority_rule)));
    json_t *attendance = minutes_attendance(conn, meeting_id, err);
    if (attendance == NULL) {
        json_decref(meeting_json);
        return NULL;
    }
    minutes = json_pack("{s:o, s:o}", "meeting", meeting_json, "attendance", attendance);
    json_t *deliberation = speakers_minutes_json(conn, meeting_id, err);
    if (deliberation == NULL)
        goto fail;
    json_object_update_new(minutes, deliberation);
    polls = json_array();
    if (store_query(conn, err, &rows, "SELECT id, secret FROM polls WHERE meeting_id = ? ORDER BY id",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        goto fail;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        long long poll_id = store_result_int(rows, r, 0);
        json_t *poll = polls_json(conn, poll_id, err);
        store_result *more = NULL;
        if (poll == NULL)
            goto fail;
        json_array_append_new(polls, poll);
        if (store_query(conn, err, &more,
                        "SELECT DATE_FORMAT(effective_from, '%Y-%m-%d') AS effective_from,"
                        " DATE_FORMAT(withdrawal_deadline, '%Y-%m-%d') AS withdrawal_deadline, version_id"
                        " FROM adoptions WHERE poll_id = ?",
                        STORE_PARAMS(STORE_INT_PARAM(poll_id))) != 0)
            goto fail;
        json_t *adoption = store_result_rows(more) ? store_result_row_json(more, 0) : json_null();
        store_result_free(more);
        more = NULL;
        if (json_is_object(adoption)) {
            rules_day effective;
            rules_withdrawal_deadline deadline;
            if (rules_date_parse(json_string_value(json_object_get(adoption, "effective_from")), NULL, &effective,
                                 err) == 0) {
                rules_withdrawal_deadline_for(effective, 0, &deadline);
                json_object_set_new(adoption, "warning", deadline.warning[0] ? json_string(deadline.warning) : json_null());
                json_object_set_new(adoption, "advice", json_string(deadline.advice));
            }
        }
        json_object_set_new(poll, "adoption", adoption);
        if (!store_result_int(rows, r, 1) &&
            strcmp(json_string_value(json_object_get(poll, "state")), "closed") == 0) {
            /* An open poll: the named votes belong in the minutes. */
            if (store_query(conn, err, &more,
                            "SELECT v.organisation_id, o.name, v.choice, v.channel FROM open_votes v"
                            " JOIN organisations o ON o.id = v.organisation_id WHERE v.poll_id = ? ORDER BY o.name",
                            STORE_PARAMS(STORE_INT_PARAM(poll_id))) != 0)
                goto fail;
            json_object_set_new(poll, "votes", store_result_json(more));
            store_result_free(more);
        }
    }
    store_result_free(rows);
    rows = NULL;
    json_object_set(minutes, "polls", polls);
    decisions = json_array();
    if (store_query(conn, err, &rows,
                    "SELECT id, poll_id, kind, canonical, signature, created_at FROM decisions WHERE meeting_id = ? ORDER BY id",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        goto fail;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        char signature[2 * crypto_sign_BYTES + 1] = "";
        if (store_result_length(rows, r, 4) == crypto_sign_BYTES)
            ballot_hex((const unsigned char *)store_result_text(rows, r, 4), crypto_sign_BYTES, signature);
        json_error_t parse_error;
        json_t *record = json_loads(store_result_text(rows, r, 3), 0, &parse_error);
        json_array_append_new(decisions, json_pack("{s:I, s:I, s:s, s:o, s:s, s:s}", "id",
                                                   (json_int_t)store_result_int(rows, r, 0), "poll_id",
                                                   (json_int_t)store_result_int(rows, r, 1), "kind",
                                                   store_result_text(rows, r, 2), "record", record ? record : json_null(),
                                                   "canonical", store_result_text(rows, r, 3), "signature", signature));
    }
    store_result_free(rows);
    rows = NULL;
    json_object_set(minutes, "decisions", decisions);
    decisions_keys keys;
    if (decisions_keys_load(data_dir, &keys, err) != 0)
        goto fail;
    char public_key[2 * crypto_sign_PUBLICKEYBYTES + 1];
    ballot_hex(keys.public_key, sizeof keys.public_key, public_key);
    decisions_keys_wipe(&keys);
    json_object_set_new(minutes, "public_key", json_string(public_key));
    json_decref(polls);
    json_decref(decisions);
    return minutes;
fail:
    store_result_free(rows);
    json_decref(polls);
    json_decref(decisions);
    json_decref(minutes);
    return NULL;
}

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

static char *minutes_markdown(json_t *minutes, size_t *length)
{
    alvd_buf buf;
    json_t *meeting = json_object_get(minutes, "meeting"), *attendance = json_object_get(minutes, "attendance");
    buf_init(&buf, MINUTES_MARKDOWN_CAP);
    buf_appendf(&buf, "# Notulen (concept): %s\n\n", minutes_text(meeting, "title"));
    buf_appendf(&buf, "- Datum: %s, aanvang %s\n- Plaats: %s\n- Meerderheidsregel: %s\n\n",
                minutes_text(meeting, "date"), minutes_text(meeting, "starts_at"), minutes_text(meeting, "location"),
                minutes_text(meeting, "rule_text"));
    buf_appendf(&buf, "## Aanwezigheid\n\n");
    buf_appendf(&buf, "- Stemgerechtigde leden: %lld\n- Aanwezig bij de opening: %lld (plus %lld vertegenwoordigd)\n"
                      "- Aanwezig geweest: %lld\n- Presentielijst: %s\n\n",
                minutes_int(attendance, "members_total"), minutes_int(attendance, "present_at_opening"),
                minutes_int(attendance, "represented_at_opening"), minutes_int(attendance, "was_present"),
                minutes_text(attendance, "presentielijst_csv"));
    json_t *remote = json_object_get(attendance, "remote_participants"), *entry;
    size_t at;
    if (json_array_size(remote) > 0) {
        buf_appendf(&buf, "Op afstand deelgenomen (artikel 2:38a BW): %zu lid/leden, waarvan %lld aanwezig bij de"
                          " opening.\n\n| lid | eerst aanwezig | laatst vertrokken | verbinding verloren |\n|---|---|---|---|\n",
                    json_array_size(remote), minutes_int(attendance, "present_remote_at_opening"));
        json_array_foreach(remote, at, entry)
            buf_appendf(&buf, "| %s | %s | %s | %lld× |\n", minutes_text(entry, "name"), minutes_text(entry, "first_entry"),
                        json_is_string(json_object_get(entry, "last_exit")) ? minutes_text(entry, "last_exit") : "-",
                        minutes_int(entry, "disconnects"));
        buf_appendf(&buf, "\n");
    }
    json_t *speakers = json_object_get(minutes, "speakers");
    if (json_array_size(speakers) > 0) {
        buf_appendf(&buf, "## Sprekers\n\n| # | lid | waar | agendapunt | het woord | spreektijd |\n|---|---|---|---|---|---|\n");
        json_array_foreach(speakers, at, entry) {
            long long seconds = minutes_int(entry, "speaking_seconds");
            char item[24] = "-";
            if (json_is_integer(json_object_get(entry, "agenda_position")))
                snprintf(item, sizeof item, "%lld", minutes_int(entry, "agenda_position"));
            buf_appendf(&buf, "| %zu | %s | %s | %s | %s | %lld:%02lld |\n", at + 1, minutes_text(entry, "name"),
                        strcmp(minutes_text(entry, "channel"), "remote") == 0 ? "op afstand" : "zaal", item,
                        minutes_text(entry, "started_at"), seconds / 60, seconds % 60);
        }
        buf_appendf(&buf, "\n");
    }
    json_t *contributions = json_object_get(minutes, "contributions");
    if (json_array_size(contributions) > 0) {
        buf_appendf(&buf, "## Schriftelijke bijdragen\n\n");
        json_array_foreach(contributions, at, entry) {
            const char *state = minutes_text(entry, "state");
            buf_appendf(&buf, "%zu. %s (%s, %s): ", at + 1, minutes_text(entry, "name"),
                        strcmp(minutes_text(entry, "channel"), "remote") == 0 ? "op afstand" : "zaal",
                        strcmp(state, "read_out") == 0       ? "voorgelezen"
                        : strcmp(state, "not_read_out") == 0 ? "niet voorgelezen"
                                                              : "niet behandeld");
            /* One quoted paragraph: line breaks of the member's text stay inside it. */
            for (const char *p = minutes_text(entry, "text"); *p; p++)
                buf_appendf(&buf, "%c", *p == '\n' || *p == '\r' ? ' ' : *p);
            buf_appendf(&buf, "\n");
        }
        buf_appendf(&buf, "\n");
    }
    buf_appendf(&buf, "## Besluiten\n\n");
    json_t *polls = json_object_get(minutes, "polls");
    size_t index;
    json_t *poll;
    if (json_array_size(polls) == 0)
        buf_appendf(&buf, "Er is niet gestemd.\n\n");
    json_array_foreach(polls, index, poll) {
        buf_appendf(&buf, "### Stemming %lld: %s\n\n", minutes_int(poll, "id"), minutes_text(poll, "title"));
        buf_appendf(&buf, "- Soort: %s%s\n", json_is_true(json_object_get(poll, "secret")) ? "geheim" : "open (hoofdelijk)",
                    json_is_integer(json_object_get(poll, "revote_of")) ? ", herstemming" : "");
        if (strcmp(minutes_text(poll, "state"), "closed") != 0) {
            buf_appendf(&buf, "- Status: %s\n\n", strcmp(minutes_text(poll, "state"), "open") == 0 ? "open" : "niet geopend");
            continue;
        }
        buf_appendf(&buf, "- Aanwezig bij opening (P): %lld (in de zaal %lld, op afstand %lld, vertegenwoordigd %lld)\n"
                          "- Regel: %s\n- Benodigd voor: %lld\n",
                    minutes_int(poll, "eligible"), minutes_int(poll, "present_hall"), minutes_int(poll, "present_remote"),
                    minutes_int(poll, "represented"), minutes_text(poll, "rule_text"), minutes_int(poll, "threshold"));
        if (json_object_get(poll, "literal_threshold"))
            buf_appendf(&buf, "- Letterlijk \"de helft plus één\": %lld\n", minutes_int(poll, "literal_threshold"));
        buf_appendf(&buf, "- Voor: %lld, tegen: %lld, onthouding: %lld, niet gestemd: %lld\n",
                    minutes_int(poll, "for"), minutes_int(poll, "against"), minutes_int(poll, "abstain"),
                    minutes_int(poll, "not_voted"));
        buf_appendf(&buf, "- Uitslag: **%s**. %s\n", json_is_true(json_object_get(poll, "adopted")) ? "aangenomen" : "verworpen",
                    minutes_text(poll, "explanation"));
        buf_appendf(&buf, "- Datum van het besluit: %s (de dag waarop de stemming sloot)\n", minutes_text(poll, "decided_on"));
        if (json_is_integer(json_object_get(poll, "superseded_by")))
            buf_appendf(&buf, "- Vervangen door herstemming %lld\n", minutes_int(poll, "superseded_by"));
        if (json_object_get(poll, "fingerprint"))
            buf_appendf(&buf, "- Vingerafdruk trackers (SHA-256): `%s`\n", minutes_text(poll, "fingerprint"));
        json_t *adoption = json_object_get(poll, "adoption");
        if (json_is_object(adoption)) {
            buf_appendf(&buf, "- Ingangsdatum: %s; uiterste ontvangstdatum intrekking: %s\n", minutes_text(adoption, "effective_from"),
                        minutes_text(adoption, "withdrawal_deadline"));
            if (json_string_value(json_object_get(adoption, "warning")))
                buf_appendf(&buf, "- Let op: %s\n", minutes_text(adoption, "warning"));
        }
        json_t *votes = json_object_get(poll, "votes");
        if (json_array_size(votes) > 0) {
            buf_appendf(&buf, "\n| lid | stem | via |\n|---|---|---|\n");
            size_t v;
            json_t *vote;
            json_array_foreach(votes, v, vote)
                buf_appendf(&buf, "| %s | %s | %s |\n", minutes_text(vote, "name"),
                            minutes_choice_word(minutes_text(vote, "choice")),
                            strcmp(minutes_text(vote, "channel"), "paper") == 0 ? "papier" : "telefoon");
        }
        buf_appendf(&buf, "\n");
    }
    buf_appendf(&buf, "## Besluitenlijst (ondertekend, Ed25519)\n\nPublieke sleutel: `%s`\n\n",
                minutes_text(minutes, "public_key"));
    json_t *decisions = json_object_get(minutes, "decisions"), *decision;
    json_array_foreach(decisions, index, decision) {
        buf_appendf(&buf, "%zu. besluit %lld (%s, stemming %lld)\n   - `%s`\n   - handtekening `%s`\n", index + 1,
                    minutes_int(decision, "id"), minutes_text(decision, "kind"), minutes_int(decision, "poll_id"),
                    minutes_text(decision, "canonical"), minutes_text(decision, "signature"));
    }
    if (buf.overflowed) {
        buf_free(&buf);
        return NULL;
    }
    return buf_take(&buf, length);
}

void minutes_get(http_request *request)
{
    store_conn *conn = http_request_db(request);
    long long meeting_id;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        return;
    json_t *minutes = minutes_json(conn, meeting_id, http_request_app(request)->config.data_dir, &err);
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
