/* Which version of the Code binds an organisation on a date (Code art. 4, 7, 8;
 * R5, R8), from its bases and the list of Code versions, with a Dutch reason. */
#ifndef ALVD_RULES_BINDING_H
#define ALVD_RULES_BINDING_H

#include <stddef.h>
#include <stdint.h>

#include "alvd/base/err.h"
#include "alvd/rules/dates.h"

#define RULES_BINDING_REASON_SIZE 512

typedef struct rules_code_version {
    int64_t id;               /* > 0, unique */
    const char *label;        /* e.g. "2026-1"; borrowed, may be NULL (then "#id" is shown) */
    rules_day effective_from; /* first day the version applies; unique among versions */
} rules_code_version;

typedef enum rules_basis_kind {
    RULES_BASIS_MEMBERSHIP = 1, /* KSF member */
    RULES_BASIS_SIGNATURE = 2,  /* signed the Code (art. 4b) */
    RULES_BASIS_CONTRACT = 3    /* a contract refers to the Code (art. 4c) */
} rules_basis_kind;

typedef struct rules_basis {
    rules_basis_kind kind;
    rules_day since;           /* first day of the basis (signing date for contracts) */
    int has_until;             /* 0 = open-ended (so a zeroed struct is open-ended) */
    rules_day until;           /* inclusive last day, when has_until */
    int follows_amendments;    /* contracts: 1 = follows the version in force (art. 7) */
    int64_t pinned_version_id; /* contracts: pinned version; 0 = derive it: the version in
                                * force on `since`, or the first version ever when the
                                * contract predates every version */
} rules_basis;

typedef struct rules_basis_status {
    int active;         /* since <= D <= until */
    int64_t version_id; /* version this basis binds to on D; 0 = none */
} rules_basis_status;

typedef struct rules_binding {
    int bound;                  /* 1 when some active basis binds to a version in force */
    int64_t version_id;         /* applicable version (the newest among the bases); 0 = none */
    const char *version_label;  /* its label (borrowed from the versions array) or NULL */
    char reason[RULES_BINDING_REASON_SIZE]; /* one Dutch sentence */
} rules_binding;

typedef enum rules_version_status {
    RULES_VERSION_SUPERSEDED = 1, /* took effect, but a later version is in force */
    RULES_VERSION_IN_FORCE = 2,   /* the version in force on the date */
    RULES_VERSION_SCHEDULED = 3   /* takes effect after the date */
} rules_version_status;

/* "membership", "signature", "contract", or "" (static). */
const char *rules_basis_kind_name(rules_basis_kind kind);

/* The version in force on `on`: latest effective_from <= on. NULL when none.
 * Returns a pointer into versions (any order). */
const rules_code_version *rules_version_in_force(const rules_code_version *versions,
                                                 size_t count, rules_day on);

/* Status of version `version_id` on `on`. Returns 0 and *out, or -1 with 422
 * "unknown_version" when the id is not in versions. */
int rules_version_status_on(const rules_code_version *versions, size_t count,
                            int64_t version_id, rules_day on, rules_version_status *out,
                            alvd_err *err);

/* "in_force", "scheduled", "superseded", or "" (static). */
const char *rules_version_status_name(rules_version_status status);

/* Decide the binding on `on`. bases/versions may be NULL when their count is 0.
 * per_basis, when not NULL, receives basis_count entries in the order of bases.
 * Returns 0 with *out filled, or -1 with 422: "bad_basis" (unknown kind, until
 * before since), "unknown_version" (pinned id not in versions), "bad_version"
 * (id <= 0, or two versions with the same id or effective date). */
int rules_binding_on(const rules_basis *bases, size_t basis_count,
                     const rules_code_version *versions, size_t version_count, rules_day on,
                     rules_basis_status *per_basis, rules_binding *out, alvd_err *err);

#endif
