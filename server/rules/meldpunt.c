/* Meldpunt timelines (by analogy with the Wet bescherming klokkenluiders: 7 days,
 * 3 months), retention and the half-year publication with small counts hidden. */
#include "alvd/rules/meldpunt.h"

#include <stdio.h>
#include <string.h>

rules_day rules_meldpunt_ack_due(rules_day received)
{
    return rules_day_add_days(received, RULES_MELDPUNT_ACK_DAYS);
}

rules_day rules_meldpunt_feedback_due(rules_day received)
{
    return rules_day_add_months(received, RULES_MELDPUNT_FEEDBACK_MONTHS);
}

int rules_is_overdue(rules_day due, int done, rules_day today)
{
    return !done && today > due;
}

void rules_meldpunt_timeline_on(rules_day received, int has_acknowledged, rules_day acknowledged,
                                int has_fed_back, rules_day fed_back, rules_day today,
                                rules_meldpunt_timeline *out)
{
    memset(out, 0, sizeof *out);
    out->ack_due = rules_meldpunt_ack_due(received);
    out->feedback_due = rules_meldpunt_feedback_due(received);
    out->ack_overdue = rules_is_overdue(out->ack_due, has_acknowledged, today);
    out->ack_late = has_acknowledged && acknowledged > out->ack_due;
    out->feedback_overdue = rules_is_overdue(out->feedback_due, has_fed_back, today);
    out->feedback_late = has_fed_back && fed_back > out->feedback_due;
}

rules_day rules_meldpunt_deletion_due(rules_day closed, int months)
{
    return rules_day_add_months(closed, months > 0 ? months : RULES_MELDPUNT_RETENTION_MONTHS);
}

rules_half_year rules_half_year_of(rules_day day)
{
    rules_half_year period;
    int month;
    rules_day_to_ymd(day, &period.year, &month, NULL);
    period.half = month <= 6 ? 1 : 2;
    return period;
}

int rules_half_year_parse(const char *text, rules_half_year *out, alvd_err *err)
{
    int year = 0;
    size_t length = text ? strnlen(text, 7) : 0;
    if (length != 6 || text[4] != 'H' || (text[5] != '1' && text[5] != '2'))
        goto bad;
    for (int i = 0; i < 4; i++) {
        if (text[i] < '0' || text[i] > '9')
            goto bad;
        year = year * 10 + (text[i] - '0');
    }
    if (year < RULES_YEAR_MIN)
        goto bad;
    out->year = year;
    out->half = text[5] - '0';
    return 0;
bad:
    return alvd_err_set(err, 400, "bad_period", "period",
                        "Ongeldige periode; gebruik de vorm JJJJH1 of JJJJH2, bijvoorbeeld "
                        "2026H1.");
}

char *rules_half_year_format(rules_half_year period, char out[RULES_HALF_YEAR_TEXT_SIZE])
{
    int year = period.year;
    if (year < 0 || year > 9999)
        year = 0;
    out[0] = (char)('0' + year / 1000);
    out[1] = (char)('0' + year / 100 % 10);
    out[2] = (char)('0' + year / 10 % 10);
    out[3] = (char)('0' + year % 10);
    out[4] = 'H';
    out[5] = period.half == 2 ? '2' : '1';
    out[6] = '\0';
    return out;
}

void rules_half_year_bounds(rules_half_year period, rules_day *first, rules_day *last)
{
    int second = period.half == 2;
    if (first)
        *first = rules_day_from_ymd(period.year, second ? 7 : 1, 1);
    if (last)
        *last = rules_day_from_ymd(period.year, second ? 12 : 6, second ? 31 : 30);
}

int rules_count_format(long long count, int threshold, char *out, size_t size)
{
    if (threshold <= 0)
        threshold = RULES_SUPPRESS_THRESHOLD;
    /* 0 reveals no one, so it is shown; only 1..threshold−1 could point at a person. */
    int suppressed = count > 0 && count < threshold;
    if (size > 0) {
        if (suppressed)
            snprintf(out, size, "<%d", threshold);
        else
            snprintf(out, size, "%lld", count);
    }
    return suppressed;
}
