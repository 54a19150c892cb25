-- 0016_run_causes: why the results of two finished runs differ, written
-- once for `iafq diff` (q/diff_causes.sql lists them, q/diff_rows.sql puts
-- them beside each changed figure).  One row per country-year whose
-- current submission or withheld flag differs between run_a (old) and
-- run_b (new) -- a new return, a revision (which submission superseded
-- which), a return withdrawn, a consent change --, then (iso3 NULL) the
-- migration applied between the runs, if any.  Read from agg_run (each
-- run's submissions, withheld country-years and schema version) and
-- submission; runs as the caller (the analyst may read both).
CREATE FUNCTION iafq.run_causes(run_a bigint, run_b bigint)
RETURNS TABLE (iso3 text, year int, cause text, old_id bigint,
               old_file text, new_id bigint, new_file text,
               old_withheld boolean, new_withheld boolean, detail text)
LANGUAGE sql STABLE
AS $fn$
WITH
-- (country, year) changes between run $1 and run $2, from agg_run: the
-- current submission of each country-year in each run (agg_run.submissions),
-- its withheld flag (agg_run.withheld, 'ISO3:year'), and the schema.
cy AS (
    SELECT coalesce(a.country, b.country) AS iso3, coalesce(a.year, b.year) AS year,
           a.id AS old_id, a.file_name AS old_file, b.id AS new_id, b.file_name AS new_file,
           (coalesce(a.country, b.country) || ':' || coalesce(a.year, b.year)) = ANY (ra.withheld) AS old_withheld,
           (coalesce(a.country, b.country) || ':' || coalesce(a.year, b.year)) = ANY (rb.withheld) AS new_withheld
    FROM (SELECT s.id, s.country::text AS country, s.year, s.file_name
          FROM iafq.agg_run AS g JOIN iafq.submission AS s ON s.id = ANY (g.submissions)
          WHERE g.id = run_a) AS a
    FULL JOIN (SELECT s.id, s.country::text AS country, s.year, s.file_name
               FROM iafq.agg_run AS g JOIN iafq.submission AS s ON s.id = ANY (g.submissions)
               WHERE g.id = run_b) AS b
           ON b.country = a.country AND b.year = a.year
    CROSS JOIN (SELECT g.withheld FROM iafq.agg_run AS g WHERE g.id = run_a) AS ra
    CROSS JOIN (SELECT g.withheld FROM iafq.agg_run AS g WHERE g.id = run_b) AS rb
), cause AS (
    SELECT c.iso3, c.year,
           CASE WHEN c.old_id IS NULL THEN 'new return'
                WHEN c.new_id IS NULL THEN 'return withdrawn'
                WHEN c.old_id <> c.new_id THEN 'revision'
                ELSE 'consent change' END AS cause,
           c.old_id, c.old_file, c.new_id, c.new_file,
           c.old_withheld, c.new_withheld,
           c.iso3 || ' ' ||
           CASE WHEN c.old_id IS NULL
                THEN 'new return (submission ' || c.new_id || ', ' || c.new_file || ')'
                WHEN c.new_id IS NULL
                THEN 'return withdrawn (submission ' || c.old_id || ', ' || c.old_file || ')'
                WHEN c.old_id <> c.new_id
                THEN 'revision (submission ' || c.new_id || ' superseded ' || c.old_id || ')'
                ELSE 'consent change' END ||
           CASE WHEN c.old_id IS NOT NULL AND c.new_id IS NOT NULL
                     AND c.old_withheld IS NOT NULL AND c.new_withheld IS NOT NULL
                     AND c.old_withheld <> c.new_withheld
                THEN CASE WHEN c.new_withheld THEN ' (' || c.year || ' now withheld)'
                          ELSE ' (' || c.year || ' now published)' END
                ELSE '' END AS detail
    FROM cy AS c
    WHERE c.old_id IS DISTINCT FROM c.new_id
       OR (c.old_withheld IS NOT NULL AND c.new_withheld IS NOT NULL
           AND c.old_withheld <> c.new_withheld)
), migration AS (
    -- the code lists or the indicator SQL changed: a migration applied
    -- between the runs (NULL schema_version: a run before 0013, unknown)
    SELECT 'migration'::text AS cause,
           'migration (schema ' || ra.schema_version || ' -> ' || rb.schema_version || ')' AS detail
    FROM iafq.agg_run AS ra, iafq.agg_run AS rb
    WHERE ra.id = run_a AND rb.id = run_b
      AND ra.schema_version IS NOT NULL AND rb.schema_version IS NOT NULL
      AND ra.schema_version <> rb.schema_version
)
SELECT c.iso3, c.year, c.cause, c.old_id, c.old_file, c.new_id, c.new_file,
       c.old_withheld, c.new_withheld, c.detail
FROM cause AS c
UNION ALL
SELECT NULL::text, NULL::int, m.cause, NULL::bigint, NULL::text, NULL::bigint,
       NULL::text, NULL::boolean, NULL::boolean, m.detail
FROM migration AS m
$fn$;
