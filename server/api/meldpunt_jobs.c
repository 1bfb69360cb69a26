/* POST /api/meldpunt/jobs/run: the meldpunt's housekeeping on demand (the work itself, and
 * the periodic worker's run that main.c starts, are in service/meldpunt_jobs.c). */
#include "alvd/api/meldpunt.h"

#include "alvd/service/meldpunt.h"

void meldpunt_jobs_endpoint(http_request *request)
{
    service_meldpunt_job_counts counts;
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    if (service_meldpunt_jobs_run_by(http_request_app(request), http_request_db(request), &actor, &counts, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, json_pack("{s:i, s:i}", "reminders", counts.reminders, "personal_data_deleted",
                                            counts.personal_data_deleted));
}
