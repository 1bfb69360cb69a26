/* The register's flows: organisations, contact persons and bases of binding, each change
 * one transaction with its audit entries; binding status per date and the public register. */
#ifndef ALVD_SERVICE_ORGANISATIONS_H
#define ALVD_SERVICE_ORGANISATIONS_H

#include <jansson.h>

#include "alvd/base/err.h"
#include "alvd/crypto/audit.h"
#include "alvd/rules/binding.h"
#include "alvd/rules/dates.h"
#include "alvd/store/db.h"
#include "alvd/store/organisations.h"

/* A new basis of binding; strings borrowed, NULL = none. */
typedef struct service_basis_input {
    const char *basis, *since, *until, *contract_ref, *counterparty, *ended_by;
    int follows_amendments;
    long long pinned_version_id;
} service_basis_input;

/* A new organisation; member = 1 also records a membership from member_since (today when NULL). */
typedef struct service_organisation_input {
    store_organisation_fields fields;
    int member;
    const char *member_since;
} service_organisation_input;

/* What the list shows: search (NULL = all), member "true"/"false"/NULL, basis one of
 * all/membership/signature/contract/any/none or NULL, on the date `on`. */
typedef struct service_organisations_filter {
    const char *search, *member, *basis;
    rules_day on;
} service_organisations_filter;

/* The binding of one organisation on `on` from its current bases and every Code
 * version (what GET /status answers). out->version_label is cleared (the rows it
 * pointed into are freed); label (may be NULL) receives a copy, "" when none.
 * *bases_json (may be NULL) gets the bases with their per-basis version, as in the
 * status answer (new reference). 404 when the organisation does not exist. */
int service_organisations_binding_on(store_conn *conn, long long organisation_id, rules_day on,
                                     rules_binding *out, char *label, size_t label_size, json_t **bases_json,
                                     alvd_err *err);

/* The detail of one organisation: fields, contacts, every basis row (current and active
 * flags) and its binding on today. 404 when absent. */
int service_organisations_detail(store_conn *conn, long long id, rules_day today, json_t **out, alvd_err *err);
/* The status answer of GET /api/organisations/{id}/status?date=. */
int service_organisations_status(store_conn *conn, long long id, rules_day on, json_t **out, alvd_err *err);
/* {"date","items"} of the register list. */
int service_organisations_list(store_conn *conn, const service_organisations_filter *filter, json_t **out,
                               alvd_err *err);
/* {"date","items"} of the public register on today: bound organisations that consent. */
int service_organisations_public_register(store_conn *conn, rules_day today, json_t **out, alvd_err *err);

/* Record an organisation (409 on a taken KvK or member number) and answer its detail. */
int service_organisations_create(store_conn *conn, const audit_actor *actor, const service_organisation_input *input,
                                 rules_day today, json_t **out, alvd_err *err);
/* Change an organisation; changes is the request as the audit entry keeps it. */
int service_organisations_update(store_conn *conn, const audit_actor *actor, long long id,
                                 const store_organisation_change *change, json_t *changes, rules_day today,
                                 json_t **out, alvd_err *err);
/* Add (or bring back) a contact person; the e-mail is kept in lower case. *out gets the answer. */
int service_organisations_contact_add(store_conn *conn, const audit_actor *actor, long long organisation_id,
                                      const char *name, const char *email, const char *function, json_t **out,
                                      alvd_err *err);
/* Remove a contact person and end their sessions. */
int service_organisations_contact_remove(store_conn *conn, const audit_actor *actor, long long contact_id,
                                         alvd_err *err);
/* Add a basis to an organisation; *out gets the new row. */
int service_organisations_basis_add(store_conn *conn, const audit_actor *actor, long long organisation_id,
                                    const service_basis_input *input, json_t **out, alvd_err *err);
/* End basis id on until (a new row that supersedes it); *out gets the new row. */
int service_organisations_basis_end(store_conn *conn, const audit_actor *actor, long long id, const char *until,
                                    const char *reason, json_t **out, alvd_err *err);

/* Validate a new basis for the organisation and insert it in the caller's transaction,
 * with its audit entry. supersedes: the basis row this one replaces (0 = none). */
int service_organisations_basis_record(store_conn *conn, const audit_actor *actor, long long organisation_id,
                                       const service_basis_input *input, long long supersedes, long long *basis_id,
                                       alvd_err *err);

#endif
