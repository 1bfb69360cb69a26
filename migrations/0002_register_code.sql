-- The register of bound organisations (Code art. 4) and the versioned Code (art. 7, 8).
-- Nothing is edited in place without a trace: bases are superseded, never updated.

CREATE TABLE IF NOT EXISTS organisations (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  name VARCHAR(200) NOT NULL,
  kvk CHAR(8) NOT NULL,
  email VARCHAR(254) NULL,
  address VARCHAR(500) NULL,
  member_number VARCHAR(32) NULL,
  public_consent TINYINT(1) NOT NULL DEFAULT 0,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  UNIQUE KEY organisations_kvk (kvk),
  UNIQUE KEY organisations_member_number (member_number),
  KEY organisations_name (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Contact persons: receive consultation and meldpunt mail, log in by e-mailed link.
CREATE TABLE IF NOT EXISTS contacts (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  organisation_id BIGINT NOT NULL,
  name VARCHAR(200) NOT NULL,
  email VARCHAR(254) NOT NULL,
  function VARCHAR(200) NULL,
  created_at DATETIME(6) NOT NULL,
  removed_at DATETIME(6) NULL,
  UNIQUE KEY contacts_org_email (organisation_id, email),
  KEY contacts_email (email),
  CONSTRAINT contacts_org_fk FOREIGN KEY (organisation_id) REFERENCES organisations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Bases of binding. `until` is the last day the basis holds (inclusive). A change is
-- a new row; the old row gets superseded_by and stops counting.
CREATE TABLE IF NOT EXISTS bases (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  organisation_id BIGINT NOT NULL,
  basis ENUM('membership','signature','contract') NOT NULL,
  since DATE NOT NULL,
  until DATE NULL,
  contract_ref VARCHAR(200) NULL,
  counterparty VARCHAR(200) NULL,
  follows_amendments TINYINT(1) NOT NULL DEFAULT 0,
  pinned_version_id BIGINT NULL,
  ended_by VARCHAR(64) NULL,            -- e.g. 'withdrawal:<id>' when a withdrawal ended it
  superseded_by BIGINT NULL,
  created_at DATETIME(6) NOT NULL,
  created_by BIGINT NULL,
  KEY bases_org (organisation_id, basis),
  CONSTRAINT bases_org_fk FOREIGN KEY (organisation_id) REFERENCES organisations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Code versions: "in force on D" = latest effective_from <= D (computed, no cron).
CREATE TABLE IF NOT EXISTS code_versions (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  label VARCHAR(64) NOT NULL,
  effective_from DATE NOT NULL,
  source ENUM('import','adoption') NOT NULL DEFAULT 'import',
  base_version_id BIGINT NULL,          -- the version an adoption amended
  meeting_id BIGINT NULL,               -- the ALV that adopted it
  decided_on DATE NULL,                 -- D of that ALV decision
  created_at DATETIME(6) NOT NULL,
  created_by BIGINT NULL,
  UNIQUE KEY code_versions_label (label),
  KEY code_versions_effective (effective_from)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Articles keep stable ids across versions ("1", "4", "6a" …); position orders them.
CREATE TABLE IF NOT EXISTS code_articles (
  version_id BIGINT NOT NULL,
  article_id VARCHAR(16) NOT NULL,
  position INT NOT NULL,
  title VARCHAR(300) NOT NULL,
  text MEDIUMTEXT NOT NULL,
  PRIMARY KEY (version_id, article_id),
  KEY code_articles_order (version_id, position),
  CONSTRAINT code_articles_version_fk FOREIGN KEY (version_id) REFERENCES code_versions (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The outbox: every mail alvd sends, delivered by SMTP or written as .eml.
CREATE TABLE IF NOT EXISTS outbox (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  recipient VARCHAR(254) NOT NULL,
  subject VARCHAR(300) NOT NULL,
  body_text MEDIUMTEXT NOT NULL,
  body_html MEDIUMTEXT NULL,
  kind VARCHAR(64) NOT NULL,            -- e.g. 'login_link', 'consultation_invite'
  state ENUM('pending','sent','failed') NOT NULL DEFAULT 'pending',
  attempts INT NOT NULL DEFAULT 0,
  last_error VARCHAR(500) NULL,
  eml_path VARCHAR(500) NULL,
  created_at DATETIME(6) NOT NULL,
  sent_at DATETIME(6) NULL,
  next_attempt_at DATETIME(6) NULL,
  KEY outbox_state (state, next_attempt_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- E-mailed login links for contact persons: single use, short-lived, hashed.
CREATE TABLE IF NOT EXISTS login_links (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  token_hash BINARY(32) NOT NULL,
  contact_id BIGINT NOT NULL,
  purpose VARCHAR(64) NOT NULL DEFAULT 'login',
  created_at DATETIME(6) NOT NULL,
  expires_at DATETIME(6) NOT NULL,
  used_at DATETIME(6) NULL,
  UNIQUE KEY login_links_token (token_hash),
  CONSTRAINT login_links_contact_fk FOREIGN KEY (contact_id) REFERENCES contacts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
