/* Written contributions' SQL: a present member's text to the chair, the chair's
 * moderation, and the rows the chair's page, the member's page and the minutes list. */
#include "alvd/store/contributions.h"

#define CONTRIBUTIONS_COLUMNS                                                                                      \
    "SELECT c.id, c.organisation_id, o.name, c.channel, c.agenda_position, c.text, c.state, c.created_at,"         \
    " c.moderated_at FROM contributions c JOIN organisations o ON o.id = c.organisation_id"

int store_contributions_insert(store_conn *conn, long long meeting_id, long long organisation_id,
                               const char *channel, int has_item, long long item, const char *text, long long *id,
                               alvd_err *err)
{
    if (store_execute(conn, err, NULL,
                      "INSERT INTO contributions (meeting_id, organisation_id, channel, agenda_position, text, state,"
                      " created_at) VALUES (?, ?, ?, ?, ?, 'new', UTC_TIMESTAMP(6))",
                      STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(organisation_id),
                                   STORE_TEXT_PARAM(channel), has_item ? STORE_INT_PARAM(item) : STORE_NULL_PARAM,
                                   STORE_TEXT_PARAM(text))) != 0)
        return -1;
    *id = store_last_insert_id(conn);
    return 0;
}

int store_contributions_list(store_conn *conn, long long meeting_id, long long organisation_id, store_result **rows,
                             alvd_err *err)
{
    return store_query(conn, err, rows,
                       CONTRIBUTIONS_COLUMNS " WHERE c.meeting_id = ? AND (? = 0 OR c.organisation_id = ?) ORDER BY c.id",
                       STORE_PARAMS(STORE_INT_PARAM(meeting_id), STORE_INT_PARAM(organisation_id != 0),
                                    STORE_INT_PARAM(organisation_id)));
}

int store_contributions_item(store_conn *conn, long long id, store_result **rows, alvd_err *err)
{
    return store_query(conn, err, rows, CONTRIBUTIONS_COLUMNS " WHERE c.id = ?", STORE_PARAMS(STORE_INT_PARAM(id)));
}

int store_contributions_lock(store_conn *conn, long long id, long long *meeting_id, int *found, alvd_err *err)
{
    store_result *rows = NULL;
    *found = 0;
    *meeting_id = 0;
    if (store_query(conn, err, &rows, "SELECT meeting_id FROM contributions WHERE id = ? FOR UPDATE",
                    STORE_PARAMS(STORE_INT_PARAM(id))) != 0)
        return -1;
    if (store_result_rows(rows) == 1) {
        *found = 1;
        *meeting_id = store_result_int(rows, 0, 0);
    }
    store_result_free(rows);
    return 0;
}

int store_contributions_moderate(store_conn *conn, long long id, const char *decision, long long user_id,
                                 alvd_err *err)
{
    return store_execute(conn, err, NULL,
                         "UPDATE contributions SET state = ?, moderated_at = UTC_TIMESTAMP(6), moderated_by = ? WHERE id = ?",
                         STORE_PARAMS(STORE_TEXT_PARAM(decision), STORE_INT_PARAM(user_id), STORE_INT_PARAM(id)));
}
