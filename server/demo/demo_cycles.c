/* Demo data of the amendment cycle: this year's cycle with three Dutch proposals on
 * the real Code articles, one closed consultation round with comments and replies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "alvd/crypto/audit.h"
#include "alvd/demo/demo.h"
#include "alvd/rules/cycle.h"
#include "alvd/rules/dates.h"
#include "alvd/store/bases.h"
#include "alvd/store/consultations.h"
#include "alvd/store/contacts.h"
#include "alvd/store/cycles.h"
#include "alvd/store/db.h"
#include "alvd/store/organisations.h"
#include "alvd/store/proposals.h"

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

#define DEMO_CYCLES_DAY_SECONDS 86400LL

/* The demo's history is dated back from now (UTC DATETIME texts): the proposals were
 * drafted 40 days ago, round 1 ran from 30 to 16 days ago, the comments came in 25
 * days ago, the replies 10 days ago and revision 2 followed 9 days ago. */
typedef struct demo_cycles_clock {
    char proposed[20], opened[20], closed[20], commented[20], replied[20], revised[20];
    char opening_day[11]; /* the UTC date the round opened */
} demo_cycles_clock;

static void demo_cycles_clock_set(int64_t now, demo_cycles_clock *clock)
{
    rules_instant_sql(now - 40 * DEMO_CYCLES_DAY_SECONDS, clock->proposed);
    rules_instant_sql(now - 30 * DEMO_CYCLES_DAY_SECONDS, clock->opened);
    rules_instant_sql(now - 16 * DEMO_CYCLES_DAY_SECONDS, clock->closed);
    rules_instant_sql(now - 25 * DEMO_CYCLES_DAY_SECONDS, clock->commented);
    rules_instant_sql(now - 10 * DEMO_CYCLES_DAY_SECONDS, clock->replied);
    rules_instant_sql(now - 9 * DEMO_CYCLES_DAY_SECONDS, clock->revised);
    snprintf(clock->opening_day, sizeof clock->opening_day, "%.10s", clock->opened);
}

/* What one load makes, step by step; the texts are freed by demo_cycles_made_free. */
typedef struct demo_cycles_made {
    int year;
    char today[RULES_DATE_TEXT_SIZE], review_from[16], alv_date[16], effective_date[16], previous_half[16];
    long long version_id, cycle_id, round_id, organisation_ids[3], contact_ids[3];
    long long training_id, transparency_id, ai_norm_id, training_rev1, transparency_rev, ai_rev;
    char *text_6d_v1, *text_6d_v2, *text_6a, *text_6d_ai;
} demo_cycles_made;

static void demo_cycles_made_free(demo_cycles_made *made)
{
    free(made->text_6d_v1);
    free(made->text_6d_v2);
    free(made->text_6a);
    free(made->text_6d_ai);
}

static int demo_cycles_code_version(store_conn *conn, const char *today, long long *version_id, alvd_err *err)
{
    if (store_proposals_version_in_force(conn, today, version_id, err) != 0)
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
    if (store_proposals_base_article(conn, version_id, article, &rows, err) != 0)
        return NULL;
    const char *text = store_result_rows(rows) ? store_result_text(rows, 0, 1) : NULL;
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

static int demo_cycles_texts(store_conn *conn, demo_cycles_made *made, alvd_err *err)
{
    made->text_6d_v1 = demo_cycles_amend(conn, made->version_id, "6d", DEMO_CYCLES_6D_FIND, DEMO_CYCLES_6D_V1, err);
    made->text_6d_v2 = demo_cycles_amend(conn, made->version_id, "6d", DEMO_CYCLES_6D_FIND, DEMO_CYCLES_6D_V2, err);
    made->text_6a = demo_cycles_amend(conn, made->version_id, "6a", DEMO_CYCLES_6A_FIND, DEMO_CYCLES_6A_NEW, err);
    made->text_6d_ai =
        demo_cycles_amend(conn, made->version_id, "6d", DEMO_CYCLES_6D_AI_FIND, DEMO_CYCLES_6D_AI_NEW, err);
    return made->text_6d_v1 && made->text_6d_v2 && made->text_6a && made->text_6d_ai ? 0 : -1;
}

/* Whether the organisation has a current basis without an end date. */
static int demo_cycles_bound(store_conn *conn, long long organisation_id, int *bound, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_bases_current(conn, organisation_id, &rows, err) != 0)
        return -1;
    *bound = 0;
    for (size_t r = 0; r < store_result_rows(rows); r++)
        if (store_result_is_null(rows, r, 3)) /* until */
            *bound = 1;
    store_result_free(rows);
    return 0;
}

/* Party i (reused when the register demo made it), bound and with its contact. */
static int demo_cycles_party_ensure(store_conn *conn, size_t i, long long *organisation_id, long long *contact_id,
                                    alvd_err *err)
{
    int bound = 0, active = 0;
    if (store_organisations_id_by_kvk(conn, demo_cycles_parties[i].kvk, organisation_id, err) != 0)
        return -1;
    store_organisation_fields fields = {.name = demo_cycles_parties[i].name, .kvk = demo_cycles_parties[i].kvk};
    if (*organisation_id == 0 && store_organisations_insert(conn, &fields, organisation_id, err) != 0)
        return -1;
    if (demo_cycles_bound(conn, *organisation_id, &bound, err) != 0)
        return -1;
    store_basis_fields basis = {.organisation_id = *organisation_id, .basis = demo_cycles_parties[i].basis,
                                .since = "2024-01-01"};
    long long basis_id = 0;
    if (!bound && store_bases_insert(conn, &basis, &basis_id, err) != 0)
        return -1;
    if (store_contacts_find(conn, *organisation_id, demo_cycles_parties[i].email, contact_id, &active, err) != 0)
        return -1;
    if (*contact_id == 0 && store_contacts_insert(conn, *organisation_id, demo_cycles_parties[i].contact,
                                                  demo_cycles_parties[i].email, NULL, contact_id, err) != 0)
        return -1;
    return 0;
}

/* One proposal of the demo: its first revision and that revision's one change. */
typedef struct demo_cycles_proposal_text {
    const char *state, *source, *title, *rationale, *article, *action, *change_title, *text;
} demo_cycles_proposal_text;

/* A proposal with one revision holding one change, drafted at proposed; returns the proposal id. */
static long long demo_cycles_proposal(store_conn *conn, const demo_cycles_made *made, const char *proposed,
                                      const demo_cycles_proposal_text *proposal, long long *revision_id,
                                      alvd_err *err)
{
    long long proposal_id = 0;
    store_proposals_new row = {.cycle_id = made->cycle_id, .base_version_id = made->version_id,
                               .state = proposal->state, .source_report = proposal->source, .created_at = proposed};
    if (store_proposals_insert_with(conn, &row, &proposal_id, err) != 0 ||
        store_proposals_insert_revision_at(conn, proposal_id, 1, proposal->title, proposal->rationale, proposed, 0,
                                           revision_id, err) != 0 ||
        store_proposals_insert_change(conn, *revision_id, 1, proposal->article, proposal->action,
                                      proposal->change_title, proposal->text, err) != 0 ||
        store_proposals_set_current(conn, proposal_id, *revision_id, proposal->source, err) != 0)
        return -1;
    return proposal_id;
}

static int demo_cycles_proposals(store_conn *conn, const demo_cycles_clock *clock, demo_cycles_made *made,
                                 alvd_err *err)
{
    demo_cycles_proposal_text training = {
        "ready", made->previous_half, "Norm 6d: opleiding concreet maken",
        "Het meldpunt ontving in het vorige halfjaar signalen dat \"adequate opleidingsmogelijkheden\" zeer "
        "verschillend wordt uitgelegd. Een ondergrens maakt de norm toetsbaar.",
        "6d", "replace", NULL, made->text_6d_v1};
    demo_cycles_proposal_text transparency = {
        "ready", NULL, "Norm 6a: transparant over de inzet van AI",
        "Klanten en medewerkers moeten weten wanneer zij met een AI-toepassing te maken hebben; de Code noemt AI al "
        "in de doelen, maar nog niet in de normen.",
        "6a", "replace", NULL, made->text_6a};
    demo_cycles_proposal_text ai_norm = {
        "draft", NULL, "Nieuwe norm 6e en aanvulling 6d: medewerkers en AI",
        "Een aparte norm over de gevolgen van AI voor medewerkers: tijdig informeren en om- en bijscholing.",
        "6e", "insert", "Medewerkers en technologische verandering",
        "Partijen informeren medewerkers tijdig over de inzet van AI en andere technologie die hun werk verandert, "
        "en bieden waar werk wegvalt begeleiding en om- of bijscholing."};
    made->training_id = demo_cycles_proposal(conn, made, clock->proposed, &training, &made->training_rev1, err);
    made->transparency_id =
        demo_cycles_proposal(conn, made, clock->proposed, &transparency, &made->transparency_rev, err);
    made->ai_norm_id = demo_cycles_proposal(conn, made, clock->proposed, &ai_norm, &made->ai_rev, err);
    if (made->training_id < 0 || made->transparency_id < 0 || made->ai_norm_id < 0)
        return -1;
    /* The third proposal also touches 6d, so it conflicts with the first. */
    return store_proposals_insert_change(conn, made->ai_rev, 2, "6d", "replace", NULL, made->text_6d_ai, err);
}

/* Round 1: four weeks ago for two weeks, closed; the first two proposals, every
 * organisation bound on its opening day invited (mailed long ago). */
static int demo_cycles_round(store_conn *conn, const demo_cycles_clock *clock, demo_cycles_made *made, alvd_err *err)
{
    if (store_consultations_insert_at(conn, made->cycle_id, 1, clock->opened, clock->closed, clock->opening_day,
                                      clock->opened, 0, &made->round_id, err) != 0 ||
        store_consultations_add_proposal(conn, made->round_id, made->training_id, made->training_rev1, err) != 0 ||
        store_consultations_add_proposal(conn, made->round_id, made->transparency_id, made->transparency_rev,
                                         err) != 0)
        return -1;
    return store_consultations_invite_bound_mailed(conn, made->round_id, clock->opening_day, 1, err);
}

/* A comment of party i in the round and the board's reply to it. */
static int demo_cycles_comment(store_conn *conn, const demo_cycles_clock *clock, const demo_cycles_made *made,
                               long long proposal_id, const char *article, size_t i, const char *text,
                               const char *reply, const char *led_to_change, alvd_err *err)
{
    long long comment_id = 0;
    if (store_consultations_insert_comment_at(conn, made->round_id, proposal_id, article, made->organisation_ids[i],
                                              made->contact_ids[i], text, clock->commented, &comment_id, err) != 0)
        return -1;
    return store_consultations_upsert_reply_at(conn, comment_id, reply, led_to_change, clock->replied, 0, err);
}

static int demo_cycles_comments(store_conn *conn, const demo_cycles_clock *clock, const demo_cycles_made *made,
                                alvd_err *err)
{
    if (demo_cycles_comment(conn, clock, made, made->training_id, "6d", 0,
                            "Zestien uur is voor deeltijders met een klein contract onevenredig veel. Graag naar rato "
                            "van de arbeidsduur.",
                            "Terecht punt. De norm geldt naar rato van de arbeidsduur.",
                            "In 6d is \"naar rato van de arbeidsduur\" toegevoegd.", err) != 0 ||
        demo_cycles_comment(conn, clock, made, made->training_id, NULL, 2,
                            "Geldt de ondergrens ook voor medewerkers die wij via een uitzendbureau inlenen?",
                            "Ja. De norm richt zich op iedereen die klantcontactwerk doet; dat staat nu expliciet in "
                            "de tekst.",
                            "In 6d is \"dit geldt ook voor ingeleende medewerkers\" toegevoegd.", err) != 0)
        return -1;
    return demo_cycles_comment(conn, clock, made, made->transparency_id, "6a", 1,
                               "Wij steunen dit. Is een melding aan het begin van het gesprek voldoende?",
                               "Ja, een duidelijke melding vooraf volstaat, mits de klant daarna altijd een "
                               "medewerker kan vragen.",
                               NULL, err);
}

/* After the reactienota, revision 2 of the training proposal: revision 1's title, its
 * rationale with what the consultation changed, the amended text. */
static int demo_cycles_revise(store_conn *conn, const demo_cycles_clock *clock, const demo_cycles_made *made,
                              alvd_err *err)
{
    static const char changed[] =
        " Aangepast na de consultatie: naar rato van de arbeidsduur en ook voor ingeleende medewerkers.";
    store_result *rows = NULL;
    char *rationale = NULL;
    long long revision_id = 0;
    int rc = -1;
    if (store_proposals_revision(conn, made->training_id, made->training_rev1, &rows, err) != 0)
        return -1;
    const char *title = store_result_text(rows, 0, 2), *first = store_result_text(rows, 0, 3);
    size_t size = strlen(first) + sizeof changed;
    if ((rationale = malloc(size)) == NULL) {
        alvd_err_set(err, 500, "out_of_memory", NULL, "Out of memory.");
        goto done;
    }
    snprintf(rationale, size, "%s%s", first, changed);
    if (store_proposals_insert_revision_at(conn, made->training_id, 2, title, rationale, clock->revised, 0,
                                           &revision_id, err) == 0 &&
        store_proposals_insert_change(conn, revision_id, 1, "6d", "replace", NULL, made->text_6d_v2, err) == 0 &&
        store_proposals_set_current(conn, made->training_id, revision_id, made->previous_half, err) == 0)
        rc = 0;
done:
    free(rationale);
    store_result_free(rows);
    return rc;
}

/* Every row of the demo cycle, inside the caller's transaction. */
static int demo_cycles_build(store_conn *conn, const demo_cycles_clock *clock, demo_cycles_made *made, alvd_err *err)
{
    if (demo_cycles_code_version(conn, made->today, &made->version_id, err) != 0)
        return -1;
    for (size_t i = 0; i < 3; i++)
        if (demo_cycles_party_ensure(conn, i, &made->organisation_ids[i], &made->contact_ids[i], err) != 0)
            return -1;
    if (store_cycles_insert_in_state(conn, made->year, RULES_CYCLE_CONSULTATION, made->review_from, made->alv_date,
                                     made->effective_date, 0, &made->cycle_id, err) != 0 ||
        demo_cycles_texts(conn, made, err) != 0 || demo_cycles_proposals(conn, clock, made, err) != 0 ||
        demo_cycles_round(conn, clock, made, err) != 0 || demo_cycles_comments(conn, clock, made, err) != 0)
        return -1;
    return demo_cycles_revise(conn, clock, made, err);
}

int demo_cycles_load(store_conn *conn, FILE *report, alvd_err *err)
{
    int64_t now = (int64_t)time(NULL);
    rules_day day = rules_amsterdam_day(now);
    demo_cycles_made made = {0};
    demo_cycles_clock clock;
    long long existing = 0;
    rules_day_to_ymd(day, &made.year, NULL, NULL);
    rules_date_format(day, made.today);
    if (store_cycles_id_by_year(conn, made.year, &existing, err) != 0)
        return -1;
    if (existing > 0) {
        fprintf(report, "Amendment cycle %d: already there.\n", made.year);
        return 0;
    }
    /* The ALV six weeks from now, the effective date three months after it. */
    rules_date_format(rules_day_add_days(day, -60), made.review_from);
    rules_date_format(rules_day_add_days(day, 42), made.alv_date);
    rules_date_format(rules_day_add_days(day, 42 + 92), made.effective_date);
    snprintf(made.previous_half, sizeof made.previous_half, "%dH2", made.year - 1);
    demo_cycles_clock_set(now, &clock);
    audit_actor system = {"system", 0, "alvd demo"};
    if (store_begin(conn, err) != 0 || demo_cycles_build(conn, &clock, &made, err) != 0)
        goto fail;
    json_t *details = json_pack("{s:i, s:I}", "year", made.year, "consultation_id", (json_int_t)made.round_id);
    int rc = audit_append(conn, err, &system, "demo.cycle", "cycle", made.cycle_id, details);
    json_decref(details);
    if (rc != 0 || store_commit(conn, err) != 0)
        goto fail;
    fprintf(report,
            "Amendment cycle %d: 3 proposals (2 ready for the ALV), consultation round 1 closed with 3 comments "
            "and replies.\n  Contact persons (log in by link from /login.html): %s, %s, %s\n",
            made.year, demo_cycles_parties[0].email, demo_cycles_parties[1].email, demo_cycles_parties[2].email);
    demo_cycles_made_free(&made);
    return 0;
fail:
    demo_cycles_made_free(&made);
    store_rollback(conn);
    return -1;
}
