-- The rows of view sdg_16_4_2_by_tracing for gs CSV and the global study workbook (export/
-- views.c names its parameters; each reader picks its columns by name):
-- every column, in the view's order, from the schema the export's
-- transaction chose (q/export_schema.sql: iafq or iafq_public).  Rows in
-- the order both files list them: world, M49 regions, sub-regions, SDG
-- regions, countries; M49 code; year; the columns' order of T8 then
-- ALL ($1), the rows' order of T8 ($2).
SELECT r.*
FROM sdg_16_4_2_by_tracing AS r
ORDER BY iafq_public.area_rank(r.area_type),
         r.area_code, r.year,
         array_position($1::text[], r.arms),
         array_position($2::text[], r.tracing)
