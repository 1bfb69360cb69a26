/* Outgoing mail: handlers put messages in the outbox table inside their transaction;
 * a periodic job sends them (SMTP via libcurl when ALVD_SMTP_URL is set, otherwise
 * an RFC 5322 file ALVD_DATA_DIR/outbox/<id>.eml), with retries and a failure state. */
#ifndef ALVD_MAIL_OUTBOX_H
#define ALVD_MAIL_OUTBOX_H

#include "alvd/base/app.h"
#include "alvd/base/err.h"
#include "alvd/store/db.h"

typedef struct mail_message {
    const char *to;        /* one address */
    const char *subject;   /* UTF-8; encoded as RFC 2047 when needed */
    const char *text;      /* plain-text body (required) */
    const char *html;      /* HTML alternative (optional) */
    const char *kind;      /* what it is, e.g. "login_link", "consultation_invite" */
} mail_message;

#define OUTBOX_MAX_ATTEMPTS 5

/* Queue one message (in the caller's transaction when one is open). *id may be NULL. */
int outbox_enqueue(store_conn *conn, const mail_message *message, long long *id, alvd_err *err);

/* Send one confidential message at once, without any outbox row, so the recipient and
 * text never reach the database: over SMTP when a relay is configured; otherwise (the
 * .eml development mode) the message file is written SEALED to seal_public_key
 * (crypto_box_seal) as ALVD_DATA_DIR/outbox/sealed-<random>.eml.sealed, and not at all
 * when seal_public_key is NULL. No retry: the caller reports a failure to the user. */
int outbox_send_now(const alvd_app *app, const mail_message *message,
                    const unsigned char *seal_public_key, alvd_err *err);

/* Deliver up to max pending messages that are due; returns the number handled or -1.
 * Safe to run from several alvd processes at once (rows are claimed). */
int outbox_deliver_due(const alvd_app *app, store_conn *conn, int max, alvd_err *err);

/* The delivery job for the periodic worker of `alvd serve` (include/alvd/mail/periodic.h):
 * delivers everything due, in batches of OUTBOX_DELIVERY_BATCH. */
#define OUTBOX_DELIVERY_BATCH 50
#define OUTBOX_DELIVERY_INTERVAL_SECONDS 1
int outbox_deliver_job(const alvd_app *app, store_conn *conn, alvd_err *err);

#endif
