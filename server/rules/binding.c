/* Binding of an organisation to a Code version on a date: members and signatories
 * follow the version in force, contracts stay on their pinned version (R8). */
#include "alvd/rules/binding.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *rules_basis_kind_name(rules_basis_kind kind)
{
    switch (kind) {
    case RULES_BASIS_MEMBERSHIP:
        return "membership";
    case RULES_BASIS_SIGNATURE:
        return "signature";
    case RULES_BASIS_CONTRACT:
        return "contract";
    default:
        return "";
    }
}

const char *rules_version_status_name(rules_version_status status)
{
    switch (status) {
    case RULES_VERSION_SUPERSEDED:
        return "superseded";
    case RULES_VERSION_IN_FORCE:
        return "in_force";
    case RULES_VERSION_SCHEDULED:
        return "scheduled";
    default:
        return "";
    }
}

const rules_code_version *rules_version_in_force(const rules_code_version *versions,
                                                 size_t count, rules_day on)
{
    const rules_code_version *best = NULL;
    for (size_t i = 0; i < count; i++)
        if (versions[i].effective_from <= on &&
            (best == NULL || versions[i].effective_from > best->effective_from))
            best = &versions[i];
    return best;
}

static const rules_code_version *find_version(const rules_code_version *versions, size_t count,
                                              int64_t id)
{
    for (size_t i = 0; i < count; i++)
        if (versions[i].id == id)
            return &versions[i];
    return NULL;
}

/* The first version ever to take effect: what a contract signed before any version
 * refers to (it cannot refer to a later amendment it never saw). */
static const rules_code_version *first_version(const rules_code_version *versions, size_t count)
{
    const rules_code_version *first = NULL;
    for (size_t i = 0; i < count; i++)
        if (first == NULL || versions[i].effective_from < first->effective_from)
            first = &versions[i];
    return first;
}

int rules_version_status_on(const rules_code_version *versions, size_t count,
                            int64_t version_id, rules_day on, rules_version_status *out,
                            alvd_err *err)
{
    const rules_code_version *version = find_version(versions, count, version_id);
    if (version == NULL)
        return alvd_err_set(err, 422, "unknown_version", "version_id",
                            "Versie %" PRId64 " van de Code bestaat niet.", version_id);
    if (version->effective_from > on)
        *out = RULES_VERSION_SCHEDULED;
    else if (rules_version_in_force(versions, count, on) == version)
        *out = RULES_VERSION_IN_FORCE;
    else
        *out = RULES_VERSION_SUPERSEDED;
    return 0;
}

/* Append to a bounded sentence; a full buffer truncates rather than overflows. */
static void append(char *buffer, size_t size, const char *format, ...)
    __attribute__((format(printf, 3, 4)));
static void append(char *buffer, size_t size, const char *format, ...)
{
    size_t used = strnlen(buffer, size);
    if (used + 1 >= size)
        return;
    va_list args;
    va_start(args, format);
    vsnprintf(buffer + used, size - used, format, args);
    va_end(args);
}

/* Copy a label of at most 40 bytes into buffer, cutting only before a UTF-8 lead
 * byte so the sentence stays valid UTF-8 for JSON; "#id" when there is no label. */
static const char *label_of(const rules_code_version *version, char *buffer, size_t size)
{
    if (version->label == NULL || version->label[0] == '\0') {
        snprintf(buffer, size, "#%" PRId64, version->id);
        return buffer;
    }
    size_t length = strnlen(version->label, 41);
    if (length > 40) {
        length = 40;
        while (length > 0 && ((unsigned char)version->label[length] & 0xC0) == 0x80)
            length--;
    }
    if (length >= size)
        length = size - 1;
    memcpy(buffer, version->label, length);
    buffer[length] = '\0';
    return buffer;
}

static const char *basis_noun(rules_basis_kind kind)
{
    switch (kind) {
    case RULES_BASIS_MEMBERSHIP:
        return "het lidmaatschap";
    case RULES_BASIS_SIGNATURE:
        return "de ondertekening";
    case RULES_BASIS_CONTRACT:
    default:
        return "het contract";
    }
}

/* "als lid sinds 2024-01-01", "via een contract van 2023-05-01 dat ..." */
static void append_ground(char *buffer, size_t size, const rules_basis *basis)
{
    char since[RULES_DATE_TEXT_SIZE];
    rules_date_format(basis->since, since);
    switch (basis->kind) {
    case RULES_BASIS_MEMBERSHIP:
        append(buffer, size, "als lid sinds %s", since);
        break;
    case RULES_BASIS_SIGNATURE:
        append(buffer, size, "als ondertekenaar sinds %s", since);
        break;
    case RULES_BASIS_CONTRACT:
    default:
        if (basis->follows_amendments)
            append(buffer, size, "via een contract van %s dat wijzigingen volgt", since);
        else
            append(buffer, size, "via een contract van %s dat op deze versie vastligt", since);
        break;
    }
}

static int validate(const rules_basis *bases, size_t basis_count,
                    const rules_code_version *versions, size_t version_count, alvd_err *err)
{
    for (size_t i = 0; i < version_count; i++) {
        if (versions[i].id <= 0)
            return alvd_err_set(err, 422, "bad_version", "versions",
                                "Een versie van de Code heeft geen geldig nummer.");
        for (size_t j = i + 1; j < version_count; j++) {
            if (versions[i].id == versions[j].id)
                return alvd_err_set(err, 422, "bad_version", "versions",
                                    "Versie %" PRId64 " komt twee keer voor.", versions[i].id);
            /* Two versions starting the same day would make "the version in force"
             * ambiguous. */
            if (versions[i].effective_from == versions[j].effective_from)
                return alvd_err_set(err, 422, "bad_version", "versions",
                                    "Twee versies van de Code hebben dezelfde ingangsdatum.");
        }
    }
    for (size_t i = 0; i < basis_count; i++) {
        const rules_basis *basis = &bases[i];
        if (basis->kind != RULES_BASIS_MEMBERSHIP && basis->kind != RULES_BASIS_SIGNATURE &&
            basis->kind != RULES_BASIS_CONTRACT)
            return alvd_err_set(err, 422, "bad_basis", "bases",
                                "Onbekende grondslag; kies lidmaatschap, ondertekening of "
                                "contract.");
        if (basis->has_until && basis->until < basis->since)
            return alvd_err_set(err, 422, "bad_basis", "bases",
                                "De einddatum van een grondslag ligt voor de begindatum.");
        if (basis->kind == RULES_BASIS_CONTRACT && basis->pinned_version_id != 0 &&
            find_version(versions, version_count, basis->pinned_version_id) == NULL)
            return alvd_err_set(err, 422, "unknown_version", "pinned_version_id",
                                "Het contract verwijst naar versie %" PRId64
                                ", die niet bestaat.",
                                basis->pinned_version_id);
    }
    return 0;
}

/* The version a contract is pinned to (never NULL when there are versions). */
static const rules_code_version *pinned_version(const rules_basis *basis,
                                                const rules_code_version *versions, size_t count)
{
    if (basis->pinned_version_id != 0)
        return find_version(versions, count, basis->pinned_version_id);
    const rules_code_version *at_signing = rules_version_in_force(versions, count, basis->since);
    return at_signing != NULL ? at_signing : first_version(versions, count);
}

/* Whether basis is active on `on`, and the version it binds to then (NULL = none). */
static const rules_code_version *basis_version(const rules_basis *basis,
                                               const rules_code_version *versions, size_t count,
                                               const rules_code_version *in_force, rules_day on,
                                               int *active)
{
    *active = basis->since <= on && (!basis->has_until || on <= basis->until);
    if (!*active)
        return NULL;
    if (basis->kind == RULES_BASIS_CONTRACT && !basis->follows_amendments) {
        const rules_code_version *pinned = pinned_version(basis, versions, count);
        /* No retroactivity: a pinned version not yet in effect binds nobody yet. */
        return (pinned != NULL && pinned->effective_from <= on) ? pinned : NULL;
    }
    return in_force;
}

/* "Gebonden aan versie V als lid sinds … en via een contract …; het contract van …
 * ligt vast op versie W." */
static void explain_bound(const rules_basis *bases, size_t basis_count,
                          const rules_code_version *versions, size_t version_count,
                          const rules_code_version *in_force, const rules_code_version *applicable,
                          rules_day on, char *reason, size_t size)
{
    char label_buffer[48];
    size_t total = 0, written = 0;
    int active;

    snprintf(reason, size, "Gebonden aan versie %s ",
             label_of(applicable, label_buffer, sizeof label_buffer));
    for (size_t i = 0; i < basis_count; i++)
        if (basis_version(&bases[i], versions, version_count, in_force, on, &active) == applicable)
            total++;
    for (size_t i = 0; i < basis_count; i++) {
        if (basis_version(&bases[i], versions, version_count, in_force, on, &active) != applicable)
            continue;
        if (written > 0)
            append(reason, size, written + 1 == total ? " en " : ", ");
        append_ground(reason, size, &bases[i]);
        written++;
    }
    /* Other active bases on an older version (a pinned contract, R8): mention them so
     * the secretariat sees both versions. */
    for (size_t i = 0; i < basis_count; i++) {
        const rules_code_version *version =
            basis_version(&bases[i], versions, version_count, in_force, on, &active);
        if (version == NULL || version == applicable)
            continue;
        char since[RULES_DATE_TEXT_SIZE];
        append(reason, size, "; %s van %s ligt vast op versie %s", basis_noun(bases[i].kind),
               rules_date_format(bases[i].since, since),
               label_of(version, label_buffer, sizeof label_buffer));
    }
    append(reason, size, ".");
}

/* Why nothing binds: no bases, all bases outside D, no version yet, or only
 * contracts pinned to a version that has not started. */
static void explain_unbound(const rules_basis *bases, size_t basis_count,
                            const rules_code_version *versions, size_t version_count,
                            const rules_code_version *in_force, rules_day on, char *reason,
                            size_t size)
{
    char on_text[RULES_DATE_TEXT_SIZE], day_text[RULES_DATE_TEXT_SIZE], label_buffer[48];
    size_t active_count = 0, written = 0;
    int active;

    rules_date_format(on, on_text);
    for (size_t i = 0; i < basis_count; i++) {
        basis_version(&bases[i], versions, version_count, in_force, on, &active);
        active_count += active ? 1 : 0;
    }
    if (basis_count == 0) {
        snprintf(reason, size, "Niet gebonden: de organisatie heeft geen grondslag "
                               "(lidmaatschap, ondertekening of contract).");
        return;
    }
    if (active_count == 0) {
        snprintf(reason, size, "Niet gebonden: ");
        for (size_t i = 0; i < basis_count; i++) {
            const rules_basis *basis = &bases[i];
            if (written > 0)
                append(reason, size, written + 1 == basis_count ? " en " : ", ");
            if (basis->since > on)
                append(reason, size, "%s begint pas op %s", basis_noun(basis->kind),
                       rules_date_format(basis->since, day_text));
            else
                append(reason, size, "%s eindigde op %s", basis_noun(basis->kind),
                       rules_date_format(basis->until, day_text));
            written++;
        }
        append(reason, size, ".");
        return;
    }
    if (in_force == NULL) {
        snprintf(reason, size, "Op %s was er nog geen versie van de Code van kracht.", on_text);
        return;
    }
    /* Active, a version is in force, yet nothing binds: only pinned contracts whose
     * version starts later remain. */
    snprintf(reason, size, "Niet gebonden: ");
    for (size_t i = 0; i < basis_count; i++) {
        const rules_basis *basis = &bases[i];
        basis_version(basis, versions, version_count, in_force, on, &active);
        if (!active)
            continue;
        const rules_code_version *pinned = pinned_version(basis, versions, version_count);
        if (written > 0)
            append(reason, size, "; ");
        append(reason, size, "het contract van %s ligt vast op versie %s, die pas op %s ingaat",
               rules_date_format(basis->since, day_text),
               label_of(pinned, label_buffer, sizeof label_buffer),
               rules_date_format(pinned->effective_from, on_text));
        written++;
    }
    append(reason, size, ".");
}

int rules_binding_on(const rules_basis *bases, size_t basis_count,
                     const rules_code_version *versions, size_t version_count, rules_day on,
                     rules_basis_status *per_basis, rules_binding *out, alvd_err *err)
{
    if (validate(bases, basis_count, versions, version_count, err) < 0)
        return -1;
    memset(out, 0, sizeof *out);

    const rules_code_version *in_force = rules_version_in_force(versions, version_count, on);
    const rules_code_version *applicable = NULL;
    for (size_t i = 0; i < basis_count; i++) {
        int active;
        const rules_code_version *version =
            basis_version(&bases[i], versions, version_count, in_force, on, &active);
        /* Several bases: the newest version wins (it is the strictest reading the
         * organisation has accepted on some basis). */
        if (version != NULL &&
            (applicable == NULL || version->effective_from > applicable->effective_from))
            applicable = version;
        if (per_basis != NULL) {
            per_basis[i].active = active;
            per_basis[i].version_id = version ? version->id : 0;
        }
    }
    if (applicable != NULL) {
        out->bound = 1;
        out->version_id = applicable->id;
        out->version_label = applicable->label;
        explain_bound(bases, basis_count, versions, version_count, in_force, applicable, on,
                      out->reason, sizeof out->reason);
    } else {
        explain_unbound(bases, basis_count, versions, version_count, in_force, on, out->reason,
                        sizeof out->reason);
    }
    return 0;
}
