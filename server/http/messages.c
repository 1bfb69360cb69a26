/* Error sentences in the language of the page. Handlers write one Dutch sentence per
 * error; the reply path matches it here against a catalogue of Dutch patterns and
 * writes it in the asked language, with its parts (dates, states) in words. */
#include "alvd/http/messages.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MESSAGES_MAX_PARTS 6
#define MESSAGES_PART_MAX 400

typedef struct messages_entry {
    const char *dutch;   /* the handler's sentence; "{}" marks a part */
    const char *english; /* "{1}", "{2}" … name the parts in order */
} messages_entry;

/* A part that is an internal word or a Dutch phrase: its words in either language
 * (nl NULL = keep as it is in Dutch). */
typedef struct messages_word {
    const char *text;
    const char *nl;
    const char *en;
} messages_word;

static const messages_entry messages_catalogue[];
static const messages_word messages_words[];

typedef struct messages_parts messages_parts;
static int messages_write(size_t entry, const messages_parts *parts, rules_lang lang, int depth, char *out,
                          size_t size);

/* ---- language of the request ---- */

static double messages_quality(const char *accept, const char *primary)
{
    double best = -1.0;
    const char *p = accept;
    size_t primary_length = strlen(primary);
    while (p && *p) {
        while (*p == ' ' || *p == ',')
            p++;
        const char *tag = p;
        while (*p && *p != ';' && *p != ',' && *p != ' ')
            p++;
        size_t tag_length = (size_t)(p - tag);
        double quality = 1.0;
        while (*p && *p != ',') {
            if (*p == ';') {
                p++;
                while (*p == ' ')
                    p++;
                if ((p[0] == 'q' || p[0] == 'Q') && p[1] == '=') {
                    p += 2;
                    /* q is 0, 1 or 0.xxx: read it by hand, no locale-dependent strtod. */
                    quality = *p == '1' ? 1.0 : 0.0;
                    if (*p == '0' && p[1] == '.') {
                        double scale = 0.1;
                        for (const char *d = p + 2; *d >= '0' && *d <= '9'; d++, scale /= 10)
                            quality += (*d - '0') * scale;
                    }
                }
            }
            if (*p && *p != ',')
                p++;
        }
        int same = tag_length >= primary_length && strncasecmp(tag, primary, primary_length) == 0 &&
                   (tag_length == primary_length || tag[primary_length] == '-');
        if (same && quality > best)
            best = quality;
    }
    return best;
}

rules_lang messages_language(const char *lang_parameter, const char *accept_language)
{
    if (lang_parameter && strcasecmp(lang_parameter, "en") == 0)
        return RULES_LANG_EN;
    if (lang_parameter && strcasecmp(lang_parameter, "nl") == 0)
        return RULES_LANG_NL;
    if (accept_language == NULL)
        return RULES_LANG_NL;
    double dutch = messages_quality(accept_language, "nl");
    double english = messages_quality(accept_language, "en");
    return english > 0.0 && english > dutch ? RULES_LANG_EN : RULES_LANG_NL;
}

/* ---- matching a sentence against a pattern ---- */

struct messages_parts {
    const char *start[MESSAGES_MAX_PARTS];
    size_t length[MESSAGES_MAX_PARTS];
    int count;
};

/* Backtracking match; a part may be empty. After a part only the places where the
 * next literal character occurs are tried, so the search stays small. */
static int messages_match(const char *pattern, const char *text, messages_parts *parts)
{
    while (*pattern) {
        if (pattern[0] == '{' && pattern[1] == '}') {
            if (parts->count == MESSAGES_MAX_PARTS)
                return 0;
            int index = parts->count++;
            const char *rest = pattern + 2;
            size_t available = strlen(text);
            for (size_t length = 0; length <= available; length++) {
                if (*rest && !(rest[0] == '{' && rest[1] == '}') && text[length] != *rest)
                    continue;
                parts->start[index] = text;
                parts->length[index] = length;
                if (messages_match(rest, text + length, parts))
                    return 1;
            }
            parts->count = index;
            return 0;
        }
        if (*pattern != *text)
            return 0;
        pattern++;
        text++;
    }
    return *text == '\0';
}

/* ---- writing parts in words ---- */

static int messages_iso_date(const char *text, rules_day *day)
{
    if (strlen(text) != 10)
        return 0;
    alvd_err err;
    return rules_date_parse(text, NULL, day, &err) == 0;
}

static int messages_starts_with_weekday(const char *text)
{
    for (int weekday = 1; weekday <= 7; weekday++) {
        const char *name = rules_weekday_name(weekday, RULES_LANG_NL);
        size_t length = strlen(name);
        if (strncmp(text, name, length) == 0 && text[length] == ' ')
            return 1;
    }
    return 0;
}

/* "dinsdag 16 juni 2026 14:00" → "Tuesday 16 June 2026 14:00": the names swapped word
 * by word (the numbers and the order are the same in both). */
static void messages_long_date_english(const char *text, char *out, size_t size)
{
    size_t used = 0;
    out[0] = '\0';
    const char *p = text;
    while (*p && used + 1 < size) {
        const char *word = p;
        while (*p && *p != ' ')
            p++;
        size_t length = (size_t)(p - word);
        const char *swap = NULL;
        for (int weekday = 1; weekday <= 7 && !swap; weekday++)
            if (strlen(rules_weekday_name(weekday, RULES_LANG_NL)) == length &&
                strncmp(word, rules_weekday_name(weekday, RULES_LANG_NL), length) == 0)
                swap = rules_weekday_name(weekday, RULES_LANG_EN);
        for (int month = 1; month <= 12 && !swap; month++)
            if (strlen(rules_month_name(month, RULES_LANG_NL)) == length &&
                strncmp(word, rules_month_name(month, RULES_LANG_NL), length) == 0)
                swap = rules_month_name(month, RULES_LANG_EN);
        int written = swap ? snprintf(out + used, size - used, "%s", swap)
                           : snprintf(out + used, size - used, "%.*s", (int)length, word);
        if (written < 0 || (size_t)written >= size - used)
            return;
        used += (size_t)written;
        if (*p == ' ' && used + 1 < size) {
            out[used++] = ' ';
            out[used] = '\0';
            p++;
        }
    }
}

static void messages_part(const char *text, rules_lang lang, int depth, char *out, size_t size)
{
    rules_day day;
    if (messages_iso_date(text, &day)) {
        rules_date_format_long(day, lang, out, size);
        return;
    }
    if (lang == RULES_LANG_EN && messages_starts_with_weekday(text)) {
        messages_long_date_english(text, out, size);
        return;
    }
    for (size_t i = 0; messages_words[i].text; i++) {
        if (strcmp(messages_words[i].text, text) != 0)
            continue;
        const char *word = lang == RULES_LANG_EN ? messages_words[i].en : messages_words[i].nl;
        snprintf(out, size, "%s", word ? word : text);
        return;
    }
    /* A list of words ("voorstellen opstellen of consultatie"): each word on its own. */
    const char *joint = strstr(text, " of ");
    if (joint && depth < 2) {
        char first[MESSAGES_PART_MAX], rest[MESSAGES_PART_MAX], head[MESSAGES_PART_MAX], tail[MESSAGES_PART_MAX];
        snprintf(first, sizeof first, "%.*s", (int)(joint - text), text);
        snprintf(rest, sizeof rest, "%s", joint + 4);
        messages_part(first, lang, depth + 1, head, sizeof head);
        messages_part(rest, lang, depth + 1, tail, sizeof tail);
        if (strcmp(head, first) != 0 || strcmp(tail, rest) != 0) {
            /* A list longer than out is cut off; the sentence around it stays whole. */
            if (snprintf(out, size, "%s%s%s", head, lang == RULES_LANG_EN ? " or " : " of ", tail) >= (int)size)
                out[size - 1] = '\0';
            return;
        }
    }
    /* A part may itself be a whole sentence of the catalogue ("Regel 4: <why>"). */
    if (depth < 2) {
        for (size_t i = 0; messages_catalogue[i].dutch; i++) {
            messages_parts parts = {.count = 0};
            if (!messages_match(messages_catalogue[i].dutch, text, &parts))
                continue;
            messages_write(i, &parts, lang, depth + 1, out, size);
            return;
        }
    }
    snprintf(out, size, "%s", text);
}

/* The entry's sentence in lang with each part in words. */
static int messages_write(size_t entry, const messages_parts *parts, rules_lang lang, int depth, char *out,
                          size_t size)
{
    char rendered[MESSAGES_MAX_PARTS][MESSAGES_PART_MAX];
    for (int i = 0; i < parts->count; i++) {
        char raw[MESSAGES_PART_MAX];
        size_t length = parts->length[i] < sizeof raw - 1 ? parts->length[i] : sizeof raw - 1;
        memcpy(raw, parts->start[i], length);
        raw[length] = '\0';
        messages_part(raw, lang, depth, rendered[i], sizeof rendered[i]);
    }
    const char *template = lang == RULES_LANG_EN ? messages_catalogue[entry].english
                                                 : messages_catalogue[entry].dutch;
    size_t used = 0;
    int next = 0;
    out[0] = '\0';
    for (const char *p = template; *p && used + 1 < size;) {
        const char *insert = NULL;
        if (p[0] == '{' && p[1] == '}') {
            insert = next < parts->count ? rendered[next++] : "";
            p += 2;
        } else if (p[0] == '{' && p[1] >= '1' && p[1] <= '9' && p[2] == '}') {
            int index = p[1] - '1';
            insert = index < parts->count ? rendered[index] : "";
            p += 3;
        }
        if (insert) {
            int written = snprintf(out + used, size - used, "%s", insert);
            if (written < 0 || (size_t)written >= size - used) {
                used = size - 1;
                break;
            }
            used += (size_t)written;
        } else {
            out[used++] = *p++;
            out[used] = '\0';
        }
    }
    return 1;
}

int messages_localise(const char *message, rules_lang lang, char *out, size_t size)
{
    if (size == 0)
        return 0;
    if (message == NULL) {
        out[0] = '\0';
        return 0;
    }
    for (size_t i = 0; messages_catalogue[i].dutch; i++) {
        messages_parts parts = {.count = 0};
        if (messages_match(messages_catalogue[i].dutch, message, &parts))
            return messages_write(i, &parts, lang, 0, out, size);
    }
    snprintf(out, size, "%s", message);
    return 0;
}

const char *messages_pattern(size_t index)
{
    size_t count = 0;
    while (messages_catalogue[count].dutch)
        count++;
    return index < count ? messages_catalogue[index].dutch : NULL;
}

/* ---- the catalogue ----
 * One line per sentence a handler writes. A new error sentence belongs here too
 * (tests/api/messages.test.mjs names any that is missing). Dutch first, as the
 * handler writes it with "{}" for each printf part; then the English, which may put
 * the parts in another order with {1}, {2} …. */
static const messages_entry messages_catalogue[] = {
    /* the request itself */
    {"Niet gevonden.", "Not found."},
    {"Deze pagina bestaat niet.", "This page does not exist."},
    {"Onbekend adres: {}.", "Unknown address: {1}."},
    {"Methode {} is hier niet toegestaan.", "Method {1} is not allowed here."},
    {"Verwacht inhoud van het type {}.", "Expected content of type {1}."},
    {"De inhoud is groter dan de toegestane {} bytes.", "The content is larger than the {1} bytes allowed."},
    {"De gegevens zijn geen geldig JSON-object ({}).", "The data is not a valid JSON object ({1})."},
    {"Log eerst in.", "Please log in first."},
    {"Niet (meer) ingelogd.", "You are not logged in (any more)."},
    {"Niet (meer) ingelogd; de sessie is verlopen of afgemeld.",
     "You are not logged in (any more); the session has expired or was logged out."},
    {"U heeft geen toegang tot deze functie.", "You do not have access to this function."},
    {"Verzoek van een andere website geweigerd.", "Request from another website refused."},
    {"Beveiligingstoken (CSRF) ontbreekt of klopt niet; herlaad de pagina.",
     "The security token (CSRF) is missing or wrong; reload the page."},
    {"De functie gaf geen antwoord.", "The function gave no answer."},
    {"Interne fout.", "Internal error."},
    {"Geen geheugen.", "Out of memory."},
    {"Onvoldoende geheugen.", "Out of memory."},
    {"Niet genoeg geheugen.", "Out of memory."},
    {"Geen geheugen voor het wachtwoord.", "Out of memory for the password."},
    {"Niet genoeg geheugen om de sleutel af te leiden.", "Not enough memory to derive the key."},
    {"Onvoldoende geheugen om de teksten te vergelijken.", "Not enough memory to compare the texts."},
    {"Onvoldoende geheugen om de vergelijking te tonen.", "Not enough memory to show the comparison."},
    {"Te veel pogingen; probeer het over een minuut opnieuw.", "Too many attempts; try again in a minute."},
    {"Het e-mailadres of het wachtwoord klopt niet.", "The e-mail address or the password is wrong."},
    {"Een wachtwoord heeft {} tot {} tekens.", "A password has {1} to {2} characters."},

    /* generic input checks (the page shows its own sentence with the field's label) */
    {"Onbekend veld: {}.", "Unknown field: {1}."},
    {"Veld {} moet tekst zijn.", "Field {1} must be text."},
    {"Veld {} bevat een NUL-teken.", "Field {1} contains a NUL character."},
    {"Veld {} is verplicht.", "Field {1} is required."},
    {"Veld {} is langer dan {} tekens.", "Field {1} is longer than {2} characters."},
    {"Veld {} moet een geheel getal zijn.", "Field {1} must be a whole number."},
    {"Veld {} moet tussen {} en {} liggen.", "Field {1} must be between {2} and {3}."},
    {"Veld {} moet true of false zijn.", "Field {1} must be true or false."},
    {"Veld {} moet een bestaande datum zijn als JJJJ-MM-DD.", "Field {1} must be a real date as YYYY-MM-DD."},
    {"Veld {} moet een van deze zijn: {}.", "Field {1} must be one of these: {2}."},
    {"Het veld {} mag geen regelovergang of stuurteken bevatten.",
     "The field {1} may not contain a line break or control character."},
    {"Ongeldige datum; gebruik de vorm JJJJ-MM-DD, bijvoorbeeld 2026-06-16.",
     "Invalid date; use the form YYYY-MM-DD, for example 2026-06-16."},
    {"De datum {} bestaat niet in de kalender.", "The date {1} does not exist in the calendar."},
    {"Geef een tijdstip als RFC 3339, bijvoorbeeld 2026-03-02T09:00:00+01:00.",
     "Give a moment in time as RFC 3339, for example 2026-03-02T09:00:00+01:00."},
    {"Tijdstip moet RFC 3339 zijn, bijvoorbeeld 2026-06-16T19:30:00+02:00.",
     "A moment in time must be RFC 3339, for example 2026-06-16T19:30:00+02:00."},
    {"Een nummer in de zoekopdracht is ongeldig.", "A number in the search is invalid."},
    {"before, object_id en limit (1–{}) zijn positieve gehele getallen.",
     "before, object_id and limit (1–{1}) are positive whole numbers."},
    {"before is een nummer.", "before is a number."},
    {"Kies format=json of format=csv.", "Choose format=json or format=csv."},
    {"Kies format=json of format=markdown.", "Choose format=json or format=markdown."},
    {"Kies state=pending, sent of failed.", "Choose state=pending, sent or failed."},
    {"Schaal moet tussen 1 en 32 liggen.", "Scale must be between 1 and 32."},
    {"Geef met ?{}= het nummer van een versie.", "Give the number of a version with ?{1}=."},

    /* the database */
    {"Dit bestaat al.", "This already exists."},
    {"Een verwijzing naar een onbekend object.", "A reference to an unknown object."},
    {"Dit object is nog in gebruik.", "This object is still in use."},
    {"De database was even bezet; probeer het opnieuw.", "The database was busy for a moment; please try again."},
    {"De database is tijdelijk niet bereikbaar.", "The database cannot be reached for the moment."},
    {"Een waarde is ongeldig: {}", "A value is invalid: {1}"},
    {"Interne databasefout.", "Internal database error."},

    /* the register */
    {"Deze organisatie staat niet in het register.", "This organisation is not in the register."},
    {"Uw organisatie staat niet in het register.", "Your organisation is not in the register."},
    {"De zoekterm is te lang (ten hoogste 200 tekens).", "The search term is too long (at most 200 characters)."},
    {"Gebruik member=true of member=false.", "Use member=true or member=false."},
    {"Gebruik basis=all, membership, signature, contract, any of none.",
     "Use basis=all, membership, signature, contract, any or none."},
    {"Dit is geen geldig e-mailadres; gebruik de vorm naam@organisatie.nl.",
     "This is not a valid e-mail address; use the form name@organisation.nl."},
    {"Een KvK-nummer bestaat uit precies 8 cijfers, bijvoorbeeld 12345678.",
     "A KvK number has exactly 8 digits, for example 12345678."},
    {"KvK-nummer {} staat al in het register ({}).", "KvK number {1} is already in the register ({2})."},
    {"Dit lidnummer is al in gebruik bij {}.", "This member number is already used by {1}."},
    {"De einddatum ({}) ligt vóór de begindatum ({}); kies een einddatum op of na {}.",
     "The end date ({1}) is before the start date ({2}); choose an end date on or after {3}."},
    {"Een contract als grondslag heeft een contractreferentie nodig.", "A contract as a basis needs a contract reference."},
    {"Contractreferentie, wederpartij, vastgezette versie en het volgen van wijzigingen horen alleen bij de "
     "grondslag contract.",
     "Contract reference, counterparty, pinned version and following amendments belong only to the basis contract."},
    {"Een contract volgt wijzigingen óf is vastgezet op een versie, niet beide.",
     "A contract either follows amendments or is pinned to a version, not both."},
    {"Deze organisatie heeft al een {} van {} tot en met {}; beëindig dat eerst of kies aansluitende data.",
     "This organisation already has a {1} from {2} up to and including {3}; end that first or choose adjoining dates."},
    {"Deze organisatie heeft al een {} van {} zonder einddatum; beëindig dat eerst of kies aansluitende data.",
     "This organisation already has a {1} from {2} without an end date; end that first or choose adjoining dates."},
    {"Een datum van lidmaatschap hoort alleen bij een lid van KSF.", "A membership date belongs only to a member of KSF."},
    {"Deze organisatie heeft al een contactpersoon met dit e-mailadres.",
     "This organisation already has a contact person with this e-mail address."},
    {"Deze contactpersoon bestaat niet (meer).", "This contact person does not exist (any more)."},
    {"Contactpersoon niet gevonden.", "Contact person not found."},
    {"Deze grondslag bestaat niet.", "This basis does not exist."},
    {"Deze grondslag is al vervangen door grondslag {}; beëindig die.",
     "This basis has already been replaced by basis {1}; end that one."},
    {"Deze grondslag eindigt al op {}.", "This basis already ends on {1}."},
    {"Regel {}: {} Er is niets ingelezen.", "Line {1}: {2} Nothing has been imported."},
    {"1 regel is ongeldig; er is niets ingelezen. Verbeter die regel en lees het bestand opnieuw in.",
     "1 line is invalid; nothing has been imported. Correct that line and import the file again."},
    {"{} regels zijn ongeldig; er is niets ingelezen. Verbeter die regels en lees het bestand opnieuw in.",
     "{1} lines are invalid; nothing has been imported. Correct those lines and import the file again."},
    {"Het register is te groot voor één export.", "The register is too large for one export."},
    {"Onbekende grondslag; kies lidmaatschap, ondertekening of contract.",
     "Unknown basis; choose membership, signature or contract."},
    {"De einddatum van een grondslag ligt voor de begindatum.", "The end date of a basis is before its start date."},
    {"Het bestand is groter dan {} bytes.", "The file is larger than {1} bytes."},
    {"Het bestand is in UTF-16 opgeslagen. Sla het op als CSV in UTF-8 of Windows-1252 (in Excel: \"CSV "
     "(gescheiden door lijstscheidingsteken)\").",
     "The file is saved in UTF-16. Save it as CSV in UTF-8 or Windows-1252 (in Excel: \"CSV (comma delimited)\")."},
    {"Het bestand bevat NUL-tekens en is dus geen tekstbestand (CSV).",
     "The file contains NUL characters and is therefore not a text file (CSV)."},
    {"Het bestand begint als UTF-8 maar bevat ongeldige UTF-8-tekens.",
     "The file starts as UTF-8 but contains invalid UTF-8 characters."},
    {"Het bestand is leeg: er is geen kopregel en er zijn geen regels.",
     "The file is empty: there is no header line and there are no lines."},
    {"Regel {} opent een veld met een aanhalingsteken (\") dat nergens wordt gesloten; er is niets ingelezen.",
     "Line {1} opens a field with a quotation mark (\") that is never closed; nothing has been imported."},
    {"Regel {} heeft meer dan {} kolommen.", "Line {1} has more than {2} columns."},
    {"Regel {} heeft een veld van meer dan {} bytes.", "Line {1} has a field of more than {2} bytes."},
    {"Het bestand heeft meer dan {} regels.", "The file has more than {1} lines."},
    {"Het bestand is te groot.", "The file is too large."},
    {"Het bestand heeft geen kopregel.", "The file has no header line."},
    {"De kopregel noemt de kolom '{}' twee keer (kolom {} en {}).",
     "The header line names the column '{1}' twice (columns {2} and {3})."},
    {"De kopregel moet ten minste de kolommen 'naam' en 'kvk' hebben (gevonden scheidingsteken: '{}').",
     "The header line must have at least the columns 'naam' and 'kvk' (separator found: '{1}')."},

    /* the Code */
    {"Deze versie van de Code bestaat niet.", "This version of the Code does not exist."},
    {"Er is al een versie met het label '{}'.", "There is already a version labelled '{1}'."},
    {"Versie '{}' gaat al in op {}; twee versies kunnen niet op dezelfde dag ingaan.",
     "Version '{1}' already takes effect on {2}; two versions cannot take effect on the same day."},
    {"Op {} was geen versie van de Code van kracht.", "On {1} no version of the Code was in force."},
    {"Versie {} van de Code bestaat niet.", "Version {1} of the Code does not exist."},
    {"Een versie van de Code heeft geen geldig nummer.", "A version of the Code has no valid number."},
    {"Versie {} komt twee keer voor.", "Version {1} occurs twice."},
    {"Twee versies van de Code hebben dezelfde ingangsdatum.", "Two versions of the Code have the same effective date."},
    {"Het contract verwijst naar versie {}, die niet bestaat.", "The contract refers to version {1}, which does not exist."},
    {"Een geplande versie heeft geen geldig nummer.", "A scheduled version has no valid number."},
    {"De tekst van de Code is te lang (ten hoogste {} bytes).", "The text of the Code is too long (at most {1} bytes)."},
    {"De tekst van de Code is geen geldige UTF-8 (of bevat een NUL-teken).",
     "The text of the Code is not valid UTF-8 (or contains a NUL character)."},
    {"De tekst bevat geen genummerde artikelen. Begin elk artikel op een eigen regel met het nummer en de titel, "
     "zoals \"1. Preambule\".",
     "The text contains no numbered articles. Start each article on a line of its own with its number and title, "
     "such as \"1. Preambule\"."},
    {"De tekst bevat meer dan {} artikelen.", "The text contains more than {1} articles."},
    {"De tekst is te lang om te vergelijken (maximaal {} bytes).", "The text is too long to compare (at most {1} bytes)."},

    /* cycles, proposals and consultation */
    {"Deze cyclus bestaat niet.", "This cycle does not exist."},
    {"Er is al een wijzigingscyclus voor {}; er is één cyclus per jaar.",
     "There is already an amendment cycle for {1}; there is one cycle a year."},
    {"De voorstellen gaan pas naar de ALV na ten minste één consultatieronde (Code art. 7).",
     "The proposals go to the ALV only after at least one consultation round (Code art. 7)."},
    {"De cyclus is afgesloten; de fase kan niet meer veranderen.", "The cycle is closed; its phase can no longer change."},
    {"Vanuit de fase {} kan de cyclus alleen naar de fase {}.", "From the phase {1} the cycle can only move to {2}."},
    {"De cyclus is in de fase {}; {} kan alleen {}.", "The cycle is in the phase {1}; {2} is only possible {3}."},
    {"Dit voorstel bestaat niet.", "This proposal does not exist."},
    {"Deze versie van het voorstel bestaat niet.", "This revision of the proposal does not exist."},
    {"Verwijs naar een halfjaarrapportage van het meldpunt als JJJJH1 of JJJJH2, bijvoorbeeld 2026H1.",
     "Refer to a half-year report of the meldpunt as YYYYH1 or YYYYH2, for example 2026H1."},
    {"Een voorstel wijzigt ten minste één artikel.", "A proposal changes at least one article."},
    {"Veld changes moet een lijst zijn.", "Field changes must be a list."},
    {"Een voorstel wijzigt hoogstens {} artikelen.", "A proposal changes at most {1} articles."},
    {"Elke wijziging is een object.", "Each change is an object."},
    {"Artikel {} staat twee keer in dit voorstel; neem alles over dat artikel in één wijziging op.",
     "Article {1} appears twice in this proposal; put everything about that article in one change."},
    {"Het schrappen van artikel {} neemt geen titel.", "Deleting article {1} takes no title."},
    {"Er is op {} geen versie van de Code van kracht om te wijzigen; voer eerst de Code in.",
     "On {1} no version of the Code is in force to amend; enter the Code first."},
    {"Artikel {} staat niet in de Code die nu geldt; kies het artikel dat het voorstel wijzigt.",
     "Article {1} is not in the Code in force; choose the article the proposal changes."},
    {"'{}' is geen artikelnummer; gebruik een nummer met eventueel één letter, zoals '7' of '6e'.",
     "'{1}' is not an article number; use a number with at most one letter, such as '7' or '6e'."},
    {"Artikel {} staat niet in de Code die nu geldt; alleen een bestaand artikel kunt u {}. Kies 'Nieuw artikel' "
     "om een artikel toe te voegen.",
     "Article {1} is not in the Code in force; only an existing article can be {2}. Choose 'New article' to add an "
     "article."},
    {"Geef de nieuwe tekst van artikel {}.", "Give the new text of article {1}."},
    {"Bij het schrappen van artikel {} hoort geen nieuwe tekst.", "Deleting article {1} takes no new text."},
    {"Artikel {} bestaat al; kies een nieuw nummer (zoals '6e') of kies 'Vervangen'.",
     "Article {1} already exists; choose a new number (such as '6e') or choose 'Replace'."},
    {"Geef de tekst van het nieuwe artikel {}.", "Give the text of the new article {1}."},
    {"Kies bij elke wijziging Vervangen, Nieuw artikel of Schrappen.",
     "Choose Replace, New article or Delete for every change."},
    {"Deze suggestie bestaat niet.", "This suggestion does not exist."},
    {"Van deze suggestie is al voorstel {} gemaakt.", "Proposal {1} has already been made from this suggestion."},
    {"De suggestie noemt geen artikel; geef aan welk artikel het voorstel wijzigt.",
     "The suggestion names no article; say which article the proposal changes."},
    {"Dit voorstel is {} en kan niet meer worden gewijzigd.", "This proposal is {1} and can no longer be changed."},
    {"Geef versienummers als from=1&to=2.", "Give revision numbers as from=1&to=2."},
    {"Dit voorstel heeft {} versie.", "This proposal has {1} revision."},
    {"Dit voorstel heeft {} versies.", "This proposal has {1} revisions."},
    {"Alleen een concept kan gereed worden gemeld.", "Only a draft can be marked ready."},
    {"Dit voorstel is nog niet in een afgesloten consultatieronde voorgelegd; KSF consulteert eerst de betrokken "
     "partijen (Code art. 7).",
     "This proposal has not yet been put to a closed consultation round; KSF first consults the parties involved "
     "(Code art. 7)."},
    {"Nog 1 reactie op dit voorstel zonder antwoord van het bestuur; beantwoord die eerst in de reactienota.",
     "1 comment on this proposal still has no reply from the board; answer it first in the consultation report."},
    {"Nog {} reacties op dit voorstel zonder antwoord van het bestuur; beantwoord ze eerst in de reactienota.",
     "{1} comments on this proposal still have no reply from the board; answer them first in the consultation report."},
    {"Deze consultatieronde bestaat niet.", "This consultation round does not exist."},
    {"Geef de voorstellen van de ronde als lijst van nummers (proposal_ids).",
     "Give the proposals of the round as a list of numbers (proposal_ids)."},
    {"Een ronde gaat over 1 tot {} voorstellen.", "A round concerns 1 to {1} proposals."},
    {"Elk voorstel is een positief nummer.", "Each proposal is a positive number."},
    {"Voorstel {} staat twee keer in de lijst.", "Proposal {1} is in the list twice."},
    {"Voorstel {} hoort niet bij deze cyclus.", "Proposal {1} does not belong to this cycle."},
    {"Voorstel {} is niet meer in behandeling en kan niet worden voorgelegd.",
     "Proposal {1} is no longer being handled and cannot be put to consultation."},
    {"De titels van de voorstellen zijn samen te lang voor de uitnodiging.",
     "The titles of the proposals are together too long for the invitation."},
    {"Deze ronde is nog niet open; sluiten kan pas na de opening.", "This round is not open yet; it can be closed only after it opens."},
    {"Een herinnering kan alleen zolang de ronde open is.", "A reminder can be sent only while the round is open."},
    {"Voorstel {} ligt niet voor in deze consultatieronde.", "Proposal {1} is not part of this consultation round."},
    {"Dit voorstel wijzigt artikel {} niet; reageer op het hele voorstel of op een van de artikelen {}.",
     "This proposal does not change article {1}; comment on the whole proposal or on one of the articles {2}."},
    {"Deze reactie bestaat niet.", "This comment does not exist."},
    {"De reactienota is te groot voor één bestand.", "The consultation report is too large for one file."},
    {"Een consultatieronde sluit ten minste een uur na de opening.", "A consultation round closes at least an hour after it opens."},
    {"Een consultatieronde duurt hoogstens een jaar.", "A consultation round lasts at most a year."},
    {"Reageren kan alleen zolang de consultatieronde open is: van {} tot {} (Nederlandse tijd). De ronde is {}.",
     "Comments are possible only while the consultation round is open: from {1} to {2} (Dutch time). The round is {3}."},
    {"Het bestuur antwoordt na de sluiting van de ronde ({}), zodat elke reactie in haar definitieve vorm wordt "
     "beantwoord.",
     "The board replies after the round closes ({1}), so that every comment is answered in its final form."},

    /* effective dates and withdrawals */
    {"Alleen voor een aangenomen voorstel kan een ingangsdatum worden vastgesteld.",
     "An effective date can be set only for an adopted proposal."},
    {"De ingangsdatum {} kan niet meer worden gewijzigd: aantal intrekkingen die al naar deze versie verwijzen: {}.",
     "The effective date {1} can no longer be changed: withdrawals that already refer to this version: {2}."},
    {"Op {} gaat al een andere versie van de Code in; kies een andere ingangsdatum.",
     "Another version of the Code already takes effect on {1}; choose another effective date."},
    {"De ingangsdatum moet ten minste 6 weken na het ALV-besluit van {} liggen; de vroegst mogelijke datum is {}.",
     "The effective date must be at least 6 weeks after the ALV decision of {1}; the earliest possible date is {2}."},
    {"{} heeft op {} geen lopende ondertekening van de Code: {}. Alleen een ondertekening kan per brief worden "
     "ingetrokken (art. 7); lidmaatschap en contract blijven buiten een intrekking.",
     "{1} has no running signature of the Code on {2}: {3}. Only a signature can be withdrawn by letter (art. 7); "
     "membership and contract are not affected by a withdrawal."},
    {"zij heeft de Code niet ondertekend", "it has not signed the Code"},
    /* the longer sentence first: a part at the end would swallow its tail */
    {"haar ondertekening eindigde op {} na een eerdere intrekking", "its signature ended on {1} after an earlier withdrawal"},
    {"haar ondertekening eindigde op {}", "its signature ended on {1}"},
    {"Deze scan is niet gevonden; upload de scan opnieuw.", "This scan was not found; upload the scan again."},
    {"De ondertekening van {} is al ingetrokken (registratie {}); zij eindigt op {}. Corrigeer die registratie in "
     "plaats van een nieuwe te maken.",
     "The signature of {1} has already been withdrawn (entry {2}); it ends on {3}. Correct that entry instead of "
     "making a new one."},
    {"Voor {} staat al een intrekking open (registratie {}) die wacht op de eerstvolgende wijziging. Corrigeer die "
     "registratie in plaats van een nieuwe te maken.",
     "{1} already has a withdrawal (entry {2}) waiting for the next amendment. Correct that entry instead of making "
     "a new one."},
    {"De grondslag is intussen gewijzigd; probeer het opnieuw.", "The basis has changed in the meantime; please try again."},
    {"Bericht te lang.", "Message too long."},
    {"Deze registratie bestaat niet.", "This entry does not exist."},
    {"Deze registratie is al gecorrigeerd door registratie {}; corrigeer die.",
     "This entry has already been corrected by entry {1}; correct that one."},
    {"Deze registratie is intussen al gecorrigeerd.", "This entry has been corrected in the meantime."},
    {"De ontvangstdatum ligt na vandaag ({}); vul de dag in waarop de brief binnenkwam.",
     "The date of receipt is after today ({1}); enter the day the letter came in."},
    {"De verzenddatum ligt na de ontvangstdatum; een brief wordt eerst verstuurd en dan ontvangen.",
     "The date sent is after the date of receipt; a letter is sent first and received later."},
    {"De map voor scans kan niet worden gemaakt.", "The folder for scans cannot be made."},
    {"Het pad voor de scan is te lang.", "The path for the scan is too long."},
    {"Het bestand is leeg.", "The file is empty."},
    {"Een scan mag hoogstens 10 MB zijn.", "A scan may be at most 10 MB."},
    {"\"{}\" is geen PDF, JPEG of PNG (gecontroleerd op de inhoud van het bestand). Scan de brief als PDF, JPEG of "
     "PNG.",
     "\"{1}\" is not a PDF, JPEG or PNG (checked on the content of the file). Scan the letter as PDF, JPEG or PNG."},
    {"Het bestand is geen PDF, JPEG of PNG (gecontroleerd op de inhoud van het bestand). Scan de brief als PDF, "
     "JPEG of PNG.",
     "The file is not a PDF, JPEG or PNG (checked on the content of the file). Scan the letter as PDF, JPEG or PNG."},
    {"Het bestand \"{}\" heeft een naam die niet past bij de inhoud: het is een {}. Alleen PDF, JPEG of PNG met de "
     "juiste extensie wordt aangenomen.",
     "The name of the file \"{1}\" does not fit its content: it is a {2}. Only PDF, JPEG or PNG with the right "
     "extension is accepted."},
    {"De scan kan niet worden opgeslagen.", "The scan cannot be stored."},
    {"Deze scan bestaat niet.", "This scan does not exist."},
    {"Het bestand van deze scan ontbreekt.", "The file of this scan is missing."},
    {"Bevestig dat u de ondertekening van de Code namens uw organisatie opzegt.",
     "Confirm that you withdraw the signature of the Code on behalf of your organisation."},
    {"Track & trace-code \"{}\" is ongeldig: {} Geldig is een S10-code zoals RR123456785NL (2 letters, 8 cijfers met "
     "controlecijfer, 2 letters landcode) of een PostNL-code die begint met 3S en 13 of 15 letters en cijfers telt.",
     "Track & trace code \"{1}\" is invalid: {2} Valid is an S10 code such as RR123456785NL (2 letters, 8 digits "
     "with a check digit, 2 letters country code) or a PostNL code that starts with 3S and has 13 or 15 letters and "
     "digits."},
    {"Track & trace-code is ongeldig: {} Geldig is een S10-code zoals RR123456785NL (2 letters, 8 cijfers met "
     "controlecijfer, 2 letters landcode) of een PostNL-code die begint met 3S en 13 of 15 letters en cijfers telt.",
     "The track & trace code is invalid: {1} Valid is an S10 code such as RR123456785NL (2 letters, 8 digits with a "
     "check digit, 2 letters country code) or a PostNL code that starts with 3S and has 13 or 15 letters and digits."},
    {"Alleen medewerkers hebben een agendalink.", "Only staff have a calendar link."},
    {"Deze agendalink is onbekend of vervangen; maak een nieuwe aan op de pagina Termijnen.",
     "This calendar link is unknown or replaced; make a new one on the Deadlines page."},
    {"De agenda is te groot.", "The calendar is too large."},

    /* the hybrid meeting (BW 2:38a) and the speaker list (issue 18) */
    {"De link naar de uitzending moet een volledige http(s)-link zijn, bijvoorbeeld https://vergadering.ksf.nl/alv.",
     "The stream link must be a complete http(s) link, for example https://vergadering.ksf.nl/alv."},
    {"Elektronische deelname wordt vóór de vergadering geregeld; tijdens de vergadering ligt zij vast.",
     "Electronic participation is settled before the meeting; during the meeting it is fixed."},
    {"Uw organisatie is geen stemgerechtigd lid voor deze vergadering.",
     "Your organisation is not a voting member for this meeting."},
    {"Voor deze vergadering is elektronische deelname niet mogelijk: kom naar de zaal, of geef een schriftelijke "
     "volmacht aan een lid dat er is.",
     "This meeting does not allow electronic participation: come to the hall, or give a written proxy to a member "
     "who is there."},
    {"Er zijn net al codes naar uw organisatie gestuurd. Gebruik de nieuwste code uit de mailbox, of vraag over tien "
     "minuten een nieuwe aan.",
     "Codes were just sent to your organisation. Use the newest code in the mailbox, or ask for a new one in ten "
     "minutes."},
    {"Van uw organisatie is geen e-mailadres geregistreerd, dus wij kunnen geen code sturen. Neem contact op met het "
     "secretariaat.",
     "Your organisation has no registered e-mail address, so we cannot send a code. Please contact the secretariat."},
    {"Er is te vaak een verkeerde code ingevuld. Wacht tien minuten en vraag dan een nieuwe code aan.",
     "A wrong code was entered too often. Wait ten minutes, then ask for a new code."},
    {"Een code bestaat uit 6 cijfers, zoals in de e-mail.", "A code has 6 digits, as in the e-mail."},
    {"Deze code klopt niet. Controleer de cijfers in de nieuwste e-mail, of vraag een nieuwe code aan.",
     "This code is wrong. Check the digits in the newest e-mail, or ask for a new code."},
    {"Deze code is al gebruikt; een code werkt één keer. Vraag een nieuwe code aan.",
     "This code has been used; a code works once. Ask for a new code."},
    {"Deze code is verlopen (hij is 10 minuten geldig). Vraag een nieuwe aan.",
     "This code has expired (it is valid for 10 minutes). Ask for a new one."},
    {"Het woord vragen kan alleen tijdens de vergadering (zij is nu niet geopend).",
     "You can ask for the floor only during the meeting (it is not open now)."},
    {"U bent niet aangemeld als aanwezig. Meld u aan bij de ingang of neem op afstand deel; daarna kunt u het woord "
     "vragen.",
     "You are not registered as present. Check in at the door or take part remotely; then you can ask for the floor."},
    {"Bij deze vergadering volgt en stemt u op afstand; het woord voeren kan alleen in de zaal.",
     "At this meeting you follow and vote remotely; taking the floor is possible only in the hall."},
    {"Dit spreekverzoek bestaat niet.", "This request for the floor does not exist."},
    {"Deze spreker heeft het woord al.", "This speaker already has the floor."},
    {"Dit verzoek staat niet (meer) op de lijst.", "This request is not (or no longer) on the list."},
    {"De vergadering is niet geopend.", "The meeting is not open."},
    {"Deze spreker heeft het woord niet.", "This speaker does not have the floor."},
    {"Deze spreker heeft het woord; de voorzitter beëindigt de beurt.",
     "This speaker has the floor; the chair ends the turn."},
    {"U heeft de voorzitter net al veel bijdragen gestuurd; wacht even voor de volgende.",
     "You have just sent the chair many contributions; wait a moment before the next one."},
    {"Deze bijdrage bestaat niet.", "This contribution does not exist."},

    /* meetings, attendance and polls */
    {"Vergadering niet gevonden.", "Meeting not found."},
    {"Begintijd moet UU:MM zijn, bijvoorbeeld 19:30.", "The start time must be HH:MM, for example 19:30."},
    {"Een gesloten vergadering kan niet meer worden gewijzigd.", "A closed meeting can no longer be changed."},
    {"proposal_ids moet een lijst van ids zijn.", "proposal_ids must be a list of ids."},
    {"Een agenda heeft hoogstens {} punten.", "An agenda has at most {1} items."},
    {"De agenda van een gesloten vergadering ligt vast.", "The agenda of a closed meeting is fixed."},
    {"proposal_ids moet positieve gehele getallen bevatten.", "proposal_ids must contain positive whole numbers."},
    {"Voorstel {} bestaat niet.", "Proposal {1} does not exist."},
    {"Voorstel {} is nog niet gereed voor de ALV (status {}); alleen gereedgemelde voorstellen komen op de agenda.",
     "Proposal {1} is not ready for the ALV yet (status {2}); only proposals marked ready go on the agenda."},
    {"Een voorstel staat twee keer op de agenda.", "A proposal is on the agenda twice."},
    {"items moet een lijst van {\"title\"} zijn.", "items must be a list of {\"title\"}."},
    {"Agendapunt {} bestaat niet.", "Agenda item {1} does not exist."},
    {"Deze vergadering is gesloten.", "This meeting is closed."},
    {"Deze vergadering is al gesloten.", "This meeting is already closed."},
    {"Deze vergadering is al geopend.", "This meeting is already open."},
    {"Er loopt nog een stemming; sluit eerst de stemming en daarna de vergadering.",
     "A poll is still open; close the poll first and then the meeting."},
    {"Geen geldig ticket voor deze organisatie.", "No valid ticket for this organisation."},
    {"Voor een gesloten vergadering worden geen tickets meer uitgegeven.", "No more tickets are issued for a closed meeting."},
    {"Deze organisatie heeft geen ticket voor deze vergadering.", "This organisation has no ticket for this meeting."},
    {"De oproeping gaat uit vóór de vergadering begint.", "The notice goes out before the meeting starts."},
    {"Deze organisatie is geen stemgerechtigd lid voor deze vergadering.",
     "This organisation is not a voting member for this meeting."},
    {"Deze scan-id is al gebruikt voor een ander lid; scan opnieuw.", "This scan id has already been used for another member; scan again."},
    {"Deze code is geen geldig toegangsbewijs van KSF.", "This code is not a valid KSF ticket."},
    {"Deze code is geen geldig toegangsbewijs van KSF (vervalst of beschadigd).",
     "This code is not a valid KSF ticket (forged or damaged)."},
    {"Dit toegangsbewijs hoort bij een andere vergadering.", "This ticket belongs to another meeting."},
    {"Dit toegangsbewijs is ingetrokken (er is een nieuw uitgegeven). Vraag het nieuwe bij de balie.",
     "This ticket has been revoked (a new one was issued). Ask for the new one at the desk."},
    {"De lijst is te groot.", "The list is too large."},
    {"Een lid kan geen volmacht aan zichzelf geven.", "A member cannot give a proxy to itself."},
    {"Volmachten zijn voor deze vergadering niet toegestaan (instelling van de vergadering).",
     "Proxies are not allowed for this meeting (a setting of the meeting)."},
    {"Volmachtgever en gevolmachtigde moeten allebei stemgerechtigd lid zijn voor deze vergadering.",
     "The member giving and the member holding a proxy must both be voting members for this meeting."},
    {"Deze organisatie heeft al een volmacht gegeven; trek die eerst in.",
     "This organisation has already given a proxy; revoke it first."},
    {"Een volmacht kan niet worden doorgegeven: de gevolmachtigde heeft zelf een volmacht gegeven, of de "
     "volmachtgever houdt al volmachten van anderen.",
     "A proxy cannot be passed on: the holder has given a proxy itself, or the member giving it already holds "
     "proxies of others."},
    {"Deze gevolmachtigde heeft al {} volmacht(en); het maximum per lid is {}.",
     "This holder already has {1} proxy/proxies; the maximum per member is {2}."},
    {"Volmacht niet gevonden of al ingetrokken.", "Proxy not found or already revoked."},
    {"Onbekende meerderheidsregel; kies more_than_half, literal_half_plus_one, two_thirds of "
     "majority_of_votes_cast.",
     "Unknown majority rule; choose more_than_half, literal_half_plus_one, two_thirds or majority_of_votes_cast."},
    {"Onbekende meerderheidsregel.", "Unknown majority rule."},
    {"Aantallen aanwezigen en stemmen kunnen niet negatief zijn.", "Numbers of members present and votes cannot be negative."},
    {"Er zijn {} stemmen uitgebracht, maar er waren maar {} leden aanwezig toen de stemming werd geopend.",
     "{1} votes were cast, but only {2} members were present when the poll was opened."},
    {"Deze stemming bestaat niet.", "This poll does not exist."},
    {"Dit voorstel staat niet op de agenda van deze vergadering.", "This proposal is not on the agenda of this meeting."},
    {"Er is al een stemming over dit voorstel (nummer {}); gebruik zo nodig een herstemming.",
     "There is already a poll on this proposal (number {1}); use a re-vote if needed."},
    {"Over dit voorstel kan niet (meer) worden gestemd: het is niet gereed voor de ALV (status {}).",
     "This proposal cannot be voted on (any more): it is not ready for the ALV (status {1})."},
    {"Deze stemming is al geopend.", "This poll is already open."},
    {"Deze stemming is al gesloten.", "This poll is already closed."},
    {"Open eerst de vergadering; een stemming kan alleen tijdens de vergadering.",
     "Open the meeting first; a poll is possible only during the meeting."},
    {"Over dit voorstel kan niet meer worden gestemd (status {}).", "This proposal can no longer be voted on (status {1})."},
    {"Stemmen is nu niet mogelijk; probeer het zo opnieuw.", "Voting is not possible right now; try again shortly."},
    {"De stem-id moet 16 tot 64 tekens zijn (letters, cijfers, - of _), bijvoorbeeld een UUID.",
     "The ballot id must be 16 to 64 characters (letters, digits, - or _), for example a UUID."},
    {"Deze stem-id is al eens gebruikt; vernieuw de pagina en stem opnieuw.",
     "This ballot id has been used before; reload the page and vote again."},
    {"Deze stemming is nog niet geopend.", "This poll has not been opened yet."},
    {"De telling klopt niet met het register van wie heeft gestemd; de stemming blijft open.",
     "The count does not match the register of who voted; the poll stays open."},
    {"Alleen een geheime stemming publiceert trackers.", "Only a secret poll publishes trackers."},
    {"De trackers worden pas gepubliceerd als de voorzitter de stemming sluit.",
     "The trackers are published only when the chair closes the poll."},
    {"Lid {} stond niet op de presentielijst toen deze stemming werd geopend.",
     "Member {1} was not on the attendance list when this poll was opened."},
    {"Lid {} heeft al gestemd (telefoon of papier); een tweede stem telt niet.",
     "Member {1} has already voted (phone or paper); a second vote does not count."},
    {"Papieren stemmen kunnen alleen worden ingevoerd zolang de stemming open is.",
     "Paper votes can be entered only while the poll is open."},
    {"Geef de papieren stemmen als lijst: [{\"organisation_id\", \"choice\"}].",
     "Give the paper votes as a list: [{\"organisation_id\", \"choice\"}]."},
    {"Elke papieren stem is een object.", "Each paper vote is an object."},
    {"Geef de leden die op papier stemden als lijst van organisatienummers.",
     "Give the members who voted on paper as a list of organisation numbers."},
    {"Het aantal leden ({}) moet gelijk zijn aan voor + tegen + onthouding ({}).",
     "The number of members ({1}) must equal for + against + abstain ({2})."},
    {"Elk organisatienummer is een positief geheel getal.", "Each organisation number is a positive whole number."},
    {"Alleen de laatste, gesloten stemming over een voorstel kan worden overgedaan.",
     "Only the last, closed poll on a proposal can be held again."},
    {"Een herstemming kan alleen tijdens de vergadering.", "A re-vote is possible only during the meeting."},
    {"Er is al een herstemming over deze stemming.", "There is already a re-vote of this poll."},
    {"Voor dit besluit is de ingangsdatum al vastgesteld; een herstemming kan niet meer.",
     "The effective date of this decision has already been set; a re-vote is no longer possible."},
    {"De notulen zijn te groot.", "The minutes are too large."},
    {"De QR-code kon niet worden gemaakt.", "The QR code could not be made."},
    {"De QR-code is te groot.", "The QR code is too large."},
    {"De QR-afbeelding is te groot.", "The QR image is too large."},
    {"Deze inloglink is al gebruikt, verlopen of onbekend. Vraag een nieuwe aan.",
     "This login link has been used, has expired or is unknown. Ask for a new one."},

    /* the meldpunt */
    {"Het meldpunt is nog niet ingericht; probeer het later opnieuw.", "The meldpunt has not been set up yet; try again later."},
    {"Ontgrendel eerst het meldpunt met uw wachtzin.", "Unlock the meldpunt with your passphrase first."},
    {"Zoek op hoogstens 100 tekens.", "Search with at most 100 characters."},
    {"Bijlagen horen in een lijst.", "Attachments belong in a list."},
    {"Voeg hoogstens {} bijlagen toe.", "Add at most {1} attachments."},
    {"Een bijlage is geen object.", "An attachment is not an object."},
    {"Een bijlage mag hoogstens {} MB zijn.", "An attachment may be at most {1} MB."},
    {"Een bijlage is niet goed gecodeerd (base64).", "An attachment is not encoded correctly (base64)."},
    {"Alleen PDF-, JPEG- en PNG-bestanden zijn toegestaan.", "Only PDF, JPEG and PNG files are allowed."},
    {"Een bijlage is beschadigd of geen echte PDF, JPEG of PNG.", "An attachment is damaged or not a real PDF, JPEG or PNG."},
    {"Vul uw naam en e-mailadres in.", "Enter your name and e-mail address."},
    {"Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.", "Enter a valid e-mail address, such as name@example.com."},
    {"Kies één of meer normen uit de Code.", "Choose one or more standards of the Code."},
    {"'{}' is geen norm van de Code die nu geldt; kies uit de lijst.",
     "'{1}' is not a standard of the Code in force; choose from the list."},
    {"Kies de organisatie uit de lijst.", "Choose the organisation from the list."},
    {"Deze ontvangstcode kennen we niet. Controleer de cijfers.", "We do not know this receipt code. Check the digits."},
    {"Het meldpunt heeft al een sleutel.", "The meldpunt already has a key."},
    {"Melding niet gevonden.", "Report not found."},
    {"De persoonsgegevens van deze melding zijn na de bewaartermijn verwijderd.",
     "The personal data of this report were deleted after the retention period."},
    {"Bijlage niet gevonden.", "Attachment not found."},
    {"Het bestand van deze bijlage ontbreekt.", "The file of this attachment is missing."},
    {"Deze melding is al opgeschoond.", "This report has already been purged."},
    {"Deze melding is al in behandeling genomen.", "This report is already being handled."},
    {"Voor deze melding is al een signaal verstuurd.", "A signal has already been sent for this report."},
    {"Hoor eerst de organisatie: stuur een signaal voordat u oordeelt.",
     "Hear the organisation first: send a signal before you judge."},
    {"Na de terugkoppeling kan het oordeel niet meer veranderen.", "After the feedback the judgement can no longer change."},
    {"Neem de melding eerst in behandeling.", "Start handling the report first."},
    {"Deze melding is afgesloten.", "This report is closed."},
    {"Deze melding is al afgesloten.", "This report is already closed."},
    {"Geef de melder eerst terugkoppeling; daarna kunt u afsluiten.", "Give the reporter feedback first; then you can close it."},
    {"Signaal niet gevonden.", "Signal not found."},
    {"Dit signaal is al beantwoord.", "This signal has already been answered."},
    {"Voorstellen horen in een lijst.", "Proposals belong in a list."},
    {"Een voorstel is geen object.", "A proposal is not an object."},
    {"Deze halfjaarrapportage is al gepubliceerd.", "This half-year report has already been published."},
    {"Het halfjaar {} loopt tot en met {}; publiceer daarna.", "The half-year {1} runs up to and including {2}; publish after that."},
    {"Ongeldige periode; gebruik de vorm JJJJH1 of JJJJH2, bijvoorbeeld 2026H1.",
     "Invalid period; use the form YYYYH1 or YYYYH2, for example 2026H1."},
    {"Kies een wachtzin van minstens {} tekens.", "Choose a passphrase of at least {1} characters."},
    {"Het sleutelbestand van het meldpunt is beschadigd.", "The key file of the meldpunt is damaged."},
    {"De wachtzin klopt niet.", "The passphrase is wrong."},
    {"De geheime en de publieke sleutel van het meldpunt horen niet bij elkaar.",
     "The secret and the public key of the meldpunt do not belong together."},
    {"De sleutel van deze melding opent niet met de sleutel van het meldpunt.",
     "The key of this report does not open with the key of the meldpunt."},
    {"Versleutelde gegevens zijn beschadigd.", "Encrypted data is damaged."},

    /* the outbox */
    {"Ongeldig e-mailadres.", "Invalid e-mail address."},
    {"Het bericht is te groot.", "The message is too large."},
    {"De e-mail kon niet worden verstuurd.", "The e-mail could not be sent."},
    {"Deze mail bestaat niet.", "This mail does not exist."},
    {"Alleen een mail die niet kon worden afgeleverd, kan opnieuw worden verstuurd.",
     "Only a mail that could not be delivered can be sent again."},
    {"Onbekend objecttype.", "Unknown object type."},
    /* agenda of a meeting */
    {"Geef de agenda als een lijst van agendapunten: elk een punt met een titel, een voorstel of een besluit.",
     "Give the agenda as a list of agenda items: each an item with a title, a proposal or a decision."},
    {"Agendapunt {} is geen object.", "Agenda item {1} is not an object."},
    {"Agendapunt {}: de titel moet op één regel staan.", "Agenda item {1}: the title must be on one line."},
    {"Agendapunt {}: punt {} staat niet (zo) op de agenda van deze vergadering.",
     "Agenda item {1}: item {2} is not (in this form) on the agenda of this meeting."},
    {"Agendapunt {}: dit voorstel staat al eerder op de agenda.", "Agenda item {1}: this proposal is already on the agenda."},
    {"Agendapunt {}: dit punt staat al eerder op de agenda.", "Agenda item {1}: this item is already on the agenda."},
    {"Agendapunt {}: over dit punt is al een stemming klaargezet; het blijft een besluit.",
     "Agenda item {1}: a poll on this item has already been prepared; it stays a decision."},
    {"Agendapunt {}: voorstel {} bestaat niet.", "Agenda item {1}: proposal {2} does not exist."},
    {"Agendapunt {}: voorstel {} is nog niet gereed voor de ALV; alleen voorstellen waarvan elke consultatiereactie is "
     "beantwoord en die gereed zijn gemeld, komen op de agenda.",
     "Agenda item {1}: proposal {2} is not ready for the ALV yet; only proposals whose consultation replies have all "
     "been answered and that have been marked ready go on the agenda."},
    {"Punt {} van de agenda kan er niet af: er is al een stemming over klaargezet of gehouden.",
     "Item {1} cannot be taken off the agenda: a poll on it has already been prepared or held."},
    {"Geef de agenda als een lijst van agendapunten.", "Give the agenda as a list of agenda items."},
    {"Een titel van een agendapunt moet op één regel staan.", "The title of an agenda item must be on one line."},
    {"Dit agendapunt bestaat niet.", "This agenda item does not exist."},
    {"Bij dit agendapunt hoort geen voorsteltekst.", "This agenda item has no proposal text."},
    {"Er is al een stemming over dit agendapunt (nummer {}); gebruik zo nodig een herstemming.",
     "There already is a poll on this agenda item (number {1}); hold a re-vote if needed."},
    {"Kies waarover gestemd wordt: een voorstel of een agendapunt, precies één van beide.",
     "Choose what the vote is about: a proposal or an agenda item, exactly one of the two."},
    {"Dit agendapunt staat niet op de agenda van deze vergadering.", "This agenda item is not on the agenda of this meeting."},
    {"Over dit agendapunt wordt niet gestemd; maak er op de agenda een besluit van.",
     "There is no vote on this agenda item; make it a decision on the agenda."},
    {"Deze stemming gaat over een besluit zonder voorsteltekst.", "This poll is about a decision without proposal text."},

    /* meetings and polls after the merge */
    {"Deze vergadering staat op {}; vandaag is het {}. Een vergadering wordt alleen op haar eigen datum geopend. Wordt "
     "zij vandaag gehouden, zet dan eerst de datum op vandaag (die wijziging komt in het logboek).",
     "This meeting is set for {1}; today is {2}. A meeting is opened only on its own date. If it is held today, first "
     "set its date to today (that change is recorded in the log)."},
    {"Deze stemming is gesloten; uw stem is niet meer meegeteld.", "This poll is closed; your vote was not counted."},
    {"U heeft voor deze stemming geen geldige volmacht van dit lid: de volmacht telde niet mee toen de stemming werd "
     "geopend.",
     "You hold no valid proxy of this member for this poll: the proxy did not count when the poll was opened."},
    {"Bij de opening van deze stemming werd u vertegenwoordigd door een gevolmachtigde; die brengt uw stem uit.",
     "When this poll was opened you were represented by a proxy holder; they cast your vote."},
    {"U stond niet als aanwezig geregistreerd toen deze stemming werd geopend. Alleen wie toen aanwezig was (of "
     "vertegenwoordigd werd), stemt mee.",
     "You were not registered as present when this poll was opened. Only those present then (or represented) vote."},
    {"Voor dit lid is al op papier gestemd; een tweede stem telt niet.",
     "This member has already voted on paper; a second vote does not count."},
    {"Voor dit lid is al gestemd; een tweede stem telt niet.", "This member has already voted; a second vote does not count."},
    {"U staat niet meer als aanwezig geregistreerd (uitgecheckt), dus u kunt nu ook niet stemmen voor het lid dat u "
     "vertegenwoordigt. Laat uw toegangsbewijs bij de ingang opnieuw scannen en stem dan.",
     "You are no longer registered as present (checked out), so you cannot vote now for the member you represent "
     "either. Have your ticket scanned again at the entrance and then vote."},
    {"U staat niet meer als aanwezig geregistreerd (uitgecheckt), dus u kunt nu niet stemmen. Laat uw toegangsbewijs "
     "bij de ingang opnieuw scannen en stem dan; tot die tijd telt u mee als niet voor.",
     "You are no longer registered as present (checked out), so you cannot vote now. Have your ticket scanned again at "
     "the entrance and then vote; until then you count as not for."},
    {"De datum van een geopende vergadering ligt vast.", "The date of an opened meeting is fixed."},
    {"Dit ticket bestaat niet.", "This ticket does not exist."},
    {"De sleutel van deze geheime stemming is onbruikbaar.", "The key of this secret ballot cannot be used."},
    {"Een verzegelde stem van deze stemming gaat niet open; de stemming blijft open.",
     "A sealed vote of this poll does not open; the poll stays open."},
    {"Een tracker komt twee keer voor in de stembus; de stemming blijft open.",
     "A tracker occurs twice in the ballot box; the poll stays open."},
    {"De sleutel van deze geheime stemming kan niet worden opgeslagen ({}).",
     "The key of this secret ballot cannot be stored ({1})."},
    {"De sleutel van deze geheime stemming ontbreekt ({}); de stemmen kunnen niet worden geteld. Zet het bestand terug "
     "uit de reservekopie of houd een herstemming.",
     "The key of this secret ballot is missing ({1}); the votes cannot be counted. Restore the file from the backup or "
     "hold a re-vote."},
    {"{} is niet de sleutel van deze geheime stemming; de stemmen kunnen niet worden geteld.",
     "{1} is not the key of this secret ballot; the votes cannot be counted."},

    /* the Code register: no retroactive versions */
    {"Een wijziging van de Code werkt niet terug (art. 7): de ingangsdatum {} ligt vóór vandaag ({}).",
     "An amendment of the Code has no retroactive effect (art. 7): the effective date {1} is before today ({2})."},
    {"Noem de datum van het ALV-besluit dat deze versie uitvoert; alleen de eerste versie van een leeg register kan "
     "zonder.",
     "State the date of the ALV decision this version implements; only the first version of an empty register can do "
     "without."},
    {"Het ALV-besluit van {} ligt na vandaag ({}); een versie voert alleen een genomen besluit uit.",
     "The ALV decision of {1} is after today ({2}); a version only implements a decision already taken."},
    {"Met ingangsdatum {} zou de uiterste ontvangstdatum voor intrekkingen ({}) al voorbij zijn; ondertekenaars moeten "
     "hun ondertekening kunnen intrekken. Kies {} of later.",
     "With effective date {1} the last day for receiving withdrawals ({2}) would already have passed; signatories must "
     "be able to withdraw their signature. Choose {3} or later."},

    /* meldpunt: publication and suppression */
    {"Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl (zonder accenten of andere tekens buiten ASCII; een "
     "internationale domeinnaam in de xn--vorm).",
     "Enter a valid e-mail address, such as name@example.nl (without accents or other characters outside ASCII; an "
     "international domain name in its xn-- form)."},
    {"Het meldpunt heeft de rapportage over {} nog niet gepubliceerd.",
     "The meldpunt has not yet published the report on {1}."},
    {"De gepubliceerde tabel van {} is beschadigd.", "The published table of {1} is damaged."},
    {"Te veel normen in één tabel.", "Too many norms in one table."},
    {"Een telling valt buiten het bereik.", "A count is out of range."},
    {"Het totaal van een norm is niet de som van zijn oordelen.", "The total of a norm is not the sum of its judgements."},
    {"De tabel kan niet veilig worden gepubliceerd: elke telling is al afgeschermd.",
     "The table cannot be published safely: every count is already hidden."},

    /* meldpunt officers: own keys and identity requests */
    {"Schrijf op waarom u de identiteit nodig hebt (minstens {} tekens); de andere functionaris beslist daarop.",
     "Write down why you need the identity (at least {1} characters); the other officer decides on that."},
    {"De identiteit is al aan u vrijgegeven.", "The identity has already been released to you."},
    {"Uw verzoek wacht al op een andere functionaris.", "Your request is already waiting for another officer."},
    {"Verzoek niet gevonden.", "Request not found."},
    {"Een verzoek om de identiteit beoordeelt een andere functionaris, niet wie het deed.",
     "A request for the identity is decided by another officer, not by the one who made it."},
    {"Over dit verzoek is al beslist.", "This request has already been decided."},
    {"Uw sleutelbestand ontbreekt (keys/{}). Laat een andere functionaris u verwijderen en kies opnieuw een wachtzin.",
     "Your key file is missing (keys/{1}). Have another officer remove you and choose a passphrase again."},
    {"Uw sleutelbestand hoort niet bij uw sleutel in de database (keys/{}).",
     "Your key file does not belong to your key in the database (keys/{1})."},
    {"De meldpuntsleutel die voor u is verzegeld, opent niet.", "The meldpunt key sealed for you does not open."},
    {"De sleutel die voor u is verzegeld, hoort niet bij dit meldpunt.", "The key sealed for you does not belong to this meldpunt."},
    {"Het meldpunt gebruikt nog één gedeelde wachtzin. Vul die in en kies uw eigen wachtzin.",
     "The meldpunt still uses one shared passphrase. Enter it and choose your own passphrase."},
    {"Kies eerst uw eigen wachtzin; daarna geeft een andere functionaris u toegang.",
     "Choose your own passphrase first; then another officer gives you access."},
    {"Een andere functionaris moet u eerst toegang geven tot het meldpunt.",
     "Another officer must give you access to the meldpunt first."},
    {"Kies een eigen wachtzin, niet de gedeelde die de anderen ook kennen.",
     "Choose a passphrase of your own, not the shared one the others know too."},
    {"U heeft al een eigen sleutel; ontgrendel daarmee.", "You already have a key of your own; unlock with it."},
    {"De gedeelde wachtzin is al vervangen; kies uw eigen wachtzin en vraag een andere functionaris om toegang.",
     "The shared passphrase has already been replaced; choose your own passphrase and ask another officer for access."},
    {"U heeft al een eigen sleutel. Een andere wachtzin kiezen kan met uw huidige wachtzin.",
     "You already have a key of your own. You can choose another passphrase with your current one."},
    {"U heeft nog geen eigen sleutel.", "You do not have a key of your own yet."},
    {"Gebruiker niet gevonden.", "User not found."},
    {"Deze gebruiker heeft de rol meldpunt niet.", "This user does not have the meldpunt role."},
    {"Deze functionaris heeft nog geen eigen wachtzin gekozen; dat komt eerst.",
     "This officer has not chosen a passphrase of their own yet; that comes first."},
    {"Deze functionaris heeft al toegang.", "This officer already has access."},
    {"Intussen is er al iets veranderd; laad de lijst opnieuw.", "Something has changed in the meantime; reload the list."},
    {"Deze functionaris heeft geen sleutel.", "This officer has no key."},
    {"Dit is de enige functionaris met toegang. Geef eerst een ander toegang; anders is geen melding meer te lezen.",
     "This is the only officer with access. Give someone else access first; otherwise no report can be read any more."},

    /* second factor */
    {"De tweede factor van dit account opent niet met keys/{}; laat de beheerder hem opnieuw instellen.",
     "The second factor of this account does not open with keys/{1}; have the administrator set it up again."},
    {"Vul de code van 6 cijfers uit de authenticator-app in.", "Enter the 6-digit code from the authenticator app."},
    {"Deze herstelcode klopt niet of is al gebruikt.", "This recovery code is wrong or has already been used."},
    {"Deze code is al gebruikt. Wacht tot de app een nieuwe code toont.",
     "This code has already been used. Wait until the app shows a new code."},
    {"De code bestaat uit 6 cijfers, of gebruik een herstelcode (12 tekens).",
     "The code has 6 digits; or use a recovery code (12 characters)."},
    {"De code klopt niet. Typ de code die nu in de app staat; staat de klok van de telefoon goed?",
     "The code is wrong. Type the code the app shows now; is the phone's clock right?"},
    {"Start eerst het koppelen van de app (er is geen nieuwe sleutel om te bevestigen).",
     "Start linking the app first (there is no new key to confirm)."},
    {"De code klopt niet. Typ de code die de app nu toont (6 cijfers); staat de klok van de telefoon goed?",
     "The code is wrong. Type the code the app shows now (6 digits); is the phone's clock right?"},
    {"Intussen is een nieuwe koppeling gestart; bevestig de code van die koppeling.",
     "A new link has been started in the meantime; confirm the code of that link."},
    {"Eerst de tweestapsverificatie instellen; daarna gaat het verder.",
     "Set up two-step verification first; then you can go on."},

    /* limits and uploads */
    {"Er zijn het afgelopen uur al veel inloglinks naar dit adres gestuurd. Gebruik de nieuwste link uit uw mailbox, of "
     "probeer het over een uur opnieuw.",
     "Many login links have been sent to this address in the past hour. Use the newest link in your mailbox, or try "
     "again in an hour."},
    {"Te veel pogingen vanaf dit adres; probeer het over tien minuten opnieuw.",
     "Too many attempts from this address; try again in ten minutes."},
    {"Te veel mislukte pogingen; probeer het over {} seconden opnieuw.", "Too many failed attempts; try again in {1} seconds."},
    {"Na veel mislukte pogingen kan dit account even niet met een wachtwoord inloggen op een nieuw apparaat. Vraag een "
     "inloglink per e-mail aan.",
     "After many failed attempts this account cannot log in with a password on a new device for a while. Ask for a "
     "login link by e-mail."},
    {"De kopregels van het verzoek zijn te groot (meer dan {} bytes).", "The request's header lines are too large (more than {1} bytes)."},
    {"U verstuurt al {} grote bestanden tegelijk; wacht tot die klaar zijn.",
     "You are already sending {1} large files at once; wait until they are done."},
    {"De server ontvangt nu te veel grote bestanden; probeer het zo opnieuw.",
     "The server is receiving too many large files now; try again shortly."},
    {"De server kan het bestand nu niet ontvangen.", "The server cannot receive the file now."},
    {"De server kan het bestand nu niet opslaan.", "The server cannot store the file now."},
    {"De server kan het bestand nu niet lezen.", "The server cannot read the file now."},
    {"Er wordt nu veel tegelijk opgevraagd; probeer het over een halve minuut opnieuw.",
     "Many requests are coming in at once; try again in half a minute."},
    {"Deze PDF bewaart gegevens over de maker op een manier die we niet veilig kunnen verwijderen. Sla hem opnieuw op via "
     "'Afdrukken als PDF', of stuur een schermafdruk.",
     "This PDF keeps data about its author in a way we cannot safely remove. Save it again with 'Print to PDF', or send a "
     "screenshot."},
    {"Veld {} is één regel tekst: een regelovergang of ander stuurteken kan niet.",
     "Field {1} is one line of text: a line break or other control character is not allowed."},
    {"Ongeldig e-mailadres: gebruik een adres als naam@organisatie.nl, zonder accenten of andere tekens buiten ASCII.",
     "Invalid e-mail address: use an address such as name@organisation.nl, without accents or other characters outside "
     "ASCII."},
    {"De metrics zijn alleen bereikbaar vanaf deze machine (niet via een proxy) of met het metrics-token.",
     "The metrics can only be reached from this machine (not through a proxy) or with the metrics token."},
    {"De metrics passen niet in het antwoord.", "The metrics do not fit in the answer."},
    {NULL, NULL},
};

static const messages_word messages_words[] = {
    /* phases of a round, in a sentence */
    {"nog niet open", NULL, "not open yet"},
    {"gesloten", NULL, "closed"},
    /* cycle phases (labels) and what may happen in them */
    {"beoordeling", NULL, "review"},
    {"voorstellen opstellen", NULL, "drafting proposals"},
    {"consultatie", NULL, "consultation"},
    {"afgesloten", NULL, "closed"},
    {"voorstellen opstellen of wijzigen", NULL, "drafting or changing proposals"},
    {"een consultatieronde openen", NULL, "opening a consultation round"},
    {"een voorstel gereed melden voor de ALV", NULL, "marking a proposal ready for the ALV"},
    {"in de fasen opstellen, consultatie en ALV", NULL, "in the phases drafting, consultation and ALV"},
    {"tot de cyclus naar de ALV gaat", NULL, "until the cycle goes to the ALV"},
    /* what a change does to an article */
    {"vervangen", NULL, "replaced"},
    {"schrappen", NULL, "deleted"},
    /* proposal states: internal words become words in either language */
    {"draft", "concept", "draft"},
    {"ready", "gereed voor de ALV", "ready for the ALV"},
    {"adopted", "aangenomen", "adopted"},
    {"rejected", "verworpen", "rejected"},
    {"lapsed", "vervallen", "lapsed"},
    {"withdrawn", "ingetrokken", "withdrawn"},
    {"aangenomen", NULL, "adopted"},
    {"verworpen", NULL, "rejected"},
    {"vervallen", NULL, "lapsed"},
    {"ingetrokken", NULL, "withdrawn"},
    /* bases */
    {"lidmaatschap", NULL, "membership"},
    {"ondertekening", NULL, "signature"},
    /* why a track & trace code is refused */
    {"de invoer ontbreekt of is te lang.", NULL, "the input is missing or too long."},
    {"er is geen code ingevuld.", NULL, "no code was entered."},
    {"een code bevat alleen letters en cijfers.", NULL, "a code contains only letters and digits."},
    {"een PostNL-code telt 13 of 15 tekens.", NULL, "a PostNL code has 13 or 15 characters."},
    {"een S10-code telt 13 tekens.", NULL, "an S10 code has 13 characters."},
    {"een S10-code begint en eindigt met 2 letters.", NULL, "an S10 code starts and ends with 2 letters."},
    {"tussen de letters van een S10-code staan 9 cijfers.", NULL, "an S10 code has 9 digits between its letters."},
    {"het controlecijfer van de S10-code klopt niet.", NULL, "the check digit of the S10 code is wrong."},
    {NULL, NULL, NULL},
};
