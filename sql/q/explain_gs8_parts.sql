-- explain gs8: the countries behind one published row, each with its
-- submission and the cells its figure is made of, in the latest run.
-- n: the T9 cell of the row's persons and sex; total: the T9 TOTAL of the
-- persons, when the sex is not TOTAL and that TOTAL is > 0 (else the
-- country counts in n but not in share_pct; iafq.calc_gs8).
-- $1 area type, $2 area code, $3 year, $4 the row's persons,
-- $5 public (boolean): only the submissions published now
-- (iafq.public_submission), as iafq_public does; $6 the row's sex.
SELECT ca.iso3, c.area_code AS m49, c.area_name AS name,
       (c.withheld > 0) AS withheld,
       s.id AS submission_id, s.file_name, s.sha256, s.source,
       to_char(s.received AT TIME ZONE 'UTC',
               'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS received,
       c.n AS a, tot.n AS b, c.share_pct::text AS figure,
       coalesce(cl.cells, '[]') AS cells
FROM iafq.country_area AS ca
JOIN iafq.m49_country AS m ON m.iso3 = ca.iso3
JOIN iafq.gs8 AS c
  ON c.area_type = 'country' AND c.area_code = m.m49 AND c.year = $3::int
 AND c.persons = $4::text AND c.sex = $6::text
JOIN iafq.submission AS s ON s.id = c.submission_id
LEFT JOIN iafq.value AS tot
       ON c.sex <> 'TOTAL' AND tot.submission_id = c.submission_id
      AND tot.tbl = 'T9' AND tot.row_code = c.persons
      AND tot.col_code = 'TOTAL' AND tot.n > 0
CROSS JOIN LATERAL (
    SELECT jsonb_agg(jsonb_build_object(
               'role', x.role, 'table', x.tbl, 'row', x.row_code,
               'column', x.col_code, 'value', x.n::text, 'origin', x.origin,
               'derived', x.derived)
             ORDER BY x.role, x.tbl, x.col_code, x.row_code)::text AS cells
    FROM (
        SELECT 'n' AS role, v.tbl, v.row_code, v.col_code, v.n, v.origin,
               v.derived
        FROM iafq.value AS v
        WHERE v.submission_id = c.submission_id
          AND v.tbl = 'T9' AND v.row_code = c.persons AND v.col_code = c.sex
        UNION ALL
        SELECT 'total', tot.tbl, tot.row_code, tot.col_code, tot.n,
               tot.origin, tot.derived
        WHERE tot.n IS NOT NULL
    ) AS x
) AS cl
WHERE ca.area_type = $1::text AND ca.area_code = $2::text
  AND (NOT $5::boolean
       OR s.id IN (SELECT p.id FROM iafq.public_submission AS p))
ORDER BY ca.iso3
