/* Comments of invited parties and the board's replies: each checked against the round's
 * window (again inside the statement, so a round closing meanwhile wins) and audited. */
#include "alvd/service/consultations.h"

#include <stdio.h>
#include <string.h>

#include "alvd/rules/cycle.h"

/* The article of a comment must be one the consulted revision changes. */
static int service_consultations_check_article(store_conn *conn, long long round_id, long long proposal_id,
                                               const char *article, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_consultations_changed_articles(conn, round_id, proposal_id, &rows, err) != 0)
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

/* The comment as stored (an empty object when it is gone). */
static int service_consultations_comment_json(store_conn *conn, long long comment_id, json_t **comment, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_consultations_comment(conn, comment_id, &rows, err) != 0)
        return -1;
    *comment = store_result_rows(rows) ? store_result_row_json(rows, 0) : json_object();
    store_result_free(rows);
    return 0;
}

/* Invitation first (404 for others), then the window, then what is commented on. */
static int service_consultations_check_comment(store_conn *conn, const service_consultations_party *party,
                                               long long round_id, long long proposal_id, const char *article,
                                               store_consultations_round *round, alvd_err *err)
{
    int invited = 0;
    if (store_consultations_load(conn, round_id, 0, round, err) != 0 ||
        store_consultations_is_invited(conn, round_id, party->organisation_id, &invited, err) != 0)
        return -1;
    if (!invited)
        return alvd_err_set(err, 404, "not_found", NULL, "Deze consultatieronde bestaat niet.");
    if (rules_round_check_comment_window(round->opens, round->closes, round->now, err) != 0)
        return -1;
    return service_consultations_check_article(conn, round_id, proposal_id, article, err);
}

int service_consultations_comment(store_conn *conn, const audit_actor *actor, const service_consultations_party *party,
                                  long long round_id, long long proposal_id, const char *article, const char *text,
                                  json_t **comment, alvd_err *err)
{
    store_consultations_round round;
    long long inserted = 0, comment_id = 0;
    *comment = NULL;
    if (service_consultations_check_comment(conn, party, round_id, proposal_id, article, &round, err) != 0 ||
        store_begin(conn, err) != 0 ||
        store_consultations_insert_comment(conn, round_id, proposal_id, article, party->organisation_id,
                                           party->contact_id, text, &inserted, &comment_id, err) != 0)
        goto fail;
    if (inserted != 1) {
        /* The round closed between the check and the insert. */
        rules_round_check_comment_window(round.opens, round.closes, round.closes, err);
        goto fail;
    }
    json_t *details = json_pack("{s:I, s:I, s:s?}", "consultation_id", (json_int_t)round_id, "proposal_id",
                                (json_int_t)proposal_id, "article", article);
    int rc = audit_append(conn, err, actor, "comment.create", "comment", comment_id, details);
    json_decref(details);
    if (rc != 0 || store_commit(conn, err) != 0 || service_consultations_comment_json(conn, comment_id, comment, err) != 0)
        goto fail;
    return 0;
fail:
    store_rollback(conn);
    return -1;
}

/* The comment's round; 404 for a comment of another organisation when organisation_id > 0. */
static int service_consultations_load_comment(store_conn *conn, long long comment_id, long long organisation_id,
                                              store_consultations_round *round, alvd_err *err)
{
    long long round_id = 0, owner = 0;
    int found = 0;
    if (store_consultations_comment_owner(conn, comment_id, &round_id, &owner, &found, err) != 0)
        return -1;
    if (!found || (organisation_id != 0 && owner != organisation_id))
        return alvd_err_set(err, 404, "not_found", NULL, "Deze reactie bestaat niet.");
    return store_consultations_load(conn, round_id, 0, round, err);
}

int service_consultations_comment_update(store_conn *conn, const audit_actor *actor,
                                         const service_consultations_party *party, long long comment_id,
                                         const char *text, json_t **comment, alvd_err *err)
{
    store_consultations_round round;
    long long affected = 0;
    *comment = NULL;
    if (service_consultations_load_comment(conn, comment_id, party->organisation_id, &round, err) != 0 ||
        rules_round_check_comment_window(round.opens, round.closes, round.now, err) != 0 ||
        store_begin(conn, err) != 0 ||
        store_consultations_update_comment(conn, comment_id, party->organisation_id, party->contact_id, text,
                                           &affected, err) != 0 ||
        (affected != 1 && rules_round_check_comment_window(round.opens, round.closes, round.closes, err) != 0) ||
        audit_append(conn, err, actor, "comment.update", "comment", comment_id, NULL) != 0 ||
        store_commit(conn, err) != 0 || service_consultations_comment_json(conn, comment_id, comment, err) != 0) {
        store_rollback(conn);
        return -1;
    }
    return 0;
}

int service_consultations_reply(store_conn *conn, const audit_actor *actor, long long user_id, long long comment_id,
                                const char *text, const char *led_to_change, int *status, json_t **result,
                                alvd_err *err)
{
    store_consultations_round round;
    int replied_before = 0;
    *result = NULL;
    if (service_consultations_load_comment(conn, comment_id, 0, &round, err) != 0 ||
        rules_round_check_reply_window(round.opens, round.closes, round.now, err) != 0 ||
        store_begin(conn, err) != 0 || store_consultations_lock_reply(conn, comment_id, &replied_before, err) != 0 ||
        store_consultations_upsert_reply(conn, comment_id, text, led_to_change, user_id, err) != 0 ||
        audit_append(conn, err, actor, replied_before ? "comment.reply_update" : "comment.reply", "comment",
                     comment_id, NULL) != 0 ||
        store_commit(conn, err) != 0) {
        store_rollback(conn);
        return -1;
    }
    *status = replied_before ? 200 : 201;
    *result = json_pack("{s:I, s:s, s:s?}", "comment_id", (json_int_t)comment_id, "text", text, "led_to_change",
                        led_to_change);
    return 0;
}
