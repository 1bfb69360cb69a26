/* The letters a withdrawal sends: the confirmation to the organisation (dates in words,
 * what it does to its binding) and the notice when a waiting withdrawal starts to work. */
#include "alvd/service/withdrawals.h"

#include <stdio.h>
#include <string.h>

#include "alvd/base/buf.h"
#include "alvd/mail/outbox.h"
#include "alvd/store/contacts.h"

#define WITHDRAWALS_MAIL_CAP (32 * 1024)

static const char *withdrawals_form_text(const char *form)
{
    if (strcmp(form, "registered") == 0)
        return "aangetekende brief";
    if (strcmp(form, "letter") == 0)
        return "brief";
    return "e-mail";
}

/* Queue one message per contact person (or to the organisation's own address when it
 * has none); body follows "Beste <name>,". */
static int withdrawals_mail_organisation(store_conn *conn, long long organisation_id, const char *subject,
                                         const char *body, alvd_err *err)
{
    store_result *rows = NULL;
    alvd_buf text;
    int rc = -1;
    buf_init(&text, WITHDRAWALS_MAIL_CAP);
    if (store_contacts_recipients(conn, organisation_id, &rows, err) != 0)
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
static void withdrawals_effect_words(const rules_withdrawal_assessment *a,
                                     const service_withdrawals_evaluation *evaluation, alvd_buf *out)
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

int service_withdrawals_letter_confirmation(store_conn *conn, long long withdrawal_id,
                                            const service_withdrawals_input *input,
                                            const service_withdrawals_evaluation *evaluation, long long corrects_id,
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

int service_withdrawals_letter_pending_applied(store_conn *conn, long long withdrawal_id, long long organisation_id,
                                               const char *organisation_name, rules_day received,
                                               const char *version_label, rules_day signature_ends, alvd_err *err)
{
    char ends[RULES_LONG_DATE_SIZE], received_long[RULES_LONG_DATE_SIZE], subject[160];
    alvd_buf body;
    buf_init(&body, WITHDRAWALS_MAIL_CAP);
    buf_appendf(&body,
                "Uw intrekking van de ondertekening van de Code, ontvangen op %s (kenmerk INT-%lld), "
                "werkt nu voor versie %s van de Code: de ondertekening van %s eindigt op %s. U wordt op "
                "grond van uw ondertekening niet aan die versie gebonden.\n\n"
                "Met vriendelijke groet,\nSecretariaat KSF\n",
                rules_date_format_long(received, RULES_LANG_NL, received_long, sizeof received_long),
                withdrawal_id, version_label, organisation_name,
                rules_date_format_long(signature_ends, RULES_LANG_NL, ends, sizeof ends));
    snprintf(subject, sizeof subject, "Uw intrekking van de Code werkt nu (kenmerk INT-%lld)", withdrawal_id);
    int mailed = withdrawals_mail_organisation(conn, organisation_id, subject, body.data, err);
    buf_free(&body);
    return mailed;
}
