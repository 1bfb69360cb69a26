/* Route matching: parameters, 404 vs 405 with the Allow list, no partial matches,
 * and the table's own invariants (every route has a handler, roles and a known method). */
#include <string.h>

#include "alvd/http/routes.h"
#include "check.h"

int main(void)
{
    routes_match match;
    int known = 0;
    char allowed[64];

    CHECK_INT(routes_find("GET", "/api/health", &match, &known, allowed, sizeof allowed), 0, "health");
    CHECK(match.route != NULL && strcmp(match.route->pattern, "/api/health") == 0, "health route");
    CHECK_INT(routes_find("HEAD", "/api/health", &match, &known, allowed, sizeof allowed), 0, "HEAD is GET");

    CHECK_INT(routes_find("PUT", "/api/health", &match, &known, allowed, sizeof allowed), -1, "PUT health");
    CHECK_INT(known, 1, "path known → 405");
    CHECK(strstr(allowed, "GET") != NULL, "Allow lists GET: %s", allowed);

    CHECK_INT(routes_find("GET", "/api/nothing", &match, &known, allowed, sizeof allowed), -1, "unknown");
    CHECK_INT(known, 0, "unknown → 404");
    CHECK_INT(routes_find("GET", "/api/health/extra", &match, &known, allowed, sizeof allowed), -1, "longer path");
    CHECK_INT(routes_find("GET", "/api/healt", &match, &known, allowed, sizeof allowed), -1, "shorter path");

    CHECK_INT(routes_find("GET", "/l/abc-DEF_123", &match, &known, allowed, sizeof allowed), 0, "param route");
    CHECK_INT((long long)match.param_count, 1, "one param");
    CHECK_STR(match.values[0], "abc-DEF_123", "param value");
    CHECK(strncmp(match.names[0], "link", match.name_lengths[0]) == 0, "param name");
    CHECK_INT(routes_find("GET", "/l/", &match, &known, allowed, sizeof allowed), -1, "empty param");
    CHECK_INT(routes_find("GET", "/l/a/b", &match, &known, allowed, sizeof allowed), -1, "param is one segment");

    char long_segment[300];
    memset(long_segment, 'x', sizeof long_segment);
    memcpy(long_segment, "/l/", 3);
    long_segment[sizeof long_segment - 1] = '\0';
    CHECK_INT(routes_find("GET", long_segment, &match, &known, allowed, sizeof allowed), -1, "overlong param");

    size_t count = 0;
    const http_route *table = routes_table(&count);
    CHECK(count > 0, "table not empty");
    for (size_t i = 0; i < count; i++) {
        const http_route *route = &table[i];
        int method_known = !strcmp(route->method, "GET") || !strcmp(route->method, "POST") ||
                           !strcmp(route->method, "PUT") || !strcmp(route->method, "PATCH") ||
                           !strcmp(route->method, "DELETE");
        CHECK(method_known, "route %zu method %s", i, route->method);
        CHECK(route->handler != NULL, "route %s has a handler", route->pattern);
        CHECK(route->roles != 0, "route %s has roles", route->pattern);
        CHECK(route->pattern[0] == '/', "route %s starts with /", route->pattern);
        for (size_t j = 0; j < i; j++)
            CHECK(strcmp(table[j].method, route->method) != 0 || strcmp(table[j].pattern, route->pattern) != 0,
                  "duplicate route %s %s", route->method, route->pattern);
        /* Every route is reachable by its own pattern (with params filled in). */
        char path[256];
        size_t used = 0;
        for (const char *p = route->pattern; *p && used + 2 < sizeof path; p++) {
            if (*p == '{') {
                path[used++] = '7';
                while (*p && *p != '}')
                    p++;
            } else {
                path[used++] = *p;
            }
        }
        path[used] = '\0';
        CHECK(routes_find(route->method, path, &match, &known, allowed, sizeof allowed) == 0 &&
                  match.route->pattern == route->pattern,
              "route %s %s is reachable as %s (shadowed?)", route->method, route->pattern, path);
        /* A JSON body's shape is data in the row; other routes declare none. */
        int json_body = route->content_type && strcmp(route->content_type, "application/json") == 0;
        CHECK(json_body == (route->fields != NULL), "route %s %s declares its body fields only when it takes JSON",
              route->method, route->pattern);
        for (size_t f = 0; route->fields && route->fields[f]; f++)
            for (size_t g = 0; g < f; g++)
                CHECK(strcmp(route->fields[f], route->fields[g]) != 0, "route %s %s declares %s twice",
                      route->method, route->pattern, route->fields[f]);
    }

    /* The shape check: ids parsed before the handler, undeclared fields refused. */
    alvd_err err;
    CHECK_INT(routes_find("PATCH", "/api/organisations/42", &match, &known, allowed, sizeof allowed), 0,
              "organisation route");
    CHECK_INT(match.ids[0], 42, "{id} parsed");
    json_t *body = json_pack("{s:s}", "name", "Bakkerij De Korst");
    alvd_err_clear(&err);
    CHECK_INT(routes_check_shape(match.route, &match, body, &err), 0, "a declared field passes");
    json_object_set_new(body, "owner", json_string("x"));
    alvd_err_clear(&err);
    CHECK(routes_check_shape(match.route, &match, body, &err) != 0 && err.status == 400 &&
              strcmp(err.code, "unknown_field") == 0 && strcmp(err.field, "owner") == 0,
          "an undeclared field is refused as 400 unknown_field naming it (got %d %s)", err.status, err.code);
    const char *bad_ids[] = {"/api/organisations/0", "/api/organisations/-1", "/api/organisations/1x",
                             "/api/organisations/9999999999999999999"};
    for (size_t i = 0; i < sizeof bad_ids / sizeof bad_ids[0]; i++) {
        CHECK_INT(routes_find("PATCH", bad_ids[i], &match, &known, allowed, sizeof allowed), 0, bad_ids[i]);
        alvd_err_clear(&err);
        CHECK(routes_check_shape(match.route, &match, NULL, &err) != 0 && err.status == 404,
              "%s is 404 before the handler (got %d)", bad_ids[i], err.status);
    }
    CHECK_INT(routes_find("POST", "/api/meldpunt/lock", &match, &known, allowed, sizeof allowed), 0, "lock route");
    alvd_err_clear(&err);
    CHECK(routes_check_shape(match.route, &match, body, &err) != 0 && err.status == 400,
          "a route that takes no fields refuses any (got %d)", err.status);
    json_decref(body);
    CHECK_INT(routes_find("GET", "/t/abc", &match, &known, allowed, sizeof allowed), 0, "ticket route");
    alvd_err_clear(&err);
    CHECK_INT(routes_check_shape(match.route, &match, NULL, &err), 0, "a text parameter is not an id");
    return check_report("http_routes");
}
