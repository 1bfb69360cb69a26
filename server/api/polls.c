/* Polls: create on an agenda proposal, open on a stored presence snapshot, votes through
 * one writer thread (group commit), paper votes, close with R1, trackers, re-votes.
 * A secret poll's ballots are sealed to the poll's own key while it is open and counted
 * at close (docs/internals/secret-ballots.md).
 * Lock order: meeting row, poll rows by id, member rows by id, proposal rows by id,
 * then the audit head (audit_append, events_append). A vote batch takes only poll rows
 * and the audit head, so a close (poll row first) and a batch serialise exactly. */
#include "alvd/api/polls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "alvd/api/attendance.h"
#include "alvd/api/remote.h"
#include "alvd/api/events.h"
#include "alvd/api/meetings.h"
#include "alvd/api/minutes.h"
#include "alvd/api/proposals.h"
#include "alvd/base/log.h"
#include "alvd/base/buf.h"
#include "alvd/base/clock.h"
#include "alvd/crypto/audit.h"
#include "alvd/crypto/ballot.h"
#include "alvd/crypto/ballot_box.h"
#include "alvd/http/input.h"
#include "alvd/rules/dates.h"
#include "alvd/rules/deadlines.h"
#include "alvd/rules/majority.h"

#define POLLS_BATCH_ATTEMPTS 3

/* ---------------------------------------------------------------- the poll row */

typedef struct polls_row {
    long long id, meeting_id, proposal_id, revision_id, revote_of, superseded_by;
    int secret;
    char state[8];
    char rule[32];
    int eligible, present, represented, threshold, literal_threshold;
    int paper_for, paper_against, paper_abstain;
    int votes_for, votes_against, votes_abstain, not_voted, adopted;
    char explanation[320];
    char fingerprint[BALLOT_FINGERPRINT_TEXT_SIZE];
    int boxed; /* a secret poll whose ballots are sealed to box_public_key */
    unsigned char box_public_key[BALLOT_BOX_KEY_BYTES];
    long long agenda_item_id;    /* a decision that is not a proposal (proposal_id 0) */
    char decision_title[1204];
    int present_remote;          /* of present, how many took part remotely (issue 18) */
} polls_row;

#define POLLS_COLUMNS                                                                                  \
    "id, meeting_id, proposal_id, revision_id, revote_of, superseded_by, secret, state, majority_rule," \
    " eligible, present, represented, threshold, literal_threshold, paper_for, paper_against,"         \
    " paper_abstain, votes_for, votes_against, votes_abstain, not_voted, adopted, explanation,"        \
    " fingerprint, box_public_key, agenda_item_id, decision_title, present_remote"

static void polls_copy(char *out, size_t size, const char *text)
{
    snprintf(out, size, "%s", text ? text : "");
}

/* Load a poll (locking it with FOR UPDATE when lock); 404 when absent. */
static int polls_load(store_conn *conn, long long poll_id, int lock, polls_row *out, alvd_err *err)
{
    store_result *rows = NULL;
    memset(out, 0, sizeof *out);
    if (store_query(conn, err, &rows,
                    lock ? "SELECT " POLLS_COLUMNS " FROM polls WHERE id = ? FOR UPDATE"
                         : "SELECT " POLLS_COLUMNS " FROM polls WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(poll_id))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", NULL, "Deze stemming bestaat niet.");
    }
    out->id = store_result_int(rows, 0, 0);
    out->meeting_id = store_result_int(rows, 0, 1);
    out->proposal_id = store_result_int(rows, 0, 2);
    out->revision_id = store_result_int(rows, 0, 3);
    out->revote_of = store_result_int(rows, 0, 4);
    out->superseded_by = store_result_int(rows, 0, 5);
    out->secret = (int)store_result_int(rows, 0, 6);
    polls_copy(out->state, sizeof out->state, store_result_text(rows, 0, 7));
    polls_copy(out->rule, sizeof out->rule, store_result_text(rows, 0, 8));
    int *numbers[] = {&out->eligible, &out->present, &out->represented, &out->threshold,
                      &out->literal_threshold, &out->paper_for, &out->paper_against, &out->paper_abstain,
                      &out->votes_for, &out->votes_against, &out->votes_abstain, &out->not_voted,
                      &out->adopted};
    for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++)
        *numbers[i] = (int)store_result_int(rows, 0, 9 + i);
    polls_copy(out->explanation, sizeof out->explanation, store_result_text(rows, 0, 22));
    polls_copy(out->fingerprint, sizeof out->fingerprint, store_result_text(rows, 0, 23));
    out->boxed = out->secret && store_result_length(rows, 0, 24) == BALLOT_BOX_KEY_BYTES;
    if (out->boxed)
        memcpy(out->box_public_key, store_result_text(rows, 0, 24), BALLOT_BOX_KEY_BYTES);
    out->agenda_item_id = store_result_int(rows, 0, 25);
    polls_copy(out->decision_title, sizeof out->decision_title, store_result_text(rows, 0, 26));
    out->present_remote = (int)store_result_int(rows, 0, 27);
    store_result_free(rows);
    return 0;
}

/* The poll a request may see: staff every poll, a member's phone only the polls of its
 * own meeting; anything else 404 (no enumeration). */
static int polls_load_for(http_request *request, long long poll_id, int lock, polls_row *out, alvd_err *err)
{
    const auth_principal *who = http_request_principal(request);
    if (polls_load(http_request_db(request), poll_id, lock, out, err) != 0)
        return -1;
    if (who->kind == AUTH_KIND_MEMBER && who->meeting_id != out->meeting_id)
        return alvd_err_set(err, 404, "not_found", NULL, "Deze stemming bestaat niet.");
    return 0;
}

/* The threshold as people read it. Under majority_of_votes_cast the number depends on
 * the votes against, so it is said in words (an open poll would otherwise show "1"). */
static const char *polls_threshold_words(const char *rule, int threshold, char text[96])
{
    if (rule && strcmp(rule, "majority_of_votes_cast") == 0)
        snprintf(text, 96, "meer stemmen voor dan tegen (onthoudingen tellen niet mee)");
    else
        snprintf(text, 96, "ten minste %d %s voor", threshold, threshold == 1 ? "stem" : "stemmen");
    return text;
}

static int polls_count_voters(store_conn *conn, long long poll_id, long long *cast, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows, "SELECT COUNT(*) FROM poll_voters WHERE poll_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(poll_id))) != 0)
        return -1;
    *cast = store_result_int(rows, 0, 0);
    store_result_free(rows);
    return 0;
}

/* The proposal title at the poll's revision. */
static int polls_title(store_conn *conn, long long revision_id, char *out, size_t size, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows, "SELECT title FROM proposal_revisions WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(revision_id))) != 0)
        return -1;
    polls_copy(out, size, store_result_rows(rows) ? store_result_text(rows, 0, 0) : "");
    store_result_free(rows);
    return 0;
}

/* What the poll decides: the proposal's title at the poll's revision, or the decision's. */
static int polls_row_title(store_conn *conn, const polls_row *poll, char *out, size_t size, alvd_err *err)
{
    if (poll->revision_id == 0) {
        polls_copy(out, size, poll->decision_title);
        return 0;
    }
    return polls_title(conn, poll->revision_id, out, size, err);
}

/* The poll's public state: P, rule, thresholds; cast while open; counts when closed
 * (V10: never before). */
static json_t *polls_row_json(store_conn *conn, const polls_row *poll, alvd_err *err)
{
    char title[1204];
    long long cast = 0;
    store_result *rows = NULL;
    if (polls_row_title(conn, poll, title, sizeof title, err) != 0 ||
        polls_count_voters(conn, poll->id, &cast, err) != 0)
        return NULL;
    if (store_query(conn, err, &rows,
                    "SELECT opened_at, closed_at, created_at, DATE_FORMAT(decided_on, '%Y-%m-%d') AS decided_on"
                    " FROM polls WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(poll->id))) != 0)
        return NULL;
    json_t *times = store_result_row_json(rows, 0);
    store_result_free(rows);
    json_t *body = json_pack("{s:I, s:I, s:I, s:I, s:s, s:b, s:s, s:I}", "id", (json_int_t)poll->id, "meeting_id",
                             (json_int_t)poll->meeting_id, "proposal_id", (json_int_t)poll->proposal_id,
                             "revision_id", (json_int_t)poll->revision_id, "title", title, "secret", poll->secret,
                             "state", poll->state, "cast", (json_int_t)cast);
    json_object_update(body, times);
    json_decref(times);
    /* A decision that is not a proposal: no proposal, no revision, its agenda item. */
    json_object_set_new(body, "kind", json_string(poll->proposal_id ? "proposal" : "decision"));
    json_object_set_new(body, "agenda_item_id", poll->agenda_item_id ? json_integer(poll->agenda_item_id) : json_null());
    if (poll->proposal_id == 0) {
        json_object_set_new(body, "proposal_id", json_null());
        json_object_set_new(body, "revision_id", json_null());
    }
    json_object_set_new(body, "revote_of", poll->revote_of ? json_integer(poll->revote_of) : json_null());
    json_object_set_new(body, "superseded_by", poll->superseded_by ? json_integer(poll->superseded_by) : json_null());
    if (strcmp(poll->state, "draft") != 0) {
        json_object_set_new(body, "eligible", json_integer(poll->eligible));
        json_object_set_new(body, "present", json_integer(poll->present));
        json_object_set_new(body, "present_hall", json_integer(poll->present - poll->present_remote));
        json_object_set_new(body, "present_remote", json_integer(poll->present_remote));
        json_object_set_new(body, "represented", json_integer(poll->represented));
        json_object_set_new(body, "rule", json_string(poll->rule));
        json_object_set_new(body, "rule_text", json_string(rules_majority_rule_words(poll->rule)));
        json_object_set_new(body, "threshold", json_integer(poll->threshold));
        char words[96];
        json_object_set_new(body, "threshold_text", json_string(polls_threshold_words(poll->rule, poll->threshold, words)));
        if (poll->literal_threshold)
            json_object_set_new(body, "literal_threshold", json_integer(poll->literal_threshold));
    }
    if (strcmp(poll->state, "closed") == 0) {
        json_object_set_new(body, "for", json_integer(poll->votes_for));
        json_object_set_new(body, "against", json_integer(poll->votes_against));
        json_object_set_new(body, "abstain", json_integer(poll->votes_abstain));
        json_object_set_new(body, "not_voted", json_integer(poll->not_voted));
        json_object_set_new(body, "adopted", json_boolean(poll->adopted));
        json_object_set_new(body, "explanation", json_string(poll->explanation));
        json_object_set_new(body, "paper", json_pack("{s:i, s:i, s:i}", "for", poll->paper_for, "against",
                                                     poll->paper_against, "abstain", poll->paper_abstain));
        if (poll->secret)
            json_object_set_new(body, "fingerprint", json_string(poll->fingerprint));
    }
    return body;
}

json_t *polls_json(store_conn *conn, long long poll_id, alvd_err *err)
{
    polls_row poll;
    if (polls_load(conn, poll_id, 0, &poll, err) != 0)
        return NULL;
    return polls_row_json(conn, &poll, err);
}

/* ---------------------------------------------------------------- create, list, get */

/* Insert a draft poll (revote_of 0 = a first poll), audit it as action with details
 * (borrowed), commit the caller's transaction and answer 201 with the poll. Returns -1
 * with err, the transaction still open, when a step fails before the commit. */
static int polls_insert_draft(http_request *request, long long meeting_id, long long proposal_id,
                              long long revision_id, long long agenda_item_id, const char *decision_title, int secret,
                              long long revote_of, const char *action, json_t *details, alvd_err *err)
{
    store_conn *conn = http_request_db(request);
    audit_actor actor = http_request_actor(request);
    if (store_execute(conn, err, NULL,
                      "INSERT INTO polls (meeting_id, proposal_id, revision_id, agenda_item_id, decision_title, secret,"
                      " state, revote_of, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, UTC_TIMESTAMP(6), ?)",
                      STORE_PARAMS(STORE_INT_PARAM(meeting_id),
                                   proposal_id ? STORE_INT_PARAM(proposal_id) : STORE_NULL_PARAM,
                                   revision_id ? STORE_INT_PARAM(revision_id) : STORE_NULL_PARAM,
                                   agenda_item_id ? STORE_INT_PARAM(agenda_item_id) : STORE_NULL_PARAM,
                                   decision_title ? STORE_TEXT_PARAM(decision_title) : STORE_NULL_PARAM,
                                   STORE_INT_PARAM(secret),
                                   revote_of ? STORE_INT_PARAM(revote_of) : STORE_NULL_PARAM,
                                   STORE_INT_PARAM(http_request_principal(request)->user_id))) != 0)
        return -1;
    long long poll_id = store_last_insert_id(conn);
    if (audit_append(conn, err, &actor, action, "poll", poll_id, details) != 0 || store_commit(conn, err) != 0)
        return -1;
    json_t *poll = polls_json(conn, poll_id, err);
    if (poll == NULL)
        http_reply_err(request, err);
    else
        http_reply_json(request, 201, poll);
    return 0;
}

/* A poll on an agenda item that is a decision but not a proposal: its title is copied,
 * so the record says what was voted on whatever the agenda says later. */
static int polls_create_decision(http_request *request, long long meeting_id, long long item_id, const char *title,
                                 int secret, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(http_request_db(request), err, &rows, "SELECT id FROM polls WHERE agenda_item_id = ? AND meeting_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(item_id), STORE_INT_PARAM(meeting_id))) != 0)
        return -1;
    if (store_result_rows(rows) > 0) {
        alvd_err_set(err, 409, "poll_exists", "agenda_item_id",
                     "Er is al een stemming over dit agendapunt (nummer %lld); gebruik zo nodig een herstemming.",
                     store_result_int(rows, 0, 0));
        store_result_free(rows);
        return -1;
    }
    store_result_free(rows);
    json_t *details = json_pack("{s:I, s:I, s:s, s:b}", "meeting_id", (json_int_t)meeting_id, "agenda_item_id",
                                (json_int_t)item_id, "title", title, "secret", secret);
    int rc = polls_insert_draft(request, meeting_id, 0, 0, item_id, title, secret, 0, "poll.create", details, err);
    json_decref(details);
    return rc;
}

void polls_create(http_request *request)
{
    static const char *const fields[] = {"proposal_id", "agenda_item_id", "secret", NULL};
    store_conn *conn = http_request_db(request);
    json_t *body = http_request_json(request);
    store_result *rows = NULL;
    meeting_info meeting;
    long long meeting_id, proposal_id = 0, item_id = 0;
    int secret = 0, by_proposal = 0, by_item = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        return;
    if (input_only(body, fields, &err) != 0 ||
        input_integer(body, "proposal_id", 0, 1, 1LL << 53, &proposal_id, &by_proposal, &err) != 0 ||
        input_integer(body, "agenda_item_id", 0, 1, 1LL << 53, &item_id, &by_item, &err) != 0 ||
        input_boolean(body, "secret", 0, &secret, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    if (by_proposal == by_item) {
        http_reply_error(request, 400, "required", "proposal_id",
                         "Kies waarover gestemd wordt: een voorstel of een agendapunt, precies één van beide.");
        return;
    }
    if (store_begin(conn, &err) != 0 ||
        store_query(conn, &err, &rows, "SELECT id FROM meetings WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1) {
        alvd_err_set(&err, 404, "not_found", NULL, "Vergadering niet gevonden.");
        goto fail;
    }
    store_result_free(rows);
    rows = NULL;
    if (meetings_load(conn, meeting_id, &meeting, &err) != 0)
        goto fail;
    if (strcmp(meeting.state, "closed") == 0) {
        alvd_err_set(&err, 409, "meeting_closed", NULL, "Deze vergadering is gesloten.");
        goto fail;
    }
    if (by_item) {
        /* An agenda item: a proposal item goes the proposal's way, a decision its own. */
        if (store_query(conn, &err, &rows,
                        "SELECT kind, proposal_id, title FROM meeting_agenda WHERE id = ? AND meeting_id = ? FOR UPDATE",
                        STORE_PARAMS(STORE_INT_PARAM(item_id), STORE_INT_PARAM(meeting_id))) != 0)
            goto fail;
        if (store_result_rows(rows) != 1) {
            alvd_err_set(&err, 422, "not_on_agenda", "agenda_item_id",
                         "Dit agendapunt staat niet op de agenda van deze vergadering.");
            goto fail;
        }
        const char *kind = store_result_text(rows, 0, 0);
        if (strcmp(kind, "item") == 0) {
            alvd_err_set(&err, 422, "not_a_decision", "agenda_item_id",
                         "Over dit agendapunt wordt niet gestemd; maak er op de agenda een besluit van.");
            goto fail;
        }
        if (strcmp(kind, "decision") == 0) {
            char title[1204];
            polls_copy(title, sizeof title, store_result_text(rows, 0, 2));
            store_result_free(rows);
            rows = NULL;
            if (polls_create_decision(request, meeting_id, item_id, title, secret, &err) != 0)
                goto fail;
            return;
        }
        proposal_id = store_result_int(rows, 0, 1);
        store_result_free(rows);
        rows = NULL;
    }
    if (store_query(conn, &err, &rows,
                    "SELECT p.state, p.current_revision_id FROM meeting_agenda a JOIN proposals p ON p.id = a.proposal_id"
                    " WHERE a.meeting_id = ? AND a.proposal_id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(proposal_id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1) {
        alvd_err_set(&err, 422, "not_on_agenda", "proposal_id",
                     "Dit voorstel staat niet op de agenda van deze vergadering.");
        goto fail;
    }
    char proposal_state[16];
    snprintf(proposal_state, sizeof proposal_state, "%s", store_result_text(rows, 0, 0));
    long long revision_id = store_result_int(rows, 0, 1);
    store_result_free(rows);
    rows = NULL;
    /* An existing poll first: its message points to the re-vote. */
    if (store_query(conn, &err, &rows, "SELECT id, state FROM polls WHERE proposal_id = ? AND meeting_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(proposal_id), STORE_INT_PARAM(meeting_id))) != 0)
        goto fail;
    if (store_result_rows(rows) > 0) {
        alvd_err_set(&err, 409, "poll_exists", "proposal_id",
                     "Er is al een stemming over dit voorstel (nummer %lld); gebruik zo nodig een herstemming.",
                     store_result_int(rows, 0, 0));
        goto fail;
    }
    store_result_free(rows);
    rows = NULL;
    if (strcmp(proposal_state, "ready") != 0) {
        alvd_err_set(&err, 422, "proposal_not_ready", "proposal_id",
                     "Over dit voorstel kan niet (meer) worden gestemd: het is niet gereed voor de ALV (status %s).",
                     proposal_state);
        goto fail;
    }
    json_t *details = json_pack("{s:I, s:I, s:b}", "meeting_id", (json_int_t)meeting_id, "proposal_id",
                                (json_int_t)proposal_id, "secret", secret);
    int rc = polls_insert_draft(request, meeting_id, proposal_id, revision_id, 0, NULL, secret, 0, "poll.create", details,
                                &err);
    json_decref(details);
    if (rc != 0)
        goto fail;
    return;
fail:
    store_rollback(conn);
    store_result_free(rows);
    http_reply_err(request, &err);
}

void polls_list(http_request *request)
{
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    meeting_info meeting;
    long long meeting_id;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        return;
    if (meetings_load_for(request, meeting_id, &meeting, &err) != 0 ||
        store_query(conn, &err, &rows, "SELECT id FROM polls WHERE meeting_id = ? ORDER BY id",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        json_t *poll = polls_json(conn, store_result_int(rows, r, 0), &err);
        if (poll == NULL) {
            json_decref(items);
            store_result_free(rows);
            http_reply_err(request, &err);
            return;
        }
        json_array_append_new(items, poll);
    }
    store_result_free(rows);
    http_reply_json(request, 200, json_pack("{s:o}", "items", items));
}

/* What the member's phone needs to know of itself: may it vote, for whom, has it. */
static int polls_member_view(store_conn *conn, const polls_row *poll, long long organisation_id, json_t **out,
                             alvd_err *err)
{
    store_result *rows = NULL;
    *out = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT e.organisation_id, e.voter_id, o.name,"
                    " (SELECT COUNT(*) FROM poll_voters v WHERE v.poll_id = e.poll_id"
                    "  AND v.organisation_id = e.organisation_id)"
                    " FROM poll_eligible e JOIN organisations o ON o.id = e.organisation_id"
                    " WHERE e.poll_id = ? AND (e.organisation_id = ? OR e.voter_id = ?) ORDER BY e.organisation_id",
                    STORE_PARAMS(STORE_INT_PARAM(poll->id), STORE_INT_PARAM(organisation_id),
                                 STORE_INT_PARAM(organisation_id))) != 0)
        return -1;
    json_t *me = json_object();
    json_t *represents = json_array();
    int eligible = 0, voted = 0;
    const char *holder_name = NULL;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        long long organisation = store_result_int(rows, r, 0), voter = store_result_int(rows, r, 1);
        int has_voted = store_result_int(rows, r, 3) > 0;
        if (organisation == organisation_id) {
            if (voter == organisation_id) {
                eligible = 1;
                voted = has_voted;
            } else {
                holder_name = store_result_text(rows, r, 2); /* overwritten below */
            }
        } else {
            json_array_append_new(represents, json_pack("{s:I, s:s, s:b}", "organisation_id", (json_int_t)organisation,
                                                        "name", store_result_text(rows, r, 2), "voted", has_voted));
        }
    }
    json_object_set_new(me, "organisation_id", json_integer(organisation_id));
    json_object_set_new(me, "eligible", json_boolean(eligible));
    json_object_set_new(me, "voted", json_boolean(voted));
    json_object_set_new(me, "represents", represents);
    if (strcmp(poll->state, "draft") != 0 && !eligible) {
        json_object_set_new(me, "reason_code", json_string(holder_name ? "represented" : "not_present_at_opening"));
        if (holder_name)
            json_object_set_new(me, "reason",
                                json_string("Bij de opening van deze stemming werd u vertegenwoordigd door een "
                                            "gevolmachtigde; die brengt uw stem uit."));
        else
            json_object_set_new(me, "reason",
                                json_string("U stond niet als aanwezig geregistreerd toen deze stemming werd geopend. "
                                            "Alleen wie toen aanwezig was (of vertegenwoordigd werd), stemt mee."));
    }
    store_result_free(rows);
    /* R2: in the snapshot, but only present members vote (a vote now would be 409). */
    long long *present = NULL;
    size_t present_count = 0;
    if (attendance_present_now(conn, poll->meeting_id, &present, &present_count, err) != 0) {
        json_decref(me);
        return -1;
    }
    int here = attendance_present_in(present, present_count, organisation_id);
    free(present);
    json_object_set_new(me, "present", json_boolean(here));
    if (strcmp(poll->state, "open") == 0 && (eligible || json_array_size(represents) > 0) && !here)
        json_object_set_new(me, "reason",
                            json_string("U staat niet meer als aanwezig geregistreerd (uitgecheckt), dus u kunt nu "
                                        "niet stemmen. Laat uw toegangsbewijs bij de ingang opnieuw scannen."));
    *out = me;
    return 0;
}

/* One poll as GET /api/polls/{id} answers it (a member also gets "me"). */
static void polls_reply_poll(http_request *request, long long poll_id)
{
    store_conn *conn = http_request_db(request);
    const auth_principal *who = http_request_principal(request);
    polls_row poll;
    alvd_err err;
    alvd_err_clear(&err);
    json_t *body = NULL, *me = NULL;
    if (polls_load_for(request, poll_id, 0, &poll, &err) != 0 || (body = polls_row_json(conn, &poll, &err)) == NULL)
        goto fail;
    if (who->kind == AUTH_KIND_MEMBER) {
        if (polls_member_view(conn, &poll, who->organisation_id, &me, &err) != 0)
            goto fail;
        json_object_set_new(body, "me", me);
    }
    if (strcmp(poll.state, "closed") == 0 && poll.adopted && !poll.superseded_by && poll.proposal_id) {
        /* What the chair's console prefills for the effective date (R3). */
        rules_day decided;
        char earliest[RULES_DATE_TEXT_SIZE];
        if (rules_date_parse(json_string_value(json_object_get(body, "decided_on")), "decided_on", &decided, &err) != 0)
            goto fail;
        json_object_set_new(body, "earliest_effective_date",
                            json_string(rules_date_format(rules_earliest_effective_date(decided), earliest)));
        store_result *rows = NULL;
        if (store_query(conn, &err, &rows,
                        "SELECT effective_from, withdrawal_deadline, version_id FROM adoptions WHERE proposal_id = ?",
                        STORE_PARAMS(STORE_INT_PARAM(poll.proposal_id))) != 0)
            goto fail;
        json_object_set_new(body, "adoption", store_result_rows(rows) ? store_result_row_json(rows, 0) : json_null());
        store_result_free(rows);
    }
    http_reply_json(request, 200, body);
    return;
fail:
    json_decref(body);
    http_reply_err(request, &err);
}

void polls_get(http_request *request)
{
    long long poll_id;
    if (http_request_param_id(request, "id", &poll_id) != 0)
        return;
    polls_reply_poll(request, poll_id);
}

/* The poll a phone shows: the open one, else the latest result that no re-vote
 * replaced; one request instead of the list and then the poll (hall Wi-Fi). */
void polls_current(http_request *request)
{
    meeting_info meeting;
    store_result *rows = NULL;
    long long meeting_id;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &meeting_id) != 0)
        return;
    if (meetings_load_for(request, meeting_id, &meeting, &err) != 0 ||
        store_query(http_request_db(request), &err, &rows,
                    "SELECT id FROM polls WHERE meeting_id = ? AND (state = 'open' OR"
                    " (state = 'closed' AND superseded_by IS NULL)) ORDER BY state = 'open' DESC, id DESC LIMIT 1",
                    STORE_PARAMS(STORE_INT_PARAM(meeting_id))) != 0) {
        http_reply_err(request, &err);
        return;
    }
    long long poll_id = store_result_rows(rows) ? store_result_int(rows, 0, 0) : 0;
    store_result_free(rows);
    if (poll_id == 0) {
        http_reply_empty(request, 204);
        return;
    }
    polls_reply_poll(request, poll_id);
}

void polls_proposal(http_request *request)
{
    store_conn *conn = http_request_db(request);
    polls_row poll;
    long long poll_id;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &poll_id) != 0)
        return;
    json_t *proposal = NULL;
    if (polls_load_for(request, poll_id, 0, &poll, &err) == 0 && poll.proposal_id == 0)
        alvd_err_set(&err, 404, "no_proposal", NULL, "Deze stemming gaat over een besluit zonder voorsteltekst.");
    if (alvd_err_is_set(&err) || (proposal = proposals_json(conn, poll.proposal_id, poll.revision_id, 0, &err)) == NULL) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, proposal);
}

/* ---------------------------------------------------------------- open */

static int polls_publish(store_conn *conn, const polls_row *poll, const char *state, long long cast, json_t *extra,
                         alvd_err *err)
{
    json_t *payload = json_pack("{s:I, s:I, s:s, s:b, s:I}", "poll_id", (json_int_t)poll->id, "proposal_id",
                                (json_int_t)poll->proposal_id, "state", state, "secret", poll->secret, "cast",
                                (json_int_t)cast);
    if (poll->proposal_id == 0) {
        json_object_set_new(payload, "proposal_id", json_null());
        json_object_set_new(payload, "agenda_item_id", json_integer(poll->agenda_item_id));
    }
    if (strcmp(state, "draft") != 0) {
        json_object_set_new(payload, "eligible", json_integer(poll->eligible));
        json_object_set_new(payload, "threshold", json_integer(poll->threshold));
    }
    if (extra)
        json_object_update(payload, extra);
    int rc = events_append(conn, poll->meeting_id, EVENTS_KIND_POLL, payload, err);
    json_decref(payload);
    return rc;
}

void polls_open(http_request *request)
{
    store_conn *conn = http_request_db(request);
    const char *data_dir = http_request_app(request)->config.data_dir;
    int box_made = 0, committing = 0;
    store_result *rows = NULL;
    attendance_snapshot snapshot = {0};
    meeting_info meeting;
    polls_row poll;
    long long poll_id;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &poll_id) != 0)
        return;
    audit_actor actor = http_request_actor(request);
    /* The meeting row first (lock order), then the poll. */
    if (polls_load(conn, poll_id, 0, &poll, &err) != 0 || store_begin(conn, &err) != 0 ||
        store_query(conn, &err, &rows, "SELECT id FROM meetings WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(poll.meeting_id))) != 0)
        goto fail;
    store_result_free(rows);
    rows = NULL;
    if (meetings_load(conn, poll.meeting_id, &meeting, &err) != 0 || polls_load(conn, poll_id, 1, &poll, &err) != 0)
        goto fail;
    if (strcmp(poll.state, "open") == 0) {
        alvd_err_set(&err, 409, "poll_open", NULL, "Deze stemming is al geopend.");
        goto fail;
    }
    if (strcmp(poll.state, "closed") == 0) {
        alvd_err_set(&err, 409, "poll_closed", NULL, "Deze stemming is al gesloten.");
        goto fail;
    }
    if (strcmp(meeting.state, "open") != 0) {
        alvd_err_set(&err, 409, "meeting_not_open", NULL,
                     "Open eerst de vergadering; een stemming kan alleen tijdens de vergadering.");
        goto fail;
    }
    if (poll.proposal_id) {
        if (store_query(conn, &err, &rows, "SELECT state FROM proposals WHERE id = ?",
                        STORE_PARAMS(STORE_INT_PARAM(poll.proposal_id))) != 0)
            goto fail;
        if (!poll.revote_of && strcmp(store_result_text(rows, 0, 0), "ready") != 0) {
            alvd_err_set(&err, 409, "proposal_not_ready", NULL,
                         "Over dit voorstel kan niet meer worden gestemd (status %s).", store_result_text(rows, 0, 0));
            goto fail;
        }
    } else {
        /* A decision with its own majority rule on the agenda: that rule, else the meeting's. */
        if (store_query(conn, &err, &rows, "SELECT majority_rule FROM meeting_agenda WHERE id = ?",
                        STORE_PARAMS(STORE_INT_PARAM(poll.agenda_item_id))) != 0)
            goto fail;
        if (store_result_rows(rows) == 1 && !store_result_is_null(rows, 0, 0))
            polls_copy(meeting.majority_rule, sizeof meeting.majority_rule, store_result_text(rows, 0, 0));
    }
    store_result_free(rows);
    rows = NULL;
    rules_majority_rule rule;
    if (rules_majority_rule_parse(meeting.majority_rule, &rule, &err) != 0)
        goto fail;
    /* Every member row, in id order: no check-in or check-out can commit between the
     * snapshot and the opening (they lock their member row first). */
    if (store_query(conn, &err, &rows,
                    "SELECT organisation_id FROM meeting_members WHERE meeting_id = ? ORDER BY organisation_id FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(poll.meeting_id))) != 0)
        goto fail;
    store_result_free(rows);
    rows = NULL;
    /* A remote page silent past the meeting's limit is no longer present (BW 2:38a:
     * the member must follow the meeting): checked out before P is fixed. */
    if (remote_sweep_locked(conn, http_request_app(request), poll.meeting_id, &err) != 0 ||
        attendance_snapshot_at(conn, poll.meeting_id, NULL, &snapshot, &err) != 0)
        goto fail;
    for (size_t i = 0; i < snapshot.count; i++) {
        const attendance_member *member = &snapshot.members[i];
        long long voter = member->inside ? member->organisation_id : member->represented_by;
        if (voter == 0)
            continue;
        if (store_execute(conn, &err, NULL, "INSERT INTO poll_eligible (poll_id, organisation_id, voter_id) VALUES (?, ?, ?)",
                          STORE_PARAMS(STORE_INT_PARAM(poll_id), STORE_INT_PARAM(member->organisation_id),
                                       STORE_INT_PARAM(voter))) != 0)
            goto fail;
    }
    if (poll.secret) {
        /* The poll's own key: its secret half goes to keys/polls/ (on disk before this
         * commits), only the public half into the database. */
        unsigned char box_public_key[BALLOT_BOX_KEY_BYTES];
        if (ballot_box_create(data_dir, poll_id, box_public_key, &err) != 0)
            goto fail;
        box_made = 1;
        if (store_execute(conn, &err, NULL, "UPDATE polls SET box_public_key = ? WHERE id = ?",
                          STORE_PARAMS(STORE_BLOB_PARAM(box_public_key, sizeof box_public_key),
                                       STORE_INT_PARAM(poll_id))) != 0)
            goto fail;
    }
    int present = (int)snapshot.eligible;
    char opened_at[CLOCK_SQL_SIZE];
    int threshold = rules_majority_threshold(rule, present, 0);
    int literal = rules_majority_threshold(RULES_MAJORITY_LITERAL_HALF_PLUS_ONE, present, 0);
    int show_literal = rule != RULES_MAJORITY_OF_VOTES_CAST && literal != threshold;
    if (store_execute(conn, &err, NULL,
                      "UPDATE polls SET state = 'open', majority_rule = ?, eligible = ?, present = ?, present_remote = ?,"
                      " represented = ?,"
                      " threshold = ?, literal_threshold = ?, opened_at = ? WHERE id = ?",
                      STORE_PARAMS(STORE_TEXT_PARAM(meeting.majority_rule), STORE_INT_PARAM(present),
                                   STORE_INT_PARAM(snapshot.present), STORE_INT_PARAM(snapshot.present_remote),
                                   STORE_INT_PARAM(snapshot.represented),
                                   STORE_INT_PARAM(threshold), show_literal ? STORE_INT_PARAM(literal) : STORE_NULL_PARAM,
                                   STORE_TEXT_PARAM(clock_sql_now(&http_request_app(request)->config, opened_at)),
                                   STORE_INT_PARAM(poll_id))) != 0 ||
        polls_load(conn, poll_id, 0, &poll, &err) != 0 || polls_publish(conn, &poll, "open", 0, NULL, &err) != 0)
        goto fail;
    json_t *details = json_pack("{s:i, s:I, s:I, s:I, s:i, s:s, s:b}", "eligible", present, "present",
                                (json_int_t)snapshot.present, "present_remote", (json_int_t)snapshot.present_remote,
                                "represented", (json_int_t)snapshot.represented, "threshold", threshold, "rule",
                                meeting.majority_rule, "secret", poll.secret);
    int rc = audit_append(conn, &err, &actor, "poll.open", "poll", poll_id, details);
    json_decref(details);
    if (rc != 0)
        goto fail;
    committing = 1; /* from here a failure may still have committed: keep the key */
    if (store_commit(conn, &err) != 0)
        goto fail;
    json_t *body = json_pack("{s:I, s:s, s:i, s:i, s:s, s:s, s:I, s:I, s:b}", "id", (json_int_t)poll_id, "state",
                             "open", "eligible", present, "threshold", threshold, "rule", meeting.majority_rule,
                             "rule_text", rules_majority_rule_words(meeting.majority_rule), "present",
                             (json_int_t)snapshot.present, "represented", (json_int_t)snapshot.represented, "secret",
                             poll.secret);
    json_object_set_new(body, "present_hall", json_integer(snapshot.present - snapshot.present_remote));
    json_object_set_new(body, "present_remote", json_integer(snapshot.present_remote));
    attendance_snapshot_free(&snapshot);
    if (show_literal)
        json_object_set_new(body, "literal_threshold", json_integer(literal));
    char words[96];
    json_object_set_new(body, "threshold_text", json_string(polls_threshold_words(meeting.majority_rule, threshold, words)));
    http_reply_json(request, 200, body);
    return;
fail:
    store_rollback(conn);
    if (box_made && !committing)
        ballot_box_destroy(data_dir, poll_id);
    store_result_free(rows);
    attendance_snapshot_free(&snapshot);
    http_reply_err(request, &err);
}

/* ---------------------------------------------------------------- votes (group commit) */

typedef struct polls_vote_context {
    unsigned char key[BALLOT_KEY_BYTES];
} polls_vote_context;

/* On the HTTP thread: hand over at once. The route is ROUTE_BATCH_AUTH, so the writer
 * authenticates every waiting vote in one go and only then checks the body (a caller
 * without the role learns nothing from validation errors). No log line here or in the
 * batch names a member, session or ballot (V11). */
void polls_vote(http_request *request)
{
    http_batcher *batcher = http_request_app(request)->vote_batcher;
    if (batcher == NULL) {
        http_reply_error(request, 503, "unavailable", NULL, "Stemmen is nu niet mogelijk; probeer het zo opnieuw.");
        return;
    }
    http_request_defer(request, batcher);
}

/* The body of an authenticated vote: 0, or -1 with err (400/422 naming the field). */
static int polls_vote_validate(http_request *request, alvd_err *err)
{
    static const char *const fields[] = {"choice", "ballot_id", "on_behalf_of", NULL};
    static const char *const choices[] = {"for", "against", "abstain", NULL};
    json_t *body = http_request_json(request);
    const char *choice, *ballot_id;
    long long on_behalf_of = 0;
    if (input_only(body, fields, err) != 0 || input_choice(body, "choice", 1, choices, &choice, err) != 0 ||
        input_string(body, "ballot_id", 1, BALLOT_ID_MAX, &ballot_id, err) != 0 ||
        input_integer(body, "on_behalf_of", 0, 1, 1LL << 53, &on_behalf_of, NULL, err) != 0)
        return -1;
    if (!ballot_id_valid(ballot_id))
        return alvd_err_set(err, 400, "bad_ballot_id", "ballot_id",
                            "De stem-id moet 16 tot 64 tekens zijn (letters, cijfers, - of _), bijvoorbeeld een UUID.");
    return 0;
}

/* A member's row of the poll's snapshot or register, kept sorted by organisation. */
typedef struct polls_batch_member {
    long long organisation_id;
    long long voter_id;                      /* snapshot: who casts this member's vote */
    int paper;                               /* register: voted on paper */
    int has_hash;
    unsigned char hash[BALLOT_HASH_BYTES];   /* register: keyed hash of the ballot_id */
} polls_batch_member;

typedef struct polls_batch_poll {
    long long id;
    long long meeting_id;
    long long proposal_id;         /* for the live event */
    int present, threshold;        /* P and the threshold stored at open */
    int found, open, draft, secret;
    int boxed;                     /* seal its ballots to box_public_key */
    unsigned char box_public_key[BALLOT_BOX_KEY_BYTES];
    int sealing;                   /* sealer started for this batch */
    ballot_box_sealer sealer;      /* one key agreement per poll and batch */
    long long added;
    long long cast;                /* register size after the batch */
    polls_batch_member *eligible;  /* the snapshot stored at open */
    size_t eligible_count;
    polls_batch_member *voted;     /* the register before the batch */
    size_t voted_count;
    long long *present_now;        /* members present now (R2), sorted: read once per batch */
    size_t present_now_count;
    json_t *votes;                 /* open polls: [{organisation_id, choice}] for the audit entry */
} polls_batch_poll;

typedef struct polls_vote_outcome {
    int status;
    const char *code;
    const char *message;
    char tracker[BALLOT_TRACKER_TEXT_SIZE];
} polls_vote_outcome;

/* A vote the batch will write: the register row and the ballot. leader >= 0 marks a
 * retry of a vote earlier in the same batch (same member, same ballot_id). */
typedef struct polls_batch_vote {
    size_t request;
    polls_batch_poll *poll;
    long long organisation_id;
    long long cast_by;
    const char *choice;
    unsigned char hash[BALLOT_HASH_BYTES];
    unsigned char tracker[BALLOT_TRACKER_BYTES];
    long long leader;
    int inserted;
} polls_batch_vote;

static int polls_batch_poll_compare(const void *left, const void *right)
{
    long long a = ((const polls_batch_poll *)left)->id, b = ((const polls_batch_poll *)right)->id;
    return (a > b) - (a < b);
}

static int polls_batch_member_compare(const void *left, const void *right)
{
    long long a = ((const polls_batch_member *)left)->organisation_id;
    long long b = ((const polls_batch_member *)right)->organisation_id;
    return (a > b) - (a < b);
}

static polls_batch_poll *polls_batch_find(polls_batch_poll *polls, size_t count, long long id)
{
    polls_batch_poll key = {.id = id};
    return bsearch(&key, polls, count, sizeof key, polls_batch_poll_compare);
}

static polls_batch_member *polls_batch_member_find(polls_batch_member *members, size_t count, long long id)
{
    polls_batch_member key = {.organisation_id = id};
    return count ? bsearch(&key, members, count, sizeof key, polls_batch_member_compare) : NULL;
}

static void polls_outcome(polls_vote_outcome *out, int status, const char *code, const char *message)
{
    out->status = status;
    out->code = code;
    out->message = message;
}

/* The snapshot (eligible) or the register (voted) of a poll as a sorted array. */
static int polls_batch_load_members(store_conn *conn, long long poll_id, int register_rows,
                                    polls_batch_member **out, size_t *count, alvd_err *err)
{
    store_result *rows = NULL;
    *out = NULL;
    *count = 0;
    if (store_query(conn, err, &rows,
                    register_rows ? "SELECT organisation_id, channel = 'paper', ballot_hash FROM poll_voters WHERE poll_id = ?"
                                  : "SELECT organisation_id, voter_id FROM poll_eligible WHERE poll_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(poll_id))) != 0)
        return -1;
    size_t n = store_result_rows(rows);
    *out = calloc(n ? n : 1, sizeof **out);
    if (*out == NULL) {
        store_result_free(rows);
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    }
    for (size_t r = 0; r < n; r++) {
        polls_batch_member *member = &(*out)[r];
        member->organisation_id = store_result_int(rows, r, 0);
        if (!register_rows) {
            member->voter_id = store_result_int(rows, r, 1);
            continue;
        }
        member->paper = (int)store_result_int(rows, r, 1);
        member->has_hash = store_result_length(rows, r, 2) == BALLOT_HASH_BYTES;
        if (member->has_hash)
            memcpy(member->hash, store_result_text(rows, r, 2), BALLOT_HASH_BYTES);
    }
    store_result_free(rows);
    *count = n;
    qsort(*out, n, sizeof **out, polls_batch_member_compare);
    return 0;
}

/* Decide one vote against the poll's snapshot and register, in memory. Accepted votes
 * are appended to votes (*vote_count); everything else gets its outcome now. */
static void polls_batch_decide(const polls_vote_context *context, http_request *request, size_t index,
                               polls_batch_poll *poll, polls_batch_vote *votes, size_t *vote_count,
                               polls_vote_outcome *out)
{
    const auth_principal *who = http_request_principal(request);
    json_t *body = http_request_json(request);
    const char *choice = json_string_value(json_object_get(body, "choice"));
    const char *ballot_id = json_string_value(json_object_get(body, "ballot_id"));
    json_t *behalf = json_object_get(body, "on_behalf_of");
    long long organisation_id = behalf ? (long long)json_integer_value(behalf) : who->organisation_id;
    if (poll == NULL || !poll->found || poll->meeting_id != who->meeting_id) {
        polls_outcome(out, 404, "not_found", "Deze stemming bestaat niet.");
        return;
    }
    if (!poll->open) {
        polls_outcome(out, 409, poll->draft ? "poll_not_open" : "poll_closed",
                      poll->draft ? "Deze stemming is nog niet geopend."
                                  : "Deze stemming is gesloten; uw stem is niet meer meegeteld.");
        return;
    }
    polls_batch_member *eligible = polls_batch_member_find(poll->eligible, poll->eligible_count, organisation_id);
    long long voter = eligible ? eligible->voter_id : 0;
    if (voter != who->organisation_id) {
        if (behalf && organisation_id != who->organisation_id)
            polls_outcome(out, 403, "not_proxy_holder",
                          "U heeft voor deze stemming geen geldige volmacht van dit lid: de volmacht telde niet mee "
                          "toen de stemming werd geopend.");
        else if (voter != 0)
            polls_outcome(out, 403, "represented_by_proxy",
                          "Bij de opening van deze stemming werd u vertegenwoordigd door een gevolmachtigde; "
                          "die brengt uw stem uit.");
        else
            polls_outcome(out, 403, "not_eligible",
                          "U stond niet als aanwezig geregistreerd toen deze stemming werd geopend. Alleen wie "
                          "toen aanwezig was (of vertegenwoordigd werd), stemt mee.");
        return;
    }
    polls_batch_vote *vote = &votes[*vote_count];
    memset(vote, 0, sizeof *vote);
    ballot_register_hash(context->key, ballot_id, vote->hash);
    ballot_tracker(context->key, poll->id, ballot_id, vote->tracker);
    polls_batch_member *voted = polls_batch_member_find(poll->voted, poll->voted_count, organisation_id);
    if (voted) {
        if (!voted->paper && voted->has_hash && sodium_memcmp(voted->hash, vote->hash, BALLOT_HASH_BYTES) == 0) {
            ballot_hex(vote->tracker, sizeof vote->tracker, out->tracker);
            polls_outcome(out, 200, NULL, NULL); /* the same ballot again: the same receipt */
        } else {
            polls_outcome(out, 409, "already_voted",
                          voted->paper ? "Voor dit lid is al op papier gestemd; een tweede stem telt niet."
                                       : "Voor dit lid is al gestemd; een tweede stem telt niet.");
        }
        return;
    }
    /* R2: P stays the snapshot, but a member who has left (or a proxy holder who has)
     * does not vote; the member keeps counting in P as "not for". */
    if (!attendance_present_in(poll->present_now, poll->present_now_count, who->organisation_id)) {
        polls_outcome(out, 409, "not_present",
                      organisation_id != who->organisation_id
                          ? "U staat niet meer als aanwezig geregistreerd (uitgecheckt), dus u kunt nu ook niet "
                            "stemmen voor het lid dat u vertegenwoordigt. Laat uw toegangsbewijs bij de ingang "
                            "opnieuw scannen (of neem opnieuw op afstand deel) en stem dan."
                          : "U staat niet meer als aanwezig geregistreerd (uitgecheckt), dus u kunt nu niet stemmen. "
                            "Laat uw toegangsbewijs bij de ingang opnieuw scannen (of neem opnieuw op afstand deel) "
                            "en stem dan; tot die tijd telt u mee als niet voor.");
        return;
    }
    vote->request = index;
    vote->poll = poll;
    vote->organisation_id = organisation_id;
    vote->cast_by = who->organisation_id;
    vote->choice = choice;
    vote->leader = -1;
    /* The same member earlier in this batch: a retry (same ballot) or a second ballot. */
    for (size_t earlier = 0; earlier < *vote_count; earlier++) {
        if (votes[earlier].poll != poll || votes[earlier].organisation_id != organisation_id ||
            votes[earlier].leader >= 0)
            continue;
        if (sodium_memcmp(votes[earlier].hash, vote->hash, BALLOT_HASH_BYTES) != 0) {
            polls_outcome(out, 409, "already_voted", "Voor dit lid is al gestemd; een tweede stem telt niet.");
            return;
        }
        vote->leader = (long long)earlier;
        break;
    }
    (*vote_count)++;
}

typedef void (*polls_row_params_fn)(const polls_batch_vote *vote, store_param *params);

/* *affected (may be NULL) gets the rows the INSERTs really wrote. */
static int polls_insert_rows(store_conn *conn, const char *head, const char *row_sql, size_t columns,
                             polls_batch_vote **rows, size_t count, polls_row_params_fn fill, long long *affected,
                             alvd_err *err)
{
    store_param *params = calloc(STORE_CHUNK_MAX * columns, sizeof *params);
    alvd_buf sql;
    int rc = -1;
    if (params == NULL)
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    if (affected)
        *affected = 0;
    buf_init(&sql, 64 * 1024);
    for (size_t done = 0; done < count;) {
        long long written = 0;
        size_t chunk = store_chunk_size(count - done);
        sql.length = 0;
        buf_append_str(&sql, head);
        buf_append_str(&sql, " ");
        store_append_repeated(&sql, row_sql, chunk);
        for (size_t r = 0; r < chunk; r++)
            fill(rows[done + r], &params[r * columns]);
        if (sql.overflowed || store_execute(conn, err, &written, sql.data, params, chunk * columns) != 0)
            goto done;
        if (affected)
            *affected += written;
        done += chunk;
    }
    rc = 0;
done:
    buf_free(&sql);
    free(params);
    return rc;
}

static void polls_voter_row(const polls_batch_vote *vote, store_param *params)
{
    params[0] = STORE_INT_PARAM(vote->poll->id);
    params[1] = STORE_INT_PARAM(vote->organisation_id);
    params[2] = STORE_BLOB_PARAM(vote->hash, BALLOT_HASH_BYTES);
}

/* The ballot's own id is random (V1). It lives beside the vote in its slot (the vote is
 * the slot's first member, so a vote pointer is a slot pointer), which keeps the
 * borrowed parameters alive until the statement has run. */
typedef struct polls_ballot_slot {
    polls_batch_vote vote;
    unsigned char id[BALLOT_BOX_ROW_ID_BYTES];
    unsigned char sealed[BALLOT_BOX_SEALED_BYTES]; /* a secret poll's ballot, sealed */
} polls_ballot_slot;

static void polls_ballot_row(const polls_batch_vote *vote, store_param *params)
{
    const polls_ballot_slot *slot = (const polls_ballot_slot *)(const void *)vote;
    params[0] = STORE_BLOB_PARAM(slot->id, sizeof slot->id);
    params[1] = STORE_INT_PARAM(vote->poll->id);
    params[2] = STORE_TEXT_PARAM(vote->choice);
    params[3] = STORE_BLOB_PARAM(vote->tracker, BALLOT_TRACKER_BYTES);
}

static void polls_sealed_row(const polls_batch_vote *vote, store_param *params)
{
    const polls_ballot_slot *slot = (const polls_ballot_slot *)(const void *)vote;
    params[0] = STORE_BLOB_PARAM(slot->id, sizeof slot->id);
    params[1] = STORE_INT_PARAM(vote->poll->id);
    params[2] = STORE_BLOB_PARAM(slot->sealed, sizeof slot->sealed);
}

static int polls_choice_index(const char *choice)
{
    return strcmp(choice, "for") == 0 ? 0 : strcmp(choice, "against") == 0 ? 1 : 2;
}

/* Seal one accepted ballot of a secret poll (choice and tracker) into its slot; the
 * batch's first ballot of the poll starts the poll's sealer. */
static int polls_seal_ballot(polls_ballot_slot *slot, alvd_err *err)
{
    polls_batch_poll *poll = slot->vote.poll;
    if (!poll->sealing) {
        if (ballot_box_sealer_start(&poll->sealer, poll->box_public_key) != 0)
            return alvd_err_set(err, 500, "poll_key_damaged", NULL, "De sleutel van deze geheime stemming is onbruikbaar.");
        poll->sealing = 1;
    }
    ballot_box_content content = {.choice = polls_choice_index(slot->vote.choice)};
    memcpy(content.tracker, slot->vote.tracker, BALLOT_TRACKER_BYTES);
    ballot_box_seal(&poll->sealer, poll->id, slot->id, &content, slot->sealed);
    sodium_memzero(&content, sizeof content);
    return 0;
}

static void polls_open_vote_row(const polls_batch_vote *vote, store_param *params)
{
    params[0] = STORE_INT_PARAM(vote->poll->id);
    params[1] = STORE_INT_PARAM(vote->organisation_id);
    params[2] = STORE_TEXT_PARAM(vote->choice);
    params[3] = STORE_INT_PARAM(vote->cast_by);
}

/* Write the accepted votes of one batch: register rows (INSERT IGNORE: a ballot_id
 * used before, in any poll, is refused by its unique hash) — only when a row was
 * ignored is the register read back to see which went in — then their ballots: sealed
 * for a secret poll (nothing readable of the choice or tracker until close), plain with
 * the named votes for an open poll. */
static int polls_batch_write(store_conn *conn, polls_batch_poll *polls, size_t poll_count, polls_ballot_slot *slots,
                             size_t vote_count, alvd_err *err)
{
    polls_batch_vote **rows = calloc(vote_count ? vote_count : 1, sizeof *rows);
    polls_batch_vote **open_rows = calloc(vote_count ? vote_count : 1, sizeof *open_rows);
    polls_batch_vote **sealed_rows = calloc(vote_count ? vote_count : 1, sizeof *sealed_rows);
    int rc = -1;
    if (rows == NULL || open_rows == NULL || sealed_rows == NULL) {
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        goto done;
    }
    size_t leaders = 0;
    for (size_t i = 0; i < vote_count; i++)
        if (slots[i].vote.leader < 0)
            rows[leaders++] = &slots[i].vote;
    long long written = 0;
    if (polls_insert_rows(conn, "INSERT IGNORE INTO poll_voters (poll_id, organisation_id, channel, ballot_hash) VALUES",
                          "(?, ?, 'phone', ?)", 3, rows, leaders, polls_voter_row, &written, err) != 0)
        goto done;
    for (size_t p = 0; p < poll_count; p++)
        polls[p].cast = (long long)polls[p].voted_count;
    if (written == (long long)leaders) {
        /* Nothing ignored: every leader is in the register now. */
        for (size_t i = 0; i < leaders; i++) {
            rows[i]->inserted = 1;
            rows[i]->poll->cast++;
        }
    } else {
        for (size_t p = 0; p < poll_count; p++) {
            polls_batch_member *after = NULL;
            size_t after_count = 0;
            if (!polls[p].open)
                continue;
            if (polls_batch_load_members(conn, polls[p].id, 1, &after, &after_count, err) != 0)
                goto done;
            for (size_t i = 0; i < leaders; i++) {
                if (rows[i]->poll != &polls[p])
                    continue;
                polls_batch_member *row = polls_batch_member_find(after, after_count, rows[i]->organisation_id);
                rows[i]->inserted = row && !row->paper && row->has_hash &&
                                    memcmp(row->hash, rows[i]->hash, BALLOT_HASH_BYTES) == 0;
            }
            polls[p].cast = (long long)after_count;
            free(after);
        }
    }
    size_t inserted = 0, named = 0, sealed = 0;
    for (size_t i = 0; i < leaders; i++) {
        if (!rows[i]->inserted)
            continue;
        polls_ballot_slot *slot = (polls_ballot_slot *)(void *)rows[i];
        randombytes_buf(slot->id, sizeof slot->id);
        rows[i]->poll->added++;
        if (rows[i]->poll->boxed) {
            if (polls_seal_ballot(slot, err) != 0)
                goto done;
            sealed_rows[sealed++] = rows[i];
            continue;
        }
        rows[inserted++] = rows[i];
        if (!rows[i]->poll->secret) {
            open_rows[named++] = rows[i];
            json_array_append_new(rows[i]->poll->votes,
                                  json_pack("{s:I, s:s}", "organisation_id", (json_int_t)rows[i]->organisation_id,
                                            "choice", rows[i]->choice));
        }
    }
    if (polls_insert_rows(conn, "INSERT INTO ballots (id, poll_id, choice, tracker) VALUES", "(?, ?, ?, ?)", 4, rows,
                          inserted, polls_ballot_row, NULL, err) != 0 ||
        polls_insert_rows(conn, "INSERT INTO sealed_ballots (id, poll_id, sealed) VALUES", "(?, ?, ?)", 3,
                          sealed_rows, sealed, polls_sealed_row, NULL, err) != 0 ||
        polls_insert_rows(conn, "INSERT INTO open_votes (poll_id, organisation_id, choice, channel, cast_by) VALUES",
                          "(?, ?, ?, 'phone', ?)", 4, open_rows, named, polls_open_vote_row, NULL, err) != 0)
        goto done;
    rc = 0;
done:
    free(rows);
    free(open_rows);
    free(sealed_rows);
    return rc;
}

static void polls_batch_reset(polls_batch_poll *poll)
{
    ballot_box_sealer_wipe(&poll->sealer);
    json_decref(poll->votes);
    free(poll->eligible);
    free(poll->voted);
    free(poll->present_now);
    long long id = poll->id;
    memset(poll, 0, sizeof *poll);
    poll->id = id;
}

/* One attempt at a batch of votes in one transaction (retried a few times on a
 * conflict). With quiet set, a batch that still fails with a 503 answers nothing but
 * the requests refused before the transaction, and returns -1: the caller splits it. */
static int polls_vote_batch_once(http_request **requests, size_t count, store_conn *conn, void *context_pointer,
                                 int quiet)
{
    int quiet_failure = 0;
    const polls_vote_context *context = context_pointer;
    polls_vote_outcome *outcomes = calloc(count, sizeof *outcomes);
    polls_batch_poll *polls = calloc(count, sizeof *polls);
    polls_ballot_slot *slots = calloc(count, sizeof *slots);
    polls_batch_vote *decided = calloc(count, sizeof *decided);
    long long *request_poll = calloc(count, sizeof *request_poll);
    audit_actor ballot_box = {"system", 0, "stembus"};
    size_t poll_count = 0, vote_count = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (outcomes == NULL || polls == NULL || slots == NULL || decided == NULL || request_poll == NULL) {
        alvd_err_set(&err, 500, "out_of_memory", NULL, "Geen geheugen.");
        goto answer_error;
    }
    for (size_t i = 0; i < count; i++) {
        alvd_err invalid;
        alvd_err_clear(&invalid);
        if (input_id_text(http_request_param(requests[i], "id"), &request_poll[i]) != 0) {
            request_poll[i] = 0;
            polls_outcome(&outcomes[i], 404, "not_found", "Deze stemming bestaat niet.");
        } else if (polls_vote_validate(requests[i], &invalid) != 0) {
            /* The message lives in the request's reply from here on. */
            http_reply_err(requests[i], &invalid);
            request_poll[i] = 0;
        }
        if (request_poll[i] == 0)
            continue;
        int known = 0;
        for (size_t p = 0; p < poll_count && !known; p++)
            known = polls[p].id == request_poll[i];
        if (!known)
            polls[poll_count++].id = request_poll[i];
    }
    qsort(polls, poll_count, sizeof *polls, polls_batch_poll_compare);
    int committed = 0;
    for (int attempt = 0; attempt < POLLS_BATCH_ATTEMPTS && !committed; attempt++) {
        alvd_err_clear(&err);
        if (store_begin(conn, &err) != 0)
            break;
        int failed = 0;
        /* Lock every poll of the batch once, in id order: a close or a paper entry waits
         * for this batch, or this batch sees the poll closed. Under that lock the
         * snapshot and the register cannot change, so they are read once. */
        for (size_t p = 0; p < poll_count && !failed; p++) {
            store_result *rows = NULL;
            polls_batch_reset(&polls[p]);
            polls[p].votes = json_array();
            if (store_query(conn, &err, &rows,
                            "SELECT meeting_id, state, secret, proposal_id, eligible, threshold, box_public_key"
                            " FROM polls WHERE id = ? FOR UPDATE",
                            STORE_PARAMS(STORE_INT_PARAM(polls[p].id))) != 0) {
                failed = 1;
                break;
            }
            if (store_result_rows(rows) == 1) {
                polls[p].found = 1;
                polls[p].meeting_id = store_result_int(rows, 0, 0);
                polls[p].open = strcmp(store_result_text(rows, 0, 1), "open") == 0;
                polls[p].draft = strcmp(store_result_text(rows, 0, 1), "draft") == 0;
                polls[p].secret = (int)store_result_int(rows, 0, 2);
                polls[p].proposal_id = store_result_int(rows, 0, 3);
                polls[p].present = (int)store_result_int(rows, 0, 4);
                polls[p].threshold = (int)store_result_int(rows, 0, 5);
                /* A secret poll opened before the ballot box existed has no key: it goes
                 * on as it started (plain rows) and is counted at close all the same. */
                polls[p].boxed = polls[p].secret && store_result_length(rows, 0, 6) == BALLOT_BOX_KEY_BYTES;
                if (polls[p].boxed)
                    memcpy(polls[p].box_public_key, store_result_text(rows, 0, 6), BALLOT_BOX_KEY_BYTES);
            }
            store_result_free(rows);
            if (polls[p].open &&
                (polls_batch_load_members(conn, polls[p].id, 0, &polls[p].eligible, &polls[p].eligible_count, &err) != 0 ||
                 polls_batch_load_members(conn, polls[p].id, 1, &polls[p].voted, &polls[p].voted_count, &err) != 0 ||
                 attendance_present_now(conn, polls[p].meeting_id, &polls[p].present_now,
                                        &polls[p].present_now_count, &err) != 0))
                failed = 1;
        }
        vote_count = 0;
        for (size_t i = 0; i < count && !failed; i++) {
            if (request_poll[i] == 0)
                continue; /* refused before the transaction (bad id or body) */
            memset(&outcomes[i], 0, sizeof outcomes[i]);
            polls_batch_decide(context, requests[i], i, polls_batch_find(polls, poll_count, request_poll[i]), decided,
                               &vote_count, &outcomes[i]);
        }
        for (size_t v = 0; v < vote_count; v++)
            slots[v].vote = decided[v];
        if (!failed && polls_batch_write(conn, polls, poll_count, slots, vote_count, &err) != 0)
            failed = 1;
        /* One live event and one audit entry per poll and batch, with counts only for a
         * secret poll (no per-vote row that could be ordered against the register). */
        for (size_t p = 0; p < poll_count && !failed; p++) {
            if (polls[p].added == 0)
                continue;
            polls_row row = {.id = polls[p].id, .meeting_id = polls[p].meeting_id, .secret = polls[p].secret,
                             .proposal_id = polls[p].proposal_id, .eligible = polls[p].present,
                             .threshold = polls[p].threshold};
            json_t *details = json_pack("{s:I, s:I}", "added", (json_int_t)polls[p].added, "cast", (json_int_t)polls[p].cast);
            if (!polls[p].secret)
                json_object_set(details, "votes", polls[p].votes);
            int rc = polls_publish(conn, &row, "open", polls[p].cast, NULL, &err);
            if (rc == 0)
                rc = audit_append(conn, &err, &ballot_box, "poll.votes", "poll", polls[p].id, details);
            json_decref(details);
            if (rc != 0)
                failed = 1;
        }
        if (!failed && store_commit(conn, &err) == 0) {
            committed = 1;
            break;
        }
        store_rollback(conn);
        if (!(err.status == 503 && strcmp(err.code, "retry") == 0))
            break;
        if (attempt + 1 < POLLS_BATCH_ATTEMPTS)
            store_retry_pause(conn, (unsigned)attempt);
    }
    if (!committed && quiet && err.status == 503) {
        quiet_failure = 1;
        goto done;
    }
    if (!committed)
        goto answer_error;
    /* Accepted votes: 201 when written, 200 for a retry of one written in this batch,
     * 409 when the ballot_id had been used before. */
    for (size_t v = 0; v < vote_count; v++) {
        const polls_batch_vote *vote = &slots[v].vote;
        const polls_batch_vote *leader = vote->leader >= 0 ? &slots[vote->leader].vote : vote;
        polls_vote_outcome *out = &outcomes[vote->request];
        if (leader->inserted) {
            ballot_hex(vote->tracker, sizeof vote->tracker, out->tracker);
            polls_outcome(out, vote->leader >= 0 ? 200 : 201, NULL, NULL);
        } else {
            polls_outcome(out, 409, "ballot_reused", "Deze stem-id is al eens gebruikt; vernieuw de pagina en stem opnieuw.");
        }
    }
    for (size_t i = 0; i < count; i++) {
        if (outcomes[i].status == 0)
            continue; /* answered already: a body that did not pass validation */
        if (outcomes[i].status == 200 || outcomes[i].status == 201)
            http_reply_json(requests[i], outcomes[i].status, json_pack("{s:s}", "tracker", outcomes[i].tracker));
        else
            http_reply_error(requests[i], outcomes[i].status, outcomes[i].code, NULL, "%s", outcomes[i].message);
    }
    goto done;
answer_error:
    log_warn("vote batch of %zu failed: %s", count, err.message);
    for (size_t i = 0; i < count; i++)
        http_reply_err(requests[i], &err);
done:
    if (polls)
        for (size_t p = 0; p < poll_count; p++)
            polls_batch_reset(&polls[p]);
    free(polls);
    free(outcomes);
    free(slots);
    free(decided);
    free(request_poll);
    return quiet_failure ? -1 : 0;
}

/* A batch the database refused (conflicts past the retries, a node going away) is
 * split in halves, each tried on its own, down to single votes: one hot poll or one
 * broken session does not fail every vote that happened to share its batch. */
static void polls_vote_batch(http_request **requests, size_t count, store_conn *conn, void *context_pointer)
{
    if (count == 0)
        return;
    if (polls_vote_batch_once(requests, count, conn, context_pointer, count > 1) == 0)
        return;
    http_request **left = calloc(count, sizeof *left);
    size_t waiting = 0;
    for (size_t i = 0; i < count; i++)
        if (!http_request_replied(requests[i])) {
            if (left)
                left[waiting] = requests[i];
            waiting++;
        }
    if (left == NULL) {
        alvd_err err;
        alvd_err_set(&err, 500, "out_of_memory", NULL, "Geen geheugen.");
        for (size_t i = 0; i < count; i++)
            if (!http_request_replied(requests[i]))
                http_reply_err(requests[i], &err);
        return;
    }
    log_warn("vote batch of %zu failed; retried as %zu and %zu", waiting, waiting / 2, waiting - waiting / 2);
    polls_vote_batch(left, waiting / 2, conn, context_pointer);
    polls_vote_batch(left + waiting / 2, waiting - waiting / 2, conn, context_pointer);
    free(left);
}

struct polls_vote_writer {
    http_batcher *batcher;
    polls_vote_context context;
};

polls_vote_writer *polls_vote_writer_start(const alvd_app *app, alvd_err *err)
{
    polls_vote_writer *writer = calloc(1, sizeof *writer);
    if (writer == NULL) {
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        return NULL;
    }
    if (ballot_key_load(app->config.data_dir, writer->context.key, err) != 0) {
        free(writer);
        return NULL;
    }
    /* What a count interrupted by a crash left behind: keys of closed polls, and sealed
     * ballots or register hashes of closed secret polls. */
    if (polls_sweep_closed(app, err) != 0)
        log_warn("secret polls: cleaning up after closed polls failed: %s", err->message);
    alvd_err_clear(err);
    writer->batcher = http_batcher_start(app->pool, polls_vote_batch, &writer->context, POLLS_VOTE_BATCH_MAX, err);
    if (writer->batcher == NULL) {
        sodium_memzero(writer, sizeof *writer);
        free(writer);
        return NULL;
    }
    return writer;
}

http_batcher *polls_vote_writer_batcher(polls_vote_writer *writer)
{
    return writer ? writer->batcher : NULL;
}

void polls_vote_writer_stop(polls_vote_writer *writer)
{
    if (writer == NULL)
        return;
    http_batcher_stop(writer->batcher);
    sodium_memzero(writer, sizeof *writer);
    free(writer);
}

/* ---------------------------------------------------------------- close */

/* The closed poll as the API answers it (close, and a repeated close). */
static json_t *polls_close_json(store_conn *conn, const polls_row *poll, alvd_err *err)
{
    json_t *body = polls_row_json(conn, poll, err);
    return body;
}

/* The proposal follows the poll: adopted or rejected; when adopted, every conflicting
 * proposal of the cycle that is still open lapses (recorded in poll_lapses, so a
 * re-vote that reverses the adoption restores them). A re-vote first undoes what the
 * poll it repeats did. */
static int polls_apply_outcome(store_conn *conn, const polls_row *poll, int adopted, json_t *lapsed_ids, alvd_err *err)
{
    store_result *rows = NULL;
    if (poll->revote_of) {
        if (store_execute(conn, err, NULL, "UPDATE polls SET superseded_by = ? WHERE id = ?",
                          STORE_PARAMS(STORE_INT_PARAM(poll->id), STORE_INT_PARAM(poll->revote_of))) != 0 ||
            store_execute(conn, err, NULL,
                          "UPDATE proposals p JOIN poll_lapses l ON l.proposal_id = p.id AND l.poll_id = ?"
                          " SET p.state = l.previous_state, p.updated_at = UTC_TIMESTAMP(6) WHERE p.state = 'lapsed'",
                          STORE_PARAMS(STORE_INT_PARAM(poll->revote_of))) != 0)
            return -1;
    }
    if (poll->proposal_id == 0)
        return 0; /* a decision without a proposal changes no proposal */
    if (store_query(conn, err, &rows, "SELECT state FROM proposals WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(poll->proposal_id))) != 0)
        return -1;
    store_result_free(rows);
    rows = NULL;
    if (store_execute(conn, err, NULL, "UPDATE proposals SET state = ?, updated_at = UTC_TIMESTAMP(6) WHERE id = ?",
                      STORE_PARAMS(STORE_TEXT_PARAM(adopted ? "adopted" : "rejected"),
                                   STORE_INT_PARAM(poll->proposal_id))) != 0)
        return -1;
    if (!adopted)
        return 0;
    if (store_query(conn, err, &rows,
                    "SELECT DISTINCT b.id, b.state FROM proposals a"
                    " JOIN proposal_changes ac ON ac.revision_id = ?"
                    " JOIN proposals b ON b.cycle_id = a.cycle_id AND b.id <> a.id"
                    " JOIN proposal_changes bc ON bc.revision_id = b.current_revision_id AND bc.article_id = ac.article_id"
                    " WHERE a.id = ? AND b.state IN ('draft','ready') ORDER BY b.id",
                    STORE_PARAMS(STORE_INT_PARAM(poll->revision_id), STORE_INT_PARAM(poll->proposal_id))) != 0)
        return -1;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        long long other = store_result_int(rows, r, 0);
        if (store_execute(conn, err, NULL,
                          "UPDATE proposals SET state = 'lapsed', updated_at = UTC_TIMESTAMP(6) WHERE id = ?",
                          STORE_PARAMS(STORE_INT_PARAM(other))) != 0 ||
            store_execute(conn, err, NULL,
                          "INSERT INTO poll_lapses (poll_id, proposal_id, previous_state) VALUES (?, ?, ?)"
                          " ON DUPLICATE KEY UPDATE previous_state = VALUES(previous_state)",
                          STORE_PARAMS(STORE_INT_PARAM(poll->id), STORE_INT_PARAM(other),
                                       STORE_TEXT_PARAM(store_result_text(rows, r, 1)))) != 0) {
            store_result_free(rows);
            return -1;
        }
        json_array_append_new(lapsed_ids, json_integer(other));
    }
    store_result_free(rows);
    return 0;
}

/* Sorted tracker texts of a closed secret poll, as published (caller frees). */
static int polls_trackers_load(store_conn *conn, long long poll_id, char (**out)[BALLOT_TRACKER_TEXT_SIZE],
                               size_t *count, alvd_err *err)
{
    store_result *rows = NULL;
    *out = NULL;
    *count = 0;
    if (store_query(conn, err, &rows, "SELECT tracker FROM poll_trackers WHERE poll_id = ? ORDER BY tracker",
                    STORE_PARAMS(STORE_INT_PARAM(poll_id))) != 0)
        return -1;
    size_t n = store_result_rows(rows);
    char (*list)[BALLOT_TRACKER_TEXT_SIZE] = calloc(n ? n : 1, sizeof *list);
    if (list == NULL) {
        store_result_free(rows);
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    }
    for (size_t r = 0; r < n; r++) {
        size_t length = store_result_length(rows, r, 0);
        if (length != BALLOT_TRACKER_BYTES)
            continue;
        ballot_hex((const unsigned char *)store_result_text(rows, r, 0), length, list[r]);
    }
    store_result_free(rows);
    ballot_trackers_sort(list, n);
    *out = list;
    *count = n;
    return 0;
}

/* The signed decision record of a closed poll. */
static json_t *polls_decision_record(store_conn *conn, const polls_row *poll, alvd_err *err)
{
    char title[1204];
    store_result *rows = NULL;
    if (polls_row_title(conn, poll, title, sizeof title, err) != 0 ||
        store_query(conn, err, &rows,
                    "SELECT closed_at, opened_at, DATE_FORMAT(decided_on, '%Y-%m-%d') AS decided_on FROM polls"
                    " WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(poll->id))) != 0)
        return NULL;
    json_t *times = store_result_row_json(rows, 0);
    store_result_free(rows);
    json_t *record = json_pack("{s:s, s:I, s:I, s:I, s:I, s:s, s:b, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:b, s:s}",
                               "kind", "poll", "poll_id", (json_int_t)poll->id, "meeting_id",
                               (json_int_t)poll->meeting_id, "proposal_id", (json_int_t)poll->proposal_id,
                               "revision_id", (json_int_t)poll->revision_id, "title", title, "secret", poll->secret,
                               "rule", poll->rule, "eligible", poll->eligible, "threshold", poll->threshold, "for",
                               poll->votes_for, "against", poll->votes_against, "abstain", poll->votes_abstain,
                               "not_voted", poll->not_voted, "adopted", poll->adopted, "explanation",
                               poll->explanation);
    json_object_update(record, times);
    json_decref(times);
    if (poll->proposal_id == 0) {
        json_object_del(record, "proposal_id");
        json_object_del(record, "revision_id");
        json_object_set_new(record, "agenda_item_id", json_integer(poll->agenda_item_id));
    }
    if (poll->literal_threshold)
        json_object_set_new(record, "literal_threshold", json_integer(poll->literal_threshold));
    if (poll->secret)
        json_object_set_new(record, "fingerprint", json_string(poll->fingerprint));
    if (poll->revote_of)
        json_object_set_new(record, "revote_of", json_integer(poll->revote_of));
    return record;
}

/* ---------------------------------------------------------------- counting a secret poll */

/* What the ballot box of a secret poll holds at close. */
typedef struct polls_box_count {
    int counts[3];  /* sealed phone ballots and sealed paper totals, by choice */
    int paper[3];   /* the paper totals alone (kept sealed while the poll was open) */
    char (*trackers)[BALLOT_TRACKER_TEXT_SIZE]; /* sorted: plain and sealed phone ballots */
    size_t tracker_count;
} polls_box_count;

/* Open the box: the trackers of plain rows (a poll opened before the ballot box
 * existed) and every sealed row opened with the poll's key from keys/polls/. A row that
 * does not open, or a tracker twice, stops the count (500): never publish a count that
 * is not exactly the box. */
static int polls_count_box(const char *data_dir, store_conn *conn, const polls_row *poll, polls_box_count *out,
                           alvd_err *err)
{
    store_result *plain = NULL, *sealed = NULL;
    ballot_box_opener opener = {0};
    int rc = -1;
    memset(out, 0, sizeof *out);
    if (store_query(conn, err, &plain, "SELECT tracker FROM ballots WHERE poll_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(poll->id))) != 0)
        return -1;
    if (poll->boxed && (ballot_box_load(data_dir, poll->id, poll->box_public_key, opener.secret_key, err) != 0 ||
                        store_query(conn, err, &sealed, "SELECT id, sealed FROM sealed_ballots WHERE poll_id = ?",
                                    STORE_PARAMS(STORE_INT_PARAM(poll->id))) != 0))
        goto done;
    size_t plain_rows = store_result_rows(plain), sealed_rows = sealed ? store_result_rows(sealed) : 0;
    out->trackers = calloc(plain_rows + sealed_rows + 1, sizeof *out->trackers);
    if (out->trackers == NULL) {
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        goto done;
    }
    for (size_t r = 0; r < plain_rows; r++)
        if (store_result_length(plain, r, 0) == BALLOT_TRACKER_BYTES)
            ballot_hex((const unsigned char *)store_result_text(plain, r, 0), BALLOT_TRACKER_BYTES,
                       out->trackers[out->tracker_count++]);
    for (size_t r = 0; r < sealed_rows; r++) {
        ballot_box_content content;
        if (store_result_length(sealed, r, 0) != BALLOT_BOX_ROW_ID_BYTES ||
            ballot_box_unseal(&opener, poll->id, (const unsigned char *)store_result_text(sealed, r, 0),
                              (const unsigned char *)store_result_text(sealed, r, 1), store_result_length(sealed, r, 1),
                              &content) != 0) {
            alvd_err_set(err, 500, "sealed_ballot_damaged", NULL,
                         "Een verzegelde stem van deze stemming gaat niet open; de stemming blijft open.");
            goto done;
        }
        if (content.paper) {
            for (int c = 0; c < 3; c++) {
                out->paper[c] += content.totals[c];
                out->counts[c] += content.totals[c];
            }
        } else {
            out->counts[content.choice]++;
            ballot_hex(content.tracker, BALLOT_TRACKER_BYTES, out->trackers[out->tracker_count++]);
        }
        sodium_memzero(&content, sizeof content);
    }
    ballot_trackers_sort(out->trackers, out->tracker_count);
    for (size_t i = 1; i < out->tracker_count; i++)
        if (strcmp(out->trackers[i - 1], out->trackers[i]) == 0) {
            alvd_err_set(err, 500, "counts_disagree", NULL,
                         "Een tracker komt twee keer voor in de stembus; de stemming blijft open.");
            goto done;
        }
    rc = 0;
done:
    sodium_memzero(&opener, sizeof opener);
    store_result_free(plain);
    store_result_free(sealed);
    if (rc != 0) {
        free(out->trackers);
        out->trackers = NULL;
    }
    return rc;
}

/* The published tracker list, inserted in sorted order in one statement per chunk, so
 * neither the rows' order nor their place in the log follows the order of voting. */
static int polls_store_trackers(store_conn *conn, long long poll_id, char (*const trackers)[BALLOT_TRACKER_TEXT_SIZE],
                                size_t count, alvd_err *err)
{
    unsigned char (*bytes)[BALLOT_TRACKER_BYTES] = calloc(count ? count : 1, sizeof *bytes);
    store_param *params = calloc(2 * STORE_CHUNK_MAX, sizeof *params);
    alvd_buf sql;
    int rc = -1;
    buf_init(&sql, 16 * 1024);
    if (bytes == NULL || params == NULL) {
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        goto done;
    }
    for (size_t i = 0; i < count; i++)
        sodium_hex2bin(bytes[i], BALLOT_TRACKER_BYTES, trackers[i], 2 * BALLOT_TRACKER_BYTES, NULL, NULL, NULL);
    for (size_t done = 0; done < count;) {
        size_t chunk = store_chunk_size(count - done);
        sql.length = 0;
        buf_append_str(&sql, "INSERT INTO poll_trackers (poll_id, tracker) VALUES ");
        store_append_repeated(&sql, "(?, ?)", chunk);
        for (size_t r = 0; r < chunk; r++) {
            params[2 * r] = STORE_INT_PARAM(poll_id);
            params[2 * r + 1] = STORE_BLOB_PARAM(bytes[done + r], BALLOT_TRACKER_BYTES);
        }
        if (sql.overflowed || store_execute(conn, err, NULL, sql.data, params, 2 * chunk) != 0)
            goto done;
        done += chunk;
    }
    rc = 0;
done:
    buf_free(&sql);
    free(params);
    free(bytes);
    return rc;
}

/* After a secret poll's count has committed: destroy its key, then — in a transaction of
 * its own, so that no register row shares a transaction with the published trackers —
 * delete the sealed (and any plain) ballots, clear the register's hashes (V4) and audit
 * that. A failure here is logged and redone by the sweep at the next start. */
static void polls_secret_cleanup(const char *data_dir, store_conn *conn, long long poll_id)
{
    audit_actor ballot_box = {"system", 0, "stembus"};
    long long sealed = 0, plain = 0, hashes = 0;
    alvd_err err;
    alvd_err_clear(&err);
    int destroyed = ballot_box_destroy(data_dir, poll_id);
    if (store_begin(conn, &err) != 0 ||
        store_execute(conn, &err, &sealed, "DELETE FROM sealed_ballots WHERE poll_id = ?",
                      STORE_PARAMS(STORE_INT_PARAM(poll_id))) != 0 ||
        store_execute(conn, &err, &plain, "DELETE FROM ballots WHERE poll_id = ?",
                      STORE_PARAMS(STORE_INT_PARAM(poll_id))) != 0 ||
        store_execute(conn, &err, &hashes,
                      "UPDATE poll_voters SET ballot_hash = NULL WHERE poll_id = ? AND ballot_hash IS NOT NULL",
                      STORE_PARAMS(STORE_INT_PARAM(poll_id))) != 0)
        goto fail;
    json_t *details = json_pack("{s:I, s:I, s:b}", "ballots_deleted", (json_int_t)(sealed + plain),
                                "register_hashes_cleared", (json_int_t)hashes, "key_destroyed", destroyed > 0);
    int rc = audit_append(conn, &err, &ballot_box, "poll.ballot_box_emptied", "poll", poll_id, details);
    json_decref(details);
    if (rc == 0 && store_commit(conn, &err) == 0)
        return;
fail:
    store_rollback(conn);
    log_warn("poll %lld: emptying the ballot box after the count failed (%s); the next start retries", poll_id,
             err.message);
}

int polls_sweep_closed(const alvd_app *app, alvd_err *err)
{
    long long *ids = NULL;
    size_t count = 0;
    store_result *rows = NULL;
    store_conn *conn = store_pool_acquire(app->pool, err);
    int rc = -1;
    if (conn == NULL || ballot_box_list(app->config.data_dir, &ids, &count, err) != 0)
        goto done;
    for (size_t i = 0; i < count; i++) {
        if (store_query(conn, err, &rows, "SELECT state FROM polls WHERE id = ?", STORE_PARAMS(STORE_INT_PARAM(ids[i]))) != 0)
            goto done;
        if (store_result_rows(rows) == 1 && strcmp(store_result_text(rows, 0, 0), "closed") == 0)
            ballot_box_destroy(app->config.data_dir, ids[i]);
        store_result_free(rows);
        rows = NULL;
    }
    if (store_query(conn, err, &rows,
                    "SELECT p.id FROM polls p WHERE p.secret = 1 AND p.state = 'closed' AND ("
                    " EXISTS (SELECT 1 FROM sealed_ballots s WHERE s.poll_id = p.id) OR"
                    " EXISTS (SELECT 1 FROM ballots b WHERE b.poll_id = p.id) OR"
                    " EXISTS (SELECT 1 FROM poll_voters v WHERE v.poll_id = p.id AND v.ballot_hash IS NOT NULL))",
                    STORE_NO_PARAMS) != 0)
        goto done;
    for (size_t r = 0; r < store_result_rows(rows); r++)
        polls_secret_cleanup(app->config.data_dir, conn, store_result_int(rows, r, 0));
    rc = 0;
done:
    store_result_free(rows);
    store_pool_release(app->pool, conn);
    free(ids);
    return rc;
}

void polls_close(http_request *request)
{
    store_conn *conn = http_request_db(request);
    const char *data_dir = http_request_app(request)->config.data_dir;
    polls_box_count box;
    memset(&box, 0, sizeof box);
    store_result *rows = NULL;
    char (*trackers)[BALLOT_TRACKER_TEXT_SIZE] = NULL;
    json_t *lapsed = json_array();
    polls_row poll;
    long long poll_id;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &poll_id) != 0) {
        json_decref(lapsed);
        return;
    }
    audit_actor actor = http_request_actor(request);
    if (store_begin(conn, &err) != 0 || polls_load(conn, poll_id, 1, &poll, &err) != 0)
        goto fail;
    if (strcmp(poll.state, "closed") == 0) {
        /* Closing twice answers the stored result: every close sees one count. */
        store_rollback(conn);
        json_t *body = polls_close_json(conn, &poll, &err);
        json_decref(lapsed);
        if (body == NULL)
            http_reply_err(request, &err);
        else
            http_reply_json(request, 200, body);
        return;
    }
    if (strcmp(poll.state, "open") != 0) {
        alvd_err_set(&err, 409, "poll_not_open", NULL, "Deze stemming is nog niet geopend.");
        goto fail;
    }
    int counts[3] = {poll.paper_for, poll.paper_against, poll.paper_abstain};
    if (store_query(conn, &err, &rows, "SELECT choice, COUNT(*) FROM ballots WHERE poll_id = ? GROUP BY choice",
                    STORE_PARAMS(STORE_INT_PARAM(poll_id))) != 0)
        goto fail;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        const char *choice = store_result_text(rows, r, 0);
        int index = strcmp(choice, "for") == 0 ? 0 : strcmp(choice, "against") == 0 ? 1 : 2;
        counts[index] += (int)store_result_int(rows, r, 1);
    }
    store_result_free(rows);
    rows = NULL;
    if (poll.secret && polls_count_box(data_dir, conn, &poll, &box, &err) != 0)
        goto fail;
    for (int c = 0; c < 3; c++)
        counts[c] += box.counts[c];
    trackers = box.trackers;
    long long registered = 0;
    if (polls_count_voters(conn, poll_id, &registered, &err) != 0)
        goto fail;
    if (registered != (long long)counts[0] + counts[1] + counts[2]) {
        /* V6: ballots + paper must equal the register; never publish a count that does not. */
        log_warn("poll %lld: register %lld, ballots and paper %d", poll_id, registered, counts[0] + counts[1] + counts[2]);
        alvd_err_set(&err, 500, "counts_disagree", NULL,
                     "De telling klopt niet met het register van wie heeft gestemd; de stemming blijft open.");
        goto fail;
    }
    rules_majority_rule rule;
    rules_majority_result result;
    if (rules_majority_rule_parse(poll.rule, &rule, &err) != 0 ||
        rules_majority_decide(rule, poll.eligible, counts[0], counts[1], counts[2], &result, &err) != 0)
        goto fail;
    char fingerprint[BALLOT_FINGERPRINT_TEXT_SIZE] = "";
    if (poll.secret)
        ballot_fingerprint(trackers, box.tracker_count, counts[0], counts[1], counts[2], fingerprint);
    /* The paper totals of a sealed poll were in the box until now. */
    if (poll.boxed && store_execute(conn, &err, NULL,
                                    "UPDATE polls SET paper_for = ?, paper_against = ?, paper_abstain = ? WHERE id = ?",
                                    STORE_PARAMS(STORE_INT_PARAM(box.paper[0]), STORE_INT_PARAM(box.paper[1]),
                                                 STORE_INT_PARAM(box.paper[2]), STORE_INT_PARAM(poll_id))) != 0)
        goto fail;
    /* D: the Amsterdam date of this instant, fixed here and signed with the record. */
    long close_micros = 0;
    int64_t close_instant = clock_now(&http_request_app(request)->config, &close_micros);
    char closed_at[CLOCK_SQL_SIZE], decided_on[RULES_DATE_TEXT_SIZE];
    clock_sql_instant(close_instant, close_micros, closed_at);
    rules_date_format(rules_decision_day(close_instant), decided_on);
    if (store_execute(conn, &err, NULL,
                      "UPDATE polls SET state = 'closed', votes_for = ?, votes_against = ?, votes_abstain = ?,"
                      " not_voted = ?, adopted = ?, explanation = ?, fingerprint = ?, closed_at = ?, decided_on = ?,"
                      " threshold = ? WHERE id = ?",
                      STORE_PARAMS(STORE_INT_PARAM(counts[0]), STORE_INT_PARAM(counts[1]), STORE_INT_PARAM(counts[2]),
                                   STORE_INT_PARAM(result.not_voted), STORE_INT_PARAM(result.adopted),
                                   STORE_TEXT_PARAM(result.explanation),
                                   poll.secret ? STORE_TEXT_PARAM(fingerprint) : STORE_NULL_PARAM,
                                   STORE_TEXT_PARAM(closed_at), STORE_TEXT_PARAM(decided_on),
                                   STORE_INT_PARAM(result.threshold), STORE_INT_PARAM(poll_id))) != 0)
        goto fail;
    if (polls_load(conn, poll_id, 0, &poll, &err) != 0 || polls_apply_outcome(conn, &poll, result.adopted, lapsed, &err) != 0)
        goto fail;
    json_t *record = polls_decision_record(conn, &poll, &err);
    if (record == NULL)
        goto fail;
    int rc = minutes_decision_record(conn, http_request_app(request)->config.data_dir, poll.meeting_id, poll_id,
                                     "poll", record, &err);
    json_decref(record);
    /* The trackers go in the middle of the close, after the decision record and before
     * the event and audit entry: no register row is written in this transaction. */
    if (rc != 0 || (poll.secret && polls_store_trackers(conn, poll_id, trackers, box.tracker_count, &err) != 0))
        goto fail;
    json_t *extra = json_pack("{s:i, s:i, s:i, s:i, s:b, s:s, s:s, s:O}", "for", counts[0], "against", counts[1],
                              "abstain", counts[2], "not_voted", result.not_voted, "adopted", result.adopted,
                              "explanation", result.explanation, "rule", poll.rule, "lapsed", lapsed);
    json_object_set_new(extra, "rule_text", json_string(rules_majority_rule_words(poll.rule)));
    if (poll.literal_threshold)
        json_object_set_new(extra, "literal_threshold", json_integer(poll.literal_threshold));
    if (poll.secret)
        json_object_set_new(extra, "fingerprint", json_string(fingerprint));
    if (poll.boxed)
        json_object_set_new(extra, "paper", json_pack("{s:i, s:i, s:i}", "for", box.paper[0], "against", box.paper[1],
                                                      "abstain", box.paper[2]));
    rc = polls_publish(conn, &poll, "closed", registered, extra, &err);
    if (rc == 0) {
        json_object_set_new(extra, "eligible", json_integer(poll.eligible));
        json_object_set_new(extra, "threshold", json_integer(poll.threshold));
        rc = audit_append(conn, &err, &actor, "poll.close", "poll", poll_id, extra);
    }
    json_decref(extra);
    if (rc != 0 || store_commit(conn, &err) != 0)
        goto fail;
    free(trackers);
    if (poll.secret)
        polls_secret_cleanup(data_dir, conn, poll_id);
    json_t *body = polls_close_json(conn, &poll, &err);
    if (body == NULL) {
        json_decref(lapsed);
        http_reply_err(request, &err);
        return;
    }
    json_object_set_new(body, "lapsed", lapsed);
    http_reply_json(request, 200, body);
    return;
fail:
    store_rollback(conn);
    store_result_free(rows);
    free(trackers);
    json_decref(lapsed);
    http_reply_err(request, &err);
}

/* ---------------------------------------------------------------- trackers, voters */

void polls_trackers(http_request *request)
{
    store_conn *conn = http_request_db(request);
    char (*trackers)[BALLOT_TRACKER_TEXT_SIZE] = NULL;
    size_t count = 0;
    polls_row poll;
    long long poll_id;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &poll_id) != 0)
        return;
    if (polls_load_for(request, poll_id, 0, &poll, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    if (!poll.secret) {
        http_reply_error(request, 404, "not_secret", NULL, "Alleen een geheime stemming publiceert trackers.");
        return;
    }
    if (strcmp(poll.state, "closed") != 0) {
        /* V10: nothing of the result before the chair closes the poll. */
        http_reply_error(request, 403, "poll_not_closed", NULL,
                         "De trackers worden pas gepubliceerd als de voorzitter de stemming sluit.");
        return;
    }
    if (polls_trackers_load(conn, poll_id, &trackers, &count, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *list = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(list, json_string(trackers[i]));
    free(trackers);
    http_reply_json(request, 200,
                    json_pack("{s:I, s:o, s:s, s:i, s:i, s:i, s:s}", "poll_id", (json_int_t)poll_id, "trackers", list,
                              "fingerprint", poll.fingerprint, "for", poll.votes_for, "against", poll.votes_against,
                              "abstain", poll.votes_abstain, "method",
                              "SHA-256 van \"alvd-poll-v1\\n\", dan per tracker (gesorteerd) \"<tracker>\\n\", dan "
                              "\"for=<n>\\nagainst=<n>\\nabstain=<n>\\n\""));
}

void polls_voters(http_request *request)
{
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    polls_row poll;
    long long poll_id, cast = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &poll_id) != 0)
        return;
    if (polls_load(conn, poll_id, 0, &poll, &err) != 0 || polls_count_voters(conn, poll_id, &cast, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *body = json_pack("{s:I, s:s, s:b, s:i, s:I, s:I}", "poll_id", (json_int_t)poll_id, "state", poll.state,
                             "secret", poll.secret, "eligible", poll.eligible, "cast", (json_int_t)cast,
                             "not_voted_count", (json_int_t)(poll.eligible - cast));
    if (!poll.secret) {
        /* An open poll: the chair sees who has not voted yet (and through whom). */
        if (store_query(conn, &err, &rows,
                        "SELECT e.organisation_id, o.name, e.voter_id, h.name AS voter_name FROM poll_eligible e"
                        " JOIN organisations o ON o.id = e.organisation_id"
                        " JOIN organisations h ON h.id = e.voter_id"
                        " LEFT JOIN poll_voters v ON v.poll_id = e.poll_id AND v.organisation_id = e.organisation_id"
                        " WHERE e.poll_id = ? AND v.poll_id IS NULL ORDER BY o.name",
                        STORE_PARAMS(STORE_INT_PARAM(poll_id))) != 0) {
            json_decref(body);
            http_reply_err(request, &err);
            return;
        }
        json_object_set_new(body, "not_voted", store_result_json(rows));
        store_result_free(rows);
    }
    http_reply_json(request, 200, body);
}

/* ---------------------------------------------------------------- paper */

static int polls_paper_register(store_conn *conn, long long poll_id, long long organisation_id, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows, "SELECT voter_id FROM poll_eligible WHERE poll_id = ? AND organisation_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(poll_id), STORE_INT_PARAM(organisation_id))) != 0)
        return -1;
    size_t found = store_result_rows(rows);
    store_result_free(rows);
    if (found == 0)
        return alvd_err_set(err, 403, "not_eligible", "organisation_id",
                            "Lid %lld stond niet op de presentielijst toen deze stemming werd geopend.",
                            organisation_id);
    long long affected = 0;
    if (store_execute(conn, err, &affected,
                      "INSERT IGNORE INTO poll_voters (poll_id, organisation_id, channel, ballot_hash)"
                      " VALUES (?, ?, 'paper', NULL)",
                      STORE_PARAMS(STORE_INT_PARAM(poll_id), STORE_INT_PARAM(organisation_id))) != 0)
        return -1;
    if (affected != 1)
        return alvd_err_set(err, 409, "already_voted", "organisation_id",
                            "Lid %lld heeft al gestemd (telefoon of papier); een tweede stem telt niet.",
                            organisation_id);
    return 0;
}

void polls_paper(http_request *request)
{
    static const char *const open_fields[] = {"votes", NULL};
    static const char *const secret_fields[] = {"organisation_ids", "for", "against", "abstain", NULL};
    static const char *const vote_fields[] = {"organisation_id", "choice", NULL};
    static const char *const choices[] = {"for", "against", "abstain", NULL};
    store_conn *conn = http_request_db(request);
    json_t *body = http_request_json(request);
    json_t *details = NULL;
    polls_row poll;
    long long poll_id, cast = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &poll_id) != 0)
        return;
    audit_actor actor = http_request_actor(request);
    if (store_begin(conn, &err) != 0 || polls_load(conn, poll_id, 1, &poll, &err) != 0)
        goto fail;
    if (strcmp(poll.state, "open") != 0) {
        alvd_err_set(&err, 409, strcmp(poll.state, "draft") == 0 ? "poll_not_open" : "poll_closed", NULL,
                     "Papieren stemmen kunnen alleen worden ingevoerd zolang de stemming open is.");
        goto fail;
    }
    int added[3] = {0, 0, 0};
    if (!poll.secret) {
        json_t *votes = json_object_get(body, "votes");
        if (input_only(body, open_fields, &err) != 0)
            goto fail;
        if (!json_is_array(votes) || json_array_size(votes) == 0 || json_array_size(votes) > 10000) {
            alvd_err_set(&err, 400, "bad_votes", "votes",
                         "Geef de papieren stemmen als lijst: [{\"organisation_id\", \"choice\"}].");
            goto fail;
        }
        details = json_array();
        for (size_t i = 0; i < json_array_size(votes); i++) {
            json_t *vote = json_array_get(votes, i);
            const char *choice;
            long long organisation_id;
            if (!json_is_object(vote) || input_only(vote, vote_fields, &err) != 0 ||
                input_integer(vote, "organisation_id", 1, 1, 1LL << 53, &organisation_id, NULL, &err) != 0 ||
                input_choice(vote, "choice", 1, choices, &choice, &err) != 0) {
                if (!json_is_object(vote))
                    alvd_err_set(&err, 400, "bad_votes", "votes", "Elke papieren stem is een object.");
                goto fail;
            }
            if (polls_paper_register(conn, poll_id, organisation_id, &err) != 0 ||
                store_execute(conn, &err, NULL,
                              "INSERT INTO open_votes (poll_id, organisation_id, choice, channel, cast_by)"
                              " VALUES (?, ?, ?, 'paper', ?)",
                              STORE_PARAMS(STORE_INT_PARAM(poll_id), STORE_INT_PARAM(organisation_id),
                                           STORE_TEXT_PARAM(choice),
                                           STORE_INT_PARAM(http_request_principal(request)->user_id))) != 0)
                goto fail;
            added[strcmp(choice, "for") == 0 ? 0 : strcmp(choice, "against") == 0 ? 1 : 2]++;
            json_array_append_new(details, json_pack("{s:I, s:s}", "organisation_id", (json_int_t)organisation_id,
                                                     "choice", choice));
        }
        json_t *wrapped = json_pack("{s:o}", "votes", details);
        details = wrapped;
    } else {
        /* A secret poll: the members who voted on paper are marked in the register and
         * only the totals of their ballots are added. */
        json_t *ids = json_object_get(body, "organisation_ids");
        long long totals[3];
        if (input_only(body, secret_fields, &err) != 0 ||
            input_integer(body, "for", 1, 0, 100000, &totals[0], NULL, &err) != 0 ||
            input_integer(body, "against", 1, 0, 100000, &totals[1], NULL, &err) != 0 ||
            input_integer(body, "abstain", 1, 0, 100000, &totals[2], NULL, &err) != 0)
            goto fail;
        if (!json_is_array(ids) || json_array_size(ids) == 0 || json_array_size(ids) > 10000) {
            alvd_err_set(&err, 400, "bad_organisation_ids", "organisation_ids",
                         "Geef de leden die op papier stemden als lijst van organisatienummers.");
            goto fail;
        }
        if ((long long)json_array_size(ids) != totals[0] + totals[1] + totals[2]) {
            alvd_err_set(&err, 422, "paper_totals_mismatch", "organisation_ids",
                         "Het aantal leden (%zu) moet gelijk zijn aan voor + tegen + onthouding (%lld).",
                         json_array_size(ids), totals[0] + totals[1] + totals[2]);
            goto fail;
        }
        json_t *marked = json_array();
        for (size_t i = 0; i < json_array_size(ids); i++) {
            json_t *id = json_array_get(ids, i);
            if (!json_is_integer(id) || json_integer_value(id) < 1) {
                json_decref(marked);
                alvd_err_set(&err, 400, "bad_organisation_ids", "organisation_ids",
                             "Elk organisatienummer is een positief geheel getal.");
                goto fail;
            }
            if (polls_paper_register(conn, poll_id, (long long)json_integer_value(id), &err) != 0) {
                json_decref(marked);
                goto fail;
            }
            json_array_append_new(marked, json_integer(json_integer_value(id)));
        }
        for (int c = 0; c < 3; c++)
            added[c] = (int)totals[c];
        /* Sealed like the phone ballots: the tables show how many paper ballots, not
         * what they say, until the count. */
        if (poll.boxed)
            details = json_pack("{s:o, s:i}", "organisation_ids", marked, "ballots", added[0] + added[1] + added[2]);
        else
            details = json_pack("{s:o, s:i, s:i, s:i}", "organisation_ids", marked, "for", added[0], "against",
                                added[1], "abstain", added[2]);
    }
    if (poll.boxed) {
        ballot_box_sealer sealer;
        ballot_box_content content = {.paper = 1, .totals = {added[0], added[1], added[2]}};
        unsigned char row_id[BALLOT_BOX_ROW_ID_BYTES], sealed[BALLOT_BOX_SEALED_BYTES];
        randombytes_buf(row_id, sizeof row_id);
        if (ballot_box_sealer_start(&sealer, poll.box_public_key) != 0) {
            alvd_err_set(&err, 500, "poll_key_damaged", NULL, "De sleutel van deze geheime stemming is onbruikbaar.");
            goto fail;
        }
        ballot_box_seal(&sealer, poll_id, row_id, &content, sealed);
        ballot_box_sealer_wipe(&sealer);
        sodium_memzero(&content, sizeof content);
        if (store_execute(conn, &err, NULL, "INSERT INTO sealed_ballots (id, poll_id, sealed) VALUES (?, ?, ?)",
                          STORE_PARAMS(STORE_BLOB_PARAM(row_id, sizeof row_id), STORE_INT_PARAM(poll_id),
                                       STORE_BLOB_PARAM(sealed, sizeof sealed))) != 0)
            goto fail;
    } else if (store_execute(conn, &err, NULL,
                             "UPDATE polls SET paper_for = paper_for + ?, paper_against = paper_against + ?,"
                             " paper_abstain = paper_abstain + ? WHERE id = ?",
                             STORE_PARAMS(STORE_INT_PARAM(added[0]), STORE_INT_PARAM(added[1]),
                                          STORE_INT_PARAM(added[2]), STORE_INT_PARAM(poll_id))) != 0) {
        goto fail;
    }
    if (polls_count_voters(conn, poll_id, &cast, &err) != 0 || polls_publish(conn, &poll, "open", cast, NULL, &err) != 0 ||
        audit_append(conn, &err, &actor, "poll.paper", "poll", poll_id, details) != 0 || store_commit(conn, &err) != 0)
        goto fail;
    json_decref(details);
    http_reply_json(request, 200, json_pack("{s:I, s:I, s:i}", "poll_id", (json_int_t)poll_id, "cast", (json_int_t)cast,
                                            "added", added[0] + added[1] + added[2]));
    return;
fail:
    store_rollback(conn);
    json_decref(details);
    http_reply_err(request, &err);
}

/* ---------------------------------------------------------------- re-vote */

void polls_revote(http_request *request)
{
    static const char *const fields[] = {"secret", NULL};
    store_conn *conn = http_request_db(request);
    json_t *body = http_request_json(request);
    store_result *rows = NULL;
    polls_row poll;
    long long poll_id;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &poll_id) != 0)
        return;
    if (input_only(body, fields, &err) != 0 || polls_load(conn, poll_id, 0, &poll, &err) != 0)
        goto fail;
    int secret = poll.secret;
    if (input_boolean(body, "secret", poll.secret, &secret, &err) != 0 || store_begin(conn, &err) != 0 ||
        store_query(conn, &err, &rows, "SELECT state FROM meetings WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(poll.meeting_id))) != 0)
        goto fail;
    int meeting_open = strcmp(store_result_text(rows, 0, 0), "open") == 0;
    store_result_free(rows);
    rows = NULL;
    if (polls_load(conn, poll_id, 1, &poll, &err) != 0)
        goto fail;
    if (strcmp(poll.state, "closed") != 0 || poll.superseded_by) {
        alvd_err_set(&err, 409, "not_revotable", NULL,
                     "Alleen de laatste, gesloten stemming over een voorstel kan worden overgedaan.");
        goto fail;
    }
    if (!meeting_open) {
        alvd_err_set(&err, 409, "meeting_not_open", NULL, "Een herstemming kan alleen tijdens de vergadering.");
        goto fail;
    }
    if (store_query(conn, &err, &rows,
                    "SELECT (SELECT COUNT(*) FROM polls WHERE revote_of = ?), (SELECT COUNT(*) FROM adoptions WHERE proposal_id = ?)",
                    STORE_PARAMS(STORE_INT_PARAM(poll_id), STORE_INT_PARAM(poll.proposal_id))) != 0)
        goto fail;
    int pending = store_result_int(rows, 0, 0) > 0, dated = store_result_int(rows, 0, 1) > 0;
    store_result_free(rows);
    rows = NULL;
    if (pending || dated) {
        alvd_err_set(&err, 409, pending ? "revote_exists" : "effective_date_set", NULL,
                     pending ? "Er is al een herstemming over deze stemming."
                             : "Voor dit besluit is de ingangsdatum al vastgesteld; een herstemming kan niet meer.");
        goto fail;
    }
    json_t *details = json_pack("{s:I, s:b}", "revote_of", (json_int_t)poll_id, "secret", secret);
    int rc = polls_insert_draft(request, poll.meeting_id, poll.proposal_id, poll.revision_id, poll.agenda_item_id,
                                poll.revision_id ? NULL : poll.decision_title, secret, poll_id, "poll.revote", details,
                                &err);
    json_decref(details);
    if (rc != 0)
        goto fail;
    return;
fail:
    store_rollback(conn);
    store_result_free(rows);
    http_reply_err(request, &err);
}
