-- iafq diff (cli/cmd_diff.c): every figure that differs between the
-- finished runs $1 (old) and $2 (new), in every stable view, set-based.
-- $3 is the views' table (db/stable.h, stable_spec_json): a JSON array of
-- {"view", "keys", "measures"} in output order.  The figures are those of
-- iafq_public.view_changes (migration 0017: the views of schema iafq read
-- as of each run, matched on (view, area_type, area_code, year, keys), one
-- row per differing measure; an added or removed row: every measure, old
-- or new NULL), the one comparison that every export's changes.csv makes
-- too.  Each row names its causes: the country-year changes
-- (iafq.run_causes, as q/diff_causes.sql) of the countries behind its
-- area (iafq.country_area) in its year, and the migration applied between
-- the runs.  Read-only; analyst role.
WITH figure AS (
    SELECT c.view, c.ord, c.change, c.area_type, c.area_code, c.area_name,
           c.year, c.key, c.measure, c.measure_ord, c.old, c.new
    FROM iafq_public.view_changes('iafq', $1::bigint, $2::bigint, $3::jsonb) AS c
),
-- why the runs differ (iafq.run_causes, migration 0016): the country-year
-- changes, and (iso3 NULL) the migration applied between the runs
run_cause AS (
    SELECT * FROM iafq.run_causes($1::bigint, $2::bigint)
), cause AS (
    SELECT * FROM run_cause WHERE iso3 IS NOT NULL
), migration AS (
    SELECT cause, detail FROM run_cause WHERE iso3 IS NULL
)
, area_cause AS (
    -- the country-year changes behind each area-year that changed
    SELECT f.area_type, f.area_code, f.year,
           string_agg(DISTINCT c.cause, '+') AS cause,
           string_agg(c.detail, '; ' ORDER BY c.iso3) AS detail
    FROM (SELECT DISTINCT area_type, area_code, year FROM figure) AS f
    JOIN iafq.country_area AS ca ON ca.area_type = f.area_type AND ca.area_code = f.area_code
    JOIN cause AS c ON c.iso3 = ca.iso3::text AND c.year = f.year
    GROUP BY f.area_type, f.area_code, f.year
)
SELECT f.view, f.change, f.area_type, f.area_code, f.area_name, f.year,
       f.key, f.measure, f.old, f.new,
       coalesce(nullif(concat_ws('+', ac.cause, m.cause), ''), 'unexplained') AS cause,
       coalesce(nullif(concat_ws('; ', ac.detail, m.detail), ''),
                'no submission, consent or schema change between the runs') AS detail
FROM figure AS f
LEFT JOIN area_cause AS ac
       ON ac.area_type = f.area_type AND ac.area_code = f.area_code AND ac.year = f.year
LEFT JOIN migration AS m ON true
ORDER BY f.ord, iafq_public.area_rank(f.area_type), f.area_code, f.year, f.key,
         f.measure_ord
