/* Meetings as a unit of work: create, change settings, open and close (with the
 * attendance and the floor), the convocation with its tickets, and who may see one. */
#include "alvd/service/meetings.h"

int service_meetings_load_for(store_conn *conn, const auth_principal *who, long long meeting_id,
                              meeting_info *out, alvd_err *err)
{
    if (who->kind == AUTH_KIND_MEMBER && who->meeting_id != meeting_id)
        return alvd_err_set(err, 404, "not_found", NULL, "Vergadering niet gevonden.");
    if (who->kind != AUTH_KIND_MEMBER && !(who->roles & AUTH_STAFF))
        return alvd_err_set(err, 404, "not_found", NULL, "Vergadering niet gevonden.");
    return store_meetings_load(conn, meeting_id, out, err);
}
