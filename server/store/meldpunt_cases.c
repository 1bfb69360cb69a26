/* The meldpunt's case work in MariaDB: every statement of the officer's overview, the case
 * page, the workflow steps and the signals (the hearing). Sealed cells stay sealed here. */
#include "alvd/store/meldpunt_cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void cases_text(char *out, size_t size, const char *text)
{
    snprintf(out, size, "%s", text ? text : "");
}

static int cases_sealed(const store_result *rows, size_t row, size_t column, store_meldpunt_sealed *sealed,
                        alvd_err *err)
{
    return store_meldpunt_blob_copy(rows, row, column, &sealed->bytes, &sealed->length, err);
}

void store_meldpunt_case_free(store_meldpunt_case *item)
{
    free(item->norms);
    free(item->reporter_name.bytes);
    free(item->reporter_email.bytes);
    free(item->reporter_phone.bytes);
    free(item->description.bytes);
    free(item->feedback.bytes);
    memset(item, 0, sizeof *item);
}

void store_meldpunt_cases_free(store_meldpunt_cases *list)
{
    for (size_t i = 0; i < list->count; i++)
        store_meldpunt_case_free(&list->items[i]);
    free(list->items);
    list->items = NULL;
    list->count = 0;
}

/* Columns 0-11 of both queries: id, received_on, state, judgement, acknowledged_on,
 * signal_sent_on, response_on, judged_on, fed_back_on, closed_on, organisation_id, o.name. */
static void cases_row(const store_result *rows, size_t r, store_meldpunt_case *item)
{
    item->dates.id = store_result_int(rows, r, 0);
    cases_text(item->dates.received_on, sizeof item->dates.received_on, store_result_text(rows, r, 1));
    cases_text(item->state, sizeof item->state, store_result_text(rows, r, 2));
    cases_text(item->judgement, sizeof item->judgement, store_result_text(rows, r, 3));
    cases_text(item->dates.acknowledged_on, sizeof item->dates.acknowledged_on, store_result_text(rows, r, 4));
    cases_text(item->signal_sent_on, sizeof item->signal_sent_on, store_result_text(rows, r, 5));
    cases_text(item->response_on, sizeof item->response_on, store_result_text(rows, r, 6));
    cases_text(item->judged_on, sizeof item->judged_on, store_result_text(rows, r, 7));
    cases_text(item->dates.fed_back_on, sizeof item->dates.fed_back_on, store_result_text(rows, r, 8));
    cases_text(item->dates.closed_on, sizeof item->dates.closed_on, store_result_text(rows, r, 9));
    item->has_organisation = !store_result_is_null(rows, r, 10);
    item->organisation_id = store_result_int(rows, r, 10);
    cases_text(item->organisation_name, sizeof item->organisation_name, store_result_text(rows, r, 11));
}

int store_meldpunt_cases_overview(store_conn *conn, store_meldpunt_cases *list, alvd_err *err)
{
    store_result *rows = NULL;
    list->items = NULL;
    list->count = 0;
    if (store_query(conn, err, &rows,
                    "SELECT r.id, r.received_on, r.state, r.judgement, r.acknowledged_on, r.signal_sent_on,"
                    " r.response_on, r.judged_on, r.fed_back_on, r.closed_on, r.organisation_id, o.name,"
                    " r.personal_data_deleted_on,"
                    " (SELECT GROUP_CONCAT(n.norm ORDER BY n.norm SEPARATOR ',') FROM meldpunt_report_norms n"
                    "  WHERE n.report_id = r.id)"
                    " FROM meldpunt_reports r LEFT JOIN organisations o ON o.id = r.organisation_id"
                    " ORDER BY r.closed_on IS NOT NULL, r.received_on, r.id",
                    STORE_NO_PARAMS) != 0)
        return -1;
    size_t found = store_result_rows(rows);
    int rc = 0;
    if (found && (list->items = calloc(found, sizeof *list->items)) == NULL)
        rc = alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    for (size_t r = 0; r < found && rc == 0; r++) {
        store_meldpunt_case *item = &list->items[list->count++];
        cases_row(rows, r, item);
        cases_text(item->personal_data_deleted_on, sizeof item->personal_data_deleted_on,
                   store_result_text(rows, r, 12));
        const char *norms = store_result_text(rows, r, 13);
        if (norms && (item->norms = strdup(norms)) == NULL)
            rc = alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    }
    store_result_free(rows);
    if (rc != 0)
        store_meldpunt_cases_free(list);
    return rc;
}

int store_meldpunt_cases_load(store_conn *conn, long long id, store_meldpunt_case *item, alvd_err *err)
{
    store_result *rows = NULL;
    memset(item, 0, sizeof *item);
    if (store_query(conn, err, &rows,
                    "SELECT r.id, r.received_on, r.state, r.judgement, r.acknowledged_on, r.signal_sent_on,"
                    " r.response_on, r.judged_on, r.fed_back_on, r.closed_on, r.organisation_id, o.name,"
                    " r.signal_id, r.reporter_name, r.reporter_email, r.reporter_phone, r.description, r.feedback"
                    " FROM meldpunt_reports r LEFT JOIN organisations o ON o.id = r.organisation_id WHERE r.id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    int rc = 0;
    if (store_result_rows(rows) != 1) {
        rc = alvd_err_set(err, 404, "not_found", NULL, "Melding niet gevonden.");
    } else {
        cases_row(rows, 0, item);
        item->signal_id = store_result_int(rows, 0, 12);
        if (cases_sealed(rows, 0, 13, &item->reporter_name, err) != 0 ||
            cases_sealed(rows, 0, 14, &item->reporter_email, err) != 0 ||
            cases_sealed(rows, 0, 15, &item->reporter_phone, err) != 0 ||
            cases_sealed(rows, 0, 16, &item->description, err) != 0 ||
            cases_sealed(rows, 0, 17, &item->feedback, err) != 0)
            rc = -1;
    }
    store_result_free(rows);
    if (rc != 0)
        store_meldpunt_case_free(item);
    return rc;
}

int store_meldpunt_cases_norms(store_conn *conn, long long id, store_meldpunt_texts *norms, alvd_err *err)
{
    return store_meldpunt_texts_query(conn, "SELECT norm FROM meldpunt_report_norms WHERE report_id = ? ORDER BY norm",
                                      STORE_PARAMS(STORE_INT_PARAM(id)), norms, err);
}

void store_meldpunt_attachment_rows_free(store_meldpunt_attachment_rows *rows)
{
    for (size_t i = 0; i < rows->count; i++)
        free(rows->items[i].sealed.bytes);
    free(rows->items);
    rows->items = NULL;
    rows->count = 0;
}

/* Rows of (id, text, size, sealed): messages give created_on and no size, files their type and size. */
static int cases_attachments(store_conn *conn, const char *sql, long long id, int files,
                             store_meldpunt_attachment_rows *list, alvd_err *err)
{
    store_result *rows = NULL;
    list->items = NULL;
    list->count = 0;
    if (store_query(conn, err, &rows, sql, STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    size_t found = store_result_rows(rows);
    int rc = 0;
    if (found && (list->items = calloc(found, sizeof *list->items)) == NULL)
        rc = alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    for (size_t r = 0; r < found && rc == 0; r++) {
        store_meldpunt_attachment_row *item = &list->items[list->count++];
        item->id = store_result_int(rows, r, 0);
        if (files)
            cases_text(item->content_type, sizeof item->content_type, store_result_text(rows, r, 1));
        else
            cases_text(item->created_on, sizeof item->created_on, store_result_text(rows, r, 1));
        item->size = files ? store_result_int(rows, r, 2) : 0;
        rc = cases_sealed(rows, r, files ? 3 : 2, &item->sealed, err);
    }
    store_result_free(rows);
    if (rc != 0)
        store_meldpunt_attachment_rows_free(list);
    return rc;
}

int store_meldpunt_cases_messages(store_conn *conn, long long id, store_meldpunt_attachment_rows *rows,
                                  alvd_err *err)
{
    return cases_attachments(conn, "SELECT id, created_on, body FROM meldpunt_messages WHERE report_id = ? ORDER BY id",
                             id, 0, rows, err);
}

int store_meldpunt_cases_files(store_conn *conn, long long id, store_meldpunt_attachment_rows *rows, alvd_err *err)
{
    return cases_attachments(conn,
                             "SELECT id, content_type, size, original_name FROM meldpunt_files WHERE report_id = ?"
                             " ORDER BY id",
                             id, 1, rows, err);
}

int store_meldpunt_cases_file(store_conn *conn, long long id, long long file_id, char file_name[33],
                              char content_type[65], alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows, "SELECT file_name, content_type FROM meldpunt_files WHERE id = ? AND report_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(file_id), STORE_INT_PARAM(id))) != 0)
        return -1;
    int rc = 0;
    if (store_result_rows(rows) != 1) {
        rc = alvd_err_set(err, 404, "not_found", NULL, "Bijlage niet gevonden.");
    } else {
        cases_text(file_name, 33, store_result_text(rows, 0, 0));
        cases_text(content_type, 65, store_result_text(rows, 0, 1));
    }
    store_result_free(rows);
    return rc;
}

int store_meldpunt_cases_lock(store_conn *conn, long long id, store_meldpunt_case_lock *lock, alvd_err *err)
{
    store_result *rows = NULL;
    memset(lock, 0, sizeof *lock);
    if (store_query(conn, err, &rows,
                    "SELECT state, organisation_id, signal_id, fed_back_on IS NOT NULL, personal_data_deleted_on"
                    " FROM meldpunt_reports WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    if (store_result_rows(rows) != 1) {
        store_result_free(rows);
        return alvd_err_set(err, 404, "not_found", NULL, "Melding niet gevonden.");
    }
    cases_text(lock->state, sizeof lock->state, store_result_text(rows, 0, 0));
    lock->organisation_id = store_result_int(rows, 0, 1);
    lock->signal_id = store_result_int(rows, 0, 2);
    lock->fed_back = store_result_int(rows, 0, 3) != 0;
    int deleted = !store_result_is_null(rows, 0, 4);
    store_result_free(rows);
    if (deleted)
        return alvd_err_set(err, 409, "personal_data_deleted", NULL, "Deze melding is al opgeschoond.");
    return 0;
}

int store_meldpunt_cases_state(store_conn *conn, long long id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT id, state, judgement, acknowledged_on, signal_sent_on, response_on, judged_on,"
                       " fed_back_on, closed_on FROM meldpunt_reports WHERE id = ?",
                       STORE_PARAMS(STORE_INT_PARAM(id)));
}

int store_meldpunt_cases_feedback_state(store_conn *conn, long long id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows, "SELECT id, state, judgement, fed_back_on FROM meldpunt_reports WHERE id = ?",
                       STORE_PARAMS(STORE_INT_PARAM(id)));
}

int store_meldpunt_cases_acknowledge(store_conn *conn, long long id, const char *today, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE meldpunt_reports SET state = 'acknowledged', acknowledged_on = ? WHERE id = ?",
                         STORE_PARAMS(STORE_TEXT_PARAM(today), STORE_INT_PARAM(id)));
}

int store_meldpunt_cases_judge(store_conn *conn, long long id, const char *judgement, const char *today,
                               alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE meldpunt_reports SET state = 'judgement', judgement = ?, judged_on = ? WHERE id = ?",
                         STORE_PARAMS(STORE_TEXT_PARAM(judgement), STORE_TEXT_PARAM(today), STORE_INT_PARAM(id)));
}

int store_meldpunt_cases_close(store_conn *conn, long long id, const char *today, alvd_err *err)
{
    return store_execute(conn, err, NULL, "UPDATE meldpunt_reports SET state = 'closed', closed_on = ? WHERE id = ?",
                         STORE_PARAMS(STORE_TEXT_PARAM(today), STORE_INT_PARAM(id)));
}

int store_meldpunt_cases_feedback(store_conn *conn, long long id, const unsigned char *sealed, size_t length,
                                  const char *today, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE meldpunt_reports SET feedback = ?, fed_back_on = ?,"
                         " state = IF(state = 'judgement', 'feedback', state) WHERE id = ?",
                         STORE_PARAMS(STORE_BLOB_PARAM(sealed, length), STORE_TEXT_PARAM(today), STORE_INT_PARAM(id)));
}

int store_meldpunt_cases_reporter(store_conn *conn, long long id, store_meldpunt_sealed *email,
                                  store_meldpunt_sealed *name, alvd_err *err)
{
    store_result *rows = NULL;
    email->bytes = name->bytes = NULL;
    email->length = name->length = 0;
    if (store_query(conn, err, &rows, "SELECT reporter_email, reporter_name FROM meldpunt_reports WHERE id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    int rc = 0;
    if (store_result_rows(rows) == 1 &&
        (cases_sealed(rows, 0, 0, email, err) != 0 || cases_sealed(rows, 0, 1, name, err) != 0))
        rc = -1;
    store_result_free(rows);
    return rc;
}

/* ---------------------------------------------------------------- signals */

int store_meldpunt_signals_send(store_conn *conn, long long id, long long signal_id, long long organisation_id,
                                const char *summary, const char *today, alvd_err *err)
{
    store_result *rows = NULL;
    if (store_query(conn, err, &rows,
                    "SELECT GROUP_CONCAT(norm ORDER BY norm SEPARATOR ',') FROM meldpunt_report_norms WHERE report_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    const char *norms = store_result_rows(rows) == 1 ? store_result_text(rows, 0, 0) : NULL;
    int rc = store_execute(conn, err, NULL,
                           "INSERT INTO meldpunt_signals (id, organisation_id, norms, summary, sent_on) VALUES (?, ?, ?, ?, ?)",
                           STORE_PARAMS(STORE_INT_PARAM(signal_id), STORE_INT_PARAM(organisation_id),
                                        STORE_TEXT_PARAM(norms ? norms : ""), STORE_TEXT_PARAM(summary),
                                        STORE_TEXT_PARAM(today)));
    store_result_free(rows);
    if (rc != 0)
        return -1;
    return store_execute(conn, err, NULL,
                         "UPDATE meldpunt_reports SET state = 'signal_sent', signal_id = ?, signal_sent_on = ?,"
                         " acknowledged_on = COALESCE(acknowledged_on, ?) WHERE id = ?",
                         STORE_PARAMS(STORE_INT_PARAM(signal_id), STORE_TEXT_PARAM(today), STORE_TEXT_PARAM(today),
                                      STORE_INT_PARAM(id)));
}

int store_meldpunt_signals_contacts(store_conn *conn, long long organisation_id, long long **ids, size_t *count,
                                    alvd_err *err)
{
    store_result *rows = NULL;
    *ids = NULL;
    *count = 0;
    if (store_query(conn, err, &rows, "SELECT id FROM contacts WHERE organisation_id = ? AND removed_at IS NULL",
                    STORE_PARAMS(STORE_INT_PARAM(organisation_id))) != 0)
        return -1;
    size_t found = store_result_rows(rows);
    if (found && (*ids = calloc(found, sizeof **ids)) == NULL) {
        store_result_free(rows);
        return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
    }
    for (size_t r = 0; r < found; r++)
        (*ids)[r] = store_result_int(rows, r, 0);
    *count = found;
    store_result_free(rows);
    return 0;
}

int store_meldpunt_signals_get(store_conn *conn, long long signal_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT id, organisation_id, norms, summary, sent_on, stance, response, responded_on"
                       " FROM meldpunt_signals WHERE id = ?",
                       STORE_PARAMS(STORE_INT_PARAM(signal_id)));
}

int store_meldpunt_signals_of(store_conn *conn, long long organisation_id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows,
                       "SELECT id, norms, summary, sent_on, stance, response, responded_on FROM meldpunt_signals"
                       " WHERE organisation_id = ? ORDER BY sent_on DESC, id",
                       STORE_PARAMS(STORE_INT_PARAM(organisation_id)));
}

int store_meldpunt_signals_own(store_conn *conn, long long id, long long organisation_id, store_result **rows,
                               alvd_err *err)
{
    *rows = NULL;
    if (store_query(conn, err, rows,
                    "SELECT id, norms, summary, sent_on, stance, response, responded_on FROM meldpunt_signals"
                    " WHERE id = ? AND organisation_id = ?",
                    STORE_PARAMS(STORE_INT_PARAM(id), STORE_INT_PARAM(organisation_id))) != 0)
        return -1;
    if (store_result_rows(*rows) != 1) {
        store_result_free(*rows);
        *rows = NULL;
        return alvd_err_set(err, 404, "not_found", NULL, "Signaal niet gevonden.");
    }
    return 0;
}

int store_meldpunt_signals_answer(store_conn *conn, long long id, long long organisation_id, const char *stance,
                                  const char *text, const char *today, long long contact_id, long long *affected,
                                  alvd_err *err)
{
    return store_execute(conn, err, affected,
                         "UPDATE meldpunt_signals SET stance = ?, response = ?, responded_on = ?, responded_by = ?"
                         " WHERE id = ? AND organisation_id = ? AND stance IS NULL",
                         STORE_PARAMS(STORE_TEXT_PARAM(stance), STORE_TEXT_PARAM(text), STORE_TEXT_PARAM(today),
                                      STORE_INT_PARAM(contact_id), STORE_INT_PARAM(id),
                                      STORE_INT_PARAM(organisation_id)));
}

int store_meldpunt_signals_report_answered(store_conn *conn, long long id, const char *today, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE meldpunt_reports SET state = IF(state = 'signal_sent', 'response', state),"
                         " response_on = ? WHERE signal_id = ?",
                         STORE_PARAMS(STORE_TEXT_PARAM(today), STORE_INT_PARAM(id)));
}

int store_meldpunt_signals_insert_dated(store_conn *conn, const store_meldpunt_dated_signal *signal, alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "INSERT INTO meldpunt_signals (id, organisation_id, norms, summary, sent_on, stance,"
                         " response, responded_on) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         STORE_PARAMS(STORE_INT_PARAM(signal->id), STORE_INT_PARAM(signal->organisation_id),
                                      STORE_TEXT_PARAM(signal->norms), STORE_TEXT_PARAM(signal->summary),
                                      STORE_TEXT_PARAM(signal->sent_on), STORE_TEXT_PARAM(signal->stance),
                                      STORE_TEXT_PARAM(signal->response), STORE_TEXT_PARAM(signal->responded_on)));
}

int store_meldpunt_cases_set_steps(store_conn *conn, long long id, const store_meldpunt_case_steps *steps,
                                   alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE meldpunt_reports SET state = ?, judgement = ?, acknowledged_on = ?,"
                         " signal_sent_on = ?, signal_id = ?, response_on = ?, judged_on = ?, fed_back_on = ?,"
                         " closed_on = ? WHERE id = ?",
                         STORE_PARAMS(STORE_TEXT_PARAM(steps->state), STORE_TEXT_PARAM(steps->judgement),
                                      STORE_TEXT_PARAM(steps->acknowledged_on), STORE_TEXT_PARAM(steps->signal_sent_on),
                                      STORE_INT_PARAM(steps->signal_id), STORE_TEXT_PARAM(steps->response_on),
                                      STORE_TEXT_PARAM(steps->judged_on), STORE_TEXT_PARAM(steps->fed_back_on),
                                      STORE_TEXT_PARAM(steps->closed_on), STORE_INT_PARAM(id)));
}
