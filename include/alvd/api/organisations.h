/* Handlers for the register of bound organisations (Code art. 4): organisations,
 * contact persons, bases of binding, binding status, CSV import/export, and the
 * public register. */
#ifndef ALVD_API_ORGANISATIONS_H
#define ALVD_API_ORGANISATIONS_H

#include "alvd/http/request.h"

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

#endif
