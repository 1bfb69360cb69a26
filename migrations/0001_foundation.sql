-- Foundation: staff users, sessions, rate-limit events and the audit chain.
-- Instants are DATETIME(6) in UTC (every connection runs with time_zone '+00:00').

CREATE TABLE IF NOT EXISTS users (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  email VARCHAR(254) NOT NULL,
  name VARCHAR(200) NOT NULL,
  password_hash VARCHAR(128) NOT NULL,
  roles SET('admin','board','chair','secretariat','meldpunt') NOT NULL DEFAULT '',
  disabled_at DATETIME(6) NULL,
  created_at DATETIME(6) NOT NULL,
  UNIQUE KEY users_email (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS sessions (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  token_hash BINARY(32) NOT NULL,
  csrf VARCHAR(64) NOT NULL,
  kind ENUM('user','member','contact') NOT NULL,
  user_id BIGINT NULL,
  organisation_id BIGINT NULL,
  meeting_id BIGINT NULL,
  contact_id BIGINT NULL,
  created_at DATETIME(6) NOT NULL,
  last_seen_at DATETIME(6) NOT NULL,
  expires_at DATETIME(6) NOT NULL,
  revoked_at DATETIME(6) NULL,
  UNIQUE KEY sessions_token (token_hash),
  KEY sessions_user (user_id),
  CONSTRAINT sessions_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Failed logins and other rate-limited attempts; subject is a hash (of an e-mail or a
-- client address), so this table holds no address in the clear.
CREATE TABLE IF NOT EXISTS rate_events (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  bucket VARCHAR(32) NOT NULL,
  subject BINARY(16) NOT NULL,
  at DATETIME(6) NOT NULL,
  KEY rate_events_lookup (bucket, subject, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS audit_log (
  id BIGINT NOT NULL PRIMARY KEY,
  created_at DATETIME(6) NOT NULL,
  actor_kind VARCHAR(16) NOT NULL,
  actor_id BIGINT NOT NULL DEFAULT 0,
  actor_label VARCHAR(254) NOT NULL DEFAULT '',
  action VARCHAR(64) NOT NULL,
  object_type VARCHAR(64) NOT NULL,
  object_id BIGINT NOT NULL DEFAULT 0,
  details MEDIUMTEXT NOT NULL,
  prev_hash BINARY(32) NOT NULL,
  hash BINARY(32) NOT NULL,
  KEY audit_object (object_type, object_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The chain head: one row, locked by every append so ids have no gaps.
CREATE TABLE IF NOT EXISTS audit_head (
  id TINYINT NOT NULL PRIMARY KEY,
  last_id BIGINT NOT NULL,
  last_hash BINARY(32) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

INSERT IGNORE INTO audit_head (id, last_id, last_hash) VALUES (1, 0, REPEAT(CHAR(0), 32));
