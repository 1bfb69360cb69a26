-- Least privilege (issues 15 and 19): alvd serves as a MariaDB account that may add
-- audit entries but never change or remove one, and runs no DDL. `alvd migrate` grants
-- that account's role its rights table by table from the table comment:
--   'alvd:append-only …'  SELECT, INSERT        'alvd:read-only …'  SELECT
--   anything else         SELECT, INSERT, UPDATE, DELETE
-- The single audit_head row that every append rewrote is replaced: appends serialise
-- on audit_lock (locked, never written) and record each new head in audit_heads
-- (inserted, never changed), so a removed tail of audit_log is still named by verify.

CREATE TABLE IF NOT EXISTS audit_lock (
  id TINYINT NOT NULL PRIMARY KEY
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='alvd:read-only: audit appends lock this row (SELECT … FOR UPDATE)';

INSERT IGNORE INTO audit_lock (id) VALUES (1);

CREATE TABLE IF NOT EXISTS audit_heads (
  id BIGINT NOT NULL PRIMARY KEY,
  hash BINARY(32) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
  COMMENT='alvd:append-only: the head of the audit chain after each append';

-- Carry the head over once, then retire the row that had to be updated.
CREATE TABLE IF NOT EXISTS audit_head (
  id TINYINT NOT NULL PRIMARY KEY, last_id BIGINT NOT NULL, last_hash BINARY(32) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
INSERT IGNORE INTO audit_heads (id, hash) SELECT last_id, last_hash FROM audit_head WHERE id = 1 AND last_id > 0;
DROP TABLE audit_head;

ALTER TABLE audit_log COMMENT = 'alvd:append-only: the audit chain';
