-- The deadline calendar as last published (issue 13): one row per event with its stable
-- UID, so an event whose date moves keeps its UID and gets a higher SEQUENCE and a new
-- LAST-MODIFIED, and an event that no longer applies (its version was removed) stays in
-- the feed as CANCELLED instead of silently disappearing from subscribers' calendars.
CREATE TABLE IF NOT EXISTS calendar_items (
  uid VARCHAR(120) NOT NULL PRIMARY KEY,     -- without the "@host" the feed appends
  kind ENUM('withdrawal_deadline','effective') NOT NULL,
  version_id BIGINT NULL,                    -- the Code version it is about (it may be gone)
  day DATE NOT NULL,
  summary VARCHAR(300) NOT NULL,
  description TEXT NOT NULL,
  sequence INT NOT NULL DEFAULT 0,
  created_at DATETIME(6) NOT NULL,
  last_modified DATETIME(6) NOT NULL,
  cancelled_at DATETIME(6) NULL,
  KEY calendar_items_day (day)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
