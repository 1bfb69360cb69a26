/* The consultation round flows: opening a round (lock order: cycle, then each proposal),
 * inviting and mailing every bound organisation, closing early and the reminders. */
#include "alvd/service/consultations.h"

#include <stdio.h>
#include <string.h>

#include "alvd/base/buf.h"
#include "alvd/base/log.h"
#include "alvd/rules/cycle.h"
#include "alvd/rules/dates.h"
#include "alvd/service/cycle_state.h"
#include "alvd/store/cycles.h"
#include "alvd/service/links.h"

json_t *service_consultations_list_json(store_conn *conn, long long cycle_id, long long organisation_id,
                                        alvd_err *err)
{
    store_result *rows = NULL;
    if (store_consultations_list(conn, cycle_id, organisation_id, &rows, err) != 0)
        return NULL;
    json_t *items = json_array();
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        json_t *item = store_result_row_json(rows, r);
        rules_round_phase phase = rules_round_phase_at(store_result_int(rows, r, 7), store_result_int(rows, r, 8),
                                                       store_result_int(rows, r, 9));
        json_object_del(item, "opens_unix");
        json_object_del(item, "closes_unix");
        json_object_del(item, "now_unix");
        json_object_set_new(item, "phase", json_string(rules_round_phase_name(phase)));
        json_array_append_new(items, item);
    }
    store_result_free(rows);
    return items;
}

json_t *service_consultations_round_json(const store_consultations_round *round)
{
    char opens_text[RULES_RFC3339_SIZE], closes_text[RULES_RFC3339_SIZE], from[64], until[64];
    return json_pack("{s:I, s:I, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:b}", "id", (json_int_t)round->id, "cycle_id",
                     (json_int_t)round->cycle_id, "year", (json_int_t)round->year, "round", (json_int_t)round->round,
                     "opens_at", rules_amsterdam_rfc3339(round->opens, opens_text), "closes_at",
                     rules_amsterdam_rfc3339(round->closes, closes_text), "window",
                     rules_instant_dutch(round->opens, from), "window_closes",
                     rules_instant_dutch(round->closes, until), "phase",
                     rules_round_phase_name(rules_round_phase_at(round->opens, round->closes, round->now)),
                     "reminder_sent", round->reminder_sent);
}

/* ------------------------------------------------------------------ mail */

/* The titles of the proposals of a round, as "«A»; «B»". */
static int service_consultations_titles(store_conn *conn, long long round_id, alvd_buf *out, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_consultations_titles(conn, round_id, &rows, err) != 0)
        return -1;
    for (size_t r = 0; r < store_result_rows(rows); r++)
        buf_appendf(out, "%s«%s»", r ? "; " : "", store_result_text(rows, r, 0));
    store_result_free(rows);
    return 0;
}

/* Mail every contact person of every invited organisation a login link with intro. */
static int service_consultations_mail_contacts(store_conn *conn, const char *public_url, long long round_id,
                                               const char *subject, const char *intro, int *sent, alvd_err *err)
{
    store_result *rows = NULL;
    *sent = 0;
    if (store_consultations_contacts(conn, round_id, &rows, err) != 0)
        return -1;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        if (service_links_send(conn, public_url, store_result_int(rows, r, 0), "invite", subject, intro, NULL, err) != 0) {
            store_result_free(rows);
            return -1;
        }
        (*sent)++;
    }
    store_result_free(rows);
    return 0;
}

/* The reminder of one round (inside the caller's transaction). */
static int service_consultations_send_reminder(store_conn *conn, const char *public_url,
                                               const store_consultations_round *round, const audit_actor *actor,
                                               int *sent, alvd_err *err)
{
    char until[64], subject[200];
    alvd_buf intro, titles;
    buf_init(&intro, 16 * 1024);
    buf_init(&titles, 12 * 1024);
    rules_instant_dutch(round->closes, until);
    snprintf(subject, sizeof subject, "Herinnering: consultatie Code sluit op %s", until);
    int rc = service_consultations_titles(conn, round->id, &titles, err);
    if (rc == 0) {
        buf_appendf(&intro,
                    "Ronde %lld van de consultatie over wijzigingen van de Code voor Verantwoordelijk Marktgedrag "
                    "(cyclus %lld) sluit op %s (Nederlandse tijd). Het gaat om: %s. Wilt u nog reageren of uw "
                    "reactie aanpassen, doe dat dan vóór de sluiting. Na de sluiting beantwoordt het bestuur elke "
                    "reactie in de reactienota.",
                    round->round, round->year, until, titles.data ? titles.data : "");
        rc = service_consultations_mail_contacts(conn, public_url, round->id, subject, intro.data, sent, err);
    }
    if (rc == 0)
        rc = store_consultations_mark_reminded(conn, round->id, err);
    if (rc == 0) {
        json_t *details = json_pack("{s:i}", "mails", *sent);
        rc = audit_append(conn, err, actor, "consultation.reminder", "consultation", round->id, details);
        json_decref(details);
    }
    buf_free(&intro);
    buf_free(&titles);
    return rc;
}

int service_consultations_send_due_reminders(const alvd_app *app, store_conn *conn, int *sent, alvd_err *err)
{
    store_result *rows = NULL;
    *sent = 0;
    if (store_consultations_due_reminders(conn, RULES_REMINDER_LEAD_SECONDS, &rows, err) != 0)
        return -1;
    audit_actor system = {"system", 0, "herinnering consultatie"};
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        store_consultations_round round;
        int mails = 0;
        /* Claimed under the row lock: a second process sees reminder_sent and skips. */
        if (store_begin(conn, err) != 0 ||
            store_consultations_load(conn, store_result_int(rows, r, 0), 1, &round, err) != 0)
            goto fail;
        if (!rules_round_reminder_due(round.opens, round.closes, round.now, round.reminder_sent)) {
            store_rollback(conn);
            continue;
        }
        if (service_consultations_send_reminder(conn, app->config.public_url, &round, &system, &mails, err) != 0 ||
            store_commit(conn, err) != 0)
            goto fail;
        log_info("consultation %lld: reminder sent to %d contact(s)", round.id, mails);
        *sent += mails;
    }
    store_result_free(rows);
    return 0;
fail:
    store_rollback(conn);
    store_result_free(rows);
    return -1;
}

int service_consultations_reminder_job(const alvd_app *app, store_conn *conn, alvd_err *err)
{
    int sent = 0;
    return service_consultations_send_due_reminders(app, conn, &sent, err);
}

/* ------------------------------------------------------------------ opening */

/* A round being opened: what the steps below find and make. */
typedef struct service_consultations_new_round {
    rules_cycle_state state;
    long long year, round_id, round_number, invited, without_contact;
    long long revision_ids[SERVICE_CONSULTATIONS_MAX_PROPOSALS];
    char opening_day[RULES_DATE_TEXT_SIZE];
    int mailed;
    alvd_buf titles;
} service_consultations_new_round;

/* Lock each proposal (after the cycle) and take the revision it is consulted on; only a
 * draft or ready proposal of this cycle may be put to a round. */
static int service_consultations_lock_proposals(store_conn *conn, long long cycle_id,
                                                const service_consultations_opening *opening,
                                                service_consultations_new_round *made, alvd_err *err)
{
    for (size_t i = 0; i < opening->count; i++) {
        store_result *rows = NULL;
        if (store_consultations_lock_proposal(conn, opening->proposal_ids[i], cycle_id, &rows, err) != 0)
            return -1;
        int rc = 0;
        if (store_result_rows(rows) != 1) {
            rc = alvd_err_set(err, 422, "unknown_proposal", "proposal_ids", "Voorstel %lld hoort niet bij deze cyclus.",
                              opening->proposal_ids[i]);
        } else if (strcmp(store_result_text(rows, 0, 1), "draft") != 0 &&
                   strcmp(store_result_text(rows, 0, 1), "ready") != 0) {
            rc = alvd_err_set(err, 422, "proposal_closed", "proposal_ids",
                              "Voorstel %lld is niet meer in behandeling en kan niet worden voorgelegd.",
                              opening->proposal_ids[i]);
        } else {
            made->revision_ids[i] = store_result_int(rows, 0, 0);
            buf_appendf(&made->titles, "%s«%s»", i ? "; " : "", store_result_text(rows, 0, 2));
        }
        store_result_free(rows);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* The round, its proposals at their revisions, and its invitees. */
static int service_consultations_insert_round(store_conn *conn, long long user_id, long long cycle_id,
                                              const service_consultations_opening *opening,
                                              service_consultations_new_round *made, alvd_err *err)
{
    char opens_sql[20], closes_sql[20];
    rules_instant_sql(opening->opens, opens_sql);
    rules_instant_sql(opening->closes, closes_sql);
    rules_date_format(rules_amsterdam_day(opening->opens), made->opening_day);
    if (store_consultations_next_round(conn, cycle_id, &made->round_number, err) != 0 ||
        store_consultations_insert(conn, cycle_id, made->round_number, opens_sql, closes_sql, made->opening_day,
                                   user_id, &made->round_id, err) != 0)
        return -1;
    for (size_t i = 0; i < opening->count; i++)
        if (store_consultations_add_proposal(conn, made->round_id, opening->proposal_ids[i], made->revision_ids[i],
                                             err) != 0)
            return -1;
    if (store_consultations_invite_bound(conn, made->round_id, made->opening_day, err) != 0)
        return -1;
    return store_consultations_invited_counts(conn, made->round_id, &made->invited, &made->without_contact, err);
}

/* The invitation with a login link to every contact of every invited organisation. */
static int service_consultations_invite(store_conn *conn, const char *public_url,
                                        const service_consultations_opening *opening,
                                        service_consultations_new_round *made, alvd_err *err)
{
    char from[64], until[64], subject[200];
    alvd_buf intro;
    buf_init(&intro, 16 * 1024);
    rules_instant_dutch(opening->opens, from);
    rules_instant_dutch(opening->closes, until);
    snprintf(subject, sizeof subject, "Consultatie wijzigingen Code %lld, ronde %lld: reageren tot %s", made->year,
             made->round_number, until);
    buf_appendf(&intro,
                "KSF legt voorgestelde wijzigingen van de Code voor Verantwoordelijk Marktgedrag voor aan alle "
                "partijen die aan de Code gebonden zijn (consultatie, Code art. 7). Ronde %lld van de "
                "wijzigingscyclus %lld is open van %s tot %s (Nederlandse tijd). Het gaat om: %s. Na het inloggen "
                "ziet u per voorstel de wijzigingen per artikel, met de oude en de nieuwe tekst, en kunt u per "
                "voorstel of per artikel reageren. Tot de sluiting kunt u uw reactie aanpassen; daarna beantwoordt "
                "het bestuur elke reactie in de reactienota.",
                made->round_number, made->year, from, until, made->titles.data ? made->titles.data : "");
    int rc = intro.overflowed ? alvd_err_set(err, 422, "too_long", "proposal_ids",
                                             "De titels van de voorstellen zijn samen te lang voor de uitnodiging.")
                              : service_consultations_mail_contacts(conn, public_url, made->round_id, subject,
                                                                    intro.data, &made->mailed, err);
    buf_free(&intro);
    return rc;
}

/* The audit entry of the opened round and the cycle moved on. */
static int service_consultations_record_open(store_conn *conn, const audit_actor *actor, long long cycle_id,
                                             const service_consultations_opening *opening,
                                             const service_consultations_new_round *made, alvd_err *err)
{
    json_t *proposal_list = json_array();
    for (size_t i = 0; i < opening->count; i++)
        json_array_append_new(proposal_list, json_integer(opening->proposal_ids[i]));
    json_t *details = json_pack("{s:I, s:I, s:s, s:s, s:o, s:I, s:i}", "cycle_id", (json_int_t)cycle_id, "round",
                                (json_int_t)made->round_number, "opens_at", opening->opens_text, "closes_at",
                                opening->closes_text, "proposal_ids", proposal_list, "invited",
                                (json_int_t)made->invited, "mails", made->mailed);
    int rc = audit_append(conn, err, actor, "consultation.open", "consultation", made->round_id, details);
    json_decref(details);
    if (rc != 0)
        return -1;
    return service_cycle_state_set(conn, actor, cycle_id, made->state,
                                   rules_cycle_state_after(made->state, RULES_CYCLE_OPEN_ROUND), err);
}

int service_consultations_open(store_conn *conn, const audit_actor *actor, long long user_id, const char *public_url,
                               long long cycle_id, const service_consultations_opening *opening, json_t **result,
                               alvd_err *err)
{
    service_consultations_new_round made;
    memset(&made, 0, sizeof made);
    buf_init(&made.titles, 12 * 1024);
    *result = NULL;
    if (store_begin(conn, err) != 0 || store_cycles_load_state(conn, cycle_id, 1, &made.state, &made.year, err) != 0 ||
        rules_cycle_check_action(made.state, RULES_CYCLE_OPEN_ROUND, err) != 0 ||
        service_consultations_lock_proposals(conn, cycle_id, opening, &made, err) != 0 ||
        service_consultations_insert_round(conn, user_id, cycle_id, opening, &made, err) != 0 ||
        service_consultations_invite(conn, public_url, opening, &made, err) != 0 ||
        service_consultations_record_open(conn, actor, cycle_id, opening, &made, err) != 0 ||
        store_commit(conn, err) != 0) {
        store_rollback(conn);
        buf_free(&made.titles);
        return -1;
    }
    buf_free(&made.titles);
    *result = json_pack("{s:I, s:I, s:I, s:I, s:i, s:I, s:s}", "id", (json_int_t)made.round_id, "cycle_id",
                        (json_int_t)cycle_id, "round", (json_int_t)made.round_number, "invited",
                        (json_int_t)made.invited, "mails", made.mailed, "invited_without_contact",
                        (json_int_t)made.without_contact, "opening_day", made.opening_day);
    return 0;
}

/* ------------------------------------------------------------------ closing, reminding */

int service_consultations_close(store_conn *conn, const audit_actor *actor, long long id, json_t **round_json,
                                alvd_err *err)
{
    store_consultations_round round;
    *round_json = NULL;
    if (store_begin(conn, err) != 0 || store_consultations_load(conn, id, 1, &round, err) != 0)
        goto fail;
    rules_round_phase phase = rules_round_phase_at(round.opens, round.closes, round.now);
    if (phase == RULES_ROUND_UPCOMING) {
        alvd_err_set(err, 422, "round_not_open", NULL, "Deze ronde is nog niet open; sluiten kan pas na de opening.");
        goto fail;
    }
    if (phase == RULES_ROUND_OPEN) {
        /* Closing early moves closes_at to now, so every window rule sees it closed. */
        if (store_consultations_close_early(conn, id, round.now, err) != 0 ||
            audit_append(conn, err, actor, "consultation.close", "consultation", id, NULL) != 0)
            goto fail;
        round.closes = round.now;
    }
    if (store_commit(conn, err) != 0)
        goto fail;
    *round_json = service_consultations_round_json(&round);
    return 0;
fail:
    store_rollback(conn);
    return -1;
}

int service_consultations_remind(store_conn *conn, const audit_actor *actor, const char *public_url, long long id,
                                 json_t **result, alvd_err *err)
{
    store_consultations_round round;
    int sent = 0;
    *result = NULL;
    if (store_begin(conn, err) != 0 || store_consultations_load(conn, id, 1, &round, err) != 0)
        goto fail;
    if (rules_round_phase_at(round.opens, round.closes, round.now) != RULES_ROUND_OPEN) {
        alvd_err_set(err, 422, "round_not_open", NULL, "Een herinnering kan alleen zolang de ronde open is.");
        goto fail;
    }
    if (service_consultations_send_reminder(conn, public_url, &round, actor, &sent, err) != 0 ||
        store_commit(conn, err) != 0)
        goto fail;
    *result = json_pack("{s:I, s:i}", "id", (json_int_t)id, "mails", sent);
    return 0;
fail:
    store_rollback(conn);
    return -1;
}
