-- Interleaved agenda items (issue 12): every item keeps an id across reorders, has a
-- kind (a plain item, a proposal, or another decision with its own majority rule), and
-- a poll may decide such a decision instead of a proposal.

ALTER TABLE meeting_agenda
  ADD COLUMN id BIGINT NOT NULL AUTO_INCREMENT FIRST,
  ADD UNIQUE KEY meeting_agenda_id (id),
  ADD COLUMN kind ENUM('item','proposal','decision') NOT NULL DEFAULT 'item' AFTER position,
  ADD COLUMN majority_rule VARCHAR(32) NULL AFTER title;   -- a decision's own rule (NULL: the meeting's)

UPDATE meeting_agenda SET kind = 'proposal' WHERE proposal_id IS NOT NULL;

-- A poll on a decision item: no proposal, no revision; the item's title and rule are
-- copied when the poll is made (the record stays what was voted on), its rule when it opens.
ALTER TABLE polls
  MODIFY proposal_id BIGINT NULL,
  MODIFY revision_id BIGINT NULL,
  ADD COLUMN agenda_item_id BIGINT NULL AFTER revision_id,
  ADD COLUMN decision_title VARCHAR(300) NULL AFTER agenda_item_id,
  ADD KEY polls_agenda_item (agenda_item_id, id);
