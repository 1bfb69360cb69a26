/* The yearly amendment cycle (Code art. 7): POST/GET /api/cycles, GET/PATCH
 * /api/cycles/{id}; the helpers below forward to store/cycles.h and service/cycle_state.h. */
#ifndef ALVD_API_CYCLES_H
#define ALVD_API_CYCLES_H

#include <stdint.h>

#include "alvd/http/request.h"
#include "alvd/rules/cycle.h"
#include "alvd/crypto/audit.h"
#include "alvd/store/db.h"
#include "alvd/store/cycles.h"
#include "alvd/service/cycle_state.h"

void cycles_create(http_request *request);
void cycles_list(http_request *request);
void cycles_get(http_request *request);
void cycles_update(http_request *request);

#endif
