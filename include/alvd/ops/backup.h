/* `alvd backup DIR` and `alvd restore DIR`: a consistent dump of the database (one
 * mariadb-dump transaction) with a copy of the data directory (keys/, uploads, outbox),
 * a manifest and SHA256SUMS, every file 0600; and its restore into an empty database and
 * an empty data directory, checked against the checksums first. */
#ifndef ALVD_OPS_BACKUP_H
#define ALVD_OPS_BACKUP_H

#include <stdio.h>

#include "alvd/base/app.h"

#define BACKUP_FORMAT "alvd-backup 1"

/* dir must not exist or be empty. Dumps as the service account (SELECT is enough). */
int backup_run(alvd_app *app, const char *dir, FILE *out, alvd_err *err);

/* Restores into the configured database, which must exist and hold no table (as the
 * migration account, which then sets the service role's rights), and into the data
 * directory, which must not exist or be empty. */
int restore_run(alvd_app *app, const char *dir, FILE *out, alvd_err *err);

#endif
