-- GS9 from T11 on a small world worked by hand.
--   FRA (Western Europe 155, Europe 150, SDG 513):
--       3 seizures x 2 arms made in the USA, BEL -> FRA
--       1 seizure  x 5 arms made in DEU, route not stated
--       1 seizure, quantity not stated, make not stated, DEU -> FRA
--   DEU (155, 150, 513): 2 x 1 arm made in the USA, USA -> DEU
--   BRA (LAC 419, Americas 019, SDG 419): 4 x 3 arms made in the USA, PRY -> BRA
-- USA: Northern America 021, Americas 019, SDG 513.
SELECT t.sub('FRA', 2020) AS fra, t.sub('DEU', 2020) AS deu, t.sub('BRA', 2020) AS bra \gset
SELECT t.seize(:fra, 2, 'USA', 'BEL', 'FRA', 3), t.seize(:fra, 5, 'DEU', NULL, NULL),
       t.seize(:fra, NULL, NULL, 'DEU', 'FRA'),
       t.seize(:deu, 1, 'USA', 'USA', 'DEU', 2), t.seize(:bra, 3, 'USA', 'PRY', 'BRA', 4);

\i :aggregate

CREATE FUNCTION pg_temp.rows(p_type text, p_code text, p_flow text) RETURNS text LANGUAGE sql AS $$
    SELECT string_agg(CASE WHEN p_flow = 'manufacture' THEN coalesce(manufacture_code, '-')
                           ELSE coalesce(departure_code, '-') || '>' || coalesce(destination_code, '-') END
                      || ' ' || coalesce(quantity::text, 'null') || '/' || seizures || '/' || countries,
                      '; ' ORDER BY manufacture_code, departure_code, destination_code)
    FROM iafq.gs9 WHERE area_type = p_type AND area_code = p_code AND flow = p_flow AND year = 2020;
$$;

-- country rows: as reported
SELECT t.eq(pg_temp.rows('country', '250', 'manufacture'), '276 5/1/1; 840 6/3/1; - null/1/1', 'FRA by country of manufacture');
SELECT t.eq(pg_temp.rows('country', '250', 'route'), '056>250 6/3/1; 276>250 null/1/1; ->- 5/1/1', 'FRA routes');
SELECT t.eq(pg_temp.rows('country', '076', 'route'), '600>076 12/4/1', 'BRA route');
SELECT t.eq((SELECT manufacture_name FROM iafq.gs9 WHERE area_code = '076' AND flow = 'manufacture'), 'United States of America', 'partner name');
-- Europe (150) by region of manufacture: Americas 6 + 2 from 2 countries; Europe 5
SELECT t.eq(pg_temp.rows('region', '150', 'manufacture'), '019 8/5/2; 150 5/1/1; - null/1/1', 'Europe by region of manufacture');
SELECT t.eq(pg_temp.rows('region', '150', 'route'), '019>150 2/2/1; 150>150 6/4/1; ->- 5/1/1', 'Europe routes between regions');
-- Western Europe by sub-region: Northern America 8 from 2 countries
SELECT t.eq(pg_temp.rows('subregion', '155', 'manufacture'), '021 8/5/2; 155 5/1/1; - null/1/1', 'Western Europe');
-- SDG 513 (FRA, DEU) by SDG region of manufacture: USA and DEU both in 513
SELECT t.eq(pg_temp.rows('sdg_region', '513', 'manufacture'), '513 13/6/2; - null/1/1', 'SDG 513');
-- the world by region of manufacture: Americas 6 + 2 + 12 from 3 countries
SELECT t.eq(pg_temp.rows('world', '001', 'manufacture'), '019 20/9/3; 150 5/1/1; - null/1/1', 'world');
SELECT t.eq((SELECT manufacture_name FROM iafq.gs9 WHERE area_type = 'world' AND manufacture_code = '019'), 'Americas', 'world partner name');
-- totals are preserved at every level
SELECT t.eq(sum(seizures), 11 * 5 * 2::numeric, 'every seizure once per level and flow') FROM iafq.gs9;
-- an unknown partner is named 'Unknown' with no code (0011); the columns of
-- the other flow stay NULL
SELECT t.eq((SELECT manufacture_name FROM iafq.gs9 WHERE area_code = '250' AND flow = 'manufacture' AND manufacture_code IS NULL), 'Unknown', 'unknown make named');
SELECT t.eq((SELECT departure_name || ' > ' || destination_name FROM iafq.gs9 WHERE area_code = '250' AND flow = 'route' AND departure_code IS NULL), 'Unknown > Unknown', 'unknown route named');
SELECT t.eq((SELECT count(*) FROM iafq.gs9 WHERE (flow = 'route' AND manufacture_name IS NOT NULL) OR (flow = 'manufacture' AND (departure_name IS NOT NULL OR destination_name IS NOT NULL))), 0::bigint, 'other flow stays NULL');
SELECT t.eq((SELECT manufacture_name FROM iafq_public.gs9 WHERE area_type = 'world' AND flow = 'manufacture' AND manufacture_code IS NULL), 'Unknown', 'unknown make named in public');
