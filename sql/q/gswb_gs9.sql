-- The global study workbook (export/gswb.c): iafq.gs9,
-- significant seizures (T11); rows in the order
-- they are written (world, regions, sub-regions, SDG regions,
-- countries; M49 code; year; the return's row order), read through a
-- cursor (q/gswb_fetch.sql) so that memory stays flat.
DECLARE gswb_rows NO SCROLL CURSOR FOR
SELECT area_type, area_code, area_name, year,
       flow, manufacture_code, manufacture_name, departure_code, departure_name,
       destination_code, destination_name, quantity, seizures, countries, withheld, partner_withheld, submission_id
FROM iafq.gs9
ORDER BY array_position('{world,region,subregion,sdg_region,country}'::text[], area_type),
         area_code, year,
         flow,
         manufacture_code NULLS LAST,
         departure_code NULLS LAST,
         destination_code NULLS LAST;
