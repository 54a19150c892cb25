-- iafq diff (cli/cmd_diff.c): the causes of the changes between the
-- finished runs $1 (old) and $2 (new): one row per country-year whose
-- current submission or withheld flag differs, then (iso3 NULL) the
-- migration applied between the runs, if any.  Read-only.
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
          WHERE g.id = $1::bigint) AS a
    FULL JOIN (SELECT s.id, s.country::text AS country, s.year, s.file_name
               FROM iafq.agg_run AS g JOIN iafq.submission AS s ON s.id = ANY (g.submissions)
               WHERE g.id = $2::bigint) AS b
           ON b.country = a.country AND b.year = a.year
    CROSS JOIN (SELECT g.withheld FROM iafq.agg_run AS g WHERE g.id = $1::bigint) AS ra
    CROSS JOIN (SELECT g.withheld FROM iafq.agg_run AS g WHERE g.id = $2::bigint) AS rb
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
    WHERE ra.id = $1::bigint AND rb.id = $2::bigint
      AND ra.schema_version IS NOT NULL AND rb.schema_version IS NOT NULL
      AND ra.schema_version <> rb.schema_version
)
SELECT c.iso3, c.year, c.cause, c.old_id, c.old_file, c.new_id, c.new_file,
       c.old_withheld, c.new_withheld, c.detail
FROM cause AS c
UNION ALL
SELECT NULL, NULL, m.cause, NULL, NULL, NULL, NULL, NULL, NULL, m.detail
FROM migration AS m
ORDER BY 1 NULLS LAST, 2
