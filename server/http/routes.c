/* The route table — path, method, roles, body type and limit of every endpoint — and
 * the matcher. Add a feature's routes in its own section; tests/api/authz walks this. */
#include "alvd/http/routes.h"

#include <stdio.h>
#include <string.h>

#include "alvd/http/input.h"
#include "alvd/api/adoption.h"
#include "alvd/api/agenda.h"
#include "alvd/api/attendance.h"
#include "alvd/api/audit.h"
#include "alvd/api/code.h"
#include "alvd/api/consultations.h"
#include "alvd/api/cycles.h"
#include "alvd/api/deadlines.h"
#include "alvd/api/events.h"
#include "alvd/api/links.h"
#include "alvd/api/meldpunt.h"
#include "alvd/api/meetings.h"
#include "alvd/api/tickets.h"
#include "alvd/api/minutes.h"
#include "alvd/api/monitoring.h"
#include "alvd/api/organisations.h"
#include "alvd/api/outbox_admin.h"
#include "alvd/api/polls.h"
#include "alvd/api/proposals.h"
#include "alvd/api/proxies.h"
#include "alvd/api/remote.h"
#include "alvd/api/session.h"
#include "alvd/api/speakers.h"
#include "alvd/api/withdrawals.h"

#define JSON "application/json"
/* The body fields a JSON route accepts (anything else is refused before the handler). */
#define FIELDS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define NO_FIELDS ((const char *const[]){NULL})
#define MEETING_FIELDS                                                                                   \
    FIELDS("title", "date", "starts_at", "location", "majority_rule", "proxies_allowed", "max_proxies", \
           "notice_days", "electronic_participation", "remote_deliberation", "stream_url",               \
           "remote_disconnect_seconds", "remote_conditions")
#define WITHDRAWAL_FIELDS "organisation_id", "received_on", "sent_on", "form", "tracking_code", "note", "scan_id"
#define REGISTER_CSV_LIMIT (5u * 1024u * 1024u)   /* a member list of tens of thousands of rows */
#define CODE_MARKDOWN_LIMIT (3u * 1024u * 1024u)  /* 1 MiB of Markdown, JSON-escaped */

static const http_route routes[] = {
    /* ---- health and sessions (foundation) ---- */
    {"GET", "/api/health", health_get, AUTH_ANYONE, ROUTE_NO_DB, NULL, 0, NULL},
    {"POST", "/api/session", session_create, AUTH_ANYONE, ROUTE_OFFLOAD | ROUTE_NO_CSRF, JSON, 0,
     FIELDS("email", "password", "totp")},
    {"GET", "/api/session", session_get, AUTH_LOGGED_IN | AUTH_ENROLLING, 0, NULL, 0, NULL},
    {"DELETE", "/api/session", session_delete, AUTH_LOGGED_IN | AUTH_ENROLLING, 0, NULL, 0, NULL},
    {"POST", "/api/session/totp", session_totp_begin, AUTH_STAFF | AUTH_ENROLLING, 0, JSON, 0, NO_FIELDS},
    {"POST", "/api/session/totp/confirm", session_totp_confirm, AUTH_STAFF | AUTH_ENROLLING, 0, JSON, 0,
     FIELDS("code")},
    {"POST", "/api/session/link-request", links_request, AUTH_ANYONE, ROUTE_NO_CSRF, JSON, 0,
     FIELDS("email")},
    {"POST", "/api/session/link", links_consume, AUTH_ANYONE, ROUTE_NO_CSRF, JSON, 0, FIELDS("link", "totp")},
    {"GET", "/l/{link}", links_landing_page, AUTH_ANYONE, ROUTE_PAGE | ROUTE_NO_DB, NULL, 0, NULL},

    /* ---- operations (issue 19): Prometheus metrics, loopback or token only ---- */
    {"GET", "/metrics", monitoring_metrics, AUTH_ANYONE, ROUTE_NO_DB, NULL, 0, NULL},

    /* ---- audit log (administrators) ---- */
    {"GET", "/api/audit", audit_list, AUTH_ADMIN, 0, NULL, 0, NULL},
    {"GET", "/api/audit/verify", audit_check, AUTH_ADMIN, 0, NULL, 0, NULL},

    /* ---- register and Code (issue 3) ---- */
    {"POST", "/api/organisations", organisations_create, AUTH_SECRETARIAT, 0, JSON, 0,
     FIELDS("name", "kvk", "email", "address", "member_number", "public_consent", "member", "member_since")},
    {"GET", "/api/organisations", organisations_list, AUTH_STAFF, 0, NULL, 0, NULL},
    {"GET", "/api/organisations/export.csv", organisations_export, AUTH_SECRETARIAT, 0, NULL, 0, NULL},
    {"POST", "/api/organisations/import/preview", organisations_import_preview, AUTH_SECRETARIAT,
     ROUTE_OFFLOAD, "text/csv", REGISTER_CSV_LIMIT, NULL},
    {"POST", "/api/organisations/import/commit", organisations_import_commit, AUTH_SECRETARIAT,
     ROUTE_OFFLOAD, "text/csv", REGISTER_CSV_LIMIT, NULL},
    {"GET", "/api/organisations/{id}", organisations_get, AUTH_STAFF, 0, NULL, 0, NULL},
    {"PATCH", "/api/organisations/{id}", organisations_update, AUTH_SECRETARIAT, 0, JSON, 0,
     FIELDS("name", "kvk", "email", "address", "member_number", "public_consent")},
    {"POST", "/api/organisations/{id}/contacts", organisations_contact_create, AUTH_SECRETARIAT, 0, JSON, 0,
     FIELDS("name", "email", "function")},
    {"DELETE", "/api/contacts/{id}", organisations_contact_remove, AUTH_SECRETARIAT, 0, NULL, 0, NULL},
    {"POST", "/api/organisations/{id}/bases", organisations_basis_create, AUTH_SECRETARIAT, 0, JSON, 0,
     FIELDS("basis", "since", "until", "contract_ref", "counterparty", "follows_amendments",
            "pinned_version_id")},
    {"POST", "/api/bases/{id}/end", organisations_basis_end, AUTH_SECRETARIAT, 0, JSON, 0,
     FIELDS("until", "reason")},
    {"GET", "/api/organisations/{id}/status", organisations_status, AUTH_STAFF, 0, NULL, 0, NULL},
    {"GET", "/api/public/register", organisations_public_register, AUTH_ANYONE, ROUTE_BULK, NULL, 0, NULL},
    {"POST", "/api/code/versions", code_version_create, AUTH_ADMIN, 0, JSON, CODE_MARKDOWN_LIMIT,
     FIELDS("label", "effective_from", "decided_on", "markdown")},
    {"GET", "/api/code/versions", code_versions_list, AUTH_ANYONE, 0, NULL, 0, NULL},
    {"GET", "/api/code/versions/{id}", code_version_get, AUTH_ANYONE, 0, NULL, 0, NULL},
    {"GET", "/api/code/in-force", code_in_force, AUTH_ANYONE, 0, NULL, 0, NULL},
    {"GET", "/api/code/diff", code_diff, AUTH_ANYONE, ROUTE_BULK | ROUTE_CACHED, NULL, 0, NULL},

    /* ---- cycles, proposals, consultation (issue 4) ---- */
    {"POST", "/api/cycles", cycles_create, AUTH_BOARD, 0, JSON, 0,
     FIELDS("year", "review_from", "alv_date", "effective_date")},
    {"GET", "/api/cycles", cycles_list, AUTH_STAFF, 0, NULL, 0, NULL},
    {"GET", "/api/cycles/{id}", cycles_get, AUTH_STAFF, 0, NULL, 0, NULL},
    {"PATCH", "/api/cycles/{id}", cycles_update, AUTH_BOARD, 0, JSON, 0,
     FIELDS("state", "review_from", "alv_date", "effective_date")},
    {"POST", "/api/cycles/{id}/proposals", proposals_create, AUTH_BOARD, 0, JSON, 1024 * 1024,
     FIELDS("title", "rationale", "changes", "source_report")},
    {"GET", "/api/cycles/{id}/proposals", proposals_list, AUTH_STAFF, 0, NULL, 0, NULL},
    {"GET", "/api/proposals/{id}", proposals_get, AUTH_STAFF | AUTH_CONTACT, 0, NULL, 0, NULL},
    {"PUT", "/api/proposals/{id}", proposals_update, AUTH_BOARD, 0, JSON, 1024 * 1024,
     FIELDS("title", "rationale", "changes", "source_report")},
    {"GET", "/api/proposals/{id}/revisions", proposals_revisions, AUTH_STAFF, 0, NULL, 0, NULL},
    {"GET", "/api/proposals/{id}/compare", proposals_compare, AUTH_STAFF, 0, NULL, 0, NULL},
    {"POST", "/api/proposals/{id}/ready", proposals_ready, AUTH_BOARD, 0, JSON, 0, NO_FIELDS},
    {"POST", "/api/cycles/{id}/consultations", consultations_open, AUTH_BOARD, ROUTE_OFFLOAD, JSON, 0,
     FIELDS("opens_at", "closes_at", "proposal_ids")},
    {"GET", "/api/consultations", consultations_list, AUTH_STAFF | AUTH_CONTACT, 0, NULL, 0, NULL},
    {"GET", "/api/consultations/{id}", consultations_get, AUTH_STAFF | AUTH_CONTACT, 0, NULL, 0, NULL},
    {"POST", "/api/consultations/{id}/close", consultations_close, AUTH_BOARD, 0, JSON, 0, NO_FIELDS},
    {"POST", "/api/consultations/{id}/reminders", consultations_remind, AUTH_BOARD, ROUTE_OFFLOAD, JSON, 0,
     NO_FIELDS},
    {"POST", "/api/consultations/{id}/comments", consultations_comment, AUTH_CONTACT, 0, JSON, 0,
     FIELDS("proposal_id", "article", "text")},
    {"PUT", "/api/comments/{id}", consultations_comment_update, AUTH_CONTACT, 0, JSON, 0, FIELDS("text")},
    {"POST", "/api/comments/{id}/reply", consultations_reply, AUTH_BOARD, 0, JSON, 0,
     FIELDS("text", "led_to_change")},
    {"GET", "/api/consultations/{id}/report", consultations_report, AUTH_STAFF, 0, NULL, 0, NULL},
    {"GET", "/api/outbox", outbox_admin_list, AUTH_ADMIN, 0, NULL, 0, NULL},
    {"GET", "/api/outbox/{id}", outbox_admin_get, AUTH_ADMIN, 0, NULL, 0, NULL},
    {"POST", "/api/outbox/{id}/retry", outbox_admin_retry, AUTH_ADMIN, 0, JSON, 0, NO_FIELDS},

    /* ---- meetings, tickets, attendance (issue 5) ---- */
    {"POST", "/api/meetings", meetings_create, AUTH_SECRETARIAT, 0, JSON, 0,
     MEETING_FIELDS},
    {"GET", "/api/meetings", meetings_list, AUTH_STAFF, 0, NULL, 0, NULL},
    {"GET", "/api/meetings/{id}", meetings_get, AUTH_STAFF | AUTH_MEMBER, 0, NULL, 0, NULL},
    {"PATCH", "/api/meetings/{id}", meetings_update, AUTH_SECRETARIAT, 0, JSON, 0,
     MEETING_FIELDS},
    {"POST", "/api/meetings/{id}/agenda", agenda_post, AUTH_BOARD, 0, JSON, 0,
     FIELDS("proposal_ids", "items")},
    {"PUT", "/api/meetings/{id}/agenda", agenda_put, AUTH_BOARD | AUTH_SECRETARIAT, 0, JSON, 0,
     FIELDS("items")},
    {"POST", "/api/meetings/{id}/agenda/current", agenda_current, AUTH_CHAIR | AUTH_SECRETARIAT, 0, JSON, 0,
     FIELDS("position")},
    {"GET", "/api/meetings/{id}/agenda/{item_id}/proposal", agenda_proposal, AUTH_STAFF | AUTH_MEMBER, 0, NULL, 0,
     NULL},
    {"POST", "/api/meetings/{id}/open", meetings_open, AUTH_CHAIR | AUTH_SECRETARIAT, 0, NULL, 0, NULL},
    {"POST", "/api/meetings/{id}/close", meetings_close, AUTH_CHAIR | AUTH_SECRETARIAT, 0, NULL, 0, NULL},
    {"POST", "/api/meetings/{id}/convocation", meetings_convocation, AUTH_SECRETARIAT, ROUTE_OFFLOAD, NULL, 0,
     NULL},
    {"POST", "/api/meetings/{id}/tickets", tickets_issue, AUTH_SECRETARIAT, ROUTE_OFFLOAD, NULL, 0, NULL},
    {"GET", "/api/meetings/{id}/tickets", tickets_list, AUTH_SECRETARIAT, 0, NULL, 0, NULL},
    {"POST", "/api/meetings/{id}/tickets/{organisation_id}/reissue", tickets_reissue, AUTH_SECRETARIAT, 0, NULL, 0,
     NULL},
    {"POST", "/api/meetings/{id}/tickets/{organisation_id}/revoke", tickets_revoke, AUTH_SECRETARIAT, 0, NULL, 0,
     NULL},
    {"GET", "/api/meetings/{id}/tickets/{organisation_id}/qr.png", tickets_qr_png, AUTH_SECRETARIAT | AUTH_MEMBER, 0, NULL, 0,
     NULL},
    {"GET", "/api/meetings/{id}/tickets/{organisation_id}/qr.svg", tickets_qr_svg, AUTH_SECRETARIAT | AUTH_MEMBER, 0, NULL, 0,
     NULL},
    {"POST", "/api/meetings/{id}/scans", attendance_scan, AUTH_SECRETARIAT, 0, JSON, 0,
     FIELDS("ticket", "direction", "nonce")},
    {"GET", "/api/meetings/{id}/scan-failures", attendance_failures, AUTH_SECRETARIAT, 0, NULL, 0, NULL},
    {"GET", "/api/meetings/{id}/attendance", attendance_get, AUTH_STAFF, 0, NULL, 0, NULL},
    {"GET", "/api/meetings/{id}/attendance.csv", attendance_csv, AUTH_STAFF, 0, NULL, 0, NULL},
    {"GET", "/api/meetings/{id}/attendance/timeline", attendance_timeline, AUTH_STAFF, 0, NULL, 0, NULL},
    {"POST", "/api/meetings/{id}/attendance/manual", attendance_manual, AUTH_SECRETARIAT, 0, JSON, 0,
     FIELDS("organisation_id", "direction", "nonce")},
    {"POST", "/api/meetings/{id}/proxies", proxies_create, AUTH_SECRETARIAT, 0, JSON, 0,
     FIELDS("principal_id", "holder_id", "note")},
    {"GET", "/api/meetings/{id}/proxies", proxies_list, AUTH_STAFF, 0, NULL, 0, NULL},
    {"POST", "/api/meetings/{id}/proxies/{proxy_id}/revoke", proxies_revoke, AUTH_SECRETARIAT, 0, NULL, 0,
     NULL},
    {"GET", "/api/meetings/{id}/events", events_stream, AUTH_STAFF | AUTH_MEMBER, 0, NULL, 0, NULL},
    {"POST", "/api/session/ticket", tickets_session_create, AUTH_ANYONE, ROUTE_NO_CSRF, JSON, 0,
     FIELDS("ticket")},
    {"GET", "/t/{ticket}", tickets_landing_page, AUTH_ANYONE, ROUTE_PAGE | ROUTE_NO_DB, NULL, 0, NULL},
    {"GET", "/t/{ticket}/qr.svg", tickets_landing_qr, AUTH_ANYONE, ROUTE_PAGE | ROUTE_NO_DB, NULL, 0, NULL},

    /* ---- polls and adoption (issue 6) ---- */
    {"POST", "/api/meetings/{id}/polls", polls_create, AUTH_CHAIR, 0, JSON, 0,
     FIELDS("proposal_id", "agenda_item_id", "secret")},
    {"GET", "/api/meetings/{id}/polls", polls_list, AUTH_STAFF | AUTH_MEMBER, 0, NULL, 0, NULL},
    {"GET", "/api/meetings/{id}/polls/current", polls_current, AUTH_STAFF | AUTH_MEMBER, 0, NULL, 0, NULL},
    {"GET", "/api/meetings/{id}/minutes", minutes_get, AUTH_STAFF, 0, NULL, 0, NULL},
    {"GET", "/api/polls/{id}", polls_get, AUTH_STAFF | AUTH_MEMBER, 0, NULL, 0, NULL},
    {"GET", "/api/polls/{id}/proposal", polls_proposal, AUTH_STAFF | AUTH_MEMBER, 0, NULL, 0, NULL},
    {"POST", "/api/polls/{id}/open", polls_open, AUTH_CHAIR, 0, NULL, 0, NULL},
    {"POST", "/api/polls/{id}/votes", polls_vote, AUTH_MEMBER, ROUTE_BATCH_AUTH, JSON, 1024,
     FIELDS("choice", "ballot_id", "on_behalf_of")},
    {"POST", "/api/polls/{id}/close", polls_close, AUTH_CHAIR, 0, NULL, 0, NULL},
    {"GET", "/api/polls/{id}/trackers", polls_trackers, AUTH_STAFF | AUTH_MEMBER, 0, NULL, 0, NULL},
    {"GET", "/api/polls/{id}/voters", polls_voters, AUTH_CHAIR | AUTH_SECRETARIAT, 0, NULL, 0, NULL},
    {"POST", "/api/polls/{id}/paper", polls_paper, AUTH_CHAIR | AUTH_SECRETARIAT, 0, JSON, 256 * 1024,
     FIELDS("votes", "organisation_ids", "for", "against", "abstain")},
    {"POST", "/api/polls/{id}/revote", polls_revote, AUTH_CHAIR, 0, JSON, 0, FIELDS("secret")},
    {"POST", "/api/proposals/{id}/effective-date", adoption_effective_date, AUTH_CHAIR | AUTH_BOARD, 0, JSON, 0,
     FIELDS("date")},

    /* ---- the hybrid ALV (BW 2:38a) and the speaker list (issue 18) ---- */
    {"POST", "/api/meetings/{id}/remote/code", remote_code_request, AUTH_MEMBER, 0, NULL, 0, NULL},
    {"POST", "/api/meetings/{id}/remote/join", remote_join, AUTH_MEMBER, 0, JSON, 0, FIELDS("code")},
    {"POST", "/api/meetings/{id}/remote/leave", remote_leave, AUTH_MEMBER, 0, NULL, 0, NULL},
    {"POST", "/api/meetings/{id}/remote/heartbeat", remote_heartbeat, AUTH_MEMBER, 0, NULL, 0, NULL},
    {"POST", "/api/meetings/{id}/speakers", speakers_request, AUTH_MEMBER, 0, NULL, 0, NULL},
    {"GET", "/api/meetings/{id}/speakers", speakers_list, AUTH_STAFF | AUTH_MEMBER, 0, NULL, 0, NULL},
    {"POST", "/api/speakers/{id}/start", speakers_start, AUTH_CHAIR, 0, NULL, 0, NULL},
    {"POST", "/api/speakers/{id}/finish", speakers_finish, AUTH_CHAIR, 0, NULL, 0, NULL},
    {"DELETE", "/api/speakers/{id}", speakers_withdraw, AUTH_CHAIR | AUTH_MEMBER, 0, NULL, 0, NULL},
    {"POST", "/api/meetings/{id}/contributions", contributions_create, AUTH_MEMBER, 0, JSON, 8 * 1024,
     FIELDS("text")},
    {"GET", "/api/meetings/{id}/contributions", contributions_list, AUTH_STAFF | AUTH_MEMBER, 0, NULL, 0,
     NULL},
    {"POST", "/api/contributions/{id}/moderate", contributions_moderate, AUTH_CHAIR, 0, JSON, 0,
     FIELDS("decision")},

    /* ---- withdrawals (issue 7) ---- */
    {"POST", "/api/withdrawals", withdrawals_create, AUTH_SECRETARIAT, 0, JSON, 0,
     FIELDS(WITHDRAWAL_FIELDS)},
    {"GET", "/api/withdrawals", withdrawals_list, AUTH_STAFF, 0, NULL, 0, NULL},
    {"POST", "/api/withdrawals/preview", withdrawals_preview, AUTH_SECRETARIAT, 0, JSON, 0,
     FIELDS(WITHDRAWAL_FIELDS, "corrects_id")},
    {"POST", "/api/withdrawals/apply-pending", withdrawals_apply_pending_route, AUTH_SECRETARIAT, 0, JSON, 0,
     FIELDS("version_id")},
    {"POST", "/api/withdrawals/scans", withdrawals_scan_upload, AUTH_SECRETARIAT, 0,
     "application/octet-stream", WITHDRAWALS_SCAN_MAX_BYTES, NULL},
    {"GET", "/api/withdrawals/scans/{id}", withdrawals_scan_download, AUTH_STAFF, 0, NULL, 0, NULL},
    {"GET", "/api/withdrawals/{id}", withdrawals_get, AUTH_STAFF, 0, NULL, 0, NULL},
    {"POST", "/api/withdrawals/{id}/correct", withdrawals_correct, AUTH_SECRETARIAT, 0, JSON, 0,
     FIELDS(WITHDRAWAL_FIELDS, "reason")},
    {"GET", "/api/my/withdrawal", withdrawals_my_get, AUTH_CONTACT, 0, NULL, 0, NULL},
    {"POST", "/api/my/withdrawal", withdrawals_my_send, AUTH_CONTACT, 0, JSON, 0, FIELDS("text", "confirm")},
    {"GET", "/api/deadlines", deadlines_overview, AUTH_STAFF, 0, NULL, 0, NULL},
    {"POST", "/api/deadlines/feed-token", deadlines_feed_token, AUTH_STAFF, 0, JSON, 0, NO_FIELDS},
    {"GET", "/api/deadlines.ics", deadlines_ics, AUTH_ANYONE, 0, NULL, 0, NULL},

    /* ---- meldpunt (issue 8) ---- */
    /* public: the report form, receipt follow-up and the half-year report */
    {"GET", "/api/meldpunt/organisations", meldpunt_organisations, AUTH_ANYONE, 0, NULL, 0, NULL},
    {"GET", "/api/meldpunt/norms", meldpunt_norms, AUTH_ANYONE, 0, NULL, 0, NULL},
    {"POST", "/api/reports", meldpunt_report_create, AUTH_ANYONE, ROUTE_OFFLOAD, JSON, MELDPUNT_REPORT_BODY_LIMIT,
     FIELDS("reporter", "organisation_id", "norms", "text", "attachments")},
    {"POST", "/api/reports/follow-up", meldpunt_follow_up, AUTH_ANYONE, ROUTE_OFFLOAD, JSON, 0,
     FIELDS("receipt")},
    {"POST", "/api/reports/follow-up/messages", meldpunt_follow_up_message, AUTH_ANYONE, ROUTE_OFFLOAD, JSON, 0,
     FIELDS("receipt", "text")},
    {"GET", "/api/meldpunt/half-year/{period}", meldpunt_half_year_get, AUTH_ANYONE, ROUTE_BULK, NULL, 0,
     NULL},
    /* the officer: keys, cases, the half-year text */
    {"GET", "/api/meldpunt/status", meldpunt_status, AUTH_MELDPUNT, 0, NULL, 0, NULL},
    {"POST", "/api/meldpunt/setup", meldpunt_setup, AUTH_MELDPUNT, ROUTE_OFFLOAD, JSON, 0,
     FIELDS("passphrase")},
    {"POST", "/api/meldpunt/unlock", meldpunt_unlock, AUTH_MELDPUNT, ROUTE_OFFLOAD, JSON, 0,
     FIELDS("passphrase")},
    {"POST", "/api/meldpunt/lock", meldpunt_lock, AUTH_MELDPUNT, 0, JSON, 0, NO_FIELDS},
    {"POST", "/api/meldpunt/migrate", meldpunt_migrate, AUTH_MELDPUNT, ROUTE_OFFLOAD, JSON, 0,
     FIELDS("shared_passphrase", "passphrase")},
    {"POST", "/api/meldpunt/officer-key", meldpunt_officer_key, AUTH_MELDPUNT, ROUTE_OFFLOAD, JSON, 0,
     FIELDS("passphrase")},
    {"POST", "/api/meldpunt/officer-key/passphrase", meldpunt_officer_passphrase, AUTH_MELDPUNT, ROUTE_OFFLOAD, JSON, 0,
     FIELDS("passphrase", "new_passphrase")},
    {"GET", "/api/meldpunt/officers", meldpunt_officers_list, AUTH_MELDPUNT, 0, NULL, 0, NULL},
    {"POST", "/api/meldpunt/officers/{id}/grant", meldpunt_officer_grant, AUTH_MELDPUNT, 0, JSON, 0,
     NO_FIELDS},
    {"DELETE", "/api/meldpunt/officers/{id}", meldpunt_officer_remove, AUTH_MELDPUNT, 0, NULL, 0, NULL},
    {"POST", "/api/reports/{id}/identity-requests", meldpunt_identity_request, AUTH_MELDPUNT, 0, JSON, 0,
     FIELDS("reason")},
    {"GET", "/api/meldpunt/identity-requests", meldpunt_identity_requests, AUTH_MELDPUNT, 0, NULL, 0, NULL},
    {"POST", "/api/meldpunt/identity-requests/{id}/approve", meldpunt_identity_approve, AUTH_MELDPUNT, 0, JSON, 0,
     NO_FIELDS},
    {"POST", "/api/meldpunt/identity-requests/{id}/refuse", meldpunt_identity_refuse, AUTH_MELDPUNT, 0, JSON, 0,
     NO_FIELDS},
    {"GET", "/api/reports", meldpunt_reports_list, AUTH_MELDPUNT, 0, NULL, 0, NULL},
    {"GET", "/api/reports/{id}", meldpunt_report_get, AUTH_MELDPUNT, 0, NULL, 0, NULL},
    {"GET", "/api/reports/{id}/files/{file_id}", meldpunt_report_file, AUTH_MELDPUNT, 0, NULL, 0, NULL},
    {"POST", "/api/reports/{id}/acknowledge", meldpunt_report_acknowledge, AUTH_MELDPUNT, 0, JSON, 0,
     NO_FIELDS},
    {"POST", "/api/reports/{id}/signal", meldpunt_report_signal, AUTH_MELDPUNT, 0, JSON, 0,
     FIELDS("summary")},
    {"POST", "/api/reports/{id}/judgement", meldpunt_report_judgement, AUTH_MELDPUNT, 0, JSON, 0,
     FIELDS("judgement")},
    {"POST", "/api/reports/{id}/feedback", meldpunt_report_feedback, AUTH_MELDPUNT, ROUTE_OFFLOAD, JSON, 0,
     FIELDS("text")},
    {"POST", "/api/reports/{id}/close", meldpunt_report_close, AUTH_MELDPUNT, 0, JSON, 0, NO_FIELDS},
    {"POST", "/api/meldpunt/half-year/{period}/text", meldpunt_half_year_text, AUTH_MELDPUNT, 0, JSON, 0,
     FIELDS("guidance", "suggestions")},
    {"POST", "/api/meldpunt/half-year/{period}/publish", meldpunt_half_year_publish, AUTH_MELDPUNT, 0, JSON, 0,
     NO_FIELDS},
    {"POST", "/api/meldpunt/suggestions/{id}/proposal", proposals_from_suggestion, AUTH_BOARD, 0, JSON, 0,
     FIELDS("cycle_id", "article")},
    {"GET", "/api/meldpunt/half-year/{period}/suggestions", meldpunt_half_year_suggestions,
     AUTH_MELDPUNT | AUTH_BOARD, 0, NULL, 0, NULL},
    {"POST", "/api/meldpunt/jobs/run", meldpunt_jobs_endpoint, AUTH_MELDPUNT | AUTH_ADMIN, 0, JSON, 0,
     NO_FIELDS},
    /* the organisation's contact persons: the hearing */
    {"GET", "/api/signals", meldpunt_signals_list, AUTH_CONTACT, 0, NULL, 0, NULL},
    {"GET", "/api/signals/{id}", meldpunt_signal_get, AUTH_CONTACT, 0, NULL, 0, NULL},
    {"POST", "/api/signals/{id}/response", meldpunt_signal_respond, AUTH_CONTACT, 0, JSON, 0,
     FIELDS("stance", "text")},
    /* pages */
};

/* Checks run before a route's body is read (routes_precheck). */
static const struct {
    http_handler_fn handler;
    http_precheck_fn precheck;
} route_prechecks[] = {
    {meldpunt_report_create, meldpunt_report_precheck},
};

http_precheck_fn routes_precheck(const http_route *route)
{
    for (size_t i = 0; i < sizeof route_prechecks / sizeof route_prechecks[0]; i++)
        if (route_prechecks[i].handler == route->handler)
            return route_prechecks[i].precheck;
    return NULL;
}

const http_route *routes_table(size_t *count)
{
    *count = sizeof routes / sizeof routes[0];
    return routes;
}

int routes_param_is_id(const char *name, size_t length)
{
    return (length == 2 && strncmp(name, "id", 2) == 0) || (length > 3 && strncmp(name + length - 3, "_id", 3) == 0);
}

int routes_check_shape(const http_route *route, const routes_match *match, json_t *body, alvd_err *err)
{
    for (size_t i = 0; i < match->param_count; i++)
        if (routes_param_is_id(match->names[i], match->name_lengths[i]) && match->ids[i] == 0)
            return alvd_err_set(err, 404, "not_found", NULL, "Niet gevonden.");
    if (route->fields && body)
        return input_only(body, route->fields, err);
    return 0;
}

/* Match path against pattern segment by segment; {name} takes one non-empty segment. */
static int routes_match_pattern(const char *pattern, const char *path, routes_match *match)
{
    match->param_count = 0;
    const char *p = pattern, *q = path;
    while (*p && *q) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            const char *segment_end = strchr(q, '/');
            size_t length = segment_end ? (size_t)(segment_end - q) : strlen(q);
            if (close == NULL || length == 0 || length >= sizeof match->values[0] ||
                match->param_count == ROUTES_MAX_PARAMS)
                return 0;
            size_t index = match->param_count++;
            match->names[index] = p + 1;
            match->name_lengths[index] = (size_t)(close - p - 1);
            memcpy(match->values[index], q, length);
            match->values[index][length] = '\0';
            match->ids[index] = 0;
            if (routes_param_is_id(match->names[index], match->name_lengths[index]) &&
                input_id_text(match->values[index], &match->ids[index]) != 0)
                match->ids[index] = 0;
            p = close + 1;
            q += length;
        } else if (*p == *q) {
            p++;
            q++;
        } else {
            return 0;
        }
    }
    return *p == '\0' && *q == '\0';
}

int routes_find(const char *method, const char *path, routes_match *match, int *path_known,
                char *allowed, size_t allowed_size)
{
    size_t count;
    const http_route *table = routes_table(&count);
    size_t used = 0;
    *path_known = 0;
    if (allowed_size)
        allowed[0] = '\0';
    match->route = NULL;
    for (size_t i = 0; i < count; i++) {
        routes_match candidate;
        if (!routes_match_pattern(table[i].pattern, path, &candidate))
            continue;
        int same = strcmp(table[i].method, method) == 0 ||
                   (strcmp(method, "HEAD") == 0 && strcmp(table[i].method, "GET") == 0);
        if (same) {
            *match = candidate;
            match->route = &table[i];
            return 0;
        }
        *path_known = 1;
        int written = snprintf(allowed + used, allowed_size - used, "%s%s", used ? ", " : "",
                               table[i].method);
        if (written > 0 && (size_t)written < allowed_size - used)
            used += (size_t)written;
    }
    return -1;
}
