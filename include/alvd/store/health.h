/* The database's liveness for GET /api/health: one trivial query. */
#ifndef ALVD_STORE_HEALTH_H
#define ALVD_STORE_HEALTH_H

#include "alvd/store/db.h"

int store_health_ping(store_conn *conn, alvd_err *err);

#endif
