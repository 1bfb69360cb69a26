-- The meldpunt with a key per officer and a second officer's approval before a reporter's
-- identity is released (issue 15 point 2; docs/internals/meldpunt-crypto.md).

-- One row per officer who chose a passphrase. Their own X25519 keypair lives in
-- ALVD_DATA_DIR/keys/meldpunt-officer-<user_id>.key (public key ‖ secret key locked under
-- their passphrase); here is only the public half and the meldpunt's secret key sealed
-- to it (crypto_box_seal), written by an officer who had the meldpunt unlocked (NULL
-- until then: "waiting"). Removing the row removes the officer's access.
CREATE TABLE IF NOT EXISTS meldpunt_officers (
  user_id BIGINT NOT NULL PRIMARY KEY,
  public_key BINARY(32) NOT NULL,
  wrapped_secret VARBINARY(128) NULL,
  granted_by BIGINT NULL,
  granted_at DATETIME(6) NULL,
  created_at DATETIME(6) NOT NULL,
  CONSTRAINT meldpunt_officers_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- An officer asks to see who reported (name, e-mail, phone) with a reason; another
-- officer approves or refuses. reason is sealed under the report key (associated data
-- "meldpunt_identity_requests.reason:<id>"). sole_officer: approved at once because no
-- other officer existed. Deleted with the personal data at the end of retention.
CREATE TABLE IF NOT EXISTS meldpunt_identity_requests (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  report_id BIGINT NOT NULL,
  requested_by BIGINT NOT NULL,
  reason VARBINARY(8192) NULL,
  requested_on DATE NOT NULL,
  state ENUM('pending','approved','refused') NOT NULL DEFAULT 'pending',
  decided_by BIGINT NULL,
  decided_on DATE NULL,
  sole_officer TINYINT(1) NOT NULL DEFAULT 0,
  KEY meldpunt_identity_requests_report (report_id, requested_by),
  KEY meldpunt_identity_requests_state (state),
  CONSTRAINT meldpunt_identity_requests_report_fk FOREIGN KEY (report_id) REFERENCES meldpunt_reports (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
