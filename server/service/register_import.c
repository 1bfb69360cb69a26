/* The member list import and export: the CSV is compared with the whole register in
 * one read, and a commit applies every row in one transaction or none at all. */
#include "alvd/service/register_import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/base/buf.h"
#include "alvd/rules/csv_import.h"
#include "alvd/rules/member_import.h"
#include "alvd/service/organisations.h"
#include "alvd/store/organisations.h"

#define REGISTER_EXPORT_CAP (32u * 1024u * 1024u)

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

/* Fill the next item from row i (columns of store_organisations_register). */
static void org_register_item(org_register *reg, size_t i)
{
    rules_member_existing *item = &reg->items[reg->count];
    item->id = store_result_int(reg->rows, i, 0);
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

static int org_register_load(store_conn *conn, int for_update, org_register *reg, alvd_err *err)
{
    memset(reg, 0, sizeof *reg);
    if (store_organisations_register(conn, for_update, &reg->rows, err) != 0)
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
        org_register_item(reg, i);
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

/* Parse the uploaded CSV and classify it against reg; on failure nothing is left to free. */
static int org_import_read(const char *data, size_t length, const org_register *reg, rules_day today,
                           rules_csv *csv, rules_member_import *import, alvd_err *err)
{
    memset(import, 0, sizeof *import);
    if (rules_csv_parse(data ? data : "", data ? length : 0, csv, err) != 0 ||
        rules_member_import_classify(csv, reg->items, reg->count, today, import, err) != 0) {
        rules_csv_free(csv);
        return -1;
    }
    return 0;
}

int service_register_import_preview(store_conn *conn, const char *data, size_t length, rules_day today,
                                    json_t **out, alvd_err *err)
{
    org_register reg;
    rules_csv csv;
    rules_member_import import;
    if (org_register_load(conn, 0, &reg, err) != 0)
        return -1;
    int rc = org_import_read(data, length, &reg, today, &csv, &import, err);
    if (rc == 0) {
        *out = org_import_summary(&csv, &import, 0);
        rules_member_import_free(&import);
        rules_csv_free(&csv);
    }
    org_register_free(&reg);
    return rc;
}

/* A new organisation from an import row, with its membership. */
static int org_import_new(store_conn *conn, const audit_actor *actor, const rules_member_row *row,
                          const char *since, alvd_err *err)
{
    store_organisation_fields fields = {row->name, row->kvk, row->email, row->address, row->member_number,
                                        row->public_consent > 0};
    long long id = 0, basis_id = 0;
    if (store_organisations_insert(conn, &fields, &id, err) != 0)
        return -1;
    json_t *details = json_pack("{s:s, s:s, s:s, s:I}", "source", "import", "name", row->name, "kvk", row->kvk,
                                "line", (json_int_t)row->line);
    int audited = audit_append(conn, err, actor, "organisation.create", "organisation", id, details);
    json_decref(details);
    service_basis_input basis = {.basis = "membership", .since = since};
    return audited != 0 || service_organisations_basis_record(conn, actor, id, &basis, 0, &basis_id, err) != 0 ? -1
                                                                                                                : 0;
}

/* The changed fields of a known organisation from an import row (NULL = unchanged). */
static int org_import_update(store_conn *conn, const audit_actor *actor, const rules_member_row *row,
                             alvd_err *err)
{
    const rules_member_existing *known = row->existing;
    store_organisation_change change = {.name = row->name,
                                        .has_email = row->email != NULL, .email = row->email,
                                        .has_address = row->address != NULL, .address = row->address,
                                        .has_member_number = row->member_number != NULL,
                                        .member_number = row->member_number,
                                        .public_consent = row->public_consent};
    if (store_organisations_update(conn, known->id, &change, err) != 0)
        return -1;
    json_t *details = json_pack("{s:s, s:I, s:s, s:{s:s?, s:s?, s:s?, s:s?, s:b}}", "source", "import", "line",
                                (json_int_t)row->line, "reason", row->reason, "before", "name", known->name,
                                "email", known->email, "address", known->address, "member_number",
                                known->member_number, "public_consent", known->public_consent);
    int audited = audit_append(conn, err, actor, "organisation.update", "organisation", known->id, details);
    json_decref(details);
    return audited;
}

/* Apply one valid row inside the import transaction. */
static int org_import_apply_row(store_conn *conn, const audit_actor *actor, const org_register *reg,
                                const rules_member_row *row, alvd_err *err)
{
    char since[RULES_DATE_TEXT_SIZE];
    rules_date_format(row->member_since, since);
    long long basis_id = 0;
    if (row->status == RULES_MEMBER_NEW)
        return org_import_new(conn, actor, row, since, err);
    if (row->status != RULES_MEMBER_CHANGED)
        return 0;
    const rules_member_existing *known = row->existing;
    if ((row->changes & ~(unsigned)RULES_MEMBER_CHANGE_MEMBERSHIP) && org_import_update(conn, actor, row, err) != 0)
        return -1;
    if (row->changes & RULES_MEMBER_CHANGE_MEMBERSHIP) {
        long long open_membership = reg->membership_ids[known - reg->items];
        service_basis_input basis = {.basis = "membership", .since = since, .ended_by = NULL};
        if (service_organisations_basis_record(conn, actor, known->id, &basis, open_membership, &basis_id, err) != 0)
            return -1;
    }
    return 0;
}

/* The 422 answer when rows are invalid: only those rows, and what to do. */
static json_t *org_import_refusal(const rules_csv *csv, const rules_member_import *import)
{
    json_t *body = org_import_summary(csv, import, 1);
    json_object_set_new(body, "error",
                        import->invalid_count == 1
                            ? json_string("1 regel is ongeldig; er is niets ingelezen. Verbeter die regel en "
                                          "lees het bestand opnieuw in.")
                            : json_sprintf("%zu regels zijn ongeldig; er is niets ingelezen. Verbeter die "
                                           "regels en lees het bestand opnieuw in.",
                                           import->invalid_count));
    json_object_set_new(body, "code", json_string("invalid_rows"));
    json_object_set_new(body, "field", json_string("file"));
    return body;
}

/* Apply every row and the register.import audit entry (in the caller's transaction). */
static int org_import_apply(store_conn *conn, const audit_actor *actor, const org_register *reg,
                            const rules_csv *csv, const rules_member_import *import, alvd_err *err)
{
    for (size_t i = 0; i < import->count; i++)
        if (org_import_apply_row(conn, actor, reg, &import->rows[i], err) != 0) {
            if (err->status == 409 || err->status == 422) {
                char message[ALVD_ERR_MESSAGE_MAX];
                snprintf(message, sizeof message, "%s", err->message);
                alvd_err_set(err, err->status, err->code, "file", "Regel %zu: %s Er is niets ingelezen.",
                             import->rows[i].line, message);
            }
            return -1;
        }
    json_t *details = json_pack("{s:s, s:I, s:I, s:I}", "encoding", rules_csv_encoding_name(csv->encoding), "new",
                                (json_int_t)import->new_count, "changed", (json_int_t)import->changed_count,
                                "unchanged", (json_int_t)import->unchanged_count);
    int audited = audit_append(conn, err, actor, "register.import", "register", 0, details);
    json_decref(details);
    return audited;
}

int service_register_import_commit(store_conn *conn, const audit_actor *actor, const char *data, size_t length,
                                   rules_day today, int *status, json_t **out, alvd_err *err)
{
    org_register reg = {0};
    rules_csv csv = {0};
    rules_member_import import = {0};
    int have_import = 0, rc = -1;
    if (store_begin(conn, err) != 0 || org_register_load(conn, 1, &reg, err) != 0 ||
        org_import_read(data, length, &reg, today, &csv, &import, err) != 0)
        goto fail;
    have_import = 1;
    if (import.invalid_count > 0) {
        store_rollback(conn);
        *status = 422;
        *out = org_import_refusal(&csv, &import);
        rc = 0;
        goto done;
    }
    if (org_import_apply(conn, actor, &reg, &csv, &import, err) != 0 || store_commit(conn, err) != 0)
        goto fail;
    *status = 200;
    *out = json_pack("{s:{s:I, s:I, s:I}}", "imported", "new", (json_int_t)import.new_count, "changed",
                     (json_int_t)import.changed_count, "unchanged", (json_int_t)import.unchanged_count);
    rc = 0;
    goto done;
fail:
    store_rollback(conn);
done:
    if (have_import) {
        rules_member_import_free(&import);
        rules_csv_free(&csv);
    }
    org_register_free(&reg);
    return rc;
}

int service_register_export(store_conn *conn, char **data, size_t *length, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_organisations_export(conn, &rows, err) != 0)
        return -1;
    alvd_buf out;
    buf_init(&out, REGISTER_EXPORT_CAP);
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
        return alvd_err_set(err, 413, "too_large", NULL, "Het register is te groot voor één export.");
    }
    *data = buf_take(&out, length);
    return 0;
}
