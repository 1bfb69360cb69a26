/* E-mailed login links for contact persons and staff users (POST
 * /api/session/link-request and /api/session/link) and the landing pages /l/<link>
 * and /t/<ticket>. A staff user's link is how an account locked against password
 * guesses (include/alvd/http/throttle.h) is still reached by its owner. */
#ifndef ALVD_API_LINKS_H
#define ALVD_API_LINKS_H

#include "alvd/http/request.h"
#include "alvd/service/links.h"
#include "alvd/store/db.h"

void links_request(http_request *request);
void links_consume(http_request *request);
void links_landing_page(http_request *request);

#endif
