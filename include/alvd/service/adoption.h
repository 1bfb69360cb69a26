/* Fixing the effective date of an adopted proposal: R3 against D, W = E − 28 with the
 * R7 warnings, and the scheduled Code version rebuilt from the record, in one transaction. */
#ifndef ALVD_SERVICE_ADOPTION_H
#define ALVD_SERVICE_ADOPTION_H

#include "alvd/base/err.h"
#include "alvd/crypto/audit.h"
#include "alvd/rules/dates.h"
#include "alvd/rules/deadlines.h"
#include "alvd/store/db.h"

typedef struct service_adoption_request {
    long long proposal_id;
    const char *date;       /* E as asked, 'YYYY-MM-DD' (already checked as a date) */
    const audit_actor *actor;
    long long user_id;      /* set_by / created_by */
    rules_day today;        /* no retroactive version */
    const char *data_dir;   /* the minutes' decision records */
} service_adoption_request;

typedef struct service_adoption_result {
    long long proposal_id, version_id;
    char effective_from[RULES_DATE_TEXT_SIZE];
    rules_withdrawal_deadline deadline; /* W with warning and advice */
    rules_effective_check check;        /* earliest E and its note */
} service_adoption_result;

/* Set (or repeat, or move) the effective date of an adopted proposal: 404 unknown
 * proposal, 422 "not_adopted", 422 from R3 / retroactivity (field date), 409
 * "withdrawals_on_version" when a withdrawal refers to the version it would leave,
 * 409 "effective_date_taken" when another version goes into force that day. The
 * version of that ALV and date is created or joined, earlier or later versions are
 * rebuilt, the calendar follows, and the decision record and audit entry are written. */
int service_adoption_set_effective_date(store_conn *conn, const service_adoption_request *request,
                                        service_adoption_result *out, alvd_err *err);

#endif
