/* R3/R4/R5/R7 deadline rules: every date is D or E plus or minus whole days,
 * and every outcome carries the Dutch sentence the secretariat shows. */
#include "alvd/rules/deadlines.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "alvd/rules/holidays.h"

rules_day rules_earliest_effective_date(rules_day decision)
{
    return rules_day_add_days(decision, RULES_EFFECTIVE_MIN_DAYS);
}

int rules_check_effective_date(rules_day decision, rules_day effective,
                               rules_effective_check *out, alvd_err *err)
{
    char decision_text[RULES_DATE_TEXT_SIZE], earliest_text[RULES_DATE_TEXT_SIZE];
    rules_day earliest = rules_earliest_effective_date(decision);
    rules_date_format(decision, decision_text);
    rules_date_format(earliest, earliest_text);
    if (effective < earliest)
        return alvd_err_set(err, 422, "effective_date_too_early", "effective_date",
                            "De ingangsdatum moet ten minste 6 weken na het ALV-besluit van "
                            "%s liggen; de vroegst mogelijke datum is %s.",
                            decision_text, earliest_text);
    memset(out, 0, sizeof *out);
    out->earliest = earliest;
    out->is_earliest = effective == earliest;
    if (out->is_earliest)
        snprintf(out->note, sizeof out->note,
                 "%s is de vroegst mogelijke ingangsdatum: precies 6 weken na het "
                 "ALV-besluit van %s.",
                 earliest_text, decision_text);
    return 0;
}

rules_day rules_decision_day(int64_t poll_closed_at)
{
    return rules_amsterdam_day(poll_closed_at);
}

int rules_check_new_version(rules_day today, int register_empty, int has_decision, rules_day decided_on,
                            rules_day effective, alvd_err *err)
{
    char today_text[RULES_DATE_TEXT_SIZE], effective_text[RULES_DATE_TEXT_SIZE], other[RULES_DATE_TEXT_SIZE];
    rules_date_format(today, today_text);
    rules_date_format(effective, effective_text);
    if (register_empty)
        return 0; /* the Code as first adopted: it may record a date already past */
    if (effective < today)
        return alvd_err_set(err, 422, "retroactive", "effective_from",
                            "Een wijziging van de Code werkt niet terug (art. 7): de ingangsdatum %s ligt vóór "
                            "vandaag (%s).",
                            effective_text, today_text);
    if (!has_decision)
        return alvd_err_set(err, 422, "required", "decided_on",
                            "Noem de datum van het ALV-besluit dat deze versie uitvoert; alleen de eerste versie "
                            "van een leeg register kan zonder.");
    if (decided_on > today)
        return alvd_err_set(err, 422, "decided_in_future", "decided_on",
                            "Het ALV-besluit van %s ligt na vandaag (%s); een versie voert alleen een genomen "
                            "besluit uit.",
                            rules_date_format(decided_on, other), today_text);
    rules_effective_check check;
    if (rules_check_effective_date(decided_on, effective, &check, err) != 0) {
        if (err)
            snprintf(err->field, sizeof err->field, "effective_from");
        return -1;
    }
    rules_day deadline = rules_withdrawal_deadline_day(effective);
    if (deadline < today)
        return alvd_err_set(err, 422, "withdrawal_window_closed", "effective_from",
                            "Met ingangsdatum %s zou de uiterste ontvangstdatum voor intrekkingen (%s) al voorbij "
                            "zijn; ondertekenaars moeten hun ondertekening kunnen intrekken. Kies %s of later.",
                            effective_text, rules_date_format(deadline, other),
                            rules_date_format(rules_day_add_days(today, RULES_WITHDRAWAL_DAYS_BEFORE), today_text));
    return 0;
}

rules_day rules_withdrawal_deadline_day(rules_day effective)
{
    return rules_day_add_days(effective, -RULES_WITHDRAWAL_DAYS_BEFORE);
}

void rules_withdrawal_deadline_for(rules_day effective, int send_by_working_days,
                                   rules_withdrawal_deadline *out)
{
    /* People read these sentences (the deadlines page, the calendar): dates in words. */
    char deadline_text[RULES_LONG_DATE_SIZE], send_by_text[RULES_LONG_DATE_SIZE];
    if (send_by_working_days <= 0)
        send_by_working_days = RULES_SEND_BY_WORKING_DAYS;
    memset(out, 0, sizeof *out);
    out->effective = effective;
    out->deadline = rules_withdrawal_deadline_day(effective);
    out->send_by = rules_send_by(out->deadline, send_by_working_days);
    out->on_weekend = rules_is_weekend(out->deadline);
    out->holiday_name = rules_holiday_name(out->deadline);
    rules_date_format_long(out->deadline, RULES_LANG_NL, deadline_text, sizeof deadline_text);
    rules_date_format_long(out->send_by, RULES_LANG_NL, send_by_text, sizeof send_by_text);

    /* R4: the term is contractual and counted backwards, so it never moves; R7 only
     * asks us to warn. */
    if (out->holiday_name != NULL && out->on_weekend)
        snprintf(out->warning, sizeof out->warning,
                 "Let op: de uiterste ontvangstdatum, %s, valt in het weekend en is een feestdag (%s); "
                 "de termijn schuift daardoor niet op.",
                 deadline_text, out->holiday_name);
    else if (out->holiday_name != NULL)
        snprintf(out->warning, sizeof out->warning,
                 "Let op: de uiterste ontvangstdatum, %s, is een feestdag (%s); "
                 "de termijn schuift daardoor niet op.",
                 deadline_text, out->holiday_name);
    else if (out->on_weekend)
        snprintf(out->warning, sizeof out->warning,
                 "Let op: de uiterste ontvangstdatum, %s, valt in het weekend; "
                 "de termijn schuift daardoor niet op.",
                 deadline_text);
    snprintf(out->advice, sizeof out->advice,
             "Verstuur de brief uiterlijk op %s (%d %s voor de uiterste ontvangstdatum, %s).", send_by_text,
             send_by_working_days, send_by_working_days == 1 ? "werkdag" : "werkdagen", deadline_text);
}

int rules_withdrawal_is_timely(rules_day received, rules_day effective)
{
    return received <= rules_withdrawal_deadline_day(effective);
}

/* Copy a label of at most 40 bytes into buffer, cutting only before a UTF-8 lead
 * byte so the sentence stays valid UTF-8 for JSON; "#id" when there is no label. */
static const char *version_label(const rules_scheduled_version *version, char *buffer,
                                 size_t size)
{
    if (version->label == NULL || version->label[0] == '\0') {
        snprintf(buffer, size, "#%" PRId64, version->id);
        return buffer;
    }
    size_t length = strnlen(version->label, 41);
    if (length > 40) {
        length = 40;
        while (length > 0 && ((unsigned char)version->label[length] & 0xC0) == 0x80)
            length--;
    }
    if (length >= size)
        length = size - 1;
    memcpy(buffer, version->label, length);
    buffer[length] = '\0';
    return buffer;
}

/* Earlier E first; on equal E the lower id, so the order is total and stable. */
static int version_before(const rules_scheduled_version *a, const rules_scheduled_version *b)
{
    return a->effective < b->effective || (a->effective == b->effective && a->id < b->id);
}

int rules_assess_withdrawal(rules_day received, const rules_scheduled_version *versions,
                            size_t count, rules_withdrawal_assessment *out, alvd_err *err)
{
    const rules_scheduled_version *concerned = NULL;
    const rules_scheduled_version *effect = NULL;
    char received_text[RULES_DATE_TEXT_SIZE];

    for (size_t i = 0; i < count; i++)
        if (versions[i].id <= 0)
            return alvd_err_set(err, 422, "bad_version", "versions",
                                "Een geplande versie heeft geen geldig nummer.");

    memset(out, 0, sizeof *out);
    rules_date_format(received, received_text);

    /* The letter concerns the first version that is not yet in force on receipt. */
    for (size_t i = 0; i < count; i++)
        if (versions[i].effective > received &&
            (concerned == NULL || version_before(&versions[i], concerned)))
            concerned = &versions[i];

    if (concerned == NULL) {
        out->outcome = RULES_WITHDRAWAL_NO_VERSION;
        out->pending = 1;
        snprintf(out->effect, sizeof out->effect,
                 "Na de ontvangst op %s is geen wijziging van de Code gepland: de intrekking "
                 "werkt bij de eerstvolgende wijziging waarvan zij de termijn haalt.",
                 received_text);
        return 0;
    }

    char label_buffer[48], concerned_e[RULES_DATE_TEXT_SIZE], concerned_w[RULES_DATE_TEXT_SIZE];
    const char *concerned_label = version_label(concerned, label_buffer, sizeof label_buffer);
    out->concerned_version_id = concerned->id;
    out->concerned_effective = concerned->effective;
    out->concerned_deadline = rules_withdrawal_deadline_day(concerned->effective);
    out->timely = received <= out->concerned_deadline;
    rules_date_format(out->concerned_effective, concerned_e);
    rules_date_format(out->concerned_deadline, concerned_w);

    if (out->timely) {
        out->outcome = RULES_WITHDRAWAL_TIMELY;
        out->effect_version_id = concerned->id;
        out->effect_effective = concerned->effective;
        out->signature_end_known = 1;
        out->signature_ends = rules_day_add_days(concerned->effective, -1);
        char ends[RULES_DATE_TEXT_SIZE];
        snprintf(out->effect, sizeof out->effect,
                 "Tijdig: ontvangen op %s, uiterlijk %s was toegestaan voor versie %s (ingang "
                 "%s). De ondertekening eindigt op %s; de organisatie wordt op grond van haar "
                 "ondertekening niet aan die versie gebonden.",
                 received_text, concerned_w, concerned_label, concerned_e,
                 rules_date_format(out->signature_ends, ends));
        return 0;
    }

    /* Late (R5): bound to the concerned version from its E; the withdrawal works for
     * the first later version whose own deadline the letter still meets. */
    for (size_t i = 0; i < count; i++) {
        const rules_scheduled_version *candidate = &versions[i];
        if (!version_before(concerned, candidate))
            continue;
        if (candidate->effective <= concerned->effective)
            continue; /* same E as the concerned version: it binds at the same moment */
        if (!rules_withdrawal_is_timely(received, candidate->effective))
            continue;
        if (effect == NULL || version_before(candidate, effect))
            effect = candidate;
    }

    char late[256];
    snprintf(late, sizeof late,
             "Te laat voor versie %s: ontvangen op %s, uiterlijk %s was toegestaan. De "
             "organisatie is vanaf %s aan die versie gebonden.",
             concerned_label, received_text, concerned_w, concerned_e);
    if (effect != NULL) {
        char effect_label_buffer[48], effect_e[RULES_DATE_TEXT_SIZE], ends[RULES_DATE_TEXT_SIZE];
        out->outcome = RULES_WITHDRAWAL_LATE_NEXT;
        out->effect_version_id = effect->id;
        out->effect_effective = effect->effective;
        out->signature_end_known = 1;
        out->signature_ends = rules_day_add_days(effect->effective, -1);
        snprintf(out->effect, sizeof out->effect,
                 "%s De intrekking werkt voor versie %s (ingang %s): de ondertekening eindigt "
                 "op %s.",
                 late, version_label(effect, effect_label_buffer, sizeof effect_label_buffer),
                 rules_date_format(effect->effective, effect_e),
                 rules_date_format(out->signature_ends, ends));
    } else {
        out->outcome = RULES_WITHDRAWAL_LATE_PENDING;
        out->pending = 1;
        snprintf(out->effect, sizeof out->effect,
                 "%s De intrekking werkt bij de eerstvolgende wijziging waarvan zij de termijn "
                 "haalt.",
                 late);
    }
    return 0;
}

/* "1 dag", "14 dagen". */
static const char *notice_days_word(long long days)
{
    return days == 1 || days == -1 ? "dag" : "dagen";
}

void rules_check_meeting_notice(rules_day sent, rules_day meeting, int notice_days, int already_sent,
                                rules_notice_check *out)
{
    if (notice_days <= 0)
        notice_days = RULES_NOTICE_DAYS_DEFAULT;
    memset(out, 0, sizeof *out);
    out->latest_send = rules_day_add_days(meeting, -notice_days);
    out->days_given = rules_days_between(sent, meeting);
    out->sufficient = sent <= out->latest_send;
    if (out->sufficient)
        return;
    char sent_text[RULES_LONG_DATE_SIZE], latest_text[RULES_LONG_DATE_SIZE], meeting_text[RULES_LONG_DATE_SIZE];
    char when[96];
    rules_date_format_long(sent, RULES_LANG_NL, sent_text, sizeof sent_text);
    rules_date_format_long(out->latest_send, RULES_LANG_NL, latest_text, sizeof latest_text);
    rules_date_format_long(meeting, RULES_LANG_NL, meeting_text, sizeof meeting_text);
    if (out->days_given > 0)
        snprintf(when, sizeof when, "%d %s voor", (int)out->days_given, notice_days_word(out->days_given));
    else if (out->days_given == 0)
        snprintf(when, sizeof when, "op de dag van");
    else
        snprintf(when, sizeof when, "na");
    /* The law sets no notice term for a general meeting (BW 2:41; the 7 days of 2:42
     * lid 1 are for amending the statutes): the term is the association's own. */
    if (already_sent)
        snprintf(out->warning, sizeof out->warning,
                 "Let op: de oproeping is verstuurd op %s, %s de vergadering van %s. De eigen oproepingstermijn van "
                 "de vereniging is %d %s, dus uiterlijk op %s.",
                 sent_text, when, meeting_text, notice_days, notice_days_word(notice_days), latest_text);
    else
        snprintf(out->warning, sizeof out->warning,
                 "Let op: een oproeping die vandaag (%s) uitgaat, komt %s de vergadering van %s. De eigen "
                 "oproepingstermijn van de vereniging is %d %s: de oproeping had uiterlijk op %s moeten uitgaan.",
                 sent_text, when, meeting_text, notice_days, notice_days_word(notice_days), latest_text);
}

