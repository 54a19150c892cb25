-- explain (every view but gs9, sql/q/explain_gs9.sql): the published rows
-- of one area and year in the latest run, from iafq.VIEW or (public)
-- iafq_public.VIEW (iafq.explain_rows, migration 0018).
-- $1 area code (as area_code), $2 year, $3 public (boolean), $4 the view,
-- then its columns as aggregate/explain.c's table of views names them: $5
-- its key columns (a text array, at most three), $6 the figure, $7 gs3's
-- share_pct_mean (NULL: none), $8, $9 the parts a and b (NULL: none), $10
-- whether the first key sorts descending.
-- Columns: area_type, area_code, area_name, year, key, key2, key3 (the
-- row's keys; NULL: none), figure (text, exact), mean, a, b (the parts the
-- figure is made of: see aggregate/explain.h), countries, run.
SELECT e.area_type, e.area_code, e.area_name, e.year, e.key, e.key2, e.key3,
       e.figure, e.mean, e.a, e.b, e.countries, e.run
FROM iafq.explain_rows($4::text, $3::boolean, $1::text, $2::int,
                       $5::text[], $6::text, $7::text, $8::text, $9::text,
                       $10::boolean) AS e
