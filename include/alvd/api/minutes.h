/* The minutes (notulen) and decision list of a meeting as JSON or Markdown; the signed
 * decision records (Ed25519) live in service/minutes.h. */
#ifndef ALVD_API_MINUTES_H
#define ALVD_API_MINUTES_H

#include <jansson.h>

#include "alvd/base/err.h"
#include "alvd/http/request.h"
#include "alvd/service/minutes.h"
#include "alvd/store/db.h"

void minutes_get(http_request *request); /* GET /api/meetings/{id}/minutes[?format=markdown] */

#endif
