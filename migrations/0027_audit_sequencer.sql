-- Issue 17, point 3: no global row in the business transaction. A change commits its
-- audit entry unchained in audit_pending (content, actor, time and a keyed MAC over
-- them, no place in the chain) and its events without a stream position; one sequencer
-- (whoever holds the lease row below, across every alvd process) chains committed
-- entries into audit_log and numbers events shortly after, in short transactions of
-- its own (server/crypto/audit_sequencer.c, docs/internals/audit.md).

CREATE TABLE IF NOT EXISTS audit_pending (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  created_at DATETIME(6) NOT NULL,
  actor_kind VARCHAR(16) NOT NULL,
  actor_id BIGINT NOT NULL DEFAULT 0,
  actor_label VARCHAR(254) NOT NULL DEFAULT '',
  action VARCHAR(64) NOT NULL,
  object_type VARCHAR(64) NOT NULL,
  object_id BIGINT NOT NULL DEFAULT 0,
  details MEDIUMTEXT NOT NULL,
  nonce BINARY(16) NOT NULL,
  -- keyed with keys/audit.key over nonce and content: the sequencer chains only rows
  -- alvd wrote, and a copied row (a replay) collides on this unique key.
  mac BINARY(32) NOT NULL,
  UNIQUE KEY audit_pending_mac (mac),
  KEY audit_pending_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='alvd:append-only: audit entries as their transaction committed them, before the sequencer chains them';

-- Which committed entry each chained one is (NULL for entries from before this migration).
ALTER TABLE audit_log ADD COLUMN IF NOT EXISTS pending_id BIGINT NULL AFTER id;
ALTER TABLE audit_log ADD UNIQUE KEY IF NOT EXISTS audit_log_pending (pending_id);

-- The lease: one row, taken with a short UPDATE when it has expired, renewed by its
-- holder in each sequencing transaction. pending_floor: every audit_pending id at or
-- below it is chained (advanced only past entries ten minutes old, older than any transaction).
CREATE TABLE IF NOT EXISTS audit_sequencer (
  id TINYINT NOT NULL PRIMARY KEY,
  holder VARCHAR(128) NOT NULL DEFAULT '',
  lease_until DATETIME(6) NOT NULL,
  pending_floor BIGINT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT IGNORE INTO audit_sequencer (id, holder, lease_until, pending_floor) VALUES (1, '', '2000-01-01', 0);

-- Events get their stream position from the sequencer: seq is assigned in the order the
-- sequencer sees them committed, so a lower id that commits late is streamed after, not
-- skipped. Existing events keep their id as position.
ALTER TABLE events ADD COLUMN IF NOT EXISTS seq BIGINT NULL AFTER id;
UPDATE events SET seq = id WHERE seq IS NULL;
ALTER TABLE events ADD UNIQUE KEY IF NOT EXISTS events_seq (seq);
ALTER TABLE events ADD KEY IF NOT EXISTS events_meeting_seq (meeting_id, seq);
