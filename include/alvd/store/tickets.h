/* SQL of a meeting's tickets and voting members: issuing (row first, code hash after),
 * revoking, the lists the secretariat and the convocation read, and the login lookup. */
#ifndef ALVD_STORE_TICKETS_H
#define ALVD_STORE_TICKETS_H

#include <stddef.h>

#include "alvd/base/err.h"
#include "alvd/crypto/ticket.h"
#include "alvd/store/db.h"

/* A ticket as the login reads it. */
typedef struct store_ticket_login {
    int found;
    long long meeting_id, organisation_id;
    unsigned char code_hash[TICKET_HASH_BYTES];
    size_t code_hash_length;
    int revoked;
    char meeting_state[8];
    char organisation_name[801];
} store_ticket_login;

/* Add the organisations with an active membership basis on date as voting members of
 * the meeting (those already there stay). */
int store_tickets_add_members(store_conn *conn, long long meeting_id, const char *date, alvd_err *err);
/* Lock and list the voting members without a valid ticket, by organisation id
 * (*organisation_ids: caller frees; never NULL on success). */
int store_tickets_members_without(store_conn *conn, long long meeting_id, long long **organisation_ids,
                                  size_t *count, alvd_err *err);
/* Insert a ticket row with its nonce and a placeholder hash (user_id 0 = none);
 * *ticket_id gets its id. */
int store_tickets_insert(store_conn *conn, long long meeting_id, long long organisation_id, const unsigned char *nonce,
                         size_t nonce_length, const unsigned char *hash, long long user_id, long long *ticket_id,
                         alvd_err *err);
int store_tickets_set_hash(store_conn *conn, long long ticket_id, const unsigned char hash[TICKET_HASH_BYTES],
                           alvd_err *err);
/* The valid ticket of a member: id and nonce (nonce_length as stored); 404 when none. */
int store_tickets_current(store_conn *conn, long long meeting_id, long long organisation_id, long long *ticket_id,
                          unsigned char *nonce, size_t nonce_size, size_t *nonce_length, alvd_err *err);
/* How many valid tickets the meeting has. */
int store_tickets_count_valid(store_conn *conn, long long meeting_id, long long *count, alvd_err *err);
/* The valid tickets, by organisation name: rows (ticket id, organisation_id, name, nonce,
 * issued_at, tickets revoked before); caller frees. */
int store_tickets_list(store_conn *conn, long long meeting_id, store_result **rows, alvd_err *err);
#define STORE_TICKETS_LIST_NONCE 3
/* Revoke the member's valid tickets with reason; *revoked gets how many. */
int store_tickets_revoke(store_conn *conn, long long meeting_id, long long organisation_id, const char *reason,
                         long long *revoked, alvd_err *err);
/* End the member's phone sessions of the meeting. */
int store_tickets_end_sessions(store_conn *conn, long long meeting_id, long long organisation_id, alvd_err *err);
/* The ticket with that id, its meeting's state and its organisation's name. */
int store_tickets_login(store_conn *conn, long long ticket_id, store_ticket_login *out, alvd_err *err);
/* Every contact of a member with a valid ticket, by organisation name: rows (contact
 * email, contact name, organisation name, ticket id, nonce, organisation email). */
int store_tickets_recipients(store_conn *conn, long long meeting_id, store_result **rows, alvd_err *err);

/* The first member by name (then id) with a valid ticket; *organisation_id = 0 when
 * none has one. */
int store_tickets_first_holder(store_conn *conn, long long meeting_id, long long *organisation_id, char *name,
                               size_t size, alvd_err *err);

#endif
