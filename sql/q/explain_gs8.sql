-- explain gs8: the published rows of one area and year in the latest run,
-- from iafq.gs8 or (public) iafq_public.gs8.
-- $1 area code (as area_code), $2 year, $3 public (boolean).
-- Columns: area_type, area_code, area_name, year, key (the row's persons),
-- key2 (its sex), figure (share_pct as text, exact), a (n), b (NULL: the
-- sum of the totals is not published; see aggregate/explain.h), countries,
-- run.
SELECT v.area_type, v.area_code, v.area_name, v.year, v.persons AS key,
       v.sex AS key2, v.share_pct::text AS figure, v.n AS a, NULL::bigint AS b,
       v.countries, (SELECT r.id FROM iafq.latest_run AS r) AS run
FROM iafq.gs8 AS v
WHERE NOT $3::boolean AND v.area_code = $1::text AND v.year = $2::int
UNION ALL
SELECT v.area_type, v.area_code, v.area_name, v.year, v.persons, v.sex,
       v.share_pct::text, v.n, NULL::bigint, v.countries,
       (SELECT r.id FROM iafq_public.latest_run AS r)
FROM iafq_public.gs8 AS v
WHERE $3::boolean AND v.area_code = $1::text AND v.year = $2::int
ORDER BY 1, 5, 6
