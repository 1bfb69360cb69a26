/* Registered-letter withdrawals of a signature (Code art. 7; R4–R6): intake with a
 * preview, corrections, scans of letters, the online notice of a contact person. */
#ifndef ALVD_API_WITHDRAWALS_H
#define ALVD_API_WITHDRAWALS_H

#include "alvd/http/request.h"
#include "alvd/service/withdrawals.h"

#define WITHDRAWALS_SCAN_MAX_BYTES SERVICE_WITHDRAWALS_SCAN_MAX_BYTES
#define WITHDRAWALS_NOTE_MAX_CHARS 2000
#define WITHDRAWALS_NOTICE_MAX_CHARS 5000

/* POST /api/withdrawals (secretariat): record a letter → 201 with the assessment. */
void withdrawals_create(http_request *request);
/* POST /api/withdrawals/preview (secretariat): the same answer without saving. */
void withdrawals_preview(http_request *request);
/* GET /api/withdrawals?version_id=&organisation_id=&all= (staff). */
void withdrawals_list(http_request *request);
/* GET /api/withdrawals/{id} (staff): one entry with its effects and proof. */
void withdrawals_get(http_request *request);
/* POST /api/withdrawals/{id}/correct (secretariat): a new entry superseding {id}. */
void withdrawals_correct(http_request *request);
/* POST /api/withdrawals/apply-pending (secretariat): {"version_id"} → apply what waits. */
void withdrawals_apply_pending_route(http_request *request);
/* POST /api/withdrawals/scans?name= (secretariat, application/octet-stream). */
void withdrawals_scan_upload(http_request *request);
/* GET /api/withdrawals/scans/{id} (staff): the file as an attachment. */
void withdrawals_scan_download(http_request *request);
/* GET /api/my/withdrawal (contact): the organisation's position before sending. */
void withdrawals_my_get(http_request *request);
/* POST /api/my/withdrawal (contact): {"text","confirm":true} → the online notice. */
void withdrawals_my_send(http_request *request);

#endif
