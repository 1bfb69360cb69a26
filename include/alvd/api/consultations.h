/* Consultation rounds of a cycle: open a round (invite every bound organisation by
 * e-mailed link), comments of invited parties, board replies, the reactienota, and
 * the "round closes soon" reminder. */
#ifndef ALVD_API_CONSULTATIONS_H
#define ALVD_API_CONSULTATIONS_H

#include <jansson.h>

#include "alvd/base/app.h"
#include "alvd/http/request.h"
#include "alvd/store/db.h"
#include "alvd/service/consultations.h"

void consultations_open(http_request *request);
void consultations_list(http_request *request);
void consultations_get(http_request *request);
void consultations_close(http_request *request);
void consultations_remind(http_request *request);
void consultations_comment(http_request *request);
void consultations_comment_update(http_request *request);
void consultations_reply(http_request *request);
void consultations_report(http_request *request);

#endif
