-- D, the date of an ALV decision, is the Europe/Amsterdam civil date on which the
-- adopting poll closed (issue 13), not the meeting's stored date: a poll that closes
-- after midnight decides on the next day. It is fixed at close and signed with the
-- decision record; adoptions and adoption versions take it from the poll.

ALTER TABLE polls ADD COLUMN IF NOT EXISTS decided_on DATE NULL AFTER closed_at;

-- Polls closed before this column existed: the Amsterdam date of closed_at (UTC),
-- with CEST (+2) from the last Sunday of March 01:00 UTC to the last Sunday of
-- October 01:00 UTC and CET (+1) otherwise, as server/rules/dates.c computes it.
UPDATE polls p
  JOIN (SELECT id,
               STR_TO_DATE(CONCAT(YEAR(closed_at), '-03-31'), '%Y-%m-%d') AS march_end,
               STR_TO_DATE(CONCAT(YEAR(closed_at), '-10-31'), '%Y-%m-%d') AS october_end
          FROM polls WHERE closed_at IS NOT NULL AND decided_on IS NULL) b ON b.id = p.id
   SET p.decided_on = DATE(p.closed_at + INTERVAL
         IF(p.closed_at >= TIMESTAMP(b.march_end - INTERVAL (DAYOFWEEK(b.march_end) - 1) DAY, '01:00:00')
            AND p.closed_at < TIMESTAMP(b.october_end - INTERVAL (DAYOFWEEK(b.october_end) - 1) DAY, '01:00:00'),
            2, 1) HOUR);

UPDATE adoptions a JOIN polls p ON p.id = a.poll_id
   SET a.decided_on = p.decided_on WHERE p.decided_on IS NOT NULL;

UPDATE code_versions v
   SET v.decided_on = (SELECT MAX(a.decided_on) FROM adoptions a WHERE a.version_id = v.id)
 WHERE v.source = 'adoption' AND EXISTS (SELECT 1 FROM adoptions a WHERE a.version_id = v.id);
