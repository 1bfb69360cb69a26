-- Polls on agenda proposals (open or secret) with the presence snapshot taken at
-- opening, the voted register, ballots, paper votes, adoption dates and signed decisions.

-- A poll on one revision of a proposal. P, the rule and the thresholds are fixed when
-- it opens; the counts and the outcome when it closes. A re-vote (BW 2:13 lid 4) is a
-- new poll with revote_of pointing at the poll it repeats.
CREATE TABLE IF NOT EXISTS polls (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  meeting_id BIGINT NOT NULL,
  proposal_id BIGINT NOT NULL,
  revision_id BIGINT NOT NULL,              -- the text voted on
  secret TINYINT(1) NOT NULL DEFAULT 0,
  state ENUM('draft','open','closed') NOT NULL DEFAULT 'draft',
  revote_of BIGINT NULL,
  superseded_by BIGINT NULL,                -- the re-vote that replaced this result
  majority_rule VARCHAR(32) NULL,           -- the meeting's rule at opening
  eligible INT NULL,                        -- P (present + represented) at opening
  present INT NULL,
  represented INT NULL,
  threshold INT NULL,
  literal_threshold INT NULL,
  paper_for INT NOT NULL DEFAULT 0,         -- paper votes (named ones are in open_votes too)
  paper_against INT NOT NULL DEFAULT 0,
  paper_abstain INT NOT NULL DEFAULT 0,
  votes_for INT NULL,
  votes_against INT NULL,
  votes_abstain INT NULL,
  not_voted INT NULL,
  adopted TINYINT(1) NULL,
  explanation VARCHAR(300) NULL,
  fingerprint CHAR(64) NULL,                -- SHA-256 hex over sorted trackers and totals
  opened_at DATETIME(6) NULL,
  closed_at DATETIME(6) NULL,
  created_at DATETIME(6) NOT NULL,
  created_by BIGINT NULL,
  KEY polls_meeting (meeting_id, id),
  KEY polls_proposal (proposal_id, id),
  CONSTRAINT polls_meeting_fk FOREIGN KEY (meeting_id) REFERENCES meetings (id),
  CONSTRAINT polls_proposal_fk FOREIGN KEY (proposal_id) REFERENCES proposals (id),
  CONSTRAINT polls_revision_fk FOREIGN KEY (revision_id) REFERENCES proposal_revisions (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The snapshot stored at opening: who may vote. voter_id is the member whose phone
-- casts the vote: the member itself, or the holder of its proxy.
CREATE TABLE IF NOT EXISTS poll_eligible (
  poll_id BIGINT NOT NULL,
  organisation_id BIGINT NOT NULL,
  voter_id BIGINT NOT NULL,
  PRIMARY KEY (poll_id, organisation_id),
  KEY poll_eligible_voter (poll_id, voter_id),
  CONSTRAINT poll_eligible_poll_fk FOREIGN KEY (poll_id) REFERENCES polls (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The "has voted" register (V2): one row per member and poll, written in the same
-- transaction as the ballot. No time column. ballot_hash is a keyed BLAKE2b of the
-- phone's ballot_id, so a retry is recognised; it is cleared when a secret poll
-- closes (V4). It is neither the tracker nor the choice.
CREATE TABLE IF NOT EXISTS poll_voters (
  poll_id BIGINT NOT NULL,
  organisation_id BIGINT NOT NULL,
  channel ENUM('phone','paper') NOT NULL,
  ballot_hash BINARY(32) NULL,
  PRIMARY KEY (poll_id, organisation_id),
  UNIQUE KEY poll_voters_ballot (ballot_hash),
  CONSTRAINT poll_voters_poll_fk FOREIGN KEY (poll_id) REFERENCES polls (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Ballots (V1, V5): a random 128-bit id (the clustered key, so the physical order is
-- random too), the poll, the choice and a 128-bit tracker. No member, session or
-- time column, no AUTO_INCREMENT, not system-versioned (tests/api/polls-schema).
CREATE TABLE IF NOT EXISTS ballots (
  id BINARY(16) NOT NULL PRIMARY KEY,
  poll_id BIGINT NOT NULL,
  choice ENUM('for','against','abstain') NOT NULL,
  tracker BINARY(16) NOT NULL,
  UNIQUE KEY ballots_tracker (tracker),
  KEY ballots_poll (poll_id, choice),
  CONSTRAINT ballots_poll_fk FOREIGN KEY (poll_id) REFERENCES polls (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Open (named) polls record who voted what, on the phone or on paper.
CREATE TABLE IF NOT EXISTS open_votes (
  poll_id BIGINT NOT NULL,
  organisation_id BIGINT NOT NULL,
  choice ENUM('for','against','abstain') NOT NULL,
  channel ENUM('phone','paper') NOT NULL,
  cast_by BIGINT NOT NULL,                  -- the member whose phone voted, or the teller (user id) for paper
  PRIMARY KEY (poll_id, organisation_id),
  CONSTRAINT open_votes_poll_fk FOREIGN KEY (poll_id) REFERENCES polls (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Proposals a poll made lapse (a conflicting proposal lost). A re-vote that reverses
-- the adoption restores them; otherwise only a new revision brings one back.
CREATE TABLE IF NOT EXISTS poll_lapses (
  poll_id BIGINT NOT NULL,
  proposal_id BIGINT NOT NULL,
  previous_state VARCHAR(16) NOT NULL,
  PRIMARY KEY (poll_id, proposal_id),
  CONSTRAINT poll_lapses_poll_fk FOREIGN KEY (poll_id) REFERENCES polls (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The effective date of an adopted proposal (R3) and its withdrawal deadline (R4),
-- with the scheduled Code version that carries its changes.
CREATE TABLE IF NOT EXISTS adoptions (
  proposal_id BIGINT NOT NULL PRIMARY KEY,
  poll_id BIGINT NOT NULL,
  meeting_id BIGINT NOT NULL,
  decided_on DATE NOT NULL,                 -- D
  effective_from DATE NOT NULL,             -- E
  withdrawal_deadline DATE NOT NULL,        -- W = E - 28
  version_id BIGINT NOT NULL,
  set_at DATETIME(6) NOT NULL,
  set_by BIGINT NULL,
  KEY adoptions_version (version_id),
  CONSTRAINT adoptions_proposal_fk FOREIGN KEY (proposal_id) REFERENCES proposals (id),
  CONSTRAINT adoptions_poll_fk FOREIGN KEY (poll_id) REFERENCES polls (id),
  CONSTRAINT adoptions_version_fk FOREIGN KEY (version_id) REFERENCES code_versions (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Signed decision records (the decision list of the minutes): canonical JSON and an
-- Ed25519 signature by the key in ALVD_DATA_DIR/keys/decisions.key; checked by
-- `alvd audit verify`.
CREATE TABLE IF NOT EXISTS decisions (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  meeting_id BIGINT NOT NULL,
  poll_id BIGINT NOT NULL,
  kind ENUM('poll','effective_date') NOT NULL,
  canonical MEDIUMTEXT NOT NULL,
  signature BINARY(64) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  KEY decisions_meeting (meeting_id, id),
  CONSTRAINT decisions_poll_fk FOREIGN KEY (poll_id) REFERENCES polls (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
