-- The counts of the portal records (iafq_public.portal) that q/portal_public.sql
-- gives for the same cells ($1, $2, $3), for the JSON's metadata:
-- records, countries, years, first and last year.
SELECT count(*), count(DISTINCT p.iso3), count(DISTINCT p.year),
       min(p.year), max(p.year)
FROM iafq_public.portal AS p
JOIN unnest($1::text[], $2::text[], $3::text[]) AS o (tbl, row_code, col_code)
  ON o.tbl = p.tbl AND o.row_code = p.row_code AND o.col_code = p.col_code
