-- A contract that does not follow amendments is pinned to the Code version in force on
-- its signing date (art. 4c, R8). The pin is now stored when the contract basis is
-- recorded, so a version recorded later can never move it (issue 13). Existing
-- contracts get the pin they have today: the version in force on their signing date,
-- or, signed before any version, the first version ever.
UPDATE bases b
   SET b.pinned_version_id = COALESCE(
         (SELECT v.id FROM code_versions v WHERE v.effective_from <= b.since
           ORDER BY v.effective_from DESC, v.id DESC LIMIT 1),
         (SELECT v.id FROM code_versions v ORDER BY v.effective_from, v.id LIMIT 1))
 WHERE b.basis = 'contract' AND b.follows_amendments = 0 AND b.pinned_version_id IS NULL;
