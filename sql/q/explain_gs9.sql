-- explain gs9: the published rows of one area and year in the latest run,
-- from iafq.gs9 or (public) iafq_public.gs9.
-- $1 area code (as area_code), $2 year, $3 public (boolean).
-- Columns: area_type, area_code, area_name, year, key (the row's flow),
-- key2, key3, key4 (its manufacture_code, departure_code,
-- destination_code as KEY=VALUE names them: the M49 code, 'unknown' for a
-- partner not stated (code NULL, name 'Unknown'), 'not-published' for a
-- withheld partner of the public view (code ''), NULL for a column the flow
-- does not have), figure (quantity as text, exact; NULL when no T11 row
-- gave one), a (quantity), b (seizures), countries, run,
-- manufacture_name, departure_name, destination_name, partner_withheld
-- (a country row's partner is withheld: the public view does not name it;
-- false when public).
SELECT v.area_type, v.area_code, v.area_name, v.year, v.flow AS key,
       CASE WHEN v.flow <> 'manufacture' THEN NULL
            WHEN v.manufacture_code IS NULL THEN 'unknown'
            ELSE v.manufacture_code END AS key2,
       CASE WHEN v.flow <> 'route' THEN NULL
            WHEN v.departure_code IS NULL THEN 'unknown'
            ELSE v.departure_code END AS key3,
       CASE WHEN v.flow <> 'route' THEN NULL
            WHEN v.destination_code IS NULL THEN 'unknown'
            ELSE v.destination_code END AS key4,
       v.quantity::text AS figure, v.quantity AS a, v.seizures AS b,
       v.countries, (SELECT r.id FROM iafq.latest_run AS r) AS run,
       v.manufacture_name, v.departure_name, v.destination_name,
       coalesce(v.partner_withheld, false) AS partner_withheld
FROM iafq.gs9 AS v
WHERE NOT $3::boolean AND v.area_code = $1::text AND v.year = $2::int
UNION ALL
SELECT v.area_type, v.area_code, v.area_name, v.year, v.flow,
       CASE WHEN v.flow <> 'manufacture' THEN NULL
            WHEN v.manufacture_code IS NULL THEN 'unknown'
            WHEN v.manufacture_code = '' THEN 'not-published'
            ELSE v.manufacture_code END,
       CASE WHEN v.flow <> 'route' THEN NULL
            WHEN v.departure_code IS NULL THEN 'unknown'
            WHEN v.departure_code = '' THEN 'not-published'
            ELSE v.departure_code END,
       CASE WHEN v.flow <> 'route' THEN NULL
            WHEN v.destination_code IS NULL THEN 'unknown'
            WHEN v.destination_code = '' THEN 'not-published'
            ELSE v.destination_code END,
       v.quantity::text, v.quantity, v.seizures, v.countries,
       (SELECT r.id FROM iafq_public.latest_run AS r),
       v.manufacture_name, v.departure_name, v.destination_name, false
FROM iafq_public.gs9 AS v
WHERE $3::boolean AND v.area_code = $1::text AND v.year = $2::int
ORDER BY 1, 5, 6, 7, 8
