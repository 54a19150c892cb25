-- The global study workbook (export/gswb.c): iafq.gs2,
-- arms seized by type; rows in the order
-- they are written (world, regions, sub-regions, SDG regions,
-- countries; M49 code; year; the return's row order), read through a
-- cursor (q/gswb_fetch.sql) so that memory stays flat.
-- Parameters: code orders from common/schema.h, as text arrays.
DECLARE gswb_rows NO SCROLL CURSOR FOR
SELECT area_type, area_code, area_name, year,
       arm_type, n, reported, share_pct, countries, withheld, submission_id
FROM iafq.gs2
ORDER BY array_position('{world,region,subregion,sdg_region,country}'::text[], area_type),
         area_code, year,
         array_position($1::text[], arm_type);
