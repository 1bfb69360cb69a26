-- The hybrid ALV (BW 2:38a, issue 18): electronic participation as a meeting setting,
-- the channel (hall or remote) of every ledger event, one-time codes, heartbeats of
-- remote pages, the speaker list and written contributions.

ALTER TABLE meetings
  ADD COLUMN electronic_participation TINYINT(1) NOT NULL DEFAULT 0 AFTER max_proxies,
  ADD COLUMN remote_deliberation TINYINT(1) NOT NULL DEFAULT 1 AFTER electronic_participation,
  ADD COLUMN stream_url VARCHAR(500) NULL AFTER remote_deliberation,
  ADD COLUMN remote_disconnect_seconds INT NOT NULL DEFAULT 180 AFTER stream_url,
  ADD COLUMN remote_conditions VARCHAR(2000) NULL AFTER remote_disconnect_seconds;

-- Every ledger event names its channel; a member is present through one channel at a
-- time (joining one writes the exit of the other first, source 'switch'). Sources of
-- the remote channel: 'remote' (the member joined or left), 'disconnect' (the page was
-- silent longer than the meeting's setting), 'reconnect' (it came back after that).
ALTER TABLE attendance_events
  ADD COLUMN channel ENUM('hall','remote') NOT NULL DEFAULT 'hall' AFTER direction,
  MODIFY source ENUM('scan','close','manual','remote','disconnect','reconnect','switch') NOT NULL;

-- One-time codes for remote participation, mailed to the organisation's registered
-- address: only a keyed hash is kept; valid 10 minutes, used once.
CREATE TABLE IF NOT EXISTS remote_codes (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  meeting_id BIGINT NOT NULL,
  organisation_id BIGINT NOT NULL,
  code_hash BINARY(32) NOT NULL,
  sent_to VARCHAR(254) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  expires_at DATETIME(6) NOT NULL,
  used_at DATETIME(6) NULL,
  session_id BIGINT NULL,                   -- the session that used it
  KEY remote_codes_member (meeting_id, organisation_id, used_at),
  CONSTRAINT remote_codes_member_fk FOREIGN KEY (meeting_id, organisation_id)
    REFERENCES meeting_members (meeting_id, organisation_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The last sign of life of a remote member's page (heartbeat), on the clock every alvd
-- process shares (the database's). A member silent longer than the meeting's
-- remote_disconnect_seconds is checked out by whichever process looks first.
CREATE TABLE IF NOT EXISTS remote_presence (
  meeting_id BIGINT NOT NULL,
  organisation_id BIGINT NOT NULL,
  session_id BIGINT NULL,
  joined_at DATETIME(6) NOT NULL,
  last_seen DATETIME(6) NOT NULL,
  disconnected_at DATETIME(6) NULL,         -- checked out for silence; a heartbeat of the same session checks in again
  PRIMARY KEY (meeting_id, organisation_id),
  KEY remote_presence_seen (meeting_id, last_seen),
  CONSTRAINT remote_presence_member_fk FOREIGN KEY (meeting_id, organisation_id)
    REFERENCES meeting_members (meeting_id, organisation_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The speaker list (hall and remote alike): requests in queue order; one waiting or
-- speaking request per member at a time (checked under the member row lock).
CREATE TABLE IF NOT EXISTS speakers (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  meeting_id BIGINT NOT NULL,
  organisation_id BIGINT NOT NULL,
  channel ENUM('hall','remote') NOT NULL,
  agenda_position INT NULL,                 -- the agenda item shown when the floor was asked
  state ENUM('waiting','speaking','done','withdrawn') NOT NULL DEFAULT 'waiting',
  requested_at DATETIME(6) NOT NULL,
  started_at DATETIME(6) NULL,
  finished_at DATETIME(6) NULL,
  withdrawn_by ENUM('member','chair') NULL,
  KEY speakers_meeting (meeting_id, state, id),
  KEY speakers_member (meeting_id, organisation_id, state),
  CONSTRAINT speakers_member_fk FOREIGN KEY (meeting_id, organisation_id)
    REFERENCES meeting_members (meeting_id, organisation_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Written contributions to the chair, moderated: read out or not.
CREATE TABLE IF NOT EXISTS contributions (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  meeting_id BIGINT NOT NULL,
  organisation_id BIGINT NOT NULL,
  channel ENUM('hall','remote') NOT NULL,
  agenda_position INT NULL,
  text TEXT NOT NULL,
  state ENUM('new','read_out','not_read_out') NOT NULL DEFAULT 'new',
  created_at DATETIME(6) NOT NULL,
  moderated_at DATETIME(6) NULL,
  moderated_by BIGINT NULL,
  KEY contributions_meeting (meeting_id, id),
  CONSTRAINT contributions_member_fk FOREIGN KEY (meeting_id, organisation_id)
    REFERENCES meeting_members (meeting_id, organisation_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
