/* Handlers for /api/health and /api/session (staff login, whoami, logout) and the
 * staff second factor's enrolment. */
#ifndef ALVD_API_SESSION_H
#define ALVD_API_SESSION_H

#include "alvd/crypto/totp.h"
#include "alvd/http/request.h"
#include "alvd/service/totp.h"
#include "alvd/http/auth.h"

void health_get(http_request *request);
void session_create(http_request *request);
void session_get(http_request *request);
void session_delete(http_request *request);

/* ---- the second factor (session_totp.c) ---- */
void session_totp_begin(http_request *request);   /* POST /api/session/totp */
void session_totp_confirm(http_request *request); /* POST /api/session/totp/confirm */

#endif
