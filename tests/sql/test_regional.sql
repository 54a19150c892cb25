-- Regional, SDG-regional and world 16.4.2: ratio of sums over the countries
-- with a value (never the mean of percentages), and the country counts.
--
-- 2020            N    D    %     region  subregion  SDG region
--   BRA           1   10   10     019     419        419
--   ARG          90  100   90     019     419        419
--   CAN           5   50   10     019     021        513
--   FRA          20   40   50     150     155        513
--   CHL  T1 only, no T8: no value, not counted
-- 2021: BRA 3 / 4

CREATE FUNCTION pg_temp.ret(c text, y int, n int, d int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    s bigint := t.sub(c, y);
BEGIN
    PERFORM t.vals(s, 'T1', 'SEIZED', 'TOTAL=' || d);
    PERFORM t.vals(s, 'T8', 'SEIZED', 'UI_ILLEGIT_FOREIGN=' || n);
END
$$;
SELECT pg_temp.ret('BRA', 2020, 1, 10), pg_temp.ret('ARG', 2020, 90, 100),
       pg_temp.ret('CAN', 2020, 5, 50), pg_temp.ret('FRA', 2020, 20, 40),
       pg_temp.ret('BRA', 2021, 3, 4);
SELECT t.vals(t.sub('CHL', 2020), 'T1', 'SEIZED', 'TOTAL=1000');

\i :aggregate

DO $$
DECLARE
    r record;
BEGIN
    PERFORM t.eq((SELECT count(*) FROM iafq.submission), 6::bigint, 'world built');
    PERFORM t.eq((SELECT count(*) FROM iafq.value WHERE tbl = 'T8'), 5::bigint, 'T8 values');

    -- Latin America and the Caribbean (sub-region 419 and SDG region 419)
    FOR r IN SELECT * FROM iafq.sdg_16_4_2 WHERE area_code = '419' AND year = 2020 LOOP
        PERFORM t.eq(r.numerator, 91::bigint, r.area_type || ' 419 N');
        PERFORM t.eq(r.denominator, 110::bigint, r.area_type || ' 419 D');
        PERFORM t.near(r.value, 100 * 91::numeric / 110, r.area_type || ' 419 ratio of sums');
        PERFORM t.eq(r.countries, 2, r.area_type || ' 419 countries (CHL has no value)');
        ASSERT r.value <> (10 + 90) / 2.0, 'ratio of sums must differ from the mean of percentages';
    END LOOP;
    PERFORM t.eq((SELECT string_agg(area_type, ',' ORDER BY area_type) FROM iafq.sdg_16_4_2
                  WHERE area_code = '419' AND year = 2020), 'sdg_region,subregion', '419 is both');

    -- Americas (region 019): 96 / 160 = 60 %, mean of percentages would be 36.67
    SELECT * INTO STRICT r FROM iafq.sdg_16_4_2 WHERE area_type = 'region' AND area_code = '019' AND year = 2020;
    PERFORM t.eq(r.area_name, 'Americas', 'region name');
    PERFORM t.near(r.value, 60, 'Americas');
    PERFORM t.eq(r.countries, 3, 'Americas countries');

    -- Northern America (021): Canada alone
    SELECT * INTO STRICT r FROM iafq.sdg_16_4_2 WHERE area_type = 'subregion' AND area_code = '021' AND year = 2020;
    PERFORM t.near(r.value, 10, 'Northern America');
    PERFORM t.eq(r.countries, 1, 'Northern America countries');

    -- Europe and Northern America (SDG 513): CAN + FRA = 25 / 90
    SELECT * INTO STRICT r FROM iafq.sdg_16_4_2 WHERE area_type = 'sdg_region' AND area_code = '513' AND year = 2020;
    PERFORM t.near(r.value, 100 * 25::numeric / 90, 'SDG 513');
    PERFORM t.eq(r.countries, 2, 'SDG 513 countries');

    -- Europe (150) and Western Europe (155): France alone
    PERFORM t.near((SELECT value FROM iafq.sdg_16_4_2 WHERE area_type = 'region' AND area_code = '150' AND year = 2020), 50, 'Europe');
    PERFORM t.near((SELECT value FROM iafq.sdg_16_4_2 WHERE area_type = 'subregion' AND area_code = '155' AND year = 2020), 50, 'Western Europe');

    -- World: 116 / 200 = 58 %, 4 countries; 2021: Brazil alone
    SELECT * INTO STRICT r FROM iafq.sdg_16_4_2 WHERE area_type = 'world' AND year = 2020;
    PERFORM t.eq(r.area_code, '001', 'world code');
    PERFORM t.eq(r.area_name, 'World', 'world name');
    PERFORM t.eq(r.numerator, 116::bigint, 'world N');
    PERFORM t.eq(r.denominator, 200::bigint, 'world D');
    PERFORM t.near(r.value, 58, 'world');
    PERFORM t.eq(r.countries, 4, 'world countries');
    SELECT * INTO STRICT r FROM iafq.sdg_16_4_2 WHERE area_type = 'world' AND year = 2021;
    PERFORM t.near(r.value, 75, 'world 2021');
    PERFORM t.eq(r.countries, 1, 'world 2021 countries');

    -- every 2020 row: 4 countries, regions 019 150, sub-regions 419 021 155,
    -- SDG regions 419 513, the world
    PERFORM t.eq((SELECT string_agg(area_type || ' ' || area_code, ', ' ORDER BY area_type, area_code)
                  FROM iafq.sdg_16_4_2 WHERE year = 2020),
                 'country 032, country 076, country 124, country 250, region 019, region 150, '
                 'sdg_region 419, sdg_region 513, subregion 021, subregion 155, subregion 419, world 001',
                 '2020 rows');
    -- countries of an area = the country rows that fall in it
    PERFORM t.eq((SELECT count(*) FROM iafq.sdg_16_4_2 AS a
                   WHERE a.area_type <> 'country'
                     AND a.countries <> (SELECT count(*) FROM iafq.sdg_16_4_2 AS c
                                         JOIN iafq.m49_country AS m ON m.m49 = c.area_code
                                         JOIN iafq.country_area AS ca ON ca.iso3 = m.iso3
                                          AND ca.area_type = a.area_type AND ca.area_code = a.area_code
                                         WHERE c.area_type = 'country' AND c.year = a.year)),
                 0::bigint, 'countries = country rows in the area');
END
$$;
