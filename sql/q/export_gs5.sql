-- The rows of view gs5 for gs CSV and the global study workbook (export/
-- views.c names its parameters; each reader picks its columns by name):
-- every column, in the view's order, from the schema the export's
-- transaction chose (q/export_schema.sql: iafq or iafq_public).  Rows in
-- the order both files list them: world, M49 regions, sub-regions, SDG
-- regions, countries; M49 code; year; condition, marking, place; the columns' order of T6 ($1); the
-- category in the rows' order of T5, T6 or T7 ($2, $3, $4) after its
-- dimension.
SELECT r.*
FROM gs5 AS r
ORDER BY iafq_public.area_rank(r.area_type),
         r.area_code, r.year,
         array_position('{condition,marking,place}'::text[], r.dimension),
         array_position($1::text[], r.arms),
         CASE r.dimension WHEN 'condition' THEN array_position($2::text[], r.category)
                          WHEN 'marking' THEN array_position($3::text[], r.category)
                          ELSE array_position($4::text[], r.category) END
