/* Demo data of the meldpunt: its key for two officers (known demo passphrases) and a handful of
 * reports across the half years of this year and last, in several states. */
#include "alvd/demo/demo.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "alvd/crypto/audit.h"
#include "alvd/crypto/keyfile.h"
#include "alvd/rules/meldpunt.h"
#include "alvd/service/meldpunt.h"
#include "alvd/store/code_versions.h"
#include "alvd/store/contacts.h"
#include "alvd/store/db.h"
#include "alvd/store/meldpunt_cases.h"
#include "alvd/store/meldpunt_half_years.h"
#include "alvd/store/meldpunt_keys.h"
#include "alvd/store/meldpunt_reports.h"
#include "alvd/store/organisations.h"
#include "alvd/store/users.h"

/* Each demo officer's own passphrase (a real officer chooses theirs). The first one is
 * also what the shared passphrase was before issue 15, for data made by an older demo. */
static const struct {
    const char *email, *passphrase;
} demo_officers[] = {
    {"meldpunt@ksf.example", "demo-meldpunt-wachtzin-2026"},
    {"meldpunt2@ksf.example", "demo-noor-wachtzin-2026"},
};

static int demo_user_id(store_conn *conn, const char *email, long long *id, alvd_err *err)
{
    if (store_users_id_by_email(conn, email, id, err) != 0)
        return -1;
    return *id ? 0 : alvd_err_set(err, 500, "demo_user_missing", NULL, "Demo user %s is missing.", email);
}

/* The meldpunt key, granted to both demo officers, each under their own passphrase. */
static int demo_meldpunt_key(const alvd_app *app, store_conn *conn, FILE *report, alvd_err *err)
{
    unsigned char public_key[SEAL_PUBLIC_KEY_BYTES], secret_key[SEAL_SECRET_KEY_BYTES], shared[MELDPUNT_KEY_FILE_BYTES];
    if (service_meldpunt_public_key(app, public_key, err) == 0) {
        if (keyfile_read_existing(app->config.data_dir, MELDPUNT_KEY_FILE, shared, sizeof shared, err) == 0) {
            fprintf(report, "  meldpunt key from before per-officer keys: shared passphrase %s; the meldpunt page\n"
                            "  asks the first officer for it once and for their own passphrase (then grants the other)\n",
                    demo_officers[0].passphrase);
            return 0;
        }
        alvd_err_clear(err);
        fprintf(report, "  meldpunt key present; each officer unlocks with their own passphrase:\n");
        for (size_t i = 0; i < sizeof demo_officers / sizeof demo_officers[0]; i++)
            fprintf(report, "    %-24s %s (if the demo made the key)\n", demo_officers[i].email, demo_officers[i].passphrase);
        return 0;
    }
    alvd_err_clear(err);
    long long first = 0;
    if (demo_user_id(conn, demo_officers[0].email, &first, err) != 0 ||
        service_meldpunt_keypair_create(app, secret_key, err) != 0)
        return -1;
    int rc = 0;
    fprintf(report, "  meldpunt key made; each officer unlocks it with their own passphrase:\n");
    for (size_t i = 0; rc == 0 && i < sizeof demo_officers / sizeof demo_officers[0]; i++) {
        long long id = 0;
        rc = demo_user_id(conn, demo_officers[i].email, &id, err);
        if (rc == 0)
            rc = store_meldpunt_keys_officer_delete(conn, id, err);
        if (rc == 0)
            rc = service_meldpunt_officer_create(app, conn, id, demo_officers[i].passphrase, secret_key, first, err);
        if (rc == 0)
            fprintf(report, "    %-24s %s\n", demo_officers[i].email, demo_officers[i].passphrase);
    }
    sodium_memzero(secret_key, sizeof secret_key);
    if (rc == 0)
        fprintf(report, "  a reporter's identity opens after the other officer approves (two officers)\n");
    return rc;
}

/* The first two organisations of the register, made when the register is empty. */
static int demo_meldpunt_organisations(store_conn *conn, long long ids[2], alvd_err *err)
{
    size_t found = 0;
    if (store_organisations_first_ids(conn, 2, ids, &found, err) != 0)
        return -1;
    static const char *const names[] = {"Demo Klantcontact BV", "Demo Servicelijn NV"};
    static const char *const kvks[] = {"90000001", "90000002"};
    for (size_t r = found; r < 2; r++) {
        store_organisation_fields fields = {names[r], kvks[r], NULL, NULL, NULL, 0};
        if (store_organisations_insert(conn, &fields, &ids[r], err) != 0)
            return -1;
    }
    /* The demo contact, unless the first organisation has (or had) this address already. */
    long long contact = 0;
    int active = 0;
    if (store_contacts_find(conn, ids[0], "contact@klantcontact.example", &contact, &active, err) != 0)
        return -1;
    return contact ? 0
                   : store_contacts_insert(conn, ids[0], "Carla Contact", "contact@klantcontact.example", NULL,
                                           &contact, err);
}

/* The norms (article 6 and 6a–6d) when no Code in force today (UTC, the database's
 * date) has them yet. */
static int demo_meldpunt_norms(store_conn *conn, alvd_err *err)
{
    char today[RULES_DATE_TEXT_SIZE];
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(today, sizeof today, "%Y-%m-%d", &utc);
    store_result *rows = NULL;
    if (store_meldpunt_reports_norms_in_force(conn, today, &rows, err) != 0)
        return -1;
    size_t present = store_result_rows(rows);
    store_result_free(rows);
    if (present > 0)
        return 0;
    long long version = 0;
    if (store_code_versions_insert_import(conn, "Code 2022 (meldpunt-demo)", "2022-01-01", NULL, 0, &version, err) != 0)
        return -1;
    static const struct { const char *id, *title; } articles[] = {
        {"6", "Algemene principes"},          {"6a", "Eerlijke prijsvorming"},
        {"6b", "Goed werkgeverschap"},        {"6c", "Kwaliteit van dienstverlening"},
        {"6d", "Duurzame samenwerking"},
    };
    for (size_t i = 0; i < sizeof articles / sizeof articles[0]; i++)
        if (store_code_articles_insert(conn, version, (long long)i + 6, articles[i].id, articles[i].title,
                                       "Demotekst van de norm.", err) != 0)
            return -1;
    return 0;
}

typedef struct demo_case {
    int year_offset, month, day;   /* received: this year + offset */
    const char *norms[2];
    const char *state, *judgement;
    const char *stance;            /* the organisation's answer, or NULL */
    const char *name, *email, *text;
} demo_case;

static const demo_case demo_cases[] = {
    {-1, 2, 10, {"6a", NULL}, "closed", "compliant", "comply", "Anton Aarts", "anton@voorbeeld.example",
     "Mijn uurloon lag onder de cao-schaal."},
    {-1, 4, 22, {"6a", "6c"}, "closed", "explained", "explain", "Bea Bakker", "bea@voorbeeld.example",
     "Wachttijden van meer dan een uur zonder terugbelmogelijkheid."},
    {-1, 5, 15, {"6a", NULL}, "closed", "compliant", "comply", "Cees Claassen", "cees@voorbeeld.example",
     "Toeslagen voor avonddiensten werden niet uitbetaald."},
    {-1, 9, 3, {"6b", NULL}, "closed", "non_compliant", "explain", "Dora Dijk", "dora@voorbeeld.example",
     "Uitzendkrachten kregen geen inwerkperiode."},
    {-1, 11, 20, {"6d", NULL}, "judgement", "pending", "comply", "Evert Eelman", "evert@voorbeeld.example",
     "Het contract met de opdrachtgever werd zonder overleg beëindigd."},
    {0, 1, 15, {"6c", NULL}, "signal_sent", "pending", NULL, "Fatima Faber", "fatima@voorbeeld.example",
     "Klanten worden doorverbonden tot de lijn wegvalt."},
    {0, 0, 0, {"6", NULL}, "received", "pending", NULL, "Gijs Groen", "gijs@voorbeeld.example",
     "De klachtenprocedure is nergens te vinden."},
};

/* Walk case c (report id, its first norm, its organisation) to its state, a few days apart. */
static int demo_meldpunt_case_steps(store_conn *conn, const demo_case *c, long long id, const char *norm,
                                    long long organisation, rules_day received, alvd_err *err)
{
    char acknowledged[RULES_DATE_TEXT_SIZE], sent[RULES_DATE_TEXT_SIZE], answered[RULES_DATE_TEXT_SIZE],
        judged[RULES_DATE_TEXT_SIZE], fed_back[RULES_DATE_TEXT_SIZE], closed[RULES_DATE_TEXT_SIZE];
    rules_date_format(rules_day_add_days(received, 3), acknowledged);
    rules_date_format(rules_day_add_days(received, 5), sent);
    rules_date_format(rules_day_add_days(received, 19), answered);
    rules_date_format(rules_day_add_days(received, 30), judged);
    rules_date_format(rules_day_add_days(received, 40), fed_back);
    rules_date_format(rules_day_add_days(received, 45), closed);
    long long signal_id = 0;
    randombytes_buf(&signal_id, sizeof signal_id);
    signal_id = (signal_id & ((1LL << 53) - 1)) | (1LL << 40);
    int is_closed = strcmp(c->state, "closed") == 0, judged_yet = is_closed || strcmp(c->state, "judgement") == 0;
    store_meldpunt_dated_signal signal = {
        signal_id, organisation, norm,
        "Een melder geeft aan dat uw organisatie deze norm niet toepast. Wilt u reageren: pas toe of leg uit?",
        sent, c->stance, c->stance ? "Wij hebben de werkwijze aangepast." : NULL, c->stance ? answered : NULL};
    store_meldpunt_case_steps steps = {c->state, c->judgement, signal_id, acknowledged, sent,
                                       c->stance ? answered : NULL, judged_yet ? judged : NULL,
                                       is_closed ? fed_back : NULL, is_closed ? closed : NULL};
    if (store_meldpunt_signals_insert_dated(conn, &signal, err) != 0)
        return -1;
    return store_meldpunt_cases_set_steps(conn, id, &steps, err);
}

static int demo_meldpunt_cases(const alvd_app *app, store_conn *conn, const long long organisations[2], FILE *report,
                               alvd_err *err)
{
    rules_day today = service_meldpunt_today(app);
    int year = 0;
    rules_day_to_ymd(today, &year, NULL, NULL);
    for (size_t i = 0; i < sizeof demo_cases / sizeof demo_cases[0]; i++) {
        const demo_case *c = &demo_cases[i];
        rules_day received = c->month ? rules_day_from_ymd(year + c->year_offset, c->month, c->day)
                                      : rules_day_add_days(today, -2);
        if (received > today)
            received = rules_day_add_days(today, -20);
        const char *norms[2];
        size_t norm_count = 0;
        for (size_t n = 0; n < 2 && c->norms[n]; n++)
            norms[norm_count++] = c->norms[n];
        long long organisation = organisations[i % 2 == 0 ? 0 : 1];
        if (strcmp(c->state, "signal_sent") == 0)
            organisation = organisations[0]; /* the demo contact has an open signal */
        service_meldpunt_new_report new_report = {c->name, c->email, NULL, organisation, norms, norm_count, c->text,
                                                  received, NULL, 0};
        long long id = 0;
        char receipt[SEAL_RECEIPT_TEXT_SIZE];
        if (service_meldpunt_report_insert(app, conn, &new_report, &id, receipt, err) != 0)
            return -1;
        if (strcmp(c->state, "received") == 0)
            fprintf(report, "  meldpunt report %lld (new); follow-up receipt, shown once: %s\n", id, receipt);
        else if (demo_meldpunt_case_steps(conn, c, id, norms[0], organisation, received, err) != 0)
            return -1;
    }
    return 0;
}

/* The officer has published every half year of the demo that is over (last year's two
 * and this year's first, once it has ended); the current one stays a preview. */
static int demo_meldpunt_publish(const alvd_app *app, store_conn *conn, FILE *report, alvd_err *err)
{
    rules_day today = service_meldpunt_today(app);
    rules_half_year now = rules_half_year_of(today);
    rules_half_year periods[3] = {{now.year - 1, 1}, {now.year - 1, 2}, {now.year, 1}};
    if (store_begin(conn, err) != 0)
        return -1;
    for (size_t i = 0; i < 3; i++) {
        char text[RULES_HALF_YEAR_TEXT_SIZE];
        rules_day last = 0;
        rules_half_year_bounds(periods[i], NULL, &last);
        if (last >= today)
            continue;
        rules_half_year_format(periods[i], text);
        if (store_meldpunt_half_years_publish(conn, text, 0, err) != 0 ||
            service_meldpunt_half_year_freeze(conn, text, err) != 0) {
            store_rollback(conn);
            return -1;
        }
        fprintf(report, "  half year %s published\n", text);
    }
    return store_commit(conn, err);
}

int demo_meldpunt_load(const alvd_app *app, store_conn *conn, FILE *report, alvd_err *err)
{
    long long organisations[2] = {0, 0}, existing = 0;
    fprintf(report, "Meldpunt:\n");
    if (demo_meldpunt_key(app, conn, report, err) != 0)
        return -1;
    if (store_meldpunt_reports_count(conn, &existing, err) != 0)
        return -1;
    if (existing > 0) {
        fprintf(report, "  %lld meldpunt reports present (receipts were shown when they were made)\n", existing);
        return demo_meldpunt_publish(app, conn, report, err);
    }
    audit_actor system = {"system", 0, "alvd demo"};
    if (store_begin(conn, err) != 0 || demo_meldpunt_organisations(conn, organisations, err) != 0 ||
        demo_meldpunt_norms(conn, err) != 0 || demo_meldpunt_cases(app, conn, organisations, report, err) != 0 ||
        audit_append(conn, err, &system, "meldpunt.demo_loaded", "meldpunt", 0, NULL) != 0 ||
        store_commit(conn, err) != 0) {
        store_rollback(conn);
        return -1;
    }
    if (demo_meldpunt_publish(app, conn, report, err) != 0)
        return -1;
    fprintf(report, "  %zu demo reports; the half-year page shows the published ones (/meldpunt-rapportage.html),"
                    " the officer also the current half year as a concept\n",
            sizeof demo_cases / sizeof demo_cases[0]);
    fprintf(report, "  contact of %lld: contact@klantcontact.example (ask a login link on /login.html)\n",
            organisations[0]);
    return 0;
}
