-- 05_plan: what this run recomputes (docs/decisions.md, "Incremental
-- aggregation").  The previous run is the latest finished one; its open
-- result rows are its results.  This run uses the current submissions, the
-- country-years withheld (iafq.calc_withheld) and the schema (the latest
-- migration).
--  * all three as the previous run's, and no --full: nothing to do.  No run
--    is recorded; iafq.agg_run stays '' and iafq.agg_since names the
--    previous run ("nothing changed since run N").
--  * no previous run, another schema, or --full: every year.
--  * otherwise the years of the submissions that came or went and of the
--    country-years whose withholding changed: every row of those years,
--    country and regional, is recomputed (a GS9 row names partners, so a
--    year is the unit).
-- Transaction-local settings carry the plan to the next files:
-- iafq.agg_run (this run's id), iafq.agg_years (the years in scope, '' =
-- all; read by iafq.agg_in_scope), iafq.agg_since.

WITH prev AS (
    SELECT g.id, g.submissions, g.withheld, g.schema_version
    FROM iafq.agg_run AS g
    WHERE g.id = (SELECT l.id FROM iafq.latest_run AS l)
), cur AS (
    SELECT (SELECT coalesce(array_agg(cs.id ORDER BY cs.id), '{}')
            FROM iafq.current_submissions AS cs) AS submissions,
           (SELECT coalesce(array_agg(w.country || ':' || w.year ORDER BY w.country, w.year), '{}')
            FROM iafq.calc_withheld AS w WHERE w.withheld) AS withheld,
           (SELECT max(m.version) FROM iafq.schema_migrations AS m) AS schema_version,
           coalesce(current_setting('iafq.agg_full', true), '') = 'on' AS full
), plan AS (
    SELECT cur.*, p.id AS prev_id,
           (p.id IS NOT NULL AND NOT cur.full
            AND p.submissions = cur.submissions
            AND p.withheld IS NOT DISTINCT FROM cur.withheld
            AND p.schema_version IS NOT DISTINCT FROM cur.schema_version) AS same,
           (p.id IS NULL OR cur.full OR p.withheld IS NULL
            OR p.schema_version IS DISTINCT FROM cur.schema_version) AS every_year,
           (SELECT coalesce(array_agg(DISTINCT y.year ORDER BY y.year), '{}')
            FROM (SELECT s.year
                  FROM iafq.submission AS s
                  WHERE s.id IN ((SELECT unnest(cur.submissions) EXCEPT SELECT unnest(p.submissions))
                                 UNION ALL
                                 (SELECT unnest(p.submissions) EXCEPT SELECT unnest(cur.submissions)))
                  UNION ALL
                  SELECT split_part(x.w, ':', 2)::int
                  FROM ((SELECT unnest(cur.withheld) EXCEPT SELECT unnest(p.withheld))
                        UNION ALL
                        (SELECT unnest(p.withheld) EXCEPT SELECT unnest(cur.withheld))) AS x (w)
                 ) AS y) AS years
    FROM cur
    LEFT JOIN prev AS p ON true
), run AS (
    INSERT INTO iafq.agg_run (started, submissions, withheld, schema_version,
                              full_recompute, years, rows_stored, rows_closed)
    SELECT clock_timestamp(), p.submissions, p.withheld, p.schema_version,
           p.every_year, CASE WHEN p.every_year THEN NULL ELSE p.years END, 0, 0
    FROM plan AS p
    WHERE NOT p.same
    RETURNING id, years
)
SELECT set_config('iafq.agg_run', coalesce((SELECT r.id::text FROM run AS r), ''), true) AS run,
       set_config('iafq.agg_years', coalesce((SELECT r.years::text FROM run AS r), ''), true) AS years,
       set_config('iafq.agg_since', coalesce((SELECT p.prev_id::text FROM plan AS p), ''), true) AS since;

-- rows of runs that never finished (none, but after a run committed by
-- hand without its last step): discarded before this run stores its own
SELECT iafq.agg_discard_unfinished(r.id)
FROM (SELECT nullif(current_setting('iafq.agg_run', true), '')::bigint AS id) AS r
WHERE r.id IS NOT NULL;
