-- The global study workbook (export/gswb.c): iafq_public.sdg_16_4_2_by_tracing,
-- SDG 16.4.2 by tracing level; rows in the order
-- they are written (world, regions, sub-regions, SDG regions,
-- countries; M49 code; year; the return's row order), read through a
-- cursor (q/gswb_fetch.sql) so that memory stays flat.
-- Parameters: code orders from common/schema.h, as text arrays.
DECLARE gswb_rows NO SCROLL CURSOR FOR
SELECT area_type, area_code, area_name, year,
       arms, tracing, n, t8_total, share_pct, countries
FROM iafq_public.sdg_16_4_2_by_tracing
ORDER BY array_position('{world,region,subregion,sdg_region,country}'::text[], area_type),
         area_code, year,
         array_position($1::text[], arms),
         array_position($2::text[], tracing);
