/* SQL of a meeting's agenda (meeting_agenda) and of the meeting's current item: the
 * items in order, with their polls and proposals, and their replacement. */
#ifndef ALVD_STORE_AGENDA_H
#define ALVD_STORE_AGENDA_H

#include <stddef.h>

#include "alvd/base/err.h"
#include "alvd/store/db.h"

/* One item as it stands. */
typedef struct store_agenda_item {
    long long id, position, proposal_id;   /* proposal_id 0: none */
    char kind[12];                         /* item, proposal, decision */
    int has_poll;                          /* a poll belongs to it (by proposal or by item) */
} store_agenda_item;

/* The item at a position of a meeting, read with the meeting row locked. */
typedef struct store_agenda_current {
    int found;                             /* the item exists (position given) */
    long long item_id, proposal_id;        /* proposal_id 0: none */
    char kind[12];
    char title[1201];
} store_agenda_current;

/* The agenda as shown, in order: rows (id, position, kind, title, proposal_id,
 * proposal_state, majority_rule, polls) for store_result_json; caller frees. */
int store_agenda_list(store_conn *conn, long long meeting_id, store_result **rows, alvd_err *err);
/* Lock the meeting row (FOR UPDATE) and read its state and current position (0: none);
 * 404 when absent. */
int store_agenda_lock_meeting(store_conn *conn, long long meeting_id, char state[8], long long *current_position,
                              alvd_err *err);
/* The items in order (*items: caller frees; never NULL on success). */
int store_agenda_items(store_conn *conn, long long meeting_id, store_agenda_item **items, size_t *count,
                       alvd_err *err);
/* The title of a proposal's current revision and its state; *found 0 when absent. */
int store_agenda_proposal(store_conn *conn, long long proposal_id, char *title, size_t title_size, char state[24],
                          int *found, alvd_err *err);
/* Delete every item of a meeting (before the new order is inserted). */
int store_agenda_clear(store_conn *conn, long long meeting_id, alvd_err *err);
/* Insert one item; id 0 = a new id, proposal_id 0 and majority_rule NULL = none. */
int store_agenda_insert(store_conn *conn, long long meeting_id, long long id, long long position, const char *kind,
                        long long proposal_id, const char *title, const char *majority_rule, alvd_err *err);
/* Point the meeting at a position (0: at none). */
int store_agenda_set_current(store_conn *conn, long long meeting_id, long long position, alvd_err *err);
/* Lock the meeting row and read the item at position (0: none); 404 when no meeting. */
int store_agenda_lock_item_at(store_conn *conn, long long meeting_id, long long position, store_agenda_current *out,
                              alvd_err *err);
/* The proposal of an item of the meeting (0 when the item has none); 404 when no such item. */
int store_agenda_item_proposal(store_conn *conn, long long meeting_id, long long item_id, long long *proposal_id,
                               alvd_err *err);

/* Lock the meeting row; *in_use = 1 when the meeting has a poll or an agenda item
 * other than a plain 'item' (a proposal or decision). */
int store_agenda_lock_in_use(store_conn *conn, long long meeting_id, int *in_use, alvd_err *err);
/* The first 20 ready proposals by id: rows (id, title of the current revision). The
 * caller frees *rows. */
int store_agenda_ready_proposals(store_conn *conn, store_result **rows, alvd_err *err);

#endif
