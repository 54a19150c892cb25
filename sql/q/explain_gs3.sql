-- explain gs3: the published rows of one area and year in the
-- latest run, from iafq.gs3 or (public) iafq_public.gs3.
-- $1 area code (as area_code), $2 year, $3 public (boolean).
-- Columns: area_type, area_code, area_name, year, key (the row's
-- justification), figure (share_pct as text, exact), mean (share_pct_mean
-- as text), a, b (the parts the figure is made of: see
-- aggregate/explain.h), countries, run.
SELECT v.area_type, v.area_code, v.area_name, v.year, v.justification AS key,
       v.share_pct::text AS figure, v.share_pct_mean::text AS mean, v.n AS a, v.reported AS b, v.countries,
       (SELECT r.id FROM iafq.latest_run AS r) AS run
FROM iafq.gs3 AS v
WHERE NOT $3::boolean AND v.area_code = $1::text AND v.year = $2::int
UNION ALL
SELECT v.area_type, v.area_code, v.area_name, v.year, v.justification,
       v.share_pct::text, v.share_pct_mean::text, v.n, v.reported, v.countries,
       (SELECT r.id FROM iafq_public.latest_run AS r)
FROM iafq_public.gs3 AS v
WHERE $3::boolean AND v.area_code = $1::text AND v.year = $2::int
ORDER BY 1, 5
