-- A second factor for staff (issue 15): TOTP secrets, the last step used (a code is
-- accepted once), ten single-use recovery codes (hashed), and sessions confined to
-- enrolment until a user whose role requires the factor has set it up.

-- totp_secret and totp_pending_secret are sealed (XChaCha20-Poly1305) with the key in
-- ALVD_DATA_DIR/keys/totp.key, associated data "users.totp_secret:<id>", so a dump alone
-- cannot produce codes. totp_last_step: the 30-second step of the last accepted code.
ALTER TABLE users
  ADD COLUMN IF NOT EXISTS totp_secret VARBINARY(128) NULL,
  ADD COLUMN IF NOT EXISTS totp_pending_secret VARBINARY(128) NULL,
  ADD COLUMN IF NOT EXISTS totp_enabled_at DATETIME(6) NULL,
  ADD COLUMN IF NOT EXISTS totp_last_step BIGINT NULL;

-- code_hash = BLAKE2b-256 keyed with keys/totp.key over user id and the code.
CREATE TABLE IF NOT EXISTS user_recovery_codes (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  user_id BIGINT NOT NULL,
  code_hash BINARY(32) NOT NULL,
  used_at DATETIME(6) NULL,
  created_at DATETIME(6) NOT NULL,
  UNIQUE KEY user_recovery_codes_code (user_id, code_hash),
  CONSTRAINT user_recovery_codes_user_fk FOREIGN KEY (user_id) REFERENCES users (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- 'password': logged in with the password alone (no factor required or enrolled);
-- 'totp' / 'recovery': with the second factor; 'enrolment': the password was right but
-- the role requires a factor that is not set up yet, so the session reaches only the
-- enrolment routes until POST /api/session/totp/confirm upgrades it to 'totp'.
ALTER TABLE sessions
  ADD COLUMN IF NOT EXISTS second_factor ENUM('password','totp','recovery','enrolment') NOT NULL DEFAULT 'password';
