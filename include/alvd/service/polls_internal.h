/* What the polls' service files share among themselves (service/polls.c, polls_count.c,
 * vote_writer.c); not for other modules. */
#ifndef ALVD_SERVICE_POLLS_INTERNAL_H
#define ALVD_SERVICE_POLLS_INTERNAL_H

#include "alvd/http/input.h"
#include "alvd/service/polls.h"

/* The threshold as people read it. Under majority_of_votes_cast the number depends on
 * the votes against, so it is said in words (an open poll would otherwise show "1"). */
const char *service_polls_threshold_words(const char *rule, int threshold, char text[96]);
/* The poll's JSON for a row already loaded (reads its extras). */
json_t *service_polls_row_json(store_conn *conn, const store_polls_row *poll, alvd_err *err);
/* Load a poll the caller may see (404 otherwise), locking it when lock. */
int service_polls_load_for(store_conn *conn, const service_polls_caller *caller, long long poll_id, int lock,
                           store_polls_row *out, alvd_err *err);

#endif
