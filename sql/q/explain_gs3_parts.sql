-- explain gs3: the countries behind one published row, each with its
-- submission and the cells its figure is made of, in the latest run.
-- n: T3 row of the justification, SEIZED; reported: every component row of
-- T3 SEIZED given (n's own cell included); mean: the country's
-- share_pct_mean (its national share, 100 * n / reported).
-- $1 area type, $2 area code, $3 year, $4 the row's key (justification),
-- $5 public (boolean): only the submissions published now
-- (iafq.public_submission), as iafq_public does.
SELECT ca.iso3, c.area_code AS m49, c.area_name AS name,
       (c.withheld > 0) AS withheld,
       s.id AS submission_id, s.file_name, s.sha256, s.source,
       to_char(s.received AT TIME ZONE 'UTC',
               'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS received,
       c.n AS a, c.reported AS b, c.share_pct::text AS figure, c.share_pct_mean::text AS mean,
       coalesce(cl.cells, '[]') AS cells
FROM iafq.country_area AS ca
JOIN iafq.m49_country AS m ON m.iso3 = ca.iso3
JOIN iafq.gs3 AS c
  ON c.area_type = 'country' AND c.area_code = m.m49 AND c.year = $3::int AND c.justification = $4::text
JOIN iafq.submission AS s ON s.id = c.submission_id
CROSS JOIN LATERAL (
    SELECT jsonb_agg(jsonb_build_object(
               'role', x.role, 'table', x.tbl, 'row', x.row_code,
               'column', x.col_code, 'value', x.n::text, 'origin', x.origin,
               'derived', x.derived)
             ORDER BY x.role, x.tbl, x.col_code, x.row_code)::text AS cells
    FROM (
        SELECT CASE WHEN v.row_code = c.justification THEN 'n' ELSE 'reported' END AS role, v.tbl, v.row_code, v.col_code, v.n,
               v.origin, v.derived
        FROM iafq.value AS v
        WHERE v.submission_id = c.submission_id
          AND v.tbl = 'T3' AND v.col_code = 'SEIZED'
      AND v.row_code IN (SELECT r.row_code FROM iafq.table_row AS r
                         WHERE r.tbl = 'T3' AND NOT r.is_total)
    ) AS x
) AS cl
WHERE ca.area_type = $1::text AND ca.area_code = $2::text
  AND (NOT $5::boolean
       OR s.id IN (SELECT p.id FROM iafq.public_submission AS p))
ORDER BY ca.iso3
