/* Adoption of a proposal after its poll: the effective date E (R3), the withdrawal
 * deadline W = E − 28 with warnings (R4, R7), and the scheduled Code version. */
#ifndef ALVD_API_ADOPTION_H
#define ALVD_API_ADOPTION_H

#include "alvd/http/request.h"

void adoption_effective_date(http_request *request); /* POST /api/proposals/{id}/effective-date */

#endif
