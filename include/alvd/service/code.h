/* The versioned Code (art. 7, 8): every version with its date, storing an imported
 * version in one transaction with R3/R4 and no retroactivity, one version's articles. */
#ifndef ALVD_SERVICE_CODE_H
#define ALVD_SERVICE_CODE_H

#include <jansson.h>
#include <stddef.h>

#include "alvd/base/err.h"
#include "alvd/crypto/audit.h"
#include "alvd/rules/binding.h"
#include "alvd/store/db.h"

/* Every Code version, for rules_binding_on and friends. Labels are borrowed from
 * rows, so keep the list until done and free it with service_code_versions_free. */
typedef struct service_code_version_list {
    rules_code_version *items; /* owned; NULL when count is 0 */
    size_t count;
    store_result *rows;        /* owned */
} service_code_version_list;

int service_code_versions_load(store_conn *conn, service_code_version_list *out, alvd_err *err);
void service_code_versions_free(service_code_version_list *list);

/* Store one Code version with its articles in the caller's transaction (the demo
 * loader uses it too): 409 "label_taken" / "effective_date_taken", 422 from the
 * importer. decided_on (may be NULL: the first version) is the date of the ALV
 * decision it implements. The first version of the register also pins every contract
 * that was recorded before any version existed. *version_id gets the new id;
 * *articles (may be NULL) the parsed article list as JSON (new reference). */
int service_code_version_store(store_conn *conn, const audit_actor *actor, const char *label,
                               const char *effective_from, const char *decided_on, const char *markdown,
                               size_t length, long long *version_id, json_t **articles, alvd_err *err);

/* An import as the request gave it (dates already parsed; decided_on may be NULL). */
typedef struct service_code_version_input {
    const char *label, *effective_from, *decided_on, *markdown;
    rules_day effective, decided, today;
} service_code_version_input;
/* What an import created. */
typedef struct service_code_version_created {
    long long id;
    const char *status;  /* on today: in_force, scheduled, superseded (static) */
    int register_empty;  /* it is the register's first version (no R3/R4, no W) */
    json_t *articles;    /* owned: [{id, title, text}] */
} service_code_version_created;
/* Import a version in one transaction: no retroactivity and R3/R4 unless it is the
 * first version of an empty register, pending late withdrawals it now takes (R5), the
 * calendar events. */
int service_code_version_create(store_conn *conn, const audit_actor *actor, const service_code_version_input *input,
                                service_code_version_created *out, alvd_err *err);

/* One version of the list with its articles. */
typedef struct service_code_version_view {
    service_code_version_list list;
    size_t index;     /* in list */
    json_t *articles; /* owned: [{id, title, text}] in order */
} service_code_version_view;
/* Version id; 404 "not_found" when there is none. */
int service_code_version_find(store_conn *conn, long long id, service_code_version_view *out, alvd_err *err);
/* The version in force on `on`; 404 "not_found" (field date) when none was. */
int service_code_version_in_force(store_conn *conn, rules_day on, service_code_version_view *out, alvd_err *err);
void service_code_version_view_free(service_code_version_view *view);

/* Two versions to compare, with their articles. */
typedef struct service_code_version_pair {
    service_code_version_list list;
    size_t from_index, to_index;
    json_t *from_articles, *to_articles; /* owned */
} service_code_version_pair;
/* 404 "not_found" (field from or to) when either does not exist. */
int service_code_version_pair_load(store_conn *conn, long long from_id, long long to_id,
                                   service_code_version_pair *out, alvd_err *err);
void service_code_version_pair_free(service_code_version_pair *pair);

#endif
