-- The areas the tracker filters by: regions, sub-regions, intermediate
-- regions and SDG regions of M49.
SELECT DISTINCT code, name
FROM iafq.m49
WHERE level IN ('region', 'subregion', 'intermediate', 'sdg_region')
ORDER BY name, code
