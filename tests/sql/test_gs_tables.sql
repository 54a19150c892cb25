-- GS1-GS8 on a small world worked by hand: France, Germany, Belgium 2020,
-- all in Western Europe (155), Europe (150), SDG region 513.

SELECT t.sub('FRA', 2020) AS fra, t.sub('DEU', 2020) AS deu, t.sub('BEL', 2020) AS bel \gset
-- T1: FRA seized 100 (pistols 60, rifles 30 given), found 20, surrendered 5;
--     DEU seized 20 (pistols 10, revolvers 10), found blank, surrendered 0;
--     BEL seized 50, no components
SELECT t.vals(:fra, 'T1', 'SEIZED', 'PISTOL=60 RIFLE=30 TOTAL=100'),
       t.vals(:fra, 'T1', 'FOUND', 'TOTAL=20'), t.vals(:fra, 'T1', 'SURRENDERED', 'TOTAL=5'),
       t.vals(:deu, 'T1', 'SEIZED', 'PISTOL=10 REVOLVER=10 TOTAL=20'),
       t.vals(:deu, 'T1', 'SURRENDERED', 'TOTAL=0'),
       t.vals(:bel, 'T1', 'SEIZED', 'TOTAL=50');
-- T3: FRA possession 30, trafficking 10 (75 %, 25 %); DEU possession 1, use 3 (25 %, 75 %)
SELECT t.vals(:fra, 'T3', 'SEIZED', 'POSSESSION=30 TRAFFICKING=10 TOTAL=40'),
       t.vals(:deu, 'T3', 'SEIZED', 'POSSESSION=1 USE=3');
-- T4
SELECT t.vals(:fra, 'T4', 'SEIZED', 'DRUGS=5'), t.vals(:deu, 'T4', 'SEIZED', 'DRUGS=7 TERRORISM=1');
-- T5, T6 (FOUND column), T7
SELECT t.vals(:fra, 'T5', 'SEIZED', 'INDUSTRIAL=90 CONVERTED=10 TOTAL=100'),
       t.vals(:fra, 'T6', 'FOUND', 'UNIQUE=15 NONE=5 TOTAL=20'),
       t.vals(:deu, 'T7', 'SEIZED', 'TERRITORY=20 TOTAL=20');
-- T2
SELECT t.vals(:fra, 'T2', 'VALUE', 'PARTS=3 AMMUNITION=1000 CASES=40'),
       t.vals(:bel, 'T2', 'VALUE', 'AMMUNITION=500');
-- T9: FRA arrested 80 men, 20 women of 100; DEU 5 women, TOTAL blank;
--     BEL 9 men, 1 woman of 10
SELECT t.vals(:fra, 'T9', 'MALE', 'ARRESTED=80'), t.vals(:fra, 'T9', 'FEMALE', 'ARRESTED=20'),
       t.vals(:fra, 'T9', 'TOTAL', 'ARRESTED=100'),
       t.vals(:deu, 'T9', 'FEMALE', 'ARRESTED=5'),
       t.vals(:bel, 'T9', 'MALE', 'ARRESTED=9'), t.vals(:bel, 'T9', 'FEMALE', 'ARRESTED=1'),
       t.vals(:bel, 'T9', 'TOTAL', 'ARRESTED=10');

\i :aggregate

DO $$
DECLARE
    r record;
BEGIN
    -- GS1
    PERFORM t.eq((SELECT string_agg(arms || '=' || n || '(' || countries || ')', ' ' ORDER BY arms)
                  FROM iafq.gs1 WHERE area_type = 'country' AND area_code = '250'),
                 'FOUND=20(1) SEIZED=100(1) SURRENDERED=5(1) TOTAL=125(1)', 'GS1 FRA');
    PERFORM t.eq((SELECT string_agg(arms || '=' || n, ' ' ORDER BY arms)
                  FROM iafq.gs1 WHERE area_type = 'country' AND area_code = '276'),
                 'SEIZED=20 SURRENDERED=0 TOTAL=20', 'GS1 DEU (FOUND blank: no row)');
    PERFORM t.eq((SELECT string_agg(arms || '=' || n || '(' || countries || ')', ' ' ORDER BY arms)
                  FROM iafq.gs1 WHERE area_type = 'subregion' AND area_code = '155'),
                 'FOUND=20(1) SEIZED=170(3) SURRENDERED=5(2) TOTAL=195(3)', 'GS1 Western Europe');

    -- GS2: shares of the reported components
    PERFORM t.near((SELECT share_pct FROM iafq.gs2 WHERE area_type = 'country' AND area_code = '250' AND arm_type = 'PISTOL'),
                   100 * 60::numeric / 90, 'GS2 FRA pistols');
    SELECT * INTO STRICT r FROM iafq.gs2 WHERE area_type = 'subregion' AND area_code = '155' AND arm_type = 'PISTOL';
    PERFORM t.eq(r.n, 70::bigint, 'GS2 155 pistols n');
    PERFORM t.eq(r.reported, 110::bigint, 'GS2 155 pistols reported');
    PERFORM t.near(r.share_pct, 100 * 70::numeric / 110, 'GS2 155 pistols share');
    PERFORM t.eq(r.countries, 2, 'GS2 155 pistols countries');
    SELECT * INTO STRICT r FROM iafq.gs2 WHERE area_type = 'subregion' AND area_code = '155' AND arm_type = 'RIFLE';
    PERFORM t.near(r.share_pct, 100 * 30::numeric / 90, 'GS2 155 rifles (France only)');
    PERFORM t.eq(r.countries, 1, 'GS2 155 rifles countries');
    PERFORM t.eq((SELECT count(*) FROM iafq.gs2 WHERE area_type = 'country' AND area_code = '056'), 0::bigint, 'GS2 BEL (no components)');

    -- GS3: ratio of sums and mean of national shares differ
    SELECT * INTO STRICT r FROM iafq.gs3 WHERE area_type = 'region' AND area_code = '150' AND justification = 'POSSESSION';
    PERFORM t.near(r.share_pct, 100 * 31::numeric / 44, 'GS3 Europe possession ratio of sums');
    PERFORM t.near(r.share_pct_mean, 50, 'GS3 Europe possession mean of national shares');
    PERFORM t.eq(r.countries, 2, 'GS3 countries');
    SELECT * INTO STRICT r FROM iafq.gs3 WHERE area_type = 'region' AND area_code = '150' AND justification = 'USE';
    PERFORM t.near(r.share_pct, 75, 'GS3 use ratio');
    PERFORM t.near(r.share_pct_mean, 75, 'GS3 use mean');
    PERFORM t.eq((SELECT count(*) FROM iafq.gs3 WHERE justification = 'TOTAL'), 0::bigint, 'GS3 TOTAL is no component');

    -- GS4
    PERFORM t.eq((SELECT string_agg(offence || '=' || n || '(' || countries || ')', ' ' ORDER BY offence)
                  FROM iafq.gs4 WHERE area_type = 'world'), 'DRUGS=12(2) TERRORISM=1(1)', 'GS4 world');

    -- GS5
    PERFORM t.eq((SELECT string_agg(dimension || ' ' || arms || ' ' || category || ' ' || round(share_pct, 4), '; ' ORDER BY dimension, arms, category)
                  FROM iafq.gs5 WHERE area_type = 'world'),
                 'condition SEIZED CONVERTED 10.0000; condition SEIZED INDUSTRIAL 90.0000; '
                 'marking FOUND NONE 25.0000; marking FOUND UNIQUE 75.0000; place SEIZED TERRITORY 100.0000',
                 'GS5 world');

    -- GS7
    PERFORM t.eq((SELECT string_agg(item || '=' || n || '(' || countries || ')', ' ' ORDER BY item)
                  FROM iafq.gs7 WHERE area_type = 'sdg_region' AND area_code = '513'),
                 'AMMUNITION=1500(2) CASES=40(1) PARTS=3(1)', 'GS7 SDG 513');

    -- GS8: share female = female / TOTAL, over the countries that gave both
    PERFORM t.near((SELECT share_pct FROM iafq.gs8 WHERE area_type = 'country' AND area_code = '250' AND persons = 'ARRESTED' AND sex = 'FEMALE'),
                   20, 'GS8 FRA share female');
    SELECT * INTO STRICT r FROM iafq.gs8 WHERE area_type = 'subregion' AND area_code = '155' AND persons = 'ARRESTED' AND sex = 'FEMALE';
    PERFORM t.eq(r.n, 26::bigint, 'GS8 155 women arrested');
    PERFORM t.eq(r.countries, 3, 'GS8 155 countries');
    PERFORM t.near(r.share_pct, 100 * 21::numeric / 110, 'GS8 155 share female (DEU has no TOTAL)');
    SELECT * INTO STRICT r FROM iafq.gs8 WHERE area_type = 'subregion' AND area_code = '155' AND persons = 'ARRESTED' AND sex = 'TOTAL';
    PERFORM t.eq(r.n || '/' || r.countries || '/' || coalesce(r.share_pct::text, 'null'), '110/2/null', 'GS8 155 TOTAL');

    -- every GS view has the area columns and countries >= 1
    PERFORM t.eq((SELECT count(*) FROM iafq.gs1 WHERE countries < 1 OR area_code !~ '^[0-9]{3}$'), 0::bigint, 'GS1 areas');
END
$$;

-- every stable view starts with the same area columns, and ends its
-- measures with countries
SELECT t.eq(string_agg(column_name::text, ',' ORDER BY ordinal_position), 'area_type,area_code,area_name,year', 'area columns of ' || table_schema || '.' || table_name)
FROM information_schema.columns
WHERE table_schema IN ('iafq', 'iafq_public')
  AND table_name ~ '^(sdg_16_4_2.*|gs[1-9])$' AND ordinal_position <= 4
GROUP BY table_schema, table_name;
SELECT t.eq(count(*), 24::bigint, 'views with area columns and countries')
FROM information_schema.columns
WHERE table_schema IN ('iafq', 'iafq_public') AND table_name ~ '^(sdg_16_4_2.*|gs[1-9])$' AND column_name = 'countries';
