/* Pure rules of the yearly amendment cycle: which state may follow which, what the
 * board may do in each state, article ids, change checks, round windows, reminders. */
#include "alvd/rules/cycle.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alvd/rules/dates.h"

static const struct {
    rules_cycle_state state;
    const char *name;
    const char *label;
} cycle_states[] = {
    {RULES_CYCLE_REVIEW, "review", "beoordeling"},
    {RULES_CYCLE_DRAFTING, "drafting", "voorstellen opstellen"},
    {RULES_CYCLE_CONSULTATION, "consultation", "consultatie"},
    {RULES_CYCLE_ALV, "alv", "ALV"},
    {RULES_CYCLE_CLOSED, "closed", "afgesloten"},
};

const char *rules_cycle_state_name(rules_cycle_state state)
{
    for (size_t i = 0; i < sizeof cycle_states / sizeof cycle_states[0]; i++)
        if (cycle_states[i].state == state)
            return cycle_states[i].name;
    return "";
}

const char *rules_cycle_state_label(rules_cycle_state state)
{
    for (size_t i = 0; i < sizeof cycle_states / sizeof cycle_states[0]; i++)
        if (cycle_states[i].state == state)
            return cycle_states[i].label;
    return "";
}

rules_cycle_state rules_cycle_state_parse(const char *name)
{
    for (size_t i = 0; name && i < sizeof cycle_states / sizeof cycle_states[0]; i++)
        if (strcmp(cycle_states[i].name, name) == 0)
            return cycle_states[i].state;
    return 0;
}

int rules_cycle_transition_allowed(rules_cycle_state from, rules_cycle_state to, int rounds_held)
{
    switch (from) {
    case RULES_CYCLE_REVIEW:
        return to == RULES_CYCLE_DRAFTING;
    case RULES_CYCLE_DRAFTING:
        return to == RULES_CYCLE_CONSULTATION || (to == RULES_CYCLE_ALV && rounds_held > 0);
    case RULES_CYCLE_CONSULTATION:
        return to == RULES_CYCLE_DRAFTING || (to == RULES_CYCLE_ALV && rounds_held > 0);
    case RULES_CYCLE_ALV:
        return to == RULES_CYCLE_CLOSED;
    case RULES_CYCLE_CLOSED:
    default:
        return 0;
    }
}

int rules_cycle_check_transition(rules_cycle_state from, rules_cycle_state to, int rounds_held,
                                 alvd_err *err)
{
    if (rules_cycle_transition_allowed(from, to, rounds_held))
        return 0;
    if (to == RULES_CYCLE_ALV && (from == RULES_CYCLE_DRAFTING || from == RULES_CYCLE_CONSULTATION))
        return alvd_err_set(err, 422, "bad_transition", "state",
                            "De voorstellen gaan pas naar de ALV na ten minste één "
                            "consultatieronde (Code art. 7).");
    char allowed[160] = "";
    size_t used = 0;
    for (size_t i = 0; i < sizeof cycle_states / sizeof cycle_states[0]; i++) {
        if (!rules_cycle_transition_allowed(from, cycle_states[i].state, 1))
            continue;
        int written = snprintf(allowed + used, sizeof allowed - used, "%s%s", used ? " of " : "",
                               cycle_states[i].label);
        if (written > 0 && (size_t)written < sizeof allowed - used)
            used += (size_t)written;
    }
    if (used == 0)
        return alvd_err_set(err, 422, "bad_transition", "state",
                            "De cyclus is afgesloten; de fase kan niet meer veranderen.");
    /* The phases in words, as the board's page names them (never the internal names). */
    return alvd_err_set(err, 422, "bad_transition", "state",
                        "Vanuit de fase %s kan de cyclus alleen naar de fase %s.",
                        rules_cycle_state_label(from), allowed);
}

int rules_cycle_check_action(rules_cycle_state state, rules_cycle_action action, alvd_err *err)
{
    int allowed = 0;
    switch (action) {
    case RULES_CYCLE_EDIT_PROPOSALS:
    case RULES_CYCLE_OPEN_ROUND:
        allowed = state == RULES_CYCLE_REVIEW || state == RULES_CYCLE_DRAFTING ||
                  state == RULES_CYCLE_CONSULTATION;
        break;
    case RULES_CYCLE_MARK_READY:
        allowed = state == RULES_CYCLE_DRAFTING || state == RULES_CYCLE_CONSULTATION ||
                  state == RULES_CYCLE_ALV;
        break;
    }
    if (allowed)
        return 0;
    const char *what = action == RULES_CYCLE_EDIT_PROPOSALS ? "voorstellen opstellen of wijzigen"
                       : action == RULES_CYCLE_OPEN_ROUND   ? "een consultatieronde openen"
                                                            : "een voorstel gereed melden voor de ALV";
    const char *when = action == RULES_CYCLE_MARK_READY ? "in de fasen opstellen, consultatie en ALV"
                                                         : "tot de cyclus naar de ALV gaat";
    return alvd_err_set(err, 422, "cycle_state", "state",
                        "De cyclus is in de fase %s; %s kan alleen %s.",
                        rules_cycle_state_label(state), what, when);
}

rules_cycle_state rules_cycle_state_after(rules_cycle_state state, rules_cycle_action action)
{
    if (action == RULES_CYCLE_EDIT_PROPOSALS && state == RULES_CYCLE_REVIEW)
        return RULES_CYCLE_DRAFTING;
    if (action == RULES_CYCLE_OPEN_ROUND && (state == RULES_CYCLE_REVIEW || state == RULES_CYCLE_DRAFTING))
        return RULES_CYCLE_CONSULTATION;
    return state;
}

/* ---- articles and changes ---- */

int rules_article_id_valid(const char *id)
{
    if (id == NULL || id[0] < '1' || id[0] > '9')
        return 0;
    size_t digits = 0;
    while (id[digits] >= '0' && id[digits] <= '9')
        digits++;
    if (digits > 3)
        return 0;
    if (id[digits] == '\0')
        return 1;
    return id[digits] >= 'a' && id[digits] <= 'z' && id[digits + 1] == '\0';
}

int rules_article_id_compare(const char *left, const char *right)
{
    long left_number = 0, right_number = 0;
    const char *l = left, *r = right;
    while (*l >= '0' && *l <= '9')
        left_number = left_number * 10 + (*l++ - '0');
    while (*r >= '0' && *r <= '9')
        right_number = right_number * 10 + (*r++ - '0');
    if (left_number != right_number)
        return left_number < right_number ? -1 : 1;
    int order = strcmp(l, r);
    return order < 0 ? -1 : order > 0 ? 1 : 0;
}

rules_change_action rules_change_action_parse(const char *name)
{
    if (name == NULL)
        return 0;
    if (strcmp(name, "replace") == 0)
        return RULES_CHANGE_REPLACE;
    if (strcmp(name, "insert") == 0)
        return RULES_CHANGE_INSERT;
    if (strcmp(name, "delete") == 0)
        return RULES_CHANGE_DELETE;
    return 0;
}

const char *rules_change_action_name(rules_change_action action)
{
    return action == RULES_CHANGE_REPLACE  ? "replace"
           : action == RULES_CHANGE_INSERT ? "insert"
           : action == RULES_CHANGE_DELETE ? "delete"
                                           : "";
}

int rules_change_check(const char *article_id, rules_change_action action, int exists_in_base,
                       int has_text, alvd_err *err)
{
    if (!rules_article_id_valid(article_id))
        return alvd_err_set(err, 422, "bad_article", "changes",
                            "'%s' is geen artikelnummer; gebruik een nummer met eventueel één "
                            "letter, zoals '7' of '6e'.", article_id ? article_id : "");
    switch (action) {
    case RULES_CHANGE_REPLACE:
    case RULES_CHANGE_DELETE:
        if (!exists_in_base)
            return alvd_err_set(err, 422, "unknown_article", "changes",
                                "Artikel %s staat niet in de Code die nu geldt; alleen een bestaand "
                                "artikel kunt u %s. Kies 'Nieuw artikel' om een artikel toe te voegen.",
                                article_id, action == RULES_CHANGE_REPLACE ? "vervangen" : "schrappen");
        if (action == RULES_CHANGE_REPLACE && !has_text)
            return alvd_err_set(err, 422, "text_required", "changes",
                                "Geef de nieuwe tekst van artikel %s.", article_id);
        if (action == RULES_CHANGE_DELETE && has_text)
            return alvd_err_set(err, 422, "text_not_allowed", "changes",
                                "Bij het schrappen van artikel %s hoort geen nieuwe tekst.",
                                article_id);
        return 0;
    case RULES_CHANGE_INSERT:
        if (exists_in_base)
            return alvd_err_set(err, 422, "article_exists", "changes",
                                "Artikel %s bestaat al; kies een nieuw nummer (zoals '6e') of "
                                "kies 'Vervangen'.", article_id);
        if (!has_text)
            return alvd_err_set(err, 422, "text_required", "changes",
                                "Geef de tekst van het nieuwe artikel %s.", article_id);
        return 0;
    default:
        return alvd_err_set(err, 422, "bad_choice", "changes",
                            "Kies bij elke wijziging Vervangen, Nieuw artikel of Schrappen.");
    }
}

/* ---- instants and rounds ---- */

static int cycle_digits(const char *text, size_t count, int *out)
{
    int value = 0;
    for (size_t i = 0; i < count; i++) {
        if (text[i] < '0' || text[i] > '9')
            return -1;
        value = value * 10 + (text[i] - '0');
    }
    *out = value;
    return 0;
}

int rules_instant_parse(const char *text, const char *field, int64_t *unix_seconds, alvd_err *err)
{
    int year, month, mday, hour, minute, second, offset_hours = 0, offset_minutes = 0, sign = 0;
    const char *p = text;
    if (text == NULL || strlen(text) < 20 || cycle_digits(p, 4, &year) != 0 || p[4] != '-' ||
        cycle_digits(p + 5, 2, &month) != 0 || p[7] != '-' || cycle_digits(p + 8, 2, &mday) != 0 ||
        (p[10] != 'T' && p[10] != 't') || cycle_digits(p + 11, 2, &hour) != 0 || p[13] != ':' ||
        cycle_digits(p + 14, 2, &minute) != 0 || p[16] != ':' || cycle_digits(p + 17, 2, &second) != 0)
        goto bad;
    p += 19;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            goto bad;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'Z' || *p == 'z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        sign = *p == '-' ? -1 : 1;
        if (cycle_digits(p + 1, 2, &offset_hours) != 0 || p[3] != ':' ||
            cycle_digits(p + 4, 2, &offset_minutes) != 0 || offset_hours > 23 || offset_minutes > 59)
            goto bad;
        p += 6;
    } else {
        goto bad;
    }
    if (*p != '\0' || !rules_date_is_valid(year, month, mday) || hour > 23 || minute > 59 || second > 59)
        goto bad;
    int64_t seconds = (int64_t)rules_day_from_ymd(year, month, mday) * 86400 + hour * 3600 +
                      minute * 60 + second;
    seconds -= (int64_t)sign * (offset_hours * 3600 + offset_minutes * 60);
    *unix_seconds = seconds;
    return 0;
bad:
    return alvd_err_set(err, 400, "bad_instant", field,
                        "Geef een tijdstip als RFC 3339, bijvoorbeeld 2026-03-02T09:00:00+01:00.");
}

char *rules_instant_sql(int64_t unix_seconds, char out[20])
{
    int64_t days = unix_seconds / 86400, rest = unix_seconds % 86400;
    if (rest < 0) {
        rest += 86400;
        days--;
    }
    int year, month, mday;
    rules_day_to_ymd((rules_day)days, &year, &month, &mday);
    snprintf(out, 20, "%04d-%02d-%02d %02d:%02d:%02d", year, month, mday, (int)(rest / 3600),
             (int)(rest % 3600 / 60), (int)(rest % 60));
    return out;
}

char *rules_instant_dutch(int64_t unix_seconds, char out[64])
{
    rules_local_time local;
    char date[RULES_LONG_DATE_SIZE];
    rules_amsterdam_local(unix_seconds, &local);
    rules_date_format_long(local.day, RULES_LANG_NL, date, sizeof date);
    snprintf(out, 64, "%s %02d:%02d", date, local.hour, local.minute);
    return out;
}

int rules_round_check_instants(int64_t opens, int64_t closes, alvd_err *err)
{
    if (closes - opens < RULES_ROUND_MIN_SECONDS)
        return alvd_err_set(err, 422, "bad_window", "closes_at",
                            "Een consultatieronde sluit ten minste een uur na de opening.");
    if (closes - opens > RULES_ROUND_MAX_SECONDS)
        return alvd_err_set(err, 422, "bad_window", "closes_at",
                            "Een consultatieronde duurt hoogstens een jaar.");
    return 0;
}

rules_round_phase rules_round_phase_at(int64_t opens, int64_t closes, int64_t now)
{
    if (now < opens)
        return RULES_ROUND_UPCOMING;
    if (now < closes)
        return RULES_ROUND_OPEN;
    return RULES_ROUND_CLOSED;
}

const char *rules_round_phase_name(rules_round_phase phase)
{
    return phase == RULES_ROUND_UPCOMING ? "upcoming" : phase == RULES_ROUND_OPEN ? "open" : "closed";
}

int rules_round_check_comment_window(int64_t opens, int64_t closes, int64_t now, alvd_err *err)
{
    rules_round_phase phase = rules_round_phase_at(opens, closes, now);
    if (phase == RULES_ROUND_OPEN)
        return 0;
    char from[64], until[64];
    rules_instant_dutch(opens, from);
    rules_instant_dutch(closes, until);
    return alvd_err_set(err, 422, "outside_window", NULL,
                        "Reageren kan alleen zolang de consultatieronde open is: van %s tot %s "
                        "(Nederlandse tijd). De ronde is %s.",
                        from, until, phase == RULES_ROUND_UPCOMING ? "nog niet open" : "gesloten");
}

int rules_round_check_reply_window(int64_t opens, int64_t closes, int64_t now, alvd_err *err)
{
    if (rules_round_phase_at(opens, closes, now) == RULES_ROUND_CLOSED)
        return 0;
    char until[64];
    rules_instant_dutch(closes, until);
    return alvd_err_set(err, 422, "round_open", NULL,
                        "Het bestuur antwoordt na de sluiting van de ronde (%s), zodat elke "
                        "reactie in haar definitieve vorm wordt beantwoord.", until);
}

int rules_round_reminder_due(int64_t opens, int64_t closes, int64_t now, int already_sent)
{
    if (already_sent || closes - opens <= RULES_REMINDER_LEAD_SECONDS)
        return 0;
    return rules_round_phase_at(opens, closes, now) == RULES_ROUND_OPEN &&
           closes - now <= RULES_REMINDER_LEAD_SECONDS;
}
