/* Demo data for `alvd demo` (what scripts/run loads): staff accounts with known
 * passwords, and each feature's sample records, so a newcomer can explore at once. */
#ifndef ALVD_DEMO_DEMO_H
#define ALVD_DEMO_DEMO_H

#include <stdio.h>

#include "alvd/base/app.h"
#include "alvd/base/err.h"
#include "alvd/store/db.h"

/* Load everything (idempotent: a second run changes nothing and prints the same
 * logins). Writes the logins and links a person needs to report. */
int demo_load(const alvd_app *app, FILE *report, alvd_err *err);

/* Create or update one staff user (used by `alvd user add` too). roles is a
 * comma-separated list of role names. *user_id gets the id. */
int demo_user_upsert(store_conn *conn, const char *email, const char *name, const char *roles,
                     const char *password, long long *user_id, alvd_err *err);

/* The meldpunt: its key (demo passphrase printed) and reports in several states.
 * Takes the app as well: the key file lives in ALVD_DATA_DIR. */
int demo_meldpunt_load(const alvd_app *app, store_conn *conn, FILE *report, alvd_err *err);
/* The register and the Code (issue 3): the real Code as version 1 and ~40
 * organisations with mixed bases and contact persons. */
int demo_register_load(store_conn *conn, FILE *report, alvd_err *err);
/* The ALV in the hall (issue 5): an upcoming meeting with tickets for the voting
 * members; prints one member's ticket link. Needs app for the key directory and the
 * public URL the link starts with. */
int demo_meetings_load(const alvd_app *app, store_conn *conn, FILE *report, alvd_err *err);
/* This year's amendment cycle: proposals, a closed consultation round with comments
 * and replies, two proposals ready for the ALV (issue 4). */
int demo_cycles_load(store_conn *conn, FILE *report, alvd_err *err);

/* Withdrawals (issue 7): two scheduled versions computed from today (one whose
 * deadline has passed, one a few months ahead), a timely and a late letter. */
int demo_withdrawals_load(store_conn *conn, FILE *report, alvd_err *err);

#endif
