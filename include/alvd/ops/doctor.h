/* `alvd doctor`: checks an installation the way its IT person would — configuration,
 * database reach and rights, Galera, keys and their modes, TLS files, SMTP relay, clocks,
 * pending migrations — and says for each problem what to do about it. */
#ifndef ALVD_OPS_DOCTOR_H
#define ALVD_OPS_DOCTOR_H

#include <stdio.h>
#include <time.h>

#include "alvd/base/app.h"

/* Print one line per check to out ("ok", "WARN" or "FAIL", the topic, what was found
 * and, for a problem, the fix). Returns the number of failed checks (0 = healthy). */
int doctor_run(alvd_app *app, FILE *out);

/* The notAfter instant of the first certificate in a PEM file; 0 on success. */
int doctor_certificate_expiry(const char *pem_path, time_t *not_after, char *why, size_t why_size);

#endif
