/* The member list: a CSV import compared with the register (preview, then all rows in
 * one transaction or none) and the export Excel opens as columns. */
#ifndef ALVD_SERVICE_REGISTER_IMPORT_H
#define ALVD_SERVICE_REGISTER_IMPORT_H

#include <jansson.h>

#include "alvd/base/err.h"
#include "alvd/crypto/audit.h"
#include "alvd/rules/dates.h"
#include "alvd/store/db.h"

/* The comparison of the uploaded CSV with the register, as the preview shows it. */
int service_register_import_preview(store_conn *conn, const char *data, size_t length, rules_day today,
                                    json_t **out, alvd_err *err);
/* Apply the CSV: *status 200 with {"imported":{...}}, or 422 with the invalid rows and
 * nothing changed (a body, not an error: the screen lists the rows). */
int service_register_import_commit(store_conn *conn, const audit_actor *actor, const char *data, size_t length,
                                   rules_day today, int *status, json_t **out, alvd_err *err);
/* The register as CSV (UTF-8 with BOM, ';'): *data (caller frees) and *length; 413 when too large. */
int service_register_export(store_conn *conn, char **data, size_t *length, alvd_err *err);

#endif
