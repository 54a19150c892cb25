-- explain gs5: the published rows of one area and year in the latest run,
-- from iafq.gs5 or (public) iafq_public.gs5.
-- $1 area code (as area_code), $2 year, $3 public (boolean).
-- Columns: area_type, area_code, area_name, year, key (the row's
-- dimension: condition T5, marking T6, place T7), key2 (arms), key3
-- (category), figure (share_pct as text, exact), a, b (n, reported: see
-- aggregate/explain.h), countries, run.
SELECT v.area_type, v.area_code, v.area_name, v.year, v.dimension AS key,
       v.arms AS key2, v.category AS key3,
       v.share_pct::text AS figure, v.n AS a, v.reported AS b, v.countries,
       (SELECT r.id FROM iafq.latest_run AS r) AS run
FROM iafq.gs5 AS v
WHERE NOT $3::boolean AND v.area_code = $1::text AND v.year = $2::int
UNION ALL
SELECT v.area_type, v.area_code, v.area_name, v.year, v.dimension, v.arms,
       v.category, v.share_pct::text, v.n, v.reported, v.countries,
       (SELECT r.id FROM iafq_public.latest_run AS r)
FROM iafq_public.gs5 AS v
WHERE $3::boolean AND v.area_code = $1::text AND v.year = $2::int
ORDER BY 1, 5, 6, 7
