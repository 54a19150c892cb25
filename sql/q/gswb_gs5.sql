-- The global study workbook (export/gswb.c): iafq.gs5,
-- condition, marking and place of seizure; rows in the order
-- they are written (world, regions, sub-regions, SDG regions,
-- countries; M49 code; year; the return's row order), read through a
-- cursor (q/gswb_fetch.sql) so that memory stays flat.
-- Parameters: code orders from common/schema.h, as text arrays.
DECLARE gswb_rows NO SCROLL CURSOR FOR
SELECT area_type, area_code, area_name, year,
       dimension, arms, category, n, reported, share_pct, countries, withheld, submission_id
FROM iafq.gs5
ORDER BY array_position('{world,region,subregion,sdg_region,country}'::text[], area_type),
         area_code, year,
         array_position('{condition,marking,place}'::text[], dimension),
         array_position($1::text[], arms),
         CASE dimension WHEN 'condition' THEN array_position($2::text[], category)
                       WHEN 'marking' THEN array_position($3::text[], category)
                       ELSE array_position($4::text[], category) END;
