/* The route table — path, method, roles, body type and limit of every endpoint — and
 * the matcher. Add a feature's routes in its own section; tests/api/authz walks this. */
#include "alvd/http/routes.h"

#include <stdio.h>
#include <string.h>

#include "alvd/api/consultations.h"
#include "alvd/api/cycles.h"
#include "alvd/api/links.h"
#include "alvd/api/outbox_admin.h"
#include "alvd/api/proposals.h"
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
    {"POST", "/api/cycles", cycles_create, AUTH_BOARD, 0, JSON, 0},
    {"GET", "/api/cycles", cycles_list, AUTH_STAFF, 0, NULL, 0},
    {"GET", "/api/cycles/{id}", cycles_get, AUTH_STAFF, 0, NULL, 0},
    {"PATCH", "/api/cycles/{id}", cycles_update, AUTH_BOARD, 0, JSON, 0},
    {"POST", "/api/cycles/{id}/proposals", proposals_create, AUTH_BOARD, 0, JSON, 1024 * 1024},
    {"GET", "/api/cycles/{id}/proposals", proposals_list, AUTH_STAFF, 0, NULL, 0},
    {"GET", "/api/proposals/{id}", proposals_get, AUTH_STAFF | AUTH_CONTACT, 0, NULL, 0},
    {"PUT", "/api/proposals/{id}", proposals_update, AUTH_BOARD, 0, JSON, 1024 * 1024},
    {"GET", "/api/proposals/{id}/revisions", proposals_revisions, AUTH_STAFF, 0, NULL, 0},
    {"GET", "/api/proposals/{id}/compare", proposals_compare, AUTH_STAFF, 0, NULL, 0},
    {"POST", "/api/proposals/{id}/ready", proposals_ready, AUTH_BOARD, 0, JSON, 0},
    {"POST", "/api/cycles/{id}/consultations", consultations_open, AUTH_BOARD, ROUTE_OFFLOAD, JSON, 0},
    {"GET", "/api/consultations", consultations_list, AUTH_STAFF | AUTH_CONTACT, 0, NULL, 0},
    {"GET", "/api/consultations/{id}", consultations_get, AUTH_STAFF | AUTH_CONTACT, 0, NULL, 0},
    {"POST", "/api/consultations/{id}/close", consultations_close, AUTH_BOARD, 0, JSON, 0},
    {"POST", "/api/consultations/{id}/reminders", consultations_remind, AUTH_BOARD, ROUTE_OFFLOAD, JSON, 0},
    {"POST", "/api/consultations/{id}/comments", consultations_comment, AUTH_CONTACT, 0, JSON, 0},
    {"PUT", "/api/comments/{id}", consultations_comment_update, AUTH_CONTACT, 0, JSON, 0},
    {"POST", "/api/comments/{id}/reply", consultations_reply, AUTH_BOARD, 0, JSON, 0},
    {"GET", "/api/consultations/{id}/report", consultations_report, AUTH_STAFF, 0, NULL, 0},
    {"GET", "/api/outbox", outbox_admin_list, AUTH_ADMIN, 0, NULL, 0},
    {"GET", "/api/outbox/{id}", outbox_admin_get, AUTH_ADMIN, 0, NULL, 0},
    {"POST", "/api/outbox/{id}/retry", outbox_admin_retry, AUTH_ADMIN, 0, JSON, 0},

    /* ---- meetings, tickets, attendance (issue 5) ---- */

    /* ---- polls and adoption (issue 6) ---- */

    /* ---- withdrawals (issue 7) ---- */

    /* ---- meldpunt (issue 8) ---- */
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
