/* Member list import decisions: header mapping, per-row checks with a Dutch reason,
 * and new/changed/unchanged classification against the register, all in memory. */
#include "alvd/rules/member_import.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const char *const rules_member_export_header[RULES_MEMBER_COLUMN_COUNT] = {
    "naam", "kvk", "email", "adres", "lidnummer", "lid_sinds", "openbaar",
};

/* Accepted header spellings per meaning, already normalised (lower case, no
 * spaces, '-', '_' or '.'). */
static const char *const member_header_names[RULES_MEMBER_COLUMN_COUNT][8] = {
    {"naam", "name", "organisatie", "organisation", "organization", "bedrijfsnaam", "organisatienaam", NULL},
    {"kvk", "kvknummer", "kvknr", "kvknumber", "chamberofcommerce", NULL},
    {"email", "emailadres", "emailaddress", "mail", NULL},
    {"adres", "address", "bezoekadres", "postadres", NULL},
    {"lidnummer", "lidnr", "membernumber", "member", "relatienummer", NULL},
    {"lidsinds", "membersince", "startlidmaatschap", "ingangsdatum", NULL},
    {"openbaar", "publicconsent", "register", "publiekregister", "toestemmingregister", "vermelding", NULL},
};

static void member_normalise_header(const char *text, char *out, size_t size)
{
    size_t used = 0;
    for (const char *p = text; *p && used + 1 < size; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == ' ' || c == '-' || c == '_' || c == '.' || c == '\t')
            continue;
        out[used++] = (char)tolower(c);
    }
    out[used] = '\0';
}

int rules_member_import_columns(const rules_csv *csv, rules_member_columns *out, alvd_err *err)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < RULES_MEMBER_COLUMN_COUNT; i++)
        out->index[i] = -1;
    if (csv->rows == 0)
        return alvd_err_set(err, 422, "empty_file", "file", "Het bestand heeft geen kopregel.");
    size_t columns = csv->row_fields[0];
    for (size_t column = 0; column < columns; column++) {
        char normalised[64];
        member_normalise_header(rules_csv_field(csv, 0, column), normalised, sizeof normalised);
        int meaning = -1;
        for (int m = 0; m < RULES_MEMBER_COLUMN_COUNT && meaning < 0; m++)
            for (int k = 0; member_header_names[m][k]; k++)
                if (strcmp(normalised, member_header_names[m][k]) == 0) {
                    meaning = m;
                    break;
                }
        if (meaning < 0) {
            out->ignored[out->ignored_count++] = column;
            continue;
        }
        if (out->index[meaning] >= 0)
            return alvd_err_set(err, 422, "duplicate_column", "file",
                                "De kopregel noemt de kolom '%s' twee keer (kolom %d en %zu).",
                                rules_member_export_header[meaning], out->index[meaning] + 1, column + 1);
        out->index[meaning] = (int)column;
    }
    if (out->index[RULES_MEMBER_COLUMN_NAME] < 0 || out->index[RULES_MEMBER_COLUMN_KVK] < 0)
        return alvd_err_set(err, 422, "missing_column", "file",
                            "De kopregel moet ten minste de kolommen 'naam' en 'kvk' hebben "
                            "(gevonden scheidingsteken: '%c').",
                            csv->delimiter == '\t' ? ' ' : csv->delimiter);
    return 0;
}

const char *rules_member_status_name(rules_member_status status)
{
    switch (status) {
    case RULES_MEMBER_NEW: return "new";
    case RULES_MEMBER_CHANGED: return "changed";
    case RULES_MEMBER_UNCHANGED: return "unchanged";
    case RULES_MEMBER_INVALID: return "invalid";
    }
    return "";
}

static int member_read_number(const char **p, int max_digits, int *value)
{
    int digits = 0;
    *value = 0;
    while (**p >= '0' && **p <= '9' && digits < max_digits + 1) {
        *value = *value * 10 + (**p - '0');
        (*p)++;
        digits++;
    }
    return digits >= 1 && digits <= max_digits ? digits : 0;
}

int rules_member_date_parse(const char *text, rules_day *out)
{
    if (text == NULL || strlen(text) > 10)
        return -1;
    if (strlen(text) == 10 && text[4] == '-')
        return rules_date_parse(text, NULL, out, NULL);
    const char *p = text;
    int day, month, year;
    if (!member_read_number(&p, 2, &day))
        return -1;
    char separator = *p;
    if (separator != '-' && separator != '/' && separator != '.')
        return -1;
    p++;
    if (!member_read_number(&p, 2, &month) || *p != separator)
        return -1;
    p++;
    if (member_read_number(&p, 4, &year) != 4 || *p != '\0')
        return -1;
    if (!rules_date_is_valid(year, month, day))
        return -1;
    *out = rules_day_from_ymd(year, month, day);
    return 0;
}

int rules_member_consent_parse(const char *text)
{
    static const char *const yes[] = {"ja", "j", "yes", "y", "1", "true", "waar", "x", NULL};
    static const char *const no[] = {"nee", "n", "no", "0", "false", "onwaar", NULL};
    if (text == NULL || text[0] == '\0')
        return -2;
    for (int i = 0; yes[i]; i++)
        if (strcasecmp(text, yes[i]) == 0)
            return 1;
    for (int i = 0; no[i]; i++)
        if (strcasecmp(text, no[i]) == 0)
            return 0;
    return -1;
}

/* Append a sentence to the reason when it fits whole (never cut inside UTF-8). */
static void member_reason(rules_member_row *row, const char *format, ...)
    __attribute__((format(printf, 2, 3)));
static void member_reason(rules_member_row *row, const char *format, ...)
{
    char sentence[RULES_MEMBER_REASON_SIZE];
    va_list args;
    va_start(args, format);
    int written = vsnprintf(sentence, sizeof sentence, format, args);
    va_end(args);
    size_t used = strlen(row->reason);
    if (written < 0 || (size_t)written >= sizeof sentence ||
        used + (used ? 1 : 0) + (size_t)written >= sizeof row->reason)
        return;
    if (used)
        row->reason[used++] = ' ';
    memcpy(row->reason + used, sentence, (size_t)written + 1);
}

static size_t member_utf8_length(const char *text)
{
    size_t count = 0;
    for (; *text; text++)
        if (((unsigned char)*text & 0xC0) != 0x80)
            count++;
    return count;
}

/* 1 when text has a control character (newline allowed when allow_newline). */
static int member_has_control(const char *text, int allow_newline)
{
    for (; *text; text++) {
        unsigned char c = (unsigned char)*text;
        if ((c < 0x20 && !(allow_newline && c == '\n')) || c == 0x7F)
            return 1;
    }
    return 0;
}

int rules_member_email_is_valid(const char *email)
{
    const char *at = strrchr(email, '@');
    size_t length = strlen(email);
    if (at == NULL || at == email || length > 254 || (size_t)(at - email) > 64)
        return 0;
    /* Local part: atoms of atext joined by single dots. */
    int atom = 0;
    for (const char *p = email; p < at; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '.') {
            if (atom == 0)
                return 0; /* leading or doubled dot */
            atom = 0;
            continue;
        }
        if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && !(c >= '0' && c <= '9') &&
            strchr("!#$%&'*+-/=?^_`{|}~", c) == NULL)
            return 0;
        atom++;
    }
    if (atom == 0)
        return 0; /* trailing dot */
    /* Domain: labels of letters, digits and inner hyphens. */
    const char *domain = at + 1;
    size_t labels = 0, label = 0;
    int last_all_digits = 1;
    for (const char *p = domain;; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '.' || c == '\0') {
            if (label == 0 || label > 63 || p[-1] == '-')
                return 0;
            labels++;
            if (c == '\0')
                break;
            label = 0;
            last_all_digits = 1;
            continue;
        }
        int letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z', digit = c >= '0' && c <= '9';
        if (!letter && !digit && !(c == '-' && label > 0))
            return 0;
        if (!digit)
            last_all_digits = 0;
        label++;
    }
    return labels >= 2 && !last_all_digits;
}

static const char *member_cell(const rules_csv *csv, size_t row, int column)
{
    if (column < 0)
        return NULL;
    const char *text = rules_csv_field(csv, row, (size_t)column);
    return text && text[0] ? text : NULL;
}

/* Sorting helpers: indices into an array of rows/records, ordered by a key string. */
typedef struct member_key {
    const char *key;
    size_t index;
} member_key;

static int member_key_compare(const void *a, const void *b)
{
    const member_key *left = a, *right = b;
    int order = strcmp(left->key, right->key);
    if (order)
        return order;
    return left->index < right->index ? -1 : left->index > right->index;
}

static const member_key *member_key_find(const member_key *keys, size_t count, const char *key)
{
    size_t low = 0, high = count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        int order = strcmp(keys[middle].key, key);
        if (order < 0)
            low = middle + 1;
        else
            high = middle;
    }
    return low < count && strcmp(keys[low].key, key) == 0 ? &keys[low] : NULL;
}

static int member_text_differs(const char *given, const char *stored, int ignore_case)
{
    if (given == NULL)
        return 0; /* an empty cell leaves the field as it is */
    if (stored == NULL)
        return 1;
    return ignore_case ? strcasecmp(given, stored) != 0 : strcmp(given, stored) != 0;
}

static void member_check_row(const rules_csv *csv, size_t csv_row, const rules_member_columns *columns,
                             rules_day today, rules_member_row *row)
{
    const int *index = columns->index;
    row->line = csv->row_line[csv_row];
    row->kvk_given = rules_csv_field(csv, csv_row, (size_t)index[RULES_MEMBER_COLUMN_KVK]);
    if (row->kvk_given == NULL)
        row->kvk_given = "";
    row->name = member_cell(csv, csv_row, index[RULES_MEMBER_COLUMN_NAME]);
    row->email = member_cell(csv, csv_row, index[RULES_MEMBER_COLUMN_EMAIL]);
    row->address = member_cell(csv, csv_row, index[RULES_MEMBER_COLUMN_ADDRESS]);
    row->member_number = member_cell(csv, csv_row, index[RULES_MEMBER_COLUMN_MEMBER_NUMBER]);
    const char *since = member_cell(csv, csv_row, index[RULES_MEMBER_COLUMN_MEMBER_SINCE]);
    const char *consent = member_cell(csv, csv_row, index[RULES_MEMBER_COLUMN_PUBLIC_CONSENT]);
    row->public_consent = -1;
    row->member_since = today;

    if (row->name == NULL)
        member_reason(row, "De naam ontbreekt.");
    else if (member_utf8_length(row->name) > RULES_MEMBER_NAME_MAX)
        member_reason(row, "De naam is langer dan %d tekens.", RULES_MEMBER_NAME_MAX);
    else if (member_has_control(row->name, 0))
        member_reason(row, "De naam bevat een regelovergang of stuurteken.");
    if (rules_kvk_parse(row->kvk_given, row->kvk, NULL) != 0)
        member_reason(row, row->kvk_given[0] ? "Het KvK-nummer moet uit precies 8 cijfers bestaan."
                                             : "Het KvK-nummer ontbreekt.");
    if (row->email && (strlen(row->email) > RULES_MEMBER_EMAIL_MAX || !rules_member_email_is_valid(row->email)))
        member_reason(row, "Het e-mailadres is ongeldig.");
    if (row->address && (member_utf8_length(row->address) > RULES_MEMBER_ADDRESS_MAX ||
                         member_has_control(row->address, 1)))
        member_reason(row, "Het adres is te lang (meer dan %d tekens) of bevat een stuurteken.",
                      RULES_MEMBER_ADDRESS_MAX);
    if (row->member_number && (member_utf8_length(row->member_number) > RULES_MEMBER_NUMBER_MAX ||
                               member_has_control(row->member_number, 0)))
        member_reason(row, "Het lidnummer is langer dan %d tekens.", RULES_MEMBER_NUMBER_MAX);
    if (since) {
        if (rules_member_date_parse(since, &row->member_since) != 0)
            member_reason(row, "'Lid sinds' is geen geldige datum; gebruik JJJJ-MM-DD of DD-MM-JJJJ.");
        else
            row->member_since_given = 1;
    }
    if (consent) {
        row->public_consent = rules_member_consent_parse(consent);
        if (row->public_consent < 0) {
            row->public_consent = -1;
            member_reason(row, "'Openbaar' moet ja of nee zijn.");
        }
    }
    if (row->reason[0])
        row->status = RULES_MEMBER_INVALID;
}

static void member_describe_changes(rules_member_row *row)
{
    static const struct {
        unsigned bit;
        const char *label;
    } labels[] = {
        {RULES_MEMBER_CHANGE_NAME, "naam"},
        {RULES_MEMBER_CHANGE_EMAIL, "e-mailadres"},
        {RULES_MEMBER_CHANGE_ADDRESS, "adres"},
        {RULES_MEMBER_CHANGE_MEMBER_NUMBER, "lidnummer"},
        {RULES_MEMBER_CHANGE_PUBLIC_CONSENT, "toestemming openbaar register"},
        {RULES_MEMBER_CHANGE_MEMBERSHIP, "lidmaatschap"},
    };
    char list[256] = "";
    size_t used = 0;
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++) {
        if (!(row->changes & labels[i].bit))
            continue;
        int written = snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "", labels[i].label);
        if (written > 0 && (size_t)written < sizeof list - used)
            used += (size_t)written;
    }
    char since[RULES_DATE_TEXT_SIZE];
    if (row->changes & RULES_MEMBER_CHANGE_MEMBERSHIP)
        member_reason(row, "Wijzigt: %s (lidmaatschap vanaf %s).", list,
                      rules_date_format(row->member_since, since));
    else
        member_reason(row, "Wijzigt: %s.", list);
}

void rules_member_import_free(rules_member_import *import)
{
    if (import == NULL)
        return;
    free(import->rows);
    import->rows = NULL;
    import->count = 0;
}

int rules_member_import_classify(const rules_csv *csv, const rules_member_existing *existing,
                                 size_t existing_count, rules_day today,
                                 rules_member_import *out, alvd_err *err)
{
    memset(out, 0, sizeof *out);
    if (rules_member_import_columns(csv, &out->columns, err) != 0)
        return -1;
    size_t count = csv->rows - 1;
    member_key *by_kvk = NULL, *by_number = NULL, *file_kvk = NULL, *file_number = NULL;
    out->rows = calloc(count ? count : 1, sizeof *out->rows);
    by_kvk = malloc((existing_count ? existing_count : 1) * sizeof *by_kvk);
    by_number = malloc((existing_count ? existing_count : 1) * sizeof *by_number);
    file_kvk = malloc((count ? count : 1) * sizeof *file_kvk);
    file_number = malloc((count ? count : 1) * sizeof *file_number);
    if (out->rows == NULL || by_kvk == NULL || by_number == NULL || file_kvk == NULL || file_number == NULL)
        goto out_of_memory;
    out->count = count;

    size_t numbers = 0;
    for (size_t i = 0; i < existing_count; i++) {
        by_kvk[i] = (member_key){existing[i].kvk ? existing[i].kvk : "", i};
        if (existing[i].member_number && existing[i].member_number[0])
            by_number[numbers++] = (member_key){existing[i].member_number, i};
    }
    qsort(by_kvk, existing_count, sizeof *by_kvk, member_key_compare);
    qsort(by_number, numbers, sizeof *by_number, member_key_compare);

    /* Per-row checks, then duplicates inside the file (the later row is invalid). */
    size_t file_kvks = 0, file_numbers = 0;
    for (size_t i = 0; i < count; i++) {
        rules_member_row *row = &out->rows[i];
        member_check_row(csv, i + 1, &out->columns, today, row);
        if (row->kvk[0])
            file_kvk[file_kvks++] = (member_key){row->kvk, i};
        if (row->member_number)
            file_number[file_numbers++] = (member_key){row->member_number, i};
    }
    qsort(file_kvk, file_kvks, sizeof *file_kvk, member_key_compare);
    for (size_t k = 1; k < file_kvks; k++)
        if (strcmp(file_kvk[k].key, file_kvk[k - 1].key) == 0) {
            size_t first = k - 1;
            while (first > 0 && strcmp(file_kvk[first - 1].key, file_kvk[k].key) == 0)
                first--;
            rules_member_row *row = &out->rows[file_kvk[k].index];
            member_reason(row, "Dit KvK-nummer staat ook op regel %zu.", out->rows[file_kvk[first].index].line);
            row->status = RULES_MEMBER_INVALID;
        }
    qsort(file_number, file_numbers, sizeof *file_number, member_key_compare);
    for (size_t k = 1; k < file_numbers; k++)
        if (strcmp(file_number[k].key, file_number[k - 1].key) == 0) {
            size_t first = k - 1;
            while (first > 0 && strcmp(file_number[first - 1].key, file_number[k].key) == 0)
                first--;
            rules_member_row *row = &out->rows[file_number[k].index];
            member_reason(row, "Dit lidnummer staat ook op regel %zu.", out->rows[file_number[first].index].line);
            row->status = RULES_MEMBER_INVALID;
        }

    /* Against the register. */
    for (size_t i = 0; i < count; i++) {
        rules_member_row *row = &out->rows[i];
        const rules_member_existing *known = NULL;
        if (row->kvk[0]) {
            const member_key *hit = member_key_find(by_kvk, existing_count, row->kvk);
            known = hit ? &existing[hit->index] : NULL;
        }
        if (row->member_number) {
            const member_key *hit = member_key_find(by_number, numbers, row->member_number);
            if (hit && &existing[hit->index] != known) {
                member_reason(row, "Lidnummer %s is al in gebruik bij %s (KvK %s).", row->member_number,
                              existing[hit->index].name ? existing[hit->index].name : "een andere organisatie",
                              existing[hit->index].kvk ? existing[hit->index].kvk : "");
                row->status = RULES_MEMBER_INVALID;
            }
        }
        if (row->status == RULES_MEMBER_INVALID) {
            out->invalid_count++;
            continue;
        }
        if (known == NULL) {
            row->status = RULES_MEMBER_NEW;
            out->new_count++;
            continue;
        }
        row->existing = known;
        if (member_text_differs(row->name, known->name, 0))
            row->changes |= RULES_MEMBER_CHANGE_NAME;
        if (member_text_differs(row->email, known->email, 1))
            row->changes |= RULES_MEMBER_CHANGE_EMAIL;
        if (member_text_differs(row->address, known->address, 0))
            row->changes |= RULES_MEMBER_CHANGE_ADDRESS;
        if (member_text_differs(row->member_number, known->member_number, 0))
            row->changes |= RULES_MEMBER_CHANGE_MEMBER_NUMBER;
        if (row->public_consent >= 0 && row->public_consent != (known->public_consent != 0))
            row->changes |= RULES_MEMBER_CHANGE_PUBLIC_CONSENT;
        if (!known->has_membership ||
            (row->member_since_given && row->member_since != known->membership_since))
            row->changes |= RULES_MEMBER_CHANGE_MEMBERSHIP;
        if (row->changes) {
            row->status = RULES_MEMBER_CHANGED;
            out->changed_count++;
            member_describe_changes(row);
        } else {
            row->status = RULES_MEMBER_UNCHANGED;
            out->unchanged_count++;
        }
    }
    free(by_kvk);
    free(by_number);
    free(file_kvk);
    free(file_number);
    return 0;
out_of_memory:
    free(by_kvk);
    free(by_number);
    free(file_kvk);
    free(file_number);
    rules_member_import_free(out);
    return alvd_err_set(err, 500, "out_of_memory", "file", "Onvoldoende geheugen.");
}
