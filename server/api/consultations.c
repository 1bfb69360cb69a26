/* Consultation rounds (Code art. 7): the board consults every bound organisation on
 * the proposals; their comments, the board's replies and the reactienota. */
#include "alvd/api/consultations.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/api/cycles.h"
#include "alvd/api/links.h"
#include "alvd/api/proposals.h"
#include "alvd/base/buf.h"
#include "alvd/base/log.h"
#include "alvd/crypto/audit.h"
#include "alvd/http/input.h"
#include "alvd/rules/cycle.h"
#include "alvd/rules/dates.h"

#define CONSULTATIONS_MAX_PROPOSALS 50
#define CONSULTATIONS_COMMENT_MAX 10000
#define CONSULTATIONS_REPLY_MAX 20000
#define CONSULTATIONS_REPORT_MAX (16 * 1024 * 1024)

/* ------------------------------------------------------------------ loading */

typedef struct consultations_round {
    long long id, cycle_id, round, year;
    int64_t opens, closes, now;
    int reminder_sent;
} consultations_round;

static int consultations_load(store_conn *conn, long long id, int lock, consultations_round *round, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    lock ? "SELECT c.id, c.cycle_id, c.round, y.year, UNIX_TIMESTAMP(c.opens_at),"
                           " UNIX_TIMESTAMP(c.closes_at), c.reminder_sent_at IS NOT NULL,"
                           " UNIX_TIMESTAMP(UTC_TIMESTAMP()) FROM consultations c JOIN cycles y ON y.id = c.cycle_id"
                           " WHERE c.id = ? FOR UPDATE"
                         : "SELECT c.id, c.cycle_id, c.round, y.year, UNIX_TIMESTAMP(c.opens_at),"
                           " UNIX_TIMESTAMP(c.closes_at), c.reminder_sent_at IS NOT NULL,"
                           " UNIX_TIMESTAMP(UTC_TIMESTAMP()) FROM consultations c JOIN cycles y ON y.id = c.cycle_id"
                           " WHERE c.id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", NULL, "Deze consultatieronde bestaat niet.");
    }
    round->id = store_result_int(rows, 0, 0);
    round->cycle_id = store_result_int(rows, 0, 1);
    round->round = store_result_int(rows, 0, 2);
    round->year = store_result_int(rows, 0, 3);
    round->opens = store_result_int(rows, 0, 4);
    round->closes = store_result_int(rows, 0, 5);
    round->reminder_sent = (int)store_result_int(rows, 0, 6);
    round->now = store_result_int(rows, 0, 7);
    store_result_free(rows);
    return 0;
}

/* Is the organisation invited to the round? Contacts of other organisations get 404. */
static int consultations_check_invited(store_conn *conn, long long round_id, long long organisation_id, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT 1 FROM consultation_invitees WHERE consultation_id = ? AND organisation_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(round_id), STORE_INT_PARAM(organisation_id))) != 0)
        return -1;
    int invited = store_result_rows(rows) == 1;
    store_result_free(rows);
    if (!invited)
        return alvd_err_set(err, 404, "not_found", NULL, "Deze consultatieronde bestaat niet.");
    return 0;
}

json_t *consultations_list_json(store_conn *conn, long long cycle_id, long long organisation_id, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT c.id, c.cycle_id, y.year, c.round, c.opens_at, c.closes_at, c.reminder_sent_at,"
                    " UNIX_TIMESTAMP(c.opens_at) AS opens_unix, UNIX_TIMESTAMP(c.closes_at) AS closes_unix,"
                    " UNIX_TIMESTAMP(UTC_TIMESTAMP()) AS now_unix,"
                    " (SELECT COUNT(*) FROM consultation_invitees i WHERE i.consultation_id = c.id) AS invited,"
                    " (SELECT COUNT(*) FROM consultation_proposals cp WHERE cp.consultation_id = c.id) AS proposals,"
                    " (SELECT COUNT(*) FROM consultation_comments k WHERE k.consultation_id = c.id"
                    "  AND (? = 0 OR k.organisation_id = ?)) AS comments,"
                    " (SELECT COUNT(*) FROM consultation_comments k LEFT JOIN comment_replies r"
                    "  ON r.comment_id = k.id WHERE k.consultation_id = c.id AND r.comment_id IS NULL"
                    "  AND (? = 0 OR k.organisation_id = ?)) AS unreplied"
                    " FROM consultations c JOIN cycles y ON y.id = c.cycle_id"
                    " WHERE (? = 0 OR c.cycle_id = ?) AND (? = 0 OR EXISTS (SELECT 1 FROM consultation_invitees i"
                    "  WHERE i.consultation_id = c.id AND i.organisation_id = ?))"
                    " ORDER BY y.year DESC, c.round",
                    STORE_PARAMS(STORE_INT_PARAM(organisation_id), STORE_INT_PARAM(organisation_id),
                                 STORE_INT_PARAM(organisation_id), STORE_INT_PARAM(organisation_id),
                                 STORE_INT_PARAM(cycle_id), STORE_INT_PARAM(cycle_id),
                                 STORE_INT_PARAM(organisation_id), STORE_INT_PARAM(organisation_id))) != 0)
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

/* ------------------------------------------------------------------ mail */

/* The titles of the proposals of a round, as "«A»; «B»". */
static int consultations_titles(store_conn *conn, long long round_id, alvd_buf *out, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT r.title FROM consultation_proposals cp JOIN proposal_revisions r ON r.id = cp.revision_id"
                    " WHERE cp.consultation_id = ? ORDER BY cp.proposal_id",
                    STORE_PARAMS(STORE_INT_PARAM(round_id))) != 0)
        return -1;
    for (size_t r = 0; r < store_result_rows(rows); r++)
        buf_appendf(out, "%s«%s»", r ? "; " : "", store_result_text(rows, r, 0));
    store_result_free(rows);
    return 0;
}

/* Mail every contact person of every invited organisation a login link with intro. */
static int consultations_mail_contacts(store_conn *conn, const char *public_url, long long round_id,
                                       const char *subject, const char *intro, int *sent, alvd_err *err)
{
    store_result *rows = NULL;
    *sent = 0;
    if (store_query(conn, err, &rows,
                    "SELECT c.id FROM contacts c JOIN consultation_invitees i ON i.organisation_id = c.organisation_id"
                    " WHERE i.consultation_id = ? AND c.removed_at IS NULL ORDER BY c.id",
                    STORE_PARAMS(STORE_INT_PARAM(round_id))) != 0)
        return -1;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        if (links_send(conn, public_url, store_result_int(rows, r, 0), "invite", subject, intro, NULL, err) != 0) {
            store_result_free(rows);
            return -1;
        }
        (*sent)++;
    }
    store_result_free(rows);
    return 0;
}

/* The reminder of one round (inside the caller's transaction). */
static int consultations_send_reminder(store_conn *conn, const char *public_url, const consultations_round *round,
                                       const audit_actor *actor, int *sent, alvd_err *err)
{
    char until[64], subject[200];
    alvd_buf intro, titles;
    buf_init(&intro, 16 * 1024);
    buf_init(&titles, 12 * 1024);
    rules_instant_dutch(round->closes, until);
    snprintf(subject, sizeof subject, "Herinnering: consultatie Code sluit op %s", until);
    int rc = consultations_titles(conn, round->id, &titles, err);
    if (rc == 0) {
        buf_appendf(&intro,
                    "Ronde %lld van de consultatie over wijzigingen van de Code voor Verantwoordelijk Marktgedrag "
                    "(cyclus %lld) sluit op %s (Nederlandse tijd). Het gaat om: %s. Wilt u nog reageren of uw "
                    "reactie aanpassen, doe dat dan vóór de sluiting. Na de sluiting beantwoordt het bestuur elke "
                    "reactie in de reactienota.",
                    round->round, round->year, until, titles.data ? titles.data : "");
        rc = consultations_mail_contacts(conn, public_url, round->id, subject, intro.data, sent, err);
    }
    if (rc == 0)
        rc = store_execute(conn, err, NULL, "UPDATE consultations SET reminder_sent_at = UTC_TIMESTAMP(6) WHERE id = ?",
                           STORE_PARAMS(STORE_INT_PARAM(round->id)));
    if (rc == 0) {
        json_t *details = json_pack("{s:i}", "mails", *sent);
        rc = audit_append(conn, err, actor, "consultation.reminder", "consultation", round->id, details);
        json_decref(details);
    }
    buf_free(&intro);
    buf_free(&titles);
    return rc;
}

int consultations_send_due_reminders(const alvd_app *app, store_conn *conn, int *sent, alvd_err *err)
{
    store_result *rows = NULL;
    *sent = 0;
    if (store_query(conn, err, &rows,
                    "SELECT id FROM consultations WHERE reminder_sent_at IS NULL AND closes_at > UTC_TIMESTAMP(6)"
                    " AND closes_at <= UTC_TIMESTAMP(6) + INTERVAL ? SECOND ORDER BY id",
                    STORE_PARAMS(STORE_INT_PARAM(RULES_REMINDER_LEAD_SECONDS))) != 0)
        return -1;
    audit_actor system = {"system", 0, "herinnering consultatie"};
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        consultations_round round;
        int mails = 0;
        /* Claimed under the row lock: a second process sees reminder_sent and skips. */
        if (store_begin(conn, err) != 0 || consultations_load(conn, store_result_int(rows, r, 0), 1, &round, err) != 0)
            goto fail;
        if (!rules_round_reminder_due(round.opens, round.closes, round.now, round.reminder_sent)) {
            store_rollback(conn);
            continue;
        }
        if (consultations_send_reminder(conn, app->config.public_url, &round, &system, &mails, err) != 0 ||
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

int consultations_reminder_job(const alvd_app *app, store_conn *conn, alvd_err *err)
{
    int sent = 0;
    return consultations_send_due_reminders(app, conn, &sent, err);
}

/* ------------------------------------------------------------------ rounds */

void consultations_open(http_request *request)
{
    static const char *const fields[] = {"opens_at", "closes_at", "proposal_ids", NULL};
    json_t *body = http_request_json(request);
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    const char *opens_text = NULL, *closes_text = NULL;
    long long cycle_id, year, proposal_ids[CONSULTATIONS_MAX_PROPOSALS], revision_ids[CONSULTATIONS_MAX_PROPOSALS];
    size_t count = 0;
    int64_t opens, closes;
    rules_cycle_state state;
    alvd_buf titles, intro;
    buf_init(&titles, 12 * 1024);
    buf_init(&intro, 16 * 1024);
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &cycle_id) != 0)
        goto done;
    if (input_only(body, fields, &err) != 0 || input_string(body, "opens_at", 1, 40, &opens_text, &err) != 0 ||
        input_string(body, "closes_at", 1, 40, &closes_text, &err) != 0 ||
        rules_instant_parse(opens_text, "opens_at", &opens, &err) != 0 ||
        rules_instant_parse(closes_text, "closes_at", &closes, &err) != 0 ||
        rules_round_check_instants(opens, closes, &err) != 0)
        goto fail;
    json_t *ids = json_object_get(body, "proposal_ids");
    if (!json_is_array(ids)) {
        alvd_err_set(&err, ids ? 400 : 422, ids ? "wrong_type" : "required", "proposal_ids",
                     "Geef de voorstellen van de ronde als lijst van nummers (proposal_ids).");
        goto fail;
    }
    if (json_array_size(ids) == 0 || json_array_size(ids) > CONSULTATIONS_MAX_PROPOSALS) {
        alvd_err_set(&err, 422, "required", "proposal_ids", "Een ronde gaat over 1 tot %d voorstellen.",
                     CONSULTATIONS_MAX_PROPOSALS);
        goto fail;
    }
    size_t index;
    json_t *value;
    json_array_foreach(ids, index, value) {
        if (!json_is_integer(value) || json_integer_value(value) <= 0) {
            alvd_err_set(&err, 400, "wrong_type", "proposal_ids", "Elk voorstel is een positief nummer.");
            goto fail;
        }
        for (size_t i = 0; i < count; i++)
            if (proposal_ids[i] == json_integer_value(value)) {
                alvd_err_set(&err, 422, "duplicate", "proposal_ids", "Voorstel %lld staat twee keer in de lijst.",
                             proposal_ids[i]);
                goto fail;
            }
        proposal_ids[count++] = json_integer_value(value);
    }
    audit_actor actor = http_request_actor(request);
    if (store_begin(conn, &err) != 0 || cycles_load_state(conn, cycle_id, 1, &state, &year, &err) != 0 ||
        rules_cycle_check_action(state, RULES_CYCLE_OPEN_ROUND, &err) != 0)
        goto fail;
    for (size_t i = 0; i < count; i++) {
        if (store_query(conn, &err, &rows,
                        "SELECT p.current_revision_id, p.state, r.title FROM proposals p"
                        " JOIN proposal_revisions r ON r.id = p.current_revision_id"
                        " WHERE p.id = ? AND p.cycle_id = ? FOR UPDATE",
                        STORE_PARAMS(STORE_INT_PARAM(proposal_ids[i]), STORE_INT_PARAM(cycle_id))) != 0)
            goto fail;
        if (store_result_rows(rows) != 1) {
            alvd_err_set(&err, 422, "unknown_proposal", "proposal_ids", "Voorstel %lld hoort niet bij deze cyclus.",
                         proposal_ids[i]);
            goto fail;
        }
        const char *proposal_state = store_result_text(rows, 0, 1);
        if (strcmp(proposal_state, "draft") != 0 && strcmp(proposal_state, "ready") != 0) {
            alvd_err_set(&err, 422, "proposal_closed", "proposal_ids",
                         "Voorstel %lld is niet meer in behandeling en kan niet worden voorgelegd.", proposal_ids[i]);
            goto fail;
        }
        revision_ids[i] = store_result_int(rows, 0, 0);
        buf_appendf(&titles, "%s«%s»", i ? "; " : "", store_result_text(rows, 0, 2));
        store_result_free(rows);
        rows = NULL;
    }
    char opens_sql[20], closes_sql[20], opening_day[RULES_DATE_TEXT_SIZE];
    rules_instant_sql(opens, opens_sql);
    rules_instant_sql(closes, closes_sql);
    rules_date_format(rules_amsterdam_day(opens), opening_day);
    if (store_query(conn, &err, &rows, "SELECT COALESCE(MAX(round), 0) + 1 FROM consultations WHERE cycle_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(cycle_id))) != 0)
        goto fail;
    long long round_number = store_result_int(rows, 0, 0);
    store_result_free(rows);
    rows = NULL;
    if (store_execute(conn, &err, NULL,
                      "INSERT INTO consultations (cycle_id, round, opens_at, closes_at, opening_day, created_at,"
                      " created_by) VALUES (?, ?, ?, ?, ?, UTC_TIMESTAMP(6), ?)",
                      STORE_PARAMS(STORE_INT_PARAM(cycle_id), STORE_INT_PARAM(round_number),
                                   STORE_TEXT_PARAM(opens_sql), STORE_TEXT_PARAM(closes_sql),
                                   STORE_TEXT_PARAM(opening_day),
                                   STORE_INT_PARAM(http_request_principal(request)->user_id))) != 0)
        goto fail;
    long long round_id = store_last_insert_id(conn);
    for (size_t i = 0; i < count; i++)
        if (store_execute(conn, &err, NULL,
                          "INSERT INTO consultation_proposals (consultation_id, proposal_id, revision_id)"
                          " VALUES (?, ?, ?)",
                          STORE_PARAMS(STORE_INT_PARAM(round_id), STORE_INT_PARAM(proposal_ids[i]),
                                       STORE_INT_PARAM(revision_ids[i]))) != 0)
            goto fail;
    /* Invited: every organisation with a binding basis (membership, signature or
     * contract) on the opening day — the same test as rules_binding_on's "active". */
    if (store_execute(conn, &err, NULL,
                      "INSERT INTO consultation_invitees (consultation_id, organisation_id, contacts_mailed)"
                      " SELECT DISTINCT ?, b.organisation_id, (SELECT COUNT(*) FROM contacts c"
                      "  WHERE c.organisation_id = b.organisation_id AND c.removed_at IS NULL)"
                      " FROM bases b WHERE b.since <= ? AND (b.until IS NULL OR b.until >= ?)"
                      " AND b.superseded_by IS NULL",
                      STORE_PARAMS(STORE_INT_PARAM(round_id), STORE_TEXT_PARAM(opening_day),
                                   STORE_TEXT_PARAM(opening_day))) != 0 ||
        store_query(conn, &err, &rows,
                    "SELECT COUNT(*), COALESCE(SUM(contacts_mailed = 0), 0) FROM consultation_invitees"
                    " WHERE consultation_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(round_id))) != 0)
        goto fail;
    long long invited = store_result_int(rows, 0, 0), without_contact = store_result_int(rows, 0, 1);
    store_result_free(rows);
    rows = NULL;
    char from[64], until[64], subject[200];
    rules_instant_dutch(opens, from);
    rules_instant_dutch(closes, until);
    snprintf(subject, sizeof subject, "Consultatie wijzigingen Code %lld, ronde %lld: reageren tot %s", year,
             round_number, until);
    buf_appendf(&intro,
                "KSF legt voorgestelde wijzigingen van de Code voor Verantwoordelijk Marktgedrag voor aan alle "
                "partijen die aan de Code gebonden zijn (consultatie, Code art. 7). Ronde %lld van de "
                "wijzigingscyclus %lld is open van %s tot %s (Nederlandse tijd). Het gaat om: %s. Na het inloggen "
                "ziet u per voorstel de wijzigingen per artikel, met de oude en de nieuwe tekst, en kunt u per "
                "voorstel of per artikel reageren. Tot de sluiting kunt u uw reactie aanpassen; daarna beantwoordt "
                "het bestuur elke reactie in de reactienota.",
                round_number, year, from, until, titles.data ? titles.data : "");
    int mailed = 0;
    if (intro.overflowed) {
        alvd_err_set(&err, 422, "too_long", "proposal_ids", "De titels van de voorstellen zijn samen te lang voor de uitnodiging.");
        goto fail;
    }
    if (consultations_mail_contacts(conn, http_request_app(request)->config.public_url, round_id, subject, intro.data,
                                    &mailed, &err) != 0)
        goto fail;
    json_t *proposal_list = json_array();
    for (size_t i = 0; i < count; i++)
        json_array_append_new(proposal_list, json_integer(proposal_ids[i]));
    json_t *details = json_pack("{s:I, s:I, s:s, s:s, s:o, s:I, s:i}", "cycle_id", (json_int_t)cycle_id, "round",
                                (json_int_t)round_number, "opens_at", opens_text, "closes_at", closes_text,
                                "proposal_ids", proposal_list, "invited", (json_int_t)invited, "mails", mailed);
    int rc = audit_append(conn, &err, &actor, "consultation.open", "consultation", round_id, details);
    json_decref(details);
    if (rc != 0 ||
        cycles_set_state(conn, &actor, cycle_id, state, rules_cycle_state_after(state, RULES_CYCLE_OPEN_ROUND),
                         &err) != 0 ||
        store_commit(conn, &err) != 0)
        goto fail;
    http_reply_json(request, 201,
                    json_pack("{s:I, s:I, s:I, s:I, s:i, s:I, s:s}", "id", (json_int_t)round_id, "cycle_id",
                              (json_int_t)cycle_id, "round", (json_int_t)round_number, "invited", (json_int_t)invited,
                              "mails", mailed, "invited_without_contact", (json_int_t)without_contact,
                              "opening_day", opening_day));
    goto done;
fail:
    store_rollback(conn);
    store_result_free(rows);
    http_reply_err(request, &err);
done:
    buf_free(&titles);
    buf_free(&intro);
}

void consultations_list(http_request *request)
{
    const auth_principal *who = http_request_principal(request);
    alvd_err err;
    alvd_err_clear(&err);
    json_t *items = consultations_list_json(http_request_db(request), 0,
                                            who->kind == AUTH_KIND_USER ? 0 : who->organisation_id, &err);
    if (items == NULL)
        http_reply_err(request, &err);
    else
        http_reply_json(request, 200, json_pack("{s:o}", "items", items));
}

/* Comments of a round with their replies; organisation_id > 0 limits to that
 * organisation (a contact sees only their own). */
static json_t *consultations_comments_json(store_conn *conn, long long round_id, long long organisation_id,
                                           alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT k.id, k.proposal_id, rv.title AS proposal_title, k.article_id AS article,"
                    " k.organisation_id, o.name AS organisation, ct.name AS contact, k.text, k.created_at,"
                    " k.updated_at, r.text AS reply_text, r.led_to_change, r.updated_at AS replied_at"
                    " FROM consultation_comments k JOIN organisations o ON o.id = k.organisation_id"
                    " JOIN contacts ct ON ct.id = k.contact_id"
                    " JOIN consultation_proposals cp ON cp.consultation_id = k.consultation_id"
                    "  AND cp.proposal_id = k.proposal_id"
                    " JOIN proposal_revisions rv ON rv.id = cp.revision_id"
                    " LEFT JOIN comment_replies r ON r.comment_id = k.id"
                    " WHERE k.consultation_id = ? AND (? = 0 OR k.organisation_id = ?)"
                    " ORDER BY k.proposal_id, k.article_id IS NOT NULL, k.article_id, k.id",
                    STORE_PARAMS(STORE_INT_PARAM(round_id), STORE_INT_PARAM(organisation_id),
                                 STORE_INT_PARAM(organisation_id))) != 0)
        return NULL;
    json_t *items = json_array();
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        json_t *item = store_result_row_json(rows, r);
        json_t *reply = store_result_text(rows, r, 10)
                            ? json_pack("{s:s, s:s?, s:O}", "text", store_result_text(rows, r, 10), "led_to_change",
                                        store_result_text(rows, r, 11), "replied_at",
                                        json_object_get(item, "replied_at"))
                            : json_null();
        json_object_del(item, "reply_text");
        json_object_del(item, "led_to_change");
        json_object_del(item, "replied_at");
        json_object_set_new(item, "reply", reply);
        json_array_append_new(items, item);
    }
    store_result_free(rows);
    return items;
}

/* The proposals of a round at the revision consulted, each with the diff against the
 * revision consulted in the latest earlier round of the same cycle, if any. */
static json_t *consultations_proposals_json(store_conn *conn, const consultations_round *round, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT cp.proposal_id, cp.revision_id, p.base_version_id,"
                    " (SELECT c2.round FROM consultation_proposals cp2 JOIN consultations c2"
                    "  ON c2.id = cp2.consultation_id WHERE cp2.proposal_id = cp.proposal_id"
                    "  AND c2.cycle_id = ? AND c2.round < ? ORDER BY c2.round DESC LIMIT 1),"
                    " (SELECT cp2.revision_id FROM consultation_proposals cp2 JOIN consultations c2"
                    "  ON c2.id = cp2.consultation_id WHERE cp2.proposal_id = cp.proposal_id"
                    "  AND c2.cycle_id = ? AND c2.round < ? ORDER BY c2.round DESC LIMIT 1),"
                    " (SELECT number FROM proposal_revisions WHERE id = (SELECT cp2.revision_id"
                    "  FROM consultation_proposals cp2 JOIN consultations c2 ON c2.id = cp2.consultation_id"
                    "  WHERE cp2.proposal_id = cp.proposal_id AND c2.cycle_id = ? AND c2.round < ?"
                    "  ORDER BY c2.round DESC LIMIT 1))"
                    " FROM consultation_proposals cp JOIN proposals p ON p.id = cp.proposal_id"
                    " WHERE cp.consultation_id = ? ORDER BY cp.proposal_id",
                    STORE_PARAMS(STORE_INT_PARAM(round->cycle_id), STORE_INT_PARAM(round->round),
                                 STORE_INT_PARAM(round->cycle_id), STORE_INT_PARAM(round->round),
                                 STORE_INT_PARAM(round->cycle_id), STORE_INT_PARAM(round->round),
                                 STORE_INT_PARAM(round->id))) != 0)
        return NULL;
    json_t *list = json_array();
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        json_t *proposal = proposals_json(conn, store_result_int(rows, r, 0), store_result_int(rows, r, 1), 0, err);
        if (proposal == NULL)
            goto fail;
        json_t *since = json_null();
        if (!store_result_is_null(rows, r, 4)) {
            since = proposals_compare_json(conn, store_result_int(rows, r, 2), store_result_int(rows, r, 4),
                                           store_result_int(rows, r, 1), err);
            if (since == NULL) {
                json_decref(proposal);
                goto fail;
            }
            json_object_set_new(since, "round", json_integer(store_result_int(rows, r, 3)));
            json_object_set_new(since, "revision", json_integer(store_result_int(rows, r, 5)));
        }
        json_object_set_new(proposal, "since_previous_round", since);
        json_array_append_new(list, proposal);
    }
    store_result_free(rows);
    return list;
fail:
    store_result_free(rows);
    json_decref(list);
    return NULL;
}

static json_t *consultations_round_json(const consultations_round *round)
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

void consultations_get(http_request *request)
{
    store_conn *conn = http_request_db(request);
    const auth_principal *who = http_request_principal(request);
    store_result *rows = NULL;
    consultations_round round;
    long long id;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    int staff = who->kind == AUTH_KIND_USER;
    if (consultations_load(conn, id, 0, &round, &err) != 0 ||
        (!staff && consultations_check_invited(conn, id, who->organisation_id, &err) != 0)) {
        http_reply_err(request, &err);
        return;
    }
    json_t *body = consultations_round_json(&round);
    json_t *proposals = consultations_proposals_json(conn, &round, &err);
    json_t *comments = proposals ? consultations_comments_json(conn, id, staff ? 0 : who->organisation_id, &err) : NULL;
    if (comments == NULL) {
        json_decref(body);
        json_decref(proposals);
        http_reply_err(request, &err);
        return;
    }
    json_object_set_new(body, "proposals", proposals);
    json_object_set_new(body, "comments", comments);
    if (staff) {
        if (store_query(conn, &err, &rows,
                        "SELECT i.organisation_id, o.name, i.contacts_mailed,"
                        " (SELECT COUNT(*) FROM consultation_comments k WHERE k.consultation_id = i.consultation_id"
                        "  AND k.organisation_id = i.organisation_id) AS comments"
                        " FROM consultation_invitees i JOIN organisations o ON o.id = i.organisation_id"
                        " WHERE i.consultation_id = ? ORDER BY o.name",
                        STORE_PARAMS(STORE_INT_PARAM(id))) != 0) {
            json_decref(body);
            http_reply_err(request, &err);
            return;
        }
        json_object_set_new(body, "invitees", store_result_json(rows));
        json_object_set_new(body, "invited", json_integer((json_int_t)store_result_rows(rows)));
        store_result_free(rows);
    }
    http_reply_json(request, 200, body);
}

void consultations_close(http_request *request)
{
    store_conn *conn = http_request_db(request);
    consultations_round round;
    long long id;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    audit_actor actor = http_request_actor(request);
    if (store_begin(conn, &err) != 0 || consultations_load(conn, id, 1, &round, &err) != 0)
        goto fail;
    rules_round_phase phase = rules_round_phase_at(round.opens, round.closes, round.now);
    if (phase == RULES_ROUND_UPCOMING) {
        alvd_err_set(&err, 422, "round_not_open", NULL,
                     "Deze ronde is nog niet open; sluiten kan pas na de opening.");
        goto fail;
    }
    if (phase == RULES_ROUND_OPEN) {
        /* Closing early moves closes_at to now, so every window rule sees it closed. */
        if (store_execute(conn, &err, NULL,
                          "UPDATE consultations SET closes_at = FROM_UNIXTIME(?), closed_early_at = UTC_TIMESTAMP(6)"
                          " WHERE id = ?",
                          STORE_PARAMS(STORE_INT_PARAM(round.now), STORE_INT_PARAM(id))) != 0 ||
            audit_append(conn, &err, &actor, "consultation.close", "consultation", id, NULL) != 0)
            goto fail;
        round.closes = round.now;
    }
    if (store_commit(conn, &err) != 0)
        goto fail;
    http_reply_json(request, 200, consultations_round_json(&round));
    return;
fail:
    store_rollback(conn);
    http_reply_err(request, &err);
}

void consultations_remind(http_request *request)
{
    store_conn *conn = http_request_db(request);
    consultations_round round;
    long long id;
    int sent = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    audit_actor actor = http_request_actor(request);
    if (store_begin(conn, &err) != 0 || consultations_load(conn, id, 1, &round, &err) != 0)
        goto fail;
    if (rules_round_phase_at(round.opens, round.closes, round.now) != RULES_ROUND_OPEN) {
        alvd_err_set(&err, 422, "round_not_open", NULL, "Een herinnering kan alleen zolang de ronde open is.");
        goto fail;
    }
    if (consultations_send_reminder(conn, http_request_app(request)->config.public_url, &round, &actor, &sent,
                                    &err) != 0 ||
        store_commit(conn, &err) != 0)
        goto fail;
    http_reply_json(request, 200, json_pack("{s:I, s:i}", "id", (json_int_t)id, "mails", sent));
    return;
fail:
    store_rollback(conn);
    http_reply_err(request, &err);
}

/* ------------------------------------------------------------------ comments */

/* The article of a comment must be one the consulted revision changes. */
static int consultations_check_article(store_conn *conn, long long round_id, long long proposal_id,
                                       const char *article, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT pc.article_id FROM consultation_proposals cp JOIN proposal_changes pc"
                    " ON pc.revision_id = cp.revision_id WHERE cp.consultation_id = ? AND cp.proposal_id = ?"
                    " ORDER BY pc.position",
                    STORE_PARAMS(STORE_INT_PARAM(round_id), STORE_INT_PARAM(proposal_id))) != 0)
        return -1;
    if (store_result_rows(rows) == 0) {
        store_result_free(rows);
        return alvd_err_set(err, 422, "not_in_round", "proposal_id",
                            "Voorstel %lld ligt niet voor in deze consultatieronde.", proposal_id);
    }
    int found = article == NULL;
    char list[256] = "";
    size_t used = 0;
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        const char *id = store_result_text(rows, r, 0);
        found = found || strcmp(id, article) == 0;
        int written = snprintf(list + used, sizeof list - used, "%s%s", r ? ", " : "", id);
        if (written > 0 && (size_t)written < sizeof list - used)
            used += (size_t)written;
    }
    store_result_free(rows);
    if (!found)
        return alvd_err_set(err, 422, "article_not_in_proposal", "article",
                            "Dit voorstel wijzigt artikel %s niet; reageer op het hele voorstel of op een van de "
                            "artikelen %s.", article, list);
    return 0;
}

static json_t *consultations_comment_json(store_conn *conn, long long comment_id, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT id, consultation_id, proposal_id, article_id AS article, organisation_id, text,"
                    " created_at, updated_at FROM consultation_comments WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(comment_id))) != 0)
        return NULL;
    json_t *comment = store_result_rows(rows) ? store_result_row_json(rows, 0) : json_object();
    store_result_free(rows);
    return comment;
}

void consultations_comment(http_request *request)
{
    static const char *const fields[] = {"proposal_id", "article", "text", NULL};
    json_t *body = http_request_json(request);
    store_conn *conn = http_request_db(request);
    const auth_principal *who = http_request_principal(request);
    consultations_round round;
    const char *article = NULL, *text = NULL;
    long long id, proposal_id = 0, inserted = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    if (input_only(body, fields, &err) != 0 ||
        input_integer(body, "proposal_id", 1, 1, (long long)1 << 53, &proposal_id, NULL, &err) != 0 ||
        input_string(body, "article", 0, RULES_ARTICLE_ID_MAX, &article, &err) != 0 ||
        input_string(body, "text", 1, CONSULTATIONS_COMMENT_MAX, &text, &err) != 0)
        goto fail;
    audit_actor actor = http_request_actor(request);
    /* Invitation first (404 for others), then the window, then what is commented on. */
    if (consultations_load(conn, id, 0, &round, &err) != 0 ||
        consultations_check_invited(conn, id, who->organisation_id, &err) != 0 ||
        rules_round_check_comment_window(round.opens, round.closes, round.now, &err) != 0 ||
        consultations_check_article(conn, id, proposal_id, article, &err) != 0 || store_begin(conn, &err) != 0 ||
        store_execute(conn, &err, &inserted,
                      "INSERT INTO consultation_comments (consultation_id, proposal_id, article_id, organisation_id,"
                      " contact_id, text, created_at, updated_at) SELECT ?, ?, ?, ?, ?, ?, UTC_TIMESTAMP(6),"
                      " UTC_TIMESTAMP(6) FROM consultations WHERE id = ? AND closes_at > UTC_TIMESTAMP(6)",
                      STORE_PARAMS(STORE_INT_PARAM(id), STORE_INT_PARAM(proposal_id), STORE_TEXT_PARAM(article),
                                   STORE_INT_PARAM(who->organisation_id), STORE_INT_PARAM(who->contact_id),
                                   STORE_TEXT_PARAM(text), STORE_INT_PARAM(id))) != 0)
        goto fail;
    if (inserted != 1) {
        /* The round closed between the check and the insert. */
        rules_round_check_comment_window(round.opens, round.closes, round.closes, &err);
        goto fail;
    }
    long long comment_id = store_last_insert_id(conn);
    json_t *details = json_pack("{s:I, s:I, s:s?}", "consultation_id", (json_int_t)id, "proposal_id",
                                (json_int_t)proposal_id, "article", article);
    int rc = audit_append(conn, &err, &actor, "comment.create", "comment", comment_id, details);
    json_decref(details);
    if (rc != 0 || store_commit(conn, &err) != 0)
        goto fail;
    json_t *comment = consultations_comment_json(conn, comment_id, &err);
    if (comment == NULL)
        goto fail;
    http_reply_json(request, 201, comment);
    return;
fail:
    store_rollback(conn);
    http_reply_err(request, &err);
}

/* The comment, its round's window and owner; 404 for a comment of another organisation
 * when organisation_id > 0. */
static int consultations_load_comment(store_conn *conn, long long comment_id, long long organisation_id,
                                      consultations_round *round, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT consultation_id, organisation_id FROM consultation_comments WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(comment_id))) != 0)
        return -1;
    int visible = store_result_rows(rows) == 1 &&
                  (organisation_id == 0 || store_result_int(rows, 0, 1) == organisation_id);
    long long round_id = visible ? store_result_int(rows, 0, 0) : 0;
    store_result_free(rows);
    if (!visible)
        return alvd_err_set(err, 404, "not_found", NULL, "Deze reactie bestaat niet.");
    return consultations_load(conn, round_id, 0, round, err);
}

void consultations_comment_update(http_request *request)
{
    static const char *const fields[] = {"text", NULL};
    json_t *body = http_request_json(request);
    store_conn *conn = http_request_db(request);
    const auth_principal *who = http_request_principal(request);
    consultations_round round;
    const char *text = NULL;
    long long id, affected = 0;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    if (input_only(body, fields, &err) != 0 ||
        input_string(body, "text", 1, CONSULTATIONS_COMMENT_MAX, &text, &err) != 0)
        goto fail;
    audit_actor actor = http_request_actor(request);
    if (consultations_load_comment(conn, id, who->organisation_id, &round, &err) != 0 ||
        rules_round_check_comment_window(round.opens, round.closes, round.now, &err) != 0 ||
        store_begin(conn, &err) != 0 ||
        store_execute(conn, &err, &affected,
                      "UPDATE consultation_comments k JOIN consultations c ON c.id = k.consultation_id"
                      " SET k.text = ?, k.contact_id = ?, k.updated_at = UTC_TIMESTAMP(6)"
                      " WHERE k.id = ? AND k.organisation_id = ? AND c.closes_at > UTC_TIMESTAMP(6)",
                      STORE_PARAMS(STORE_TEXT_PARAM(text), STORE_INT_PARAM(who->contact_id), STORE_INT_PARAM(id),
                                   STORE_INT_PARAM(who->organisation_id))) != 0 ||
        (affected != 1 && rules_round_check_comment_window(round.opens, round.closes, round.closes, &err) != 0) ||
        audit_append(conn, &err, &actor, "comment.update", "comment", id, NULL) != 0 ||
        store_commit(conn, &err) != 0)
        goto fail;
    json_t *comment = consultations_comment_json(conn, id, &err);
    if (comment == NULL)
        goto fail;
    http_reply_json(request, 200, comment);
    return;
fail:
    store_rollback(conn);
    http_reply_err(request, &err);
}

void consultations_reply(http_request *request)
{
    static const char *const fields[] = {"text", "led_to_change", NULL};
    json_t *body = http_request_json(request);
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    consultations_round round;
    const char *text = NULL, *led_to_change = NULL;
    long long id;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    if (input_only(body, fields, &err) != 0 || input_string(body, "text", 1, CONSULTATIONS_REPLY_MAX, &text, &err) != 0 ||
        input_string(body, "led_to_change", 0, CONSULTATIONS_REPLY_MAX, &led_to_change, &err) != 0)
        goto fail;
    audit_actor actor = http_request_actor(request);
    if (consultations_load_comment(conn, id, 0, &round, &err) != 0 ||
        rules_round_check_reply_window(round.opens, round.closes, round.now, &err) != 0 ||
        store_begin(conn, &err) != 0 ||
        store_query(conn, &err, &rows, "SELECT 1 FROM comment_replies WHERE comment_id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        goto fail;
    int first = store_result_rows(rows) == 0;
    if (store_execute(conn, &err, NULL,
                      "INSERT INTO comment_replies (comment_id, text, led_to_change, replied_by, created_at, updated_at)"
                      " VALUES (?, ?, ?, ?, UTC_TIMESTAMP(6), UTC_TIMESTAMP(6))"
                      " ON DUPLICATE KEY UPDATE text = VALUES(text), led_to_change = VALUES(led_to_change),"
                      " replied_by = VALUES(replied_by), updated_at = VALUES(updated_at)",
                      STORE_PARAMS(STORE_INT_PARAM(id), STORE_TEXT_PARAM(text), STORE_TEXT_PARAM(led_to_change),
                                   STORE_INT_PARAM(http_request_principal(request)->user_id))) != 0 ||
        audit_append(conn, &err, &actor, first ? "comment.reply" : "comment.reply_update", "comment", id, NULL) != 0 ||
        store_commit(conn, &err) != 0)
        goto fail;
    store_result_free(rows);
    http_reply_json(request, first ? 201 : 200,
                    json_pack("{s:I, s:s, s:s?}", "comment_id", (json_int_t)id, "text", text, "led_to_change",
                              led_to_change));
    return;
fail:
    store_rollback(conn);
    store_result_free(rows);
    http_reply_err(request, &err);
}

/* ------------------------------------------------------------------ reactienota */

static char *consultations_report_csv(const consultations_round *round, json_t *items, size_t *length)
{
    alvd_buf out;
    buf_init(&out, CONSULTATIONS_REPORT_MAX);
    /* A UTF-8 byte order mark so spreadsheet programs read the accents right. */
    buf_append_str(&out, "\xEF\xBB\xBF");
    buf_append_str(&out, "ronde,reactie,voorstel,titel voorstel,artikel,organisatie,reactie,ontvangen,"
                         "laatst gewijzigd,antwoord bestuur,leidde tot wijziging,beantwoord op\r\n");
    size_t index;
    json_t *item;
    json_array_foreach(items, index, item) {
        json_t *reply = json_object_get(item, "reply");
        const char *cells[12];
        char round_text[24], comment_text[24], proposal_text[24];
        snprintf(round_text, sizeof round_text, "%lld", round->round);
        snprintf(comment_text, sizeof comment_text, "%lld", (long long)json_integer_value(json_object_get(item, "id")));
        snprintf(proposal_text, sizeof proposal_text, "%lld",
                 (long long)json_integer_value(json_object_get(item, "proposal_id")));
        cells[0] = round_text;
        cells[1] = comment_text;
        cells[2] = proposal_text;
        cells[3] = json_string_value(json_object_get(item, "proposal_title"));
        cells[4] = json_string_value(json_object_get(item, "article"));
        cells[5] = json_string_value(json_object_get(item, "organisation"));
        cells[6] = json_string_value(json_object_get(item, "text"));
        cells[7] = json_string_value(json_object_get(item, "created_at"));
        cells[8] = json_string_value(json_object_get(item, "updated_at"));
        cells[9] = json_is_object(reply) ? json_string_value(json_object_get(reply, "text")) : NULL;
        cells[10] = json_is_object(reply) ? json_string_value(json_object_get(reply, "led_to_change")) : NULL;
        cells[11] = json_is_object(reply) ? json_string_value(json_object_get(reply, "replied_at")) : NULL;
        for (size_t c = 0; c < sizeof cells / sizeof cells[0]; c++) {
            if (c)
                buf_append_str(&out, ",");
            buf_append_csv(&out, cells[c] ? cells[c] : "");
        }
        buf_append_str(&out, "\r\n");
    }
    if (out.overflowed) {
        buf_free(&out);
        return NULL;
    }
    return buf_take(&out, length);
}

void consultations_report(http_request *request)
{
    store_conn *conn = http_request_db(request);
    store_result *rows = NULL;
    consultations_round round;
    long long id;
    alvd_err err;
    alvd_err_clear(&err);
    if (http_request_param_id(request, "id", &id) != 0)
        return;
    const char *format = http_request_query(request, "format");
    if (format && strcmp(format, "csv") != 0 && strcmp(format, "json") != 0) {
        http_reply_error(request, 400, "bad_format", "format", "Kies format=json of format=csv.");
        return;
    }
    json_t *items = NULL;
    if (consultations_load(conn, id, 0, &round, &err) != 0 ||
        (items = consultations_comments_json(conn, id, 0, &err)) == NULL) {
        http_reply_err(request, &err);
        return;
    }
    if (format && strcmp(format, "csv") == 0) {
        size_t length = 0;
        char *csv = consultations_report_csv(&round, items, &length);
        json_decref(items);
        if (csv == NULL) {
            http_reply_error(request, 413, "too_large", NULL, "De reactienota is te groot voor één bestand.");
            return;
        }
        char disposition[128];
        snprintf(disposition, sizeof disposition, "attachment; filename=\"reactienota-%lld-ronde-%lld.csv\"",
                 round.year, round.round);
        http_reply_bytes(request, 200, "text/csv; charset=utf-8", csv, length);
        http_reply_header(request, "Content-Disposition", disposition);
        return;
    }
    long long replied = 0, changed = 0;
    size_t index;
    json_t *item;
    json_array_foreach(items, index, item) {
        json_t *reply = json_object_get(item, "reply");
        replied += json_is_object(reply);
        changed += json_is_object(reply) && json_is_string(json_object_get(reply, "led_to_change"));
    }
    json_t *body = json_pack("{s:o, s:o, s:{s:I, s:I, s:I, s:I}}", "consultation", consultations_round_json(&round),
                             "items", items, "counts", "comments", (json_int_t)json_array_size(items), "replied",
                             (json_int_t)replied, "unreplied", (json_int_t)json_array_size(items) - replied,
                             "led_to_change", (json_int_t)changed);
    if (store_query(conn, &err, &rows,
                    "SELECT cp.proposal_id AS id, r.title, r.number AS revision,"
                    " (SELECT COUNT(*) FROM consultation_comments k WHERE k.consultation_id = cp.consultation_id"
                    "  AND k.proposal_id = cp.proposal_id) AS comments"
                    " FROM consultation_proposals cp JOIN proposal_revisions r ON r.id = cp.revision_id"
                    " WHERE cp.consultation_id = ? ORDER BY cp.proposal_id",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0 ) {
        json_decref(body);
        http_reply_err(request, &err);
        return;
    }
    json_object_set_new(body, "proposals", store_result_json(rows));
    store_result_free(rows);
    rows = NULL;
    if (store_query(conn, &err, &rows,
                    "SELECT COUNT(*), (SELECT COUNT(DISTINCT organisation_id) FROM consultation_comments"
                    " WHERE consultation_id = ?) FROM consultation_invitees WHERE consultation_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(id), STORE_INT_PARAM(id))) != 0) {
        json_decref(body);
        http_reply_err(request, &err);
        return;
    }
    json_object_set_new(json_object_get(body, "counts"), "invited", json_integer(store_result_int(rows, 0, 0)));
    json_object_set_new(json_object_get(body, "counts"), "responding_organisations",
                        json_integer(store_result_int(rows, 0, 1)));
    store_result_free(rows);
    http_reply_json(request, 200, body);
}
