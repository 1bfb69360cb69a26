/* `alvd setup-db`: run once by a MariaDB administrator, it creates the database, the
 * service account (its role gets table rights from `alvd migrate`) and the migration
 * account, and writes their passwords to the configured files. */
#ifndef ALVD_OPS_SETUP_DB_H
#define ALVD_OPS_SETUP_DB_H

#include <stdio.h>

#include "alvd/base/app.h"

typedef struct setup_db_options {
    const char *admin_user;     /* default root (unix_socket authentication on Debian) */
    const char *admin_password; /* NULL = none */
    const char *account_host;   /* host part of both accounts; default localhost over a
                                 * socket, % over TCP */
} setup_db_options;

/* Idempotent: a second run keeps the passwords in the files and puts the accounts back
 * to exactly their rights. Reports each step on out. */
int setup_db_run(const alvd_config *config, const setup_db_options *options, FILE *out, alvd_err *err);

/* Write secret to path (created, or replaced) with mode; when group_of_directory is
 * set the file takes the group of its directory (/etc/alvd is root:alvd 0750, so the
 * service can read its password and nothing else can). */
int setup_db_secret_write(const char *path, const char *secret, unsigned mode, int group_of_directory,
                          alvd_err *err);

#endif
