-- The stored figures of every submission of one country-year, with their
-- origin (migration 0012: NULL for a computed TOTAL and for rows loaded
-- before it), for `history --format json COUNTRY YEAR`.
-- $1 country (ISO alpha-3), $2 year.
SELECT v.submission_id, v.tbl, v.row_code, v.col_code, v.n, v.derived,
       v.origin
FROM iafq.value AS v
JOIN iafq.submission AS s ON s.id = v.submission_id
WHERE s.country = upper($1::text) AND s.year = $2::int
ORDER BY v.submission_id, length(v.tbl), v.tbl, v.row_code, v.col_code
