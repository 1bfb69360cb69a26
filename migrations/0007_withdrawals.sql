-- Registered-letter withdrawals of a signature (Code art. 7; R4–R6), their scans,
-- their effect on the signature basis, and the secret per-user links of the deadline feed.

-- A scan of a letter: the file lives under ALVD_DATA_DIR/withdrawals/<stored_name>,
-- outside web/, under a random name; the type was checked by its bytes.
CREATE TABLE IF NOT EXISTS withdrawal_scans (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  stored_name CHAR(32) NOT NULL,
  media_type VARCHAR(32) NOT NULL,       -- application/pdf, image/jpeg, image/png
  size_bytes BIGINT NOT NULL,
  sha256 CHAR(64) NOT NULL,
  original_name VARCHAR(200) NULL,
  uploaded_at DATETIME(6) NOT NULL,
  uploaded_by BIGINT NULL,
  UNIQUE KEY withdrawal_scans_name (stored_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- One entry per letter or online notice. Entries are never edited: a correction is a
-- new entry (corrects_id) and the old one gets superseded_by, the only update.
-- The assessment (R4/R5) is the one made at intake, with the sentence that was shown.
CREATE TABLE IF NOT EXISTS withdrawals (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  organisation_id BIGINT NOT NULL,
  received_on DATE NOT NULL,
  sent_on DATE NULL,
  form ENUM('registered','letter','email') NOT NULL,
  channel ENUM('intake','online') NOT NULL DEFAULT 'intake',
  tracking_code VARCHAR(16) NULL,         -- normalised (R6)
  tracking_kind ENUM('s10','postnl_3s') NULL,
  scan_id BIGINT NULL,
  note TEXT NULL,
  outcome ENUM('timely','late_next','late_pending','no_version') NOT NULL,
  concerned_version_id BIGINT NULL,       -- first version with E > received_on
  deadline DATE NULL,                     -- its W = E − 28
  timely TINYINT(1) NOT NULL,
  effect_version_id BIGINT NULL,          -- version it takes effect for; NULL = pending
  signature_ends DATE NULL,               -- E − 1 of effect_version_id
  effect_text VARCHAR(1024) NOT NULL,     -- the Dutch sentence (R5)
  corrects_id BIGINT NULL,
  correction_reason VARCHAR(1000) NULL,
  superseded_by BIGINT NULL,
  -- proof of an online notice: the session, the contact, the instant, the text and its hash
  proof_session_id BIGINT NULL,
  proof_contact_id BIGINT NULL,
  proof_contact_email VARCHAR(254) NULL,
  proof_submitted_at DATETIME(6) NULL,
  proof_text MEDIUMTEXT NULL,
  proof_text_sha256 CHAR(64) NULL,
  created_at DATETIME(6) NOT NULL,
  created_by_kind VARCHAR(16) NOT NULL,
  created_by BIGINT NULL,
  created_by_label VARCHAR(254) NOT NULL DEFAULT '',
  KEY withdrawals_org (organisation_id, superseded_by),
  KEY withdrawals_concerned (concerned_version_id),
  KEY withdrawals_effect (effect_version_id),
  CONSTRAINT withdrawals_org_fk FOREIGN KEY (organisation_id) REFERENCES organisations (id),
  CONSTRAINT withdrawals_scan_fk FOREIGN KEY (scan_id) REFERENCES withdrawal_scans (id),
  CONSTRAINT withdrawals_concerned_fk FOREIGN KEY (concerned_version_id) REFERENCES code_versions (id),
  CONSTRAINT withdrawals_effect_fk FOREIGN KEY (effect_version_id) REFERENCES code_versions (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- What a withdrawal did to the register, as events: 'ended' (a new signature row with
-- until = E − 1 superseded previous_basis_id), 'already_ended' (the basis already
-- ended on or before E − 1: no new row), 'undone' (a correction restored the basis).
-- A pending withdrawal has no row yet; withdrawals_apply_pending adds it later.
CREATE TABLE IF NOT EXISTS withdrawal_effects (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  withdrawal_id BIGINT NOT NULL,
  kind ENUM('ended','already_ended','undone') NOT NULL,
  version_id BIGINT NULL,
  basis_id BIGINT NULL,
  previous_basis_id BIGINT NULL,
  signature_ends DATE NULL,
  applied_at DATETIME(6) NOT NULL,
  KEY withdrawal_effects_withdrawal (withdrawal_id, id),
  CONSTRAINT withdrawal_effects_withdrawal_fk FOREIGN KEY (withdrawal_id) REFERENCES withdrawals (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The secret link of a staff user's deadline calendar (/api/deadlines.ics?token=…):
-- only the BLAKE2b hash of the token is stored; a new link revokes the old one.
CREATE TABLE IF NOT EXISTS deadline_feed_tokens (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id BIGINT NOT NULL,
  token_hash BINARY(32) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  revoked_at DATETIME(6) NULL,
  UNIQUE KEY deadline_feed_tokens_hash (token_hash),
  KEY deadline_feed_tokens_user (user_id),
  CONSTRAINT deadline_feed_tokens_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
