-- The meldpunt (Code art. 5): confidential reports, anonymised signals to organisations
-- with their comply-or-explain answers, and the half-year publication. Every column that
-- could identify a reporter or tell their story is ciphertext (see
-- docs/internals/meldpunt-crypto.md); the plain columns are dates, states and norms.

CREATE TABLE IF NOT EXISTS meldpunt_reports (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  received_on DATE NOT NULL,
  organisation_id BIGINT NULL,            -- NULL once personal data is deleted
  state ENUM('received','acknowledged','signal_sent','response','judgement','feedback','closed')
    NOT NULL DEFAULT 'received',
  acknowledged_on DATE NULL,
  signal_sent_on DATE NULL,
  response_on DATE NULL,
  judgement ENUM('pending','compliant','non_compliant','explained') NOT NULL DEFAULT 'pending',
  judged_on DATE NULL,
  fed_back_on DATE NULL,
  closed_on DATE NULL,
  signal_id BIGINT NULL,                  -- the report points at its signal, never the reverse
  -- the report key sealed (crypto_box_seal) to the meldpunt public key
  wrapped_key VARBINARY(128) NULL,
  -- the same key under the reporter's receipt key (XChaCha20-Poly1305)
  reporter_wrapped_key VARBINARY(128) NULL,
  receipt_prefix CHAR(4) NULL,
  receipt_salt BINARY(16) NULL,
  receipt_verifier BINARY(32) NULL,
  reporter_name VARBINARY(1024) NULL,
  reporter_email VARBINARY(1024) NULL,
  reporter_phone VARBINARY(256) NULL,
  description MEDIUMBLOB NULL,
  feedback MEDIUMBLOB NULL,
  personal_data_deleted_on DATE NULL,
  last_reminder_on DATE NULL,
  KEY meldpunt_reports_received (received_on),
  KEY meldpunt_reports_receipt (receipt_prefix),
  KEY meldpunt_reports_signal (signal_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The norms a report names: kept after the personal data is gone, for the counts.
CREATE TABLE IF NOT EXISTS meldpunt_report_norms (
  report_id BIGINT NOT NULL,
  norm VARCHAR(16) NOT NULL,
  PRIMARY KEY (report_id, norm),
  CONSTRAINT meldpunt_report_norms_fk FOREIGN KEY (report_id) REFERENCES meldpunt_reports (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Further information from the reporter (after the receipt), sealed under the report key.
CREATE TABLE IF NOT EXISTS meldpunt_messages (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  report_id BIGINT NOT NULL,
  created_on DATE NOT NULL,
  body MEDIUMBLOB NOT NULL,
  KEY meldpunt_messages_report (report_id),
  CONSTRAINT meldpunt_messages_fk FOREIGN KEY (report_id) REFERENCES meldpunt_reports (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Attachments: the bytes live encrypted in ALVD_DATA_DIR/meldpunt/<file_name>; the
-- original name is ciphertext too.
CREATE TABLE IF NOT EXISTS meldpunt_files (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  report_id BIGINT NOT NULL,
  file_name CHAR(32) NOT NULL,            -- random hex chosen by the server
  content_type VARCHAR(64) NOT NULL,
  size BIGINT NOT NULL,
  original_name VARBINARY(1024) NULL,
  KEY meldpunt_files_report (report_id),
  CONSTRAINT meldpunt_files_fk FOREIGN KEY (report_id) REFERENCES meldpunt_reports (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The anonymised signal an organisation sees. Random ids, no report id, no time of
-- day: nothing in it leads back to the report or its order of arrival.
CREATE TABLE IF NOT EXISTS meldpunt_signals (
  id BIGINT NOT NULL PRIMARY KEY,
  organisation_id BIGINT NOT NULL,
  norms VARCHAR(200) NOT NULL,
  summary TEXT NOT NULL,
  sent_on DATE NOT NULL,
  stance ENUM('comply','explain') NULL,
  response TEXT NULL,
  responded_on DATE NULL,
  responded_by BIGINT NULL,               -- contact id
  KEY meldpunt_signals_org (organisation_id),
  CONSTRAINT meldpunt_signals_org_fk FOREIGN KEY (organisation_id) REFERENCES organisations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- An officer's unlocked secret key, for one session only: encrypted under a key derived
-- from the session token, which the database does not hold.
CREATE TABLE IF NOT EXISTS meldpunt_unlocks (
  session_id BIGINT NOT NULL PRIMARY KEY,
  sealed_secret VARBINARY(128) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  CONSTRAINT meldpunt_unlocks_session_fk FOREIGN KEY (session_id) REFERENCES sessions (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The half-year publication: guidance text, publication, and amendment suggestions
-- the board can turn into proposals of the next cycle (proposal_id links back).
CREATE TABLE IF NOT EXISTS meldpunt_half_years (
  period CHAR(6) NOT NULL PRIMARY KEY,    -- '2026H1'
  guidance TEXT NULL,
  published_at DATETIME(6) NULL,
  published_by BIGINT NULL,
  updated_at DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS meldpunt_suggestions (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  period CHAR(6) NOT NULL,
  article VARCHAR(16) NULL,
  text TEXT NOT NULL,
  proposal_id BIGINT NULL,
  created_at DATETIME(6) NOT NULL,
  KEY meldpunt_suggestions_period (period)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
