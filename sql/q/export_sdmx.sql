-- SDG 16.4.2 for SDMX-CSV (export/sdmx.c, IAFQ-SPEC 6.5), from
-- sdg_16_4_2 of the export's schema: one row per area code and year.  A code that is both an
-- M49 sub-region and an SDG region (202, 419, 053: the same countries, the
-- same figures) is written once, as the sub-region.  area_code keeps its
-- leading zeros here (the writer drops them); value rounded to 2 decimals
-- (numeric: half away from zero).
SELECT DISTINCT ON (r.area_code::int, r.year)
       r.area_code, r.year, round(r.value, 2)::text AS value, r.countries,
       (r.area_type = 'country') AS is_country
FROM sdg_16_4_2 AS r
ORDER BY r.area_code::int, r.year,
         CASE r.area_type WHEN 'country' THEN 0 WHEN 'world' THEN 1
                          WHEN 'region' THEN 2 WHEN 'subregion' THEN 3
                          ELSE 4 END
