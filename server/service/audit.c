/* The audit log for administrators: entries shown (never changed) once chained, the
 * chain and its signed checkpoints verified, and the periodic checkpoint written and mailed. */
#include "alvd/service/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alvd/base/log.h"
#include "alvd/crypto/audit.h"
#include "alvd/crypto/audit_checkpoint.h"
#include "alvd/mail/outbox.h"

int service_audit_list(store_conn *conn, const store_audit_log_filter *filter, store_result **rows, alvd_err *err)
{
    /* Entries committed before this request are shown once chained: wait (briefly) for
     * the sequencer, so an administrator sees the change just made. */
    audit_await_chained(conn, AUDIT_LIST_AWAIT_MS);
    return store_audit_log_list(conn, filter, rows, err);
}

int service_audit_verify(const alvd_app *app, store_conn *conn, service_audit_verdict *verdict, alvd_err *err)
{
    audit_checkpoint_keys keys;
    memset(verdict, 0, sizeof *verdict);
    int rc = audit_verify(conn, app->audit_key, &verdict->checked, &verdict->pending, &verdict->bad_entry, err);
    if (rc == 0 && audit_checkpoint_keys_load(app->config.data_dir, 1, &keys, err) == 0) {
        rc = audit_checkpoints_verify(conn, app->config.data_dir, keys.public_key, &verdict->checkpoints,
                                      &verdict->bad_entry, err);
        audit_checkpoint_keys_wipe(&keys);
    } else if (rc == 0) {
        rc = -1;
    }
    if (rc == 0) {
        verdict->intact = 1;
        return 0;
    }
    if (strcmp(err->code, "audit_broken") != 0)
        return -1;
    snprintf(verdict->message, sizeof verdict->message, "%s", err->message);
    return 0;
}

int service_audit_checkpoint_now(const alvd_app *app, store_conn *conn, long long *entry, alvd_err *err)
{
    audit_checkpoint_keys keys;
    char *text = NULL;
    long long written_entry = 0;
    if (entry)
        *entry = 0;
    if (audit_checkpoint_keys_load(app->config.data_dir, 1, &keys, err) != 0)
        return -1;
    int written = audit_checkpoint_write(conn, app->config.data_dir, app->config.database.database, &keys,
                                         &written_entry, &text, err);
    audit_checkpoint_keys_wipe(&keys);
    if (written <= 0)
        return written;
    if (entry)
        *entry = written_entry;
    int rc = 0;
    if (app->config.audit_checkpoint_mail[0]) {
        /* A copy out of reach of whoever controls this machine: the recipient keeps it and
         * can later have it checked with `alvd audit verify --checkpoint FILE`. */
        char subject[160];
        size_t size = strlen(text) + 2048;
        char *body = malloc(size);
        snprintf(subject, sizeof subject, "alvd: controlepunt van het auditlogboek (regel %lld)", written_entry);
        if (body == NULL) {
            free(text);
            return alvd_err_set(err, 500, "out_of_memory", NULL, "Geen geheugen.");
        }
        snprintf(body, size,
                 "Dit is een ondertekend controlepunt van het auditlogboek van alvd: zo zag het logboek er\n"
                 "tot en met regel %lld uit. Bewaar dit bericht buiten het systeem. Wie later wil weten of\n"
                 "het logboek sindsdien is herschreven, bewaart dit bericht als bestand en laat de beheerder\n"
                 "uitvoeren:\n\n    alvd audit verify --checkpoint <bestand>\n\n"
                 "This is a signed checkpoint of alvd's audit log up to entry %lld. Keep it outside the\n"
                 "system; `alvd audit verify --checkpoint <file>` tells whether the log was rewritten since.\n\n"
                 "%s",
                 written_entry, written_entry, text);
        mail_message message = {.to = app->config.audit_checkpoint_mail, .subject = subject, .text = body,
                                .kind = "audit_checkpoint"};
        rc = outbox_enqueue(conn, &message, NULL, err);
        free(body);
    }
    free(text);
    return rc < 0 ? -1 : 1;
}

int service_audit_checkpoint_job(const alvd_app *app, store_conn *conn, alvd_err *err)
{
    long long entry = 0;
    if (service_audit_checkpoint_now(app, conn, &entry, err) < 0)
        return -1;
    if (entry)
        log_info("audit checkpoint of entry %lld written%s", entry,
                 app->config.audit_checkpoint_mail[0] ? " and mailed" : "");
    return 0;
}
