-- The yearly amendment cycle (Code art. 7): cycles, proposals with revisions of their
-- article changes, consultation rounds with invitees, comments and board replies.

-- One cycle per year; state moves review → drafting → consultation → alv → closed.
CREATE TABLE IF NOT EXISTS cycles (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  year INT NOT NULL,
  state ENUM('review','drafting','consultation','alv','closed') NOT NULL DEFAULT 'review',
  review_from DATE NULL,                -- start of the review (timeline)
  alv_date DATE NULL,                   -- the ALV that decides on the proposals
  effective_date DATE NULL,             -- planned effective date (R3); W = E - 28 (R4)
  created_at DATETIME(6) NOT NULL,
  created_by BIGINT NULL,
  updated_at DATETIME(6) NOT NULL,
  UNIQUE KEY cycles_year (year)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A proposal amends articles of the version in force when it was drafted. Its content
-- lives in revisions; current_revision_id points at the newest.
CREATE TABLE IF NOT EXISTS proposals (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  cycle_id BIGINT NOT NULL,
  base_version_id BIGINT NOT NULL,
  state ENUM('draft','ready','adopted','rejected','lapsed','withdrawn') NOT NULL DEFAULT 'draft',
  current_revision_id BIGINT NULL,
  source_report VARCHAR(8) NULL,        -- meldpunt half-year report, e.g. '2026H1'
  created_at DATETIME(6) NOT NULL,
  created_by BIGINT NULL,
  updated_at DATETIME(6) NOT NULL,
  KEY proposals_cycle (cycle_id, state),
  CONSTRAINT proposals_cycle_fk FOREIGN KEY (cycle_id) REFERENCES cycles (id),
  CONSTRAINT proposals_version_fk FOREIGN KEY (base_version_id) REFERENCES code_versions (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every edit of a proposal is a new revision (number 1, 2, …); rows are never updated.
CREATE TABLE IF NOT EXISTS proposal_revisions (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  proposal_id BIGINT NOT NULL,
  number INT NOT NULL,
  title VARCHAR(300) NOT NULL,
  rationale MEDIUMTEXT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  created_by BIGINT NULL,
  UNIQUE KEY proposal_revisions_number (proposal_id, number),
  CONSTRAINT proposal_revisions_proposal_fk FOREIGN KEY (proposal_id) REFERENCES proposals (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The article changes of one revision: replace/delete an existing article, or insert
-- a new one (title + text).
CREATE TABLE IF NOT EXISTS proposal_changes (
  revision_id BIGINT NOT NULL,
  position INT NOT NULL,
  article_id VARCHAR(16) NOT NULL,
  action ENUM('replace','insert','delete') NOT NULL,
  title VARCHAR(300) NULL,
  text MEDIUMTEXT NULL,
  PRIMARY KEY (revision_id, position),
  UNIQUE KEY proposal_changes_article (revision_id, article_id),
  KEY proposal_changes_by_article (article_id),
  CONSTRAINT proposal_changes_revision_fk FOREIGN KEY (revision_id) REFERENCES proposal_revisions (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A consultation round: a window [opens_at, closes_at) in UTC; the invitees are fixed
-- when it is opened (every organisation bound on the opening day).
CREATE TABLE IF NOT EXISTS consultations (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  cycle_id BIGINT NOT NULL,
  round INT NOT NULL,
  opens_at DATETIME(6) NOT NULL,
  closes_at DATETIME(6) NOT NULL,
  opening_day DATE NOT NULL,
  closed_early_at DATETIME(6) NULL,
  reminder_sent_at DATETIME(6) NULL,
  created_at DATETIME(6) NOT NULL,
  created_by BIGINT NULL,
  UNIQUE KEY consultations_round (cycle_id, round),
  KEY consultations_closes (closes_at),
  CONSTRAINT consultations_cycle_fk FOREIGN KEY (cycle_id) REFERENCES cycles (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Which revision of each proposal a round consulted on (the next round diffs against it).
CREATE TABLE IF NOT EXISTS consultation_proposals (
  consultation_id BIGINT NOT NULL,
  proposal_id BIGINT NOT NULL,
  revision_id BIGINT NOT NULL,
  PRIMARY KEY (consultation_id, proposal_id),
  CONSTRAINT consultation_proposals_round_fk FOREIGN KEY (consultation_id) REFERENCES consultations (id),
  CONSTRAINT consultation_proposals_proposal_fk FOREIGN KEY (proposal_id) REFERENCES proposals (id),
  CONSTRAINT consultation_proposals_revision_fk FOREIGN KEY (revision_id) REFERENCES proposal_revisions (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE IF NOT EXISTS consultation_invitees (
  consultation_id BIGINT NOT NULL,
  organisation_id BIGINT NOT NULL,
  contacts_mailed INT NOT NULL DEFAULT 0,
  PRIMARY KEY (consultation_id, organisation_id),
  KEY consultation_invitees_org (organisation_id),
  CONSTRAINT consultation_invitees_round_fk FOREIGN KEY (consultation_id) REFERENCES consultations (id),
  CONSTRAINT consultation_invitees_org_fk FOREIGN KEY (organisation_id) REFERENCES organisations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A comment belongs to the organisation (any of its contacts may edit it in the window).
CREATE TABLE IF NOT EXISTS consultation_comments (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  consultation_id BIGINT NOT NULL,
  proposal_id BIGINT NOT NULL,
  article_id VARCHAR(16) NULL,
  organisation_id BIGINT NOT NULL,
  contact_id BIGINT NOT NULL,
  text MEDIUMTEXT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  KEY consultation_comments_round (consultation_id, proposal_id),
  KEY consultation_comments_proposal (proposal_id),
  CONSTRAINT consultation_comments_round_fk FOREIGN KEY (consultation_id) REFERENCES consultations (id),
  CONSTRAINT consultation_comments_proposal_fk FOREIGN KEY (proposal_id) REFERENCES proposals (id),
  CONSTRAINT consultation_comments_org_fk FOREIGN KEY (organisation_id) REFERENCES organisations (id),
  CONSTRAINT consultation_comments_contact_fk FOREIGN KEY (contact_id) REFERENCES contacts (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The board's reply to a comment (one per comment) and the change it led to, if any.
CREATE TABLE IF NOT EXISTS comment_replies (
  comment_id BIGINT NOT NULL PRIMARY KEY,
  text MEDIUMTEXT NOT NULL,
  led_to_change MEDIUMTEXT NULL,
  replied_by BIGINT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  CONSTRAINT comment_replies_comment_fk FOREIGN KEY (comment_id) REFERENCES consultation_comments (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
