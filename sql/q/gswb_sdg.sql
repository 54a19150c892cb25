-- The global study workbook (export/gswb.c): iafq.sdg_16_4_2,
-- SDG 16.4.2; rows in the order
-- they are written (world, regions, sub-regions, SDG regions,
-- countries; M49 code; year; the return's row order), read through a
-- cursor (q/gswb_fetch.sql) so that memory stays flat.
DECLARE gswb_rows NO SCROLL CURSOR FOR
SELECT area_type, area_code, area_name, year,
       numerator, denominator, value, countries, withheld, submission_id
FROM iafq.sdg_16_4_2
ORDER BY array_position('{world,region,subregion,sdg_region,country}'::text[], area_type),
         area_code, year;
