/* The speaker list and written contributions: a present member (hall or remote) asks
 * for the floor once at a time under its member row lock, the chair gives and ends it;
 * contributions are rate-limited and moderated. Every change is published for the pages. */
#include "alvd/service/speakers.h"

#include <stdio.h>
#include <string.h>

#include "alvd/service/meetings.h"
#include "alvd/service/remote.h"
#include "alvd/store/contributions.h"
#include "alvd/store/speakers.h"
#include "alvd/store/events.h"
#include "alvd/store/meetings.h"

/* Publish a change of the list for the pages (chair, projector, phones refetch). */
static int speakers_publish(store_conn *conn, long long meeting_id, const char *kind, const char *reason, long long id,
                            alvd_err *err)
{
    json_t *payload = json_pack("{s:s, s:I}", "reason", reason, "id", (json_int_t)id);
    int rc = store_events_append(conn, meeting_id, kind, payload, err);
    json_decref(payload);
    return rc;
}

/* The asking member: present now (hall or remote), in an open meeting, and allowed to
 * take part in the deliberation from where it is. Locks the member row; caller's
 * transaction. channel gets "hall" or "remote". */
static int speakers_present_member(store_conn *conn, const auth_principal *who, long long meeting_id,
                                   char channel[8], alvd_err *err)
{
    meeting_info meeting;
    attendance_last last;
    int member = 0;
    if (service_meetings_load_for(conn, who, meeting_id, &meeting, err) != 0)
        return -1;
    if (strcmp(meeting.state, "open") != 0)
        return alvd_err_set(err, 409, "meeting_not_open", NULL,
                            "Het woord vragen kan alleen tijdens de vergadering (zij is nu niet geopend).");
    if (store_attendance_lock_member(conn, meeting_id, who->organisation_id, &member, err) != 0)
        return -1;
    if (!member)
        return alvd_err_set(err, 403, "not_voting_member", NULL,
                            "Uw organisatie is geen stemgerechtigd lid voor deze vergadering.");
    if (store_attendance_last_event(conn, meeting_id, who->organisation_id, &last, err) != 0)
        return -1;
    if (strcmp(last.direction, "entry") != 0)
        return alvd_err_set(err, 409, "not_present", NULL,
                            "U bent niet aangemeld als aanwezig. Meld u aan bij de ingang of neem op afstand deel;"
                            " daarna kunt u het woord vragen.");
    if (strcmp(last.channel, "remote") == 0 && !meeting.remote_deliberation)
        return alvd_err_set(err, 403, "deliberation_off", NULL,
                            "Bij deze vergadering volgt en stemt u op afstand; het woord voeren kan alleen in de zaal.");
    snprintf(channel, 8, "%s", last.channel);
    return 0;
}

/* The new request's row, its place in the queue, the audit entry and the event. */
static int speakers_add_request(store_conn *conn, const auth_principal *who, const audit_actor *actor,
                                long long meeting_id, speakers_requested *out, alvd_err *err)
{
    long long item = 0;
    int has_item = 0;
    if (store_speakers_current_item(conn, meeting_id, &has_item, &item, err) != 0)
        return -1;
    json_t *details = json_pack("{s:I, s:s}", "organisation_id", (json_int_t)who->organisation_id, "channel",
                                out->channel);
    int rc = audit_append(conn, err, actor, "speaker.request", "meeting", meeting_id, details);
    json_decref(details);
    if (rc != 0 ||
        store_speakers_insert(conn, meeting_id, who->organisation_id, out->channel, has_item, item, &out->id, err) != 0 ||
        store_speakers_position(conn, meeting_id, out->id, &out->position, err) != 0)
        return -1;
    return speakers_publish(conn, meeting_id, SPEAKERS_EVENT, "request", out->id, err);
}

int service_speakers_request(store_conn *conn, const auth_principal *who, const audit_actor *actor,
                             long long meeting_id, speakers_requested *out, alvd_err *err)
{
    speakers_open open;
    int found = 0;
    memset(out, 0, sizeof *out);
    if (store_begin(conn, err) != 0 || speakers_present_member(conn, who, meeting_id, out->channel, err) != 0 ||
        /* Once at a time: under the member row lock no second request can slip in. */
        store_speakers_open_request(conn, meeting_id, who->organisation_id, &open, &found, err) != 0)
        goto fail;
    if (found) {
        store_rollback(conn);
        out->already = 1;
        out->already_speaking = open.speaking;
        out->id = open.id;
        return 0;
    }
    if (speakers_add_request(conn, who, actor, meeting_id, out, err) != 0 || store_commit(conn, err) != 0)
        goto fail;
    return 0;
fail:
    store_rollback(conn);
    return -1;
}

void service_speakers_view_free(speakers_view *view)
{
    store_attendance_snapshot_free(&view->snapshot);
    store_result_free(view->rows);
    store_result_free(view->clock);
    view->rows = view->clock = NULL;
}

int service_speakers_list(store_conn *conn, const auth_principal *who, long long meeting_id, speakers_view *out,
                          alvd_err *err)
{
    meeting_info meeting;
    alvd_err clock_err;
    memset(out, 0, sizeof *out);
    if (service_meetings_load_for(conn, who, meeting_id, &meeting, err) != 0 ||
        store_attendance_snapshot_at(conn, meeting_id, NULL, &out->snapshot, err) != 0 ||
        store_speakers_list(conn, meeting_id, &out->rows, err) != 0) {
        service_speakers_view_free(out);
        return -1;
    }
    out->remote_deliberation = meeting.remote_deliberation;
    /* The server's instant, so a page counts the speaking time without trusting its own
     * clock; the list is still worth showing without it. */
    alvd_err_clear(&clock_err);
    if (store_speakers_clock(conn, &out->clock, &clock_err) != 0 || store_result_rows(out->clock) != 1) {
        store_result_free(out->clock);
        out->clock = NULL;
    }
    return 0;
}

/* Giving the floor to the next speaker ends the current turn first, recorded with its
 * own time; *ended gets that turn's id. */
static int speakers_change_state(store_conn *conn, long long id, const speakers_row *row, int starting,
                                 long long *ended, alvd_err *err)
{
    meeting_info meeting;
    *ended = 0;
    if (store_meetings_load(conn, row->meeting_id, &meeting, err) != 0)
        return -1;
    if (!starting) {
        if (strcmp(row->state, "speaking") != 0)
            return alvd_err_set(err, 409, "not_speaking", NULL, "Deze spreker heeft het woord niet.");
        return store_speakers_finish(conn, id, err);
    }
    if (strcmp(row->state, "waiting") != 0)
        return alvd_err_set(err, 409, "not_waiting", NULL,
                            strcmp(row->state, "speaking") == 0 ? "Deze spreker heeft het woord al."
                                                                : "Dit verzoek staat niet (meer) op de lijst.");
    if (strcmp(meeting.state, "open") != 0)
        return alvd_err_set(err, 409, "meeting_not_open", NULL, "De vergadering is niet geopend.");
    if (store_speakers_end_current(conn, row->meeting_id, ended, err) != 0)
        return -1;
    return store_speakers_start(conn, id, err);
}

/* Lock a speaker row (and nothing else); 404 when absent. */
static int speakers_load(store_conn *conn, long long id, speakers_row *row, alvd_err *err)
{
    int found = 0;
    if (store_speakers_load_locked(conn, id, row, &found, err) != 0)
        return -1;
    if (!found)
        return alvd_err_set(err, 404, "not_found", NULL, "Dit spreekverzoek bestaat niet.");
    return 0;
}

int service_speakers_transition(store_conn *conn, const audit_actor *actor, long long id, int starting,
                                store_result **item, alvd_err *err)
{
    speakers_row row;
    long long ended = 0;
    *item = NULL;
    if (store_begin(conn, err) != 0 || speakers_load(conn, id, &row, err) != 0 ||
        speakers_change_state(conn, id, &row, starting, &ended, err) != 0)
        goto fail;
    json_t *details = json_pack("{s:I, s:I}", "organisation_id", (json_int_t)row.organisation_id, "speaker_id",
                                (json_int_t)id);
    if (ended)
        json_object_set_new(details, "ended", json_integer(ended));
    int rc = audit_append(conn, err, actor, starting ? "speaker.start" : "speaker.finish", "meeting", row.meeting_id,
                          details);
    json_decref(details);
    if (rc != 0 ||
        speakers_publish(conn, row.meeting_id, SPEAKERS_EVENT, starting ? "start" : "finish", id, err) != 0 ||
        store_commit(conn, err) != 0)
        goto fail;
    alvd_err item_err;
    alvd_err_clear(&item_err);
    if (store_speakers_item(conn, id, item, &item_err) != 0 || store_result_rows(*item) != 1) {
        store_result_free(*item);
        *item = NULL;
    }
    return 0;
fail:
    store_rollback(conn);
    return -1;
}

int service_speakers_withdraw(store_conn *conn, const auth_principal *who, const audit_actor *actor, long long id,
                              alvd_err *err)
{
    speakers_row row;
    if (store_begin(conn, err) != 0 || speakers_load(conn, id, &row, err) != 0)
        goto fail;
    int by_member = who->kind == AUTH_KIND_MEMBER;
    /* A member withdraws only its own request (another's is not even shown to exist). */
    if (by_member && (who->meeting_id != row.meeting_id || who->organisation_id != row.organisation_id)) {
        alvd_err_set(err, 404, "not_found", NULL, "Dit spreekverzoek bestaat niet.");
        goto fail;
    }
    if (strcmp(row.state, "waiting") != 0) {
        alvd_err_set(err, 409, "not_waiting", NULL,
                     strcmp(row.state, "speaking") == 0 ? "Deze spreker heeft het woord; de voorzitter beëindigt de beurt."
                                                        : "Dit verzoek staat niet (meer) op de lijst.");
        goto fail;
    }
    json_t *details = json_pack("{s:I, s:I, s:s}", "organisation_id", (json_int_t)row.organisation_id, "speaker_id",
                                (json_int_t)id, "by", by_member ? "member" : "chair");
    int rc = audit_append(conn, err, actor, "speaker.withdraw", "meeting", row.meeting_id, details);
    json_decref(details);
    if (rc != 0 || store_speakers_withdraw(conn, id, by_member ? "member" : "chair", err) != 0 ||
        speakers_publish(conn, row.meeting_id, SPEAKERS_EVENT, "withdraw", id, err) != 0 || store_commit(conn, err) != 0)
        goto fail;
    return 0;
fail:
    store_rollback(conn);
    return -1;
}

/* ---------------------------------------------------------------- contributions */

/* The contribution's row, audit entry (without the text: it is in the minutes once
 * moderated), rate record and event, in the caller's transaction. */
static int contributions_add(store_conn *conn, const alvd_app *app, const auth_principal *who,
                             const audit_actor *actor, long long meeting_id, const char *text, long long characters,
                             const char *subject, const char *channel, long long *id, alvd_err *err)
{
    long long item = 0;
    int has_item = 0;
    if (store_speakers_current_item(conn, meeting_id, &has_item, &item, err) != 0)
        return -1;
    json_t *details = json_pack("{s:I, s:s, s:I}", "organisation_id", (json_int_t)who->organisation_id, "channel",
                                channel, "characters", (json_int_t)characters);
    int rc = audit_append(conn, err, actor, "contribution.create", "meeting", meeting_id, details);
    json_decref(details);
    if (rc != 0 || auth_rate_record(conn, app->rate_key, "contribution", subject, err) != 0 ||
        store_contributions_insert(conn, meeting_id, who->organisation_id, channel, has_item, item, text, id, err) != 0)
        return -1;
    return speakers_publish(conn, meeting_id, CONTRIBUTIONS_EVENT, "new", *id, err);
}

int service_contributions_create(store_conn *conn, const alvd_app *app, const auth_principal *who,
                                 const audit_actor *actor, long long meeting_id, const char *text,
                                 long long characters, long long *id, char channel[8], alvd_err *err)
{
    char subject[64];
    channel[0] = '\0';
    snprintf(subject, sizeof subject, "%lld:%lld", meeting_id, who->organisation_id);
    if (auth_rate_check(conn, app->rate_key, "contribution", subject, 600, CONTRIBUTIONS_PER_10_MINUTES, err) != 0) {
        if (err->status == 429)
            alvd_err_set(err, 429, "too_many_attempts", NULL,
                         "U heeft de voorzitter net al veel bijdragen gestuurd; wacht even voor de volgende.");
        goto fail;
    }
    if (store_begin(conn, err) != 0 || speakers_present_member(conn, who, meeting_id, channel, err) != 0 ||
        contributions_add(conn, app, who, actor, meeting_id, text, characters, subject, channel, id, err) != 0 ||
        store_commit(conn, err) != 0)
        goto fail;
    return 0;
fail:
    store_rollback(conn);
    return -1;
}

int service_contributions_list(store_conn *conn, const auth_principal *who, long long meeting_id,
                               store_result **rows, alvd_err *err)
{
    meeting_info meeting;
    *rows = NULL;
    if (service_meetings_load_for(conn, who, meeting_id, &meeting, err) != 0)
        return -1;
    /* Staff see every contribution; a member only its own. */
    return store_contributions_list(conn, meeting_id, who->kind == AUTH_KIND_MEMBER ? who->organisation_id : 0,
                                    rows, err);
}

int service_contributions_moderate(store_conn *conn, const auth_principal *who, const audit_actor *actor,
                                   long long id, const char *decision, store_result **item, alvd_err *err)
{
    long long meeting_id = 0;
    int found = 0;
    *item = NULL;
    if (store_begin(conn, err) != 0 || store_contributions_lock(conn, id, &meeting_id, &found, err) != 0)
        goto fail;
    if (!found) {
        alvd_err_set(err, 404, "not_found", NULL, "Deze bijdrage bestaat niet.");
        goto fail;
    }
    json_t *details = json_pack("{s:I, s:s}", "contribution_id", (json_int_t)id, "decision", decision);
    int rc = audit_append(conn, err, actor, "contribution.moderate", "meeting", meeting_id, details);
    json_decref(details);
    if (rc != 0 || store_contributions_moderate(conn, id, decision, who->user_id, err) != 0 ||
        speakers_publish(conn, meeting_id, CONTRIBUTIONS_EVENT, decision, id, err) != 0 ||
        store_commit(conn, err) != 0 || store_contributions_item(conn, id, item, err) != 0)
        goto fail;
    return 0;
fail:
    store_result_free(*item);
    *item = NULL;
    store_rollback(conn);
    return -1;
}

json_t *service_speakers_minutes_json(store_conn *conn, long long meeting_id, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_speakers_turns(conn, meeting_id, &rows, err) != 0)
        return NULL;
    json_t *speakers = store_result_json(rows);
    store_result_free(rows);
    rows = NULL;
    if (store_contributions_list(conn, meeting_id, 0, &rows, err) != 0) {
        json_decref(speakers);
        return NULL;
    }
    json_t *contributions = store_result_json(rows);
    store_result_free(rows);
    return json_pack("{s:o, s:o}", "speakers", speakers, "contributions", contributions);
}
