/* The register's flows: binding status per date, the detail, the list and the public
 * register, and every change of an organisation, contact or basis as one transaction. */
#include "alvd/service/organisations.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every Code version comes from the code area's loader, called as it is today (issue 20:
 * the lead moves it into the store when the code area lands). */
#include "alvd/service/code.h"
#include "alvd/rules/member_import.h"
#include "alvd/store/bases.h"
#include "alvd/store/contacts.h"
#include "alvd/service/code.h"

static const char *const basis_kinds[] = {"membership", "signature", "contract", NULL};

static rules_basis_kind org_basis_kind(const char *name)
{
    if (strcmp(name, "membership") == 0)
        return RULES_BASIS_MEMBERSHIP;
    if (strcmp(name, "signature") == 0)
        return RULES_BASIS_SIGNATURE;
    return RULES_BASIS_CONTRACT;
}

static long long org_actor_user(const audit_actor *actor)
{
    return strcmp(actor->kind, "user") == 0 ? actor->id : 0;
}

/* ---- the inputs of rules_binding_on ---- */

/* Fill a rules_basis from a row of STORE_BASES_COLUMNS. */
static int org_basis_from_row(const store_result *rows, size_t row, rules_basis *basis, alvd_err *err)
{
    memset(basis, 0, sizeof *basis);
    basis->kind = org_basis_kind(store_result_text_by_name(rows, row, "basis"));
    if (rules_date_parse(store_result_text_by_name(rows, row, "since"), "since", &basis->since, err) != 0)
        return -1;
    const char *until = store_result_text_by_name(rows, row, "until");
    if (until) {
        basis->has_until = 1;
        if (rules_date_parse(until, "until", &basis->until, err) != 0)
            return -1;
    }
    basis->follows_amendments = store_result_int_by_name(rows, row, "follows_amendments") != 0;
    basis->pinned_version_id = store_result_int_by_name(rows, row, "pinned_version_id");
    return 0;
}

/* Room for count bases and their statuses (at least one, so calloc never answers NULL for 0). */
static int org_bases_alloc(size_t count, rules_basis **bases, rules_basis_status **per_basis, alvd_err *err)
{
    *bases = calloc(count ? count : 1, sizeof **bases);
    *per_basis = calloc(count ? count : 1, sizeof **per_basis);
    if (*bases == NULL || *per_basis == NULL)
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Onvoldoende geheugen.");
    return 0;
}

/* The current bases with their per-basis activity and version, as the status shows them. */
static json_t *org_bases_status_json(const store_result *rows, const rules_basis_status *per_basis)
{
    json_t *list = json_array();
    for (size_t i = 0; i < store_result_rows(rows); i++) {
        json_t *item = store_result_row_json(rows, i);
        json_object_set_new(item, "active", json_boolean(per_basis[i].active));
        json_object_set_new(item, "version_id",
                            per_basis[i].version_id ? json_integer(per_basis[i].version_id) : json_null());
        json_array_append_new(list, item);
    }
    return list;
}

int service_organisations_binding_on(store_conn *conn, long long organisation_id, rules_day on,
                                     rules_binding *out, char *label, size_t label_size, json_t **bases_json,
                                     alvd_err *err)
{
    store_result *rows = NULL;
    service_code_version_list versions = {0};
    rules_basis *bases = NULL;
    rules_basis_status *per_basis = NULL;
    int rc = -1;
    if (bases_json)
        *bases_json = NULL;
    if (store_organisations_exists(conn, organisation_id, 0, err) != 0 ||
        store_bases_current(conn, organisation_id, &rows, err) != 0 || service_code_versions_load(conn, &versions, err) != 0)
        goto done;
    size_t count = store_result_rows(rows);
    if (org_bases_alloc(count, &bases, &per_basis, err) != 0)
        goto done;
    for (size_t i = 0; i < count; i++)
        if (org_basis_from_row(rows, i, &bases[i], err) != 0)
            goto done;
    if (rules_binding_on(bases, count, versions.items, versions.count, on, per_basis, out, err) != 0)
        goto done;
    /* The label lives in the version rows freed below: copy it out. */
    if (label && label_size)
        snprintf(label, label_size, "%s", out->version_label ? out->version_label : "");
    out->version_label = NULL;
    if (bases_json)
        *bases_json = org_bases_status_json(rows, per_basis);
    rc = 0;
done:
    free(bases);
    free(per_basis);
    store_result_free(rows);
    service_code_versions_free(&versions);
    return rc;
}

/* ---- reading ---- */

/* Mark each basis row: current (not superseded) and, for current rows, active today
 * with its version (from the status list `current`). */
static void org_mark_bases(json_t *all_bases, json_t *current)
{
    size_t i;
    json_t *item;
    json_array_foreach(all_bases, i, item) {
        json_int_t basis_id = json_integer_value(json_object_get(item, "id"));
        int is_current = json_is_null(json_object_get(item, "superseded_by"));
        json_object_set_new(item, "current", json_boolean(is_current));
        size_t k;
        json_t *live;
        json_object_set_new(item, "active", json_false());
        json_object_set_new(item, "version_id", json_null());
        json_array_foreach(current, k, live) {
            if (json_integer_value(json_object_get(live, "id")) == basis_id) {
                json_object_set(item, "active", json_object_get(live, "active"));
                json_object_set(item, "version_id", json_object_get(live, "version_id"));
            }
        }
    }
}

static int org_is_member(json_t *current)
{
    size_t i;
    json_t *item;
    json_array_foreach(current, i, item)
        if (json_is_true(json_object_get(item, "active")) &&
            strcmp(json_string_value(json_object_get(item, "basis")), "membership") == 0)
            return 1;
    return 0;
}

int service_organisations_detail(store_conn *conn, long long id, rules_day today, json_t **out, alvd_err *err)
{
    store_result *rows = NULL, *contacts = NULL, *bases = NULL;
    json_t *current = NULL;
    *out = NULL;
    int rc = -1;
    rules_binding binding;
    if (store_organisations_load(conn, id, 0, &rows, err) != 0 ||
        service_organisations_binding_on(conn, id, today, &binding, NULL, 0, &current, err) != 0 ||
        store_contacts_list(conn, id, &contacts, err) != 0 || store_bases_history(conn, id, &bases, err) != 0)
        goto done;
    json_t *detail = store_result_row_json(rows, 0);
    json_t *all_bases = store_result_json(bases);
    org_mark_bases(all_bases, current);
    char date[RULES_DATE_TEXT_SIZE];
    json_object_set_new(detail, "member", json_boolean(org_is_member(current)));
    json_object_set_new(detail, "contacts", store_result_json(contacts));
    json_object_set_new(detail, "bases", all_bases);
    json_object_set_new(detail, "status",
                        json_pack("{s:s, s:b, s:o, s:s}", "date", rules_date_format(today, date), "bound",
                                  binding.bound, "version_id",
                                  binding.version_id ? json_integer(binding.version_id) : json_null(),
                                  "reason", binding.reason));
    *out = detail;
    rc = 0;
done:
    json_decref(current);
    store_result_free(rows);
    store_result_free(contacts);
    store_result_free(bases);
    return rc;
}

int service_organisations_status(store_conn *conn, long long id, rules_day on, json_t **out, alvd_err *err)
{
    rules_binding binding;
    json_t *bases = NULL;
    char label[128], date[RULES_DATE_TEXT_SIZE];
    if (service_organisations_binding_on(conn, id, on, &binding, label, sizeof label, &bases, err) != 0)
        return -1;
    *out = json_pack("{s:I, s:s, s:b, s:o, s:o, s:o, s:s}", "organisation_id", (json_int_t)id, "date",
                     rules_date_format(on, date), "bound", binding.bound, "version_id",
                     binding.version_id ? json_integer(binding.version_id) : json_null(), "version_label",
                     label[0] ? json_string(label) : json_null(), "bases", bases, "reason", binding.reason);
    return 0;
}

/* Whether a list row with these active bases passes the member and basis filters. */
static int org_list_keeps(const service_organisations_filter *filter, const char *active, int is_member)
{
    const char *member = filter->member, *basis = filter->basis;
    if (member && strcmp(member, "true") == 0 && !is_member)
        return 0;
    if (member && strcmp(member, "false") == 0 && is_member)
        return 0;
    if (basis && basis[0] && strcmp(basis, "all") != 0) {
        if (strcmp(basis, "any") == 0 ? active[0] == '\0'
            : strcmp(basis, "none") == 0 ? active[0] != '\0'
                                         : strstr(active, basis) == NULL)
            return 0;
    }
    return 1;
}

int service_organisations_list(store_conn *conn, const service_organisations_filter *filter, json_t **out,
                               alvd_err *err)
{
    char date[RULES_DATE_TEXT_SIZE];
    rules_date_format(filter->on, date);
    store_result *rows = NULL;
    const char *search = filter->search && filter->search[0] ? filter->search : NULL;
    if (store_organisations_list(conn, date, search, &rows, err) != 0)
        return -1;
    json_t *items = json_array();
    for (size_t i = 0; i < store_result_rows(rows); i++) {
        const char *active = store_result_text_by_name(rows, i, "active_bases");
        active = active ? active : "";
        int is_member = strstr(active, "membership") != NULL;
        if (!org_list_keeps(filter, active, is_member))
            continue;
        json_t *item = store_result_row_json(rows, i);
        json_object_del(item, "active_bases");
        json_t *kinds = json_array();
        for (size_t k = 0; basis_kinds[k]; k++)
            if (strstr(active, basis_kinds[k]))
                json_array_append_new(kinds, json_string(basis_kinds[k]));
        json_object_set_new(item, "active_bases", kinds);
        json_object_set_new(item, "member", json_boolean(is_member));
        json_array_append_new(items, item);
    }
    store_result_free(rows);
    *out = json_pack("{s:s, s:o}", "date", date, "items", items);
    return 0;
}

/* The public entry of one bound organisation: its name, KvK, the kinds of bases that
 * bind it and the version label. */
static json_t *org_public_item(const store_result *rows, size_t first, const rules_basis *bases,
                               const rules_basis_status *per_basis, size_t count, const rules_binding *binding)
{
    json_t *kinds = json_array();
    for (size_t k = 0; basis_kinds[k]; k++)
        for (size_t b = 0; b < count; b++)
            if (per_basis[b].active && per_basis[b].version_id &&
                strcmp(rules_basis_kind_name(bases[b].kind), basis_kinds[k]) == 0) {
                json_array_append_new(kinds, json_string(basis_kinds[k]));
                break;
            }
    return json_pack("{s:s, s:s, s:o, s:s?}", "name", store_result_text(rows, first, 1), "kvk",
                     store_result_text(rows, first, 2), "bases", kinds, "version_label", binding->version_label);
}

/* Walk the rows (grouped by organisation) and append every bound one to items. */
static int org_public_items(const store_result *rows, const service_code_version_list *versions, rules_day today,
                            json_t *items, alvd_err *err)
{
    rules_basis *bases = NULL;
    rules_basis_status *per_basis = NULL;
    size_t count = store_result_rows(rows);
    int rc = -1;
    if (org_bases_alloc(count, &bases, &per_basis, err) != 0)
        goto done;
    for (size_t i = 0; i < count;) {
        long long id = store_result_int(rows, i, 0);
        size_t end = i;
        while (end < count && store_result_int(rows, end, 0) == id) {
            if (org_basis_from_row(rows, end, &bases[end - i], err) != 0)
                goto done;
            end++;
        }
        rules_binding binding;
        if (rules_binding_on(bases, end - i, versions->items, versions->count, today, per_basis, &binding, err) != 0)
            goto done;
        if (binding.bound)
            json_array_append_new(items, org_public_item(rows, i, bases, per_basis, end - i, &binding));
        i = end;
    }
    rc = 0;
done:
    free(bases);
    free(per_basis);
    return rc;
}

int service_organisations_public_register(store_conn *conn, rules_day today, json_t **out, alvd_err *err)
{
    store_result *rows = NULL;
    service_code_version_list versions = {0};
    json_t *items = json_array();
    int rc = -1;
    if (store_organisations_public_bases(conn, &rows, err) != 0 || service_code_versions_load(conn, &versions, err) != 0 ||
        org_public_items(rows, &versions, today, items, err) != 0)
        goto done;
    char date[RULES_DATE_TEXT_SIZE];
    *out = json_pack("{s:s, s:O}", "date", rules_date_format(today, date), "items", items);
    rc = 0;
done:
    json_decref(items);
    store_result_free(rows);
    service_code_versions_free(&versions);
    return rc;
}

/* ---- bases ---- */

/* The checks on a basis that need no database: dates in order, contract fields only on
 * a contract, a contract either follows amendments or is pinned. */
static int org_basis_check(const service_basis_input *input, alvd_err *err)
{
    rules_day since, until;
    if (rules_date_parse(input->since, "since", &since, err) != 0 ||
        (input->until && rules_date_parse(input->until, "until", &until, err) != 0))
        return -1;
    if (input->until && until < since)
        return alvd_err_set(err, 422, "until_before_since", "until",
                            "De einddatum (%s) ligt vóór de begindatum (%s); kies een einddatum op of na %s.",
                            input->until, input->since, input->since);
    int contract = strcmp(input->basis, "contract") == 0;
    if (contract && input->contract_ref == NULL)
        return alvd_err_set(err, 422, "contract_ref_required", "contract_ref",
                            "Een contract als grondslag heeft een contractreferentie nodig.");
    if (!contract && (input->contract_ref || input->counterparty || input->follows_amendments ||
                      input->pinned_version_id))
        return alvd_err_set(err, 422, "not_a_contract", input->contract_ref ? "contract_ref" : "follows_amendments",
                            "Contractreferentie, wederpartij, vastgezette versie en het volgen van "
                            "wijzigingen horen alleen bij de grondslag contract.");
    if (input->follows_amendments && input->pinned_version_id)
        return alvd_err_set(err, 422, "pinned_and_following", "pinned_version_id",
                            "Een contract volgt wijzigingen óf is vastgezet op een versie, niet beide.");
    return 0;
}

/* The checks against the register: the pinned version exists, and a membership or
 * signature does not overlap a current basis of the same kind. */
static int org_basis_check_register(store_conn *conn, long long organisation_id, const service_basis_input *input,
                                    long long supersedes, alvd_err *err)
{
    if (input->pinned_version_id) {
        int exists = 0;
        if (store_bases_version_exists(conn, input->pinned_version_id, &exists, err) != 0)
            return -1;
        if (!exists)
            return alvd_err_set(err, 422, "unknown_version", "pinned_version_id",
                                "Deze versie van de Code bestaat niet.");
    }
    if (strcmp(input->basis, "contract") == 0)
        return 0;
    store_basis_span other;
    int found = 0;
    if (store_bases_overlap(conn, organisation_id, input->basis, supersedes, input->since, input->until, &other,
                            &found, err) != 0)
        return -1;
    if (!found)
        return 0;
    const char *noun = strcmp(input->basis, "membership") == 0 ? "lidmaatschap" : "ondertekening";
    if (other.has_until)
        return alvd_err_set(err, 409, "overlapping_basis", "since",
                            "Deze organisatie heeft al een %s van %s tot en met %s; beëindig dat eerst of "
                            "kies aansluitende data.",
                            noun, other.since, other.until);
    return alvd_err_set(err, 409, "overlapping_basis", "since",
                        "Deze organisatie heeft al een %s van %s zonder einddatum; beëindig dat eerst of "
                        "kies aansluitende data.",
                        noun, other.since);
}

int service_organisations_basis_record(store_conn *conn, const audit_actor *actor, long long organisation_id,
                                       const service_basis_input *input, long long supersedes, long long *basis_id,
                                       alvd_err *err)
{
    if (org_basis_check(input, err) != 0 || org_basis_check_register(conn, organisation_id, input, supersedes, err) != 0)
        return -1;
    /* A contract that does not follow amendments is pinned now, when it is recorded:
     * to the version in force on its signing date, or (signed before any version) the
     * first version ever. The pin is stored, so a version recorded later never moves it
     * (issue 13). With no version yet it stays open until the first one is recorded. */
    long long pinned = input->pinned_version_id;
    if (strcmp(input->basis, "contract") == 0 && !input->follows_amendments && pinned == 0 &&
        store_bases_pin_version(conn, input->since, &pinned, err) != 0)
        return -1;
    store_basis_fields fields = {organisation_id, input->basis, input->since, input->until, input->contract_ref,
                                 input->counterparty, input->ended_by, input->follows_amendments, pinned,
                                 org_actor_user(actor)};
    if (store_bases_insert(conn, &fields, basis_id, err) != 0 ||
        (supersedes && store_bases_supersede(conn, supersedes, *basis_id, NULL, err) != 0))
        return -1;
    json_t *details = json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:s?, s:b, s:o, s:o}", "organisation_id",
                                (json_int_t)organisation_id, "basis", input->basis, "since", input->since,
                                "until", input->until, "contract_ref", input->contract_ref, "counterparty",
                                input->counterparty, "follows_amendments", input->follows_amendments,
                                "pinned_version_id", pinned ? json_integer(pinned) : json_null(),
                                "supersedes", supersedes ? json_integer(supersedes) : json_null());
    int rc = audit_append(conn, err, actor, supersedes ? "basis.revise" : "basis.create", "basis", *basis_id,
                          details);
    json_decref(details);
    return rc;
}

/* The row of a basis as the answer shows it (after the commit). */
static int org_basis_json(store_conn *conn, long long basis_id, json_t **out, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_bases_load(conn, basis_id, 0, &rows, err) != 0)
        return -1;
    *out = store_result_row_json(rows, 0);
    store_result_free(rows);
    return 0;
}

int service_organisations_basis_add(store_conn *conn, const audit_actor *actor, long long organisation_id,
                                    const service_basis_input *input, json_t **out, alvd_err *err)
{
    long long basis_id = 0;
    if (store_begin(conn, err) != 0 || store_organisations_exists(conn, organisation_id, 1, err) != 0 ||
        service_organisations_basis_record(conn, actor, organisation_id, input, 0, &basis_id, err) != 0 ||
        store_commit(conn, err) != 0) {
        store_rollback(conn);
        return -1;
    }
    return org_basis_json(conn, basis_id, out, err);
}

/* The basis being ended, locked: refuses a superseded row and an unchanged end date. */
static int org_basis_to_end(store_conn *conn, long long id, const char *until, store_result **rows, alvd_err *err)
{
    if (store_bases_load(conn, id, 1, rows, err) != 0)
        return -1;
    if (!store_result_is_null(*rows, 0, (size_t)store_result_column_index(*rows, "superseded_by")))
        return alvd_err_set(err, 409, "superseded", NULL,
                            "Deze grondslag is al vervangen door grondslag %lld; beëindig die.",
                            store_result_int_by_name(*rows, 0, "superseded_by"));
    const char *old_until = store_result_text_by_name(*rows, 0, "until");
    if (old_until && strcmp(old_until, until) == 0)
        return alvd_err_set(err, 409, "already_ended", "until", "Deze grondslag eindigt al op %s.", until);
    return 0;
}

int service_organisations_basis_end(store_conn *conn, const audit_actor *actor, long long id, const char *until,
                                    const char *reason, json_t **out, alvd_err *err)
{
    store_result *rows = NULL;
    long long new_id = 0;
    if (store_begin(conn, err) != 0 || org_basis_to_end(conn, id, until, &rows, err) != 0)
        goto fail;
    service_basis_input input = {
        .basis = store_result_text_by_name(rows, 0, "basis"),
        .since = store_result_text_by_name(rows, 0, "since"),
        .until = until,
        .contract_ref = store_result_text_by_name(rows, 0, "contract_ref"),
        .counterparty = store_result_text_by_name(rows, 0, "counterparty"),
        .follows_amendments = store_result_int_by_name(rows, 0, "follows_amendments") != 0,
        .pinned_version_id = store_result_int_by_name(rows, 0, "pinned_version_id"),
        .ended_by = "register",
    };
    long long organisation_id = store_result_int_by_name(rows, 0, "organisation_id");
    if (service_organisations_basis_record(conn, actor, organisation_id, &input, id, &new_id, err) != 0)
        goto fail;
    json_t *details = json_pack("{s:I, s:s, s:s?}", "supersedes", (json_int_t)id, "until", until, "reason", reason);
    int audited = audit_append(conn, err, actor, "basis.end", "basis", new_id, details);
    json_decref(details);
    if (audited != 0 || store_commit(conn, err) != 0)
        goto fail;
    store_result_free(rows);
    if (org_basis_json(conn, new_id, out, err) != 0)
        return -1;
    json_object_set_new(*out, "supersedes", json_integer(id));
    return 0;
fail:
    store_rollback(conn);
    store_result_free(rows);
    return -1;
}

/* ---- organisations ---- */

int service_organisations_create(store_conn *conn, const audit_actor *actor, const service_organisation_input *input,
                                 rules_day today, json_t **out, alvd_err *err)
{
    const store_organisation_fields *fields = &input->fields;
    char today_text[RULES_DATE_TEXT_SIZE];
    rules_date_format(today, today_text);
    long long id = 0, basis_id = 0;
    if (store_begin(conn, err) != 0 ||
        store_organisations_check_unique(conn, fields->kvk, fields->member_number, 0, err) != 0 ||
        store_organisations_insert(conn, fields, &id, err) != 0)
        goto fail;
    json_t *details = json_pack("{s:s, s:s, s:s?, s:s?, s:b}", "name", fields->name, "kvk", fields->kvk, "email",
                                fields->email, "member_number", fields->member_number, "public_consent",
                                fields->public_consent);
    int audited = audit_append(conn, err, actor, "organisation.create", "organisation", id, details);
    json_decref(details);
    if (audited != 0)
        goto fail;
    if (input->member) {
        service_basis_input basis = {.basis = "membership",
                                     .since = input->member_since ? input->member_since : today_text};
        if (service_organisations_basis_record(conn, actor, id, &basis, 0, &basis_id, err) != 0)
            goto fail;
    }
    if (store_commit(conn, err) != 0)
        goto fail;
    return service_organisations_detail(conn, id, today, out, err);
fail:
    store_rollback(conn);
    return -1;
}

int service_organisations_update(store_conn *conn, const audit_actor *actor, long long id,
                                 const store_organisation_change *change, json_t *changes, rules_day today,
                                 json_t **out, alvd_err *err)
{
    store_result *before = NULL;
    if (store_begin(conn, err) != 0 || store_organisations_load(conn, id, 1, &before, err) != 0 ||
        store_organisations_check_unique(conn, change->kvk, change->has_member_number ? change->member_number : NULL,
                                         id, err) != 0 ||
        store_organisations_update(conn, id, change, err) != 0)
        goto fail;
    json_t *old = store_result_row_json(before, 0);
    json_object_del(old, "created_at");
    json_object_del(old, "updated_at");
    json_t *details = json_pack("{s:o, s:O}", "before", old, "changes", changes);
    int audited = audit_append(conn, err, actor, "organisation.update", "organisation", id, details);
    json_decref(details);
    if (audited != 0 || store_commit(conn, err) != 0)
        goto fail;
    store_result_free(before);
    return service_organisations_detail(conn, id, today, out, err);
fail:
    store_rollback(conn);
    store_result_free(before);
    return -1;
}

/* ---- contacts ---- */

/* Insert the contact, or bring a removed one with this e-mail back (its history stays
 * linked); 409 when a current contact has it. */
static int org_contact_upsert(store_conn *conn, long long organisation_id, const char *name, const char *email,
                              const char *function, long long *contact_id, alvd_err *err)
{
    int active = 0;
    if (store_contacts_find(conn, organisation_id, email, contact_id, &active, err) != 0)
        return -1;
    if (*contact_id && active)
        return alvd_err_set(err, 409, "contact_exists", "email",
                            "Deze organisatie heeft al een contactpersoon met dit e-mailadres.");
    if (*contact_id)
        return store_contacts_revive(conn, *contact_id, name, function, err);
    return store_contacts_insert(conn, organisation_id, name, email, function, contact_id, err);
}

int service_organisations_contact_add(store_conn *conn, const audit_actor *actor, long long organisation_id,
                                      const char *name, const char *email_given, const char *function, json_t **out,
                                      alvd_err *err)
{
    /* E-mail addresses are kept in lower case: the link login looks them up. The limit
     * counts characters, and a character takes up to 4 bytes in UTF-8. */
    char email[RULES_MEMBER_EMAIL_MAX * 4 + 1];
    snprintf(email, sizeof email, "%s", email_given);
    for (char *p = email; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    long long contact_id = 0;
    if (store_begin(conn, err) != 0 || store_organisations_exists(conn, organisation_id, 1, err) != 0 ||
        org_contact_upsert(conn, organisation_id, name, email, function, &contact_id, err) != 0)
        goto fail;
    json_t *details = json_pack("{s:I, s:s, s:s, s:s?}", "organisation_id", (json_int_t)organisation_id, "name",
                                name, "email", email, "function", function);
    int audited = audit_append(conn, err, actor, "contact.create", "contact", contact_id, details);
    json_decref(details);
    if (audited != 0 || store_commit(conn, err) != 0)
        goto fail;
    *out = json_pack("{s:I, s:I, s:s, s:s, s:s?}", "id", (json_int_t)contact_id, "organisation_id",
                     (json_int_t)organisation_id, "name", name, "email", email, "function", function);
    return 0;
fail:
    store_rollback(conn);
    return -1;
}

int service_organisations_contact_remove(store_conn *conn, const audit_actor *actor, long long contact_id,
                                         alvd_err *err)
{
    /* Their open sessions end with them. */
    if (store_begin(conn, err) != 0 || store_contacts_remove(conn, contact_id, err) != 0 ||
        store_contacts_revoke_sessions(conn, contact_id, err) != 0 ||
        audit_append(conn, err, actor, "contact.remove", "contact", contact_id, NULL) != 0 ||
        store_commit(conn, err) != 0) {
        store_rollback(conn);
        return -1;
    }
    return 0;
}
