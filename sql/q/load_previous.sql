-- The figures of the last accepted return of a country-year, for
-- W-REVISION (IAFQ-SPEC section 3).
SELECT v.tbl, v.row_code, v.col_code, v.n, c.id AS submission_id
FROM iafq.current_submissions AS c
JOIN iafq.value AS v ON v.submission_id = c.id
WHERE c.country = $1::text AND c.year = $2::int
