-- gs3.csv (export/gscsv.c): every column of iafq_public.gs3, in the view's
-- order, rows in a stable order: world, regions, sub-regions, SDG
-- regions, countries; then code, year and the view's own codes.
SELECT r.*
FROM iafq_public.gs3 AS r
ORDER BY CASE r.area_type WHEN 'world' THEN 0 WHEN 'region' THEN 1
                      WHEN 'subregion' THEN 2 WHEN 'sdg_region' THEN 3
                      ELSE 4 END,
         r.area_code,
         r.year,
         r.justification NULLS FIRST
