-- The half-year report as published (issue 13): the table is frozen at publication with
-- its complementary suppression applied, so later judgements never change what the
-- public saw (and cannot be followed case by case). Before publication nothing is public.
ALTER TABLE meldpunt_half_years ADD COLUMN IF NOT EXISTS published_table MEDIUMTEXT NULL AFTER published_by;
