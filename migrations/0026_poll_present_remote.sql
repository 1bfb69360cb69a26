-- The hybrid ALV (issue 18): a poll keeps how many of the members present at its opening
-- took part remotely, so its record and the minutes show hall and remote separately.
ALTER TABLE polls ADD COLUMN present_remote INT NULL AFTER present;
