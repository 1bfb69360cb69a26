/* Validation at the edge: typed, range-checked values from a JSON body, each failure
 * a clear error naming the field (400 wrong type/missing, 422 breaks a rule). */
#ifndef ALVD_HTTP_INPUT_H
#define ALVD_HTTP_INPUT_H

#include <stddef.h>

#include <jansson.h>

#include "alvd/base/err.h"

/* Refuse members of object not in allowed (NULL-terminated): 400 "unknown_field". */
int input_only(json_t *object, const char *const *allowed, alvd_err *err);

/* A string member, trimmed of nothing, valid UTF-8 (jansson guarantees), 1..max_chars
 * characters (code points) when required; *out borrowed from object, NULL when absent
 * and optional. Empty strings count as absent for optional fields. */
int input_string(json_t *object, const char *key, int required, size_t max_chars,
                 const char **out, alvd_err *err);
/* input_string for a single-line field (titles, names, labels, addresses): a line
 * break or another control character gives 422 "line_break" naming the field, so no
 * value can split a mail header or a CSV row later. */
int input_line(json_t *object, const char *key, int required, size_t max_chars,
               const char **out, alvd_err *err);
/* An integer member in [low, high]; *present (may be NULL) says whether it was given. */
int input_integer(json_t *object, const char *key, int required, long long low,
                  long long high, long long *out, int *present, alvd_err *err);
/* A boolean member; fallback when absent. */
int input_boolean(json_t *object, const char *key, int fallback, int *out, alvd_err *err);
/* A civil date "YYYY-MM-DD" member, checked strictly; *out borrowed. */
int input_date(json_t *object, const char *key, int required, const char **out, alvd_err *err);
/* One of the NULL-terminated choices; *out borrowed. 422 "bad_choice" otherwise. */
int input_choice(json_t *object, const char *key, int required, const char *const *choices,
                 const char **out, alvd_err *err);
/* A strict "YYYY-MM-DD" check for text from a query string. */
int input_date_text(const char *text, const char *field, alvd_err *err);
/* A strict positive decimal id from text (path or query); -1 on anything else. */
int input_id_text(const char *text, long long *out);
/* Number of UTF-8 code points in text. */
size_t input_utf8_length(const char *text);

#endif
