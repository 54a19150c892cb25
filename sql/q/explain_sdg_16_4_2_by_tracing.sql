-- explain sdg_16_4_2_by_tracing: the published rows of one area and year in
-- the latest run, from iafq.sdg_16_4_2_by_tracing or (public)
-- iafq_public.sdg_16_4_2_by_tracing.
-- $1 area code (as area_code), $2 year, $3 public (boolean).
-- Columns: area_type, area_code, area_name, year, key (the row's arms),
-- key2 (its tracing), figure (share_pct as text, exact), a, b (n, t8_total:
-- see aggregate/explain.h), countries, run.
SELECT v.area_type, v.area_code, v.area_name, v.year, v.arms AS key,
       v.tracing AS key2,
       v.share_pct::text AS figure, v.n AS a, v.t8_total AS b, v.countries,
       (SELECT r.id FROM iafq.latest_run AS r) AS run
FROM iafq.sdg_16_4_2_by_tracing AS v
WHERE NOT $3::boolean AND v.area_code = $1::text AND v.year = $2::int
UNION ALL
SELECT v.area_type, v.area_code, v.area_name, v.year, v.arms, v.tracing,
       v.share_pct::text, v.n, v.t8_total, v.countries,
       (SELECT r.id FROM iafq_public.latest_run AS r)
FROM iafq_public.sdg_16_4_2_by_tracing AS v
WHERE $3::boolean AND v.area_code = $1::text AND v.year = $2::int
ORDER BY 1, 5, 6
