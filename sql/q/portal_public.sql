-- The portal records (iafq_public.portal) in writing order, through a cursor that
-- export/portal.c reads in batches (q/portal_fetch.sql; closed by
-- q/portal_close.sql), inside the export's snapshot transaction.
-- $1, $2, $3: the published cells (tbl, row_code, col_code) in writing
-- order, from common/schema.c (schema_pub_all): each group's Total right
-- after its group.  Rows: by Iso3_code, then cell, then year.
DECLARE iafq_portal_rows NO SCROLL CURSOR FOR
SELECT p.iso3, p.area_name, p.region, p.subregion, p.year,
       p.tbl, p.row_code, p.col_code, p.n, p.source
FROM iafq_public.portal AS p
JOIN unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY
     AS o (tbl, row_code, col_code, ord)
  ON o.tbl = p.tbl AND o.row_code = p.row_code AND o.col_code = p.col_code
ORDER BY p.iso3 COLLATE "C", o.ord, p.year
