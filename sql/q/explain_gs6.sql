-- explain gs6: the published rows of one area and year in the latest run,
-- from iafq.gs6 or (public) iafq_public.gs6 (the three 16.4.2 views).
-- $1 area code (as area_code), $2 year, $3 public (boolean).
-- Columns: area_type, area_code, area_name, year, key (the row's
-- breakdown: total, column, tracing), key2 (arms), key3 (tracing), figure
-- (value as text, exact), a, b (numerator, denominator: see
-- aggregate/explain.h), countries, run.
SELECT v.area_type, v.area_code, v.area_name, v.year, v.breakdown AS key,
       v.arms AS key2, v.tracing AS key3,
       v.value::text AS figure, v.numerator AS a, v.denominator AS b,
       v.countries, (SELECT r.id FROM iafq.latest_run AS r) AS run
FROM iafq.gs6 AS v
WHERE NOT $3::boolean AND v.area_code = $1::text AND v.year = $2::int
UNION ALL
SELECT v.area_type, v.area_code, v.area_name, v.year, v.breakdown, v.arms,
       v.tracing, v.value::text, v.numerator, v.denominator, v.countries,
       (SELECT r.id FROM iafq_public.latest_run AS r)
FROM iafq_public.gs6 AS v
WHERE $3::boolean AND v.area_code = $1::text AND v.year = $2::int
ORDER BY 1, 5 DESC, 6, 7
