-- The counts of the portal records (view portal of the export's schema)
-- that q/portal.sql gives for the same cells ($1, $2, $3), for the JSON's
-- metadata: records, countries, years, first and last year.
SELECT count(*) AS records, count(DISTINCT p.iso3) AS countries,
       count(DISTINCT p.year) AS years, min(p.year) AS first_year,
       max(p.year) AS last_year
FROM portal AS p
JOIN unnest($1::text[], $2::text[], $3::text[]) AS o (tbl, row_code, col_code)
  ON o.tbl = p.tbl AND o.row_code = p.row_code AND o.col_code = p.col_code
