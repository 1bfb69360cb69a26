/* Polls on agenda proposals: create, open on a stored presence snapshot (P, rule,
 * thresholds), vote through the group-commit batcher, paper votes, close with R1,
 * secret ballots with sorted trackers and a fingerprint, re-votes. */
#ifndef ALVD_API_POLLS_H
#define ALVD_API_POLLS_H

#include <jansson.h>

#include "alvd/base/app.h"
#include "alvd/base/err.h"
#include "alvd/http/request.h"
#include "alvd/store/db.h"

#define POLLS_VOTE_BATCH_MAX 1024

/* The vote writer: `alvd serve` starts it before the HTTP server, stores its batcher
 * in app->vote_batcher, and stops it after the server stopped. It loads the ballot key
 * from the data dir and first sweeps what an interrupted count left (service_polls_sweep_closed). */
typedef struct polls_vote_writer polls_vote_writer;
polls_vote_writer *polls_vote_writer_start(const alvd_app *app, alvd_err *err);
http_batcher *polls_vote_writer_batcher(polls_vote_writer *writer);
void polls_vote_writer_stop(polls_vote_writer *writer);

void polls_create(http_request *request);    /* POST /api/meetings/{id}/polls */
void polls_list(http_request *request);      /* GET /api/meetings/{id}/polls */
void polls_get(http_request *request);       /* GET /api/polls/{id} */
void polls_current(http_request *request);   /* GET /api/meetings/{id}/polls/current */
void polls_proposal(http_request *request);  /* GET /api/polls/{id}/proposal */
void polls_open(http_request *request);      /* POST /api/polls/{id}/open */
void polls_vote(http_request *request);      /* POST /api/polls/{id}/votes */
void polls_close(http_request *request);     /* POST /api/polls/{id}/close */
void polls_trackers(http_request *request);  /* GET /api/polls/{id}/trackers */
void polls_voters(http_request *request);    /* GET /api/polls/{id}/voters */
void polls_paper(http_request *request);     /* POST /api/polls/{id}/paper */
void polls_revote(http_request *request);    /* POST /api/polls/{id}/revote */

#endif
