/* Writing proposals: a new proposal or revision is checked against the Code version it
 * changes and the cycle's state, stored with its changes and audited in one transaction. */
#include "alvd/service/proposals.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/rules/dates.h"
#include "alvd/service/cycle_state.h"
#include "alvd/store/cycles.h"
#include "alvd/store/proposals.h"

/* Prepares the input once the base version is known (inside the transaction). */
typedef int (*service_proposals_prepare_fn)(store_conn *conn, long long base_version_id,
                                            service_proposals_input *input, void *context, alvd_err *err);

/* The parsed changes checked against the base version (does the article exist for the
 * action?), then the api's parse error if it found one after them. */
static int service_proposals_check_input(store_conn *conn, long long base_version_id,
                                         const service_proposals_input *input, alvd_err *err)
{
    for (size_t i = 0; i < input->count; i++) {
        const service_proposals_change *change = &input->changes[i];
        store_result *rows = NULL;
        if (store_proposals_base_article(conn, base_version_id, change->article, &rows, err) != 0)
            return -1;
        int exists = store_result_rows(rows) == 1;
        store_result_free(rows);
        if (rules_change_check(change->article, change->action, exists, change->text != NULL, err) != 0)
            return -1;
        if (change->action == RULES_CHANGE_DELETE && change->title)
            return alvd_err_set(err, 422, "title_not_allowed", "changes",
                                "Het schrappen van artikel %s neemt geen titel.", change->article);
    }
    if (input->parse_failed) {
        *err = input->parse_error;
        return -1;
    }
    return 0;
}

static int service_proposals_prepare_body(store_conn *conn, long long base_version_id, service_proposals_input *input,
                                          void *context, alvd_err *err)
{
    (void)context;
    return service_proposals_check_input(conn, base_version_id, input, err);
}

/* Store revision `number` with its changes and make it current. */
static int service_proposals_store_revision(store_conn *conn, long long proposal_id, long long number,
                                            const service_proposals_input *input, long long user_id, alvd_err *err)
{
    long long revision_id = 0;
    if (store_proposals_insert_revision(conn, proposal_id, number, input->title, input->rationale, user_id,
                                        &revision_id, err) != 0)
        return -1;
    for (size_t i = 0; i < input->count; i++) {
        const service_proposals_change *change = &input->changes[i];
        if (store_proposals_insert_change(conn, revision_id, (long long)i + 1, change->article,
                                          rules_change_action_name(change->action), change->title, change->text,
                                          err) != 0)
            return -1;
    }
    return store_proposals_set_current(conn, proposal_id, revision_id, input->source_report, err);
}

static json_t *service_proposals_audit_details(const service_proposals_input *input, long long number)
{
    json_t *articles = json_array();
    for (size_t i = 0; i < input->count; i++)
        json_array_append_new(articles, json_pack("{s:s, s:s}", "article", input->changes[i].article, "action",
                                                  rules_change_action_name(input->changes[i].action)));
    return json_pack("{s:I, s:s, s:o}", "revision", (json_int_t)number, "title", input->title, "changes", articles);
}

/* The Code version in force today (the base a new proposal changes); 422 when none is. */
static int service_proposals_base_today(store_conn *conn, long long *base_version_id, alvd_err *err)
{
    int64_t now;
    char today[RULES_DATE_TEXT_SIZE];
    if (store_cycles_db_now(conn, &now, err) != 0)
        return -1;
    rules_date_format(rules_amsterdam_day(now), today);
    if (store_proposals_version_in_force(conn, today, base_version_id, err) != 0)
        return -1;
    if (*base_version_id == 0)
        return alvd_err_set(err, 422, "no_code_in_force", NULL,
                            "Er is op %s geen versie van de Code van kracht om te wijzigen; voer eerst de Code in.",
                            today);
    return 0;
}

/* Insert proposal + revision 1 in cycle_id (inside the caller's transaction), checking
 * the cycle allows editing; prepare fills or checks input once the base is known. */
static int service_proposals_insert(store_conn *conn, const audit_actor *actor, long long user_id, long long cycle_id,
                                    service_proposals_prepare_fn prepare, void *context,
                                    service_proposals_input *input, long long *proposal_id, alvd_err *err)
{
    long long base_version_id = 0;
    rules_cycle_state state;
    if (store_cycles_load_state(conn, cycle_id, 1, &state, NULL, err) != 0 ||
        rules_cycle_check_action(state, RULES_CYCLE_EDIT_PROPOSALS, err) != 0 ||
        service_proposals_base_today(conn, &base_version_id, err) != 0 ||
        prepare(conn, base_version_id, input, context, err) != 0 ||
        store_proposals_insert(conn, cycle_id, base_version_id, user_id, proposal_id, err) != 0)
        return -1;
    json_t *details = service_proposals_audit_details(input, 1);
    json_object_set_new(details, "cycle_id", json_integer(cycle_id));
    if (input->source_report)
        json_object_set_new(details, "source_report", json_string(input->source_report));
    int rc = service_proposals_store_revision(conn, *proposal_id, 1, input, user_id, err);
    if (rc == 0)
        rc = audit_append(conn, err, actor, "proposal.create", "proposal", *proposal_id, details);
    json_decref(details);
    if (rc == 0)
        rc = service_cycle_state_set(conn, actor, cycle_id, state,
                                     rules_cycle_state_after(state, RULES_CYCLE_EDIT_PROPOSALS), err);
    return rc;
}

/* The proposal as the staff read it after a committed change. */
static int service_proposals_read_back(store_conn *conn, long long proposal_id, json_t **proposal, alvd_err *err)
{
    *proposal = service_proposals_json(conn, proposal_id, 0, 1, err);
    return *proposal ? 0 : -1;
}

int service_proposals_create(store_conn *conn, const audit_actor *actor, long long user_id, long long cycle_id,
                             service_proposals_input *input, json_t **proposal, alvd_err *err)
{
    long long proposal_id = 0;
    *proposal = NULL;
    if (store_begin(conn, err) != 0 ||
        service_proposals_insert(conn, actor, user_id, cycle_id, service_proposals_prepare_body, NULL,
                                 input, &proposal_id, err) != 0 ||
        store_commit(conn, err) != 0) {
        store_rollback(conn);
        return -1;
    }
    return service_proposals_read_back(conn, proposal_id, proposal, err);
}

/* May the proposal in this state get a new revision? A lapsed one may (issue 6). */
static int service_proposals_check_revisable(const char *state, alvd_err *err)
{
    if (strcmp(state, "draft") == 0 || strcmp(state, "ready") == 0 || strcmp(state, "lapsed") == 0)
        return 0;
    return alvd_err_set(err, 409, "proposal_closed", NULL, "Dit voorstel is %s en kan niet meer worden gewijzigd.",
                        strcmp(state, "adopted") == 0    ? "aangenomen"
                        : strcmp(state, "rejected") == 0 ? "verworpen"
                                                         : "ingetrokken");
}

int service_proposals_revise(store_conn *conn, const audit_actor *actor, long long user_id, long long proposal_id,
                             const service_proposals_input *input, json_t **proposal, alvd_err *err)
{
    store_proposals_locked locked;
    rules_cycle_state state;
    *proposal = NULL;
    if (store_begin(conn, err) != 0 || store_proposals_lock_for_revision(conn, proposal_id, &locked, err) != 0 ||
        service_proposals_check_revisable(locked.state, err) != 0)
        goto fail;
    long long number = locked.last_number + 1;
    /* A lapsed proposal (a conflicting one was adopted) comes back only through a new
     * revision, rebased on the amended text: it is then a draft again (issue 6); a
     * changed ready text must be marked ready again. */
    int back_to_draft = strcmp(locked.state, "ready") == 0 || strcmp(locked.state, "lapsed") == 0;
    if (store_cycles_load_state(conn, locked.cycle_id, 1, &state, NULL, err) != 0 ||
        rules_cycle_check_action(state, RULES_CYCLE_EDIT_PROPOSALS, err) != 0 ||
        service_proposals_check_input(conn, locked.base_version_id, input, err) != 0 ||
        service_proposals_store_revision(conn, proposal_id, number, input, user_id, err) != 0 ||
        (back_to_draft && store_proposals_back_to_draft(conn, proposal_id, err) != 0))
        goto fail;
    json_t *details = service_proposals_audit_details(input, number);
    int rc = audit_append(conn, err, actor, "proposal.revise", "proposal", proposal_id, details);
    json_decref(details);
    if (rc != 0 ||
        service_cycle_state_set(conn, actor, locked.cycle_id, state,
                                rules_cycle_state_after(state, RULES_CYCLE_EDIT_PROPOSALS), err) != 0 ||
        store_commit(conn, err) != 0)
        goto fail;
    return service_proposals_read_back(conn, proposal_id, proposal, err);
fail:
    store_rollback(conn);
    return -1;
}

/* Code art. 7: a proposal goes to the ALV only after a closed round and with every
 * comment on it answered. */
static int service_proposals_check_readiness(const store_proposals_locked *locked, alvd_err *err)
{
    if (locked->consulted == 0)
        return alvd_err_set(err, 422, "not_consulted", NULL,
                            "Dit voorstel is nog niet in een afgesloten consultatieronde voorgelegd; KSF consulteert "
                            "eerst de betrokken partijen (Code art. 7).");
    if (locked->unreplied == 1)
        return alvd_err_set(err, 422, "unanswered_comments", NULL,
                            "Nog 1 reactie op dit voorstel zonder antwoord van het bestuur; beantwoord die eerst "
                            "in de reactienota.");
    if (locked->unreplied > 1)
        return alvd_err_set(err, 422, "unanswered_comments", NULL,
                            "Nog %lld reacties op dit voorstel zonder antwoord van het bestuur; beantwoord ze eerst "
                            "in de reactienota.", locked->unreplied);
    return 0;
}

int service_proposals_ready(store_conn *conn, const audit_actor *actor, long long proposal_id, json_t **result,
                            alvd_err *err)
{
    store_proposals_locked locked;
    rules_cycle_state state;
    *result = NULL;
    if (store_begin(conn, err) != 0 || store_proposals_lock_for_ready(conn, proposal_id, &locked, err) != 0)
        goto fail;
    if (strcmp(locked.state, "ready") == 0) {
        store_rollback(conn);
        *result = json_pack("{s:I, s:s}", "id", (json_int_t)proposal_id, "state", "ready");
        return 0;
    }
    if (strcmp(locked.state, "draft") != 0) {
        alvd_err_set(err, 409, "proposal_closed", NULL, "Alleen een concept kan gereed worden gemeld.");
        goto fail;
    }
    if (store_cycles_load_state(conn, locked.cycle_id, 1, &state, NULL, err) != 0 ||
        rules_cycle_check_action(state, RULES_CYCLE_MARK_READY, err) != 0 ||
        service_proposals_check_readiness(&locked, err) != 0 || store_proposals_mark_ready(conn, proposal_id, err) != 0 ||
        audit_append(conn, err, actor, "proposal.ready", "proposal", proposal_id, NULL) != 0 ||
        store_commit(conn, err) != 0)
        goto fail;
    *result = json_pack("{s:I, s:s}", "id", (json_int_t)proposal_id, "state", "ready");
    return 0;
fail:
    store_rollback(conn);
    return -1;
}

/* ------------------------------------------------------------------ from a suggestion */

/* A suggestion of a meldpunt half-year report as the first draft: the named article
 * replaced by its current text (the board edits it into the change), the suggestion
 * as rationale, the report as source. */
typedef struct service_proposals_suggestion {
    const store_proposals_suggestion *row;
    char article[RULES_ARTICLE_ID_MAX + 1];
    char title[SERVICE_PROPOSALS_TITLE_MAX + 1];
    char *base_text;
} service_proposals_suggestion;

static int service_proposals_prepare_suggestion(store_conn *conn, long long base_version_id,
                                                service_proposals_input *input, void *context, alvd_err *err)
{
    service_proposals_suggestion *suggestion = context;
    store_result *rows = NULL;
    if (store_proposals_base_article(conn, base_version_id, suggestion->article, &rows, err) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 422, "unknown_article", "article",
                            "Artikel %s staat niet in de Code die nu geldt; kies het artikel dat het voorstel wijzigt.",
                            suggestion->article);
    }
    suggestion->base_text = strdup(store_result_text_by_name(rows, 0, "text"));
    store_result_free(rows);
    memset(input, 0, sizeof *input);
    snprintf(suggestion->title, sizeof suggestion->title, "Artikel %s: voorstel uit de meldpuntrapportage %s",
             suggestion->article, suggestion->row->period);
    input->title = suggestion->title;
    input->rationale = suggestion->row->text;
    input->source_report = suggestion->row->period;
    input->changes[0].article = suggestion->article;
    input->changes[0].action = RULES_CHANGE_REPLACE;
    input->changes[0].text = suggestion->base_text;
    input->count = 1;
    return suggestion->base_text ? 0 : alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
}

/* The suggestion locked, not yet proposed, and the article the proposal changes. */
static int service_proposals_claim_suggestion(store_conn *conn, long long suggestion_id, const char *article,
                                              store_proposals_suggestion *row,
                                              service_proposals_suggestion *suggestion, alvd_err *err)
{
    if (store_proposals_suggestion_lock(conn, suggestion_id, row, err) != 0)
        return -1;
    if (row->proposal_id != 0)
        return alvd_err_set(err, 409, "already_proposed", NULL, "Van deze suggestie is al voorstel %lld gemaakt.",
                            row->proposal_id);
    const char *named = article ? article : row->article;
    if (named == NULL)
        return alvd_err_set(err, 422, "required", "article",
                            "De suggestie noemt geen artikel; geef aan welk artikel het voorstel wijzigt.");
    suggestion->row = row;
    snprintf(suggestion->article, sizeof suggestion->article, "%s", named);
    return 0;
}

int service_proposals_from_suggestion(store_conn *conn, const audit_actor *actor, long long user_id,
                                      long long suggestion_id, long long cycle_id, const char *article,
                                      json_t **proposal, alvd_err *err)
{
    store_proposals_suggestion row = {0};
    service_proposals_suggestion suggestion = {0};
    service_proposals_input *input = calloc(1, sizeof *input);
    long long proposal_id = 0;
    int rc = -1;
    *proposal = NULL;
    if (input == NULL)
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    if (store_begin(conn, err) != 0 ||
        service_proposals_claim_suggestion(conn, suggestion_id, article, &row, &suggestion, err) != 0 ||
        service_proposals_insert(conn, actor, user_id, cycle_id, service_proposals_prepare_suggestion, &suggestion,
                                 input, &proposal_id, err) != 0 ||
        store_proposals_suggestion_link(conn, suggestion_id, proposal_id, err) != 0)
        goto done;
    json_t *details = json_pack("{s:I, s:s}", "proposal_id", (json_int_t)proposal_id, "period", row.period);
    rc = audit_append(conn, err, actor, "meldpunt.suggestion_proposed", "meldpunt_suggestion", suggestion_id, details);
    json_decref(details);
    if (rc == 0)
        rc = store_commit(conn, err);
done:
    if (rc != 0)
        store_rollback(conn);
    store_proposals_suggestion_free(&row);
    free(suggestion.base_text);
    free(input);
    return rc == 0 ? service_proposals_read_back(conn, proposal_id, proposal, err) : -1;
}
