/* Closing a poll: count the plain ballots, the paper totals and a secret poll's sealed
 * box, decide with R1, sign the decision, publish the trackers, then empty the box in a
 * transaction of its own; and the sweep that finishes what a crash left of that. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "alvd/base/clock.h"
#include "alvd/base/log.h"
#include "alvd/rules/dates.h"
#include "alvd/rules/deadlines.h"
#include "alvd/rules/majority.h"
#include "alvd/service/minutes.h"
#include "alvd/service/polls_internal.h"
#include "alvd/store/proposals.h"

/* What the ballot box of a secret poll holds at close. */
typedef struct service_polls_box {
    int counts[3];  /* sealed phone ballots and sealed paper totals, by choice */
    int paper[3];   /* the paper totals alone (kept sealed while the poll was open) */
    char (*trackers)[BALLOT_TRACKER_TEXT_SIZE]; /* sorted: plain and sealed phone ballots */
    size_t tracker_count;
} service_polls_box;

/* Open every sealed row with the poll's key; a row that does not open stops the count. */
static int service_polls_unseal(const store_polls_row *poll, ballot_box_opener *opener, const store_polls_sealed *rows,
                                size_t count, service_polls_box *out, alvd_err *err)
{
    for (size_t r = 0; r < count; r++) {
        ballot_box_content content;
        if (!rows[r].whole || ballot_box_unseal(opener, poll->id, rows[r].id, rows[r].sealed, rows[r].length, &content) != 0)
            return alvd_err_set(err, 500, "sealed_ballot_damaged", NULL,
                                "Een verzegelde stem van deze stemming gaat niet open; de stemming blijft open.");
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
    return 0;
}

/* Open the box: the trackers of plain rows (a poll opened before the ballot box
 * existed) and every sealed row opened with the poll's key from keys/polls/. A row that
 * does not open, or a tracker twice, stops the count (500): never publish a count that
 * is not exactly the box. */
static int service_polls_count_box(const char *data_dir, store_conn *conn, const store_polls_row *poll,
                                   service_polls_box *out, alvd_err *err)
{
    char (*plain)[BALLOT_TRACKER_TEXT_SIZE] = NULL;
    store_polls_sealed *sealed = NULL;
    size_t plain_count = 0, sealed_count = 0;
    ballot_box_opener opener = {0};
    int rc = -1;
    memset(out, 0, sizeof *out);
    if (store_polls_plain_trackers(conn, poll->id, &plain, &plain_count, err) != 0)
        return -1;
    if (poll->boxed && (ballot_box_load(data_dir, poll->id, poll->box_public_key, opener.secret_key, err) != 0 ||
                        store_polls_sealed_ballots(conn, poll->id, &sealed, &sealed_count, err) != 0))
        goto done;
    out->trackers = calloc(plain_count + sealed_count + 1, sizeof *out->trackers);
    if (out->trackers == NULL) {
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        goto done;
    }
    memcpy(out->trackers, plain, plain_count * sizeof *plain);
    out->tracker_count = plain_count;
    if (service_polls_unseal(poll, &opener, sealed, sealed_count, out, err) != 0)
        goto done;
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
    if (sealed)
        sodium_memzero(sealed, sealed_count * sizeof *sealed);
    free(sealed);
    free(plain);
    if (rc != 0) {
        free(out->trackers);
        out->trackers = NULL;
    }
    return rc;
}

/* The proposal follows the poll: adopted or rejected; when adopted, every conflicting
 * proposal of the cycle that is still open lapses (recorded in poll_lapses, so a
 * re-vote that reverses the adoption restores them). A re-vote first undoes what the
 * poll it repeats did. */
static int service_polls_apply_outcome(store_conn *conn, const store_polls_row *poll, int adopted, json_t *lapsed_ids,
                                       alvd_err *err)
{
    store_proposals_conflict *conflicts = NULL;
    size_t count = 0;
    if (poll->revote_of && (store_polls_supersede(conn, poll->revote_of, poll->id, err) != 0 ||
                            store_polls_restore_lapsed(conn, poll->revote_of, err) != 0))
        return -1;
    if (poll->proposal_id == 0)
        return 0; /* a decision without a proposal changes no proposal */
    if (store_proposals_lock(conn, poll->proposal_id, err) != 0 ||
        store_proposals_set_state(conn, poll->proposal_id, adopted ? "adopted" : "rejected", err) != 0)
        return -1;
    if (!adopted)
        return 0;
    if (store_proposals_conflicting_active(conn, poll->proposal_id, poll->revision_id, &conflicts, &count, err) != 0)
        return -1;
    for (size_t i = 0; i < count; i++) {
        if (store_polls_lapse(conn, poll->id, conflicts[i].proposal_id, conflicts[i].state, err) != 0) {
            free(conflicts);
            return -1;
        }
        json_array_append_new(lapsed_ids, json_integer(conflicts[i].proposal_id));
    }
    free(conflicts);
    return 0;
}

/* The signed decision record of a closed poll. */
static json_t *service_polls_decision_record(store_conn *conn, const store_polls_row *poll, alvd_err *err)
{
    static const char *const instants[] = {"closed_at", "opened_at", "decided_on"};
    store_polls_extras extras;
    if (store_polls_load_extras(conn, poll, &extras, err) != 0)
        return NULL;
    json_t *record = json_pack("{s:s, s:I, s:I, s:I, s:I, s:s, s:b, s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:b, s:s}",
                               "kind", "poll", "poll_id", (json_int_t)poll->id, "meeting_id",
                               (json_int_t)poll->meeting_id, "proposal_id", (json_int_t)poll->proposal_id,
                               "revision_id", (json_int_t)poll->revision_id, "title", extras.title, "secret",
                               poll->secret, "rule", poll->rule, "eligible", poll->eligible, "threshold",
                               poll->threshold, "for", poll->votes_for, "against", poll->votes_against, "abstain",
                               poll->votes_abstain, "not_voted", poll->not_voted, "adopted", poll->adopted,
                               "explanation", poll->explanation);
    for (size_t i = 0; i < sizeof instants / sizeof instants[0]; i++)
        json_object_set(record, instants[i], json_object_get(extras.times, instants[i]));
    store_polls_extras_free(&extras);
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

/* A count in progress: the ballots, the box and the register, then R1's outcome. */
typedef struct service_polls_tally {
    int counts[3];
    long long registered;
    service_polls_box box;
    rules_majority_result result;
    char fingerprint[BALLOT_FINGERPRINT_TEXT_SIZE];
    json_t *lapsed;
} service_polls_tally;

/* Count plain ballots, paper totals and the box; they must equal the register (V6). */
static int service_polls_count(const char *data_dir, store_conn *conn, const store_polls_row *poll,
                               service_polls_tally *tally, alvd_err *err)
{
    tally->counts[0] = poll->paper_for;
    tally->counts[1] = poll->paper_against;
    tally->counts[2] = poll->paper_abstain;
    if (store_polls_count_plain(conn, poll->id, tally->counts, err) != 0 ||
        (poll->secret && service_polls_count_box(data_dir, conn, poll, &tally->box, err) != 0))
        return -1;
    for (int c = 0; c < 3; c++)
        tally->counts[c] += tally->box.counts[c];
    if (store_polls_count_voters(conn, poll->id, &tally->registered, err) != 0)
        return -1;
    int counted = tally->counts[0] + tally->counts[1] + tally->counts[2];
    if (tally->registered != (long long)counted) {
        /* V6: ballots + paper must equal the register; never publish a count that does not. */
        log_warn("poll %lld: register %lld, ballots and paper %d", poll->id, tally->registered, counted);
        return alvd_err_set(err, 500, "counts_disagree", NULL,
                            "De telling klopt niet met het register van wie heeft gestemd; de stemming blijft open.");
    }
    rules_majority_rule rule;
    if (rules_majority_rule_parse(poll->rule, &rule, err) != 0 ||
        rules_majority_decide(rule, poll->eligible, tally->counts[0], tally->counts[1], tally->counts[2],
                              &tally->result, err) != 0)
        return -1;
    if (poll->secret)
        ballot_fingerprint(tally->box.trackers, tally->box.tracker_count, tally->counts[0], tally->counts[1],
                           tally->counts[2], tally->fingerprint);
    return 0;
}

/* Store the result with D (the Amsterdam date of this instant, signed with the record)
 * and let the proposals follow it; *poll is reloaded. */
static int service_polls_store_result(store_conn *conn, const service_polls_caller *caller, store_polls_row *poll,
                                      service_polls_tally *tally, alvd_err *err)
{
    long close_micros = 0;
    int64_t close_instant = clock_now(&caller->app->config, &close_micros);
    char closed_at[CLOCK_SQL_SIZE], decided_on[RULES_DATE_TEXT_SIZE];
    clock_sql_instant(close_instant, close_micros, closed_at);
    rules_date_format(rules_decision_day(close_instant), decided_on);
    store_polls_closing closing = {.counts = {tally->counts[0], tally->counts[1], tally->counts[2]},
                                   .not_voted = tally->result.not_voted, .adopted = tally->result.adopted,
                                   .threshold = tally->result.threshold, .explanation = tally->result.explanation,
                                   .fingerprint = poll->secret ? tally->fingerprint : NULL, .closed_at = closed_at,
                                   .decided_on = decided_on};
    long long poll_id = poll->id;
    /* The paper totals of a sealed poll were in the box until now. */
    if ((poll->boxed && store_polls_set_paper(conn, poll_id, tally->box.paper, err) != 0) ||
        store_polls_mark_closed(conn, poll_id, &closing, err) != 0 || store_polls_load(conn, poll_id, 0, poll, err) != 0 ||
        service_polls_apply_outcome(conn, poll, tally->result.adopted, tally->lapsed, err) != 0)
        return -1;
    return 0;
}

/* Sign the decision, publish the trackers (after the record and before the event and
 * audit entry: no register row is written in this transaction), the event, the audit. */
static int service_polls_record_close(store_conn *conn, const service_polls_caller *caller,
                                      const store_polls_row *poll, service_polls_tally *tally, alvd_err *err)
{
    json_t *record = service_polls_decision_record(conn, poll, err);
    if (record == NULL)
        return -1;
    int rc = service_minutes_record_decision(conn, caller->app->config.data_dir, poll->meeting_id, poll->id, "poll",
                                             record, err);
    json_decref(record);
    if (rc != 0 || (poll->secret && store_polls_insert_trackers(conn, poll->id, tally->box.trackers,
                                                                tally->box.tracker_count, err) != 0))
        return -1;
    const rules_majority_result *result = &tally->result;
    json_t *extra = json_pack("{s:i, s:i, s:i, s:i, s:b, s:s, s:s, s:O}", "for", tally->counts[0], "against",
                              tally->counts[1], "abstain", tally->counts[2], "not_voted", result->not_voted, "adopted",
                              result->adopted, "explanation", result->explanation, "rule", poll->rule, "lapsed",
                              tally->lapsed);
    json_object_set_new(extra, "rule_text", json_string(rules_majority_rule_words(poll->rule)));
    if (poll->literal_threshold)
        json_object_set_new(extra, "literal_threshold", json_integer(poll->literal_threshold));
    if (poll->secret)
        json_object_set_new(extra, "fingerprint", json_string(tally->fingerprint));
    if (poll->boxed)
        json_object_set_new(extra, "paper", json_pack("{s:i, s:i, s:i}", "for", tally->box.paper[0], "against",
                                                      tally->box.paper[1], "abstain", tally->box.paper[2]));
    rc = service_polls_publish(conn, poll, "closed", tally->registered, extra, err);
    if (rc == 0) {
        json_object_set_new(extra, "eligible", json_integer(poll->eligible));
        json_object_set_new(extra, "threshold", json_integer(poll->threshold));
        rc = audit_append(conn, err, &caller->actor, "poll.close", "poll", poll->id, extra);
    }
    json_decref(extra);
    return rc;
}

/* After a secret poll's count has committed: destroy its key, then — in a transaction of
 * its own, so that no register row shares a transaction with the published trackers —
 * delete the sealed (and any plain) ballots, clear the register's hashes (V4) and audit
 * that. A failure here is logged and redone by the sweep at the next start. */
static void service_polls_empty_box(const char *data_dir, store_conn *conn, long long poll_id)
{
    audit_actor ballot_box = {"system", 0, "stembus"};
    long long ballots = 0, hashes = 0;
    alvd_err err;
    alvd_err_clear(&err);
    int destroyed = ballot_box_destroy(data_dir, poll_id);
    if (store_begin(conn, &err) != 0 || store_polls_empty_box(conn, poll_id, &ballots, &hashes, &err) != 0)
        goto fail;
    json_t *details = json_pack("{s:I, s:I, s:b}", "ballots_deleted", (json_int_t)ballots, "register_hashes_cleared",
                                (json_int_t)hashes, "key_destroyed", destroyed > 0);
    int rc = audit_append(conn, &err, &ballot_box, "poll.ballot_box_emptied", "poll", poll_id, details);
    json_decref(details);
    if (rc == 0 && store_commit(conn, &err) == 0)
        return;
fail:
    store_rollback(conn);
    log_warn("poll %lld: emptying the ballot box after the count failed (%s); the next start retries", poll_id,
             err.message);
}

int service_polls_sweep_closed(const alvd_app *app, alvd_err *err)
{
    long long *ids = NULL, *leftovers = NULL;
    size_t count = 0, leftover_count = 0;
    char state[8];
    store_conn *conn = store_pool_acquire(app->pool, err);
    int rc = -1;
    if (conn == NULL || ballot_box_list(app->config.data_dir, &ids, &count, err) != 0)
        goto done;
    for (size_t i = 0; i < count; i++) {
        if (store_polls_state(conn, ids[i], state, err) != 0)
            goto done;
        if (strcmp(state, "closed") == 0)
            ballot_box_destroy(app->config.data_dir, ids[i]);
    }
    if (store_polls_closed_with_leftovers(conn, &leftovers, &leftover_count, err) != 0)
        goto done;
    for (size_t i = 0; i < leftover_count; i++)
        service_polls_empty_box(app->config.data_dir, conn, leftovers[i]);
    rc = 0;
done:
    store_pool_release(app->pool, conn);
    free(leftovers);
    free(ids);
    return rc;
}

/* Closing twice answers the stored result: every close sees one count. */
static int service_polls_closed_again(store_conn *conn, const store_polls_row *poll, json_t **out, alvd_err *err)
{
    store_rollback(conn);
    *out = service_polls_row_json(conn, poll, err);
    return *out ? 0 : -1;
}

int service_polls_close(store_conn *conn, const service_polls_caller *caller, long long poll_id, json_t **out,
                        alvd_err *err)
{
    service_polls_tally tally;
    store_polls_row poll;
    memset(&tally, 0, sizeof tally);
    *out = NULL;
    if (store_begin(conn, err) != 0 || store_polls_load(conn, poll_id, 1, &poll, err) != 0)
        goto fail;
    if (strcmp(poll.state, "closed") == 0)
        return service_polls_closed_again(conn, &poll, out, err);
    if (strcmp(poll.state, "open") != 0) {
        alvd_err_set(err, 409, "poll_not_open", NULL, "Deze stemming is nog niet geopend.");
        goto fail;
    }
    tally.lapsed = json_array();
    if (service_polls_count(caller->app->config.data_dir, conn, &poll, &tally, err) != 0 ||
        service_polls_store_result(conn, caller, &poll, &tally, err) != 0 ||
        service_polls_record_close(conn, caller, &poll, &tally, err) != 0 || store_commit(conn, err) != 0)
        goto fail;
    free(tally.box.trackers);
    if (poll.secret)
        service_polls_empty_box(caller->app->config.data_dir, conn, poll_id);
    if ((*out = service_polls_row_json(conn, &poll, err)) == NULL) {
        json_decref(tally.lapsed);
        return -1;
    }
    json_object_set_new(*out, "lapsed", tally.lapsed);
    return 0;
fail:
    store_rollback(conn);
    free(tally.box.trackers);
    json_decref(tally.lapsed);
    return -1;
}

int service_polls_trackers(store_conn *conn, const service_polls_caller *caller, long long poll_id, json_t **out,
                           alvd_err *err)
{
    char (*trackers)[BALLOT_TRACKER_TEXT_SIZE] = NULL;
    size_t count = 0;
    store_polls_row poll;
    *out = NULL;
    if (service_polls_load_for(conn, caller, poll_id, 0, &poll, err) != 0)
        return -1;
    if (!poll.secret)
        return alvd_err_set(err, 404, "not_secret", NULL, "Alleen een geheime stemming publiceert trackers.");
    /* V10: nothing of the result before the chair closes the poll. */
    if (strcmp(poll.state, "closed") != 0)
        return alvd_err_set(err, 403, "poll_not_closed", NULL,
                            "De trackers worden pas gepubliceerd als de voorzitter de stemming sluit.");
    if (store_polls_trackers(conn, poll_id, &trackers, &count, err) != 0)
        return -1;
    ballot_trackers_sort(trackers, count);
    json_t *list = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(list, json_string(trackers[i]));
    free(trackers);
    *out = json_pack("{s:I, s:o, s:s, s:i, s:i, s:i, s:s}", "poll_id", (json_int_t)poll_id, "trackers", list,
                     "fingerprint", poll.fingerprint, "for", poll.votes_for, "against", poll.votes_against, "abstain",
                     poll.votes_abstain, "method",
                     "SHA-256 van \"alvd-poll-v1\\n\", dan per tracker (gesorteerd) \"<tracker>\\n\", dan "
                     "\"for=<n>\\nagainst=<n>\\nabstain=<n>\\n\"");
    return 0;
}
