/* Handlers for /api/health and /api/session (staff login, whoami, logout). */
#ifndef ALVD_API_SESSION_H
#define ALVD_API_SESSION_H

#include "alvd/http/request.h"

void health_get(http_request *request);
void session_create(http_request *request);
void session_get(http_request *request);
void session_delete(http_request *request);

/* Reply 200 with {"token","csrf",...} for a new session and set the cookie; used by
 * every login flavour (password, ticket, link). who is merged into the body. */
void session_reply_new(http_request *request, const char *token, const char *csrf, json_t *who);

#endif
