/* The member list import (issue 3, point 2): which columns of a CRM export mean
 * what, each row checked, and each row classified against the register as new,
 * changed, unchanged or invalid (with the reason), before anything is stored. */
#ifndef ALVD_RULES_MEMBER_IMPORT_H
#define ALVD_RULES_MEMBER_IMPORT_H

#include <stddef.h>

#include "alvd/base/err.h"
#include "alvd/rules/csv_import.h"
#include "alvd/rules/dates.h"
#include "alvd/rules/kvk.h"

#define RULES_MEMBER_REASON_SIZE 512
#define RULES_MEMBER_NAME_MAX 200          /* characters, as the column */
#define RULES_MEMBER_EMAIL_MAX 254
#define RULES_MEMBER_ADDRESS_MAX 500
#define RULES_MEMBER_NUMBER_MAX 32

typedef enum rules_member_column {
    RULES_MEMBER_COLUMN_NAME = 0,
    RULES_MEMBER_COLUMN_KVK,
    RULES_MEMBER_COLUMN_EMAIL,
    RULES_MEMBER_COLUMN_ADDRESS,
    RULES_MEMBER_COLUMN_MEMBER_NUMBER,
    RULES_MEMBER_COLUMN_MEMBER_SINCE,
    RULES_MEMBER_COLUMN_PUBLIC_CONSENT,
    RULES_MEMBER_COLUMN_COUNT
} rules_member_column;

/* The export header (also accepted on import): naam;kvk;email;adres;lidnummer;lid_sinds;openbaar */
extern const char *const rules_member_export_header[RULES_MEMBER_COLUMN_COUNT];

typedef struct rules_member_columns {
    int index[RULES_MEMBER_COLUMN_COUNT]; /* CSV column of each meaning, -1 when absent */
    size_t ignored[RULES_CSV_MAX_FIELDS]; /* CSV columns with an unknown header */
    size_t ignored_count;
} rules_member_columns;

/* Map the header row (csv row 0). Header names are compared without case, spaces,
 * '-', '_' and '.', in Dutch or English: naam/name/organisatie, kvk/kvknummer,
 * email/emailadres, adres/address, lidnummer/membernumber, lidsinds/membersince,
 * openbaar/publicconsent/register. Missing naam or kvk → 422 "missing_column";
 * a meaning twice → 422 "duplicate_column" (field "file"). */
int rules_member_import_columns(const rules_csv *csv, rules_member_columns *out, alvd_err *err);

/* An organisation already in the register (strings borrowed; NULL = empty). */
typedef struct rules_member_existing {
    long long id;
    const char *kvk;
    const char *name;
    const char *email;
    const char *address;
    const char *member_number;
    int public_consent;
    int has_membership;          /* an open (no until, not superseded) membership basis */
    rules_day membership_since;  /* its since */
} rules_member_existing;

typedef enum rules_member_status {
    RULES_MEMBER_NEW = 1,
    RULES_MEMBER_CHANGED = 2,
    RULES_MEMBER_UNCHANGED = 3,
    RULES_MEMBER_INVALID = 4
} rules_member_status;

/* Bits of rules_member_row.changes. */
enum {
    RULES_MEMBER_CHANGE_NAME = 1u << 0,
    RULES_MEMBER_CHANGE_EMAIL = 1u << 1,
    RULES_MEMBER_CHANGE_ADDRESS = 1u << 2,
    RULES_MEMBER_CHANGE_MEMBER_NUMBER = 1u << 3,
    RULES_MEMBER_CHANGE_PUBLIC_CONSENT = 1u << 4,
    RULES_MEMBER_CHANGE_MEMBERSHIP = 1u << 5 /* start a membership on member_since */
};

typedef struct rules_member_row {
    size_t line;                  /* physical line in the file */
    rules_member_status status;
    char kvk[RULES_KVK_SIZE];     /* normalised, "" when invalid */
    const char *kvk_given;        /* the cell as given (borrowed from the csv) */
    const char *name;             /* borrowed from the csv; NULL = empty cell */
    const char *email;
    const char *address;
    const char *member_number;
    int public_consent;           /* 0/1, or -1 when the cell is empty or absent */
    int member_since_given;       /* the file names a start date */
    rules_day member_since;       /* membership start: given, else today */
    const rules_member_existing *existing; /* changed/unchanged: the register entry */
    unsigned changes;             /* RULES_MEMBER_CHANGE_* for changed rows */
    char reason[RULES_MEMBER_REASON_SIZE]; /* Dutch: why invalid, or what changes */
} rules_member_row;

typedef struct rules_member_import {
    rules_member_columns columns;
    rules_member_row *rows; /* owned; one per data row (the header excluded) */
    size_t count;
    size_t new_count, changed_count, unchanged_count, invalid_count;
} rules_member_import;

/* Classify every data row of csv against existing (any order; the function sorts its
 * own index, so the cost is O((rows + existing) log n)). today is the start of a
 * membership when the file gives none. Rules: an empty cell leaves a field of an
 * existing organisation unchanged; a known KvK is changed when any given field
 * differs (e-mail compared without case) or it has no open membership or the given
 * start differs; a KvK or member number twice in the file, or a member number used
 * by another organisation, makes the row invalid. Returns 0 with *out owning the rows
 * (rules_member_import_free), or -1 as rules_member_import_columns, or 500. */
int rules_member_import_classify(const rules_csv *csv, const rules_member_existing *existing,
                                 size_t existing_count, rules_day today,
                                 rules_member_import *out, alvd_err *err);

void rules_member_import_free(rules_member_import *import);

/* "new", "changed", "unchanged", "invalid" (static). */
const char *rules_member_status_name(rules_member_status status);

/* Parse a date as CRMs write it: "YYYY-MM-DD", or "D-M-YYYY", "D/M/YYYY", "D.M.YYYY".
 * Returns 0 and *out, or -1 (no error text; the caller words it). */
int rules_member_date_parse(const char *text, rules_day *out);

/* "ja/nee", "yes/no", "j/n", "y/n", "1/0", "true/false", "x" (yes): 1 or 0; -1 when
 * the text is none of these; -2 when it is empty. */
int rules_member_consent_parse(const char *text);

/* An address mail can be sent to without SMTPUTF8 (RFC 5321/5322): at most 254
 * octets; a local part of 1..64 ASCII atext characters in dot-separated atoms (no
 * quotes, no backslashes, nothing outside ASCII); a domain of at least two labels of
 * ASCII letters, digits and inner hyphens (1..63 each), the last not all digits. An
 * internationalised domain is written in its xn-- form. 1 when valid. */
int rules_member_email_is_valid(const char *email);

#endif
