/* Error sentences in the language of the page: the reply path rewrites the Dutch
 * sentence of every error through one catalogue (Dutch pattern → English). */
#ifndef ALVD_HTTP_MESSAGES_H
#define ALVD_HTTP_MESSAGES_H

#include <stddef.h>

#include "alvd/rules/dates.h"

/* The language a request asks for: a lang=nl|en query parameter wins; otherwise the
 * Accept-Language header's preferred of Dutch and English; Dutch when neither says.
 * Either argument may be NULL. */
rules_lang messages_language(const char *lang_parameter, const char *accept_language);

/* Write the sentence message (as a handler wrote it, in Dutch) in lang into out:
 * a sentence found in the catalogue comes out in lang, its parts rewritten too
 * (a civil date YYYY-MM-DD as "dinsdag 16 juni 2026" / "Tuesday 16 June 2026",
 * an internal word such as a proposal state in words); any other sentence is
 * copied unchanged. Returns 1 when the catalogue knew the sentence, else 0. */
int messages_localise(const char *message, rules_lang lang, char *out, size_t size);

/* The catalogue's Dutch patterns ("{}" marks a part), for the coverage test:
 * index 0.. until NULL. */
const char *messages_pattern(size_t index);

#endif
