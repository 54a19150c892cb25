-- iafq diff (cli/cmd_diff.c): every figure that differs between the
-- finished runs $1 (old) and $2 (new), in every stable view, set-based.
-- $3 is the views' table (aggregate/diff.c, diff_spec_json): a JSON array
-- of {"view", "keys", "measures"} in output order.  A view's rows are read
-- from its res_* table as the view defines them (0013: a row belongs to run
-- R when run_id <= R AND (valid_to IS NULL OR valid_to > R)); a stored row
-- valid in both runs is the same row and is skipped at once, so the work
-- follows what changed.  Rows match on (view, area_type, area_code, year,
-- keys); one output row per measure whose value differs (an added or
-- removed row: every measure, old or new NULL).  Each row names its causes:
-- the country-year changes (iafq.run_causes, as q/diff_causes.sql) of the
-- countries behind its area (iafq.country_area) in its year, and the
-- migration applied between the runs.  Read-only; analyst role.
WITH side (run, other) AS (
    SELECT $1::bigint, $2::bigint
    UNION ALL
    SELECT $2::bigint, $1::bigint
    WHERE $1::bigint <> $2::bigint
), spec AS (
    SELECT x.ord, x.v ->> 'view' AS view,
           ARRAY(SELECT jsonb_array_elements_text(x.v -> 'keys')) AS keys,
           ARRAY(SELECT jsonb_array_elements_text(x.v -> 'measures')) AS measures
    FROM jsonb_array_elements($3::jsonb) WITH ORDINALITY AS x (v, ord)
), vrow AS (
    SELECT 'sdg_16_4_2'::text AS view, s.run, to_jsonb(x) - 'run' AS j
    FROM side AS s, LATERAL (SELECT s.run, r.area_type, r.area_code, r.area_name, r.year, r.numerator, r.denominator, r.value, r.countries, r.withheld, r.submission_id
          FROM iafq.res_sdg_16_4_2 AS r
          WHERE r.run_id <= s.run AND (r.valid_to IS NULL OR r.valid_to > s.run)
            AND NOT (r.run_id <= s.other AND (r.valid_to IS NULL OR r.valid_to > s.other))) AS x
    UNION ALL
    SELECT 'sdg_16_4_2_by_column'::text AS view, s.run, to_jsonb(x) - 'run' AS j
    FROM side AS s, LATERAL (SELECT s.run, r.area_type, r.area_code, r.area_name, r.year, r.arms, r.numerator, r.denominator, r.value, r.countries, r.withheld, r.submission_id
          FROM iafq.res_sdg_16_4_2_by_column AS r
          WHERE r.run_id <= s.run AND (r.valid_to IS NULL OR r.valid_to > s.run)
            AND NOT (r.run_id <= s.other AND (r.valid_to IS NULL OR r.valid_to > s.other))) AS x
    UNION ALL
    SELECT 'sdg_16_4_2_by_tracing'::text AS view, s.run, to_jsonb(x) - 'run' AS j
    FROM side AS s, LATERAL (SELECT s.run, r.area_type, r.area_code, r.area_name, r.year, r.arms, r.tracing, r.n, r.t8_total, r.share_pct, r.countries, r.withheld, r.submission_id
          FROM iafq.res_sdg_16_4_2_by_tracing AS r
          WHERE r.run_id <= s.run AND (r.valid_to IS NULL OR r.valid_to > s.run)
            AND NOT (r.run_id <= s.other AND (r.valid_to IS NULL OR r.valid_to > s.other))) AS x
    UNION ALL
    SELECT 'gs1'::text AS view, s.run, to_jsonb(x) - 'run' AS j
    FROM side AS s, LATERAL (SELECT s.run, r.area_type, r.area_code, r.area_name, r.year, r.arms, r.n, r.countries, r.withheld, r.submission_id
          FROM iafq.res_gs1 AS r
          WHERE r.run_id <= s.run AND (r.valid_to IS NULL OR r.valid_to > s.run)
            AND NOT (r.run_id <= s.other AND (r.valid_to IS NULL OR r.valid_to > s.other))) AS x
    UNION ALL
    SELECT 'gs2'::text AS view, s.run, to_jsonb(x) - 'run' AS j
    FROM side AS s, LATERAL (SELECT s.run, r.area_type, r.area_code, r.area_name, r.year, r.row_code AS arm_type, r.n, r.reported, r.share_pct, r.countries, r.withheld, r.submission_id
          FROM iafq.res_share AS r
          WHERE r.run_id <= s.run AND (r.valid_to IS NULL OR r.valid_to > s.run)
            AND NOT (r.run_id <= s.other AND (r.valid_to IS NULL OR r.valid_to > s.other))
      AND r.tbl = 'T1' AND r.col_code = 'SEIZED') AS x
    UNION ALL
    SELECT 'gs3'::text AS view, s.run, to_jsonb(x) - 'run' AS j
    FROM side AS s, LATERAL (SELECT s.run, r.area_type, r.area_code, r.area_name, r.year, r.row_code AS justification, r.n, r.reported, r.share_pct, r.share_pct_mean, r.countries, r.withheld, r.submission_id
          FROM iafq.res_share AS r
          WHERE r.run_id <= s.run AND (r.valid_to IS NULL OR r.valid_to > s.run)
            AND NOT (r.run_id <= s.other AND (r.valid_to IS NULL OR r.valid_to > s.other))
      AND r.tbl = 'T3' AND r.col_code = 'SEIZED') AS x
    UNION ALL
    SELECT 'gs4'::text AS view, s.run, to_jsonb(x) - 'run' AS j
    FROM side AS s, LATERAL (SELECT s.run, r.area_type, r.area_code, r.area_name, r.year, r.row_code AS offence, r.n, r.countries, r.withheld, r.submission_id
          FROM iafq.res_count AS r
          WHERE r.run_id <= s.run AND (r.valid_to IS NULL OR r.valid_to > s.run)
            AND NOT (r.run_id <= s.other AND (r.valid_to IS NULL OR r.valid_to > s.other))
      AND r.tbl = 'T4' AND r.col_code = 'SEIZED') AS x
    UNION ALL
    SELECT 'gs5'::text AS view, s.run, to_jsonb(x) - 'run' AS j
    FROM side AS s, LATERAL (SELECT s.run, r.area_type, r.area_code, r.area_name, r.year, CASE r.tbl WHEN 'T5' THEN 'condition' WHEN 'T6' THEN 'marking' WHEN 'T7' THEN 'place' END AS dimension, r.col_code AS arms, r.row_code AS category, r.n, r.reported, r.share_pct, r.countries, r.withheld, r.submission_id
          FROM iafq.res_share AS r
          WHERE r.run_id <= s.run AND (r.valid_to IS NULL OR r.valid_to > s.run)
            AND NOT (r.run_id <= s.other AND (r.valid_to IS NULL OR r.valid_to > s.other))
      AND r.tbl IN ('T5', 'T6', 'T7')) AS x
    UNION ALL
    SELECT 'gs6'::text AS view, s.run, to_jsonb(x) - 'run' AS j
    FROM side AS s, LATERAL (SELECT s.run, r.area_type, r.area_code, r.area_name, r.year, 'total'::text AS breakdown, NULL::text AS arms, NULL::text AS tracing, r.numerator, r.denominator, r.value, r.countries, r.withheld, r.submission_id
          FROM iafq.res_sdg_16_4_2 AS r
          WHERE r.run_id <= s.run AND (r.valid_to IS NULL OR r.valid_to > s.run)
            AND NOT (r.run_id <= s.other AND (r.valid_to IS NULL OR r.valid_to > s.other))) AS x
    UNION ALL
    SELECT 'gs6'::text AS view, s.run, to_jsonb(x) - 'run' AS j
    FROM side AS s, LATERAL (SELECT s.run, r.area_type, r.area_code, r.area_name, r.year, 'column'::text AS breakdown, r.arms, NULL::text AS tracing, r.numerator, r.denominator, r.value, r.countries, r.withheld, r.submission_id
          FROM iafq.res_sdg_16_4_2_by_column AS r
          WHERE r.run_id <= s.run AND (r.valid_to IS NULL OR r.valid_to > s.run)
            AND NOT (r.run_id <= s.other AND (r.valid_to IS NULL OR r.valid_to > s.other))) AS x
    UNION ALL
    SELECT 'gs6'::text AS view, s.run, to_jsonb(x) - 'run' AS j
    FROM side AS s, LATERAL (SELECT s.run, r.area_type, r.area_code, r.area_name, r.year, 'tracing'::text AS breakdown, r.arms, r.tracing, r.n AS numerator, r.t8_total AS denominator, r.share_pct AS value, r.countries, r.withheld, r.submission_id
          FROM iafq.res_sdg_16_4_2_by_tracing AS r
          WHERE r.run_id <= s.run AND (r.valid_to IS NULL OR r.valid_to > s.run)
            AND NOT (r.run_id <= s.other AND (r.valid_to IS NULL OR r.valid_to > s.other))) AS x
    UNION ALL
    SELECT 'gs7'::text AS view, s.run, to_jsonb(x) - 'run' AS j
    FROM side AS s, LATERAL (SELECT s.run, r.area_type, r.area_code, r.area_name, r.year, r.row_code AS item, r.n, r.countries, r.withheld, r.submission_id
          FROM iafq.res_count AS r
          WHERE r.run_id <= s.run AND (r.valid_to IS NULL OR r.valid_to > s.run)
            AND NOT (r.run_id <= s.other AND (r.valid_to IS NULL OR r.valid_to > s.other))
      AND r.tbl = 'T2') AS x
    UNION ALL
    SELECT 'gs8'::text AS view, s.run, to_jsonb(x) - 'run' AS j
    FROM side AS s, LATERAL (SELECT s.run, r.area_type, r.area_code, r.area_name, r.year, r.persons, r.sex, r.n, r.share_pct, r.countries, r.withheld, r.submission_id
          FROM iafq.res_gs8 AS r
          WHERE r.run_id <= s.run AND (r.valid_to IS NULL OR r.valid_to > s.run)
            AND NOT (r.run_id <= s.other AND (r.valid_to IS NULL OR r.valid_to > s.other))) AS x
    UNION ALL
    SELECT 'gs9'::text AS view, s.run, to_jsonb(x) - 'run' AS j
    FROM side AS s, LATERAL (SELECT s.run, r.area_type, r.area_code, r.area_name, r.year, r.flow, r.manufacture_code, r.manufacture_name, r.departure_code, r.departure_name, r.destination_code, r.destination_name, r.quantity, r.seizures, r.countries, r.withheld, r.partner_withheld, r.submission_id
          FROM iafq.res_gs9 AS r
          WHERE r.run_id <= s.run AND (r.valid_to IS NULL OR r.valid_to > s.run)
            AND NOT (r.run_id <= s.other AND (r.valid_to IS NULL OR r.valid_to > s.other))) AS x
), keyed AS (
    SELECT v.view, v.run, v.j ->> 'area_type' AS area_type,
           v.j ->> 'area_code' AS area_code, (v.j ->> 'year')::int AS year,
           array_to_string(ARRAY(SELECT k || '=' || coalesce(v.j ->> k, '')
                                 FROM unnest(sp.keys) WITH ORDINALITY AS u (k, i)
                                 ORDER BY u.i), ';') AS key,
           v.j
    FROM vrow AS v
    JOIN spec AS sp ON sp.view = v.view
), pair AS (
    SELECT coalesce(a.view, b.view) AS view,
           coalesce(a.area_type, b.area_type) AS area_type,
           coalesce(a.area_code, b.area_code) AS area_code,
           coalesce(b.j ->> 'area_name', a.j ->> 'area_name') AS area_name,
           coalesce(a.year, b.year) AS year,
           coalesce(a.key, b.key) AS key,
           CASE WHEN a.j IS NULL THEN 'added' WHEN b.j IS NULL THEN 'removed'
                ELSE 'changed' END AS change,
           a.j AS old, b.j AS new
    FROM (SELECT * FROM keyed WHERE run = $1::bigint) AS a
    FULL JOIN (SELECT * FROM keyed WHERE run = $2::bigint) AS b
           ON b.view = a.view AND b.area_type = a.area_type
              AND b.area_code = a.area_code AND b.year = a.year AND b.key = a.key
), figure AS (
    SELECT p.view, sp.ord, p.change, p.area_type, p.area_code, p.area_name,
           p.year, p.key, m.measure, m.i AS measure_ord,
           p.old ->> m.measure AS old, p.new ->> m.measure AS new
    FROM pair AS p
    JOIN spec AS sp ON sp.view = p.view
    CROSS JOIN LATERAL unnest(sp.measures) WITH ORDINALITY AS m (measure, i)
    WHERE (p.old -> m.measure) IS DISTINCT FROM (p.new -> m.measure)
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
