-- explain sdg_16_4_2_by_tracing: the countries behind one published row,
-- each with its submission and the cells its figure is made of, in the
-- latest run.  N: the T8 row of the tracing level, D: T8 TOTAL, of the
-- row's column; arms ALL: of every column whose T8 TOTAL is > 0 and whose
-- row of that tracing level is given (iafq.calc_sdg_16_4_2_tracing_country).
-- $1 area type, $2 area code, $3 year, $4 the row's arms,
-- $5 public (boolean): only the submissions published now
-- (iafq.public_submission), as iafq_public does; $6 the row's tracing.
SELECT ca.iso3, c.area_code AS m49, c.area_name AS name,
       (c.withheld > 0) AS withheld,
       s.id AS submission_id, s.file_name, s.sha256, s.source,
       to_char(s.received AT TIME ZONE 'UTC',
               'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS received,
       c.n AS a, c.t8_total AS b, c.share_pct::text AS figure,
       coalesce(cl.cells, '[]') AS cells
FROM iafq.country_area AS ca
JOIN iafq.m49_country AS m ON m.iso3 = ca.iso3
JOIN iafq.sdg_16_4_2_by_tracing AS c
  ON c.area_type = 'country' AND c.area_code = m.m49 AND c.year = $3::int
 AND c.arms = $4::text AND c.tracing = $6::text
JOIN iafq.submission AS s ON s.id = c.submission_id
CROSS JOIN LATERAL (
    SELECT jsonb_agg(jsonb_build_object(
               'role', x.role, 'table', x.tbl, 'row', x.row_code,
               'column', x.col_code, 'value', x.n::text, 'origin', x.origin,
               'derived', x.derived)
             ORDER BY x.role, x.tbl, x.col_code, x.row_code)::text AS cells
    FROM (
        SELECT CASE WHEN v.row_code = 'TOTAL' THEN 'D' ELSE 'N' END AS role,
               v.tbl, v.row_code, v.col_code, v.n, v.origin, v.derived
        FROM iafq.value AS v
        WHERE v.submission_id = c.submission_id
          AND v.tbl = 'T8' AND v.row_code IN (c.tracing, 'TOTAL')
          AND (c.arms = 'ALL' OR v.col_code = c.arms)
          -- the column counts: T8 TOTAL > 0 and the tracing row given
          AND EXISTS (SELECT 1 FROM iafq.value AS t
                      WHERE t.submission_id = v.submission_id AND t.tbl = 'T8'
                        AND t.row_code = 'TOTAL' AND t.col_code = v.col_code
                        AND t.n > 0)
          AND EXISTS (SELECT 1 FROM iafq.value AS t
                      WHERE t.submission_id = v.submission_id AND t.tbl = 'T8'
                        AND t.row_code = c.tracing AND t.col_code = v.col_code)
    ) AS x
) AS cl
WHERE ca.area_type = $1::text AND ca.area_code = $2::text
  AND (NOT $5::boolean
       OR s.id IN (SELECT p.id FROM iafq.public_submission AS p))
ORDER BY ca.iso3
