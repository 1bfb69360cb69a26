/* The database's liveness: a query answered proves the connection and the server work
 * (whether a Galera node is synced is store_node_synced's question). */
#include "alvd/store/health.h"

int store_health_ping(store_conn *conn, alvd_err *err)
{
    long long one = 0;
    return store_query_integer(conn, err, &one, 0, "SELECT 1", STORE_NO_PARAMS);
}
