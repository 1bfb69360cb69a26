/* The meldpunt's key routes: status, setup, unlock and lock, the officers' own keys and
 * passphrases, granting and removing officers (the flows are service/meldpunt_keys.c). */
#include "alvd/api/meldpunt.h"

#include "alvd/http/input.h"
#include "alvd/store/meldpunt_keys.h"

service_meldpunt_officer meldpunt_officer_of(http_request *request)
{
    const auth_principal *who = http_request_principal(request);
    service_meldpunt_officer officer = {
        .app = http_request_app(request),
        .conn = http_request_db(request),
        .actor = http_request_actor(request),
        .is_user = who->kind == AUTH_KIND_USER,
        .user_id = who->user_id,
        .session_id = who->session_id,
        .session_token = http_request_session_token(request),
    };
    return officer;
}

/* The answer of the routes that leave the meldpunt unlocked for this session. */
static void keys_reply_unlocked(http_request *request, int status)
{
    http_reply_json(request, status, json_pack("{s:b, s:b, s:s}", "set_up", 1, "unlocked", 1, "officer", "active"));
}

void meldpunt_status(http_request *request)
{
    service_meldpunt_officer officer = meldpunt_officer_of(request);
    service_meldpunt_status status;
    alvd_err err;
    alvd_err_clear(&err);
    if (service_meldpunt_status_of(&officer, &status, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200,
                    json_pack("{s:b, s:b, s:s, s:b, s:I}", "set_up", status.set_up, "unlocked", status.unlocked,
                              "officer", status.officer, "shared_passphrase", status.shared_passphrase, "officers",
                              (json_int_t)status.officers));
}

void meldpunt_setup(http_request *request)
{
    service_meldpunt_officer officer = meldpunt_officer_of(request);
    const char *passphrase = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (input_string(http_request_json(request), "passphrase", 1, SEAL_PASSPHRASE_MAX, &passphrase, &err) != 0 ||
        service_meldpunt_setup(&officer, passphrase, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    keys_reply_unlocked(request, 201);
}

void meldpunt_unlock(http_request *request)
{
    service_meldpunt_officer officer = meldpunt_officer_of(request);
    const char *passphrase = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (input_string(http_request_json(request), "passphrase", 1, SEAL_PASSPHRASE_MAX, &passphrase, &err) != 0 ||
        service_meldpunt_unlock(&officer, passphrase, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    keys_reply_unlocked(request, 200);
}

void meldpunt_lock(http_request *request)
{
    service_meldpunt_officer officer = meldpunt_officer_of(request);
    alvd_err err;
    alvd_err_clear(&err);
    if (service_meldpunt_lock(&officer, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, json_pack("{s:b, s:b}", "set_up", 1, "unlocked", 0));
}

/* From the shared passphrase to one's own: open the shared key once more, seal its secret
 * to this officer's new key and retire the shared key file. */
void meldpunt_migrate(http_request *request)
{
    service_meldpunt_officer officer = meldpunt_officer_of(request);
    const char *shared_passphrase = NULL, *passphrase = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (input_string(http_request_json(request), "shared_passphrase", 1, SEAL_PASSPHRASE_MAX, &shared_passphrase,
                     &err) != 0 ||
        input_string(http_request_json(request), "passphrase", 1, SEAL_PASSPHRASE_MAX, &passphrase, &err) != 0 ||
        service_meldpunt_migrate(&officer, shared_passphrase, passphrase, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, json_pack("{s:b, s:b, s:s, s:b}", "set_up", 1, "unlocked", 1, "officer", "active",
                                            "shared_passphrase", 0));
}

/* A new officer (or one whose key was removed) chooses a passphrase; access follows when
 * another officer grants it. */
void meldpunt_officer_key(http_request *request)
{
    service_meldpunt_officer officer = meldpunt_officer_of(request);
    const char *passphrase = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (input_string(http_request_json(request), "passphrase", 1, SEAL_PASSPHRASE_MAX, &passphrase, &err) != 0 ||
        service_meldpunt_officer_key(&officer, passphrase, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 201, json_pack("{s:b, s:b, s:s}", "set_up", 1, "unlocked", 0, "officer", "waiting"));
}

void meldpunt_officer_passphrase(http_request *request)
{
    service_meldpunt_officer officer = meldpunt_officer_of(request);
    const char *passphrase = NULL, *fresh = NULL;
    alvd_err err;
    alvd_err_clear(&err);
    if (input_string(http_request_json(request), "passphrase", 1, SEAL_PASSPHRASE_MAX, &passphrase, &err) != 0 ||
        input_string(http_request_json(request), "new_passphrase", 1, SEAL_PASSPHRASE_MAX, &fresh, &err) != 0 ||
        service_meldpunt_officer_passphrase(&officer, passphrase, fresh, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, json_pack("{s:b}", "changed", 1));
}

static json_t *keys_officer_json(const store_meldpunt_officer_row *row, long long me)
{
    const char *state = row->granted ? "active" : row->present ? "waiting" : "none";
    json_t *item = json_pack("{s:I, s:s, s:s, s:s, s:b, s:b, s:s?}", "user_id", (json_int_t)row->user_id, "name",
                             row->name, "email", row->email, "state", state, "role", row->role, "me",
                             row->user_id == me, "granted_by", row->granted_by);
    json_object_set_new(item, "granted_on", row->granted_on[0] ? json_string(row->granted_on) : json_null());
    return item;
}

void meldpunt_officers_list(http_request *request)
{
    store_meldpunt_officer_rows rows = {0};
    alvd_err err;
    alvd_err_clear(&err);
    /* Users with the role, and officers whose role was taken away (their key should go). */
    if (service_meldpunt_officers(http_request_db(request), &rows, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    json_t *items = json_array();
    for (size_t r = 0; r < rows.count; r++)
        json_array_append_new(items, keys_officer_json(&rows.items[r], http_request_principal(request)->user_id));
    store_meldpunt_officer_rows_free(&rows);
    http_reply_json(request, 200, json_pack("{s:o}", "items", items));
}

void meldpunt_officer_grant(http_request *request)
{
    service_meldpunt_officer officer = meldpunt_officer_of(request);
    long long id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    if (service_meldpunt_officer_grant(&officer, id, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_json(request, 200, json_pack("{s:I, s:s}", "user_id", (json_int_t)id, "state", "active"));
}

void meldpunt_officer_remove(http_request *request)
{
    service_meldpunt_officer officer = meldpunt_officer_of(request);
    long long id = 0;
    alvd_err err;
    alvd_err_clear(&err);
    id = http_request_id(request, "id");
    if (service_meldpunt_officer_remove(&officer, id, &err) != 0) {
        http_reply_err(request, &err);
        return;
    }
    http_reply_empty(request, 204);
}
