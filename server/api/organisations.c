/* The register: organisations, contact persons and bases of binding (nothing edited
 * in place without a trace: a changed basis is a new row that supersedes the old),
 * binding status per date, the member list import/export and the public register. */
#include "alvd/api/organisations.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/api/code.h"
#include "alvd/base/buf.h"
#include "alvd/crypto/audit.h"
#include "alvd/http/input.h"
#include "alvd/rules/csv_import.h"
#include "alvd/rules/dates.h"
#include "alvd/rules/kvk.h"
#include "alvd/rules/member_import.h"

#define ORG_LIST_LIMIT 2000
#define ORG_EXPORT_CAP (32u * 1024u * 1024u)

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

/* ---- reading ---- */

#define ORG_COLUMNS                                                                          \
    "o.id, o.name, o.kvk, o.email, o.address, o.member_number, o.public_consent, o.created_at," \
    " o.updated_at"

#define BASIS_COLUMNS                                                                        \
    "b.id, b.basis, DATE_FORMAT(b.since, '%Y-%m-%d') AS since,"                              \
    " DATE_FORMAT(b.until, '%Y-%m-%d') AS until, b.contract_ref, b.counterparty,"           \
    " b.follows_amendments, b.pinned_version_id, b.ended_by, b.superseded_by, b.created_at"

/* Fill a rules_basis from a row of BASIS_COLUMNS. */
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

int organisations_binding_on(store_conn *conn, long long organisation_id, rules_day on,
                             rules_binding *out, char *label, size_t label_size, json_t **bases_json,
                             alvd_err *err)
{
    store_result *org = NULL, *rows = NULL;
    code_version_list versions = {0};
    rules_basis *bases = NULL;
    rules_basis_status *per_basis = NULL;
    int rc = -1;
    if (bases_json)
        *bases_json = NULL;
    if (store_query(conn, err, &org, "SELECT id FROM organisations WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(organisation_id))) != 0)
        goto done;
    if (store_result_rows(org) == 0) {
        alvd_err_set(err, 404, "not_found", NULL, "Deze organisatie staat niet in het register.");
        goto done;
    }
    if (store_query(conn, err, &rows,
                    "SELECT " BASIS_COLUMNS " FROM bases b WHERE b.organisation_id = ?"
                    " AND b.superseded_by IS NULL ORDER BY b.since, b.id",
                    STORE_PARAMS(STORE_INT_PARAM(organisation_id))) != 0 ||
        code_versions_load(conn, &versions, err) != 0)
        goto done;
    size_t count = store_result_rows(rows);
    bases = calloc(count ? count : 1, sizeof *bases);
    per_basis = calloc(count ? count : 1, sizeof *per_basis);
    if (bases == NULL || per_basis == NULL) {
        alvd_err_set(err, 500, "out_of_memory", NULL, "Onvoldoende geheugen.");
        goto done;
    }
    for (size_t i = 0; i < count; i++)
        if (org_basis_from_row(rows, i, &bases[i], err) != 0)
            goto done;
    if (rules_binding_on(bases, count, versions.items, versions.count, on, per_basis, out, err) != 0)
        goto done;
    /* The label lives in the version rows freed below: copy it out. */
    if (label && label_size)
        snprintf(label, label_size, "%s", out->version_label ? out->version_label : "");
    out->version_label = NULL;
    if (bases_json) {
        json_t *list = json_array();
        for (size_t i = 0; i < count; i++) {
            json_t *item = store_result_row_json(rows, i);
            json_object_set_new(item, "active", json_boolean(per_basis[i].active));
            json_object_set_new(item, "version_id",
                                per_basis[i].version_id ? json_integer(per_basis[i].version_id) : json_null());
            json_array_append_new(list, item);
        }
        *bases_json = list;
    }
    rc = 0;
done:
    free(bases);
    free(per_basis);
    store_result_free(org);
    store_result_free(rows);
    code_versions_free(&versions);
    return rc;
}

/* The detail of one organisation: fields, contacts, every basis row (with current
 * and active flags), and today's binding. */
static int org_detail_json(store_conn *conn, long long id, rules_day today, json_t **out, alvd_err *err)
{
    store_result *rows = NULL, *contacts = NULL, *bases = NULL;
    json_t *current = NULL;
    *out = NULL;
    int rc = -1;
    if (store_query(conn, err, &rows, "SELECT " ORG_COLUMNS " FROM organisations o WHERE o.id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        goto done;
    if (store_result_rows(rows) == 0) {
        alvd_err_set(err, 404, "not_found", NULL, "Deze organisatie staat niet in het register.");
        goto done;
    }
    rules_binding binding;
    if (organisations_binding_on(conn, id, today, &binding, NULL, 0, &current, err) != 0)
        goto done;
    if (store_query(conn, err, &contacts,
                    "SELECT id, name, email, function, created_at FROM contacts"
                    " WHERE organisation_id = ? AND removed_at IS NULL ORDER BY name, id",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0 ||
        store_query(conn, err, &bases,
                    "SELECT " BASIS_COLUMNS " FROM bases b WHERE b.organisation_id = ?"
                    " ORDER BY b.since, b.id",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        goto done;
    json_t *detail = store_result_row_json(rows, 0);
    json_t *all_bases = store_result_json(bases);
    /* Mark each row: current (not superseded) and, for current rows, active today. */
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
    int member = 0;
    json_array_foreach(current, i, item)
        if (json_is_true(json_object_get(item, "active")) &&
            strcmp(json_string_value(json_object_get(item, "basis")), "membership") == 0)
            member = 1;
    char date[RULES_DATE_TEXT_SIZE];
    json_object_set_new(detail, "member", json_boolean(member));
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

static void org_reply_detail(http_request *request, int status, long long id)
{
    json_t *detail = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (org_detail_json(http_request_db(request), id, code_today(http_request_app(request)), &detail, &err) != 0)
        http_reply_err(request, &err);
    else
        http_reply_json(request, status, detail);
}

void organisations_get(http_request *request)
{
    long long id;
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    org_reply_detail(request, 200, id);
}

void organisations_status(http_request *request)
{
    long long id;
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    rules_day on;
    if (code_query_date(request, &on) != 0)
        return;
    rules_binding binding;
    json_t *bases = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    char label[128];
    if (organisations_binding_on(http_request_db(request), id, on, &binding, label, sizeof label, &bases, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    char date[RULES_DATE_TEXT_SIZE];
    http_reply_json(request, 200,
                    json_pack("{s:I, s:s, s:b, s:o, s:o, s:o, s:s}", "organisation_id", (json_int_t)id, "date",
                              rules_date_format(on, date), "bound", binding.bound, "version_id",
                              binding.version_id ? json_integer(binding.version_id) : json_null(),
                              "version_label",
                              label[0] ? json_string(label) : json_null(),
                              "bases", bases, "reason", binding.reason));
}

/* Escape % _ and \ for a LIKE pattern "%text%". */
static void org_like_pattern(const char *text, char *out, size_t size)
{
    size_t used = 0;
    out[used++] = '%';
    for (const char *p = text; *p && used + 3 < size; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            out[used++] = '\\';
        out[used++] = *p;
    }
    out[used++] = '%';
    out[used] = '\0';
}

void organisations_list(http_request *request)
{
    static const char *const basis_filters[] = {"all", "membership", "signature", "contract", "any", "none", NULL};
    const char *q = http_request_query(request, "q");
    const char *member = http_request_query(request, "member");
    const char *basis = http_request_query(request, "basis");
    rules_day on;
    if (code_query_date(request, &on) != 0)
        return;
    if (q && input_utf8_length(q) > 200) {
        http_reply_error(request, 422, "too_long", "q", "De zoekterm is te lang (ten hoogste 200 tekens).");
        return;
    }
    if (member && member[0] && strcmp(member, "true") != 0 && strcmp(member, "false") != 0) {
        http_reply_error(request, 400, "bad_choice", "member", "Gebruik member=true of member=false.");
        return;
    }
    int basis_known = basis == NULL || basis[0] == '\0';
    for (size_t i = 0; basis && basis_filters[i] && !basis_known; i++)
        basis_known = strcmp(basis, basis_filters[i]) == 0;
    if (!basis_known) {
        http_reply_error(request, 400, "bad_choice", "basis",
                         "Gebruik basis=all, membership, signature, contract, any of none.");
        return;
    }
    char pattern[1024] = "";
    if (q && q[0])
        org_like_pattern(q, pattern, sizeof pattern);
    char date[RULES_DATE_TEXT_SIZE];
    rules_date_format(on, date);
    store_result *rows = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    const char *search = q && q[0] ? q : NULL;
    if (store_query(http_request_db(request), &err, &rows,
                    "SELECT " ORG_COLUMNS ","
                    " GROUP_CONCAT(DISTINCT b.basis ORDER BY b.basis SEPARATOR ',') AS active_bases,"
                    " (SELECT COUNT(*) FROM contacts c WHERE c.organisation_id = o.id AND c.removed_at IS NULL)"
                    " AS contacts"
                    " FROM organisations o LEFT JOIN bases b ON b.organisation_id = o.id"
                    " AND b.superseded_by IS NULL AND b.since <= ? AND (b.until IS NULL OR b.until >= ?)"
                    " WHERE (? IS NULL OR o.name LIKE ? OR o.kvk = ? OR o.member_number = ? OR o.email = ?)"
                    " GROUP BY o.id ORDER BY o.name, o.id LIMIT " "2000",
                    STORE_PARAMS(STORE_TEXT_PARAM(date), STORE_TEXT_PARAM(date), STORE_TEXT_PARAM(search),
                                 STORE_TEXT_PARAM(pattern), STORE_TEXT_PARAM(search), STORE_TEXT_PARAM(search),
                                 STORE_TEXT_PARAM(search))) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t i = 0; i < store_result_rows(rows); i++) {
        const char *active = store_result_text_by_name(rows, i, "active_bases");
        active = active ? active : "";
        int is_member = strstr(active, "membership") != NULL;
        if (member && strcmp(member, "true") == 0 && !is_member)
            continue;
        if (member && strcmp(member, "false") == 0 && is_member)
            continue;
        if (basis && basis[0] && strcmp(basis, "all") != 0) {
            if (strcmp(basis, "any") == 0 ? active[0] == '\0'
                : strcmp(basis, "none") == 0 ? active[0] != '\0'
                                             : strstr(active, basis) == NULL)
                continue;
        }
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
    http_reply_json(request, 200, json_pack("{s:s, s:o}", "date", date, "items", items));
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

/* 409 when kvk or member number is used by another organisation than except_id. */
static int org_check_unique(store_conn *conn, const char *kvk, const char *member_number,
                            long long except_id, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT kvk = ?, name FROM organisations WHERE (kvk = ? OR member_number = ?) AND id <> ?",
                    STORE_PARAMS(STORE_TEXT_PARAM(kvk), STORE_TEXT_PARAM(kvk), STORE_TEXT_PARAM(member_number),
                                 STORE_INT_PARAM(except_id))) != 0)
        return -1;
    int rc = 0;
    if (store_result_rows(rows) > 0) {
        if (kvk && store_result_int(rows, 0, 0))
            rc = alvd_err_set(err, 409, "kvk_taken", "kvk", "KvK-nummer %s staat al in het register (%s).",
                              kvk, store_result_text(rows, 0, 1));
        else
            rc = alvd_err_set(err, 409, "member_number_taken", "member_number",
                              "Dit lidnummer is al in gebruik bij %s.", store_result_text(rows, 0, 1));
    }
    store_result_free(rows);
    return rc;
}

/* Validate a new basis for the organisation and insert it (in the caller's
 * transaction). supersedes: the basis row this one replaces (0 = none). */
typedef struct org_basis_input {
    const char *basis, *since, *until, *contract_ref, *counterparty, *ended_by;
    int follows_amendments;
    long long pinned_version_id;
} org_basis_input;

static int org_basis_insert(store_conn *conn, const audit_actor *actor, long long organisation_id,
                            const org_basis_input *input, long long supersedes, long long *basis_id,
                            alvd_err *err)
{
    store_result *rows = NULL;
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
    if (input->pinned_version_id) {
        if (store_query(conn, err, &rows, "SELECT id FROM code_versions WHERE id = ?",
                        STORE_PARAMS(STORE_INT_PARAM(input->pinned_version_id))) != 0)
            return -1;
        size_t found = store_result_rows(rows);
        store_result_free(rows);
        rows = NULL;
        if (found == 0)
            return alvd_err_set(err, 422, "unknown_version", "pinned_version_id",
                                "Deze versie van de Code bestaat niet.");
    }
    /* Membership and signature do not overlap with a current basis of the same kind. */
    if (!contract) {
        if (store_query(conn, err, &rows,
                        "SELECT DATE_FORMAT(since, '%Y-%m-%d'), DATE_FORMAT(until, '%Y-%m-%d') FROM bases"
                        " WHERE organisation_id = ? AND basis = ? AND superseded_by IS NULL AND id <> ?"
                        " AND (until IS NULL OR until >= ?) AND (? IS NULL OR since <= ?) FOR UPDATE",
                        STORE_PARAMS(STORE_INT_PARAM(organisation_id), STORE_TEXT_PARAM(input->basis),
                                     STORE_INT_PARAM(supersedes), STORE_TEXT_PARAM(input->since),
                                     STORE_TEXT_PARAM(input->until), STORE_TEXT_PARAM(input->until))) != 0)
            return -1;
        if (store_result_rows(rows) > 0) {
            const char *other_until = store_result_text(rows, 0, 1);
            const char *noun = strcmp(input->basis, "membership") == 0 ? "lidmaatschap" : "ondertekening";
            if (other_until)
                alvd_err_set(err, 409, "overlapping_basis", "since",
                             "Deze organisatie heeft al een %s van %s tot en met %s; beëindig dat eerst of "
                             "kies aansluitende data.",
                             noun, store_result_text(rows, 0, 0), other_until);
            else
                alvd_err_set(err, 409, "overlapping_basis", "since",
                             "Deze organisatie heeft al een %s van %s zonder einddatum; beëindig dat eerst of "
                             "kies aansluitende data.",
                             noun, store_result_text(rows, 0, 0));
            store_result_free(rows);
            return -1;
        }
        store_result_free(rows);
        rows = NULL;
    }
    /* A contract that does not follow amendments is pinned now, when it is recorded:
     * to the version in force on its signing date, or (signed before any version) the
     * first version ever. The pin is stored, so a version recorded later never moves it
     * (issue 13). With no version yet it stays open until the first one is recorded. */
    long long pinned = input->pinned_version_id;
    if (contract && !input->follows_amendments && pinned == 0) {
        if (store_query(conn, err, &rows,
                        "SELECT COALESCE((SELECT id FROM code_versions WHERE effective_from <= ?"
                        " ORDER BY effective_from DESC, id DESC LIMIT 1),"
                        " (SELECT id FROM code_versions ORDER BY effective_from, id LIMIT 1))",
                        STORE_PARAMS(STORE_TEXT_PARAM(input->since))) != 0)
            return -1;
        pinned = store_result_is_null(rows, 0, 0) ? 0 : store_result_int(rows, 0, 0);
        store_result_free(rows);
        rows = NULL;
    }
    long long user = org_actor_user(actor);
    if (store_execute(conn, err, NULL,
                      "INSERT INTO bases (organisation_id, basis, since, until, contract_ref, counterparty,"
                      " follows_amendments, pinned_version_id, ended_by, created_at, created_by)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6), ?)",
                      STORE_PARAMS(STORE_INT_PARAM(organisation_id), STORE_TEXT_PARAM(input->basis),
                                   STORE_TEXT_PARAM(input->since), STORE_TEXT_PARAM(input->until),
                                   STORE_TEXT_PARAM(input->contract_ref), STORE_TEXT_PARAM(input->counterparty),
                                   STORE_INT_PARAM(input->follows_amendments),
                                   pinned ? STORE_INT_PARAM(pinned) : STORE_NULL_PARAM,
                                   STORE_TEXT_PARAM(input->ended_by),
                                   user ? STORE_INT_PARAM(user) : STORE_NULL_PARAM)) != 0)
        return -1;
    *basis_id = store_last_insert_id(conn);
    if (supersedes &&
        store_execute(conn, err, NULL, "UPDATE bases SET superseded_by = ? WHERE id = ?",
                      STORE_PARAMS(STORE_INT_PARAM(*basis_id), STORE_INT_PARAM(supersedes))) != 0)
        return -1;
    json_t *details = json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:s?, s:b, s:o, s:o}", "organisation_id",
                                (json_int_t)organisation_id, "basis", input->basis, "since", input->since,
                                "until", input->until, "contract_ref", input->contract_ref, "counterparty",
                                input->counterparty, "follows_amendments", input->follows_amendments,
                                "pinned_version_id",
                                pinned ? json_integer(pinned) : json_null(),
                                "supersedes", supersedes ? json_integer(supersedes) : json_null());
    int rc = audit_append(conn, err, actor, supersedes ? "basis.revise" : "basis.create", "basis", *basis_id,
                          details);
    json_decref(details);
    return rc;
}

void organisations_create(http_request *request)
{
    static const char *const fields[] = {"name", "kvk", "email", "address", "member_number",
                                         "public_consent", "member", "member_since", NULL};
    json_t *body = http_request_json(request);
    store_conn *conn = http_request_db(request);
    const char *name = NULL, *kvk_given = NULL, *email = NULL, *address = NULL, *member_number = NULL,
               *member_since = NULL;
    int consent = 0, member = 0;
    char kvk[RULES_KVK_SIZE];
    alvd_err err;
    alvd_err_clear(&err);
    if (input_only(body, fields, &err) != 0 ||
        input_string(body, "name", 1, RULES_MEMBER_NAME_MAX, &name, &err) != 0 ||
        org_check_single_line(name, "name", &err) != 0 ||
        input_string(body, "kvk", 1, RULES_KVK_INPUT_MAX, &kvk_given, &err) != 0 ||
        rules_kvk_parse(kvk_given, kvk, &err) != 0 ||
        input_string(body, "email", 0, RULES_MEMBER_EMAIL_MAX, &email, &err) != 0 ||
        org_check_email(email, "email", &err) != 0 ||
        input_string(body, "address", 0, RULES_MEMBER_ADDRESS_MAX, &address, &err) != 0 ||
        input_string(body, "member_number", 0, RULES_MEMBER_NUMBER_MAX, &member_number, &err) != 0 ||
        org_check_single_line(member_number, "member_number", &err) != 0 ||
        input_boolean(body, "public_consent", 0, &consent, &err) != 0 ||
        input_boolean(body, "member", 0, &member, &err) != 0 ||
        input_date(body, "member_since", 0, &member_since, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    if (member_since && !member) {
        http_reply_error(request, 422, "member_since_without_member", "member_since",
                         "Een datum van lidmaatschap hoort alleen bij een lid van KSF.");
        return;
    }
    char today[RULES_DATE_TEXT_SIZE];
    rules_date_format(code_today(http_request_app(request)), today);
    audit_actor actor = http_request_actor(request);
    long long id = 0, basis_id = 0;
    if (store_begin(conn, &err) != 0 || org_check_unique(conn, kvk, member_number, 0, &err) != 0 ||
        store_execute(conn, &err, NULL,
                      "INSERT INTO organisations (name, kvk, email, address, member_number, public_consent,"
                      " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))",
                      STORE_PARAMS(STORE_TEXT_PARAM(name), STORE_TEXT_PARAM(kvk), STORE_TEXT_PARAM(email),
                                   STORE_TEXT_PARAM(address), STORE_TEXT_PARAM(member_number),
                                   STORE_INT_PARAM(consent))) != 0)
        goto fail;
    id = store_last_insert_id(conn);
    json_t *details = json_pack("{s:s, s:s, s:s?, s:s?, s:b}", "name", name, "kvk", kvk, "email", email,
                                "member_number", member_number, "public_consent", consent);
    int audited = audit_append(conn, &err, &actor, "organisation.create", "organisation", id, details);
    json_decref(details);
    if (audited != 0)
        goto fail;
    if (member) {
        org_basis_input basis = {.basis = "membership", .since = member_since ? member_since : today};
        if (org_basis_insert(conn, &actor, id, &basis, 0, &basis_id, &err) != 0)
            goto fail;
    }
    if (store_commit(conn, &err) != 0)
        goto fail;
    org_reply_detail(request, 201, id);
    return;
fail:
    store_rollback(conn);
    http_reply_err(request, &err);
}

void organisations_update(http_request *request)
{
    static const char *const fields[] = {"name", "kvk", "email", "address", "member_number", "public_consent", NULL};
    long long id;
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    json_t *body = http_request_json(request);
    store_conn *conn = http_request_db(request);
    store_result *before = NULL;
    const char *name = NULL, *kvk_given = NULL, *email = NULL, *address = NULL, *member_number = NULL;
    int has_email, has_address, has_number, consent = -1;
    char kvk[RULES_KVK_SIZE] = "";
    alvd_err err;
    alvd_err_clear(&err);
    if (input_only(body, fields, &err) != 0 ||
        input_string(body, "name", 0, RULES_MEMBER_NAME_MAX, &name, &err) != 0 ||
        org_check_single_line(name, "name", &err) != 0 ||
        input_string(body, "kvk", 0, RULES_KVK_INPUT_MAX, &kvk_given, &err) != 0 ||
        (kvk_given && rules_kvk_parse(kvk_given, kvk, &err) != 0) ||
        org_nullable_text(body, "email", RULES_MEMBER_EMAIL_MAX, &email, &has_email, &err) != 0 ||
        org_check_email(email, "email", &err) != 0 ||
        org_nullable_text(body, "address", RULES_MEMBER_ADDRESS_MAX, &address, &has_address, &err) != 0 ||
        org_nullable_text(body, "member_number", RULES_MEMBER_NUMBER_MAX, &member_number, &has_number, &err) != 0 ||
        org_check_single_line(member_number, "member_number", &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    if (json_object_get(body, "public_consent") && input_boolean(body, "public_consent", 0, &consent, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    audit_actor actor = http_request_actor(request);
    if (store_begin(conn, &err) != 0 ||
        store_query(conn, &err, &before, "SELECT " ORG_COLUMNS " FROM organisations o WHERE o.id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        goto fail;
    if (store_result_rows(before) == 0) {
        alvd_err_set(&err, 404, "not_found", NULL, "Deze organisatie staat niet in het register.");
        goto fail;
    }
    if (org_check_unique(conn, kvk[0] ? kvk : NULL, has_number ? member_number : NULL, id, &err) != 0 ||
        store_execute(conn, &err, NULL,
                      "UPDATE organisations SET name = COALESCE(?, name), kvk = COALESCE(?, kvk),"
                      " email = IF(?, ?, email), address = IF(?, ?, address),"
                      " member_number = IF(?, ?, member_number),"
                      " public_consent = IF(? < 0, public_consent, ?), updated_at = UTC_TIMESTAMP(6)"
                      " WHERE id = ?",
                      STORE_PARAMS(STORE_TEXT_PARAM(name), STORE_TEXT_PARAM(kvk[0] ? kvk : NULL),
                                   STORE_INT_PARAM(has_email), STORE_TEXT_PARAM(email),
                                   STORE_INT_PARAM(has_address), STORE_TEXT_PARAM(address),
                                   STORE_INT_PARAM(has_number), STORE_TEXT_PARAM(member_number),
                                   STORE_INT_PARAM(consent), STORE_INT_PARAM(consent), STORE_INT_PARAM(id))) != 0)
        goto fail;
    json_t *old = store_result_row_json(before, 0);
    json_object_del(old, "created_at");
    json_object_del(old, "updated_at");
    json_t *details = json_pack("{s:o, s:O}", "before", old, "changes", body);
    int audited = audit_append(conn, &err, &actor, "organisation.update", "organisation", id, details);
    json_decref(details);
    if (audited != 0 || store_commit(conn, &err) != 0)
        goto fail;
    store_result_free(before);
    org_reply_detail(request, 200, id);
    return;
fail:
    store_rollback(conn);
    store_result_free(before);
    http_reply_err(request, &err);
}

/* ---- contacts ---- */

static int org_exists(store_conn *conn, long long id, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows, "SELECT id FROM organisations WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    size_t found = store_result_rows(rows);
    store_result_free(rows);
    if (found == 0)
        return alvd_err_set(err, 404, "not_found", NULL, "Deze organisatie staat niet in het register.");
    return 0;
}

void organisations_contact_create(http_request *request)
{
    static const char *const fields[] = {"name", "email", "function", NULL};
    long long id;
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    json_t *body = http_request_json(request);
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    const char *name = NULL, *email_given = NULL, *function = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (input_only(body, fields, &err) != 0 || input_string(body, "name", 1, 200, &name, &err) != 0 ||
        org_check_single_line(name, "name", &err) != 0 ||
        input_string(body, "email", 1, RULES_MEMBER_EMAIL_MAX, &email_given, &err) != 0 ||
        org_check_email(email_given, "email", &err) != 0 ||
        input_string(body, "function", 0, 200, &function, &err) != 0 ||
        org_check_single_line(function, "function", &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    /* E-mail addresses are kept in lower case: the link login looks them up. The limit
     * counts characters, and a character takes up to 4 bytes in UTF-8. */
    char email[RULES_MEMBER_EMAIL_MAX * 4 + 1];
    snprintf(email, sizeof email, "%s", email_given);
    for (char *p = email; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    audit_actor actor = http_request_actor(request);
    long long contact_id = 0;
    if (store_begin(conn, &err) != 0 || org_exists(conn, id, &err) != 0 ||
        store_query(conn, &err, &rows,
                    "SELECT id, removed_at IS NULL FROM contacts WHERE organisation_id = ? AND email = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(id), STORE_TEXT_PARAM(email))) != 0)
        goto fail;
    if (store_result_rows(rows) > 0 && store_result_int(rows, 0, 1)) {
        alvd_err_set(&err, 409, "contact_exists", "email",
                     "Deze organisatie heeft al een contactpersoon met dit e-mailadres.");
        goto fail;
    }
    if (store_result_rows(rows) > 0) {
        /* A removed contact comes back: the same row, so its history stays linked. */
        contact_id = store_result_int(rows, 0, 0);
        if (store_execute(conn, &err, NULL,
                          "UPDATE contacts SET name = ?, function = ?, removed_at = NULL WHERE id = ?",
                          STORE_PARAMS(STORE_TEXT_PARAM(name), STORE_TEXT_PARAM(function),
                                       STORE_INT_PARAM(contact_id))) != 0)
            goto fail;
    } else {
        if (store_execute(conn, &err, NULL,
                          "INSERT INTO contacts (organisation_id, name, email, function, created_at)"
                          " VALUES (?, ?, ?, ?, UTC_TIMESTAMP(6))",
                          STORE_PARAMS(STORE_INT_PARAM(id), STORE_TEXT_PARAM(name), STORE_TEXT_PARAM(email),
                                       STORE_TEXT_PARAM(function))) != 0)
            goto fail;
        contact_id = store_last_insert_id(conn);
    }
    json_t *details = json_pack("{s:I, s:s, s:s, s:s?}", "organisation_id", (json_int_t)id, "name", name,
                                "email", email, "function", function);
    int audited = audit_append(conn, &err, &actor, "contact.create", "contact", contact_id, details);
    json_decref(details);
    if (audited != 0 || store_commit(conn, &err) != 0)
        goto fail;
    store_result_free(rows);
    http_reply_json(request, 201,
                    json_pack("{s:I, s:I, s:s, s:s, s:s?}", "id", (json_int_t)contact_id, "organisation_id",
                              (json_int_t)id, "name", name, "email", email, "function", function));
    return;
fail:
    store_rollback(conn);
    store_result_free(rows);
    http_reply_err(request, &err);
}

void organisations_contact_remove(http_request *request)
{
    long long id;
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    store_conn *conn = http_request_db(request);
    long long affected = 0;
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    if (store_begin(conn, &err) != 0 ||
        store_execute(conn, &err, &affected,
                      "UPDATE contacts SET removed_at = UTC_TIMESTAMP(6) WHERE id = ? AND removed_at IS NULL",
                      STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        goto fail;
    if (affected == 0) {
        alvd_err_set(&err, 404, "not_found", NULL, "Deze contactpersoon bestaat niet (meer).");
        goto fail;
    }
    /* Their open sessions end with them. */
    if (store_execute(conn, &err, NULL,
                      "UPDATE sessions SET revoked_at = UTC_TIMESTAMP(6) WHERE kind = 'contact'"
                      " AND contact_id = ? AND revoked_at IS NULL",
                      STORE_PARAMS(STORE_INT_PARAM(id))) != 0 ||
        audit_append(conn, &err, &actor, "contact.remove", "contact", id, NULL) != 0 ||
        store_commit(conn, &err) != 0)
        goto fail;
    http_reply_empty(request, 204);
    return;
fail:
    store_rollback(conn);
    http_reply_err(request, &err);
}

/* ---- bases ---- */

void organisations_basis_create(http_request *request)
{
    static const char *const fields[] = {"basis", "since", "until", "contract_ref", "counterparty",
                                         "follows_amendments", "pinned_version_id", NULL};
    long long id;
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    json_t *body = http_request_json(request);
    store_conn *conn = http_request_db(request);
    org_basis_input input = {0};
    alvd_err err;
    alvd_err_clear(&err);
    if (input_only(body, fields, &err) != 0 ||
        input_choice(body, "basis", 1, basis_kinds, &input.basis, &err) != 0 ||
        input_date(body, "since", 1, &input.since, &err) != 0 ||
        input_date(body, "until", 0, &input.until, &err) != 0 ||
        input_string(body, "contract_ref", 0, 200, &input.contract_ref, &err) != 0 ||
        input_string(body, "counterparty", 0, 200, &input.counterparty, &err) != 0 ||
        input_boolean(body, "follows_amendments", 0, &input.follows_amendments, &err) != 0 ||
        input_integer(body, "pinned_version_id", 0, 1, (1LL << 53), &input.pinned_version_id, NULL, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    audit_actor actor = http_request_actor(request);
    long long basis_id = 0;
    if (store_begin(conn, &err) != 0 || org_exists(conn, id, &err) != 0 ||
        org_basis_insert(conn, &actor, id, &input, 0, &basis_id, &err) != 0 || store_commit(conn, &err) != 0) {
        store_rollback(conn);
        http_reply_err(request, &err);
        return;
    }
    store_result *rows = NULL;
    if (store_query(conn, &err, &rows, "SELECT " BASIS_COLUMNS ", b.organisation_id FROM bases b WHERE b.id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(basis_id))) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 201, store_result_row_json(rows, 0));
    store_result_free(rows);
}

void organisations_basis_end(http_request *request)
{
    static const char *const fields[] = {"until", "reason", NULL};
    long long id;
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    json_t *body = http_request_json(request);
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    const char *until = NULL, *reason = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (input_only(body, fields, &err) != 0 || input_date(body, "until", 1, &until, &err) != 0 ||
        input_string(body, "reason", 0, 300, &reason, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    audit_actor actor = http_request_actor(request);
    long long new_id = 0;
    if (store_begin(conn, &err) != 0 ||
        store_query(conn, &err, &rows, "SELECT " BASIS_COLUMNS ", b.organisation_id FROM bases b WHERE b.id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        goto fail;
    if (store_result_rows(rows) == 0) {
        alvd_err_set(&err, 404, "not_found", NULL, "Deze grondslag bestaat niet.");
        goto fail;
    }
    if (!store_result_is_null(rows, 0, (size_t)store_result_column_index(rows, "superseded_by"))) {
        alvd_err_set(&err, 409, "superseded", NULL,
                     "Deze grondslag is al vervangen door grondslag %lld; beëindig die.",
                     store_result_int_by_name(rows, 0, "superseded_by"));
        goto fail;
    }
    const char *old_until = store_result_text_by_name(rows, 0, "until");
    if (old_until && strcmp(old_until, until) == 0) {
        alvd_err_set(&err, 409, "already_ended", "until", "Deze grondslag eindigt al op %s.", until);
        goto fail;
    }
    org_basis_input input = {
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
    if (org_basis_insert(conn, &actor, organisation_id, &input, id, &new_id, &err) != 0)
        goto fail;
    json_t *details = json_pack("{s:I, s:s, s:s?}", "supersedes", (json_int_t)id, "until", until, "reason", reason);
    int audited = audit_append(conn, &err, &actor, "basis.end", "basis", new_id, details);
    json_decref(details);
    if (audited != 0)
        goto fail;
    if (store_commit(conn, &err) != 0)
        goto fail;
    store_result_free(rows);
    rows = NULL;
    if (store_query(conn, &err, &rows, "SELECT " BASIS_COLUMNS ", b.organisation_id FROM bases b WHERE b.id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(new_id))) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *reply = store_result_row_json(rows, 0);
    json_object_set_new(reply, "supersedes", json_integer(id));
    store_result_free(rows);
    http_reply_json(request, 200, reply);
    return;
fail:
    store_rollback(conn);
    store_result_free(rows);
    http_reply_err(request, &err);
}

/* ---- member list import and export ---- */

/* The register as the import compares it: one query for every organisation with its
 * open membership (so a 5,000-row preview costs one round trip, not 5,000). */
typedef struct org_register {
    store_result *rows;
    rules_member_existing *items;
    long long *membership_ids; /* open membership basis per item, 0 = none */
    size_t count;
} org_register;

static void org_register_free(org_register *reg)
{
    store_result_free(reg->rows);
    free(reg->items);
    free(reg->membership_ids);
    memset(reg, 0, sizeof *reg);
}

static int org_register_load(store_conn *conn, int for_update, org_register *reg, alvd_err *err)
{
    memset(reg, 0, sizeof *reg);
    if (store_query(conn, err, &reg->rows,
                    for_update
                        ? "SELECT o.id, o.kvk, o.name, o.email, o.address, o.member_number, o.public_consent,"
                          " b.id, DATE_FORMAT(b.since, '%Y-%m-%d') FROM organisations o LEFT JOIN bases b"
                          " ON b.organisation_id = o.id AND b.basis = 'membership' AND b.superseded_by IS NULL"
                          " AND b.until IS NULL ORDER BY o.id, b.since DESC FOR UPDATE"
                        : "SELECT o.id, o.kvk, o.name, o.email, o.address, o.member_number, o.public_consent,"
                          " b.id, DATE_FORMAT(b.since, '%Y-%m-%d') FROM organisations o LEFT JOIN bases b"
                          " ON b.organisation_id = o.id AND b.basis = 'membership' AND b.superseded_by IS NULL"
                          " AND b.until IS NULL ORDER BY o.id, b.since DESC",
                    STORE_NO_PARAMS) != 0)
        return -1;
    size_t rows = store_result_rows(reg->rows);
    reg->items = calloc(rows ? rows : 1, sizeof *reg->items);
    reg->membership_ids = calloc(rows ? rows : 1, sizeof *reg->membership_ids);
    if (reg->items == NULL || reg->membership_ids == NULL) {
        org_register_free(reg);
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Onvoldoende geheugen.");
    }
    for (size_t i = 0; i < rows; i++) {
        long long id = store_result_int(reg->rows, i, 0);
        if (reg->count > 0 && reg->items[reg->count - 1].id == id)
            continue; /* a second open membership row: the latest one counts */
        rules_member_existing *item = &reg->items[reg->count];
        item->id = id;
        item->kvk = store_result_text(reg->rows, i, 1);
        item->name = store_result_text(reg->rows, i, 2);
        item->email = store_result_text(reg->rows, i, 3);
        item->address = store_result_text(reg->rows, i, 4);
        item->member_number = store_result_text(reg->rows, i, 5);
        item->public_consent = (int)store_result_int(reg->rows, i, 6);
        if (!store_result_is_null(reg->rows, i, 7)) {
            item->has_membership = 1;
            reg->membership_ids[reg->count] = store_result_int(reg->rows, i, 7);
            rules_date_parse(store_result_text(reg->rows, i, 8), NULL, &item->membership_since, NULL);
        }
        reg->count++;
    }
    return 0;
}

static json_t *org_import_row_json(const rules_member_import *import, size_t index)
{
    const rules_member_row *row = &import->rows[index];
    static const struct {
        unsigned bit;
        const char *name;
    } change_names[] = {
        {RULES_MEMBER_CHANGE_NAME, "name"},
        {RULES_MEMBER_CHANGE_EMAIL, "email"},
        {RULES_MEMBER_CHANGE_ADDRESS, "address"},
        {RULES_MEMBER_CHANGE_MEMBER_NUMBER, "member_number"},
        {RULES_MEMBER_CHANGE_PUBLIC_CONSENT, "public_consent"},
        {RULES_MEMBER_CHANGE_MEMBERSHIP, "membership"},
    };
    json_t *changes = json_array();
    for (size_t i = 0; i < sizeof change_names / sizeof change_names[0]; i++)
        if (row->changes & change_names[i].bit)
            json_array_append_new(changes, json_string(change_names[i].name));
    char since[RULES_DATE_TEXT_SIZE];
    rules_date_format(row->member_since, since);
    return json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:o, s:o, s:s, s:o, s:o}", "line",
                     (json_int_t)row->line, "status", rules_member_status_name(row->status), "kvk",
                     row->kvk[0] ? row->kvk : row->kvk_given, "name", row->name, "email", row->email, "address",
                     row->address, "member_number", row->member_number, "member_since",
                     row->status == RULES_MEMBER_INVALID ? json_null() : json_string(since), "public_consent",
                     row->public_consent < 0 ? json_null() : json_boolean(row->public_consent), "reason",
                     row->reason, "organisation_id",
                     row->existing ? json_integer(row->existing->id) : json_null(), "changes", changes);
}

static json_t *org_import_summary(const rules_csv *csv, const rules_member_import *import, int only_invalid)
{
    json_t *columns = json_object();
    for (int c = 0; c < RULES_MEMBER_COLUMN_COUNT; c++)
        if (import->columns.index[c] >= 0)
            json_object_set_new(columns, rules_member_export_header[c],
                                json_string(rules_csv_field(csv, 0, (size_t)import->columns.index[c])));
    json_t *ignored = json_array();
    for (size_t i = 0; i < import->columns.ignored_count; i++)
        json_array_append_new(ignored, json_string(rules_csv_field(csv, 0, import->columns.ignored[i])));
    json_t *rows = json_array();
    for (size_t i = 0; i < import->count; i++)
        if (!only_invalid || import->rows[i].status == RULES_MEMBER_INVALID)
            json_array_append_new(rows, org_import_row_json(import, i));
    char delimiter[2] = {csv->delimiter, '\0'};
    return json_pack("{s:s, s:s, s:o, s:o, s:{s:I, s:I, s:I, s:I, s:I}, s:o}", "encoding",
                     rules_csv_encoding_name(csv->encoding), "delimiter", delimiter, "columns", columns,
                     "ignored_columns", ignored, "counts", "total", (json_int_t)import->count, "new",
                     (json_int_t)import->new_count, "changed", (json_int_t)import->changed_count, "unchanged",
                     (json_int_t)import->unchanged_count, "invalid", (json_int_t)import->invalid_count, "rows",
                     rows);
}

/* Parse the uploaded CSV and classify it against reg. Replies on failure. */
static int org_import_read(http_request *request, const org_register *reg, rules_csv *csv,
                           rules_member_import *import)
{
    size_t length = 0;
    const char *data = http_request_body(request, &length);
    alvd_err err;
    alvd_err_clear(&err);
    memset(import, 0, sizeof *import);
    if (rules_csv_parse(data ? data : "", data ? length : 0, csv, &err) != 0 ||
        rules_member_import_classify(csv, reg->items, reg->count, code_today(http_request_app(request)), import, &err) != 0) {
        rules_csv_free(csv);
        http_reply_err(request, &err);
        return -1;
    }
    return 0;
}

void organisations_import_preview(http_request *request)
{
    org_register reg;
    rules_csv csv;
    rules_member_import import;
    alvd_err err;
    alvd_err_clear(&err);
    if (org_register_load(http_request_db(request), 0, &reg, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    if (org_import_read(request, &reg, &csv, &import) == 0) {
        http_reply_json(request, 200, org_import_summary(&csv, &import, 0));
        rules_member_import_free(&import);
        rules_csv_free(&csv);
    }
    org_register_free(&reg);
}

/* Apply one valid row inside the import transaction. */
static int org_import_apply_row(store_conn *conn, const audit_actor *actor, const org_register *reg,
                                const rules_member_row *row, alvd_err *err)
{
    char since[RULES_DATE_TEXT_SIZE];
    rules_date_format(row->member_since, since);
    long long basis_id = 0;
    if (row->status == RULES_MEMBER_NEW) {
        if (store_execute(conn, err, NULL,
                          "INSERT INTO organisations (name, kvk, email, address, member_number, public_consent,"
                          " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))",
                          STORE_PARAMS(STORE_TEXT_PARAM(row->name), STORE_TEXT_PARAM(row->kvk),
                                       STORE_TEXT_PARAM(row->email), STORE_TEXT_PARAM(row->address),
                                       STORE_TEXT_PARAM(row->member_number),
                                       STORE_INT_PARAM(row->public_consent > 0))) != 0)
            return -1;
        long long id = store_last_insert_id(conn);
        json_t *details = json_pack("{s:s, s:s, s:s, s:I}", "source", "import", "name", row->name, "kvk", row->kvk,
                                    "line", (json_int_t)row->line);
        int audited = audit_append(conn, err, actor, "organisation.create", "organisation", id, details);
        json_decref(details);
        org_basis_input basis = {.basis = "membership", .since = since};
        return audited != 0 || org_basis_insert(conn, actor, id, &basis, 0, &basis_id, err) != 0 ? -1 : 0;
    }
    if (row->status != RULES_MEMBER_CHANGED)
        return 0;
    const rules_member_existing *known = row->existing;
    unsigned fields = row->changes & ~(unsigned)RULES_MEMBER_CHANGE_MEMBERSHIP;
    if (fields) {
        if (store_execute(conn, err, NULL,
                          "UPDATE organisations SET name = COALESCE(?, name), email = COALESCE(?, email),"
                          " address = COALESCE(?, address), member_number = COALESCE(?, member_number),"
                          " public_consent = IF(? < 0, public_consent, ?), updated_at = UTC_TIMESTAMP(6)"
                          " WHERE id = ?",
                          STORE_PARAMS(STORE_TEXT_PARAM(row->name), STORE_TEXT_PARAM(row->email),
                                       STORE_TEXT_PARAM(row->address), STORE_TEXT_PARAM(row->member_number),
                                       STORE_INT_PARAM(row->public_consent), STORE_INT_PARAM(row->public_consent),
                                       STORE_INT_PARAM(known->id))) != 0)
            return -1;
        json_t *details = json_pack("{s:s, s:I, s:s, s:{s:s?, s:s?, s:s?, s:s?, s:b}}", "source", "import", "line",
                                    (json_int_t)row->line, "reason", row->reason, "before", "name", known->name,
                                    "email", known->email, "address", known->address, "member_number",
                                    known->member_number, "public_consent", known->public_consent);
        int audited = audit_append(conn, err, actor, "organisation.update", "organisation", known->id, details);
        json_decref(details);
        if (audited != 0)
            return -1;
    }
    if (row->changes & RULES_MEMBER_CHANGE_MEMBERSHIP) {
        long long open_membership = reg->membership_ids[known - reg->items];
        org_basis_input basis = {.basis = "membership", .since = since, .ended_by = NULL};
        if (org_basis_insert(conn, actor, known->id, &basis, open_membership, &basis_id, err) != 0)
            return -1;
    }
    return 0;
}

void organisations_import_commit(http_request *request)
{
    store_conn *conn = http_request_db(request);
    org_register reg = {0};
    rules_csv csv = {0};
    rules_member_import import = {0};
    int have_import = 0;
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    if (store_begin(conn, &err) != 0 || org_register_load(conn, 1, &reg, &err) != 0)
        goto fail;
    if (org_import_read(request, &reg, &csv, &import) != 0) {
        store_rollback(conn);
        org_register_free(&reg);
        return;
    }
    have_import = 1;
    if (import.invalid_count > 0) {
        store_rollback(conn);
        json_t *body = org_import_summary(&csv, &import, 1);
        json_object_set_new(body, "error",
                            import.invalid_count == 1
                                ? json_string("1 regel is ongeldig; er is niets ingelezen. Verbeter die regel en "
                                              "lees het bestand opnieuw in.")
                                : json_sprintf("%zu regels zijn ongeldig; er is niets ingelezen. Verbeter die "
                                               "regels en lees het bestand opnieuw in.",
                                               import.invalid_count));
        json_object_set_new(body, "code", json_string("invalid_rows"));
        json_object_set_new(body, "field", json_string("file"));
        http_reply_json(request, 422, body);
        goto done;
    }
    for (size_t i = 0; i < import.count; i++)
        if (org_import_apply_row(conn, &actor, &reg, &import.rows[i], &err) != 0) {
            if (err.status == 409 || err.status == 422) {
                char message[ALVD_ERR_MESSAGE_MAX];
                snprintf(message, sizeof message, "%s", err.message);
                alvd_err_set(&err, err.status, err.code, "file", "Regel %zu: %s Er is niets ingelezen.",
                             import.rows[i].line, message);
            }
            goto fail;
        }
    json_t *details = json_pack("{s:s, s:I, s:I, s:I}", "encoding", rules_csv_encoding_name(csv.encoding), "new",
                                (json_int_t)import.new_count, "changed", (json_int_t)import.changed_count,
                                "unchanged", (json_int_t)import.unchanged_count);
    int audited = audit_append(conn, &err, &actor, "register.import", "register", 0, details);
    json_decref(details);
    if (audited != 0 || store_commit(conn, &err) != 0)
        goto fail;
    http_reply_json(request, 200,
                    json_pack("{s:{s:I, s:I, s:I}}", "imported", "new", (json_int_t)import.new_count, "changed",
                              (json_int_t)import.changed_count, "unchanged", (json_int_t)import.unchanged_count));
    goto done;
fail:
    store_rollback(conn);
    http_reply_err(request, &err);
done:
    if (have_import) {
        rules_member_import_free(&import);
        rules_csv_free(&csv);
    }
    org_register_free(&reg);
}

void organisations_export(http_request *request)
{
    store_result *rows = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (store_query(http_request_db(request), &err, &rows,
                    "SELECT o.name, o.kvk, o.email, o.address, o.member_number,"
                    " (SELECT DATE_FORMAT(MAX(b.since), '%Y-%m-%d') FROM bases b WHERE b.organisation_id = o.id"
                    "  AND b.basis = 'membership' AND b.superseded_by IS NULL AND b.until IS NULL),"
                    " o.public_consent FROM organisations o ORDER BY o.name, o.id",
                    STORE_NO_PARAMS) != 0) {
        http_reply_err(request, &err);
        return;
    }
    alvd_buf out;
    buf_init(&out, ORG_EXPORT_CAP);
    /* UTF-8 BOM and ';' so that Excel in a Dutch locale opens it as columns. */
    buf_append_str(&out, "\xEF\xBB\xBF");
    for (int c = 0; c < RULES_MEMBER_COLUMN_COUNT; c++) {
        if (c)
            buf_append_str(&out, ";");
        buf_append_str(&out, rules_member_export_header[c]);
    }
    buf_append_str(&out, "\r\n");
    for (size_t i = 0; i < store_result_rows(rows); i++) {
        for (size_t c = 0; c < 6; c++) {
            if (c)
                buf_append_str(&out, ";");
            buf_append_csv(&out, store_result_text(rows, i, c));
        }
        buf_append_str(&out, store_result_int(rows, i, 6) ? ";ja\r\n" : ";nee\r\n");
    }
    store_result_free(rows);
    if (out.overflowed) {
        buf_free(&out);
        http_reply_error(request, 413, "too_large", NULL, "Het register is te groot voor één export.");
        return;
    }
    size_t length = 0;
    char *data = buf_take(&out, &length);
    char disposition[96], date[RULES_DATE_TEXT_SIZE];
    snprintf(disposition, sizeof disposition, "attachment; filename=\"register-%s.csv\"",
             rules_date_format(code_today(http_request_app(request)), date));
    http_reply_bytes(request, 200, "text/csv; charset=utf-8", data, length);
    http_reply_header(request, "Content-Disposition", disposition);
}

/* ---- the public register ---- */

void organisations_public_register(http_request *request)
{
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    code_version_list versions = {0};
    rules_basis *bases = NULL;
    rules_basis_status *per_basis = NULL;
    json_t *items = json_array();
    alvd_err err;
    alvd_err_clear(&err);
    rules_day today = code_today(http_request_app(request));
    if (store_query(conn, &err, &rows,
                    "SELECT o.id AS organisation_id, o.name AS organisation_name, o.kvk, " BASIS_COLUMNS
                    " FROM organisations o JOIN bases b ON b.organisation_id = o.id AND b.superseded_by IS NULL"
                    " WHERE o.public_consent = 1 ORDER BY o.name, o.id, b.since, b.id",
                    STORE_NO_PARAMS) != 0 ||
        code_versions_load(conn, &versions, &err) != 0)
        goto fail;
    size_t count = store_result_rows(rows);
    bases = calloc(count ? count : 1, sizeof *bases);
    per_basis = calloc(count ? count : 1, sizeof *per_basis);
    if (bases == NULL || per_basis == NULL) {
        alvd_err_set(&err, 500, "out_of_memory", NULL, "Onvoldoende geheugen.");
        goto fail;
    }
    for (size_t i = 0; i < count;) {
        long long id = store_result_int(rows, i, 0);
        size_t end = i;
        while (end < count && store_result_int(rows, end, 0) == id) {
            if (org_basis_from_row(rows, end, &bases[end - i], &err) != 0)
                goto fail;
            end++;
        }
        rules_binding binding;
        if (rules_binding_on(bases, end - i, versions.items, versions.count, today, per_basis, &binding, &err) != 0)
            goto fail;
        if (binding.bound) {
            json_t *kinds = json_array();
            for (size_t k = 0; basis_kinds[k]; k++)
                for (size_t b = 0; b < end - i; b++)
                    if (per_basis[b].active && per_basis[b].version_id &&
                        strcmp(rules_basis_kind_name(bases[b].kind), basis_kinds[k]) == 0) {
                        json_array_append_new(kinds, json_string(basis_kinds[k]));
                        break;
                    }
            json_array_append_new(items, json_pack("{s:s, s:s, s:o, s:s?}", "name", store_result_text(rows, i, 1),
                                                   "kvk", store_result_text(rows, i, 2), "bases", kinds,
                                                   "version_label", binding.version_label));
        }
        i = end;
    }
    char date[RULES_DATE_TEXT_SIZE];
    http_reply_json(request, 200, json_pack("{s:s, s:O}", "date", rules_date_format(today, date), "items", items));
    goto done;
fail:
    http_reply_err(request, &err);
done:
    json_decref(items);
    free(bases);
    free(per_basis);
    store_result_free(rows);
    code_versions_free(&versions);
}
