/* The vote writer's unit of work: one transaction per batch of phone votes (group
 * commit). Lock order: a batch takes only its poll rows (in id order) and the audit
 * head, so a close (poll row first) and a batch serialise exactly. */
#include "alvd/service/vote_writer.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "alvd/crypto/audit.h"
#include "alvd/crypto/ballot_box.h"
#include "alvd/service/polls.h"
#include "alvd/store/ballots.h"
#include "alvd/store/attendance.h"

#define VOTE_WRITER_ATTEMPTS 3

/* A poll of the batch: what the lock read, the snapshot and register, the batch's work. */
typedef struct vote_writer_poll {
    long long id;
    store_ballots_poll row;        /* read under the row lock */
    int open, draft;
    int sealing;                   /* sealer started for this batch */
    ballot_box_sealer sealer;      /* one key agreement per poll and batch */
    long long added;
    long long cast;                /* register size after the batch */
    store_ballots_member *eligible; /* the snapshot stored at open, sorted */
    size_t eligible_count;
    store_ballots_member *voted;   /* the register before the batch, sorted */
    size_t voted_count;
    long long *present_now;        /* members present now (R2), sorted: read once per batch */
    size_t present_now_count;
    json_t *votes;                 /* open polls: [{organisation_id, choice}] for the audit entry */
} vote_writer_poll;

/* A vote the batch will write, with its ballot's random id (V1) and, for a sealed poll,
 * the sealed ballot. leader >= 0 marks a retry of a vote earlier in the same batch
 * (same member, same ballot_id). */
typedef struct vote_writer_slot {
    size_t request;
    vote_writer_poll *poll;
    long long organisation_id;
    long long cast_by;
    const char *choice;
    unsigned char hash[BALLOT_HASH_BYTES];
    unsigned char tracker[BALLOT_TRACKER_BYTES];
    long long leader;
    int inserted;
    unsigned char id[BALLOT_BOX_ROW_ID_BYTES];
    unsigned char sealed[BALLOT_BOX_SEALED_BYTES];
} vote_writer_slot;

/* The batch across its attempts. */
typedef struct vote_writer_batch {
    const unsigned char *key;
    const service_vote_writer_vote *votes;
    size_t count;
    service_vote_writer_outcome *outcomes;
    vote_writer_poll *polls;
    size_t poll_count;
    vote_writer_slot *slots;
    size_t slot_count;
} vote_writer_batch;

static int vote_writer_poll_compare(const void *left, const void *right)
{
    long long a = ((const vote_writer_poll *)left)->id, b = ((const vote_writer_poll *)right)->id;
    return (a > b) - (a < b);
}

static int vote_writer_member_compare(const void *left, const void *right)
{
    long long a = ((const store_ballots_member *)left)->organisation_id;
    long long b = ((const store_ballots_member *)right)->organisation_id;
    return (a > b) - (a < b);
}

static vote_writer_poll *vote_writer_find_poll(vote_writer_batch *batch, long long id)
{
    vote_writer_poll key = {.id = id};
    return bsearch(&key, batch->polls, batch->poll_count, sizeof key, vote_writer_poll_compare);
}

static store_ballots_member *vote_writer_find_member(store_ballots_member *members, size_t count, long long id)
{
    store_ballots_member key = {.organisation_id = id};
    return count ? bsearch(&key, members, count, sizeof key, vote_writer_member_compare) : NULL;
}

static void vote_writer_outcome(service_vote_writer_outcome *out, int status, const char *code, const char *message)
{
    out->status = status;
    out->code = code;
    out->message = message;
}

/* The snapshot (eligible) or the register (voted) of a poll, sorted by organisation. */
static int vote_writer_members(store_conn *conn, long long poll_id, int register_rows, store_ballots_member **out,
                               size_t *count, alvd_err *err)
{
    if (store_ballots_members(conn, poll_id, register_rows, out, count, err) != 0)
        return -1;
    qsort(*out, *count, sizeof **out, vote_writer_member_compare);
    return 0;
}

static void vote_writer_poll_reset(vote_writer_poll *poll)
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

/* Lock every poll of the batch once, in id order: a close or a paper entry waits for
 * this batch, or this batch sees the poll closed. Under that lock the snapshot and the
 * register cannot change, so they are read once. */
static int vote_writer_lock_polls(store_conn *conn, vote_writer_batch *batch, alvd_err *err)
{
    for (size_t p = 0; p < batch->poll_count; p++) {
        vote_writer_poll *poll = &batch->polls[p];
        vote_writer_poll_reset(poll);
        poll->votes = json_array();
        /* A secret poll opened before the ballot box existed has no key: it goes on as
         * it started (plain rows) and is counted at close all the same. */
        if (store_ballots_lock_poll(conn, poll->id, &poll->row, err) != 0)
            return -1;
        poll->open = poll->row.found && strcmp(poll->row.state, "open") == 0;
        poll->draft = poll->row.found && strcmp(poll->row.state, "draft") == 0;
        if (poll->open &&
            (vote_writer_members(conn, poll->id, 0, &poll->eligible, &poll->eligible_count, err) != 0 ||
             vote_writer_members(conn, poll->id, 1, &poll->voted, &poll->voted_count, err) != 0 ||
             store_attendance_present_now(conn, poll->row.meeting_id, &poll->present_now, &poll->present_now_count, err) != 0))
            return -1;
    }
    return 0;
}

/* Who may cast this member's vote: 0 when the caller may, else the outcome set. */
static int vote_writer_check_voter(const service_vote_writer_vote *vote, const vote_writer_poll *poll,
                                   long long organisation_id, service_vote_writer_outcome *out)
{
    if (poll == NULL || !poll->row.found || poll->row.meeting_id != vote->meeting_id) {
        vote_writer_outcome(out, 404, "not_found", "Deze stemming bestaat niet.");
        return -1;
    }
    if (!poll->open) {
        vote_writer_outcome(out, 409, poll->draft ? "poll_not_open" : "poll_closed",
                            poll->draft ? "Deze stemming is nog niet geopend."
                                        : "Deze stemming is gesloten; uw stem is niet meer meegeteld.");
        return -1;
    }
    store_ballots_member *eligible = vote_writer_find_member(poll->eligible, poll->eligible_count, organisation_id);
    long long voter = eligible ? eligible->voter_id : 0;
    if (voter == vote->organisation_id)
        return 0;
    if (vote->on_behalf && organisation_id != vote->organisation_id)
        vote_writer_outcome(out, 403, "not_proxy_holder",
                            "U heeft voor deze stemming geen geldige volmacht van dit lid: de volmacht telde niet mee "
                            "toen de stemming werd geopend.");
    else if (voter != 0)
        vote_writer_outcome(out, 403, "represented_by_proxy",
                            "Bij de opening van deze stemming werd u vertegenwoordigd door een gevolmachtigde; "
                            "die brengt uw stem uit.");
    else
        vote_writer_outcome(out, 403, "not_eligible",
                            "U stond niet als aanwezig geregistreerd toen deze stemming werd geopend. Alleen wie "
                            "toen aanwezig was (of vertegenwoordigd werd), stemt mee.");
    return -1;
}

/* Against the register before the batch and the presence now (R2): 0 when the vote
 * may be written, else the outcome set (the same ballot again gets its receipt). */
static int vote_writer_check_register(const service_vote_writer_vote *vote, const vote_writer_poll *poll,
                                      const vote_writer_slot *slot, service_vote_writer_outcome *out)
{
    store_ballots_member *voted = vote_writer_find_member(poll->voted, poll->voted_count, slot->organisation_id);
    if (voted) {
        if (!voted->paper && voted->has_hash && sodium_memcmp(voted->hash, slot->hash, BALLOT_HASH_BYTES) == 0) {
            ballot_hex(slot->tracker, sizeof slot->tracker, out->tracker);
            vote_writer_outcome(out, 200, NULL, NULL); /* the same ballot again: the same receipt */
        } else {
            vote_writer_outcome(out, 409, "already_voted",
                                voted->paper ? "Voor dit lid is al op papier gestemd; een tweede stem telt niet."
                                             : "Voor dit lid is al gestemd; een tweede stem telt niet.");
        }
        return -1;
    }
    /* R2: P stays the snapshot, but a member who has left (or a proxy holder who has)
     * does not vote; the member keeps counting in P as "not for". */
    if (store_attendance_present_in(poll->present_now, poll->present_now_count, vote->organisation_id))
        return 0;
    vote_writer_outcome(out, 409, "not_present",
                        slot->organisation_id != vote->organisation_id
                            ? "U staat niet meer als aanwezig geregistreerd (uitgecheckt), dus u kunt nu ook niet "
                              "stemmen voor het lid dat u vertegenwoordigt. Laat uw toegangsbewijs bij de ingang "
                              "opnieuw scannen (of neem opnieuw op afstand deel) en stem dan."
                            : "U staat niet meer als aanwezig geregistreerd (uitgecheckt), dus u kunt nu niet stemmen. "
                              "Laat uw toegangsbewijs bij de ingang opnieuw scannen (of neem opnieuw op afstand deel) "
                              "en stem dan; tot die tijd telt u mee als niet voor.");
    return -1;
}

/* Decide one vote against the poll's snapshot and register, in memory. An accepted vote
 * takes the next slot; everything else gets its outcome now. */
static void vote_writer_decide(vote_writer_batch *batch, size_t index, vote_writer_poll *poll)
{
    const service_vote_writer_vote *vote = &batch->votes[index];
    service_vote_writer_outcome *out = &batch->outcomes[index];
    long long organisation_id = vote->on_behalf ? vote->on_behalf_of : vote->organisation_id;
    if (vote_writer_check_voter(vote, poll, organisation_id, out) != 0)
        return;
    vote_writer_slot *slot = &batch->slots[batch->slot_count];
    memset(slot, 0, sizeof *slot);
    slot->organisation_id = organisation_id;
    ballot_register_hash(batch->key, vote->ballot_id, slot->hash);
    ballot_tracker(batch->key, poll->id, vote->ballot_id, slot->tracker);
    if (vote_writer_check_register(vote, poll, slot, out) != 0)
        return;
    slot->request = index;
    slot->poll = poll;
    slot->cast_by = vote->organisation_id;
    slot->choice = vote->choice;
    slot->leader = -1;
    /* The same member earlier in this batch: a retry (same ballot) or a second ballot. */
    for (size_t earlier = 0; earlier < batch->slot_count; earlier++) {
        vote_writer_slot *other = &batch->slots[earlier];
        if (other->poll != poll || other->organisation_id != organisation_id || other->leader >= 0)
            continue;
        if (sodium_memcmp(other->hash, slot->hash, BALLOT_HASH_BYTES) != 0) {
            vote_writer_outcome(out, 409, "already_voted", "Voor dit lid is al gestemd; een tweede stem telt niet.");
            return;
        }
        slot->leader = (long long)earlier;
        break;
    }
    batch->slot_count++;
}

static int vote_writer_choice_index(const char *choice)
{
    return strcmp(choice, "for") == 0 ? 0 : strcmp(choice, "against") == 0 ? 1 : 2;
}

/* Seal one accepted ballot of a secret poll (choice and tracker) into its slot; the
 * batch's first ballot of the poll starts the poll's sealer. */
static int vote_writer_seal(vote_writer_slot *slot, alvd_err *err)
{
    vote_writer_poll *poll = slot->poll;
    if (!poll->sealing) {
        if (ballot_box_sealer_start(&poll->sealer, poll->row.box_public_key) != 0)
            return alvd_err_set(err, 500, "poll_key_damaged", NULL, "De sleutel van deze geheime stemming is onbruikbaar.");
        poll->sealing = 1;
    }
    ballot_box_content content = {.choice = vote_writer_choice_index(slot->choice)};
    memcpy(content.tracker, slot->tracker, BALLOT_TRACKER_BYTES);
    ballot_box_seal(&poll->sealer, poll->id, slot->id, &content, slot->sealed);
    sodium_memzero(&content, sizeof content);
    return 0;
}

/* Register rows of the leaders (INSERT IGNORE: a ballot_id used before, in any poll, is
 * refused by its unique hash); only when a row was ignored is the register read back to
 * see which went in. leaders[] gets the slots that lead. */
static int vote_writer_register(store_conn *conn, vote_writer_batch *batch, vote_writer_slot **leaders,
                                store_ballots_row *rows, size_t *leader_count, alvd_err *err)
{
    size_t n = 0;
    long long written = 0;
    for (size_t i = 0; i < batch->slot_count; i++)
        if (batch->slots[i].leader < 0) {
            leaders[n] = &batch->slots[i];
            rows[n] = (store_ballots_row){.poll_id = leaders[n]->poll->id,
                                          .organisation_id = leaders[n]->organisation_id, .hash = leaders[n]->hash};
            n++;
        }
    *leader_count = n;
    if (store_ballots_insert_voters(conn, rows, n, &written, err) != 0)
        return -1;
    for (size_t p = 0; p < batch->poll_count; p++)
        batch->polls[p].cast = (long long)batch->polls[p].voted_count;
    if (written == (long long)n) {
        /* Nothing ignored: every leader is in the register now. */
        for (size_t i = 0; i < n; i++) {
            leaders[i]->inserted = 1;
            leaders[i]->poll->cast++;
        }
        return 0;
    }
    for (size_t p = 0; p < batch->poll_count; p++) {
        vote_writer_poll *poll = &batch->polls[p];
        store_ballots_member *after = NULL;
        size_t after_count = 0;
        if (!poll->open)
            continue;
        if (vote_writer_members(conn, poll->id, 1, &after, &after_count, err) != 0)
            return -1;
        for (size_t i = 0; i < n; i++) {
            if (leaders[i]->poll != poll)
                continue;
            store_ballots_member *row = vote_writer_find_member(after, after_count, leaders[i]->organisation_id);
            leaders[i]->inserted = row && !row->paper && row->has_hash &&
                                   memcmp(row->hash, leaders[i]->hash, BALLOT_HASH_BYTES) == 0;
        }
        poll->cast = (long long)after_count;
        free(after);
    }
    return 0;
}

/* The ballots of the leaders that went in: sealed for a secret poll (nothing readable
 * of the choice or tracker until close), plain with the named votes for an open poll. */
static int vote_writer_ballots(store_conn *conn, vote_writer_slot **leaders, size_t leader_count,
                               store_ballots_row *plain, store_ballots_row *sealed, store_ballots_row *named,
                               alvd_err *err)
{
    size_t plain_count = 0, sealed_count = 0, named_count = 0;
    for (size_t i = 0; i < leader_count; i++) {
        vote_writer_slot *slot = leaders[i];
        if (!slot->inserted)
            continue;
        randombytes_buf(slot->id, sizeof slot->id);
        slot->poll->added++;
        if (slot->poll->row.boxed) {
            if (vote_writer_seal(slot, err) != 0)
                return -1;
            sealed[sealed_count++] = (store_ballots_row){.poll_id = slot->poll->id, .id = slot->id,
                                                         .sealed = slot->sealed};
            continue;
        }
        plain[plain_count++] = (store_ballots_row){.poll_id = slot->poll->id, .id = slot->id,
                                                   .choice = slot->choice, .tracker = slot->tracker};
        if (!slot->poll->row.secret) {
            named[named_count++] = (store_ballots_row){.poll_id = slot->poll->id,
                                                       .organisation_id = slot->organisation_id,
                                                       .choice = slot->choice, .cast_by = slot->cast_by};
            json_array_append_new(slot->poll->votes, json_pack("{s:I, s:s}", "organisation_id",
                                                               (json_int_t)slot->organisation_id, "choice", slot->choice));
        }
    }
    if (store_ballots_insert_plain(conn, plain, plain_count, err) != 0 ||
        store_ballots_insert_sealed(conn, sealed, sealed_count, err) != 0 ||
        store_ballots_insert_named(conn, named, named_count, err) != 0)
        return -1;
    return 0;
}

/* Write the accepted votes of one batch: register rows, then their ballots. */
static int vote_writer_write(store_conn *conn, vote_writer_batch *batch, alvd_err *err)
{
    size_t n = batch->slot_count ? batch->slot_count : 1, leader_count = 0;
    vote_writer_slot **leaders = calloc(n, sizeof *leaders);
    store_ballots_row *rows = calloc(4 * n, sizeof *rows);
    int rc = -1;
    if (leaders == NULL || rows == NULL)
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    else if (vote_writer_register(conn, batch, leaders, rows, &leader_count, err) == 0)
        rc = vote_writer_ballots(conn, leaders, leader_count, rows + n, rows + 2 * n, rows + 3 * n, err);
    free(leaders);
    free(rows);
    return rc;
}

/* One live event and one audit entry per poll and batch, with counts only for a
 * secret poll (no per-vote row that could be ordered against the register). */
static int vote_writer_record(store_conn *conn, vote_writer_batch *batch, alvd_err *err)
{
    audit_actor ballot_box = {"system", 0, "stembus"};
    for (size_t p = 0; p < batch->poll_count; p++) {
        vote_writer_poll *poll = &batch->polls[p];
        if (poll->added == 0)
            continue;
        store_polls_row row = {.id = poll->id, .meeting_id = poll->row.meeting_id, .secret = poll->row.secret,
                               .proposal_id = poll->row.proposal_id, .eligible = poll->row.eligible,
                               .threshold = poll->row.threshold};
        json_t *details = json_pack("{s:I, s:I}", "added", (json_int_t)poll->added, "cast", (json_int_t)poll->cast);
        if (!poll->row.secret)
            json_object_set(details, "votes", poll->votes);
        int rc = service_polls_publish(conn, &row, "open", poll->cast, NULL, err);
        if (rc == 0)
            rc = audit_append(conn, err, &ballot_box, "poll.votes", "poll", poll->id, details);
        json_decref(details);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* One attempt: lock, decide, write, record, commit. -2 when no transaction began. */
static int vote_writer_attempt(store_conn *conn, vote_writer_batch *batch, alvd_err *err)
{
    if (store_begin(conn, err) != 0)
        return -2;
    int failed = vote_writer_lock_polls(conn, batch, err) != 0;
    batch->slot_count = 0;
    for (size_t i = 0; i < batch->count && !failed; i++) {
        if (batch->votes[i].poll_id == 0)
            continue; /* refused before the transaction (bad id or body) */
        memset(&batch->outcomes[i], 0, sizeof batch->outcomes[i]);
        vote_writer_decide(batch, i, vote_writer_find_poll(batch, batch->votes[i].poll_id));
    }
    if (!failed && (vote_writer_write(conn, batch, err) != 0 || vote_writer_record(conn, batch, err) != 0))
        failed = 1;
    if (!failed && store_commit(conn, err) == 0)
        return 0;
    store_rollback(conn);
    return -1;
}

/* Accepted votes: 201 when written, 200 for a retry of one written in this batch, 409
 * when the ballot_id had been used before. */
static void vote_writer_answer(vote_writer_batch *batch)
{
    for (size_t v = 0; v < batch->slot_count; v++) {
        const vote_writer_slot *slot = &batch->slots[v];
        const vote_writer_slot *leader = slot->leader >= 0 ? &batch->slots[slot->leader] : slot;
        service_vote_writer_outcome *out = &batch->outcomes[slot->request];
        if (leader->inserted) {
            ballot_hex(slot->tracker, sizeof slot->tracker, out->tracker);
            vote_writer_outcome(out, slot->leader >= 0 ? 200 : 201, NULL, NULL);
        } else {
            vote_writer_outcome(out, 409, "ballot_reused", "Deze stem-id is al eens gebruikt; vernieuw de pagina en stem opnieuw.");
        }
    }
}

/* The batch's polls, each once, in id order (the lock order). */
static int vote_writer_gather_polls(vote_writer_batch *batch)
{
    batch->polls = calloc(batch->count ? batch->count : 1, sizeof *batch->polls);
    batch->slots = calloc(batch->count ? batch->count : 1, sizeof *batch->slots);
    if (batch->polls == NULL || batch->slots == NULL)
        return -1;
    for (size_t i = 0; i < batch->count; i++) {
        long long id = batch->votes[i].poll_id;
        int known = id == 0;
        for (size_t p = 0; p < batch->poll_count && !known; p++)
            known = batch->polls[p].id == id;
        if (!known)
            batch->polls[batch->poll_count++].id = id;
    }
    qsort(batch->polls, batch->poll_count, sizeof *batch->polls, vote_writer_poll_compare);
    return 0;
}

int service_vote_writer_batch(store_conn *conn, const unsigned char key[BALLOT_KEY_BYTES],
                              const service_vote_writer_vote *votes, size_t count, int quiet,
                              service_vote_writer_outcome *outcomes, alvd_err *err)
{
    vote_writer_batch batch = {.key = key, .votes = votes, .count = count, .outcomes = outcomes};
    int rc = -1, committed = 0;
    if (vote_writer_gather_polls(&batch) != 0) {
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        goto done;
    }
    for (int attempt = 0; attempt < VOTE_WRITER_ATTEMPTS && !committed; attempt++) {
        alvd_err_clear(err);
        int attempted = vote_writer_attempt(conn, &batch, err);
        if (attempted == 0) {
            committed = 1;
            break;
        }
        if (attempted == -2 || !(err->status == 503 && strcmp(err->code, "retry") == 0))
            break;
        if (attempt + 1 < VOTE_WRITER_ATTEMPTS)
            store_retry_pause(conn, (unsigned)attempt);
    }
    if (committed) {
        vote_writer_answer(&batch);
        rc = 0;
    } else if (quiet && err->status == 503) {
        rc = 1;
    }
done:
    for (size_t p = 0; batch.polls && p < batch.poll_count; p++)
        vote_writer_poll_reset(&batch.polls[p]);
    free(batch.polls);
    free(batch.slots);
    return rc;
}
