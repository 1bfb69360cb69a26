/* The audit sequencer (issue 17): one holder across every alvd process, through a lease
 * row with expiry, chains committed audit entries and gives committed events their stream
 * position, in short transactions of its own, so no business transaction takes a global row. */
#ifndef ALVD_CRYPTO_AUDIT_SEQUENCER_H
#define ALVD_CRYPTO_AUDIT_SEQUENCER_H

#include "alvd/base/app.h"
#include "alvd/base/err.h"

/* The lease: taken when expired (a holder killed mid-work is taken over after at most
 * this long), renewed by each of the holder's transactions and at least every second. */
#define AUDIT_SEQUENCER_LEASE_SECONDS 3
/* How often the holder looks for committed work (when no poke came sooner), and how
 * often a process that does not hold the lease checks whether it expired. */
#define AUDIT_SEQUENCER_POLL_MS 100
#define AUDIT_SEQUENCER_IDLE_MS 1000
/* Entries and events per sequencing transaction. */
#define AUDIT_SEQUENCER_BATCH 200

typedef struct audit_sequencer audit_sequencer;

/* Called after a step gave events their place (wakes this process's SSE pump). */
typedef void (*audit_sequencer_events_fn)(void *context);

/* Start the sequencer thread of `alvd serve` (every process runs one; one of them holds
 * the lease at a time). app must have its audit key loaded. */
audit_sequencer *audit_sequencer_start(const alvd_app *app, audit_sequencer_events_fn on_events, void *context,
                                       alvd_err *err);
/* Ask for a step now (after a commit that recorded entries or events). NULL is accepted. */
void audit_sequencer_poke(audit_sequencer *sequencer);
/* Chain what is left, give the lease up (another process takes over at once) and join. */
void audit_sequencer_stop(audit_sequencer *sequencer);

/* For commands outside `serve` (demo, user add, audit verify, restore): chain every
 * committed entry and event now, taking the lease when it is free, or wait up to
 * wait_seconds for the holder to do it. *left = entries and events still unsequenced
 * afterwards (0 when done). Returns -1 only on a database error. */
int audit_sequencer_drain(const alvd_app *app, double wait_seconds, long long *left, alvd_err *err);

/* This process's lease holder name (host:pid:random), for tests and logs. */
const char *audit_sequencer_holder(const audit_sequencer *sequencer);

#endif
