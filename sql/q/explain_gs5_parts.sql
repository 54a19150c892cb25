-- explain gs5: the countries behind one published row, each with its
-- submission and the cells its figure is made of, in the latest run.
-- The table is the dimension's (condition T5, marking T6, place T7);
-- n: its row of the category in the row's column (arms); reported: every
-- component row of that table and column given (n's own cell included).
-- $1 area type, $2 area code, $3 year, $4 the row's dimension,
-- $5 public (boolean): only the submissions published now
-- (iafq.public_submission), as iafq_public does; $6 arms, $7 category.
SELECT ca.iso3, c.area_code AS m49, c.area_name AS name,
       (c.withheld > 0) AS withheld,
       s.id AS submission_id, s.file_name, s.sha256, s.source,
       to_char(s.received AT TIME ZONE 'UTC',
               'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS received,
       c.n AS a, c.reported AS b, c.share_pct::text AS figure,
       coalesce(cl.cells, '[]') AS cells
FROM iafq.country_area AS ca
JOIN iafq.m49_country AS m ON m.iso3 = ca.iso3
JOIN iafq.gs5 AS c
  ON c.area_type = 'country' AND c.area_code = m.m49 AND c.year = $3::int
 AND c.dimension = $4::text AND c.arms = $6::text AND c.category = $7::text
JOIN iafq.submission AS s ON s.id = c.submission_id
CROSS JOIN LATERAL (
    SELECT jsonb_agg(jsonb_build_object(
               'role', x.role, 'table', x.tbl, 'row', x.row_code,
               'column', x.col_code, 'value', x.n::text, 'origin', x.origin,
               'derived', x.derived)
             ORDER BY x.role, x.tbl, x.col_code, x.row_code)::text AS cells
    FROM (
        SELECT CASE WHEN v.row_code = c.category THEN 'n' ELSE 'reported' END
                   AS role,
               v.tbl, v.row_code, v.col_code, v.n, v.origin, v.derived
        FROM iafq.value AS v
        WHERE v.submission_id = c.submission_id
          AND v.tbl = CASE c.dimension WHEN 'condition' THEN 'T5'
                                       WHEN 'marking' THEN 'T6'
                                       WHEN 'place' THEN 'T7' END
          AND v.col_code = c.arms
          AND v.row_code IN (SELECT r.row_code FROM iafq.table_row AS r
                             WHERE r.tbl = v.tbl AND NOT r.is_total)
    ) AS x
) AS cl
WHERE ca.area_type = $1::text AND ca.area_code = $2::text
  AND (NOT $5::boolean
       OR s.id IN (SELECT p.id FROM iafq.public_submission AS p))
ORDER BY ca.iso3
