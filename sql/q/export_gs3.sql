-- The rows of view gs3 for gs CSV and the global study workbook (export/
-- views.c names its parameters; each reader picks its columns by name):
-- every column, in the view's order, from the schema the export's
-- transaction chose (q/export_schema.sql: iafq or iafq_public).  Rows in
-- the order both files list them: world, M49 regions, sub-regions, SDG
-- regions, countries; M49 code; year; the rows' order of T3 ($1).
SELECT r.*
FROM gs3 AS r
ORDER BY iafq_public.area_rank(r.area_type),
         r.area_code, r.year,
         array_position($1::text[], r.justification)
