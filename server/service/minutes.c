/* The minutes (notulen) of a meeting as JSON, generated from the record (attendance
 * ledger, deliberation, polls, adoptions), and the Ed25519-signed decision records. */
#include "alvd/service/minutes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/crypto/ballot.h"
#include "alvd/rules/dates.h"
#include "alvd/rules/deadlines.h"
#include "alvd/rules/majority.h"
#include "alvd/service/polls.h"
#include "alvd/store/minutes.h"
#include "alvd/service/speakers.h"
#include "alvd/store/meetings.h"
#include "alvd/store/attendance.h"

int service_minutes_record_decision(store_conn *conn, const char *data_dir, long long meeting_id, long long poll_id,
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
    int rc = store_minutes_insert_decision(conn, meeting_id, poll_id, kind, canonical, signature, sizeof signature, err);
    free(canonical);
    return rc;
}

/* For a poll decision: the poll row still holds what was signed. */
static int service_minutes_poll_matches(store_conn *conn, json_t *record, alvd_err *err)
{
    static const char *const numbers[] = {"for", "against", "abstain", "eligible", "not_voted"};
    store_minutes_poll_outcome row;
    if (store_minutes_poll_outcome_load(conn, (long long)json_integer_value(json_object_get(record, "poll_id")), &row,
                                        err) != 0)
        return -1;
    const long long stored[] = {row.votes_for, row.votes_against, row.votes_abstain, row.eligible, row.not_voted};
    int same = row.found;
    for (size_t i = 0; same && i < sizeof numbers / sizeof numbers[0]; i++)
        same = stored[i] == (long long)json_integer_value(json_object_get(record, numbers[i]));
    if (same)
        same = row.adopted == json_is_true(json_object_get(record, "adopted"));
    const char *fingerprint = json_string_value(json_object_get(record, "fingerprint"));
    if (same && fingerprint)
        same = row.has_fingerprint && strcmp(row.fingerprint, fingerprint) == 0;
    /* D (issue 13) is signed too: the row must still hold the date it was decided on. */
    const char *decided_on = json_string_value(json_object_get(record, "decided_on"));
    if (same && decided_on)
        same = row.has_decided_on && strcmp(row.decided_on, decided_on) == 0;
    return same ? 1 : 0;
}

/* One decision: its signature, and a poll decision's row. */
static int service_minutes_verify_one(store_conn *conn, const decisions_keys *keys,
                                      const store_minutes_decision *decision, alvd_err *err)
{
    const char *canonical = decision->canonical;
    if (!decisions_verify(keys->public_key, canonical, strlen(canonical), decision->signature,
                          decision->signature_length))
        return alvd_err_set(err, 409, "decision_broken", NULL, "decision %lld: the signature does not match its text",
                            decision->id);
    if (strcmp(decision->kind, "poll") != 0)
        return 0;
    json_error_t parse_error;
    json_t *record = json_loads(canonical, 0, &parse_error);
    int matches = record ? service_minutes_poll_matches(conn, record, err) : 0;
    json_decref(record);
    if (matches < 0)
        return -1;
    if (matches == 0)
        return alvd_err_set(err, 409, "decision_broken", NULL,
                            "decision %lld: the poll row no longer holds the signed counts and outcome", decision->id);
    return 0;
}

int service_minutes_verify(store_conn *conn, const char *data_dir, long long *checked, alvd_err *err)
{
    decisions_keys keys;
    store_minutes_decision *decisions = NULL;
    size_t count = 0;
    *checked = 0;
    if (store_minutes_decisions(conn, 0, &decisions, &count, err) != 0)
        return -1;
    if (count == 0) {
        store_minutes_decisions_free(decisions, count);
        return 0;
    }
    if (decisions_keys_load(data_dir, &keys, err) != 0) {
        store_minutes_decisions_free(decisions, count);
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < count && rc == 0; i++) {
        rc = service_minutes_verify_one(conn, &keys, &decisions[i], err);
        if (rc == 0)
            (*checked)++;
    }
    decisions_keys_wipe(&keys);
    store_minutes_decisions_free(decisions, count);
    return rc;
}

/* ---------------------------------------------------------------- the minutes */

/* Each member: present at some point, present or represented at the opening. */
static json_t *service_minutes_members(json_t *rows, const attendance_snapshot *overall,
                                       const attendance_snapshot *at_opening, int opened)
{
    json_t *members = json_array(), *row;
    size_t index;
    json_array_foreach(rows, index, row) {
        long long id = json_integer_value(json_object_get(row, "organisation_id"));
        const attendance_member *all = store_attendance_snapshot_find(overall, id);
        const attendance_member *first = opened ? store_attendance_snapshot_find(at_opening, id) : NULL;
        json_array_append_new(members, json_pack("{s:I, s:O, s:b, s:b, s:b}", "organisation_id", (json_int_t)id, "name",
                                                 json_object_get(row, "name"), "was_present", all && all->was_present,
                                                 "present_at_opening", first && first->inside,
                                                 "represented_at_opening", first && first->represented_by != 0));
    }
    return members;
}

/* The attendance section's counts and links around its member lists (both taken). */
static json_t *service_minutes_attendance_json(long long meeting_id, const attendance_snapshot *overall,
                                               const attendance_snapshot *at_opening, json_t *members, json_t *remote)
{
    char link[96], page[96];
    snprintf(link, sizeof link, "/api/meetings/%lld/attendance.csv", meeting_id);
    snprintf(page, sizeof page, "/staff/meeting.html?id=%lld", meeting_id);
    /* MAX() over a boolean comes back as a number: the page reads a boolean. */
    size_t index;
    json_t *participant;
    json_array_foreach(remote, index, participant)
        json_object_set_new(participant, "auto_checkout",
                            json_boolean(json_integer_value(json_object_get(participant, "auto_checkout")) != 0));
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:s, s:s}", "members_total", (json_int_t)overall->count,
                     "present_at_opening", (json_int_t)at_opening->present, "present_hall_at_opening",
                     (json_int_t)(at_opening->present - at_opening->present_remote), "present_remote_at_opening",
                     (json_int_t)at_opening->present_remote, "represented_at_opening",
                     (json_int_t)at_opening->represented, "was_present", (json_int_t)overall->was_present, "members",
                     members, "remote_participants", remote, "presentielijst_csv", link, "presentielijst_page", page);
}

static json_t *service_minutes_attendance(store_conn *conn, long long meeting_id, alvd_err *err)
{
    attendance_snapshot at_opening = {0}, overall = {0};
    json_t *result = NULL, *member_rows = NULL, *remote = NULL;
    char opened[ATTENDANCE_INSTANT_SIZE] = "";
    if (store_minutes_opened_at(conn, meeting_id, opened, sizeof opened, err) != 0 ||
        store_attendance_snapshot_at(conn, meeting_id, NULL, &overall, err) != 0)
        return NULL;
    if ((opened[0] && store_attendance_snapshot_at(conn, meeting_id, opened, &at_opening, err) != 0) ||
        store_minutes_members(conn, meeting_id, &member_rows, err) != 0)
        goto done;
    json_t *members = service_minutes_members(member_rows, &overall, &at_opening, opened[0] != 0);
    /* BW 2:38a: the minutes name who took part from afar, with how often the page dropped. */
    if (store_minutes_remote_participants(conn, meeting_id, &remote, err) != 0) {
        json_decref(members);
        goto done;
    }
    result = service_minutes_attendance_json(meeting_id, &overall, &at_opening, members, remote);
done:
    json_decref(member_rows);
    store_attendance_snapshot_free(&overall);
    store_attendance_snapshot_free(&at_opening);
    return result;
}

/* A poll's adoption with its withdrawal deadline's warning and advice, or null. */
static int service_minutes_adoption(store_conn *conn, long long poll_id, json_t **out, alvd_err *err)
{
    if (store_minutes_poll_adoption(conn, poll_id, out, err) != 0)
        return -1;
    if (!json_is_object(*out))
        return 0;
    rules_day effective;
    rules_withdrawal_deadline deadline;
    if (rules_date_parse(json_string_value(json_object_get(*out, "effective_from")), NULL, &effective, err) == 0) {
        rules_withdrawal_deadline_for(effective, 0, &deadline);
        json_object_set_new(*out, "warning", deadline.warning[0] ? json_string(deadline.warning) : json_null());
        json_object_set_new(*out, "advice", json_string(deadline.advice));
    }
    return 0;
}

/* Every poll with its adoption, and an open poll's named votes once it is closed. */
static json_t *service_minutes_polls(store_conn *conn, long long meeting_id, alvd_err *err)
{
    long long *ids = NULL;
    size_t count = 0;
    json_t *polls = json_array(), *adoption = NULL, *votes = NULL;
    if (store_polls_list_ids(conn, meeting_id, &ids, &count, err) != 0)
        goto fail;
    for (size_t i = 0; i < count; i++) {
        json_t *poll = service_polls_json(conn, ids[i], err);
        if (poll == NULL)
            goto fail;
        json_array_append_new(polls, poll);
        if (service_minutes_adoption(conn, ids[i], &adoption, err) != 0)
            goto fail;
        json_object_set_new(poll, "adoption", adoption);
        if (!json_is_true(json_object_get(poll, "secret")) &&
            strcmp(json_string_value(json_object_get(poll, "state")), "closed") == 0) {
            /* An open poll: the named votes belong in the minutes. */
            if (store_minutes_named_votes(conn, ids[i], &votes, err) != 0)
                goto fail;
            json_object_set_new(poll, "votes", votes);
        }
    }
    free(ids);
    return polls;
fail:
    free(ids);
    json_decref(polls);
    return NULL;
}

/* The meeting's signed decisions: record, canonical text and signature in hex. */
static json_t *service_minutes_decisions(store_conn *conn, long long meeting_id, alvd_err *err)
{
    store_minutes_decision *rows = NULL;
    size_t count = 0;
    if (store_minutes_decisions(conn, meeting_id, &rows, &count, err) != 0)
        return NULL;
    json_t *decisions = json_array();
    for (size_t r = 0; r < count; r++) {
        char signature[2 * crypto_sign_BYTES + 1] = "";
        if (rows[r].signature_length == crypto_sign_BYTES)
            ballot_hex(rows[r].signature, crypto_sign_BYTES, signature);
        json_error_t parse_error;
        json_t *record = json_loads(rows[r].canonical, 0, &parse_error);
        json_array_append_new(decisions, json_pack("{s:I, s:I, s:s, s:o, s:s, s:s}", "id", (json_int_t)rows[r].id,
                                                   "poll_id", (json_int_t)rows[r].poll_id, "kind", rows[r].kind,
                                                   "record", record ? record : json_null(), "canonical",
                                                   rows[r].canonical, "signature", signature));
    }
    store_minutes_decisions_free(rows, count);
    return decisions;
}

/* The meeting with its rule in words, and the attendance: the minutes' head. */
static json_t *service_minutes_head(store_conn *conn, long long meeting_id, alvd_err *err)
{
    meeting_info meeting;
    json_t *meeting_json = NULL;
    if (store_meetings_load(conn, meeting_id, &meeting, err) != 0 ||
        store_minutes_meeting(conn, meeting_id, &meeting_json, err) != 0)
        return NULL;
    json_object_set_new(meeting_json, "rule_text", json_string(rules_majority_rule_words(meeting.majority_rule)));
    json_t *attendance = service_minutes_attendance(conn, meeting_id, err);
    if (attendance == NULL) {
        json_decref(meeting_json);
        return NULL;
    }
    return json_pack("{s:o, s:o}", "meeting", meeting_json, "attendance", attendance);
}

json_t *service_minutes_json(store_conn *conn, long long meeting_id, const char *data_dir, alvd_err *err)
{
    json_t *minutes = service_minutes_head(conn, meeting_id, err), *part;
    if (minutes == NULL)
        return NULL;
    if ((part = service_speakers_minutes_json(conn, meeting_id, err)) == NULL)
        goto fail;
    json_object_update_new(minutes, part);
    if ((part = service_minutes_polls(conn, meeting_id, err)) == NULL)
        goto fail;
    json_object_set_new(minutes, "polls", part);
    if ((part = service_minutes_decisions(conn, meeting_id, err)) == NULL)
        goto fail;
    json_object_set_new(minutes, "decisions", part);
    decisions_keys keys;
    if (decisions_keys_load(data_dir, &keys, err) != 0)
        goto fail;
    char public_key[2 * crypto_sign_PUBLICKEYBYTES + 1];
    ballot_hex(keys.public_key, sizeof keys.public_key, public_key);
    decisions_keys_wipe(&keys);
    json_object_set_new(minutes, "public_key", json_string(public_key));
    return minutes;
fail:
    json_decref(minutes);
    return NULL;
}
