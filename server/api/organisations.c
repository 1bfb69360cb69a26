/* The register's handlers: organisations, contact persons and bases of binding, binding
 * status per date, the member list import/export and the public register. Each parses
 * the request, calls one service function and replies; the services keep the history. */
#include "alvd/api/organisations.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/base/clock.h"
#include "alvd/http/input.h"
#include "alvd/rules/dates.h"
#include "alvd/rules/kvk.h"
#include "alvd/rules/member_import.h"
#include "alvd/service/organisations.h"
#include "alvd/service/register_import.h"

static const char *const basis_kinds[] = {"membership", "signature", "contract", NULL};

static rules_day org_today(http_request *request)
{
    return clock_today(&http_request_app(request)->config);
}

/* The optional ?date= (today when absent); replies 400 on a bad date. (The same job as
 * code_query_date, which api files may no longer include: issue 20 wants it in http/.) */
static int org_query_date(http_request *request, rules_day *day)
{
    const char *text = http_request_query(request, "date");
    alvd_err err;
    alvd_err_clear(&err);
    *day = org_today(request);
    if (text && text[0] && rules_date_parse(text, "date", day, &err) != 0) {
        http_reply_err(request, &err);
        return -1;
    }
    return 0;
}

/* ---- reading ---- */

void organisations_get(http_request *request)
{
    long long id;
    id = http_request_id(request, "id");
    json_t *detail = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    int rc = service_organisations_detail(http_request_db(request), id, org_today(request), &detail, &err);
    http_reply_result(request, rc, 200, detail, &err);
}

void organisations_status(http_request *request)
{
    long long id = http_request_id(request, "id");
    rules_day on;
    if (org_query_date(request, &on) != 0)
        return;
    json_t *answer = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    int rc = service_organisations_status(http_request_db(request), id, on, &answer, &err);
    http_reply_result(request, rc, 200, answer, &err);
}

/* Check the list's query: q not too long, member true/false, a known basis filter. */
static int org_list_query_check(http_request *request, const service_organisations_filter *filter)
{
    static const char *const basis_filters[] = {"all", "membership", "signature", "contract", "any", "none", NULL};
    const char *q = filter->search, *member = filter->member, *basis = filter->basis;
    if (q && input_utf8_length(q) > 200) {
        http_reply_error(request, 422, "too_long", "q", "De zoekterm is te lang (ten hoogste 200 tekens).");
        return -1;
    }
    if (member && member[0] && strcmp(member, "true") != 0 && strcmp(member, "false") != 0) {
        http_reply_error(request, 400, "bad_choice", "member", "Gebruik member=true of member=false.");
        return -1;
    }
    int basis_known = basis == NULL || basis[0] == '\0';
    for (size_t i = 0; basis && basis_filters[i] && !basis_known; i++)
        basis_known = strcmp(basis, basis_filters[i]) == 0;
    if (!basis_known) {
        http_reply_error(request, 400, "bad_choice", "basis",
                         "Gebruik basis=all, membership, signature, contract, any of none.");
        return -1;
    }
    return 0;
}

void organisations_list(http_request *request)
{
    service_organisations_filter filter = {http_request_query(request, "q"), http_request_query(request, "member"),
                                           http_request_query(request, "basis"), 0};
    if (org_query_date(request, &filter.on) != 0 || org_list_query_check(request, &filter) != 0)
        return;
    json_t *answer = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    int rc = service_organisations_list(http_request_db(request), &filter, &answer, &err);
    http_reply_result(request, rc, 200, answer, &err);
}

/* ---- writing organisations ---- */

/* An optional text member that may be null (clear) or a string (empty = clear).
 * *present says whether the key was given at all. */
static int org_nullable_text(json_t *body, const char *key, size_t max_chars, const char **value,
                             int *present, alvd_err *err)
{
    json_t *member = json_object_get(body, key);
    *value = NULL;
    *present = member != NULL;
    if (member == NULL || json_is_null(member))
        return 0;
    return input_string(body, key, 0, max_chars, value, err);
}

static int org_check_email(const char *email, const char *field, alvd_err *err)
{
    if (email && !rules_member_email_is_valid(email))
        return alvd_err_set(err, 422, "bad_email", field,
                            "Dit is geen geldig e-mailadres; gebruik de vorm naam@organisatie.nl.");
    return 0;
}

static int org_check_single_line(const char *text, const char *field, alvd_err *err)
{
    for (const char *p = text; p && *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F)
            return alvd_err_set(err, 422, "bad_text", field,
                                "Het veld %s mag geen regelovergang of stuurteken bevatten.", field);
    return 0;
}


/* Read the body of POST /api/organisations into *input (strings borrowed; kvk is the
 * normalised number in kvk). Replies on bad input. */
static int org_create_parse(http_request *request, service_organisation_input *input, char kvk[RULES_KVK_SIZE])
{
    static const char *const fields[] = {"name", "kvk", "email", "address", "member_number",
                                         "public_consent", "member", "member_since", NULL};
    json_t *body = http_request_json(request);
    store_organisation_fields *f = &input->fields;
    const char *kvk_given = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    memset(input, 0, sizeof *input);
    if (input_only(body, fields, &err) != 0 ||
        input_string(body, "name", 1, RULES_MEMBER_NAME_MAX, &f->name, &err) != 0 ||
        org_check_single_line(f->name, "name", &err) != 0 ||
        input_string(body, "kvk", 1, RULES_KVK_INPUT_MAX, &kvk_given, &err) != 0 ||
        rules_kvk_parse(kvk_given, kvk, &err) != 0 ||
        input_string(body, "email", 0, RULES_MEMBER_EMAIL_MAX, &f->email, &err) != 0 ||
        org_check_email(f->email, "email", &err) != 0 ||
        input_string(body, "address", 0, RULES_MEMBER_ADDRESS_MAX, &f->address, &err) != 0 ||
        input_string(body, "member_number", 0, RULES_MEMBER_NUMBER_MAX, &f->member_number, &err) != 0 ||
        org_check_single_line(f->member_number, "member_number", &err) != 0 ||
        input_boolean(body, "public_consent", 0, &f->public_consent, &err) != 0 ||
        input_boolean(body, "member", 0, &input->member, &err) != 0 ||
        input_date(body, "member_since", 0, &input->member_since, &err) != 0) {
        http_reply_err(request, &err);
        return -1;
    }
    f->kvk = kvk;
    if (input->member_since && !input->member) {
        http_reply_error(request, 422, "member_since_without_member", "member_since",
                         "Een datum van lidmaatschap hoort alleen bij een lid van KSF.");
        return -1;
    }
    return 0;
}

void organisations_create(http_request *request)
{
    service_organisation_input input;
    char kvk[RULES_KVK_SIZE];
    if (org_create_parse(request, &input, kvk) != 0)
        return;
    audit_actor actor = http_request_actor(request);
    json_t *detail = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    int rc = service_organisations_create(http_request_db(request), &actor, &input, org_today(request), &detail,
                                          &err);
    http_reply_result(request, rc, 201, detail, &err);
}

/* Read the body of PATCH /api/organisations/{id} into *change (kvk normalised into kvk). */
static int org_update_parse(json_t *body, store_organisation_change *change, char kvk[RULES_KVK_SIZE], alvd_err *err)
{
    static const char *const fields[] = {"name", "kvk", "email", "address", "member_number", "public_consent", NULL};
    const char *kvk_given = NULL;
    memset(change, 0, sizeof *change);
    change->public_consent = -1;
    kvk[0] = '\0';
    if (input_only(body, fields, err) != 0 ||
        input_string(body, "name", 0, RULES_MEMBER_NAME_MAX, &change->name, err) != 0 ||
        org_check_single_line(change->name, "name", err) != 0 ||
        input_string(body, "kvk", 0, RULES_KVK_INPUT_MAX, &kvk_given, err) != 0 ||
        (kvk_given && rules_kvk_parse(kvk_given, kvk, err) != 0) ||
        org_nullable_text(body, "email", RULES_MEMBER_EMAIL_MAX, &change->email, &change->has_email, err) != 0 ||
        org_check_email(change->email, "email", err) != 0 ||
        org_nullable_text(body, "address", RULES_MEMBER_ADDRESS_MAX, &change->address, &change->has_address,
                          err) != 0 ||
        org_nullable_text(body, "member_number", RULES_MEMBER_NUMBER_MAX, &change->member_number,
                          &change->has_member_number, err) != 0 ||
        org_check_single_line(change->member_number, "member_number", err) != 0)
        return -1;
    change->kvk = kvk[0] ? kvk : NULL;
    if (json_object_get(body, "public_consent") && input_boolean(body, "public_consent", 0, &change->public_consent,
                                                                 err) != 0)
        return -1;
    return 0;
}

void organisations_update(http_request *request)
{
    long long id;
    id = http_request_id(request, "id");
    json_t *body = http_request_json(request);
    store_organisation_change change;
    char kvk[RULES_KVK_SIZE];
    json_t *detail = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    int rc = org_update_parse(body, &change, kvk, &err);
    if (rc == 0)
        rc = service_organisations_update(http_request_db(request), &actor, id, &change, body, org_today(request),
                                          &detail, &err);
    http_reply_result(request, rc, 200, detail, &err);
}

/* ---- contacts ---- */

void organisations_contact_create(http_request *request)
{
    long long id;
    id = http_request_id(request, "id");
    json_t *body = http_request_json(request);
    const char *name = NULL, *email = NULL, *function = NULL;
    json_t *answer = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    int rc = input_string(body, "name", 1, 200, &name, &err) != 0 ||
                     org_check_single_line(name, "name", &err) != 0 ||
                     input_string(body, "email", 1, RULES_MEMBER_EMAIL_MAX, &email, &err) != 0 ||
                     org_check_email(email, "email", &err) != 0 ||
                     input_string(body, "function", 0, 200, &function, &err) != 0 ||
                     org_check_single_line(function, "function", &err) != 0
                 ? -1
                 : service_organisations_contact_add(http_request_db(request), &actor, id, name, email, function,
                                                     &answer, &err);
    http_reply_result(request, rc, 201, answer, &err);
}

void organisations_contact_remove(http_request *request)
{
    long long id;
    id = http_request_id(request, "id");
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    if (service_organisations_contact_remove(http_request_db(request), &actor, id, &err) != 0)
        http_reply_err(request, &err);
    else
        http_reply_empty(request, 204);
}

/* ---- bases ---- */

void organisations_basis_create(http_request *request)
{
    long long id;
    id = http_request_id(request, "id");
    json_t *body = http_request_json(request);
    service_basis_input input = {0};
    json_t *answer = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    int rc = input_choice(body, "basis", 1, basis_kinds, &input.basis, &err) != 0 ||
                     input_date(body, "since", 1, &input.since, &err) != 0 ||
                     input_date(body, "until", 0, &input.until, &err) != 0 ||
                     input_string(body, "contract_ref", 0, 200, &input.contract_ref, &err) != 0 ||
                     input_string(body, "counterparty", 0, 200, &input.counterparty, &err) != 0 ||
                     input_boolean(body, "follows_amendments", 0, &input.follows_amendments, &err) != 0 ||
                     input_integer(body, "pinned_version_id", 0, 1, (1LL << 53), &input.pinned_version_id, NULL,
                                   &err) != 0
                 ? -1
                 : service_organisations_basis_add(http_request_db(request), &actor, id, &input, &answer, &err);
    http_reply_result(request, rc, 201, answer, &err);
}

void organisations_basis_end(http_request *request)
{
    long long id;
    id = http_request_id(request, "id");
    json_t *body = http_request_json(request);
    const char *until = NULL, *reason = NULL;
    json_t *answer = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    int rc = input_date(body, "until", 1, &until, &err) != 0 ||
                     input_string(body, "reason", 0, 300, &reason, &err) != 0
                 ? -1
                 : service_organisations_basis_end(http_request_db(request), &actor, id, until, reason, &answer,
                                                   &err);
    http_reply_result(request, rc, 200, answer, &err);
}

/* ---- member list import and export ---- */

void organisations_import_preview(http_request *request)
{
    size_t length = 0;
    const char *data = http_request_body(request, &length);
    json_t *answer = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    int rc = service_register_import_preview(http_request_db(request), data, length, org_today(request), &answer,
                                             &err);
    http_reply_result(request, rc, 200, answer, &err);
}

void organisations_import_commit(http_request *request)
{
    size_t length = 0;
    const char *data = http_request_body(request, &length);
    json_t *answer = NULL;
    int status = 200;
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    int rc = service_register_import_commit(http_request_db(request), &actor, data, length, org_today(request),
                                            &status, &answer, &err);
    http_reply_result(request, rc, status, answer, &err);
}

void organisations_export(http_request *request)
{
    char *data = NULL;
    size_t length = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (service_register_export(http_request_db(request), &data, &length, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    char disposition[96], date[RULES_DATE_TEXT_SIZE];
    snprintf(disposition, sizeof disposition, "attachment; filename=\"register-%s.csv\"",
             rules_date_format(org_today(request), date));
    http_reply_bytes(request, 200, "text/csv; charset=utf-8", data, length);
    http_reply_header(request, "Content-Disposition", disposition);
}

/* ---- the public register ---- */

void organisations_public_register(http_request *request)
{
    json_t *answer = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    int rc = service_organisations_public_register(http_request_db(request), org_today(request), &answer, &err);
    http_reply_result(request, rc, 200, answer, &err);
}
