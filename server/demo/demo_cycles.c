/* Demo data of the amendment cycle: this year's cycle with three Dutch proposals on
 * the real Code articles, one closed consultation round with comments and replies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alvd/crypto/audit.h"
#include "alvd/demo/demo.h"
#include "alvd/rules/dates.h"
#include "alvd/store/db.h"
#include "alvd/store/organisations.h"

/* The amendments the demo proposes, as edits of the real article texts of the
 * version in force (so the diffs show exactly these changes): find → replacement. */
#define DEMO_CYCLES_6D_FIND "dragen zorg voor het aanbieden van adequate opleidingsmogelijkheden"
#define DEMO_CYCLES_6D_V1 "bieden iedere medewerker ten minste 16 uur opleiding per jaar aan"
#define DEMO_CYCLES_6D_V2                                                                        \
    "bieden iedere medewerker ten minste 16 uur opleiding per jaar aan, naar rato van de "        \
    "arbeidsduur; dit geldt ook voor ingeleende medewerkers"
#define DEMO_CYCLES_6A_FIND "goede communicatie naar betrokkenen."
#define DEMO_CYCLES_6A_NEW                                                                       \
    "goede communicatie naar betrokkenen. Partijen maken vooraf kenbaar wanneer klanten met een " \
    "AI-toepassing in contact staan en bieden altijd de mogelijkheid om een medewerker te spreken."
#define DEMO_CYCLES_6D_AI_FIND "een duurzame arbeidsrelatie."
#define DEMO_CYCLES_6D_AI_NEW                                                                    \
    "een duurzame arbeidsrelatie. Partijen bespreken tijdig met medewerkers wat nieuwe technologie " \
    "voor hun werk betekent."

static const struct {
    const char *name, *kvk, *basis, *contact, *email;
} demo_cycles_parties[] = {
    {"Klantcontact Noord BV", "61000001", "membership", "Marieke de Vries", "marieke@noord.example"},
    {"Servicepunt Zuid BV", "61000002", "signature", "Sander Jansen", "sander@zuid.example"},
    {"Opdrachtgever Energie NV", "61000003", "contract", "Carla Bakker", "carla@energie.example"},
};

/* Run one statement; *id gets the insert id when not NULL. */
static int demo_cycles_exec(store_conn *conn, alvd_err *err, long long *id, const char *sql,
                            const store_param *params, size_t count)
{
    if (store_execute(conn, err, NULL, sql, params, count) != 0)
        return -1;
    if (id)
        *id = store_last_insert_id(conn);
    return 0;
}

static long long demo_cycles_single(store_conn *conn, alvd_err *err, const char *sql, const store_param *params,
                                    size_t count)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows, sql, params, count) != 0)
        return -1;
    long long value = store_result_rows(rows) ? store_result_int(rows, 0, 0) : 0;
    store_result_free(rows);
    return value;
}

static int demo_cycles_code_version(store_conn *conn, const char *today, long long *version_id, alvd_err *err)
{
    *version_id = demo_cycles_single(conn, err,
                                     "SELECT id FROM code_versions WHERE effective_from <= ?"
                                     " ORDER BY effective_from DESC LIMIT 1",
                                     STORE_PARAMS(STORE_TEXT_PARAM(today)));
    if (*version_id < 0)
        return -1;
    if (*version_id == 0)
        return alvd_err_set(err, 500, "demo_order", NULL,
                            "The cycle demo needs a Code version in force (the register demo loads it).");
    return 0;
}

/* The text of article in version_id with find replaced once by replacement (caller
 * frees). The demo fails loudly when the Code no longer holds find. */
static char *demo_cycles_amend(store_conn *conn, long long version_id, const char *article, const char *find,
                               const char *replacement, alvd_err *err)
{
    store_result *rows = NULL;
    char *amended = NULL;
    if (store_query(conn, err, &rows, "SELECT text FROM code_articles WHERE version_id = ? AND article_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(version_id), STORE_TEXT_PARAM(article))) != 0)
        return NULL;
    const char *text = store_result_rows(rows) ? store_result_text(rows, 0, 0) : NULL;
    const char *at = text ? strstr(text, find) : NULL;
    if (at == NULL) {
        alvd_err_set(err, 500, "demo_text", NULL, "Article %s of the Code no longer contains \"%s\".", article, find);
        goto done;
    }
    size_t size = strlen(text) - strlen(find) + strlen(replacement) + 1;
    amended = malloc(size);
    if (amended)
        snprintf(amended, size, "%.*s%s%s", (int)(at - text), text, replacement, at + strlen(find));
done:
    store_result_free(rows);
    return amended;
}

/* The three parties (reused when the register demo made them), each bound and with a contact. */
static int demo_cycles_parties_ensure(store_conn *conn, long long organisation_ids[3], long long contact_ids[3],
                                      alvd_err *err)
{
    for (size_t i = 0; i < 3; i++) {
        if (demo_cycles_exec(conn, err, NULL,
                             "INSERT INTO organisations (name, kvk, created_at, updated_at)"
                             " VALUES (?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6)) ON DUPLICATE KEY UPDATE id = id",
                             STORE_PARAMS(STORE_TEXT_PARAM(demo_cycles_parties[i].name),
                                          STORE_TEXT_PARAM(demo_cycles_parties[i].kvk))) != 0)
            return -1;
        if (store_organisations_id_by_kvk(conn, demo_cycles_parties[i].kvk, &organisation_ids[i], err) != 0 ||
            organisation_ids[i] <= 0)
            return -1;
        long long bound = demo_cycles_single(conn, err,
                                             "SELECT COUNT(*) FROM bases WHERE organisation_id = ? AND until IS NULL"
                                             " AND superseded_by IS NULL",
                                             STORE_PARAMS(STORE_INT_PARAM(organisation_ids[i])));
        if (bound < 0 ||
            (bound == 0 &&
             demo_cycles_exec(conn, err, NULL,
                              "INSERT INTO bases (organisation_id, basis, since, created_at)"
                              " VALUES (?, ?, '2024-01-01', UTC_TIMESTAMP(6))",
                              STORE_PARAMS(STORE_INT_PARAM(organisation_ids[i]),
                                           STORE_TEXT_PARAM(demo_cycles_parties[i].basis))) != 0) ||
            demo_cycles_exec(conn, err, NULL,
                             "INSERT INTO contacts (organisation_id, name, email, created_at)"
                             " VALUES (?, ?, ?, UTC_TIMESTAMP(6)) ON DUPLICATE KEY UPDATE id = id",
                             STORE_PARAMS(STORE_INT_PARAM(organisation_ids[i]),
                                          STORE_TEXT_PARAM(demo_cycles_parties[i].contact),
                                          STORE_TEXT_PARAM(demo_cycles_parties[i].email))) != 0)
            return -1;
        contact_ids[i] = demo_cycles_single(conn, err,
                                            "SELECT id FROM contacts WHERE organisation_id = ? AND email = ?",
                                            STORE_PARAMS(STORE_INT_PARAM(organisation_ids[i]),
                                                         STORE_TEXT_PARAM(demo_cycles_parties[i].email)));
        if (contact_ids[i] <= 0)
            return -1;
    }
    return 0;
}

/* A proposal with one revision holding one change; returns the proposal id. */
static long long demo_cycles_proposal(store_conn *conn, long long cycle_id, long long version_id, const char *state,
                                      const char *source, const char *title, const char *rationale,
                                      const char *article, const char *action, const char *change_title,
                                      const char *text, long long *revision_id, alvd_err *err)
{
    long long proposal_id;
    if (demo_cycles_exec(conn, err, &proposal_id,
                         "INSERT INTO proposals (cycle_id, base_version_id, state, source_report, created_at,"
                         " updated_at) VALUES (?, ?, ?, ?, UTC_TIMESTAMP(6) - INTERVAL 40 DAY, UTC_TIMESTAMP(6))",
                         STORE_PARAMS(STORE_INT_PARAM(cycle_id), STORE_INT_PARAM(version_id), STORE_TEXT_PARAM(state),
                                      STORE_TEXT_PARAM(source))) != 0 ||
        demo_cycles_exec(conn, err, revision_id,
                         "INSERT INTO proposal_revisions (proposal_id, number, title, rationale, created_at)"
                         " VALUES (?, 1, ?, ?, UTC_TIMESTAMP(6) - INTERVAL 40 DAY)",
                         STORE_PARAMS(STORE_INT_PARAM(proposal_id), STORE_TEXT_PARAM(title),
                                      STORE_TEXT_PARAM(rationale))) != 0 ||
        demo_cycles_exec(conn, err, NULL,
                         "INSERT INTO proposal_changes (revision_id, position, article_id, action, title, text)"
                         " VALUES (?, 1, ?, ?, ?, ?)",
                         STORE_PARAMS(STORE_INT_PARAM(*revision_id), STORE_TEXT_PARAM(article),
                                      STORE_TEXT_PARAM(action), STORE_TEXT_PARAM(change_title),
                                      STORE_TEXT_PARAM(text))) != 0 ||
        demo_cycles_exec(conn, err, NULL, "UPDATE proposals SET current_revision_id = ? WHERE id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(*revision_id), STORE_INT_PARAM(proposal_id))) != 0)
        return -1;
    return proposal_id;
}

static int demo_cycles_comment(store_conn *conn, long long round_id, long long proposal_id, const char *article,
                               long long organisation_id, long long contact_id, const char *text, const char *reply,
                               const char *led_to_change, alvd_err *err)
{
    long long comment_id;
    if (demo_cycles_exec(conn, err, &comment_id,
                         "INSERT INTO consultation_comments (consultation_id, proposal_id, article_id, organisation_id,"
                         " contact_id, text, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?,"
                         " UTC_TIMESTAMP(6) - INTERVAL 25 DAY, UTC_TIMESTAMP(6) - INTERVAL 25 DAY)",
                         STORE_PARAMS(STORE_INT_PARAM(round_id), STORE_INT_PARAM(proposal_id),
                                      STORE_TEXT_PARAM(article), STORE_INT_PARAM(organisation_id),
                                      STORE_INT_PARAM(contact_id), STORE_TEXT_PARAM(text))) != 0)
        return -1;
    return demo_cycles_exec(conn, err, NULL,
                            "INSERT INTO comment_replies (comment_id, text, led_to_change, created_at, updated_at)"
                            " VALUES (?, ?, ?, UTC_TIMESTAMP(6) - INTERVAL 10 DAY, UTC_TIMESTAMP(6) - INTERVAL 10 DAY)",
                            STORE_PARAMS(STORE_INT_PARAM(comment_id), STORE_TEXT_PARAM(reply),
                                         STORE_TEXT_PARAM(led_to_change)));
}

int demo_cycles_load(store_conn *conn, FILE *report, alvd_err *err)
{
    char today[RULES_DATE_TEXT_SIZE], review_from[16], alv_date[16], effective_date[16];
    rules_day day = rules_amsterdam_day((int64_t)time(NULL));
    int year;
    rules_day_to_ymd(day, &year, NULL, NULL);
    rules_date_format(day, today);
    long long existing = demo_cycles_single(conn, err, "SELECT COUNT(*) FROM cycles WHERE year = ?",
                                            STORE_PARAMS(STORE_INT_PARAM(year)));
    if (existing < 0)
        return -1;
    if (existing > 0) {
        fprintf(report, "Amendment cycle %d: already there.\n", year);
        return 0;
    }
    /* The ALV six weeks from now, the effective date three months after it. */
    rules_date_format(rules_day_add_days(day, -60), review_from);
    rules_date_format(rules_day_add_days(day, 42), alv_date);
    rules_date_format(rules_day_add_days(day, 42 + 92), effective_date);
    long long version_id, cycle_id, organisation_ids[3], contact_ids[3], round_id;
    char *text_6d_v1 = NULL, *text_6d_v2 = NULL, *text_6a = NULL, *text_6d_ai = NULL;
    long long training_id, transparency_id, ai_norm_id, training_rev1, training_rev2, transparency_rev, ai_rev;
    char previous_half[16];
    snprintf(previous_half, sizeof previous_half, "%dH2", year - 1);
    audit_actor system = {"system", 0, "alvd demo"};
    if (store_begin(conn, err) != 0 || demo_cycles_code_version(conn, today, &version_id, err) != 0 ||
        demo_cycles_parties_ensure(conn, organisation_ids, contact_ids, err) != 0 ||
        demo_cycles_exec(conn, err, &cycle_id,
                         "INSERT INTO cycles (year, state, review_from, alv_date, effective_date, created_at,"
                         " updated_at) VALUES (?, 'consultation', ?, ?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))",
                         STORE_PARAMS(STORE_INT_PARAM(year), STORE_TEXT_PARAM(review_from), STORE_TEXT_PARAM(alv_date),
                                      STORE_TEXT_PARAM(effective_date))) != 0)
        goto fail;
    text_6d_v1 = demo_cycles_amend(conn, version_id, "6d", DEMO_CYCLES_6D_FIND, DEMO_CYCLES_6D_V1, err);
    text_6d_v2 = demo_cycles_amend(conn, version_id, "6d", DEMO_CYCLES_6D_FIND, DEMO_CYCLES_6D_V2, err);
    text_6a = demo_cycles_amend(conn, version_id, "6a", DEMO_CYCLES_6A_FIND, DEMO_CYCLES_6A_NEW, err);
    text_6d_ai = demo_cycles_amend(conn, version_id, "6d", DEMO_CYCLES_6D_AI_FIND, DEMO_CYCLES_6D_AI_NEW, err);
    if (!text_6d_v1 || !text_6d_v2 || !text_6a || !text_6d_ai)
        goto fail;
    training_id = demo_cycles_proposal(
        conn, cycle_id, version_id, "ready", previous_half, "Norm 6d: opleiding concreet maken",
        "Het meldpunt ontving in het vorige halfjaar signalen dat \"adequate opleidingsmogelijkheden\" zeer "
        "verschillend wordt uitgelegd. Een ondergrens maakt de norm toetsbaar.",
        "6d", "replace", NULL, text_6d_v1, &training_rev1, err);
    transparency_id = demo_cycles_proposal(
        conn, cycle_id, version_id, "ready", NULL, "Norm 6a: transparant over de inzet van AI",
        "Klanten en medewerkers moeten weten wanneer zij met een AI-toepassing te maken hebben; de Code noemt AI al "
        "in de doelen, maar nog niet in de normen.",
        "6a", "replace", NULL, text_6a, &transparency_rev, err);
    ai_norm_id = demo_cycles_proposal(
        conn, cycle_id, version_id, "draft", NULL, "Nieuwe norm 6e en aanvulling 6d: medewerkers en AI",
        "Een aparte norm over de gevolgen van AI voor medewerkers: tijdig informeren en om- en bijscholing.",
        "6e", "insert", "Medewerkers en technologische verandering",
        "Partijen informeren medewerkers tijdig over de inzet van AI en andere technologie die hun werk verandert, "
        "en bieden waar werk wegvalt begeleiding en om- of bijscholing.",
        &ai_rev, err);
    if (training_id < 0 || transparency_id < 0 || ai_norm_id < 0)
        goto fail;
    /* The third proposal also touches 6d, so it conflicts with the first. */
    if (demo_cycles_exec(conn, err, NULL,
                         "INSERT INTO proposal_changes (revision_id, position, article_id, action, text)"
                         " VALUES (?, 2, '6d', 'replace', ?)",
                         STORE_PARAMS(STORE_INT_PARAM(ai_rev), STORE_TEXT_PARAM(text_6d_ai))) != 0 ||
        /* Round 1: four weeks ago for two weeks, closed. */
        demo_cycles_exec(conn, err, &round_id,
                         "INSERT INTO consultations (cycle_id, round, opens_at, closes_at, opening_day, created_at)"
                         " VALUES (?, 1, UTC_TIMESTAMP() - INTERVAL 30 DAY, UTC_TIMESTAMP() - INTERVAL 16 DAY,"
                         " DATE(UTC_TIMESTAMP() - INTERVAL 30 DAY), UTC_TIMESTAMP(6) - INTERVAL 30 DAY)",
                         STORE_PARAMS(STORE_INT_PARAM(cycle_id))) != 0 ||
        demo_cycles_exec(conn, err, NULL,
                         "INSERT INTO consultation_proposals (consultation_id, proposal_id, revision_id)"
                         " VALUES (?, ?, ?), (?, ?, ?)",
                         STORE_PARAMS(STORE_INT_PARAM(round_id), STORE_INT_PARAM(training_id),
                                      STORE_INT_PARAM(training_rev1), STORE_INT_PARAM(round_id),
                                      STORE_INT_PARAM(transparency_id), STORE_INT_PARAM(transparency_rev))) != 0 ||
        demo_cycles_exec(conn, err, NULL,
                         "INSERT INTO consultation_invitees (consultation_id, organisation_id, contacts_mailed)"
                         " SELECT DISTINCT ?, b.organisation_id, 1 FROM bases b"
                         " WHERE b.since <= DATE(UTC_TIMESTAMP() - INTERVAL 30 DAY) AND b.superseded_by IS NULL"
                         " AND (b.until IS NULL OR b.until >= DATE(UTC_TIMESTAMP() - INTERVAL 30 DAY))",
                         STORE_PARAMS(STORE_INT_PARAM(round_id))) != 0 ||
        demo_cycles_comment(conn, round_id, training_id, "6d", organisation_ids[0], contact_ids[0],
                            "Zestien uur is voor deeltijders met een klein contract onevenredig veel. Graag naar rato "
                            "van de arbeidsduur.",
                            "Terecht punt. De norm geldt naar rato van de arbeidsduur.",
                            "In 6d is \"naar rato van de arbeidsduur\" toegevoegd.", err) != 0 ||
        demo_cycles_comment(conn, round_id, training_id, NULL, organisation_ids[2], contact_ids[2],
                            "Geldt de ondergrens ook voor medewerkers die wij via een uitzendbureau inlenen?",
                            "Ja. De norm richt zich op iedereen die klantcontactwerk doet; dat staat nu expliciet in "
                            "de tekst.",
                            "In 6d is \"dit geldt ook voor ingeleende medewerkers\" toegevoegd.", err) != 0 ||
        demo_cycles_comment(conn, round_id, transparency_id, "6a", organisation_ids[1], contact_ids[1],
                            "Wij steunen dit. Is een melding aan het begin van het gesprek voldoende?",
                            "Ja, een duidelijke melding vooraf volstaat, mits de klant daarna altijd een medewerker "
                            "kan vragen.",
                            NULL, err) != 0 ||
        /* After the reactienota, revision 2 of the training proposal. */
        demo_cycles_exec(conn, err, &training_rev2,
                         "INSERT INTO proposal_revisions (proposal_id, number, title, rationale, created_at)"
                         " SELECT proposal_id, 2, title, CONCAT(rationale, ' Aangepast na de consultatie: naar rato"
                         " van de arbeidsduur en ook voor ingeleende medewerkers.'), UTC_TIMESTAMP(6) - INTERVAL 9 DAY"
                         " FROM proposal_revisions WHERE id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(training_rev1))) != 0 ||
        demo_cycles_exec(conn, err, NULL,
                         "INSERT INTO proposal_changes (revision_id, position, article_id, action, text)"
                         " VALUES (?, 1, '6d', 'replace', ?)",
                         STORE_PARAMS(STORE_INT_PARAM(training_rev2), STORE_TEXT_PARAM(text_6d_v2))) != 0 ||
        demo_cycles_exec(conn, err, NULL, "UPDATE proposals SET current_revision_id = ? WHERE id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(training_rev2), STORE_INT_PARAM(training_id))) != 0)
        goto fail;
    json_t *details = json_pack("{s:i, s:I}", "year", year, "consultation_id", (json_int_t)round_id);
    int rc = audit_append(conn, err, &system, "demo.cycle", "cycle", cycle_id, details);
    json_decref(details);
    if (rc != 0 || store_commit(conn, err) != 0)
        goto fail;
    fprintf(report,
            "Amendment cycle %d: 3 proposals (2 ready for the ALV), consultation round 1 closed with 3 comments "
            "and replies.\n  Contact persons (log in by link from /login.html): %s, %s, %s\n",
            year, demo_cycles_parties[0].email, demo_cycles_parties[1].email, demo_cycles_parties[2].email);
    free(text_6d_v1);
    free(text_6d_v2);
    free(text_6a);
    free(text_6d_ai);
    return 0;
fail:
    free(text_6d_v1);
    free(text_6d_v2);
    free(text_6a);
    free(text_6d_ai);
    store_rollback(conn);
    return -1;
}
