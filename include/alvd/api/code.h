/* Handlers for the versioned Code (art. 7, 8): import a version from Markdown, list
 * versions with their status, the version in force on a date, and a word diff. */
#ifndef ALVD_API_CODE_H
#define ALVD_API_CODE_H

#include "alvd/http/request.h"
#include "alvd/rules/binding.h"
#include "alvd/service/code.h"

void code_version_create(http_request *request);
void code_versions_list(http_request *request);
void code_version_get(http_request *request);
void code_in_force(http_request *request);
void code_diff(http_request *request);

/* Today in Europe/Amsterdam. */
rules_day code_today(const alvd_app *app);

/* Read the optional ?date= of a request into *day (today when absent). On a bad
 * date replies 400 and returns -1. */
int code_query_date(http_request *request, rules_day *day);

#endif
