/* Withdrawals of a signature as flows: the assessment of a letter against the Code
 * versions, recording it with its effect on the register in one transaction,
 * corrections that undo the old effect first, and applying what waited for a version. */
#include "alvd/service/withdrawals.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/store/bases.h"
#include "alvd/store/contacts.h"
#include "alvd/store/organisations.h"
#include "alvd/store/withdrawals.h"

/* Dates from the database come as "YYYY-MM-DD"; NULL or anything else is "no date". */
static int withdrawals_day(const char *text, rules_day *out)
{
    alvd_err ignored;
    return text ? rules_date_parse(text, NULL, out, &ignored) : -1;
}

const char *service_withdrawals_outcome_name(rules_withdrawal_outcome outcome)
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

const char *service_withdrawals_short(const char *text, char out[81])
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

static long long withdrawals_actor_user(const audit_actor *actor)
{
    return strcmp(actor->kind, "user") == 0 ? actor->id : 0;
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
    if (store_withdrawals_code_versions(conn, &versions->rows, err) != 0)
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

/* The 422 sentence for an organisation without a signature on the received date. */
static int withdrawals_refuse_no_signature(store_conn *conn, const service_withdrawals_input *input,
                                           const char *name, alvd_err *err)
{
    store_basis_span last;
    int found = 0;
    char received[RULES_DATE_TEXT_SIZE], why[200] = "";
    rules_date_format(input->received_on, received);
    if (store_bases_signature_ended_before(conn, input->organisation_id, received, &last, &found, err) != 0)
        return -1;
    if (found)
        snprintf(why, sizeof why, "haar ondertekening eindigde op %s%s", last.until,
                 last.has_ended_by && strncmp(last.ended_by, "withdrawal:", 11) == 0 ? " na een eerdere intrekking"
                                                                                      : "");
    else
        snprintf(why, sizeof why, "zij heeft de Code niet ondertekend");
    char short_name[81];
    return alvd_err_set(err, 422, "no_signature_basis", "organisation_id",
                        "%s heeft op %s geen lopende ondertekening van de Code: %s. Alleen een "
                        "ondertekening kan per brief worden ingetrokken (art. 7); lidmaatschap en "
                        "contract blijven buiten een intrekking.",
                        service_withdrawals_short(name, short_name), received, why);
}

/* The organisation exists (its name into out) and the scan, when given, too. */
static int withdrawals_check_parties(store_conn *conn, const service_withdrawals_input *input, int lock,
                                     service_withdrawals_evaluation *out, alvd_err *err)
{
    int found = 0;
    if (store_organisations_name(conn, input->organisation_id, lock, out->organisation_name,
                                 sizeof out->organisation_name, &found, err) != 0)
        return -1;
    if (!found)
        return alvd_err_set(err, 422, "unknown_organisation", "organisation_id",
                            "Deze organisatie staat niet in het register.");
    if (input->scan_id > 0) {
        if (store_withdrawals_scan_exists(conn, input->scan_id, &found, err) != 0)
            return -1;
        if (!found)
            return alvd_err_set(err, 422, "unknown_scan", "scan_id",
                                "Deze scan is niet gevonden; upload de scan opnieuw.");
    }
    return 0;
}

/* The signature active on receipt, not yet withdrawn by another entry, and no other
 * entry of the organisation still waiting. */
static int withdrawals_check_signature(store_conn *conn, const service_withdrawals_input *input,
                                       long long corrects_id, int lock, service_withdrawals_evaluation *out,
                                       alvd_err *err)
{
    char received[RULES_DATE_TEXT_SIZE], own_mark[48], short_name[81];
    rules_date_format(input->received_on, received);
    snprintf(own_mark, sizeof own_mark, "withdrawal:%lld", corrects_id);
    store_basis_span signature;
    int found = 0;
    if (store_bases_signature_on(conn, input->organisation_id, received, lock, &signature, &found, err) != 0)
        return -1;
    if (!found)
        return withdrawals_refuse_no_signature(conn, input, out->organisation_name, err);
    out->basis_id = signature.id;
    if (signature.has_ended_by && strncmp(signature.ended_by, "withdrawal:", 11) == 0 &&
        strcmp(signature.ended_by, own_mark) != 0)
        return alvd_err_set(err, 409, "already_withdrawn", "organisation_id",
                            "De ondertekening van %s is al ingetrokken (registratie %s); zij eindigt op %s. "
                            "Corrigeer die registratie in plaats van een nieuwe te maken.",
                            service_withdrawals_short(out->organisation_name, short_name), signature.ended_by + 11,
                            signature.has_until ? signature.until : "(null)");
    long long pending = 0;
    if (store_withdrawals_open_pending(conn, input->organisation_id, corrects_id, &pending, err) != 0)
        return -1;
    if (pending)
        return alvd_err_set(err, 409, "withdrawal_pending", "organisation_id",
                            "Voor %s staat al een intrekking open (registratie %lld) die wacht op de "
                            "eerstvolgende wijziging. Corrigeer die registratie in plaats van een nieuwe te maken.",
                            service_withdrawals_short(out->organisation_name, short_name), pending);
    return 0;
}

/* Look up the organisation and its signature, refuse what cannot be recorded and assess
 * the letter (R4/R5). lock = 1 takes row locks for an intake in a transaction.
 * corrects_id > 0: the entry being corrected does not count as a duplicate. */
static int withdrawals_evaluate(store_conn *conn, const service_withdrawals_input *input, long long corrects_id,
                                int lock, const withdrawals_versions *versions,
                                service_withdrawals_evaluation *out, alvd_err *err)
{
    memset(out, 0, sizeof *out);
    if (withdrawals_check_parties(conn, input, lock, out, err) != 0 ||
        withdrawals_check_signature(conn, input, corrects_id, lock, out, err) != 0 ||
        rules_assess_withdrawal(input->received_on, versions->items, versions->count, &out->assessment, err) != 0)
        return -1;
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
    return 0;
}

static json_t *withdrawals_date_json(int known, rules_day day)
{
    char text[RULES_DATE_TEXT_SIZE];
    return known ? json_string(rules_date_format(day, text)) : json_null();
}

/* The assessment part of the answer: the API.md fields first, then what the screen shows. */
static void withdrawals_assessment_json(json_t *answer, const service_withdrawals_evaluation *evaluation)
{
    const rules_withdrawal_assessment *a = &evaluation->assessment;
    json_object_set_new(answer, "version_id",
                        a->concerned_version_id ? json_integer(a->concerned_version_id) : json_null());
    json_object_set_new(answer, "deadline", withdrawals_date_json(a->concerned_version_id != 0,
                                                                  a->concerned_deadline));
    json_object_set_new(answer, "timely", json_boolean(a->timely));
    json_object_set_new(answer, "effect", json_string(a->effect));
    json_object_set_new(answer, "outcome", json_string(service_withdrawals_outcome_name(a->outcome)));
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
}

/* The answer of intake and preview. */
static json_t *withdrawals_evaluation_json(const service_withdrawals_evaluation *evaluation,
                                           const service_withdrawals_input *input)
{
    json_t *answer = json_object();
    withdrawals_assessment_json(answer, evaluation);
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

/* Supersede basis_id with a copy whose until and ended_by are replaced (NULL allowed);
 * the old row's superseded_by is the only update. *new_id gets the new row. */
static int withdrawals_supersede_basis(store_conn *conn, long long basis_id, const char *until,
                                       const char *ended_by, const audit_actor *actor,
                                       long long *new_id, alvd_err *err)
{
    long long affected = 0;
    if (store_bases_copy_ended(conn, basis_id, until, ended_by, withdrawals_actor_user(actor), new_id, err) != 0 ||
        store_bases_supersede(conn, basis_id, *new_id, &affected, err) != 0)
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
    char received_text[RULES_DATE_TEXT_SIZE], ends_text[RULES_DATE_TEXT_SIZE], ended_by[48];
    long long new_id = 0, old_id = 0;
    const char *kind = "ended";
    rules_date_format(received, received_text);
    rules_date_format(signature_ends, ends_text);
    snprintf(ended_by, sizeof ended_by, "withdrawal:%lld", withdrawal_id);
    store_basis_span signature;
    int found = 0;
    if (store_bases_signature_on(conn, organisation_id, received_text, 1, &signature, &found, err) != 0)
        return -1;
    rules_day until = 0;
    if (found)
        old_id = signature.id;
    if (old_id == 0 || (withdrawals_day(signature.has_until ? signature.until : NULL, &until) == 0 &&
                        until <= signature_ends))
        kind = "already_ended";
    else if (withdrawals_supersede_basis(conn, old_id, ends_text, ended_by, actor, &new_id, err) != 0)
        return -1;
    store_withdrawal_effect effect = {withdrawal_id, kind, version_id, new_id, old_id, ends_text};
    if (store_withdrawals_effect_insert(conn, &effect, err) != 0)
        return -1;
    json_t *details = json_pack("{s:I, s:I, s:s, s:I, s:s}", "organisation_id", (json_int_t)organisation_id,
                                "withdrawal_id", (json_int_t)withdrawal_id, "effect", kind,
                                "previous_basis_id", (json_int_t)old_id, "until", ends_text);
    int rc = audit_append(conn, err, actor, new_id ? "basis.ended_by_withdrawal" : "withdrawal.basis_already_ended",
                          "basis", new_id ? new_id : old_id, details);
    json_decref(details);
    return rc;
}

/* A correction first restores what the old entry did: the signature row it ended is
 * superseded by a copy carrying its predecessor's until and ended_by. */
static int withdrawals_undo_effect(store_conn *conn, long long withdrawal_id, const audit_actor *actor,
                                   alvd_err *err)
{
    char ended_by[48], kind[32];
    long long new_id = 0;
    snprintf(ended_by, sizeof ended_by, "withdrawal:%lld", withdrawal_id);
    if (store_withdrawals_last_effect_kind(conn, withdrawal_id, kind, sizeof kind, err) != 0)
        return -1;
    if (strcmp(kind, "ended") != 0)
        return 0; /* pending or without a change of the register: nothing to undo */
    store_basis_span ended;
    int found = 0;
    if (store_bases_ended_by(conn, ended_by, &ended, &found, err) != 0)
        return -1;
    if (!found) {
        /* Someone changed the basis by hand since; leave their change and say so. */
        json_t *details = json_pack("{s:s}", "note", "basis changed since the withdrawal; not restored");
        int rc = audit_append(conn, err, actor, "withdrawal.undo_skipped", "withdrawal", withdrawal_id, details);
        json_decref(details);
        return rc;
    }
    store_withdrawal_effect effect = {withdrawal_id, "undone", 0, 0, ended.id, NULL};
    if (withdrawals_supersede_basis(conn, ended.id, ended.has_until ? ended.until : NULL,
                                    ended.has_ended_by ? ended.ended_by : NULL, actor, &new_id, err) != 0)
        return -1;
    effect.basis_id = new_id;
    if (store_withdrawals_effect_insert(conn, &effect, err) != 0)
        return -1;
    json_t *details = json_pack("{s:I, s:I}", "withdrawal_id", (json_int_t)withdrawal_id, "previous_basis_id",
                                (json_int_t)ended.id);
    int rc = audit_append(conn, err, actor, "basis.withdrawal_undone", "basis", new_id, details);
    json_decref(details);
    return rc;
}

/* ------------------------------------------------------------------ recording */

/* The entry being corrected exists and is not corrected yet; its effect is undone. */
static int withdrawals_prepare_correction(store_conn *conn, long long corrects_id, const audit_actor *actor,
                                          alvd_err *err)
{
    long long superseded_by = 0;
    if (store_withdrawals_lock(conn, corrects_id, &superseded_by, err) != 0)
        return -1;
    if (superseded_by)
        return alvd_err_set(err, 409, "already_corrected", NULL,
                            "Deze registratie is al gecorrigeerd door registratie %lld; corrigeer die.",
                            superseded_by);
    return withdrawals_undo_effect(conn, corrects_id, actor, err);
}

/* The dates and digest an entry is written with (texts the insert borrows). */
typedef struct withdrawals_texts {
    char received[RULES_DATE_TEXT_SIZE], sent[RULES_DATE_TEXT_SIZE], deadline[RULES_DATE_TEXT_SIZE];
    char ends[RULES_DATE_TEXT_SIZE], sha256_hex[crypto_hash_sha256_BYTES * 2 + 1];
} withdrawals_texts;

/* Insert the entry; a correction marks the old one superseded by it. */
static int withdrawals_insert(store_conn *conn, const service_withdrawals_input *input, long long corrects_id,
                              const rules_withdrawal_assessment *a, const audit_actor *actor,
                              withdrawals_texts *texts, long long *id, alvd_err *err)
{
    rules_date_format(input->received_on, texts->received);
    if (input->has_sent_on)
        rules_date_format(input->sent_on, texts->sent);
    rules_date_format(a->concerned_deadline, texts->deadline);
    rules_date_format(a->signature_ends, texts->ends);
    if (input->proof_text) {
        unsigned char digest[crypto_hash_sha256_BYTES];
        crypto_hash_sha256(digest, (const unsigned char *)input->proof_text, strlen(input->proof_text));
        sodium_bin2hex(texts->sha256_hex, sizeof texts->sha256_hex, digest, sizeof digest);
    }
    int tracked = input->tracking_code[0] != '\0';
    store_withdrawal_fields fields = {
        input->organisation_id, texts->received, input->has_sent_on ? texts->sent : NULL, input->form,
        input->channel, tracked ? input->tracking_code : NULL,
        tracked ? rules_tracking_kind_name(input->tracking_kind) : NULL, input->scan_id, input->note,
        service_withdrawals_outcome_name(a->outcome), a->concerned_version_id,
        a->concerned_version_id ? texts->deadline : NULL, a->timely, a->effect_version_id,
        a->signature_end_known ? texts->ends : NULL, a->effect, corrects_id, input->correction_reason,
        input->proof_session_id, input->proof_contact_id, input->proof_contact_email, input->proof_text,
        input->proof_text ? texts->sha256_hex : NULL, actor->kind, actor->id, actor->label ? actor->label : ""};
    long long affected = 0;
    if (store_withdrawals_insert(conn, &fields, id, err) != 0)
        return -1;
    if (corrects_id > 0) {
        if (store_withdrawals_supersede(conn, corrects_id, *id, &affected, err) != 0)
            return -1;
        if (affected != 1)
            return alvd_err_set(err, 409, "already_corrected", NULL, "Deze registratie is intussen al gecorrigeerd.");
    }
    return 0;
}

static int withdrawals_audit_recorded(store_conn *conn, const service_withdrawals_input *input, long long corrects_id,
                                      const rules_withdrawal_assessment *a, const char *received,
                                      const audit_actor *actor, long long id, alvd_err *err)
{
    json_t *details = json_pack(
        "{s:I, s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:o}", "organisation_id",
        (json_int_t)input->organisation_id, "received_on", received, "form", input->form, "channel",
        input->channel, "outcome", service_withdrawals_outcome_name(a->outcome), "version_id",
        a->concerned_version_id ? json_integer(a->concerned_version_id) : json_null(), "effect_version_id",
        a->effect_version_id ? json_integer(a->effect_version_id) : json_null(), "tracking_code",
        input->tracking_code[0] ? json_string(input->tracking_code) : json_null(), "corrects_id",
        corrects_id > 0 ? json_integer(corrects_id) : json_null(), "reason",
        input->correction_reason ? json_string(input->correction_reason) : json_null());
    int audited = audit_append(conn, err, actor, corrects_id > 0 ? "withdrawal.corrected" : "withdrawal.recorded",
                               "withdrawal", id, details);
    json_decref(details);
    return audited;
}

int service_withdrawals_record(store_conn *conn, const service_withdrawals_input *input, long long corrects_id,
                               const audit_actor *actor, json_t **out, alvd_err *err)
{
    withdrawals_versions versions;
    service_withdrawals_evaluation evaluation;
    withdrawals_texts texts;
    memset(&texts, 0, sizeof texts);
    int own = !store_in_transaction(conn);
    long long id = 0;
    memset(&versions, 0, sizeof versions);
    if (out)
        *out = NULL;
    if (own && store_begin(conn, err) != 0)
        return -1;
    if ((corrects_id > 0 && withdrawals_prepare_correction(conn, corrects_id, actor, err) != 0) ||
        withdrawals_versions_load(conn, &versions, err) != 0 ||
        withdrawals_evaluate(conn, input, corrects_id, 1, &versions, &evaluation, err) != 0)
        goto fail;
    const rules_withdrawal_assessment *a = &evaluation.assessment;
    if (withdrawals_insert(conn, input, corrects_id, a, actor, &texts, &id, err) != 0 ||
        (a->signature_end_known &&
         withdrawals_apply_effect(conn, id, input->organisation_id, input->received_on, a->effect_version_id,
                                  a->signature_ends, actor, err) != 0) ||
        service_withdrawals_letter_confirmation(conn, id, input, &evaluation, corrects_id, err) != 0 ||
        withdrawals_audit_recorded(conn, input, corrects_id, a, texts.received, actor, id, err) != 0 ||
        (own && store_commit(conn, err) != 0))
        goto fail;
    if (out) {
        json_t *answer = withdrawals_evaluation_json(&evaluation, input);
        json_object_set_new(answer, "id", json_integer(id));
        json_object_set_new(answer, "state", json_string(a->signature_end_known ? "applied" : "pending"));
        json_object_set_new(answer, "corrects_id", corrects_id > 0 ? json_integer(corrects_id) : json_null());
        json_object_set_new(answer, "channel", json_string(input->channel));
        if (input->proof_text)
            json_object_set_new(answer, "proof_text_sha256", json_string(texts.sha256_hex));
        *out = answer;
    }
    withdrawals_versions_free(&versions);
    return 0;
fail:
    if (own)
        store_rollback(conn);
    withdrawals_versions_free(&versions);
    return -1;
}

/* ------------------------------------------------------------------ applying what waits */

/* Apply one waiting entry (row r of store_withdrawals_pending_before) when a scheduled
 * version's deadline is now met; *applied is set to 1 when it was. */
static int withdrawals_apply_one(store_conn *conn, const store_result *rows, size_t r,
                                 const withdrawals_versions *versions, long long version_id, int *applied,
                                 alvd_err *err)
{
    audit_actor system = {"system", 0, "withdrawals_apply_pending"};
    rules_withdrawal_assessment a;
    rules_day received;
    long long withdrawal_id = store_result_int(rows, r, 0);
    long long organisation_id = store_result_int(rows, r, 1);
    *applied = 0;
    if (withdrawals_day(store_result_text(rows, r, 2), &received) != 0 ||
        rules_assess_withdrawal(received, versions->items, versions->count, &a, err) != 0)
        return -1;
    if (!a.signature_end_known)
        return 0; /* still no scheduled version whose deadline it meets */
    if (withdrawals_apply_effect(conn, withdrawal_id, organisation_id, received, a.effect_version_id,
                                 a.signature_ends, &system, err) != 0)
        return -1;
    int mailed = service_withdrawals_letter_pending_applied(
        conn, withdrawal_id, organisation_id, store_result_text(rows, r, 3), received,
        withdrawals_version_label(versions, a.effect_version_id), a.signature_ends, err);
    json_t *details = json_pack("{s:I, s:I}", "version_id", (json_int_t)a.effect_version_id,
                                "scheduled_version_id", (json_int_t)version_id);
    int audited = mailed == 0 ? audit_append(conn, err, &system, "withdrawal.pending_applied", "withdrawal",
                                             withdrawal_id, details)
                              : -1;
    json_decref(details);
    *applied = audited == 0;
    return audited;
}

int service_withdrawals_apply_pending(store_conn *conn, long long version_id, alvd_err *err)
{
    withdrawals_versions versions;
    store_result *rows = NULL;
    int own = !store_in_transaction(conn);
    int applied = 0, found = 0;
    char effective[RULES_DATE_TEXT_SIZE];
    memset(&versions, 0, sizeof versions);
    if (own && store_begin(conn, err) != 0)
        return -1;
    if (store_withdrawals_version_effective(conn, version_id, effective, sizeof effective, &found, err) != 0)
        goto fail;
    if (!found) {
        alvd_err_set(err, 422, "unknown_version", "version_id", "Deze versie van de Code bestaat niet.");
        goto fail;
    }
    /* Only letters received before E can meet that version's deadline. */
    if (withdrawals_versions_load(conn, &versions, err) != 0 ||
        store_withdrawals_pending_before(conn, effective, &rows, err) != 0)
        goto fail;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        int one = 0;
        if (withdrawals_apply_one(conn, rows, r, &versions, version_id, &one, err) != 0)
            goto fail;
        applied += one;
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

int service_withdrawals_apply_pending_now(store_conn *conn, const audit_actor *actor, long long version_id,
                                          int *applied, alvd_err *err)
{
    if (store_begin(conn, err) != 0)
        return -1;
    *applied = service_withdrawals_apply_pending(conn, version_id, err);
    json_t *details = json_pack("{s:I, s:i}", "version_id", (json_int_t)version_id, "applied", *applied);
    int rc = *applied < 0 ? -1 : audit_append(conn, err, actor, "withdrawal.apply_pending", "code_version",
                                              version_id, details);
    json_decref(details);
    if (rc != 0 || store_commit(conn, err) != 0) {
        store_rollback(conn);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------ reading */

int service_withdrawals_preview(store_conn *conn, const service_withdrawals_input *input, long long corrects_id,
                                json_t **out, alvd_err *err)
{
    withdrawals_versions versions;
    service_withdrawals_evaluation evaluation;
    if (withdrawals_versions_load(conn, &versions, err) != 0)
        return -1;
    int rc = withdrawals_evaluate(conn, input, corrects_id, 0, &versions, &evaluation, err);
    withdrawals_versions_free(&versions);
    if (rc != 0)
        return -1;
    *out = withdrawals_evaluation_json(&evaluation, input);
    json_object_set_new(*out, "preview", json_true());
    return 0;
}

/* One entry of the list or detail, with "timely" as a boolean and its state. */
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

int service_withdrawals_list(store_conn *conn, long long version_id, long long organisation_id, int all,
                             json_t **out, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_withdrawals_list(conn, version_id, organisation_id, all, &rows, err) != 0)
        return -1;
    json_t *items = json_array();
    for (size_t r = 0; r < store_result_rows(rows); r++)
        json_array_append_new(items, withdrawals_row_json(rows, r));
    store_result_free(rows);
    *out = json_pack("{s:o}", "items", items);
    return 0;
}

/* The proof and scan parts of the detail, from the row of store_withdrawals_proof. */
static void withdrawals_proof_json(json_t *item, const store_result *proof)
{
    const char *label = store_result_text_by_name(proof, 0, "effect_version_label");
    json_object_set_new(item, "effect_version_label", json_string(label ? label : ""));
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
}

int service_withdrawals_detail(store_conn *conn, long long id, json_t **out, alvd_err *err)
{
    store_result *rows = NULL, *effects = NULL, *proof = NULL;
    int rc = -1;
    if (store_withdrawals_load(conn, id, &rows, err) != 0 || store_withdrawals_effects(conn, id, &effects, err) != 0 ||
        store_withdrawals_proof(conn, id, &proof, err) != 0)
        goto done;
    json_t *item = withdrawals_row_json(rows, 0);
    json_object_set_new(item, "effects", store_result_json(effects));
    withdrawals_proof_json(item, proof);
    *out = item;
    rc = 0;
done:
    store_result_free(rows);
    store_result_free(effects);
    store_result_free(proof);
    return rc;
}

/* ------------------------------------------------------------------ online notice */

/* The organisation and its own current entries, without the secretariat's internal note. */
static int withdrawals_my_entries(store_conn *conn, long long organisation_id, json_t *answer, alvd_err *err)
{
    char name[RULES_MEMBER_NAME_MAX * 4 + 1];
    int found = 0;
    store_result *rows = NULL;
    if (store_organisations_name(conn, organisation_id, 0, name, sizeof name, &found, err) != 0)
        return -1;
    json_object_set_new(answer, "organisation",
                        json_pack("{s:I, s:s}", "id", (json_int_t)organisation_id, "name", name));
    if (store_withdrawals_of_organisation(conn, organisation_id, &rows, err) != 0)
        return -1;
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
    return 0;
}

int service_withdrawals_my_position(store_conn *conn, long long organisation_id, rules_day today, json_t **out,
                                    alvd_err *refusal, alvd_err *err)
{
    service_withdrawals_input input;
    withdrawals_versions versions;
    service_withdrawals_evaluation evaluation;
    memset(&input, 0, sizeof input);
    input.organisation_id = organisation_id;
    input.received_on = today;
    input.form = "email";
    input.channel = "online";
    if (withdrawals_versions_load(conn, &versions, err) != 0)
        return -1;
    json_t *answer = json_object();
    int evaluated = withdrawals_evaluate(conn, &input, 0, 0, &versions, &evaluation, refusal);
    withdrawals_versions_free(&versions);
    if (evaluated == 0) {
        json_object_set_new(answer, "preview", withdrawals_evaluation_json(&evaluation, &input));
        json_object_set_new(answer, "can_send", json_true());
    } else if (refusal->status == 422 && strcmp(refusal->code, "unknown_organisation") == 0) {
        json_decref(answer);
        return alvd_err_set(err, 404, "not_found", NULL, "Uw organisatie staat niet in het register.");
    } else {
        json_object_set_new(answer, "can_send", json_false());
        json_object_set_new(answer, "refusal", json_pack("{s:s}", "code", refusal->code));
    }
    if (withdrawals_my_entries(conn, organisation_id, answer, err) != 0) {
        json_decref(answer);
        return -1;
    }
    json_object_set_new(answer, "today", withdrawals_date_json(1, today));
    *out = answer;
    return 0;
}

int service_withdrawals_notice(store_conn *conn, const audit_actor *actor, long long organisation_id,
                               long long contact_id, long long session_id, const char *text, rules_day today,
                               json_t **out, alvd_err *err)
{
    service_withdrawals_input input;
    char email[RULES_MEMBER_EMAIL_MAX * 4 + 1] = ""; /* characters of up to 4 bytes in UTF-8 */
    if (contact_id > 0 && store_contacts_email(conn, contact_id, organisation_id, email, sizeof email, err) != 0)
        return -1;
    memset(&input, 0, sizeof input);
    input.organisation_id = organisation_id;
    input.received_on = today; /* an online notice is received when it is sent */
    input.form = "email";
    input.channel = "online";
    input.proof_session_id = session_id;
    input.proof_contact_id = contact_id;
    input.proof_contact_email = email[0] ? email : NULL;
    input.proof_text = text;
    audit_actor sender = *actor;
    if (email[0])
        sender.label = email;
    if (service_withdrawals_record(conn, &input, 0, &sender, out, err) != 0) {
        if (err->status == 422 && strcmp(err->code, "unknown_organisation") == 0)
            alvd_err_set(err, 404, "not_found", NULL, "Uw organisatie staat niet in het register.");
        return -1;
    }
    return 0;
}
