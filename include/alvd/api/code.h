/* Handlers for the versioned Code (art. 7, 8): import a version from Markdown, list
 * versions with their status, the version in force on a date, and a word diff. */
#ifndef ALVD_API_CODE_H
#define ALVD_API_CODE_H

#include "alvd/http/request.h"
#include "alvd/rules/binding.h"

void code_version_create(http_request *request);
void code_versions_list(http_request *request);
void code_version_get(http_request *request);
void code_in_force(http_request *request);
void code_diff(http_request *request);

/* Every Code version, for rules_binding_on and friends. Labels are borrowed from
 * rows, so keep the list until done and free it with code_versions_free. */
typedef struct code_version_list {
    rules_code_version *items; /* owned; NULL when count is 0 */
    size_t count;
    store_result *rows;        /* owned */
} code_version_list;

int code_versions_load(store_conn *conn, code_version_list *out, alvd_err *err);
void code_versions_free(code_version_list *list);

/* Today in Europe/Amsterdam. */
rules_day code_today(const alvd_app *app);

/* Read the optional ?date= of a request into *day (today when absent). On a bad
 * date replies 400 and returns -1. */
int code_query_date(http_request *request, rules_day *day);

/* Store one Code version with its articles in the caller's transaction (the demo
 * loader uses it too): 409 "label_taken" / "effective_date_taken", 422 from the
 * importer. decided_on (may be NULL: the first version) is the date of the ALV
 * decision it implements. The first version of the register also pins every contract
 * that was recorded before any version existed. *version_id gets the new id;
 * *articles (may be NULL) the parsed article list as JSON (new reference). */
int code_version_store(store_conn *conn, const audit_actor *actor, const char *label,
                       const char *effective_from, const char *decided_on, const char *markdown, size_t length,
                       long long *version_id, json_t **articles, alvd_err *err);

#endif
