/* Error sentences in the page's language: which language a request asks for, and a
 * Dutch sentence rewritten through the catalogue with its dates and words in words. */
#include <string.h>

#include "alvd/http/messages.h"
#include "check.h"

static const char *localised(const char *message, rules_lang lang)
{
    static char out[800];
    messages_localise(message, lang, out, sizeof out);
    return out;
}

int main(void)
{
    /* the language asked for */
    CHECK_INT(messages_language(NULL, NULL), RULES_LANG_NL, "nothing said: Dutch");
    CHECK_INT(messages_language(NULL, "en-US,en;q=0.9"), RULES_LANG_EN, "an English browser");
    CHECK_INT(messages_language(NULL, "nl-NL,nl;q=0.9,en-US;q=0.8,en;q=0.7"), RULES_LANG_NL, "Dutch first");
    CHECK_INT(messages_language(NULL, "en;q=0.5, nl;q=0.6"), RULES_LANG_NL, "the higher quality wins");
    CHECK_INT(messages_language(NULL, "fr-FR,fr;q=0.9"), RULES_LANG_NL, "neither: Dutch");
    CHECK_INT(messages_language(NULL, "english"), RULES_LANG_NL, "a tag that only starts with en is not English");
    CHECK_INT(messages_language(NULL, "en;q=0"), RULES_LANG_NL, "q=0 refuses English");
    CHECK_INT(messages_language("en", "nl"), RULES_LANG_EN, "lang=en wins over the header");
    CHECK_INT(messages_language("NL", "en"), RULES_LANG_NL, "lang=NL wins over the header");
    CHECK_INT(messages_language("de", "en"), RULES_LANG_EN, "an unknown lang= falls back to the header");

    /* a plain sentence */
    CHECK_STR(localised("Veld title is verplicht.", RULES_LANG_EN), "Field title is required.", "generic, English");
    CHECK_STR(localised("Veld title is verplicht.", RULES_LANG_NL), "Veld title is verplicht.", "generic, Dutch");
    CHECK_STR(localised("De wachtzin klopt niet.", RULES_LANG_EN), "The passphrase is wrong.", "fixed sentence");

    /* dates in words, in either language; an example date in the sentence itself stays */
    CHECK_STR(localised("Op 2025-06-30 was geen versie van de Code van kracht.", RULES_LANG_NL),
              "Op maandag 30 juni 2025 was geen versie van de Code van kracht.", "ISO date in Dutch words");
    CHECK_STR(localised("Op 2025-06-30 was geen versie van de Code van kracht.", RULES_LANG_EN),
              "On Monday 30 June 2025 no version of the Code was in force.", "ISO date in English words");
    CHECK_STR(localised("Ongeldige datum; gebruik de vorm JJJJ-MM-DD, bijvoorbeeld 2026-06-16.", RULES_LANG_NL),
              "Ongeldige datum; gebruik de vorm JJJJ-MM-DD, bijvoorbeeld 2026-06-16.", "the example stays");
    CHECK_STR(localised("De datum 2026-02-30 bestaat niet in de kalender.", RULES_LANG_EN),
              "The date 2026-02-30 does not exist in the calendar.", "an impossible date is not worded");
    CHECK_STR(localised("Reageren kan alleen zolang de consultatieronde open is: van maandag 2 maart 2026 09:00 "
                        "tot maandag 16 maart 2026 17:00 (Nederlandse tijd). De ronde is gesloten.",
                        RULES_LANG_EN),
              "Comments are possible only while the consultation round is open: from Monday 2 March 2026 09:00 "
              "to Monday 16 March 2026 17:00 (Dutch time). The round is closed.",
              "Dutch long dates and a phase word in English");

    /* internal words in words, in Dutch too */
    CHECK_STR(localised("Voorstel 3 is nog niet gereed voor de ALV (status draft); alleen gereedgemelde voorstellen "
                        "komen op de agenda.", RULES_LANG_NL),
              "Voorstel 3 is nog niet gereed voor de ALV (status concept); alleen gereedgemelde voorstellen komen "
              "op de agenda.", "a state name becomes a Dutch word");
    CHECK_STR(localised("Vanuit de fase beoordeling kan de cyclus alleen naar de fase voorstellen opstellen of "
                        "consultatie.", RULES_LANG_EN),
              "From the phase review the cycle can only move to drafting proposals or consultation.",
              "a list of phases, word by word");
    CHECK_STR(localised("Artikel 99 staat niet in de Code die nu geldt; alleen een bestaand artikel kunt u "
                        "vervangen. Kies 'Nieuw artikel' om een artikel toe te voegen.", RULES_LANG_EN),
              "Article 99 is not in the Code in force; only an existing article can be replaced. Choose 'New "
              "article' to add an article.", "the action in English");

    /* a sentence inside a sentence */
    CHECK_STR(localised("Regel 4: Een KvK-nummer bestaat uit precies 8 cijfers, bijvoorbeeld 12345678. Er is niets "
                        "ingelezen.", RULES_LANG_EN),
              "Line 4: A KvK number has exactly 8 digits, for example 12345678. Nothing has been imported.",
              "nested sentence");
    CHECK_STR(localised("Track & trace-code \"RR123456784NL\" is ongeldig: het controlecijfer van de S10-code klopt "
                        "niet. Geldig is een S10-code zoals RR123456785NL (2 letters, 8 cijfers met controlecijfer, "
                        "2 letters landcode) of een PostNL-code die begint met 3S en 13 of 15 letters en cijfers "
                        "telt.", RULES_LANG_EN),
              "Track & trace code \"RR123456784NL\" is invalid: the check digit of the S10 code is wrong. Valid is "
              "an S10 code such as RR123456785NL (2 letters, 8 digits with a check digit, 2 letters country code) "
              "or a PostNL code that starts with 3S and has 13 or 15 letters and digits.",
              "the reason within the sentence");

    CHECK_STR(localised("Bel Gerust BV heeft op 2026-12-07 geen lopende ondertekening van de Code: haar "
                        "ondertekening eindigde op 2026-12-20 na een eerdere intrekking. Alleen een ondertekening kan "
                        "per brief worden ingetrokken (art. 7); lidmaatschap en contract blijven buiten een "
                        "intrekking.", RULES_LANG_EN),
              "Bel Gerust BV has no running signature of the Code on Monday 7 December 2026: its signature ended on "
              "Sunday 20 December 2026 after an earlier withdrawal. Only a signature can be withdrawn by letter "
              "(art. 7); membership and contract are not affected by a withdrawal.",
              "a refusal with its reason, all in English");

    /* unknown sentences pass unchanged; small buffers stay terminated */
    char out[16];
    CHECK_INT(messages_localise("Iets onbekends.", RULES_LANG_EN, out, sizeof out), 0, "unknown: 0");
    CHECK_STR(out, "Iets onbekends.", "unknown: copied");
    CHECK_INT(messages_localise("De wachtzin klopt niet.", RULES_LANG_EN, out, sizeof out), 1, "known: 1");
    CHECK_INT(strlen(out), sizeof out - 1, "truncated to the buffer");
    CHECK(messages_pattern(0) != NULL && messages_pattern(100000) == NULL, "patterns are listed");
    return check_report("http_messages");
}
