/* Unit tables for server/rules/binding.c (Code art. 4, 7, 8; R5, R8): which Code
 * version binds an organisation on a date, per basis, with the Dutch reason. */
#include "alvd/rules/binding.h"

#include <string.h>

#include "check.h"

static rules_day d(const char *text)
{
    rules_day day = 0;
    if (rules_date_parse(text, NULL, &day, NULL) != 0)
        CHECK(0, "bad test date %s", text);
    return day;
}

/* Three versions, deliberately out of order. */
static rules_code_version versions[3];

static void setup(void)
{
    versions[0] = (rules_code_version){3, "2027-1", d("2027-01-01")};
    versions[1] = (rules_code_version){1, "2024-1", d("2024-06-01")};
    versions[2] = (rules_code_version){2, "2026-1", d("2026-01-01")};
}

static rules_basis membership(const char *since)
{
    return (rules_basis){.kind = RULES_BASIS_MEMBERSHIP, .since = d(since)};
}

static rules_basis signature(const char *since)
{
    return (rules_basis){.kind = RULES_BASIS_SIGNATURE, .since = d(since)};
}

static rules_basis contract(const char *since, int follows, int64_t pinned)
{
    return (rules_basis){.kind = RULES_BASIS_CONTRACT, .since = d(since),
                         .follows_amendments = follows, .pinned_version_id = pinned};
}

static rules_basis ended(rules_basis basis, const char *until)
{
    basis.has_until = 1;
    basis.until = d(until);
    return basis;
}

typedef struct binding_case {
    const char *label;
    rules_basis bases[3];
    size_t count;
    const char *on;
    int bound;
    int64_t version;
    int active[3];
    int64_t per_version[3];
    const char *reason;
} binding_case;

static void run(const binding_case *c)
{
    rules_binding result;
    rules_basis_status status[3];
    alvd_err err;
    alvd_err_clear(&err);
    int rc = rules_binding_on(c->bases, c->count, versions, 3, d(c->on), status, &result, &err);
    CHECK(rc == 0, "%s: %s", c->label, err.message);
    CHECK_INT(result.bound, c->bound, c->label);
    CHECK_INT(result.version_id, c->version, c->label);
    for (size_t i = 0; i < c->count; i++) {
        CHECK_INT(status[i].active, c->active[i], c->label);
        CHECK_INT(status[i].version_id, c->per_version[i], c->label);
    }
    CHECK_STR(result.reason, c->reason, c->label);
    /* per_basis is optional and must not change the answer. */
    rules_binding again;
    rules_binding_on(c->bases, c->count, versions, 3, d(c->on), NULL, &again, NULL);
    CHECK(again.version_id == result.version_id && strcmp(again.reason, result.reason) == 0,
          "%s: same without per_basis", c->label);
}

static void test_cases(void)
{
    const binding_case cases[] = {
        {"member only", {membership("2024-01-01")}, 1, "2026-05-01", 1, 2, {1}, {2},
         "Gebonden aan versie 2026-1 als lid sinds 2024-01-01."},
        {"signatory only", {signature("2025-03-15")}, 1, "2025-04-01", 1, 1, {1}, {1},
         "Gebonden aan versie 2024-1 als ondertekenaar sinds 2025-03-15."},
        {"signatory follows amendment on its E", {signature("2025-03-15")}, 1, "2027-01-01", 1, 3,
         {1}, {3}, "Gebonden aan versie 2027-1 als ondertekenaar sinds 2025-03-15."},
        {"contract pinned before an amendment stays (R8)", {contract("2025-02-01", 0, 0)}, 1,
         "2026-05-01", 1, 1, {1}, {1},
         "Gebonden aan versie 2024-1 via een contract van 2025-02-01 dat op deze versie "
         "vastligt."},
        {"contract that follows amendments", {contract("2025-02-01", 1, 0)}, 1, "2026-05-01", 1,
         2, {1}, {2},
         "Gebonden aan versie 2026-1 via een contract van 2025-02-01 dat wijzigingen volgt."},
        {"contract with explicit pin", {contract("2026-02-01", 0, 1)}, 1, "2027-02-01", 1, 1, {1},
         {1},
         "Gebonden aan versie 2024-1 via een contract van 2026-02-01 dat op deze versie "
         "vastligt."},
        {"date before any version", {membership("2020-01-01")}, 1, "2024-05-01", 0, 0, {1}, {0},
         "Op 2024-05-01 was er nog geen versie van de Code van kracht."},
        {"basis ended the day before", {ended(membership("2020-01-01"), "2026-03-31")}, 1,
         "2026-04-01", 0, 0, {0}, {0}, "Niet gebonden: het lidmaatschap eindigde op 2026-03-31."},
        {"basis on its last day is active", {ended(membership("2020-01-01"), "2026-03-31")}, 1,
         "2026-03-31", 1, 2, {1}, {2}, "Gebonden aan versie 2026-1 als lid sinds 2020-01-01."},
        {"basis starting later", {signature("2026-07-01")}, 1, "2026-06-30", 0, 0, {0}, {0},
         "Niet gebonden: de ondertekening begint pas op 2026-07-01."},
        {"membership + pinned contract",
         {membership("2024-01-01"), contract("2025-02-01", 0, 0)}, 2, "2026-05-01", 1, 2, {1, 1},
         {2, 1},
         "Gebonden aan versie 2026-1 als lid sinds 2024-01-01; het contract van 2025-02-01 ligt "
         "vast op versie 2024-1."},
        {"member + signatory, same version",
         {membership("2024-01-01"), signature("2024-07-01"), contract("2026-03-01", 1, 0)}, 3,
         "2026-05-01", 1, 2, {1, 1, 1}, {2, 2, 2},
         "Gebonden aan versie 2026-1 als lid sinds 2024-01-01, als ondertekenaar sinds "
         "2024-07-01 en via een contract van 2026-03-01 dat wijzigingen volgt."},
        {"withdrawn signature (R5) leaves the pinned contract",
         {ended(signature("2024-07-01"), "2026-12-31"), contract("2025-02-01", 0, 0)}, 2,
         "2027-01-01", 1, 1, {0, 1}, {0, 1},
         "Gebonden aan versie 2024-1 via een contract van 2025-02-01 dat op deze versie "
         "vastligt."},
        {"contract signed before any version pins the first version",
         {contract("2023-01-01", 0, 0)}, 1, "2026-05-01", 1, 1, {1}, {1},
         "Gebonden aan versie 2024-1 via een contract van 2023-01-01 dat op deze versie "
         "vastligt."},
        {"... and binds nothing before that version starts", {contract("2023-01-01", 0, 0)}, 1,
         "2024-05-31", 0, 0, {1}, {0},
         "Op 2024-05-31 was er nog geen versie van de Code van kracht."},
        {"pinned to a scheduled version", {contract("2026-02-01", 0, 3)}, 1, "2026-05-01", 0, 0,
         {1}, {0},
         "Niet gebonden: het contract van 2026-02-01 ligt vast op versie 2027-1, die pas op "
         "2027-01-01 ingaat."},
        {"two inactive bases",
         {ended(membership("2020-01-01"), "2025-12-31"), signature("2027-01-01")}, 2,
         "2026-05-01", 0, 0, {0, 0}, {0, 0},
         "Niet gebonden: het lidmaatschap eindigde op 2025-12-31 en de ondertekening begint pas "
         "op 2027-01-01."},
        {"no bases", {{0}}, 0, "2026-05-01", 0, 0, {0}, {0},
         "Niet gebonden: de organisatie heeft geen grondslag (lidmaatschap, ondertekening of "
         "contract)."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        run(&cases[i]);
}

static void test_in_force_and_status(void)
{
    CHECK(rules_version_in_force(versions, 3, d("2024-05-31")) == NULL, "none before first");
    CHECK_INT(rules_version_in_force(versions, 3, d("2024-06-01"))->id, 1, "first on its E");
    CHECK_INT(rules_version_in_force(versions, 3, d("2025-12-31"))->id, 1, "day before second");
    CHECK_INT(rules_version_in_force(versions, 3, d("2026-01-01"))->id, 2, "second on its E");
    CHECK_INT(rules_version_in_force(versions, 3, d("2030-01-01"))->id, 3, "latest");
    CHECK(rules_version_in_force(NULL, 0, d("2030-01-01")) == NULL, "no versions");

    static const struct {
        int64_t id;
        const char *on;
        rules_version_status want;
    } cases[] = {
        {1, "2024-05-31", RULES_VERSION_SCHEDULED}, {1, "2024-06-01", RULES_VERSION_IN_FORCE},
        {1, "2026-01-01", RULES_VERSION_SUPERSEDED}, {2, "2025-12-31", RULES_VERSION_SCHEDULED},
        {2, "2026-06-01", RULES_VERSION_IN_FORCE},  {2, "2027-01-01", RULES_VERSION_SUPERSEDED},
        {3, "2026-06-01", RULES_VERSION_SCHEDULED}, {3, "2027-01-01", RULES_VERSION_IN_FORCE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        rules_version_status status = 0;
        CHECK(rules_version_status_on(versions, 3, cases[i].id, d(cases[i].on), &status, NULL) == 0,
              "status ok");
        CHECK_INT(status, cases[i].want, cases[i].on);
    }
    rules_version_status status;
    alvd_err err;
    CHECK(rules_version_status_on(versions, 3, 99, d("2026-01-01"), &status, &err) == -1,
          "unknown id");
    CHECK_STR(err.code, "unknown_version", "unknown id code");
    CHECK_STR(rules_version_status_name(RULES_VERSION_IN_FORCE), "in_force", "name");
    CHECK_STR(rules_version_status_name(RULES_VERSION_SCHEDULED), "scheduled", "name");
    CHECK_STR(rules_version_status_name(RULES_VERSION_SUPERSEDED), "superseded", "name");
    CHECK_STR(rules_basis_kind_name(RULES_BASIS_CONTRACT), "contract", "basis name");
    CHECK_STR(rules_basis_kind_name(RULES_BASIS_MEMBERSHIP), "membership", "basis name");
    CHECK_STR(rules_basis_kind_name(RULES_BASIS_SIGNATURE), "signature", "basis name");
}

static void test_validation(void)
{
    rules_binding result;
    alvd_err err;
    rules_basis basis = contract("2025-01-01", 0, 42);
    CHECK(rules_binding_on(&basis, 1, versions, 3, d("2026-01-01"), NULL, &result, &err) == -1,
          "unknown pinned version");
    CHECK_STR(err.code, "unknown_version", "pinned code");
    CHECK_INT(err.status, 422, "status");

    basis = ended(membership("2025-01-01"), "2024-12-31");
    CHECK(rules_binding_on(&basis, 1, versions, 3, d("2026-01-01"), NULL, &result, &err) == -1,
          "until before since");
    CHECK_STR(err.code, "bad_basis", "period code");

    basis = membership("2025-01-01");
    basis.kind = (rules_basis_kind)7;
    CHECK(rules_binding_on(&basis, 1, versions, 3, d("2026-01-01"), NULL, &result, &err) == -1,
          "unknown kind");

    rules_code_version dup[2] = {{1, "a", d("2024-01-01")}, {2, "b", d("2024-01-01")}};
    basis = membership("2020-01-01");
    CHECK(rules_binding_on(&basis, 1, dup, 2, d("2026-01-01"), NULL, &result, &err) == -1,
          "same effective date refused");
    CHECK_STR(err.code, "bad_version", "dup code");
    dup[1].effective_from = d("2025-01-01");
    dup[1].id = 1;
    CHECK(rules_binding_on(&basis, 1, dup, 2, d("2026-01-01"), NULL, &result, &err) == -1,
          "same id refused");

    /* No label: the id is shown. */
    rules_code_version unlabelled = {5, NULL, d("2024-01-01")};
    CHECK(rules_binding_on(&basis, 1, &unlabelled, 1, d("2026-01-01"), NULL, &result, &err) == 0,
          "unlabelled ok");
    CHECK_STR(result.reason, "Gebonden aan versie #5 als lid sinds 2020-01-01.", "id shown");
    CHECK(result.version_label == NULL, "label passes through");

    /* A long label is shortened at a character boundary (39 'x' + "é" = 41 bytes:
     * cutting at 40 would split the é, so 39 bytes remain). */
    rules_code_version long_label = {6, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\xc3\xa9", d("2024-01-01")};
    CHECK(rules_binding_on(&basis, 1, &long_label, 1, d("2026-01-01"), NULL, &result, &err) == 0,
          "long label ok");
    CHECK_STR(result.reason,
              "Gebonden aan versie xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx als lid sinds "
              "2020-01-01.",
              "label cut before a continuation byte");
}

int main(void)
{
    setup();
    test_cases();
    test_in_force_and_status();
    test_validation();
    return check_report("rules_binding");
}
