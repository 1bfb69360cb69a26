/* Password-guessing throttles that nobody without the password can turn against the
 * rightful user: failures count per (account, client) pair with growing delays; a
 * browser that logged in to the account before carries a signed device cookie and is
 * its own client, untouched by failures from elsewhere; an account that many clients
 * guessed at is locked for password logins from unknown browsers, and its owner gets
 * in with an e-mailed login link. Unknown e-mail addresses are throttled exactly alike. */
#ifndef ALVD_HTTP_THROTTLE_H
#define ALVD_HTTP_THROTTLE_H

#include "alvd/http/request.h"

#define THROTTLE_WINDOW_SECONDS 3600     /* failures older than this are forgotten */
#define THROTTLE_FREE_FAILURES 5         /* per pair before the first delay */
#define THROTTLE_FIRST_DELAY_SECONDS 30  /* then 30 s, 60 s, 120 s, … */
#define THROTTLE_MAX_DELAY_SECONDS 900   /* … up to 15 minutes between attempts */
#define THROTTLE_ACCOUNT_LOCK_FAILURES 30 /* per account from unknown browsers: locked */
#define THROTTLE_CLIENT_FREE_FAILURES 30 /* per address over all accounts (spraying) */
#define THROTTLE_DEVICE_SECONDS (365 * 24 * 3600)
#define THROTTLE_SUBJECT_SIZE 1200

typedef struct throttle_login {
    char pair[THROTTLE_SUBJECT_SIZE];    /* e-mail + device or address */
    char email[THROTTLE_SUBJECT_SIZE];
    int known_device;                    /* a valid device cookie for this e-mail */
    long long wait_seconds;              /* when refused: until the next attempt */
} throttle_login;

/* Before the password is checked (e-mail lower-cased). 0: go on. -1: refused, with
 * err 429 "too_many_attempts" or "account_locked" and attempt->wait_seconds set
 * (answer with throttle_reply_refusal); or a database error. */
int throttle_login_check(http_request *request, const char *email, throttle_login *attempt, alvd_err *err);
/* Answer a refusal: the error and Retry-After. */
void throttle_reply_refusal(http_request *request, const throttle_login *attempt, const alvd_err *err);
/* Record a wrong password (or unknown e-mail) for the pair, account and address. */
int throttle_login_failed(http_request *request, const throttle_login *attempt, alvd_err *err);
/* A login of this e-mail succeeded in this browser (password or e-mailed link): set a
 * device cookie so its next attempts are throttled on their own. */
void throttle_login_succeeded(http_request *request, const char *email);

#endif
