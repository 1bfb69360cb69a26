/* Handlers for the register of bound organisations (Code art. 4): organisations,
 * contact persons, bases of binding, binding status, CSV import/export, and the
 * public register. */
#ifndef ALVD_API_ORGANISATIONS_H
#define ALVD_API_ORGANISATIONS_H

#include "alvd/http/request.h"
#include "alvd/rules/binding.h"

void organisations_create(http_request *request);
void organisations_list(http_request *request);
void organisations_get(http_request *request);
void organisations_update(http_request *request);
void organisations_contact_create(http_request *request);
void organisations_contact_remove(http_request *request);
void organisations_basis_create(http_request *request);
void organisations_basis_end(http_request *request);
void organisations_status(http_request *request);
void organisations_import_preview(http_request *request);
void organisations_import_commit(http_request *request);
void organisations_export(http_request *request);
void organisations_public_register(http_request *request);

/* The binding of one organisation on `on` from its current bases and every Code
 * version (what GET /status answers). out->version_label is cleared (the rows it
 * pointed into are freed); label (may be NULL) receives a copy, "" when none.
 * *bases_json (may be NULL) gets the bases with their per-basis version, as in the
 * status answer (new reference). 404 when the organisation does not exist. */
int organisations_binding_on(store_conn *conn, long long organisation_id, rules_day on,
                             rules_binding *out, char *label, size_t label_size, json_t **bases_json,
                             alvd_err *err);

#endif
