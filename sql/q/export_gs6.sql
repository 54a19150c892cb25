-- The rows of view gs6 for gs CSV and the global study workbook (export/
-- views.c names its parameters; each reader picks its columns by name):
-- every column, in the view's order, from the schema the export's
-- transaction chose (q/export_schema.sql: iafq or iafq_public).  Rows in
-- the order both files list them: world, M49 regions, sub-regions, SDG
-- regions, countries; M49 code; year; breakdown, arms, tracing (codes,
-- none first; the workbook shows GS6 through the three sdg_16_4_2 views).
SELECT r.*
FROM gs6 AS r
ORDER BY iafq_public.area_rank(r.area_type),
         r.area_code, r.year,
         r.breakdown NULLS FIRST,
         r.arms NULLS FIRST,
         r.tracing NULLS FIRST
