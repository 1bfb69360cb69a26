/* Reading a consultation round: the round with its proposals and comments as an invited
 * party or the board sees it, and the reactienota (JSON, or CSV for a spreadsheet). */
#include "alvd/service/consultations.h"

#include <stdio.h>
#include <string.h>

#include "alvd/base/buf.h"
#include "alvd/service/proposals.h"

#define SERVICE_CONSULTATIONS_REPORT_MAX (16 * 1024 * 1024)

/* Comments of a round with their replies; organisation_id > 0 limits to that
 * organisation (a contact sees only their own). */
static json_t *service_consultations_comments_json(store_conn *conn, long long round_id, long long organisation_id,
                                                   alvd_err *err)
{
    store_result *rows = NULL;
    if (store_consultations_comments(conn, round_id, organisation_id, &rows, err) != 0)
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

/* What changed in proposal row r since the revision of the previous round, or null. */
static json_t *service_consultations_since_previous(store_conn *conn, const store_result *rows, size_t r,
                                                    alvd_err *err)
{
    if (store_result_is_null(rows, r, 4))
        return json_null();
    json_t *since = service_proposals_compare_json(conn, store_result_int(rows, r, 2), store_result_int(rows, r, 4),
                                                   store_result_int(rows, r, 1), err);
    if (since == NULL)
        return NULL;
    json_object_set_new(since, "round", json_integer(store_result_int(rows, r, 3)));
    json_object_set_new(since, "revision", json_integer(store_result_int(rows, r, 5)));
    return since;
}

/* The proposals of a round at the revision consulted, each with the diff against the
 * revision consulted in the latest earlier round of the same cycle, if any. */
static json_t *service_consultations_proposals_json(store_conn *conn, const store_consultations_round *round,
                                                    alvd_err *err)
{
    store_result *rows = NULL;
    if (store_consultations_round_proposals(conn, round, &rows, err) != 0)
        return NULL;
    json_t *list = json_array();
    for (size_t r = 0; r < store_result_rows(rows); r++) {
        json_t *proposal =
            service_proposals_json(conn, store_result_int(rows, r, 0), store_result_int(rows, r, 1), 0, err);
        json_t *since = proposal ? service_consultations_since_previous(conn, rows, r, err) : NULL;
        if (since == NULL) {
            json_decref(proposal);
            json_decref(list);
            list = NULL;
            break;
        }
        json_object_set_new(proposal, "since_previous_round", since);
        json_array_append_new(list, proposal);
    }
    store_result_free(rows);
    return list;
}

/* The round for this party: 404 for a contact whose organisation is not invited. */
static int service_consultations_load_visible(store_conn *conn, long long id, long long organisation_id,
                                              store_consultations_round *round, alvd_err *err)
{
    int invited = 0;
    if (store_consultations_load(conn, id, 0, round, err) != 0)
        return -1;
    if (organisation_id == 0)
        return 0;
    if (store_consultations_is_invited(conn, id, organisation_id, &invited, err) != 0)
        return -1;
    return invited ? 0 : alvd_err_set(err, 404, "not_found", NULL, "Deze consultatieronde bestaat niet.");
}

/* The invitees and their count (staff only). */
static int service_consultations_add_invitees(store_conn *conn, long long id, json_t *body, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_consultations_invitees(conn, id, &rows, err) != 0)
        return -1;
    json_object_set_new(body, "invitees", store_result_json(rows));
    json_object_set_new(body, "invited", json_integer((json_int_t)store_result_rows(rows)));
    store_result_free(rows);
    return 0;
}

int service_consultations_get(store_conn *conn, long long id, const service_consultations_party *party,
                              json_t **round_json, alvd_err *err)
{
    store_consultations_round round;
    *round_json = NULL;
    if (service_consultations_load_visible(conn, id, party->organisation_id, &round, err) != 0)
        return -1;
    json_t *proposals = service_consultations_proposals_json(conn, &round, err);
    json_t *comments = proposals ? service_consultations_comments_json(conn, id, party->organisation_id, err) : NULL;
    if (comments == NULL) {
        json_decref(proposals);
        return -1;
    }
    json_t *body = service_consultations_round_json(&round);
    json_object_set_new(body, "proposals", proposals);
    json_object_set_new(body, "comments", comments);
    if (party->organisation_id == 0 && service_consultations_add_invitees(conn, id, body, err) != 0) {
        json_decref(body);
        return -1;
    }
    *round_json = body;
    return 0;
}

/* ------------------------------------------------------------------ reactienota */

/* One comment (with its reply) as a CSV line. */
static void service_consultations_csv_line(alvd_buf *out, const store_consultations_round *round, json_t *item)
{
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
            buf_append_str(out, ",");
        buf_append_csv(out, cells[c] ? cells[c] : "");
    }
    buf_append_str(out, "\r\n");
}

static char *service_consultations_csv(const store_consultations_round *round, json_t *items, size_t *length)
{
    alvd_buf out;
    buf_init(&out, SERVICE_CONSULTATIONS_REPORT_MAX);
    /* A UTF-8 byte order mark so spreadsheet programs read the accents right. */
    buf_append_str(&out, "\xEF\xBB\xBF");
    buf_append_str(&out, "ronde,reactie,voorstel,titel voorstel,artikel,organisatie,reactie,ontvangen,"
                         "laatst gewijzigd,antwoord bestuur,leidde tot wijziging,beantwoord op\r\n");
    size_t index;
    json_t *item;
    json_array_foreach(items, index, item)
        service_consultations_csv_line(&out, round, item);
    if (out.overflowed) {
        buf_free(&out);
        return NULL;
    }
    return buf_take(&out, length);
}

int service_consultations_report_csv(store_conn *conn, long long id, char **csv, size_t *length, char *filename,
                                     size_t filename_size, alvd_err *err)
{
    store_consultations_round round;
    json_t *items = NULL;
    *csv = NULL;
    if (store_consultations_load(conn, id, 0, &round, err) != 0 ||
        (items = service_consultations_comments_json(conn, id, 0, err)) == NULL)
        return -1;
    *csv = service_consultations_csv(&round, items, length);
    json_decref(items);
    if (*csv == NULL)
        return alvd_err_set(err, 413, "too_large", NULL, "De reactienota is te groot voor één bestand.");
    snprintf(filename, filename_size, "reactienota-%lld-ronde-%lld.csv", round.year, round.round);
    return 0;
}

/* The counts of the reactienota over its comments. */
static json_t *service_consultations_report_body(const store_consultations_round *round, json_t *items)
{
    long long replied = 0, changed = 0;
    size_t index;
    json_t *item;
    json_array_foreach(items, index, item) {
        json_t *reply = json_object_get(item, "reply");
        replied += json_is_object(reply);
        changed += json_is_object(reply) && json_is_string(json_object_get(reply, "led_to_change"));
    }
    return json_pack("{s:o, s:o, s:{s:I, s:I, s:I, s:I}}", "consultation", service_consultations_round_json(round),
                     "items", items, "counts", "comments", (json_int_t)json_array_size(items), "replied",
                     (json_int_t)replied, "unreplied", (json_int_t)json_array_size(items) - replied, "led_to_change",
                     (json_int_t)changed);
}

int service_consultations_report(store_conn *conn, long long id, json_t **report, alvd_err *err)
{
    store_consultations_round round;
    store_result *rows = NULL;
    json_t *items = NULL;
    long long invited = 0, responding = 0;
    *report = NULL;
    if (store_consultations_load(conn, id, 0, &round, err) != 0 ||
        (items = service_consultations_comments_json(conn, id, 0, err)) == NULL)
        return -1;
    json_t *body = service_consultations_report_body(&round, items);
    if (store_consultations_report_proposals(conn, id, &rows, err) != 0 ||
        store_consultations_report_counts(conn, id, &invited, &responding, err) != 0) {
        store_result_free(rows);
        json_decref(body);
        return -1;
    }
    json_object_set_new(body, "proposals", store_result_json(rows));
    store_result_free(rows);
    json_object_set_new(json_object_get(body, "counts"), "invited", json_integer(invited));
    json_object_set_new(json_object_get(body, "counts"), "responding_organisations", json_integer(responding));
    *report = body;
    return 0;
}
