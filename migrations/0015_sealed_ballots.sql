-- Issue 15: a secret poll's ballots are sealed to the poll's own key while it is open
-- (the secret half lives in ALVD_DATA_DIR/keys/polls/<poll>.key, never here), counted
-- at close, and only the totals and the sorted tracker list stay
-- (docs/internals/secret-ballots.md).

-- The public half of the poll's key, set when a secret poll opens.
ALTER TABLE polls ADD COLUMN IF NOT EXISTS box_public_key BINARY(32) NULL AFTER fingerprint;

-- Sealed ballots of open secret polls: a random id, the poll and the sealed ballot
-- (a phone ballot's choice and tracker, or one batch of paper totals; all the same
-- size). No member, time or order column; deleted once the poll is counted.
CREATE TABLE IF NOT EXISTS sealed_ballots (
  id BINARY(16) NOT NULL PRIMARY KEY,
  poll_id BIGINT NOT NULL,
  sealed VARBINARY(128) NOT NULL,
  KEY sealed_ballots_poll (poll_id),
  CONSTRAINT sealed_ballots_poll_fk FOREIGN KEY (poll_id) REFERENCES polls (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The published trackers of a closed secret poll, written at close in sorted order
-- (clustered by tracker). No choice: (tracker, choice) pairs are never kept (V12).
CREATE TABLE IF NOT EXISTS poll_trackers (
  poll_id BIGINT NOT NULL,
  tracker BINARY(16) NOT NULL,
  PRIMARY KEY (poll_id, tracker),
  CONSTRAINT poll_trackers_poll_fk FOREIGN KEY (poll_id) REFERENCES polls (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Secret polls closed before this migration: their trackers move to the published
-- list and their (tracker, choice) rows go. Older copies in backups and logs are not
-- reached by this (see the document above, "Upgrading").
INSERT IGNORE INTO poll_trackers (poll_id, tracker)
  SELECT b.poll_id, b.tracker FROM ballots b JOIN polls p ON p.id = b.poll_id
   WHERE p.secret = 1 AND p.state = 'closed' ORDER BY b.poll_id, b.tracker;
DELETE b FROM ballots b JOIN polls p ON p.id = b.poll_id WHERE p.secret = 1 AND p.state = 'closed';
UPDATE poll_voters v JOIN polls p ON p.id = v.poll_id SET v.ballot_hash = NULL
 WHERE p.secret = 1 AND p.state = 'closed' AND v.ballot_hash IS NOT NULL;
