-- explain sdg_16_4_2_by_column: the published rows of one area and year in the
-- latest run, from iafq.sdg_16_4_2_by_column or (public) iafq_public.sdg_16_4_2_by_column.
-- $1 area code (as area_code), $2 year, $3 public (boolean).
-- Columns: area_type, area_code, area_name, year, key (the row's
-- arms), figure (text, exact), a, b (the parts the figure is made
-- of: see aggregate/explain.h), countries, run.
SELECT v.area_type, v.area_code, v.area_name, v.year, v.arms AS key,
       v.value::text AS figure, v.numerator AS a, v.denominator AS b, v.countries,
       (SELECT r.id FROM iafq.latest_run AS r) AS run
FROM iafq.sdg_16_4_2_by_column AS v
WHERE NOT $3::boolean AND v.area_code = $1::text AND v.year = $2::int
UNION ALL
SELECT v.area_type, v.area_code, v.area_name, v.year, v.arms,
       v.value::text, v.numerator, v.denominator, v.countries,
       (SELECT r.id FROM iafq_public.latest_run AS r)
FROM iafq_public.sdg_16_4_2_by_column AS v
WHERE $3::boolean AND v.area_code = $1::text AND v.year = $2::int
ORDER BY 1, 5
