/* Polls as units of work: create, open on a stored presence snapshot, paper votes, re-votes,
 * and what a poll shows (its JSON, a member's own view). Closing lives in polls_close.c.
 * Lock order: meeting row, poll rows by id, member rows by id, proposal rows by id,
 * then the audit head (audit_append, events_append). */
#include "alvd/service/polls.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "alvd/service/proposals.h"
#include "alvd/base/clock.h"
#include "alvd/rules/dates.h"
#include "alvd/rules/deadlines.h"
#include "alvd/rules/majority.h"
#include "alvd/service/polls_internal.h"
#include "alvd/store/ballots.h"
#include "alvd/store/events.h"
#include "alvd/service/remote.h"
#include "alvd/store/meetings.h"
#include "alvd/store/proposals.h"
#include "alvd/store/attendance.h"
#include "alvd/service/proposals.h"

/* ---------------------------------------------------------------- what a poll shows */

const char *service_polls_threshold_words(const char *rule, int threshold, char text[96])
{
    if (rule && strcmp(rule, "majority_of_votes_cast") == 0)
        snprintf(text, 96, "meer stemmen voor dan tegen (onthoudingen tellen niet mee)");
    else
        snprintf(text, 96, "ten minste %d %s voor", threshold, threshold == 1 ? "stem" : "stemmen");
    return text;
}

/* P, rule and thresholds: shown once the poll is opened. */
static void service_polls_render_opened(json_t *body, const store_polls_row *poll)
{
    char words[96];
    json_object_set_new(body, "eligible", json_integer(poll->eligible));
    json_object_set_new(body, "present", json_integer(poll->present));
    json_object_set_new(body, "present_hall", json_integer(poll->present - poll->present_remote));
    json_object_set_new(body, "present_remote", json_integer(poll->present_remote));
    json_object_set_new(body, "represented", json_integer(poll->represented));
    json_object_set_new(body, "rule", json_string(poll->rule));
    json_object_set_new(body, "rule_text", json_string(rules_majority_rule_words(poll->rule)));
    json_object_set_new(body, "threshold", json_integer(poll->threshold));
    json_object_set_new(body, "threshold_text",
                        json_string(service_polls_threshold_words(poll->rule, poll->threshold, words)));
    if (poll->literal_threshold)
        json_object_set_new(body, "literal_threshold", json_integer(poll->literal_threshold));
}

/* The counts and outcome: shown once the poll is closed (V10). */
static void service_polls_render_closed(json_t *body, const store_polls_row *poll)
{
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

json_t *service_polls_render(const store_polls_row *poll, const store_polls_extras *extras)
{
    json_t *body = json_pack("{s:I, s:I, s:I, s:I, s:s, s:b, s:s, s:I}", "id", (json_int_t)poll->id, "meeting_id",
                             (json_int_t)poll->meeting_id, "proposal_id", (json_int_t)poll->proposal_id,
                             "revision_id", (json_int_t)poll->revision_id, "title", extras->title, "secret",
                             poll->secret, "state", poll->state, "cast", (json_int_t)extras->cast);
    json_object_update(body, extras->times);
    /* A decision that is not a proposal: no proposal, no revision, its agenda item. */
    json_object_set_new(body, "kind", json_string(poll->proposal_id ? "proposal" : "decision"));
    json_object_set_new(body, "agenda_item_id", poll->agenda_item_id ? json_integer(poll->agenda_item_id) : json_null());
    if (poll->proposal_id == 0) {
        json_object_set_new(body, "proposal_id", json_null());
        json_object_set_new(body, "revision_id", json_null());
    }
    json_object_set_new(body, "revote_of", poll->revote_of ? json_integer(poll->revote_of) : json_null());
    json_object_set_new(body, "superseded_by", poll->superseded_by ? json_integer(poll->superseded_by) : json_null());
    if (strcmp(poll->state, "draft") != 0)
        service_polls_render_opened(body, poll);
    if (strcmp(poll->state, "closed") == 0)
        service_polls_render_closed(body, poll);
    return body;
}

json_t *service_polls_row_json(store_conn *conn, const store_polls_row *poll, alvd_err *err)
{
    store_polls_extras extras;
    if (store_polls_load_extras(conn, poll, &extras, err) != 0)
        return NULL;
    json_t *body = service_polls_render(poll, &extras);
    store_polls_extras_free(&extras);
    return body;
}

json_t *service_polls_json(store_conn *conn, long long poll_id, alvd_err *err)
{
    store_polls_row poll;
    if (store_polls_load(conn, poll_id, 0, &poll, err) != 0)
        return NULL;
    return service_polls_row_json(conn, &poll, err);
}

int service_polls_publish(store_conn *conn, const store_polls_row *poll, const char *state, long long cast,
                          json_t *extra, alvd_err *err)
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
    int rc = store_events_append(conn, poll->meeting_id, EVENTS_KIND_POLL, payload, err);
    json_decref(payload);
    return rc;
}

/* The poll a caller may see: staff every poll, a member's phone only the polls of its
 * own meeting; anything else 404 (no enumeration). */
int service_polls_load_for(store_conn *conn, const service_polls_caller *caller, long long poll_id, int lock,
                           store_polls_row *out, alvd_err *err)
{
    if (store_polls_load(conn, poll_id, lock, out, err) != 0)
        return -1;
    if (caller->who->kind == AUTH_KIND_MEMBER && caller->who->meeting_id != out->meeting_id)
        return alvd_err_set(err, 404, "not_found", NULL, "Deze stemming bestaat niet.");
    return 0;
}

/* A meeting the caller may see: staff every meeting, a member's phone only its own. */
static int service_polls_meeting_for(store_conn *conn, const service_polls_caller *caller, long long meeting_id,
                                     alvd_err *err)
{
    const auth_principal *who = caller->who;
    meeting_info meeting;
    if ((who->kind == AUTH_KIND_MEMBER && who->meeting_id != meeting_id) ||
        (who->kind != AUTH_KIND_MEMBER && !(who->roles & AUTH_STAFF)))
        return alvd_err_set(err, 404, "not_found", NULL, "Vergadering niet gevonden.");
    return store_meetings_load(conn, meeting_id, &meeting, err);
}

/* ---------------------------------------------------------------- list, get, current */

int service_polls_list(store_conn *conn, const service_polls_caller *caller, long long meeting_id, json_t **out,
                       alvd_err *err)
{
    long long *ids = NULL;
    size_t count = 0;
    *out = NULL;
    if (service_polls_meeting_for(conn, caller, meeting_id, err) != 0 ||
        store_polls_list_ids(conn, meeting_id, &ids, &count, err) != 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < count; i++) {
        json_t *poll = service_polls_json(conn, ids[i], err);
        if (poll == NULL) {
            json_decref(items);
            free(ids);
            return -1;
        }
        json_array_append_new(items, poll);
    }
    free(ids);
    *out = json_pack("{s:o}", "items", items);
    return 0;
}

/* Why a member in the snapshot does not vote itself (not present, or represented). */
static void service_polls_member_reason(json_t *me, const store_polls_row *poll, int eligible, int represented)
{
    if (strcmp(poll->state, "draft") == 0 || eligible)
        return;
    json_object_set_new(me, "reason_code", json_string(represented ? "represented" : "not_present_at_opening"));
    if (represented)
        json_object_set_new(me, "reason",
                            json_string("Bij de opening van deze stemming werd u vertegenwoordigd door een "
                                        "gevolmachtigde; die brengt uw stem uit."));
    else
        json_object_set_new(me, "reason",
                            json_string("U stond niet als aanwezig geregistreerd toen deze stemming werd geopend. "
                                        "Alleen wie toen aanwezig was (of vertegenwoordigd werd), stemt mee."));
}

/* What the member's phone needs to know of itself: may it vote, for whom, has it. */
static int service_polls_member_view(store_conn *conn, const store_polls_row *poll, long long organisation_id,
                                     json_t **out, alvd_err *err)
{
    json_t *rows = NULL, *row;
    size_t index;
    *out = NULL;
    if (store_polls_member_rows(conn, poll->id, organisation_id, &rows, err) != 0)
        return -1;
    json_t *me = json_object(), *represents = json_array();
    int eligible = 0, voted = 0, represented = 0;
    json_array_foreach(rows, index, row) {
        long long organisation = json_integer_value(json_object_get(row, "organisation_id"));
        long long voter = json_integer_value(json_object_get(row, "voter_id"));
        int has_voted = json_integer_value(json_object_get(row, "voted")) > 0;
        if (organisation == organisation_id && voter == organisation_id) {
            eligible = 1;
            voted = has_voted;
        } else if (organisation == organisation_id) {
            represented = 1;
        } else {
            json_array_append_new(represents, json_pack("{s:I, s:O, s:b}", "organisation_id", (json_int_t)organisation,
                                                        "name", json_object_get(row, "name"), "voted", has_voted));
        }
    }
    json_decref(rows);
    json_object_set_new(me, "organisation_id", json_integer(organisation_id));
    json_object_set_new(me, "eligible", json_boolean(eligible));
    json_object_set_new(me, "voted", json_boolean(voted));
    json_object_set_new(me, "represents", represents);
    service_polls_member_reason(me, poll, eligible, represented);
    /* R2: in the snapshot, but only present members vote (a vote now would be 409). */
    long long *present = NULL;
    size_t present_count = 0;
    if (store_attendance_present_now(conn, poll->meeting_id, &present, &present_count, err) != 0) {
        json_decref(me);
        return -1;
    }
    int here = store_attendance_present_in(present, present_count, organisation_id);
    free(present);
    json_object_set_new(me, "present", json_boolean(here));
    if (strcmp(poll->state, "open") == 0 && (eligible || json_array_size(represents) > 0) && !here)
        json_object_set_new(me, "reason",
                            json_string("U staat niet meer als aanwezig geregistreerd (uitgecheckt), dus u kunt nu "
                                        "niet stemmen. Laat uw toegangsbewijs bij de ingang opnieuw scannen."));
    *out = me;
    return 0;
}

/* An adopted poll: what the chair's console prefills for the effective date (R3). */
static int service_polls_adoption_hint(store_conn *conn, const store_polls_row *poll, json_t *body, alvd_err *err)
{
    rules_day decided;
    char earliest[RULES_DATE_TEXT_SIZE];
    json_t *adoption = NULL;
    if (rules_date_parse(json_string_value(json_object_get(body, "decided_on")), "decided_on", &decided, err) != 0)
        return -1;
    json_object_set_new(body, "earliest_effective_date",
                        json_string(rules_date_format(rules_earliest_effective_date(decided), earliest)));
    if (store_polls_proposal_adoption(conn, poll->proposal_id, &adoption, err) != 0)
        return -1;
    json_object_set_new(body, "adoption", adoption);
    return 0;
}

int service_polls_get(store_conn *conn, const service_polls_caller *caller, long long poll_id, json_t **out,
                      alvd_err *err)
{
    store_polls_row poll;
    json_t *body = NULL, *me = NULL;
    *out = NULL;
    if (service_polls_load_for(conn, caller, poll_id, 0, &poll, err) != 0 ||
        (body = service_polls_row_json(conn, &poll, err)) == NULL)
        return -1;
    if (caller->who->kind == AUTH_KIND_MEMBER) {
        if (service_polls_member_view(conn, &poll, caller->who->organisation_id, &me, err) != 0)
            goto fail;
        json_object_set_new(body, "me", me);
    }
    if (strcmp(poll.state, "closed") == 0 && poll.adopted && !poll.superseded_by && poll.proposal_id &&
        service_polls_adoption_hint(conn, &poll, body, err) != 0)
        goto fail;
    *out = body;
    return 0;
fail:
    json_decref(body);
    return -1;
}

int service_polls_current(store_conn *conn, const service_polls_caller *caller, long long meeting_id, json_t **out,
                          alvd_err *err)
{
    long long poll_id = 0;
    *out = NULL;
    if (service_polls_meeting_for(conn, caller, meeting_id, err) != 0 ||
        store_polls_current_id(conn, meeting_id, &poll_id, err) != 0)
        return -1;
    return poll_id ? service_polls_get(conn, caller, poll_id, out, err) : 0;
}

int service_polls_proposal(store_conn *conn, const service_polls_caller *caller, long long poll_id, json_t **out,
                           alvd_err *err)
{
    store_polls_row poll;
    *out = NULL;
    if (service_polls_load_for(conn, caller, poll_id, 0, &poll, err) != 0)
        return -1;
    if (poll.proposal_id == 0)
        return alvd_err_set(err, 404, "no_proposal", NULL, "Deze stemming gaat over een besluit zonder voorsteltekst.");
    *out = service_proposals_json(conn, poll.proposal_id, poll.revision_id, 0, err);
    return *out ? 0 : -1;
}

int service_polls_voters(store_conn *conn, const service_polls_caller *caller, long long poll_id, json_t **out,
                         alvd_err *err)
{
    (void)caller;
    store_polls_row poll;
    long long cast = 0;
    json_t *not_voted = NULL;
    *out = NULL;
    if (store_polls_load(conn, poll_id, 0, &poll, err) != 0 || store_polls_count_voters(conn, poll_id, &cast, err) != 0)
        return -1;
    json_t *body = json_pack("{s:I, s:s, s:b, s:i, s:I, s:I}", "poll_id", (json_int_t)poll_id, "state", poll.state,
                             "secret", poll.secret, "eligible", poll.eligible, "cast", (json_int_t)cast,
                             "not_voted_count", (json_int_t)(poll.eligible - cast));
    if (!poll.secret) {
        /* An open poll: the chair sees who has not voted yet (and through whom). */
        if (store_polls_not_voted(conn, poll_id, &not_voted, err) != 0) {
            json_decref(body);
            return -1;
        }
        json_object_set_new(body, "not_voted", not_voted);
    }
    *out = body;
    return 0;
}

/* ---------------------------------------------------------------- create, re-vote */

/* Insert a draft poll, audit it as action with details (borrowed), commit the caller's
 * transaction and answer the poll. -1 with err, the transaction still open, when a
 * step before the commit fails. */
static int service_polls_insert_draft(store_conn *conn, const service_polls_caller *caller,
                                      const store_polls_draft *draft, const char *action, json_t *details,
                                      json_t **out, int *committed, alvd_err *err)
{
    long long poll_id = 0;
    if (store_polls_insert_draft(conn, draft, &poll_id, err) != 0 ||
        audit_append(conn, err, &caller->actor, action, "poll", poll_id, details) != 0 || store_commit(conn, err) != 0)
        return -1;
    *committed = 1;
    *out = service_polls_json(conn, poll_id, err);
    return *out ? 0 : -1;
}

/* A poll on an agenda item that is a decision but not a proposal: its title is copied,
 * so the record says what was voted on whatever the agenda says later. */
static int service_polls_create_decision(store_conn *conn, const service_polls_caller *caller,
                                         const service_polls_create_input *input, const char *title, json_t **out,
                                         int *committed, alvd_err *err)
{
    long long existing = 0;
    if (store_polls_find_by_item(conn, input->meeting_id, input->agenda_item_id, &existing, err) != 0)
        return -1;
    if (existing)
        return alvd_err_set(err, 409, "poll_exists", "agenda_item_id",
                            "Er is al een stemming over dit agendapunt (nummer %lld); gebruik zo nodig een herstemming.",
                            existing);
    json_t *details = json_pack("{s:I, s:I, s:s, s:b}", "meeting_id", (json_int_t)input->meeting_id, "agenda_item_id",
                                (json_int_t)input->agenda_item_id, "title", title, "secret", input->secret);
    store_polls_draft draft = {.meeting_id = input->meeting_id, .agenda_item_id = input->agenda_item_id,
                               .decision_title = title, .secret = input->secret,
                               .created_by = caller->who->user_id};
    int rc = service_polls_insert_draft(conn, caller, &draft, "poll.create", details, out, committed, err);
    json_decref(details);
    return rc;
}

/* The meeting row first (lock order); a closed meeting takes no new poll. */
static int service_polls_lock_open_meeting(store_conn *conn, long long meeting_id, alvd_err *err)
{
    meeting_info meeting;
    int found = 0;
    if (store_meetings_lock(conn, meeting_id, &found, err) != 0)
        return -1;
    if (!found)
        return alvd_err_set(err, 404, "not_found", NULL, "Vergadering niet gevonden.");
    if (store_meetings_load(conn, meeting_id, &meeting, err) != 0)
        return -1;
    if (strcmp(meeting.state, "closed") == 0)
        return alvd_err_set(err, 409, "meeting_closed", NULL, "Deze vergadering is gesloten.");
    return 0;
}

/* A poll on a proposal of the meeting's agenda: one per proposal, and only when ready. */
static int service_polls_create_proposal(store_conn *conn, const service_polls_caller *caller,
                                         const service_polls_create_input *input, long long proposal_id, json_t **out,
                                         int *committed, alvd_err *err)
{
    char state[16];
    long long revision_id = 0, existing = 0;
    int found = 0;
    if (store_polls_lock_agenda_proposal(conn, input->meeting_id, proposal_id, state, &revision_id, &found, err) != 0)
        return -1;
    if (!found)
        return alvd_err_set(err, 422, "not_on_agenda", "proposal_id",
                            "Dit voorstel staat niet op de agenda van deze vergadering.");
    /* An existing poll first: its message points to the re-vote. */
    if (store_polls_find_by_proposal(conn, input->meeting_id, proposal_id, &existing, err) != 0)
        return -1;
    if (existing)
        return alvd_err_set(err, 409, "poll_exists", "proposal_id",
                            "Er is al een stemming over dit voorstel (nummer %lld); gebruik zo nodig een herstemming.",
                            existing);
    if (strcmp(state, "ready") != 0)
        return alvd_err_set(err, 422, "proposal_not_ready", "proposal_id",
                            "Over dit voorstel kan niet (meer) worden gestemd: het is niet gereed voor de ALV (status %s).",
                            state);
    json_t *details = json_pack("{s:I, s:I, s:b}", "meeting_id", (json_int_t)input->meeting_id, "proposal_id",
                                (json_int_t)proposal_id, "secret", input->secret);
    store_polls_draft draft = {.meeting_id = input->meeting_id, .proposal_id = proposal_id, .revision_id = revision_id,
                               .secret = input->secret, .created_by = caller->who->user_id};
    int rc = service_polls_insert_draft(conn, caller, &draft, "poll.create", details, out, committed, err);
    json_decref(details);
    return rc;
}

/* An agenda item: a proposal item goes the proposal's way, a decision its own. */
static int service_polls_create_on_item(store_conn *conn, const service_polls_caller *caller,
                                        const service_polls_create_input *input, json_t **out, int *committed,
                                        alvd_err *err)
{
    store_polls_agenda_item item;
    int found = 0;
    if (store_polls_lock_agenda_item(conn, input->meeting_id, input->agenda_item_id, &item, &found, err) != 0)
        return -1;
    if (!found)
        return alvd_err_set(err, 422, "not_on_agenda", "agenda_item_id",
                            "Dit agendapunt staat niet op de agenda van deze vergadering.");
    if (strcmp(item.kind, "item") == 0)
        return alvd_err_set(err, 422, "not_a_decision", "agenda_item_id",
                            "Over dit agendapunt wordt niet gestemd; maak er op de agenda een besluit van.");
    if (strcmp(item.kind, "decision") == 0)
        return service_polls_create_decision(conn, caller, input, item.title, out, committed, err);
    return service_polls_create_proposal(conn, caller, input, item.proposal_id, out, committed, err);
}

int service_polls_create(store_conn *conn, const service_polls_caller *caller, const service_polls_create_input *input,
                         json_t **out, alvd_err *err)
{
    int committed = 0, rc;
    *out = NULL;
    if (store_begin(conn, err) != 0 || service_polls_lock_open_meeting(conn, input->meeting_id, err) != 0)
        rc = -1;
    else if (input->agenda_item_id)
        rc = service_polls_create_on_item(conn, caller, input, out, &committed, err);
    else
        rc = service_polls_create_proposal(conn, caller, input, input->proposal_id, out, &committed, err);
    if (rc != 0 && !committed)
        store_rollback(conn);
    return rc;
}

/* Under the meeting and poll locks: only the last closed poll of an open meeting, not
 * repeated yet and not dated, is re-voted. */
static int service_polls_revotable(store_conn *conn, const store_polls_row *poll, int meeting_open, alvd_err *err)
{
    int pending = 0, dated = 0;
    if (strcmp(poll->state, "closed") != 0 || poll->superseded_by)
        return alvd_err_set(err, 409, "not_revotable", NULL,
                            "Alleen de laatste, gesloten stemming over een voorstel kan worden overgedaan.");
    if (!meeting_open)
        return alvd_err_set(err, 409, "meeting_not_open", NULL, "Een herstemming kan alleen tijdens de vergadering.");
    if (store_polls_revote_blockers(conn, poll->id, poll->proposal_id, &pending, &dated, err) != 0)
        return -1;
    if (pending || dated)
        return alvd_err_set(err, 409, pending ? "revote_exists" : "effective_date_set", NULL,
                            pending ? "Er is al een herstemming over deze stemming."
                                    : "Voor dit besluit is de ingangsdatum al vastgesteld; een herstemming kan niet meer.");
    return 0;
}

int service_polls_revote(store_conn *conn, const service_polls_caller *caller, long long poll_id, json_t *body,
                         json_t **out, alvd_err *err)
{
    store_polls_row poll;
    static const char *const fields[] = {"secret", NULL};
    char meeting_state[8], meeting_date[11];
    int committed = 0;
    *out = NULL;
    if (input_only(body, fields, err) != 0 || store_polls_load(conn, poll_id, 0, &poll, err) != 0)
        goto fail;
    int secret = poll.secret;
    if (input_boolean(body, "secret", poll.secret, &secret, err) != 0 || store_begin(conn, err) != 0 ||
        store_meetings_lock_state(conn, poll.meeting_id, meeting_state, meeting_date, err) != 0 ||
        store_polls_load(conn, poll_id, 1, &poll, err) != 0 ||
        service_polls_revotable(conn, &poll, strcmp(meeting_state, "open") == 0, err) != 0)
        goto fail;
    json_t *details = json_pack("{s:I, s:b}", "revote_of", (json_int_t)poll_id, "secret", secret);
    store_polls_draft draft = {.meeting_id = poll.meeting_id, .proposal_id = poll.proposal_id,
                               .revision_id = poll.revision_id, .agenda_item_id = poll.agenda_item_id,
                               .decision_title = poll.revision_id ? NULL : poll.decision_title, .secret = secret,
                               .revote_of = poll_id, .created_by = caller->who->user_id};
    int rc = service_polls_insert_draft(conn, caller, &draft, "poll.revote", details, out, &committed, err);
    json_decref(details);
    if (rc == 0 || committed)
        return rc;
fail:
    store_rollback(conn);
    return -1;
}

/* ---------------------------------------------------------------- open */

/* Under the meeting lock: lock the poll, check it can open, and fix the majority rule
 * (a decision's own rule on the agenda, else the meeting's) into rule_text. */
static int service_polls_open_checks(store_conn *conn, long long poll_id, store_polls_row *poll, char rule_text[32],
                                     alvd_err *err)
{
    meeting_info meeting;
    char state[16];
    if (store_meetings_load(conn, poll->meeting_id, &meeting, err) != 0 || store_polls_load(conn, poll_id, 1, poll, err) != 0)
        return -1;
    if (strcmp(poll->state, "open") == 0)
        return alvd_err_set(err, 409, "poll_open", NULL, "Deze stemming is al geopend.");
    if (strcmp(poll->state, "closed") == 0)
        return alvd_err_set(err, 409, "poll_closed", NULL, "Deze stemming is al gesloten.");
    if (strcmp(meeting.state, "open") != 0)
        return alvd_err_set(err, 409, "meeting_not_open", NULL,
                            "Open eerst de vergadering; een stemming kan alleen tijdens de vergadering.");
    snprintf(rule_text, 32, "%s", meeting.majority_rule);
    if (poll->proposal_id) {
        if (store_proposals_state(conn, poll->proposal_id, state, err) != 0)
            return -1;
        if (!poll->revote_of && strcmp(state, "ready") != 0)
            return alvd_err_set(err, 409, "proposal_not_ready", NULL,
                                "Over dit voorstel kan niet meer worden gestemd (status %s).", state);
        return 0;
    }
    char item_rule[32];
    if (store_polls_agenda_rule(conn, poll->agenda_item_id, item_rule, err) != 0)
        return -1;
    if (item_rule[0])
        snprintf(rule_text, 32, "%s", item_rule);
    return 0;
}

/* P: every member row locked in id order (no check-in or check-out can commit between
 * the snapshot and the opening: they lock their member row first), silent remote pages
 * checked out (BW 2:38a: the member must follow the meeting), then the snapshot stored. */
static int service_polls_open_snapshot(store_conn *conn, const service_polls_caller *caller,
                                       const store_polls_row *poll, attendance_snapshot *snapshot, alvd_err *err)
{
    if (store_attendance_lock_members(conn, poll->meeting_id, err) != 0 ||
        service_remote_sweep_locked(conn, caller->app, poll->meeting_id, err) != 0 ||
        store_attendance_snapshot_at(conn, poll->meeting_id, NULL, snapshot, err) != 0)
        return -1;
    for (size_t i = 0; i < snapshot->count; i++) {
        const attendance_member *member = &snapshot->members[i];
        long long voter = member->inside ? member->organisation_id : member->represented_by;
        if (voter != 0 && store_polls_insert_eligible(conn, poll->id, member->organisation_id, voter, err) != 0)
            return -1;
    }
    return 0;
}

/* What the opening answers. */
static json_t *service_polls_open_json(const store_polls_row *poll, const char *rule_text,
                                       const attendance_snapshot *snapshot, const store_polls_opening *opening)
{
    char words[96];
    json_t *body = json_pack("{s:I, s:s, s:i, s:i, s:s, s:s, s:I, s:I, s:b}", "id", (json_int_t)poll->id, "state",
                             "open", "eligible", opening->eligible, "threshold", opening->threshold, "rule", rule_text,
                             "rule_text", rules_majority_rule_words(rule_text), "present", (json_int_t)snapshot->present,
                             "represented", (json_int_t)snapshot->represented, "secret", poll->secret);
    json_object_set_new(body, "present_hall", json_integer(snapshot->present - snapshot->present_remote));
    json_object_set_new(body, "present_remote", json_integer(snapshot->present_remote));
    if (opening->literal_threshold)
        json_object_set_new(body, "literal_threshold", json_integer(opening->literal_threshold));
    json_object_set_new(body, "threshold_text",
                        json_string(service_polls_threshold_words(rule_text, opening->threshold, words)));
    return body;
}

/* Store P, the rule and thresholds, publish the opening and audit it. */
static int service_polls_open_record(store_conn *conn, const service_polls_caller *caller, store_polls_row *poll,
                                     rules_majority_rule rule, const char *rule_text,
                                     const attendance_snapshot *snapshot, store_polls_opening *opening, alvd_err *err)
{
    char opened_at[CLOCK_SQL_SIZE];
    int present = (int)snapshot->eligible;
    int literal = rules_majority_threshold(RULES_MAJORITY_LITERAL_HALF_PLUS_ONE, present, 0);
    *opening = (store_polls_opening){.rule = rule_text, .eligible = present, .present = snapshot->present,
                                     .present_remote = snapshot->present_remote,
                                     .represented = snapshot->represented,
                                     .threshold = rules_majority_threshold(rule, present, 0),
                                     .opened_at = clock_sql_now(&caller->app->config, opened_at)};
    if (rule != RULES_MAJORITY_OF_VOTES_CAST && literal != opening->threshold)
        opening->literal_threshold = literal;
    long long poll_id = poll->id;
    if (store_polls_mark_open(conn, poll_id, opening, err) != 0 || store_polls_load(conn, poll_id, 0, poll, err) != 0 ||
        service_polls_publish(conn, poll, "open", 0, NULL, err) != 0)
        return -1;
    json_t *details = json_pack("{s:i, s:I, s:I, s:I, s:i, s:s, s:b}", "eligible", present, "present",
                                (json_int_t)snapshot->present, "present_remote", (json_int_t)snapshot->present_remote,
                                "represented", (json_int_t)snapshot->represented, "threshold", opening->threshold,
                                "rule", rule_text, "secret", poll->secret);
    int rc = audit_append(conn, err, &caller->actor, "poll.open", "poll", poll_id, details);
    json_decref(details);
    opening->opened_at = NULL; /* the buffer ends here */
    return rc;
}

int service_polls_open(store_conn *conn, const service_polls_caller *caller, long long poll_id, json_t **out,
                       alvd_err *err)
{
    const char *data_dir = caller->app->config.data_dir;
    int box_made = 0, committing = 0, found = 0;
    attendance_snapshot snapshot = {0};
    store_polls_row poll;
    store_polls_opening opening;
    rules_majority_rule rule;
    char rule_text[32];
    *out = NULL;
    /* The meeting row first (lock order), then the poll. */
    if (store_polls_load(conn, poll_id, 0, &poll, err) != 0 || store_begin(conn, err) != 0 ||
        store_meetings_lock(conn, poll.meeting_id, &found, err) != 0 ||
        service_polls_open_checks(conn, poll_id, &poll, rule_text, err) != 0 ||
        rules_majority_rule_parse(rule_text, &rule, err) != 0 ||
        service_polls_open_snapshot(conn, caller, &poll, &snapshot, err) != 0)
        goto fail;
    if (poll.secret) {
        /* The poll's own key: its secret half goes to keys/polls/ (on disk before this
         * commits), only the public half into the database. */
        unsigned char box_public_key[BALLOT_BOX_KEY_BYTES];
        if (ballot_box_create(data_dir, poll_id, box_public_key, err) != 0)
            goto fail;
        box_made = 1;
        if (store_polls_set_box_key(conn, poll_id, box_public_key, err) != 0)
            goto fail;
    }
    if (service_polls_open_record(conn, caller, &poll, rule, rule_text, &snapshot, &opening, err) != 0)
        goto fail;
    committing = 1; /* from here a failure may still have committed: keep the key */
    if (store_commit(conn, err) != 0)
        goto fail;
    *out = service_polls_open_json(&poll, rule_text, &snapshot, &opening);
    store_attendance_snapshot_free(&snapshot);
    return 0;
fail:
    store_rollback(conn);
    if (box_made && !committing)
        ballot_box_destroy(data_dir, poll_id);
    store_attendance_snapshot_free(&snapshot);
    return -1;
}

/* ---------------------------------------------------------------- paper */

/* Mark a paper vote in the register: the member must be in the snapshot, once. */
static int service_polls_paper_register(store_conn *conn, long long poll_id, long long organisation_id, alvd_err *err)
{
    int eligible = 0, added = 0;
    if (store_polls_is_eligible(conn, poll_id, organisation_id, &eligible, err) != 0)
        return -1;
    if (!eligible)
        return alvd_err_set(err, 403, "not_eligible", "organisation_id",
                            "Lid %lld stond niet op de presentielijst toen deze stemming werd geopend.",
                            organisation_id);
    if (store_polls_register_paper(conn, poll_id, organisation_id, &added, err) != 0)
        return -1;
    if (!added)
        return alvd_err_set(err, 409, "already_voted", "organisation_id",
                            "Lid %lld heeft al gestemd (telefoon of papier); een tweede stem telt niet.",
                            organisation_id);
    return 0;
}

/* An open poll: each paper vote is named. *details gets {"votes": [...]} for the audit. */
static int service_polls_paper_named(store_conn *conn, const service_polls_caller *caller, long long poll_id,
                                     json_t *body, int added[3], json_t **details, alvd_err *err)
{
    static const char *const open_fields[] = {"votes", NULL};
    static const char *const vote_fields[] = {"organisation_id", "choice", NULL};
    static const char *const choices[] = {"for", "against", "abstain", NULL};
    json_t *votes = json_object_get(body, "votes");
    if (input_only(body, open_fields, err) != 0)
        return -1;
    if (!json_is_array(votes) || json_array_size(votes) == 0 || json_array_size(votes) > 10000)
        return alvd_err_set(err, 400, "bad_votes", "votes",
                            "Geef de papieren stemmen als lijst: [{\"organisation_id\", \"choice\"}].");
    json_t *named = json_array();
    *details = json_pack("{s:o}", "votes", named);
    for (size_t i = 0; i < json_array_size(votes); i++) {
        json_t *vote = json_array_get(votes, i);
        const char *choice;
        long long organisation_id;
        if (!json_is_object(vote))
            return alvd_err_set(err, 400, "bad_votes", "votes", "Elke papieren stem is een object.");
        if (input_only(vote, vote_fields, err) != 0 ||
            input_integer(vote, "organisation_id", 1, 1, 1LL << 53, &organisation_id, NULL, err) != 0 ||
            input_choice(vote, "choice", 1, choices, &choice, err) != 0 ||
            service_polls_paper_register(conn, poll_id, organisation_id, err) != 0 ||
            store_polls_insert_paper_vote(conn, poll_id, organisation_id, choice, caller->who->user_id, err) != 0)
            return -1;
        added[strcmp(choice, "for") == 0 ? 0 : strcmp(choice, "against") == 0 ? 1 : 2]++;
        json_array_append_new(named, json_pack("{s:I, s:s}", "organisation_id", (json_int_t)organisation_id, "choice",
                                               choice));
    }
    return 0;
}

/* The members of a secret poll who voted on paper, marked in the register. */
static int service_polls_paper_mark(store_conn *conn, long long poll_id, json_t *ids, json_t **marked, alvd_err *err)
{
    *marked = json_array();
    for (size_t i = 0; i < json_array_size(ids); i++) {
        json_t *id = json_array_get(ids, i);
        if (!json_is_integer(id) || json_integer_value(id) < 1)
            return alvd_err_set(err, 400, "bad_organisation_ids", "organisation_ids",
                                "Elk organisatienummer is een positief geheel getal.");
        if (service_polls_paper_register(conn, poll_id, (long long)json_integer_value(id), err) != 0)
            return -1;
        json_array_append_new(*marked, json_integer(json_integer_value(id)));
    }
    return 0;
}

/* A secret poll: the members who voted on paper are marked in the register and only
 * the totals of their ballots are added. */
static int service_polls_paper_secret(store_conn *conn, const store_polls_row *poll, json_t *body, int added[3],
                                      json_t **details, alvd_err *err)
{
    static const char *const secret_fields[] = {"organisation_ids", "for", "against", "abstain", NULL};
    json_t *ids = json_object_get(body, "organisation_ids"), *marked = NULL;
    long long totals[3];
    if (input_only(body, secret_fields, err) != 0 || input_integer(body, "for", 1, 0, 100000, &totals[0], NULL, err) != 0 ||
        input_integer(body, "against", 1, 0, 100000, &totals[1], NULL, err) != 0 ||
        input_integer(body, "abstain", 1, 0, 100000, &totals[2], NULL, err) != 0)
        return -1;
    if (!json_is_array(ids) || json_array_size(ids) == 0 || json_array_size(ids) > 10000)
        return alvd_err_set(err, 400, "bad_organisation_ids", "organisation_ids",
                            "Geef de leden die op papier stemden als lijst van organisatienummers.");
    if ((long long)json_array_size(ids) != totals[0] + totals[1] + totals[2])
        return alvd_err_set(err, 422, "paper_totals_mismatch", "organisation_ids",
                            "Het aantal leden (%zu) moet gelijk zijn aan voor + tegen + onthouding (%lld).",
                            json_array_size(ids), totals[0] + totals[1] + totals[2]);
    if (service_polls_paper_mark(conn, poll->id, ids, &marked, err) != 0) {
        json_decref(marked);
        return -1;
    }
    for (int c = 0; c < 3; c++)
        added[c] = (int)totals[c];
    /* Sealed like the phone ballots: the tables show how many paper ballots, not what
     * they say, until the count. */
    if (poll->boxed)
        *details = json_pack("{s:o, s:i}", "organisation_ids", marked, "ballots", added[0] + added[1] + added[2]);
    else
        *details = json_pack("{s:o, s:i, s:i, s:i}", "organisation_ids", marked, "for", added[0], "against", added[1],
                             "abstain", added[2]);
    return 0;
}

/* The paper totals: sealed into the box of a sealed poll, else added to the poll row. */
static int service_polls_paper_totals(store_conn *conn, const store_polls_row *poll, const int added[3], alvd_err *err)
{
    if (!poll->boxed)
        return store_polls_add_paper(conn, poll->id, added, err);
    ballot_box_sealer sealer;
    ballot_box_content content = {.paper = 1, .totals = {added[0], added[1], added[2]}};
    unsigned char row_id[BALLOT_BOX_ROW_ID_BYTES], sealed[BALLOT_BOX_SEALED_BYTES];
    randombytes_buf(row_id, sizeof row_id);
    if (ballot_box_sealer_start(&sealer, poll->box_public_key) != 0)
        return alvd_err_set(err, 500, "poll_key_damaged", NULL, "De sleutel van deze geheime stemming is onbruikbaar.");
    ballot_box_seal(&sealer, poll->id, row_id, &content, sealed);
    ballot_box_sealer_wipe(&sealer);
    sodium_memzero(&content, sizeof content);
    store_ballots_row row = {.poll_id = poll->id, .id = row_id, .sealed = sealed};
    return store_ballots_insert_sealed(conn, &row, 1, err);
}

int service_polls_paper(store_conn *conn, const service_polls_caller *caller, long long poll_id, json_t *body,
                        json_t **out, alvd_err *err)
{
    json_t *details = NULL;
    store_polls_row poll;
    long long cast = 0;
    int added[3] = {0, 0, 0};
    *out = NULL;
    if (store_begin(conn, err) != 0 || store_polls_load(conn, poll_id, 1, &poll, err) != 0)
        goto fail;
    if (strcmp(poll.state, "open") != 0) {
        alvd_err_set(err, 409, strcmp(poll.state, "draft") == 0 ? "poll_not_open" : "poll_closed", NULL,
                     "Papieren stemmen kunnen alleen worden ingevoerd zolang de stemming open is.");
        goto fail;
    }
    if ((poll.secret ? service_polls_paper_secret(conn, &poll, body, added, &details, err)
                     : service_polls_paper_named(conn, caller, poll_id, body, added, &details, err)) != 0 ||
        service_polls_paper_totals(conn, &poll, added, err) != 0 ||
        store_polls_count_voters(conn, poll_id, &cast, err) != 0 ||
        service_polls_publish(conn, &poll, "open", cast, NULL, err) != 0 ||
        audit_append(conn, err, &caller->actor, "poll.paper", "poll", poll_id, details) != 0 ||
        store_commit(conn, err) != 0)
        goto fail;
    json_decref(details);
    *out = json_pack("{s:I, s:I, s:i}", "poll_id", (json_int_t)poll_id, "cast", (json_int_t)cast, "added",
                     added[0] + added[1] + added[2]);
    return 0;
fail:
    store_rollback(conn);
    json_decref(details);
    return -1;
}
