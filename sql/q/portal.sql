-- The portal records (view portal of the export's schema, q/export_schema.sql)
-- in writing order, read row by row (export/exp.c, exp_rows) inside the
-- export's snapshot transaction.  $1, $2, $3: the published cells (tbl,
-- row_code, col_code) in writing order, from common/schema.c
-- (schema_pub_all): each group's Total right after its group.  Rows: by
-- Iso3_code, then cell, then year.  export/portal.c reads the columns by
-- name.
SELECT p.iso3, p.area_name, p.region, p.subregion, p.year,
       p.tbl, p.row_code, p.col_code, p.n, p.source
FROM portal AS p
JOIN unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY
     AS o (tbl, row_code, col_code, ord)
  ON o.tbl = p.tbl AND o.row_code = p.row_code AND o.col_code = p.col_code
ORDER BY p.iso3 COLLATE "C", o.ord, p.year
