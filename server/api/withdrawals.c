/* Withdrawals of a signature by (registered) letter or online notice (Code art. 7): the
 * secretariat's intake with a preview, corrections, scans, and the effect on the register. */
#include "alvd/api/withdrawals.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "alvd/base/buf.h"
#include "alvd/base/clock.h"
#include "alvd/http/input.h"
#include "alvd/mail/outbox.h"
#include "alvd/rules/deadlines.h"
#include "alvd/rules/member_import.h"

#define WITHDRAWALS_LABEL_SIZE 72
#define WITHDRAWALS_MAIL_CAP (32 * 1024)

static const char *const withdrawals_forms[] = {"registered", "letter", "email", NULL};

static rules_day withdrawals_today(http_request *request)
{
    return clock_today(&http_request_app(request)->config);
}

/* Dates from the database come as "YYYY-MM-DD"; NULL or anything else is "no date". */
static int withdrawals_day(const char *text, rules_day *out)
{
    alvd_err ignored;
    return text ? rules_date_parse(text, NULL, out, &ignored) : -1;
}

static const char *withdrawals_outcome_name(rules_withdrawal_outcome outcome)
{
    switch (outcome) {
    case RULES_WITHDRAWAL_TIMELY:
        return "timely";
    case RULES_WITHDRAWAL_LATE_NEXT:
        return "late_next";
    case RULES_WITHDRAWAL_LATE_PENDING:
        return "late_pending";
    case RULES_WITHDRAWAL_NO_VERSION:
    default:
        return "no_version";
    }
}

static const char *withdrawals_form_text(const char *form)
{
    if (strcmp(form, "registered") == 0)
        return "aangetekende brief";
    if (strcmp(form, "letter") == 0)
        return "brief";
    return "e-mail";
}

/* At most 80 bytes of text, cut before a UTF-8 lead byte, for use inside error
 * sentences (which must stay valid UTF-8 and within ALVD_ERR_MESSAGE_MAX). */
static const char *withdrawals_short(const char *text, char out[81])
{
    size_t length = text ? strnlen(text, 81) : 0;
    if (length > 80) {
        length = 80;
        while (length > 0 && ((unsigned char)text[length] & 0xC0) == 0x80)
            length--;
    }
    if (length)
        memcpy(out, text, length);
    out[length] = '\0';
    return out;
}

/* ------------------------------------------------------------------ versions */

/* Every Code version, for rules_assess_withdrawal (it ignores those in force on receipt). */
typedef struct withdrawals_versions {
    store_result *rows;               /* owns the labels */
    rules_scheduled_version *items;
    size_t count;
} withdrawals_versions;

static void withdrawals_versions_free(withdrawals_versions *versions)
{
    store_result_free(versions->rows);
    free(versions->items);
    memset(versions, 0, sizeof *versions);
}

static int withdrawals_versions_load(store_conn *conn, withdrawals_versions *versions, alvd_err *err)
{
    memset(versions, 0, sizeof *versions);
    if (store_query(conn, err, &versions->rows,
                    "SELECT id, label, effective_from FROM code_versions ORDER BY effective_from, id",
                    STORE_NO_PARAMS) != 0)
        return -1;
    size_t count = store_result_rows(versions->rows);
    versions->items = calloc(count ? count : 1, sizeof *versions->items);
    if (versions->items == NULL) {
        withdrawals_versions_free(versions);
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    }
    for (size_t i = 0; i < count; i++) {
        rules_scheduled_version *item = &versions->items[versions->count];
        item->id = store_result_int(versions->rows, i, 0);
        item->label = store_result_text(versions->rows, i, 1);
        if (withdrawals_day(store_result_text(versions->rows, i, 2), &item->effective) == 0)
            versions->count++;
    }
    return 0;
}

static const char *withdrawals_version_label(const withdrawals_versions *versions, long long id)
{
    for (size_t i = 0; i < versions->count; i++)
        if (versions->items[i].id == id)
            return versions->items[i].label ? versions->items[i].label : "";
    return "";
}

/* ------------------------------------------------------------------ evaluation */

/* Everything the intake screen shows before saving, and what saving needs. */
typedef struct withdrawals_evaluation {
    char organisation_name[RULES_MEMBER_NAME_MAX * 4 + 1]; /* characters of up to 4 bytes in UTF-8 */
    long long basis_id;                        /* the signature row active on receipt */
    rules_withdrawal_assessment assessment;
    char concerned_label[WITHDRAWALS_LABEL_SIZE];
    char effect_label[WITHDRAWALS_LABEL_SIZE];
    int has_deadline;
    rules_withdrawal_deadline deadline;        /* R7 warning and advice of the concerned W */
} withdrawals_evaluation;

/* The 422 sentence for an organisation without a signature on the received date. */
static int withdrawals_refuse_no_signature(store_conn *conn, const withdrawals_input *input,
                                           const char *name, alvd_err *err)
{
    store_result *rows = NULL;
    char received[RULES_DATE_TEXT_SIZE], why[200] = "";
    rules_date_format(input->received_on, received);
    if (store_query(conn, err, &rows,
                    "SELECT until, ended_by FROM bases WHERE organisation_id = ? AND basis = 'signature'"
                    " AND superseded_by IS NULL AND until IS NOT NULL AND until < ?"
                    " ORDER BY until DESC LIMIT 1",
                    STORE_PARAMS(STORE_INT_PARAM(input->organisation_id), STORE_TEXT_PARAM(received))) != 0)
        return -1;
    if (store_result_rows(rows) == 1) {
        const char *ended_by = store_result_text(rows, 0, 1);
        snprintf(why, sizeof why, "haar ondertekening eindigde op %s%s", store_result_text(rows, 0, 0),
                 ended_by && strncmp(ended_by, "withdrawal:", 11) == 0 ? " na een eerdere intrekking" : "");
    } else {
        snprintf(why, sizeof why, "zij heeft de Code niet ondertekend");
    }
    store_result_free(rows);
    char short_name[81];
    return alvd_err_set(err, 422, "no_signature_basis", "organisation_id",
                        "%s heeft op %s geen lopende ondertekening van de Code: %s. Alleen een "
                        "ondertekening kan per brief worden ingetrokken (art. 7); lidmaatschap en "
                        "contract blijven buiten een intrekking.",
                        withdrawals_short(name, short_name), received, why);
}

/* Look up the organisation and its signature, refuse what cannot be recorded and assess
 * the letter (R4/R5). lock = 1 takes row locks for an intake in a transaction.
 * corrects_id > 0: the entry being corrected does not count as a duplicate. */
static int withdrawals_evaluate(store_conn *conn, const withdrawals_input *input, long long corrects_id,
                                int lock, const withdrawals_versions *versions,
                                withdrawals_evaluation *out, alvd_err *err)
{
    store_result *rows = NULL;
    char received[RULES_DATE_TEXT_SIZE], own_mark[48], short_name[81];
    int rc = -1;
    memset(out, 0, sizeof *out);
    rules_date_format(input->received_on, received);
    snprintf(own_mark, sizeof own_mark, "withdrawal:%lld", corrects_id);

    if (store_query(conn, err, &rows,
                    lock ? "SELECT name FROM organisations WHERE id = ? FOR UPDATE"
                         : "SELECT name FROM organisations WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(input->organisation_id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1) {
        alvd_err_set(err, 422, "unknown_organisation", "organisation_id",
                     "Deze organisatie staat niet in het register.");
        goto fail;
    }
    snprintf(out->organisation_name, sizeof out->organisation_name, "%s", store_result_text(rows, 0, 0));
    store_result_free(rows);
    rows = NULL;

    if (input->scan_id > 0) {
        if (store_query(conn, err, &rows, "SELECT id FROM withdrawal_scans WHERE id = ?",
                        STORE_PARAMS(STORE_INT_PARAM(input->scan_id))) != 0)
            goto fail;
        if (store_result_rows(rows) != 1) {
            alvd_err_set(err, 422, "unknown_scan", "scan_id",
                         "Deze scan is niet gevonden; upload de scan opnieuw.");
            goto fail;
        }
        store_result_free(rows);
        rows = NULL;
    }

    if (store_query(conn, err, &rows,
                    lock ? "SELECT id, until, ended_by FROM bases WHERE organisation_id = ?"
                           " AND basis = 'signature' AND superseded_by IS NULL AND since <= ?"
                           " AND (until IS NULL OR until >= ?) ORDER BY since DESC, id DESC LIMIT 1"
                           " FOR UPDATE"
                         : "SELECT id, until, ended_by FROM bases WHERE organisation_id = ?"
                           " AND basis = 'signature' AND superseded_by IS NULL AND since <= ?"
                           " AND (until IS NULL OR until >= ?) ORDER BY since DESC, id DESC LIMIT 1",
                    STORE_PARAMS(STORE_INT_PARAM(input->organisation_id), STORE_TEXT_PARAM(received),
                                 STORE_TEXT_PARAM(received))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1) {
        withdrawals_refuse_no_signature(conn, input, out->organisation_name, err);
        goto fail;
    }
    out->basis_id = store_result_int(rows, 0, 0);
    const char *ended_by = store_result_text(rows, 0, 2);
    if (ended_by && strncmp(ended_by, "withdrawal:", 11) == 0 && strcmp(ended_by, own_mark) != 0) {
        alvd_err_set(err, 409, "already_withdrawn", "organisation_id",
                     "De ondertekening van %s is al ingetrokken (registratie %s); zij eindigt op %s. "
                     "Corrigeer die registratie in plaats van een nieuwe te maken.",
                     withdrawals_short(out->organisation_name, short_name), ended_by + 11,
                     store_result_text(rows, 0, 1));
        goto fail;
    }
    store_result_free(rows);
    rows = NULL;

    if (store_query(conn, err, &rows,
                    "SELECT w.id FROM withdrawals w WHERE w.organisation_id = ? AND w.superseded_by IS NULL"
                    " AND w.id <> ? AND w.outcome IN ('late_pending', 'no_version')"
                    " AND NOT EXISTS (SELECT 1 FROM withdrawal_effects e WHERE e.withdrawal_id = w.id)"
                    " LIMIT 1",
                    STORE_PARAMS(STORE_INT_PARAM(input->organisation_id), STORE_INT_PARAM(corrects_id))) != 0)
        goto fail;
    if (store_result_rows(rows) == 1) {
        alvd_err_set(err, 409, "withdrawal_pending", "organisation_id",
                     "Voor %s staat al een intrekking open (registratie %lld) die wacht op de "
                     "eerstvolgende wijziging. Corrigeer die registratie in plaats van een nieuwe te maken.",
                     withdrawals_short(out->organisation_name, short_name), store_result_int(rows, 0, 0));
        goto fail;
    }

    if (rules_assess_withdrawal(input->received_on, versions->items, versions->count, &out->assessment,
                                err) != 0)
        goto fail;
    const rules_withdrawal_assessment *a = &out->assessment;
    if (a->concerned_version_id) {
        snprintf(out->concerned_label, sizeof out->concerned_label, "%s",
                 withdrawals_version_label(versions, a->concerned_version_id));
        rules_withdrawal_deadline_for(a->concerned_effective, 0, &out->deadline);
        out->has_deadline = 1;
    }
    if (a->effect_version_id)
        snprintf(out->effect_label, sizeof out->effect_label, "%s",
                 withdrawals_version_label(versions, a->effect_version_id));
    rc = 0;
fail:
    store_result_free(rows);
    return rc;
}

static json_t *withdrawals_date_json(int known, rules_day day)
{
    char text[RULES_DATE_TEXT_SIZE];
    return known ? json_string(rules_date_format(day, text)) : json_null();
}

/* The answer of intake and preview: the API.md fields first, then what the screen shows. */
static json_t *withdrawals_evaluation_json(const withdrawals_evaluation *evaluation,
                                           const withdrawals_input *input)
{
    const rules_withdrawal_assessment *a = &evaluation->assessment;
    json_t *answer = json_object();
    json_object_set_new(answer, "version_id",
                        a->concerned_version_id ? json_integer(a->concerned_version_id) : json_null());
    json_object_set_new(answer, "deadline", withdrawals_date_json(a->concerned_version_id != 0,
                                                                  a->concerned_deadline));
    json_object_set_new(answer, "timely", json_boolean(a->timely));
    json_object_set_new(answer, "effect", json_string(a->effect));
    json_object_set_new(answer, "outcome", json_string(withdrawals_outcome_name(a->outcome)));
    json_object_set_new(answer, "pending", json_boolean(a->pending));
    json_object_set_new(answer, "version_label",
                        a->concerned_version_id ? json_string(evaluation->concerned_label) : json_null());
    json_object_set_new(answer, "effective_from", withdrawals_date_json(a->concerned_version_id != 0,
                                                                        a->concerned_effective));
    json_object_set_new(answer, "effect_version_id",
                        a->effect_version_id ? json_integer(a->effect_version_id) : json_null());
    json_object_set_new(answer, "effect_version_label",
                        a->effect_version_id ? json_string(evaluation->effect_label) : json_null());
    json_object_set_new(answer, "signature_ends",
                        withdrawals_date_json(a->signature_end_known, a->signature_ends));
    json_object_set_new(answer, "warning",
                        evaluation->has_deadline && evaluation->deadline.warning[0]
                            ? json_string(evaluation->deadline.warning)
                            : json_null());
    json_object_set_new(answer, "advice",
                        evaluation->has_deadline ? json_string(evaluation->deadline.advice) : json_null());
    json_object_set_new(answer, "organisation_id", json_integer(input->organisation_id));
    json_object_set_new(answer, "organisation_name", json_string(evaluation->organisation_name));
    json_object_set_new(answer, "received_on", withdrawals_date_json(1, input->received_on));
    json_object_set_new(answer, "sent_on", withdrawals_date_json(input->has_sent_on, input->sent_on));
    json_object_set_new(answer, "form", json_string(input->form));
    json_object_set_new(answer, "tracking_code",
                        input->tracking_code[0] ? json_string(input->tracking_code) : json_null());
    json_object_set_new(answer, "tracking_kind",
                        input->tracking_code[0] ? json_string(rules_tracking_kind_name(input->tracking_kind))
                                                : json_null());
    return answer;
}

/* ------------------------------------------------------------------ effect on bases */

static long long withdrawals_actor_user(const audit_actor *actor)
{
    return strcmp(actor->kind, "user") == 0 ? actor->id : 0;
}

static store_param withdrawals_optional_id(long long id)
{
    return id > 0 ? STORE_INT_PARAM(id) : STORE_NULL_PARAM;
}

/* Supersede basis_id with a copy whose until and ended_by are replaced (NULL allowed);
 * the old row's superseded_by is the only update. *new_id gets the new row. */
static int withdrawals_supersede_basis(store_conn *conn, long long basis_id, const char *until,
                                       const char *ended_by, const audit_actor *actor,
                                       long long *new_id, alvd_err *err)
{
    long long affected = 0;
    if (store_execute(conn, err, NULL,
                      "INSERT INTO bases (organisation_id, basis, since, until, contract_ref, counterparty,"
                      " follows_amendments, pinned_version_id, ended_by, created_at, created_by)"
                      " SELECT organisation_id, basis, since, ?, contract_ref, counterparty,"
                      " follows_amendments, pinned_version_id, ?, UTC_TIMESTAMP(6), ?"
                      " FROM bases WHERE id = ?",
                      STORE_PARAMS(STORE_TEXT_PARAM(until), STORE_TEXT_PARAM(ended_by),
                                   withdrawals_optional_id(withdrawals_actor_user(actor)),
                                   STORE_INT_PARAM(basis_id))) != 0)
        return -1;
    *new_id = store_last_insert_id(conn);
    if (store_execute(conn, err, &affected,
                      "UPDATE bases SET superseded_by = ? WHERE id = ? AND superseded_by IS NULL",
                      STORE_PARAMS(STORE_INT_PARAM(*new_id), STORE_INT_PARAM(basis_id))) != 0)
        return -1;
    if (affected != 1)
        return alvd_err_set(err, 409, "basis_changed", "organisation_id",
                            "De grondslag is intussen gewijzigd; probeer het opnieuw.");
    return 0;
}

/* R5: end the signature basis active on `received` on signature_ends (E − 1). A basis
 * that already ends on or before that day is left alone ('already_ended'). */
static int withdrawals_apply_effect(store_conn *conn, long long withdrawal_id, long long organisation_id,
                                    rules_day received, long long version_id, rules_day signature_ends,
                                    const audit_actor *actor, alvd_err *err)
{
    store_result *rows = NULL;
    char received_text[RULES_DATE_TEXT_SIZE], ends_text[RULES_DATE_TEXT_SIZE], ended_by[48];
    long long new_id = 0, old_id = 0;
    const char *kind = "ended";
    int rc = -1;
    rules_date_format(received, received_text);
    rules_date_format(signature_ends, ends_text);
    snprintf(ended_by, sizeof ended_by, "withdrawal:%lld", withdrawal_id);
    if (store_query(conn, err, &rows,
                    "SELECT id, until FROM bases WHERE organisation_id = ? AND basis = 'signature'"
                    " AND superseded_by IS NULL AND since <= ? AND (until IS NULL OR until >= ?)"
                    " ORDER BY since DESC, id DESC LIMIT 1 FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(organisation_id), STORE_TEXT_PARAM(received_text),
                                 STORE_TEXT_PARAM(received_text))) != 0)
        goto fail;
    rules_day until = 0;
    if (store_result_rows(rows) == 1)
        old_id = store_result_int(rows, 0, 0);
    if (old_id == 0 || (withdrawals_day(store_result_text(rows, 0, 1), &until) == 0 && until <= signature_ends)) {
        kind = "already_ended";
    } else if (withdrawals_supersede_basis(conn, old_id, ends_text, ended_by, actor, &new_id, err) != 0) {
        goto fail;
    }
    if (store_execute(conn, err, NULL,
                      "INSERT INTO withdrawal_effects (withdrawal_id, kind, version_id, basis_id,"
                      " previous_basis_id, signature_ends, applied_at)"
                      " VALUES (?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6))",
                      STORE_PARAMS(STORE_INT_PARAM(withdrawal_id), STORE_TEXT_PARAM(kind),
                                   withdrawals_optional_id(version_id), withdrawals_optional_id(new_id),
                                   withdrawals_optional_id(old_id), STORE_TEXT_PARAM(ends_text))) != 0)
        goto fail;
    json_t *details = json_pack("{s:I, s:I, s:s, s:I, s:s}", "organisation_id", (json_int_t)organisation_id,
                                "withdrawal_id", (json_int_t)withdrawal_id, "effect", kind,
                                "previous_basis_id", (json_int_t)old_id, "until", ends_text);
    rc = audit_append(conn, err, actor, new_id ? "basis.ended_by_withdrawal" : "withdrawal.basis_already_ended",
                      "basis", new_id ? new_id : old_id, details);
    json_decref(details);
fail:
    store_result_free(rows);
    return rc;
}

/* A correction first restores what the old entry did: the signature row it ended is
 * superseded by a copy carrying its predecessor's until and ended_by. */
static int withdrawals_undo_effect(store_conn *conn, long long withdrawal_id, const audit_actor *actor,
                                   alvd_err *err)
{
    store_result *rows = NULL;
    char ended_by[48];
    long long new_id = 0;
    int rc = -1;
    snprintf(ended_by, sizeof ended_by, "withdrawal:%lld", withdrawal_id);
    if (store_query(conn, err, &rows,
                    "SELECT kind FROM withdrawal_effects WHERE withdrawal_id = ? ORDER BY id DESC LIMIT 1",
                    STORE_PARAMS(STORE_INT_PARAM(withdrawal_id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1 || strcmp(store_result_text(rows, 0, 0), "ended") != 0) {
        rc = 0; /* pending or without a change of the register: nothing to undo */
        goto fail;
    }
    store_result_free(rows);
    rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT b.id, p.until, p.ended_by FROM bases b LEFT JOIN bases p ON p.superseded_by = b.id"
                    " WHERE b.ended_by = ? AND b.basis = 'signature' AND b.superseded_by IS NULL FOR UPDATE",
                    STORE_PARAMS(STORE_TEXT_PARAM(ended_by))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1) {
        /* Someone changed the basis by hand since; leave their change and say so. */
        json_t *details = json_pack("{s:s}", "note", "basis changed since the withdrawal; not restored");
        rc = audit_append(conn, err, actor, "withdrawal.undo_skipped", "withdrawal", withdrawal_id, details);
        json_decref(details);
        goto fail;
    }
    long long old_id = store_result_int(rows, 0, 0);
    if (withdrawals_supersede_basis(conn, old_id, store_result_text(rows, 0, 1), store_result_text(rows, 0, 2),
                                    actor, &new_id, err) != 0 ||
        store_execute(conn, err, NULL,
                      "INSERT INTO withdrawal_effects (withdrawal_id, kind, basis_id, previous_basis_id,"
                      " applied_at) VALUES (?, 'undone', ?, ?, UTC_TIMESTAMP(6))",
                      STORE_PARAMS(STORE_INT_PARAM(withdrawal_id), STORE_INT_PARAM(new_id),
                                   STORE_INT_PARAM(old_id))) != 0)
        goto fail;
    json_t *details = json_pack("{s:I, s:I}", "withdrawal_id", (json_int_t)withdrawal_id, "previous_basis_id",
                                (json_int_t)old_id);
    rc = audit_append(conn, err, actor, "basis.withdrawal_undone", "basis", new_id, details);
    json_decref(details);
fail:
    store_result_free(rows);
    return rc;
}

/* ------------------------------------------------------------------ confirmation mail */

/* Queue one message per contact person (or to the organisation's own address when it
 * has none); body follows "Beste <name>,". */
static int withdrawals_mail_organisation(store_conn *conn, long long organisation_id, const char *subject,
                                         const char *body, alvd_err *err)
{
    store_result *rows = NULL;
    alvd_buf text;
    int rc = -1;
    buf_init(&text, WITHDRAWALS_MAIL_CAP);
    if (store_query(conn, err, &rows,
                    "SELECT c.name, c.email FROM contacts c WHERE c.organisation_id = ? AND c.removed_at IS NULL"
                    " UNION ALL SELECT o.name, o.email FROM organisations o WHERE o.id = ? AND o.email IS NOT NULL"
                    " AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.organisation_id = o.id AND c.removed_at IS NULL)",
                    STORE_PARAMS(STORE_INT_PARAM(organisation_id), STORE_INT_PARAM(organisation_id))) != 0)
        goto fail;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        buf_free(&text);
        buf_init(&text, WITHDRAWALS_MAIL_CAP);
        buf_appendf(&text, "Beste %s,\n\n%s", store_result_text(rows, r, 0), body);
        mail_message message = {store_result_text(rows, r, 1), subject, text.data, NULL,
                                "withdrawal_confirmation"};
        if (text.overflowed || outbox_enqueue(conn, &message, NULL, err) != 0)
            goto fail;
    }
    rc = 0;
fail:
    buf_free(&text);
    store_result_free(rows);
    return rc;
}

/* What the withdrawal does, for the letter to the organisation: in words, dates as
 * "maandag 1 maart 2027" (the assessment's own sentence is for the API and the log). */
static void withdrawals_effect_words(const rules_withdrawal_assessment *a, const withdrawals_evaluation *evaluation,
                                     alvd_buf *out)
{
    char effective[RULES_LONG_DATE_SIZE], ends[RULES_LONG_DATE_SIZE], next[RULES_LONG_DATE_SIZE];
    rules_date_format_long(a->concerned_effective, RULES_LANG_NL, effective, sizeof effective);
    rules_date_format_long(a->signature_ends, RULES_LANG_NL, ends, sizeof ends);
    rules_date_format_long(a->effect_effective, RULES_LANG_NL, next, sizeof next);
    switch (a->outcome) {
    case RULES_WITHDRAWAL_TIMELY:
        buf_appendf(out, "Op tijd voor versie %s, die ingaat op %s. De ondertekening eindigt op %s; de organisatie "
                         "wordt op grond van haar ondertekening niet aan die versie gebonden.",
                    evaluation->concerned_label, effective, ends);
        break;
    case RULES_WITHDRAWAL_LATE_NEXT:
        buf_appendf(out, "Te laat voor versie %s: de organisatie is vanaf %s aan die versie gebonden. De intrekking "
                         "werkt voor versie %s, die ingaat op %s: de ondertekening eindigt op %s.",
                    evaluation->concerned_label, effective, evaluation->effect_label, next, ends);
        break;
    case RULES_WITHDRAWAL_LATE_PENDING:
        buf_appendf(out, "Te laat voor versie %s: de organisatie is vanaf %s aan die versie gebonden. De intrekking "
                         "werkt bij de eerstvolgende wijziging van de Code waarvoor zij op tijd is.",
                    evaluation->concerned_label, effective);
        break;
    case RULES_WITHDRAWAL_NO_VERSION:
    default:
        buf_append_str(out, "Na de ontvangst is geen wijziging van de Code gepland. De intrekking werkt bij de "
                            "eerstvolgende wijziging waarvoor zij op tijd is.");
        break;
    }
}

static int withdrawals_send_confirmation(store_conn *conn, long long withdrawal_id,
                                         const withdrawals_input *input,
                                         const withdrawals_evaluation *evaluation, long long corrects_id,
                                         alvd_err *err)
{
    const rules_withdrawal_assessment *a = &evaluation->assessment;
    char received[RULES_LONG_DATE_SIZE], effective[RULES_LONG_DATE_SIZE], deadline[RULES_LONG_DATE_SIZE];
    char subject[200];
    alvd_buf body;
    buf_init(&body, WITHDRAWALS_MAIL_CAP);
    rules_date_format_long(input->received_on, RULES_LANG_NL, received, sizeof received);
    if (corrects_id > 0)
        buf_appendf(&body, "Dit bericht vervangt onze bevestiging met kenmerk INT-%lld: de registratie is "
                           "gecorrigeerd.\n\n", corrects_id);
    buf_appendf(&body,
                "KSF heeft de intrekking van de ondertekening van de Code voor Verantwoordelijk "
                "Marktgedrag door %s geregistreerd.\n\n"
                "Ontvangen op: %s\nVorm: %s%s%s\n",
                evaluation->organisation_name, received, withdrawals_form_text(input->form),
                input->tracking_code[0] ? ", track & trace " : "", input->tracking_code);
    if (a->concerned_version_id) {
        rules_date_format_long(a->concerned_effective, RULES_LANG_NL, effective, sizeof effective);
        rules_date_format_long(a->concerned_deadline, RULES_LANG_NL, deadline, sizeof deadline);
        buf_appendf(&body, "Betreft: versie %s van de Code, ingangsdatum %s\nUiterste ontvangstdatum: %s\n"
                           "Beoordeling: %s\n",
                    evaluation->concerned_label, effective, deadline, a->timely ? "tijdig" : "te laat");
    } else {
        buf_append_str(&body, "Betreft: er is op dit moment geen wijziging van de Code gepland\n");
    }
    buf_append_str(&body, "Gevolg: ");
    withdrawals_effect_words(a, evaluation, &body);
    buf_appendf(&body, "\n\nKenmerk: INT-%lld\n\n"
                       "Klopt iets niet? Neem dan contact op met het secretariaat van KSF en vermeld het "
                       "kenmerk.\n\nMet vriendelijke groet,\nSecretariaat KSF\n",
                withdrawal_id);
    snprintf(subject, sizeof subject, "%s intrekking ondertekening Code (kenmerk INT-%lld)",
             corrects_id > 0 ? "Gecorrigeerde bevestiging" : "Bevestiging", withdrawal_id);
    int rc = body.overflowed ? alvd_err_set(err, 500, "mail_too_long", NULL, "Bericht te lang.")
                             : withdrawals_mail_organisation(conn, input->organisation_id, subject,
                                                             body.data, err);
    buf_free(&body);
    return rc;
}

/* ------------------------------------------------------------------ recording */

int withdrawals_record(store_conn *conn, const withdrawals_input *input, long long corrects_id,
                       const audit_actor *actor, json_t **out, alvd_err *err)
{
    withdrawals_versions versions;
    withdrawals_evaluation evaluation;
    store_result *rows = NULL;
    char received[RULES_DATE_TEXT_SIZE], sent[RULES_DATE_TEXT_SIZE], deadline[RULES_DATE_TEXT_SIZE];
    char ends[RULES_DATE_TEXT_SIZE], sha256_hex[crypto_hash_sha256_BYTES * 2 + 1] = "";
    int own = !store_in_transaction(conn);
    long long id = 0, affected = 0;
    memset(&versions, 0, sizeof versions);
    if (out)
        *out = NULL;
    if (own && store_begin(conn, err) != 0)
        return -1;

    if (corrects_id > 0) {
        if (store_query(conn, err, &rows, "SELECT superseded_by FROM withdrawals WHERE id = ? FOR UPDATE",
                        STORE_PARAMS(STORE_INT_PARAM(corrects_id))) != 0)
            goto fail;
        if (store_result_rows(rows) != 1) {
            alvd_err_set(err, 404, "not_found", NULL, "Deze registratie bestaat niet.");
            goto fail;
        }
        if (!store_result_is_null(rows, 0, 0)) {
            alvd_err_set(err, 409, "already_corrected", NULL,
                         "Deze registratie is al gecorrigeerd door registratie %s; corrigeer die.",
                         store_result_text(rows, 0, 0));
            goto fail;
        }
        if (withdrawals_undo_effect(conn, corrects_id, actor, err) != 0)
            goto fail;
    }
    if (withdrawals_versions_load(conn, &versions, err) != 0 ||
        withdrawals_evaluate(conn, input, corrects_id, 1, &versions, &evaluation, err) != 0)
        goto fail;
    const rules_withdrawal_assessment *a = &evaluation.assessment;
    rules_date_format(input->received_on, received);
    if (input->has_sent_on)
        rules_date_format(input->sent_on, sent);
    rules_date_format(a->concerned_deadline, deadline);
    rules_date_format(a->signature_ends, ends);
    if (input->proof_text) {
        unsigned char digest[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(digest, (const unsigned char *)input->proof_text, strlen(input->proof_text));
        sodium_bin2hex(sha256_hex, sizeof sha256_hex, digest, sizeof digest);
    }
    if (store_execute(
            conn, err, NULL,
            "INSERT INTO withdrawals (organisation_id, received_on, sent_on, form, channel, tracking_code,"
            " tracking_kind, scan_id, note, outcome, concerned_version_id, deadline, timely, effect_version_id,"
            " signature_ends, effect_text, corrects_id, correction_reason, proof_session_id, proof_contact_id,"
            " proof_contact_email, proof_submitted_at, proof_text, proof_text_sha256, created_at,"
            " created_by_kind, created_by, created_by_label)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
            " IF(? = 1, UTC_TIMESTAMP(6), NULL), ?, ?, UTC_TIMESTAMP(6), ?, ?, ?)",
            STORE_PARAMS(
                STORE_INT_PARAM(input->organisation_id), STORE_TEXT_PARAM(received),
                STORE_TEXT_PARAM(input->has_sent_on ? sent : NULL), STORE_TEXT_PARAM(input->form),
                STORE_TEXT_PARAM(input->channel),
                STORE_TEXT_PARAM(input->tracking_code[0] ? input->tracking_code : NULL),
                STORE_TEXT_PARAM(input->tracking_code[0] ? rules_tracking_kind_name(input->tracking_kind) : NULL),
                withdrawals_optional_id(input->scan_id), STORE_TEXT_PARAM(input->note),
                STORE_TEXT_PARAM(withdrawals_outcome_name(a->outcome)),
                withdrawals_optional_id(a->concerned_version_id),
                STORE_TEXT_PARAM(a->concerned_version_id ? deadline : NULL), STORE_INT_PARAM(a->timely),
                withdrawals_optional_id(a->effect_version_id),
                STORE_TEXT_PARAM(a->signature_end_known ? ends : NULL), STORE_TEXT_PARAM(a->effect),
                withdrawals_optional_id(corrects_id), STORE_TEXT_PARAM(input->correction_reason),
                withdrawals_optional_id(input->proof_session_id), withdrawals_optional_id(input->proof_contact_id),
                STORE_TEXT_PARAM(input->proof_contact_email), STORE_INT_PARAM(input->proof_text != NULL),
                STORE_TEXT_PARAM(input->proof_text), STORE_TEXT_PARAM(input->proof_text ? sha256_hex : NULL),
                STORE_TEXT_PARAM(actor->kind), withdrawals_optional_id(actor->id),
                STORE_TEXT_PARAM(actor->label ? actor->label : ""))) != 0)
        goto fail;
    id = store_last_insert_id(conn);
    if (corrects_id > 0) {
        if (store_execute(conn, err, &affected,
                          "UPDATE withdrawals SET superseded_by = ? WHERE id = ? AND superseded_by IS NULL",
                          STORE_PARAMS(STORE_INT_PARAM(id), STORE_INT_PARAM(corrects_id))) != 0)
            goto fail;
        if (affected != 1) {
            alvd_err_set(err, 409, "already_corrected", NULL, "Deze registratie is intussen al gecorrigeerd.");
            goto fail;
        }
    }
    if (a->signature_end_known &&
        withdrawals_apply_effect(conn, id, input->organisation_id, input->received_on, a->effect_version_id,
                                 a->signature_ends, actor, err) != 0)
        goto fail;
    if (withdrawals_send_confirmation(conn, id, input, &evaluation, corrects_id, err) != 0)
        goto fail;
    json_t *details = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "organisation_id",
        (json_int_t)input->organisation_id, "received_on", received, "form", input->form, "channel",
        input->channel, "outcome", withdrawals_outcome_name(a->outcome), "version_id",
        a->concerned_version_id ? json_integer(a->concerned_version_id) : json_null(), "effect_version_id",
        a->effect_version_id ? json_integer(a->effect_version_id) : json_null(), "tracking_code",
        input->tracking_code[0] ? json_string(input->tracking_code) : json_null(), "corrects_id",
        corrects_id > 0 ? json_integer(corrects_id) : json_null(), "reason",
        input->correction_reason ? json_string(input->correction_reason) : json_null());
    int audited = audit_append(conn, err, actor, corrects_id > 0 ? "withdrawal.corrected" : "withdrawal.recorded",
                               "withdrawal", id, details);
    json_decref(details);
    if (audited != 0 || (own && store_commit(conn, err) != 0))
        goto fail;
    if (out) {
        json_t *answer = withdrawals_evaluation_json(&evaluation, input);
        json_object_set_new(answer, "id", json_integer(id));
        json_object_set_new(answer, "state", json_string(a->signature_end_known ? "applied" : "pending"));
        json_object_set_new(answer, "corrects_id", corrects_id > 0 ? json_integer(corrects_id) : json_null());
        json_object_set_new(answer, "channel", json_string(input->channel));
        if (input->proof_text)
            json_object_set_new(answer, "proof_text_sha256", json_string(sha256_hex));
        *out = answer;
    }
    store_result_free(rows);
    withdrawals_versions_free(&versions);
    return (int)0;
fail:
    if (own)
        store_rollback(conn);
    store_result_free(rows);
    withdrawals_versions_free(&versions);
    return -1;
}

int withdrawals_apply_pending(store_conn *conn, long long version_id, alvd_err *err)
{
    audit_actor system = {"system", 0, "withdrawals_apply_pending"};
    withdrawals_versions versions;
    store_result *rows = NULL;
    int own = !store_in_transaction(conn);
    int applied = 0;
    memset(&versions, 0, sizeof versions);
    if (own && store_begin(conn, err) != 0)
        return -1;
    if (store_query(conn, err, &rows, "SELECT effective_from FROM code_versions WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(version_id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1) {
        alvd_err_set(err, 422, "unknown_version", "version_id", "Deze versie van de Code bestaat niet.");
        goto fail;
    }
    char effective[RULES_DATE_TEXT_SIZE];
    snprintf(effective, sizeof effective, "%s", store_result_text(rows, 0, 0));
    store_result_free(rows);
    rows = NULL;
    /* Only letters received before E can meet that version's deadline. */
    if (withdrawals_versions_load(conn, &versions, err) != 0 ||
        store_query(conn, err, &rows,
                    "SELECT w.id, w.organisation_id, w.received_on, o.name FROM withdrawals w"
                    " JOIN organisations o ON o.id = w.organisation_id"
                    " WHERE w.superseded_by IS NULL AND w.outcome IN ('late_pending', 'no_version')"
                    " AND w.received_on < ?"
                    " AND NOT EXISTS (SELECT 1 FROM withdrawal_effects e WHERE e.withdrawal_id = w.id)"
                    " ORDER BY w.id FOR UPDATE",
                    STORE_PARAMS(STORE_TEXT_PARAM(effective))) != 0)
        goto fail;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        rules_withdrawal_assessment a;
        rules_day received;
        long long withdrawal_id = store_result_int(rows, r, 0);
        long long organisation_id = store_result_int(rows, r, 1);
        if (withdrawals_day(store_result_text(rows, r, 2), &received) != 0 ||
            rules_assess_withdrawal(received, versions.items, versions.count, &a, err) != 0)
            goto fail;
        if (!a.signature_end_known)
            continue; /* still no scheduled version whose deadline it meets */
        if (withdrawals_apply_effect(conn, withdrawal_id, organisation_id, received, a.effect_version_id,
                                     a.signature_ends, &system, err) != 0)
            goto fail;
        char ends[RULES_LONG_DATE_SIZE], received_long[RULES_LONG_DATE_SIZE], subject[160];
        alvd_buf body;
        buf_init(&body, WITHDRAWALS_MAIL_CAP);
        buf_appendf(&body,
                    "Uw intrekking van de ondertekening van de Code, ontvangen op %s (kenmerk INT-%lld), "
                    "werkt nu voor versie %s van de Code: de ondertekening van %s eindigt op %s. U wordt op "
                    "grond van uw ondertekening niet aan die versie gebonden.\n\n"
                    "Met vriendelijke groet,\nSecretariaat KSF\n",
                    rules_date_format_long(received, RULES_LANG_NL, received_long, sizeof received_long),
                    withdrawal_id, withdrawals_version_label(&versions, a.effect_version_id),
                    store_result_text(rows, r, 3),
                    rules_date_format_long(a.signature_ends, RULES_LANG_NL, ends, sizeof ends));
        snprintf(subject, sizeof subject, "Uw intrekking van de Code werkt nu (kenmerk INT-%lld)", withdrawal_id);
        int mailed = withdrawals_mail_organisation(conn, organisation_id, subject, body.data, err);
        buf_free(&body);
        json_t *details = json_pack("{s:I, s:I}", "version_id", (json_int_t)a.effect_version_id,
                                    "scheduled_version_id", (json_int_t)version_id);
        int audited = mailed == 0 ? audit_append(conn, err, &system, "withdrawal.pending_applied", "withdrawal",
                                                 withdrawal_id, details)
                                  : -1;
        json_decref(details);
        if (audited != 0)
            goto fail;
        applied++;
    }
    if (own && store_commit(conn, err) != 0)
        goto fail;
    store_result_free(rows);
    withdrawals_versions_free(&versions);
    return applied;
fail:
    if (own)
        store_rollback(conn);
    store_result_free(rows);
    withdrawals_versions_free(&versions);
    return -1;
}

/* ------------------------------------------------------------------ handlers */

/* Read an intake body into *input (strings borrowed from body). extra lists the
 * fields a variant adds ("reason", "corrects_id"). */
static int withdrawals_parse(json_t *body, withdrawals_input *input, const char *const *extra, rules_day today,
                             alvd_err *err)
{
    static const char *const base_fields[] = {"organisation_id", "received_on", "sent_on", "form",
                                              "tracking_code", "note", "scan_id"};
    const char *allowed[16];
    size_t used = 0;
    for (size_t i = 0; i < sizeof base_fields / sizeof base_fields[0]; i++)
        allowed[used++] = base_fields[i];
    for (size_t i = 0; extra && extra[i] && used + 1 < sizeof allowed / sizeof allowed[0]; i++)
        allowed[used++] = extra[i];
    allowed[used] = NULL;

    const char *received = NULL, *sent = NULL, *tracking = NULL;
    memset(input, 0, sizeof *input);
    input->channel = "intake";
    if (input_only(body, allowed, err) != 0 ||
        input_integer(body, "organisation_id", 1, 1, INT64_MAX, &input->organisation_id, NULL, err) != 0 ||
        input_date(body, "received_on", 1, &received, err) != 0 ||
        input_date(body, "sent_on", 0, &sent, err) != 0 ||
        input_choice(body, "form", 1, withdrawals_forms, &input->form, err) != 0 ||
        input_string(body, "tracking_code", 0, RULES_TRACKING_INPUT_MAX, &tracking, err) != 0 ||
        input_string(body, "note", 0, WITHDRAWALS_NOTE_MAX_CHARS, &input->note, err) != 0 ||
        input_integer(body, "scan_id", 0, 1, INT64_MAX, &input->scan_id, NULL, err) != 0)
        return -1;
    if (rules_date_parse(received, "received_on", &input->received_on, err) != 0)
        return -1;
    if (input->received_on > today) {
        char today_text[RULES_DATE_TEXT_SIZE];
        return alvd_err_set(err, 422, "received_in_future", "received_on",
                            "De ontvangstdatum ligt na vandaag (%s); vul de dag in waarop de brief binnenkwam.",
                            rules_date_format(today, today_text));
    }
    if (sent) {
        if (rules_date_parse(sent, "sent_on", &input->sent_on, err) != 0)
            return -1;
        input->has_sent_on = 1;
        if (input->sent_on > input->received_on)
            return alvd_err_set(err, 422, "sent_after_received", "sent_on",
                                "De verzenddatum ligt na de ontvangstdatum; een brief wordt eerst verstuurd "
                                "en dan ontvangen.");
    }
    if (tracking && rules_tracking_parse(tracking, &input->tracking_kind, input->tracking_code, err) != 0)
        return -1;
    return 0;
}

void withdrawals_create(http_request *request)
{
    withdrawals_input input;
    json_t *answer = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    audit_actor actor = http_request_actor(request);
    if (withdrawals_parse(http_request_json(request), &input, NULL, withdrawals_today(request), &err) != 0 ||
        withdrawals_record(http_request_db(request), &input, 0, &actor, &answer, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 201, answer);
}

void withdrawals_preview(http_request *request)
{
    static const char *const extra[] = {"corrects_id", NULL};
    withdrawals_input input;
    withdrawals_versions versions;
    withdrawals_evaluation evaluation;
    long long corrects_id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    json_t *body = http_request_json(request);
    if (withdrawals_parse(body, &input, extra, withdrawals_today(request), &err) != 0 ||
        input_integer(body, "corrects_id", 0, 1, INT64_MAX, &corrects_id, NULL, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    if (withdrawals_versions_load(http_request_db(request), &versions, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    if (withdrawals_evaluate(http_request_db(request), &input, corrects_id, 0, &versions, &evaluation, &err) != 0) {
        withdrawals_versions_free(&versions);
        http_reply_err(request, &err);
        return;
    }
    withdrawals_versions_free(&versions);
    json_t *answer = withdrawals_evaluation_json(&evaluation, &input);
    json_object_set_new(answer, "preview", json_true());
    http_reply_json(request, 200, answer);
}

void withdrawals_correct(http_request *request)
{
    static const char *const extra[] = {"reason", NULL};
    withdrawals_input input;
    json_t *answer = NULL;
    long long id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    audit_actor actor = http_request_actor(request);
    json_t *body = http_request_json(request);
    if (withdrawals_parse(body, &input, extra, withdrawals_today(request), &err) != 0 ||
        input_string(body, "reason", 1, 1000, &input.correction_reason, &err) != 0 ||
        withdrawals_record(http_request_db(request), &input, id, &actor, &answer, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 201, answer);
}

/* The columns of a withdrawal as the list and the detail show it; the state is derived
 * from superseded_by and the latest effect. */
#define WITHDRAWALS_SELECT                                                                         \
    "SELECT w.id, w.organisation_id, o.name AS organisation_name, o.kvk, w.received_on, w.sent_on,"  \
    " w.form, w.channel, w.tracking_code, w.tracking_kind, w.scan_id, w.note, w.outcome,"            \
    " w.concerned_version_id AS version_id, cv.label AS version_label, cv.effective_from,"          \
    " w.deadline, w.timely, w.effect_text AS effect, w.corrects_id, w.correction_reason,"            \
    " w.superseded_by, w.created_at, w.created_by_label,"                                          \
    " (SELECT e.kind FROM withdrawal_effects e WHERE e.withdrawal_id = w.id ORDER BY e.id DESC"      \
    " LIMIT 1) AS effect_kind,"                                                                    \
    " COALESCE(w.effect_version_id, (SELECT e.version_id FROM withdrawal_effects e"                 \
    " WHERE e.withdrawal_id = w.id AND e.kind <> 'undone' ORDER BY e.id DESC LIMIT 1))"              \
    " AS effect_version_id,"                                                                       \
    " COALESCE(w.signature_ends, (SELECT e.signature_ends FROM withdrawal_effects e"                \
    " WHERE e.withdrawal_id = w.id AND e.kind <> 'undone' ORDER BY e.id DESC LIMIT 1))"              \
    " AS signature_ends"                                                                           \
    " FROM withdrawals w JOIN organisations o ON o.id = w.organisation_id"                          \
    " LEFT JOIN code_versions cv ON cv.id = w.concerned_version_id"

static json_t *withdrawals_row_json(const store_result *rows, size_t r)
{
    json_t *item = store_result_row_json(rows, r);
    const char *timely = store_result_text_by_name(rows, r, "timely");
    json_object_set_new(item, "timely", json_boolean(timely && strcmp(timely, "0") != 0));
    const char *kind = store_result_text_by_name(rows, r, "effect_kind");
    const char *state = "pending";
    if (store_result_text_by_name(rows, r, "superseded_by"))
        state = "superseded";
    else if (kind && (strcmp(kind, "ended") == 0 || strcmp(kind, "already_ended") == 0))
        state = "applied";
    json_object_set_new(item, "state", json_string(state));
    return item;
}

void withdrawals_list(http_request *request)
{
    long long version_id = 0, organisation_id = 0;
    const char *version_text = http_request_query(request, "version_id");
    const char *organisation_text = http_request_query(request, "organisation_id");
    const char *all_text = http_request_query(request, "all");
    store_result *rows = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if ((version_text && *version_text && input_id_text(version_text, &version_id) != 0) ||
        (organisation_text && *organisation_text && input_id_text(organisation_text, &organisation_id) != 0)) {
        http_reply_error(request, 400, "bad_query", version_id ? "organisation_id" : "version_id",
                         "Een nummer in de zoekopdracht is ongeldig.");
        return;
    }
    int all = all_text && strcmp(all_text, "1") == 0;
    if (store_query(http_request_db(request), &err, &rows,
                    WITHDRAWALS_SELECT
                    " WHERE (? = 0 OR w.concerned_version_id = ? OR w.effect_version_id = ?"
                    " OR EXISTS (SELECT 1 FROM withdrawal_effects e WHERE e.withdrawal_id = w.id"
                    " AND e.version_id = ?))"
                    " AND (? = 0 OR w.organisation_id = ?) AND (? = 1 OR w.superseded_by IS NULL)"
                    " ORDER BY w.received_on DESC, w.id DESC LIMIT 1000",
                    STORE_PARAMS(STORE_INT_PARAM(version_id), STORE_INT_PARAM(version_id),
                                 STORE_INT_PARAM(version_id), STORE_INT_PARAM(version_id),
                                 STORE_INT_PARAM(organisation_id), STORE_INT_PARAM(organisation_id),
                                 STORE_INT_PARAM(all))) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t r = 0; r < store_result_rows(rows); r++)
        json_array_append_new(items, withdrawals_row_json(rows, r));
    store_result_free(rows);
    http_reply_json(request, 200, json_pack("{s:o}", "items", items));
}

void withdrawals_get(http_request *request)
{
    long long id = 0;
    store_result *rows = NULL, *effects = NULL, *proof = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    store_conn *conn = http_request_db(request);
    if (store_query(conn, &err, &rows, WITHDRAWALS_SELECT " WHERE w.id = ?", STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        goto fail;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        http_reply_error(request, 404, "not_found", NULL, "Deze registratie bestaat niet.");
        return;
    }
    if (store_query(conn, &err, &effects,
                    "SELECT e.kind, e.version_id, v.label AS version_label, e.basis_id, e.previous_basis_id,"
                    " e.signature_ends, e.applied_at FROM withdrawal_effects e"
                    " LEFT JOIN code_versions v ON v.id = e.version_id WHERE e.withdrawal_id = ? ORDER BY e.id",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0 ||
        store_query(conn, &err, &proof,
                    "SELECT w.proof_session_id AS session_id, w.proof_contact_id AS contact_id,"
                    " w.proof_contact_email AS contact_email, w.proof_submitted_at AS submitted_at,"
                    " w.proof_text AS text, w.proof_text_sha256 AS text_sha256,"
                    " s.media_type AS scan_media_type, s.size_bytes AS scan_size, s.sha256 AS scan_sha256,"
                    " s.original_name AS scan_name, ev.label AS effect_version_label,"
                    " ev.effective_from AS effect_effective_from"
                    " FROM withdrawals w LEFT JOIN withdrawal_scans s ON s.id = w.scan_id"
                    " LEFT JOIN code_versions ev ON ev.id = COALESCE(w.effect_version_id,"
                    " (SELECT e.version_id FROM withdrawal_effects e WHERE e.withdrawal_id = w.id"
                    " AND e.kind <> 'undone' ORDER BY e.id DESC LIMIT 1)) WHERE w.id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        goto fail;
    json_t *item = withdrawals_row_json(rows, 0);
    json_object_set_new(item, "effects", store_result_json(effects));
    json_object_set_new(item, "effect_version_label",
                        json_string(store_result_text_by_name(proof, 0, "effect_version_label")
                                        ? store_result_text_by_name(proof, 0, "effect_version_label")
                                        : ""));
    const char *effect_from = store_result_text_by_name(proof, 0, "effect_effective_from");
    json_object_set_new(item, "effect_effective_from", effect_from ? json_string(effect_from) : json_null());
    if (store_result_text_by_name(proof, 0, "scan_media_type")) {
        json_object_set_new(item, "scan",
                            json_pack("{s:s, s:I, s:s, s:s?}", "media_type",
                                      store_result_text_by_name(proof, 0, "scan_media_type"), "size",
                                      (json_int_t)store_result_int_by_name(proof, 0, "scan_size"), "sha256",
                                      store_result_text_by_name(proof, 0, "scan_sha256"), "name",
                                      store_result_text_by_name(proof, 0, "scan_name")));
    }
    if (store_result_text_by_name(proof, 0, "text_sha256")) {
        json_t *proof_json = store_result_row_json(proof, 0);
        static const char *const scan_keys[] = {"scan_media_type", "scan_size", "scan_sha256", "scan_name",
                                                "effect_version_label", "effect_effective_from"};
        for (size_t k = 0; k < sizeof scan_keys / sizeof scan_keys[0]; k++)
            json_object_del(proof_json, scan_keys[k]);
        json_object_set_new(item, "proof", proof_json);
    }
    store_result_free(rows);
    store_result_free(effects);
    store_result_free(proof);
    http_reply_json(request, 200, item);
    return;
fail:
    store_result_free(rows);
    store_result_free(effects);
    store_result_free(proof);
    http_reply_err(request, &err);
}

void withdrawals_apply_pending_route(http_request *request)
{
    static const char *const fields[] = {"version_id", NULL};
    long long version_id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    store_conn *conn = http_request_db(request);
    audit_actor actor = http_request_actor(request);
    json_t *body = http_request_json(request);
    if (input_only(body, fields, &err) != 0 ||
        input_integer(body, "version_id", 1, 1, INT64_MAX, &version_id, NULL, &err) != 0 ||
        store_begin(conn, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    int applied = withdrawals_apply_pending(conn, version_id, &err);
    json_t *details = json_pack("{s:I, s:i}", "version_id", (json_int_t)version_id, "applied", applied);
    int rc = applied < 0 ? -1 : audit_append(conn, &err, &actor, "withdrawal.apply_pending", "code_version",
                                             version_id, details);
    json_decref(details);
    if (rc != 0 || store_commit(conn, &err) != 0) {
        store_rollback(conn);
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, json_pack("{s:i}", "applied", applied));
}

/* ------------------------------------------------------------------ scans */

typedef struct withdrawals_scan_type {
    const char *media_type;
    const char *extension;
    const char *name;
} withdrawals_scan_type;

static const withdrawals_scan_type withdrawals_scan_types[] = {
    {"application/pdf", "pdf", "PDF"},
    {"image/jpeg", "jpg", "JPEG"},
    {"image/png", "png", "PNG"},
};

/* The type by the file's first bytes (W7: content, not the name, decides). */
static const withdrawals_scan_type *withdrawals_sniff(const unsigned char *data, size_t length)
{
    static const unsigned char png[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
    if (length >= 5 && memcmp(data, "%PDF-", 5) == 0)
        return &withdrawals_scan_types[0];
    if (length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        return &withdrawals_scan_types[1];
    if (length >= sizeof png && memcmp(data, png, sizeof png) == 0)
        return &withdrawals_scan_types[2];
    return NULL;
}

/* The type the file name claims by its extension; NULL for no or another extension. */
static const withdrawals_scan_type *withdrawals_claimed(const char *name, int *has_extension)
{
    const char *dot = name ? strrchr(name, '.') : NULL;
    *has_extension = dot != NULL && dot[1] != '\0';
    if (!*has_extension)
        return NULL;
    if (strcasecmp(dot + 1, "pdf") == 0)
        return &withdrawals_scan_types[0];
    if (strcasecmp(dot + 1, "jpg") == 0 || strcasecmp(dot + 1, "jpeg") == 0)
        return &withdrawals_scan_types[1];
    if (strcasecmp(dot + 1, "png") == 0)
        return &withdrawals_scan_types[2];
    return NULL;
}

/* Keep a display name: the last path segment, printable ASCII and UTF-8 only, no quotes. */
static void withdrawals_clean_name(const char *name, char *out, size_t size)
{
    size_t used = 0;
    const char *slash = name ? strrchr(name, '/') : NULL;
    const char *start = slash ? slash + 1 : name;
    out[0] = '\0';
    for (const unsigned char *p = (const unsigned char *)start; p && *p && used + 1 < size; p++)
        if (*p >= 0x20 && *p != 0x7F && *p != '"' && *p != '\\')
            out[used++] = (char)*p;
    /* Do not end in the middle of a UTF-8 sequence. */
    while (used > 0 && ((unsigned char)out[used - 1] & 0xC0) == 0x80)
        used--;
    if (used > 0 && ((unsigned char)out[used - 1] & 0xC0) == 0xC0)
        used--;
    out[used] = '\0';
}

static int withdrawals_scan_path(const alvd_app *app, const char *stored_name, char *out, size_t size,
                                 int create_dir, alvd_err *err)
{
    char dir[600];
    snprintf(dir, sizeof dir, "%s/withdrawals", app->config.data_dir);
    if (create_dir && mkdir(dir, 0700) != 0 && errno != EEXIST)
        return alvd_err_set(err, 500, "storage", NULL, "De map voor scans kan niet worden gemaakt.");
    int written = snprintf(out, size, "%s/%s", dir, stored_name);
    if (written < 0 || (size_t)written >= size)
        return alvd_err_set(err, 500, "storage", NULL, "Het pad voor de scan is te lang.");
    return 0;
}

void withdrawals_scan_upload(http_request *request)
{
    size_t length = 0;
    const unsigned char *data = (const unsigned char *)http_request_body(request, &length);
    const char *given_name = http_request_query(request, "name");
    char name[201], short_name[81], stored[33], path[700], sha256_hex[crypto_hash_sha256_BYTES * 2 + 1];
    unsigned char random_bytes[16], digest[crypto_hash_sha256_BYTES];
    int has_extension = 0, fd = -1, written_file = 0;
    alvd_err err;
    alvd_err_clear(&err);
    store_conn *conn = http_request_db(request);
    if (data == NULL || length == 0) {
        http_reply_error(request, 422, "scan_empty", "scan", "Het bestand is leeg.");
        return;
    }
    if (length > WITHDRAWALS_SCAN_MAX_BYTES) {
        http_reply_error(request, 413, "too_large", "scan", "Een scan mag hoogstens 10 MB zijn.");
        return;
    }
    const withdrawals_scan_type *actual = withdrawals_sniff(data, length);
    const withdrawals_scan_type *claimed = withdrawals_claimed(given_name, &has_extension);
    withdrawals_clean_name(given_name, name, sizeof name);
    if (actual == NULL) {
        if (name[0])
            http_reply_error(request, 422, "scan_type", "scan",
                             "\"%s\" is geen PDF, JPEG of PNG (gecontroleerd op de inhoud van het bestand). "
                             "Scan de brief als PDF, JPEG of PNG.",
                             withdrawals_short(name, short_name));
        else
            http_reply_error(request, 422, "scan_type", "scan",
                             "Het bestand is geen PDF, JPEG of PNG (gecontroleerd op de inhoud van het bestand). "
                             "Scan de brief als PDF, JPEG of PNG.");
        return;
    }
    if (has_extension && claimed != actual) {
        http_reply_error(request, 422, "scan_type_mismatch", "scan",
                         "Het bestand \"%s\" heeft een naam die niet past bij de inhoud: het is een %s. "
                         "Alleen PDF, JPEG of PNG met de juiste extensie wordt aangenomen.",
                         withdrawals_short(name, short_name), actual->name);
        return;
    }
    randombytes_buf(random_bytes, sizeof random_bytes);
    sodium_bin2hex(stored, sizeof stored, random_bytes, sizeof random_bytes);
    crypto_hash_sha256(digest, data, length);
    sodium_bin2hex(sha256_hex, sizeof sha256_hex, digest, sizeof digest);
    if (withdrawals_scan_path(http_request_app(request), stored, path, sizeof path, 1, &err) != 0)
        goto fail;
    fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) {
        alvd_err_set(&err, 500, "storage", NULL, "De scan kan niet worden opgeslagen.");
        goto fail;
    }
    written_file = 1;
    for (size_t done = 0; done < length;) {
        ssize_t wrote = write(fd, data + done, length - done);
        if (wrote < 0 && errno == EINTR)
            continue;
        if (wrote <= 0) {
            alvd_err_set(&err, 500, "storage", NULL, "De scan kan niet worden opgeslagen.");
            goto fail;
        }
        done += (size_t)wrote;
    }
    if (fsync(fd) != 0 || close(fd) != 0) {
        fd = -1;
        alvd_err_set(&err, 500, "storage", NULL, "De scan kan niet worden opgeslagen.");
        goto fail;
    }
    fd = -1;
    audit_actor actor = http_request_actor(request);
    if (store_begin(conn, &err) != 0 ||
        store_execute(conn, &err, NULL,
                      "INSERT INTO withdrawal_scans (stored_name, media_type, size_bytes, sha256, original_name,"
                      " uploaded_at, uploaded_by) VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(6), ?)",
                      STORE_PARAMS(STORE_TEXT_PARAM(stored), STORE_TEXT_PARAM(actual->media_type),
                                   STORE_INT_PARAM((long long)length), STORE_TEXT_PARAM(sha256_hex),
                                   STORE_TEXT_PARAM(name[0] ? name : NULL),
                                   withdrawals_optional_id(withdrawals_actor_user(&actor)))) != 0)
        goto fail;
    long long id = store_last_insert_id(conn);
    json_t *details = json_pack("{s:s, s:I, s:s}", "media_type", actual->media_type, "size",
                                (json_int_t)length, "sha256", sha256_hex);
    int audited = audit_append(conn, &err, &actor, "withdrawal_scan.uploaded", "withdrawal_scan", id, details);
    json_decref(details);
    if (audited != 0 || store_commit(conn, &err) != 0)
        goto fail;
    http_reply_json(request, 201,
                    json_pack("{s:I, s:s, s:I, s:s, s:s?}", "id", (json_int_t)id, "media_type", actual->media_type,
                              "size", (json_int_t)length, "sha256", sha256_hex, "name", name[0] ? name : NULL));
    return;
fail:
    if (fd >= 0)
        close(fd);
    if (written_file)
        unlink(path);
    store_rollback(conn);
    http_reply_err(request, &err);
}

void withdrawals_scan_download(http_request *request)
{
    long long id = 0;
    store_result *rows = NULL;
    char path[700], disposition[160];
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    if (store_query(http_request_db(request), &err, &rows,
                    "SELECT stored_name, media_type, size_bytes FROM withdrawal_scans WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0) {
        http_reply_err(request, &err);
        return;
    }
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        http_reply_error(request, 404, "not_found", NULL, "Deze scan bestaat niet.");
        return;
    }
    const char *stored = store_result_text(rows, 0, 0);
    const char *media_type = store_result_text(rows, 0, 1);
    long long size = store_result_int(rows, 0, 2);
    /* The stored name is ours (32 hex digits), but never build a path from anything else. */
    int safe = strlen(stored) == 32 && strspn(stored, "0123456789abcdef") == 32;
    const char *extension = "bin";
    for (size_t i = 0; i < sizeof withdrawals_scan_types / sizeof withdrawals_scan_types[0]; i++)
        if (strcmp(withdrawals_scan_types[i].media_type, media_type) == 0)
            extension = withdrawals_scan_types[i].extension;
    char *data = NULL;
    FILE *file = NULL;
    if (!safe || size <= 0 || size > WITHDRAWALS_SCAN_MAX_BYTES ||
        withdrawals_scan_path(http_request_app(request), stored, path, sizeof path, 0, &err) != 0 ||
        (file = fopen(path, "rb")) == NULL || (data = malloc((size_t)size)) == NULL ||
        fread(data, 1, (size_t)size, file) != (size_t)size) {
        if (file)
            fclose(file);
        free(data);
        store_result_free(rows);
        http_reply_error(request, 404, "scan_missing", NULL, "Het bestand van deze scan ontbreekt.");
        return;
    }
    fclose(file);
    snprintf(disposition, sizeof disposition, "attachment; filename=\"intrekking-scan-%lld.%s\"", id, extension);
    http_reply_bytes(request, 200, media_type, data, (size_t)size);
    http_reply_header(request, "Content-Disposition", disposition);
    /* A scan is evidence to look at, never a document that runs anything in our origin. */
    http_reply_header(request, "Content-Security-Policy", "sandbox");
    store_result_free(rows);
}

/* ------------------------------------------------------------------ online notice */

void withdrawals_my_get(http_request *request)
{
    const auth_principal *who = http_request_principal(request);
    withdrawals_input input;
    withdrawals_versions versions;
    withdrawals_evaluation evaluation;
    store_result *rows = NULL;
    alvd_err err, refusal;
    alvd_err_clear(&err);
    alvd_err_clear(&refusal);
    store_conn *conn = http_request_db(request);
    memset(&input, 0, sizeof input);
    input.organisation_id = who->organisation_id;
    input.received_on = withdrawals_today(request);
    input.form = "email";
    input.channel = "online";
    if (withdrawals_versions_load(conn, &versions, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *answer = json_object();
    if (withdrawals_evaluate(conn, &input, 0, 0, &versions, &evaluation, &refusal) == 0) {
        json_object_set_new(answer, "preview", withdrawals_evaluation_json(&evaluation, &input));
        json_object_set_new(answer, "can_send", json_true());
    } else {
        if (refusal.status == 422 && strcmp(refusal.code, "unknown_organisation") == 0) {
            json_decref(answer);
            withdrawals_versions_free(&versions);
            http_reply_error(request, 404, "not_found", NULL, "Uw organisatie staat niet in het register.");
            return;
        }
        json_object_set_new(answer, "can_send", json_false());
        json_object_set_new(answer, "refusal", json_pack("{s:s, s:o}", "code", refusal.code, "error",
                                                         http_request_sentence(request, refusal.message)));
    }
    withdrawals_versions_free(&versions);
    if (store_query(conn, &err, &rows,
                    "SELECT o.name FROM organisations o WHERE o.id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(who->organisation_id))) != 0) {
        json_decref(answer);
        http_reply_err(request, &err);
        return;
    }
    json_object_set_new(answer, "organisation",
                        json_pack("{s:I, s:s}", "id", (json_int_t)who->organisation_id, "name",
                                  store_result_rows(rows) ? store_result_text(rows, 0, 0) : ""));
    store_result_free(rows);
    rows = NULL;
    if (store_query(conn, &err, &rows,
                    WITHDRAWALS_SELECT " WHERE w.organisation_id = ? AND w.superseded_by IS NULL"
                                       " ORDER BY w.received_on DESC, w.id DESC LIMIT 50",
                    STORE_PARAMS(STORE_INT_PARAM(who->organisation_id))) != 0) {
        json_decref(answer);
        http_reply_err(request, &err);
        return;
    }
    /* The contact sees its own entries without the secretariat's internal note. */
    json_t *items = json_array();
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        json_t *item = withdrawals_row_json(rows, r);
        json_object_del(item, "note");
        json_object_del(item, "created_by_label");
        json_object_del(item, "scan_id");
        json_array_append_new(items, item);
    }
    store_result_free(rows);
    json_object_set_new(answer, "withdrawals", items);
    json_object_set_new(answer, "today", withdrawals_date_json(1, withdrawals_today(request)));
    http_reply_json(request, 200, answer);
}

void withdrawals_my_send(http_request *request)
{
    static const char *const fields[] = {"text", "confirm", NULL};
    const auth_principal *who = http_request_principal(request);
    withdrawals_input input;
    store_result *rows = NULL;
    json_t *answer = NULL;
    const char *text = NULL;
    int confirm = 0;
    char email[RULES_MEMBER_EMAIL_MAX * 4 + 1] = ""; /* characters of up to 4 bytes in UTF-8 */
    alvd_err err;
    alvd_err_clear(&err);
    store_conn *conn = http_request_db(request);
    json_t *body = http_request_json(request);
    if (input_only(body, fields, &err) != 0 ||
        input_string(body, "text", 1, WITHDRAWALS_NOTICE_MAX_CHARS, &text, &err) != 0 ||
        input_boolean(body, "confirm", 0, &confirm, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    if (!confirm) {
        http_reply_error(request, 422, "confirm_required", "confirm",
                         "Bevestig dat u de ondertekening van de Code namens uw organisatie opzegt.");
        return;
    }
    if (who->contact_id > 0) {
        if (store_query(conn, &err, &rows,
                        "SELECT email FROM contacts WHERE id = ? AND organisation_id = ? AND removed_at IS NULL",
                        STORE_PARAMS(STORE_INT_PARAM(who->contact_id),
                                     STORE_INT_PARAM(who->organisation_id))) != 0) {
            http_reply_err(request, &err);
            return;
        }
        if (store_result_rows(rows) == 1)
            snprintf(email, sizeof email, "%s", store_result_text(rows, 0, 0));
        store_result_free(rows);
    }
    memset(&input, 0, sizeof input);
    input.organisation_id = who->organisation_id;
    input.received_on = withdrawals_today(request); /* an online notice is received when it is sent */
    input.form = "email";
    input.channel = "online";
    input.proof_session_id = who->session_id;
    input.proof_contact_id = who->contact_id;
    input.proof_contact_email = email[0] ? email : NULL;
    input.proof_text = text;
    audit_actor actor = http_request_actor(request);
    if (email[0])
        actor.label = email;
    if (withdrawals_record(conn, &input, 0, &actor, &answer, &err) != 0) {
        if (err.status == 422 && strcmp(err.code, "unknown_organisation") == 0)
            alvd_err_set(&err, 404, "not_found", NULL, "Uw organisatie staat niet in het register.");
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 201, answer);
}
