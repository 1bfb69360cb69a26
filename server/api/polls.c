/* Polls: each handler parses the request, calls one service (service/polls.c,
 * polls_count.c) and replies; votes go through the group-commit batcher to the vote
 * writer (service/vote_writer.c), whose batches this file parses and answers. */
#include "alvd/api/polls.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "alvd/base/log.h"
#include "alvd/http/input.h"
#include "alvd/service/polls.h"
#include "alvd/service/vote_writer.h"

static service_polls_caller polls_caller(http_request *request)
{
    service_polls_caller caller = {http_request_principal(request), http_request_actor(request),
                                   http_request_app(request)};
    return caller;
}

/* A handler on /api/polls/{id} or /api/meetings/{id}/...: the id, then one service
 * call; with_body hands the request's JSON body to it. No answer (NULL) is 204. */
typedef int (*polls_by_id_fn)(store_conn *conn, const service_polls_caller *caller, long long id, json_t **out,
                              alvd_err *err);
typedef int (*polls_by_id_body_fn)(store_conn *conn, const service_polls_caller *caller, long long id, json_t *body,
                                   json_t **out, alvd_err *err);

static void polls_reply_by_id(http_request *request, polls_by_id_fn service, polls_by_id_body_fn with_body,
                              int status)
{
    service_polls_caller caller = polls_caller(request);
    json_t *body = NULL;
    long long id;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    int rc = service ? service(http_request_db(request), &caller, id, &body, &err)
                     : with_body(http_request_db(request), &caller, id, http_request_json(request), &body, &err);
    if (rc == 0 && body == NULL)
        http_reply_empty(request, 204);
    else
        http_reply_result(request, rc, status, body, &err);
}

void polls_create(http_request *request)
{
    json_t *body = http_request_json(request), *poll = NULL;
    service_polls_create_input input = {0};
    service_polls_caller caller = polls_caller(request);
    int by_proposal = 0, by_item = 0;
    alvd_err err;
    alvd_err_clear(&err);
    input.meeting_id = http_request_id(request, "id");
    if (input_integer(body, "proposal_id", 0, 1, 1LL << 53, &input.proposal_id, &by_proposal, &err) != 0 ||
        input_integer(body, "agenda_item_id", 0, 1, 1LL << 53, &input.agenda_item_id, &by_item, &err) != 0 ||
        input_boolean(body, "secret", 0, &input.secret, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    if (by_proposal == by_item) {
        http_reply_error(request, 400, "required", "proposal_id",
                         "Kies waarover gestemd wordt: een voorstel of een agendapunt, precies één van beide.");
        return;
    }
    int rc = service_polls_create(http_request_db(request), &caller, &input, &poll, &err);
    http_reply_result(request, rc, 201, poll, &err);
}

void polls_list(http_request *request)
{
    polls_reply_by_id(request, service_polls_list, NULL, 200);
}

void polls_get(http_request *request)
{
    polls_reply_by_id(request, service_polls_get, NULL, 200);
}

/* The poll a phone shows: the open one, else the latest result that no re-vote
 * replaced; one request instead of the list and then the poll (hall Wi-Fi). */
void polls_current(http_request *request)
{
    polls_reply_by_id(request, service_polls_current, NULL, 200);
}

void polls_proposal(http_request *request)
{
    polls_reply_by_id(request, service_polls_proposal, NULL, 200);
}

void polls_open(http_request *request)
{
    polls_reply_by_id(request, service_polls_open, NULL, 200);
}

void polls_close(http_request *request)
{
    polls_reply_by_id(request, service_polls_close, NULL, 200);
}

void polls_trackers(http_request *request)
{
    polls_reply_by_id(request, service_polls_trackers, NULL, 200);
}

void polls_voters(http_request *request)
{
    polls_reply_by_id(request, service_polls_voters, NULL, 200);
}

/* The body's shape depends on the poll (named votes, or a secret poll's totals): the
 * service checks it once the poll is locked. */
void polls_paper(http_request *request)
{
    polls_reply_by_id(request, NULL, service_polls_paper, 200);
}

/* "secret" defaults to the repeated poll's: the service reads it once the poll is loaded. */
void polls_revote(http_request *request)
{
    polls_reply_by_id(request, NULL, service_polls_revote, 201);
}

/* ---------------------------------------------------------------- votes (group commit) */

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

/* The body of an authenticated vote into vote: 0, or -1 with err (400/422 naming the field). */
static int polls_vote_parse(http_request *request, service_vote_writer_vote *vote, alvd_err *err)
{
    static const char *const fields[] = {"choice", "ballot_id", "on_behalf_of", NULL};
    static const char *const choices[] = {"for", "against", "abstain", NULL};
    const auth_principal *who = http_request_principal(request);
    json_t *body = http_request_json(request);
    long long on_behalf_of = 0;
    if (input_only(body, fields, err) != 0 || input_choice(body, "choice", 1, choices, &vote->choice, err) != 0 ||
        input_string(body, "ballot_id", 1, BALLOT_ID_MAX, &vote->ballot_id, err) != 0 ||
        input_integer(body, "on_behalf_of", 0, 1, 1LL << 53, &on_behalf_of, NULL, err) != 0)
        return -1;
    if (!ballot_id_valid(vote->ballot_id))
        return alvd_err_set(err, 400, "bad_ballot_id", "ballot_id",
                            "De stem-id moet 16 tot 64 tekens zijn (letters, cijfers, - of _), bijvoorbeeld een UUID.");
    json_t *behalf = json_object_get(body, "on_behalf_of");
    vote->organisation_id = who->organisation_id;
    vote->meeting_id = who->meeting_id;
    vote->on_behalf = behalf != NULL;
    vote->on_behalf_of = behalf ? (long long)json_integer_value(behalf) : 0;
    return 0;
}

/* Parse every request of the batch: a bad poll id answers 404 with the batch, a bad
 * body at once (the message lives in the request's reply from here on). */
static void polls_vote_parse_all(http_request **requests, size_t count, service_vote_writer_vote *votes,
                                 service_vote_writer_outcome *outcomes)
{
    for (size_t i = 0; i < count; i++) {
        alvd_err invalid;
        alvd_err_clear(&invalid);
        if (input_id_text(http_request_param(requests[i], "id"), &votes[i].poll_id) != 0) {
            votes[i].poll_id = 0;
            outcomes[i] = (service_vote_writer_outcome){.status = 404, .code = "not_found",
                                                        .message = "Deze stemming bestaat niet."};
        } else if (polls_vote_parse(requests[i], &votes[i], &invalid) != 0) {
            http_reply_err(requests[i], &invalid);
            votes[i].poll_id = 0;
        }
    }
}

/* One attempt at a batch of votes. With quiet set, a batch that still fails with a 503
 * answers nothing but the requests refused before the transaction, and returns -1: the
 * caller splits it. */
static int polls_vote_batch_once(http_request **requests, size_t count, store_conn *conn, void *key, int quiet)
{
    service_vote_writer_vote *votes = calloc(count, sizeof *votes);
    service_vote_writer_outcome *outcomes = calloc(count, sizeof *outcomes);
    int rc = -1;
    alvd_err err;
    alvd_err_clear(&err);
    if (votes == NULL || outcomes == NULL) {
        alvd_err_set(&err, 500, "out_of_memory", NULL, "Geen geheugen.");
    } else {
        polls_vote_parse_all(requests, count, votes, outcomes);
        rc = service_vote_writer_batch(conn, key, votes, count, quiet, outcomes, &err);
    }
    if (rc == 0) {
        for (size_t i = 0; i < count; i++) {
            if (outcomes[i].status == 0)
                continue; /* answered already: a body that did not pass validation */
            if (outcomes[i].status == 200 || outcomes[i].status == 201)
                http_reply_json(requests[i], outcomes[i].status, json_pack("{s:s}", "tracker", outcomes[i].tracker));
            else
                http_reply_error(requests[i], outcomes[i].status, outcomes[i].code, NULL, "%s", outcomes[i].message);
        }
    } else if (rc < 0) {
        log_warn("vote batch of %zu failed: %s", count, err.message);
        for (size_t i = 0; i < count; i++)
            http_reply_err(requests[i], &err);
    }
    free(votes);
    free(outcomes);
    return rc == 1 ? -1 : 0;
}

/* A batch the database refused (conflicts past the retries, a node going away) is
 * split in halves, each tried on its own, down to single votes: one hot poll or one
 * broken session does not fail every vote that happened to share its batch. */
static void polls_vote_batch(http_request **requests, size_t count, store_conn *conn, void *key)
{
    if (count == 0)
        return;
    if (polls_vote_batch_once(requests, count, conn, key, count > 1) == 0)
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
    polls_vote_batch(left, waiting / 2, conn, key);
    polls_vote_batch(left + waiting / 2, waiting - waiting / 2, conn, key);
    free(left);
}

struct polls_vote_writer {
    http_batcher *batcher;
    unsigned char key[BALLOT_KEY_BYTES];
};

polls_vote_writer *polls_vote_writer_start(const alvd_app *app, alvd_err *err)
{
    polls_vote_writer *writer = calloc(1, sizeof *writer);
    if (writer == NULL) {
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        return NULL;
    }
    if (ballot_key_load(app->config.data_dir, writer->key, err) != 0) {
        free(writer);
        return NULL;
    }
    /* What a count interrupted by a crash left behind: keys of closed polls, and sealed
     * ballots or register hashes of closed secret polls. */
    if (service_polls_sweep_closed(app, err) != 0)
        log_warn("secret polls: cleaning up after closed polls failed: %s", err->message);
    alvd_err_clear(err);
    writer->batcher = http_batcher_start(app->pool, polls_vote_batch, writer->key, POLLS_VOTE_BATCH_MAX, err);
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
