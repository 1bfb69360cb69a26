/* The route table — path, method, roles, body type and limit of every endpoint — and
 * the matcher. Add a feature's routes in its own section; tests/api/authz walks this. */
#include "alvd/http/routes.h"

#include <stdio.h>
#include <string.h>

#include "alvd/api/links.h"
#include "alvd/api/meldpunt.h"
#include "alvd/api/session.h"

#define JSON "application/json"

static const http_route routes[] = {
    /* ---- health and sessions (foundation) ---- */
    {"GET", "/api/health", health_get, AUTH_ANYONE, ROUTE_NO_DB, NULL, 0},
    {"POST", "/api/session", session_create, AUTH_ANYONE, ROUTE_OFFLOAD | ROUTE_NO_CSRF, JSON, 0},
    {"GET", "/api/session", session_get, AUTH_LOGGED_IN, 0, NULL, 0},
    {"DELETE", "/api/session", session_delete, AUTH_LOGGED_IN, 0, NULL, 0},
    {"POST", "/api/session/link-request", links_request, AUTH_ANYONE, ROUTE_NO_CSRF, JSON, 0},
    {"POST", "/api/session/link", links_consume, AUTH_ANYONE, ROUTE_NO_CSRF, JSON, 0},
    {"GET", "/l/{link}", links_landing_page, AUTH_ANYONE, ROUTE_PAGE | ROUTE_NO_DB, NULL, 0},

    /* ---- register and Code (issue 3) ---- */

    /* ---- cycles, proposals, consultation (issue 4) ---- */

    /* ---- meetings, tickets, attendance (issue 5) ---- */

    /* ---- polls and adoption (issue 6) ---- */

    /* ---- withdrawals (issue 7) ---- */

    /* ---- meldpunt (issue 8) ---- */
    /* public: the report form, receipt follow-up and the half-year report */
    {"GET", "/api/meldpunt/organisations", meldpunt_organisations, AUTH_ANYONE, 0, NULL, 0},
    {"GET", "/api/meldpunt/norms", meldpunt_norms, AUTH_ANYONE, 0, NULL, 0},
    {"POST", "/api/reports", meldpunt_report_create, AUTH_ANYONE, ROUTE_OFFLOAD, JSON, MELDPUNT_REPORT_BODY_LIMIT},
    {"POST", "/api/reports/follow-up", meldpunt_follow_up, AUTH_ANYONE, ROUTE_OFFLOAD, JSON, 0},
    {"POST", "/api/reports/follow-up/messages", meldpunt_follow_up_message, AUTH_ANYONE, ROUTE_OFFLOAD, JSON, 0},
    {"GET", "/api/meldpunt/half-year/{period}", meldpunt_half_year_get, AUTH_ANYONE, 0, NULL, 0},
    /* the officer: keys, cases, the half-year text */
    {"GET", "/api/meldpunt/status", meldpunt_status, AUTH_MELDPUNT, 0, NULL, 0},
    {"POST", "/api/meldpunt/setup", meldpunt_setup, AUTH_MELDPUNT, ROUTE_OFFLOAD, JSON, 0},
    {"POST", "/api/meldpunt/unlock", meldpunt_unlock, AUTH_MELDPUNT, ROUTE_OFFLOAD, JSON, 0},
    {"POST", "/api/meldpunt/lock", meldpunt_lock, AUTH_MELDPUNT, 0, JSON, 0},
    {"GET", "/api/reports", meldpunt_reports_list, AUTH_MELDPUNT, 0, NULL, 0},
    {"GET", "/api/reports/{id}", meldpunt_report_get, AUTH_MELDPUNT, 0, NULL, 0},
    {"GET", "/api/reports/{id}/files/{file_id}", meldpunt_report_file, AUTH_MELDPUNT, 0, NULL, 0},
    {"POST", "/api/reports/{id}/acknowledge", meldpunt_report_acknowledge, AUTH_MELDPUNT, 0, JSON, 0},
    {"POST", "/api/reports/{id}/signal", meldpunt_report_signal, AUTH_MELDPUNT, 0, JSON, 0},
    {"POST", "/api/reports/{id}/judgement", meldpunt_report_judgement, AUTH_MELDPUNT, 0, JSON, 0},
    {"POST", "/api/reports/{id}/feedback", meldpunt_report_feedback, AUTH_MELDPUNT, ROUTE_OFFLOAD, JSON, 0},
    {"POST", "/api/reports/{id}/close", meldpunt_report_close, AUTH_MELDPUNT, 0, JSON, 0},
    {"POST", "/api/meldpunt/half-year/{period}/text", meldpunt_half_year_text, AUTH_MELDPUNT, 0, JSON, 0},
    {"POST", "/api/meldpunt/half-year/{period}/publish", meldpunt_half_year_publish, AUTH_MELDPUNT, 0, JSON, 0},
    {"GET", "/api/meldpunt/half-year/{period}/suggestions", meldpunt_half_year_suggestions,
     AUTH_MELDPUNT | AUTH_BOARD, 0, NULL, 0},
    {"POST", "/api/meldpunt/jobs/run", meldpunt_jobs_endpoint, AUTH_MELDPUNT | AUTH_ADMIN, 0, JSON, 0},
    /* the organisation's contact persons: the hearing */
    {"GET", "/api/signals", meldpunt_signals_list, AUTH_CONTACT, 0, NULL, 0},
    {"GET", "/api/signals/{id}", meldpunt_signal_get, AUTH_CONTACT, 0, NULL, 0},
    {"POST", "/api/signals/{id}/response", meldpunt_signal_respond, AUTH_CONTACT, 0, JSON, 0},
    /* pages */
};

const http_route *routes_table(size_t *count)
{
    *count = sizeof routes / sizeof routes[0];
    return routes;
}

/* Match path against pattern segment by segment; {name} takes one non-empty segment. */
static int routes_match_pattern(const char *pattern, const char *path, routes_match *match)
{
    match->param_count = 0;
    const char *p = pattern, *q = path;
    while (*p && *q) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            const char *segment_end = strchr(q, '/');
            size_t length = segment_end ? (size_t)(segment_end - q) : strlen(q);
            if (close == NULL || length == 0 || length >= sizeof match->values[0] ||
                match->param_count == ROUTES_MAX_PARAMS)
                return 0;
            size_t index = match->param_count++;
            match->names[index] = p + 1;
            match->name_lengths[index] = (size_t)(close - p - 1);
            memcpy(match->values[index], q, length);
            match->values[index][length] = '\0';
            p = close + 1;
            q += length;
        } else if (*p == *q) {
            p++;
            q++;
        } else {
            return 0;
        }
    }
    return *p == '\0' && *q == '\0';
}

int routes_find(const char *method, const char *path, routes_match *match, int *path_known,
                char *allowed, size_t allowed_size)
{
    size_t count;
    const http_route *table = routes_table(&count);
    size_t used = 0;
    *path_known = 0;
    if (allowed_size)
        allowed[0] = '\0';
    match->route = NULL;
    for (size_t i = 0; i < count; i++) {
        routes_match candidate;
        if (!routes_match_pattern(table[i].pattern, path, &candidate))
            continue;
        int same = strcmp(table[i].method, method) == 0 ||
                   (strcmp(method, "HEAD") == 0 && strcmp(table[i].method, "GET") == 0);
        if (same) {
            *match = candidate;
            match->route = &table[i];
            return 0;
        }
        *path_known = 1;
        int written = snprintf(allowed + used, allowed_size - used, "%s%s", used ? ", " : "",
                               table[i].method);
        if (written > 0 && (size_t)written < allowed_size - used)
            used += (size_t)written;
    }
    return -1;
}
