-- The ALV in the hall: meetings and their agenda, signed tickets, the presence ledger
-- (events, never a flag), scans and failed scans, proxies and the live event log (SSE).

CREATE TABLE IF NOT EXISTS meetings (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  title VARCHAR(200) NOT NULL,
  date DATE NOT NULL,                       -- civil date in Europe/Amsterdam
  starts_at CHAR(5) NOT NULL,               -- local wall clock "HH:MM"
  location VARCHAR(300) NOT NULL,
  notice_days INT NOT NULL DEFAULT 14,
  majority_rule VARCHAR(32) NOT NULL DEFAULT 'more_than_half',
  proxies_allowed TINYINT(1) NOT NULL DEFAULT 0,
  max_proxies INT NOT NULL DEFAULT 1,
  state ENUM('planned','open','closed') NOT NULL DEFAULT 'planned',
  current_item INT NULL,                    -- agenda position shown on the projector
  convened_at DATETIME(6) NULL,             -- when the convocation went out
  opened_at DATETIME(6) NULL,
  closed_at DATETIME(6) NULL,
  created_at DATETIME(6) NOT NULL,
  created_by BIGINT NULL,
  KEY meetings_date (date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The agenda. proposal_id has no foreign key on purpose: proposals belong to another
-- feature's migration; the handler checks them when that table is present.
CREATE TABLE IF NOT EXISTS meeting_agenda (
  meeting_id BIGINT NOT NULL,
  position INT NOT NULL,
  proposal_id BIGINT NULL,
  title VARCHAR(300) NOT NULL,
  PRIMARY KEY (meeting_id, position),
  UNIQUE KEY meeting_agenda_proposal (meeting_id, proposal_id),
  CONSTRAINT meeting_agenda_meeting_fk FOREIGN KEY (meeting_id) REFERENCES meetings (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The voting members of a meeting (one vote each), fixed when tickets are issued. The
-- row is also the per-member lock every presence change takes (SELECT … FOR UPDATE),
-- so two scanners at two doors decide "already inside" one after the other.
CREATE TABLE IF NOT EXISTS meeting_members (
  meeting_id BIGINT NOT NULL,
  organisation_id BIGINT NOT NULL,
  added_at DATETIME(6) NOT NULL,
  PRIMARY KEY (meeting_id, organisation_id),
  CONSTRAINT meeting_members_meeting_fk FOREIGN KEY (meeting_id) REFERENCES meetings (id),
  CONSTRAINT meeting_members_org_fk FOREIGN KEY (organisation_id) REFERENCES organisations (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Tickets: the code itself is not stored, only its hash and the nonce it was signed
-- over (Ed25519 is deterministic, so the secretariat's list re-signs it with the key
-- file; the database alone cannot produce a code). Reissue = revoke + new row.
CREATE TABLE IF NOT EXISTS tickets (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  meeting_id BIGINT NOT NULL,
  organisation_id BIGINT NOT NULL,
  nonce BINARY(16) NOT NULL,
  code_hash BINARY(32) NOT NULL,
  issued_at DATETIME(6) NOT NULL,
  issued_by BIGINT NULL,
  revoked_at DATETIME(6) NULL,
  revoked_reason VARCHAR(200) NULL,
  UNIQUE KEY tickets_code (code_hash),
  KEY tickets_member (meeting_id, organisation_id, revoked_at),
  CONSTRAINT tickets_member_fk FOREIGN KEY (meeting_id, organisation_id)
    REFERENCES meeting_members (meeting_id, organisation_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The presence ledger. Inside = the member's last event is an entry.
CREATE TABLE IF NOT EXISTS attendance_events (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  meeting_id BIGINT NOT NULL,
  organisation_id BIGINT NOT NULL,
  direction ENUM('entry','exit') NOT NULL,
  at DATETIME(6) NOT NULL,
  source ENUM('scan','close','manual') NOT NULL,
  ticket_id BIGINT NULL,
  scanner_user_id BIGINT NULL,
  client_nonce VARCHAR(64) NULL,
  UNIQUE KEY attendance_nonce (meeting_id, client_nonce),
  KEY attendance_member (meeting_id, organisation_id, id),
  KEY attendance_time (meeting_id, at),
  CONSTRAINT attendance_member_fk FOREIGN KEY (meeting_id, organisation_id)
    REFERENCES meeting_members (meeting_id, organisation_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every accepted scan with its answer, keyed by the scanner's nonce: a retry of the
-- same scan gets the same answer and adds nothing.
CREATE TABLE IF NOT EXISTS scans (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  meeting_id BIGINT NOT NULL,
  client_nonce VARCHAR(64) NOT NULL,
  organisation_id BIGINT NOT NULL,
  ticket_id BIGINT NULL,                    -- NULL for a manual entry at the desk
  direction ENUM('entry','exit') NOT NULL,
  result ENUM('entered','left','already_inside','not_inside') NOT NULL,
  present_after INT NOT NULL,
  event_id BIGINT NULL,
  scanner_user_id BIGINT NULL,
  at DATETIME(6) NOT NULL,
  UNIQUE KEY scans_nonce (meeting_id, client_nonce)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Refused scans with their reason (A1, A5). The code is kept (it holds no personal
-- data) up to 300 characters, for the secretariat to see what was offered.
CREATE TABLE IF NOT EXISTS scan_failures (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  meeting_id BIGINT NOT NULL,
  reason ENUM('forged','revoked','wrong_meeting','meeting_closed','not_voting') NOT NULL,
  code VARCHAR(300) NOT NULL,
  ticket_id BIGINT NULL,
  organisation_id BIGINT NULL,
  direction VARCHAR(8) NULL,
  client_nonce VARCHAR(64) NULL,
  scanner_user_id BIGINT NULL,
  at DATETIME(6) NOT NULL,
  KEY scan_failures_meeting (meeting_id, at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Written proxies (volmachten), registered at the desk. A proxy counts only while its
-- holder is inside and its principal is not; the cap per holder is a meeting setting.
CREATE TABLE IF NOT EXISTS proxies (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  meeting_id BIGINT NOT NULL,
  principal_id BIGINT NOT NULL,
  holder_id BIGINT NOT NULL,
  document_note VARCHAR(300) NULL,
  created_at DATETIME(6) NOT NULL,
  created_by BIGINT NULL,
  revoked_at DATETIME(6) NULL,
  KEY proxies_meeting (meeting_id, revoked_at),
  CONSTRAINT proxies_principal_fk FOREIGN KEY (meeting_id, principal_id)
    REFERENCES meeting_members (meeting_id, organisation_id),
  CONSTRAINT proxies_holder_fk FOREIGN KEY (meeting_id, holder_id)
    REFERENCES meeting_members (meeting_id, organisation_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Live events of a meeting for SSE (attendance now, polls later). Read from here by
-- every alvd process, so two processes on one database stream the same.
CREATE TABLE IF NOT EXISTS events (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  meeting_id BIGINT NOT NULL,
  kind VARCHAR(32) NOT NULL,
  payload TEXT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  KEY events_meeting (meeting_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
