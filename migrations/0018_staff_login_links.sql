-- Staff login links (issue 16): an e-mailed link logs a staff user in too, so an
-- account locked after password guesses from unknown browsers stays reachable by its
-- owner. A link belongs to a contact person or to a staff user.
ALTER TABLE login_links MODIFY contact_id BIGINT NULL;
ALTER TABLE login_links ADD COLUMN IF NOT EXISTS user_id BIGINT NULL AFTER contact_id;
ALTER TABLE login_links ADD CONSTRAINT login_links_user_fk FOREIGN KEY IF NOT EXISTS (user_id) REFERENCES users (id);
