-- 0012_origin: where each stored figure came from (issue 14, item 1).
--
-- iafq.value.origin and iafq.seizure.origin: the cell of the return the
-- figure was read from, as the loader formats it (common/origin.h):
--   workbook   sheet and A1 cell, the sheet quoted as Excel quotes it:
--              'T8!C7', '''T1 Arms''!C7'; a T11 seizure is its whole row,
--              'T11!7:7'
--   CSV        file, line and column letters: 'T8.csv:7:C'; a seizure is
--              its line, 'T11.csv:7'
--   long       the line of the file: 'line 123'
-- NULL for a TOTAL the validator computed from its components (derived),
-- and for every row loaded before this migration (their files are not read
-- again: a stored figure keeps what it was loaded with).
ALTER TABLE iafq.value ADD COLUMN origin text;
ALTER TABLE iafq.seizure ADD COLUMN origin text;
