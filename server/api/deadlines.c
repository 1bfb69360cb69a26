/* The withdrawal deadlines of every scheduled Code version (R4, R7) for the secretariat:
 * an overview with warnings and advice, and an iCalendar feed behind a secret link. */
#include "alvd/api/deadlines.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alvd/base/clock.h"
#include "alvd/crypto/token.h"
#include "alvd/crypto/audit.h"
#include "alvd/http/input.h"
#include "alvd/rules/binding.h"
#include "alvd/rules/deadlines.h"

#define DEADLINES_FEED_FAILURES_PER_CLIENT 30 /* per minute */
#define DEADLINES_ICS_CAP (2 * 1024 * 1024)
#define DEADLINES_ICS_PAST_DAYS 366           /* the feed also keeps last year's dates */

static rules_day deadlines_today(http_request *request)
{
    return clock_today(&http_request_app(request)->config);
}

static int deadlines_day(const char *text, rules_day *out)
{
    alvd_err ignored;
    return text ? rules_date_parse(text, NULL, out, &ignored) : -1;
}

static json_t *deadlines_date_json(rules_day day)
{
    char text[RULES_DATE_TEXT_SIZE];
    return json_string(rules_date_format(day, text));
}

/* ------------------------------------------------------------------ overview */

/* The signatories bound by signature to version `version` from its E: per organisation,
 * rules_binding_on over all its current bases, keeping those whose signature basis is
 * active on E and binds to that version. */
static json_t *deadlines_to_be_bound(const store_result *bases, const rules_code_version *versions,
                                     size_t version_count, const rules_code_version *version,
                                     const store_result *withdrawals)
{
    json_t *items = json_array();
    size_t rows = store_result_rows(bases);
    rules_basis *group = calloc(rows ? rows : 1, sizeof *group);
    rules_basis_status *status = calloc(rows ? rows : 1, sizeof *status);
    if (group == NULL || status == NULL)
        goto done;
    for (size_t start = 0; start < rows;) {
        long long organisation_id = store_result_int(bases, start, 0);
        size_t end = start, count = 0;
        while (end < rows && store_result_int(bases, end, 0) == organisation_id) {
            rules_basis *basis = &group[count];
            const char *kind = store_result_text(bases, end, 2);
            memset(basis, 0, sizeof *basis);
            basis->kind = strcmp(kind, "membership") == 0  ? RULES_BASIS_MEMBERSHIP
                          : strcmp(kind, "signature") == 0 ? RULES_BASIS_SIGNATURE
                                                           : RULES_BASIS_CONTRACT;
            if (deadlines_day(store_result_text(bases, end, 3), &basis->since) == 0) {
                basis->has_until = deadlines_day(store_result_text(bases, end, 4), &basis->until) == 0;
                basis->follows_amendments = (int)store_result_int(bases, end, 5);
                basis->pinned_version_id = store_result_int(bases, end, 6);
                count++;
            }
            end++;
        }
        rules_binding binding;
        alvd_err err;
        int bound_by_signature = 0;
        if (rules_binding_on(group, count, versions, version_count, version->effective_from, status, &binding,
                             &err) == 0) {
            for (size_t i = 0; i < count; i++)
                if (group[i].kind == RULES_BASIS_SIGNATURE && status[i].active &&
                    status[i].version_id == version->id)
                    bound_by_signature = 1;
        } else {
            /* Inconsistent register data must not hide a signatory: fall back to "the
             * signature basis is active on E". */
            for (size_t i = 0; i < count; i++)
                if (group[i].kind == RULES_BASIS_SIGNATURE && group[i].since <= version->effective_from &&
                    (!group[i].has_until || group[i].until >= version->effective_from))
                    bound_by_signature = 1;
        }
        if (bound_by_signature) {
            int late = 0;
            for (size_t w = 0; w < store_result_rows(withdrawals); w++)
                if (store_result_int(withdrawals, w, 1) == organisation_id &&
                    store_result_int(withdrawals, w, 5) == version->id)
                    late = 1;
            json_array_append_new(items, json_pack("{s:I, s:s, s:b}", "organisation_id", (json_int_t)organisation_id,
                                                   "name", store_result_text(bases, start, 1),
                                                   "late_withdrawal", late));
        }
        start = end;
    }
done:
    free(group);
    free(status);
    return items;
}

void deadlines_overview(http_request *request)
{
    const auth_principal *who = http_request_principal(request);
    store_conn *conn = http_request_db(request);
    store_result *version_rows = NULL, *bases = NULL, *withdrawals = NULL, *feed = NULL;
    rules_code_version *versions = NULL;
    size_t version_count = 0;
    rules_day today = deadlines_today(request);
    char today_text[RULES_DATE_TEXT_SIZE];
    alvd_err err;
    alvd_err_clear(&err);
    rules_date_format(today, today_text);
    if (store_query(conn, &err, &version_rows,
                    "SELECT id, label, effective_from FROM code_versions ORDER BY effective_from, id",
                    STORE_NO_PARAMS) != 0 ||
        store_query(conn, &err, &bases,
                    "SELECT b.organisation_id, o.name, b.basis, b.since, b.until, b.follows_amendments,"
                    " b.pinned_version_id FROM bases b JOIN organisations o ON o.id = b.organisation_id"
                    " WHERE b.superseded_by IS NULL ORDER BY b.organisation_id, b.id",
                    STORE_NO_PARAMS) != 0 ||
        /* columns: 0 id, 1 organisation, 2 name, 3 received, 4 timely, 5 concerned version,
         * 6 effect version, 7 outcome, 8 state */
        store_query(conn, &err, &withdrawals,
                    "SELECT w.id, w.organisation_id, o.name, w.received_on, w.timely, w.concerned_version_id,"
                    " COALESCE(w.effect_version_id, (SELECT e.version_id FROM withdrawal_effects e"
                    " WHERE e.withdrawal_id = w.id AND e.kind <> 'undone' ORDER BY e.id DESC LIMIT 1)),"
                    " w.outcome,"
                    " IF(EXISTS (SELECT 1 FROM withdrawal_effects e WHERE e.withdrawal_id = w.id),"
                    " 'applied', 'pending')"
                    " FROM withdrawals w JOIN organisations o ON o.id = w.organisation_id"
                    " WHERE w.superseded_by IS NULL ORDER BY w.received_on, w.id",
                    STORE_NO_PARAMS) != 0 ||
        store_query(conn, &err, &feed,
                    "SELECT created_at FROM deadline_feed_tokens WHERE user_id = ? AND revoked_at IS NULL"
                    " ORDER BY id DESC LIMIT 1",
                    STORE_PARAMS(STORE_INT_PARAM(who->user_id))) != 0)
        goto fail;
    version_count = store_result_rows(version_rows);
    versions = calloc(version_count ? version_count : 1, sizeof *versions);
    if (versions == NULL) {
        alvd_err_set(&err, 500, "out_of_memory", NULL, "Geen geheugen.");
        goto fail;
    }
    for (size_t i = 0; i < version_count; i++) {
        versions[i].id = store_result_int(version_rows, i, 0);
        versions[i].label = store_result_text(version_rows, i, 1);
        deadlines_day(store_result_text(version_rows, i, 2), &versions[i].effective_from);
    }

    json_t *items = json_array();
    for (size_t i = 0; i < version_count; i++) {
        const rules_code_version *version = &versions[i];
        if (version->effective_from <= today)
            continue; /* only scheduled versions */
        rules_withdrawal_deadline w;
        rules_withdrawal_deadline_for(version->effective_from, 0, &w);
        json_t *concerning = json_array(), *taking_effect = json_array();
        int timely = 0, late = 0;
        for (size_t r = 0; r < store_result_rows(withdrawals); r++) {
            long long concerned = store_result_int(withdrawals, r, 5);
            long long effect = store_result_int(withdrawals, r, 6);
            int is_timely = store_result_int(withdrawals, r, 4) != 0;
            json_t *entry = json_pack("{s:I, s:I, s:s, s:s, s:b, s:s, s:s}", "id",
                                      (json_int_t)store_result_int(withdrawals, r, 0), "organisation_id",
                                      (json_int_t)store_result_int(withdrawals, r, 1), "organisation_name",
                                      store_result_text(withdrawals, r, 2), "received_on",
                                      store_result_text(withdrawals, r, 3), "timely", is_timely, "outcome",
                                      store_result_text(withdrawals, r, 7), "state",
                                      store_result_text(withdrawals, r, 8));
            if (concerned == version->id) {
                if (is_timely)
                    timely++;
                else
                    late++;
                json_array_append_new(concerning, entry);
            } else if (effect == version->id) {
                json_array_append_new(taking_effect, entry);
            } else {
                json_decref(entry);
            }
        }
        json_t *bound = deadlines_to_be_bound(bases, versions, version_count, version, withdrawals);
        json_t *item = json_object();
        json_object_set_new(item, "version_id", json_integer(version->id));
        json_object_set_new(item, "label", json_string(version->label ? version->label : ""));
        json_object_set_new(item, "effective_from", deadlines_date_json(version->effective_from));
        json_object_set_new(item, "deadline", deadlines_date_json(w.deadline));
        json_object_set_new(item, "days_left", json_integer(rules_days_between(today, w.deadline)));
        json_object_set_new(item, "days_to_effective", json_integer(rules_days_between(today, version->effective_from)));
        json_object_set_new(item, "deadline_passed", json_boolean(w.deadline < today));
        json_object_set_new(item, "on_weekend", json_boolean(w.on_weekend));
        json_object_set_new(item, "holiday_name", w.holiday_name ? json_string(w.holiday_name) : json_null());
        json_object_set_new(item, "warning", w.warning[0] ? json_string(w.warning) : json_null());
        json_object_set_new(item, "send_by", deadlines_date_json(w.send_by));
        json_object_set_new(item, "advice", json_string(w.advice));
        json_object_set_new(item, "withdrawals",
                            json_pack("{s:i, s:i, s:o, s:o}", "timely", timely, "late", late, "items", concerning,
                                      "taking_effect", taking_effect));
        json_object_set_new(item, "to_be_bound",
                            json_pack("{s:I, s:o}", "count", (json_int_t)json_array_size(bound), "items", bound));
        json_array_append_new(items, item);
    }
    json_t *pending = json_array();
    for (size_t r = 0; r < store_result_rows(withdrawals); r++)
        if (strcmp(store_result_text(withdrawals, r, 8), "pending") == 0)
            json_array_append_new(pending, json_pack("{s:I, s:I, s:s, s:s, s:s}", "id",
                                                     (json_int_t)store_result_int(withdrawals, r, 0),
                                                     "organisation_id",
                                                     (json_int_t)store_result_int(withdrawals, r, 1),
                                                     "organisation_name", store_result_text(withdrawals, r, 2),
                                                     "received_on", store_result_text(withdrawals, r, 3),
                                                     "outcome", store_result_text(withdrawals, r, 7)));
    json_t *feed_json = json_pack("{s:b}", "active", store_result_rows(feed) == 1);
    if (store_result_rows(feed) == 1)
        json_object_set_new(feed_json, "since", json_stringn(store_result_text(feed, 0, 0), 10));
    http_reply_json(request, 200, json_pack("{s:s, s:o, s:o, s:o}", "today", today_text, "items", items, "pending",
                                            pending, "feed", feed_json));
    goto done;
fail:
    http_reply_err(request, &err);
done:
    free(versions);
    store_result_free(version_rows);
    store_result_free(bases);
    store_result_free(withdrawals);
    store_result_free(feed);
}

/* ------------------------------------------------------------------ feed token */

void deadlines_feed_token(http_request *request)
{
    const auth_principal *who = http_request_principal(request);
    store_conn *conn = http_request_db(request);
    char token[TOKEN_TEXT_SIZE], url[512];
    unsigned char hash[TOKEN_HASH_BYTES];
    alvd_err err;
    alvd_err_clear(&err);
    if (who->kind != AUTH_KIND_USER) {
        http_reply_error(request, 403, "staff_only", NULL, "Alleen medewerkers hebben een agendalink.");
        return;
    }
    token_new(token);
    token_hash(token, hash);
    audit_actor actor = http_request_actor(request);
    if (store_begin(conn, &err) != 0 ||
        store_execute(conn, &err, NULL,
                      "UPDATE deadline_feed_tokens SET revoked_at = UTC_TIMESTAMP(6)"
                      " WHERE user_id = ? AND revoked_at IS NULL",
                      STORE_PARAMS(STORE_INT_PARAM(who->user_id))) != 0 ||
        store_execute(conn, &err, NULL,
                      "INSERT INTO deadline_feed_tokens (user_id, token_hash, created_at)"
                      " VALUES (?, ?, UTC_TIMESTAMP(6))",
                      STORE_PARAMS(STORE_INT_PARAM(who->user_id), STORE_BLOB_PARAM(hash, sizeof hash))) != 0 ||
        audit_append(conn, &err, &actor, "deadline_feed.link_issued", "user", who->user_id, NULL) != 0 ||
        store_commit(conn, &err) != 0) {
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

/* ------------------------------------------------------------------ calendar items */

typedef struct calendar_item {
    char uid[64];
    const char *kind;
    long long version_id;
    char day[RULES_DATE_TEXT_SIZE];
    char summary[300];
    char description[1600];
} calendar_item;

/* The two events of a version: its withdrawal deadline W (R4, with the R7 warning and
 * advice) and its effective date E. */
static void calendar_items_of(long long id, const char *label, rules_day effective, calendar_item out[2])
{
    rules_withdrawal_deadline w;
    rules_withdrawal_deadline_for(effective, 0, &w);
    char effective_long[RULES_LONG_DATE_SIZE], deadline_long[RULES_LONG_DATE_SIZE];
    rules_date_format_long(effective, RULES_LANG_NL, effective_long, sizeof effective_long);
    rules_date_format_long(w.deadline, RULES_LANG_NL, deadline_long, sizeof deadline_long);
    memset(out, 0, 2 * sizeof *out);
    snprintf(out[0].uid, sizeof out[0].uid, "withdrawal-deadline-%lld", id);
    out[0].kind = "withdrawal_deadline";
    rules_date_format(w.deadline, out[0].day);
    snprintf(out[0].summary, sizeof out[0].summary, "Uiterste ontvangstdatum intrekkingen Code %s", label);
    snprintf(out[0].description, sizeof out[0].description,
             "Intrekkingen van de ondertekening voor versie %s van de Code (ingang %s) moeten uiterlijk "
             "op %s bij KSF zijn ontvangen (art. 7: vier weken voor de ingangsdatum).%s%s\n%s",
             label, effective_long, deadline_long, w.warning[0] ? "\n" : "", w.warning, w.advice);
    snprintf(out[1].uid, sizeof out[1].uid, "code-effective-%lld", id);
    out[1].kind = "effective";
    rules_date_format(effective, out[1].day);
    snprintf(out[1].summary, sizeof out[1].summary, "Code %s treedt in werking", label);
    snprintf(out[1].description, sizeof out[1].description,
             "Vanaf %s geldt versie %s van de Code voor leden en ondertekenaars die niet tijdig hebben "
             "opgezegd.",
             effective_long, label);
    out[0].version_id = out[1].version_id = id;
}

int deadlines_calendar_sync(store_conn *conn, alvd_err *err)
{
    store_result *versions = NULL, *stored = NULL;
    calendar_item *items = NULL;
    int rc = -1;
    /* Every stored item is locked first, so two syncs apply one after the other. */
    if (store_query(conn, err, &stored,
                    "SELECT uid, DATE_FORMAT(day, '%Y-%m-%d'), summary, description, cancelled_at IS NOT NULL"
                    " FROM calendar_items ORDER BY uid FOR UPDATE",
                    STORE_NO_PARAMS) != 0 ||
        store_query(conn, err, &versions,
                    "SELECT id, label, DATE_FORMAT(effective_from, '%Y-%m-%d') FROM code_versions ORDER BY id",
                    STORE_NO_PARAMS) != 0)
        goto done;
    size_t count = 2 * store_result_rows(versions);
    items = calloc(count ? count : 1, sizeof *items);
    if (items == NULL) {
        alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        goto done;
    }
    for (size_t r = 0; r < store_result_rows(versions); r++) {
        rules_day effective;
        if (deadlines_day(store_result_text(versions, r, 2), &effective) != 0)
            continue;
        calendar_items_of(store_result_int(versions, r, 0), store_result_text(versions, r, 1), effective, &items[2 * r]);
    }
    for (size_t i = 0; i < count; i++) {
        if (items[i].uid[0] == '\0')
            continue;
        size_t found = store_result_rows(stored);
        for (size_t r = 0; r < store_result_rows(stored); r++)
            if (strcmp(store_result_text(stored, r, 0), items[i].uid) == 0)
                found = r;
        int changed = found == store_result_rows(stored) ||
                      strcmp(store_result_text(stored, found, 1), items[i].day) != 0 ||
                      strcmp(store_result_text(stored, found, 2), items[i].summary) != 0 ||
                      strcmp(store_result_text(stored, found, 3), items[i].description) != 0 ||
                      store_result_int(stored, found, 4) != 0;
        if (!changed)
            continue;
        if (store_execute(conn, err, NULL,
                          "INSERT INTO calendar_items (uid, kind, version_id, day, summary, description, sequence,"
                          " created_at, last_modified) VALUES (?, ?, ?, ?, ?, ?, 0, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))"
                          " ON DUPLICATE KEY UPDATE day = VALUES(day), summary = VALUES(summary),"
                          " description = VALUES(description), version_id = VALUES(version_id),"
                          " sequence = sequence + 1, last_modified = UTC_TIMESTAMP(6), cancelled_at = NULL",
                          STORE_PARAMS(STORE_TEXT_PARAM(items[i].uid), STORE_TEXT_PARAM(items[i].kind),
                                       STORE_INT_PARAM(items[i].version_id), STORE_TEXT_PARAM(items[i].day),
                                       STORE_TEXT_PARAM(items[i].summary), STORE_TEXT_PARAM(items[i].description))) != 0)
            goto done;
    }
    /* An event no version stands behind any more is sent as cancelled, not dropped. */
    for (size_t r = 0; r < store_result_rows(stored); r++) {
        if (store_result_int(stored, r, 4))
            continue;
        int current = 0;
        for (size_t i = 0; i < count && !current; i++)
            current = strcmp(items[i].uid, store_result_text(stored, r, 0)) == 0;
        if (!current &&
            store_execute(conn, err, NULL,
                          "UPDATE calendar_items SET cancelled_at = UTC_TIMESTAMP(6), last_modified = UTC_TIMESTAMP(6),"
                          " sequence = sequence + 1 WHERE uid = ?",
                          STORE_PARAMS(STORE_TEXT_PARAM(store_result_text(stored, r, 0)))) != 0)
            goto done;
    }
    rc = 0;
done:
    free(items);
    store_result_free(versions);
    store_result_free(stored);
    return rc;
}

/* "YYYY-MM-DD HH:MM:SS…" (UTC) as an iCalendar UTC date-time "YYYYMMDDTHHMMSSZ". */
static void deadlines_ics_stamp(const char *sql, char out[17])
{
    snprintf(out, 17, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", sql, sql + 5, sql + 8, sql + 11, sql + 14, sql + 17);
}

/* One all-day VEVENT with its revision: SEQUENCE, CREATED, LAST-MODIFIED and STATUS. */
static void deadlines_ics_event(alvd_buf *out, const store_result *rows, size_t r, const char *domain,
                                const char *stamp)
{
    char uid[200], start[9], end[9], created[17], modified[17], sequence[24];
    rules_day day = 0;
    deadlines_day(store_result_text(rows, r, 1), &day);
    deadlines_ics_date(day, start);
    deadlines_ics_date(rules_day_add_days(day, 1), end);
    snprintf(uid, sizeof uid, "%s@%s", store_result_text(rows, r, 0), domain);
    snprintf(sequence, sizeof sequence, "%lld", store_result_int(rows, r, 4));
    deadlines_ics_stamp(store_result_text(rows, r, 5), created);
    deadlines_ics_stamp(store_result_text(rows, r, 6), modified);
    int cancelled = store_result_int(rows, r, 7) != 0;
    deadlines_ics_line(out, "BEGIN", "VEVENT", 0);
    deadlines_ics_line(out, "UID", uid, 0);
    deadlines_ics_line(out, "SEQUENCE", sequence, 0);
    deadlines_ics_line(out, "DTSTAMP", stamp, 0);
    deadlines_ics_line(out, "CREATED", created, 0);
    deadlines_ics_line(out, "LAST-MODIFIED", modified, 0);
    deadlines_ics_line(out, "DTSTART;VALUE=DATE", start, 0);
    deadlines_ics_line(out, "DTEND;VALUE=DATE", end, 0);
    if (cancelled) {
        char summary[340];
        snprintf(summary, sizeof summary, "Vervallen: %s", store_result_text(rows, r, 2));
        deadlines_ics_line(out, "SUMMARY;LANGUAGE=nl", summary, 1);
        deadlines_ics_line(out, "DESCRIPTION;LANGUAGE=nl",
                           "Deze termijn geldt niet meer: de versie van de Code waar hij bij hoorde, is vervallen of "
                           "naar een andere datum verplaatst.",
                           1);
        deadlines_ics_line(out, "STATUS", "CANCELLED", 0);
    } else {
        deadlines_ics_line(out, "SUMMARY;LANGUAGE=nl", store_result_text(rows, r, 2), 1);
        deadlines_ics_line(out, "DESCRIPTION;LANGUAGE=nl", store_result_text(rows, r, 3), 1);
        deadlines_ics_line(out, "STATUS", "CONFIRMED", 0);
    }
    deadlines_ics_line(out, "TRANSP", "TRANSPARENT", 0);
    deadlines_ics_line(out, "END", "VEVENT", 0);
}

void deadlines_ics(http_request *request)
{
    const char *token = http_request_query(request, "token");
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    unsigned char hash[TOKEN_HASH_BYTES];
    alvd_err err;
    alvd_err_clear(&err);
    if (auth_rate_check(conn, http_request_app(request)->rate_key, "feed_token", http_request_client(request), 60, DEADLINES_FEED_FAILURES_PER_CLIENT,
                        &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    /* Without a valid link the feed does not exist: 404, the same for every reason. */
    int known = 0;
    if (token && strlen(token) == TOKEN_TEXT_SIZE - 1) {
        token_hash(token, hash);
        if (store_query(conn, &err, &rows,
                        "SELECT u.id FROM deadline_feed_tokens t JOIN users u ON u.id = t.user_id"
                        " WHERE t.token_hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL"
                        " AND u.roles <> ''",
                        STORE_PARAMS(STORE_BLOB_PARAM(hash, sizeof hash))) != 0) {
            http_reply_err(request, &err);
            return;
        }
        known = store_result_rows(rows) == 1;
        store_result_free(rows);
        rows = NULL;
    }
    if (!known) {
        auth_rate_record(conn, http_request_app(request)->rate_key, "feed_token", http_request_client(request), &err);
        http_reply_error(request, 404, "not_found", NULL,
                         "Deze agendalink is onbekend of vervangen; maak een nieuwe aan op de pagina Termijnen.");
        return;
    }
    rules_day today = deadlines_today(request);
    char since[RULES_DATE_TEXT_SIZE];
    rules_date_format(rules_day_add_days(today, -DEADLINES_ICS_PAST_DAYS), since);
    /* The feed brings the stored events in line first (a change made outside the API,
     * or before this existed), then shows them with their revision. */
    if (store_begin(conn, &err) != 0 || deadlines_calendar_sync(conn, &err) != 0 || store_commit(conn, &err) != 0 ||
        store_query(conn, &err, &rows,
                    "SELECT uid, DATE_FORMAT(day, '%Y-%m-%d'), summary, description, sequence,"
                    " DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s'), DATE_FORMAT(last_modified, '%Y-%m-%d %H:%i:%s'),"
                    " cancelled_at IS NOT NULL FROM calendar_items WHERE day >= ? ORDER BY day, uid",
                    STORE_PARAMS(STORE_TEXT_PARAM(since))) != 0) {
        store_rollback(conn);
        http_reply_err(request, &err);
        return;
    }
    /* UIDs are stable per version, so calendars update an event instead of duplicating it. */
    const char *public_url = http_request_app(request)->config.public_url;
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
    for (size_t r = 0; r < store_result_rows(rows); r++)
        deadlines_ics_event(&out, rows, r, domain, stamp);
    deadlines_ics_line(&out, "END", "VCALENDAR", 0);
    store_result_free(rows);
    if (out.overflowed) {
        buf_free(&out);
        http_reply_error(request, 500, "too_large", NULL, "De agenda is te groot.");
        return;
    }
    size_t length = 0;
    char *data = buf_take(&out, &length);
    http_reply_bytes(request, 200, "text/calendar; charset=utf-8", data, length);
    http_reply_header(request, "Content-Disposition", "inline; filename=\"ksf-termijnen.ics\"");
}
