/* The withdrawal deadlines of every scheduled Code version (R4, R7) for the secretariat:
 * an overview with warnings and advice, and an iCalendar feed behind a secret link. */
#include "alvd/api/deadlines.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alvd/base/clock.h"
#include "alvd/service/deadlines.h"

#define DEADLINES_ICS_CAP (2 * 1024 * 1024)

static rules_day deadlines_today(http_request *request)
{
    return clock_today(&http_request_app(request)->config);
}

static int deadlines_day(const char *text, rules_day *out)
{
    alvd_err ignored;
    return text ? rules_date_parse(text, NULL, out, &ignored) : -1;
}

/* ------------------------------------------------------------------ overview */

void deadlines_overview(http_request *request)
{
    json_t *overview = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (service_deadlines_overview(http_request_db(request), http_request_principal(request)->user_id,
                                   deadlines_today(request), &overview, &err) != 0)
        http_reply_err(request, &err);
    else
        http_reply_json(request, 200, overview);
}

/* ------------------------------------------------------------------ feed token */

void deadlines_feed_token(http_request *request)
{
    const auth_principal *who = http_request_principal(request);
    char token[TOKEN_TEXT_SIZE], url[512];
    alvd_err err;
    alvd_err_clear(&err);
    if (who->kind != AUTH_KIND_USER) {
        http_reply_error(request, 403, "staff_only", NULL, "Alleen medewerkers hebben een agendalink.");
        return;
    }
    audit_actor actor = http_request_actor(request);
    if (service_deadlines_feed_token_issue(http_request_db(request), &actor, who->user_id, token, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    const char *public_url = http_request_app(request)->config.public_url;
    snprintf(url, sizeof url, "%s/api/deadlines.ics?token=%s", public_url, token);
    const char *after_scheme = strstr(url, "://");
    char webcal[540];
    snprintf(webcal, sizeof webcal, "webcal://%s", after_scheme ? after_scheme + 3 : url);
    http_reply_json(request, 201, json_pack("{s:s, s:s}", "url", url, "webcal", webcal));
}

/* ------------------------------------------------------------------ iCalendar */

static int deadlines_utf8_length(unsigned char lead)
{
    if (lead < 0x80)
        return 1;
    if ((lead & 0xE0) == 0xC0)
        return 2;
    if ((lead & 0xF0) == 0xE0)
        return 3;
    if ((lead & 0xF8) == 0xF0)
        return 4;
    return 1;
}

int deadlines_ics_line(alvd_buf *out, const char *name, const char *value, int escape)
{
    alvd_buf line;
    buf_init(&line, 64 * 1024);
    buf_append_str(&line, name);
    buf_append_str(&line, ":");
    for (const char *p = value; p && *p; p++) {
        if (escape && (*p == '\\' || *p == ';' || *p == ',')) {
            char pair[2] = {'\\', *p};
            buf_append(&line, pair, 2);
        } else if (escape && *p == '\n') {
            buf_append_str(&line, "\\n");
        } else if (*p != '\r') {
            buf_append(&line, p, 1);
        }
    }
    /* Fold (RFC 5545 3.1): at most 75 octets per physical line, continuation lines start
     * with one space, and a multi-octet UTF-8 character is never split. */
    size_t used = 0;
    int rc = line.overflowed ? -1 : 0;
    for (size_t i = 0; rc == 0 && i < line.length;) {
        size_t width = (size_t)deadlines_utf8_length((unsigned char)line.data[i]);
        if (i + width > line.length)
            width = line.length - i;
        if (used + width > DEADLINES_ICS_LINE_OCTETS) {
            rc = buf_append(out, "\r\n ", 3);
            used = 1;
        }
        if (rc == 0)
            rc = buf_append(out, line.data + i, width);
        used += width;
        i += width;
    }
    if (rc == 0)
        rc = buf_append(out, "\r\n", 2);
    buf_free(&line);
    return rc;
}

static void deadlines_ics_date(rules_day day, char out[9])
{
    int year, month, mday;
    rules_day_to_ymd(day, &year, &month, &mday);
    snprintf(out, 9, "%04d%02d%02d", year, month, mday);
}

/* "YYYY-MM-DD HH:MM:SS…" (UTC) as an iCalendar UTC date-time "YYYYMMDDTHHMMSSZ". */
static void deadlines_ics_stamp(const char *sql, char out[17])
{
    snprintf(out, 17, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", sql, sql + 5, sql + 8, sql + 11, sql + 14, sql + 17);
}

/* One all-day VEVENT with its revision: SEQUENCE, CREATED, LAST-MODIFIED and STATUS. */
static void deadlines_ics_event(alvd_buf *out, const store_calendar_item *item, const char *domain,
                                const char *stamp)
{
    char uid[200], start[9], end[9], created[17], modified[17], sequence[24];
    rules_day day = 0;
    deadlines_day(item->day, &day);
    deadlines_ics_date(day, start);
    deadlines_ics_date(rules_day_add_days(day, 1), end);
    snprintf(uid, sizeof uid, "%s@%s", item->uid, domain);
    snprintf(sequence, sizeof sequence, "%lld", item->sequence);
    deadlines_ics_stamp(item->created_at, created);
    deadlines_ics_stamp(item->last_modified, modified);
        deadlines_ics_line(out, "BEGIN", "VEVENT", 0);
    deadlines_ics_line(out, "UID", uid, 0);
    deadlines_ics_line(out, "SEQUENCE", sequence, 0);
    deadlines_ics_line(out, "DTSTAMP", stamp, 0);
    deadlines_ics_line(out, "CREATED", created, 0);
    deadlines_ics_line(out, "LAST-MODIFIED", modified, 0);
    deadlines_ics_line(out, "DTSTART;VALUE=DATE", start, 0);
    deadlines_ics_line(out, "DTEND;VALUE=DATE", end, 0);
    if (item->cancelled) {
        char summary[340];
        snprintf(summary, sizeof summary, "Vervallen: %s", item->summary);
        deadlines_ics_line(out, "SUMMARY;LANGUAGE=nl", summary, 1);
        deadlines_ics_line(out, "DESCRIPTION;LANGUAGE=nl",
                           "Deze termijn geldt niet meer: de versie van de Code waar hij bij hoorde, is vervallen of "
                           "naar een andere datum verplaatst.",
                           1);
        deadlines_ics_line(out, "STATUS", "CANCELLED", 0);
    } else {
        deadlines_ics_line(out, "SUMMARY;LANGUAGE=nl", item->summary, 1);
        deadlines_ics_line(out, "DESCRIPTION;LANGUAGE=nl", item->description, 1);
        deadlines_ics_line(out, "STATUS", "CONFIRMED", 0);
    }
    deadlines_ics_line(out, "TRANSP", "TRANSPARENT", 0);
    deadlines_ics_line(out, "END", "VEVENT", 0);
}

/* The feed's events as one VCALENDAR; NULL when it would pass the cap. UIDs are
 * stable per version, so calendars update an event instead of duplicating it. */
static char *deadlines_ics_render(const store_calendar_item_list *events, const char *public_url, size_t *length)
{
    const char *host = strstr(public_url, "://");
    char domain[128];
    host = host ? host + 3 : public_url;
    size_t host_length = strcspn(host, ":/");
    snprintf(domain, sizeof domain, "%.*s", (int)(host_length < 100 ? host_length : 100), host);
    char stamp[17];
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);

    alvd_buf out;
    buf_init(&out, DEADLINES_ICS_CAP);
    deadlines_ics_line(&out, "BEGIN", "VCALENDAR", 0);
    deadlines_ics_line(&out, "VERSION", "2.0", 0);
    deadlines_ics_line(&out, "PRODID", "-//KSF//alvd termijnen//NL", 0);
    deadlines_ics_line(&out, "CALSCALE", "GREGORIAN", 0);
    deadlines_ics_line(&out, "METHOD", "PUBLISH", 0);
    deadlines_ics_line(&out, "X-WR-CALNAME", "KSF Code: termijnen", 1);
    for (size_t r = 0; r < events->count; r++)
        deadlines_ics_event(&out, &events->items[r], domain, stamp);
    deadlines_ics_line(&out, "END", "VCALENDAR", 0);
    if (out.overflowed) {
        buf_free(&out);
        return NULL;
    }
    return buf_take(&out, length);
}

void deadlines_ics(http_request *request)
{
    service_deadlines_feed_request feed = {
        .rate_key = http_request_app(request)->rate_key,
        .client = http_request_client(request),
        .token = http_request_query(request, "token"),
        .today = deadlines_today(request),
    };
    store_calendar_item_list events;
    alvd_err err;
    alvd_err_clear(&err);
    if (service_deadlines_feed(http_request_db(request), &feed, &events, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    size_t length = 0;
    char *data = deadlines_ics_render(&events, http_request_app(request)->config.public_url, &length);
    store_deadlines_calendar_free(&events);
    if (data == NULL) {
        http_reply_error(request, 500, "too_large", NULL, "De agenda is te groot.");
        return;
    }
    http_reply_bytes(request, 200, "text/calendar; charset=utf-8", data, length);
    http_reply_header(request, "Content-Disposition", "inline; filename=\"ksf-termijnen.ics\"");
}
