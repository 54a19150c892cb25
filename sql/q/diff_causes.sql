-- iafq diff (cli/cmd_diff.c): the causes of the changes between the
-- finished runs $1 (old) and $2 (new) (iafq.run_causes, migration 0016):
-- the country-years first, then the migration (iso3 NULL).  Read-only.
SELECT r.iso3, r.year, r.cause, r.old_id, r.old_file, r.new_id, r.new_file,
       r.old_withheld, r.new_withheld, r.detail
FROM iafq.run_causes($1::bigint, $2::bigint) AS r
ORDER BY 1 NULLS LAST, 2
